// SEGMENT ARRIVES in SYN-RECEIVED and the synchronized states (RFC 9293 3.10.7.4), first to
// fourth check: the sequence number (the four-case acceptability table), RST (RFC 5961 3.2),
// security (not modelled) and SYN (RFC 5961 4.2). The fifth check onwards is in arrives-ack.ts.

import * as Flags from '../flags';
import type { Segment } from '../network';
import * as Seq from '../seq';
import type { Tcb } from '../world';
import * as Ack from './arrives-ack';
import * as Output from './output';
import type { Stack } from './stack';
import * as Options from './options';
import * as LinuxAck from './linux/ack';
import * as LinuxWindow from './linux/window';
import type { LinuxState } from './linux/state';

const { F_ACK, F_FIN, F_RST, F_SYN, segmentLength } = Flags;
const { seqAdd, seqGt, seqInWindow, seqLe, seqLt } = Seq;
const { ackArrives, oowAck } = Ack;
const { sendAck, sendSegment } = Output;

/** RFC 9293 3.10.7.4 first check: the four cases of segment acceptability. */
export function acceptable(seq: number, segLen: number, rcvNxt: number, rcvWnd: number): boolean {
  if (segLen === 0) {
    return rcvWnd === 0 ? seq === rcvNxt : seqInWindow(seq, rcvNxt, seqAdd(rcvNxt, rcvWnd));
  }
  if (rcvWnd === 0) return false;
  const end = seqAdd(rcvNxt, rcvWnd);
  return seqInWindow(seq, rcvNxt, end) || seqInWindow(seqAdd(seq, segLen - 1), rcvNxt, end);
}

/** RFC 9293 3.10.7.4: SYN-RECEIVED and the synchronized states. */
export function synchronizedArrives(s: Stack, h: number, tcb: Tcb, seg: Segment): void {
  if (tcb.lx !== undefined && tcb.state !== 'TIME-WAIT') return kernelArrives(s, h, tcb, tcb.lx, seg);
  const flags = seg.flags;
  const segLen = segmentLength(flags, seg.len);
  const rcvWnd = s.rcvWnd(h, tcb);
  let len = seg.len;
  let fin = (flags & F_FIN) !== 0;
  let ackNow = false;

  // first: check the sequence number
  if (!acceptable(seg.seq, segLen, tcb.rcvNxt, rcvWnd)) {
    if (flags & F_RST) return s.discard('rfc9293.3.10.7.4.unacceptable'); // an unacceptable RST is dropped silently
    if (tcb.state === 'TIME-WAIT' && fin && seqAdd(seg.seq, segLen) === tcb.rcvNxt) {
      // A retransmission of the remote FIN: acknowledge it and restart the 2 MSL timeout
      // (RFC 9293 3.10.7.4 fifth and eighth, TIME-WAIT).
      sendAck(s, h, tcb, 'rfc9293.3.10.7.4.fin.time-wait');
      s.startTimeWait(h, tcb, 'rfc9293.3.10.7.4.fin.time-wait');
      return;
    }
    if (tcb.state === 'SYN-RECEIVED' && flags & F_SYN && flags & F_ACK && seg.seq === tcb.irs && seqLt(tcb.sndUna, seg.ack) && seqLe(seg.ack, tcb.sndNxt)) {
      // Simultaneous open (RFC 9293 Figure 7, line 6): the peer's SYN,ACK repeats the SYN we
      // have and acknowledges ours. Taken as the ACK that completes the handshake, as Linux does.
      return ackArrives(s, h, tcb, seg, false, seg.len, fin, false, 'rfc9293.3.5.figure-7');
    }
    if (rcvWnd === 0 && seg.seq === tcb.rcvNxt && !(flags & F_SYN)) {
      // "special allowance should be made to accept valid ACKs, URGs, and RSTs": process the
      // ACK field of a segment that only the zero window rejects, drop its text, then ACK.
      len = 0;
      fin = false;
      ackNow = true;
    } else {
      // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, drop the segment.
      sendAck(s, h, tcb, 'rfc9293.3.10.7.4.unacceptable');
      return;
    }
  }

  // second: check the RST bit (RFC 5961 3.2)
  if (flags & F_RST) {
    if (seg.seq !== tcb.rcvNxt) {
      // In the window but not exact: challenge ACK.
      sendAck(s, h, tcb, 'rfc5961.3.2.challenge-ack');
      return;
    }
    const rule = 'rfc9293.3.10.7.4.rst';
    switch (tcb.state) {
      case 'SYN-RECEIVED':
        if (tcb.passive) return s.setState(h, tcb, s.w.hosts[h].listening ? 'LISTEN' : 'CLOSED', seg.id, rule);
        // tcp_input.c tcp_reset: ECONNRESET in any state but SYN-SENT (ECONNREFUSED) and CLOSE-WAIT (EPIPE).
        s.app(h, 'connect', undefined, 'connection refused', rule, 'ECONNRESET');
        return s.setState(h, tcb, 'CLOSED', seg.id, rule);
      case 'ESTABLISHED':
      case 'FIN-WAIT-1':
      case 'FIN-WAIT-2':
      case 'CLOSE-WAIT':
        s.app(h, 'receive', undefined, 'connection reset', rule, tcb.state === 'CLOSE-WAIT' ? 'EPIPE' : 'ECONNRESET');
        return s.setState(h, tcb, 'CLOSED', seg.id, rule);
      default:
        // CLOSING, LAST-ACK, TIME-WAIT
        return s.setState(h, tcb, 'CLOSED', seg.id, rule);
    }
  }

  // third: security (not modelled). fourth: check the SYN bit.
  if (flags & F_SYN) {
    if (tcb.state === 'SYN-RECEIVED' && tcb.passive) {
      return s.setState(h, tcb, s.w.hosts[h].listening ? 'LISTEN' : 'CLOSED', seg.id, 'rfc9293.3.10.7.4.syn.syn-received');
    }
    // RFC 5961 4.2: challenge ACK, whatever the sequence number.
    sendAck(s, h, tcb, 'rfc5961.4.2.challenge-ack');
    return;
  }

  // fifth: check the ACK field
  if (!(flags & F_ACK)) return s.discard('rfc9293.3.10.7.4.no-ack');
  ackArrives(s, h, tcb, seg, true, len, fin, ackNow, ackNow ? 'rfc9293.3.10.7.4.zero-window' : undefined);
}

/**
 * The linux profile's checks before the ACK field (tcp_validate_incoming, tcp_check_req): the
 * sequence check against the window last advertised (tcp_sequence: a segment ending at or after
 * its left edge and starting no later than its right edge, so a FIN at RCV.NXT passes a zero
 * window), a rate-limited duplicate ACK (with a D-SACK for data that had arrived) for one outside it,
 * RST and SYN as RFC 5961 says, a retransmitted SYN in SYN-RECEIVED answered with the SYN,ACK again.
 */
function kernelArrives(s: Stack, h: number, tcb: Tcb, lx: LinuxState, seg: Segment): void {
  const flags = seg.flags;
  const segLen = segmentLength(flags, seg.len);
  const end = seqAdd(seg.seq, segLen);
  const window = LinuxWindow.receiveWindow(tcb, lx);
  if (tcb.state === 'SYN-RECEIVED' && tcb.passive && flags & F_SYN && !(flags & F_ACK)) {
    // tcp_check_req: a retransmitted SYN (the peer did not get our SYN,ACK): send it again.
    if (seg.seq !== tcb.irs) return s.discard('rfc9293.3.10.7.4.syn.syn-received');
    if (lx.oowAt >= 0 && s.w.now - lx.oowAt < 500_000) return s.discard('linux.tcp_oow_rate_limited.dupack');
    lx.oowAt = s.w.now;
    tcb.synRetransmits++;
    sendSegment(s, h, tcb, F_SYN | F_ACK, tcb.iss, 0, true, 'linux.tcp_check_req.synack-again');
    return;
  }
  // first: tcp_sequence
  if (seqLt(end, lx.rcvWup) || seqGt(seg.seq, seqAdd(tcb.rcvNxt, window))) {
    if (flags & F_RST) return s.discard('rfc9293.3.10.7.4.unacceptable');
    if (flags & F_SYN) return oowAck(s, h, tcb, lx, 'rfc5961.4.2.challenge-ack');
    if (seg.len > 0 && seqLt(seg.seq, tcb.rcvNxt)) {
      // tcp_send_dupack: data that had arrived is reported in a D-SACK block.
      Options.noteDuplicate(tcb, seg.seq, seqAdd(seg.seq, seg.len));
      LinuxAck.enterQuickack(lx);
    }
    // tcp_oow_rate_limited: a segment taking sequence space is no ACK loop: answered every time.
    if (segLen > 0) return sendAck(s, h, tcb, 'rfc9293.3.10.7.4.unacceptable');
    return oowAck(s, h, tcb, lx, 'rfc9293.3.10.7.4.unacceptable');
  }
  // second: RST (RFC 5961 3.2)
  if (flags & F_RST) {
    if (seg.seq !== tcb.rcvNxt) return oowAck(s, h, tcb, lx, 'rfc5961.3.2.challenge-ack');
    const rule = 'rfc9293.3.10.7.4.rst';
    // tcp_input.c tcp_reset: ECONNRESET in any state but SYN-SENT (ECONNREFUSED) and CLOSE-WAIT (EPIPE).
    if (tcb.state === 'SYN-RECEIVED') {
      if (tcb.passive) return s.setState(h, tcb, s.w.hosts[h].listening ? 'LISTEN' : 'CLOSED', seg.id, rule);
      s.app(h, 'connect', undefined, 'connection refused', rule, 'ECONNRESET');
    } else if (tcb.state === 'ESTABLISHED' || tcb.state === 'FIN-WAIT-1' || tcb.state === 'FIN-WAIT-2' || tcb.state === 'CLOSE-WAIT') {
      s.app(h, 'receive', undefined, 'connection reset', rule, tcb.state === 'CLOSE-WAIT' ? 'EPIPE' : 'ECONNRESET');
    }
    return s.setState(h, tcb, 'CLOSED', seg.id, rule);
  }
  // fourth: SYN. In SYN-RECEIVED a SYN,ACK acknowledging ours is the simultaneous open's (Figure 7).
  if (flags & F_SYN) {
    if (tcb.state === 'SYN-RECEIVED' && flags & F_ACK && seg.seq === tcb.irs && seg.ack === tcb.sndNxt) {
      return ackArrives(s, h, tcb, seg, false, seg.len, (flags & F_FIN) !== 0, false, 'rfc9293.3.5.figure-7');
    }
    return oowAck(s, h, tcb, lx, 'rfc5961.4.2.challenge-ack');
  }
  // fifth: the ACK field
  if (!(flags & F_ACK)) return s.discard('rfc9293.3.10.7.4.no-ack');
  ackArrives(s, h, tcb, seg, true, seg.len, (flags & F_FIN) !== 0, false, undefined);
}
