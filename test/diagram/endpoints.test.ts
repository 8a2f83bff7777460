// Three and four endpoints: no label over another label or a state box, no timer bar over
// another, around the middle lifelines too (a middle lifeline's timers, state boxes and notes lie
// in a column to its right, which arrow labels keep out of), for the CLI's wide picture and for
// panels narrow, default and wide. The fixtures have crossing traffic over middle lifelines, a
// lost segment and its retransmission, timers on every lifeline. test/webview/endpoints.test.ts
// measures the same scenarios as Chromium draws them, in the panel and in the exported SVG.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel, type ArrowItem, type DiagramModel } from '../../src/diagram/model';
import { runScenario } from '../../src/diagram/scenario';
import { translatorFor } from '../../src/text/bundles';
import type { Say } from '../../src/diagram/words';
import { labelShape, overlap, problems, shapes } from './overlaps';

const ROOT = join(import.meta.dirname, '..', '..');
const run = (path: string) => {
  const result = runScenario(readFileSync(join(ROOT, path), 'utf8'));
  assert.ok(result.doc, path);
  return result.doc;
};

/** No width (the CLI, export); a 500 px panel; a default editor panel; a wide one (the wide layout). */
const WIDTHS = [undefined, 484, 800, 1400];

const FILES = [
  'test/fixtures/diagram/three-endpoints.tcpscenario',
  'test/fixtures/diagram/four-endpoints.tcpscenario',
  'examples/15-two-clients.tcpscenario',
  'examples/19-time-wait-old-duplicates.tcpscenario',
  'examples/23-receive-window-vs-cwnd.tcpscenario',
  'examples/24-close-on-eof.tcpscenario',
];

/** English, and Simplified Chinese (wider words: badges, timer names, notes measured as drawn). */
const VOICES: [string, Say | undefined][] = [
  ['English', undefined],
  ['zh-cn', translatorFor('zh-cn').t],
];

/** Arrows whose line passes a middle lifeline (between the two it joins). */
function passing(model: DiagramModel): ArrowItem[] {
  const middle = model.lifelines.filter((l) => l.side === 'center');
  return model.items.filter((i): i is ArrowItem => i.kind === 'arrow' && middle.some((l) => l.x > Math.min(i.x1, i.x2) && l.x < Math.max(i.x1, i.x2)));
}

describe('three and more endpoints', () => {
  for (const file of FILES) {
    for (const width of WIDTHS) {
      for (const [voice, say] of VOICES) {
        test(`${file} at ${width ?? 'no'} width, in ${voice}: no overlaps`, () => {
          const model = buildModel(run(file), { width, say });
          const found = problems(model);
          assert.deepEqual(found, [], `${found.length} problems`);
        });
      }
    }
  }

  test('the fixtures are what the test is about: middle lifelines with state boxes, passing and crossing arrows, timers', () => {
    for (const [file, count] of [
      ['test/fixtures/diagram/three-endpoints.tcpscenario', 3],
      ['test/fixtures/diagram/four-endpoints.tcpscenario', 4],
    ] as const) {
      for (const width of WIDTHS) {
        const model = buildModel(run(file), width === undefined ? {} : { width });
        assert.equal(model.lifelines.length, count, file);
        const middle = new Set(model.lifelines.filter((l) => l.side === 'center').map((l) => l.name));
        assert.ok(model.items.some((i) => i.kind === 'state' && middle.has(i.endpoint)), `${file}: state boxes on a middle lifeline`);
        assert.ok(model.items.some((i) => i.kind === 'timer' && middle.has(i.endpoint)), `${file}: timers on a middle lifeline`);
        assert.ok(passing(model).length >= 4, `${file}: arrows passing a middle lifeline`);
        assert.ok(model.items.some((i) => i.kind === 'arrow' && i.end === 'lost'), `${file}: a lost segment`);
        // Labels are near their arrows: each crosses its own arrow's band, so a test that found no overlap did not just put labels far away.
        for (const a of model.items) if (a.kind === 'arrow') assert.ok(labelShape(a).some((p) => p.y >= Math.min(a.ya, a.yb) - 60 && p.y <= Math.max(a.ya, a.yb) + 60), `${file}: label of ${a.id} near its arrow`);
      }
    }
  });

  test('the overlap measure finds a label moved onto a middle lifeline\'s state box', () => {
    const model = buildModel(run('test/fixtures/diagram/three-endpoints.tcpscenario'), { width: 800 });
    const box = model.items.find((i) => i.kind === 'state' && model.lifelines.find((l) => l.name === i.endpoint)?.side === 'center');
    const arrow = model.items.find((i): i is ArrowItem => i.kind === 'arrow');
    assert.ok(box?.kind === 'state' && arrow);
    const moved = { ...arrow, labelX: box.x + box.w / 2, labelY: box.y + box.h, angle: 0 };
    const all = shapes({ ...model, items: [box, moved] });
    assert.ok(overlap(all[0].corners, all[1].corners));
  });

  // The drawn picture (panel and exported SVG) is measured in Chromium: test/webview/endpoints.test.ts.
  test('a middle lifeline\'s marks are in the column to its right, clear of the arrows\' labels', () => {
    const model = buildModel(run('test/fixtures/diagram/three-endpoints.tcpscenario'), { width: 800 });
    const relay = model.lifelines.find((l) => l.name === 'relay');
    assert.equal(relay?.side, 'center');
    for (const i of model.items) {
      if ((i.kind === 'state' || i.kind === 'note' || i.kind === 'timer') && i.endpoint === 'relay') assert.ok(i.x >= relay.x, `${i.kind} at ${i.x} right of ${relay.x}`);
    }
  });
});
