// Profiles: tables of behaviour, not forks of the state machine. Durations in microseconds.

import type { ProfileName, Settings } from './program';

const MS = 1000;
const S = 1000 * MS;

/** The RFCs as written (RFC 9293, RFC 6298, RFC 1122). */
const rfc: Settings = {
  msl: 120 * S, // RFC 9293 3.4.2: MSL is 2 minutes
  timeWait: 240 * S, // 2*MSL
  rto: 1 * S, // RFC 6298 (2.1): initial RTO of 1 second
  rtoMin: 1 * S, // RFC 6298 (2.4): rounded up to 1 second
  rtoMax: 60 * S, // RFC 6298 (2.5): a maximum of at least 60 seconds
  retries: 15, // RFC 9293 3.8.3: R2 for data at least 100 s (15 backed-off retries is ~10 min)
  synRetries: 7, // RFC 9293 3.8.3: R2 for a SYN at least 3 minutes (1+2+...+60+60 = 183 s)
  keepalive: false, // RFC 1122 4.2.3.6: MUST default to off
  keepaliveIdle: 7200 * S, // RFC 1122 4.2.3.6: no less than two hours
  keepaliveInterval: 75 * S,
  keepaliveProbes: 9,
  delayedAck: 0, // the RFC exchanges ACK every segment at once
  userTimeout: 0,
  mss: 1460,
  rcvBuf: 65535,
  rstOnCloseWithUnread: false,
  fastRetransmit: 3, // RFC 5681 3.2, which RFC 9293 3.8.2 requires for congestion control
  cc: 'newreno', // RFC 9293 3.8.2: RFC 5681, with RFC 6582 for partial ACKs
  initCwnd: 0, // RFC 5681 3.1: 2, 3 or 4 segments by SMSS
  limitedTransmit: false, // RFC 3042 is optional; off, so the classic picture of fast retransmit shows
  nodelay: false, // RFC 1122 4.2.3.4: Nagle's algorithm SHOULD be on
  sndBuf: 0,
  sack: false, // RFC 9293 sends no options but MSS (here none: MSS is a setting); a scenario may turn them on
  timestamps: false,
  windowScaling: false,
  synLinearTimeouts: 0, // RFC 6298 (5.5): every timeout doubles
  finTimeout: 0, // RFC 9293: FIN-WAIT-2 waits for the peer's FIN for ever
  kernel: false,
};

/** What Linux does (net.ipv4 defaults). */
const linux: Settings = {
  msl: 30 * S,
  timeWait: 60 * S, // TCP_TIMEWAIT_LEN
  rto: 1 * S, // TCP_TIMEOUT_INIT
  rtoMin: 200 * MS, // TCP_RTO_MIN
  rtoMax: 120 * S, // TCP_RTO_MAX
  retries: 15, // tcp_retries2
  synRetries: 6, // tcp_syn_retries: gives up after 127 s
  keepalive: false, // SO_KEEPALIVE is off unless set
  keepaliveIdle: 7200 * S, // tcp_keepalive_time
  keepaliveInterval: 75 * S, // tcp_keepalive_intvl
  keepaliveProbes: 9, // tcp_keepalive_probes
  delayedAck: 40 * MS, // TCP_DELACK_MIN: a prompt close merges the ACK of a FIN with our FIN
  userTimeout: 0,
  mss: 1460,
  rcvBuf: 65536, // tcp_rmem[1] 131072 at the kernel's first guess of half of it for data: 65536 of window
  rstOnCloseWithUnread: true, // RFC 1122 4.2.2.13 SHOULD, as Linux does
  fastRetransmit: 3, // tcp_reordering
  cc: 'cubic', // net.ipv4.tcp_congestion_control
  initCwnd: 10, // TCP_INIT_CWND (RFC 6928)
  limitedTransmit: true, // tcp_add_reno_sack: each duplicate ACK lets a new segment out before recovery
  nodelay: false,
  sndBuf: 0, // the kernel autotunes tcp_wmem; no limit unless the scenario sets one
  sack: true, // tcp_sack
  timestamps: true, // tcp_timestamps
  windowScaling: true, // tcp_window_scaling
  synLinearTimeouts: 4, // tcp_syn_linear_timeouts
  finTimeout: 60 * S, // tcp_fin_timeout
  kernel: true,
};

export const PROFILES: Readonly<Record<ProfileName, Readonly<Settings>>> = { rfc, linux };

/**
 * Profile defaults, overridden by the scenario's `set` and then by the endpoint's own keys.
 * When `msl` is set but not `timeWait`, TIME-WAIT follows as 2*MSL (not in the linux profile, whose
 * TIME-WAIT is TCP_TIMEWAIT_LEN whatever MSL is).
 */
export function resolveSettings(profile: ProfileName, ...overrides: Partial<Settings>[]): Settings {
  const base = PROFILES[profile] ?? PROFILES.rfc;
  const merged: Settings = { ...base };
  let mslSet = false;
  let timeWaitSet = false;
  for (const o of overrides) {
    for (const key of Object.keys(o) as (keyof Settings)[]) {
      const value = o[key];
      if (value === undefined) continue;
      (merged as unknown as Record<string, unknown>)[key] = value;
      if (key === 'msl') mslSet = true;
      if (key === 'timeWait') timeWaitSet = true;
    }
  }
  // RFC 9293 3.10.8: TIME-WAIT is 2*MSL. Linux's is TCP_TIMEWAIT_LEN (60 s) whatever MSL is.
  if (mslSet && !timeWaitSet && !merged.kernel) merged.timeWait = 2 * merged.msl;
  return merged;
}
