// Where the arrow labels are (pure): each segment's label box, and the region its label may take
// (its arrow's line and LABEL_REACH around it), kept in bands of y. A label keeps clear of the
// labels of the segments before it that meet its region; when a label moves, the later segments
// whose region it meets (before or after the move) are laid out again. So an update lays out the
// labels a change can reach, and the result is the one a whole build makes.

import { boundsOf, boundsOverlap, type Bounds, type Point } from './geometry';

/** Height of a band (px). */
const BAND_PX = 128;

interface Entry {
  bounds: Bounds;
  first: number;
  last: number;
}

interface LabelEntry extends Entry {
  corners: Point[];
}

function bandsOf(bounds: Bounds): [number, number] {
  return [Math.floor(bounds.minY / BAND_PX), Math.floor(bounds.maxY / BAND_PX)];
}

class Banded<T extends Entry> {
  private readonly byKey = new Map<number, T>();
  private readonly bands = new Map<number, Set<number>>();

  get(key: number): T | undefined {
    return this.byKey.get(key);
  }

  set(key: number, entry: T | undefined): void {
    const old = this.byKey.get(key);
    if (old) {
      for (let band = old.first; band <= old.last; band++) this.bands.get(band)?.delete(key);
      this.byKey.delete(key);
    }
    if (!entry) return;
    this.byKey.set(key, entry);
    for (let band = entry.first; band <= entry.last; band++) {
      let set = this.bands.get(band);
      if (!set) this.bands.set(band, (set = new Set()));
      set.add(key);
    }
  }

  /** Keys whose bounds meet `bounds` (in no order). */
  meeting(bounds: Bounds): number[] {
    const [first, last] = bandsOf(bounds);
    const seen = new Set<number>();
    const out: number[] = [];
    for (let band = first; band <= last; band++) {
      const set = this.bands.get(band);
      if (!set) continue;
      for (const key of set) {
        if (seen.has(key)) continue;
        seen.add(key);
        if (boundsOverlap(this.byKey.get(key)!.bounds, bounds)) out.push(key);
      }
    }
    return out;
  }

}

export class LabelSpace {
  private readonly labels = new Banded<LabelEntry>();
  private readonly regions = new Banded<Entry>();
  /** One past the largest segment index set. */
  private end = 0;

  /** The label boxes of the segments before `index` that meet `bounds`, in the order sent. */
  labelsBefore(index: number, bounds: Bounds): Point[][] {
    return this.labels
      .meeting(bounds)
      .filter((key) => key < index)
      .sort((a, b) => a - b)
      .map((key) => this.labels.get(key)!.corners);
  }

  /**
   * Segment `index`'s label is now `corners` in `region` (undefined: it has none). Returns the
   * later segments whose label may move because of it: their region meets its box, old or new.
   */
  set(index: number, corners: Point[] | undefined, region: Bounds | undefined): number[] {
    const old = this.labels.get(index);
    this.end = Math.max(this.end, index + 1);
    const entry = corners && { corners, bounds: boundsOf(corners), first: 0, last: 0 };
    if (entry) [entry.first, entry.last] = bandsOf(entry.bounds);
    this.labels.set(index, entry);
    this.regions.set(index, region && { bounds: region, first: bandsOf(region)[0], last: bandsOf(region)[1] });
    const affected = new Set<number>();
    for (const box of [old, entry]) if (box) for (const key of this.regions.meeting(box.bounds)) if (key > index) affected.add(key);
    return [...affected].sort((a, b) => a - b);
  }

  /** Forgets the segments from `count` on. */
  truncate(count: number): void {
    for (let key = count; key < this.end; key++) {
      this.labels.set(key, undefined);
      this.regions.set(key, undefined);
    }
    this.end = Math.min(this.end, count);
  }
}
