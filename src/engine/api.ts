// The engine's public surface, as the debugger, the CLI and the tests use it.
// Implemented by `Simulation` in ./simulation.ts; re-exported from ./index.ts.

import type { Action, FaultRule, Program } from './program';
import type { AppCall, SegmentFields, TcpState, TimerName, TraceEvent } from './trace';

/** One connection's transmission control block, as shown in the debugger's Variables view. */
export interface TcbView {
  endpoint: string;
  /** Connection label when the endpoint holds several (the peer's name); undefined otherwise. */
  conn?: string;
  state: TcpState;
  local: string;
  remote?: string;
  ISS: number;
  IRS: number;
  'SND.UNA': number;
  'SND.NXT': number;
  'SND.WND': number;
  'SND.WL1': number;
  'SND.WL2': number;
  'RCV.NXT': number;
  'RCV.WND': number;
  /** Bytes the application has queued that are not yet sent. */
  sendQueue: number;
  /** Bytes sent and not yet acknowledged. */
  unacked: number;
  /** Bytes received in order and not yet read by the application. */
  receiveQueue: number;
  /** Bytes received out of order, held for reassembly. */
  outOfOrder: number;
  /** Congestion window and slow-start threshold, bytes (RFC 5681). */
  cwnd: number;
  ssthresh: number;
  /** Bytes the sender counts as in the network (RFC 5681 FlightSize; during recovery, less what is presumed lost or reported by duplicate ACKs). */
  flightSize: number;
  /** Loss recovery: open, recovery (after a fast retransmit) or loss (after a retransmission timeout). */
  recovery: 'open' | 'recovery' | 'loss';
  /** The size of a full segment this connection sends (bytes): the smaller MSS of the two SYNs, less the timestamps option. */
  mss?: number;
  /**
   * What both SYNs agreed on (RFC 7323, RFC 2018): the peer's MSS option, the window shifts each way
   * (absent without window scaling), SACK and timestamps. Absent when this host offers no options.
   */
  options?: { peerMss?: number; wscale?: { send: number; receive: number }; sack: boolean; timestamps: boolean };
  /** Smoothed RTT, RTT variance and current RTO (ms), RFC 6298 (the linux profile: the kernel's estimator). */
  srtt?: number;
  rttvar?: number;
  rto: number;
  timers: { name: TimerName; expires: number }[];
}

/** The latest result of one of an endpoint's calls (what `expect NAME CALL ok|failed` checks). */
export interface CallResult {
  call: AppCall;
  /** When the result came (ms): the call itself, or later for an error reported afterwards (a refused connect). */
  t: number;
  ok: boolean;
  /** RFC 9293's words, and the errno Linux returns (absent where Linux reports no error). */
  error?: string;
  errno?: string;
}

export interface EndpointView {
  name: string;
  address: string;
  port: number;
  listening: boolean;
  crashed: boolean;
  /** The endpoint's state as `expect NAME is STATE` sees it: its newest connection's, else LISTEN or CLOSED. */
  state: TcpState;
  connections: TcbView[];
  /** Total bytes delivered to the application so far. */
  received: number;
  /** `endpoint NAME raw`: no TCP of its own. */
  raw?: true;
  /** The latest result of each call the application has made (listen, connect, send, receive, close, shutdown, abort). */
  calls?: CallResult[];
}

/** A segment on the wire: its header fields, when it left and when it arrives. */
export interface InFlightView extends SegmentFields {
  /** ms */
  sentAt: number;
  /** ms */
  arrivesAt: number;
  corrupt: boolean;
  /** Set when the network will lose it (a fault rule's text, or "loss"); it is dropped on arrival. */
  drop?: string;
}

export interface WorldView {
  /** Virtual time, ms. */
  now: number;
  endpoints: EndpointView[];
  inFlight: InFlightView[];
  /**
   * The next scenario statement not yet run, if any, and when it runs (ms). After a `wait` that
   * time is known only once the wait finished; `waiting`: this statement is a wait that has begun
   * (at `at`) and not finished.
   */
  nextStatement?: { index: number; line: number; at: number; waiting?: true };
  done: boolean;
}

/** Opaque, immutable copy of the whole world; restoring it is deterministic. */
export interface SimSnapshot {
  readonly traceLength: number;
}

export interface SimulationApi {
  readonly program: Program;
  /** Every event produced so far (append-only, truncated by restore; Simulation.forgetTrace() drops the older ones). */
  readonly trace: readonly TraceEvent[];
  readonly done: boolean;
  /** How many scenario statements have run (the debugger's cursor; cheaper than `view()`). */
  readonly statementsRun: number;
  /** Produce exactly one more trace event and return it; undefined when the run is over. */
  step(): TraceEvent | undefined;
  /** Step until done or `maxEvents` more events; returns how many were produced. */
  run(maxEvents?: number): number;
  snapshot(): SimSnapshot;
  restore(snapshot: SimSnapshot): void;
  view(): WorldView;
  /** Add a fault rule from now on (the debug console's "drop the next ..."); noted in the trace. */
  addFault(rule: FaultRule): void;
  /** Drop a segment that is in flight now; noted in the trace as a drop with reason "debug console". */
  dropInFlight(id: string): boolean;
  /** Put a crafted segment on a link now (the debug console's `inject`); noted in the trace with `text` first. */
  injectNow(action: Extract<Action, { kind: 'inject' }>, text: string): void;
}
