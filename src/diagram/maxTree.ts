// A growable array of numbers that finds every index whose value exceeds a bound in time
// proportional to how many it finds (a max segment tree). The builder keeps, per segment, the
// latest instant its arrow depends on: a step lays out again only those past the changed one.

export class MaxTree {
  private size = 0;
  private capacity = 1;
  private tree = new Float64Array(2).fill(-Infinity);

  get length(): number {
    return this.size;
  }

  set(i: number, value: number): void {
    if (i >= this.capacity) this.grow(i + 1);
    if (i >= this.size) this.size = i + 1;
    let node = this.capacity + i;
    this.tree[node] = value;
    node >>= 1;
    while (node >= 1) {
      const max = Math.max(this.tree[2 * node], this.tree[2 * node + 1]);
      if (this.tree[node] === max) break;
      this.tree[node] = max;
      node >>= 1;
    }
  }

  get(i: number): number {
    return i < this.size ? this.tree[this.capacity + i] : -Infinity;
  }

  /** Drops the values from index n on. */
  truncate(n: number): void {
    for (let i = n; i < this.size; i++) this.set(i, -Infinity);
    this.size = Math.min(this.size, n);
  }

  /** Indices (ascending) whose value is above `bound`. */
  above(bound: number): number[] {
    const out: number[] = [];
    const visit = (node: number) => {
      if (!(this.tree[node] > bound)) return;
      if (node >= this.capacity) {
        const i = node - this.capacity;
        if (i < this.size) out.push(i);
        return;
      }
      visit(2 * node);
      visit(2 * node + 1);
    };
    if (this.size > 0) visit(1);
    return out;
  }

  private grow(needed: number): void {
    let capacity = this.capacity;
    while (capacity < needed) capacity *= 2;
    const tree = new Float64Array(2 * capacity).fill(-Infinity);
    tree.set(this.tree.subarray(this.capacity, this.capacity + this.size), capacity);
    for (let node = capacity - 1; node >= 1; node--) tree[node] = Math.max(tree[2 * node], tree[2 * node + 1]);
    this.tree = tree;
    this.capacity = capacity;
  }
}
