// The words of the .tcpscenario language, in one place: the parser, the checker and the
// editor's completion all read these lists.

import { CHECKED_CALLS, ERRNOS, RFC_ERRORS } from '../engine/errno';
import type { Settings } from '../engine/program';
import { FLAG_ORDER, TCP_STATES, type TcpFlag, type TcpState } from '../engine/trace';

/** Words that start a statement (case-insensitive). Endpoints cannot be named after them. */
export const STATEMENT_KEYWORDS = [
  'scenario',
  'profile',
  'set',
  'endpoint',
  'link',
  'drop',
  'duplicate',
  'corrupt',
  'delay',
  'reorder',
  'inject',
  'expect',
  'wait',
  'end',
] as const;
export type StatementKeyword = (typeof STATEMENT_KEYWORDS)[number];

export const FAULT_KINDS = ['drop', 'duplicate', 'corrupt', 'delay', 'reorder'] as const;
export type FaultKeyword = (typeof FAULT_KINDS)[number];

/** What an endpoint can be told to do: `client connect server`. */
export const ACTION_VERBS = ['listen', 'connect', 'send', 'receive', 'close', 'shutdown', 'abort', 'crash', 'restart', 'set'] as const;
export type ActionVerb = (typeof ACTION_VERBS)[number];

/** Other words with a meaning inside a statement (for completion and highlighting). */
export const OTHER_KEYWORDS = ['is', 'not', 'with', 'received', 'cwnd', 'ssthresh', 'by', 'once', 'twice', 'times', 'always', 'bytes', 'data', 'until', 'raw', 'ok', 'failed', 'none', 'next', 'within', 'anytime', 'joined', 'nooptions'] as const;

/** Words of `expect next A -> B ...` (packetdrill's `>` lines): what follows `expect`, the bare fields, the time window. */
export const NEXT_WORD = 'next';
export const NEXT_BARE_FIELDS = ['joined', 'nooptions'] as const;
export const WITHIN_WORD = 'within';
export const ANYTIME_WORD = 'anytime';

/** Windows `expect NAME cwnd is N` and `expect NAME ssthresh is N` can check (bytes). */
export const WINDOW_VARIABLES = ['cwnd', 'ssthresh'] as const;
export type WindowVariable = (typeof WINDOW_VARIABLES)[number];

/** What `NAME shutdown` may shut: SHUT_RD, SHUT_WR (the default), SHUT_RDWR. */
export const SHUTDOWN_MODES = ['read', 'write', 'both'] as const;

/** The calls `expect NAME CALL ok|failed` can check. */
export const CALL_WORDS: readonly string[] = CHECKED_CALLS;
/** The errnos an `expect NAME CALL failed ERR` may name (what Linux returns). */
export const ERRNO_NAMES: readonly string[] = Object.keys(ERRNOS);
/** The error texts in RFC 9293's words (`expect client connect failed "connection refused"`). */
export const ERROR_TEXTS: readonly string[] = RFC_ERRORS;

/** Pseudo-flag of a segment pattern: a segment with no flag at all. */
export const NO_FLAGS = 'none';

/** TCP options an `inject` may give its segment: `mss=1460 sackok ts=100:0 wscale=7 sack=1001:2001`. */
export const TCP_OPTION_KEYS = ['mss', 'wscale', 'sackok', 'ts', 'sack'] as const;
/** The one option written without a value. */
export const SACK_PERMITTED = 'sackok';

export const PROFILES = ['rfc', 'linux'] as const;

export const STATES: readonly TcpState[] = TCP_STATES;
export const FLAGS: readonly TcpFlag[] = FLAG_ORDER;
const STATE_SET: ReadonlySet<string> = new Set(STATES);
const FLAG_SET: ReadonlySet<string> = new Set(FLAGS);

/** Pseudo-flag of a segment pattern: any segment that carries data. */
export const DATA_FLAG = 'data';

/** Time units and their length in microseconds. `h` is an extension for keep-alive times. */
export const DURATION_UNITS: Readonly<Record<string, number>> = {
  us: 1,
  ms: 1_000,
  s: 1_000_000,
  min: 60_000_000,
  h: 3_600_000_000,
};

export type SettingKind = 'duration' | 'integer' | 'boolean' | 'duration-or-off' | 'choice';

export interface SettingSpec {
  /** Name as written in a scenario: `set rto-min=200ms`. */
  key: string;
  field: keyof Settings;
  kind: SettingKind;
  /** Inclusive bounds (microseconds for durations). */
  min: number;
  max: number;
  doc: string;
  /** The words a `choice` setting accepts. */
  choices?: readonly string[];
  /** For `duration-or-off`: the value `off` stands for (default 0). */
  off?: number;
}

const DAY = 86_400_000_000;

/** Every `Settings` field a scenario may `set` (and an endpoint may override). */
export const SETTINGS: readonly SettingSpec[] = [
  { key: 'msl', field: 'msl', kind: 'duration', min: 1, max: DAY, doc: 'Maximum segment lifetime; TIME-WAIT lasts 2*MSL.' },
  { key: 'time-wait', field: 'timeWait', kind: 'duration', min: 1, max: 2 * DAY, doc: 'TIME-WAIT length (default 2*msl).' },
  { key: 'rto', field: 'rto', kind: 'duration', min: 1, max: DAY, doc: 'Initial retransmission timeout (RFC 6298: 1s).' },
  { key: 'rto-min', field: 'rtoMin', kind: 'duration', min: 1, max: DAY, doc: 'Lower bound of the retransmission timeout.' },
  { key: 'rto-max', field: 'rtoMax', kind: 'duration', min: 1, max: DAY, doc: 'Upper bound of the retransmission timeout.' },
  { key: 'retries', field: 'retries', kind: 'integer', min: 0, max: 100, doc: 'Retransmissions of data or FIN before giving up.' },
  { key: 'syn-retries', field: 'synRetries', kind: 'integer', min: 0, max: 100, doc: 'Retransmissions of a SYN before giving up.' },
  { key: 'keepalive', field: 'keepalive', kind: 'boolean', min: 0, max: 1, doc: 'Send keep-alive probes on an idle connection (on/off).' },
  { key: 'keepalive-idle', field: 'keepaliveIdle', kind: 'duration', min: 1, max: 30 * DAY, doc: 'Idle time before the first keep-alive probe.' },
  { key: 'keepalive-interval', field: 'keepaliveInterval', kind: 'duration', min: 1, max: DAY, doc: 'Time between keep-alive probes.' },
  { key: 'keepalive-probes', field: 'keepaliveProbes', kind: 'integer', min: 1, max: 100, doc: 'Unanswered probes before the connection is dropped.' },
  { key: 'delayed-ack', field: 'delayedAck', kind: 'duration-or-off', min: 0, max: 500_000, doc: 'Delayed ACK timeout (off or 0 = ACK at once; RFC 1122 allows up to 500ms).' },
  { key: 'user-timeout', field: 'userTimeout', kind: 'duration-or-off', min: 0, max: 30 * DAY, doc: 'User timeout (RFC 9293 3.10.8); off = none.' },
  { key: 'mss', field: 'mss', kind: 'integer', min: 1, max: 65_535, doc: 'Maximum segment size in bytes.' },
  { key: 'rcvbuf', field: 'rcvBuf', kind: 'integer', min: 1, max: 1_073_741_824, doc: 'Receive buffer in bytes: the initial advertised window.' },
  { key: 'autoread', field: 'autoread', kind: 'boolean', min: 0, max: 1, doc: 'The application reads data as soon as it arrives (default: on unless the endpoint has receive statements).' },
  { key: 'rst-on-close-with-unread', field: 'rstOnCloseWithUnread', kind: 'boolean', min: 0, max: 1, doc: 'Closing with unread data sends RST instead of FIN (Linux).' },
  { key: 'cc', field: 'cc', kind: 'choice', min: 0, max: 0, choices: ['newreno', 'cubic'], doc: 'Congestion control: newreno (RFC 5681 with RFC 6582; the rfc profile) or cubic (RFC 9438; the linux profile).' },
  { key: 'initcwnd', field: 'initCwnd', kind: 'integer', min: 0, max: 1000, doc: 'Initial congestion window in segments; 0 = RFC 5681 (2 to 4 by MSS). The linux profile uses 10 (RFC 6928).' },
  { key: 'limited-transmit', field: 'limitedTransmit', kind: 'boolean', min: 0, max: 1, doc: 'Limited transmit (RFC 3042): a new segment on each of the first two duplicate ACKs (off in rfc, on in linux).' },
  { key: 'nodelay', field: 'nodelay', kind: 'boolean', min: 0, max: 1, doc: "Turn off Nagle's algorithm (TCP_NODELAY): small segments go out even while data is unacknowledged." },
  { key: 'sndbuf', field: 'sndBuf', kind: 'integer', min: 0, max: 1_073_741_824, doc: 'Send buffer in bytes (queued plus unacknowledged data); a send that does not fit waits for room. 0 = unlimited (the default).' },
  { key: 'linger', field: 'linger', kind: 'duration-or-off', off: -1, min: 0, max: DAY, doc: 'SO_LINGER: off (the default), or how long close may wait for the data to be acknowledged; 0 = close aborts the connection with a RST.' },
  { key: 'sack', field: 'sack', kind: 'boolean', min: 0, max: 1, doc: 'SACK (RFC 2018): offer SACK-permitted in the SYN; when both sides do, ACKs carry SACK blocks and the sender recovers by them (off in rfc, on in linux).' },
  { key: 'timestamps', field: 'timestamps', kind: 'boolean', min: 0, max: 1, doc: 'TCP timestamps (RFC 7323) on every segment once both SYNs carry them; a full segment then carries MSS - 12 bytes (off in rfc, on in linux).' },
  { key: 'window-scaling', field: 'windowScaling', kind: 'boolean', min: 0, max: 1, doc: 'Window scaling (RFC 7323): offer a window scale in the SYN (off in rfc; on in linux, shift 10 for its 32 MB receive buffer limit).' },
  { key: 'syn-linear-timeouts', field: 'synLinearTimeouts', kind: 'integer', min: 0, max: 100, doc: 'SYN retransmissions one RTO apart before the back-off doubles (Linux tcp_syn_linear_timeouts: 4; rfc: 0).' },
  { key: 'fin-timeout', field: 'finTimeout', kind: 'duration-or-off', min: 0, max: 30 * DAY, doc: 'How long an orphaned FIN-WAIT-2 waits for the peer\'s FIN after the application closed (Linux tcp_fin_timeout: 60s; rfc: off).' },
];

/**
 * The settings a running application can change (`NAME set key=value`): its socket options, by the
 * option each is in a real stack, and `autoread` (whether the application reads). A key listed here
 * that SETTINGS does not have (yet) is simply not offered.
 */
export const SOCKET_OPTIONS: Readonly<Record<string, string>> = {
  nodelay: 'TCP_NODELAY',
  linger: 'SO_LINGER',
  'user-timeout': 'TCP_USER_TIMEOUT',
  rcvbuf: 'SO_RCVBUF',
  sndbuf: 'SO_SNDBUF',
  keepalive: 'SO_KEEPALIVE',
  'keepalive-idle': 'TCP_KEEPIDLE',
  'keepalive-interval': 'TCP_KEEPINTVL',
  'keepalive-probes': 'TCP_KEEPCNT',
  'syn-retries': 'TCP_SYNCNT',
  cc: 'TCP_CONGESTION',
  autoread: '',
};

/** The settings `NAME set` accepts, in SETTINGS order. */
export function runtimeSettings(): SettingSpec[] {
  return SETTINGS.filter((spec) => spec.key in SOCKET_OPTIONS);
}

/** Options of `link A <-> B`. */
export const LINK_OPTIONS = ['delay', 'jitter', 'loss', 'dup', 'reorder', 'corrupt', 'seed'] as const;
/** Options of `endpoint NAME ...`, besides every setting key. */
export const ENDPOINT_OPTIONS = ['isn'] as const;
/** Fields of a segment pattern (`seq=100`); `wnd` only in `inject`. */
export const SEGMENT_FIELDS = ['seq', 'ack', 'len', 'wnd'] as const;

export const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = { on: true, off: false, true: true, false: false, yes: true, no: false };

const SETTING_BY_KEY = new Map(SETTINGS.map((spec) => [spec.key, spec]));

/** Looks a setting up by its written name; `rto_min`, `RTO-MIN` and `rtoMin` work too. */
export function findSetting(key: string): SettingSpec | undefined {
  const normal = key
    .replace(/([a-z])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
  return SETTING_BY_KEY.get(normal === 'rcv-buf' ? 'rcvbuf' : normal);
}

/** `TIME_WAIT`, `time-wait`, `SYN-RCVD` -> `TIME-WAIT`, `SYN-RECEIVED`. */
export function normalizeState(word: string): TcpState | undefined {
  if (STATE_SET.has(word)) return word as TcpState; // written as the RFC spells it: the common case
  const upper = word.toUpperCase().replace(/_/g, '-');
  if ((STATES as readonly string[]).includes(upper)) return upper as TcpState;
  if (upper === 'SYN-RCVD') return 'SYN-RECEIVED';
  return undefined;
}

export function normalizeFlag(word: string): TcpFlag | undefined {
  if (FLAG_SET.has(word)) return word as TcpFlag;
  const upper = word.toUpperCase();
  return (FLAGS as readonly string[]).includes(upper) ? (upper as TcpFlag) : undefined;
}

/**
 * `text.toLowerCase() === word` for a lowercase ASCII `word`, without making a string.
 * Only U+0130 changes length when lowercased (and becomes non-ASCII); only U+212A KELVIN SIGN
 * lowercases to an ASCII letter.
 */
export function isWord(text: string, word: string): boolean {
  if (text === word) return true;
  const length = text.length;
  if (length !== word.length) return false;
  for (let i = 0; i < length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    else if (c === 0x212a) c = 107;
    if (c !== word.charCodeAt(i)) return false;
  }
  return true;
}

export function isStatementKeyword(word: string): word is StatementKeyword {
  return (STATEMENT_KEYWORDS as readonly string[]).includes(word.toLowerCase());
}

export function isActionVerb(word: string): word is ActionVerb {
  return (ACTION_VERBS as readonly string[]).includes(word);
}
