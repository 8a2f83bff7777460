// Undo of a spurious retransmission timeout, as the kernel does it (tcp_input.c tcp_enter_loss's
// tcp_init_undo, tcp_process_loss, tcp_try_undo_loss, tcp_may_undo, tcp_packet_delayed,
// tcp_undo_cwnd_reduction; tcp_cong.c tcp_reno_undo_cwnd, which cubic uses as its undo_cwnd):
//
// - At a timeout that starts a new episode, and when fast recovery begins, SND.UNA, ssthresh and
//   cwnd are remembered.
// - An ACK that advances SND.UNA in the loss state undoes the timeout when its timestamp echo
//   (TSecr) is older than the episode's first retransmission (Eifel, RFC 3522: the original was
//   merely delayed), or when D-SACKs showed every retransmission needless: cwnd and ssthresh are
//   restored, the lost marks cleared, and the connection is open again (with SACK, or F-RTO's undo).
// - RACK does not learn from a retransmitted segment whose ACK echoes a time before it was last
//   sent (tcp_skb_spurious_retrans): that ACK is the original's, so its RTT says nothing.
// - F-RTO (RFC 5682 3.1, SACK-enhanced, as tcp_process_loss runs it; tcp_frto 2): the first ACK that
//   advances SND.UNA after a timeout sends new data instead of retransmissions, if there is any and
//   the windows allow; if a later ACK then (S)ACKs a segment never sent again, the timeout was
//   spurious and is undone whatever the timestamps say. A duplicate ACK (not one carrying a D-SACK) or
//   a SACK after the new data shows the loss was real: retransmission goes on as usual.
// - Fast recovery is undone the same way (tcp_try_undo_recovery, _dsack, _partial): when SND.UNA
//   reaches its end with an echo older than the first retransmission, when D-SACKs have shown every
//   retransmission needless (also after recovery ended: the marker stays until the next episode), or
//   when a partial ACK echoes an older time with no retransmission left in flight (the hole was
//   filled by the original: reordering). A D-SACK once reordering was seen widens RACK's window
//   (tcp_rack_update_reo_wnd, RFC 8985 6.2 step 4).
import type { TcpOptions } from '../../trace';
import type { Tcb } from '../../world';
import type { Stack } from '../stack';
import * as Recovery from '../recovery';
import * as Seq from '../../seq';
import * as Queue from './queue';
import { Q_SACKED, type LinuxState } from './state';

/** tcp_init_undo with what tcp_enter_loss and tcp_enter_recovery save first (prior_ssthresh is tcp_current_ssthresh). */
export function initUndo(tcb: Tcb, lx: LinuxState): void {
  const c = tcb.cc;
  const inReduction = tcb.recovery === Recovery.RECOVERY;
  // tcp_current_ssthresh: (cwnd >> 1) + (cwnd >> 2) in segments outside a reduction.
  const w = Math.floor(c.cwnd / tcb.mss);
  lx.priorSsthresh = inReduction ? c.ssthresh : Math.max(c.ssthresh, ((w >> 1) + (w >> 2)) * tcb.mss);
  lx.priorCwndBytes = c.cwnd;
  lx.undoMarker = tcb.sndUna;
  // -1, not 0: 0 means every retransmission was shown needless ("can undo now").
  lx.undoRetrans = lx.retransOut + (lx.tlpHighSeq >= 0 && lx.tlpRetrans ? 1 : 0) || -1;
}

/** A retransmission (not a loss probe's) went out: it may draw a D-SACK; the first stamps the episode (tcp_retransmit_skb). */
export function retransmitted(lx: LinuxState, now: number): void {
  if (lx.retransAt < 0) lx.retransAt = now;
  if (lx.undoMarker >= 0) lx.undoRetrans = Math.max(0, lx.undoRetrans) + 1;
}

/** tcp_packet_delayed: the echo predates the first retransmission, or nothing was retransmitted. */
function packetDelayed(lx: LinuxState, echo: number): boolean {
  return lx.retransAt < 0 || Queue.echoBefore(echo, lx.retransAt);
}

/** tcp_may_undo: an episode to undo, and no retransmission left undisproved or the original delayed. */
function mayUndo(lx: LinuxState, echo: number): boolean {
  return lx.undoMarker >= 0 && (lx.undoRetrans === 0 || packetDelayed(lx, echo));
}

/** The episode is over (tp->retrans_stamp = 0: the give-up clock's start and the undo's stamp). */
export function episodeOver(lx: LinuxState): void {
  lx.retransStamp = -1;
  lx.retransAt = -1;
}

/** The ACK's timestamp echo on our clock (ms), or -1 without one. */
export function echoedMs(tcb: Tcb, options: TcpOptions | undefined): number {
  if (!tcb.opts?.tsOk || options?.ts === undefined || options.ts.ecr === 0) return -1;
  return (options.ts.ecr - tcb.opts.tsOffset) >>> 0;
}


/** tcp_dsack_seen and tcp_check_dsack: the ACK's first block, a D-SACK (`isDsack`), shows that many retransmissions needless. */
export function dsackSeen(tcb: Tcb, lx: LinuxState, sack: readonly { left: number; right: number }[] | undefined, dsack: boolean): void {
  if (!dsack || sack === undefined) return;
  const first = sack[0];
  // RACK's window grows only for D-SACKs once reordering was seen, not for a loss probe's (FLAG_DSACK_TLP).
  if (lx.reordSeen && !(lx.tlpHighSeq >= 0 && first.right === lx.tlpHighSeq)) lx.dsackSeen = true;
  if (lx.undoMarker < 0 || lx.undoRetrans <= 0) return;
  lx.undoRetrans = Math.max(0, lx.undoRetrans - Math.max(1, Math.ceil(Seq.seqDiff(first.right, first.left) / tcb.mss)));
}

/** tcp_check_dsack's test: the first block is below the ACK or inside the second (FLAG_DSACKING_ACK). */
export function isDsack(sack: readonly { left: number; right: number }[] | undefined, ack: number): boolean {
  if (sack === undefined || sack.length === 0) return false;
  const first = sack[0];
  return Seq.seqLt(first.left, ack) || (sack.length > 1 && Seq.seqGe(first.left, sack[1].left) && Seq.seqLe(first.right, sack[1].right));
}

/** What tcp_process_loss looks at in an ACK (tcp_ack's flags). */
export interface LossAck {
  advanced: boolean;
  echo: number;
  origAcked: boolean;
  dataSacked: boolean;
  /** num_dupack: not one that advances, carries data, updates the window or carries a D-SACK. */
  duplicate: boolean;
}

/**
 * tcp_process_loss up to its `recovered` test: undo (Eifel or D-SACK), F-RTO's undo, F-RTO's new data.
 * Returns true when it returned early (undone, or new data is to go); false to go on as before (leave
 * the loss state once recovered, else retransmit what is lost).
 */
export function processLoss(s: Stack, h: number, tcb: Tcb, lx: LinuxState, a: LossAck): boolean {
  const recovered = Seq.seqGe(tcb.sndUna, tcb.recover);
  if (a.advanced && tryUndoLoss(s, h, tcb, lx, a.echo, false)) return true;
  if (!lx.frto) return false;
  // Step 3.b: a segment never sent again was (S)ACKed: not everything was lost.
  if (a.origAcked && tryUndoLoss(s, h, tcb, lx, a.echo, true)) return true;
  if (Seq.seqGt(tcb.sndNxt, tcb.recover)) {
    if (a.dataSacked || a.duplicate) lx.frto = false; // step 3.a: the loss was real
  } else if (a.advanced && !recovered) {
    tcb.recover = tcb.sndNxt;
    // Step 2.b: new data if any and the peer's window takes it; else conventional recovery.
    if (tcb.sndQueued > 0 && Seq.seqGt(Seq.seqAdd(tcb.sndUna, tcb.sndWnd), tcb.sndNxt)) {
      lx.rexmitNew = true;
      s.note('F-RTO: the first ACK after the timeout advanced; new data goes instead of retransmissions', h, 'linux.tcp_process_loss.frto');
      return true;
    }
    lx.frto = false;
  }
  return false;
}

/**
 * tcp_process_loss's first step: an ACK advancing SND.UNA in the loss state undoes the timeout when
 * tcp_may_undo says it was spurious (tcp_try_undo_loss). Returns whether it did.
 */
export function tryUndoLoss(s: Stack, h: number, tcb: Tcb, lx: LinuxState, echo: number, frtoUndo: boolean): boolean {
  const delayed = lx.retransAt >= 0 && Queue.echoBefore(echo, lx.retransAt);
  if (!frtoUndo && !mayUndo(lx, echo)) return false;
  const before = tcb.cc.cwnd;
  undoCwndReduction(tcb, lx, true);
  tcb.retries = 0;
  // Without SACK the loss state holds until something above the timeout's SND.NXT is ACKed
  // (tcp_is_non_sack_preventing_reopen), and only F-RTO's undo reopens it at once.
  const sack = tcb.opts?.sackOk === true;
  if (sack || (frtoUndo && tcb.sndUna !== tcb.recover)) tcb.recovery = Recovery.OPEN;
  const why = frtoUndo
    ? 'F-RTO: a segment never sent again was acknowledged'
    : delayed ? 'the ACK echoes a timestamp older than the retransmission' : 'D-SACKs showed every retransmission needless';
  // F-RTO's undo is tcp_try_undo_loss too, but its rule's text is the one that says why.
  const rule = frtoUndo ? 'linux.tcp_process_loss.frto' : 'linux.tcp_try_undo_loss.undo';
  s.note(`spurious timeout undone (${why}): cwnd ${before} -> ${tcb.cc.cwnd}, ssthresh ${tcb.cc.ssthresh}`, h, rule);
  return true;
}

/** tcp_undo_cwnd_reduction: cwnd and ssthresh back (tcp_reno_undo_cwnd), the lost marks gone if asked, the episode forgotten. */
function undoCwndReduction(tcb: Tcb, lx: LinuxState, unmarkLoss: boolean): void {
  const c = tcb.cc;
  if (unmarkLoss) {
    for (let i = lx.qHead; i < lx.qSeq.length; i++) {
      Queue.unmarkLost(lx, i);
    }
  }
  if (lx.priorSsthresh > 0) {
    c.cwnd = Math.max(c.cwnd, lx.priorCwndBytes);
    if (lx.priorSsthresh > c.ssthresh) c.ssthresh = lx.priorSsthresh;
  }
  lx.undoMarker = -1;
  lx.rackAdvanced = true; // RACK looks at the queue again
}

/** TCP_RACK_RECOVERY_THRESH: recoveries a widened reordering window outlives. */
const RECOVERY_THRESH = 16;

/**
 * tcp_try_undo_recovery: SND.UNA reached the end of fast recovery; tcp_may_undo says whether the
 * retransmissions were needless (every one D-SACKed, or the echo predates the first). Returns
 * whether it undid; the caller leaves recovery either way.
 */
export function tryUndoRecovery(s: Stack, h: number, tcb: Tcb, lx: LinuxState, echo: number): boolean {
  if (!mayUndo(lx, echo)) {
    if (lx.reoWndPersist > 0) lx.reoWndPersist--;
    return false;
  }
  const before = tcb.cc.cwnd;
  undoCwndReduction(tcb, lx, false);
  const why = lx.undoRetrans === 0 ? 'D-SACKs showed every retransmission needless' : 'the ACK echoes a timestamp older than the retransmission';
  s.note(`fast retransmit undone at the end of recovery (${why}): cwnd ${before} -> ${tcb.cc.cwnd}, ssthresh ${tcb.cc.ssthresh}`, h, 'linux.tcp_try_undo_recovery.undo');
  return true;
}

/**
 * tcp_try_undo_dsack: D-SACKs have shown every retransmission of the episode needless, during fast
 * recovery or after it (the marker stays until the next episode): cwnd and ssthresh come back.
 */
export function tryUndoDsack(s: Stack, h: number, tcb: Tcb, lx: LinuxState): boolean {
  if (lx.undoMarker < 0 || lx.undoRetrans !== 0) return false;
  lx.reoWndPersist = Math.min(RECOVERY_THRESH, lx.reoWndPersist + 1);
  const before = tcb.cc.cwnd;
  const during = tcb.recovery === Recovery.RECOVERY;
  undoCwndReduction(tcb, lx, false);
  tcb.recovery = Recovery.OPEN; // tcp_try_to_open
  s.note(`fast retransmit undone${during ? '' : ' after recovery'} (D-SACKs showed every retransmission needless): cwnd ${before} -> ${tcb.cc.cwnd}, ssthresh ${tcb.cc.ssthresh}`, h, 'linux.tcp_try_undo_dsack.undo');
  return true;
}

/**
 * tcp_try_undo_partial: a partial ACK during fast recovery whose echo predates the first
 * retransmission: the hole was filled by the original, so the network reordered
 * (tcp_check_sack_reordering). With retransmissions still in flight, returns true: new data may go,
 * but nothing more is marked lost or sent again. With none, recovery is undone (the lost marks too).
 */
export function tryUndoPartial(s: Stack, h: number, tcb: Tcb, lx: LinuxState, echo: number, priorUna: number): boolean {
  if (lx.undoMarker < 0 || !packetDelayed(lx, echo)) return false;
  if (Seq.seqLt(priorUna, highestSacked(tcb, lx))) lx.reordSeen = true;
  if (lx.retransOut > 0) return true;
  const before = tcb.cc.cwnd;
  undoCwndReduction(tcb, lx, true);
  tcb.recovery = Recovery.OPEN; // tcp_try_keep_open
  s.note(`fast retransmit undone (a partial ACK echoes a timestamp older than the retransmission): cwnd ${before} -> ${tcb.cc.cwnd}, ssthresh ${tcb.cc.ssthresh}`, h, 'linux.tcp_try_undo_partial.undo');
  return false;
}

/** tcp_highest_sack_seq: the end of the highest SACKed segment, else SND.UNA. */
function highestSacked(tcb: Tcb, lx: LinuxState): number {
  for (let i = lx.qSeq.length - 1; i >= lx.qHead; i--) if (lx.qFlags[i] & Q_SACKED) return lx.qEnd[i];
  return tcb.sndUna;
}

/**
 * tcp_rack_update_reo_wnd (RFC 8985 6.2 step 4): after an ACK that delivered data, a D-SACK seen once
 * reordering was (at most once a round trip: the ACKed data was sent after the last widening) widens
 * RACK's window by a step and keeps it for 16 recoveries; once those have passed, it is one step again.
 */
export function updateReoWnd(lx: LinuxState, priorDelivered: number): void {
  if (priorDelivered <= 0) return;
  if (priorDelivered < lx.reoLastDelivered) lx.dsackSeen = false;
  if (lx.dsackSeen) {
    lx.reoWndSteps = Math.min(0xff, lx.reoWndSteps + 1);
    lx.dsackSeen = false;
    lx.reoLastDelivered = lx.delivered;
    lx.reoWndPersist = RECOVERY_THRESH;
  } else if (lx.reoWndPersist === 0) {
    lx.reoWndSteps = 1;
  }
}
