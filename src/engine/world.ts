// The whole mutable state of a simulation, in plain objects, so that a snapshot is a cheap copy.
// Segments, fault patterns and trace events are immutable once made and are shared between copies.

import type { FaultRule } from './program';
import type { TcpFlag, TcpState, TimerName, TraceEvent } from './trace';

export const F_SYN = 1;
export const F_ACK = 2;
export const F_FIN = 4;
export const F_RST = 8;
export const F_PSH = 16;
export const F_URG = 32;

const FLAG_BITS: readonly [TcpFlag, number][] = [
  ['SYN', F_SYN],
  ['ACK', F_ACK],
  ['FIN', F_FIN],
  ['RST', F_RST],
  ['PSH', F_PSH],
  ['URG', F_URG],
];

/** One shared, frozen flag list per combination (trace events reference them). */
const FLAG_LISTS: TcpFlag[][] = [];
for (let mask = 0; mask < 64; mask++) {
  FLAG_LISTS.push(Object.freeze(FLAG_BITS.filter(([, bit]) => mask & bit).map(([name]) => name)) as TcpFlag[]);
}

export function flagsToMask(flags: readonly TcpFlag[]): number {
  let mask = 0;
  for (const flag of flags) for (const [name, bit] of FLAG_BITS) if (name === flag) mask |= bit;
  return mask;
}

export function maskToFlags(mask: number): TcpFlag[] {
  return FLAG_LISTS[mask & 63];
}

// Timers of a connection, in the order they fire when due at the same instant.
export const T_TIMEWAIT = 0;
export const T_RTX = 1;
export const T_PERSIST = 2;
export const T_DELACK = 3;
export const T_KEEPALIVE = 4;
export const T_USER = 5;
export const TIMER_COUNT = 6;
export const TIMER_NAMES: readonly TimerName[] = [
  'time-wait',
  'retransmission',
  'zero-window-probe',
  'delayed-ack',
  'keepalive',
  'user-timeout',
];

/** Out-of-order data held for reassembly (RFC 9293 3.10.7.4 seventh). */
export interface HeldSegment {
  readonly seq: number;
  readonly len: number;
  readonly fin: boolean;
}

/** A transmission control block (RFC 9293 3.3.1). */
export interface Tcb {
  /** Creation number within its host. */
  key: number;
  /** Index of the peer host. */
  peer: number;
  /** Trace label (the peer's name) when the host may hold several connections. */
  label: string | undefined;
  state: TcpState;
  /** Spawned by a listener (a passive OPEN): returns to LISTEN on RST in SYN-RECEIVED. */
  passive: boolean;
  iss: number;
  irs: number;
  sndUna: number;
  sndNxt: number;
  sndWnd: number;
  sndWl1: number;
  sndWl2: number;
  /** Sequence number just after the last byte the application has queued. */
  sndDataEnd: number;
  /** The user closed (or shut down) the sending side: a FIN follows sndDataEnd. */
  finQueued: boolean;
  /** `close` (not `shutdown`): the application will read no more. */
  appClosed: boolean;
  /** A zero-window probe byte is outstanding (sent without advancing SND.NXT). */
  probing: boolean;
  rcvNxt: number;
  /** Bytes received in order and not read by the application. */
  rcvQueue: number;
  /** Right edge of the window last advertised (RCV.NXT + RCV.WND when we last sent). */
  rcvAdvEdge: number;
  held: HeldSegment[];
  /** RFC 6298 estimator, microseconds; srtt < 0 until the first sample. */
  srtt: number;
  rttvar: number;
  rto: number;
  /** Karn: the segment being timed (ends at rttSeq), sent at rttAt; rttAt < 0 when none. */
  rttAt: number;
  rttSeq: number;
  /** Consecutive retransmission timeouts without progress. */
  retries: number;
  /** Duplicate ACKs in a row (RFC 5681 2). */
  dupAcks: number;
  /** Loss recovery (RFC 6582): after a retransmission, until SND.UNA reaches `recover`. */
  recovering: boolean;
  recover: number;
  persistBackoff: number;
  keepaliveProbes: number;
  lastHeardAt: number;
  /** In-order segments received since our last ACK (delayed ACK: ACK every second one). */
  unackedSegments: number;
  timerAt: number[];
  timerLine: number[];
  /** Earliest armed timer, Infinity when none. */
  nextTimer: number;
}

export interface Host {
  listening: boolean;
  crashed: boolean;
  /** Live connections, oldest first; a TCB that reaches CLOSED (or LISTEN) is removed. */
  conns: Tcb[];
  /** Bytes delivered to the application so far. */
  received: number;
  nextKey: number;
  /** RFC 9293 3.4.1 ISN clock: ISN(t) = issBase + (t - issBaseAt) / 4 us; issBaseAt < 0 until first use. */
  issBase: number;
  issBaseAt: number;
}

/** A segment on the wire. Immutable once sent. */
export interface Segment {
  readonly id: string;
  readonly from: number;
  readonly to: number;
  readonly flags: number;
  readonly seq: number;
  readonly ack: number;
  readonly len: number;
  readonly wnd: number;
  readonly sentAt: number;
  readonly arrivesAt: number;
  /** Insertion order: ties in arrival time keep it. */
  readonly order: number;
  readonly corrupt: boolean;
  /** Lost in the network: dropped on arrival with this reason. */
  readonly drop: string | undefined;
  readonly line: number | undefined;
}

/** A fault rule, its pattern resolved to host indices and a flag mask. Immutable. */
export interface Fault {
  readonly rule: FaultRule;
  readonly from: number;
  readonly to: number;
  /** Exact flag set, or -1 for any. */
  readonly flags: number;
  readonly data: boolean;
}

export interface World {
  /** Virtual time, microseconds. */
  now: number;
  /** Index of the next scenario statement to run. */
  nextStatement: number;
  segmentCounter: number;
  order: number;
  /** Sorted by (arrivesAt, order). */
  inFlight: Segment[];
  hosts: Host[];
  faults: Fault[];
  faultsLeft: number[];
  /** One PRNG state per declared link. */
  rng: number[];
  /** Events produced by the current atomic action and not yet handed out by step(). */
  pending: TraceEvent[];
  pendingHead: number;
  /** expect-segment statements waiting for their instant to settle. */
  deferred: number[];
  /** Atomic actions run at the current instant so far (a guard against endless zero-delay loops). */
  sameInstant: number;
  done: boolean;
}

export function newTimers(): number[] {
  return [-1, -1, -1, -1, -1, -1];
}

function cloneTcb(t: Tcb): Tcb {
  return { ...t, held: t.held.slice(), timerAt: t.timerAt.slice(), timerLine: t.timerLine.slice() };
}

function cloneHost(h: Host): Host {
  return { ...h, conns: h.conns.map(cloneTcb) };
}

export function cloneWorld(w: World): World {
  return {
    now: w.now,
    nextStatement: w.nextStatement,
    segmentCounter: w.segmentCounter,
    order: w.order,
    inFlight: w.inFlight.slice(),
    hosts: w.hosts.map(cloneHost),
    faults: w.faults.slice(),
    faultsLeft: w.faultsLeft.slice(),
    rng: w.rng.slice(),
    pending: w.pending.slice(w.pendingHead),
    pendingHead: 0,
    deferred: w.deferred.slice(),
    sameInstant: w.sameInstant,
    done: w.done,
  };
}

/** mulberry32: a tiny seeded generator; its state lives in the world so snapshots replay it. */
export function nextRandom(rng: number[], index: number): number {
  let t = (rng[index] = (rng[index] + 0x6d2b79f5) >>> 0);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
