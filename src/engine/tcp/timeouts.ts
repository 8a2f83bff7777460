// Timeouts (RFC 9293 3.10.8): the retransmission timer (RFC 6298 (5.4) to (5.6), giving up after
// R2 retries as RFC 9293 3.8.3 says), the user timeout, TIME-WAIT, the persist timer (zero-window
// probes, RFC 9293 3.8.6.1), keep-alive (RFC 1122 4.2.3.6) and the delayed ACK.

import { count } from '../plural';
import * as Flags from '../flags';
import * as Rtt from '../rtt';
import * as Seq from '../seq';
import * as Timers from '../timers';
import type { RuleId } from '../rules';
import type { Tcb } from '../world';
import * as Output from './output';
import { onTimeout } from './recovery';
import type { Stack } from './stack';
import * as LinuxAck from './linux/ack';
import * as Loss from './linux/loss';
import { timerDelay } from './linux/jiffies';
import type { LinuxState } from './linux/state';

const { F_ACK, F_SYN } = Flags;
const { backOff, startTiming, stopTiming } = Rtt;
const { seqAdd } = Seq;
const { output, persistTimeoutLength, retransmitFirst, sendAck, sendSegment } = Output;
const { disarm, dueTimer, T_DELACK, T_FINWAIT2, T_KEEPALIVE, T_LOSSPROBE, T_PERSIST, T_REORDER, T_RTX, T_TIMEWAIT, T_USER } = Timers;

/** tcp_synack_retries: a passive connection's SYN,ACK is sent again at most 5 times. */
const SYNACK_RETRIES = 5;

/** Fire the connection's earliest due timer (the simulator found it due now). */
export function fireTimer(s: Stack, h: number, tcb: Tcb): void {
  const timer = dueTimer(tcb);
  s.line = tcb.timerLine[timer] || undefined;
  disarm(tcb, timer);
  const lx = tcb.lx;
  switch (timer) {
    case T_RTX:
      if (lx !== undefined) return kernelRetransmissionTimeout(s, h, tcb, lx);
      return retransmissionTimeout(s, h, tcb);
    case T_TIMEWAIT: {
      const rule = lx !== undefined ? 'linux.tcp_time_wait.timewait-len' : 'rfc9293.3.10.8.time-wait';
      s.timerEvent(h, tcb, timer, 'fire', rule);
      return s.setState(h, tcb, 'CLOSED', 'time-wait', rule);
    }
    case T_PERSIST:
      if (lx !== undefined) return probe0(s, h, tcb);
      return persistTimeout(s, h, tcb);
    case T_DELACK:
      if (lx !== undefined) return LinuxAck.delackFired(s, h, tcb, lx);
      s.timerEvent(h, tcb, timer, 'fire', 'rfc1122.4.2.3.2.delayed-ack');
      return sendAck(s, h, tcb, 'rfc1122.4.2.3.2.delayed-ack');
    case T_LOSSPROBE:
      return Loss.lossProbeFired(s, h, tcb, lx!);
    case T_REORDER:
      return Loss.reorderTimeoutFired(s, h, tcb, lx!);
    case T_FINWAIT2:
      // tcp_fin_timeout: the orphaned FIN-WAIT-2 (a timewait socket by now) goes away silently.
      s.timerEvent(h, tcb, timer, 'fire', 'linux.tcp_close.fin-wait-2');
      return s.setState(h, tcb, 'CLOSED', 'fin-wait-2', 'linux.tcp_close.fin-wait-2');
    case T_KEEPALIVE:
      return keepaliveTimeout(s, h, tcb);
    case T_USER:
      s.timerEvent(h, tcb, timer, 'fire', 'rfc9293.3.10.8.user-timeout');
      // RFC 9293 3.10.8: flush queues, signal the user, delete the TCB.
      return giveUp(s, h, tcb, 'user timeout expired', 'connection aborted due to user timeout', 'user-timeout', 'rfc9293.3.10.8.user-timeout');
  }
}

/** RFC 6298 (5.4) to (5.6), RFC 9293 3.8.3 (R2: give up). */
function retransmissionTimeout(s: Stack, h: number, tcb: Tcb): void {
  s.timerEvent(h, tcb, T_RTX, 'fire', 'rfc6298.5.4');
  const settings = s.settings[h];
  const opening = tcb.state === 'SYN-SENT' || tcb.state === 'SYN-RECEIVED';
  const limit = opening ? settings.synRetries : settings.retries;
  if (tcb.retries >= limit) {
    return giveUp(s, h, tcb, `retransmission limit reached: no acknowledgment after ${count(limit, 'retransmission')}`, 'connection timed out', 'retransmission', 'rfc9293.3.8.3.r2');
  }
  // RFC 5681 3.1: the window collapses to one segment (recovery.ts), before the resend.
  if (!opening) onTimeout(s, h, tcb);
  tcb.retries++;
  backOff(tcb, settings.rtoMax); // (5.5)
  stopTiming(tcb); // Karn: never time a retransmitted segment
  if (opening) tcb.synRetransmits++;
  if (tcb.state === 'SYN-SENT') {
    sendSegment(s, h, tcb, F_SYN, tcb.iss, 0, true, 'rfc6298.5.4');
  } else if (tcb.state === 'SYN-RECEIVED') {
    sendSegment(s, h, tcb, F_SYN | F_ACK, tcb.iss, 0, true, 'rfc6298.5.4');
  } else {
    retransmitFirst(s, h, tcb, 'rfc6298.5.4'); // (5.4)
  }
  s.startTimer(h, tcb, T_RTX, tcb.rto, 'rfc6298.5.6'); // (5.6)
}

/**
 * tcp_retransmit_timer in the linux profile. A SYN goes again 1 s apart for the first
 * tcp_syn_linear_timeouts (4) retransmissions, then the timeout doubles; the connection gives up
 * when the time since the first SYN exceeds what tcp_syn_retries doublings would take (127 s for 6,
 * docs/captures.md). A passive SYN-RECEIVED sends its SYN,ACK again doubling (tcp_synack_retries
 * times). Data: linux/loss.ts.
 */
function kernelRetransmissionTimeout(s: Stack, h: number, tcb: Tcb, lx: LinuxState): void {
  const st = s.settings[h];
  if (tcb.state === 'SYN-SENT' || tcb.state === 'SYN-RECEIVED') {
    const passive = tcb.state === 'SYN-RECEIVED' && tcb.passive;
    const rule = passive ? 'rfc6298.5.4' : 'linux.tcp_retransmit_timer.syn-linear';
    s.timerEvent(h, tcb, T_RTX, 'fire', rule);
    const expired = passive ? tcb.retries >= SYNACK_RETRIES : tcb.retries > 0 && Loss.timedOut(s, lx.synSentAt, st.synRetries, st.rto);
    if (expired) {
      const limit = passive ? `${count(SYNACK_RETRIES, 'retransmission')} of the SYN,ACK` : `${Loss.modelTimeout(st.synRetries, st.rto) / 1_000_000} s (tcp_syn_retries ${st.synRetries})`;
      return giveUp(s, h, tcb, `no answer after ${limit}`, 'connection timed out', 'retransmission', 'linux.retransmits_timed_out.give-up');
    }
    tcb.retries++;
    tcb.synRetransmits++;
    // With timestamps the answer to this SYN echoes its time: the RTT is measured from it.
    stopTiming(tcb);
    if (tcb.opts?.tsOk ?? s.settings[h].timestamps) startTiming(tcb, s.w.now, tcb.sndNxt);
    sendSegment(s, h, tcb, tcb.state === 'SYN-SENT' ? F_SYN : F_SYN | F_ACK, tcb.iss, 0, true, rule);
    if (passive || tcb.retries > st.synLinearTimeouts) backOff(tcb, st.rtoMax);
    s.startTimer(h, tcb, T_RTX, timerDelay(s.w.now, tcb.rto), rule);
    return;
  }
  if (!Loss.rtoFired(s, h, tcb, lx)) {
    return giveUp(s, h, tcb, `retransmission timed out: ${Loss.modelTimeout(st.retries, st.rtoMin) / 1_000_000} s (tcp_retries2 ${st.retries})`, 'connection timed out', 'retransmission', 'linux.retransmits_timed_out.give-up');
  }
  output(s, h, tcb);
}

/**
 * tcp_probe_timer in the linux profile: data or a FIN waits for the peer's window and nothing is in
 * flight. If the window opened a little, data goes (tcp_write_wakeup); otherwise a pure ACK with
 * SEQ = SND.UNA - 1 asks for the window (tcp_xmit_probe_skb), and the timer backs off.
 */
function probe0(s: Stack, h: number, tcb: Tcb): void {
  const rule = 'linux.tcp_write_wakeup.probe0';
  s.timerEvent(h, tcb, T_PERSIST, 'fire', rule);
  const waiting = tcb.sndQueued > 0 || (tcb.finQueued && !tcb.finSent);
  if (tcb.sndUna !== tcb.sndNxt || !waiting) {
    tcb.persistBackoff = 0;
    return;
  }
  if (tcb.sndWnd > 0 && output(s, h, tcb)) {
    tcb.persistBackoff = 0;
    return;
  }
  sendSegment(s, h, tcb, F_ACK, seqAdd(tcb.sndUna, -1), 0, false, rule, 'zero-window');
  if (tcb.persistBackoff < s.settings[h].retries) tcb.persistBackoff++;
  s.startTimer(h, tcb, T_PERSIST, timerDelay(s.w.now, persistTimeoutLength(s, h, tcb)), rule);
}

/** RFC 9293 3.8.6.1: the persist timer; send one octet of new data into the zero window. */
function persistTimeout(s: Stack, h: number, tcb: Tcb): void {
  const rule = 'rfc9293.3.8.6.1.zero-window-probe';
  s.timerEvent(h, tcb, T_PERSIST, 'fire', rule);
  if (tcb.sndWnd > 0 || tcb.sndQueued === 0) {
    output(s, h, tcb);
    return;
  }
  tcb.probing = true;
  sendSegment(s, h, tcb, F_ACK, tcb.sndNxt, 1, false, rule, 'zero-window');
  tcb.persistBackoff++;
  s.startTimer(h, tcb, T_PERSIST, persistTimeoutLength(s, h, tcb), rule);
}

/** RFC 1122 4.2.3.6: after an idle interval, probe; after N unanswered probes, give up. */
function keepaliveTimeout(s: Stack, h: number, tcb: Tcb): void {
  const rule = 'rfc1122.4.2.3.6.keepalive';
  const settings = s.settings[h];
  const idleFor = s.w.now - tcb.lastHeardAt;
  if (tcb.keepaliveProbes === 0 && idleFor < settings.keepaliveIdle) {
    // Heard from the peer since the timer was set: wait for a full idle time again.
    s.startTimer(h, tcb, T_KEEPALIVE, settings.keepaliveIdle - idleFor, rule);
    return;
  }
  s.timerEvent(h, tcb, T_KEEPALIVE, 'fire', rule);
  if (tcb.keepaliveProbes >= settings.keepaliveProbes) {
    return giveUp(s, h, tcb, `keep-alive: no answer to ${settings.keepaliveProbes} probes`, 'connection timed out', 'keepalive', rule);
  }
  if (tcb.sndUna !== tcb.sndNxt) {
    // Data is outstanding: the retransmission timer watches the peer.
    s.startTimer(h, tcb, T_KEEPALIVE, settings.keepaliveIdle, rule);
    return;
  }
  // <SEQ=SND.NXT-1><ACK=RCV.NXT><CTL=ACK>: an old sequence number the peer must ACK.
  tcb.keepaliveProbes++;
  sendSegment(s, h, tcb, F_ACK, seqAdd(tcb.sndNxt, -1), 0, false, rule, 'keepalive');
  s.startTimer(h, tcb, T_KEEPALIVE, settings.keepaliveInterval, rule);
}

/** Close a connection that timed out by `rule`, with a note that says why and an error to the user. */
function giveUp(s: Stack, h: number, tcb: Tcb, reason: string, error: string, cause: string, rule: RuleId): void {
  s.note(reason, h, rule);
  const passive = tcb.passive && tcb.state === 'SYN-RECEIVED';
  // tcp_timer.c tcp_write_err: ETIMEDOUT, for the retransmissions, the user timeout and keep-alive alike.
  if (!passive) s.app(h, tcb.state === 'SYN-SENT' || tcb.state === 'SYN-RECEIVED' ? 'connect' : 'send', undefined, error, rule, 'ETIMEDOUT');
  s.setState(h, tcb, passive && s.w.hosts[h].listening ? 'LISTEN' : 'CLOSED', cause, rule);
}
