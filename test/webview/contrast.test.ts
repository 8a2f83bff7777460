// The diagram panel under the colours VS Code gives a webview in its built-in themes (captured from a
// real VS Code, test/webview/theme-variables.json): every text at least 4.5:1 against what is behind
// it, every line the diagram is read by (arrows, lifelines, timer bars, the highlight) at least 3:1.
// The figures per theme go to test-artifacts/contrast.md.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { TraceDocument } from '../../src/engine/trace';
import type { HostMessage } from '../../src/diagram/messages';
import { runScenario } from '../../src/diagram/scenario';
import { EMPTY_PROBES, FOCUS_PROBES, GRAPH_PROBES, HIGH_CONTRAST_PROBES, HOVER_PROBES, PROBES, worst, measure, type Measured, type Probe } from './contrast';
import { THEME_VARIABLES, launchChromium, startHarness, type Harness } from './harness';

const root = join(import.meta.dirname, '..', '..');
const artifacts = join(root, 'test-artifacts');

/** Faults the examples do not show (a duplicate, a corrupted segment) and a failed expectation. */
const EVERY_MARK = `scenario "Every mark"
endpoint client 10.0.0.1:49152 isn=100
endpoint server 10.0.0.2:80 isn=300
@0      server listen
@0      client connect server
@1s     duplicate client -> server data once
        client send 100
@2s     corrupt client -> server data once
        client send 100
@5s     expect client is CLOSED
`;

function scenario(text: string): TraceDocument {
  const run = runScenario(text);
  assert.ok(run.doc, `the scenario runs: ${run.diagnostics.map((d) => d.template).join('; ')}`);
  return run.doc;
}

const DOCS = [
  ...['03-time-wait-lost-ack', '04-old-duplicate-syn', '12-keepalive-crashed-client'].map((name) => scenario(readFileSync(join(root, 'examples', `${name}.tcpscenario`), 'utf8'))),
  scenario(EVERY_MARK),
];

/** The time–sequence graph: slow start, a loss, fast recovery (every series but SACK). */
const GRAPH_DOC = scenario(readFileSync(join(root, 'examples', '20-slow-start-fast-recovery.tcpscenario'), 'utf8'));

function traceMessage(doc: TraceDocument, events: TraceDocument['events'], current: number): HostMessage {
  return { type: 'trace', from: 0, events, current, endpoints: doc.endpoints, scenario: doc.scenario, profile: doc.profile };
}

async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

async function post(page: Page, message: HostMessage): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), message);
  await page.waitForFunction(() => document.body.dataset.building !== 'true');
  await settle(page);
}

/** Everything the panel shows for a theme, measured: empty, each trace at a few highlighted events, hover, focus. */
async function measureTheme(browser: Browser, harness: Harness, theme: string, highContrast: boolean): Promise<Measured[]> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(harness.url(theme));
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
  const measured: Measured[] = [...(await measure(page, EMPTY_PROBES))];
  const probes: Probe[] = highContrast ? [...PROBES, ...HIGH_CONTRAST_PROBES] : PROBES;
  let legendOpened = false;
  let pressedLooksPressed: boolean | undefined;
  for (const doc of DOCS) {
    const events = doc.events;
    // While debugging: a segment in flight, highlighted.
    const inFlight = events.findIndex((e, i) => i > 0 && e.kind === 'send');
    await post(page, traceMessage(doc, events.slice(0, inFlight + 1), inFlight));
    if (!legendOpened) {
      await page.click('.toolbar .tool[aria-pressed="false"] >> text=/legend/i');
      legendOpened = true;
    }
    measured.push(...(await measure(page, probes)));
    pressedLooksPressed ??= await page.evaluate(() => {
      const look = (el: Element | null) => (el ? ['backgroundColor', 'borderTopColor', 'boxShadow', 'color'].map((p) => getComputedStyle(el)[p as 'color']).join() : '');
      return look(document.querySelector('.tool[aria-pressed="true"]')) !== look(document.querySelector('.tool[aria-pressed="false"]'));
    });
    // The whole run, highlighting a state change, then a timer.
    const transition = events.findIndex((e) => e.kind === 'transition' && e.to !== 'LISTEN');
    await post(page, traceMessage(doc, events, transition));
    measured.push(...(await measure(page, probes)));
    // A step that lands on an expectation (held, then failed): the band across its row.
    for (const ok of [true, false]) {
      const expectation = events.findIndex((e) => e.kind === 'expect' && e.ok === ok);
      if (expectation < 0) continue;
      await post(page, { type: 'current', current: expectation });
      measured.push(...(await measure(page, probes)));
    }
    const timer = events.findIndex((e) => e.kind === 'timer' && e.action === 'start');
    if (timer >= 0) {
      await post(page, { type: 'current', current: timer });
      measured.push(...(await measure(page, probes)));
    }
  }
  // Hover: an arrow (its tooltip) and a toolbar button.
  await page.hover('#canvas .arrow .hit');
  await page.waitForSelector('.tooltip:not(.hidden)');
  measured.push(...(await measure(page, HOVER_PROBES)));
  await page.hover('.toolbar .tool');
  measured.push(...(await measure(page, HOVER_PROBES)));
  // Keyboard focus on a toolbar button.
  await page.mouse.move(0, 799);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (let i = 0; i < 12 && !(await page.evaluate(() => document.activeElement?.matches('.tool:focus-visible'))); i++) await page.keyboard.press('Tab');
  measured.push(...(await measure(page, FOCUS_PROBES)));
  // The time–sequence graph, the fast retransmit highlighted; then the ladder again.
  const retx = GRAPH_DOC.events.findIndex((e) => e.kind === 'send' && e.retransmission);
  await post(page, traceMessage(GRAPH_DOC, GRAPH_DOC.events, retx));
  await page.click('.toolbar .view-tab[aria-pressed="false"] >> text=/sequence/i');
  await page.waitForFunction(() => (document.body.dataset.graphDirection ?? '') !== '');
  await settle(page);
  measured.push(...(await measure(page, GRAPH_PROBES)));
  await page.screenshot({ path: join(artifacts, `contrast-graph-${theme.replace(/\W+/g, '-').toLowerCase()}.png`) });
  await page.click('.toolbar .view-tab[aria-pressed="false"]');
  await settle(page);
  await page.screenshot({ path: join(artifacts, `contrast-${theme.replace(/\W+/g, '-').toLowerCase()}.png`) });
  await page.close();
  assert.deepEqual(errors, []);
  assert.equal(pressedLooksPressed, true, 'a pressed toggle (Legend, Relative seq/ack) looks different from a button that is not');
  return measured;
}

describe('contrast of the diagram panel in VS Code themes (WCAG 2.x)', () => {
  let browser: Browser;
  let harness: Harness;
  const report: string[] = [];

  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    harness = await startHarness();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await harness?.close();
    writeFileSync(join(artifacts, 'contrast.md'), `${report.join('\n')}\n`);
  });

  test('the captured themes are current: every colour media/webview.css uses was captured', () => {
    const css = readFileSync(join(root, 'media', 'webview.css'), 'utf8');
    const used = [...new Set([...css.matchAll(/var\(--vscode-([\w-]+)/g)].map((m) => m[1]))].filter((name) => !/font/i.test(name));
    for (const [theme, { variables }] of Object.entries(THEME_VARIABLES)) {
      const missing = used.filter((name) => !(name in variables));
      assert.deepEqual(missing, [], `${theme}: run node scripts/capture-theme-variables.mjs`);
    }
    const kinds = new Set(Object.values(THEME_VARIABLES).map((t) => t.kind));
    assert.deepEqual([...kinds].sort(), ['dark', 'hcDark', 'hcLight', 'light']);
  });

  for (const [theme, { kind }] of Object.entries(THEME_VARIABLES)) {
    test(`${theme}: text 4.5:1, diagram lines 3:1`, async () => {
      const measured = await measureTheme(browser, harness, theme, kind === 'hcDark' || kind === 'hcLight');
      const byName = worst(measured);
      const all = [...PROBES, ...HIGH_CONTRAST_PROBES, ...HOVER_PROBES, ...FOCUS_PROBES, ...EMPTY_PROBES, ...GRAPH_PROBES];
      report.push(`## ${theme}`, '', '| element | lowest ratio | colour on backdrop | at |', '| --- | --- | --- | --- |');
      for (const [name, m] of byName) report.push(`| ${name} | ${m.ratio.toFixed(2)} | ${m.fg} on ${m.bg} | ${m.what.replace(/\|/g, '/')} |`);
      report.push('');
      // Every probe found something to measure (a probe that matches nothing proves nothing).
      const expected = all.filter((p) => (kind === 'hcDark' || kind === 'hcLight') || !HIGH_CONTRAST_PROBES.includes(p)).map((p) => p.name);
      assert.deepEqual(expected.filter((name) => !byName.has(name)), [], 'probes that matched no element');
      const failures = [...byName.values()]
        .filter((m) => m.ratio < (all.find((p) => p.name === m.name)?.min ?? 0))
        .map((m) => `${m.name}: ${m.ratio.toFixed(2)} (${m.fg} on ${m.bg}, ${m.what})`);
      assert.deepEqual(failures, []);
    });
  }
});
