// Small index structures of the builder (pure).

/** First index in the sorted list `list` whose value is >= v. */
export function lowerBound(list: ArrayLike<number>, v: number, hi = list.length): number {
  let lo = 0;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A min-heap of indices, each queued once. */
export class IndexQueue {
  private readonly heap: number[] = [];
  private readonly queued = new Set<number>();

  get size(): number {
    return this.heap.length;
  }

  push(i: number): void {
    if (this.queued.has(i)) return;
    this.queued.add(i);
    const { heap } = this;
    let at = heap.length;
    heap.push(i);
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (heap[parent] <= i) break;
      heap[at] = heap[parent];
      at = parent;
    }
    heap[at] = i;
  }

  pop(): number | undefined {
    const { heap } = this;
    if (heap.length === 0) return undefined;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      let at = 0;
      for (;;) {
        const left = 2 * at + 1;
        if (left >= heap.length) break;
        const child = left + 1 < heap.length && heap[left + 1] < heap[left] ? left + 1 : left;
        if (heap[child] >= last) break;
        heap[at] = heap[child];
        at = child;
      }
      heap[at] = last;
    }
    return top;
  }
}
