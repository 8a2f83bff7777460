// The RTO as Linux computes it (tcp_input.c tcp_rtt_estimator, tcp_set_rto; include/net/tcp.h
// __tcp_set_rto): Jacobson's estimator in the kernel's fixed point, with RTTVAR never below
// tcp_rto_min (200 ms) and adapted once per round trip, RTO = SRTT + RTTVAR rounded up to jiffies.
// Every ACK of data never sent again is a sample (from the oldest segment it acknowledges), not
// one timed segment per round trip as RFC 6298 does. So a connection with a 20 ms RTT has an RTO of
// about 224 ms (docs/captures.md).

import * as Seq from '../../seq';
import type { Settings } from '../../program';
import type { Tcb } from '../../world';
import type { LinuxState } from './state';
import { jiffies } from './jiffies';

const { seqGt } = Seq;

/** What the estimator reads and writes of a TCB and of the Linux state (the import runs it on a capture's samples too). */
export type RttTcb = Pick<Tcb, 'srtt' | 'rttvar' | 'rto' | 'sndUna' | 'sndNxt'>;
export type RttMemory = Pick<LinuxState, 'mdev' | 'mdevMax' | 'rttSeq' | 'minRtt' | 'backoff'>;

/** tcp_rtt_estimator and tcp_set_rto for a sample of `m` µs; SRTT and RTTVAR land in the TCB (µs) for the view. */
export function rttSample(st: Pick<Settings, 'rtoMin' | 'rtoMax'>, tcb: RttTcb, lx: RttMemory, m: number): void {
  m = Math.max(1, Math.round(m));
  const sample = m;
  const rtoMin = st.rtoMin;
  let srtt8 = tcb.srtt > 0 ? Math.round(tcb.srtt * 8) : 0;
  if (srtt8 !== 0) {
    m -= srtt8 >> 3; // m is now the error
    srtt8 += m; // srtt = 7/8 srtt + 1/8 m
    if (m < 0) {
      m = -m - (lx.mdev >> 2);
      if (m > 0) m >>= 3; // a falling RTT moves mdev more slowly (the kernel's Eifel-like rule)
    } else {
      m -= lx.mdev >> 2;
    }
    lx.mdev += m; // mdev = 3/4 mdev + 1/4 |error|
    if (lx.mdev > lx.mdevMax) {
      lx.mdevMax = lx.mdev;
      if (lx.mdevMax > tcb.rttvar) tcb.rttvar = lx.mdevMax;
    }
    if (seqGt(tcb.sndUna, lx.rttSeq)) {
      // Once per round trip RTTVAR decays towards the largest deviation seen in it.
      if (lx.mdevMax < tcb.rttvar) tcb.rttvar -= (tcb.rttvar - lx.mdevMax) >> 2;
      lx.rttSeq = tcb.sndNxt;
      lx.mdevMax = rtoMin;
    }
  } else {
    srtt8 = m << 3;
    lx.mdev = m << 1; // RTO = 3 RTT for a first sample, before the floor
    tcb.rttvar = Math.max(lx.mdev, rtoMin);
    lx.mdevMax = tcb.rttvar;
    lx.rttSeq = tcb.sndNxt;
  }
  tcb.srtt = Math.max(1, srtt8) / 8;
  tcb.rto = Math.min(jiffies((Math.max(1, srtt8) >> 3) + tcb.rttvar), st.rtoMax);
  minRttSample(lx, sample);
  lx.backoff = 0; // RFC 6298: a valid sample ends the back-off
}

/** tcp_update_rtt_min: the smallest RTT (tcp_min_rtt_wlen, 300 s, is longer than any scenario's memory of it). */
export function minRttSample(lx: Pick<LinuxState, 'minRtt'>, rtt: number): void {
  if (rtt > 0 && rtt < lx.minRtt) lx.minRtt = rtt;
}
