// Three and four endpoints with crossing traffic, measured as Chromium draws them: every arrow
// label, state box, note, timer label and expectation mark of the panel (at a narrow, a default
// and a wide width) and of the exported SVG (what `tcpscenario render` writes) is taken from the
// real rendering (getBBox through getScreenCTM, so rotated labels stay rotated quadrilaterals),
// and no two may overlap by more than a pixel. test/diagram/endpoints.test.ts checks the same
// scenarios on the model with the layout's estimated text widths; this is where the real fonts decide.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { TraceDocument } from '../../src/engine/trace';
import type { HostMessage } from '../../src/diagram/messages';
import { buildModel, type DiagramModel } from '../../src/diagram/model';
import { runScenario } from '../../src/diagram/scenario';
import { renderSvg } from '../../src/diagram/svg';
import { textWidth } from '../../src/diagram/format';
import { overlap, type Point } from '../diagram/overlaps';
import { chromiumToUse, chromiumSuite } from './harness';

const root = join(import.meta.dirname, '..', '..');

const FILES = [
  'test/fixtures/diagram/three-endpoints.tcpscenario',
  'test/fixtures/diagram/four-endpoints.tcpscenario',
  'examples/15-two-clients.tcpscenario',
  'examples/19-time-wait-old-duplicates.tcpscenario',
  'examples/23-receive-window-vs-cwnd.tcpscenario',
  'examples/24-close-on-eof.tcpscenario',
];

/** Panel widths (px): narrow (the compact layout), a default editor panel, a wide one. */
const WIDTHS = [500, 800, 1400];

/** Touching within a pixel is not an overlap (anti-aliased edges, rounding of positions). */
const TOUCH_PX = 1;

function run(path: string): TraceDocument {
  const result = runScenario(readFileSync(join(root, path), 'utf8'));
  assert.ok(result.doc, path);
  return result.doc;
}

interface Measured {
  what: string;
  kind: string;
  corners: Point[];
}

/**
 * The boxes of what the reader reads, in screen pixels, under `selector` (the panel's canvas or
 * the exported SVG): each item group's text or box, as drawn (hidden ones left out).
 */
function measure(page: Page, selector: string): Promise<Measured[]> {
  // No named functions inside: tsx would wrap them in a helper the page does not have.
  return page.evaluate((sel) => {
    const out: { what: string; kind: string; corners: { x: number; y: number }[] }[] = [];
    const targets: [string, string][] = [
      ['arrow', ':scope > text.label'],
      ['state', ':scope > rect.state-box'],
      ['note-item', ':scope > text'],
      ['timer', ':scope > text.timer-label'],
      ['expect', ':scope > text'],
    ];
    for (const g of Array.from(document.querySelectorAll<SVGGElement>(`${sel} g.item[data-key]`))) {
      for (const [kind, child] of targets) {
        if (!g.classList.contains(kind)) continue;
        const el = g.querySelector<SVGGraphicsElement>(child);
        if (!el) continue;
        const style = getComputedStyle(el);
        if (style.display === 'none' || style.visibility === 'hidden') continue;
        // getBBox is in the element's own units, before its transform; the screen CTM adds it (a rotated label stays rotated).
        const b = el.getBBox();
        const m = el.getScreenCTM()!;
        const corners = [];
        for (const [x, y] of [
          [b.x, b.y],
          [b.x + b.width, b.y],
          [b.x + b.width, b.y + b.height],
          [b.x, b.y + b.height],
        ]) {
          corners.push({ x: m.a * x + m.c * y + m.e, y: m.b * x + m.d * y + m.f });
        }
        out.push({ what: `${kind} "${el.textContent ?? ''}" (${g.getAttribute('data-key')})`, kind, corners });
      }
    }
    return out;
  }, selector);
}

function overlaps(found: Measured[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < found.length; i++) {
    for (let j = i + 1; j < found.length; j++) {
      if (overlap(found[i].corners, found[j].corners, TOUCH_PX)) out.push(`${found[i].what} ${extent(found[i])} overlaps ${found[j].what} ${extent(found[j])}`);
    }
  }
  return out;
}

/** x0..x1 × y0..y1 of a measured box, for the message. */
function extent(m: Measured): string {
  const xs = m.corners.map((p) => p.x);
  const ys = m.corners.map((p) => p.y);
  const f = (n: number) => n.toFixed(1);
  return `[${f(Math.min(...xs))}..${f(Math.max(...xs))} × ${f(Math.min(...ys))}..${f(Math.max(...ys))}]`;
}

const count = (found: Measured[], kind: string) => found.filter((m) => m.kind === kind).length;

/**
 * Every arrow label and state box of the model was measured (a test that measured nothing would
 * pass). Zoomed out so far that 11 px text would be unreadable (the panel's lod-low), the panel
 * draws no labels: then there must be none.
 */
function assertComplete(found: Measured[], model: DiagramModel, where: string, labelsHidden = false): void {
  assert.equal(count(found, 'arrow'), labelsHidden ? 0 : model.items.filter((i) => i.kind === 'arrow').length, `${where}: every arrow label measured`);
  assert.equal(count(found, 'state'), model.items.filter((i) => i.kind === 'state').length, `${where}: every state box measured`);
}

/**
 * Why this Chromium cannot judge the layout, if it cannot: the layout estimates text for the
 * fixed-width font the diagram asks for (src/diagram/format.ts textWidth). A Chromium without any
 * monospace font (the bundled one on a bare machine) draws a proportional fallback with a taller
 * line box; measuring that would test the fallback font, not the layout. Judged by drawing narrow
 * and wide letters as a state box's text, in the picture under `selector`.
 */
async function fontMismatch(page: Page, selector: string): Promise<string | undefined> {
  const samples = ['iiiiiiiiii', 'MMMMMMMMMM'];
  const drawn = await page.evaluate(
    ([sel, texts]) => {
      const svg = document.querySelector(sel)?.closest('svg') ?? document.querySelector(sel);
      if (!svg) return undefined;
      return texts.map((text) => {
        const el = document.createElementNS('http://www.w3.org/2000/svg', 'text');
        el.setAttribute('class', 'state-text');
        el.textContent = text;
        svg.append(el);
        const width = el.getComputedTextLength();
        const size = parseFloat(getComputedStyle(el).fontSize);
        el.remove();
        return { text, width, size };
      });
    },
    [selector, samples] as const,
  );
  assert.ok(drawn, `${selector} is drawn`);
  for (const { text, width, size } of drawn) {
    const estimate = textWidth(text, size);
    if (Math.abs(width - estimate) > estimate * 0.06) {
      return `this Chromium draws "${text}" ${width.toFixed(1)} px wide, the layout's fixed-width estimate is ${estimate.toFixed(1)} px: no monospace font (install fonts-dejavu-core, or use Debian's chromium)`;
    }
  }
  return undefined;
}

async function post(page: Page, message: HostMessage): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), message);
  await page.waitForFunction(() => document.body.dataset.building !== 'true');
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

describe('three and four endpoints as Chromium draws them: nothing overlaps', { skip: chromiumToUse() ? false : 'no Chromium found (install chromium, or npm ci for @sparticuz/chromium; see test/webview/harness.ts)' }, () => {
  const suite = chromiumSuite();

  for (const file of FILES) {
    test(`${file} in the panel at ${WIDTHS.join(', ')} px`, async (t) => {
      const doc = run(file);
      for (const width of WIDTHS) {
        // Tall enough that the band the panel draws holds the whole diagram.
        const page = await suite.browser.newPage({ viewport: { width, height: 2400 } });
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(String(error)));
        await page.goto(suite.harness.url('light'));
        await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
        await post(page, { type: 'trace', from: 0, events: doc.events, current: -1, endpoints: doc.endpoints, scenario: doc.scenario, profile: doc.profile });
        const panel = await page.evaluate(() => ({ width: document.getElementById('viewport')!.offsetWidth, lodLow: document.getElementById('canvas')!.classList.contains('lod-low') }));
        const model = buildModel(doc, { width: panel.width - 16 });
        const mismatch = await fontMismatch(page, '#canvas svg.diagram');
        if (mismatch) {
          await page.close();
          return t.skip(mismatch);
        }
        const found = await measure(page, '#canvas');
        assertComplete(found, model, `${file} at ${width} px`, panel.lodLow);
        const bad = overlaps(found);
        assert.deepEqual(bad, [], `${file} at ${width} px: ${bad.length} overlaps`);
        assert.deepEqual(errors, []);
        await page.close();
      }
    });

    test(`${file} in the exported SVG`, async (t) => {
      const doc = run(file);
      const page = await suite.browser.newPage({ viewport: { width: 1400, height: 1000 } });
      // As `tcpscenario render` draws it: no width, the legend, tooltips.
      const model = buildModel(doc, {});
      const svg = renderSvg(model).replace(/^<\?xml[^>]*>\s*/, '');
      await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
      const mismatch = await fontMismatch(page, 'body > svg');
      if (mismatch) {
        await page.close();
        return t.skip(mismatch);
      }
      const found = await measure(page, 'body > svg');
      assertComplete(found, model, `${file} as SVG`);
      const bad = overlaps(found);
      assert.deepEqual(bad, [], `${file} as SVG: ${bad.length} overlaps`);
      await page.close();
    });
  }

  test('the measure finds a label moved onto a state box in the drawing', async () => {
    const doc = run(FILES[0]);
    const page = await suite.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const model = buildModel(doc, {});
    await page.setContent(`<!doctype html><html><body style="margin:0">${renderSvg(model).replace(/^<\?xml[^>]*>\s*/, '')}</body></html>`);
    // Move the first arrow's label onto the first state box, as a layout bug would.
    await page.evaluate(() => {
      const box = document.querySelector<SVGRectElement>('g.state rect.state-box')!;
      const label = document.querySelector<SVGTextElement>('g.arrow text.label')!;
      label.setAttribute('transform', '');
      label.setAttribute('x', String(Number(box.getAttribute('x')) + Number(box.getAttribute('width')) / 2));
      label.setAttribute('y', String(Number(box.getAttribute('y')) + Number(box.getAttribute('height')) / 2));
    });
    const bad = overlaps(await measure(page, 'body > svg'));
    assert.ok(bad.some((b) => /^arrow .* overlaps state |^state .* overlaps arrow /.test(b)), bad.join('\n'));
    await page.close();
  });
});
