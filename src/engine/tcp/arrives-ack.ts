// SEGMENT ARRIVES, RFC 9293 3.10.7.4 fifth check: the ACK field. SND.UNA advances (RFC 6298 RTT
// sample and timer), the send window is updated, duplicate ACKs are counted (RFC 5681 3.2 fast
// retransmit, RFC 6582 partial ACKs), and our FIN being acknowledged moves the state on. The
// segment's text and FIN follow in arrives-text.ts.

import { controller } from '../congestion/index';
import * as Flags from '../flags';
import type { Segment } from '../network';
import * as Rtt from '../rtt';
import * as Seq from '../seq';
import * as Timers from '../timers';
import type { RuleId } from '../rules';
import type { Tcb } from '../world';
import * as Text from './arrives-text';
import * as Output from './output';
import * as Recovery from './recovery';
import type { Stack } from './stack';
import * as Options from './options';
import { timerDelay } from './linux/jiffies';
import * as LinuxAck from './linux/ack';
import * as Loss from './linux/loss';
import * as LinuxReceive from './linux/receive';
import { rttSample as linuxRttSample } from './linux/rtt';
import type { LinuxState } from './linux/state';
import { completeReceives } from './user-calls';

const { F_FIN, F_SYN } = Flags;
const { seqAdd, seqDiff, seqGe, seqGt, seqLe, seqLt } = Seq;
const { ackTiming } = Rtt;
const { T_FINWAIT2, T_PERSIST, T_RTX, T_USER } = Timers;
const { acknowledgeReceipt, finArrives, hold, receiveText, TEXT_FILLED, TEXT_FIN, TEXT_HELD } = Text;
const { output, refillSendBuffer, retransmitFirst, sendAck, sendRst } = Output;
const { onDupAck, onNewAck } = Recovery;

/**
 * Fifth check onwards: the ACK field, then text and FIN (sixth, URG, is ignored). `why` is the
 * rule that let the segment through when the sequence check alone would not have (Figure 7, a
 * zero window).
 */
export function ackArrives(s: Stack, h: number, tcb: Tcb, seg: Segment, withText: boolean, len: number, fin: boolean, ackNow: boolean, why: RuleId | undefined): void {
  // The rule of the acknowledgment this segment calls for, if any.
  let ackRule: RuleId | undefined = ackNow ? why : undefined;
  let mayDelay = !ackNow;
  if (tcb.state === 'SYN-RECEIVED') {
    if (seqLt(tcb.sndUna, seg.ack) && seqLe(seg.ack, tcb.sndNxt)) {
      tcb.sndWnd = seg.wnd;
      tcb.sndWl1 = seg.seq;
      tcb.sndWl2 = seg.ack;
      acknowledge(s, h, tcb, seg.ack);
      s.enterEstablished(h, tcb, seg.id, why ?? 'rfc9293.3.10.7.4.ack.syn-received');
    } else {
      // <SEQ=SEG.ACK><CTL=RST>
      return sendRst(s, h, seg.from, seg.ack, undefined, 'rfc9293.3.10.7.4.ack.bad-syn-received');
    }
  }
  // TIME-WAIT: only a retransmitted FIN can arrive (handled with the sequence check); ACK anything else.
  if (tcb.state !== 'TIME-WAIT' && ackField(s, h, tcb, seg, len)) return;
  Options.takeTimestamp(tcb, seg.options, seg.seq);
  const lx = tcb.lx;
  if (lx !== undefined && tcb.state !== 'TIME-WAIT') {
    if (why === 'rfc9293.3.5.figure-7') {
      // Simultaneous open: the peer's SYN,ACK repeats a SYN we have: ACKed at once with a D-SACK block for it (tcp_data_queue).
      Options.noteDuplicate(tcb, tcb.irs, seqAdd(tcb.irs, 1));
      LinuxAck.enterQuickack(lx);
      return sendAck(s, h, tcb, 'linux.tcp_data_queue.dsack');
    }
    LinuxReceive.textArrives(s, h, tcb, lx, seg, withText ? len : 0, fin);
    // The application's waiting `receive N` calls, once the kernel is done with the segment.
    return completeReceives(s, h, tcb);
  }

  // seventh: process the segment text
  if (withText && len > 0) {
    if (tcb.state === 'ESTABLISHED' || tcb.state === 'FIN-WAIT-1' || tcb.state === 'FIN-WAIT-2') {
      // RFC 1122 4.2.2.13: new data after CLOSE SHOULD get a RST (the application reads no more). Linux
      // does so whenever its reading side is shut and its FIN is out (tcp_rcv_state_process, FIN-WAIT-1/2
      // with RCV_SHUTDOWN): after `close`, and after `shutdown read` and `shutdown both`.
      if ((tcb.appClosed || (tcb.readShut && tcb.state !== 'ESTABLISHED')) && s.settings[h].rstOnCloseWithUnread) {
        const rule = 'rfc1122.4.2.2.13';
        s.note(`data arrived after ${tcb.appClosed ? 'close' : 'the application shut its reading down'}: RST (RFC 1122 4.2.2.13)`, h, rule);
        sendRst(s, h, tcb.peer, tcb.sndNxt, seqAdd(seg.seq, len), rule);
        // tcp_reset: the application, which still holds the socket after a shutdown, hears ECONNRESET.
        if (!tcb.appClosed) s.app(h, 'receive', undefined, 'connection reset', rule, 'ECONNRESET');
        return s.setState(h, tcb, 'CLOSED', seg.id, rule);
      }
      const got = receiveText(s, h, tcb, seg.seq, len, fin);
      ackRule = got & TEXT_HELD ? 'rfc5681.4.2.out-of-order' : got & TEXT_FILLED ? 'rfc5681.4.2.gap-filled' : 'rfc9293.3.10.7.4.text';
      // RFC 5681 4.2: out of order, or filling a gap, the ACK goes at once.
      if (got & (TEXT_HELD | TEXT_FILLED)) mayDelay = false;
      fin = (got & TEXT_FIN) !== 0;
    } else {
      fin = false; // CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT: a FIN has come; ignore the text
    }
  } else if (fin && seg.seq !== tcb.rcvNxt) {
    // A FIN beyond RCV.NXT: hold it until the gap fills.
    if (seqGt(seg.seq, tcb.rcvNxt)) hold(tcb, seg.seq, 0, true);
    fin = false;
    ackRule = 'rfc5681.4.2.out-of-order';
  }

  // eighth: check the FIN bit
  if (fin) ackRule = finArrives(s, h, tcb, seg.id);
  if (ackRule === undefined) {
    output(s, h, tcb);
    return;
  }
  acknowledgeReceipt(s, h, tcb, mayDelay, ackRule);
  // The application's waiting `receive N` calls, once the kernel is done with the segment.
  completeReceives(s, h, tcb);
}

/** The fifth check in ESTABLISHED to LAST-ACK. Returns true when the segment needs nothing more. */
function ackField(s: Stack, h: number, tcb: Tcb, seg: Segment, len: number): boolean {
  if (tcb.lx !== undefined) return kernelAckField(s, h, tcb, tcb.lx, seg, len);
  if (tcb.probing && seg.ack === seqAdd(tcb.sndNxt, 1) && tcb.sndQueued > 0) {
    // The peer took our zero-window probe byte.
    tcb.sndNxt = seg.ack;
    tcb.sndQueued--;
    tcb.probing = false;
  }
  if (seqGt(seg.ack, tcb.sndNxt)) {
    // Acknowledges something not yet sent: send an ACK, drop the segment (LAST-ACK waits only for the ACK of its FIN).
    if (tcb.state !== 'LAST-ACK') sendAck(s, h, tcb, 'rfc9293.3.10.7.4.ack.unsent');
    return true;
  }
  if (seqLt(tcb.sndUna, seg.ack)) {
    // Bytes of data acknowledged (our FIN takes a sequence number but is not data).
    const acked = seqDiff(seg.ack, tcb.sndUna) - (tcb.finSent && seg.ack === tcb.sndNxt ? 1 : 0);
    acknowledge(s, h, tcb, seg.ack);
    // Congestion control and loss recovery (recovery.ts): partial and full ACKs, window growth.
    const resend = onNewAck(s, h, tcb, acked);
    if (resend !== undefined) retransmitFirst(s, h, tcb, resend);
    tcb.dupAcks = 0;
  } else if (seg.ack === tcb.sndUna && tcb.sndUna !== tcb.sndNxt && len === 0 && !(seg.flags & (F_SYN | F_FIN)) && seg.wnd === tcb.sndWnd) {
    // RFC 5681 2: a duplicate ACK; the third one is a fast retransmit (recovery.ts).
    const resend = onDupAck(s, h, tcb, seg.ack);
    if (resend !== undefined) retransmitFirst(s, h, tcb, resend);
  }
  updateWindow(s, h, tcb, seg);
  return afterAck(s, h, tcb, seg);
}

/**
 * The fifth check in the linux profile (tcp_ack): an ACK of data not sent is dropped and answered
 * (rate-limited); an old one is ignored; otherwise the retransmission queue, RACK, recovery, cwnd
 * and the timers move (linux/loss.ts), then the window, then the state.
 */
function kernelAckField(s: Stack, h: number, tcb: Tcb, lx: LinuxState, seg: Segment, len: number): boolean {
  if (seqGt(seg.ack, tcb.sndNxt)) {
    if (tcb.state !== 'LAST-ACK') oowAck(s, h, tcb, lx, 'rfc9293.3.10.7.4.ack.unsent');
    return true;
  }
  if (seqGe(seg.ack, tcb.sndUna)) {
    const advanced = seqGt(seg.ack, tcb.sndUna);
    const duplicate = !advanced && tcb.sndUna !== tcb.sndNxt && len === 0 && !(seg.flags & (F_SYN | F_FIN)) && seg.wnd === tcb.sndWnd;
    Loss.ackArrived(s, h, tcb, lx, seg.ack, seg.options, duplicate);
    if (advanced) {
      const userTimeout = s.settings[h].userTimeout;
      if (tcb.sndUna === tcb.sndNxt) s.cancelTimer(h, tcb, T_USER, 'rfc9293.3.10.8.user-timeout');
      else if (userTimeout > 0) s.startTimer(h, tcb, T_USER, userTimeout, 'rfc9293.3.10.8.user-timeout');
    }
  }
  updateWindow(s, h, tcb, seg);
  ackProbe(s, h, tcb);
  return afterAck(s, h, tcb, seg);
}

/**
 * tcp_ack_probe: an ACK while nothing is in flight and data or a FIN waits for the window: if the
 * window now holds it, the probe timer stops (the data goes); otherwise it starts again from now, as
 * backed off, so that probes come an RTT later than the timer alone would send them.
 */
function ackProbe(s: Stack, h: number, tcb: Tcb): void {
  if (tcb.sndUna !== tcb.sndNxt || tcb.timerAt[T_PERSIST] < 0) return;
  const waiting = tcb.sndQueued > 0 ? Math.min(tcb.sndQueued, tcb.mss) : tcb.finQueued && !tcb.finSent ? 1 : 0;
  if (waiting === 0) return;
  const rule = 'linux.tcp_write_wakeup.probe0';
  if (seqDiff(seqAdd(tcb.sndUna, tcb.sndWnd), tcb.sndNxt) >= waiting) {
    tcb.persistBackoff = 0;
    s.cancelTimer(h, tcb, T_PERSIST, rule);
  } else {
    s.startTimer(h, tcb, T_PERSIST, timerDelay(s.w.now, Output.persistTimeoutLength(s, h, tcb)), rule);
  }
}

/**
 * A segment outside the window, or acknowledging what was not sent, is answered with an ACK at most
 * once per 500 ms (tcp_oow_rate_limited, tcp_invalid_ratelimit), so two stacks that disagree do not
 * ACK each other for ever.
 */
export function oowAck(s: Stack, h: number, tcb: Tcb, lx: LinuxState, rule: RuleId): void {
  if (lx.oowAt >= 0 && s.w.now - lx.oowAt < OOW_RATELIMIT) return s.discard('linux.tcp_oow_rate_limited.dupack');
  lx.oowAt = s.w.now;
  sendAck(s, h, tcb, rule);
}

/** tcp_invalid_ratelimit: 500 ms (HZ/2). */
const OOW_RATELIMIT = 500_000;

/** RFC 9293 3.10.7.4 fifth: update the send window from a segment that is not older than the last update. */
function updateWindow(s: Stack, h: number, tcb: Tcb, seg: Segment): void {
  if (seqLe(tcb.sndUna, seg.ack) && (seqLt(tcb.sndWl1, seg.seq) || (tcb.sndWl1 === seg.seq && seqLe(tcb.sndWl2, seg.ack)))) {
    tcb.sndWnd = seg.wnd;
    tcb.sndWl1 = seg.seq;
    tcb.sndWl2 = seg.ack;
    if (seg.wnd > 0 && tcb.timerAt[T_PERSIST] >= 0) {
      tcb.persistBackoff = 0;
      s.cancelTimer(h, tcb, T_PERSIST, tcb.lx !== undefined ? 'linux.tcp_write_wakeup.probe0' : 'rfc9293.3.8.6.1.zero-window-probe');
    }
  }
}

/** The state changes the ACK of our FIN brings (FIN-WAIT-1, CLOSING, LAST-ACK). Returns true when the segment needs nothing more. */
function afterAck(s: Stack, h: number, tcb: Tcb, seg: Segment): boolean {
  if (tcb.state === 'FIN-WAIT-1' && s.finAcked(tcb)) {
    s.setState(h, tcb, 'FIN-WAIT-2', seg.id, 'rfc9293.3.10.7.4.ack.fin-wait-1');
    // A FIN on the same segment takes the connection on to TIME-WAIT at once.
    if (!(seg.flags & F_FIN)) startFinWait2Timer(s, h, tcb);
  }
  if (tcb.state === 'CLOSING') {
    if (s.finAcked(tcb)) s.enterTimeWait(h, tcb, seg.id, 'rfc9293.3.10.7.4.ack.closing');
    else output(s, h, tcb); // the window may have let our last data and FIN go
    return true; // otherwise ignore the segment
  }
  if (tcb.state === 'LAST-ACK') {
    // Once our FIN is acknowledged the connection is deleted; until then data queued before
    // the CLOSE still goes out as the windows allow.
    if (s.finAcked(tcb)) s.setState(h, tcb, 'CLOSED', seg.id, 'rfc9293.3.10.7.4.ack.last-ack');
    else output(s, h, tcb);
    return true;
  }
  return false;
}

/**
 * Linux (tcp_rcv_state_process FIN_WAIT1, tcp_close): an orphaned connection (the application
 * closed) in FIN-WAIT-2 waits tcp_fin_timeout for the peer's FIN, at least 3.5 RTOs (tcp_fin_time).
 */
export function startFinWait2Timer(s: Stack, h: number, tcb: Tcb): void {
  const finTimeout = s.settings[h].finTimeout;
  if (tcb.state !== 'FIN-WAIT-2' || !tcb.appClosed || finTimeout <= 0 || tcb.timerAt[T_FINWAIT2] >= 0) return;
  const length = Math.max(finTimeout, 4 * tcb.rto - Math.floor(tcb.rto / 2));
  s.startTimer(h, tcb, T_FINWAIT2, tcb.lx !== undefined ? timerDelay(s.w.now, length) : length, 'linux.tcp_close.fin-wait-2');
}

/** SND.UNA advances to `ack` (SND.UNA < ack =< SND.NXT): RTT sample, timers (RFC 6298 5.2, 5.3). */
export function acknowledge(s: Stack, h: number, tcb: Tcb, ack: number): void {
  const settings = s.settings[h];
  if (tcb.lx !== undefined) {
    // The linux profile's data goes through linux/loss.ts; only the SYN is acknowledged here: its RTT
    // is the kernel estimator's first sample (tcp_synack_rtt_meas, or the SYN,ACK's).
    if (tcb.rttAt >= 0 && seqGe(ack, tcb.rttSeq)) {
      const rtt = s.w.now - tcb.rttAt;
      tcb.rttAt = -1;
      linuxRttSample(settings, tcb, tcb.lx, rtt);
      controller(settings.cc).onRttSample(tcb.cc, rtt, s.w.now);
    }
    tcb.sndUna = ack;
    tcb.retries = 0;
    s.cancelTimer(h, tcb, T_RTX, 'rfc6298.5.2');
    s.cancelTimer(h, tcb, T_USER, 'rfc9293.3.10.8.user-timeout');
    return;
  }
  const rtt = ackTiming(tcb, s.w.now, ack, settings.rtoMin, settings.rtoMax);
  if (rtt >= 0) controller(settings.cc).onRttSample(tcb.cc, rtt, s.w.now);
  tcb.sndUna = ack;
  refillSendBuffer(s, h, tcb);
  tcb.retries = 0;
  if (tcb.sndUna === tcb.sndNxt) {
    s.cancelTimer(h, tcb, T_RTX, 'rfc6298.5.2');
    s.cancelTimer(h, tcb, T_USER, 'rfc9293.3.10.8.user-timeout');
  } else {
    s.startTimer(h, tcb, T_RTX, tcb.rto, 'rfc6298.5.3');
    if (settings.userTimeout > 0) s.startTimer(h, tcb, T_USER, settings.userTimeout, 'rfc9293.3.10.8.user-timeout');
  }
}
