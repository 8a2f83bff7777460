// Plane geometry for label placement (pure): the rotated box of an arrow's label, and whether
// two convex shapes overlap.

export type Point = { x: number; y: number };

/** The corners of an arrow label's box (text extent above and below its baselines), rotated with the arrow. */
export function labelCorners(labelX: number, labelY: number, angle: number, width: number, lines: number, below: boolean, drop: number, font: number, linePx: number): Point[] {
  const lastBaseline = below ? labelY + drop + (lines - 1) * linePx : labelY - 4;
  const top = lastBaseline - (lines - 1) * linePx - 0.8 * font - 1;
  const bottom = lastBaseline + 0.25 * font + 1;
  const a = (angle * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const x0 = labelX - width / 2 - 2;
  const x1 = labelX + width / 2 + 2;
  return [
    [x0, top],
    [x1, top],
    [x1, bottom],
    [x0, bottom],
  ].map(([x, y]) => ({ x: labelX + (x - labelX) * cos - (y - labelY) * sin, y: labelY + (x - labelX) * sin + (y - labelY) * cos }));
}

/** Convex polygons (or segments, as two points) overlap: no separating axis. */
export function polygonsOverlap(a: readonly Point[], b: readonly Point[]): boolean {
  for (const poly of [a, b]) {
    for (let i = 0; i < poly.length; i++) {
      const p = poly[i];
      const q = poly[(i + 1) % poly.length];
      const nx = q.y - p.y;
      const ny = p.x - q.x;
      let minA = Infinity;
      let maxA = -Infinity;
      let minB = Infinity;
      let maxB = -Infinity;
      for (const r of a) {
        const v = r.x * nx + r.y * ny;
        minA = Math.min(minA, v);
        maxA = Math.max(maxA, v);
      }
      for (const r of b) {
        const v = r.x * nx + r.y * ny;
        minB = Math.min(minB, v);
        maxB = Math.max(maxB, v);
      }
      if (maxA <= minB || maxB <= minA) return false;
    }
  }
  return true;
}
