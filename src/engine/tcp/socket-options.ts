// `NAME set key=value` during a run: the application changes its socket options (setsockopt). An
// endpoint is one application, so the change applies to the whole endpoint, as if set on its
// listening socket (which accepted ones inherit) and on each of its open sockets: every connection
// it has, from this moment on, and every one it opens later. What a new value changes at once:
//
//   keepalive        on: the keep-alive timer starts (a full idle time from now, as tcp_set_keepalive
//                    does); off: it stops
//   keepalive-idle   a running keep-alive timer is re-armed to the new idle time after the peer was
//                    last heard (tcp_sock_set_keepidle_locked)
//   user-timeout     with data unacknowledged the user timeout restarts with the new length; off stops it
//   rcvbuf           the window follows; if it opened enough, a window update goes out (RFC 1122 4.2.3.3)
//   sndbuf           a send waiting for room puts in what now fits (0: all of it)
//   autoread         on: the application reads what is queued at once
//   cc               the new controller starts afresh from the current cwnd and ssthresh
//                    (tcp_cong.c tcp_reinit_congestion_control: the algorithm's own state is reset)
//   anything else    (linger, keepalive-interval, keepalive-probes, syn-retries...) counts the next
//                    time it is used; then each connection sends what it now may (nodelay lets a
//                    held segment go).

import { newCongestionState } from '../congestion/state';
import type { Settings } from '../program';
import * as Timers from '../timers';
import type { Tcb } from '../world';
import { maybeWindowUpdate, output, refillSendBuffer } from './output';
import { releaseRead } from './linux/window';
import type { Stack } from './stack';

const { T_KEEPALIVE, T_USER } = Timers;

/** Keep-alive runs in every synchronized state but TIME-WAIT (see Stack.enterEstablished). */
function keepsAlive(tcb: Tcb): boolean {
  return tcb.state !== 'SYN-SENT' && tcb.state !== 'SYN-RECEIVED' && tcb.state !== 'TIME-WAIT' && tcb.state !== 'CLOSED' && tcb.state !== 'LISTEN';
}

export function set(s: Stack, h: number, changes: Partial<Settings>, text: string): void {
  const before = s.settings[h];
  const after: Settings = { ...before, ...changes };
  s.w.settings[h] = after;
  s.note(`${s.names[h]} set ${text}: from now on, for every connection of ${s.names[h]}`, h);
  if (changes.autoread !== undefined) s.w.autoread[h] = changes.autoread;
  const keepaliveRule = 'rfc1122.4.2.3.6.keepalive';
  const userRule = 'rfc9293.3.10.8.user-timeout';
  for (const tcb of s.w.hosts[h].conns.slice()) {
    if (changes.keepalive !== undefined && keepsAlive(tcb)) {
      if (after.keepalive && !before.keepalive) {
        tcb.keepaliveProbes = 0;
        s.startTimer(h, tcb, T_KEEPALIVE, after.keepaliveIdle, keepaliveRule);
      } else if (!after.keepalive) s.cancelTimer(h, tcb, T_KEEPALIVE, keepaliveRule);
    } else if (changes.keepaliveIdle !== undefined && after.keepalive && tcb.keepaliveProbes === 0 && tcb.timerAt[T_KEEPALIVE] >= 0) {
      const idleFor = s.w.now - tcb.lastHeardAt;
      s.startTimer(h, tcb, T_KEEPALIVE, Math.max(0, after.keepaliveIdle - idleFor), keepaliveRule);
    }
    if (changes.userTimeout !== undefined) {
      if (after.userTimeout === 0) s.cancelTimer(h, tcb, T_USER, userRule);
      else if (tcb.sndUna !== tcb.sndNxt && keepsAlive(tcb)) s.startTimer(h, tcb, T_USER, after.userTimeout, userRule);
    }
    if (changes.cc !== undefined && changes.cc !== before.cc) tcb.cc = { ...newCongestionState(tcb.cc.cwnd), ssthresh: tcb.cc.ssthresh };
    let read = 0;
    if (changes.autoread === true && tcb.rcvQueue > 0) {
      read = tcb.rcvQueue;
      tcb.rcvQueue = 0;
      if (tcb.lx !== undefined) releaseRead(tcb.lx, read, 0);
      s.deliverToApp(h, tcb, read);
    }
    // SO_RCVBUF in the linux profile: the kernel doubles it for memory, and no longer autotunes it.
    if (changes.rcvBuf !== undefined && tcb.lx !== undefined) {
      tcb.lx.rcvMem = 2 * after.rcvBuf;
      tcb.lx.rcvLocked = true;
    }
    if (changes.rcvBuf !== undefined || changes.autoread === true) maybeWindowUpdate(s, h, tcb, read);
    if (changes.sndBuf !== undefined && tcb.sndBlocked > 0) {
      if (after.sndBuf > 0) refillSendBuffer(s, h, tcb);
      else {
        // Unlimited: the whole blocked send goes in.
        tcb.sndQueued += tcb.sndBlocked;
        tcb.sndBlocked = 0;
        s.note('blocked send completes', h);
      }
    }
    if (tcb.state !== 'CLOSED') output(s, h, tcb);
  }
}
