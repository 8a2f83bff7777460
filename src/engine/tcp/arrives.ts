// SEGMENT ARRIVES (RFC 9293 3.10.7): the network hands a segment to its host, which finds the
// connection it belongs to; then CLOSED (3.10.7.1), LISTEN (3.10.7.2) and SYN-SENT (3.10.7.3).
// The other states are in arrives-synchronized.ts (3.10.7.4).

import * as Flags from '../flags';
import type { Segment } from '../network';
import * as Seq from '../seq';
import type { DeliverEvent } from '../trace';
import type { Tcb } from '../world';
import * as Output from './output';
import * as Options from './options';
import * as LinuxWindow from './linux/window';
import { findConn, type Stack } from './stack';
import * as Ack from './arrives-ack';
import * as Synchronized from './arrives-synchronized';

const { F_ACK, F_RST, F_SYN, segmentLength } = Flags;
const { seqAdd, seqGt, seqLe, seqLt } = Seq;
const { afterSendingSequence, output, sendAck, sendRst, sendSegment } = Output;
const { acknowledge } = Ack;
const { synchronizedArrives } = Synchronized;

/** The network hands a segment to its destination host (or loses it). */
export function arrive(s: Stack, segment: Segment): void {
  s.line = segment.line;
  s.arrival = undefined;
  if (segment.drop !== undefined) {
    // Lost by the network (a fault rule or the link's loss): the scenario's doing, not TCP's.
    s.emit({ t: s.t, kind: 'drop', id: segment.id, reason: segment.drop });
    return;
  }
  if (segment.corrupt) {
    // RFC 9293 3.1: the receiver's checksum fails and it discards the segment.
    s.emit({ t: s.t, kind: 'drop', id: segment.id, reason: 'corrupt', rule: 'rfc9293.3.1.checksum' });
    return;
  }
  const h = segment.to;
  const host = s.w.hosts[h];
  if (host.crashed) {
    // A host that is down receives nothing.
    s.emit({ t: s.t, kind: 'drop', id: segment.id, reason: 'crashed', rule: 'rfc9293.3.5.2.crash' });
    return;
  }
  const deliver: DeliverEvent = { t: s.t, kind: 'deliver', id: segment.id, to: s.names[h] };
  s.emit(deliver);
  if (host.raw) return; // a raw endpoint (the scenario's script) takes the segment and answers nothing
  s.arrival = deliver;
  const tcb = findConn(host, segment.from);
  if (tcb !== undefined) {
    tcb.lastHeardAt = s.w.now;
    tcb.keepaliveProbes = 0;
    if (tcb.state === 'SYN-SENT') synSentArrives(s, h, tcb, segment);
    else synchronizedArrives(s, h, tcb, segment);
  } else if (host.listening) {
    listenArrives(s, h, segment);
  } else {
    closedArrives(s, h, segment);
  }
}

/** RFC 9293 3.10.7.1: CLOSED (no TCB). */
function closedArrives(s: Stack, h: number, seg: Segment): void {
  if (seg.flags & F_RST) return s.discard('rfc9293.3.10.7.1.closed'); // an incoming RST is discarded
  if (seg.flags & F_ACK) {
    // <SEQ=SEG.ACK><CTL=RST>
    sendRst(s, h, seg.from, seg.ack, undefined, 'rfc9293.3.10.7.1.closed');
  } else {
    // <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
    sendRst(s, h, seg.from, 0, seqAdd(seg.seq, segmentLength(seg.flags, seg.len)), 'rfc9293.3.10.7.1.closed');
  }
}

/** RFC 9293 3.10.7.2: LISTEN. The listener stays; a SYN spawns a new connection. */
function listenArrives(s: Stack, h: number, seg: Segment): void {
  if (seg.flags & F_RST) return s.discard('rfc9293.3.10.7.2.rst'); // first: an incoming RST is ignored
  if (seg.flags & F_ACK) {
    // second: any acknowledgment is bad in LISTEN: <SEQ=SEG.ACK><CTL=RST>
    return sendRst(s, h, seg.from, seg.ack, undefined, 'rfc9293.3.10.7.2.ack');
  }
  if (!(seg.flags & F_SYN)) return s.discard('rfc9293.3.10.7.2.other'); // fourth: anything else is dropped
  // third: SYN. RCV.NXT = SEG.SEQ+1, IRS = SEG.SEQ, select an ISS, send <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
  // (Text in a SYN is not queued for later: a deviation, crafted SYNs with data lose it.)
  const tcb = s.newTcb(h, seg.from, 'LISTEN', true);
  tcb.irs = seg.seq;
  tcb.rcvNxt = seqAdd(seg.seq, 1);
  tcb.sndWnd = seg.wnd;
  tcb.sndWl1 = seg.seq;
  // RFC 7323, RFC 2018: the SYN's options decide what the SYN,ACK agrees to and the segment size.
  const st = s.settings[h];
  Options.negotiate(st, tcb, seg.options);
  // tcp_openreq_init_rwin: the SYN,ACK's window in whole segments of our MSS less the timestamps option.
  if (tcb.lx !== undefined) LinuxWindow.initialWindow(tcb, tcb.lx, Math.max(st.mss, Options.MIN_SND_MSS) - (tcb.opts?.tsOk ? Options.TS_OPTION_BYTES : 0));
  s.setState(h, tcb, 'SYN-RECEIVED', seg.id, 'rfc9293.3.10.7.2.syn');
  sendSegment(s, h, tcb, F_SYN | F_ACK, tcb.iss, 0, false, 'rfc9293.3.10.7.2.syn');
  afterSendingSequence(s, h, tcb, tcb.sndNxt, false);
}

/** RFC 9293 3.10.7.3: SYN-SENT. */
function synSentArrives(s: Stack, h: number, tcb: Tcb, seg: Segment): void {
  const hasAck = (seg.flags & F_ACK) !== 0;
  // first: check the ACK bit
  if (hasAck && (seqLe(seg.ack, tcb.iss) || seqGt(seg.ack, tcb.sndNxt))) {
    // <SEQ=SEG.ACK><CTL=RST>, unless the segment is itself a RST
    if (!(seg.flags & F_RST)) sendRst(s, h, seg.from, seg.ack, undefined, 'rfc9293.3.10.7.3.bad-ack');
    else s.discard('rfc9293.3.10.7.3.bad-ack');
    return;
  }
  const ackAcceptable = hasAck && seqLt(tcb.sndUna, seg.ack) && seqLe(seg.ack, tcb.sndNxt);
  // second: check the RST bit (RFC 5961 3.2: acceptable only if it acknowledges our SYN)
  if (seg.flags & F_RST) {
    if (ackAcceptable) {
      // RFC 9293 says "error: connection reset"; sockets report it as "connection refused".
      s.app(h, 'connect', undefined, 'connection refused', 'rfc9293.3.10.7.3.rst', 'ECONNREFUSED');
      s.setState(h, tcb, 'CLOSED', seg.id, 'rfc9293.3.10.7.3.rst');
    } else s.discard('rfc9293.3.10.7.3.rst');
    return;
  }
  // fourth: check the SYN bit
  if (!(seg.flags & F_SYN)) return s.discard('rfc9293.3.10.7.3.other'); // fifth: neither SYN nor RST: drop
  tcb.irs = seg.seq;
  tcb.rcvNxt = seqAdd(seg.seq, 1);
  Options.negotiate(s.settings[h], tcb, seg.options);
  if (ackAcceptable) acknowledge(s, h, tcb, seg.ack);
  tcb.sndWnd = seg.wnd;
  tcb.sndWl1 = seg.seq;
  tcb.sndWl2 = seg.ack;
  if (seqGt(tcb.sndUna, tcb.iss)) {
    // Our SYN has been ACKed: ESTABLISHED, <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, then queued data.
    s.enterEstablished(h, tcb, seg.id, 'rfc9293.3.10.7.3.syn-ack');
    sendAck(s, h, tcb, 'rfc9293.3.10.7.3.syn-ack');
    output(s, h, tcb);
  } else {
    // Simultaneous open: SYN-RECEIVED, <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
    s.setState(h, tcb, 'SYN-RECEIVED', seg.id, 'rfc9293.3.10.7.3.simultaneous-open');
    sendSegment(s, h, tcb, F_SYN | F_ACK, tcb.iss, 0, false, 'rfc9293.3.10.7.3.simultaneous-open');
  }
}
