// Loss detection and the window around it, apart from the controller's arithmetic
// (../congestion): duplicate ACKs and fast retransmit (RFC 5681 3.2), NewReno's partial and full
// ACKs (RFC 6582 3.2), or, in the linux profile, Proportional Rate Reduction (RFC 6937) the way
// tcp_input.c runs it without SACK; the collapse to one segment after a timeout (RFC 5681 3.1);
// restart after idle (RFC 5681 4.1). SACK-based recovery and RACK-TLP can replace the duplicate-ACK
// detection here and keep the controllers.
//
// Recovery states, as `TcbView.recovery` shows them: OPEN; RECOVERY after a fast retransmit until
// everything outstanding then is acknowledged (`recover`); LOSS after a timeout, likewise.

import { controller, initialWindow, newCongestionState } from '../congestion/index';
import * as Seq from '../seq';
import type { RuleId } from '../rules';
import type { Tcb } from '../world';
import type { Stack } from './stack';

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
  const lost = seqDiff(tcb.lostEnd, tcb.rtxNext);
  return Math.max(0, outstanding(tcb) - (lost > 0 ? lost : 0) - tcb.sacked);
}

/** What the congestion window lets out now, in bytes (RFC 3042 adds a segment per early duplicate ACK). */
export function windowRoom(s: Stack, h: number, tcb: Tcb): number {
  let cwnd = tcb.cc.cwnd;
  if (tcb.recovery === OPEN && tcb.dupAcks > 0 && s.settings[h].limitedTransmit) cwnd += Math.min(tcb.dupAcks, 2) * s.settings[h].mss;
  return cwnd - flightSize(tcb);
}

/** The handshake is done: RFC 5681 3.1, one segment if our SYN (or SYN,ACK) had to be sent again. */
export function establishWindow(s: Stack, h: number, tcb: Tcb, synRetransmissions: number): void {
  const st = s.settings[h];
  // tcp_init_transfer: the kernel drops to one segment only after more than one retransmission.
  if (synRetransmissions > (st.kernelCc ? 1 : 0)) tcb.cc.cwnd = st.mss;
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
  const restart = Math.min(initialWindow(st.mss, st.initCwnd), c.cwnd);
  if (st.kernelCc) {
    c.ssthresh = Math.max(c.ssthresh, Math.floor((c.cwnd * 3) / 4)); // tcp_current_ssthresh
    let cwnd = c.cwnd;
    for (let left = idle - tcb.rto; left > 0 && cwnd > restart; left -= tcb.rto) cwnd = Math.floor(cwnd / 2 / st.mss) * st.mss;
    c.cwnd = Math.max(cwnd, restart);
  } else {
    c.cwnd = restart;
  }
  // A note when it matters: cwnd lost at least a segment.
  if (before - c.cwnd >= st.mss) s.note(`idle ${idle / 1000} ms: cwnd ${before} -> ${c.cwnd}`, h, 'rfc5681.4.1.restart');
}

/** New data acknowledged (SND.UNA already advanced by `acked` bytes). Returns the rule by which the first unacknowledged segment must go again at once, if it must. */
export function onNewAck(s: Stack, h: number, tcb: Tcb, acked: number): RuleId | undefined {
  const st = s.settings[h];
  const c = tcb.cc;
  const mss = st.mss;
  if (seqLt(tcb.rtxNext, tcb.sndUna)) tcb.rtxNext = tcb.sndUna;
  if (seqLt(tcb.lostEnd, tcb.rtxNext)) tcb.lostEnd = tcb.rtxNext;
  switch (tcb.recovery) {
    case RECOVERY:
      if (seqGe(tcb.sndUna, tcb.recover)) {
        // RFC 6582 3.2 (3), full acknowledgment: everything outstanding at the loss is in.
        const before = c.cwnd;
        if (st.kernelCc) c.cwnd = c.ssthresh; // tcp_end_cwnd_reduction
        else c.cwnd = Math.min(c.ssthresh, Math.max(outstanding(tcb), mss) + mss); // option (1), no burst
        leave(tcb);
        if (st.kernelCc) grow(s, h, tcb, acked); // tcp_cong_control runs cong_avoid on the same ACK
        s.note(`recovery ends: cwnd ${before} -> ${c.cwnd}`, h, st.kernelCc ? 'rfc6937.prr' : 'rfc6582.3.2.full-ack');
        return undefined;
      }
      if (st.kernelCc) {
        // tcp_remove_reno_sacks, then tcp_newreno_mark_lost: the new first segment is lost; PRR decides how much goes.
        const delivered = Math.max(acked - tcb.sacked, mss);
        tcb.sacked = Math.max(0, tcb.sacked - Math.max(0, acked - mss));
        markHeadLost(tcb, mss);
        prr(s, h, tcb, delivered, true, true);
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
  const mss = st.mss;
  tcb.dupAcks++;
  if (tcb.recovery === OPEN) {
    const threshold = st.fastRetransmit ?? 0;
    // RFC 6582 3.2 (2): only if the ACK covers more than `recover` (no second recovery for one loss).
    if (threshold > 0 && tcb.dupAcks === threshold && seqGt(ack, tcb.recover)) return enterRecovery(s, h, tcb, ack);
  } else if (tcb.recovery === RECOVERY) {
    if (st.kernelCc) {
      // tcp_add_reno_sack: one more segment has left the network.
      tcb.sacked = Math.min(tcb.sacked + mss, Math.max(0, outstanding(tcb) - mss));
      prr(s, h, tcb, mss, false, false);
    } else {
      c.cwnd += mss; // RFC 5681 3.2 (4): inflate by one SMSS per further duplicate ACK
    }
  }
  return undefined;
}

/** RFC 5681 3.2 (2), (3): the third duplicate ACK. Returns the fast retransmit's rule when the caller sends it (NewReno). */
function enterRecovery(s: Stack, h: number, tcb: Tcb, ack: number): RuleId | undefined {
  const st = s.settings[h];
  const c = tcb.cc;
  const mss = st.mss;
  const before = c.cwnd;
  c.ssthresh = controller(st.cc).ssthresh(c, outstanding(tcb), mss);
  c.counted = 0;
  tcb.recover = tcb.sndNxt;
  tcb.recovery = RECOVERY;
  const threshold = st.fastRetransmit ?? 0;
  const note = (cwnd: number): void =>
    s.note(`fast retransmit: ${threshold} duplicate ACKs for ${ack}; ssthresh ${c.ssthresh}, cwnd ${before} -> ${cwnd}`, h, 'rfc5681.3.2.fast-retransmit');
  if (st.kernelCc) {
    // tcp_enter_recovery, tcp_init_cwnd_reduction; the head is marked lost and goes out first.
    tcb.priorCwnd = before;
    tcb.prrDelivered = 0;
    tcb.prrOut = 0;
    tcb.sacked = Math.min(tcb.dupAcks * mss, Math.max(0, outstanding(tcb) - mss));
    markHeadLost(tcb, mss);
    prr(s, h, tcb, mss, false, true);
    note(c.cwnd);
    return undefined; // the head goes first from the lost range (output.ts), as PRR allows
  }
  c.cwnd = c.ssthresh + 3 * mss;
  note(c.cwnd);
  return 'rfc5681.3.2.fast-retransmit';
}

/** RFC 6937, as tcp_cwnd_reduction computes it (in segments; PRR-SSRB once the pipe is below ssthresh). */
function prr(s: Stack, h: number, tcb: Tcb, delivered: number, unaAdvanced: boolean, newlyLost: boolean): void {
  const mss = s.settings[h].mss;
  const c = tcb.cc;
  tcb.prrDelivered += delivered;
  const pipe = flightSize(tcb);
  let sndcnt: number;
  if (pipe > c.ssthresh) {
    // Proportional rate reduction: ceil(prr_delivered * ssthresh / RecoverFS) - prr_out.
    sndcnt = Math.ceil((c.ssthresh * tcb.prrDelivered) / (tcb.priorCwnd * mss)) * mss - tcb.prrOut;
  } else {
    sndcnt = Math.max(tcb.prrDelivered - tcb.prrOut, delivered);
    if (unaAdvanced && !newlyLost) sndcnt += mss;
    sndcnt = Math.min(c.ssthresh - pipe, sndcnt);
  }
  // At least the fast retransmit itself.
  sndcnt = Math.max(sndcnt, tcb.prrOut > 0 ? 0 : mss);
  c.cwnd = pipe + sndcnt;
}

/** RFC 5681 3.1 and (4), RFC 6582 4: a retransmission timeout, before the segment is sent again. */
export function onTimeout(s: Stack, h: number, tcb: Tcb): void {
  const st = s.settings[h];
  const c = tcb.cc;
  const cc = controller(st.cc);
  const first = tcb.retries === 0;
  // ssthresh from (4) unless this data was already sent again by the timer; the kernel
  // (tcp_enter_loss) also keeps the one a fast recovery in progress set.
  const recompute = st.kernelCc ? tcb.recovery === OPEN || !seqGt(tcb.recover, tcb.sndUna) || (tcb.recovery === LOSS && first) : first;
  const before = c.cwnd;
  const ssthresh = c.ssthresh;
  if (recompute) c.ssthresh = cc.ssthresh(c, outstanding(tcb), st.mss);
  cc.onTimeout(c);
  c.cwnd = st.mss; // the loss window, LW: one full-sized segment
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
  if (st.kernelCc && !cwndLimited(tcb, st.mss)) return;
  controller(st.cc).onAck(c, acked, st.mss, s.w.now);
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

/** tcp_newreno_mark_lost: the first unacknowledged segment is presumed lost. */
function markHeadLost(tcb: Tcb, mss: number): void {
  tcb.rtxNext = tcb.sndUna;
  const end = tcb.finSent ? Seq.seqAdd(tcb.sndNxt, -1) : tcb.sndNxt;
  const len = Math.min(mss, seqDiff(end, tcb.sndUna));
  tcb.lostEnd = Seq.seqAdd(tcb.sndUna, Math.max(len, 0) + (tcb.finSent && len === seqDiff(end, tcb.sndUna) ? 1 : 0));
}

function leave(tcb: Tcb): void {
  tcb.recovery = OPEN;
  tcb.sacked = 0;
  tcb.dupAcks = 0;
  tcb.rtxNext = tcb.lostEnd = tcb.sndUna;
}
