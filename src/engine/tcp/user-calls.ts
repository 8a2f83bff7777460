// User calls, RFC 9293 3.10.1 to 3.10.5 (OPEN, SEND, RECEIVE, CLOSE, ABORT), and the host going
// down and coming back (crash, restart), which the RFC leaves to the system.

import { F_SYN } from '../flags';
import type { TcpOptions } from '../trace';
import type { Tcb } from '../world';
import type { Stack } from './stack';
import { findConn } from './stack';
import { afterSendingSequence, markPush, maybeWindowUpdate, output, sendBufferRoom, sendRst, sendSegment } from './output';
import * as LinuxWindow from './linux/window';
import { startFinWait2Timer } from './arrives-ack';

/** OPEN, passive (RFC 9293 3.10.1). */
export function listen(s: Stack, h: number): void {
  const host = s.w.hosts[h];
  // Another socket on the same port: bind() fails with EADDRINUSE.
  if (host.listening) return s.app(h, 'listen', undefined, 'connection already exists', undefined, 'EADDRINUSE');
  s.app(h, 'listen');
  host.crashed = false;
  s.setState(h, undefined, 'LISTEN', 'listen', 'rfc9293.3.10.1.open.passive');
}

/** OPEN, active (RFC 9293 3.10.1): send <SEQ=ISS><CTL=SYN>, enter SYN-SENT. */
export function connect(s: Stack, h: number, peer: number): void {
  if (peer === h) return s.app(h, 'connect', undefined, 'cannot connect to itself', undefined, 'EINVAL');
  const host = s.w.hosts[h];
  const existing = findConn(host, peer);
  if (existing !== undefined) {
    // inet_stream_connect: EALREADY while the SYN is out, EISCONN once connected; a new socket on a
    // four-tuple still in TIME-WAIT cannot bind it (EADDRNOTAVAIL).
    const errno = existing.state === 'SYN-SENT' ? 'EALREADY' : existing.state === 'TIME-WAIT' ? 'EADDRNOTAVAIL' : 'EISCONN';
    return s.app(h, 'connect', undefined, 'connection already exists', undefined, errno);
  }
  s.app(h, 'connect');
  const tcb = s.newTcb(h, peer, 'CLOSED', false);
  // tcp_connect_init: the SYN's window in whole segments of our MSS.
  if (tcb.lx !== undefined) LinuxWindow.initialWindow(tcb, tcb.lx, s.settings[h].mss);
  s.setState(h, tcb, 'SYN-SENT', 'connect', 'rfc9293.3.10.1.open.active');
  sendSegment(s, h, tcb, F_SYN, tcb.iss, 0, false, 'rfc9293.3.10.1.open.active');
  afterSendingSequence(s, h, tcb, tcb.sndNxt, false);
}

/** SEND (RFC 9293 3.10.2). */
export function send(s: Stack, h: number, bytes: number, conn?: string): void {
  const tcb = s.target(h, conn);
  // tcp_sendmsg: no connection, or the sending side shut down: EPIPE (sk_stream_wait_connect, sk_stream_error).
  if (tcb === undefined) return s.app(h, 'send', bytes, 'connection does not exist', undefined, 'EPIPE');
  if (tcb.finQueued) return s.app(h, 'send', bytes, 'connection closing', undefined, 'EPIPE');
  s.app(h, 'send', bytes);
  // The send buffer (`sndbuf`) takes what fits; the rest waits, as a blocking send does, and goes
  // in as acknowledgments free room (refillSendBuffer). A send behind a blocked one waits too.
  const room = s.settings[h].sndBuf > 0 ? (tcb.sndBlocked > 0 ? 0 : sendBufferRoom(s, h, tcb)) : bytes;
  const take = Math.min(bytes, room);
  tcb.sndQueued += take;
  if (take < bytes) {
    tcb.sndBlocked += bytes - take;
    tcb.blockedLine = s.line ?? 0;
    s.note(`send buffer full: ${bytes - take} of ${bytes} bytes wait`, h);
  }
  // tcp_push: the last segment of the write carries PSH (linux).
  if (bytes > 0) markPush(tcb);
  // SYN-SENT, SYN-RECEIVED: queued until ESTABLISHED.
  output(s, h, tcb);
}

/**
 * RECEIVE (RFC 9293 3.10.3): without N, read what has arrived in order. With N, wait until N
 * bytes have arrived, or the data ends, then return them: a blocking recv with MSG_WAITALL
 * (tcp_recvmsg copies what arrives to the user's buffer, so the window opens, and returns when
 * copied reaches the target). The timeline goes on meanwhile; `wait until NAME received N` holds it.
 */
export function receive(s: Stack, h: number, bytes?: number, conn?: string): void {
  const tcb = s.target(h, conn);
  if (tcb === undefined) return s.app(h, 'receive', 0, 'connection does not exist', undefined, 'ENOTCONN');
  if (bytes !== undefined && (tcb.rcvWaits.length > 0 || (tcb.rcvQueue < bytes && !dataEnded(tcb)))) {
    s.note(`receive ${bytes} waits: ${tcb.rcvWaits.length > 0 ? 'another receive waits before it' : `${tcb.rcvQueue} of ${bytes} bytes have arrived`}`, h);
    tcb.rcvWaits = [...tcb.rcvWaits, { bytes, copied: 0, line: s.line }];
    completeReceives(s, h, tcb);
    return;
  }
  const n = Math.min(bytes ?? tcb.rcvQueue, tcb.rcvQueue);
  takeFromQueue(tcb, n);
  returned(s, h, tcb, n, n);
}

/** The end of the data: the peer's FIN came, or the application shut its reading down. */
function dataEnded(tcb: Tcb): boolean {
  return tcb.readShut || tcb.state === 'CLOSE-WAIT' || tcb.state === 'LAST-ACK' || tcb.state === 'CLOSING' || tcb.state === 'TIME-WAIT';
}

/** `n` bytes leave the receive queue for the application's buffer (linux: their memory goes back). */
function takeFromQueue(tcb: Tcb, n: number): void {
  tcb.rcvQueue -= n;
  if (n > 0 && tcb.lx !== undefined) LinuxWindow.releaseRead(tcb.lx, n, tcb.rcvQueue);
}

/**
 * A receive returns `n` bytes (0 at the end of the data: "connection closing"), `fresh` of them
 * taken from the queue just now (the others were, while it waited, and opened the window then).
 */
function returned(s: Stack, h: number, tcb: Tcb, n: number, fresh: number): void {
  // At the end of the data tcp_recvmsg returns 0 (RCV_SHUTDOWN) instead of waiting. RFC 9293
  // calls it an error; Linux returns 0, no errno.
  const closing = n === 0 && dataEnded(tcb);
  s.app(h, 'receive', n, closing ? 'connection closing' : undefined);
  if (n === 0) return;
  s.deliverToApp(h, tcb, n);
  if (fresh > 0) maybeWindowUpdate(s, h, tcb, fresh);
}

/**
 * The waiting `receive N` calls, in order: the first takes what has arrived (the window opens)
 * and returns, at the line of its call, when it has its N bytes or the data has ended.
 */
export function completeReceives(s: Stack, h: number, tcb: Tcb): void {
  if (tcb.rcvWaits.length === 0 || tcb.state === 'CLOSED') return;
  const waits = tcb.rcvWaits.map((w) => ({ ...w }));
  const line = s.line;
  let pending = 0;
  while (waits.length > 0) {
    const first = waits[0];
    const take = Math.min(tcb.rcvQueue, first.bytes - first.copied);
    first.copied += take;
    takeFromQueue(tcb, take);
    if (first.copied < first.bytes && !dataEnded(tcb)) {
      pending = take;
      break;
    }
    waits.shift();
    s.line = first.line;
    returned(s, h, tcb, first.copied, take);
  }
  s.line = line;
  tcb.rcvWaits = waits;
  // Bytes copied to a call still waiting leave the buffer: the window opens (tcp_cleanup_rbuf).
  if (pending > 0) maybeWindowUpdate(s, h, tcb, pending);
}

/** CLOSE (RFC 9293 3.10.4); `shutdown` is the same call that keeps reading (a half-close). */
export function close(s: Stack, h: number, call: 'close' | 'shutdown', conn?: string): void {
  const host = s.w.hosts[h];
  const tcb = s.target(h, conn);
  if (tcb === undefined) {
    if (host.listening && conn === undefined) {
      s.app(h, call);
      return s.setState(h, undefined, 'CLOSED', call, 'rfc9293.3.10.4.close');
    }
    return s.app(h, call, undefined, 'connection does not exist', undefined, 'ENOTCONN');
  }
  if (call === 'close') {
    const linger = s.settings[h].linger;
    if (linger === 0 && tcb.state !== 'SYN-SENT' && !tcb.appClosed) return lingerZeroClose(s, h, tcb);
  }
  switch (tcb.state) {
    case 'SYN-SENT':
      // Delete the TCB; queued SENDs and RECEIVEs get "closing".
      s.app(h, call);
      return s.setState(h, tcb, 'CLOSED', call, 'rfc9293.3.10.4.close');
    case 'SYN-RECEIVED':
    case 'ESTABLISHED':
    case 'CLOSE-WAIT': {
      if (call === 'close' && s.settings[h].rstOnCloseWithUnread && tcb.rcvQueue > 0) {
        // RFC 1122 4.2.2.13: a CLOSE with received data still pending SHOULD send a RST.
        s.app(h, call);
        s.note('closed with unread data: RST instead of FIN (RFC 1122 4.2.2.13)', h, 'rfc1122.4.2.2.13');
        sendRst(s, h, tcb.peer, tcb.sndNxt, tcb.rcvNxt, 'rfc1122.4.2.2.13', tcb);
        return s.setState(h, tcb, 'CLOSED', call, 'rfc1122.4.2.2.13');
      }
      s.app(h, call);
      tcb.finQueued = true;
      tcb.appClosed ||= call === 'close';
      tcb.readShut ||= call === 'close';
      // SYN-RECEIVED with data queued: the FIN waits for ESTABLISHED (see Stack.enterEstablished).
      if (tcb.state === 'SYN-RECEIVED' && tcb.sndQueued > 0) return;
      s.setState(h, tcb, tcb.state === 'CLOSE-WAIT' ? 'LAST-ACK' : 'FIN-WAIT-1', call, 'rfc9293.3.10.4.close');
      output(s, h, tcb);
      return;
    }
    default:
      // FIN-WAIT-1/2: "ok" as long as no second FIN goes out; CLOSING, LAST-ACK, TIME-WAIT: closing.
      if (tcb.finQueued && !tcb.appClosed && call === 'close') {
        tcb.appClosed = true;
        tcb.readShut = true;
        s.app(h, call);
        // Linux tcp_close: an orphan already in FIN-WAIT-2 waits tcp_fin_timeout for the peer's FIN.
        return startFinWait2Timer(s, h, tcb);
      }
      // A second close is close() on a descriptor already closed (EBADF); a second shutdown, Linux accepts (no errno).
      return s.app(h, call, undefined, 'connection closing', undefined, call === 'close' ? 'EBADF' : undefined);
  }
}

/**
 * `close` with SO_LINGER {on, 0}: tcp.c __tcp_close disconnects (tcp_disconnect), which aborts with
 * tcp_send_active_reset, a RST,ACK at SND.NXT that acknowledges RCV.NXT, and deletes the connection.
 */
function lingerZeroClose(s: Stack, h: number, tcb: Tcb): void {
  s.app(h, 'close');
  const rule = 'linux.tcp_close.linger-zero';
  s.note('close with SO_LINGER {on, 0}: RST instead of FIN', h, rule);
  switch (tcb.state) {
    case 'SYN-RECEIVED':
    case 'ESTABLISHED':
    case 'FIN-WAIT-1':
    case 'FIN-WAIT-2':
    case 'CLOSE-WAIT':
      sendRst(s, h, tcb.peer, tcb.sndNxt, tcb.rcvNxt, rule, tcb);
      break;
  }
  s.setState(h, tcb, 'CLOSED', 'close', rule);
}

/**
 * `shutdown read` (SHUT_RD) and `shutdown both` (SHUT_RDWR), as af_inet.c inet_shutdown does: the
 * reading side's shutdown sends nothing (tcp_shutdown acts only on SEND_SHUTDOWN); data still
 * arrives, is acknowledged and can be read (tcp_data_queue does not look at RCV_SHUTDOWN), and a
 * read with nothing queued returns the end of the data at once. A listener stops listening; a
 * connection in SYN-SENT is dropped. Once our FIN is out too, new data is answered with a RST
 * (tcp_rcv_state_process, FIN-WAIT-1/2 with RCV_SHUTDOWN: see arrives-ack.ts). `both` also sends
 * the FIN, as `shutdown` does.
 */
export function shutdown(s: Stack, h: number, how: 'read' | 'both', conn?: string): void {
  const host = s.w.hosts[h];
  const rule = 'linux.inet_shutdown.read';
  const tcb = s.target(h, conn);
  if (tcb === undefined) {
    if (host.listening && conn === undefined) {
      s.app(h, 'shutdown');
      return s.setState(h, undefined, 'CLOSED', 'shutdown', rule);
    }
    return s.app(h, 'shutdown', undefined, 'connection does not exist', undefined, 'ENOTCONN');
  }
  if (tcb.state === 'SYN-SENT') {
    s.app(h, 'shutdown');
    return s.setState(h, tcb, 'CLOSED', 'shutdown', rule);
  }
  tcb.readShut = true;
  if (how === 'both' && !tcb.finQueued) return close(s, h, 'shutdown', conn);
  s.app(h, 'shutdown');
}

/** ABORT (RFC 9293 3.10.5). */
export function abort(s: Stack, h: number, conn?: string): void {
  const host = s.w.hosts[h];
  const tcb = s.target(h, conn);
  if (tcb === undefined) {
    if (host.listening && conn === undefined) {
      s.app(h, 'abort');
      return s.setState(h, undefined, 'CLOSED', 'abort', 'rfc9293.3.10.5.abort');
    }
    return s.app(h, 'abort', undefined, 'connection does not exist', undefined, 'ENOTCONN');
  }
  s.app(h, 'abort');
  switch (tcb.state) {
    case 'SYN-RECEIVED':
    case 'ESTABLISHED':
    case 'FIN-WAIT-1':
    case 'FIN-WAIT-2':
    case 'CLOSE-WAIT':
      // <SEQ=SND.NXT><CTL=RST>. Linux has no ABORT call: an application aborts with close() and
      // SO_LINGER {on, 0} (tcp_disconnect, tcp_send_active_reset), which adds the ACK of RCV.NXT.
      if (tcb.lx !== undefined) sendRst(s, h, tcb.peer, tcb.sndNxt, tcb.rcvNxt, 'linux.tcp_close.linger-zero', tcb);
      else sendRst(s, h, tcb.peer, tcb.sndNxt, undefined, 'rfc9293.3.10.5.abort');
      break;
  }
  s.setState(h, tcb, 'CLOSED', 'abort', 'rfc9293.3.10.5.abort');
}

/**
 * The host goes down and loses all its state silently: until it restarts (or opens a
 * connection, which implies it is up again) it answers nothing, so a peer finds out only
 * through its own timers (keep-alive, retransmission).
 */
export function crash(s: Stack, h: number): void {
  const host = s.w.hosts[h];
  s.app(h, 'crash');
  for (const tcb of host.conns.slice()) s.setState(h, tcb, 'CLOSED', 'crash', 'rfc9293.3.5.2.crash');
  if (host.listening) s.setState(h, undefined, 'CLOSED', 'crash', 'rfc9293.3.5.2.crash');
  host.crashed = true;
}

/** The host is back up with no connections: it answers segments for unknown connections with RST (RFC 9293 3.10.7.1). */
export function restart(s: Stack, h: number): void {
  s.app(h, 'restart');
  s.w.hosts[h].crashed = false;
}

/** A crafted segment (`inject`): it travels like any other but belongs to no connection. */
export function inject(s: Stack, from: number, to: number, flags: number, seq: number, ack: number, len: number, wnd: number, options?: TcpOptions): void {
  s.transmit(from, to, flags, seq, ack, len, wnd, false, undefined, undefined, options);
}
