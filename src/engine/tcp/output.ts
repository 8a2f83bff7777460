// What a connection sends (RFC 9293 3.8, 3.10.2): data in MSS-sized segments as far as the send
// window allows, then a queued FIN; acknowledgments; resets; retransmission of the first
// unacknowledged segment. In the linux profile (tcp/linux/) the window a segment advertises, its
// options, PSH on the last segment of each write, the retransmission queue and its timers, and
// the persist probes are the kernel's.

import * as Flags from '../flags';
import * as Rtt from '../rtt';
import * as Seq from '../seq';
import * as Timers from '../timers';
import type { RuleId } from '../rules';
import type { TcpOptions, TcpState } from '../trace';
import type { Tcb } from '../world';
import * as Options from './options';
import * as Recovery from './recovery';
import type { Stack } from './stack';
import * as LinuxAck from './linux/ack';
import * as Loss from './linux/loss';
import { timerDelay } from './linux/jiffies';
import * as Window from './linux/window';

// Bound once: under a CommonJS transform (tsx, node --test) every access to an imported binding
// goes through a getter, which costs in the per-segment path.
const { F_ACK, F_FIN, F_PSH, F_RST, F_SYN } = Flags;
const { seqAdd, seqDiff, seqGt, seqLt } = Seq;
const { startTiming, stopTiming } = Rtt;
const { T_DELACK, T_LOSSPROBE, T_PERSIST, T_REORDER, T_RTX, T_USER } = Timers;
const { beforeSendingAfterIdle, flightSize, LOSS, onSent, validateCwnd, windowRoom } = Recovery;

/** States in which queued data (and our FIN) may still go out. */
const SYNCHRONIZED_CAN_SEND: ReadonlySet<TcpState> = new Set(['ESTABLISHED', 'CLOSE-WAIT', 'FIN-WAIT-1', 'CLOSING', 'LAST-ACK']);
/** MAX_TCP_WINDOW: a SYN's window is never scaled. */
const MAX_UNSCALED = 65535;

/** Send from a connection: the window field is our receive window; an ACK cancels a delayed ACK. */
export function sendSegment(s: Stack, h: number, tcb: Tcb, flags: number, seq: number, len: number, retransmission: boolean, rule: RuleId, probe?: 'keepalive' | 'zero-window'): void {
  const lx = tcb.lx;
  const syn = (flags & F_SYN) !== 0;
  let wnd: number;
  if (lx === undefined) wnd = s.rcvWnd(h, tcb);
  else if (syn) {
    wnd = Math.min(lx.rcvWnd, MAX_UNSCALED); // tcp_select_initial_window, set with the SYN
    lx.rcvWup = tcb.rcvNxt;
  } else {
    wnd = Window.selectWindow(tcb, lx);
  }
  const ack = flags & F_ACK ? tcb.rcvNxt : 0;
  if (flags & F_ACK) {
    tcb.rcvAdvEdge = seqAdd(tcb.rcvNxt, wnd);
    tcb.unackedSegments = 0;
    if (lx !== undefined) {
      // tcp_event_ack_sent: one quick ACK used, the delayed ACK no longer needed.
      LinuxAck.ackSent(lx);
      if (tcb.timerAt[T_DELACK] >= 0) s.cancelTimer(h, tcb, T_DELACK, 'linux.tcp_send_delayed_ack.ato');
    } else if (tcb.timerAt[T_DELACK] >= 0) {
      // RFC 1122 4.2.3.2: the ACK rides on this segment; the delayed ACK is no longer needed.
      s.cancelTimer(h, tcb, T_DELACK, 'rfc1122.4.2.3.2.delayed-ack');
    }
  }
  let options: TcpOptions | undefined;
  if (tcb.opts !== undefined) {
    options = syn ? Options.synOptions(s.settings[h], tcb, s.w.now, flags & F_ACK ? tcb.opts : undefined) : Options.segmentOptions(tcb, s.w.now, (flags & F_ACK) !== 0);
  }
  s.transmit(h, tcb.peer, flags, seq, ack, len, wnd, retransmission, rule, probe, options);
}

/** <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, sent by `rule`. */
export function sendAck(s: Stack, h: number, tcb: Tcb, rule: RuleId): void {
  sendSegment(s, h, tcb, F_ACK, tcb.sndNxt, 0, false, rule);
}

/** <SEQ=seq><CTL=RST>, or <SEQ=seq><ACK=ack><CTL=RST,ACK> when `ack` is given (with `tcb`'s timestamps when it has them). */
export function sendRst(s: Stack, h: number, to: number, seq: number, ack: number | undefined, rule: RuleId, tcb?: Tcb): void {
  const options = tcb !== undefined && ack !== undefined ? Options.segmentOptions(tcb, s.w.now, false) : undefined;
  let wnd = 0;
  if (tcb?.lx !== undefined && ack !== undefined) {
    // tcp_output.c tcp_send_active_reset: the RST,ACK goes through tcp_transmit_skb, which fills in
    // the window as any segment's (tcp_select_window), after __tcp_close freed what was unread.
    tcb.lx.rmem = 0;
    wnd = Window.selectWindow(tcb, tcb.lx);
  }
  s.transmit(h, to, ack === undefined ? F_RST : F_RST | F_ACK, seq, ack ?? 0, 0, wnd, false, rule, undefined, options);
}

/** A segment occupying sequence space went out: RFC 6298 (5.1) timer, Karn timing, user timeout. */
export function afterSendingSequence(s: Stack, h: number, tcb: Tcb, endSeq: number, retransmission: boolean): void {
  if (!retransmission) startTiming(tcb, s.w.now, endSeq);
  if (tcb.timerAt[T_RTX] < 0) {
    if (tcb.lx !== undefined) s.startTimer(h, tcb, T_RTX, timerDelay(s.w.now, tcb.rto), 'linux.tcp_rtt_estimator.rto');
    else s.startTimer(h, tcb, T_RTX, tcb.rto, 'rfc6298.5.1');
  }
  startUserTimeout(s, h, tcb);
}

function startUserTimeout(s: Stack, h: number, tcb: Tcb): void {
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
  const lx = tcb.lx;
  const mss = tcb.mss;
  let sent = false;
  let cwndFull = false;
  // Nagle: was data outstanding when this round of sending began (BSD's `idle`)?
  const busy = tcb.sndUna !== tcb.sndNxt;
  // tcp_push_pending_frames runs tcp_write_xmit (and tcp_cwnd_validate) only with something unsent.
  const sendHead = tcb.sndQueued > 0 || (tcb.finQueued && !tcb.finSent);
  const frtoPush = lx !== undefined && lx.rexmitNew; // F-RTO's new data (tcp_xmit_recovery): Nagle off
  if (lx !== undefined && !Loss.retransmitLost(s, h, tcb, lx)) {
    cwndFull = true;
  } else {
    for (;;) {
      if (lx === undefined && seqLt(tcb.rtxNext, tcb.lostEnd)) {
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
        if (usable <= 0 || (frtoPush && usable < Math.min(unsent, mss))) { // F-RTO: whole segments (tcp_snd_wnd_test)
          checkProbeTimer(s, h, tcb);
          break;
        }
        const n = Math.min(unsent, usable, mss);
        const idle = tcb.sndUna === tcb.sndNxt;
        if (idle) beforeSendingAfterIdle(s, h, tcb);
        // RFC 5681 3.1: a whole segment (or the rest of the data) must fit in the congestion window;
        // the kernel counts segments (tcp_cwnd_test).
        if (lx !== undefined ? Loss.cwndRoom(tcb, lx) <= 0 : windowRoom(s, h, tcb) < n && flightSize(tcb) > 0) {
          cwndFull = true;
          break;
        }
        const withFin = tcb.finQueued && n === unsent && tcb.sndBlocked === 0;
        if (n === unsent && n < mss && !st.nodelay && !frtoPush && !withFin && (st.kernel ? seqGt(tcb.smallEnd, tcb.sndUna) : busy)) {
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
        const limited = lx === undefined && flightSize(tcb) + n > tcb.cc.cwnd;
        const rule = withFin ? 'rfc9293.3.10.4.close' : limited ? 'rfc3042.limited-transmit' : 'rfc9293.3.10.2.send';
        sendNew(s, h, tcb, n, withFin, rule);
        sent = true;
        continue;
      }
      if (tcb.finQueued && !tcb.finSent && tcb.sndBlocked === 0) {
        if (lx !== undefined && seqDiff(seqAdd(tcb.sndUna, tcb.sndWnd), tcb.sndNxt) < 1) {
          // tcp_snd_wnd_test: the FIN takes a sequence number the peer's window must hold; it waits, probing.
          checkProbeTimer(s, h, tcb);
          break;
        }
        sendNew(s, h, tcb, 0, true, lx !== undefined && tcb.sndWnd === 0 ? 'linux.tcp_snd_wnd_test.fin' : 'rfc9293.3.10.4.close');
        sent = true;
      }
      break;
    }
  }
  if (frtoPush && !Loss.frtoFallback(s, h, tcb, lx)) cwndFull = true;
  if (st.kernel && (sent || (cwndFull && (lx === undefined || sendHead)))) validateCwnd(tcb, cwndFull || flightSize(tcb) >= tcb.cc.cwnd);
  // tcp_write_xmit: one loss probe per tail loss episode, armed after sending.
  if (lx !== undefined && sent) Loss.scheduleLossProbe(s, h, tcb, lx, false);
  return sent;
}

/** New data (`n` bytes, and our FIN with it) at SND.NXT, by `rule`. */
function sendNew(s: Stack, h: number, tcb: Tcb, n: number, withFin: boolean, rule: RuleId): void {
  const seq = tcb.sndNxt;
  tcb.sndNxt = seqAdd(seq, n + (withFin ? 1 : 0));
  tcb.sndQueued -= n;
  if (withFin) tcb.finSent = true;
  tcb.probing = false;
  tcb.nagleHeld = false;
  if (n < tcb.mss) tcb.smallEnd = tcb.sndNxt;
  const lx = tcb.lx;
  if (lx !== undefined) {
    sendData(s, h, tcb, seq, n, withFin, false, rule);
    if (n > 0) LinuxAck.dataSent(s, lx);
    Loss.newDataSent(s, h, tcb, lx, seq, tcb.sndNxt);
    startUserTimeout(s, h, tcb);
    return;
  }
  sendSegment(s, h, tcb, withFin ? F_ACK | F_FIN : F_ACK, seq, n, false, rule);
  onSent(s, h, tcb, n);
  afterSendingSequence(s, h, tcb, tcb.sndNxt, false);
}

/**
 * A data segment [seq, seq+len) (and our FIN) of the linux profile, new or sent again: PSH when it
 * holds the last byte of a write (tcp_push marks the last segment of each write).
 */
export function sendData(s: Stack, h: number, tcb: Tcb, seq: number, len: number, fin: boolean, retransmission: boolean, rule: RuleId): void {
  let flags = fin ? F_ACK | F_FIN : F_ACK;
  const lx = tcb.lx;
  if (lx !== undefined && len > 0) {
    const end = seqAdd(seq, len);
    for (let i = lx.pushHead; i < lx.pushAt.length; i++) {
      const p = lx.pushAt[i];
      if (seqGt(p, end)) break;
      if (seqGt(p, seq)) {
        flags |= F_PSH;
        break;
      }
    }
  }
  if (retransmission) stopTiming(tcb);
  tcb.lastSendAt = s.w.now;
  sendSegment(s, h, tcb, flags, seq, len, retransmission, rule);
}

/**
 * tcp_send_loss_probe's first choice: one new segment if the peer's window has room, whatever cwnd
 * and Nagle say (tcp_write_xmit with push_one 2). Returns whether it went.
 */
export function sendOneNew(s: Stack, h: number, tcb: Tcb, rule: RuleId): boolean {
  const unsent = tcb.sndQueued;
  if (unsent === 0 || !SYNCHRONIZED_CAN_SEND.has(tcb.state)) return false;
  const usable = seqDiff(seqAdd(tcb.sndUna, tcb.sndWnd), tcb.sndNxt);
  const n = Math.min(unsent, usable, tcb.mss);
  if (n <= 0 || (n < tcb.mss && n < unsent)) return false;
  sendNew(s, h, tcb, n, tcb.finQueued && n === unsent && tcb.sndBlocked === 0, rule);
  return true;
}

/**
 * Data or a FIN waits for the peer's window and nothing is in flight to bring an ACK: start the
 * persist timer (RFC 9293 3.8.6.1; Linux tcp_check_probe_timer: after max(RTO, 200 ms), backing off).
 */
function checkProbeTimer(s: Stack, h: number, tcb: Tcb): void {
  if (tcb.sndUna !== tcb.sndNxt || tcb.timerAt[T_PERSIST] >= 0 || tcb.timerAt[T_RTX] >= 0) return;
  if (tcb.lx === undefined) {
    if (tcb.sndWnd === 0) s.startTimer(h, tcb, T_PERSIST, persistTimeoutLength(s, h, tcb), 'rfc9293.3.8.6.1.zero-window-probe');
    return;
  }
  if (tcb.timerAt[T_LOSSPROBE] >= 0 || tcb.timerAt[T_REORDER] >= 0) return;
  s.startTimer(h, tcb, T_PERSIST, timerDelay(s.w.now, persistTimeoutLength(s, h, tcb)), 'linux.tcp_write_wakeup.probe0');
}

/** Sequence space of the segment that starts at `seq` when sent again: up to an MSS of data, and our FIN if it reaches it. */
function segmentLengthAt(tcb: Tcb, seq: number, mss: number): number {
  const dataEnd = tcb.finSent ? seqAdd(tcb.sndNxt, -1) : tcb.sndNxt;
  const len = Math.max(0, Math.min(mss, seqDiff(dataEnd, seq)));
  return len + (tcb.finSent && seqAdd(seq, len) === dataEnd ? 1 : 0);
}

/** Send again the segment that starts at `seq` (data and/or our FIN) by `rule`; Karn: it is not timed. */
export function retransmitAt(s: Stack, h: number, tcb: Tcb, seq: number, rule: RuleId): void {
  const mss = tcb.mss;
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

/** The persist timer: RTO backed off (RFC 9293 3.8.6.1); Linux's probe0 starts from max(RTO, tcp_rto_min) (tcp_probe0_base). */
export function persistTimeoutLength(s: Stack, h: number, tcb: Tcb): number {
  const st = s.settings[h];
  const base = tcb.lx !== undefined ? Math.max(tcb.rto, st.rtoMin) : tcb.rto;
  return Math.min(base * 2 ** tcb.persistBackoff, st.rtoMax);
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

/** RFC 1122 4.2.3.3: announce a window that opened by at least min(buffer / 2, MSS). Linux: tcp_cleanup_rbuf (linux/ack.ts). */
export function maybeWindowUpdate(s: Stack, h: number, tcb: Tcb, read: number): void {
  if (tcb.lx !== undefined) return LinuxAck.afterRead(s, h, tcb, tcb.lx, read);
  if (tcb.state !== 'ESTABLISHED' && tcb.state !== 'FIN-WAIT-1' && tcb.state !== 'FIN-WAIT-2') return;
  const settings = s.settings[h];
  const edge = seqAdd(tcb.rcvNxt, s.rcvWnd(h, tcb));
  if (seqDiff(edge, tcb.rcvAdvEdge) >= Math.min(Math.floor(settings.rcvBuf / 2), settings.mss)) sendAck(s, h, tcb, 'rfc1122.4.2.3.3.window-update');
}

/** The application wrote `bytes` (linux): its last byte gets PSH (tcp_push). */
export function markPush(tcb: Tcb): void {
  const lx = tcb.lx;
  if (lx === undefined) return;
  lx.pushAt.push(seqAdd(tcb.sndNxt, tcb.sndQueued + tcb.sndBlocked));
}

