// What the language compiles a scenario into and the engine runs: plain data, no behaviour.
// Times are integer microseconds of virtual time (the ISN clock ticks every 4 us).

import type { AppCall, TcpFlag, TcpOptions, TcpState } from './trace';

export type ProfileName = 'rfc' | 'linux';

/** Knobs a scenario may `set`; anything left out comes from the profile. Durations in microseconds. */
export interface Settings {
  msl: number;
  /** Initial retransmission timeout (RFC 6298 2.1: 1 s). */
  rto: number;
  rtoMin: number;
  rtoMax: number;
  /** Retransmissions of a data/FIN segment before giving up. */
  retries: number;
  /** Retransmissions of a SYN before giving up. */
  synRetries: number;
  /** Keep-alive: enabled, idle time before the first probe, interval between probes, probes before giving up. */
  keepalive: boolean;
  keepaliveIdle: number;
  keepaliveInterval: number;
  keepaliveProbes: number;
  /** Delayed ACK timeout; 0 = ACK at once. */
  delayedAck: number;
  /** User timeout (RFC 9293 3.10.8); 0 = none. */
  userTimeout: number;
  mss: number;
  /** Receive buffer size, the initial advertised window. */
  rcvBuf: number;
  /** Linux: closing with unread data sends RST instead of FIN. */
  rstOnCloseWithUnread: boolean;
  /** TIME-WAIT length; defaults to 2*msl. */
  timeWait: number;
  /**
   * The application reads everything as soon as it arrives. Default: true for an endpoint
   * that no `receive` statement names, false for one that has `receive` statements.
   */
  autoread?: boolean;
  /** Fast retransmit (RFC 5681 3.2) after this many duplicate ACKs; 0 = off. Profile default: 3. */
  fastRetransmit?: number;
  /** Congestion control algorithm (rfc: NewReno, RFC 5681/6582; linux: CUBIC, RFC 9438). */
  cc: 'newreno' | 'cubic';
  /** Initial window in full-sized segments; 0 = RFC 5681 3.1 (2 to 4 by SMSS). linux: 10 (RFC 6928). */
  initCwnd: number;
  /** Limited transmit (RFC 3042): a new segment on each of the first two duplicate ACKs. */
  limitedTransmit: boolean;
  /** Turn Nagle's algorithm (RFC 896, RFC 1122 4.2.3.4) off (TCP_NODELAY). */
  nodelay: boolean;
  /** Send buffer in bytes (queued plus unacknowledged data); a send that does not fit waits. 0 = unlimited. */
  sndBuf: number;
  /** RFC 2018 SACK: offer SACK-permitted in the SYN; when both sides did, ACKs carry SACK blocks and the sender recovers by them. */
  sack: boolean;
  /** RFC 7323 timestamps on every segment once both SYNs carried them (12 bytes of options: a full segment carries MSS - 12). */
  timestamps: boolean;
  /** RFC 7323 window scaling: offer a window scale in the SYN (the shift Linux computes from its largest receive buffer). */
  windowScaling: boolean;
  /** SYN retransmissions 1 RTO apart before the back-off doubles (Linux tcp_syn_linear_timeouts; 0 = doubling at once). */
  synLinearTimeouts: number;
  /** An orphaned FIN-WAIT-2 (the application closed) is deleted after this long (Linux tcp_fin_timeout); 0 = never. */
  finTimeout: number;
  /**
   * The Linux kernel's algorithms where they differ from the RFCs' text (the linux profile,
   * src/engine/tcp/linux/): its ACK policy (quick-ACK, delayed ACK, ping-pong), receive window,
   * RTO estimator, retransmission queue with RACK-TLP, resets, persist probes, and the bookkeeping
   * around the congestion controller (PRR, tcp_is_cwnd_limited, tcp_cwnd_restart, tcp_init_transfer,
   * tcp_enter_loss).
   */
  kernel: boolean;
  /**
   * SO_LINGER in microseconds: absent or -1 = off; 0 = `close` aborts the connection with a RST
   * (tcp.c __tcp_close); more = `close` would block up to that long for the FIN to be acknowledged
   * (calls never block here, so what goes out is the same as off).
   */
  linger?: number;
}

export interface EndpointDecl {
  name: string;
  address: string;
  /** Port used by listen and as the local port of connect. */
  port: number;
  /** ISS of the first connection; later ones follow the RFC 9293 3.4.1 clock. */
  isn?: number;
  /** Per-endpoint settings overrides (`endpoint client rcvbuf=1000`). */
  settings: Partial<Settings>;
  line: number;
  /** `endpoint NAME raw`: no TCP of its own; it sends only what `inject` says and never answers. */
  raw?: boolean;
}

export interface LinkDecl {
  a: string;
  b: string;
  delay: number;
  jitter: number;
  /** Probabilities in [0, 1], drawn from a generator seeded with `seed`. */
  loss: number;
  duplicate: number;
  reorder: number;
  corrupt: number;
  seed: number;
  line: number;
}

/** Which segments a fault rule or an expectation matches. Absent fields match anything. */
export interface SegmentPattern {
  from: string;
  to: string;
  /** Exact flag set (order irrelevant); `data` means len > 0 whatever the flags. */
  flags?: TcpFlag[];
  data?: boolean;
  seq?: number;
  ack?: number;
  len?: number;
}

export type FaultKind = 'drop' | 'duplicate' | 'corrupt' | 'delay' | 'reorder';

export interface FaultRule {
  kind: FaultKind;
  pattern: SegmentPattern;
  /** How many matching segments it applies to; Infinity = always. */
  count: number;
  /** For delay: extra delay in microseconds. */
  by?: number;
  /** Source text of the rule, used as the drop reason in the trace. */
  text: string;
}

export type Action =
  | { kind: 'listen'; endpoint: string }
  | { kind: 'connect'; endpoint: string; peer: string }
  // `conn` (optional, a peer endpoint's name) picks one of several connections; default: the newest.
  | { kind: 'send'; endpoint: string; bytes: number; text?: string; conn?: string }
  | { kind: 'receive'; endpoint: string; bytes?: number; conn?: string }
  | { kind: 'close'; endpoint: string; conn?: string }
  // `how`: what `shutdown` shuts (SHUT_RD, SHUT_WR, SHUT_RDWR); absent = write, the FIN.
  | { kind: 'shutdown'; endpoint: string; conn?: string; how?: 'read' | 'both' }
  | { kind: 'abort'; endpoint: string; conn?: string }
  | { kind: 'crash'; endpoint: string }
  | { kind: 'restart'; endpoint: string }
  | { kind: 'fault'; rule: FaultRule }
  // `NAME set key=value`: the endpoint's socket options change from now on; `text` as written.
  | { kind: 'set'; endpoint: string; settings: Partial<Settings>; text: string }
  | { kind: 'inject'; from: string; to: string; flags: TcpFlag[]; seq: number; ack: number; len: number; wnd?: number; options?: TcpOptions }
  | { kind: 'expect-state'; endpoint: string; state: TcpState; conn?: string }
  | { kind: 'expect-segment'; pattern: SegmentPattern }
  | { kind: 'expect-received'; endpoint: string; bytes: number }
  // The connection's congestion window or slow-start threshold (bytes); `conn` picks one of several.
  | { kind: 'expect-window'; endpoint: string; variable: 'cwnd' | 'ssthresh'; bytes: number; conn?: string }
  // The latest result of CALL by the endpoint: ok, or failed (with this errno or this error text, when given).
  | { kind: 'expect-call'; endpoint: string; call: AppCall; ok: boolean; errno?: string; error?: string }
  // `wait until ...`: the timeline holds until the endpoint is in the state (or has received that many bytes).
  | { kind: 'wait-state'; endpoint: string; state: TcpState; conn?: string }
  | { kind: 'wait-received'; endpoint: string; bytes: number }
  // `expect next A -> B ...`: the timeline holds until A sends B its next segment (after the one the
  // previous `expect next` took), which must match, within `early` before and `late` after the time
  // the statement runs (µs; Infinity: any time). packetdrill's `>` lines (docs/packetdrill.md).
  | { kind: 'expect-next'; pattern: NextPattern; early: number; late: number };

/** What `expect next` checks of a segment (absent: not checked). */
export interface NextPattern {
  from: string;
  to: string;
  /** The exact set of flags ([] for none at all). */
  flags: TcpFlag[];
  seq?: number;
  ack?: number;
  len?: number;
  /** The window as the sender means it (after scaling), as the trace's `wnd`. */
  wnd?: number;
  /** The TCP options it carries ('none': no option at all); timestamps' values are not compared. */
  options?: TcpOptions | 'none';
  /** Consecutive data segments may make it up together (what a NIC's TSO or GSO splits). */
  joined?: boolean;
}

export interface Statement {
  /**
   * Absolute virtual time in microseconds at which it runs. After a `wait` (whose end is known only
   * at run time) it is the earliest time it can run: its time as if every wait finished at once.
   */
  at: number;
  /** 1-based source line. */
  line: number;
  action: Action;
  /**
   * Set on a statement after a `wait` whose time is relative (`+D`, or no time: D = 0): it runs D
   * after the previous statement ran (a wait "runs" when it finishes). A statement after a wait
   * without `after` (`@T`) runs at `at`, or when the previous statement ran if that is later.
   */
  after?: number;
}

export interface Program {
  title?: string;
  profile: ProfileName;
  settings: Partial<Settings>;
  endpoints: EndpointDecl[];
  links: LinkDecl[];
  /** In source order; `at` never decreases. */
  statements: Statement[];
  /** `end @T`: stop the run at this time (microseconds). With `endFrom`, the earliest it can be. */
  end?: number;
  /** `end +D` after a `wait`: the run stops D after statement `index` (of `statements`) ran. */
  endFrom?: { index: number; after: number };
}
