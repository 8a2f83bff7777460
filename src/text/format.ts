// How trace facts are written, in one place: segment labels, sequence numbers relative to an ISN
// or absolute, flags, times. The ladder, the diagram, the debugger (Call Stack, Variables, hovers,
// the Debug Console), VS Code's Run report and the CLI all write through this module, so a number
// reads the same everywhere (docs/architecture.md, "How trace facts are written").

import { flagsToMask, maskToFlags } from '../engine/flags';
import { seqDiff } from '../engine/seq';
import { flagLabel as labelOfFlags, type SegmentFields, type TcpFlag, type TcpOptions } from '../engine/trace';

/** How sequence and acknowledgment numbers are shown: relative to each side's ISN, or as carried. */
export type Numbering = 'relative' | 'absolute';

/** The one spelling of a segment without any control flag (a crafted segment). */
export const NO_FLAGS = '(no flags)';

const labels = new Map<number, string>();

/**
 * Flags as people write them, ACK last (`SYN,ACK`, `FIN,ACK`, Wireshark's and the textbooks'
 * order); empty for no flags. Cached by the engine's flag mask (src/engine/flags.ts, the one
 * flag-bit table), so a long trace does not build the same few strings again and again.
 */
export function flagLabel(flags: readonly string[]): string {
  const mask = flagsToMask(flags as readonly TcpFlag[]);
  // A flag the engine does not know (a hand-written trace): the plain label, not cached.
  if (maskToFlags(mask).length !== flags.length) return labelOfFlags(flags);
  let label = labels.get(mask);
  if (label === undefined) labels.set(mask, (label = labelOfFlags(flags)));
  return label;
}

/** Flags for a label or a field: `SYN,ACK`, or NO_FLAGS. */
export function flagsText(flags: readonly string[]): string {
  return flags.length > 0 ? flagLabel(flags) : NO_FLAGS;
}

/**
 * A sequence number relative to an ISN: the signed distance modulo 2^32 (RFC 9293 3.4), so a
 * number just below the ISN (an old duplicate) is -10, never 4294967286.
 */
export function relativeSeq(value: number, isn: number): number {
  return seqDiff(value, isn);
}

/** A number as shown: relative to `base` when there is one and numbering is relative, else absolute. */
export function shownSeq(value: number, base: number | undefined, numbering: Numbering): number {
  return numbering === 'relative' && base !== undefined ? relativeSeq(value, base) : value;
}

/** A TCB number as the debugger's Variables show it: `1 (absolute 101)` when relative. */
export function seqWithAbsolute(value: number, base: number, numbering: Numbering, absoluteWord = 'absolute'): string {
  return numbering === 'relative' ? `${relativeSeq(value, base)} (${absoluteWord} ${value})` : String(value);
}

type Direction = Pick<SegmentFields, 'from' | 'to'>;
/** What numbering needs of a segment (a trace event, an in-flight view, a hand-made one). */
export interface Numbered {
  from: string;
  to: string;
  flags: readonly string[];
  seq: number;
  ack: number;
}

/**
 * The ISN of each direction, learnt from the SYNs of a trace read in order (a later SYN between
 * the same endpoints, a new connection, replaces the earlier one). seq is relative to the
 * sender's ISN, ack to the receiver's, as Wireshark shows them; a direction whose SYN was not
 * seen stays absolute.
 */
export class SequenceBases {
  private readonly isn = new Map<string, number>();

  /** Learns from a segment (call in trace order, before `numbers` for the same segment). */
  learn(segment: Numbered): void {
    if (segment.flags.includes('SYN')) this.isn.set(key(segment.from, segment.to), segment.seq);
  }

  /** The ISN of the direction from -> to, when its SYN was seen. */
  base(from: string, to: string): number | undefined {
    return this.isn.get(key(from, to));
  }

  /** seq and ack as shown under `numbering`. */
  numbers(segment: Numbered, numbering: Numbering): { seq: number; ack: number } {
    if (numbering === 'absolute') return { seq: segment.seq, ack: segment.ack };
    return {
      seq: shownSeq(segment.seq, this.base(segment.from, segment.to), numbering),
      ack: shownSeq(segment.ack, this.base(segment.to, segment.from), numbering),
    };
  }

  copy(): SequenceBases {
    const copy = new SequenceBases();
    for (const [k, v] of this.isn) copy.isn.set(k, v);
    return copy;
  }
}

function key(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

/** The label of a segment, the same everywhere: `SYN,ACK seq=0 ack=1 len=0` (ack only with ACK). */
export function segmentLabel(segment: { flags: readonly string[]; len: number }, numbers: { seq: number; ack: number }): string {
  const ack = segment.flags.includes('ACK') ? ` ack=${numbers.ack}` : '';
  return `${flagsText(segment.flags)} seq=${numbers.seq}${ack} len=${segment.len}`;
}

/**
 * A segment's TCP options as Wireshark and packetdrill write them: `mss 1460, sackOK, TS val 5 ecr 0,
 * wscale 10, sack 1001-2001` (SACK blocks relative to `sackBase`, the ISN the ack counts from, when
 * given). Option names are the protocol's, the same in every language; empty when there are none.
 */
export function optionsText(o: TcpOptions | undefined, sackBase?: number): string {
  // A trace read from a file may hold anything: only well-formed options are written.
  if (typeof o !== 'object' || o === null) return '';
  const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  const parts: string[] = [];
  if (num(o.mss)) parts.push(`mss ${o.mss}`);
  if (o.sackPermitted === true) parts.push('sackOK');
  if (typeof o.ts === 'object' && o.ts !== null && num(o.ts.val) && num(o.ts.ecr)) parts.push(`TS val ${o.ts.val} ecr ${o.ts.ecr}`);
  if (num(o.wscale)) parts.push(`wscale ${o.wscale}`);
  if (Array.isArray(o.sack)) {
    const n = (v: number): number => (sackBase === undefined ? v : relativeSeq(v, sackBase));
    const blocks = o.sack.filter((b) => typeof b === 'object' && b !== null && num(b.left) && num(b.right));
    if (blocks.length > 0) parts.push(`sack ${blocks.map((b) => `${n(b.left)}-${n(b.right)}`).join(' ')}`);
  }
  return parts.join(', ');
}

/** A segment's label under a numbering, with the ISNs learnt so far (absolute when there are none). */
export function labelOf(segment: Numbered & { len: number }, numbering: Numbering = 'absolute', bases?: SequenceBases): string {
  return segmentLabel(segment, bases ? bases.numbers(segment, numbering) : segment);
}

/** `from -> to`, the direction of a segment. */
export function direction(segment: Direction): string {
  return `${segment.from} -> ${segment.to}`;
}

function trim(value: number): string {
  return String(Number(value.toFixed(3)));
}

/**
 * A time or a duration in ms, the one way trace times are written: "0 ms", "130 ms", "0.5 ms",
 * "1.25 s", "4 min", "4 min 0.02 s". Units are SI symbols, the same in every language.
 */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const abs = Math.abs(ms);
  if (abs < 1000) return `${trim(ms)} ms`;
  if (abs < 60_000) return `${trim(ms / 1000)} s`;
  const minutes = Math.trunc(ms / 60_000);
  const rest = Math.abs(ms - minutes * 60_000);
  return rest < 0.0005 ? `${minutes} min` : `${minutes} min ${trim(rest / 1000)} s`;
}

/** A point on the diagram's time axis, never in minutes so that ticks line up: "125 ms", "241.125 s". */
export function formatTimeOnAxis(ms: number): string {
  return Math.abs(ms) < 1000 ? `${trim(ms)} ms` : `${trim(ms / 1000)} s`;
}

/** The same without spaces, where room is short (the diagram's compact time axis): "130ms", "4min0.02s". */
export function formatTimeCompact(ms: number): string {
  return formatTime(ms).replace(/ /g, '');
}
