// Sequence number arithmetic modulo 2^32 (RFC 9293 3.4: "all arithmetic dealing with sequence
// numbers must be performed modulo 2**32"). Never compare sequence numbers with a raw `<`.

export const SEQ_SPACE = 0x1_0000_0000;

/** a + n (mod 2^32). */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

/** Signed distance a - b, in (-2^31, 2^31]. */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

export function seqLe(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

export function seqGt(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

export function seqGe(a: number, b: number): boolean {
  return ((a - b) | 0) >= 0;
}

/** lo =< x < hi, all modulo 2^32. */
export function seqInWindow(x: number, lo: number, hi: number): boolean {
  return ((x - lo) | 0) >= 0 && ((x - hi) | 0) < 0;
}

export function seqMax(a: number, b: number): number {
  return seqGe(a, b) ? a : b;
}

export function seqMin(a: number, b: number): number {
  return seqLe(a, b) ? a : b;
}
