// The whole mutable state of a simulation, in plain objects, so that a snapshot is a cheap copy.
// Segments, fault patterns and trace events are immutable once made and are shared between copies.

import type { CongestionState } from './congestion/state';
import { cloneLinux, type LinuxState } from './tcp/linux/state';
import type { NetState } from './network';
import { cloneNet } from './network';
import type { Settings } from './program';
import type { RttEstimator } from './rtt';
import type { AppEvent, TcpFlag, TcpOptions, TcpState, TraceEvent } from './trace';
import type { Timers } from './timers';

/** Out-of-order data held for reassembly (RFC 9293 3.10.7.4 seventh). */
export interface HeldSegment {
  readonly seq: number;
  readonly len: number;
  readonly fin: boolean;
  /** It arrived right after held data it continues (the linux profile: the kernel coalesced it, tcp_ooo_try_coalesce). */
  readonly joined: boolean;
}

/** What both SYNs carried (tcp/options.ts): RFC 7323 window scale and timestamps, RFC 2018 SACK. */
export interface TcbOptions {
  /** The MSS option the peer sent, 0 none. */
  peerMss: number;
  sackOk: boolean;
  tsOk: boolean;
  /** The peer's window shift (we scale the windows it advertises by it: done by the wire here), -1 when no scaling was agreed. */
  sndWscale: number;
  /** Our shift: the windows we advertise are multiples of 2^rcvWscale. */
  rcvWscale: number;
  /** Our timestamp clock's offset, and the peer's newest timestamp (TS.Recent, echoed in ours). */
  tsOffset: number;
  tsRecent: number;
  /** Out-of-order data in the order it arrived, newest first (a sequence number inside each block), for SACK blocks. */
  sackRecent: number[];
  /** A D-SACK block to report on the next ACK (left === right: none). */
  dsackLeft: number;
  dsackRight: number;
}

/** A transmission control block (RFC 9293 3.3.1), with its RFC 6298 estimator and its timers. */
export interface Tcb extends RttEstimator, Timers {
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
  /** The size of a full segment this connection sends: the smaller MSS of the two, less the timestamps option. */
  mss: number;
  /** The options both SYNs agreed on; undefined when this host offers none. */
  opts: TcbOptions | undefined;
  /** The linux profile's kernel state (tcp/linux/state.ts); undefined in the rfc profile. */
  lx: LinuxState | undefined;
  /**
   * Bytes the application has queued and that are not sent yet (beyond SND.NXT). A byte count, a
   * plain number exact to 2^53, kept apart from the sequence numbers, which wrap at 2^32.
   */
  sndQueued: number;
  /** The user closed (or shut down) the sending side: a FIN follows the queued data. */
  finQueued: boolean;
  /** Our FIN has gone out: it is the last sequence number sent (SND.NXT - 1). */
  finSent: boolean;
  /** `close` (not `shutdown`): the application will read no more. */
  appClosed: boolean;
  /** The application shut its reading down (`close`, `shutdown read|both`): the kernel's RCV_SHUTDOWN. */
  readShut: boolean;
  /** A zero-window probe byte is outstanding (sent without advancing SND.NXT). */
  probing: boolean;
  rcvNxt: number;
  /** Bytes received in order and not read by the application. */
  rcvQueue: number;
  /**
   * `receive N` calls waiting for N bytes (in order of the calls): the bytes the first has taken
   * from the queue so far, and each one's scenario line. Replaced, never changed in place (a
   * snapshot shares it).
   */
  rcvWaits: readonly { bytes: number; copied: number; line: number | undefined }[];
  /** Right edge of the window last advertised (RCV.NXT + RCV.WND when we last sent). */
  rcvAdvEdge: number;
  /** Out-of-order segments, sorted by sequence number, from `heldHead` on (a queue: taken from the front). */
  held: HeldSegment[];
  heldHead: number;
  /** Consecutive retransmission timeouts without progress. */
  retries: number;
  /** Times our SYN (or SYN,ACK) was sent again (RFC 6298 (5.7), RFC 5681 3.1). */
  synRetransmits: number;
  /** Duplicate ACKs in a row (RFC 5681 2). */
  dupAcks: number;
  /** The congestion controller's state (../congestion). */
  cc: CongestionState;
  // Loss recovery (tcp/recovery.ts).
  /** OPEN, RECOVERY (after a fast retransmit) or LOSS (after a timeout), see tcp/recovery.ts. */
  recovery: number;
  /** One past the highest sequence number sent when the loss was detected (RFC 6582 `recover`, the kernel's high_seq). */
  recover: number;
  /** Presumed lost and not yet sent again: [rtxNext, lostEnd); retransmitted before new data as the window allows. */
  rtxNext: number;
  lostEnd: number;
  /** Bytes the duplicate ACKs say have left the network (the kernel's reno sacked_out; PRR's pipe). */
  sacked: number;
  /** RFC 6937 PRR: delivered and sent since recovery began, cwnd when it began (bytes). */
  prrDelivered: number;
  prrOut: number;
  priorCwnd: number;
  /** The current timeout episode found only our FIN outstanding: its window change goes without notes. */
  quietLoss: boolean;
  /** When data last went out (µs), -1 before: RFC 5681 4.1 restart after idle. */
  lastSendAt: number;
  /** The kernel's tcp_is_cwnd_limited: the last window was used up; the largest flight in it; where it ends. */
  cwndLimited: boolean;
  maxFlight: number;
  cwndUsageSeq: number;
  /** Nagle's algorithm is holding a small segment back (its note was shown). */
  nagleHeld: boolean;
  /** End of the last segment smaller than the MSS sent (the kernel's snd_sml, Minshall's variant of Nagle). */
  smallEnd: number;
  /** Bytes a send could not queue for lack of send buffer (`sndbuf`), and the line of that send. */
  sndBlocked: number;
  blockedLine: number;
  persistBackoff: number;
  keepaliveProbes: number;
  lastHeardAt: number;
  /** In-order segments received since our last ACK (delayed ACK: ACK every second one). */
  unackedSegments: number;
}

export interface Host {
  /** `endpoint NAME raw`: no TCP; segments to it are delivered and never answered. */
  raw: boolean;
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
  /** The latest `app` event of each call (by CALL_INDEX), what `expect NAME CALL ok|failed` reads. Events are immutable. */
  lastCalls: (AppEvent | undefined)[];
}

export interface World {
  /** Virtual time, microseconds. */
  now: number;
  /** Index of the next scenario statement to run. */
  nextStatement: number;
  /** The network: segments in flight, fault rules and their counters, the links' generators. */
  net: NetState;
  hosts: Host[];
  /** Events produced by the current atomic action and not yet handed out by step(). */
  pending: TraceEvent[];
  pendingHead: number;
  /** expect-segment statements waiting for their instant to settle. */
  deferred: number[];
  /** Atomic actions run at the current instant so far (a guard against endless zero-delay loops). */
  sameInstant: number;
  done: boolean;
  /**
   * Each host's settings: the profile's, the scenario's, the endpoint's, then what `NAME set` changed
   * during the run. Replaced, never changed in place (a snapshot shares them).
   */
  settings: Settings[];
  /** Each host's application reads data as it arrives (the `autoread` setting, resolved). */
  autoread: boolean[];
  /** When the previous statement ran (a `wait`: when it finished), microseconds: statements after a wait count from it. */
  lastRunAt: number;
  /** statements[nextStatement] is a `wait` that has begun and not finished yet. */
  waiting: boolean;
  /** When that wait began (microseconds). */
  waitSince: number;
  /** `end +D` after a wait: when the run stops, once known (microseconds), else -1. */
  endAt: number;
  /** An `expect next` that waits: when it stops waiting and fails (microseconds); Infinity otherwise. */
  waitDeadline: number;
  /** Segments sent on the pairs some `expect next` watches, not yet taken by one, in the order sent. */
  outbox: OutboxEntry[];
}

/** A segment `expect next` may take (src/engine/expectNext.ts). Immutable. */
export interface OutboxEntry {
  /** When it was sent, microseconds. */
  t: number;
  id: string;
  from: number;
  to: number;
  flags: TcpFlag[];
  seq: number;
  ack: number;
  len: number;
  wnd: number;
  options?: TcpOptions;
}

function cloneTcb(t: Tcb): Tcb {
  const copy: Tcb = { ...t, held: t.held.slice(t.heldHead), heldHead: 0, cc: { ...t.cc }, timerAt: t.timerAt.slice(), timerLine: t.timerLine.slice() };
  if (t.opts !== undefined) copy.opts = { ...t.opts, sackRecent: t.opts.sackRecent.slice() };
  if (t.lx !== undefined) copy.lx = cloneLinux(t.lx);
  return copy;
}

function cloneHost(h: Host): Host {
  return { ...h, conns: h.conns.map(cloneTcb), lastCalls: h.lastCalls.slice() };
}

export function cloneWorld(w: World): World {
  return {
    now: w.now,
    nextStatement: w.nextStatement,
    net: cloneNet(w.net),
    hosts: w.hosts.map(cloneHost),
    pending: w.pending.slice(w.pendingHead),
    pendingHead: 0,
    deferred: w.deferred.slice(),
    sameInstant: w.sameInstant,
    done: w.done,
    settings: w.settings.slice(),
    autoread: w.autoread.slice(),
    lastRunAt: w.lastRunAt,
    waiting: w.waiting,
    waitSince: w.waitSince,
    endAt: w.endAt,
    waitDeadline: w.waitDeadline,
    outbox: w.outbox.slice(),
  };
}
