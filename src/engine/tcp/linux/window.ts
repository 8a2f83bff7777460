// The receive window as Linux advertises it (tcp_output.c __tcp_select_window, tcp_select_window,
// tcp_select_initial_window; tcp_input.c tcp_grow_window, tcp_measure_rcv_mss, tcp_rcv_space_adjust,
// tcp_rcvbuf_grow, tcp_try_coalesce).
//
// Linux sizes its window from buffer memory (sk_rcvbuf: twice SO_RCVBUF, or tcp_rmem[1] = 131072
// bytes by default), of which its first guess gives half to data; once a full segment has arrived it
// knows the real share (scaling_ratio: 1448 bytes of data take 2280 bytes of buffer on the captured
// path, 162/256). Received data takes memory until the application reads it: its bytes and, when it
// does not join the segment before it, an sk_buff of its own. The window it advertises starts at the
// SYN's (the space rounded down to segments: 64240 in a SYN, 65160 in a SYN,ACK; 2896 for SO_RCVBUF
// 4096) and grows by two segments per segment received (rcv_ssthresh) up to what the free memory
// allows; reading fast enough grows the buffer itself (dynamic right-sizing). With window scaling it
// is a multiple of 2^shift, rounded up; without, whole segments; it never shrinks (the right edge
// never moves left), and it drops to zero when less than a segment (or 1/16 of the buffer) is free.

import * as Seq from '../../seq';
import type { Tcb } from '../../world';
import type { Stack } from '../stack';
import { ACK_PUSHED, ACK_PUSHED2, type LinuxState } from './state';

const { seqAdd, seqDiff } = Seq;

/** TCP_RMEM_TO_WIN_SCALE: the scaling ratio is data per 256 bytes of buffer; its first guess half. */
const RATIO_SCALE = 256;
export const DEFAULT_RATIO = 128;
/**
 * A received segment's sk_buff without its data: SKB_TRUESIZE(256), a 256-byte head (the headers)
 * with the aligned struct sk_buff (256) and skb_shared_info (320). The data itself, in page fragments,
 * counts byte for byte. 1448 bytes take 2280 (scaling_ratio 162), as the captures' windows show.
 */
const SKB_HEAD = 832;
/** tcp_rmem[2]: the most the buffer grows to (32 MB). */
const RMEM_MAX = 33_554_432;
/** MAX_TCP_WINDOW: the largest unscaled window. */
const MAX_UNSCALED = 65535;
/** SOCK_MIN_RCVBUF / 2 (2 * TCP_SKB_MIN_TRUESIZE, 2048 bytes and an aligned sk_buff, halved): the smallest window clamp. */
const MIN_CLAMP = 2304;
/** Segments in order smaller than this do not grow the window (tcp_event_data_recv: skb->len >= 128). */
export const GROW_MIN_LEN = 128;

/** skb->truesize of a received segment of `len` bytes: its own sk_buff, or (`joined`) only its data when tcp_try_coalesce appends it to the previous one. */
export function truesize(len: number, joined = false): number {
  return joined ? len : len + SKB_HEAD;
}

/** tcp_win_from_space: the data `mem` bytes of buffer hold at the ratio now known. */
function winFromSpace(lx: LinuxState, mem: number): number {
  return Math.floor((mem * lx.ratio) / RATIO_SCALE);
}

/** tcp_full_space: the window the whole buffer allows. */
function fullSpace(lx: LinuxState): number {
  return winFromSpace(lx, lx.rcvMem);
}

/** Memory of the data held out of order: a segment that continued held data joined its sk_buff (tcp_data_queue_ofo, tcp_ooo_try_coalesce). */
function heldMem(tcb: Tcb): number {
  let mem = 0;
  for (let i = tcb.heldHead; i < tcb.held.length; i++) {
    const held = tcb.held[i];
    if (held.len > 0) mem += truesize(held.len, held.joined);
  }
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

/**
 * `len` bytes came into the receive queue in order (with what they released of the out-of-order
 * queue): their memory (tcp_queue_rcv: a segment joins the unread one before it, tcp_try_coalesce;
 * tcp_ofo_queue moves the held ones after it the same way). The kernel holds it until the
 * application reads, also with autoread: the ACK that goes out at once sees it (releaseAll after).
 */
export function chargeQueued(lx: LinuxState, len: number, queueWasEmpty: boolean): void {
  if (len > 0) lx.rmem += truesize(len, !queueWasEmpty);
}

/** The application read `n` bytes and `left` remain: their memory goes back. */
export function releaseRead(lx: LinuxState, n: number, left: number): void {
  lx.rmem = left === 0 ? 0 : Math.max(0, lx.rmem - n);
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
      const oldRatio = lx.ratio;
      lx.ratio = Math.max(1, Math.floor((len * RATIO_SCALE) / truesize(len)));
      if (lx.ratio !== oldRatio) {
        setWindowClamp(lx, fullSpace(lx));
        if (lx.windowClamp < lx.rcvqSpace) lx.rcvqSpace = lx.windowClamp;
      }
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
 * tcp.c tcp_set_window_clamp (tcp_measure_rcv_mss calls it when the ratio changes): a larger clamp
 * lifts rcv_ssthresh to the window last advertised (rcv_wnd) if that is more; a smaller one lowers
 * rcv_ssthresh to it. Never below SOCK_MIN_RCVBUF / 2.
 */
function setWindowClamp(lx: LinuxState, val: number): void {
  const old = lx.windowClamp;
  const clamp = Math.max(MIN_CLAMP, val);
  if (clamp === old) return;
  lx.windowClamp = clamp;
  if (clamp < old) lx.rcvSsthresh = Math.min(lx.rcvSsthresh, clamp);
  else lx.rcvSsthresh = Math.max(Math.min(lx.rcvWnd, clamp), lx.rcvSsthresh);
}

/**
 * tcp_grow_window: a segment of `len` bytes arrived (and, `charged`, its memory is counted already):
 * rcv_ssthresh grows by two segments, and the receiver ACKs quickly while it grows. `adjust`
 * (truesize_adjust: data in order, or joined to held data): only the data's memory counts in the
 * check, so a segment of any size grows the window by 2 * advmss.
 */
export function growWindow(tcb: Tcb, lx: LinuxState, len: number, adjust: boolean): void {
  const room = Math.min(lx.windowClamp, freeSpace(tcb, lx)) - lx.rcvSsthresh;
  if (room <= 0) return;
  const size = adjust ? len : truesize(len);
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

