// Serves the diagram webview page the way VS Code does (the host's HTML with its strict CSP,
// dist/webview.js and media/webview.css from one origin) plus a prelude that stands in for
// VS Code: acquireVsCodeApi (posted messages and state recorded on window), theme classes
// and theme variables. Used by the webview tests and by bench/diagram.ts.
import { createServer, type Server } from 'node:http';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'esbuild';
import { HEADLESS_CHROMIUM_ARGS } from '../../src/cli/png';
import { bundledChromium } from './bundledChromium';
import { buildHtml, makeNonce, pageVoice } from '../../src/diagram/host';
import { WEBVIEW_STRINGS } from '../../src/diagram/strings';
import { translatorFor } from '../../src/text/bundles';
import { localeOf } from '../../src/text/translate';

const root = join(import.meta.dirname, '..', '..');

export const CHROMIUM_ARGS = [...HEADLESS_CHROMIUM_ARGS];

/**
 * Which Chromium the webview tests use: TCPSCENARIO_TEST_CHROMIUM (a path, or `bundled`), else
 * Debian's /usr/bin/chromium, else the one the @sparticuz/chromium devDependency ships (so that
 * `npm ci && npm test` passes on a machine with Node and nothing else).
 */
export function chromiumToUse(): { executable: string; env?: Record<string, string>; bundled: boolean } | undefined {
  const choice = process.env.TCPSCENARIO_TEST_CHROMIUM;
  if (choice && choice !== 'bundled') return { executable: choice, bundled: false };
  if (choice !== 'bundled' && existsSync('/usr/bin/chromium')) return { executable: '/usr/bin/chromium', bundled: false };
  const bundled = bundledChromium();
  return bundled && { executable: bundled.executable, env: bundled.env, bundled: true };
}

export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  const use = chromiumToUse();
  if (!use) throw new Error('no Chromium: install Debian\'s chromium, or run npm ci (the @sparticuz/chromium devDependency ships one)');
  return chromium.launch({
    executablePath: use.executable,
    args: [...CHROMIUM_ARGS, ...(use.bundled ? ['--no-zygote'] : []), ...extraArgs],
    env: use.env ? { ...process.env, ...use.env } as Record<string, string> : undefined,
  });
}

/**
 * The colours VS Code gives a webview under its built-in themes, captured from a real VS Code by
 * scripts/capture-theme-variables.mjs (theme-variables.json says which version); `null` where the
 * theme defines none (VS Code then sets no variable and the page's fallback applies).
 */
export const THEME_VARIABLES = (JSON.parse(readFileSync(join(root, 'test', 'webview', 'theme-variables.json'), 'utf8')) as {
  source: string;
  themes: Record<string, { kind: 'light' | 'dark' | 'hcDark' | 'hcLight'; variables: Record<string, string | null> }>;
}).themes;

/** The short names the tests use for VS Code's default themes. */
const THEME_ALIASES: Record<string, string> = { light: 'Light Modern', dark: 'Dark Modern', hc: 'Default High Contrast', hcLight: 'Default High Contrast Light' };

/** The body classes a VS Code webview gets for a theme kind (High Contrast Light has both, for compatibility). */
const BODY_CLASSES = { light: ['vscode-light'], dark: ['vscode-dark'], hcDark: ['vscode-high-contrast'], hcLight: ['vscode-high-contrast-light', 'vscode-high-contrast'] };

function prelude(theme: string): string {
  const captured = THEME_VARIABLES[THEME_ALIASES[theme] ?? theme] ?? THEME_VARIABLES[THEME_ALIASES.light];
  const vars = Object.fromEntries(Object.entries(captured.variables).filter((entry): entry is [string, string] => entry[1] !== null));
  return `
window.__posted = [];
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
document.body.classList.add(...${JSON.stringify(BODY_CLASSES[captured.kind])});
const vars = ${JSON.stringify(vars)};
for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty('--vscode-' + k, v);
document.documentElement.style.setProperty('--vscode-font-family', 'system-ui, sans-serif');
document.documentElement.style.setProperty('--vscode-font-size', '13px');
window.acquireVsCodeApi = () => ({
  postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
  getState: () => { const s = sessionStorage.getItem('state'); return s ? JSON.parse(s) : undefined; },
  setState: (s) => sessionStorage.setItem('state', JSON.stringify(s)),
});
`;
}

export interface Harness {
  origin: string;
  /**
   * Page URL; `theme` is light, dark, hc (high contrast), hcLight or a theme of THEME_VARIABLES;
   * `locale` (zh-cn, zh-tw) gives the page what the panel's host gives it in that display language.
   */
  url(theme?: string, locale?: string): string;
  close(): Promise<void>;
}

/** Newest modification time of the webview's sources. */
function newestSource(): number {
  const dirs = [join(root, 'media'), join(root, 'src', 'diagram'), join(root, 'src', 'engine')];
  let newest = 0;
  for (const dir of dirs) for (const name of readdirSync(dir)) if (name.endsWith('.ts')) newest = Math.max(newest, statSync(join(dir, name)).mtimeMs);
  return newest;
}

/**
 * The webview script: dist/webview.js as `npm run build` made it, unless it is missing or older
 * than its sources (a test run without a build), then bundled here the way scripts/build.mjs does.
 */
async function webviewScript(): Promise<string> {
  const built = join(root, 'dist', 'webview.js');
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource()) return readFileSync(built, 'utf8');
  return bundleWebview();
}

async function bundleWebview(): Promise<string> {
  const result = await build({
    entryPoints: [join(root, 'media', 'webview.ts')],
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** The page's texts in a display language, as src/vscode/diagramPanel.ts gives them (from the same bundles). */
function voice(tag: string | null) {
  // English: the rules as they are, the page's own English words.
  if (!tag) return pageVoice((english) => english);
  const tr = translatorFor(localeOf(tag));
  const holes = Array.from({ length: 10 }, (_, i) => `{${i}}`);
  const lookup = (english: string) => tr.t(english, ...holes);
  const strings = Object.fromEntries(Object.entries(WEBVIEW_STRINGS).map(([key, english]) => [key, lookup(english)]));
  return { lang: tag, strings, ...pageVoice(lookup) };
}

export async function startHarness(): Promise<Harness> {
  let origin = '';
  const script = await webviewScript();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const send = (type: string, body: string | Buffer) => {
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    try {
      if (url.pathname === '/' || url.pathname === '/index.html') {
        const theme = url.searchParams.get('theme') ?? 'light';
        const html = buildHtml({
          ...voice(url.searchParams.get('locale')),
          cspSource: origin,
          nonce: makeNonce(),
          scriptUri: `${origin}/dist/webview.js`,
          styleUri: `${origin}/media/webview.css`,
          preludeUri: `${origin}/prelude.js?theme=${encodeURIComponent(theme)}`,
          title: 'TCP diagram',
        });
        return send('text/html; charset=utf-8', html);
      }
      if (url.pathname === '/prelude.js') return send('text/javascript', prelude(url.searchParams.get('theme') ?? 'light'));
      if (url.pathname === '/dist/webview.js') return send('text/javascript', script);
      if (url.pathname === '/media/webview.css') return send('text/css', readFileSync(join(root, 'media', 'webview.css')));
      if (url.pathname === '/favicon.ico') return res.writeHead(204).end();
      res.writeHead(404).end();
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (theme = 'light', locale?: string) => `${origin}/index.html?theme=${encodeURIComponent(theme)}${locale ? `&locale=${encodeURIComponent(locale)}` : ''}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A suite's page server and Chromium: started before its tests, closed after them (read them in the tests). */
export function chromiumSuite(): { readonly browser: Browser; readonly harness: Harness } {
  const suite = {} as { browser: Browser; harness: Harness };
  before(async () => {
    suite.harness = await startHarness();
    suite.browser = await launchChromium();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.harness?.close();
  });
  return suite;
}
