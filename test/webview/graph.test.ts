// The time–sequence graph view of the diagram webview in headless Chromium (test/webview/harness.ts),
// served with the host's HTML and strict CSP. A congestion-control example is posted as the
// debugger would (a prefix, then a step); what the page draws is checked against the graph's pure
// data built from the same events, never against numbers written in by hand.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { TraceDocument } from '../../src/engine/trace';
import type { ExportMessage, HostMessage } from '../../src/diagram/messages';
import { GraphData } from '../../src/diagram/graphData';
import { CHUNK, pointFields } from '../../src/diagram/graphLayout';
import type { SeriesName } from '../../src/diagram/graphData';
import { ENGLISH_SAY } from '../../src/diagram/words';
import { runScenario } from '../../src/diagram/scenario';
import { chromiumToUse, chromiumSuite } from './harness';
import { postToPage, posted, traceMessage, waitForPosted } from './page';
import { syntheticTrace } from '../diagram/synthetic';

const root = join(import.meta.dirname, '..', '..');
const artifacts = join(root, 'test-artifacts');

function example(file: string): TraceDocument {
  const run = runScenario(readFileSync(join(root, 'examples', file), 'utf8'));
  assert.ok(run.doc, file);
  return run.doc;
}

/** The graph's data for the first `count` events, as the page should hold it. */
function dataFor(doc: TraceDocument, count: number): GraphData {
  const data = new GraphData();
  data.update({ ...doc, events: doc.events.slice(0, count) }, 0);
  return data;
}

/** What the page must show as current: `series:at` of the event's point in the shown direction. */
function expectedCurrent(data: GraphData, index: number): string {
  const point = data.pointOf(index);
  return point && point.direction.key === data.busiest()?.key ? `${point.series}:${point.at}` : '';
}

describe('time–sequence graph in the webview (Chromium)', { skip: chromiumToUse() ? false : 'no Chromium found (see test/webview/harness.ts)' }, () => {
  const suite = chromiumSuite();
  before(() => mkdirSync(artifacts, { recursive: true }));

  for (const theme of ['light', 'hc'] as const) {
    test(`renders a congestion example, follows a step, reveals, exports, goes back to the ladder (${theme})`, async () => {
      const doc = example('20-slow-start-fast-recovery.tcpscenario');
      const page = await suite.browser.newPage({ viewport: { width: 1100, height: 760 } });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      await page.goto(suite.harness.url(theme));
      await waitForPosted(page, 'ready');

      // The debugger stopped at the first retransmission (the fast retransmit): the trace up to it.
      const retx = doc.events.findIndex((e) => e.kind === 'send' && e.retransmission);
      assert.ok(retx > 0);
      await postToPage(page, traceMessage(doc, 0, doc.events.slice(0, retx + 1), retx));
      await page.locator('#canvas .arrow').first().waitFor();
      await page.getByRole('button', { name: /time–sequence graph/ }).click();
      const data = dataFor(doc, retx + 1);
      const d = data.busiest()!;
      await page.waitForFunction((key) => document.body.dataset.graphDirection === key, d.key);
      assert.equal(await page.getByRole('button', { name: /time–sequence graph/ }).getAttribute('aria-pressed'), 'true');
      assert.equal(await page.locator('#viewport').evaluate((v) => getComputedStyle(v).visibility), 'hidden', 'the ladder is behind the graph');

      // Every chunk of every series is drawn (nothing is zoomed), each with its paths.
      const chunks = (['segments', 'acks', 'losses', 'windows'] as const).reduce((n, s) => n + Math.ceil(d[s].length / CHUNK), 0);
      assert.equal(await page.locator('#graph [data-chunk]').count(), chunks);
      for (const cls of ['tsg-seg', 'tsg-retx', 'tsg-ack', 'tsg-win', 'tsg-cwnd', 'tsg-lost', 'tsg-dupack', 'tsg-ssthresh']) assert.ok((await page.locator(`#graph path.${cls}`).count()) > 0, cls);
      // The current event (the retransmission) is ringed, at the time line.
      assert.equal(await page.evaluate(() => document.body.dataset.graphCurrent), expectedCurrent(data, retx));
      assert.equal(await page.locator('#graph .tsg-current').count(), 1);
      assert.equal(await page.locator('#graph .tsg-now').count(), 1);
      // Legend and titles are drawn as text, and the colours come from the theme.
      assert.ok((await page.locator('#graph').textContent())?.includes('retransmission'));
      const retxColour = await page.locator('#graph path.tsg-retx').first().evaluate((p) => getComputedStyle(p).stroke);
      const segColour = await page.locator('#graph path.tsg-seg').first().evaluate((p) => getComputedStyle(p).stroke);
      assert.notEqual(retxColour, segColour);

      // A step: ten more events; the ring moves to the new current event.
      const next = Math.min(doc.events.length - 1, retx + 10);
      await postToPage(page, traceMessage(doc, retx + 1, doc.events.slice(retx + 1, next + 1), next));
      const stepped = dataFor(doc, next + 1);
      const wanted = expectedCurrent(stepped, next) || '';
      await page.waitForFunction((w) => document.body.dataset.graphCurrent === w && document.querySelectorAll('#graph [data-chunk]').length > 0, wanted);
      const sd = stepped.busiest()!;
      const chunksAfter = (['segments', 'acks', 'losses', 'windows'] as const).reduce((n, s) => n + Math.ceil(sd[s].length / CHUNK), 0);
      assert.equal(await page.locator('#graph [data-chunk]').count(), chunksAfter);
      // A stop on an earlier event (stepping back over snapshots): only the highlight moves.
      await postToPage(page, traceMessage(doc, next + 1, [], retx));
      await page.waitForFunction((w) => document.body.dataset.graphCurrent === w, expectedCurrent(stepped, retx));

      // Hover and click the ringed point: its fields, then its scenario line.
      const ring = await page.locator('#graph .tsg-current').evaluate((c) => {
        const box = c.getBoundingClientRect();
        return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
      });
      await page.mouse.move(ring.x, ring.y);
      await page.waitForSelector('.tooltip:not(.hidden)');
      const tip = await page.locator('.tooltip').innerText();
      assert.ok(tip.includes('retransmission') && tip.includes('cwnd'), tip);
      const before = (await posted(page)).length;
      await page.mouse.click(ring.x, ring.y);
      const reveal = (await waitForPosted(page, 'reveal', before)) as { line: number; index: number };
      assert.equal(reveal.index, retx);
      assert.equal(reveal.line, doc.events[retx].line);

      // Export SVG while the graph is shown: the graph, well-formed, without script.
      const count = (await posted(page)).length;
      await page.getByRole('button', { name: 'Export SVG' }).click();
      const svgExport = (await waitForPosted(page, 'export', count)) as ExportMessage;
      const blank = await suite.browser.newPage();
      const parsed = await blank.evaluate((text) => {
        const x = new DOMParser().parseFromString(text, 'image/svg+xml');
        return { error: x.getElementsByTagName('parsererror').length, scripts: x.querySelectorAll('script').length, retx: x.querySelectorAll('path.tsg-retx').length, current: x.querySelectorAll('.tsg-current').length };
      }, svgExport.data);
      await blank.close();
      assert.deepEqual({ ...parsed, retx: parsed.retx > 0 }, { error: 0, scripts: 0, retx: true, current: 1 });

      await page.mouse.move(2, 2);
      await page.screenshot({ path: join(artifacts, `graph-${theme}.png`) });

      // Back to the ladder: its arrows are there and visible; the choice is kept across a reload.
      await page.getByRole('button', { name: 'Ladder' }).click();
      assert.equal(await page.locator('#viewport').evaluate((v) => getComputedStyle(v).visibility), 'visible');
      await page.getByRole('button', { name: /time–sequence graph/ }).click();
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)));
      await page.reload();
      await waitForPosted(page, 'ready');
      await page.waitForFunction((key) => document.body.dataset.graphDirection === key, d.key);

      assert.deepEqual(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations), []);
      assert.deepEqual(errors, []);
      await page.close();
    });
  }

  test('the ladder labels its arrows with the advertised window on request (example 23)', async () => {
    const doc = example('23-receive-window-vs-cwnd.tcpscenario');
    const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(suite.harness.url('light'));
    await waitForPosted(page, 'ready');
    await postToPage(page, traceMessage(doc, 0, doc.events, 0));
    const first = doc.events.find((e) => e.kind === 'send')!;
    assert.ok(first.kind === 'send');
    const label = page.locator(`[data-key="a:${first.id}"] .label`);
    await label.first().waitFor();
    assert.doesNotMatch((await label.allTextContents()).join(' '), /wnd=/);
    const toggle = page.getByRole('button', { name: 'Label the arrows with the advertised window' });
    await toggle.click();
    await page.waitForFunction(([key, text]) => Array.from(document.querySelectorAll(`[data-key="${key}"] .label`)).some((l) => l.textContent?.includes(text)), [`a:${first.id}`, `wnd=${first.wnd}`] as const);
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    await page.close();
  });

  /** Lets the page handle what was posted and draw its next frames. */
  async function settle(page: Page): Promise<void> {
    await page.evaluate(() => new Promise<void>((resolve) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(() => resolve())), 20)));
  }

  test('a step redraws a few chunks, as many at 400 as at 3,000 segments; Ctrl+wheel zooms the time axis and draws only what lies in it', async () => {
    const page = await suite.browser.newPage({ viewport: { width: 1000, height: 700 } });
    await page.goto(suite.harness.url('light'));
    await waitForPosted(page, 'ready');
    await page.getByRole('button', { name: /time–sequence graph/ }).click();
    const stepCost = async (segments: number) => {
      const doc = syntheticTrace(segments);
      const n = doc.events.length;
      await postToPage(page, traceMessage(doc, 0, doc.events, n - 1));
      await page.waitForFunction((k) => document.body.dataset.graphDirection === k, dataFor(doc, n).busiest()!.key);
      await settle(page);
      // Back to nine tenths of the run, then a step of four events (the axes, sized for the whole run, stay).
      const m = Math.round(n * 0.9);
      await postToPage(page, traceMessage(doc, m, [], m - 1));
      await settle(page);
      await postToPage(page, traceMessage(doc, m, doc.events.slice(m, m + 4), m + 3));
      await settle(page);
      return { touched: Number(await page.evaluate(() => document.body.dataset.graphTouched)), chunks: await page.locator('#graph [data-chunk]').count() };
    };
    const small = await stepCost(400);
    const large = await stepCost(3000);
    assert.ok(large.chunks > small.chunks * 4, `${small.chunks} -> ${large.chunks} chunks on the page`);
    assert.equal(large.touched, small.touched);
    assert.ok(small.touched >= 1 && small.touched <= 8 && large.touched <= 8, JSON.stringify({ small, large }));

    // Zoom in around the middle: only the chunks that meet the window stay on the page.
    const box = (await page.locator('#graph').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 3);
    await page.keyboard.down('Control');
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -400);
    await page.keyboard.up('Control');
    await page.waitForFunction(() => (document.body.dataset.graphZoom ?? '') !== '');
    await settle(page);
    const zoomed = await page.locator('#graph [data-chunk]').count();
    assert.ok(zoomed < large.chunks / 2, `${zoomed} of ${large.chunks}`);
    await page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 3);
    await page.waitForFunction(() => document.body.dataset.graphZoom === '');
    // The whole run again: the chunks of the events posted up to the step (nine tenths and four).
    assert.ok((await page.locator('#graph [data-chunk]').count()) > zoomed);
    // VS Code's zoom and fit commands act on the graph while it is shown.
    await postToPage(page, { type: 'command', command: 'zoomIn' });
    await page.waitForFunction(() => (document.body.dataset.graphZoom ?? '') !== '');
    await postToPage(page, { type: 'command', command: 'fit' });
    await page.waitForFunction(() => document.body.dataset.graphZoom === '');
    await page.close();
  });

  test('the keyboard goes from point to point, says each as the hover does, Enter reveals its line; the zoom survives a reload', async () => {
    const doc = example('20-slow-start-fast-recovery.tcpscenario');
    const retx = doc.events.findIndex((e) => e.kind === 'send' && e.retransmission);
    const page = await suite.browser.newPage({ viewport: { width: 1000, height: 700 } });
    await page.goto(suite.harness.url('light'));
    await waitForPosted(page, 'ready');
    await page.getByRole('button', { name: /time–sequence graph/ }).click();
    await postToPage(page, traceMessage(doc, 0, doc.events, retx));
    const data = dataFor(doc, doc.events.length);
    const d = data.busiest()!;
    await page.waitForFunction((key) => document.body.dataset.graphDirection === key, d.key);
    const said = (series: SeriesName, at: number) => pointFields(d, series, at, ENGLISH_SAY).map(([name, value]) => `${name}: ${value}`).join('\n');
    const focusIs = async (series: SeriesName, at: number) => {
      await page.waitForFunction((w) => document.body.dataset.graphFocus === w, `${series}:${at}`);
      assert.equal(await page.locator('.graph-announce').textContent(), said(series, at));
      assert.equal(await page.locator('.graph-announce').getAttribute('aria-live'), 'polite');
      assert.equal(await page.locator('#graph .tsg-focus').count(), 1);
      // The tooltip beside the point: the hover's rows.
      const tip = await page.locator('.tooltip').innerText();
      for (const [name, value] of pointFields(d, series, at, ENGLISH_SAY)) assert.ok(tip.includes(name) && tip.includes(value), `${name} ${value} in ${tip}`);
    };
    await page.locator('.graph-view').focus();
    // The first arrow starts at the debugger's current point (the retransmission).
    const current = data.pointOf(retx)!;
    assert.equal(current.series, 'segments');
    await page.keyboard.press('ArrowRight');
    await focusIs('segments', current.at);
    await page.keyboard.press('ArrowRight');
    await focusIs('segments', current.at + 1);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await focusIs('segments', current.at - 1);
    // Down: the ACK nearest in time to that segment.
    const t = d.segments[current.at - 1].t;
    const ack = d.acks.reduce((best, a, i) => (Math.abs(a.t - t) < Math.abs(d.acks[best].t - t) ? i : best), 0);
    await page.keyboard.press('ArrowDown');
    await focusIs('acks', ack);
    await page.keyboard.press('Home');
    await focusIs('acks', 0);
    await page.keyboard.press('End');
    await focusIs('acks', d.acks.length - 1);
    await page.keyboard.press('ArrowRight');
    await focusIs('acks', d.acks.length - 1);
    // Enter reveals the point's scenario line, as a click does.
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowUp');
    const first = d.segments.reduce((best, s, i) => (Math.abs(s.t - d.acks[0].t) < Math.abs(d.segments[best].t - d.acks[0].t) ? i : best), 0);
    await focusIs('segments', first);
    const before = (await posted(page)).length;
    await page.keyboard.press('Enter');
    const reveal = (await waitForPosted(page, 'reveal', before)) as { line: number; index: number };
    assert.equal(reveal.index, d.segments[first].index);
    assert.equal(reveal.line, doc.events[d.segments[first].index].line);

    // Zoom in from the keyboard; the window comes back after a reload (the state is saved after a pause).
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await page.waitForFunction(() => (document.body.dataset.graphZoom ?? '') !== '');
    const zoom = await page.evaluate(() => document.body.dataset.graphZoom);
    // Shift+arrows move the window; the arrows alone move the point, the window following it.
    await page.keyboard.press('Shift+ArrowRight');
    await page.waitForFunction((z) => document.body.dataset.graphZoom !== z, zoom);
    const moved = await page.evaluate(() => document.body.dataset.graphZoom);
    await page.keyboard.press('End');
    await page.waitForFunction(() => document.body.dataset.graphFocus !== '');
    const [lo, hi] = (await page.evaluate(() => document.body.dataset.graphZoom))!.split(',').map(Number);
    const focused = (await page.evaluate(() => document.body.dataset.graphFocus))!.split(':');
    const tf = d[focused[0] as SeriesName][Number(focused[1])].t;
    assert.ok(tf >= lo && tf <= hi, `${tf} in [${lo}, ${hi}]`);
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+ArrowRight');
    const saved = await page.evaluate(() => document.body.dataset.graphZoom);
    assert.ok(saved && saved !== moved);
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 600)));
    await page.reload();
    await waitForPosted(page, 'ready');
    await page.waitForFunction((key) => document.body.dataset.graphDirection === key, d.key);
    assert.equal(await page.evaluate(() => document.body.dataset.graphZoom), saved);
    // Another run: the zoom goes.
    await postToPage(page, traceMessage(example('21-timeout-collapse.tcpscenario'), 0, example('21-timeout-collapse.tcpscenario').events, 0));
    await page.waitForFunction(() => document.body.dataset.graphZoom === '');
    await page.close();
  });

  test('scenario strings in the graph are text, never markup', async () => {
    const doc = example('21-timeout-collapse.tcpscenario');
    const hostile = '<img src=x onerror=alert(1)>';
    const page = await suite.browser.newPage({ viewport: { width: 900, height: 600 } });
    await page.goto(suite.harness.url('dark'));
    await waitForPosted(page, 'ready');
    await page.getByRole('button', { name: /time–sequence graph/ }).click();
    await postToPage(page, { ...traceMessage(doc, 0, doc.events, doc.events.length - 1), scenario: hostile } as HostMessage);
    await page.waitForFunction(() => (document.body.dataset.graphDirection ?? '') !== '');
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.locator('.toolbar .title').textContent(), hostile);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations), []);
    await page.close();
  });
});
