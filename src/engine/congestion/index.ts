// Congestion control: one small interface, one controller per algorithm (smoltcp's
// socket/tcp/congestion/ is the model). A controller only does the window arithmetic; it never
// sends and never decides what was lost: loss detection and the window during recovery (RFC 6582
// NewReno or RFC 6937 PRR) are in ../tcp/recovery.ts, which calls it.
//
// Its state is plain data carried by the TCB (`Tcb.cc`) and copied with it by a snapshot. Windows
// are in bytes; CUBIC computes in segments, as the kernel does, and converts.

import { cubic } from './cubic';
import { newReno } from './newreno';
import type { CcName, CongestionControl } from './state';

export * from './state';

export function controller(name: CcName): CongestionControl {
  return name === 'cubic' ? cubic : newReno;
}
