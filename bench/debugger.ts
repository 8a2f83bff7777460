// The debugger with the diagram open, as VS Code runs it: the built standalone adapter over
// stdio, the panel host's forwarding (src/diagram/feed.ts, what src/vscode/diagramPanel.ts
// does with each `tcpTrace`), and the webview page in headless Chromium, on a scenario of more
// than 100,000 events. Measures the first stop at event ~100,000 (configurationDone -> the
// diagram painted) and each Step Into after it (the adapter's stop reaching the host -> the
// webview's next painted frame); and, for reference, the adapter alone.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Page } from 'playwright-core';
import { compile } from '../src/language/index';
import { Simulation } from '../src/engine/index';
import { DiagramFeed } from '../src/diagram/feed';
import type { HostMessage } from '../src/diagram/messages';
import type { TraceEvent } from '../src/engine/trace';
import { Harness } from '../test/debug/harness';
import { launchChromium, startHarness } from '../test/webview/harness';
import { relay } from './diagram';
import { detail, figure, percentile, row, type Row } from './report';
import { periodicTransfer } from './scenarios';

const TARGET_EVENT = 100_000;
const STEPS = 300;
/** Frames as soon as they are ready (no wait for a 60 Hz vsync): the painted frame follows the work. */
const NO_VSYNC = ['--disable-frame-rate-limit', '--disable-gpu-vsync'];
/** A panel beside the editor: the compact layout. */
const PANEL = { width: 600, height: 800 };

/** Installs, after the webview's own listener, marks of when each trace message was handled and the next frame painted. */
const INSTRUMENT = `(() => {
  window.__marks = [];
  let arrived = 0;
  // Capturing: before the webview's own listener.
  window.addEventListener('message', () => (arrived = performance.timeOrigin + performance.now()), { capture: true });
  window.addEventListener('message', (e) => {
    if (!e.data || e.data.type !== 'trace') return;
    const handled = performance.timeOrigin + performance.now();
    const start = arrived;
    requestAnimationFrame(() => setTimeout(() => window.__marks.push({ arrived: start, handled, painted: performance.timeOrigin + performance.now() }), 0));
  });
})()`;

interface Mark {
  arrived: number;
  handled: number;
  painted: number;
}

/** Node's clock minus the page's (epoch ms), from the round trip with the least delay. */
async function clockOffset(page: Page): Promise<number> {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 20; i++) {
    const t1 = performance.timeOrigin + performance.now();
    const tp = await page.evaluate(() => performance.timeOrigin + performance.now());
    const t2 = performance.timeOrigin + performance.now();
    if (t2 - t1 < best.rtt) best = { rtt: t2 - t1, offset: (t1 + t2) / 2 - tp };
  }
  return best.offset;
}

async function nextMark(page: Page, count: number): Promise<Mark> {
  await page.waitForFunction((n) => (window as unknown as { __marks: unknown[] }).__marks.length >= n, count, { polling: 1 });
  return page.evaluate((n) => (window as unknown as { __marks: Mark[] }).__marks[n - 1], count);
}

export async function main(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tcpscenario-bench-'));
  const file = join(dir, 'long.tcpscenario');
  const text = periodicTransfer(20_000);
  writeFileSync(file, text);
  const rows: Row[] = [];
  const server = await startHarness();
  const browser = await launchChromium(NO_VSYNC);
  try {
    // The first statement that begins at or after event 100,000: a breakpoint there.
    const { program, diagnostics } = compile(text);
    if (!program) throw new Error(`generated scenario does not compile: ${diagnostics[0]?.message}`);
    const sim = new Simulation(program);
    sim.run(TARGET_EVENT);
    const next = sim.view().nextStatement;
    if (!next) throw new Error('the generated scenario is too short');
    const total = sim.trace.length + sim.run();
    detail(`scenario: ${program.statements.length} statements, ${total} events; breakpoint on line ${next.line}`);

    const page = await browser.newPage({ viewport: PANEL });
    await page.goto(server.url('light'));
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
    await page.evaluate(INSTRUMENT);
    const offset = await clockOffset(page);

    const h = new Harness();
    await h.start();
    // The panel host: every tcpTrace goes on to the page as the extension posts it.
    let received = 0;
    let messages = 0;
    let open = true;
    let lastPosted: HostMessage | undefined;
    const forwarded: Promise<unknown>[] = [];
    const feed = new DiagramFeed((message: HostMessage) => {
      if (message.type === 'trace') messages++;
      lastPosted = message;
      forwarded.push(page.evaluate((m) => window.postMessage(m, '*'), message));
    });
    // What the panel host does with each stop: keep it, post it, and fetch earlier events from the adapter as the page asks.
    const fetchEvents = async (from: number, to: number) => ((await h.dc.customRequest('tcpTrace', { from, to })).body as { events: TraceEvent[] }).events;
    h.dc.on('tcpTrace', (event: DebugProtocol.Event) => {
      if (!open) return;
      received = performance.timeOrigin + performance.now();
      feed.trace(event.body, 'file:///long.tcpscenario', undefined, fetchEvents);
    });
    try {
      // First stop: configurationDone -> the diagram of 100,000 events painted.
      await h.dc.initializeRequest({ adapterID: 'tcpscenario', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
      const launched = h.dc.launchRequest({ program: file } as DebugProtocol.LaunchRequestArguments);
      await Promise.race([h.next('initialized'), launched]);
      await h.dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [{ line: next.line }] });
      const configured = performance.timeOrigin + performance.now();
      await h.dc.configurationDoneRequest();
      await launched;
      await h.stopped();
      const first = await nextMark(page, messages);
      const firstStop = first.painted + offset - configured;
      await Promise.all(forwarded);
      detail(
        `first stop at event ${h.current}: ${firstStop.toFixed(0)} ms from configurationDone to the painted diagram: the adapter's tcpTrace (${h.lastTrace?.events.length} events) ` +
          `reached the host after ${(received - configured).toFixed(0)} ms, the page had the host's message after ${(first.arrived + offset - configured).toFixed(0)} ms`,
      );
      rows.push(
        row({
          id: 'debugger.firstStop',
          goal: `First stop at event ${h.current.toLocaleString('en-US')}: configurationDone -> diagram painted`,
          unit: 'ms',
          measured: figure([firstStop]),
          target: { compare: 'value', below: 300 },
        }),
      );
      await h.dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [] });
      // The rest of the window (earlier events, as the page asks) and its build, before timing steps.
      const relayed = performance.now();
      await relay(page, feed, () => (lastPosted?.type === 'trace' || lastPosted?.type === 'earlier') && lastPosted.more === true);
      await page.waitForFunction(() => document.body.dataset.building === 'false', undefined, { timeout: 120_000, polling: 20 });
      detail(`then the earlier events it holds (${(await page.evaluate(() => document.body.dataset.events)) ?? '?'} in all), built behind the window in ${(performance.now() - relayed).toFixed(0)} ms`);

      const step = async () => {
        const before = messages;
        const stopped = h.next('stopped');
        await h.dc.stepInRequest({ threadId: 1 });
        await stopped;
        const mark = await nextMark(page, before + 1);
        return { total: mark.painted + offset - received, transport: mark.arrived + offset - received, webview: mark.handled - mark.arrived };
      };
      for (let i = 0; i < 30; i++) await step();
      const totals: number[] = [];
      const transport: number[] = [];
      const webview: number[] = [];
      for (let i = 0; i < STEPS; i++) {
        const s = await step();
        totals.push(s.total);
        transport.push(s.transport);
        webview.push(s.webview);
      }
      const p50 = percentile(totals, 50);
      const p99 = percentile(totals, 99);
      const p = (values: number[], q: number) => percentile(values, q).median.toFixed(2);
      detail(
        `Step Into at event ${h.current}: stop -> painted p50 ${p50.median.toFixed(2)} ms, p99 ${p99.median.toFixed(2)} ms; of which host + post to the page ` +
          `p50 ${p(transport, 50)} ms, the webview's handler p50 ${p(webview, 50)} ms p99 ${p(webview, 99)} ms (${STEPS} steps; Chromium without vsync)`,
      );
      rows.push(
        row({ id: 'debugger.step.p50', goal: `Step Into at event ${h.current.toLocaleString('en-US')} with the diagram open, p50 (stop -> painted frame)`, unit: 'ms', measured: p50, target: { compare: 'value', below: 5 } }),
        row({ id: 'debugger.step.p99', goal: 'Step Into with the diagram open, p99', unit: 'ms', measured: p99, target: { compare: 'value', below: 16 } }),
      );
      await adapterAlone(h);
      open = false;
      await Promise.allSettled(forwarded);
    } finally {
      open = false;
      await h.stop();
    }
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/** The adapter alone (request -> stopped), for reference. */
async function adapterAlone(h: Harness): Promise<void> {
  const timed = async (request: () => Promise<unknown>) => {
    const start = performance.now();
    const stopped = h.next('stopped');
    await request();
    await stopped;
    return performance.now() - start;
  };
  const into: number[] = [];
  const back: number[] = [];
  for (let i = 0; i < 100; i++) into.push(await timed(() => h.dc.stepInRequest({ threadId: 1 })));
  for (let i = 0; i < 100; i++) back.push(await timed(() => h.dc.stepBackRequest({ threadId: 1 })));
  detail(`adapter alone (request -> stopped, with the diagram following): Step Into p50 ${percentile(into, 50).median.toFixed(2)} ms, Step Back p50 ${percentile(back, 50).median.toFixed(2)} ms`);
}

if (process.argv[1] && /bench[\\/]debugger\.ts$/.test(process.argv[1])) {
  main().then(
    (rows) => console.log(JSON.stringify(rows, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
