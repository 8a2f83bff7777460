// A segment's text and FIN in the linux profile (tcp_input.c tcp_data_queue, tcp_data_queue_ofo,
// tcp_fin, tcp_rcv_state_process; tcp_ipv4.c tcp_v4_send_reset), then what Linux sends back: data
// if the ACK let some go (tcp_data_snd_check), else the ACK when ack.ts says so.
//
// Differences from the RFC's text that the captures show (docs/captures.md):
// - data that had already arrived is ACKed at once with a D-SACK block naming it;
// - a FIN at RCV.NXT is accepted into a zero window (data is dropped and ACKed at once);
// - the ACK of a FIN received in ESTABLISHED waits (ping-pong mode), so a prompt close sends it in
//   the FIN,ACK: three segments to close;
// - data arriving after the application closed gets a bare RST whose sequence number is the
//   segment's ACK (the closed socket answers like one that does not exist), and the connection ends.

import type { Segment } from '../../network';
import type { RuleId } from '../../rules';
import * as Seq from '../../seq';
import type { Tcb } from '../../world';
import type { Stack } from '../stack';
import * as Options from '../options';
import * as Output from '../output';
import * as Text from '../arrives-text';
import * as Ack from './ack';
import type { LinuxState } from './state';
import * as Window from './window';

const { seqAdd, seqDiff, seqGe, seqGt, seqLe, seqLt } = Seq;

/**
 * The application has closed, or shut its reading side with its FIN out (tcp_rcv_state_process,
 * FIN-WAIT-1/2 with RCV_SHUTDOWN): new data is answered by tcp_v4_send_reset, <SEQ=SEG.ACK><CTL=RST>,
 * and the connection is gone; an application that still holds the socket hears ECONNRESET.
 */
function resetOnData(s: Stack, h: number, tcb: Tcb, seg: Segment): void {
  const rule = 'linux.tcp_v4_send_reset.data-after-close';
  s.note(`data arrived after ${tcb.appClosed ? 'close' : 'the application shut its reading down'}: RST`, h, rule);
  Output.sendRst(s, h, tcb.peer, seg.ack, undefined, rule);
  if (!tcb.appClosed) s.app(h, 'receive', undefined, 'connection reset', rule, 'ECONNRESET');
  s.setState(h, tcb, 'CLOSED', seg.id, rule);
}

/**
 * The seventh and eighth steps for a segment whose ACK field is processed: `len` bytes of text at
 * SEG.SEQ and, with `fin`, the FIN after them.
 */
export function textArrives(s: Stack, h: number, tcb: Tcb, lx: LinuxState, seg: Segment, len: number, fin: boolean): void {
  const state = tcb.state;
  let nowRule: RuleId = 'linux.tcp_ack_snd_check.quickack';
  let copied = 0;
  const readBefore = s.w.hosts[h].received;
  if (len > 0 || fin) {
    if (state === 'ESTABLISHED' || state === 'FIN-WAIT-1' || state === 'FIN-WAIT-2') {
      const readingShut = tcb.appClosed || (tcb.readShut && state !== 'ESTABLISHED');
      if (len > 0 && readingShut && s.settings[h].rstOnCloseWithUnread && seqLt(tcb.rcvNxt, seqAdd(seg.seq, len))) return resetOnData(s, h, tcb, seg);
      const queued = dataQueue(s, h, tcb, lx, seg, len, fin);
      fin = queued.fin;
      nowRule = queued.rule;
    } else if (state === 'SYN-RECEIVED') {
      fin = fin && seg.seq === tcb.rcvNxt && len === 0;
    } else {
      fin = false; // CLOSE-WAIT, CLOSING, LAST-ACK: the peer's FIN came already
    }
  }
  if (fin) {
    const rule = Text.finArrives(s, h, tcb, seg.id);
    if (tcb.state === 'CLOSE-WAIT') Ack.finReceived(lx); // tcp_fin: ping-pong, the ACK may wait for our FIN
    else if (tcb.state !== 'CLOSED') {
      Ack.ackNow(lx); // FIN-WAIT-1 to CLOSING, FIN-WAIT-2 to TIME-WAIT: tcp_send_ack at once
      nowRule = rule;
    }
  }
  if (tcb.state === 'CLOSED') return;
  copied = s.w.hosts[h].received - readBefore;
  // tcp_data_snd_check, then tcp_ack_snd_check: data going out carries the ACK.
  Output.output(s, h, tcb);
  Ack.ackSndCheck(s, h, tcb, lx, nowRule);
  // The application reads what arrived (autoread): tcp_recvmsg frees its memory, tcp_cleanup_rbuf.
  if (tcb.rcvQueue === 0) lx.rmem = 0;
  if (copied > 0) Ack.afterRead(s, h, tcb, lx, copied);
}

/**
 * tcp_data_queue: in order (also a FIN alone into a zero window), a duplicate (D-SACK, ACK at once),
 * out of order (held, SACK blocks). Returns whether the FIN is now in order, and the rule of an ACK
 * that must go at once.
 */
function dataQueue(s: Stack, h: number, tcb: Tcb, lx: LinuxState, seg: Segment, len: number, fin: boolean): { fin: boolean; rule: RuleId } {
  const seq = seg.seq;
  const end = seqAdd(seq, len + (fin ? 1 : 0));
  const window = Window.receiveWindow(tcb, lx);
  const tsEcr = seg.options?.ts?.ecr;
  if (seq === tcb.rcvNxt) {
    if (window === 0 && len > 0) {
      // Data into a zero window is dropped and ACKed at once ("out_of_window"); a FIN alone is taken.
      Ack.enterQuickack(lx);
      Ack.ackNow(lx);
      return { fin: false, rule: 'linux.tcp_data_queue.zero-window' };
    }
    const heldBefore = Text.heldCount(tcb) > 0;
    if (heldBefore && len > 0) dsackCovered(tcb, seqAdd(seq, len));
    const queueBefore = tcb.rcvQueue;
    const nxtBefore = tcb.rcvNxt;
    const got = Text.receiveText(s, h, tcb, seq, len, fin);
    Window.chargeQueued(lx, seqDiff(tcb.rcvNxt, nxtBefore), queueBefore === 0);
    if (len > 0) Ack.dataReceived(s, tcb, lx, len, seg.flags, tsEcr);
    else Ack.scheduleAck(lx);
    // RFC 5681 4.2: the ACK goes at once when the last gap is filled.
    if (heldBefore && Text.heldCount(tcb) === 0) Ack.ackNow(lx);
    return { fin: (got & Text.TEXT_FIN) !== 0, rule: 'rfc5681.4.2.gap-filled' };
  }
  if (seqLe(end, tcb.rcvNxt)) {
    // All of it had arrived: D-SACK it and ACK at once (tcp_rcv_spurious_retrans, tcp_dsack_set).
    Options.noteDuplicate(tcb, seq, end);
    Ack.enterQuickack(lx);
    Ack.ackNow(lx);
    return { fin: false, rule: 'linux.tcp_data_queue.dsack' };
  }
  if (seqGe(seq, seqAdd(tcb.rcvNxt, window))) {
    Ack.enterQuickack(lx);
    Ack.ackNow(lx);
    return { fin: false, rule: 'rfc9293.3.10.7.4.unacceptable' };
  }
  if (seqLt(seq, tcb.rcvNxt)) {
    // Partly old: D-SACK the old part, take the rest.
    Options.noteDuplicate(tcb, seq, tcb.rcvNxt);
    if (window === 0) {
      Ack.enterQuickack(lx);
      Ack.ackNow(lx);
      return { fin: false, rule: 'linux.tcp_data_queue.zero-window' };
    }
    const queueBefore = tcb.rcvQueue;
    const nxtBefore = tcb.rcvNxt;
    const got = Text.receiveText(s, h, tcb, seq, len, fin);
    Window.chargeQueued(lx, seqDiff(tcb.rcvNxt, nxtBefore), queueBefore === 0);
    Ack.dataReceived(s, tcb, lx, len, seg.flags, tsEcr);
    return { fin: (got & Text.TEXT_FIN) !== 0, rule: 'linux.tcp_data_queue.dsack' };
  }
  // tcp_data_queue_ofo: held for reassembly, reported in SACK blocks; with SACK the window may
  // still grow: a segment that continues held data joins its sk_buff and grows the window with its
  // memory counted, another grows it before its memory is (tcp_grow_window, then skb_set_owner_r).
  const sack = tcb.opts !== undefined && tcb.opts.sackOk;
  const joined = continuesHeld(tcb, seq);
  if (sack && !joined && len > 0) Window.growWindow(tcb, lx, len, false);
  Text.receiveText(s, h, tcb, seq, len, fin);
  if (sack && joined && len > 0) Window.growWindow(tcb, lx, len, true);
  Options.noteOutOfOrder(tcb, seq);
  Ack.scheduleAck(lx);
  return { fin: false, rule: 'linux.tcp_data_queue_ofo.sack' };
}

/**
 * tcp_ofo_queue: the segment in order ends at `high`; held data it covered (in part) arrived twice
 * and is reported in a D-SACK block, the first range and what touches it (tcp_dsack_extend).
 */
function dsackCovered(tcb: Tcb, high: number): void {
  let nxt = high;
  for (let i = tcb.heldHead; i < tcb.held.length; i++) {
    const held = tcb.held[i];
    if (seqGt(held.seq, nxt)) break;
    const end = seqAdd(held.seq, held.len);
    if (held.len > 0 && seqLt(held.seq, high)) Options.extendDuplicate(tcb, held.seq, seqLt(end, high) ? end : high);
    if (seqGt(end, nxt)) nxt = end;
  }
}

/** Whether held data ends at `seq` (the new segment would join it). */
function continuesHeld(tcb: Tcb, seq: number): boolean {
  for (let i = tcb.heldHead; i < tcb.held.length; i++) if (seqAdd(tcb.held[i].seq, tcb.held[i].len) === seq) return true;
  return false;
}
