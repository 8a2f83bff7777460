// The trace: the one format the debugger, the diagram and the CLI share (a contract,
// see docs/trace.md). Every event has `t` (virtual time in milliseconds, may be
// fractional), `kind`, and `line` (1-based scenario line that caused it, where there is one).

/** RFC 9293 state names, with hyphens. */
export type TcpState =
  | 'CLOSED'
  | 'LISTEN'
  | 'SYN-SENT'
  | 'SYN-RECEIVED'
  | 'ESTABLISHED'
  | 'FIN-WAIT-1'
  | 'FIN-WAIT-2'
  | 'CLOSE-WAIT'
  | 'CLOSING'
  | 'LAST-ACK'
  | 'TIME-WAIT';

export const TCP_STATES: readonly TcpState[] = [
  'CLOSED',
  'LISTEN',
  'SYN-SENT',
  'SYN-RECEIVED',
  'ESTABLISHED',
  'FIN-WAIT-1',
  'FIN-WAIT-2',
  'CLOSE-WAIT',
  'CLOSING',
  'LAST-ACK',
  'TIME-WAIT',
];

/** Control flags, always listed in this order in a trace. */
export type TcpFlag = 'SYN' | 'ACK' | 'FIN' | 'RST' | 'PSH' | 'URG';
export const FLAG_ORDER: readonly TcpFlag[] = ['SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG'];

export type TimerName =
  | 'retransmission'
  | 'time-wait'
  | 'keepalive'
  | 'delayed-ack'
  | 'user-timeout'
  | 'zero-window-probe'
  // The linux profile: the tail loss probe (RFC 8985), RACK's reordering timer, an orphaned FIN-WAIT-2 (tcp_fin_timeout).
  | 'loss-probe'
  | 'reordering'
  | 'fin-wait-2';
export type AppCall = 'listen' | 'connect' | 'send' | 'receive' | 'close' | 'shutdown' | 'abort' | 'crash' | 'restart';

interface Base {
  /** Virtual time, milliseconds. */
  t: number;
  /** Scenario line (1-based) that caused the event, where there is one. */
  line?: number;
  /**
   * Id of the rule the engine applied when it made this event (see src/engine/rules.ts and the
   * document's `rules`), set where the decision is made. Absent on events the scenario itself
   * caused (statements, injected segments, fault rules, expectations). On a `deliver` event it
   * says why the receiver discarded the segment without answering.
   */
  rule?: string;
}

/** Where a rule is written and what it says (`TraceDocument.rules`). */
export interface RuleInfo {
  /** `RFC 9293 3.10.7.4`, `RFC 6298 (5.4)`, or a kernel function such as `tcp_input.c __tcp_ack_snd_check`. */
  source: string;
  /** One English sentence in the project's own words. */
  summary: string;
  /** The RFC section at rfc-editor.org, or the kernel source. */
  url: string;
}

/** TCP options of a segment (the linux profile sends them; a scenario may turn them on in rfc). SACK blocks are absolute sequence numbers. */
export interface TcpOptions {
  mss?: number;
  wscale?: number;
  sackPermitted?: boolean;
  ts?: { val: number; ecr: number };
  sack?: { left: number; right: number }[];
}

export interface SegmentFields {
  /** Segment id, unique within a run ("s1", "s2", ...). Copies made by a duplicate fault get their own id. */
  id: string;
  from: string;
  to: string;
  flags: TcpFlag[];
  /** Absolute sequence number (mod 2^32). */
  seq: number;
  /** Absolute acknowledgment number (0 when ACK is not set). */
  ack: number;
  /** Payload length in bytes (SYN and FIN not counted). */
  len: number;
  wnd: number;
  options?: TcpOptions;
}

export interface SendEvent extends Base, SegmentFields {
  kind: 'send';
  retransmission: boolean;
  /** Optional extras: set for segments that are keep-alive or zero-window probes. */
  probe?: 'keepalive' | 'zero-window';
  injected?: boolean;
  /**
   * The sender's congestion window (bytes) as it sends this segment, on segments that occupy
   * sequence space (data, SYN, FIN) from a connection: what the diagram's cwnd plot draws. Read
   * after the sender's window arithmetic for the ACK or timeout that let the segment out.
   */
  cwnd?: number;
  /** The sender's ssthresh (bytes) with `cwnd`; absent while it is still the initial, arbitrarily high one (RFC 5681 3.1). */
  ssthresh?: number;
}

/** A crafted segment from an `inject` statement. */
export interface InjectEvent extends Base, SegmentFields {
  kind: 'inject';
  retransmission: false;
  injected: true;
}

export interface DeliverEvent extends Base {
  kind: 'deliver';
  id: string;
  to: string;
}

export interface DropEvent extends Base {
  kind: 'drop';
  id: string;
  /** A fault rule (its text, e.g. "drop client -> server ACK once"), "corrupt", "loss", "no listener", "crashed", "checksum". */
  reason: string;
}

export interface DuplicateEvent extends Base {
  kind: 'duplicate';
  /** The original segment. */
  id: string;
  /** The id of the copy (which then has its own deliver/drop). */
  copy: string;
}

export interface TransitionEvent extends Base {
  kind: 'transition';
  endpoint: string;
  /** Connection label when an endpoint holds several (e.g. the peer's name); absent otherwise. */
  conn?: string;
  from: TcpState;
  to: TcpState;
  /** What caused it: a user call ("connect"), a segment id ("s3"), or a timer ("time-wait"). */
  cause: string;
}

export interface TimerEvent extends Base {
  kind: 'timer';
  endpoint: string;
  conn?: string;
  name: TimerName;
  action: 'start' | 'cancel' | 'fire';
  /** For start: when it will fire (ms). */
  expires?: number;
}

export interface AppEvent extends Base {
  kind: 'app';
  endpoint: string;
  call: AppCall;
  bytes?: number;
  /** Error returned to the user, in RFC 9293's words, e.g. "connection refused", "connection reset". */
  error?: string;
  /**
   * The errno Linux returns for it (`ECONNREFUSED`, `ECONNRESET`, `EPIPE`, `ETIMEDOUT`...; see
   * src/engine/errno.ts), set where the error is decided. Absent when the call did not fail, and
   * where Linux reports no error for what RFC 9293 calls one (a read at the end of the data: 0).
   */
  errno?: string;
}

export interface DataEvent extends Base {
  kind: 'data';
  endpoint: string;
  conn?: string;
  bytes: number;
}

export interface ExpectEvent extends Base {
  kind: 'expect';
  ok: boolean;
  message: string;
  /** What was expected and what happened, for failures (debugger exceptionInfo, CLI report). */
  expected?: string;
  actual?: string;
}

/** An informational note (e.g. "retransmission limit reached", "fault injected from the debug console"). */
export interface NoteEvent extends Base {
  kind: 'note';
  endpoint?: string;
  message: string;
}

export type TraceEvent =
  | SendEvent
  | InjectEvent
  | DeliverEvent
  | DropEvent
  | DuplicateEvent
  | TransitionEvent
  | TimerEvent
  | AppEvent
  | DataEvent
  | ExpectEvent
  | NoteEvent;

export type TraceKind = TraceEvent['kind'];

/** The JSON document `tcpscenario trace` prints. */
export interface TraceDocument {
  version: 1;
  scenario?: string;
  profile: string;
  /** `raw`: the endpoint has no TCP of its own (`endpoint NAME raw`): it sends only injected segments. */
  endpoints: { name: string; address: string; port: number; isn?: number; raw?: true }[];
  events: TraceEvent[];
  /** The rules the events' `rule` ids name, by id. */
  rules?: Record<string, RuleInfo>;
  /** Set when a limit cut the run (src/run/run.ts): which limit, its value, and a sentence saying how to raise it. */
  limit?: RunLimit;
}

/** A cap that cut a run short: `events` produced or wall-time `seconds`. */
export interface RunLimit {
  kind: 'events' | 'seconds';
  value: number;
  message: string;
}

// How people write flags (Wireshark, the RFC's figures, textbooks): ACK last, so
// "SYN,ACK", "FIN,ACK", "RST,ACK". The trace keeps FLAG_ORDER; views show this.
const LABEL_ORDER: readonly TcpFlag[] = ['SYN', 'FIN', 'RST', 'PSH', 'URG', 'ACK'];

export function flagLabel(flags: readonly string[]): string {
  return LABEL_ORDER.filter((flag) => flags.includes(flag)).join(',');
}
