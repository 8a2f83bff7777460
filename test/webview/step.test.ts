// A debugger step with the diagram open, in counts (never wall-clock): what a step writes to the
// page. The current event's line moves by its layer's transform (the compositor moves it; the
// canvas is not laid out, repainted or re-rastered for it), and the closed legend strip is not made
// again. The picture stays what it was: the line on the current event's row, across the diagram,
// dashed as before; the legend, opened, lists what is drawn.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { chromiumSuite } from './harness';
import { postToPage, traceMessage, waitForPosted } from './page';
import { runScenario } from '../../src/diagram/scenario';
import type { TraceDocument } from '../../src/engine/trace';
import { periodicTransfer } from '../../bench/scenarios';

/** Counts the page's DOM writes by what they touched, from now on. */
async function countWrites(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __writes: Record<string, number> };
    w.__writes = {};
    const observer = new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target as Element;
        const what = el.id === 'now' ? `now ${r.attributeName}` : `${el.getAttribute?.('class') ?? el.nodeName} ${r.type === 'attributes' ? r.attributeName : r.type}`;
        w.__writes[what] = (w.__writes[what] ?? 0) + 1;
      }
    });
    observer.observe(document.getElementById('viewport')!, { subtree: true, attributes: true, childList: true });
    observer.observe(document.querySelector('.legend')!, { childList: true });
  });
}

const frame = (page: Page) => page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));

/**
 * From now on, counts the page's animation frame callbacks that change nothing on the page and ask
 * for no further frame (a frame requested for nothing), and the viewport's scroll events. The test
 * waits with the page's own requestAnimationFrame, kept aside (window.__raf), so it is not counted.
 */
async function countIdleFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __raf: typeof requestAnimationFrame; __idleFrames: number; __scrolls: number };
    w.__idleFrames = 0;
    w.__scrolls = 0;
    document.getElementById('viewport')!.addEventListener('scroll', () => w.__scrolls++);
    const raf = (w.__raf = window.requestAnimationFrame.bind(window));
    const observer = new MutationObserver(() => undefined);
    observer.observe(document, { subtree: true, attributes: true, childList: true, characterData: true });
    let asked = 0;
    window.requestAnimationFrame = (callback) => {
      asked++;
      return raf((time) => {
        observer.takeRecords();
        const before = asked;
        callback(time);
        if (observer.takeRecords().length === 0 && asked === before) w.__idleFrames++;
      });
    };
  });
}

/** Every drawn item's elements (by key), attributes sorted and texts: the drawing, whatever order attributes were written in. A string: tsx would wrap named functions in a helper the page lacks. */
const DRAWN_ITEMS = `(() => {
  const describe = (el) => el.tagName + '[' + Array.from(el.attributes, (a) => a.name + '=' + a.value).sort().join(' ') + ']' +
    (el.children.length ? '(' + Array.from(el.children, describe).join(',') + ')' : '"' + el.textContent + '"');
  return Object.fromEntries(Array.from(document.querySelectorAll('#canvas [data-key]'), (el) => [el.getAttribute('data-key'), describe(el)]));
})()`;

const ownFrame = (page: Page) => page.evaluate(() => new Promise<void>((resolve) => (window as unknown as { __raf: typeof requestAnimationFrame }).__raf(() => setTimeout(resolve, 0))));

describe('a debugger step in the diagram webview', () => {
  const suite = chromiumSuite();

  /** A page given the trace's first `count` events at once, built and painted: where the steps start. */
  async function builtPage(doc: TraceDocument, count: number, errors?: string[]): Promise<Page> {
    const page = await suite.browser.newPage({ viewport: { width: 600, height: 800 } });
    if (errors) page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(suite.harness.url('light'));
    await waitForPosted(page, 'ready');
    await postToPage(page, traceMessage(doc, 0, doc.events.slice(0, count), count - 1));
    await page.waitForFunction(() => document.body.dataset.building === 'false');
    await frame(page);
    return page;
  }

  test('moves the current line by its layer\'s transform, never by the line\'s own attributes, and leaves the closed legend alone', async () => {
    // Small sends, each acknowledged (the debugger bench's scenario): a retransmission timer starts and stops at every send.
    const doc = runScenario(periodicTransfer(200)).doc!;
    const errors: string[] = [];
    const first = 600;
    const page = await builtPage(doc, first, errors);
    await countWrites(page);
    const steps = 60;
    for (let k = first; k < first + steps; k++) {
      await postToPage(page, traceMessage(doc, k, [doc.events[k]], k));
      await frame(page);
    }
    const writes = await page.evaluate(() => (window as unknown as { __writes: Record<string, number> }).__writes);
    const count = (prefix: string) => Object.entries(writes).filter(([k]) => k.startsWith(prefix)).reduce((sum, [, n]) => sum + n, 0);
    // The line itself is never written; its layer's transform moves at the steps that change the row.
    assert.equal(count('now-line'), 0, JSON.stringify(writes));
    assert.ok(writes['now style'] >= steps / 4, JSON.stringify(writes));
    // The picture: the line on the current item's row, from the time axis across the diagram, dashed.
    // (No named functions inside: tsx would wrap them in a helper the page lacks.)
    const picture = await page.evaluate(() => {
      const line = document.querySelector('#now .now-line')!;
      const box = line.getBoundingClientRect();
      const current = document.querySelector('#canvas .current')!.getBoundingClientRect();
      const canvas = document.getElementById('canvas')!.getBoundingClientRect();
      return { y: box.top + box.height / 2, left: box.left, right: box.right, current: { top: current.top, bottom: current.bottom }, canvas: { left: canvas.left, right: canvas.right }, dash: getComputedStyle(line).strokeDasharray, visible: getComputedStyle(line).visibility };
    });
    assert.ok(picture.y >= picture.current.top - 2 && picture.y <= picture.current.bottom + 2, JSON.stringify(picture));
    assert.ok(picture.left > picture.canvas.left && Math.abs(picture.right - picture.canvas.right) < 1, JSON.stringify(picture));
    assert.equal(picture.visible, 'visible');
    assert.match(picture.dash, /^5(px)?,? 4(px)?$/);
    // The canvas and its layers as large as the diagram grow in whole ROOM units (2,048 units),
    // clipped by the sizer, which grows at each step that makes the diagram taller (all three did
    // before) and alone sets how far the view scrolls.
    assert.ok(count('sizer style') >= steps / 4, JSON.stringify(writes));
    assert.ok(count('canvas style') * 8 <= count('sizer style') && count('diagram whole style') * 8 <= count('sizer style'), JSON.stringify(writes));
    const extent = await page.evaluate(() => ({ scroll: document.getElementById('viewport')!.scrollHeight, sizer: (document.querySelector('.sizer') as HTMLElement).offsetHeight, canvas: document.getElementById('canvas')!.offsetHeight }));
    assert.ok(extent.scroll === extent.sizer && extent.canvas >= extent.sizer, JSON.stringify(extent));
    // The closed legend strip is not made at the steps (its entries change as timers start and end); opened, it lists what is drawn.
    assert.equal(count('legend'), 0, JSON.stringify(writes));
    await page.getByRole('button', { name: 'Legend' }).click();
    await page.locator('.legend').waitFor();
    assert.ok((await page.locator('.legend [data-mark]').count()) >= 2);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('asks for no frame that draws nothing when it scrolls to the current event (the next step\'s frame would wait for it)', async () => {
    const doc = runScenario(periodicTransfer(200)).doc!;
    const first = 600;
    const page = await builtPage(doc, first);
    await countIdleFrames(page);
    for (let k = first; k < first + 120; k++) {
      await postToPage(page, traceMessage(doc, k, [doc.events[k]], k));
      // Two frames: the step's, and the one its scroll event would ask for.
      await ownFrame(page);
      await ownFrame(page);
    }
    const counts = await page.evaluate(() => {
      const w = window as unknown as { __idleFrames: number; __scrolls: number };
      return { idleFrames: w.__idleFrames, scrolls: w.__scrolls };
    });
    // The view followed the current event (the page scrolled itself) and drew each scroll when it made it.
    assert.ok(counts.scrolls >= 5, JSON.stringify(counts));
    assert.equal(counts.idleFrames, 0, JSON.stringify(counts));
    await page.close();
  });

  test('draws an item that changed at a step again in place: a growing timer bar keeps its elements, its label is not made again', async () => {
    const doc = runScenario(periodicTransfer(200)).doc!;
    const first = 600;
    const page = await builtPage(doc, first);
    // Elements made for an item already drawn (by key), and timer bars whose height changed in place.
    await page.evaluate(() => {
      const w = window as unknown as { __remade: Record<string, number>; __grown: number };
      w.__remade = {};
      w.__grown = 0;
      const observer = new MutationObserver((records) => {
        for (const r of records) {
          if (r.type === 'attributes') {
            if ((r.target as Element).getAttribute('class') === 'timer-bar' && r.attributeName === 'height') w.__grown++;
            continue;
          }
          const removed = new Set(Array.from(r.removedNodes, (n) => (n as Element).getAttribute?.('data-key')));
          for (const n of Array.from(r.addedNodes)) {
            const key = (n as Element).getAttribute?.('data-key');
            if (key && removed.has(key)) w.__remade[(n as Element).getAttribute('class')!] = (w.__remade[(n as Element).getAttribute('class')!] ?? 0) + 1;
          }
        }
      });
      observer.observe(document.getElementById('canvas')!, { subtree: true, childList: true, attributes: true });
    });
    for (let k = first; k < first + 60; k++) {
      await postToPage(page, traceMessage(doc, k, [doc.events[k]], k));
      await frame(page);
    }
    const counts = await page.evaluate(() => {
      const w = window as unknown as { __remade: Record<string, number>; __grown: number };
      return { remade: w.__remade, grown: w.__grown };
    });
    // Timer bars grew in place at the steps and none was made again (all 29 were made again before).
    assert.ok(counts.grown >= 10, JSON.stringify(counts));
    assert.deepEqual(Object.keys(counts.remade).filter((c) => c.includes('timer')), [], JSON.stringify(counts));
    // What is drawn in place is what a page given the same trace at once draws.
    const fresh = await builtPage(doc, first + 60);
    const [stepped, whole] = [(await page.evaluate(DRAWN_ITEMS)) as Record<string, string>, (await fresh.evaluate(DRAWN_ITEMS)) as Record<string, string>];
    const shared = Object.keys(stepped).filter((key) => key in whole);
    assert.ok(shared.length >= 20 && shared.some((key) => stepped[key].includes('timer-bar')), `${shared.length} items drawn in both`);
    for (const key of shared) assert.equal(stepped[key], whole[key], key);
    await fresh.close();
    await page.close();
  });
});

