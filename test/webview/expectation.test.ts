// A debugger step that lands on an expectation is marked across the diagram (a band over its row,
// green when it held, red when it failed), not only by the small ✓ / ✗ at the right edge: in the
// panel (headless Chromium) at a narrow and a wide width, and in the exported SVG.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { TraceDocument } from '../../src/engine/trace';
import type { HostMessage } from '../../src/diagram/messages';
import { chromiumSuite } from './harness';

const root = join(import.meta.dirname, '..', '..');
const doc = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'traces', 'lost-final-ack.json'), 'utf8')) as TraceDocument;

async function post(page: Page, message: HostMessage): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), message);
  await page.waitForFunction(() => document.body.dataset.building !== 'true');
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

/** The band as drawn: visible or not, its box on screen, its stroke, and the box of the diagram's drawing. */
function band(page: Page) {
  return page.evaluate(() => {
    const el = document.querySelector('#canvas .now-band')!;
    const box = el.getBoundingClientRect();
    const mark = document.querySelector('#canvas .expect.current text')?.getBoundingClientRect();
    const lifelines = Array.from(document.querySelectorAll('#canvas .lifeline'), (l) => l.getBoundingClientRect());
    return {
      shown: getComputedStyle(el).visibility !== 'hidden',
      cls: el.getAttribute('class') ?? '',
      box: { left: box.left, right: box.right, top: box.top, bottom: box.bottom, height: box.height },
      mark: mark && { top: mark.top, bottom: mark.bottom, left: mark.left, right: mark.right, height: mark.height },
      lifelines: lifelines.map((l) => l.left),
      stroke: getComputedStyle(el).stroke,
      key: document.body.dataset.current ?? '',
    };
  });
}

describe('a step that lands on an expectation, in the panel', () => {
  const suite = chromiumSuite();

  for (const width of [500, 1280]) {
    test(`a band across the row, green or red, gone on the next step (${width} px)`, async () => {
      const page = await suite.browser.newPage({ viewport: { width, height: 800 } });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(suite.harness.url('light'));
      await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
      const held = doc.events.findIndex((e) => e.kind === 'expect' && e.ok);
      const failed = doc.events.findIndex((e) => e.kind === 'expect' && !e.ok);
      assert.ok(held >= 0 && failed >= 0, 'the fixture has an expectation that held and one that failed');
      await post(page, { type: 'trace', from: 0, events: doc.events, current: held, endpoints: doc.endpoints, scenario: doc.scenario, profile: doc.profile });
      const ok = await band(page);
      assert.ok(ok.key.startsWith('e:'), `the current item is the expectation (${ok.key})`);
      assert.equal(ok.shown, true);
      assert.match(ok.cls, /expect-ok/);
      // Across every lifeline, at the mark's row, as tall as the mark.
      assert.ok(ok.mark, 'the mark is drawn');
      assert.ok(ok.box.left <= Math.min(...ok.lifelines) && ok.box.right >= ok.mark.right, `band ${JSON.stringify(ok.box)} spans the lifelines ${ok.lifelines} and the mark`);
      assert.ok(ok.box.top <= ok.mark.top + 1 && ok.box.bottom >= ok.mark.bottom - 1, `band ${JSON.stringify(ok.box)} covers the mark ${JSON.stringify(ok.mark)}`);
      // The mark itself is larger than an expectation that is not current.
      const other = await page.evaluate(() => document.querySelector('#canvas .expect:not(.current) text')?.getBoundingClientRect().height);
      assert.ok(other !== undefined && ok.mark.height > other, `current mark ${ok.mark.height} px, others ${other} px`);

      await post(page, { type: 'current', current: failed });
      const bad = await band(page);
      assert.equal(bad.shown, true);
      assert.match(bad.cls, /expect-failed/);
      assert.notEqual(bad.stroke, ok.stroke, 'a failed expectation is marked in another colour');

      const send = doc.events.findIndex((e) => e.kind === 'send');
      await post(page, { type: 'current', current: send });
      assert.equal((await band(page)).shown, false, 'no band on a step that is not an expectation');
      assert.deepEqual(errors, []);
      await page.close();
    });
  }
});
