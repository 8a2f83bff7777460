// The linux profile's per-connection state (`Tcb.lx`): what the kernel keeps beside RFC 9293's
// variables. Plain data, copied by a snapshot (`cloneLinux`). Times in microseconds, windows and
// sizes in bytes. The kernel's names are given where they help reading tcp_input.c beside this.

export interface LinuxState {
  // ---- the ACK policy (struct inet_connection_sock icsk_ack) --------------------------------------
  /** Quick-ACK credit: ACK every segment while it lasts (icsk_ack.quick). */
  quick: number;
  /** The delayed-ACK timeout the receiver predicts, µs (icsk_ack.ato); 0 until data arrives. */
  ato: number;
  /** Interactive (ping-pong) count (icsk_ack.pingpong); in ping-pong mode at 1 (tcp_pingpong_thresh). */
  pingpong: number;
  /** When data last arrived (icsk_ack.lrcvtime). */
  lrcvtime: number;
  /** The receiver's guess of the peer's MSS (icsk_ack.rcv_mss). */
  rcvMss: number;
  /** icsk_ack.pending: ACK_SCHED 1, ACK_TIMER 2, ACK_PUSHED 4, ACK_PUSHED2 8, ACK_NOW 16. */
  ackPending: number;
  /** When the delayed-ACK timer is due (icsk_ack.timeout). */
  ackTimeout: number;
  /** The last segment size measured from a short segment (icsk_ack.last_seg_size). */
  lastSegSize: number;
  /** When we last answered an out-of-window segment (tp->last_oow_ack_time), -1 never. */
  oowAt: number;
  /** Duplicate ACKs sent for out-of-order data at RCV.NXT `dupAckFor` (tp->dup_ack_counter, compressed_ack_rcv_nxt). */
  dupAckFor: number;
  dupAcksSent: number;

  // ---- the receive window ------------------------------------------------------------------------
  /** RCV.NXT when the window was last advertised (tp->rcv_wup) and that window (tp->rcv_wnd). */
  rcvWup: number;
  rcvWnd: number;
  /** The window the receiver is growing towards, per segment received (tp->rcv_ssthresh). */
  rcvSsthresh: number;
  /** The largest window it will advertise (tp->window_clamp). */
  windowClamp: number;
  /** The receive buffer's memory (sk_rcvbuf) and what queued and held data take of it (sk_rmem_alloc, the held part counted apart). */
  rcvMem: number;
  rmem: number;
  /** Bytes of data per 256 bytes of buffer memory (tp->scaling_ratio): 128 until a full segment is measured. */
  ratio: number;
  /** The buffer was fixed by the scenario (SO_RCVBUF: SOCK_RCVBUF_LOCK), so it is not autotuned. */
  rcvLocked: boolean;
  /** Dynamic right-sizing (tcp_rcv_space_adjust): bytes read in the last RTT, where and when that RTT began. */
  rcvqSpace: number;
  rcvqRead: number;
  rcvqTime: number;
  /** The receiver's RTT estimate, µs times 8 (tp->rcv_rtt_est.rtt_us); 0 none; the echoed timestamp it last used (rcv_rtt_last_tsecr). */
  rcvRtt: number;
  rcvRttEcr: number;
  /** Bytes the application has read so far (copied_seq as a count). */
  read: number;

  // ---- the sender: PSH, the retransmission queue, RACK, TLP, the RTO estimator ---------------------
  /** Where each write of the application ends (tcp_push marks its last segment PSH), from `pushHead` on. */
  pushAt: number[];
  pushHead: number;
  /** The retransmission queue (tcp_rtx_queue), from `qHead` on, in sequence order: each segment sent and not acknowledged. */
  qSeq: number[];
  qEnd: number[];
  /** When it was (last) sent, and in which order (a counter: segments sent at the same instant were sent one after the other). */
  qTime: number[];
  qOrder: number[];
  /** Q_SACKED, Q_LOST, Q_RETRANS (sent again and not since lost), Q_EVER_RETRANS. */
  qFlags: number[];
  /** tp->delivered when each was (last) sent (the rate sample's tx.delivered). */
  qDelivered: number[];
  qHead: number;
  /** Segments (not bytes, as the kernel counts) SACKed, marked lost, retransmitted and in flight. */
  sackedOut: number;
  lostOut: number;
  retransOut: number;
  /** Bytes of the entries not in flight (SACKed, or lost and not sent again): bytes in flight in O(1). */
  outBytes: number;
  /** Transmissions so far (the order of `qOrder`). */
  sent: number;
  /** RACK (RFC 8985, tcp_recovery.c): the newest (re)sent time among (s)acked segments, its send order, its RTT, whether it moved. */
  rackTime: number;
  rackOrder: number;
  rackRtt: number;
  rackAdvanced: boolean;
  /** RFC 8985 6.2.4: reordering window steps (of min_rtt/4), and whether reordering was seen. */
  reoWndSteps: number;
  reordSeen: boolean;
  /** tcp_rack_update_reo_wnd: a D-SACK after reordering is pending (rack.dsack_seen); `delivered` at the last widening (rack.last_delivered); recoveries it still holds (rack.reo_wnd_persist). */
  dsackSeen: boolean;
  reoLastDelivered: number;
  reoWndPersist: number;
  /** Segments delivered so far (tp->delivered; the handshake counts one). */
  delivered: number;
  /** The smallest RTT seen (tcp_min_rtt), µs; Infinity before any. */
  minRtt: number;
  /** RFC 8985 7: SND.NXT when a loss probe went out (tp->tlp_high_seq), -1 none; whether it was a retransmission. */
  tlpHighSeq: number;
  tlpRetrans: boolean;
  /** When the first segment of this episode of retransmissions was first sent (tp->retrans_stamp), -1 none. */
  retransStamp: number;
  /** Undo of a spurious timeout (undo.ts): when the episode's first retransmission went out (µs, -1 none); SND.UNA at the timeout (tp->undo_marker, -1 none); retransmissions not yet shown needless by a D-SACK (undo_retrans); ssthresh and cwnd before it (bytes, prior_ssthresh 0: nothing to restore). */
  retransAt: number;
  /** F-RTO (RFC 5682) after this timeout (tp->frto); the ACK just processed asks for new data, not retransmissions (REXMIT_NEW). */
  frto: boolean;
  rexmitNew: boolean;
  undoMarker: number;
  undoRetrans: number;
  priorSsthresh: number;
  priorCwndBytes: number;
  /** tcp_rtt_estimator: mean deviation and its maximum over the last RTT (µs times 4, as mdev_us), and the end of that RTT. */
  mdev: number;
  mdevMax: number;
  rttSeq: number;
  /** Retransmission timeouts in a row without progress (icsk_backoff). */
  backoff: number;
  /** Time-based give-up (retransmits_timed_out): when the first SYN went out. */
  synSentAt: number;
}

/** Retransmission queue flags (the kernel's TCPCB_SACKED_ACKED, TCPCB_LOST, TCPCB_SACKED_RETRANS, TCPCB_EVER_RETRANS). */
export const Q_SACKED = 1;
export const Q_LOST = 2;
export const Q_RETRANS = 4;
export const Q_EVER_RETRANS = 8;

/** icsk_ack.pending bits. */
export const ACK_SCHED = 1;
export const ACK_TIMER = 2;
export const ACK_PUSHED = 4;
export const ACK_PUSHED2 = 8;
export const ACK_NOW = 16;

/** TCP_MSS_DEFAULT: the first guess of the peer's segment size. */
export const MSS_DEFAULT = 536;

/** `rcvBuf`: SO_RCVBUF, or its default, tcp_rmem[1] / 2: the kernel doubles it for memory. */
export function newLinuxState(rcvBuf: number, rcvLocked: boolean, now: number): LinuxState {
  return {
    quick: 0,
    ato: 0,
    pingpong: 0,
    lrcvtime: now,
    rcvMss: MSS_DEFAULT,
    ackPending: 0,
    ackTimeout: 0,
    lastSegSize: 0,
    oowAt: -1,
    dupAckFor: -1,
    dupAcksSent: 0,
    rcvWup: 0,
    rcvWnd: 0,
    rcvSsthresh: 0,
    windowClamp: 0,
    rcvMem: 2 * rcvBuf,
    rmem: 0,
    ratio: 128,
    rcvLocked,
    rcvqSpace: 0,
    rcvqRead: 0,
    rcvqTime: now,
    rcvRtt: 0,
    rcvRttEcr: -1,
    read: 0,
    pushAt: [],
    pushHead: 0,
    qSeq: [],
    qEnd: [],
    qTime: [],
    qOrder: [],
    qFlags: [],
    qDelivered: [],
    qHead: 0,
    sackedOut: 0,
    lostOut: 0,
    retransOut: 0,
    outBytes: 0,
    sent: 0,
    rackTime: -1,
    rackOrder: 0,
    rackRtt: 0,
    rackAdvanced: false,
    reoWndSteps: 1,
    reordSeen: false,
    dsackSeen: false,
    reoLastDelivered: 0,
    reoWndPersist: 0,
    delivered: 1,
    minRtt: Infinity,
    tlpHighSeq: -1,
    tlpRetrans: false,
    retransStamp: -1,
    retransAt: -1,
    frto: false,
    rexmitNew: false,
    undoMarker: -1,
    undoRetrans: 0,
    priorSsthresh: 0,
    priorCwndBytes: 0,
    mdev: 0,
    mdevMax: 0,
    rttSeq: 0,
    backoff: 0,
    synSentAt: now,
  };
}

export function cloneLinux(x: LinuxState): LinuxState {
  const h = x.qHead;
  return {
    ...x,
    pushAt: x.pushAt.slice(x.pushHead),
    pushHead: 0,
    qSeq: x.qSeq.slice(h),
    qEnd: x.qEnd.slice(h),
    qTime: x.qTime.slice(h),
    qOrder: x.qOrder.slice(h),
    qFlags: x.qFlags.slice(h),
    qDelivered: x.qDelivered.slice(h),
    qHead: 0,
  };
}
