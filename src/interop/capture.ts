// A capture of the real Linux kernel playing a scenario (test/fixtures/captures/<case>/capture.json,
// made by scripts/capture/capture.py; see docs/captures.md): the segments on the wire, what the router
// dropped, each socket's states in time, the applications' calls and the machine's settings.
// Types and pure helpers only: no I/O.

import type { TcpFlag, TcpState } from '../engine/trace';

/** TCP options as decoded from the wire (the same shape as the shared `TcpOptions` of the trace
 *  contract; SACK blocks in absolute sequence numbers). */
export interface CaptureTcpOptions {
  mss?: number;
  wscale?: number;
  sackPermitted?: boolean;
  ts?: { val: number; ecr: number };
  sack?: { left: number; right: number }[];
}

export interface CapturePacket {
  /** 1-based, in the order the segments entered the router. */
  index: number;
  /** When the segment entered the router (= when its sender sent it), ms after the first segment. */
  t: number;
  /** When it left the router towards its receiver (after the link delay); null when dropped. */
  arrival: number | null;
  /** The router's fault rules dropped it. */
  dropped: boolean;
  /** Held back by the router until a crossing segment arrived (simultaneous open or close). */
  held?: string;
  /** Endpoint names, as in `endpoints`. */
  from: string;
  to: string;
  flags: TcpFlag[];
  seq: number;
  /** Absolute acknowledgment number as on the wire (meaningful only with ACK). */
  ack: number;
  /** seq - the sender's ISN (absolute when the sender never sent a SYN). */
  relSeq: number;
  /** ack - the receiver's ISN; null without the ACK flag. */
  relAck: number | null;
  /** Payload bytes (from the IP length; the pcap keeps headers only). */
  len: number;
  /** The window field as sent, and scaled by the sender's window scale once both sides offered one. */
  window: number;
  scaledWindow: number;
  options: CaptureTcpOptions;
  /** The segment covers sequence space its sender had already sent (a retransmission or a probe). */
  retransmission: boolean;
}

/** Where a state time comes from: the kernel's inet_sock_set_state tracepoint (exact), the sock_diag
 *  poll (every 2 ms), both (a full socket closed and replaced by its TIME-WAIT socket), or a segment
 *  (a request socket is in SYN-RECEIVED from its SYN's arrival). */
export type CaptureStateSource = 'trace' | 'poll' | 'trace+poll' | 'pcap';

export interface CaptureStateChange {
  t: number;
  state: TcpState;
  source: CaptureStateSource;
}

export interface CaptureSocket {
  endpoint: string;
  local: string;
  remote: string;
  listener: boolean;
  states: CaptureStateChange[];
  /** The TIME-WAIT timer when first seen (sock_diag's idiag_expires), ms. */
  timewaitExpiresMs?: number;
}

/** An application call and its result: "ok", "pending" (a non-blocking connect), or an errno name
 *  (ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT...). `connect-done` is the connect's outcome;
 *  `recv` with `auto` is the driver reading whatever arrived (bytes 0 = EOF). */
export interface CaptureAppCall {
  t: number;
  endpoint: string;
  call: string;
  result: string;
  bytes?: number;
  /** When a blocking send finished handing its bytes to the kernel. */
  done?: number;
  how?: string;
  option?: string;
  value?: unknown;
  auto?: boolean;
  congestion?: string;
  sndWnd?: number;
  /** An injected segment's numbers (inject-fin). */
  seq?: number;
  ack?: number;
  window?: number;
}

/** Other kernel tracepoints: tcp_retransmit_skb, tcp_retransmit_synack, tcp_send_reset (with its
 *  reason), tcp_receive_reset. */
export interface CaptureKernelEvent {
  t: number;
  event: string;
  saddr?: string;
  sport?: string;
  daddr?: string;
  dport?: string;
  state?: string;
  reason?: string;
}

export interface CaptureMeta {
  kernel: string;
  /** CONFIG_HZ of the kernel (its timer tick), when /proc/config.gz tells. */
  hz: number | null;
  captured: string;
  /** When the applications' clock started (their `at` times count from it), ms after the first segment. */
  appStart: number;
  /** The one-way delay the router added to every segment, and what it measured. */
  delayMs: number;
  measuredDelayMs: { min: number; median: number; max: number } | null;
  /** The fault rules, in words. */
  faults: string[];
  nftRuleset: string;
  nftAfter: string;
  /** Non-zero Tcp/TcpExt counters per namespace after the run (TCPLossProbes, DelayedACKs...). */
  counters?: Record<string, Record<string, number>>;
  congestionControl: string[];
  sysctls: Record<string, Record<string, string | null>>;
  tools: Record<string, string | null>;
  /** Mean time between two sock_diag polls per namespace, ms. */
  statePollMs: Record<string, number>;
  tracepoints: boolean;
  loadAverage: number[];
}

/** What the repetitions of a case showed: each distinct behaviour (the segments in order, with flags,
 *  relative numbers, lengths and fate) with the runs that showed it, and the spread of each segment's
 *  time over the runs of the commonest behaviour. */
export interface CaptureRepetitions {
  runs: number;
  /** The run stored as capture.json/capture.pcap (1-based). */
  representative: number;
  /** Commonest first (the stored run's, shown in full by `packets`); each other one with the segment
   *  where it first departs from the commonest, up to 8 segments and their times from there, and the
   *  application calls ([t, endpoint, call, result]) of its first run. */
  behaviours: {
    runs: number[];
    firstDifference?: number;
    segments?: string[];
    times?: number[];
    app?: [number, string, string, string][];
  }[];
  stateSequences: { runs: number[]; states: string }[];
  packetTimes: { min: number; median: number; max: number }[];
}

export interface CaptureSummary {
  version: 1;
  case: string;
  title: string;
  description: string;
  endpoints: { name: string; address: string; port: number; isn?: number }[];
  /** How long the capture watched, ms after the first segment. */
  duration: number;
  packets: CapturePacket[];
  sockets: CaptureSocket[];
  app: CaptureAppCall[];
  kernelEvents: CaptureKernelEvent[];
  meta: CaptureMeta;
  repetitions?: CaptureRepetitions;
}

export class CaptureFormatError extends Error {}

/** Checks the parts of a capture summary that the comparison relies on; throws CaptureFormatError
 *  naming the first thing wrong. */
export function parseCaptureSummary(value: unknown): CaptureSummary {
  const fail = (what: string): never => {
    throw new CaptureFormatError(`not a capture summary: ${what}`);
  };
  if (typeof value !== 'object' || value === null) fail('expected a JSON object');
  const doc = value as Record<string, unknown>;
  if (doc.version !== 1) fail(`version ${String(doc.version)}, expected 1`);
  if (!Array.isArray(doc.endpoints) || doc.endpoints.length < 2) fail('expected "endpoints" with two endpoints');
  if (!Array.isArray(doc.packets)) fail('expected a "packets" array');
  if (!Array.isArray(doc.sockets)) fail('expected a "sockets" array');
  if (typeof doc.duration !== 'number') fail('expected a numeric "duration"');
  (doc.packets as unknown[]).forEach((p, i) => {
    const packet = p as Record<string, unknown>;
    for (const key of ['t', 'seq', 'ack', 'relSeq', 'len']) {
      if (typeof packet[key] !== 'number') fail(`packet ${i + 1}: expected a number "${key}"`);
    }
    if (!Array.isArray(packet.flags)) fail(`packet ${i + 1}: expected "flags"`);
    if (typeof packet.from !== 'string' || typeof packet.to !== 'string') fail(`packet ${i + 1}: expected "from" and "to"`);
  });
  return value as CaptureSummary;
}

/** A segment as the comparison sees it, from a capture or from a simulation. */
export interface WireSegment {
  t: number;
  from: string;
  to: string;
  flags: readonly string[];
  seq: number;
  ack: number;
  len: number;
  dropped: boolean;
  options?: CaptureTcpOptions;
}

export interface RelativeSegment extends WireSegment {
  relSeq: number;
  relAck: number | null;
}

/** Relative numbers the way the capture tool computes them (and Wireshark shows them): each side's
 *  ISN is the seq of the first SYN it sent; a side that never sent a SYN keeps absolute numbers. */
export function relativeNumbers<T extends WireSegment>(segments: readonly T[]): (T & RelativeSegment)[] {
  const isn = new Map<string, number>();
  for (const s of segments) if (s.flags.includes('SYN') && !isn.has(s.from)) isn.set(s.from, s.seq);
  const rel = (value: number, base: number | undefined): number => (base === undefined ? value : (value - base + 2 ** 32) % 2 ** 32);
  return segments.map((s) => ({
    ...s,
    relSeq: rel(s.seq, isn.get(s.from)),
    relAck: s.flags.includes('ACK') ? rel(s.ack, isn.get(s.to)) : null,
  }));
}

/** Flags as people write them (ACK last): "FIN,ACK". */
export function flagText(flags: readonly string[]): string {
  const order = ['SYN', 'FIN', 'RST', 'PSH', 'URG', 'ACK'];
  return order.filter((f) => flags.includes(f)).join(',') || 'none';
}

/** "FIN,ACK seq=1 ack=2 len=0" (relative numbers). */
export function segmentText(s: RelativeSegment): string {
  const ack = s.relAck === null ? '' : ` ack=${s.relAck}`;
  return `${flagText(s.flags)} seq=${s.relSeq}${ack} len=${s.len}${s.dropped ? ' (dropped)' : ''}`;
}

/** The capture's segments in the comparison's form. */
export function captureSegments(capture: CaptureSummary): RelativeSegment[] {
  return capture.packets.map((p) => ({
    t: p.t,
    from: p.from,
    to: p.to,
    flags: p.flags,
    seq: p.seq,
    ack: p.ack,
    len: p.len,
    dropped: p.dropped,
    options: p.options,
    relSeq: p.relSeq,
    relAck: p.relAck,
  }));
}

/** The states an endpoint's connection went through (its listener left out), in order. */
export function captureStates(capture: CaptureSummary, endpoint: string): CaptureStateChange[] {
  return capture.sockets
    .filter((s) => s.endpoint === endpoint && !s.listener)
    .flatMap((s) => s.states)
    .sort((a, b) => a.t - b.t);
}

/** The spread the kernel itself showed for a segment's time over the repetitions (max - min), ms;
 *  0 when the case ran once or this run's behaviour was not the commonest. */
export function repetitionSpread(capture: CaptureSummary, index: number): number {
  const times = capture.repetitions?.packetTimes;
  if (!times || times.length !== capture.packets.length) return 0;
  const entry = times[index];
  return entry ? entry.max - entry.min : 0;
}
