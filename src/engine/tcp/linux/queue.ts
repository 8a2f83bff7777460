// The retransmission queue (the kernel's tcp_rtx_queue and its scoreboard, tcp_input.c
// tcp_clean_rtx_queue, tcp_sacktag_write_queue; include/net/tcp.h tcp_packets_in_flight): every
// segment sent and not acknowledged, when it was last sent, and whether the receiver SACKed it, it is
// presumed lost, or it was sent again. The kernel counts segments ("packets"), not bytes, for its
// window (cwnd) and what is in flight; so does this.

import * as Seq from '../../seq';
import type { Tcb } from '../../world';
import { Q_EVER_RETRANS, Q_LOST, Q_RETRANS, Q_SACKED, type LinuxState } from './state';

const { seqGe, seqGt, seqLe, seqLt } = Seq;

export function packetsOut(lx: LinuxState): number {
  return lx.qSeq.length - lx.qHead;
}

/** tcp_packets_in_flight: sent, less SACKed and lost, plus sent again. */
export function inFlight(lx: LinuxState): number {
  return packetsOut(lx) - (lx.sackedOut + lx.lostOut) + lx.retransOut;
}

/** Bytes in flight (the segments tcp_packets_in_flight counts): the queue's bytes less those not in flight. */
export function bytesInFlight(lx: LinuxState): number {
  const n = lx.qSeq.length;
  return lx.qHead < n ? Seq.seqDiff(lx.qEnd[n - 1], lx.qSeq[lx.qHead]) - lx.outBytes : 0;
}

/** Whether an entry with flags `f` is in flight: sent again, or neither SACKed nor lost. */
function counted(f: number): boolean {
  return (f & Q_RETRANS) !== 0 || (f & (Q_SACKED | Q_LOST)) === 0;
}

/** Entry `i`'s flags become `f`, keeping `outBytes` (the entries cover [SND.UNA, SND.NXT) without gaps). */
function setFlags(lx: LinuxState, i: number, f: number): void {
  const was = counted(lx.qFlags[i]);
  const is = counted(f);
  if (was !== is) lx.outBytes += (was ? 1 : -1) * Seq.seqDiff(lx.qEnd[i], lx.qSeq[i]);
  lx.qFlags[i] = f;
}

/** A new segment [seq, end) went out at `now` (tcp_event_new_data_sent). */
export function queueSent(lx: LinuxState, seq: number, end: number, now: number): void {
  lx.qSeq.push(seq);
  lx.qEnd.push(end);
  lx.qTime.push(now);
  lx.qOrder.push(++lx.sent);
  lx.qFlags.push(0);
  lx.qDelivered.push(lx.delivered);
}

/** The queue entry that starts at `seq`, or -1. */
export function entryAt(lx: LinuxState, seq: number): number {
  for (let i = lx.qHead; i < lx.qSeq.length; i++) if (lx.qSeq[i] === seq) return i;
  return -1;
}

/** Entry `i` was sent again at `now` (tcp_retransmit_skb): counted in flight again until lost or (S)ACKed. */
export function queueRetransmitted(lx: LinuxState, i: number, now: number): void {
  if (lx.retransStamp < 0) lx.retransStamp = lx.qTime[i];
  lx.qTime[i] = now;
  lx.qOrder[i] = ++lx.sent;
  lx.qDelivered[i] = lx.delivered;
  if (!(lx.qFlags[i] & Q_RETRANS)) lx.retransOut++;
  setFlags(lx, i, lx.qFlags[i] | Q_RETRANS | Q_EVER_RETRANS);
}

/** tcp_mark_skb_lost: presumed lost (a copy sent again is lost with it). */
export function markLost(lx: LinuxState, i: number): void {
  const f = lx.qFlags[i];
  if (f & Q_SACKED) return;
  if (f & Q_RETRANS) {
    lx.retransOut--;
    setFlags(lx, i, lx.qFlags[i] & ~Q_RETRANS);
  }
  if (!(f & Q_LOST)) {
    setFlags(lx, i, lx.qFlags[i] | Q_LOST);
    lx.lostOut++;
  }
}

/** tcp_undo_cwnd_reduction: entry `i` is no longer presumed lost. */
export function unmarkLost(lx: LinuxState, i: number): void {
  const f = lx.qFlags[i];
  if (!(f & Q_LOST)) return;
  setFlags(lx, i, f & ~Q_LOST);
  lx.lostOut--;
}

/** tcp_tsopt_ecr_before: the echo (ms, -1 none) is older than `when` (µs), in the timestamp's ms ticks. */
export function echoBefore(echo: number, when: number): boolean {
  return echo >= 0 && echo < Math.floor(when / 1000);
}

/** tcp_skb_spurious_retrans (tcp_clean_rtx_queue): entry `i` was sent again, and the cumulative ACK echoes a time before its last send. */
function spuriousRetrans(lx: LinuxState, i: number, echo: number): boolean {
  return (lx.qFlags[i] & Q_EVER_RETRANS) !== 0 && echoBefore(echo, lx.qTime[i]);
}

/** tcp_rack_advance: (s)acked entry `i`, retransmitted or not. */
export function rackAdvance(lx: LinuxState, now: number, i: number, retransmitted: boolean): void {
  const time = lx.qTime[i];
  const rtt = now - time;
  // A retransmission ACKed sooner than the minimum RTT may be the original's ACK: ambiguous, skip.
  if (retransmitted && rtt < lx.minRtt) return;
  lx.rackAdvanced = true;
  lx.rackRtt = rtt;
  if (sentAfter(time, lx.rackTime, lx.qOrder[i], lx.rackOrder)) {
    lx.rackTime = time;
    lx.rackOrder = lx.qOrder[i];
  }
}

/** tcp_skb_sent_after: later in time, or at the same time sent later (the kernel compares sequence numbers within one burst). */
export function sentAfter(t1: number, t2: number, order1: number, order2: number): boolean {
  return t1 > t2 || (t1 === t2 && order1 > order2);
}

export interface AckResult {
  /** Segments newly acknowledged cumulatively and newly SACKed (the kernel's acked_sacked). */
  delivered: number;
  /** Bytes of data newly acknowledged cumulatively. */
  ackedBytes: number;
  /** The RTT sample of the ACK (µs) when every segment it newly acknowledged was sent once, else -1. */
  rtt: number;
  /** An entry below the highest SACKed one was delivered: the network reordered (tcp_check_sack_reordering). */
  reordered: boolean;
  /** Segments newly SACKed (FLAG_DATA_SACKED), and whether one never sent again up to SND.NXT at the timeout was (S)ACKed (FLAG_ORIG_SACK_ACKED). */
  sacked: number;
  origAcked: boolean;
  /** tcp_rate_skb_delivered's rs->prior_delivered: `delivered` when the most recently sent of the segments delivered now was sent (0 none). */
  priorDelivered: number;
}

/** tcp_rate_skb_delivered: entry `i` was delivered; the most recently sent one gives the sample's prior_delivered. */
function rateDelivered(lx: LinuxState, i: number, result: AckResult, best: { time: number; order: number }): void {
  if (result.priorDelivered === 0 || sentAfter(lx.qTime[i], best.time, lx.qOrder[i], best.order)) {
    result.priorDelivered = lx.qDelivered[i];
    best.time = lx.qTime[i];
    best.order = lx.qOrder[i];
  }
}

/**
 * tcp_sacktag_write_queue then tcp_clean_rtx_queue: mark the entries the SACK blocks cover, drop the
 * entries SEG.ACK covers (trim one it covers in part), and take an RTT sample and RACK's newest
 * delivered segment from them. A block below SND.UNA, or inside another block, is a D-SACK (RFC 2883)
 * and marks nothing.
 */
export function queueAck(tcb: Tcb, lx: LinuxState, ack: number, sack: readonly { left: number; right: number }[] | undefined, now: number, echo = -1): AckResult {
  const result: AckResult = { delivered: 0, ackedBytes: 0, rtt: -1, reordered: false, sacked: 0, origAcked: false, priorDelivered: 0 };
  const best = { time: -1, order: 0 };
  const highestSacked = highestSack(lx);
  if (sack !== undefined) {
    for (let b = 0; b < sack.length; b++) {
      const { left, right } = sack[b];
      if (!seqGt(right, ack) || (b === 0 && sack.length > 1 && seqLe(sack[1].left, left) && seqGe(sack[1].right, right))) continue; // D-SACK
      for (let i = lx.qHead; i < lx.qSeq.length; i++) {
        const s = lx.qSeq[i];
        if (seqGe(s, right)) break;
        const f = lx.qFlags[i];
        if (f & Q_SACKED || seqLt(s, left) || seqGt(lx.qEnd[i], right)) continue;
        // tcp_sacktag_one: SACKed; no longer lost, its copy no longer in flight.
        if (f & Q_LOST) lx.lostOut--;
        if (f & Q_RETRANS) lx.retransOut--;
        setFlags(lx, i, (f & ~(Q_LOST | Q_RETRANS)) | Q_SACKED);
        lx.sackedOut++;
        result.delivered++;
        result.sacked++;
        rateDelivered(lx, i, result, best);
        if (!(f & Q_EVER_RETRANS) && seqLe(lx.qEnd[i], tcb.recover)) result.origAcked = true;
        if (!(f & Q_EVER_RETRANS) && highestSacked !== undefined && seqLt(lx.qEnd[i], highestSacked)) result.reordered = true;
        // A SACK's echo need not be this segment's (the peer echoes the last in-order one): no spurious check here.
        rackAdvance(lx, now, i, (f & Q_EVER_RETRANS) !== 0);
      }
    }
  }
  let firstTime = -1;
  let retransmittedAcked = false;
  while (lx.qHead < lx.qSeq.length && seqLe(lx.qEnd[lx.qHead], ack)) {
    const i = lx.qHead++;
    const f = lx.qFlags[i];
    result.ackedBytes += Seq.seqDiff(lx.qEnd[i], lx.qSeq[i]);
    if (!counted(f)) lx.outBytes -= Seq.seqDiff(lx.qEnd[i], lx.qSeq[i]);
    if (f & Q_SACKED) {
      lx.sackedOut--;
    } else {
      result.delivered++;
      rateDelivered(lx, i, result, best);
      if (f & Q_LOST) lx.lostOut--;
      if (f & Q_RETRANS) lx.retransOut--;
      if (f & Q_EVER_RETRANS) retransmittedAcked = true;
      else if (firstTime < 0) firstTime = lx.qTime[i];
      if (!(f & Q_EVER_RETRANS) && seqLe(lx.qEnd[i], tcb.recover)) result.origAcked = true;
      if (!(f & Q_EVER_RETRANS) && highestSacked !== undefined && seqLt(lx.qEnd[i], highestSacked)) result.reordered = true;
      if (!spuriousRetrans(lx, i, echo)) rackAdvance(lx, now, i, (f & Q_EVER_RETRANS) !== 0);
    }
  }
  if (lx.qHead < lx.qSeq.length && seqGt(ack, lx.qSeq[lx.qHead])) {
    // tcp_trim_head: the head is acknowledged in part.
    result.ackedBytes += Seq.seqDiff(ack, lx.qSeq[lx.qHead]);
    if (!counted(lx.qFlags[lx.qHead])) lx.outBytes -= Seq.seqDiff(ack, lx.qSeq[lx.qHead]);
    lx.qSeq[lx.qHead] = ack;
  }
  if (lx.qHead === lx.qSeq.length) clearQueue(lx);
  else if (lx.qHead > 64 && lx.qHead * 2 > lx.qSeq.length) compact(lx);
  if (firstTime >= 0 && !retransmittedAcked) result.rtt = now - firstTime;
  lx.delivered += result.delivered;
  return result;
}

/** The end of the highest SACKed entry, if any. */
function highestSack(lx: LinuxState): number | undefined {
  if (lx.sackedOut === 0) return undefined;
  for (let i = lx.qSeq.length - 1; i >= lx.qHead; i--) if (lx.qFlags[i] & Q_SACKED) return lx.qEnd[i];
  return undefined;
}

function clearQueue(lx: LinuxState): void {
  lx.qSeq.length = lx.qEnd.length = lx.qTime.length = lx.qOrder.length = lx.qFlags.length = lx.qDelivered.length = 0;
  lx.qHead = 0;
  lx.sackedOut = lx.lostOut = lx.retransOut = lx.outBytes = 0;
}

function compact(lx: LinuxState): void {
  const h = lx.qHead;
  lx.qSeq.splice(0, h);
  lx.qEnd.splice(0, h);
  lx.qTime.splice(0, h);
  lx.qOrder.splice(0, h);
  lx.qFlags.splice(0, h);
  lx.qDelivered.splice(0, h);
  lx.qHead = 0;
}
