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

const { F_ACK, F_SYN } = Flags;
const { backOff, stopTiming } = Rtt;
const { seqAdd } = Seq;
const { output, persistTimeoutLength, retransmitFirst, sendAck, sendSegment } = Output;
const { disarm, dueTimer, T_DELACK, T_KEEPALIVE, T_PERSIST, T_RTX, T_TIMEWAIT, T_USER } = Timers;

/** Fire the connection's earliest due timer (the simulator found it due now). */
export function fireTimer(s: Stack, h: number, tcb: Tcb): void {
  const timer = dueTimer(tcb);
  s.line = tcb.timerLine[timer] || undefined;
  disarm(tcb, timer);
  switch (timer) {
    case T_RTX:
      return retransmissionTimeout(s, h, tcb);
    case T_TIMEWAIT:
      s.timerEvent(h, tcb, timer, 'fire', 'rfc9293.3.10.8.time-wait');
      return s.setState(h, tcb, 'CLOSED', 'time-wait', 'rfc9293.3.10.8.time-wait');
    case T_PERSIST:
      return persistTimeout(s, h, tcb);
    case T_DELACK:
      s.timerEvent(h, tcb, timer, 'fire', 'rfc1122.4.2.3.2.delayed-ack');
      return sendAck(s, h, tcb, 'rfc1122.4.2.3.2.delayed-ack');
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
