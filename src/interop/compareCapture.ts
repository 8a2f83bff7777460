// Compares a simulation (a trace document) with a capture of the real kernel (capture.ts): the
// segments of each direction in order (flags, relative seq/ack, payload length, whether the network
// dropped it, the time it was sent), and each endpoint's connection states in order with their times.
// Returns every difference and the first one in time, each with a reason in words. Pure.
//
// Timing tolerance (docs/captures.md, "Comparing"): a captured time is the kernel's nominal time plus
// the slack of its timer wheel plus a little measurement noise, so a time matches when
//   |offset| <= tol  or  |offset - previous offset| <= tol,   tol = 1 ms + wheelSlack(gap) + spread
// where offset = simulated - captured time, the previous offset is that of the previous matched
// segment (a timer's slack carries on to what it causes), gap is how long the endpoint had been quiet
// before (since it last sent or received a segment or its application made a call), wheelSlack is the
// granularity of the timer-wheel level a timer of that length lands on (kernel/time/timer.c: 1 jiffy
// below 64 jiffies, then x8 per level; 4 ms, 32 ms, 256 ms, 2 s at HZ=250), and spread is how much
// the segment's time varied over the repetitions (or the poll period, for a polled state).

import type { SendEvent, InjectEvent, TcpState, TraceDocument, TraceEvent, TransitionEvent } from '../engine/trace';
import {
  captureSegments,
  captureStates,
  flagText,
  relativeNumbers,
  repetitionSpread,
  segmentText,
  type CaptureStateChange,
  type CaptureSummary,
  type RelativeSegment,
  type WireSegment,
} from './capture';

export type DifferenceKind = 'segment' | 'missing-segment' | 'extra-segment' | 'segment-time' | 'state' | 'missing-state' | 'extra-state' | 'state-time';

export interface CaptureDifference {
  kind: DifferenceKind;
  /** "client -> server" for segments, the endpoint's name for states. */
  where: string;
  /** 1-based position in that direction's segments or that endpoint's states. */
  index: number;
  /** When it happens (the earlier of the two sides), ms. */
  t: number;
  expected: string;
  actual: string;
  /** English template with {0}... placeholders (upper layers translate), its arguments, and the text. */
  template: string;
  args: string[];
  message: string;
}

export interface CaptureComparison {
  match: boolean;
  first?: CaptureDifference;
  differences: CaptureDifference[];
  /** What was compared (segments and states within the capture's duration). */
  segments: number;
  states: number;
}

export interface CompareOptions {
  /** Compare the PSH flag too (default true: Linux sets it on the last segment of a write). */
  psh?: boolean;
  /** The kernel's HZ (tick rate) for the timer-wheel slack; default the capture's, else 250. */
  hz?: number;
  /** Extra tolerance added to every time, ms (default 0). */
  slackMs?: number;
  /** Compare the connection states too (default true); a packet capture alone does not show them. */
  states?: boolean;
}

/** What a difference says: English templates, the l10n keys (the CLI translates them). */
export const DIFFERENCE_TEMPLATES = {
  segment: '{0}, segment {1}: the kernel sent {2} at {3} ms; the simulation sent {4} at {5} ms',
  'missing-segment': '{0}, segment {1}: the kernel sent {2} at {3} ms; the simulation sent nothing more',
  'extra-segment': '{0}, segment {1}: the simulation sent {2} at {3} ms; the kernel sent nothing more',
  'segment-time': '{0}, segment {1} ({2}): the kernel sent it at {3} ms, the simulation at {4} ms (tolerance {5} ms)',
  state: '{0}, state {1}: the kernel went to {2} at {3} ms; the simulation went to {4} at {5} ms',
  'missing-state': '{0}, state {1}: the kernel went to {2} at {3} ms; the simulation stayed in {4}',
  'extra-state': '{0}, state {1}: the simulation went to {2} at {3} ms; the kernel stayed in {4}',
  'state-time': '{0}, state {1} ({2}): the kernel reached it at {3} ms, the simulation at {4} ms (tolerance {5} ms)',
} as const;

function fill(template: string, args: string[]): string {
  return template.replace(/\{(\d+)\}/g, (_m, i: string) => args[Number(i)] ?? '');
}

function difference(kind: DifferenceKind, where: string, index: number, t: number, expected: string, actual: string, args: string[]): CaptureDifference {
  const template = DIFFERENCE_TEMPLATES[kind];
  return { kind, where, index, t, expected, actual, template, args, message: fill(template, args) };
}

const num = (n: number): string => String(Math.round(n * 1000) / 1000);

/** Granularity of the timer-wheel level that holds a timeout of `ms` (kernel/time/timer.c:
 *  LVL_CLK_SHIFT 3, 64 buckets per level). */
export function wheelSlack(ms: number, hz = 250): number {
  const jiffy = 1000 / hz;
  let granularity = jiffy;
  let reach = 64 * jiffy;
  while (ms >= reach && granularity < 1e7) {
    granularity *= 8;
    reach *= 8;
  }
  return granularity;
}

/** Map a trace endpoint name to the capture's: by address and port, else by name. */
function nameMap(doc: TraceDocument, capture: CaptureSummary): Map<string, string> {
  const map = new Map<string, string>();
  for (const e of doc.endpoints) {
    const same = capture.endpoints.find((c) => c.address === e.address && c.port === e.port) ?? capture.endpoints.find((c) => c.name === e.name);
    map.set(e.name, same ? same.name : e.name);
  }
  return map;
}

/** The simulation's segments (sent or injected) with their fate, in the capture's endpoint names. */
export function simulatedSegments(doc: TraceDocument, names: Map<string, string> = new Map()): RelativeSegment[] {
  const dropped = new Set(doc.events.filter((e) => e.kind === 'drop').map((e) => e.id));
  const wire = doc.events.filter((e): e is SendEvent | InjectEvent => e.kind === 'send' || e.kind === 'inject');
  const segments: WireSegment[] = wire.map((e) => {
    const options = (e as { options?: WireSegment['options'] }).options;
    const s: WireSegment = {
      t: e.t,
      from: names.get(e.from) ?? e.from,
      to: names.get(e.to) ?? e.to,
      flags: e.flags,
      seq: e.seq,
      ack: e.ack,
      len: e.len,
      dropped: dropped.has(e.id),
    };
    if (options) s.options = options;
    return s;
  });
  return relativeNumbers(segments);
}

/** The simulation's connection states per endpoint (the listener left out): a list of {t, state}. */
export function simulatedStates(events: readonly TraceEvent[], endpoint: string): { t: number; state: TcpState }[] {
  const out: { t: number; state: TcpState }[] = [];
  for (const e of events) {
    if (e.kind !== 'transition' || e.endpoint !== endpoint) continue;
    const { from, to } = e as TransitionEvent;
    if (to === 'LISTEN' && from === 'CLOSED') continue; // the listener opens
    if (from === 'LISTEN' && to === 'CLOSED') continue; // the listener closes
    if (out.length === 0 && from !== 'CLOSED' && from !== 'LISTEN') out.push({ t: e.t, state: from });
    // A passive connection reset in SYN-RECEIVED "returns to LISTEN": for the connection, it is gone.
    out.push({ t: e.t, state: from === 'SYN-RECEIVED' && to === 'LISTEN' ? 'CLOSED' : to });
  }
  return out;
}

function sameSegment(a: RelativeSegment, b: RelativeSegment, psh: boolean): boolean {
  const flags = (s: RelativeSegment): string => flagText(psh ? s.flags : s.flags.filter((f) => f !== 'PSH'));
  return flags(a) === flags(b) && a.relSeq === b.relSeq && a.relAck === b.relAck && a.len === b.len && a.dropped === b.dropped;
}

/** Per endpoint, the times it did or saw something: segments it sent, segments delivered to it, its
 *  application's calls. A timer that fires was armed at one of them. */
function endpointEventTimes(capture: CaptureSummary): Map<string, number[]> {
  const times = new Map<string, number[]>(capture.endpoints.map((e) => [e.name, []]));
  const add = (endpoint: string, t: number): void => {
    if (!times.has(endpoint)) times.set(endpoint, []);
    times.get(endpoint)!.push(t);
  };
  for (const p of capture.packets) {
    add(p.from, p.t);
    if (p.arrival !== null) add(p.to, p.arrival);
  }
  for (const c of capture.app) add(c.endpoint, c.t);
  for (const list of times.values()) list.sort((a, b) => a - b);
  return times;
}

/** How long an endpoint had been quiet before `t` (ms): since its latest event strictly before. */
function quietBefore(times: readonly number[], t: number): number {
  let latest = 0;
  for (const x of times) {
    if (x < t) latest = x;
    else break;
  }
  return Math.max(0, t - latest);
}

interface Pair {
  kernel: { t: number };
  simulated: { t: number };
  /** Whose timers decide the time: the sender of a segment, the endpoint of a state. */
  endpoint: string;
  where: string;
  index: number;
  label: string;
  spread: number;
}

/** What one of the three comparisons found: the pairs that match (for the times) and where it departs. */
interface Compared {
  pairs: Pair[];
  differences: CaptureDifference[];
}

/**
 * 1. Each direction's segments in order: the same flags, numbers, lengths and fate. A simulated
 * segment after the capture's end still answers a captured one (a timer the wheel fired a little
 * earlier in the kernel than in the profile, the capture's last segment); past what the kernel sent,
 * only what the capture could have seen (up to its end) is extra.
 */
function compareSegments(kernel: RelativeSegment[], simulated: RelativeSegment[], capture: CaptureSummary, psh: boolean): Compared {
  const spreadOf = new Map(kernel.map((s, i) => [s, repetitionSpread(capture, i)] as const));
  const pairs: Pair[] = [];
  const differences: CaptureDifference[] = [];
  const directions = [...new Set([...kernel, ...simulated].map((s) => `${s.from} -> ${s.to}`))];
  for (const where of directions) {
    const k = kernel.filter((s) => `${s.from} -> ${s.to}` === where);
    const m = simulated.filter((s) => `${s.from} -> ${s.to}` === where);
    for (let i = 0; i < Math.max(k.length, m.length); i++) {
      const a = k[i];
      const b = m[i];
      const n = String(i + 1);
      if (a && !b) {
        differences.push(difference('missing-segment', where, i + 1, a.t, segmentText(a), 'nothing', [where, n, segmentText(a), num(a.t)]));
        break;
      }
      if (b && !a) {
        if (b.t > capture.duration) break;
        differences.push(difference('extra-segment', where, i + 1, b.t, 'nothing', segmentText(b), [where, n, segmentText(b), num(b.t)]));
        break;
      }
      if (!a || !b) break;
      if (!sameSegment(a, b, psh)) {
        differences.push(difference('segment', where, i + 1, Math.min(a.t, b.t), segmentText(a), segmentText(b), [where, n, segmentText(a), num(a.t), segmentText(b), num(b.t)]));
        break;
      }
      pairs.push({ kernel: a, simulated: b, endpoint: a.from, where, index: i + 1, label: segmentText(a), spread: spreadOf.get(a) ?? 0 });
    }
  }
  return { pairs, differences };
}

/** 2. One endpoint's connection states in order (`simName`: its name in the trace). */
function compareStates(doc: TraceDocument, capture: CaptureSummary, endpoint: string, simName: string): Compared & { count: number } {
  const k: CaptureStateChange[] = captureStates(capture, endpoint);
  const m = simulatedStates(doc.events, simName).filter((s) => s.t <= capture.duration);
  const pairs: Pair[] = [];
  const differences: CaptureDifference[] = [];
  for (let i = 0; i < Math.max(k.length, m.length); i++) {
    const a = k[i];
    const b = m[i];
    const n = String(i + 1);
    if (a && !b) {
      const stayed = m.length > 0 ? m[m.length - 1].state : 'CLOSED';
      differences.push(difference('missing-state', endpoint, i + 1, a.t, a.state, stayed, [endpoint, n, a.state, num(a.t), stayed]));
      break;
    }
    if (b && !a) {
      const stayed = k.length > 0 ? k[k.length - 1].state : 'CLOSED';
      differences.push(difference('extra-state', endpoint, i + 1, b.t, stayed, b.state, [endpoint, n, b.state, num(b.t), stayed]));
      break;
    }
    if (!a || !b) break;
    if (a.state !== b.state) {
      differences.push(difference('state', endpoint, i + 1, Math.min(a.t, b.t), a.state, b.state, [endpoint, n, a.state, num(a.t), b.state, num(b.t)]));
      break;
    }
    // A polled time is known to the poll's period (2 ms nominal, slower on a loaded machine).
    const poll = a.source === 'poll' ? Math.max(2, ...Object.values(capture.meta.statePollMs ?? {})) : 0;
    pairs.push({ kernel: a, simulated: b, endpoint, where: endpoint, index: i + 1, label: a.state, spread: poll });
  }
  return { pairs, differences, count: k.length };
}

/**
 * 3. Times. A time matches when it is within tolerance of the kernel's either from the start (what
 * the applications caused happens at the scenario's absolute times) or relative to the previous
 * matched segment (what the kernel's timers caused carries their slack on to what follows).
 * `tolerance` is tol of the header for an endpoint at a time, with a pair's spread.
 */
function compareTimes(segmentPairs: Pair[], statePairs: Pair[], tolerance: (endpoint: string, t: number, spread: number) => number): CaptureDifference[] {
  const differences: CaptureDifference[] = [];
  const timeDifference = (kind: 'segment-time' | 'state-time', p: Pair, tol: number) =>
    difference(kind, p.where, p.index, Math.min(p.kernel.t, p.simulated.t), `${num(p.kernel.t)} ms`, `${num(p.simulated.t)} ms`, [p.where, String(p.index), p.label, num(p.kernel.t), num(p.simulated.t), num(tol)]);
  let offset = 0;
  const bySegments = [...segmentPairs].sort((x, y) => x.kernel.t - y.kernel.t);
  const offsetBefore = (t: number): number => {
    let last = 0;
    for (const p of bySegments) {
      if (p.kernel.t > t) break;
      last = p.simulated.t - p.kernel.t;
    }
    return last;
  };
  const late = (p: Pair, reference: number): number | undefined => {
    const tol = tolerance(p.endpoint, p.kernel.t, p.spread);
    const off = p.simulated.t - p.kernel.t;
    return Math.abs(off) <= tol || Math.abs(off - reference) <= tol ? undefined : tol;
  };
  for (const p of bySegments) {
    const tol = late(p, offset);
    if (tol !== undefined) {
      differences.push(timeDifference('segment-time', p, tol));
      break;
    }
    offset = p.simulated.t - p.kernel.t;
  }
  const seenState = new Set<string>();
  for (const p of statePairs) {
    if (seenState.has(p.where)) continue;
    const tol = late(p, offsetBefore(p.kernel.t));
    if (tol !== undefined) {
      seenState.add(p.where);
      differences.push(timeDifference('state-time', p, tol));
    }
  }
  return differences;
}

export function compareCapture(doc: TraceDocument, capture: CaptureSummary, options: CompareOptions = {}): CaptureComparison {
  const hz = options.hz ?? capture.meta.hz ?? 250;
  const names = nameMap(doc, capture);
  const times = endpointEventTimes(capture);
  const tolerance = (endpoint: string, t: number, extra: number): number =>
    1 + wheelSlack(quietBefore(times.get(endpoint) ?? [], t), hz) + extra + (options.slackMs ?? 0);
  const kernel = captureSegments(capture);
  const segments = compareSegments(kernel, simulatedSegments(doc, names), capture, options.psh ?? true);
  const differences = [...segments.differences];
  const statePairs: Pair[] = [];
  let stateCount = 0;
  for (const endpoint of options.states === false ? [] : capture.endpoints.map((e) => e.name)) {
    const simName = [...names.entries()].find(([, c]) => c === endpoint)?.[0] ?? endpoint;
    const states = compareStates(doc, capture, endpoint, simName);
    stateCount += states.count;
    differences.push(...states.differences);
    statePairs.push(...states.pairs);
  }
  differences.push(...compareTimes(segments.pairs, statePairs, tolerance));
  differences.sort((x, y) => x.t - y.t);
  const result: CaptureComparison = { match: differences.length === 0, differences, segments: kernel.length, states: stateCount };
  if (differences.length > 0) result.first = differences[0];
  return result;
}

/** A short stable key for a difference ("client -> server #4 segment"), for tables of expected results. */
export function differenceKey(d: CaptureDifference): string {
  return `${d.where} #${d.index} ${d.kind}`;
}
