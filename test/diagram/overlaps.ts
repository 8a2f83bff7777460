// What a reader of the diagram must never see, checked on the model (boxes computed from it,
// text widths from the estimate the layout uses; test/webview measures the real ones): a label
// over another label or over a state box, a timer bar over another, an arrow's label outside its
// arrow, a state box or note in the time axis or past the picture's edge, endpoint headers that
// touch. Shared by the layout tests (compact.test.ts, endpoints.test.ts).
import assert from 'node:assert/strict';
import { headerWidth, labelLinesWidth, labelDrop, NOTE_MARK, type ArrowItem, type DiagramModel } from '../../src/diagram/model';
import { textWidth } from '../../src/diagram/format';

export type Point = { x: number; y: number };
export interface Shape {
  what: string;
  corners: Point[];
}

/** A rectangle (x0..x1, y0..y1) rotated by `angle` degrees about (cx, cy), as SVG's rotate() does. */
export function rotated(x0: number, y0: number, x1: number, y1: number, angle: number, cx: number, cy: number): Point[] {
  const a = (angle * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  return [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
  ].map(([x, y]) => ({ x: cx + (x - cx) * cos - (y - cy) * sin, y: cy + (x - cx) * sin + (y - cy) * cos }));
}

export const rect = (x0: number, y0: number, x1: number, y1: number) => rotated(x0, y0, x1, y1, 0, 0, 0);

/** Convex polygons overlap by more than `margin` px (half a pixel; separating axis theorem); touching edges do not count. */
export function overlap(a: Point[], b: Point[], margin = 0.5): boolean {
  for (const poly of [a, b]) {
    for (let i = 0; i < poly.length; i++) {
      const p = poly[i];
      const q = poly[(i + 1) % poly.length];
      const nx = q.y - p.y;
      const ny = p.x - q.x;
      const project = (pts: Point[]) => pts.map((r) => r.x * nx + r.y * ny);
      const pa = project(a);
      const pb = project(b);
      const len = Math.hypot(nx, ny);
      if (len === 0) continue;
      if (Math.max(...pa) <= Math.min(...pb) + margin * len || Math.max(...pb) <= Math.min(...pa) + margin * len) return false;
    }
  }
  return true;
}

/** Text extent above and below its baseline, for a font of `px`. */
const ASCENT = 0.8;
const DESCENT = 0.25;

/** The box of an arrow's label, as svg.ts draws it (lines above the arrow, rotated with it). */
export function labelShape(a: ArrowItem): Point[] {
  const lines = a.labelLines ?? [a.label];
  const font = a.labelLines ? 10 : 11;
  const w = a.labelLines ? labelLinesWidth(lines, a.badges) : textWidth(a.label, 11);
  const lastBaseline = a.labelBelow ? a.labelY + labelDrop(a) + (lines.length - 1) * 12 : a.labelY - 4;
  const top = lastBaseline - (lines.length - 1) * 12 - ASCENT * font;
  return rotated(a.labelX - w / 2, top, a.labelX + w / 2, lastBaseline + DESCENT * font, a.angle, a.labelX, a.labelY);
}

/** Every text and box of the picture, in model coordinates. */
export function shapes(model: DiagramModel): Shape[] {
  const out: Shape[] = [];
  for (const item of model.items) {
    switch (item.kind) {
      case 'arrow':
        out.push({ what: `label ${item.label} (${item.id})`, corners: labelShape(item) });
        break;
      case 'state':
        out.push({ what: `state ${item.text} of ${item.endpoint} at ${item.t}`, corners: rect(item.x, item.y, item.x + item.w, item.y + item.h) });
        break;
      case 'note': {
        const lines = item.lines ?? [model.compact && item.endpoint === undefined ? NOTE_MARK : item.text];
        const w = Math.max(...lines.map((line) => textWidth(line, 11)));
        const x0 = item.anchor === 'end' ? item.x - w : item.anchor === 'middle' ? item.x - w / 2 : item.x;
        const bottom = item.y + 4 + (lines.length - 1) * model.layout.rowPx + DESCENT * 11;
        out.push({ what: `note ${item.text} of ${item.endpoint ?? '-'} at ${item.t}`, corners: rect(x0, item.y + 4 - ASCENT * 11, x0 + w, bottom) });
        break;
      }
      case 'expect': {
        const w = textWidth(model.compact ? '✓' : `✓ ${item.message}`, 11);
        out.push({ what: `expect ${item.message}`, corners: rect(item.x, item.y + 4 - ASCENT * 11, item.x + w, item.y + 4 + DESCENT * 11) });
        break;
      }
      case 'tick': {
        const w = textWidth(item.text, 10);
        const x = model.layout.axisWidth - 7;
        out.push({ what: `tick ${item.text}`, corners: rect(x - w, item.y + 3 - ASCENT * 10, x, item.y + 3 + DESCENT * 10) });
        break;
      }
      case 'timer': {
        // The label is drawn only when the bar is long enough (svg.ts); rotated -90 about its middle.
        const h = Math.max(item.y1 - item.y0, 2);
        const w = textWidth(item.label, 10);
        if (item.labelX !== undefined && h > w + 36) {
          const y = item.y0 + h / 2;
          out.push({ what: `timer label ${item.label} of ${item.endpoint}`, corners: rotated(item.labelX - w / 2, y - ASCENT * 10, item.labelX + w / 2, y + DESCENT * 10, -90, item.labelX, y) });
        }
        out.push({ what: `timer bar ${item.label} of ${item.endpoint} at ${item.startAt}`, corners: rect(item.x - 2, item.y0, item.x + 2, item.y1) });
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** Everything wrong with the picture, in words (empty: readable). */
export function problems(model: DiagramModel): string[] {
  const out: string[] = [];
  const [left, right] = [model.lifelines[0], model.lifelines[model.lifelines.length - 1]];
  // Endpoint headers (a sticky strip above the items): side by side, not touching.
  for (let i = 1; i < model.lifelines.length; i++) {
    const [a, b] = [model.lifelines[i - 1], model.lifelines[i]];
    if (!(a.x + headerWidth(a) / 2 < b.x - headerWidth(b) / 2)) out.push(`headers of ${a.name} and ${b.name} touch`);
  }
  const all = shapes(model);
  for (const item of model.items) {
    if (item.kind !== 'arrow') continue;
    // Between its two lifelines.
    const lo = Math.min(item.x1, item.x1 + (item.x2 - item.x1) * (item.end === 'lost' ? 2 : 1));
    const hi = Math.max(item.x1, item.x1 + (item.x2 - item.x1) * (item.end === 'lost' ? 2 : 1));
    for (const p of labelShape(item)) {
      if (!(p.x >= lo - 0.01 && p.x <= hi + 0.01)) {
        out.push(`label ${item.label} (${item.id}) reaches ${p.x.toFixed(1)}, outside its arrow (${lo}..${hi})`);
        break;
      }
    }
  }
  // Boxes and notes of the outer lifelines: outside them (and right of the time axis, within the picture).
  for (const shape of all) {
    if (!shape.what.startsWith('state') && !shape.what.startsWith('note')) continue;
    const xs = shape.corners.map((p) => p.x);
    if (Math.min(...xs) < model.layout.axisWidth) out.push(`${shape.what} in the time axis`);
    if (model.lifelines.length < 2) continue;
    const of = / of (\S+) at /.exec(shape.what)?.[1];
    if (of === left.name && !(Math.max(...xs) <= left.x)) out.push(`${shape.what} crosses its lifeline`);
    if (of === right.name && !(Math.min(...xs) >= right.x)) out.push(`${shape.what} crosses its lifeline`);
  }
  for (const shape of all) {
    for (const p of shape.corners) {
      if (!(p.x >= 0 && p.x <= model.width)) {
        out.push(`${shape.what} outside the width (${p.x.toFixed(1)} of ${model.width})`);
        break;
      }
    }
  }
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      if (overlap(all[i].corners, all[j].corners)) out.push(`${all[i].what} overlaps ${all[j].what}`);
    }
  }
  return out;
}

export function assertReadable(model: DiagramModel, name: string): void {
  const found = problems(model);
  assert.deepEqual(found, [], `${name}: ${found.length} problems`);
}
