// Serves the diagram webview page the way VS Code does (the host's HTML with its strict CSP,
// dist/webview.js and media/webview.css from one origin) plus a prelude that stands in for
// VS Code: acquireVsCodeApi (posted messages and state recorded on window), theme classes
// and theme variables. Used by the webview tests and by bench/diagram.ts.
import { createServer, type Server } from 'node:http';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'esbuild';
import { HEADLESS_CHROMIUM_ARGS } from '../../src/cli/render';
import { buildHtml, makeNonce } from '../../src/diagram/host';

const root = join(import.meta.dirname, '..', '..');

export const CHROMIUM_ARGS = [...HEADLESS_CHROMIUM_ARGS];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

// Colours of VS Code's Light Modern and Dark Modern themes, as VS Code sets them on <html>.
const THEMES: Record<string, Record<string, string>> = {
  light: {
    'editor-background': '#ffffff',
    'editor-foreground': '#3b3b3b',
    descriptionForeground: '#717171',
    'editorLineNumber-foreground': '#6e7681',
    'editorWidget-background': '#f8f8f8',
    'editorWidget-border': '#e5e5e5',
    'editorHoverWidget-background': '#f8f8f8',
    'editorHoverWidget-border': '#c8c8c8',
    'charts-red': '#e51400',
    'charts-blue': '#1a85ff',
    'charts-yellow': '#bf8803',
    'charts-orange': '#d18616',
    'charts-green': '#388a34',
    'charts-purple': '#652d90',
    focusBorder: '#005fb8',
    'button-background': '#005fb8',
    'button-foreground': '#ffffff',
    'button-secondaryBackground': '#e5e5e5',
    'button-secondaryForeground': '#3b3b3b',
    'panel-border': '#e5e5e5',
  },
  hc: {
    'editor-background': '#000000',
    'editor-foreground': '#ffffff',
    descriptionForeground: '#ffffff',
    'editorLineNumber-foreground': '#ffffff',
    'editorWidget-background': '#0c141f',
    'editorWidget-border': '#6fc3df',
    'editorHoverWidget-background': '#0c141f',
    'editorHoverWidget-border': '#6fc3df',
    contrastBorder: '#6fc3df',
    contrastActiveBorder: '#f38518',
    'charts-red': '#f14c4c',
    'charts-blue': '#3794ff',
    'charts-yellow': '#ffd700',
    'charts-orange': '#ff8c00',
    'charts-green': '#89d185',
    'charts-purple': '#b180d7',
    focusBorder: '#f38518',
    'button-background': '#000000',
    'button-foreground': '#ffffff',
    'button-secondaryBackground': '#000000',
    'button-secondaryForeground': '#ffffff',
    'panel-border': '#6fc3df',
  },
  dark: {
    'editor-background': '#1f1f1f',
    'editor-foreground': '#cccccc',
    descriptionForeground: '#9d9d9d',
    'editorLineNumber-foreground': '#6e7681',
    'editorWidget-background': '#202020',
    'editorWidget-border': '#454545',
    'editorHoverWidget-background': '#202020',
    'editorHoverWidget-border': '#454545',
    'charts-red': '#f14c4c',
    'charts-blue': '#3794ff',
    'charts-yellow': '#cca700',
    'charts-orange': '#d18616',
    'charts-green': '#89d185',
    'charts-purple': '#b180d7',
    focusBorder: '#0078d4',
    'button-background': '#0078d4',
    'button-foreground': '#ffffff',
    'button-secondaryBackground': '#313131',
    'button-secondaryForeground': '#cccccc',
    'panel-border': '#2b2b2b',
  },
};

function prelude(theme: string): string {
  const vars = THEMES[theme] ?? THEMES.light;
  return `
window.__posted = [];
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
document.body.classList.add(${JSON.stringify(theme === 'dark' ? 'vscode-dark' : theme === 'hc' ? 'vscode-high-contrast' : 'vscode-light')});
const vars = ${JSON.stringify(vars)};
for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty('--vscode-' + k, v);
document.documentElement.style.setProperty('--vscode-font-family', 'system-ui, sans-serif');
window.acquireVsCodeApi = () => ({
  postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
  getState: () => { const s = sessionStorage.getItem('state'); return s ? JSON.parse(s) : undefined; },
  setState: (s) => sessionStorage.setItem('state', JSON.stringify(s)),
});
`;
}

export interface Harness {
  origin: string;
  /** Page URL; `theme` is light, dark or hc (high contrast). */
  url(theme?: 'light' | 'dark' | 'hc'): string;
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
          cspSource: origin,
          nonce: makeNonce(),
          scriptUri: `${origin}/dist/webview.js`,
          styleUri: `${origin}/media/webview.css`,
          preludeUri: `${origin}/prelude.js?theme=${theme}`,
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
    url: (theme = 'light') => `${origin}/index.html?theme=${theme}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
