// The items the builder has placed and which trace event each shows (pure). Every layout pass
// adds, replaces or removes its items through `put`, which keeps an item laid out the same (the
// page compares items by identity: an unchanged item is not drawn again).

import { ItemIndex, type Placed } from './itemIndex';
import { sameItem } from './sameItem';
import type { DiagramItem } from './types';

export class Placements {
  /** The live items by band of y (a new frame starts a new one: `clear`). */
  index: ItemIndex;
  /** Counts the items added, replaced or removed (the builder points it at its update's stats). */
  stats = { touched: 0 };
  /** The items showing each event (two at most: a restarted timer's old and new bar share the restart). */
  private eventFirst: (Placed | undefined)[] = [];
  private eventSecond: (Placed | undefined)[] = [];

  constructor(private readonly rightExtent: (item: DiagramItem) => number | undefined) {
    this.index = new ItemIndex(rightExtent);
  }

  /** Forgets every item (everything is laid out again). */
  clear(): void {
    this.index = new ItemIndex(this.rightExtent);
    this.eventFirst = [];
    this.eventSecond = [];
  }

  /** The trace holds `n` events: forgets the claims of those after. */
  truncate(n: number): void {
    this.eventFirst.length = Math.min(this.eventFirst.length, n);
    this.eventSecond.length = Math.min(this.eventSecond.length, n);
  }

  /** Adds, replaces or removes an item; an equal item keeps the one placed (nothing to redraw). */
  put(old: Placed | undefined, item: DiagramItem | undefined, rank: number): Placed | undefined {
    if (!old && !item) return undefined;
    if (old && item && old.rank === rank && sameItem(old.item, item)) {
      // A step back dropped the claims of the events it took away (truncate) while this item
      // waited for a deadline: laid out the same once they are back, it shows them again.
      for (const e of old.item.events) if (this.eventFirst[e] !== old && this.eventSecond[e] !== old) this.claim(e, old);
      return old;
    }
    if (old) {
      this.index.remove(old);
      for (const e of old.item.events) {
        if (this.eventFirst[e] === old) {
          this.eventFirst[e] = this.eventSecond[e];
          this.eventSecond[e] = undefined;
        } else if (this.eventSecond[e] === old) {
          this.eventSecond[e] = undefined;
        }
      }
    }
    this.stats.touched++;
    if (!item) return undefined;
    const placed = this.index.add(item, rank);
    for (const e of item.events) this.claim(e, placed);
    return placed;
  }

  private claim(e: number, placed: Placed): void {
    if (this.eventFirst[e] === undefined) this.eventFirst[e] = placed;
    else this.eventSecond[e] = placed;
  }

  /** The item showing event `index`, if any. */
  eventPlaced(index: number): Placed | undefined {
    const a = this.eventFirst[index];
    const b = this.eventSecond[index];
    // The later claim (higher rank) shows it: a restarted timer's new bar.
    return a && b ? (b.rank > a.rank ? b : a) : (a ?? b);
  }
}
