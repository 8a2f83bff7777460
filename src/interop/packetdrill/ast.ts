// The tree the packetdrill parser builds (parser.ts), close to google/packetdrill's parser.y: a
// script is options, events and an optional init and cleanup command; an event is a time and an
// action (a packet, a system call, a shell command, a python block). Every node has its offset and
// range in the script, so what is wrong or unsupported is reported at its line and column. Pure data.

import type { Range } from '../../language/diagnostic';

export interface PktNode {
  /** Offset of the node's first character, and one past its last. */
  offset: number;
  end: number;
  /** Where it starts (line, column) and its length, for diagnostics. */
  range: Range;
}

/** `--name=value` before the first event (value undefined for a bare `--name`). */
export interface PktOption extends PktNode {
  name: string;
  value?: string;
}

export type PktTimeKind = 'absolute' | 'relative' | 'any' | 'absolute-range' | 'relative-range';

/** An event's time, in microseconds (packetdrill's unit): `T`, `+T`, `*`, `T~T`, `+T~+T`. */
export interface PktTime extends PktNode {
  kind: PktTimeKind;
  /** 0 for `*`. */
  start: number;
  /** The end of a range. */
  rangeEnd?: number;
}

export interface PktTcpOption extends PktNode {
  /** nop eol mss wscale sackOK sack TS md5 FO FOEXP ECN (as written). */
  name: string;
  /** mss, wscale: the number; TS: val and ecr; sack: the blocks; others: undefined. */
  value?: number;
  val?: number;
  ecr?: number;
  blocks?: { left: number; right: number }[];
}

/** What packetdrill reads before the TCP header that this tool has no use for (kept to report it). */
export interface PktPacketExtra extends PktNode {
  /** 'ipv4' / 'ipv6' (an explicit IP header), 'gre', 'mpls', 'ip-info' (tos, ECN codepoint, flow label, ttl), 'encap'. */
  what: string;
  text: string;
}

export interface PktPacket extends PktNode {
  kind: 'packet';
  direction: '<' | '>';
  directionRange: Range;
  /** A UDP or ICMP packet (not modelled); the rest of the fields are then absent. */
  protocol: 'tcp' | 'udp' | 'icmp';
  protocolRange?: Range;
  extras: PktPacketExtra[];
  /** Explicit ports `SRC>DST`, when given. */
  ports?: { src: number; dst: number; range: Range };
  /** Flags as written: letters and '.', '' for '-' (no flag at all). */
  flags: string;
  flagsRange: Range;
  /** An AccECN ACE field after the flags (`S.1`): not modelled. */
  ace?: { text: string; range: Range };
  seq: { start: number; end: number; length: number; range: Range };
  ack?: { value: number; range: Range };
  win?: { value: number; range: Range };
  urg?: { value: number; range: Range };
  /** undefined: no `<...>` at all (no options); 'any': `<...>` (not checked); else the list. */
  options?: PktTcpOption[] | 'any';
  optionsRange?: Range;
}

export type PktExpr =
  | (PktNode & { kind: 'int'; value: number; text: string })
  | (PktNode & { kind: 'float'; value: number; text: string })
  | (PktNode & { kind: 'word'; text: string })
  | (PktNode & { kind: 'string'; value: string; ellipsis: boolean })
  | (PktNode & { kind: 'ellipsis' })
  | (PktNode & { kind: 'or'; items: PktExpr[] })
  | (PktNode & { kind: 'assign'; name: string; nameRange: Range; value: PktExpr })
  | (PktNode & { kind: 'list'; items: PktExpr[] })
  | (PktNode & { kind: 'struct'; items: PktExpr[] })
  | (PktNode & { kind: 'call'; name: string; nameRange: Range; args: PktExpr[] });

export interface PktSyscall extends PktNode {
  kind: 'syscall';
  name: string;
  nameRange: Range;
  args: PktExpr[];
  /** `...T`: a blocking call that returns at T (absolute, or relative to the call's start for a relative time). */
  endTime?: { value: number; range: Range };
  result?: PktExpr;
  /** `-1 ECONNREFUSED (Connection refused)`. */
  errno?: { name: string; range: Range; note?: string };
  note?: string;
}

export interface PktCommand extends PktNode {
  kind: 'command';
  command: string;
}

export interface PktCode extends PktNode {
  kind: 'code';
  code: string;
}

export type PktAction = PktPacket | PktSyscall | PktCommand | PktCode;

export interface PktEvent extends PktNode {
  time: PktTime;
  action: PktAction;
  /** 1-based line of the event (packetdrill's: the line of its time). */
  line: number;
}

export interface PktScript {
  options: PktOption[];
  initCommand?: PktCommand;
  events: PktEvent[];
  cleanupCommand?: PktCommand;
}
