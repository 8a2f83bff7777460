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
import type { Stack } from './stack';

// Bound once: under a CommonJS transform (tsx, node --test) every access to an imported binding
// goes through a getter, which costs in the per-segment path.
const { F_ACK, F_FIN, F_RST } = Flags;
const { seqAdd, seqDiff } = Seq;
const { startTiming, stopTiming } = Rtt;
const { T_DELACK, T_PERSIST, T_RTX, T_USER } = Timers;

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

/** Send what the window allows: data in MSS-sized segments, then a queued FIN. Returns whether anything went out. */
export function output(s: Stack, h: number, tcb: Tcb): boolean {
  if (!SYNCHRONIZED_CAN_SEND.has(tcb.state)) return false;
  const mss = s.settings[h].mss;
  let sent = false;
  for (;;) {
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
      const withFin = tcb.finQueued && n === unsent;
      const seq = tcb.sndNxt;
      tcb.sndNxt = seqAdd(seq, n + (withFin ? 1 : 0));
      tcb.sndQueued -= n;
      tcb.finSent = withFin;
      tcb.probing = false;
      sendSegment(s, h, tcb, withFin ? F_ACK | F_FIN : F_ACK, seq, n, false, withFin ? 'rfc9293.3.10.4.close' : 'rfc9293.3.10.2.send');
      afterSendingSequence(s, h, tcb, tcb.sndNxt, false);
      sent = true;
      continue;
    }
    if (tcb.finQueued && !tcb.finSent) {
      const seq = tcb.sndNxt;
      tcb.sndNxt = seqAdd(seq, 1);
      tcb.finSent = true;
      sendSegment(s, h, tcb, F_ACK | F_FIN, seq, 0, false, 'rfc9293.3.10.4.close');
      afterSendingSequence(s, h, tcb, tcb.sndNxt, false);
      sent = true;
    }
    break;
  }
  return sent;
}

export function persistTimeoutLength(s: Stack, h: number, tcb: Tcb): number {
  return Math.min(tcb.rto * 2 ** tcb.persistBackoff, s.settings[h].rtoMax);
}

/** Retransmit the earliest segment not acknowledged (data and/or our FIN) by `rule`; recover up to SND.NXT. */
export function retransmitFirst(s: Stack, h: number, tcb: Tcb, rule: RuleId): void {
  if (tcb.sndUna === tcb.sndNxt) return;
  if (!tcb.recovering) {
    tcb.recovering = true;
    tcb.recover = tcb.sndNxt;
  }
  stopTiming(tcb); // Karn: never time a retransmitted segment
  const finSent = tcb.finSent;
  const dataEnd = finSent ? seqAdd(tcb.sndNxt, -1) : tcb.sndNxt;
  const len = Math.max(0, Math.min(s.settings[h].mss, seqDiff(dataEnd, tcb.sndUna)));
  const withFin = finSent && seqAdd(tcb.sndUna, len) === dataEnd;
  sendSegment(s, h, tcb, withFin ? F_ACK | F_FIN : F_ACK, tcb.sndUna, len, true, rule);
}

/** RFC 1122 4.2.3.3: announce a window that opened by at least min(buffer / 2, MSS). */
export function maybeWindowUpdate(s: Stack, h: number, tcb: Tcb): void {
  if (tcb.state !== 'ESTABLISHED' && tcb.state !== 'FIN-WAIT-1' && tcb.state !== 'FIN-WAIT-2') return;
  const settings = s.settings[h];
  const edge = seqAdd(tcb.rcvNxt, s.rcvWnd(h, tcb));
  if (seqDiff(edge, tcb.rcvAdvEdge) >= Math.min(Math.floor(settings.rcvBuf / 2), settings.mss)) sendAck(s, h, tcb, 'rfc1122.4.2.3.3.window-update');
}
