// The time–sequence graph in the webview (headless Chromium) with two connections between the same
// endpoints: ⇄ goes through the four directions, the later connection's title says which it is
// (in the panel's language too); and the receive window's value where its line runs above the plot.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { TraceDocument } from '../../src/engine/trace';
import type { HostMessage } from '../../src/diagram/messages';
import { GraphData } from '../../src/diagram/graphData';
import { graphFrame, windowEdgeLabel } from '../../src/diagram/graphLayout';
import { runScenario } from '../../src/diagram/scenario';
import { chromiumToUse, chromiumSuite, type Harness } from './harness';
import { TWO_CONNECTIONS } from '../diagram/twoConnections';

const root = join(import.meta.dirname, '..', '..');

function run(text: string): TraceDocument {
  const doc = runScenario(text).doc;
  assert.ok(doc);
  return doc;
}

async function open(browser: Browser, harness: Harness, doc: TraceDocument, locale?: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  await page.goto(harness.url('light', locale));
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
  const message: HostMessage = { type: 'trace', from: 0, events: doc.events, current: doc.events.length - 1, endpoints: doc.endpoints, scenario: doc.scenario, profile: doc.profile };
  await page.evaluate((m) => window.postMessage(m, '*'), message);
  await page.locator('#canvas .arrow').first().waitFor();
  await page.locator('.toolbar button[aria-pressed]').nth(1).click();
  await page.waitForFunction(() => (document.body.dataset.graphDirection ?? '') !== '');
  return page;
}

describe('time–sequence graph in the webview: connections and the window line (Chromium)', { skip: chromiumToUse() ? false : 'no Chromium found (see test/webview/harness.ts)' }, () => {
  const suite = chromiumSuite();

  test('⇄ goes through each connection\'s directions; the second connection is titled as such', async () => {
    const doc = run(TWO_CONNECTIONS);
    const data = new GraphData();
    data.update(doc, 0);
    const keys = data.directions.filter((d) => d.segments.length > 0).map((d) => d.key);
    assert.equal(keys.length, 4);
    for (const locale of [undefined, 'zh-cn'] as const) {
      const page = await open(suite.browser, suite.harness, doc, locale);
      const seen = new Map<string, string>();
      for (let i = 0; i < keys.length; i++) {
        const key = await page.evaluate(() => document.body.dataset.graphDirection!);
        seen.set(key, (await page.locator('#graph').getAttribute('aria-label')) ?? '');
        await page.locator('.toolbar button.graph-only').first().click();
        await page.waitForFunction((k) => document.body.dataset.graphDirection !== k, key);
      }
      assert.deepEqual([...seen.keys()].sort(), [...keys].sort());
      const second = seen.get('client>server#2')!;
      assert.match(second, locale ? /client → server \(第 2 个连接，始于 1 s\)/ : /client → server \(connection 2, from 1 s\)/);
      assert.match(seen.get('client>server')!, /^client → server:/);
      await page.close();
    }
  });

  test('the receive window\'s value where its line runs above the plot (example 20)', async () => {
    const doc = run(readFileSync(join(root, 'examples', '20-slow-start-fast-recovery.tcpscenario'), 'utf8'));
    const page = await open(suite.browser, suite.harness, doc);
    const data = new GraphData();
    data.update(doc, 0);
    const box = (await page.locator('#graph').boundingBox())!;
    const label = windowEdgeLabel(graphFrame(data.busiest()!, { width: box.width, height: box.height }), data.busiest()!, data.endTime!);
    assert.ok(label, 'the window lies above the plot at the end of example 20');
    assert.equal(await page.locator('#graph .tsg-win-label').textContent(), label.text);
    assert.ok((await page.locator('#graph path.tsg-win-above').count()) > 0);
    await page.close();
  });
});
