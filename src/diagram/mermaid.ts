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
  const relative = options.relative ?? false;
  const say = options.say ?? ENGLISH_SAY;
  const out: string[] = [];
  out.push('%% TCP scenario ladder diagram. Mermaid draws arrows level: the flight time (slant) of each');
  out.push('%% segment is lost, so segments that cross in flight (simultaneous open/close) appear in send order.');
  out.push('sequenceDiagram');
  if (input.scenario) out.push(`    title ${mermaidText(input.scenario)}`);

  const ids = new Map<string, string>();
  const participant = (name: string) => {
    let id = ids.get(name);
    if (!id) {
      id = `p${ids.size}`;
      ids.set(name, id);
      out.push(`    participant ${id} as ${mermaidText(name)}`);
    }
    return id;
  };
  for (const endpoint of input.endpoints) participant(endpoint.name);
  for (const event of input.events) {
    if (event.kind === 'send' || event.kind === 'inject') {
      participant(event.from);
      participant(event.to);
    }
  }

  const isnOf = new Map(input.endpoints.map((e) => [e.name, e.isn] as const));
  const iss = new Map<string, number>();
  const segments = new Map<string, Extract<TraceEvent, { kind: 'send' | 'inject' }>>();
  const outcome = new Map<string, string>();
  for (const event of input.events) {
    if (event.kind === 'drop') outcome.set(event.id, event.reason);
  }
  let lastT = 0;
  for (const event of input.events) {
    if (event.t - lastT >= 1000) out.push(`    Note over ${[...ids.values()].join(',')}: ${mermaidText(say(DRAWING_WORDS.later, formatTime(event.t - lastT)))}`);
    lastT = event.t;
    switch (event.kind) {
      case 'send':
      case 'inject': {
        segments.set(event.id, event);
        const injected = event.kind === 'inject' || event.injected === true;
        if (!injected && event.flags.includes('SYN')) iss.set(`${event.from}>${event.to}`, event.seq);
        out.push(message(event, event.id, injected ? ' [injected]' : event.retransmission ? ' [retransmission]' : ''));
        break;
      }
      case 'duplicate': {
        const original = segments.get(event.id);
        if (original) out.push(message({ ...original, id: event.copy }, event.copy, ' [duplicate]'));
        break;
      }
      case 'transition':
        out.push(`    Note over ${participant(event.endpoint)}: ${mermaidText(event.conn ? `${event.to} [${event.conn}]` : event.to)}`);
        break;
      case 'app':
        out.push(`    Note over ${participant(event.endpoint)}: ${mermaidText(appCallText(event))}`);
        break;
      case 'timer':
        if (event.name === 'time-wait' && event.action === 'start' && event.expires !== undefined) {
          out.push(`    Note over ${participant(event.endpoint)}: ${mermaidText(say(DRAWING_WORDS.timeWaitTimer, formatTime(event.expires - event.t)))}`);
        }
        break;
      case 'expect':
        out.push(`    Note over ${[...ids.values()][0] ?? 'p0'}: ${mermaidText(`${event.ok ? '✓' : '✗'} ${event.message}`)}`);
        break;
      default:
        break;
    }
  }
  return `${out.join('\n')}\n`;

  function message(s: Extract<TraceEvent, { kind: 'send' | 'inject' }>, id: string, suffix: string): string {
    let seq = s.seq;
    let ack = s.ack;
    if (relative) {
      const seqBase = iss.get(`${s.from}>${s.to}`) ?? isnOf.get(s.from);
      const ackBase = iss.get(`${s.to}>${s.from}`) ?? isnOf.get(s.to);
      if (seqBase !== undefined) seq = relativeTo(seq, seqBase);
      if (ackBase !== undefined) ack = relativeTo(ack, ackBase);
    }
    const reason = outcome.get(id);
    const lost = reason !== undefined;
    const text = segmentLabel(s.flags, seq, ack, s.len) + suffix + (lost ? ` [dropped: ${reason}]` : '');
    return `    ${participant(s.from)}${lost ? '-x' : '->>'}${participant(s.to)}: ${mermaidText(text)}`;
  }
}
