// Axes of the time–sequence graph (pure): tick steps of 1, 2 or 5 times a power of ten, domains
// that grow in whole ticks (so a trace that grows by a step rarely moves what is drawn), and the
// tick texts: times as the ladder writes them, byte counts with k and M.

import { formatTimeOnAxis } from '../text/format';

/** A tick step of 1, 2 or 5 times a power of ten, about `span / count`. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}

/** The multiples of `step` in [min, max]. */
export function ticks(min: number, max: number, step: number): number[] {
  const out: number[] = [];
  if (!(step > 0)) return out;
  const first = Math.ceil(min / step - 1e-9);
  for (let k = first; k * step <= max + step * 1e-9 && out.length < 1000; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

/** A domain [min, max] that holds [lo, hi], its ends on whole ticks of about `count` per domain. */
export function niceDomain(lo: number, hi: number, count: number): { min: number; max: number; step: number } {
  if (!(hi > lo)) hi = lo + 1;
  const step = niceStep(hi - lo, count);
  const min = Math.floor(lo / step + 1e-9) * step;
  let max = Math.ceil(hi / step - 1e-9) * step;
  if (max <= min) max = min + step;
  return { min, max, step };
}

/**
 * An automatic domain that follows growing data: kept while [lo, hi] fits in it (and fills more
 * than half of it), else a new nice domain with room for a fifth more. A debugger stepping
 * through a transfer then changes the axes only now and then, never at every step.
 */
export function grownDomain(current: { min: number; max: number } | undefined, lo: number, hi: number, count: number): { min: number; max: number; step: number } {
  if (current && lo >= current.min && hi <= current.max && hi - current.min >= (current.max - current.min) / 2) {
    return { ...current, step: niceStep(current.max - current.min, count) };
  }
  const span = Math.max(hi - lo, 1e-9);
  return niceDomain(lo, hi + span / 5, count);
}

const SI = [
  { factor: 1e9, suffix: 'G' },
  { factor: 1e6, suffix: 'M' },
  { factor: 1e3, suffix: 'k' },
];

/** A byte count on an axis: 0, 500, 10k, 1.5M (SI: 1k = 1,000, as sequence numbers count bytes). */
export function formatBytesShort(value: number): string {
  const abs = Math.abs(value);
  for (const { factor, suffix } of SI) {
    if (abs >= factor) return `${Number((value / factor).toFixed(2))}${suffix}`;
  }
  return String(Number(value.toFixed(2)));
}

/** A time on the axis: "150 ms", "1.5 s" (text/format formatTimeOnAxis). */
export function formatTimeTick(ms: number): string {
  return formatTimeOnAxis(ms);
}
