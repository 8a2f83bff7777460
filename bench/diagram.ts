// Diagram figures: model and SVG build time for 10,000 segments in Node; in headless Chromium
// (Debian's /usr/bin/chromium), the webview's first render of that trace and the frame times
// while scrolling through it. Printed, never asserted. Goals: first render < 100 ms, 60 fps.
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { buildModel, ModelBuilder } from '../src/diagram/model';
import { renderSvg } from '../src/diagram/svg';
import { toMermaid } from '../src/diagram/mermaid';
import { compactTraceMessage } from '../src/diagram/messages';
import { syntheticTrace } from '../test/diagram/synthetic';
import { launchChromium, startHarness } from '../test/webview/harness';

const SEGMENTS = 10_000;

// Runs in the page (a string, so no build helper leaks into it): scrolls the viewport 90 px per
// animation frame, as a fast scroll does, and records each frame's timestamp.
const SCROLL_SCRIPT = `(async () => {
  const viewport = document.getElementById('viewport');
  viewport.scrollTop = 0;
  await new Promise((r) => requestAnimationFrame(r));
  const stamps = [];
  let maxItems = 0;
  await new Promise((resolve) => {
    function frame(t) {
      stamps.push(t);
      // The webview redraws on the scroll event this causes, within the next frame.
      viewport.scrollTop += 90;
      maxItems = Math.max(maxItems, document.querySelectorAll('#canvas [data-key]').length);
      if (stamps.length < 240 && viewport.scrollTop + viewport.clientHeight < viewport.scrollHeight) requestAnimationFrame(frame);
      else resolve();
    }
    requestAnimationFrame(frame);
  });
  return { intervals: stamps.slice(1).map((t, i) => t - stamps[i]), maxItems };
})()`;

function stats(values: number[]): { mean: number; p50: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { mean: values.reduce((a, b) => a + b, 0) / values.length, p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

function timeIt(runs: number, fn: () => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out;
}

export async function main(): Promise<void> {
  const doc = syntheticTrace(SEGMENTS);
  // Wall-clock figures mean little on a busy machine: say how busy it was, and give CPU time too.
  console.log(`machine: ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}`);
  console.log(`trace: ${SEGMENTS.toLocaleString('en-US')} segments, ${doc.events.length.toLocaleString('en-US')} events`);
  let model = buildModel(doc);
  const cpu0 = process.cpuUsage();
  const modelTimes = timeIt(10, () => (model = buildModel(doc)));
  const cpu = process.cpuUsage(cpu0);
  console.log(`model CPU time (node, incl. GC threads): ${ms((cpu.user + cpu.system) / 1000 / 10)} per build`);
  // The webview's incremental builder, as the debugger drives it: a step (one event appended), a
  // step back (one event dropped), and a re-sent tail of 20 events.
  const n = doc.events.length;
  const builder = new ModelBuilder();
  const growing = doc.events.slice(0, n - 200);
  builder.update({ ...doc, events: growing }, 0);
  const stepTimes = timeIt(100, () => {
    const from = growing.length;
    growing.push(doc.events[from]);
    builder.update({ ...doc, events: growing }, from);
  });
  const backTimes = timeIt(50, () => {
    const from = growing.length - 1;
    growing.length = from;
    builder.update({ ...doc, events: growing }, from);
  });
  const tailBuilder = new ModelBuilder();
  tailBuilder.update(doc, 0);
  const tailTimes = timeIt(20, () => tailBuilder.update(doc, n - 20));
  console.log(
    `model update (node, incremental): step p50 ${ms(stats(stepTimes).p50)}, step back p50 ${ms(stats(backTimes).p50)}, ` +
      `20 events re-sent p50 ${ms(stats(tailTimes).p50)}`,
  );
  let svg = '';
  const svgTimes = timeIt(5, () => (svg = renderSvg(model)));
  const mermaidTimes = timeIt(5, () => toMermaid(doc));
  console.log(`model (node):   p50 ${ms(stats(modelTimes).p50)}  (${model.items.length.toLocaleString('en-US')} items, ${Math.round(model.height).toLocaleString('en-US')} px tall)`);
  console.log(`SVG (node):     p50 ${ms(stats(svgTimes).p50)}  (${(svg.length / 1e6).toFixed(1)} MB)`);
  console.log(`Mermaid (node): p50 ${ms(stats(mermaidTimes).p50)}`);

  if (!existsSync('/usr/bin/chromium')) {
    console.log('webview: skipped (no /usr/bin/chromium)');
    return;
  }
  const harness = await startHarness();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(harness.url('light'));
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
    const message = { type: 'trace', from: 0, events: doc.events, current: -1, endpoints: doc.endpoints, scenario: doc.scenario, profile: doc.profile };
    // What the host posts for a trace this long: the events as one JSON text (src/vscode/diagramPanel.ts).
    const hostMessage = compactTraceMessage({ ...message, type: 'trace' });

    // What the browser alone spends on such a message (structured clone, dispatch): one the webview ignores.
    const postCost = (msg: unknown) =>
      page.evaluate(async (m) => {
        const t0 = performance.now();
        const handled = new Promise<number>((resolve) => window.addEventListener('message', () => resolve(performance.now()), { once: true }));
        window.postMessage({ ...(m as object), type: 'ignored-by-the-webview' }, '*');
        return (await handled) - t0;
      }, msg);
    const asObjects = await postCost(message);
    const asJson = await postCost(hostMessage);
    console.log(`browser's own cost of posting the message (clone + dispatch): ${ms(asObjects)} as event objects, ${ms(asJson)} as JSON text`);

    // First render: postMessage -> the webview's handler done (model + DOM), and -> the next frame painted.
    const first = await page.evaluate(async (msg) => {
      const t0 = performance.now();
      const handled = new Promise<number>((resolve) => window.addEventListener('message', () => resolve(performance.now()), { once: true }));
      window.postMessage(msg, '*');
      const t1 = await handled;
      await new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const painted = performance.now() - t0;
      const rendered = document.querySelectorAll('#canvas [data-key]').length;
      // A long trace is built in steps after the first screens: until the whole diagram is there.
      while (document.body.dataset.building === 'true') await new Promise<void>((resolve) => setTimeout(resolve, 1));
      return { handled: t1 - t0, painted, rendered, complete: performance.now() - t0 };
    }, hostMessage);
    console.log(
      `webview first render (the host's message): ${ms(first.handled)} to handle it (post, parse, model, DOM), ${ms(first.painted)} to the next frame; ` +
        `${first.rendered} items in the DOM; the whole diagram built (in steps) after ${ms(first.complete)}`,
    );

    // Update as the debugger does on a stop: re-send the tail of the trace and move the highlight.
    const update = await page.evaluate(async (msg) => {
      const times: number[] = [];
      for (let k = 0; k < 5; k++) {
        const from = msg.events.length - 20;
        const t0 = performance.now();
        const handled = new Promise<number>((resolve) => window.addEventListener('message', () => resolve(performance.now()), { once: true }));
        window.postMessage({ ...msg, from, events: msg.events.slice(from), current: msg.events.length - 1 - k }, '*');
        times.push((await handled) - t0);
      }
      return times.sort((a, b) => a - b)[2];
    }, message);
    console.log(`webview update (step: 20 new events, new highlight): p50 ${ms(update)}`);

    for (const zoomClicks of [0, 4]) {
      if (zoomClicks) for (let i = 0; i < zoomClicks; i++) await page.getByRole('button', { name: 'Zoom out' }).click();
      const zoomLabel = await page.locator('.zoom-label').textContent();
      const frames = (await page.evaluate(SCROLL_SCRIPT)) as { intervals: number[]; maxItems: number };
      const s = stats(frames.intervals);
      console.log(
        `scrolling at ${zoomLabel}: ${frames.intervals.length} frames, frame time mean ${ms(s.mean)} p95 ${ms(s.p95)} max ${ms(s.max)} => ${(1000 / s.mean).toFixed(0)} fps; ` +
          `at most ${frames.maxItems} items in the DOM`,
      );
    }
  } finally {
    await browser.close();
    await harness.close();
  }
}

// `node --import tsx bench/diagram.ts` runs it alone (bench/index.mts imports main()).
if (process.argv[1] && /bench[\\/]diagram\.ts$/.test(process.argv[1])) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
