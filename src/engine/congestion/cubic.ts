// CUBIC (RFC 9438) as the Linux kernel runs it by default (net/ipv4/tcp_cubic.c): beta 717/1024,
// C = 0.4, fast convergence on, the Reno-friendly region (tcp_friendliness) on. Arithmetic in
// segments, as the kernel's; the TCB keeps bytes. Simplifications (docs/engine.md says why):
// HyStart is left out, the cube root and times are exact instead of the kernel's fixed point and
// jiffies, and `cnt` is recomputed on every ACK (the kernel: at most once a jiffy).

import type { CongestionControl, CongestionState } from './state';
import { MAX_WINDOW } from './state';

/** RFC 9438 4.5: beta_cubic = 0.7; the kernel's `beta` = 717 / BICTCP_BETA_SCALE (1024). */
const BETA = 717;
const BETA_SCALE = 1024;
/** RFC 9438 4.2: C = 0.4 segments/s^3 (the kernel's bic_scale 41 works out to 410/1024). */
export const CUBIC_C = 0.4;
/** tcp_cubic.c cubictcp_register: beta_scale = 8*(1024+717)/3/(1024-717) = 15, in integer arithmetic. */
const FRIENDLY_SCALE = Math.floor(Math.floor((8 * (BETA_SCALE + BETA)) / 3) / (BETA_SCALE - BETA));

function segments(bytes: number, smss: number): number {
  return Math.max(1, Math.round(bytes / smss));
}

/** tcp_cubic.c bictcp_update: how many segments must be acknowledged for cwnd to grow by one. */
function update(c: CongestionState, cwnd: number, acked: number, now: number): void {
  c.ackCnt += acked;
  if (c.epochStart < 0) {
    // A new epoch: the first ACK in congestion avoidance after a reduction.
    c.epochStart = now;
    c.ackCnt = acked;
    c.tcpCwnd = cwnd;
    if (c.lastMaxCwnd <= cwnd) {
      c.k = 0;
      c.originPoint = cwnd;
    } else {
      // RFC 9438 (2): K = cbrt((W_max - cwnd_epoch) / C).
      c.k = Math.cbrt((c.lastMaxCwnd - cwnd) / CUBIC_C);
      c.originPoint = c.lastMaxCwnd;
    }
  }
  // RFC 9438 (1), W_cubic(t) = C*(t - K)^3 + W_max, taken one minimum RTT ahead (as the kernel does).
  const t = (now - c.epochStart + c.delayMin) / 1_000_000;
  const offs = Math.abs(t - c.k);
  const delta = Math.floor(CUBIC_C * offs * offs * offs);
  const target = t < c.k ? c.originPoint - delta : c.originPoint + delta;
  c.cnt = target > cwnd ? Math.floor(cwnd / (target - cwnd)) : 100 * cwnd;
  // Before any loss the bandwidth is unknown: grow at least 5% per RTT.
  if (c.lastMaxCwnd === 0 && c.cnt > 20) c.cnt = 20;
  // RFC 9438 4.3, the Reno-friendly region: W_est grows by 3(1-beta)/(1+beta) per RTT.
  const step = Math.floor((cwnd * FRIENDLY_SCALE) / 8);
  if (c.ackCnt > step) {
    const n = Math.ceil((c.ackCnt - step) / step);
    c.ackCnt -= n * step;
    c.tcpCwnd += n;
  }
  if (c.tcpCwnd > cwnd) {
    const maxCnt = Math.floor(cwnd / (c.tcpCwnd - cwnd));
    if (c.cnt > maxCnt) c.cnt = maxCnt;
  }
  // At most one segment per two acknowledged (1.5x per RTT).
  if (c.cnt < 2) c.cnt = 2;
}

export const cubic: CongestionControl = {
  name: 'cubic',

  onAck(c: CongestionState, ackedBytes: number, smss: number, now: number): void {
    let cwnd = segments(c.cwnd, smss);
    let acked = Math.max(1, Math.ceil(ackedBytes / smss));
    const ssthresh = Math.floor(c.ssthresh / smss);
    if (cwnd < ssthresh) {
      // tcp_slow_start: grow by the segments acknowledged, up to ssthresh; the rest goes on below.
      const next = Math.min(cwnd + acked, ssthresh);
      acked -= next - cwnd;
      cwnd = next;
      if (acked === 0) {
        c.cwnd = Math.min(cwnd * smss, MAX_WINDOW);
        return;
      }
    }
    update(c, cwnd, acked, now);
    // tcp_cong_avoid_ai(tp, cnt, acked)
    if (c.counted >= c.cnt) {
      c.counted = 0;
      cwnd++;
    }
    c.counted += acked;
    if (c.counted >= c.cnt) {
      const grow = Math.floor(c.counted / c.cnt);
      c.counted -= grow * c.cnt;
      cwnd += grow;
    }
    c.cwnd = Math.min(cwnd * smss, MAX_WINDOW);
  },

  ssthresh(c: CongestionState, _flightSize: number, smss: number): number {
    // cubictcp_recalc_ssthresh: the epoch ends; W_max with fast convergence (RFC 9438 4.7).
    const cwnd = segments(c.cwnd, smss);
    c.epochStart = -1;
    c.lastMaxCwnd = cwnd < c.lastMaxCwnd ? Math.floor((cwnd * (BETA_SCALE + BETA)) / (2 * BETA_SCALE)) : cwnd;
    // RFC 9438 4.6: ssthresh = cwnd * beta_cubic, at least two segments.
    return Math.max(Math.floor((cwnd * BETA) / BETA_SCALE), 2) * smss;
  },

  onTimeout(c: CongestionState): void {
    // cubictcp_state(TCP_CA_Loss): bictcp_reset.
    c.counted = 0;
    c.lastMaxCwnd = 0;
    c.epochStart = -1;
    c.originPoint = 0;
    c.k = 0;
    c.delayMin = 0;
    c.tcpCwnd = 0;
    c.ackCnt = 0;
    c.cnt = 0;
  },

  onIdle(c: CongestionState, idle: number, now: number): void {
    // cubictcp_cwnd_event(CA_EVENT_TX_START): shift the epoch so the curve does not jump.
    if (c.epochStart >= 0 && idle > 0) {
      c.epochStart += idle;
      if (c.epochStart > now) c.epochStart = now;
    }
  },

  onRttSample(c: CongestionState, rtt: number, now: number): void {
    // cubictcp_acked: samples in the first second of an epoch are discarded; keep the minimum.
    if (c.epochStart >= 0 && now - c.epochStart < 1_000_000) return;
    const delay = Math.max(rtt, 1);
    if (c.delayMin === 0 || c.delayMin > delay) c.delayMin = delay;
  },
};
