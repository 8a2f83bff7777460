// `tcpscenario run --ladder`: a text sequence (ladder) diagram of a trace, one row per event.
// Lifelines per endpoint; arrows with flags, seq, ack and len (relative to each side's ISN
// unless asked for absolute numbers); lost segments end in an X halfway; state changes,
// timers that fire, application calls and expectations appear where they happen.

import { count } from '../engine/plural';
import { flagLabel, type SegmentFields, type TraceDocument, type TraceEvent } from '../engine/trace';
import { charWidth, displayWidth, type Colour, type Paint } from './terminal';

export interface LadderOptions {
  /** Sequence numbers as in the trace (absolute) instead of relative to the ISN. */
  absolute: boolean;
  paint: Paint;
}

const TIME_WIDTH = 12;

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

/** "0ms", "10.5ms", "1.25s", "4min 0.02s". */
export function formatTime(ms: number): string {
  const trim = (value: number) => String(Number(value.toFixed(3)));
  if (ms < 1000) return `${trim(ms)}ms`;
  if (ms < 60_000) return `${trim(ms / 1000)}s`;
  const minutes = Math.floor(ms / 60_000);
  const rest = ms - minutes * 60_000;
  return rest === 0 ? `${minutes}min` : `${minutes}min ${trim(rest / 1000)}s`;
}

function flagColour(flags: readonly string[], lost: boolean): Colour {
  if (lost) return 'red';
  if (flags.includes('RST')) return 'magenta';
  if (flags.includes('SYN')) return 'green';
  if (flags.includes('FIN')) return 'yellow';
  return 'blue';
}

export function renderLadder(doc: Pick<TraceDocument, 'endpoints' | 'events'>, options: LadderOptions): string {
  const { paint } = options;
  const names = doc.endpoints.map((e) => e.name);
  const column = new Map(names.map((name, i) => [name, i]));
  const dropped = new Map<string, string>();
  const segments = new Map<string, SegmentFields>();
  for (const event of doc.events) {
    if (event.kind === 'drop') dropped.set(event.id, event.reason);
    if (event.kind === 'send' || event.kind === 'inject') segments.set(event.id, event);
  }

  // Relative numbers: seq from the sender's ISN, ack from the receiver's, learnt from each SYN.
  const label = (s: SegmentFields, iss: Map<string, number>): string => {
    const key = `${s.from}\u0000${s.to}`;
    if (s.flags.includes('SYN')) iss.set(key, s.seq);
    const seqBase = options.absolute ? undefined : iss.get(key);
    const ackBase = options.absolute ? undefined : iss.get(`${s.to}\u0000${s.from}`);
    const seq = seqBase === undefined ? s.seq : (s.seq - seqBase) >>> 0;
    const parts = [s.flags.length > 0 ? flagLabel(s.flags) : '<none>', `seq=${seq}`];
    if (s.flags.includes('ACK')) parts.push(`ack=${ackBase === undefined ? s.ack : (s.ack - ackBase) >>> 0}`);
    parts.push(`len=${s.len}`);
    return parts.join(' ');
  };
  // Measure the labels once to size the columns.
  const measureIss = new Map<string, number>();
  let longest = 0;
  for (const s of segments.values()) longest = Math.max(longest, label(s, measureIss).length + 14);
  const iss = new Map<string, number>();
  const nameWidth = Math.max(...names.map(displayWidth), 8);
  const columnWidth = Math.min(Math.max(longest + 6, nameWidth + 6, 30), 72);
  const x = (i: number) => TIME_WIDTH + 2 + i * columnWidth;

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
  const emit = (r: Row) => lines.push(r.render(paint));

  const header = new Row();
  names.forEach((name, i) => header.put(Math.max(x(i) - Math.floor(displayWidth(name) / 2), 0), name, 'bold'));
  emit(header);
  const states = new Row();
  names.forEach((_, i) => states.put(x(i) - 2, 'CLOSED', 'cyan'));
  emit(states);

  const arrow = (s: SegmentFields, t: number, prefix: string, lostReason: string | undefined) => {
    const from = column.get(s.from);
    const to = column.get(s.to);
    const r = row(t);
    if (from === undefined || to === undefined || from === to) {
      r.put(x(0) + 2, `${prefix}${label(s, iss)} ${s.from} -> ${s.to}`, 'blue');
      emit(r);
      return;
    }
    const lost = lostReason !== undefined;
    const colour = flagColour(s.flags, lost);
    const left = Math.min(x(from), x(to));
    const right = Math.max(x(from), x(to));
    const rightward = to > from;
    const text = ` ${prefix}${label(s, iss)} `;
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
      r.put(x(names.length - 1) + 3, `lost: ${lostReason}`, 'red');
    }
    emit(r);
  };

  for (const event of doc.events as TraceEvent[]) {
    switch (event.kind) {
      case 'send':
      case 'inject': {
        const prefix = event.kind === 'inject' || event.injected ? 'inject ' : event.retransmission ? 'retx ' : event.probe ? `${event.probe} ` : '';
        arrow(event, event.t, prefix, dropped.get(event.id));
        break;
      }
      case 'duplicate': {
        const original = segments.get(event.id);
        if (original) arrow({ ...original, id: event.copy }, event.t, 'dup ', dropped.get(event.copy));
        break;
      }
      case 'transition': {
        const i = column.get(event.endpoint);
        if (i === undefined) break;
        const r = row(event.t);
        const conn = event.conn ? ` (${event.conn})` : '';
        r.put(x(i), '*', 'cyan');
        r.put(x(i) + 2, `${event.to}${conn}`, 'cyan');
        emit(r);
        break;
      }
      case 'timer': {
        const i = column.get(event.endpoint);
        if (i === undefined || event.action !== 'fire') break;
        const r = row(event.t);
        r.put(x(i) + 2, `~ ${event.name} timer fires`, 'grey');
        emit(r);
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
        emit(r);
        break;
      }
      case 'data': {
        const i = column.get(event.endpoint);
        if (i === undefined) break;
        const r = row(event.t);
        r.put(x(i) + 2, `${count(event.bytes, 'byte')} to the application`);
        emit(r);
        break;
      }
      case 'expect': {
        const r = row(event.t);
        const where = event.line !== undefined ? `line ${event.line}: ` : '';
        r.put(x(0) + 2, `${event.ok ? 'ok' : 'FAILED'} ${where}${event.message}`, event.ok ? 'green' : 'red');
        emit(r);
        break;
      }
      case 'note': {
        const r = row(event.t);
        r.put(x(event.endpoint !== undefined ? (column.get(event.endpoint) ?? 0) : 0) + 2, `note: ${event.message}`, 'grey');
        emit(r);
        break;
      }
      default:
        break;
    }
  }
  return lines.join('\n');
}
