// The diagram's first frame and scrolling, in counts (never in time): the first message of a long
// trace draws the items in view and nothing else before the first paint (the rest of the band
// and of the model come in the next frames and idle steps), and a scroll makes each item once and
// changes only the chunks at the band's edges (media/chunks.ts), never the layers as large as the
// diagram. Skipped, with a message, when no Chromium is found.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostMessage } from '../../src/diagram/messages';
import { buildModel } from '../../src/diagram/model';
import { DiagramFeed } from '../../src/diagram/feed';
import { chromiumSuite } from './harness';
import { postToPage, waitForPosted } from './page';
import { syntheticTrace } from '../diagram/synthetic';

const PANEL = { width: 1280, height: 800 };

// Runs in the page: scrolls 90 px a frame (as a fast scroll does) and counts, from a
// MutationObserver on the canvas, the items made, the chunks changed in each frame and any change
// to the layers as large as the diagram.
const SCROLL_COUNTS = `new Promise((resolve) => {
  const viewport = document.getElementById('viewport');
  const canvas = document.getElementById('canvas');
  let added = 0;
  const keys = new Set();
  let changed = new Set();
  let wholeChanged = 0;
  const observe = (records) => {
    for (const r of records) {
      if (r.target.closest('svg.whole')) wholeChanged++;
      const chunk = r.target.closest('svg.chunk');
      if (chunk && r.type === 'childList') changed.add(chunk);
      for (const node of r.addedNodes) {
        const key = node.getAttribute && node.getAttribute('data-key');
        if (key === null || key === undefined) continue;
        added++;
        keys.add(key);
      }
    }
  };
  const observer = new MutationObserver(observe);
  observer.observe(canvas, { subtree: true, childList: true, attributes: true });
  const chunksPerFrame = [];
  let frames = 0;
  const step = () => {
    observe(observer.takeRecords());
    chunksPerFrame.push(changed.size);
    changed = new Set();
    if (++frames < 120 && viewport.scrollTop + viewport.clientHeight < viewport.scrollHeight) {
      viewport.scrollTop += 90;
      requestAnimationFrame(step);
    } else {
      observer.disconnect();
      resolve({ frames, added, distinct: keys.size, chunksPerFrame, wholeChanged, chunks: canvas.querySelectorAll('svg.chunk').length });
    }
  };
  requestAnimationFrame(step);
})`;

describe('diagram first frame and scrolling, in counts (Chromium)', () => {
  const suite = chromiumSuite();

  test('the first message of a long trace draws the items in view only, before the first paint; the rest comes in steps', async () => {
    const doc = syntheticTrace(4000);
    const page = await suite.browser.newPage({ viewport: PANEL });
    await page.goto(suite.harness.url('light'));
    await waitForPosted(page, 'ready');
    const messages: HostMessage[] = [];
    new DiagramFeed((m) => messages.push(m)).trace({ from: 0, events: doc.events, current: -1, endpoints: doc.endpoints, scenario: doc.scenario, profile: doc.profile });
    // Read in the message's own task (a listener after the page's): what the first frame paints.
    const first = await page.evaluate(
      (m) =>
        new Promise<{ keys: string[]; building: string; viewHeight: number; width: number }>((resolve) => {
          window.addEventListener(
            'message',
            () => {
              const viewport = document.getElementById('viewport')!;
              resolve({
                keys: Array.from(document.querySelectorAll('#canvas [data-key]'), (el) => el.getAttribute('data-key')!),
                building: document.body.dataset.building ?? '',
                viewHeight: viewport.clientHeight,
                width: viewport.offsetWidth,
              });
            },
            { once: true },
          );
          window.postMessage(m, '*');
        }),
      messages[0],
    );
    assert.equal(first.building, 'true', 'the rest is built in steps');
    // The whole model as the page lays it out (its width less the scrollbar's room, at 100 %).
    const model = buildModel({ events: doc.events, endpoints: doc.endpoints }, { width: first.width - 16 });
    const inView = new Set(model.items.filter((i) => i.y1 >= 0 && i.y0 <= first.viewHeight).map((i) => i.key));
    const outside = first.keys.filter((k) => !inView.has(k));
    assert.deepEqual(outside, [], 'nothing outside the view is drawn in the first frame');
    // The items in view are all there (those at the very bottom may wait for a later event that moves them).
    assert.ok(first.keys.length >= inView.size * 0.9, `${first.keys.length} of the ${inView.size} items in view drawn`);
    await page.close();
  });

  test('scrolling makes each item once and changes only the chunks at the band edges, never the whole-diagram layers', async () => {
    const doc = syntheticTrace(3000);
    const page = await suite.browser.newPage({ viewport: PANEL });
    await page.goto(suite.harness.url('light'));
    await waitForPosted(page, 'ready');
    const feed = new DiagramFeed((m) => void postToPage(page, m));
    feed.trace({ from: 0, events: doc.events, current: -1, endpoints: doc.endpoints, scenario: doc.scenario, profile: doc.profile });
    let asked = 0;
    while ((await page.evaluate(() => document.body.dataset.events)) !== String(doc.events.length) || (await page.evaluate(() => document.body.dataset.building)) !== 'false') {
      const more = await page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'more').length);
      if (more > asked) {
        asked = more;
        feed.more();
      } else await page.waitForTimeout(20);
    }
    // A string: tsx would wrap named functions in a helper the page does not have.
    const counts = (await page.evaluate(SCROLL_COUNTS)) as { frames: number; added: number; distinct: number; chunksPerFrame: number[]; wholeChanged: number; chunks: number };
    assert.ok(counts.frames >= 100 && counts.added > 100, `${counts.frames} frames, ${counts.added} items made`);
    assert.equal(counts.added, counts.distinct, 'no item is made twice while scrolling one way');
    assert.equal(counts.wholeChanged, 0, 'the layers as large as the diagram (lifelines, now line) are left alone');
    // The band gains items below and loses them above: a frame changes the chunks there (two
    // layers; an item leaving at the top may have its top a chunk higher), not the others.
    const most = Math.max(...counts.chunksPerFrame);
    assert.ok(most <= 8 && most < counts.chunks, `at most ${most} of ${counts.chunks} chunks changed in a frame: ${counts.chunksPerFrame.join(',')}`);
    await page.close();
  });
});
