// Loss detection and the window around it, apart from the controller's arithmetic
// (../congestion), in the rfc profile: duplicate ACKs and fast retransmit (RFC 5681 3.2), NewReno's
// partial and full ACKs (RFC 6582 3.2), the collapse to one segment after a timeout (RFC 5681 3.1).
// Shared with the linux profile: the initial window, restart after idle (RFC 5681 4.1; the kernel's
// tcp_cwnd_restart), the growth of cwnd while it is used (tcp_is_cwnd_limited). The linux
// profile's loss detection and recovery (RACK-TLP, SACK, PRR) are in linux/loss.ts.
//
// Recovery states, as `TcbView.recovery` shows them: OPEN; RECOVERY after a fast retransmit until
// everything outstanding then is acknowledged (`recover`); LOSS after a timeout, likewise.

import { controller, initialWindow, newCongestionState } from '../congestion/index';
import * as Seq from '../seq';
import type { RuleId } from '../rules';
import type { Tcb } from '../world';
import type { Stack } from './stack';
import { bytesInFlight } from './linux/queue';

const { seqDiff, seqGe, seqGt, seqLt } = Seq;

export const OPEN = 0;
export const RECOVERY = 1;
export const LOSS = 2;
export const RECOVERY_NAMES = ['open', 'recovery', 'loss'] as const;

/** The controller's state for a new connection: the initial window (set again when the handshake ends). */
export function initialCongestion(s: Stack, h: number): Tcb['cc'] {
  const st = s.settings[h];
  return newCongestionState(initialWindow(st.mss, st.initCwnd));
}

/** SND.NXT - SND.UNA: what has been sent and not acknowledged (RFC 5681 FlightSize, the FIN included). */
export function outstanding(tcb: Tcb): number {
  return seqDiff(tcb.sndNxt, tcb.sndUna);
}

/**
 * What the sender counts as in the network: the outstanding bytes, less those presumed lost and
 * not sent again, less those the duplicate ACKs say have arrived (the kernel's
 * tcp_packets_in_flight; without a loss it is RFC 5681's FlightSize).
 */
export function flightSize(tcb: Tcb): number {
  if (tcb.lx !== undefined) return bytesInFlight(tcb.lx);
  const lost = seqDiff(tcb.lostEnd, tcb.rtxNext);
  return Math.max(0, outstanding(tcb) - (lost > 0 ? lost : 0) - tcb.sacked);
}

/** What the congestion window lets out now, in bytes (RFC 3042 adds a segment per early duplicate ACK). */
export function windowRoom(s: Stack, h: number, tcb: Tcb): number {
  let cwnd = tcb.cc.cwnd;
  if (tcb.recovery === OPEN && tcb.dupAcks > 0 && s.settings[h].limitedTransmit) cwnd += Math.min(tcb.dupAcks, 2) * tcb.mss;
  return cwnd - flightSize(tcb);
}

/** The handshake is done: RFC 5681 3.1, one segment if our SYN (or SYN,ACK) had to be sent again. */
export function establishWindow(s: Stack, h: number, tcb: Tcb, synRetransmissions: number): void {
  const st = s.settings[h];
  // The segment size is now known (options): the initial window in it.
  if (tcb.mss !== st.mss) tcb.cc.cwnd = initialWindow(tcb.mss, st.initCwnd);
  // tcp_init_transfer: the kernel drops to one segment only after more than one retransmission.
  if (synRetransmissions > (st.kernel ? 1 : 0)) tcb.cc.cwnd = tcb.mss;
  // RFC 6582 3.2 (1): `recover` starts at the ISS (so a loss of the first segment can be fast-retransmitted).
  tcb.recover = tcb.iss;
  tcb.rtxNext = tcb.lostEnd = tcb.sndUna;
}

/** Data went out (new or again): idle clock, PRR's count, the kernel's cwnd validation. */
export function onSent(s: Stack, h: number, tcb: Tcb, bytes: number): void {
  tcb.lastSendAt = s.w.now;
  if (tcb.recovery === RECOVERY) tcb.prrOut += bytes;
}

/**
 * About to send new data with nothing outstanding: RFC 5681 4.1, after more than an RTO without
 * sending, cwnd restarts from min(IW, cwnd); the kernel (tcp_cwnd_restart) halves it once per RTO
 * idle, down to that. CUBIC shifts its epoch over the idle time (CA_EVENT_TX_START).
 */
export function beforeSendingAfterIdle(s: Stack, h: number, tcb: Tcb): void {
  if (tcb.lastSendAt < 0) return;
  const st = s.settings[h];
  const c = tcb.cc;
  const now = s.w.now;
  const idle = now - tcb.lastSendAt;
  controller(st.cc).onIdle(c, idle, now);
  if (idle <= tcb.rto || tcb.recovery !== OPEN) return;
  const before = c.cwnd;
  const restart = Math.min(initialWindow(tcb.mss, st.initCwnd), c.cwnd);
  if (st.kernel) {
    c.ssthresh = Math.max(c.ssthresh, Math.floor((c.cwnd * 3) / 4)); // tcp_current_ssthresh
    let cwnd = c.cwnd;
    for (let left = idle - tcb.rto; left > 0 && cwnd > restart; left -= tcb.rto) cwnd = Math.floor(cwnd / 2 / tcb.mss) * tcb.mss;
    c.cwnd = Math.max(cwnd, restart);
  } else {
    c.cwnd = restart;
  }
  // A note when it matters: cwnd lost at least a segment.
  if (before - c.cwnd >= tcb.mss) s.note(`idle ${idle / 1000} ms: cwnd ${before} -> ${c.cwnd}`, h, 'rfc5681.4.1.restart');
}

/** New data acknowledged (SND.UNA already advanced by `acked` bytes). Returns the rule by which the first unacknowledged segment must go again at once, if it must. */
export function onNewAck(s: Stack, h: number, tcb: Tcb, acked: number): RuleId | undefined {
  const c = tcb.cc;
  const mss = tcb.mss;
  if (seqLt(tcb.rtxNext, tcb.sndUna)) tcb.rtxNext = tcb.sndUna;
  if (seqLt(tcb.lostEnd, tcb.rtxNext)) tcb.lostEnd = tcb.rtxNext;
  switch (tcb.recovery) {
    case RECOVERY:
      if (seqGe(tcb.sndUna, tcb.recover)) {
        // RFC 6582 3.2 (3), full acknowledgment: everything outstanding at the loss is in.
        const before = c.cwnd;
        c.cwnd = Math.min(c.ssthresh, Math.max(outstanding(tcb), mss) + mss); // option (1), no burst
        leave(tcb);
        s.note(`recovery ends: cwnd ${before} -> ${c.cwnd}`, h, 'rfc6582.3.2.full-ack');
        return undefined;
      }
      // RFC 6582 3.2 (3), partial acknowledgment: resend the first unacknowledged segment,
      // deflate cwnd by what was acknowledged and add back one SMSS if that was at least one.
      c.cwnd = Math.max(c.cwnd - acked + (acked >= mss ? mss : 0), mss);
      return 'rfc6582.3.2.partial-ack';
    case LOSS:
      grow(s, h, tcb, acked); // slow start from one segment
      if (seqGe(tcb.sndUna, tcb.recover)) {
        leave(tcb);
        if (!tcb.quietLoss) s.note(`loss recovered: cwnd ${c.cwnd}`, h, 'rfc5681.3.1.timeout');
      }
      return undefined;
    default:
      grow(s, h, tcb, acked);
      return undefined;
  }
}

/** A duplicate ACK (RFC 5681 2) for `ack`. Returns the rule by which the first unacknowledged segment must go again at once, if it must. */
export function onDupAck(s: Stack, h: number, tcb: Tcb, ack: number): RuleId | undefined {
  const st = s.settings[h];
  const c = tcb.cc;
  const mss = tcb.mss;
  tcb.dupAcks++;
  if (tcb.recovery === OPEN) {
    const threshold = st.fastRetransmit ?? 0;
    // RFC 6582 3.2 (2): only if the ACK covers more than `recover` (no second recovery for one loss).
    if (threshold > 0 && tcb.dupAcks === threshold && seqGt(ack, tcb.recover)) return enterRecovery(s, h, tcb, ack);
  } else if (tcb.recovery === RECOVERY) {
    c.cwnd += mss; // RFC 5681 3.2 (4): inflate by one SMSS per further duplicate ACK
  }
  return undefined;
}

/** RFC 5681 3.2 (2), (3): the third duplicate ACK. Returns the fast retransmit's rule when the caller sends it (NewReno). */
function enterRecovery(s: Stack, h: number, tcb: Tcb, ack: number): RuleId | undefined {
  const st = s.settings[h];
  const c = tcb.cc;
  const mss = tcb.mss;
  const before = c.cwnd;
  c.ssthresh = controller(st.cc).ssthresh(c, outstanding(tcb), mss);
  c.counted = 0;
  tcb.recover = tcb.sndNxt;
  tcb.recovery = RECOVERY;
  const threshold = st.fastRetransmit ?? 0;
  const note = (cwnd: number): void =>
    s.note(`fast retransmit: ${threshold} duplicate ACKs for ${ack}; ssthresh ${c.ssthresh}, cwnd ${before} -> ${cwnd}`, h, 'rfc5681.3.2.fast-retransmit');
  c.cwnd = c.ssthresh + 3 * mss;
  note(c.cwnd);
  return 'rfc5681.3.2.fast-retransmit';
}

/** RFC 5681 3.1 and (4), RFC 6582 4: a retransmission timeout, before the segment is sent again. */
export function onTimeout(s: Stack, h: number, tcb: Tcb): void {
  const st = s.settings[h];
  const c = tcb.cc;
  const cc = controller(st.cc);
  // ssthresh from (4) unless this data was already sent again by the timer.
  const recompute = tcb.retries === 0;
  const before = c.cwnd;
  const ssthresh = c.ssthresh;
  if (recompute) c.ssthresh = cc.ssthresh(c, outstanding(tcb), tcb.mss);
  cc.onTimeout(c);
  c.cwnd = tcb.mss; // the loss window, LW: one full-sized segment
  c.counted = 0;
  tcb.recovery = LOSS;
  tcb.recover = tcb.sndNxt;
  // Everything outstanding is presumed lost; slow start sends it again as the window opens.
  tcb.rtxNext = tcb.sndUna;
  tcb.lostEnd = tcb.sndNxt;
  tcb.sacked = 0;
  tcb.dupAcks = 0;
  // No note when only our FIN was outstanding: no data will feel the smaller window.
  tcb.quietLoss = outstanding(tcb) <= 1 && tcb.finSent;
  if (!tcb.quietLoss && (before !== c.cwnd || ssthresh !== c.ssthresh)) {
    s.note(`timeout: cwnd ${before} -> ${c.cwnd}, ssthresh ${c.ssthresh}`, h, 'rfc5681.3.1.timeout');
  }
}

/** cwnd may grow on new data acknowledged; the kernel only while the window was used (tcp_is_cwnd_limited). */
function grow(s: Stack, h: number, tcb: Tcb, acked: number): void {
  const st = s.settings[h];
  const c = tcb.cc;
  if (acked <= 0) return;
  if (st.kernel && !cwndLimited(tcb, tcb.mss)) return;
  controller(st.cc).onAck(c, acked, tcb.mss, s.w.now);
}

/** The linux profile's tcp_cong_avoid: the controller grows cwnd for `acked` bytes (segments acknowledged or SACKed, in segments of the MSS) while cwnd-limited. */
export function growKernel(s: Stack, h: number, tcb: Tcb, acked: number): void {
  grow(s, h, tcb, acked);
}

/** tcp_is_cwnd_limited: the last window was used up, or in slow start cwnd is below twice the largest flight. */
function cwndLimited(tcb: Tcb, mss: number): boolean {
  if (tcb.cwndLimited) return true;
  const c = tcb.cc;
  return c.cwnd < c.ssthresh && c.cwnd < 2 * Math.max(tcb.maxFlight, mss);
}

/**
 * tcp_cwnd_validate, after sending: once per window (when SND.UNA passes `cwndUsageSeq`), or as soon
 * as the window is found full, remember whether it was and the largest flight.
 */
export function validateCwnd(tcb: Tcb, limited: boolean): void {
  const flight = flightSize(tcb);
  if (seqGe(tcb.sndUna, tcb.cwndUsageSeq) || limited || (!tcb.cwndLimited && flight > tcb.maxFlight)) {
    tcb.cwndLimited = limited;
    tcb.maxFlight = flight;
    tcb.cwndUsageSeq = tcb.sndNxt;
  }
}

function leave(tcb: Tcb): void {
  tcb.recovery = OPEN;
  tcb.sacked = 0;
  tcb.dupAcks = 0;
  tcb.rtxNext = tcb.lostEnd = tcb.sndUna;
}
