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
  const corner = (x: number, y: number): Point => ({ x: labelX + (x - labelX) * cos - (y - labelY) * sin, y: labelY + (x - labelX) * sin + (y - labelY) * cos });
  return [corner(x0, top), corner(x1, top), corner(x1, bottom), corner(x0, bottom)];
}

/** Whether an edge normal of `poly` separates `a` from `b` (their projections on it do not overlap). */
function separatedByEdgeOf(poly: readonly Point[], a: readonly Point[], b: readonly Point[]): boolean {
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i];
    const q = poly[(i + 1) % poly.length];
    const nx = q.y - p.y;
    const ny = p.x - q.x;
    let minA = Infinity;
    let maxA = -Infinity;
    let minB = Infinity;
    let maxB = -Infinity;
    for (let k = 0; k < a.length; k++) {
      const v = a[k].x * nx + a[k].y * ny;
      if (v < minA) minA = v;
      if (v > maxA) maxA = v;
    }
    for (let k = 0; k < b.length; k++) {
      const v = b[k].x * nx + b[k].y * ny;
      if (v < minB) minB = v;
      if (v > maxB) maxB = v;
    }
    if (maxA <= minB || maxB <= minA) return true;
  }
  return false;
}

/** Convex polygons (or segments, as two points) overlap: no separating axis. */
export function polygonsOverlap(a: readonly Point[], b: readonly Point[]): boolean {
  return !separatedByEdgeOf(a, a, b) && !separatedByEdgeOf(b, a, b);
}

/** Axis-aligned bounds of a shape. */
export interface Bounds {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

export function boundsOf(points: readonly Point[]): Bounds {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const p of points) {
    if (p.x < minX) minX = p.x;
    if (p.x > maxX) maxX = p.x;
    if (p.y < minY) minY = p.y;
    if (p.y > maxY) maxY = p.y;
  }
  return { minX, maxX, minY, maxY };
}

/** The bounds overlap (more than touch): only then can the shapes (see polygonsOverlap). */
export function boundsOverlap(a: Bounds, b: Bounds): boolean {
  return a.maxX > b.minX && b.maxX > a.minX && a.maxY > b.minY && b.maxY > a.minY;
}
