// The receive window as Linux advertises it (tcp_output.c __tcp_select_window, tcp_select_window,
// tcp_select_initial_window; tcp_input.c tcp_grow_window, tcp_measure_rcv_mss, tcp_rcv_space_adjust,
// tcp_rcvbuf_grow, tcp_try_coalesce).
//
// Linux sizes its window from buffer memory (sk_rcvbuf: twice SO_RCVBUF, or tcp_rmem[1] = 131072
// bytes by default), of which its first guess gives half to data; once a full segment has arrived it
// knows the real share (scaling_ratio: 1448 bytes of data take 2304 bytes of buffer on the captured
// path, 160/256). Data waiting to be read takes memory too: a segment takes its data in page
// fragments (rounded to 512 bytes) and, when it does not join the last one in the queue, 768 bytes
// of sk_buff. The window it advertises starts at the SYN's (the space rounded down to segments: 64240
// in a SYN, 65160 in a SYN,ACK; 2896 for SO_RCVBUF 4096) and grows by two segments per segment
// received (rcv_ssthresh) up to the clamp the buffer allows; reading fast enough grows the buffer
// itself (dynamic right-sizing). With window scaling it is a multiple of 2^shift, rounded up;
// without, whole segments; it never shrinks (the right edge never moves left), and it drops to
// zero when less than a segment (or 1/16 of the buffer) is free.

import * as Seq from '../../seq';
import type { Tcb } from '../../world';
import type { Stack } from '../stack';
import { ACK_PUSHED, ACK_PUSHED2, type LinuxState } from './state';

const { seqAdd, seqDiff } = Seq;

/** TCP_RMEM_TO_WIN_SCALE: the scaling ratio is data per 256 bytes of buffer; its first guess half. */
const RATIO_SCALE = 256;
export const DEFAULT_RATIO = 128;
/** Page fragments hold received data in 512-byte steps; an sk_buff of its own adds 768 bytes (SKB_TRUESIZE). */
const FRAGMENT = 512;
const SKB_HEAD = 768;
/** tcp_rmem[2]: the most the buffer grows to (32 MB). */
const RMEM_MAX = 33_554_432;
/** MAX_TCP_WINDOW: the largest unscaled window. */
const MAX_UNSCALED = 65535;
/** Segments smaller than this do not grow the window (tcp_event_data_recv: skb->len >= 128). */
const GROW_MIN_LEN = 128;

/** skb->truesize of a received segment of `len` bytes: its own sk_buff, or (`joined`) only its fragments when tcp_try_coalesce appends it to the last one. */
export function truesize(len: number, joined = false): number {
  const data = Math.ceil(len / FRAGMENT) * FRAGMENT;
  return joined ? data : data + SKB_HEAD;
}

/** tcp_win_from_space: the data `mem` bytes of buffer hold at the ratio now known. */
function winFromSpace(lx: LinuxState, mem: number): number {
  return Math.floor((mem * lx.ratio) / RATIO_SCALE);
}

/** tcp_full_space: the window the whole buffer allows. */
function fullSpace(lx: LinuxState): number {
  return winFromSpace(lx, lx.rcvMem);
}

/** Memory of the data held out of order (each segment its own sk_buff). */
function heldMem(tcb: Tcb): number {
  let mem = 0;
  for (let i = tcb.heldHead; i < tcb.held.length; i++) if (tcb.held[i].len > 0) mem += truesize(tcb.held[i].len);
  return mem;
}

/** tcp_space: the window the free memory allows (`extra`: memory the kernel would still hold). */
function freeSpace(tcb: Tcb, lx: LinuxState, extra = 0): number {
  return winFromSpace(lx, lx.rcvMem - lx.rmem - heldMem(tcb) - extra);
}

function shift(tcb: Tcb): number {
  const opts = tcb.opts;
  return opts !== undefined && opts.sndWscale >= 0 ? opts.rcvWscale : 0;
}

/** Data went into the receive queue unread (autoread off): its memory (tcp_queue_rcv, tcp_try_coalesce). */
export function chargeQueued(lx: LinuxState, len: number, queueWasEmpty: boolean): void {
  if (len > 0) lx.rmem += truesize(len, !queueWasEmpty);
}

/** The application read `n` bytes and `left` remain: their memory goes back. */
export function releaseRead(lx: LinuxState, n: number, left: number): void {
  lx.rmem = left === 0 ? 0 : Math.max(0, lx.rmem - Math.ceil(n / FRAGMENT) * FRAGMENT);
}

/** The window's right edge as last advertised, less RCV.NXT (tcp_receive_window). */
export function receiveWindow(tcb: Tcb, lx: LinuxState): number {
  return Math.max(0, seqDiff(seqAdd(lx.rcvWup, lx.rcvWnd), tcb.rcvNxt));
}

/**
 * tcp_select_initial_window: the window of our SYN or SYN,ACK, the space rounded down to whole
 * segments of `mss` (ours, less the timestamps option in a SYN,ACK that agrees to them).
 */
export function initialWindow(tcb: Tcb, lx: LinuxState, mss: number): number {
  let space = fullSpace(lx);
  if (space > mss) space = Math.floor(space / mss) * mss;
  lx.rcvWnd = space;
  lx.rcvSsthresh = space;
  lx.windowClamp = MAX_UNSCALED * 2 ** shift(tcb);
  return Math.min(space, MAX_UNSCALED);
}

/** tcp_init_buffer_space, when the connection is established: the clamp is the buffer; what dynamic right-sizing starts from. */
export function establishWindow(s: Stack, tcb: Tcb, lx: LinuxState): void {
  const full = fullSpace(lx);
  if (lx.windowClamp >= full) lx.windowClamp = full;
  lx.rcvSsthresh = Math.min(lx.rcvSsthresh, lx.windowClamp);
  lx.rcvqSpace = Math.min(lx.rcvSsthresh, lx.rcvWnd, 10 * tcb.mss);
  lx.rcvqTime = s.w.now;
  lx.rcvqRead = lx.read;
  lx.rcvWup = tcb.rcvNxt;
}

/**
 * __tcp_select_window: the window the buffer allows now: the free space (zero when less than a
 * segment or 1/16 of the buffer and the buffer is more than half full), no more than rcv_ssthresh,
 * rounded up to the window scale (or, unscaled, kept or rounded down to whole segments).
 */
export function computeWindow(tcb: Tcb, lx: LinuxState): number {
  let mss = lx.rcvMss;
  let free = freeSpace(tcb, lx);
  const allowed = fullSpace(lx);
  const full = Math.min(lx.windowClamp, allowed);
  const ws = shift(tcb);
  if (mss > full) {
    mss = full;
    if (mss <= 0) return 0;
  }
  if (free < full >> 1) {
    lx.quick = 0;
    free = Math.floor(free / 2 ** ws) * 2 ** ws;
    if (free < allowed >> 4 || free < mss) return 0;
  }
  if (free > lx.rcvSsthresh) free = lx.rcvSsthresh;
  if (ws > 0) return Math.ceil(free / 2 ** ws) * 2 ** ws;
  let window = lx.rcvWnd;
  if (window <= free - mss || window > free) window = Math.floor(free / mss) * mss;
  else if (mss === full && free > window + (full >> 1)) window = free;
  return window;
}

/**
 * tcp_select_window: the window an outgoing segment advertises. It never moves the right edge left
 * (a smaller computed window is raised to what is left of the one advertised); RCV.NXT becomes
 * rcv_wup. Returns the window in bytes, a multiple of 2^shift.
 */
export function selectWindow(tcb: Tcb, lx: LinuxState): number {
  const ws = shift(tcb);
  const current = receiveWindow(tcb, lx);
  let win = computeWindow(tcb, lx);
  if (win < current) win = Math.ceil(current / 2 ** ws) * 2 ** ws;
  lx.rcvWnd = win;
  lx.rcvWup = tcb.rcvNxt;
  return Math.min(win, MAX_UNSCALED * 2 ** ws);
}

/**
 * tcp_measure_rcv_mss: learn the peer's segment size from what arrives (and, from the first full
 * segment, the real share of data in the buffer); a short segment with PSH marks the ACK "pushed".
 */
export function measureRcvMss(tcb: Tcb, lx: LinuxState, len: number, psh: boolean, remnant: boolean, headerLen: number): void {
  const lss = lx.lastSegSize;
  lx.lastSegSize = 0;
  if (len >= lx.rcvMss) {
    if (len !== lx.rcvMss) {
      lx.ratio = Math.max(1, Math.floor((len * RATIO_SCALE) / truesize(len)));
      lx.windowClamp = fullSpace(lx);
      if (lx.windowClamp < lx.rcvqSpace) lx.rcvqSpace = lx.windowClamp;
    }
    lx.rcvMss = Math.min(len, tcb.mss);
    if (psh) lx.ackPending |= ACK_PUSHED;
    return;
  }
  // "len" with the header, as the kernel compares it (TCP_MSS_DEFAULT + 20, TCP_MIN_MSS + 20).
  const withHeader = len + headerLen;
  if (withHeader >= 536 + 20 || (withHeader >= 88 + 20 && !remnant)) {
    lx.lastSegSize = len;
    if (len === lss) {
      lx.rcvMss = len;
      return;
    }
  }
  if (lx.ackPending & ACK_PUSHED) lx.ackPending |= ACK_PUSHED2;
  lx.ackPending |= ACK_PUSHED;
}

/**
 * tcp_grow_window: a segment of `len` bytes arrived: rcv_ssthresh grows by two segments, and the
 * receiver ACKs quickly while it grows. `unread`: bytes the kernel would still hold in its queue
 * at this point although the application (autoread) took them already (this segment).
 */
export function growWindow(tcb: Tcb, lx: LinuxState, len: number, unread: number): void {
  if (len < GROW_MIN_LEN) return;
  const room = Math.min(lx.windowClamp, freeSpace(tcb, lx, unread > 0 ? truesize(unread) : 0)) - lx.rcvSsthresh;
  if (room <= 0) return;
  const size = truesize(len);
  let incr: number;
  if (Math.floor((size * lx.ratio) / RATIO_SCALE) <= len) {
    incr = 2 * tcb.mss;
  } else {
    // __tcp_grow_window: a segment with much overhead grows the window only while it is small.
    let share = Math.floor((size * lx.ratio) / RATIO_SCALE) >> 1;
    let window = winFromSpace(lx, RMEM_MAX) >> 1;
    incr = 0;
    while (lx.rcvSsthresh <= window) {
      if (share <= len) {
        incr = 2 * lx.rcvMss;
        break;
      }
      share >>= 1;
      window >>= 1;
    }
  }
  if (incr > 0) {
    incr = Math.max(incr, 2 * len);
    lx.rcvSsthresh += Math.min(room, incr);
    lx.quick |= 1;
  }
}

/**
 * tcp_rcv_space_adjust and tcp_rcvbuf_grow (dynamic right-sizing): the application read; once per
 * receiver RTT, if it read more than in the RTT before, the buffer grows to hold twice that ("DRS is
 * always one RTT late"), more as the rate grows (slow start: the sender may double it), and the clamp
 * follows. A buffer the scenario fixed stays.
 */
export function spaceAdjust(s: Stack, tcb: Tcb, lx: LinuxState): void {
  const now = s.w.now;
  if (lx.rcvRtt === 0 || now - lx.rcvqTime < lx.rcvRtt >> 3) return;
  const copied = lx.read - lx.rcvqRead - tcb.rcvQueue;
  if (copied > lx.rcvqSpace) {
    if (!lx.rcvLocked) {
      let rcvwin = 2 * copied;
      const grow = Math.floor((rcvwin * (copied - lx.rcvqSpace)) / lx.rcvqSpace);
      rcvwin += 2 * grow;
      if (tcb.heldHead < tcb.held.length) rcvwin += Seq.seqDiff(heldEnd(tcb), tcb.rcvNxt);
      const mem = Math.min(Math.floor((rcvwin * RATIO_SCALE) / lx.ratio), RMEM_MAX);
      if (mem > lx.rcvMem) {
        lx.rcvMem = mem;
        lx.windowClamp = fullSpace(lx);
      }
    }
    lx.rcvqSpace = copied;
  }
  lx.rcvqRead = lx.read;
  lx.rcvqTime = now;
}

/** The end of the data held out of order. */
function heldEnd(tcb: Tcb): number {
  let end = tcb.rcvNxt;
  for (let i = tcb.heldHead; i < tcb.held.length; i++) {
    const e = seqAdd(tcb.held[i].seq, tcb.held[i].len);
    if (Seq.seqGt(e, end)) end = e;
  }
  return end;
}

/** The receiver's RTT (tcp_rcv_rtt_update): a smaller sample is taken at once, a larger one smoothed (win_dep: ignored). */
export function rcvRttSample(lx: LinuxState, sample: number, windowBased: boolean): void {
  const m = sample * 8;
  const old = lx.rcvRtt;
  if (old === 0 || m < old) lx.rcvRtt = m;
  else if (!windowBased) lx.rcvRtt = old - (old >> 3) + sample;
}

/** Whether the window may open enough to be worth an ACK after a read (tcp_cleanup_rbuf: at least twice what is left, and a real opening). */
export function windowOpened(tcb: Tcb, lx: LinuxState): boolean {
  const now = receiveWindow(tcb, lx);
  if (2 * now > lx.windowClamp) return false;
  const next = computeWindow(tcb, lx);
  return next > 0 && next >= 2 * now;
}

