// The compact layout for a narrow panel (DiagramOptions.width): every label between its
// lifelines or in its side column, nothing overlapping (boxes computed from the model, text
// widths from the same estimate the layout uses), the picture as wide as the panel; and the
// wide layout exactly as without a width.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceDocument } from '../../src/engine/trace';
import { buildModel, COMPACT_BELOW, headerWidth, labelLinesWidth, labelDrop, NOTE_MARK, type ArrowItem, type DiagramModel } from '../../src/diagram/model';
import { runScenario } from '../../src/diagram/scenario';
import { renderSvg } from '../../src/diagram/svg';
import { textWidth } from '../../src/diagram/format';

const ROOT = join(import.meta.dirname, '..', '..');
const example = (file: string): TraceDocument => {
  const result = runScenario(readFileSync(join(ROOT, 'examples', file), 'utf8'));
  assert.ok(result.doc, file);
  return result.doc;
};
const fixture = (name: string) => JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'traces', `${name}.json`), 'utf8')) as TraceDocument;

type Point = { x: number; y: number };
interface Shape {
  what: string;
  corners: Point[];
}

/** A rectangle (x0..x1, y0..y1) rotated by `angle` degrees about (cx, cy), as SVG's rotate() does. */
function rotated(x0: number, y0: number, x1: number, y1: number, angle: number, cx: number, cy: number): Point[] {
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

const rect = (x0: number, y0: number, x1: number, y1: number) => rotated(x0, y0, x1, y1, 0, 0, 0);

/** Convex polygons overlap (separating axis theorem); touching edges do not count. */
function overlap(a: Point[], b: Point[]): boolean {
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
      if (Math.max(...pa) <= Math.min(...pb) + 0.5 * len || Math.max(...pb) <= Math.min(...pa) + 0.5 * len) return false;
    }
  }
  return true;
}

/** Text extent above and below its baseline, for a font of `px`. */
const ASCENT = 0.8;
const DESCENT = 0.25;

/** The box of an arrow's label, as svg.ts draws it (lines above the arrow, rotated with it). */
function labelShape(a: ArrowItem): Point[] {
  const lines = a.labelLines ?? [a.label];
  const font = a.labelLines ? 10 : 11;
  const w = a.labelLines ? labelLinesWidth(lines, a.badges) : textWidth(a.label, 11);
  const lastBaseline = a.labelBelow ? a.labelY + labelDrop(a) + (lines.length - 1) * 12 : a.labelY - 4;
  const top = lastBaseline - (lines.length - 1) * 12 - ASCENT * font;
  return rotated(a.labelX - w / 2, top, a.labelX + w / 2, lastBaseline + DESCENT * font, a.angle, a.labelX, a.labelY);
}

/** Every text and box of the picture, in model coordinates. */
function shapes(model: DiagramModel): Shape[] {
  const out: Shape[] = [];
  for (const item of model.items) {
    switch (item.kind) {
      case 'arrow':
        out.push({ what: `label ${item.label} (${item.id})`, corners: labelShape(item) });
        break;
      case 'state':
        out.push({ what: `state ${item.text} at ${item.t}`, corners: rect(item.x, item.y, item.x + item.w, item.y + item.h) });
        break;
      case 'note': {
        const lines = item.lines ?? [model.compact && item.endpoint === undefined ? NOTE_MARK : item.text];
        const w = Math.max(...lines.map((line) => textWidth(line, 11)));
        const x0 = item.anchor === 'end' ? item.x - w : item.anchor === 'middle' ? item.x - w / 2 : item.x;
        const bottom = item.y + 4 + (lines.length - 1) * model.layout.rowPx + DESCENT * 11;
        out.push({ what: `note ${item.text} at ${item.t}`, corners: rect(x0, item.y + 4 - ASCENT * 11, x0 + w, bottom) });
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
        // Drawn only when the bar is long enough (svg.ts); rotated -90 about its middle.
        // The wide layout centres a middle lifeline's state boxes on it, over its timers.
        const middle = model.lifelines.some((l, i) => i > 0 && i < model.lifelines.length - 1 && Math.abs(l.x - item.x) < 40);
        if (middle && !model.compact) break;
        const h = Math.max(item.y1 - item.y0, 2);
        const w = textWidth(item.label, 10);
        if (h > w + 36) {
          const y = item.y0 + h / 2;
          out.push({ what: `timer label ${item.label}`, corners: rotated(item.labelX - w / 2, y - ASCENT * 10, item.labelX + w / 2, y + DESCENT * 10, -90, item.labelX, y) });
        }
        out.push({ what: `timer bar ${item.label}`, corners: rect(item.x - 2, item.y0, item.x + 2, item.y1) });
        break;
      }
      default:
        break;
    }
  }
  return out;
}

function assertReadable(model: DiagramModel, name: string): void {
  const [left, right] = [model.lifelines[0], model.lifelines[model.lifelines.length - 1]];
  // Endpoint headers (a sticky strip above the items): side by side, not touching.
  for (let i = 1; i < model.lifelines.length; i++) {
    const [a, b] = [model.lifelines[i - 1], model.lifelines[i]];
    assert.ok(a.x + headerWidth(a) / 2 < b.x - headerWidth(b) / 2, `${name}: headers of ${a.name} and ${b.name} apart`);
  }
  const all = shapes(model);
  for (const item of model.items) {
    if (item.kind === 'arrow') {
      // Between its two lifelines.
      const lo = Math.min(item.x1, item.x1 + (item.x2 - item.x1) * (item.end === 'lost' ? 2 : 1));
      const hi = Math.max(item.x1, item.x1 + (item.x2 - item.x1) * (item.end === 'lost' ? 2 : 1));
      for (const p of labelShape(item)) assert.ok(p.x >= lo && p.x <= hi, `${name}: label ${item.label} (${p.x.toFixed(1)}) between ${lo} and ${hi}`);
    }
  }
  // Side columns: left of the left lifeline (and right of the time axis), right of the right one
  // (the wide layout puts a middle lifeline's boxes and notes beside it).
  for (const shape of model.compact || model.lifelines.length <= 2 ? all : []) {
    if (!shape.what.startsWith('state') && !shape.what.startsWith('note')) continue;
    const xs = shape.corners.map((p) => p.x);
    const onLeft = Math.max(...xs) <= left.x;
    const onRight = Math.min(...xs) >= right.x;
    assert.ok(onLeft || onRight, `${name}: ${shape.what} outside the lifelines`);
    if (onLeft) assert.ok(Math.min(...xs) >= model.layout.axisWidth, `${name}: ${shape.what} right of the time axis`);
    if (onRight) assert.ok(Math.max(...xs) <= model.width, `${name}: ${shape.what} within the picture`);
  }
  for (const shape of all) {
    for (const p of shape.corners) assert.ok(p.x >= 0 && p.x <= model.width, `${name}: ${shape.what} within the width (${p.x.toFixed(1)} of ${model.width})`);
  }
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      assert.ok(!overlap(all[i].corners, all[j].corners), `${name}: ${all[i].what} overlaps ${all[j].what}`);
    }
  }
}

describe('compact layout for a narrow panel', () => {
  // A 500 px panel less its scrollbar, as the webview asks.
  const PANEL = 484;

  test('the lost-final-ACK example fits a 500 px panel at 100 %, every label shown and in its place, nothing overlapping', () => {
    const model = buildModel(example('03-time-wait-lost-ack.tcpscenario'), { width: PANEL });
    assert.equal(model.compact, true);
    assert.ok(model.width <= PANEL, `width ${model.width}`);
    assert.ok(model.items.some((i) => i.kind === 'arrow' && i.labelLines && i.labelLines.length > 1), 'long labels are wrapped');
    assertReadable(model, '03');
  });

  for (const file of ['01-handshake.tcpscenario', '02-four-way-teardown.tcpscenario', '07-simultaneous-open.tcpscenario', '08-simultaneous-close.tcpscenario', '09-half-close.tcpscenario', '04-old-duplicate-syn.tcpscenario', '13-loss-and-retransmission.tcpscenario', '14-lossy-link.tcpscenario']) {
    test(`${file} in a 500 px panel: labels in place, nothing overlapping`, () => {
      const model = buildModel(example(file), { width: PANEL });
      assert.ok(model.width <= PANEL / 0.85, `width ${model.width}`);
      assertReadable(model, file);
    });
  }

  for (const file of readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.tcpscenario'))) {
    test(`${file} in the wide layout: labels in place, nothing overlapping`, () => {
      assertReadable(buildModel(example(file)), `${file} (wide)`);
    });
  }

  test('scenario strings of any length: long endpoint names keep their headers apart, labels in place', () => {
    // A panel so narrow that the least gap decides, and it must leave room for the headers.
    const model = buildModel(fixture('hostile-names'), { width: 300 });
    assert.equal(model.compact, true);
    for (let i = 1; i < model.lifelines.length; i++) {
      const [a, b] = [model.lifelines[i - 1], model.lifelines[i]];
      assert.ok(a.x + headerWidth(a) / 2 < b.x - headerWidth(b) / 2, `headers of ${a.name} and ${b.name} apart`);
    }
  });

  test('the lifeline gap follows the width, down to a least gap where labels still fit (wrapped)', () => {
    const doc = fixture('lost-final-ack');
    const gap = (width: number) => {
      const m = buildModel(doc, { width });
      return m.lifelines[1].x - m.lifelines[0].x;
    };
    assert.ok(gap(700) > gap(560) && gap(560) > gap(484), `${gap(700)} ${gap(560)} ${gap(484)}`);
    assert.equal(gap(300), gap(200), 'a least gap');
    const tiny = buildModel(doc, { width: 200 });
    for (const item of tiny.items) {
      if (item.kind !== 'arrow') continue;
      for (const p of labelShape(item)) assert.ok(p.x >= tiny.lifelines[0].x && p.x <= tiny.lifelines[1].x, `label ${item.label} between the lifelines`);
    }
  });

  test('wide panels, and no width (the CLI), get the wide layout unchanged', () => {
    for (const doc of [fixture('lost-final-ack'), fixture('simultaneous-open'), example('03-time-wait-lost-ack.tcpscenario')]) {
      const wide = buildModel(doc);
      assert.equal(wide.compact, false);
      assert.ok(wide.items.every((i) => i.kind !== 'arrow' || i.labelLines === undefined));
      for (const width of [COMPACT_BELOW, 1280, 4000]) {
        const model = buildModel(doc, { width });
        assert.equal(renderSvg(model), renderSvg(wide), `width ${width}`);
      }
      // The compact picture is a different one.
      assert.notEqual(renderSvg(buildModel(doc, { width: PANEL })), renderSvg(wide));
    }
  });

  test('expectations show their mark in the compact layout, their message in the tooltip', () => {
    const model = buildModel(example('03-time-wait-lost-ack.tcpscenario'), { width: PANEL });
    const svg = renderSvg(model);
    const expect = model.items.find((i) => i.kind === 'expect');
    assert.ok(expect && expect.kind === 'expect');
    assert.ok(svg.includes(`message: ${expect.message.replace(/>/g, '&gt;')}`), 'message in the <title>');
  });
});
