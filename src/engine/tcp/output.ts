// What a connection sends (RFC 9293 3.8, 3.10.2): data in MSS-sized segments as far as the send
// window allows, then a queued FIN; acknowledgments; resets; retransmission of the first
// unacknowledged segment.

import * as Flags from '../flags';
import * as Rtt from '../rtt';
import * as Seq from '../seq';
import * as Timers from '../timers';
import type { RuleId } from '../rules';
import type { TcpState } from '../trace';
import type { Tcb } from '../world';
import * as Recovery from './recovery';
import type { Stack } from './stack';

// Bound once: under a CommonJS transform (tsx, node --test) every access to an imported binding
// goes through a getter, which costs in the per-segment path.
const { F_ACK, F_FIN, F_RST } = Flags;
const { seqAdd, seqDiff, seqGt, seqLt } = Seq;
const { startTiming, stopTiming } = Rtt;
const { T_DELACK, T_PERSIST, T_RTX, T_USER } = Timers;
const { beforeSendingAfterIdle, flightSize, LOSS, onSent, validateCwnd, windowRoom } = Recovery;

/** States in which queued data (and our FIN) may still go out. */
const SYNCHRONIZED_CAN_SEND: ReadonlySet<TcpState> = new Set(['ESTABLISHED', 'CLOSE-WAIT', 'FIN-WAIT-1', 'CLOSING', 'LAST-ACK']);

/** Send from a connection: the window field is our receive window; an ACK cancels a delayed ACK. */
export function sendSegment(s: Stack, h: number, tcb: Tcb, flags: number, seq: number, len: number, retransmission: boolean, rule: RuleId, probe?: 'keepalive' | 'zero-window'): void {
  const wnd = s.rcvWnd(h, tcb);
  const ack = flags & F_ACK ? tcb.rcvNxt : 0;
  if (flags & F_ACK) {
    tcb.rcvAdvEdge = seqAdd(tcb.rcvNxt, wnd);
    tcb.unackedSegments = 0;
    // RFC 1122 4.2.3.2: the ACK rides on this segment; the delayed ACK is no longer needed.
    if (tcb.timerAt[T_DELACK] >= 0) s.cancelTimer(h, tcb, T_DELACK, 'rfc1122.4.2.3.2.delayed-ack');
  }
  s.transmit(h, tcb.peer, flags, seq, ack, len, wnd, retransmission, rule, probe);
}

/** <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, sent by `rule`. */
export function sendAck(s: Stack, h: number, tcb: Tcb, rule: RuleId): void {
  sendSegment(s, h, tcb, F_ACK, tcb.sndNxt, 0, false, rule);
}

/** <SEQ=seq><CTL=RST>, or <SEQ=seq><ACK=ack><CTL=RST,ACK> when `ack` is given. */
export function sendRst(s: Stack, h: number, to: number, seq: number, ack: number | undefined, rule: RuleId): void {
  s.transmit(h, to, ack === undefined ? F_RST : F_RST | F_ACK, seq, ack ?? 0, 0, 0, false, rule);
}

/** A segment occupying sequence space went out: RFC 6298 (5.1) timer, Karn timing, user timeout. */
export function afterSendingSequence(s: Stack, h: number, tcb: Tcb, endSeq: number, retransmission: boolean): void {
  if (!retransmission) startTiming(tcb, s.w.now, endSeq);
  if (tcb.timerAt[T_RTX] < 0) s.startTimer(h, tcb, T_RTX, tcb.rto, 'rfc6298.5.1');
  const userTimeout = s.settings[h].userTimeout;
  if (userTimeout > 0 && tcb.timerAt[T_USER] < 0) s.startTimer(h, tcb, T_USER, userTimeout, 'rfc9293.3.10.8.user-timeout');
}

/** States in which a connection's data may still flow. */
export function canSend(tcb: Tcb): boolean {
  return SYNCHRONIZED_CAN_SEND.has(tcb.state);
}

/**
 * Send what the windows allow (RFC 5681: no more than min(cwnd, rwnd) outstanding): first what is
 * presumed lost (after a timeout, or in the kernel's recovery), then new data in MSS-sized segments
 * unless Nagle holds a small one back, then a queued FIN. Returns whether anything went out.
 */
export function output(s: Stack, h: number, tcb: Tcb): boolean {
  if (!SYNCHRONIZED_CAN_SEND.has(tcb.state)) return false;
  const st = s.settings[h];
  const mss = st.mss;
  let sent = false;
  let cwndFull = false;
  // Nagle: was data outstanding when this round of sending began (BSD's `idle`)?
  const busy = tcb.sndUna !== tcb.sndNxt;
  for (;;) {
    if (seqLt(tcb.rtxNext, tcb.lostEnd)) {
      // Sent again before anything new, as far as the window allows.
      const len = Math.min(segmentLengthAt(tcb, tcb.rtxNext, mss), seqDiff(tcb.lostEnd, tcb.rtxNext));
      if (windowRoom(s, h, tcb) < len) {
        cwndFull = true;
        break;
      }
      const rule = tcb.recovery === LOSS ? 'rfc5681.3.1.timeout' : tcb.prrOut === 0 ? 'rfc5681.3.2.fast-retransmit' : 'rfc6582.3.2.partial-ack';
      retransmitAt(s, h, tcb, tcb.rtxNext, rule);
      sent = true;
      continue;
    }
    const unsent = tcb.sndQueued;
    if (unsent > 0) {
      const usable = seqDiff(seqAdd(tcb.sndUna, tcb.sndWnd), tcb.sndNxt);
      if (usable <= 0) {
        // RFC 9293 3.8.6.1: probe a zero window; the persist timer keeps trying while ACKs come back.
        if (tcb.sndWnd === 0 && tcb.sndUna === tcb.sndNxt && tcb.timerAt[T_PERSIST] < 0 && tcb.timerAt[T_RTX] < 0) {
          s.startTimer(h, tcb, T_PERSIST, persistTimeoutLength(s, h, tcb), 'rfc9293.3.8.6.1.zero-window-probe');
        }
        break;
      }
      const n = Math.min(unsent, usable, mss);
      const idle = tcb.sndUna === tcb.sndNxt;
      if (idle) beforeSendingAfterIdle(s, h, tcb);
      // RFC 5681 3.1: a whole segment (or the rest of the data) must fit in the congestion window.
      const room = windowRoom(s, h, tcb);
      if (room < n && flightSize(tcb) > 0) {
        cwndFull = true;
        break;
      }
      const withFin = tcb.finQueued && n === unsent && tcb.sndBlocked === 0;
      if (n === unsent && n < mss && !st.nodelay && !withFin && (st.kernelCc ? seqGt(tcb.smallEnd, tcb.sndUna) : busy)) {
        // RFC 1122 4.2.3.4 (Nagle, RFC 896): a small segment waits while data is unacknowledged
        // (as BSD reads it: data outstanding when this round of sending began). The kernel holds it
        // only while an earlier small segment is unacknowledged (tcp_nagle_check, tcp_minshall_check).
        if (!tcb.nagleHeld) {
          tcb.nagleHeld = true;
          s.note(`Nagle: ${n} bytes wait for an ACK`, h, 'rfc1122.4.2.3.4.nagle');
        }
        break;
      }
      // RFC 3042: a segment beyond cwnd that the early duplicate ACKs let out.
      const limited = flightSize(tcb) + n > tcb.cc.cwnd;
      const seq = tcb.sndNxt;
      tcb.sndNxt = seqAdd(seq, n + (withFin ? 1 : 0));
      tcb.sndQueued -= n;
      tcb.finSent = withFin;
      tcb.probing = false;
      tcb.nagleHeld = false;
      if (n < mss) tcb.smallEnd = tcb.sndNxt;
      const rule = withFin ? 'rfc9293.3.10.4.close' : limited ? 'rfc3042.limited-transmit' : 'rfc9293.3.10.2.send';
      sendSegment(s, h, tcb, withFin ? F_ACK | F_FIN : F_ACK, seq, n, false, rule);
      onSent(s, h, tcb, n);
      afterSendingSequence(s, h, tcb, tcb.sndNxt, false);
      sent = true;
      continue;
    }
    if (tcb.finQueued && !tcb.finSent && tcb.sndBlocked === 0) {
      const seq = tcb.sndNxt;
      tcb.sndNxt = seqAdd(seq, 1);
      tcb.finSent = true;
      sendSegment(s, h, tcb, F_ACK | F_FIN, seq, 0, false, 'rfc9293.3.10.4.close');
      afterSendingSequence(s, h, tcb, tcb.sndNxt, false);
      sent = true;
    }
    break;
  }
  if (st.kernelCc && (sent || cwndFull)) validateCwnd(tcb, cwndFull || flightSize(tcb) >= tcb.cc.cwnd);
  return sent;
}

/** Sequence space of the segment that starts at `seq` when sent again: up to an MSS of data, and our FIN if it reaches it. */
function segmentLengthAt(tcb: Tcb, seq: number, mss: number): number {
  const dataEnd = tcb.finSent ? seqAdd(tcb.sndNxt, -1) : tcb.sndNxt;
  const len = Math.max(0, Math.min(mss, seqDiff(dataEnd, seq)));
  return len + (tcb.finSent && seqAdd(seq, len) === dataEnd ? 1 : 0);
}

/** Send again the segment that starts at `seq` (data and/or our FIN) by `rule`; Karn: it is not timed. */
export function retransmitAt(s: Stack, h: number, tcb: Tcb, seq: number, rule: RuleId): void {
  const mss = s.settings[h].mss;
  const dataEnd = tcb.finSent ? seqAdd(tcb.sndNxt, -1) : tcb.sndNxt;
  const len = Math.max(0, Math.min(mss, seqDiff(dataEnd, seq)));
  const withFin = tcb.finSent && seqAdd(seq, len) === dataEnd;
  stopTiming(tcb);
  sendSegment(s, h, tcb, withFin ? F_ACK | F_FIN : F_ACK, seq, len, true, rule);
  onSent(s, h, tcb, len);
  const end = seqAdd(seq, len + (withFin ? 1 : 0));
  if (seq === tcb.rtxNext && seqLt(tcb.rtxNext, tcb.lostEnd)) tcb.rtxNext = seqLt(end, tcb.lostEnd) ? end : tcb.lostEnd;
}

/** Retransmit the earliest segment not acknowledged (data and/or our FIN) by `rule`. */
export function retransmitFirst(s: Stack, h: number, tcb: Tcb, rule: RuleId): void {
  if (tcb.sndUna === tcb.sndNxt) return;
  retransmitAt(s, h, tcb, tcb.sndUna, rule);
}

export function persistTimeoutLength(s: Stack, h: number, tcb: Tcb): number {
  return Math.min(tcb.rto * 2 ** tcb.persistBackoff, s.settings[h].rtoMax);
}

/** Free room in the send buffer: `sndbuf` less the data queued and the data sent but not acknowledged. */
export function sendBufferRoom(s: Stack, h: number, tcb: Tcb): number {
  const synOrFin = (tcb.state === 'SYN-SENT' || tcb.state === 'SYN-RECEIVED' ? 1 : 0) + (tcb.finSent ? 1 : 0);
  const unacked = Math.max(0, seqDiff(tcb.sndNxt, tcb.sndUna) - synOrFin);
  return Math.max(0, s.settings[h].sndBuf - tcb.sndQueued - unacked);
}

/** Acknowledged data left the send buffer: a blocked send puts more in, and says when it is all in. */
export function refillSendBuffer(s: Stack, h: number, tcb: Tcb): void {
  if (tcb.sndBlocked === 0) return;
  const move = Math.min(tcb.sndBlocked, sendBufferRoom(s, h, tcb));
  tcb.sndQueued += move;
  tcb.sndBlocked -= move;
  if (tcb.sndBlocked === 0) {
    const line = s.line;
    s.line = tcb.blockedLine || undefined;
    s.note('blocked send completes', h);
    s.line = line;
  }
}

/** RFC 1122 4.2.3.3: announce a window that opened by at least min(buffer / 2, MSS). */
export function maybeWindowUpdate(s: Stack, h: number, tcb: Tcb): void {
  if (tcb.state !== 'ESTABLISHED' && tcb.state !== 'FIN-WAIT-1' && tcb.state !== 'FIN-WAIT-2') return;
  const settings = s.settings[h];
  const edge = seqAdd(tcb.rcvNxt, s.rcvWnd(h, tcb));
  if (seqDiff(edge, tcb.rcvAdvEdge) >= Math.min(Math.floor(settings.rcvBuf / 2), settings.mss)) sendAck(s, h, tcb, 'rfc1122.4.2.3.3.window-update');
}
