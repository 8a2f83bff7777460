// What a packetdrill script means for the simulation (check.ts builds it, translate.ts turns it into a
// scenario): the stack under test (packetdrill's "local" side) and the script's raw remote side, with
// their addresses and ports, and the script's events in order, each one a system call of the local
// application, a segment the remote side sends (`<`), or a segment the local stack must send (`>`),
// with its time as the script gives it (packetdrill's timing rules are applied at run time, since a
// relative time counts from when the previous event really happened). Pure data.

import type { TcpFlag, TcpOptions } from '../../engine/trace';
import type { Range } from '../../language/diagnostic';
import type { PktTime } from './ast';

/** What a call should return: `= N`, `= -1 ERRNO (...)`, or `= ...`/anything not checked. */
export interface PktResult {
  /** The number the call returns (undefined: not checked). */
  value?: number;
  errno?: string;
  range: Range;
}

export type PktCallName = 'socket' | 'bind' | 'listen' | 'accept' | 'connect' | 'read' | 'write' | 'shutdown' | 'close' | 'setsockopt' | 'getsockopt' | 'fcntl';

export interface PktSetting {
  /** The scenario's key (`linger`, `nodelay`, `rcvbuf`...) and its value as the language writes it. */
  key: string;
  value: string;
  /** The socket option as the script names it (`SO_LINGER`). */
  option: string;
}

export interface PktCallStep {
  kind: 'call';
  line: number;
  time: PktTime;
  range: Range;
  call: PktCallName;
  /** As the script wrote it (`recv`, `send`...). */
  name: string;
  fd?: number;
  /** read/recv: at most this many bytes; write/send: this many. */
  bytes?: number;
  /** shutdown: what it shuts. */
  how?: 'read' | 'write' | 'both';
  /** setsockopt: what it sets in the scenario's words. */
  settings?: PktSetting[];
  /** fcntl F_SETFL with or without O_NONBLOCK. */
  nonblocking?: boolean;
  /** getsockopt SO_ERROR: the error value the script expects in the option's buffer. */
  soError?: number | string;
  /** A blocking call (`...T`): when it returns, µs, absolute or relative to its start as the script's time. */
  returnsAt?: number;
  result: PktResult;
}

export interface PktPacketStep {
  kind: 'inbound' | 'outbound';
  line: number;
  time: PktTime;
  range: Range;
  flags: TcpFlag[];
  seq: number;
  len: number;
  ack?: number;
  /** The window field as written (`win N`), unscaled. */
  win?: number;
  /** The options as the script lists them; 'any' for `<...>`; undefined for none at all. */
  options?: TcpOptions | 'any';
  /** The order and padding the script wrote (`mss 1460,nop,nop,sackOK`), for messages. */
  optionsText?: string;
}

export type PktStep = PktCallStep | PktPacketStep;

export interface PktModel {
  /** Which side the stack under test plays: it listens (server) or connects (client). */
  role: 'server' | 'client';
  local: { address: string; port: number };
  remote: { address: string; port: number };
  /** packetdrill's tolerances: --tolerance_usecs (default 4000) and --tolerance_percent (default 12.5). */
  toleranceUs: number;
  tolerancePercent: number;
  /** --strict_segments: an outbound line matches one segment, never several joined (TSO/GSO). */
  strictSegments: boolean;
  steps: PktStep[];
}

/** packetdrill's defaults (config.c): TEST-NET-1 for the remote side, a private address for the local one. */
export const PKT_DEFAULTS = {
  localAddress: '192.168.0.1',
  remoteAddress: '192.0.2.1',
  /** --bind_port and --connect_port. */
  port: 8080,
  /** What the remote side's or the local client's port is here (packetdrill picks a free ephemeral one). */
  ephemeralPort: 49152,
  toleranceUs: 4000,
  tolerancePercent: 12.5,
} as const;
