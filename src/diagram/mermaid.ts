// Trace -> Mermaid sequenceDiagram text (pure). Mermaid draws every message horizontally,
// one after another, so the flight time (the slant) is lost: crossing segments of a
// simultaneous open or close appear in send order. The text says so in a comment.

import type { TraceEvent } from '../engine/trace';
import type { DiagramInput } from './model';
import { appCallText, relativeTo, segmentLabel } from './model';
import { cleanText } from './format';
import { formatTime } from '../text/format';
import { DRAWING_WORDS, ENGLISH_SAY, type Say } from './words';

/** Text safe inside a Mermaid message or note: entity codes for the characters Mermaid parses. */
export function mermaidText(text: string): string {
  return cleanText(text).replace(/[#;:<>"&\n\r{}%]/g, (c) => (c === '\n' || c === '\r' ? ' ' : `#${c.codePointAt(0)};`));
}

export interface MermaidOptions {
  relative?: boolean;
  /** The language of the notes (words.ts; English when absent). */
  say?: Say;
}

export function toMermaid(input: DiagramInput, options: MermaidOptions = {}): string {
  const writer = new MermaidWriter(input, options.relative ?? false, options.say ?? ENGLISH_SAY);
  let lastT = 0;
  for (const event of input.events) {
    if (event.t - lastT >= 1000) writer.later(event.t - lastT);
    lastT = event.t;
    writer.event(event);
  }
  return `${writer.out.join('\n')}\n`;
}

type Segment = Extract<TraceEvent, { kind: 'send' | 'inject' }>;

/** The text's lines as they are written: the participants, then a message or note per event. */
class MermaidWriter {
  readonly out: string[] = [];
  /** The participant id of each endpoint, in the order they are declared. */
  private readonly ids = new Map<string, string>();
  private readonly isnOf: Map<string, number | undefined>;
  /** ISS per direction "from>to", learnt from the SYNs (relative numbers). */
  private readonly iss = new Map<string, number>();
  private readonly segments = new Map<string, Segment>();
  /** Why a segment was dropped, by id. */
  private readonly outcome = new Map<string, string>();

  constructor(
    input: DiagramInput,
    private readonly relative: boolean,
    private readonly say: Say,
  ) {
    const { out } = this;
    out.push('%% TCP scenario ladder diagram. Mermaid draws arrows level: the flight time (slant) of each');
    out.push('%% segment is lost, so segments that cross in flight (simultaneous open/close) appear in send order.');
    out.push('sequenceDiagram');
    if (input.scenario) out.push(`    title ${mermaidText(input.scenario)}`);
    for (const endpoint of input.endpoints) this.participant(endpoint.name);
    for (const event of input.events) {
      if (event.kind === 'send' || event.kind === 'inject') {
        this.participant(event.from);
        this.participant(event.to);
      }
    }
    this.isnOf = new Map(input.endpoints.map((e) => [e.name, e.isn] as const));
    for (const event of input.events) {
      if (event.kind === 'drop') this.outcome.set(event.id, event.reason);
    }
  }

  /** The endpoint's participant id, declared when it is new. */
  private participant(name: string): string {
    let id = this.ids.get(name);
    if (!id) {
      id = `p${this.ids.size}`;
      this.ids.set(name, id);
      this.out.push(`    participant ${id} as ${mermaidText(name)}`);
    }
    return id;
  }

  /** A note over everyone: this much time went by with nothing happening. */
  later(gap: number): void {
    this.out.push(`    Note over ${[...this.ids.values()].join(',')}: ${mermaidText(this.say(DRAWING_WORDS.later, formatTime(gap)))}`);
  }

  private note(endpoint: string, text: string): void {
    this.out.push(`    Note over ${this.participant(endpoint)}: ${mermaidText(text)}`);
  }

  event(event: TraceEvent): void {
    switch (event.kind) {
      case 'send':
      case 'inject': {
        this.segments.set(event.id, event);
        const injected = event.kind === 'inject' || event.injected === true;
        if (!injected && event.flags.includes('SYN')) this.iss.set(`${event.from}>${event.to}`, event.seq);
        this.out.push(this.message(event, event.id, injected ? ' [injected]' : event.retransmission ? ' [retransmission]' : ''));
        break;
      }
      case 'duplicate': {
        const original = this.segments.get(event.id);
        if (original) this.out.push(this.message({ ...original, id: event.copy }, event.copy, ' [duplicate]'));
        break;
      }
      case 'transition':
        this.note(event.endpoint, event.conn ? `${event.to} [${event.conn}]` : event.to);
        break;
      case 'app':
        this.note(event.endpoint, appCallText(event));
        break;
      case 'timer':
        if (event.name === 'time-wait' && event.action === 'start' && event.expires !== undefined) {
          this.note(event.endpoint, this.say(DRAWING_WORDS.timeWaitTimer, formatTime(event.expires - event.t)));
        }
        break;
      case 'expect':
        this.out.push(`    Note over ${[...this.ids.values()][0] ?? 'p0'}: ${mermaidText(`${event.ok ? '✓' : '✗'} ${event.message}`)}`);
        break;
      default:
        break;
    }
  }

  /** A segment's message: a cross for one that was dropped, its numbers relative when asked. */
  private message(s: Segment, id: string, suffix: string): string {
    let seq = s.seq;
    let ack = s.ack;
    if (this.relative) {
      const seqBase = this.iss.get(`${s.from}>${s.to}`) ?? this.isnOf.get(s.from);
      const ackBase = this.iss.get(`${s.to}>${s.from}`) ?? this.isnOf.get(s.to);
      if (seqBase !== undefined) seq = relativeTo(seq, seqBase);
      if (ackBase !== undefined) ack = relativeTo(ack, ackBase);
    }
    const reason = this.outcome.get(id);
    const lost = reason !== undefined;
    const text = segmentLabel(s.flags, seq, ack, s.len) + suffix + (lost ? ` [dropped: ${reason}]` : '');
    return `    ${this.participant(s.from)}${lost ? '-x' : '->>'}${this.participant(s.to)}: ${mermaidText(text)}`;
  }
}
