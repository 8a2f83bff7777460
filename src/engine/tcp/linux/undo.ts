// Undo of a spurious retransmission timeout, as the kernel does it (tcp_input.c tcp_enter_loss's
// tcp_init_undo, tcp_process_loss, tcp_try_undo_loss, tcp_may_undo, tcp_packet_delayed,
// tcp_undo_cwnd_reduction; tcp_cong.c tcp_reno_undo_cwnd, which cubic uses as its undo_cwnd):
//
// - At a timeout that starts a new episode, SND.UNA, ssthresh and cwnd are remembered.
// - An ACK that advances SND.UNA in the loss state undoes the timeout when its timestamp echo
//   (TSecr) is older than the episode's first retransmission (Eifel, RFC 3522: the original was
//   merely delayed), or when D-SACKs showed every retransmission needless: cwnd and ssthresh are
//   restored, the lost marks cleared, and the connection is open again.
// - RACK does not learn from a retransmitted segment whose ACK echoes a time before it was last
//   sent (tcp_skb_spurious_retrans): that ACK is the original's, so its RTT says nothing.
// - F-RTO (RFC 5682 3.1, SACK-enhanced, as tcp_process_loss runs it; tcp_frto 2): the first ACK that
//   advances SND.UNA after a timeout sends new data instead of retransmissions, if there is any and
//   the windows allow; if a later ACK then (S)ACKs a segment never sent again, the timeout was
//   spurious and is undone whatever the timestamps say. A duplicate ACK or a SACK after the new data
//   shows the loss was real: retransmission goes on as usual.
import type { TcpOptions } from '../../trace';
import type { Tcb } from '../../world';
import type { Stack } from '../stack';
import * as Recovery from '../recovery';
import * as Seq from '../../seq';
import * as Queue from './queue';
import { Q_LOST, type LinuxState } from './state';

/** tcp_init_undo with what tcp_enter_loss saves first (prior_ssthresh is tcp_current_ssthresh). */
export function initUndo(tcb: Tcb, lx: LinuxState): void {
  const c = tcb.cc;
  const inReduction = tcb.recovery === Recovery.RECOVERY;
  lx.priorSsthresh = inReduction ? c.ssthresh : Math.max(c.ssthresh, Math.floor((c.cwnd / tcb.mss) * 3 / 4) * tcb.mss);
  lx.priorCwndBytes = c.cwnd;
  lx.undoMarker = tcb.sndUna;
  lx.undoRetrans = lx.retransOut + (lx.tlpHighSeq >= 0 && lx.tlpRetrans ? 1 : 0);
}

/** A retransmission (not a loss probe's) went out: it may draw a D-SACK; the first stamps the episode. */
export function retransmitted(lx: LinuxState, now: number): void {
  if (lx.retransAt < 0) lx.retransAt = now;
  if (lx.undoMarker >= 0) lx.undoRetrans++;
}

/** The episode is over (tp->retrans_stamp = 0). */
export function episodeOver(lx: LinuxState): void {
  lx.retransAt = -1;
}

/** The ACK's timestamp echo on our clock (ms), or -1 without one. */
export function echoedMs(tcb: Tcb, options: TcpOptions | undefined): number {
  if (!tcb.opts?.tsOk || options?.ts === undefined || options.ts.ecr === 0) return -1;
  return (options.ts.ecr - tcb.opts.tsOffset) >>> 0;
}

/** tcp_tsopt_ecr_before: the echo is older than `when` (µs), in the timestamp's ms ticks. */
export function echoBefore(echo: number, when: number): boolean {
  return echo >= 0 && echo < Math.floor(when / 1000);
}

/** tcp_dsack_seen: a D-SACK block shows that many retransmissions needless. */
export function dsackSeen(tcb: Tcb, lx: LinuxState, sack: readonly { left: number; right: number }[] | undefined, ack: number): void {
  if (sack === undefined || sack.length === 0 || lx.undoMarker < 0 || lx.undoRetrans <= 0) return;
  const first = sack[0];
  const dsack = !Seq.seqGt(first.right, ack) || (sack.length > 1 && Seq.seqLe(sack[1].left, first.left) && Seq.seqGe(sack[1].right, first.right));
  if (!dsack) return;
  lx.undoRetrans = Math.max(0, lx.undoRetrans - Math.max(1, Math.ceil(Seq.seqDiff(first.right, first.left) / tcb.mss)));
}

/** What tcp_process_loss looks at in an ACK (tcp_ack's flags). */
export interface LossAck {
  advanced: boolean;
  echo: number;
  origAcked: boolean;
  dataSacked: boolean;
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
  const delayed = lx.retransAt >= 0 && echoBefore(echo, lx.retransAt);
  // tcp_may_undo: undo_marker and (no retransmission left undisproved, or the original was delayed).
  if (!frtoUndo && (lx.undoMarker < 0 || (lx.undoRetrans > 0 && !delayed))) return false;
  const c = tcb.cc;
  const before = c.cwnd;
  // tcp_undo_cwnd_reduction(sk, true): the lost marks go; cwnd and ssthresh back (tcp_reno_undo_cwnd).
  for (let i = lx.qHead; i < lx.qSeq.length; i++) {
    if (lx.qFlags[i] & Q_LOST) Queue.unmarkLost(lx, i);
  }
  if (lx.priorSsthresh > 0) {
    c.cwnd = Math.max(c.cwnd, lx.priorCwndBytes);
    if (lx.priorSsthresh > c.ssthresh) c.ssthresh = lx.priorSsthresh;
  }
  lx.undoMarker = -1;
  lx.rackAdvanced = true;
  tcb.retries = 0;
  tcb.recovery = Recovery.OPEN;
  const why = frtoUndo
    ? 'F-RTO: a segment never sent again was acknowledged'
    : delayed ? 'the ACK echoes a timestamp older than the retransmission' : 'D-SACKs showed every retransmission needless';
  s.note(`spurious timeout undone (${why}): cwnd ${before} -> ${c.cwnd}, ssthresh ${c.ssthresh}`, h, 'linux.tcp_try_undo_loss.undo');
  return true;
}
