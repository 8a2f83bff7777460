// The congestion controllers' shared types and constants (see index.ts).

export type CcName = 'newreno' | 'cubic';

/** RFC 7323 2.3: the largest window TCP can advertise. RFC 5681's "arbitrarily high" initial ssthresh, and a cap on cwnd. */
export const MAX_WINDOW = 1 << 30;

export interface CongestionState {
  /** Congestion window and slow-start threshold, bytes. */
  cwnd: number;
  ssthresh: number;
  /** NewReno: bytes acknowledged in congestion avoidance since cwnd last grew (RFC 5681 byte counting). CUBIC: snd_cwnd_cnt, segments. */
  counted: number;
  // CUBIC (tcp_cubic.c struct bictcp), segments and microseconds.
  lastMaxCwnd: number;
  /** Start of the current epoch (µs), -1 when none. */
  epochStart: number;
  originPoint: number;
  /** Time from the start of the epoch to the origin point, seconds. */
  k: number;
  /** Smallest RTT seen (µs), 0 when none. */
  delayMin: number;
  /** The Reno-friendly estimate (segments) and the segments acknowledged towards its next increase. */
  tcpCwnd: number;
  ackCnt: number;
  /** Segments to acknowledge for cwnd to grow by one. */
  cnt: number;
}

export interface CongestionControl {
  readonly name: CcName;
  /** New data acknowledged outside a window reduction: slow start or congestion avoidance. */
  onAck(c: CongestionState, ackedBytes: number, smss: number, now: number): void;
  /** A loss was detected (fast retransmit, or the first timeout): the new ssthresh, bytes. `flightSize` is what was outstanding. */
  ssthresh(c: CongestionState, flightSize: number, smss: number): number;
  /** A retransmission timeout: forget what the algorithm learned (the kernel resets CUBIC on TCP_CA_Loss). */
  onTimeout(c: CongestionState): void;
  /** Sending resumes after `idle` µs with nothing in flight (the kernel's CA_EVENT_TX_START). */
  onIdle(c: CongestionState, idle: number, now: number): void;
  /** A valid RTT sample (µs). */
  onRttSample(c: CongestionState, rtt: number, now: number): void;
}

export function newCongestionState(cwnd: number): CongestionState {
  return { cwnd, ssthresh: MAX_WINDOW, counted: 0, lastMaxCwnd: 0, epochStart: -1, originPoint: 0, k: 0, delayMin: 0, tcpCwnd: 0, ackCnt: 0, cnt: 0 };
}

/**
 * RFC 5681 3.1: the initial window, by SMSS (2, 3 or 4 segments: 3 for an SMSS of 1460), or
 * `segments` full-sized segments when set (RFC 6928: ten in the linux profile, the kernel's
 * TCP_INIT_CWND).
 */
export function initialWindow(smss: number, segments: number): number {
  if (segments > 0) return segments * smss;
  if (smss > 2190) return 2 * smss;
  if (smss > 1095) return 3 * smss;
  return 4 * smss;
}
