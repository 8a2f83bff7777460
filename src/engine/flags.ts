// Control flags as a bit mask inside the engine (cheap to test and to copy); the trace shows them
// as lists in FLAG_ORDER.

import type { TcpFlag } from './trace';

export const F_SYN = 1;
export const F_ACK = 2;
export const F_FIN = 4;
export const F_RST = 8;
export const F_PSH = 16;
export const F_URG = 32;

const FLAG_BITS: readonly [TcpFlag, number][] = [
  ['SYN', F_SYN],
  ['ACK', F_ACK],
  ['FIN', F_FIN],
  ['RST', F_RST],
  ['PSH', F_PSH],
  ['URG', F_URG],
];

/** One shared, frozen flag list per combination (trace events reference them). */
const FLAG_LISTS: TcpFlag[][] = [];
for (let mask = 0; mask < 64; mask++) {
  FLAG_LISTS.push(Object.freeze(FLAG_BITS.filter(([, bit]) => mask & bit).map(([name]) => name)) as TcpFlag[]);
}

export function flagsToMask(flags: readonly TcpFlag[]): number {
  let mask = 0;
  for (const flag of flags) for (const [name, bit] of FLAG_BITS) if (name === flag) mask |= bit;
  return mask;
}

export function maskToFlags(mask: number): TcpFlag[] {
  return FLAG_LISTS[mask & 63];
}


/** SEG.LEN (RFC 9293 3.4): the payload plus one for SYN and one for FIN. */
export function segmentLength(flags: number, len: number): number {
  return len + (flags & F_SYN ? 1 : 0) + (flags & F_FIN ? 1 : 0);
}
