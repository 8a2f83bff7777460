// Virtual time -> y (pure). Distinct instants are knots; between knots the height grows
// linearly up to `linearMs`, then by `pxPerDoubling` per doubling (monotonic, so the longest
// wait stays the tallest). Events at one instant are stacked in rows. The median flight time
// sets the linear scale.

import type { Layout } from './types';
import { lowerBound } from './indexQueue';

/**
 * The knots and their y. Incremental: the owner changes `times`/`rows` from some knot on and
 * calls `refresh(from)`; the y of the knots before `from` stay as they were (the y of a knot
 * depends only on the knots before it).
 */
export class TimeScale {
  readonly times: number[] = [];
  readonly rows: number[] = [];
  readonly ys: number[] = [];

  constructor(
    readonly pxPerMs: number,
    readonly linearMs: number,
    readonly layout: Layout,
    readonly top: number,
  ) {}

  /** Recomputes the y of knots `from` and later (after `times`/`rows` changed there). */
  refresh(from: number): void {
    const { times, rows, ys, layout } = this;
    ys.length = times.length;
    if (times.length === 0) return;
    let start = Math.max(0, Math.min(from, times.length));
    if (start === 0) {
      ys[0] = this.top;
      start = 1;
    }
    for (let i = start; i < times.length; i++) {
      ys[i] = ys[i - 1] + ((rows[i - 1] - 1) * layout.rowPx + Math.max(layout.minGapPx, this.height(times[i] - times[i - 1])));
    }
  }

  /** Height of an idle interval of `dt` ms. */
  height(dt: number): number {
    if (dt <= 0) return 0;
    if (dt <= this.linearMs) return dt * this.pxPerMs;
    return this.linearMs * this.pxPerMs + this.layout.pxPerDoubling * Math.log2(dt / this.linearMs);
  }

  /** Compressed to less than half its proportional height: drawn as a gap with its duration. */
  isCompressed(dt: number): boolean {
    return dt > this.linearMs && this.height(dt) < 0.5 * dt * this.pxPerMs;
  }

  /** Bottom of the rows used at knot i. */
  rowsBottom(i: number): number {
    return this.ys[i] + (this.rows[i] - 1) * this.layout.rowPx;
  }

  /** Index of the first knot at or after t. */
  lowerBound(t: number): number {
    return lowerBound(this.times, t);
  }

  /** The first knot at or after t (Infinity: none yet). */
  knotAtOrAfter(t: number): number {
    const k = this.lowerBound(t);
    return k < this.times.length ? this.times[k] : Infinity;
  }

  /** y of time t (row `slot` when t is a knot; interpolated between knots otherwise). */
  y(t: number, slot = 0): number {
    const { times } = this;
    if (times.length === 0) return 0;
    let lo = 0;
    let hi = times.length - 1;
    if (t < times[0]) return this.ys[0] - this.height(times[0] - t);
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (times[mid] <= t) lo = mid;
      else hi = mid - 1;
    }
    if (times[lo] === t) return this.ys[lo] + slot * this.layout.rowPx;
    const base = this.rowsBottom(lo);
    if (lo + 1 >= times.length) return base + this.height(t - times[lo]);
    const span = this.ys[lo + 1] - base;
    const whole = this.height(times[lo + 1] - times[lo]);
    return base + (whole > 0 ? (span * this.height(t - times[lo])) / whole : 0);
  }
}

/** A multiset of flight times (value -> count) whose median is kept until it changes. */
export class FlightCounts {
  private readonly counts = new Map<number, number>();
  private total = 0;
  private cached: number | undefined;
  private stale = false;

  add(value: number, sign: 1 | -1): void {
    const n = (this.counts.get(value) ?? 0) + sign;
    if (n > 0) this.counts.set(value, n);
    else this.counts.delete(value);
    this.total += sign;
    this.stale = true;
  }

  get size(): number {
    return this.total;
  }

  /** Median of the values (undefined when empty): the same number `median` gives for them. */
  median(): number | undefined {
    if (!this.stale) return this.cached;
    this.stale = false;
    const { counts, total } = this;
    if (total === 0) return (this.cached = undefined);
    const values = [...counts.keys()].sort((a, b) => a - b);
    const at = (rank: number) => {
      let seen = 0;
      for (const v of values) {
        seen += counts.get(v) ?? 0;
        if (rank < seen) return v;
      }
      return values[values.length - 1];
    };
    const mid = total >> 1;
    return (this.cached = total % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2);
  }
}
