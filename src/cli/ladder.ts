// `tcpscenario run --ladder`: a text sequence (ladder) diagram of a trace, one row per event.
// Lifelines per endpoint; arrows with flags, seq, ack and len (relative to each side's ISN
// unless asked for absolute numbers); lost segments end in an X halfway; state changes,
// timers that fire, application calls and expectations appear where they happen. With
// `--explain`, each row ends with the rule that made its event (src/engine/rules.ts) or the
// scenario line that caused it. Labels, numbers and times are written by src/text/format.ts.

import type { SegmentFields, TraceDocument, TraceEvent } from '../engine/trace';
import { explain } from '../text/explain';
import { formatTime, labelOf, optionsText, SequenceBases } from '../text/format';
import { ENGLISH, type Translator } from '../text/translate';
import { bytesWord, dropWord, timerWord } from '../text/words';
import { CLI_MESSAGES as C } from './messages';
import { charWidth, displayWidth, type Colour, type Paint } from './terminal';

export interface LadderOptions {
  /** Sequence numbers as in the trace (absolute) instead of relative to the ISN. */
  absolute: boolean;
  paint: Paint;
  /** Beside each row, the rule that made its event or the line that caused it. */
  explain?: boolean;
  /** The language of the ladder's words (English by default). */
  tr?: Translator;
}

class Row {
  readonly cells: string[] = [];
  readonly colours: (Colour | undefined)[] = [];

  put(x: number, text: string, colour?: Colour): number {
    let at = x;
    for (const char of text) {
      const width = charWidth(char.codePointAt(0) ?? 0);
      while (this.cells.length < at + width) {
        this.cells.push(' ');
        this.colours.push(undefined);
      }
      this.cells[at] = char;
      this.colours[at] = colour;
      if (width === 2) {
        this.cells[at + 1] = '';
        this.colours[at + 1] = colour;
      }
      at += width;
    }
    return at;
  }

  get width(): number {
    return this.cells.length;
  }

  render(paint: Paint): string {
    let out = '';
    let run = '';
    let runColour: Colour | undefined;
    for (let i = 0; i < this.cells.length; i++) {
      if (this.colours[i] !== runColour) {
        out += paint(runColour, run);
        run = '';
        runColour = this.colours[i];
      }
      run += this.cells[i];
    }
    return (out + paint(runColour, run)).replace(/\s+$/, '');
  }
}

function flagColour(flags: readonly string[], lost: boolean): Colour {
  if (lost) return 'red';
  if (flags.includes('RST')) return 'magenta';
  if (flags.includes('SYN')) return 'green';
  if (flags.includes('FIN')) return 'yellow';
  return 'blue';
}

export function renderLadder(doc: Pick<TraceDocument, 'endpoints' | 'events' | 'rules'>, options: LadderOptions): string {
  const ladder = new Ladder(doc, options);
  for (const event of doc.events as TraceEvent[]) ladder.event(event);
  return ladder.lines.join('\n');
}

/** The segments of a trace by id (a duplicate's arrow is its original's) and why those dropped were. */
function segmentsOf(events: readonly TraceEvent[]): { segments: Map<string, SegmentFields>; dropped: Map<string, string> } {
  const dropped = new Map<string, string>();
  const segments = new Map<string, SegmentFields>();
  for (const event of events) {
    if (event.kind === 'drop') dropped.set(event.id, event.reason);
    if (event.kind === 'send' || event.kind === 'inject') segments.set(event.id, event);
  }
  return { segments, dropped };
}

/** The ladder as it is written, row by row: the columns, sized once for the whole trace, and the numbering learnt so far. */
class Ladder {
  readonly lines: string[] = [];
  private readonly tr: Translator;
  private readonly numbering: 'absolute' | 'relative';
  private readonly names: string[];
  private readonly column: Map<string, number>;
  private readonly segments: Map<string, SegmentFields>;
  private readonly dropped: Map<string, string>;
  /** Relative numbers: seq from the sender's ISN, ack from the receiver's, learnt from each SYN. */
  private readonly bases = new SequenceBases();
  private readonly timeWidth: number;
  private readonly columnWidth: number;
  private readonly lastLifeline: number;
  /** The time of the row before (a row at the same time leaves it out). */
  private lastTime = '';

  constructor(
    private readonly doc: Pick<TraceDocument, 'endpoints' | 'events' | 'rules'>,
    private readonly options: LadderOptions,
  ) {
    this.tr = options.tr ?? ENGLISH;
    this.numbering = options.absolute ? 'absolute' : 'relative';
    this.names = doc.endpoints.map((e) => e.name);
    this.column = new Map(this.names.map((name, i) => [name, i]));
    const indexed = segmentsOf(doc.events);
    this.segments = indexed.segments;
    this.dropped = indexed.dropped;
    // Measure the labels and the times once to size the columns.
    const measureBases = new SequenceBases();
    let longest = 0;
    for (const s of this.segments.values()) longest = Math.max(longest, this.label(s, measureBases).length + 14);
    let timeWidth = 11;
    for (const event of doc.events) timeWidth = Math.max(timeWidth, formatTime(event.t).length);
    this.timeWidth = timeWidth + 1;
    const nameWidth = Math.max(...this.names.map(displayWidth), 8);
    this.columnWidth = Math.min(Math.max(longest + 6, nameWidth + 6, 30), 72);
    this.lastLifeline = this.x(this.names.length - 1);

    const header = new Row();
    this.names.forEach((name, i) => header.put(Math.max(this.x(i) - Math.floor(displayWidth(name) / 2), 0), name, 'bold'));
    this.emit(header);
    const states = new Row();
    this.names.forEach((_, i) => states.put(this.x(i) - 2, 'CLOSED', 'cyan'));
    this.emit(states);
  }

  /** The column of lifeline i. */
  private x(i: number): number {
    return this.timeWidth + 2 + i * this.columnWidth;
  }

  private label(s: SegmentFields, bases: SequenceBases): string {
    bases.learn(s);
    return labelOf(s, this.numbering, bases);
  }

  /** A new row: its time (when it differs from the row before) and the lifelines. */
  private row(t: number | undefined): Row {
    const r = new Row();
    const time = t === undefined ? '' : formatTime(t);
    if (time !== this.lastTime) r.put(0, time.padStart(this.timeWidth - 1), 'grey');
    this.lastTime = time;
    this.names.forEach((_, i) => r.put(this.x(i), '|', 'grey'));
    return r;
  }

  /** Writes the row; with --explain, what made its event at the end of it. */
  private emit(r: Row, event?: TraceEvent): void {
    const { tr } = this;
    if (this.options.explain && event) {
      const why = explain(event, this.doc.rules);
      const text = why?.kind === 'rule' ? tr.t(C.explainRule, why.rule.source, tr.t(why.rule.summary)) : why ? tr.t(C.explainLine, why.line) : undefined;
      if (text) r.put(Math.max(r.width + 3, this.lastLifeline + 3), text, 'grey');
    }
    this.lines.push(r.render(this.options.paint));
  }

  /** A row of text beside an endpoint's lifeline (nothing when the trace does not know the endpoint). */
  private beside(endpoint: string, event: TraceEvent, text: string, colour?: Colour): void {
    const i = this.column.get(endpoint);
    if (i === undefined) return;
    const r = this.row(event.t);
    r.put(this.x(i) + 2, text, colour);
    this.emit(r, event);
  }

  event(event: TraceEvent): void {
    const { tr } = this;
    switch (event.kind) {
      case 'send':
      case 'inject': {
        const probe = event.kind === 'send' && event.probe ? tr.t(event.probe === 'keepalive' ? C.keepaliveProbe : C.zeroWindowProbe) : undefined;
        const word = event.kind === 'inject' || event.injected ? tr.t(C.inject) : event.retransmission ? tr.t(C.retx) : probe;
        this.arrow(event, event, word ? `${word} ` : '', this.dropped.get(event.id));
        break;
      }
      case 'duplicate': {
        const original = this.segments.get(event.id);
        if (original) this.arrow({ ...original, id: event.copy }, event, `${tr.t(C.dup)} `, this.dropped.get(event.copy));
        break;
      }
      case 'deliver': {
        // A deliver event names a rule only when the receiver discarded the segment without an answer.
        const segment = this.segments.get(event.id);
        if (!this.options.explain || event.rule === undefined || !segment) break;
        this.beside(event.to, event, tr.t(C.discarded, event.to, this.label(segment, this.bases.copy())), 'grey');
        break;
      }
      case 'transition':
        this.transition(event);
        break;
      case 'timer':
        if (event.action === 'fire') this.beside(event.endpoint, event, tr.t(C.timerFires, timerWord(event.name, tr.t)), 'grey');
        break;
      case 'app': {
        const bytes = event.bytes !== undefined ? `${event.bytes}` : '';
        // What the application was told: RFC 9293's words, and the errno Linux returns for them.
        const error = event.error ? `: ${event.error}${event.errno ? ` (${event.errno})` : ''}` : '';
        this.beside(event.endpoint, event, `${event.call}(${bytes})${error}`, event.error ? 'red' : undefined);
        break;
      }
      case 'data':
        this.beside(event.endpoint, event, tr.t(C.toApplication, bytesWord(event.bytes, tr.t)));
        break;
      case 'expect': {
        const r = this.row(event.t);
        const text =
          event.line !== undefined
            ? tr.t(event.ok ? C.expectOkLine : C.expectFailedLine, event.line, event.message)
            : tr.t(event.ok ? C.expectOk : C.expectFailed, event.message);
        r.put(this.x(0) + 2, text, event.ok ? 'green' : 'red');
        this.emit(r);
        break;
      }
      case 'note': {
        const r = this.row(event.t);
        r.put(this.x(event.endpoint !== undefined ? (this.column.get(event.endpoint) ?? 0) : 0) + 2, tr.t(C.note, event.message), 'grey');
        this.emit(r, event);
        break;
      }
      default:
        break;
    }
  }

  /** A state change: a star on the lifeline, the new state beside it. */
  private transition(event: Extract<TraceEvent, { kind: 'transition' }>): void {
    const i = this.column.get(event.endpoint);
    if (i === undefined) return;
    const r = this.row(event.t);
    const conn = event.conn ? ` (${event.conn})` : '';
    r.put(this.x(i), '*', 'cyan');
    r.put(this.x(i) + 2, `${event.to}${conn}`, 'cyan');
    this.emit(r, event);
  }

  /** A segment's row: its arrow between the lifelines (to an X halfway when it was lost), then its options. */
  private arrow(s: SegmentFields, event: TraceEvent, prefix: string, lostReason: string | undefined): void {
    const from = this.column.get(s.from);
    const to = this.column.get(s.to);
    const r = this.row(event.t);
    if (from === undefined || to === undefined || from === to) {
      r.put(this.x(0) + 2, `${prefix}${this.label(s, this.bases)} ${s.from} -> ${s.to}`, 'blue');
      this.emit(r, event);
      return;
    }
    const colour = flagColour(s.flags, lostReason !== undefined);
    const text = ` ${prefix}${this.label(s, this.bases)} `;
    if (lostReason === undefined) this.shaft(r, from, to, text, colour);
    else {
      this.lostShaft(r, from, to, text, colour);
      r.put(this.lastLifeline + 3, this.tr.t(C.lost, dropWord(lostReason, this.tr.t)), 'red');
    }
    // TCP options beyond the last lifeline, as packetdrill writes them: a SYN's (timestamps as TS),
    // later segments' SACK blocks (timestamps on every segment would only be noise).
    const shown = ladderOptions(s, this.numbering === 'relative' ? this.bases.base(s.to, s.from) : undefined);
    if (shown) r.put(Math.max(r.width + 2, this.lastLifeline + 3), shown, 'grey');
    this.emit(r, event);
  }

  /** A whole arrow from lifeline `from` to `to`, the text in its middle. */
  private shaft(r: Row, from: number, to: number, text: string, colour: Colour): void {
    const left = Math.min(this.x(from), this.x(to));
    const right = Math.max(this.x(from), this.x(to));
    const body = right - left - 1;
    const pad = Math.max(body - 2 - text.length, 2);
    const before = Math.floor(pad / 2);
    const shaft = '-'.repeat(before) + text + '-'.repeat(pad - before);
    r.put(left + 1, to > from ? `${shaft}>` : `<${shaft}`, colour);
  }

  /** A lost segment's arrow: it stops halfway in an X. */
  private lostShaft(r: Row, from: number, to: number, text: string, colour: Colour): void {
    const left = Math.min(this.x(from), this.x(to));
    const right = Math.max(this.x(from), this.x(to));
    const half = Math.max(Math.floor((right - left) / 2), text.length + 4);
    if (to > from) {
      r.put(left + 1, `--${text}`.padEnd(half - 1, '-') + 'X', colour);
    } else {
      const shaft = `X${`${text}--`.padStart(half - 1, '-')}`;
      r.put(right - shaft.length, shaft, colour);
    }
  }
}

/** `<mss 1460, sackOK, TS, wscale 10>` for a SYN, `<sack 1449-2897>` for a segment with SACK blocks, else empty. */
function ladderOptions(s: SegmentFields, sackBase: number | undefined): string {
  const o = s.options;
  if (o === undefined) return '';
  if (!s.flags.includes('SYN')) {
    const sack = optionsText({ sack: o.sack }, sackBase);
    return sack ? `<${sack}>` : '';
  }
  const parts = [optionsText({ mss: o.mss, sackPermitted: o.sackPermitted }), o.ts !== undefined ? 'TS' : '', optionsText({ wscale: o.wscale })];
  const text = parts.filter((p) => p !== '').join(', ');
  return text ? `<${text}>` : '';
}
