// Loss detection and recovery as the Linux kernel runs it (tcp_input.c tcp_ack, tcp_fastretrans_alert,
// tcp_enter_recovery, tcp_cwnd_reduction, tcp_enter_loss, tcp_process_tlp_ack; tcp_recovery.c RACK;
// tcp_output.c tcp_schedule_loss_probe, tcp_send_loss_probe, tcp_xmit_retransmit_queue; tcp_timer.c
// tcp_retransmit_timer, tcp_write_timeout), on the retransmission queue of queue.ts:
//
// - RACK (RFC 8985 6): a segment is lost once a segment sent after it has been (S)ACKed and it has
//   waited that one's RTT plus a reordering window (a quarter of the minimum RTT, more after D-SACKs;
//   none once three segments are SACKed or during recovery, until reordering is seen). So a segment
//   lost mid-burst is sent again on the third SACKed duplicate ACK; a reordering timer waits out the
//   window when it is not over yet.
// - Fast recovery: ssthresh from the controller, then Proportional Rate Reduction (RFC 6937) in
//   segments; the lost segments go first, then new data. Undone when it proves spurious (undo.ts).
// - Tail loss probe (RFC 8985 7): with nothing else to reveal a loss, the last segment (or a new one)
//   is sent again after 2*SRTT + 2 ms, or 2*SRTT + 200 ms with one segment in flight, never later than
//   the RTO would fire. Its ACK, if it shows a loss was repaired, reduces cwnd once.
// - The retransmission timeout: everything not SACKed that is old enough is lost, cwnd is what is in
//   flight plus one, the first segment goes again, the RTO doubles; the connection gives up when the
//   time since the first retransmitted segment was sent exceeds what tcp_retries2 retries would take.
// Without SACK (a scenario's `sack=off`) duplicate ACKs count as SACKed segments and the first
// segment is lost at the third (tcp_add_reno_sack, tcp_newreno_mark_lost).

import { controller } from '../../congestion/index';
import type { RuleId } from '../../rules';
import * as Seq from '../../seq';
import * as Timers from '../../timers';
import type { TcpOptions } from '../../trace';
import type { Tcb } from '../../world';
import type { Stack } from '../stack';
import * as Output from '../output';
import * as Recovery from '../recovery';
import * as Queue from './queue';
import { rttSample } from './rtt';
import { Q_EVER_RETRANS, Q_LOST, Q_RETRANS, Q_SACKED, type LinuxState } from './state';
import { jiffies, timerDelay } from './jiffies';
import * as Undo from './undo';

const { seqGe, seqGt, seqLt } = Seq;
const { T_LOSSPROBE, T_REORDER, T_RTX } = Timers;
const { inFlight, packetsOut } = Queue;

/** tcp_reordering: SACKed segments that prove a loss without RACK's timing. */
const REORDERING = 3;
/** TCP_TIMEOUT_MIN_US: what the probe timeout adds to 2*SRTT with more than one segment in flight. */
const TIMEOUT_MIN = 2000;
/** TCP_RTO_MAX: the longest RTO, and the per-retry allowance beyond the doubling in the give-up time. */
const RTO_MAX = 120_000_000;

// ---- timers: one retransmission timer, armed as RTO, loss probe or reordering timeout -------------

/** The timer slot the kernel would call icsk_pending: arming one of the three disarms the others. */
/** The timers of icsk_retransmit_timer (one at a time): a constant, not an array per call. */
const XMIT_TIMERS: readonly number[] = [T_RTX, T_LOSSPROBE, T_REORDER];

function armXmitTimer(s: Stack, h: number, tcb: Tcb, timer: number, after: number, rule: RuleId): void {
  for (const other of XMIT_TIMERS) if (other !== timer) s.cancelTimer(h, tcb, other, rule);
  s.startTimer(h, tcb, timer, after, rule);
}

function cancelXmitTimers(s: Stack, h: number, tcb: Tcb, rule: RuleId): void {
  for (const timer of XMIT_TIMERS) s.cancelTimer(h, tcb, timer, rule);
}

/** When the RTO would fire, counted from the first unacknowledged segment's (last) send (tcp_rto_delta_us). */
function rtoDelta(s: Stack, tcb: Tcb, lx: LinuxState): number {
  const head = lx.qHead < lx.qSeq.length ? lx.qTime[lx.qHead] : s.w.now;
  return head + tcb.rto - s.w.now;
}

/** tcp_rearm_rto: the RTO from now, or from the first segment's send when a probe or reordering timer was armed. */
export function rearmRto(s: Stack, h: number, tcb: Tcb, lx: LinuxState, rule: RuleId): void {
  if (packetsOut(lx) === 0) return cancelXmitTimers(s, h, tcb, 'rfc6298.5.2');
  let rto = tcb.rto;
  if (tcb.timerAt[T_LOSSPROBE] >= 0 || tcb.timerAt[T_REORDER] >= 0) rto = jiffies(Math.max(rtoDelta(s, tcb, lx), 1));
  armXmitTimer(s, h, tcb, T_RTX, timerDelay(s.w.now, rto), rule);
}

/**
 * tcp_schedule_loss_probe: after sending, or on an ACK (`advancing`: the RTO would restart from now),
 * arm the tail loss probe instead of the RTO when it would come first. SACK connections only, outside
 * recovery.
 */
export function scheduleLossProbe(s: Stack, h: number, tcb: Tcb, lx: LinuxState, advancing: boolean): boolean {
  if (!tcb.opts?.sackOk || packetsOut(lx) === 0 || !probeState(tcb, lx)) return false;
  let timeout: number;
  if (tcb.srtt > 0) {
    timeout = jiffies(2 * tcb.srtt + (packetsOut(lx) === 1 ? s.settings[h].rtoMin : TIMEOUT_MIN));
  } else {
    timeout = s.settings[h].rto;
  }
  const delta = advancing ? tcb.rto : rtoDelta(s, tcb, lx);
  if (delta > 0) timeout = Math.min(timeout, jiffies(delta));
  armXmitTimer(s, h, tcb, T_LOSSPROBE, timerDelay(s.w.now, timeout), 'linux.tcp_send_loss_probe.tlp');
  return true;
}

/**
 * TCP_CA_Open, where a loss probe may be armed; not TCP_CA_Disorder, which the open state is while
 * segments are SACKed or lost or a retransmission is out (tcp_try_keep_open), so that RACK's
 * reordering timer is not replaced by the probe while a segment is overtaken.
 */
function probeState(tcb: Tcb, lx: LinuxState): boolean {
  if (tcb.recovery !== Recovery.OPEN) return false;
  const anyRetrans = lx.retransOut > 0 || (lx.qHead < lx.qSeq.length && (lx.qFlags[lx.qHead] & Q_EVER_RETRANS) !== 0);
  return lx.sackedOut + lx.lostOut === 0 && !anyRetrans;
}

/** tcp_set_xmit_timer: after an ACK of new data, the loss probe or the RTO. */
function setXmitTimer(s: Stack, h: number, tcb: Tcb, lx: LinuxState): void {
  if (!scheduleLossProbe(s, h, tcb, lx, true)) rearmRto(s, h, tcb, lx, 'linux.tcp_rtt_estimator.rto');
}

// ---- sending -----------------------------------------------------------------------------------------

/** tcp_cwnd_test: segments the congestion window lets out now. */
export function cwndRoom(tcb: Tcb, lx: LinuxState): number {
  return Math.floor(tcb.cc.cwnd / tcb.mss) - inFlight(lx);
}

/**
 * A new segment [seq, end) went out (tcp_event_new_data_sent): queued; the RTO starts if it is the
 * first in flight (or a probe was armed), unless a loss probe replaces it as soon as this round of
 * sending ends (tcp_write_xmit's tcp_schedule_loss_probe): then only the probe is traced.
 */
export function newDataSent(s: Stack, h: number, tcb: Tcb, lx: LinuxState, seq: number, end: number): void {
  const first = packetsOut(lx) === 0;
  Queue.queueSent(lx, seq, end, s.w.now);
  if (tcb.recovery === Recovery.RECOVERY) tcb.prrOut++;
  const probeNext = tcb.opts?.sackOk === true && probeState(tcb, lx);
  if ((first || tcb.timerAt[T_LOSSPROBE] >= 0) && !probeNext) rearmRto(s, h, tcb, lx, 'linux.tcp_rtt_estimator.rto');
}

/** Entry `i` of the queue goes again by `rule` (__tcp_retransmit_skb; callers other than the loss probe count it for the undo first, as tcp_retransmit_skb does). */
export function retransmitEntry(s: Stack, h: number, tcb: Tcb, lx: LinuxState, i: number, rule: RuleId): void {
  const seq = lx.qSeq[i];
  const fin = tcb.finSent && lx.qEnd[i] === tcb.sndNxt;
  const len = Seq.seqDiff(lx.qEnd[i], seq) - (fin ? 1 : 0);
  Queue.queueRetransmitted(lx, i, s.w.now);
  if (tcb.recovery === Recovery.RECOVERY) tcb.prrOut++;
  tcb.lastSendAt = s.w.now;
  Output.sendData(s, h, tcb, seq, len, fin, true, rule);
}

/**
 * tcp_xmit_retransmit_queue: the segments marked lost and not sent again go first, in order, as far
 * as cwnd allows. Returns false when cwnd stopped it with some left.
 */
export function retransmitLost(s: Stack, h: number, tcb: Tcb, lx: LinuxState): boolean {
  // tcp_xmit_recovery's REXMIT_NEW: F-RTO pushes new data first (output, then frtoFallback).
  if (lx.rexmitNew || lx.lostOut === 0) return true;
  const rule: RuleId = tcb.recovery === Recovery.LOSS ? 'linux.tcp_retransmit_timer.loss' : 'linux.tcp_rack_detect_loss.lost';
  for (let i = lx.qHead; i < lx.qSeq.length; i++) {
    const f = lx.qFlags[i];
    if (!(f & Q_LOST) || f & (Q_RETRANS | Q_SACKED)) continue;
    if (cwndRoom(tcb, lx) <= 0) return false;
    Undo.retransmitted(lx, s.w.now);
    retransmitEntry(s, h, tcb, lx, i, rule);
  }
  return true;
}

/**
 * After F-RTO's push of new data (tcp_xmit_recovery with REXMIT_NEW): if SND.NXT did not pass the
 * timeout's, none went and the lost segments go after all (frto off). False when cwnd stopped them.
 */
export function frtoFallback(s: Stack, h: number, tcb: Tcb, lx: LinuxState): boolean {
  lx.rexmitNew = false;
  if (seqGt(tcb.sndNxt, tcb.recover)) return true;
  lx.frto = false;
  s.note('F-RTO: no new segment could go; the lost ones go again', h, 'linux.tcp_process_loss.frto');
  return retransmitLost(s, h, tcb, lx);
}

// ---- an ACK arrives ----------------------------------------------------------------------------------

/**
 * tcp_ack for a synchronized connection: SACK blocks and SND.UNA move the queue, RTT and RACK learn
 * from it, the loss probe's ACK is judged, loss is detected and recovery entered or left, cwnd moves
 * (PRR during recovery, the controller otherwise), and the loss-probe or RTO timer is set again.
 * SND.UNA is already at `seg.ack`'s predecessor; returns the bytes of data newly acknowledged.
 */
export function ackArrived(s: Stack, h: number, tcb: Tcb, lx: LinuxState, ack: number, options: TcpOptions | undefined, duplicate: boolean): number {
  const st = s.settings[h];
  const now = s.w.now;
  const priorUna = tcb.sndUna;
  const advanced = seqGt(ack, priorUna);
  const priorLost = lx.lostOut;
  const priorPackets = packetsOut(lx);
  const sack = tcb.opts?.sackOk ? options?.sack : undefined;
  const echo = Undo.echoedMs(tcb, options);
  lx.rexmitNew = false;
  const result = Queue.queueAck(tcb, lx, ack, sack, now, echo);
  const dsack = Undo.isDsack(sack, ack);
  Undo.dsackSeen(tcb, lx, sack, dsack);
  if (result.reordered) lx.reordSeen = true;
  let rtt = result.rtt;
  if (rtt < 0 && advanced && echo >= 0) {
    // tcp_rtt_tsopt_us: with timestamps a retransmitted segment's ACK still gives a sample (ms).
    rtt = Math.max(1, Math.floor(now / 1000) - echo) * 1000;
  }
  if (advanced) {
    tcb.sndUna = ack;
    Output.refillSendBuffer(s, h, tcb);
    tcb.retries = 0;
    prunePushes(lx, ack);
  }
  if (rtt > 0) {
    rttSample(st, tcb, lx, rtt);
    controller(st.cc).onRttSample(tcb.cc, rtt, now);
  }
  let delivered = result.delivered;
  if (!tcb.opts?.sackOk) {
    // tcp_add_reno_sack / tcp_remove_reno_sacks: duplicate ACKs stand for segments that arrived.
    if (duplicate && packetsOut(lx) > 0) {
      if (lx.sackedOut < packetsOut(lx) - 1) lx.sackedOut++;
      delivered++;
    } else if (advanced && result.delivered > 0) {
      lx.sackedOut = Math.max(0, lx.sackedOut - (result.delivered - 1));
    }
  }
  Undo.updateReoWnd(lx, result.priorDelivered);
  if (lx.tlpHighSeq >= 0) processTlpAck(s, h, tcb, lx, ack, advanced, duplicate, priorUna);
  const dubious = !advanced || sack !== undefined || tcb.recovery !== Recovery.OPEN || lx.lostOut > 0;
  let reoArmed = false;
  const wasOpen = tcb.recovery !== Recovery.RECOVERY;
  if (dubious && priorPackets > 0) {
    const lossAck: Undo.LossAck = { advanced, echo, origAcked: result.origAcked, dataSacked: result.sacked > 0, duplicate: duplicate && !dsack };
    reoArmed = fastRetransAlert(s, h, tcb, lx, lossAck, priorUna);
  }
  const cwndBefore = tcb.cc.cwnd;
  congControl(s, h, tcb, lx, delivered, advanced, lx.lostOut > priorLost, result.ackedBytes > 0);
  if (wasOpen && tcb.recovery === Recovery.RECOVERY) {
    const how = tcb.opts?.sackOk ? `RACK: ${lx.lostOut} lost, ${lx.sackedOut} SACKed` : `${REORDERING} duplicate ACKs`;
    s.note(`fast retransmit (${how}); ssthresh ${tcb.cc.ssthresh}, cwnd ${cwndBefore} -> ${tcb.cc.cwnd} (PRR)`, h, tcb.opts?.sackOk ? 'linux.tcp_rack_detect_loss.lost' : 'rfc5681.3.2.fast-retransmit');
  }
  if (packetsOut(lx) === 0) {
    Undo.episodeOver(lx);
    cancelXmitTimers(s, h, tcb, 'rfc6298.5.2');
  } else if (result.delivered > 0 && !reoArmed) {
    setXmitTimer(s, h, tcb, lx);
  }
  return result.ackedBytes;
}

/** PSH points already acknowledged are forgotten. */
function prunePushes(lx: LinuxState, ack: number): void {
  while (lx.pushHead < lx.pushAt.length && !seqGt(lx.pushAt[lx.pushHead], ack)) lx.pushHead++;
  if (lx.pushHead === lx.pushAt.length) {
    lx.pushAt.length = 0;
    lx.pushHead = 0;
  }
}

/** tcp_process_tlp_ack: the ACK of a loss probe that repaired a loss reduces cwnd once (CWR); a duplicate means nothing was lost. */
function processTlpAck(s: Stack, h: number, tcb: Tcb, lx: LinuxState, ack: number, advanced: boolean, duplicate: boolean, priorUna: number): void {
  if (seqLt(ack, lx.tlpHighSeq)) return;
  if (!lx.tlpRetrans) {
    lx.tlpHighSeq = -1;
  } else if (advanced) {
    lx.tlpHighSeq = -1;
    const st = s.settings[h];
    const c = tcb.cc;
    const before = c.cwnd;
    c.ssthresh = controller(st.cc).ssthresh(c, Recovery.outstanding(tcb), tcb.mss);
    c.cwnd = Math.min(c.cwnd, c.ssthresh); // tcp_init_cwnd_reduction, tcp_end_cwnd_reduction
    // No note when only our FIN was lost: no data will feel the smaller window.
    const finOnly = tcb.finSent && Seq.seqDiff(ack, priorUna) <= 1;
    if (!finOnly) s.note(`loss probe repaired a loss: cwnd ${before} -> ${c.cwnd}`, h, 'linux.tcp_process_tlp_ack.cwr');
  } else if (duplicate) {
    lx.tlpHighSeq = -1;
  }
}

/**
 * tcp_fastretrans_alert: leave recovery once everything outstanding at its start is acknowledged;
 * otherwise find losses (RACK, or the first segment at the third duplicate ACK without SACK) and
 * enter recovery when one is found. Returns whether RACK armed its reordering timer.
 */
function fastRetransAlert(s: Stack, h: number, tcb: Tcb, lx: LinuxState, a: Undo.LossAck, priorUna: number): boolean {
  const c = tcb.cc;
  const advanced = a.advanced;
  if (tcb.recovery === Recovery.LOSS && Undo.processLoss(s, h, tcb, lx, a)) {
    // tcp_process_loss returned early (undone, or F-RTO's new data); RACK still looks below.
  } else if (tcb.recovery === Recovery.OPEN) {
    Undo.episodeOver(lx);
  } else if (seqGe(tcb.sndUna, tcb.recover)) {
    // The undo marker stays: a D-SACK after recovery may still undo it (tcp_try_undo_dsack below).
    if (tcb.recovery === Recovery.RECOVERY) {
      if (!Undo.tryUndoRecovery(s, h, tcb, lx, a.echo)) {
        // tcp_end_cwnd_reduction
        const before = c.cwnd;
        if (c.ssthresh < Infinity) c.cwnd = c.ssthresh;
        s.note(`recovery ends: cwnd ${before} -> ${c.cwnd}`, h, 'rfc6937.prr');
      }
    } else if (!tcb.quietLoss) {
      s.note(`loss recovered: cwnd ${c.cwnd}`, h, 'linux.tcp_retransmit_timer.loss');
    }
    tcb.recovery = Recovery.OPEN;
    Undo.episodeOver(lx);
    if (!tcb.opts?.sackOk) lx.sackedOut = 0;
  } else if (tcb.recovery === Recovery.RECOVERY) {
    // tcp_fastretrans_alert's TCP_CA_Recovery: a partial ACK echoing an older time holds back
    // marking and retransmitting while retransmissions are in flight (tcp_try_undo_partial).
    if (advanced && Undo.tryUndoPartial(s, h, tcb, lx, a.echo, priorUna)) return false;
  }
  // In recovery, and in the open state (also just left): D-SACKs may undo the last recovery (tcp_try_undo_dsack).
  if (tcb.recovery !== Recovery.LOSS) Undo.tryUndoDsack(s, h, tcb, lx);
  const reoArmed = identifyLoss(s, h, tcb, lx, advanced);
  if (tcb.recovery === Recovery.OPEN && lx.lostOut > 0) enterRecovery(s, h, tcb, lx);
  return reoArmed;
}

/** tcp_identify_packet_loss: RACK, or without SACK the first segment at the third duplicate ACK (or a partial ACK in recovery). */
function identifyLoss(s: Stack, h: number, tcb: Tcb, lx: LinuxState, advanced: boolean): boolean {
  if (packetsOut(lx) === 0) return false;
  if (!tcb.opts?.sackOk) {
    if ((tcb.recovery === Recovery.OPEN && lx.sackedOut >= REORDERING) || (tcb.recovery === Recovery.RECOVERY && advanced)) {
      if (!(lx.qFlags[lx.qHead] & Q_LOST)) Queue.markLost(lx, lx.qHead);
    }
    return false;
  }
  return rackMarkLost(s, h, tcb, lx);
}

/** RFC 8985 6.2 (tcp_rack_reo_wnd): a quarter of the minimum RTT (no more than SRTT); none without reordering seen once recovery began or three segments are SACKed. */
function reoWnd(tcb: Tcb, lx: LinuxState): number {
  if (!lx.reordSeen && (tcb.recovery !== Recovery.OPEN || lx.sackedOut >= REORDERING)) return 0;
  const minRtt = lx.minRtt === Infinity ? 0 : lx.minRtt;
  return Math.min((minRtt >> 2) * lx.reoWndSteps, Math.max(0, Math.floor(tcb.srtt)));
}

/** tcp_rack_detect_loss: mark lost what was sent before RACK's newest delivered segment and is older than its RTT plus the window; returns how long the youngest of the others must still wait (0 none). */
function rackDetectLoss(s: Stack, tcb: Tcb, lx: LinuxState): number {
  const now = s.w.now;
  const window = reoWnd(tcb, lx);
  let wait = 0;
  for (let i = lx.qHead; i < lx.qSeq.length; i++) {
    const f = lx.qFlags[i];
    if (f & Q_SACKED || (f & Q_LOST && !(f & Q_RETRANS))) continue;
    if (!Queue.sentAfter(lx.rackTime, lx.qTime[i], lx.rackOrder, lx.qOrder[i])) {
      // Entries in sequence order were first sent in that order: none after this one was sent earlier, unless sent again.
      if (!(f & Q_EVER_RETRANS)) break;
      continue;
    }
    const remaining = lx.rackRtt + window - (now - lx.qTime[i]);
    if (remaining <= 0) Queue.markLost(lx, i);
    else if (remaining > wait) wait = remaining;
  }
  return wait;
}

/** tcp_rack_mark_lost: after RACK advanced; arms the reordering timer for what is not lost yet. */
function rackMarkLost(s: Stack, h: number, tcb: Tcb, lx: LinuxState): boolean {
  if (!lx.rackAdvanced) return false;
  lx.rackAdvanced = false;
  const wait = rackDetectLoss(s, tcb, lx);
  if (wait <= 0) return false;
  armXmitTimer(s, h, tcb, T_REORDER, timerDelay(s.w.now, wait + TIMEOUT_MIN), 'linux.tcp_rack_reo_timeout.fire');
  return true;
}

/** tcp_enter_recovery with tcp_init_cwnd_reduction: ssthresh from the controller, PRR from here. */
function enterRecovery(s: Stack, h: number, tcb: Tcb, lx: LinuxState): void {
  const st = s.settings[h];
  const c = tcb.cc;
  tcb.priorCwnd = Math.floor(c.cwnd / tcb.mss);
  tcb.prrDelivered = 0;
  tcb.prrOut = 0;
  Undo.initUndo(tcb, lx); // with prior_ssthresh and prior_cwnd, before ssthresh moves
  c.ssthresh = controller(st.cc).ssthresh(c, Recovery.outstanding(tcb), tcb.mss);
  c.counted = 0;
  tcb.recover = tcb.sndNxt;
  tcb.recovery = Recovery.RECOVERY;
}

/**
 * tcp_cong_control: during recovery, PRR (tcp_cwnd_reduction, RFC 6937) sets cwnd to what is in
 * flight plus what may go; otherwise the controller grows cwnd for data newly acknowledged.
 */
function congControl(s: Stack, h: number, tcb: Tcb, lx: LinuxState, delivered: number, advanced: boolean, newlyLost: boolean, dataAcked: boolean): void {
  const c = tcb.cc;
  const mss = tcb.mss;
  if (tcb.recovery === Recovery.RECOVERY) {
    if (delivered <= 0 || tcb.priorCwnd <= 0) return;
    tcb.prrDelivered += delivered;
    const ssthresh = Math.floor(c.ssthresh / mss);
    const pipe = inFlight(lx);
    const delta = ssthresh - pipe;
    let sndcnt: number;
    if (delta < 0) {
      sndcnt = Math.floor((ssthresh * tcb.prrDelivered + tcb.priorCwnd - 1) / tcb.priorCwnd) - tcb.prrOut;
    } else {
      sndcnt = Math.max(tcb.prrDelivered - tcb.prrOut, delivered);
      if (advanced && !newlyLost) sndcnt++;
      sndcnt = Math.min(delta, sndcnt);
    }
    sndcnt = Math.max(sndcnt, tcb.prrOut > 0 ? 0 : 1); // at least the fast retransmit itself
    c.cwnd = (pipe + sndcnt) * mss;
    return;
  }
  if (dataAcked) Recovery.growKernel(s, h, tcb, delivered * mss);
}

// ---- timers fire ---------------------------------------------------------------------------------------

/** tcp_send_loss_probe: new data if the windows let it, else the last segment again; then the RTO from now. */
export function lossProbeFired(s: Stack, h: number, tcb: Tcb, lx: LinuxState): void {
  const rule = 'linux.tcp_send_loss_probe.tlp';
  s.timerEvent(h, tcb, T_LOSSPROBE, 'fire', rule);
  if (lx.tlpHighSeq < 0 && packetsOut(lx) > 0) {
    lx.tlpRetrans = false;
    if (!Output.sendOneNew(s, h, tcb, rule)) {
      lx.tlpRetrans = true;
      retransmitEntry(s, h, tcb, lx, lx.qSeq.length - 1, rule);
    }
    lx.tlpHighSeq = tcb.sndNxt;
  }
  rearmRto(s, h, tcb, lx, 'linux.tcp_rtt_estimator.rto');
}

/** tcp_rack_reo_timeout: the reordering window is over: mark what is lost now, enter recovery, send it. */
export function reorderTimeoutFired(s: Stack, h: number, tcb: Tcb, lx: LinuxState): void {
  const rule = 'linux.tcp_rack_reo_timeout.fire';
  s.timerEvent(h, tcb, T_REORDER, 'fire', rule);
  const before = inFlight(lx);
  rackDetectLoss(s, tcb, lx);
  if (inFlight(lx) !== before) {
    if (tcb.recovery !== Recovery.RECOVERY) {
      const before = tcb.cc.cwnd;
      enterRecovery(s, h, tcb, lx);
      congControl(s, h, tcb, lx, 1, false, true, false);
      s.note(`fast retransmit (RACK, reordering window over: ${lx.lostOut} lost); ssthresh ${tcb.cc.ssthresh}, cwnd ${before} -> ${tcb.cc.cwnd} (PRR)`, h, rule);
    }
    Output.output(s, h, tcb);
  }
  if (tcb.timerAt[T_RTX] < 0) rearmRto(s, h, tcb, lx, 'linux.tcp_rtt_estimator.rto');
}

/** tcp_model_timeout: how long `boundary` retransmissions would take doubling from `base`, capped per retry at TCP_RTO_MAX. */
export function modelTimeout(boundary: number, base: number): number {
  const threshold = Math.floor(Math.log2(RTO_MAX / base));
  if (boundary <= threshold) return (2 ** (boundary + 1) - 1) * base;
  return (2 ** (threshold + 1) - 1) * base + (boundary - threshold) * RTO_MAX;
}

/** retransmits_timed_out: the time since `since` is past the budget of `boundary` retries from `base`. */
export function timedOut(s: Stack, since: number, boundary: number, base: number): boolean {
  return since >= 0 && s.w.now - since >= modelTimeout(boundary, base);
}

/**
 * tcp_retransmit_timer for a synchronized connection: give up when out of time; else tcp_enter_loss
 * (ssthresh unless this window already set it, everything not SACKed that is old enough lost, cwnd
 * what is in flight plus one), the first segment again, the RTO doubled. Returns false when it gave up.
 */
export function rtoFired(s: Stack, h: number, tcb: Tcb, lx: LinuxState): boolean {
  const st = s.settings[h];
  const rule = 'linux.tcp_retransmit_timer.loss';
  s.timerEvent(h, tcb, T_RTX, 'fire', rule);
  if (packetsOut(lx) === 0) return true;
  const since = lx.retransStamp >= 0 ? lx.retransStamp : lx.qTime[lx.qHead];
  if (tcb.retries > 0 && (st.userTimeout > 0 ? s.w.now - since >= st.userTimeout : timedOut(s, since, st.retries, st.rtoMin))) return false;
  enterLoss(s, h, tcb, lx);
  tcb.retries++;
  Undo.retransmitted(lx, s.w.now);
  retransmitEntry(s, h, tcb, lx, lx.qHead, rule);
  lx.backoff++;
  tcb.rto = Math.min(tcb.rto * 2, st.rtoMax);
  armXmitTimer(s, h, tcb, T_RTX, timerDelay(s.w.now, tcb.rto), 'linux.tcp_retransmit_timer.loss');
  return true;
}

/** tcp_enter_loss with tcp_timeout_mark_lost. */
function enterLoss(s: Stack, h: number, tcb: Tcb, lx: LinuxState): void {
  const st = s.settings[h];
  const c = tcb.cc;
  const cc = controller(st.cc);
  const before = c.cwnd;
  const ssthresh = c.ssthresh;
  if (tcb.recovery === Recovery.OPEN || !seqGt(tcb.recover, tcb.sndUna) || (tcb.recovery === Recovery.LOSS && tcb.retries === 0)) {
    Undo.initUndo(tcb, lx);
    c.ssthresh = cc.ssthresh(c, Recovery.outstanding(tcb), tcb.mss);
    cc.onTimeout(c);
  }
  // The first segment is lost; the others when RACK says they are old enough.
  const now = s.w.now;
  for (let i = lx.qHead; i < lx.qSeq.length; i++) {
    if (i !== lx.qHead && lx.rackRtt - (now - lx.qTime[i]) > 0) continue;
    Queue.markLost(lx, i);
  }
  c.cwnd = (inFlight(lx) + 1) * tcb.mss;
  c.counted = 0;
  // F-RTO step 1 (tcp_frto 2): unless a recovery was underway, other than timeouts of this SND.UNA.
  lx.frto = tcb.recovery === Recovery.OPEN || tcb.retries > 0;
  tcb.recovery = Recovery.LOSS;
  tcb.recover = tcb.sndNxt;
  lx.tlpHighSeq = -1;
  tcb.quietLoss = Recovery.outstanding(tcb) <= 1 && tcb.finSent;
  if (!tcb.quietLoss && (before !== c.cwnd || ssthresh !== c.ssthresh)) s.note(`timeout: cwnd ${before} -> ${c.cwnd}, ssthresh ${c.ssthresh}`, h, 'linux.tcp_retransmit_timer.loss');
}
