// The runtime's snapshots: one at the start, then one every `snapshotEvery` events, and short-lived
// fine ones while replaying back; a step back restores the latest one before its target and
// replays from there (src/debug/runtime.ts). Which to take, keep and drop is decided here.

import type { SimSnapshot } from '../engine/api';
import { lowerBound } from '../diagram/indexQueue';

export interface SnapshotRecord {
  length: number;
  sim: SimSnapshot;
  cursor: number;
  /** How many interventions the snapshot's state already includes. */
  applied: number;
}

/** Snapshots at most this far apart, so a step back replays a bounded number of events. */
const MAX_SNAPSHOT_EVERY = 100_000;
const FINE_SNAPSHOTS_KEPT = 32;

export class Snapshots {
  private readonly snapshotEvery: number;
  private readonly fineEvery: number;
  private fineSnapshots: number[] = [];
  private readonly snapshots = new Map<number, SnapshotRecord>();
  private snapshotLengths: number[] = [];

  /** `every`: the launch's `snapshotEvery` (default 1,000, at most MAX_SNAPSHOT_EVERY). */
  constructor(every: number | undefined) {
    this.snapshotEvery = Math.min(MAX_SNAPSHOT_EVERY, Math.max(1, every ?? 1000));
    this.fineEvery = Math.max(1, Math.floor(this.snapshotEvery / 10));
  }

  /**
   * Every `snapshotEvery` events a snapshot that stays. While replaying towards an earlier
   * position (step back), also short-lived ones every tenth of that, so the next step back
   * replays a few dozen events instead of hundreds; the oldest of those are dropped.
   * `take` makes the record of the state now (`length` events).
   */
  maybeTake(length: number, fine: boolean, take: () => SnapshotRecord): void {
    if (this.snapshots.has(length)) return;
    if (length % this.snapshotEvery === 0) this.add(take());
    else if (fine && length % this.fineEvery === 0) {
      this.add(take());
      this.fineSnapshots.push(length);
      if (this.fineSnapshots.length > FINE_SNAPSHOTS_KEPT) this.drop(this.fineSnapshots.shift()!);
    }
  }

  add(record: SnapshotRecord): void {
    const length = record.length;
    this.snapshots.set(length, record);
    const lengths = this.snapshotLengths;
    let at = lengths.length;
    while (at > 0 && lengths[at - 1] > length) at--;
    lengths.splice(at, 0, length);
  }

  private drop(length: number): void {
    if (length === 0 || !this.snapshots.delete(length)) return;
    const at = this.snapshotLengths.indexOf(length);
    if (at >= 0) this.snapshotLengths.splice(at, 1);
  }

  /** The future after `at` events changed (an intervention): the snapshots past it are void. */
  forgetAfter(at: number): void {
    for (const length of this.snapshotLengths) if (length > at) this.snapshots.delete(length);
    this.snapshotLengths = this.snapshotLengths.filter((length) => length <= at);
    this.fineSnapshots = this.fineSnapshots.filter((length) => length <= at);
  }

  /** The latest snapshot with at most `length` events. */
  before(length: number): SnapshotRecord {
    const lengths = this.snapshotLengths;
    // Lengths are whole numbers of events: the first over `length` is the first at or past length + 1.
    return this.snapshots.get(lengths[Math.max(0, lowerBound(lengths, length + 1) - 1)])!;
  }

  get count(): number {
    return this.snapshots.size;
  }
}
