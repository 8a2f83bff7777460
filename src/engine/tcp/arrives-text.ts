// SEGMENT ARRIVES, RFC 9293 3.10.7.4 seventh and eighth: the segment's text (in order it goes to
// the application, out of order it is held for reassembly) and the FIN; then when to send the
// acknowledgment (at once, or delayed: RFC 9293 3.8.6.3, RFC 1122 4.2.3.2).

import * as Seq from '../seq';
import * as Timers from '../timers';
import type { RuleId } from '../rules';
import type { HeldSegment, Tcb } from '../world';
import * as Output from './output';
import type { Stack } from './stack';

const { seqAdd, seqDiff, seqGt, seqLe } = Seq;
const { T_DELACK } = Timers;
const { output, sendAck } = Output;

/** `receiveText` result bits: a FIN is now in order; the text was out of order and is held; it filled a gap. */
export const TEXT_FIN = 1;
export const TEXT_HELD = 2;
export const TEXT_FILLED = 4;

/** Seventh step for ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2. Returns TEXT_FIN and TEXT_HELD bits. */
export function receiveText(s: Stack, h: number, tcb: Tcb, seq: number, len: number, fin: boolean): number {
  // Trim to the window: the idealized segment begins at RCV.NXT and does not exceed the window.
  const skip = seqDiff(tcb.rcvNxt, seq);
  if (skip > 0) {
    seq = tcb.rcvNxt;
    len -= skip;
  }
  const room = seqDiff(seqAdd(tcb.rcvNxt, s.rcvWnd(h, tcb)), seq);
  if (len > room) {
    len = Math.max(0, room);
    fin = false;
  }
  if (seq !== tcb.rcvNxt) {
    // Out of order: hold it for later; the ACK we send repeats RCV.NXT.
    if (len > 0 || fin) hold(tcb, seq, len, fin);
    return TEXT_HELD;
  }
  accept(s, h, tcb, len);
  // Pull held segments that are now in order.
  const held = tcb.held;
  const filled = tcb.heldHead < held.length && len > 0 ? TEXT_FILLED : 0;
  while (tcb.heldHead < held.length && seqLe(held[tcb.heldHead].seq, tcb.rcvNxt)) {
    const next = held[tcb.heldHead++];
    const end = seqAdd(next.seq, next.len);
    if (seqGt(end, tcb.rcvNxt)) accept(s, h, tcb, seqDiff(end, tcb.rcvNxt));
    if (next.fin && end === tcb.rcvNxt) fin = true;
  }
  if (tcb.heldHead === held.length) clearHeld(tcb);
  return (fin ? TEXT_FIN : 0) | filled;
}

function accept(s: Stack, h: number, tcb: Tcb, bytes: number): void {
  if (bytes <= 0) return;
  tcb.rcvNxt = seqAdd(tcb.rcvNxt, bytes);
  if (s.autoread[h]) s.deliverToApp(h, tcb, bytes, 'rfc9293.3.10.7.4.text');
  else tcb.rcvQueue += bytes;
}

/** Hold out-of-order data (or a FIN beyond RCV.NXT), in sequence order; usually it goes at the end. */
export function hold(tcb: Tcb, seq: number, len: number, fin: boolean): void {
  const held = tcb.held;
  let i = held.length;
  while (i > tcb.heldHead && seqGt(held[i - 1].seq, seq)) i--;
  const segment: HeldSegment = { seq, len, fin, joined: i > tcb.heldHead && seqAdd(held[i - 1].seq, held[i - 1].len) === seq };
  if (i === held.length) held.push(segment);
  else held.splice(i, 0, segment);
}

export function heldCount(tcb: Tcb): number {
  return tcb.held.length - tcb.heldHead;
}

/** Bytes held out of order (for the view). */
export function heldBytes(tcb: Tcb): number {
  let sum = 0;
  for (let i = tcb.heldHead; i < tcb.held.length; i++) sum += tcb.held[i].len;
  return sum;
}

function clearHeld(tcb: Tcb): void {
  tcb.held.length = 0;
  tcb.heldHead = 0;
}

/** RFC 9293 3.10.7.4 eighth: the FIN is in order. Returns the rule applied (the ACK that follows carries it). */
export function finArrives(s: Stack, h: number, tcb: Tcb, cause: string): RuleId {
  const state = tcb.state;
  if (state === 'CLOSE-WAIT' || state === 'CLOSING' || state === 'LAST-ACK') return 'rfc9293.3.10.7.4.fin.remain';
  if (state === 'TIME-WAIT') {
    s.startTimeWait(h, tcb, 'rfc9293.3.10.7.4.fin.time-wait'); // restart the 2 MSL timeout
    return 'rfc9293.3.10.7.4.fin.time-wait';
  }
  // Signal "connection closing" to the user, advance RCV.NXT over the FIN.
  tcb.rcvNxt = seqAdd(tcb.rcvNxt, 1);
  clearHeld(tcb);
  if (state === 'FIN-WAIT-1' && !s.finAcked(tcb)) {
    s.setState(h, tcb, 'CLOSING', cause, 'rfc9293.3.10.7.4.fin.closing');
    return 'rfc9293.3.10.7.4.fin.closing';
  }
  if (state === 'FIN-WAIT-1' || state === 'FIN-WAIT-2') {
    s.enterTimeWait(h, tcb, cause, 'rfc9293.3.10.7.4.fin.time-wait');
    return 'rfc9293.3.10.7.4.fin.time-wait';
  }
  s.setState(h, tcb, 'CLOSE-WAIT', cause, 'rfc9293.3.10.7.4.fin.close-wait'); // SYN-RECEIVED, ESTABLISHED
  return 'rfc9293.3.10.7.4.fin.close-wait';
}

/** Data is in: ACK now by `rule`, or (linux profile) arm the delayed ACK, unless data going out carries it. */
export function acknowledgeReceipt(s: Stack, h: number, tcb: Tcb, mayDelay: boolean, rule: RuleId): void {
  if (tcb.state === 'CLOSED') return;
  if (output(s, h, tcb)) return;
  const delay = s.settings[h].delayedAck;
  const delayable = tcb.state === 'ESTABLISHED' || tcb.state === 'CLOSE-WAIT' || tcb.state === 'FIN-WAIT-1' || tcb.state === 'FIN-WAIT-2';
  if (delay > 0 && mayDelay && delayable && heldCount(tcb) === 0) {
    // RFC 9293 3.8.6.3 / RFC 1122 4.2.3.2: ACK at least every second full segment, else within the delay.
    tcb.unackedSegments++;
    if (tcb.unackedSegments < 2) {
      if (tcb.timerAt[T_DELACK] < 0) s.startTimer(h, tcb, T_DELACK, delay, 'rfc1122.4.2.3.2.delayed-ack');
      return;
    }
    return sendAck(s, h, tcb, 'rfc1122.4.2.3.2.delayed-ack'); // the second segment
  }
  sendAck(s, h, tcb, rule);
}
