// TCP options: what a SYN offers and what both sides agree on (RFC 9293 3.7.1 MSS, RFC 7323 window
// scale and timestamps, RFC 2018 SACK-permitted), what every later segment carries (timestamps, SACK
// blocks), and the receiver's SACK blocks (RFC 2018 4, D-SACK RFC 2883).
//
// The rfc profile sends no options (MSS is a setting); a scenario may turn `sack`, `timestamps` or
// `window-scaling` on. The linux profile sends what Linux sends: MSS, SACK-permitted, timestamps and
// window scale in every SYN and SYN,ACK, timestamps on every segment, SACK blocks when data is out of
// order. What both SYNs carried is kept in `Tcb.opts`; a connection without options has none.

import * as Seq from '../seq';
import type { Settings } from '../program';
import type { TcpOptions } from '../trace';
import type { Tcb, TcbOptions } from '../world';

const { seqAdd, seqDiff, seqGt, seqLe, seqLt } = Seq;

/** RFC 7323 3.2: the timestamps option, 10 bytes padded to 12 as every stack sends it. */
export const TS_OPTION_BYTES = 12;
/** RFC 7323 2.3: the largest shift. */
export const MAX_WSCALE = 14;
/** RFC 7323 2.3 / Linux tcp_rmem[2]: the receive buffer limit the linux profile's window scale covers (32 MB). */
const LINUX_RMEM_MAX = 33_554_432;
/** RFC 2018 3: at most 4 blocks, 3 beside the timestamps option (40 bytes of option space). */
const MAX_SACK_BLOCKS = 4;
/** tcp_min_snd_mss: the linux profile never sends segments smaller than this, options included (48). */
export const MIN_SND_MSS = 48;

/** Whether a host offers any option in its SYN. */
export function offersOptions(st: Settings): boolean {
  return st.sack || st.timestamps || st.windowScaling;
}

/**
 * The shift a host offers (RFC 7323 2.2): Linux takes the smallest that lets its largest receive
 * buffer be advertised, tcp_rmem[2] (32 MB: 10) unless the scenario fixed the buffer (SO_RCVBUF: the
 * buffer itself), as tcp_select_initial_window does; the rfc profile, the buffer it has.
 */
export function offeredWscale(st: Settings, rcvBufFixed: boolean): number {
  const space = st.kernel && !rcvBufFixed ? LINUX_RMEM_MAX : st.rcvBuf;
  return Math.max(0, Math.min(MAX_WSCALE, Math.floor(Math.log2(Math.max(1, space))) - 15));
}

/** The timestamp clock (RFC 7323 5.4): milliseconds, from a per-connection offset (Linux: tcp_time_stamp_ts plus tsoffset). */
export function tsValue(opts: TcbOptions, now: number): number {
  return (opts.tsOffset + Math.floor(now / 1000)) >>> 0;
}

/** What our SYN (or SYN,ACK, answering `peer`) carries; undefined when the host offers none. */
export function synOptions(st: Settings, tcb: Tcb, now: number, peer: TcbOptions | undefined): TcpOptions | undefined {
  const opts = tcb.opts;
  if (opts === undefined) return undefined;
  const o: TcpOptions = { mss: st.mss };
  // A SYN,ACK offers only what the SYN offered (RFC 7323 2.2, 3.2; RFC 2018 2).
  if (st.sack && (peer === undefined || peer.sackOk)) o.sackPermitted = true;
  if (st.timestamps && (peer === undefined || peer.tsOk)) o.ts = { val: tsValue(opts, now), ecr: peer === undefined ? 0 : opts.tsRecent };
  if (st.windowScaling && (peer === undefined || peer.sndWscale >= 0)) o.wscale = opts.rcvWscale;
  return o;
}

/** New options state for a connection of a host that offers options. */
export function newOptions(st: Settings, iss: number, rcvBufFixed: boolean): TcbOptions | undefined {
  if (!offersOptions(st)) return undefined;
  return {
    peerMss: 0,
    sackOk: st.sack,
    tsOk: st.timestamps,
    sndWscale: st.windowScaling ? 0 : -1,
    rcvWscale: st.windowScaling ? offeredWscale(st, rcvBufFixed) : 0,
    // Linux's tsoffset is a hash of the connection; any fixed number will do.
    tsOffset: Math.imul(iss, 2654435761) >>> 0,
    tsRecent: 0,
    sackRecent: [],
    dsackLeft: 0,
    dsackRight: 0,
  };
}

/**
 * The peer's SYN (or SYN,ACK) arrived with `peer` options: keep what both sides support, and the
 * segment size that follows (RFC 9293 3.7.1: the smaller of the two MSSs; RFC 7323: less the
 * timestamps option on every segment).
 */
export function negotiate(st: Settings, tcb: Tcb, peer: TcpOptions | undefined): void {
  if (peer?.mss !== undefined) tcb.mss = Math.min(st.mss, peer.mss);
  // tcp_output.c __tcp_mtu_to_mss: at least tcp_min_snd_mss, then less the options (a tiny MSS
  // would leave no room for data).
  if (st.kernel) tcb.mss = Math.max(tcb.mss, MIN_SND_MSS);
  const opts = tcb.opts;
  if (opts === undefined) return;
  opts.peerMss = peer?.mss ?? 0;
  opts.sackOk = st.sack && peer?.sackPermitted === true;
  opts.tsOk = st.timestamps && peer?.ts !== undefined;
  if (peer?.ts !== undefined) opts.tsRecent = peer.ts.val;
  if (st.windowScaling && peer?.wscale !== undefined) {
    opts.sndWscale = Math.min(peer.wscale, MAX_WSCALE);
  } else {
    opts.sndWscale = -1;
    opts.rcvWscale = 0;
  }
  if (opts.tsOk) tcb.mss -= TS_OPTION_BYTES;
}

/** The options of a segment after the handshake: timestamps, and SACK blocks when the receiver has any. */
export function segmentOptions(tcb: Tcb, now: number, withSack: boolean): TcpOptions | undefined {
  const opts = tcb.opts;
  if (opts === undefined) return undefined;
  let o: TcpOptions | undefined;
  if (opts.tsOk) o = { ts: { val: tsValue(opts, now), ecr: opts.tsRecent } };
  if (withSack && opts.sackOk) {
    const blocks = sackBlocks(tcb, opts.tsOk ? MAX_SACK_BLOCKS - 1 : MAX_SACK_BLOCKS);
    if (blocks !== undefined) (o ??= {}).sack = blocks;
  }
  return o;
}

/** RFC 7323 4.3: remember the peer's newest timestamp from a segment that is in order. */
export function takeTimestamp(tcb: Tcb, peer: TcpOptions | undefined, seq: number): void {
  const opts = tcb.opts;
  if (opts === undefined || !opts.tsOk || peer?.ts === undefined) return;
  if (seqLe(seq, tcb.rcvNxt)) opts.tsRecent = peer.ts.val;
}

// ---- the receiver's SACK blocks (RFC 2018 4, RFC 2883) ---------------------------------------------

/** Out-of-order data arrived at `seq`: its block is reported first (RFC 2018 4: the most recent first). */
export function noteOutOfOrder(tcb: Tcb, seq: number): void {
  const opts = tcb.opts;
  if (opts === undefined || !opts.sackOk) return;
  const recent = opts.sackRecent;
  recent.unshift(seq);
  if (recent.length > 2 * MAX_SACK_BLOCKS) recent.length = 2 * MAX_SACK_BLOCKS;
}

/** RFC 2883: data that had already arrived (seq..end below RCV.NXT) is reported in a D-SACK block on the next ACK. */
export function noteDuplicate(tcb: Tcb, seq: number, end: number): void {
  const opts = tcb.opts;
  if (opts === undefined || !opts.sackOk || !seqLt(seq, end)) return;
  opts.dsackLeft = seq;
  opts.dsackRight = seqGt(end, tcb.rcvNxt) ? tcb.rcvNxt : end;
}

/**
 * tcp_dsack_extend: another duplicate range; it joins the D-SACK block when it touches it, else the
 * block stays as it is (only the first range is reported).
 */
export function extendDuplicate(tcb: Tcb, seq: number, end: number): void {
  const opts = tcb.opts;
  if (opts === undefined || !opts.sackOk || !seqLt(seq, end)) return;
  if (opts.dsackLeft === opts.dsackRight) {
    opts.dsackLeft = seq;
    opts.dsackRight = end;
  } else if (seqLe(seq, opts.dsackRight) && seqLe(opts.dsackLeft, end)) {
    if (seqLt(seq, opts.dsackLeft)) opts.dsackLeft = seq;
    if (seqGt(end, opts.dsackRight)) opts.dsackRight = end;
  }
}

/** The SACK blocks of the next ACK: a D-SACK block first, then the blocks of held data, the most recently extended first. */
function sackBlocks(tcb: Tcb, max: number): { left: number; right: number }[] | undefined {
  const opts = tcb.opts!;
  let blocks: { left: number; right: number }[] | undefined;
  if (opts.dsackLeft !== opts.dsackRight) {
    blocks = [{ left: opts.dsackLeft, right: opts.dsackRight }];
    opts.dsackLeft = opts.dsackRight = 0; // RFC 2883 4: reported once
  }
  const held = tcb.held;
  if (tcb.heldHead >= held.length) {
    opts.sackRecent.length = 0;
    return blocks;
  }
  const recent = opts.sackRecent;
  let kept = 0;
  for (let r = 0; r < recent.length && (blocks?.length ?? 0) < max; r++) {
    const block = heldBlock(tcb, recent[r]);
    if (block === undefined || (blocks !== undefined && blocks.some((b) => b.left === block.left))) continue;
    recent[kept++] = recent[r];
    (blocks ??= []).push(block);
  }
  recent.length = kept;
  return blocks;
}

/** The contiguous run of held data containing `seq`, if any (above RCV.NXT). */
function heldBlock(tcb: Tcb, seq: number): { left: number; right: number } | undefined {
  const held = tcb.held;
  let left = -1;
  let right = 0;
  for (let i = tcb.heldHead; i < held.length; i++) {
    const h = held[i];
    if (h.len === 0) continue;
    const end = seqAdd(h.seq, h.len);
    if (left >= 0 && seqLe(h.seq, right)) {
      if (seqGt(end, right)) right = end;
      continue;
    }
    if (left >= 0 && seqLe(left, seq) && seqLt(seq, right)) break;
    left = h.seq;
    right = end;
  }
  if (left < 0 || !(seqLe(left, seq) && seqLt(seq, right)) || seqDiff(right, tcb.rcvNxt) <= 0) return undefined;
  return { left: seqLt(left, tcb.rcvNxt) ? tcb.rcvNxt : left, right };
}
