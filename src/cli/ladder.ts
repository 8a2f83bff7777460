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
  const { paint } = options;
  const tr = options.tr ?? ENGLISH;
  const numbering = options.absolute ? 'absolute' : 'relative';
  const names = doc.endpoints.map((e) => e.name);
  const column = new Map(names.map((name, i) => [name, i]));
  const dropped = new Map<string, string>();
  const segments = new Map<string, SegmentFields>();
  for (const event of doc.events) {
    if (event.kind === 'drop') dropped.set(event.id, event.reason);
    if (event.kind === 'send' || event.kind === 'inject') segments.set(event.id, event);
  }

  // Relative numbers: seq from the sender's ISN, ack from the receiver's, learnt from each SYN.
  const label = (s: SegmentFields, bases: SequenceBases): string => {
    bases.learn(s);
    return labelOf(s, numbering, bases);
  };
  // Measure the labels and the times once to size the columns.
  const measureBases = new SequenceBases();
  let longest = 0;
  for (const s of segments.values()) longest = Math.max(longest, label(s, measureBases).length + 14);
  const bases = new SequenceBases();
  let timeWidth = 11;
  for (const event of doc.events) timeWidth = Math.max(timeWidth, formatTime(event.t).length);
  const TIME_WIDTH = timeWidth + 1;
  const nameWidth = Math.max(...names.map(displayWidth), 8);
  const columnWidth = Math.min(Math.max(longest + 6, nameWidth + 6, 30), 72);
  const x = (i: number) => TIME_WIDTH + 2 + i * columnWidth;
  const lastLifeline = x(names.length - 1);

  const lines: string[] = [];
  let lastTime = '';
  const row = (t: number | undefined): Row => {
    const r = new Row();
    const time = t === undefined ? '' : formatTime(t);
    if (time !== lastTime) r.put(0, time.padStart(TIME_WIDTH - 1), 'grey');
    lastTime = time;
    names.forEach((_, i) => r.put(x(i), '|', 'grey'));
    return r;
  };
  // --explain: what made the row's event, at the end of the row.
  const emit = (r: Row, event?: TraceEvent) => {
    if (options.explain && event) {
      const why = explain(event, doc.rules);
      const text = why?.kind === 'rule' ? tr.t(C.explainRule, why.rule.source, tr.t(why.rule.summary)) : why ? tr.t(C.explainLine, why.line) : undefined;
      if (text) r.put(Math.max(r.width + 3, lastLifeline + 3), text, 'grey');
    }
    lines.push(r.render(paint));
  };

  const header = new Row();
  names.forEach((name, i) => header.put(Math.max(x(i) - Math.floor(displayWidth(name) / 2), 0), name, 'bold'));
  emit(header);
  const states = new Row();
  names.forEach((_, i) => states.put(x(i) - 2, 'CLOSED', 'cyan'));
  emit(states);

  const arrow = (s: SegmentFields, event: TraceEvent, prefix: string, lostReason: string | undefined) => {
    const from = column.get(s.from);
    const to = column.get(s.to);
    const r = row(event.t);
    if (from === undefined || to === undefined || from === to) {
      r.put(x(0) + 2, `${prefix}${label(s, bases)} ${s.from} -> ${s.to}`, 'blue');
      emit(r, event);
      return;
    }
    const lost = lostReason !== undefined;
    const colour = flagColour(s.flags, lost);
    const left = Math.min(x(from), x(to));
    const right = Math.max(x(from), x(to));
    const rightward = to > from;
    const text = ` ${prefix}${label(s, bases)} `;
    if (!lost) {
      const body = right - left - 1;
      const pad = Math.max(body - 2 - text.length, 2);
      const before = Math.floor(pad / 2);
      const shaft = '-'.repeat(before) + text + '-'.repeat(pad - before);
      r.put(left + 1, rightward ? `${shaft}>` : `<${shaft}`, colour);
    } else {
      // Lost: the arrow stops halfway in an X; the reason follows beyond the far lifeline.
      const half = Math.max(Math.floor((right - left) / 2), text.length + 4);
      if (rightward) {
        r.put(left + 1, `--${text}`.padEnd(half - 1, '-') + 'X', colour);
      } else {
        const shaft = `X${`${text}--`.padStart(half - 1, '-')}`;
        r.put(right - shaft.length, shaft, colour);
      }
      r.put(lastLifeline + 3, tr.t(C.lost, dropWord(lostReason, tr.t)), 'red');
    }
    // TCP options beyond the last lifeline, as packetdrill writes them: a SYN's (timestamps as TS),
    // later segments' SACK blocks (timestamps on every segment would only be noise).
    const shown = ladderOptions(s, numbering === 'relative' ? bases.base(s.to, s.from) : undefined);
    if (shown) r.put(Math.max(r.width + 2, lastLifeline + 3), shown, 'grey');
    emit(r, event);
  };

  for (const event of doc.events as TraceEvent[]) {
    switch (event.kind) {
      case 'send':
      case 'inject': {
        const probe = event.kind === 'send' && event.probe ? tr.t(event.probe === 'keepalive' ? C.keepaliveProbe : C.zeroWindowProbe) : undefined;
        const word = event.kind === 'inject' || event.injected ? tr.t(C.inject) : event.retransmission ? tr.t(C.retx) : probe;
        arrow(event, event, word ? `${word} ` : '', dropped.get(event.id));
        break;
      }
      case 'duplicate': {
        const original = segments.get(event.id);
        if (original) arrow({ ...original, id: event.copy }, event, `${tr.t(C.dup)} `, dropped.get(event.copy));
        break;
      }
      case 'deliver': {
        // A deliver event names a rule only when the receiver discarded the segment without an answer.
        const segment = segments.get(event.id);
        const i = column.get(event.to);
        if (!options.explain || event.rule === undefined || i === undefined || !segment) break;
        const r = row(event.t);
        r.put(x(i) + 2, tr.t(C.discarded, event.to, label(segment, bases.copy())), 'grey');
        emit(r, event);
        break;
      }
      case 'transition': {
        const i = column.get(event.endpoint);
        if (i === undefined) break;
        const r = row(event.t);
        const conn = event.conn ? ` (${event.conn})` : '';
        r.put(x(i), '*', 'cyan');
        r.put(x(i) + 2, `${event.to}${conn}`, 'cyan');
        emit(r, event);
        break;
      }
      case 'timer': {
        const i = column.get(event.endpoint);
        if (i === undefined || event.action !== 'fire') break;
        const r = row(event.t);
        r.put(x(i) + 2, tr.t(C.timerFires, timerWord(event.name, tr.t)), 'grey');
        emit(r, event);
        break;
      }
      case 'app': {
        const i = column.get(event.endpoint);
        if (i === undefined) break;
        const r = row(event.t);
        const bytes = event.bytes !== undefined ? `${event.bytes}` : '';
        // What the application was told: RFC 9293's words, and the errno Linux returns for them.
        const error = event.error ? `: ${event.error}${event.errno ? ` (${event.errno})` : ''}` : '';
        r.put(x(i) + 2, `${event.call}(${bytes})${error}`, event.error ? 'red' : undefined);
        emit(r, event);
        break;
      }
      case 'data': {
        const i = column.get(event.endpoint);
        if (i === undefined) break;
        const r = row(event.t);
        r.put(x(i) + 2, tr.t(C.toApplication, bytesWord(event.bytes, tr.t)));
        emit(r, event);
        break;
      }
      case 'expect': {
        const r = row(event.t);
        const text =
          event.line !== undefined
            ? tr.t(event.ok ? C.expectOkLine : C.expectFailedLine, event.line, event.message)
            : tr.t(event.ok ? C.expectOk : C.expectFailed, event.message);
        r.put(x(0) + 2, text, event.ok ? 'green' : 'red');
        emit(r);
        break;
      }
      case 'note': {
        const r = row(event.t);
        r.put(x(event.endpoint !== undefined ? (column.get(event.endpoint) ?? 0) : 0) + 2, tr.t(C.note, event.message), 'grey');
        emit(r, event);
        break;
      }
      default:
        break;
    }
  }
  return lines.join('\n');
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
