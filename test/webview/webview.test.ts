// The diagram webview in headless Chromium (Debian's /usr/bin/chromium, else the one @sparticuz/chromium ships; test/webview/harness.ts) through playwright-core,
// served with the host's HTML and strict CSP. Expected values are computed from the fixtures and
// the diagram model, never written in by hand.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { flagLabel, type TraceDocument, type TraceEvent } from '../../src/engine/trace';
import { buildModel, COMPACT_BELOW, relativeTo } from '../../src/diagram/model';
import { compactTraceMessage, isWebviewMessage, pngBytes, type ExportMessage, type TraceMessage } from '../../src/diagram/messages';
import { chromiumSuite, type Harness } from './harness';
import { postToPage, posted, traceMessage, waitForPosted } from './page';
import { DiagramFeed, WINDOW_BEFORE } from '../../src/diagram/feed';
import { syntheticTrace } from '../diagram/synthetic';

const root = join(import.meta.dirname, '..', '..');
const artifacts = join(root, 'test-artifacts');
const fixture = (name: string) => JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'traces', `${name}.json`), 'utf8')) as TraceDocument;

type Send = Extract<TraceEvent, { kind: 'send' }>;

async function openPage(browser: Browser, harness: Harness, theme: 'light' | 'dark' | 'hc'): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('dialog', (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(harness.url(theme));
  await waitForPosted(page, 'ready');
  return { page, errors };
}

/** Items of the canvas whose box meets the viewport's (what the user sees under the headers). */
async function itemsInView(page: Page): Promise<number> {
  return page.evaluate(() => {
    const view = document.getElementById('viewport')!.getBoundingClientRect();
    const header = document.getElementById('header')!.getBoundingClientRect();
    let count = 0;
    document.querySelectorAll('#canvas [data-key]').forEach((el) => {
      const box = el.getBoundingClientRect();
      if (box.bottom > header.bottom && box.top < view.bottom && box.right > view.left && box.left < view.right) count++;
    });
    return count;
  });
}

/** Scrolls to the end of the diagram (the sizer holds the whole diagram). */
async function scrollToEnd(page: Page): Promise<void> {
  await page.locator('#viewport').evaluate((v) => (v.scrollTop = v.querySelector('.sizer')!.getBoundingClientRect().height - v.clientHeight));
  await settle(page);
}

/** Two animation frames: whatever the page scheduled (scroll events, a render) has run. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

describe('diagram webview in Chromium', () => {
  const suite = chromiumSuite();
  before(() => mkdirSync(artifacts, { recursive: true }));

  test('renders a trace, updates on a second message, highlights, reveals, hovers (light)', async () => {
    const doc = fixture('lost-final-ack');
    const { page, errors } = await openPage(suite.browser, suite.harness, 'light');
    // First message: up to (and including) the lost final ACK; highlight the drop.
    const dropIndex = doc.events.findIndex((e) => e.kind === 'drop');
    const firstPart = doc.events.slice(0, dropIndex + 1);
    await postToPage(page, traceMessage(doc, 0, firstPart, dropIndex));
    const sendsFirst = firstPart.filter((e): e is Send => e.kind === 'send');
    for (const s of sendsFirst) await page.waitForSelector(`[data-key="a:${s.id}"]`);
    assert.equal(await page.locator('#canvas .arrow').count(), sendsFirst.length);

    const modelFirst = buildModel({ events: firstPart, endpoints: doc.endpoints });
    const expectedKey = modelFirst.items[modelFirst.eventToItem[dropIndex]].key;
    assert.equal(await page.locator('body').getAttribute('data-current'), expectedKey);
    assert.match((await page.locator(`[data-key="${expectedKey}"]`).getAttribute('class')) ?? '', /\bcurrent\b/);
    const drops = firstPart.filter((e) => e.kind === 'drop').length;
    assert.ok(drops > 0);
    assert.equal(await page.locator('#canvas .arrow.end-lost').count(), drops);
    assert.equal(await page.locator('#canvas .arrow.end-lost .cross').count(), 2 * drops, 'each lost segment ends in a cross');

    // Second message: the rest (the debugger stepped on); the highlight moves to the retransmitted FIN.
    const retransmitIndex = doc.events.findIndex((e) => e.kind === 'send' && e.retransmission);
    const retransmit = doc.events[retransmitIndex] as Send;
    await postToPage(page, traceMessage(doc, dropIndex + 1, doc.events.slice(dropIndex + 1), retransmitIndex));
    await page.waitForSelector(`[data-key="a:${retransmit.id}"].current`);
    assert.equal(await page.locator(`[data-key="${expectedKey}"].current`).count(), 0, 'the old highlight is gone');
    assert.match((await page.locator(`[data-key="a:${retransmit.id}"]`).getAttribute('class')) ?? '', /m-retransmission/);

    // A stop that adds no events moves only the highlight.
    const synIndex = doc.events.findIndex((e) => e.kind === 'send');
    const synKey = `a:${(doc.events[synIndex] as Send).id}`;
    await postToPage(page, traceMessage(doc, doc.events.length, [], synIndex));
    await page.waitForSelector(`[data-key="${synKey}"].current`, { state: 'attached' });
    assert.equal(await page.locator('#canvas .current').count(), 1);

    // A truncating message (step back): from = first part length - 2 drops the last events again.
    await postToPage(page, traceMessage(doc, dropIndex - 1, [], 2));
    await page.waitForFunction((n) => document.body.dataset.events === String(n), dropIndex - 1);
    assert.equal(await page.locator(`[data-key="a:${retransmit.id}"]`).count(), 0);
    await postToPage(page, traceMessage(doc, dropIndex - 1, doc.events.slice(dropIndex - 1), doc.events.length - 1));
    await page.waitForFunction((n) => document.body.dataset.events === String(n), doc.events.length);
    await page.locator('#viewport').evaluate((v) => (v.scrollTop = 0));

    // Click an arrow: reveal its scenario line.
    const data = doc.events.find((e): e is Send => e.kind === 'send' && e.len > 0);
    assert.ok(data);
    const before = (await posted(page)).length;
    await page.locator(`[data-key="a:${data.id}"] .hit`).click();
    const reveal = await waitForPosted(page, 'reveal', before);
    assert.deepEqual({ type: reveal.type, line: (reveal as { line: number }).line }, { type: 'reveal', line: data.line });
    assert.ok(isWebviewMessage(reveal));

    // Keyboard: the arrow is a focusable button; Enter reveals its line too.
    const ack = doc.events.find((e): e is Send => e.kind === 'send' && e.flags.join(',') === 'ACK' && e.line !== data.line);
    assert.ok(ack);
    const beforeKey = (await posted(page)).length;
    await page.locator(`[data-key="a:${ack.id}"]`).focus();
    assert.match((await page.locator(`[data-key="a:${ack.id}"]`).getAttribute('aria-label')) ?? '', new RegExp(`^${ack.from} → ${ack.to}: ACK seq=`));
    await page.keyboard.press('Enter');
    const keyReveal = await waitForPosted(page, 'reveal', beforeKey);
    assert.equal((keyReveal as { line: number }).line, ack.line);

    // Hover: every field of the segment.
    await page.locator(`[data-key="a:${data.id}"] .hit`).hover();
    await page.waitForSelector(`.tooltip:not(.hidden)[data-item="a:${data.id}"]`);
    const tip = await page.locator('.tooltip').innerText();
    for (const field of ['flags', 'seq', 'ack', 'len', 'wnd', 'sent at', 'delivered at', 'flight time', 'scenario line']) assert.ok(tip.includes(field), `${field} in ${tip}`);
    assert.ok(tip.includes(String(data.seq)) && tip.includes(String(data.wnd)) && tip.includes(flagLabel(data.flags)));

    // State box hover shows the transition.
    const transition = doc.events.find((e) => e.kind === 'transition' && e.to === 'TIME-WAIT');
    assert.ok(transition?.kind === 'transition');
    const model = buildModel({ events: doc.events, endpoints: doc.endpoints });
    const stateKey = model.items[model.eventToItem[doc.events.indexOf(transition)]].key;
    await page.locator(`[data-key="${stateKey}"]`).hover();
    await page.waitForSelector(`.tooltip:not(.hidden)[data-item="${stateKey}"]`);
    assert.ok((await page.locator('.tooltip').innerText()).includes(`${transition.from} → ${transition.to}`));
    await page.mouse.move(5, 5);

    await page.evaluate(() => (document.activeElement as HTMLElement | SVGElement | null)?.blur());
    await page.screenshot({ path: join(artifacts, 'diagram-light.png') });
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations), []);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('relative toggle, zoom, export SVG and PNG, copy Mermaid, restore after reload (dark)', async () => {
    const doc = fixture('lost-final-ack');
    const { page, errors } = await openPage(suite.browser, suite.harness, 'dark');
    const synAckIndex = doc.events.findIndex((e) => e.kind === 'send' && e.flags.join(',') === 'SYN,ACK');
    const synAck = doc.events[synAckIndex] as Send;
    await postToPage(page, traceMessage(doc, 0, doc.events, synAckIndex));
    const label = page.locator(`[data-key="a:${synAck.id}"] .label`);
    await label.waitFor();
    assert.ok((await label.textContent())?.includes(`seq=${synAck.seq} ack=${synAck.ack}`));

    const beforeToggle = (await posted(page)).length;
    await page.getByRole('button', { name: 'Relative seq/ack' }).click();
    const clientIsn = doc.endpoints.find((e) => e.name === synAck.to)?.isn ?? 0;
    const expected = `seq=${relativeTo(synAck.seq, synAck.seq)} ack=${relativeTo(synAck.ack, clientIsn)}`;
    await page.waitForFunction(([key, text]) => document.querySelector(`[data-key="${key}"] .label`)?.textContent?.includes(text), [`a:${synAck.id}`, expected] as const);
    const state = await waitForPosted(page, 'state', beforeToggle);
    assert.equal((state as { relative: boolean }).relative, true);

    // Zoom in: the scrollable size grows by the zoom factor.
    const heightBefore = await page.locator('.sizer').evaluate((e) => e.getBoundingClientRect().height);
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.waitForFunction((h) => document.querySelector('.sizer')!.getBoundingClientRect().height > h, heightBefore);
    const heightAfter = await page.locator('.sizer').evaluate((e) => e.getBoundingClientRect().height);
    assert.ok(Math.abs(heightAfter / heightBefore - 1.25) < 0.01, `${heightAfter} / ${heightBefore}`);
    await page.getByRole('button', { name: 'Fit' }).click();

    // Export SVG: a well-formed standalone SVG without script, parsed by the browser.
    let count = (await posted(page)).length;
    await page.getByRole('button', { name: 'Export SVG' }).click();
    const svgExport = (await waitForPosted(page, 'export', count)) as ExportMessage;
    assert.equal(svgExport.format, 'svg');
    assert.ok(isWebviewMessage(svgExport));
    // Parsed in a page of its own: a DOMParser document inherits the webview's CSP.
    const blank = await suite.browser.newPage();
    const parsed = await blank.evaluate((text) => {
      const d = new DOMParser().parseFromString(text, 'image/svg+xml');
      return { error: d.getElementsByTagName('parsererror').length, arrows: d.querySelectorAll("g.item.arrow").length, scripts: d.querySelectorAll('script').length };
    }, svgExport.data);
    await blank.close();
    assert.deepEqual(parsed, { error: 0, arrows: doc.events.filter((e) => e.kind === 'send').length, scripts: 0 });

    // Export PNG: drawn through a canvas; real PNG bytes.
    count = (await posted(page)).length;
    await page.getByRole('button', { name: 'Export PNG' }).click();
    const pngExport = (await waitForPosted(page, 'export', count)) as ExportMessage;
    assert.equal(pngExport.format, 'png');
    assert.ok(isWebviewMessage(pngExport));
    assert.deepEqual([...pngBytes(pngExport).slice(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

    // Export pcapng: the host builds the capture from the trace it holds; the page only asks.
    count = (await posted(page)).length;
    await page.getByRole('button', { name: 'Export pcapng capture (Wireshark)' }).click();
    const captureExport = await waitForPosted(page, 'exportCapture', count);
    assert.ok(isWebviewMessage(captureExport) && captureExport.type === 'exportCapture');

    // Copy as Mermaid.
    count = (await posted(page)).length;
    await page.getByRole('button', { name: 'Copy as Mermaid' }).click();
    const copy = await waitForPosted(page, 'copy', count);
    assert.ok(isWebviewMessage(copy) && copy.type === 'copy');
    assert.match(copy.text, /^sequenceDiagram$/m);
    assert.equal((copy.text.match(/->>|-x/g) ?? []).length, doc.events.filter((e) => e.kind === 'send').length);

    await page.locator('#viewport').evaluate((v) => (v.scrollTop = 0));
    await page.mouse.move(5, 5);
    await page.screenshot({ path: join(artifacts, 'diagram-dark.png') });

    // Reload: the state saved with setState brings the diagram back without a new trace message.
    await page.reload();
    await waitForPosted(page, 'ready');
    await page.waitForSelector(`[data-key="a:${synAck.id}"]`);
    assert.ok((await page.locator(`[data-key="a:${synAck.id}"] .label`).textContent())?.includes(expected), 'relative numbers restored');
    assert.equal(await page.getByRole('button', { name: 'Relative seq/ack' }).getAttribute('aria-pressed'), 'true');

    assert.deepEqual(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations), []);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('follows the theme: high contrast draws borders in the contrast colour', async () => {
    const doc = fixture('simultaneous-open');
    const { page, errors } = await openPage(suite.browser, suite.harness, 'hc');
    await postToPage(page, traceMessage(doc, 0, doc.events, 2));
    await page.waitForSelector('#canvas .state-box');
    const [stateStroke, contrast, background, pageBackground] = await page.evaluate(() => {
      const root = getComputedStyle(document.documentElement);
      const probe = document.createElement('div');
      probe.style.color = root.getPropertyValue('--vscode-contrastBorder');
      document.body.append(probe);
      const contrastColour = getComputedStyle(probe).color;
      probe.remove();
      return [
        getComputedStyle(document.querySelector('#canvas .state-box')!).stroke,
        contrastColour,
        root.getPropertyValue('--vscode-editor-background'),
        getComputedStyle(document.body).backgroundColor,
      ];
    });
    assert.equal(stateStroke, contrast);
    assert.equal(background.trim(), '#000000');
    assert.equal(pageBackground, 'rgb(0, 0, 0)');
    await page.screenshot({ path: join(artifacts, 'diagram-high-contrast.png') });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('scenario strings are shown as text, never markup', async () => {
    const doc = fixture('hostile-names');
    const { page, errors } = await openPage(suite.browser, suite.harness, 'light');
    await postToPage(page, traceMessage(doc, 0, doc.events, -1));
    await page.waitForSelector('.header');
    const names = await page.locator('.header-name').allTextContents();
    assert.deepEqual(names, doc.endpoints.map((e) => e.name));
    assert.equal(await page.locator('.toolbar .title').textContent(), doc.scenario);
    const scripts = await page.evaluate(() => document.querySelectorAll('script').length);
    assert.equal(scripts, 2, 'only the prelude and the webview script');
    assert.equal(await page.locator('img').count(), 0);
    // A NUL and a right-to-left override in the title: shown as a symbol, the override gone.
    await postToPage(page, traceMessage({ ...doc, scenario: 'report\u0000\u202etxt.exe' }, 0, doc.events, -1));
    await page.waitForFunction(() => document.querySelector('.toolbar .title')?.textContent?.startsWith('report\u2400'));
    assert.equal(await page.locator('.toolbar .title').textContent(), 'report\u2400txt.exe');

    // The host's error message (a broken scenario) replaces the diagram, as text.
    const message = 'scenario has errors:\nx.tcpscenario:3:4: unknown action \'<img src=x onerror=alert(1)>\'';
    await postToPage(page, { type: 'trace', from: 0, events: [], current: -1, endpoints: [], profile: 'rfc' });
    await postToPage(page, { type: 'error', message });
    await page.waitForSelector('.empty.error');
    assert.equal(await page.locator('.empty').textContent(), message);
    assert.equal(await page.locator('#canvas [data-key]').count(), 0);
    assert.equal(await page.locator('img').count(), 0);
    // A command from VS Code (the editor title's "fit") works like the toolbar.
    await postToPage(page, traceMessage(doc, 0, doc.events, -1));
    await page.waitForSelector('.empty.hidden', { state: 'attached' });
    await postToPage(page, { type: 'command', command: 'fit' });
    await page.waitForFunction(() => document.querySelector('.zoom-label')?.textContent !== '100%');
    assert.deepEqual(errors, []);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations), []);
    await page.close();
  });

  test('Fit right after a step back (a truncating trace message) draws the diagram, not a blank canvas', async () => {
    const doc = syntheticTrace(1500);
    const page = await suite.browser.newPage({ viewport: { width: 500, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(suite.harness.url('light'));
    await waitForPosted(page, 'ready');
    // The debugger stopped at the last event: the view scrolls to the bottom.
    const n = doc.events.length;
    await postToPage(page, traceMessage(doc, 0, doc.events, n - 1));
    await page.waitForFunction((k) => document.body.dataset.events === String(k), n);
    await scrollToEnd(page);
    await settle(page);
    assert.ok((await itemsInView(page)) > 0, 'items in view at the bottom');
    for (const zoomIn of [false, true]) {
      if (zoomIn) {
        // Zoomed in, so that Fit zooms out: the old scroll offset lies beyond the fitted diagram.
        for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
        await scrollToEnd(page);
        await settle(page);
      }
      // Step back: truncate by one event, nothing appended, the highlight moves up one.
      const length = Number(await page.evaluate(() => document.body.dataset.events));
      await postToPage(page, traceMessage(doc, length - 1, [], length - 2));
      await page.waitForFunction((k) => document.body.dataset.events === String(k), length - 1);
      await page.getByRole('button', { name: 'Fit' }).click();
      await settle(page);
      const scroll = await page.locator('#viewport').evaluate((v) => ({ top: v.scrollTop, max: v.scrollHeight - v.clientHeight, sizer: v.querySelector('.sizer')!.getBoundingClientRect().height }));
      assert.ok(scroll.top <= scroll.max + 1, `scrollTop ${scroll.top} within ${scroll.max}`);
      assert.ok((await itemsInView(page)) > 0, `items in view after Fit (zoomed in first: ${zoomIn}), scroll ${JSON.stringify(scroll)}`);
    }
    assert.deepEqual(errors, []);
    await page.close();
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`a narrow panel gets the compact layout, readable at its width; a wide one the wide layout; the legend never covers the drawing (${theme})`, async () => {
      const doc = fixture('lost-final-ack');
      for (const size of [{ width: 500, height: 800 }, { width: 1280, height: 800 }]) {
        const page = await suite.browser.newPage({ viewport: size });
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(String(error)));
        await page.goto(suite.harness.url(theme));
        await waitForPosted(page, 'ready');
        await postToPage(page, traceMessage(doc, 0, doc.events, -1));
        await page.waitForFunction((k) => document.body.dataset.events === String(k), doc.events.length);
        await settle(page);
        const fits = await page.evaluate(() => {
          const v = document.getElementById('viewport')!;
          return { sizer: v.querySelector('.sizer')!.getBoundingClientRect().width, view: v.clientWidth, zoom: document.querySelector('.zoom-label')!.textContent };
        });
        const model = buildModel({ events: doc.events, endpoints: doc.endpoints }, { width: size.width < COMPACT_BELOW ? fits.view : undefined });
        if (size.width < COMPACT_BELOW) {
          // Laid out for the panel: shown at a zoom where text reads, with every arrow label drawn.
          const zoom = Number(fits.zoom?.replace('%', '')) / 100;
          assert.ok(zoom >= 0.85, `zoom ${fits.zoom} in a ${size.width} px panel`);
          assert.ok(fits.sizer <= fits.view + 1, `sizer ${fits.sizer} within the view ${fits.view}`);
          const labels = await page.locator('#canvas .arrow .label').evaluateAll((els) =>
            els.map((e) => ({ text: e.textContent ?? '', shown: getComputedStyle(e).display !== 'none', height: e.getBoundingClientRect().height })),
          );
          const arrows = model.items.filter((item) => item.kind === 'arrow');
          assert.ok(labels.length > 0 && labels.length <= arrows.length, `${labels.length} labels drawn`);
          for (const label of labels) {
            assert.ok(label.shown && label.height >= 8, `label ${label.text} visible (${label.height} px high)`);
            assert.ok(arrows.some((a) => label.text.startsWith((a.labelLines ?? [a.label])[0])), `label ${label.text} is one the model made`);
          }
          assert.equal(await page.locator('#canvas.lod-low').count(), 0, 'labels are not left out');
        } else if (model.width > fits.view) {
          // Wider than the panel: shrunk to its width, so both lifelines and every arrow show.
          assert.ok(fits.sizer <= fits.view + 1 && fits.sizer >= fits.view - 2, `sizer ${fits.sizer} vs view ${fits.view}`);
          assert.notEqual(fits.zoom, '100%');
        } else {
          assert.equal(fits.zoom, '100%', 'a diagram that fits is not enlarged');
        }
        const lifelines = await page.locator('#canvas .lifeline').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
        assert.equal(lifelines.length, doc.endpoints.length);
        for (const right of lifelines) assert.ok(right <= size.width, `lifeline at ${right} within ${size.width}`);
        // The legend starts closed; opened, it is a strip below the drawing, not over it.
        assert.equal(await page.locator('.legend').isVisible(), false);
        await page.getByRole('button', { name: 'Legend' }).click();
        await page.locator('.legend').waitFor();
        assert.equal(await page.getByRole('button', { name: 'Legend' }).getAttribute('aria-pressed'), 'true');
        const [legendBox, viewBox] = await Promise.all([page.locator('.legend').boundingBox(), page.locator('#viewport').boundingBox()]);
        assert.ok(legendBox && viewBox && legendBox.y >= viewBox.y + viewBox.height - 1, `legend ${JSON.stringify(legendBox)} below the drawing ${JSON.stringify(viewBox)}`);
        assert.equal(await page.locator('.legend [data-mark]').count(), model.legend.length);
        await page.mouse.move(1, 1);
        await page.screenshot({ path: join(artifacts, `diagram-${size.width}x${size.height}-${theme}.png`) });
        assert.deepEqual(errors, []);
        await page.close();
      }
    });
  }

  test('the zoom the user picks is kept across updates and restored after a reload', async () => {
    const doc = fixture('lost-final-ack');
    const page = await suite.browser.newPage({ viewport: { width: 500, height: 800 } });
    await page.goto(suite.harness.url('light'));
    await waitForPosted(page, 'ready');
    const half = Math.floor(doc.events.length / 2);
    await postToPage(page, traceMessage(doc, 0, doc.events.slice(0, half), -1));
    await page.waitForFunction((k) => document.body.dataset.events === String(k), half);
    const fitted = await page.locator('.zoom-label').textContent();
    const lifelineGap = () =>
      page.locator('#canvas .lifeline').evaluateAll((els) => {
        const xs = els.map((e) => e.getBoundingClientRect().left);
        return Math.max(...xs) - Math.min(...xs);
      });
    const narrowGap = await lifelineGap();
    // Until the user zooms, the picture follows the panel's width: laid out again for the wider panel.
    await page.setViewportSize({ width: 700, height: 800 });
    await page.waitForFunction((gap) => {
      const xs = Array.from(document.querySelectorAll('#canvas .lifeline')).map((e) => e.getBoundingClientRect().left);
      return Math.max(...xs) - Math.min(...xs) > gap + 100;
    }, narrowGap);
    const wider = await page.evaluate(() => {
      const v = document.getElementById('viewport')!;
      return { sizer: v.querySelector('.sizer')!.getBoundingClientRect().width, view: v.clientWidth, zoom: document.querySelector('.zoom-label')!.textContent };
    });
    assert.ok(wider.sizer <= wider.view + 1, `laid out for the wider panel: ${JSON.stringify(wider)}`);
    assert.equal(wider.zoom, '100%');
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    const chosen = await page.locator('.zoom-label').textContent();
    assert.notEqual(chosen, fitted);
    // Once the user zoomed, a resize keeps that zoom.
    await page.setViewportSize({ width: 500, height: 800 });
    await settle(page);
    assert.equal(await page.locator('.zoom-label').textContent(), chosen);
    // The debugger steps on: the view keeps the user's zoom.
    await postToPage(page, traceMessage(doc, half, doc.events.slice(half), doc.events.length - 1));
    await page.waitForFunction((k) => document.body.dataset.events === String(k), doc.events.length);
    assert.equal(await page.locator('.zoom-label').textContent(), chosen);
    await page.getByRole('button', { name: 'Legend' }).click();
    // The state is saved once things settle.
    await page.waitForFunction(() => (JSON.parse(sessionStorage.getItem('state') ?? '{}') as { legendOpen?: boolean }).legendOpen === true);
    await page.reload();
    await waitForPosted(page, 'ready');
    await page.waitForFunction((k) => document.body.dataset.events === String(k), doc.events.length);
    assert.equal(await page.locator('.zoom-label').textContent(), chosen, 'zoom restored');
    assert.equal(await page.locator('.legend').isVisible(), true, 'legend restored open');
    await page.close();
  });

  test('draws only what is visible: a 6,000-segment trace keeps the DOM small and reaches the end', async () => {
    const doc = syntheticTrace(6000);
    const { page, errors } = await openPage(suite.browser, suite.harness, 'light');
    // As the host posts a long trace: the events as one JSON text.
    const message = compactTraceMessage(traceMessage(doc, 0, doc.events, -1) as TraceMessage);
    assert.ok(message.eventsJson !== undefined);
    await postToPage(page, message);
    await page.waitForFunction((n) => document.body.dataset.events === String(n), doc.events.length);
    const model = buildModel({ events: doc.events, endpoints: doc.endpoints });
    const arrows = model.items.filter((i) => i.kind === 'arrow').length;
    assert.ok(arrows >= 6000);
    const renderedArrows = await page.locator('#canvas .arrow').count();
    assert.ok(renderedArrows > 0 && renderedArrows < arrows / 10, `${renderedArrows} of ${arrows} arrows in the DOM`);
    // Highlighting the last event scrolls it into view.
    const last = doc.events.length - 1;
    const lastKey = model.items[model.eventToItem[last]].key;
    await postToPage(page, { type: 'current', current: last });
    await page.waitForSelector(`[data-key="${lastKey}"].current`);
    const box = await page.locator(`[data-key="${lastKey}"]`).boundingBox();
    const viewport = await page.locator('#viewport').boundingBox();
    assert.ok(box && viewport && box.y + box.height > viewport.y && box.y < viewport.y + viewport.height, 'current item on screen');
    assert.ok((await page.locator('#canvas .arrow').count()) < arrows / 10);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a stop deep in a long run: the events before the current one first (a notice says where the drawing starts), the earlier ones as the page asks, the current event kept on screen', async () => {
    const doc = syntheticTrace(6000);
    const n = doc.events.length;
    const { page, errors } = await openPage(suite.browser, suite.harness, 'light');
    const feed = new DiagramFeed((m) => void postToPage(page, m));
    feed.trace({ from: 0, events: doc.events, current: n - 1, endpoints: doc.endpoints, scenario: doc.scenario, profile: doc.profile });
    const start = n - 1 - WINDOW_BEFORE;
    await page.waitForFunction((k) => document.body.dataset.events === String(k), n);
    const notice = await page.locator('.notice').textContent();
    assert.ok(notice?.includes(start.toLocaleString('en-US')), `notice ${notice}`);
    const currentKey = () => page.evaluate(() => document.body.dataset.current ?? '');
    const windowKey = await currentKey();
    assert.ok(windowKey !== '');
    const onScreen = async () => {
      const box = await page.locator('#canvas .current').first().boundingBox();
      const view = await page.locator('#viewport').boundingBox();
      return !!box && !!view && box.y + box.height > view.y && box.y < view.y + view.height;
    };
    assert.ok(await onScreen(), 'the current event is on screen at once');
    // The page asks for the rest when idle; the host answers each time.
    let asked = 0;
    for (;;) {
      const more = await page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'more').length);
      if (more > asked) {
        asked = more;
        feed.more();
        continue;
      }
      if (await page.locator('.notice.hidden').count()) break;
      await page.waitForTimeout(20);
    }
    assert.ok(asked >= 1);
    // The model from the start replaced the window's: same current item, still on screen, no notice.
    await page.waitForSelector('#canvas .current');
    assert.equal(await currentKey(), buildModel({ events: doc.events, endpoints: doc.endpoints }, { width: undefined }).items[buildModel(doc).eventToItem[n - 1]].key);
    assert.ok(await onScreen(), 'the current event stays on screen when the whole model replaces the window');
    assert.equal(await page.evaluate(() => document.body.dataset.events), String(n));
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a 10,000-segment trace is built in steps: it reaches its last arrow, and a message during the build is applied in order', async () => {
    const doc = syntheticTrace(10_000);
    function lastArrowKey(events: TraceEvent[]) {
      const model = buildModel({ events, endpoints: doc.endpoints });
      const arrows = model.items.filter((i) => i.kind === 'arrow');
      return { model, key: arrows[arrows.length - 1].key };
    }

    // The whole trace at once: drawn in steps, then its end is reachable by scrolling.
    {
      const { page, errors } = await openPage(suite.browser, suite.harness, 'light');
      const message = compactTraceMessage(traceMessage(doc, 0, doc.events, -1) as TraceMessage);
      const buildingAfterFirst = await page.evaluate((m) => {
        let building = '';
        window.addEventListener('message', () => (building = document.body.dataset.building ?? ''), { once: true });
        window.postMessage(m, '*');
        return new Promise<string>((resolve) => setTimeout(() => resolve(building), 0));
      }, message);
      assert.equal(buildingAfterFirst, 'true', 'the first message draws the first screens and builds the rest later');
      await page.waitForFunction((n) => document.body.dataset.events === String(n) && document.body.dataset.building === 'false', doc.events.length);
      const { key } = lastArrowKey(doc.events);
      assert.equal(await page.locator(`[data-key="${key}"]`).count(), 0, 'the last arrow is not drawn at the top');
      await scrollToEnd(page);
      await page.waitForSelector(`#canvas [data-key="${key}"]`);
      assert.deepEqual(errors, []);
      await page.close();
    }

    // A step back (the trace truncated, the highlight on its last event) posted while the first
    // message's build is still going on: the diagram ends where the second message says.
    {
      const { page, errors } = await openPage(suite.browser, suite.harness, 'light');
      const first = compactTraceMessage(traceMessage(doc, 0, doc.events, -1) as TraceMessage);
      const keptEvents = 12_000;
      assert.ok(keptEvents < doc.events.length);
      const second = traceMessage(doc, keptEvents, [], keptEvents - 1);
      // The second message is dispatched right after the first is handled (in the same task, so
      // no step of the build can run in between); records whether a build was pending then.
      const buildingWhenSecondArrived = await page.evaluate(
        ([m1, m2]) =>
          new Promise<string>((resolve) => {
            window.addEventListener(
              'message',
              () => {
                resolve(document.body.dataset.building ?? '');
                window.dispatchEvent(new MessageEvent('message', { data: m2 }));
              },
              { once: true },
            );
            window.postMessage(m1, '*');
          }),
        [first, second] as const,
      );
      assert.equal(buildingWhenSecondArrived, 'true', 'the second message came while the build was pending');
      await page.waitForFunction((n) => document.body.dataset.events === String(n) && document.body.dataset.building === 'false', keptEvents);
      const { model, key } = lastArrowKey(doc.events.slice(0, keptEvents));
      const currentKey = model.items[model.eventToItem[keptEvents - 1]].key;
      // The highlight is on the second message's current event, scrolled into view.
      await page.waitForSelector(`#canvas [data-key="${currentKey}"].current`);
      const box = await page.locator(`#canvas [data-key="${currentKey}"]`).boundingBox();
      const viewport = await page.locator('#viewport').boundingBox();
      assert.ok(box && viewport && box.y + box.height > viewport.y && box.y < viewport.y + viewport.height, 'current item on screen');
      await scrollToEnd(page);
      await page.waitForSelector(`#canvas [data-key="${key}"]`);
      // Nothing of the dropped events is drawn: the full trace's last arrow is not there.
      assert.equal(await page.locator(`[data-key="${lastArrowKey(doc.events).key}"]`).count(), 0);
      assert.deepEqual(errors, []);
      await page.close();
    }
  });
});
