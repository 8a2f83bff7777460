// The live model's items (pure): kept in bands of y so that the items in view are found without
// looking at the others, with what the whole picture needs from them kept up to date as items
// come and go (legend marks, the right column, how wide and how tall it is). Adding, replacing
// or removing an item costs the same however many there are.

import type { DiagramItem, LegendEntry } from './types';
import { TALL_ITEM } from './types';

/** An item in the index, with its drawing order among items of the same top edge. */
export interface Placed {
  item: DiagramItem;
  /** Items of one y0 are drawn (and listed) by rank: arrows, then marks by event, pending timers, gaps, ticks. */
  rank: number;
  /** Its band (-1: a tall item, listed apart). */
  band: number;
}

/** A multiset of numbers whose largest member is found fast, also after removals. */
export class MaxMultiset {
  private readonly counts = new Map<number, number>();
  private heap: number[] = [];

  add(value: number): void {
    const n = this.counts.get(value) ?? 0;
    this.counts.set(value, n + 1);
    if (n === 0) this.push(value);
  }

  remove(value: number): void {
    const n = this.counts.get(value) ?? 0;
    if (n <= 1) this.counts.delete(value);
    else this.counts.set(value, n - 1);
  }

  /** The largest member, or -Infinity when empty. */
  max(): number {
    const { heap, counts } = this;
    // Values removed since they were pushed are dropped when they reach the top.
    while (heap.length > 0 && !counts.has(heap[0])) this.pop();
    if (heap.length > 4 * counts.size + 64) this.rebuild();
    return heap.length > 0 ? heap[0] : -Infinity;
  }

  get size(): number {
    return this.counts.size;
  }

  private rebuild(): void {
    this.heap = [];
    for (const value of this.counts.keys()) this.push(value);
  }

  private push(value: number): void {
    const { heap } = this;
    let i = heap.length;
    heap.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent] >= value) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = value;
  }

  private pop(): void {
    const { heap } = this;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right] > heap[left] ? right : left;
      if (heap[child] <= last) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = last;
  }
}

/** Height of a band of the index (px). */
const BAND_PX = 256;

/** Which legend entry an item stands for, if any. */
function legendMarks(item: DiagramItem): readonly LegendEntry['mark'][] {
  switch (item.kind) {
    case 'arrow':
      // RST has no legend entry: its label is bold.
      return item.marks.filter((m) => m !== 'rst');
    case 'state':
    case 'timer':
    case 'gap':
      return [item.kind];
    case 'expect':
      return [item.ok ? 'expect-ok' : 'expect-failed'];
    default:
      return [];
  }
}

export class ItemIndex {
  private readonly bands = new Map<number, Set<Placed>>();
  private readonly tall = new Set<Placed>();
  private count = 0;
  /** At least the height of every item that is not tall (it only grows, which keeps queries right). */
  private tallest = 0;
  /** Bottom edges of the items. */
  readonly bottoms = new MaxMultiset();
  /** How many items use each legend mark. */
  private readonly marks = new Map<LegendEntry['mark'], number>();
  /** Items in the right column: expectations and notes without an endpoint. */
  rightColumn = 0;
  /** How far right the notes and expectations reach. */
  readonly extents = new MaxMultiset();

  constructor(private readonly extentOf: (item: DiagramItem) => number | undefined) {}

  get size(): number {
    return this.count;
  }

  add(item: DiagramItem, rank: number): Placed {
    const height = item.y1 - item.y0;
    const band = height > TALL_ITEM ? -1 : Math.floor(item.y0 / BAND_PX);
    const placed: Placed = { item, rank, band };
    if (band < 0) {
      this.tall.add(placed);
    } else {
      let set = this.bands.get(band);
      if (!set) this.bands.set(band, (set = new Set()));
      set.add(placed);
      this.tallest = Math.max(this.tallest, height);
    }
    this.count++;
    this.bottoms.add(item.y1);
    for (const mark of legendMarks(item)) this.marks.set(mark, (this.marks.get(mark) ?? 0) + 1);
    if (item.kind === 'expect' || (item.kind === 'note' && item.endpoint === undefined)) this.rightColumn++;
    const extent = this.extentOf(item);
    if (extent !== undefined) this.extents.add(extent);
    return placed;
  }

  remove(placed: Placed): void {
    const { item, band } = placed;
    if (band < 0) this.tall.delete(placed);
    else this.bands.get(band)?.delete(placed);
    this.count--;
    this.bottoms.remove(item.y1);
    for (const mark of legendMarks(item)) {
      const n = (this.marks.get(mark) ?? 0) - 1;
      if (n > 0) this.marks.set(mark, n);
      else this.marks.delete(mark);
    }
    if (item.kind === 'expect' || (item.kind === 'note' && item.endpoint === undefined)) this.rightColumn--;
    const extent = this.extentOf(item);
    if (extent !== undefined) this.extents.remove(extent);
  }

  uses(mark: LegendEntry['mark']): boolean {
    return (this.marks.get(mark) ?? 0) > 0;
  }

  /** The items intersecting [top, bottom], by y0 then rank (the order the whole model lists them in). */
  query(top: number, bottom: number): Placed[] {
    const out: Placed[] = [];
    for (const placed of this.tall) if (placed.item.y1 >= top && placed.item.y0 <= bottom) out.push(placed);
    const first = Math.floor((top - this.tallest) / BAND_PX);
    const last = Math.floor(bottom / BAND_PX);
    const collect = (set: Set<Placed>) => {
      for (const placed of set) if (placed.item.y1 >= top && placed.item.y0 <= bottom) out.push(placed);
    };
    if (!(last - first <= this.bands.size)) {
      // A window taller than the bands there are (or unbounded): look at each band once.
      for (const [band, set] of this.bands) if (band >= first && band <= last) collect(set);
    } else {
      for (let band = first; band <= last; band++) {
        const set = this.bands.get(band);
        if (set) collect(set);
      }
    }
    return out.sort(byTopThenRank);
  }

  /** Every item, in no particular order. */
  *all(): IterableIterator<Placed> {
    yield* this.tall;
    for (const set of this.bands.values()) yield* set;
  }
}

export function byTopThenRank(a: Placed, b: Placed): number {
  return a.item.y0 - b.item.y0 || a.rank - b.rank;
}
