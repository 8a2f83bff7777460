// RFC 5681 slow start and congestion avoidance, in bytes. NewReno's loss recovery (RFC 6582) is in
// ../tcp/recovery.ts; this is only the arithmetic.

import type { CongestionControl, CongestionState } from './state';
import { MAX_WINDOW } from './state';

export const newReno: CongestionControl = {
  name: 'newreno',

  onAck(c: CongestionState, acked: number, smss: number): void {
    if (c.cwnd < c.ssthresh) {
      // RFC 5681 3.1 (2): slow start, cwnd += min(N, SMSS) per ACK.
      c.cwnd += Math.min(acked, smss);
    } else {
      // RFC 5681 3.1, congestion avoidance by byte counting (the RECOMMENDED way): once a whole
      // cwnd has been acknowledged, cwnd grows by one SMSS.
      c.counted += acked;
      if (c.counted >= c.cwnd) {
        c.counted -= c.cwnd;
        c.cwnd += smss;
      }
    }
    if (c.cwnd > MAX_WINDOW) c.cwnd = MAX_WINDOW;
  },

  ssthresh(_c: CongestionState, flightSize: number, smss: number): number {
    // RFC 5681 (4): ssthresh = max(FlightSize / 2, 2*SMSS).
    return Math.max(Math.floor(flightSize / 2), 2 * smss);
  },

  onTimeout(c: CongestionState): void {
    c.counted = 0;
  },

  onIdle(): void {},

  onRttSample(): void {},
};
