// The debugger with the diagram open, as VS Code runs it: the built standalone adapter over
// stdio, the panel host's forwarding (src/diagram/feed.ts, what src/vscode/diagramPanel.ts
// does with each `tcpTrace`), and the webview page in headless Chromium, on a scenario of more
// than 100,000 events. Measures the first stop at event ~100,000 (configurationDone -> the
// diagram painted) and each Step Into after it (the adapter's stop reaching the host -> the
// webview's next painted frame); and, for reference, the adapter alone. Each is split into the
// host's work, the post to the page (page.evaluate with JSON text: it stands in for VS Code's
// webview.postMessage, whose cost is not measured here), the webview's handler and the frame.
// Fixed on 2026-12-02 (the earlier figures include these): the message went as an object through
// Playwright's serializer (postAsJson says why; both are printed); the arrival mark ran after the
// webview's handler ("handler 0.00 ms"); steps were timed while the window's earlier events were
// still built behind it (idle tasks of up to 20 ms); the bench polled the page every millisecond.
// Since 2026-12-02 (later): the host's part ends when the host calls post (it included
// JSON.stringify and Playwright's own work in page.evaluate, which belong to the post, as VS Code's
// postMessage serializes the message itself); the total is unchanged. stderr also says at how many
// steps a chunk of the ladder was made or dropped (media/chunks.ts: a new region is painted then).
// Until the ladder was drawn in chunks it counted the canvas's viewBox changes (the band moving,
// which re-rastered the whole band); the canvas has no viewBox since, so that count read 0. TCPSCENARIO_BENCH_TRACE=file.json writes a Chromium trace of the timed
// steps (devtools.timeline, cc, viz: where a step's frame goes; open it in chrome://tracing or Perfetto)
// and prints what it shows per step, with the main frames Chromium aborted.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Browser, Page } from 'playwright-core';
import { compile } from '../src/language/index';
import { Simulation } from '../src/engine/index';
import { DiagramFeed } from '../src/diagram/feed';
import type { HostMessage } from '../src/diagram/messages';
import type { TraceEvent } from '../src/engine/trace';
import { Harness } from '../test/debug/harness';
import { launchChromium, startHarness, type Harness as PageServer } from '../test/webview/harness';
import { relay } from './diagram';
import { detail, figure, percentile, row, type Row } from './report';
import { periodicTransfer } from './scenarios';

const TARGET_EVENT = 100_000;
const STEPS = 300;
/** Sessions timed for the first stop (a fresh adapter and page each). */
const FIRST_STOPS = 5;
/** Frames as soon as they are ready (no wait for a 60 Hz vsync): the painted frame follows the work. */
/** A distribution's p50 and p99 (ms), as stderr prints them. */
const p50p99 = (values: number[]) => `p50 ${percentile(values, 50).median.toFixed(2)} ms p99 ${percentile(values, 99).median.toFixed(2)} ms`;

const NO_VSYNC = ['--disable-frame-rate-limit', '--disable-gpu-vsync'];
/** A panel beside the editor: the compact layout. */
const PANEL = { width: 600, height: 800 };

/**
 * Before the page's own scripts (page.addInitScript): when each message reaches the page. Listeners
 * on `window` run in the order they were added, capturing or not (Chromium 156), so a listener
 * added after the page loaded ran after the webview's handler and timed nothing (the figure was
 * "handler 0.00 ms" while the handler took 1-2 ms).
 */
const ARRIVAL = `(() => {
  window.__arrived = 0;
  window.addEventListener('message', () => (window.__arrived = performance.timeOrigin + performance.now()));
})()`;

/**
 * After the webview's listener: when its handler was done with a trace message and when the next
 * frame was painted (rAF, then a task after the frame). A waiter is woken at each mark: the bench
 * waits without polling the page (polling every millisecond ran in the page while it stepped).
 */
const INSTRUMENT = `(() => {
  window.__marks = [];
  window.__waiters = [];
  window.__chunkChanges = 0;
  const chunks = new MutationObserver(() => window.__chunkChanges++);
  for (const layer of document.querySelectorAll('#canvas .chunks')) chunks.observe(layer, { childList: true });
  window.addEventListener('message', (e) => {
    if (!e.data || e.data.type !== 'trace') return;
    const handled = performance.timeOrigin + performance.now();
    const arrived = window.__arrived;
    requestAnimationFrame(() => setTimeout(() => {
      window.__marks.push({ arrived, handled, painted: performance.timeOrigin + performance.now() });
      for (const wake of window.__waiters.splice(0)) wake();
    }, 0));
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

/** The `count`th mark, once it is made (the page answers when it is; a string, as tsx would wrap a named arrow in a helper the page lacks). */
function nextMark(page: Page, count: number): Promise<Mark> {
  return page.evaluate(`new Promise((resolve) => {
    const check = () => (window.__marks.length >= ${count} ? resolve(window.__marks[${count - 1}]) : window.__waiters.push(check));
    check();
  })`) as Promise<Mark>;
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

    // The first stop runs in a fresh adapter and page each time (its JIT and caches cold, as
    // when a user presses F5): FIRST_STOPS sessions; the last one goes on to the steps. Until
    // 2026-12-02 the row was one session (n=1), which moved by 100 ms from run to run.
    const firstStops: number[] = [];
    for (let i = 0; i < FIRST_STOPS; i++) {
      const last = i === FIRST_STOPS - 1;
      const { firstStop, event, rows: stepRows } = await session(browser, server, file, next.line, last);
      firstStops.push(firstStop);
      if (last) {
        rows.push(
          row({
            id: 'debugger.firstStop',
            goal: `First stop at event ${event.toLocaleString('en-US')}: configurationDone -> diagram painted`,
            unit: 'ms',
            measured: figure(firstStops),
            target: { compare: 'value', below: 300 },
          }),
          ...stepRows,
        );
      }
    }
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/** What one session measured: its first stop (ms, and the event it stopped at), and the `last` session's rows. */
interface SessionFigures {
  firstStop: number;
  event: number;
  rows: Row[];
}

/**
 * One debug session with the panel open: the first stop, and, in the `last` session only, the steps
 * after it and the transports' and adapter's references.
 */
async function session(browser: Browser, server: PageServer, file: string, line: number, last: boolean): Promise<SessionFigures> {
  const rows: Row[] = [];
  const page = await browser.newPage({ viewport: PANEL });
  await page.addInitScript(ARRIVAL);
  await page.goto(server.url('light'));
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
  await page.evaluate(INSTRUMENT);
  const offset = await clockOffset(page);

  const h = new Harness();
  await h.start();
  // The panel host: every tcpTrace goes on to the page as the extension posts it.
  let received = 0;
  /** The host's own work on the last tcpTrace (checking, keeping, the message to post). */
  let hostMs = 0;
  /** The first message's size (the events the page gets at the first stop). */
  let firstPost: { events: number; chars: number; message: HostMessage } | undefined;
  let messages = 0;
  let open = true;
  let lastPosted: HostMessage | undefined;
  /** When the host last called post (its work ends there). */
  let postCalled = 0;
  const forwarded: Promise<unknown>[] = [];
  const feed = new DiagramFeed((message: HostMessage) => {
    postCalled = performance.timeOrigin + performance.now();
    if (message.type === 'trace') messages++;
    if (message.type === 'trace' && !firstPost) firstPost = { events: message.eventsJson ? (JSON.parse(message.eventsJson) as unknown[]).length : message.events.length, chars: JSON.stringify(message).length, message };
    lastPosted = message;
    forwarded.push(postAsJson(page, message));
  });
  // What the panel host does with each stop: keep it, post it, and fetch earlier events from the adapter as the page asks.
  const fetchEvents = async (from: number, to: number) => ((await h.dc.customRequest('tcpTrace', { from, to })).body as { events: TraceEvent[] }).events;
  h.dc.on('tcpTrace', (event: DebugProtocol.Event) => {
    if (!open) return;
    received = performance.timeOrigin + performance.now();
    postCalled = 0;
    feed.trace(event.body, 'file:///long.tcpscenario', undefined, fetchEvents);
    hostMs = (postCalled || performance.timeOrigin + performance.now()) - received;
  });
  try {
    // First stop: configurationDone -> the diagram of 100,000 events painted.
    await h.dc.initializeRequest({ adapterID: 'tcpscenario', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const launched = h.dc.launchRequest({ program: file } as DebugProtocol.LaunchRequestArguments);
    await Promise.race([h.next('initialized'), launched]);
    await h.dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [{ line }] });
    const configured = performance.timeOrigin + performance.now();
    const painted = nextMark(page, 1);
    await h.dc.configurationDoneRequest();
    await launched;
    await h.stopped();
    const first = await painted;
    const firstStop = first.painted + offset - configured;
    await Promise.all(forwarded);
    const ms = (x: number) => `${x.toFixed(0)} ms`;
    detail(
      `first stop at event ${h.current}: ${ms(firstStop)} from configurationDone to the painted diagram: the adapter's tcpTrace (${h.lastTrace?.events.length} events) ` +
        `reached the host after ${ms(received - configured)}; the host's work ${hostMs.toFixed(1)} ms; the post to the page (${firstPost?.events} events, ` +
        `${Math.round((firstPost?.chars ?? 0) / 1024)} KiB) ${ms(first.arrived + offset - received - hostMs)}; the webview's handler ${ms(first.handled - first.arrived)}; ` +
        `then the frame ${ms(first.painted - first.handled)}`,
    );
    const event = h.current;
    if (!last) return { firstStop, event, rows: [] };
    await h.dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [] });
    // The rest of the window (earlier events, as the page asks) and its build, before timing steps.
    const relayed = performance.now();
    await relay(page, feed, () => (lastPosted?.type === 'trace' || lastPosted?.type === 'earlier') && lastPosted.more === true);
    // The last part must have reached the page before its `building` flag is read (stepping
    // while the earlier events were still built timed the build's idle tasks, up to 20 ms each).
    await Promise.all(forwarded);
    await page.waitForFunction(() => document.body.dataset.building === 'false', undefined, { timeout: 120_000, polling: 20 });
    detail(`then the earlier events it holds (${(await page.evaluate(() => document.body.dataset.events)) ?? '?'} in all), built behind the window in ${(performance.now() - relayed).toFixed(0)} ms`);

    const step = async () => {
      const painted = nextMark(page, messages + 1);
      const stopped = h.next('stopped');
      await h.dc.stepInRequest({ threadId: 1 });
      await stopped;
      const mark = await painted;
      return {
        total: mark.painted + offset - received,
        host: hostMs,
        post: mark.arrived + offset - received - hostMs,
        webview: mark.handled - mark.arrived,
        frame: mark.painted - mark.handled,
      };
    };
    for (let i = 0; i < 30; i++) await step();
    const tracePath = process.env.TCPSCENARIO_BENCH_TRACE;
    if (tracePath) await browser.startTracing(page, { path: tracePath, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.frame', 'toplevel', 'v8', 'blink', 'cc', 'viz'] });
    const chunkChanges = (await page.evaluate('window.__chunkChanges')) as number;
    const totals: number[] = [];
    const parts = { host: [] as number[], post: [] as number[], webview: [] as number[], frame: [] as number[] };
    for (let i = 0; i < STEPS; i++) {
      const s = await step();
      totals.push(s.total);
      for (const key of ['host', 'post', 'webview', 'frame'] as const) parts[key].push(s[key]);
    }
    if (tracePath) {
      await browser.stopTracing();
      frameWaits(tracePath);
    }
    const chunked = ((await page.evaluate('window.__chunkChanges')) as number) - chunkChanges;
    const p50 = percentile(totals, 50);
    const p99 = percentile(totals, 99);
    detail(
      `Step Into at event ${h.current}: stop -> painted p50 ${p50.median.toFixed(2)} ms, p99 ${p99.median.toFixed(2)} ms (${STEPS} steps; Chromium without vsync); of which ` +
        `the host's work ${p50p99(parts.host)}, the post to the page (page.evaluate with JSON text, standing in for webview.postMessage) ${p50p99(parts.post)}, ` +
        `the webview's handler ${p50p99(parts.webview)}, its end -> the painted frame ${p50p99(parts.frame)}; a chunk of the ladder was made or dropped at ${chunked} of the ${STEPS} steps`,
    );
    rows.push(
      row({ id: 'debugger.step.p50', goal: `Step Into at event ${h.current.toLocaleString('en-US')} with the diagram open, p50 (stop -> painted frame)`, unit: 'ms', measured: p50, target: { compare: 'value', below: 5 } }),
      row({ id: 'debugger.step.p99', goal: 'Step Into with the diagram open, p99', unit: 'ms', measured: p99, target: { compare: 'value', below: 16 } }),
    );
    await transports(page, firstPost?.message, lastPosted);
    await adapterAlone(h);
    open = false;
    await Promise.allSettled(forwarded);
    return { firstStop, event, rows };
  } finally {
    open = false;
    await h.stop();
    await page.close();
  }
}

/** A Chromium trace event (the fields read here). */
interface TraceRecord {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

/**
 * From the steps' Chromium trace: the page's main-thread work per step (the message's handler and
 * the next main frame) and how long the idle main thread waited between the two for Chromium to
 * begin that frame (its frame scheduler, not the page's work).
 */
function frameWaits(path: string): void {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { traceEvents?: TraceRecord[] } | TraceRecord[];
  const records = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const thread = (r: TraceRecord) => `${r.pid}:${r.tid}`;
  const main = records.find((r) => r.ph === 'M' && r.name === 'thread_name' && r.args?.name === 'CrRendererMain');
  if (!main) return detail('steps trace: no renderer main thread');
  const on = (name: string) => records.filter((r) => r.ph === 'X' && r.name === name && thread(r) === thread(main)).sort((a, b) => a.ts - b.ts);
  const frames = on('ProxyMain::BeginMainFrame');
  const work: number[] = [];
  const waits: number[] = [];
  for (const post of on('HandlePostMessage')) {
    if ((post.dur ?? 0) < 300) continue; // a bench message, not a step's
    const end = post.ts + (post.dur ?? 0);
    const frame = frames.find((f) => f.ts >= end);
    if (!frame) continue;
    work.push(((post.dur ?? 0) + (frame.dur ?? 0)) / 1000);
    waits.push((frame.ts - end) / 1000);
  }
  // A main frame the page asked for and changed nothing in: Chromium aborts it, and a step arriving
  // in the same frame interval waits for the next one (a step's own scroll did that until 2026-12-02).
  const aborted = on('MainFrameAborted').length;
  detail(
    `steps trace: the page's main-thread work per step (handler + its frame) ${p50p99(work)}; waiting idle for Chromium to begin the frame ${p50p99(waits)}, more than 5 ms at ${waits.filter((w) => w > 5).length} of ${waits.length} steps; ` +
      `main frames aborted (asked for, nothing changed) ${aborted}`,
  );
}

/**
 * The post to the page, as VS Code's webview.postMessage carries it: JSON text across (the
 * extension host serializes a message to JSON for its IPC) and an object in the page. Until
 * 2026-12-02 the bench passed the message object to page.evaluate, whose serializer walks every
 * value: 10-15 times the time of the JSON text for the first stop's 301 events, which measured
 * Playwright, not VS Code; `transports` prints both for the same messages.
 */
function postAsJson(page: Page, message: HostMessage): Promise<void> {
  return page.evaluate((json) => window.postMessage(JSON.parse(json), '*'), JSON.stringify(message));
}

/** The two ways of posting the same message, round trips alternated (the messages are not handled: another type). */
async function transports(page: Page, ...messages: (HostMessage | undefined)[]): Promise<void> {
  const parts: string[] = [];
  for (const message of messages) {
    if (!message) continue;
    const inert = { ...message, type: 'bench' };
    const json: number[] = [];
    const objects: number[] = [];
    for (let i = 0; i < 21; i++) {
      let start = performance.now();
      await page.evaluate((text) => window.postMessage(JSON.parse(text), '*'), JSON.stringify(inert));
      json.push(performance.now() - start);
      start = performance.now();
      await page.evaluate((m) => window.postMessage(m, '*'), inert);
      objects.push(performance.now() - start);
    }
    parts.push(`${Math.round(JSON.stringify(message).length / 1024)} KiB: ${percentile(json, 50).median.toFixed(2)} ms as JSON text, ${percentile(objects, 50).median.toFixed(2)} ms as objects`);
  }
  detail(`page.evaluate round trip of the first stop's message and of a step's (p50 of 21): ${parts.join('; ')}`);
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
