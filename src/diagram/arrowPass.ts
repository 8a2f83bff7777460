// Which arrows the builder lays out again, and when it stops (pure). After a step: the arrows of
// the changed segments, of the one sent before (is it a burst's head?), of the other side's
// segments they cross, those whose place depends on an instant at or after the first changed
// one, and the sender's next ones while their labels keep clear of an arrow that moved. With a
// deadline, the arrows left wait (top first) for `resume` or the next step. One segment's arrow
// and its label are laid out by arrows.ts.

import { arrowShapes, arrowRegion, CLUSTER_SHAPES, crossers, joins, layoutArrow, type ArrowContext, type Cluster } from './arrows';
import type { UpdateStats, Until } from './builder';
import type { Bounds, Point } from './geometry';
import type { Placed } from './itemIndex';
import { LabelSpace } from './labelSpace';
import type { SegmentRecord, TraceLedger } from './ledger';
import { IndexQueue, lowerBound } from './indexQueue';
import { MaxTree } from './maxTree';
import type { Placements } from './placements';

/** The arrows of one frame (a new frame starts a new pass: every arrow is laid out again). */
export class ArrowPass {
  /** Each segment's arrow. */
  private arrowPlaced: (Placed | undefined)[] = [];
  /** Per segment: the sender's segment before it in its cluster (-1: it starts one); whether another crosses it. */
  private clusterPrev: number[] = [];
  private crossed: boolean[] = [];
  /** Per segment: the latest instant its arrow depends on. */
  private dependsOn = new MaxTree();
  /** Every label's box and the region it may take (what later labels keep clear of). */
  private labelSpace = new LabelSpace();
  /** Arrows still to lay out, and how far an arrow that moved reaches on (place), when a deadline stopped it. */
  private deferred: { queue: IndexQueue; reach: Map<number, number>; next: number } | undefined;

  constructor(
    private readonly ledger: TraceLedger,
    private readonly placed: Placements,
  ) {}

  /** Arrows are left to lay out (a deadline passed). */
  get busy(): boolean {
    return this.deferred !== undefined;
  }

  /** The label corners before segment `index` that may meet `bounds` (ArrowContext.labelsNear). */
  labelsNear(index: number, bounds: Bounds): Point[][] {
    return this.labelSpace.labelsBefore(index, bounds);
  }

  /** Every arrow, top first. */
  layOutAll(ctx: ArrowContext, stats: UpdateStats, until?: Until): void {
    const queue = new IndexQueue();
    for (let k = 0; k < this.ledger.segmentOrder.length; k++) queue.push(k);
    this.place(queue, ctx, new Map(), stats, until);
  }

  /** Lays out arrows left by an earlier deadline. */
  resume(ctx: ArrowContext, stats: UpdateStats, until?: Until): void {
    const deferred = this.deferred;
    if (deferred) this.place(deferred.queue, ctx, deferred.reach, stats, until, deferred.next);
  }

  /** The ledger's segments changed (see the top of the file); instants up to `safeUntil` kept their y. */
  layOutChanged(safeUntil: number, ctx: ArrowContext, stats: UpdateStats, until?: Until): void {
    const { ledger } = this;
    // Removed arrows go; the per-segment records end where the first removed one was.
    let kept = Math.min(this.arrowPlaced.length, ledger.segmentOrder.length);
    for (const record of ledger.removedRecords) {
      this.arrowPlaced[record.index] = this.placed.put(this.arrowPlaced[record.index], undefined, 0);
      kept = Math.min(kept, record.index);
    }
    this.arrowPlaced.length = kept;
    this.clusterPrev.length = Math.min(this.clusterPrev.length, kept);
    this.crossed.length = Math.min(this.crossed.length, kept);
    this.dependsOn.truncate(kept);
    this.labelSpace.truncate(kept);
    const queue = new IndexQueue();
    const reach = new Map<number, number>();
    // Arrows an earlier deadline left go on with these (those from `kept` on are queued below anyway).
    const deferred = this.deferred;
    this.deferred = undefined;
    if (deferred) {
      for (let k: number | undefined = deferred.next; k !== undefined; k = deferred.queue.pop()) if (k < kept) queue.push(k);
      for (const [k, left] of deferred.reach) if (k < kept) reach.set(k, left);
    }
    for (const k of this.dependsOn.above(safeUntil)) queue.push(k);
    for (const record of ledger.changedRecords) queue.push(record.index);
    // A segment that comes or goes may make the one before it a burst's head (or no longer), and
    // the other side's segments in flight crossed (or no longer).
    for (const record of ledger.removedRecords) {
      if (record.index > 0 && record.index - 1 < kept) queue.push(record.index - 1);
      for (const k of crossers(record, record.index, ctx)) queue.push(k);
    }
    for (let k = kept; k < ledger.segmentOrder.length; k++) {
      queue.push(k);
      if (k > 0) queue.push(k - 1);
      for (const other of crossers(ledger.segmentOrder[k], k, ctx)) if (!this.crossed[other]) queue.push(other);
    }
    this.place(queue, ctx, reach, stats, until);
  }

  /** The cluster the sender's segments before `record` form (what its label keeps clear of), if it has one. */
  private clusterBefore(record: SegmentRecord, ctx: ArrowContext): Cluster | undefined {
    if (record.duplicateOf !== undefined) return undefined;
    const list = this.ledger.bySender.get(record.fields.from);
    if (!list) return undefined;
    const at = lowerBound(list, record.index) - 1;
    if (at < 0) return undefined;
    const p = list[at];
    const cluster: Cluster = { last: ctx.records[p], shapes: [] };
    if (!joins(record, cluster, ctx)) return cluster;
    // The shapes of its last members, oldest first (a long run of segments chains on: only the
    // last few arrows are near enough to matter).
    const members: Point[][][] = [];
    for (let m = p; m >= 0 && members.length < CLUSTER_SHAPES / 2; m = this.clusterPrev[m]) {
      const placed = this.arrowPlaced[m];
      if (placed?.item.kind === 'arrow') members.push(arrowShapes(placed.item, ctx));
    }
    for (let k = members.length - 1; k >= 0; k--) cluster.shapes.push(...members[k]);
    return cluster;
  }

  /**
   * Lays out the queued arrows in the order sent. An arrow that moved (or joined another cluster)
   * is among the shapes the labels of the sender's next CLUSTER_SHAPES / 2 segments keep clear
   * of, while they are in its cluster: they are laid out again too. `reach`: segment -> how many
   * more cluster members an arrow that moved before it can reach. Once `until` says so, the
   * queue waits in `deferred` (arrows go in the order sent: those above are all done).
   */
  private place(queue: IndexQueue, ctx: ArrowContext, reach: Map<number, number>, stats: UpdateStats, until?: Until, first = queue.pop()): void {
    const { records } = ctx;
    this.deferred = undefined;
    for (let k = first; k !== undefined; k = queue.pop()) {
      if (until && stats.arrows > 0 && until(ctx.eventY[records[k].origin])) {
        this.deferred = { queue, reach, next: k };
        stats.deferred = queue.size + 1;
        return;
      }
      const record = records[k];
      const before = this.clusterBefore(record, ctx);
      const { arrow, crossed, follower, dependsOn } = layoutArrow(k, before, ctx);
      stats.arrows++;
      this.crossed[k] = crossed;
      const old = this.arrowPlaced[k];
      const placed = this.placed.put(old, arrow, k);
      this.arrowPlaced[k] = placed;
      this.dependsOn.set(k, dependsOn);
      // A label that moved: the later labels whose region it meets (before or after) are laid out again.
      if (placed !== old) for (const later of this.labelSpace.set(k, arrowShapes(arrow, ctx)[0], arrowRegion(arrow))) queue.push(later);
      if (record.duplicateOf !== undefined) continue;
      const prev = follower && before ? before.last.index : -1;
      const moved = placed !== old || this.clusterPrev[k] !== prev;
      this.clusterPrev[k] = prev;
      const left = moved ? CLUSTER_SHAPES / 2 : follower ? (reach.get(k) ?? 0) - 1 : 0;
      reach.delete(k);
      if (left <= 0) continue;
      const list = this.ledger.bySender.get(record.fields.from);
      const at = list ? lowerBound(list, k) : -1;
      if (!list || at + 1 >= list.length) continue;
      const next = list[at + 1];
      reach.set(next, Math.max(reach.get(next) ?? 0, left));
      queue.push(next);
    }
  }
}
