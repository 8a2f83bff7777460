// The compact layout for a narrow panel (DiagramOptions.width): every label between its
// lifelines or in its side column, nothing overlapping (boxes computed from the model, text
// widths from the same estimate the layout uses), the picture as wide as the panel; and the
// wide layout exactly as without a width.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceDocument } from '../../src/engine/trace';
import { buildModel, COMPACT_BELOW, headerWidth } from '../../src/diagram/model';
import { assertReadable, labelShape } from './overlaps';
import { runScenario } from '../../src/diagram/scenario';
import { renderSvg } from '../../src/diagram/svg';
import { translatorFor } from '../../src/text/bundles';

/** The words drawn inside the ladder in Simplified Chinese (wider: measured as drawn). */
const CN = translatorFor('zh-cn').t;

const ROOT = join(import.meta.dirname, '..', '..');
const example = (file: string): TraceDocument => {
  const result = runScenario(readFileSync(join(ROOT, 'examples', file), 'utf8'));
  assert.ok(result.doc, file);
  return result.doc;
};
const fixture = (name: string) => JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'traces', `${name}.json`), 'utf8')) as TraceDocument;

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
    test(`${file} in a 500 px panel, in zh-cn: labels in place, nothing overlapping`, () => {
      const model = buildModel(example(file), { width: PANEL, say: CN });
      assert.ok(model.width <= PANEL / 0.85, `width ${model.width}`);
      assertReadable(model, `${file} (zh-cn)`);
    });
  }

  for (const file of readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.tcpscenario'))) {
    test(`${file} in the wide layout: labels in place, nothing overlapping`, () => {
      assertReadable(buildModel(example(file)), `${file} (wide)`);
      assertReadable(buildModel(example(file), { say: CN }), `${file} (wide, zh-cn)`);
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
