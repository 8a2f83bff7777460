// What the webview's graph has drawn, chunk by chunk (pure), and what a new frame needs of it:
// the chunks to draw (new, or whose points or frame changed) and those to remove. Points change
// only at the end of a series (a step appends, a step back removes), so while the frame stays a
// step looks at the chunks from the end back to the first one it left as it was: its cost is what
// it added, however long the trace. Another frame (the axes grew, a zoom, a resize) looks at all.

import type { GraphDirection, SeriesName } from './graphData';
import { chunkCount, chunkShape, chunkSignature, chunkVisible, SERIES, type ChunkShape, type GraphFrame } from './graphLayout';

export interface SceneChanges {
  /** Chunks to draw (new, or replacing the one with the same key). */
  draw: ChunkShape[];
  /** Keys of chunks no longer shown. */
  remove: string[];
  /** Chunks looked at (a step: the last few; another frame: every one). */
  looked: number;
  /** Everything was looked at again (another frame or direction). */
  full: boolean;
}

export class GraphScene {
  private frame: string | undefined;
  /** Per series, the signature of each chunk as last looked at (drawn or not visible). */
  private signatures = new Map<SeriesName, string[]>();
  /** Keys of the chunks on the page. */
  private readonly drawn = new Set<string>();

  /** The chunks of `d` in frame `f`, against what was drawn. Only the changes are shaped. */
  update(f: GraphFrame, d: GraphDirection): SceneChanges {
    const full = f.signature !== this.frame;
    const changes: SceneChanges = { draw: [], remove: [], looked: 0, full };
    if (full) {
      this.frame = f.signature;
      this.signatures = new Map();
    }
    const wanted = full ? new Set<string>() : undefined;
    for (const series of SERIES) {
      const count = chunkCount(d[series].length);
      let known = this.signatures.get(series);
      if (!known) this.signatures.set(series, (known = []));
      for (let k = known.length - 1; k >= count; k--) this.remove(`${d.key}:${series}:${k}`, changes);
      if (known.length > count) known.length = count;
      // From the end back to the first chunk as it was: those before it are as they were too.
      let first = count;
      while (first > 0) {
        changes.looked++;
        if (known[first - 1] === chunkSignature(d, series, first - 1)) break;
        first--;
      }
      for (let k = first; k < count; k++) {
        const key = `${d.key}:${series}:${k}`;
        known[k] = chunkSignature(d, series, k);
        if (chunkVisible(f, d, series, k)) {
          wanted?.add(key);
          this.drawn.add(key);
          changes.draw.push(chunkShape(f, d, series, k));
        } else {
          this.remove(key, changes);
        }
      }
    }
    if (wanted) for (const key of [...this.drawn]) if (!wanted.has(key)) this.remove(key, changes);
    return changes;
  }

  private remove(key: string, changes: SceneChanges): void {
    if (this.drawn.delete(key)) changes.remove.push(key);
  }

  /** Forget everything drawn (the page's elements were removed). */
  clear(): void {
    this.frame = undefined;
    this.signatures.clear();
    this.drawn.clear();
  }
}
