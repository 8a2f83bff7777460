// When Linux acknowledges (tcp_input.c tcp_event_data_recv, __tcp_ack_snd_check, tcp_fin;
// tcp_output.c tcp_send_delayed_ack, tcp_event_ack_sent, tcp_event_data_sent; tcp_timer.c
// tcp_delack_timer_handler; tcp.c tcp_cleanup_rbuf). What the captures show (docs/captures.md):
//
// - Quick-ACK mode: the first data of a connection starts a credit of up to 16 ACKs sent at once
//   (TCP_MAX_QUICKACKS, at most the window over two segments), renewed while the window grows, so
//   the first segments are each ACKed at once.
// - Otherwise an ACK goes at once when more than one full segment arrived since the last one and the
//   window can move right; else it waits for the delayed-ACK timer: `ato`, 0 on a connection that has
//   received no data (the next tick), 40 ms after data (TCP_ATO_MIN), longer when delayed ACKs were
//   missed, bounded by the RTT.
// - Ping-pong (interactive) mode: a FIN received in ESTABLISHED, or data sent within ato of data
//   received, makes every ACK wait for the timer (no quick ACKs): a prompt close then carries the
//   ACK of the peer's FIN in its FIN,ACK.
// - Any segment going out with the ACK (data, FIN) cancels the pending delayed ACK.

import * as Flags from '../../flags';
import type { RuleId } from '../../rules';
import * as Seq from '../../seq';
import * as Timers from '../../timers';
import type { Tcb } from '../../world';
import type { Stack } from '../stack';
import * as Output from '../output';
import { ACK_NOW, ACK_PUSHED, ACK_PUSHED2, ACK_SCHED, ACK_TIMER, type LinuxState } from './state';
import { jiffies, timerDelay } from './jiffies';
import * as Window from './window';

const { F_FIN, F_PSH, F_SYN, F_URG } = Flags;
const { seqDiff } = Seq;
const { T_DELACK } = Timers;

/** TCP_MAX_QUICKACKS. */
const MAX_QUICKACKS = 16;
/** TCP_ATO_MIN = TCP_DELACK_MIN: 40 ms (HZ/25). */
export const ATO_MIN = 40_000;
/** TCP_DELACK_MAX: 200 ms (HZ/5). */
const DELACK_MAX = 200_000;
/** HZ/2: the longest delay outside ping-pong mode. */
const DELACK_SLOW = 500_000;
/** tcp_pingpong_thresh: interactive from the first reply. */
const PINGPONG_THRESH = 1;
/** TCP_FASTRETRANS_THRESH: duplicate ACKs for out-of-order data sent at once before they are compressed. */
const DUPACKS_AT_ONCE = 3;
/** tcp_comp_sack_delay_ns: the most a compressed SACK waits. */
const COMP_SACK_DELAY = 1000;

export function inPingpong(lx: LinuxState): boolean {
  return lx.pingpong >= PINGPONG_THRESH;
}

/** tcp_incr_quickack: a credit of quick ACKs, as many as half the window holds segments (at least 2, at most `max`). */
function incrQuickack(lx: LinuxState, max: number): void {
  let quickacks = Math.floor(lx.rcvWnd / (2 * lx.rcvMss));
  if (quickacks === 0) quickacks = 2;
  quickacks = Math.min(quickacks, max);
  if (quickacks > lx.quick) lx.quick = quickacks;
}

/** tcp_enter_quickack_mode: ACK the next segments at once and leave ping-pong mode. */
export function enterQuickack(lx: LinuxState): void {
  incrQuickack(lx, MAX_QUICKACKS);
  lx.pingpong = 0;
  lx.ato = ATO_MIN;
}

function inQuickack(lx: LinuxState): boolean {
  return lx.quick > 0 && !inPingpong(lx);
}

/**
 * tcp_event_data_recv: `len` bytes arrived in order (`flags` of the segment, `tsEcr` its echoed
 * timestamp). The first data starts the quick-ACK credit and ato at 40 ms; later ato follows the gaps
 * between segments; a long silence renews the credit; the window may grow.
 */
export function dataReceived(s: Stack, tcb: Tcb, lx: LinuxState, len: number, flags: number, tsEcr: number | undefined): void {
  const now = s.w.now;
  lx.ackPending |= ACK_SCHED;
  const headerLen = 20 + (tcb.opts?.tsOk ? 12 : 0);
  Window.measureRcvMss(tcb, lx, len, (flags & F_PSH) !== 0, (flags & (F_PSH | F_FIN | F_URG | F_SYN)) !== 0, headerLen);
  rcvRttMeasure(s, tcb, lx, len, tsEcr);
  if (lx.ato === 0) {
    incrQuickack(lx, MAX_QUICKACKS);
    lx.ato = ATO_MIN;
  } else {
    const m = jiffies(now - lx.lrcvtime);
    if (m <= ATO_MIN / 2) lx.ato = (lx.ato >> 1) + ATO_MIN / 2;
    else if (m < lx.ato) lx.ato = Math.min((lx.ato >> 1) + m, tcb.rto, DELACK_MAX);
    else if (m > tcb.rto) incrQuickack(lx, MAX_QUICKACKS);
  }
  lx.lrcvtime = now;
  // The segment's memory is counted (chargeQueued): the application reads after (afterRead).
  if (len >= Window.GROW_MIN_LEN) Window.growWindow(tcb, lx, len, true);
}

/** The receiver's RTT for dynamic right-sizing: from the timestamp echoed in a full segment (tcp_rcv_rtt_measure_ts), else once per window. */
function rcvRttMeasure(s: Stack, tcb: Tcb, lx: LinuxState, len: number, tsEcr: number | undefined): void {
  const opts = tcb.opts;
  if (opts !== undefined && opts.tsOk) {
    if (tsEcr === undefined || tsEcr === lx.rcvRttEcr) return;
    lx.rcvRttEcr = tsEcr;
    if (len < lx.rcvMss) return;
    // Our timestamps count milliseconds from tsOffset: the echo says when we sent what it answers.
    const delta = (Math.floor(s.w.now / 1000) - ((tsEcr - opts.tsOffset) >>> 0)) * 1000;
    if (delta > 0) Window.rcvRttSample(lx, delta, false);
  }
}

/** A segment arrived that calls for an ACK at once (a gap filled, a duplicate, a zero window). */
export function ackNow(lx: LinuxState): void {
  lx.ackPending |= ACK_SCHED | ACK_NOW;
}

/** Something arrived that must be acknowledged (inet_csk_schedule_ack). */
export function scheduleAck(lx: LinuxState): void {
  lx.ackPending |= ACK_SCHED;
}

/**
 * __tcp_ack_snd_check: after a segment's text and FIN (and after any data it let us send, which
 * carries the ACK). `nowRule` names why an ACK_NOW was asked for.
 */
export function ackSndCheck(s: Stack, h: number, tcb: Tcb, lx: LinuxState, nowRule: RuleId): void {
  if (!(lx.ackPending & ACK_SCHED)) return; // tcp_ack_snd_check: data sent already carried it
  const twoSegments = seqDiff(tcb.rcvNxt, lx.rcvWup) > lx.rcvMss && Window.computeWindow(tcb, lx) >= lx.rcvWnd;
  if (twoSegments || inQuickack(lx) || lx.ackPending & ACK_NOW) {
    const rule = lx.ackPending & ACK_NOW ? nowRule : inQuickack(lx) ? 'linux.tcp_ack_snd_check.quickack' : 'linux.tcp_ack_snd_check.two-segments';
    return Output.sendAck(s, h, tcb, rule);
  }
  const held = tcb.heldHead < tcb.held.length;
  if (!held) return sendDelayedAck(s, h, tcb, lx, inPingpong(lx) ? 'linux.tcp_fin.pingpong' : 'linux.tcp_send_delayed_ack.ato');
  // Out-of-order data: the first duplicate ACKs for a hole go at once, later ones are compressed
  // (tcp_sack_compress_send_ack) for a twentieth of the RTT, at most 1 ms.
  if (!tcb.opts?.sackOk || lx.dupAcksSent < DUPACKS_AT_ONCE || lx.dupAckFor !== tcb.rcvNxt) {
    if (lx.dupAckFor !== tcb.rcvNxt) {
      lx.dupAckFor = tcb.rcvNxt;
      lx.dupAcksSent = 0;
    }
    lx.dupAcksSent++;
    return Output.sendAck(s, h, tcb, 'linux.tcp_data_queue_ofo.sack');
  }
  if (tcb.timerAt[T_DELACK] >= 0) return;
  const rtt = tcb.srtt > 0 ? tcb.srtt : lx.rcvRtt >> 3;
  lx.ackPending |= ACK_TIMER;
  s.startTimer(h, tcb, T_DELACK, Math.max(1, Math.min(COMP_SACK_DELAY, Math.floor(rtt / 20))), 'linux.tcp_data_queue_ofo.sack');
}

/**
 * tcp_send_delayed_ack: arm the delayed-ACK timer for ato (bounded by 200 ms in ping-pong mode or
 * after a pushed short segment, else 500 ms, and by the RTT); a timer already due sooner stays, one
 * about to fire sends the ACK now.
 */
export function sendDelayedAck(s: Stack, h: number, tcb: Tcb, lx: LinuxState, rule: RuleId): void {
  let ato = lx.ato;
  if (ato > ATO_MIN) {
    let maxAto = inPingpong(lx) || lx.ackPending & ACK_PUSHED ? DELACK_MAX : DELACK_SLOW;
    if (tcb.srtt > 0) {
      const rtt = Math.max(jiffies(tcb.srtt), ATO_MIN);
      if (rtt < maxAto) maxAto = rtt;
    }
    ato = Math.min(ato, maxAto);
  }
  ato = Math.min(ato, DELACK_MAX);
  const now = s.w.now;
  // Due `ato` from now in jiffies; it runs at the tick after (jiffies.ts): with ato 0, the next tick.
  let timeout = now + timerDelay(now, ato);
  if (lx.ackPending & ACK_TIMER && tcb.timerAt[T_DELACK] >= 0) {
    if (lx.ackTimeout <= now + (ato >> 2)) return Output.sendAck(s, h, tcb, rule);
    if (timeout >= lx.ackTimeout) timeout = lx.ackTimeout;
  }
  lx.ackPending |= ACK_SCHED | ACK_TIMER;
  lx.ackTimeout = timeout;
  s.startTimer(h, tcb, T_DELACK, timeout - now, rule);
}

/** tcp_delack_timer_handler: send the ACK; a delayed ACK that had to fire leaves ping-pong mode (ato back to 40 ms), else ato doubles. */
export function delackFired(s: Stack, h: number, tcb: Tcb, lx: LinuxState): void {
  const rule = 'linux.tcp_delack_timer_handler.fire';
  s.timerEvent(h, tcb, T_DELACK, 'fire', rule);
  if (!(lx.ackPending & ACK_TIMER)) return;
  lx.ackPending &= ~ACK_TIMER;
  if (!(lx.ackPending & ACK_SCHED)) return;
  if (!inPingpong(lx)) {
    lx.ato = Math.min(lx.ato * 2, tcb.rto);
  } else {
    lx.pingpong = 0;
    lx.ato = ATO_MIN;
  }
  Output.sendAck(s, h, tcb, rule);
}

/** tcp_event_ack_sent: an ACK of RCV.NXT went out (alone or on data): one quick ACK used, the delayed ACK no longer needed. */
export function ackSent(lx: LinuxState): void {
  if (lx.quick > 0) {
    const pkts = lx.ackPending & ACK_SCHED ? 1 : 0;
    if (pkts >= lx.quick) {
      lx.quick = 0;
      lx.ato = ATO_MIN;
    } else {
      lx.quick -= pkts;
    }
  }
  lx.ackPending = 0;
}

/** tcp_event_data_sent: new data sent within ato of data received is a reply: the connection is interactive. */
export function dataSent(s: Stack, lx: LinuxState): void {
  if (s.w.now - lx.lrcvtime < lx.ato && lx.pingpong < 255) lx.pingpong++;
}

/** tcp_fin in ESTABLISHED (inet_csk_enter_pingpong_mode): the peer is done sending, so the ACK of its FIN may wait for ours. */
export function finReceived(lx: LinuxState): void {
  lx.ackPending |= ACK_SCHED;
  lx.pingpong = PINGPONG_THRESH;
}

/**
 * The application read `copied` bytes (tcp_recvmsg): dynamic right-sizing, then tcp_cleanup_rbuf:
 * a pending ACK goes now if more than a segment is unacknowledged, or if the read emptied the
 * buffer after a pushed short segment (outside ping-pong mode); or a window update when the window
 * can at least double.
 */
export function afterRead(s: Stack, h: number, tcb: Tcb, lx: LinuxState, copied: number): void {
  if (copied > 0) {
    lx.read += copied;
    Window.spaceAdjust(s, tcb, lx);
  }
  if (copied > 0 && lx.ackPending & ACK_SCHED) {
    const pushed = lx.ackPending & ACK_PUSHED2 || (lx.ackPending & ACK_PUSHED && !inPingpong(lx));
    if (seqDiff(tcb.rcvNxt, lx.rcvWup) > lx.rcvMss || (pushed && tcb.rcvQueue === 0)) return Output.sendAck(s, h, tcb, 'linux.tcp_cleanup_rbuf.ack');
  }
  if (canUpdateWindow(tcb) && tcb.state !== 'CLOSED' && Window.windowOpened(tcb, lx)) Output.sendAck(s, h, tcb, 'linux.tcp_cleanup_rbuf.ack');
}

/** "Even if window raised up to infinity, do not send window open ACK in states, where we will not receive more." */
function canUpdateWindow(tcb: Tcb): boolean {
  return tcb.state === 'ESTABLISHED' || tcb.state === 'FIN-WAIT-1' || tcb.state === 'FIN-WAIT-2';
}
