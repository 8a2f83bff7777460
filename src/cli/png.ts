// `render --png`: the SVG screenshotted by a headless Chromium, driven over the DevTools protocol on
// a pipe (--remote-debugging-pipe: JSON messages ended by NUL on fds 3 and 4), as Playwright drives
// it. Not Chromium's one-shot `--screenshot`: chrome-headless-shell (the Chromium of
// @sparticuz/chromium) loads the page and then never writes the file or exits in that mode. Every
// run is bounded: past `timeoutMs` the browser is killed and the user told so.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { CLI_MESSAGES as C } from './messages';
import { CliProblem, problem } from './problem';

/** Headless Chromium on a machine with no network: no background traffic, no sandbox (root in CI). */
export const HEADLESS_CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Chromium cannot screenshot beyond 16,384 px a side. */
const MAX_SIDE = 16_384;
const DEFAULT_TIMEOUT_MS = 60_000;

/** Chromium for --png: $TCPSCENARIO_CHROMIUM, else the usual install paths. */
function findChromium(): string | undefined {
  const candidates = [process.env.TCPSCENARIO_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

interface Cdp {
  send(method: string, params?: object, sessionId?: string): Promise<Record<string, unknown>>;
  once(method: string, sessionId: string): Promise<void>;
}

/** The DevTools protocol over the child's fds 3 (to it) and 4 (from it). */
function cdpOver(child: ChildProcess, gone: Promise<never>): Cdp {
  const toChrome = child.stdio[3] as Writable;
  const fromChrome = child.stdio[4] as Readable;
  // A browser that dies resets its pipes; its exit says why (`gone`).
  toChrome.on('error', () => undefined);
  fromChrome.on('error', () => undefined);
  const pending = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  const listeners: { method: string; sessionId: string; done: () => void }[] = [];
  let nextId = 0;
  let buffered = Buffer.alloc(0);
  fromChrome.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (let end = buffered.indexOf(0); end >= 0; end = buffered.indexOf(0)) {
      const msg = JSON.parse(buffered.subarray(0, end).toString('utf8')) as { id?: number; method?: string; sessionId?: string; result?: Record<string, unknown>; error?: { message: string } };
      buffered = buffered.subarray(end + 1);
      const waiting = msg.id === undefined ? undefined : pending.get(msg.id);
      if (waiting) {
        pending.delete(msg.id!);
        if (msg.error) waiting.reject(new Error(msg.error.message));
        else waiting.resolve(msg.result ?? {});
      }
      const i = listeners.findIndex((l) => l.method === msg.method && l.sessionId === msg.sessionId);
      if (i >= 0) listeners.splice(i, 1)[0].done();
    }
  });
  return {
    send: (method, params = {}, sessionId) => {
      const id = ++nextId;
      const answer = new Promise<Record<string, unknown>>((resolve, reject) => pending.set(id, { resolve, reject }));
      toChrome.write(`${JSON.stringify(sessionId ? { id, method, params, sessionId } : { id, method, params })}\0`);
      return Promise.race([answer, gone]);
    },
    once: (method, sessionId) => Promise.race([new Promise<void>((done) => listeners.push({ method, sessionId, done })), gone]),
  };
}

/** Waits for the browser to exit (Browser.close was sent), killing it after a second. */
async function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const late = setTimeout(() => child.kill('SIGKILL'), 1000);
  await exited;
  clearTimeout(late);
}

/** The PNG of the SVG at its own size, screenshotted by headless Chromium within `timeoutMs`. */
export async function pngOfSvg(svg: string, width: number, height: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Uint8Array> {
  const chromium = findChromium();
  if (!chromium) throw problem(C.pngNeedsChromium);
  if (width > MAX_SIDE || height > MAX_SIDE) throw problem(C.pngTooLarge, width, height, MAX_SIDE);
  const dir = mkdtempSync(join(tmpdir(), 'tcpscenario-render-'));
  let child: ChildProcess | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const page = join(dir, 'diagram.svg');
    writeFileSync(page, svg);
    // --no-zygote: chrome-headless-shell cannot start its zygote here; no sandbox, so nothing is lost.
    const args = [...HEADLESS_CHROMIUM_ARGS, '--no-zygote', '--hide-scrollbars', `--user-data-dir=${join(dir, 'profile')}`, '--remote-debugging-pipe', 'about:blank'];
    child = spawn(chromium, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
    const lastLine = () => stderr.trim().split('\n').pop() ?? '';
    const gone = new Promise<never>((_, reject) => {
      child!.on('error', (error) => reject(problem(C.chromiumFailed, error.message)));
      // 'close', not 'exit': stderr is read to its end by then.
      child!.on('close', (code, signal) => reject(problem(C.chromiumFailed, lastLine() || `exit ${code ?? signal}`)));
      timer = setTimeout(() => reject(problem(C.chromiumTimeout, timeoutMs / 1000)), timeoutMs);
    });
    gone.catch(() => undefined);
    const cdp = cdpOver(child, gone);
    try {
      const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
      const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
      await cdp.send('Page.enable', {}, sessionId);
      await cdp.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false }, sessionId);
      const loaded = cdp.once('Page.loadEventFired', sessionId);
      await cdp.send('Page.navigate', { url: pathToFileURL(page).href }, sessionId);
      await loaded;
      const shot = await cdp.send('Page.captureScreenshot', { format: 'png', clip: { x: 0, y: 0, width, height, scale: 1 } }, sessionId);
      void cdp.send('Browser.close').catch(() => undefined);
      return Buffer.from(String(shot.data), 'base64');
    } catch (error) {
      throw error instanceof CliProblem ? error : problem(C.chromiumFailed, error instanceof Error ? error.message : String(error));
    }
  } finally {
    clearTimeout(timer);
    if (child) await ended(child);
    rmSync(dir, { recursive: true, force: true });
  }
}
