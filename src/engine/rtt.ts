// The retransmission timer's estimator, RFC 6298, as plain data (smoltcp's `RttEstimator` is the
// model). Microseconds throughout. The TCB carries these fields itself so a snapshot copies them
// with the TCB.

import { seqGe } from './seq';

/** RFC 6298 (2.3): clock granularity G. */
export const CLOCK_GRANULARITY = 1000;
/** RFC 6298 (5.7): RTO after a handshake that needed retransmissions and gave no RTT sample. */
export const RTO_AFTER_SYN_LOSS = 3_000_000;

export interface RttEstimator {
  /** Smoothed RTT; < 0 until the first sample. */
  srtt: number;
  rttvar: number;
  rto: number;
  /** Karn's algorithm: the segment being timed ends at `rttSeq` and was sent at `rttAt`; rttAt < 0 when none. */
  rttAt: number;
  rttSeq: number;
}

export function newRttEstimator(initialRto: number): RttEstimator {
  return { srtt: -1, rttvar: 0, rto: initialRto, rttAt: -1, rttSeq: 0 };
}

/** Start timing a segment that ends at `endSeq`, unless one is already timed. */
export function startTiming(e: RttEstimator, now: number, endSeq: number): void {
  if (e.rttAt < 0) {
    e.rttAt = now;
    e.rttSeq = endSeq;
  }
}

/** Karn: a retransmission is never timed (RFC 6298 3). */
export function stopTiming(e: RttEstimator): void {
  e.rttAt = -1;
}

/** RFC 6298 (2.2), (2.3), then (2.4) and (2.5): clamp to [min, max]. */
export function rttSample(e: RttEstimator, r: number, rtoMin: number, rtoMax: number): void {
  if (e.srtt < 0) {
    e.srtt = r;
    e.rttvar = r / 2;
  } else {
    e.rttvar = 0.75 * e.rttvar + 0.25 * Math.abs(e.srtt - r);
    e.srtt = 0.875 * e.srtt + 0.125 * r;
  }
  const rto = Math.round(e.srtt + Math.max(CLOCK_GRANULARITY, 4 * e.rttvar));
  e.rto = Math.min(Math.max(rto, rtoMin), rtoMax);
}

/** An ACK up to `ack` arrived: if it covers the timed segment, take the sample (RFC 6298 (2.2), (2.3)) and return it; else -1. */
export function ackTiming(e: RttEstimator, now: number, ack: number, rtoMin: number, rtoMax: number): number {
  if (e.rttAt >= 0 && seqGe(ack, e.rttSeq)) {
    const r = now - e.rttAt;
    rttSample(e, r, rtoMin, rtoMax);
    e.rttAt = -1;
    return r;
  }
  return -1;
}

/** RFC 6298 (5.5): back off the timer. */
export function backOff(e: RttEstimator, rtoMax: number): void {
  e.rto = Math.min(e.rto * 2, rtoMax);
}
