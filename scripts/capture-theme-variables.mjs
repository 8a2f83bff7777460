// Captures the colours a real VS Code gives a webview under its built-in themes, for the webview
// contrast test (test/webview/contrast.test.ts): runs code-server (the e2e tools, test/e2e/setup.mjs)
// once per theme, opens its workbench in headless chromium and reads, for every `--vscode-*` colour
// that media/webview.css uses, the value VS Code computes for that theme (the theme's own colour or
// the colour registry's default; `null` when the theme defines none, as High Contrast does for
// `button.secondaryBackground`). The workbench and the webviews get these from the same registry
// (`getColorRegistry().getColors()` and `theme.getColor(id)`), so the values are the webview's.
//
// Usage: node scripts/capture-theme-variables.mjs   (writes test/webview/theme-variables.json)
/* global fetch, getComputedStyle, document */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, CODE_SERVER_VERSION, ensureTools, toolPaths } from '../test/e2e/setup.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const output = path.join(root, 'test', 'webview', 'theme-variables.json');

/** VS Code's theme id -> the body class its webviews get (vscode-light, vscode-dark, ...). */
const THEMES = {
  'Light Modern': 'light',
  'Dark Modern': 'dark',
  'Light 2026': 'light',
  'Dark 2026': 'dark',
  'Light+': 'light',
  'Dark+': 'dark',
  'Default High Contrast': 'hcDark',
  'Default High Contrast Light': 'hcLight',
};

/** Colours a webview may want besides those media/webview.css uses today (so a CSS change rarely needs a new capture). */
const CANDIDATES = [
  'foreground', 'descriptionForeground', 'errorForeground', 'focusBorder', 'contrastBorder', 'contrastActiveBorder', 'widget-border', 'widget-shadow',
  'editor-background', 'editor-foreground', 'editor-selectionBackground', 'editorLineNumber-foreground', 'editorLineNumber-activeForeground',
  'editorWidget-background', 'editorWidget-foreground', 'editorWidget-border', 'editorHoverWidget-background', 'editorHoverWidget-foreground',
  'editorHoverWidget-border', 'panel-border', 'textLink-foreground', 'toolbar-hoverBackground', 'toolbar-hoverOutline', 'toolbar-activeBackground',
  'button-background', 'button-foreground', 'button-hoverBackground', 'button-border', 'button-secondaryBackground', 'button-secondaryForeground',
  'button-secondaryHoverBackground', 'inputOption-activeBackground', 'inputOption-activeBorder', 'inputOption-activeForeground',
  'charts-foreground', 'charts-lines', 'charts-red', 'charts-blue', 'charts-yellow', 'charts-orange', 'charts-green', 'charts-purple',
  'editorError-foreground', 'editorWarning-foreground', 'editorInfo-foreground', 'debugIcon-breakpointForeground',
  'editor-findMatchBorder', 'editor-findMatchHighlightBorder', 'editorCursor-foreground', 'terminal-ansiYellow', 'terminal-ansiMagenta',
];

/** The colour variables the page uses (fonts are not colours), and the candidates above. */
function usedVariables() {
  const css = fs.readFileSync(path.join(root, 'media', 'webview.css'), 'utf8');
  const names = new Set([...css.matchAll(/var\(--vscode-([\w-]+)/g)].map((m) => m[1]).filter((name) => !/font/i.test(name)));
  for (const name of CANDIDATES) names.add(name);
  return [...names].sort();
}

/** The colours a theme file of VS Code's theme-defaults extension sets itself (not those it includes), by variable name. */
function themeFileColors(theme) {
  const folder = path.join(path.dirname(toolPaths().codeServer), '..', '..', 'lib', 'vscode', 'extensions', 'theme-defaults');
  const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
  const entry = manifest.contributes.themes.find((t) => t.id === theme);
  if (!entry) throw new Error(`no theme ${theme} in ${folder}`);
  const { colors = {} } = JSON.parse(fs.readFileSync(path.join(folder, entry.path), 'utf8'));
  return Object.fromEntries(Object.entries(colors).filter(([, v]) => typeof v === 'string').map(([id, v]) => [id.replace('.', '-'), v]));
}

/** #rgb, #rrggbb, #rrggbbaa or rgba() as [r, g, b, a]. */
function rgba(text) {
  const hex = /^#([\da-f]{3,8})$/i.exec(text.trim());
  if (hex) {
    let h = hex[1];
    if (h.length <= 4) h = [...h].map((c) => c + c).join('');
    const n = (i) => parseInt(h.slice(i, i + 2), 16);
    return [n(0), n(2), n(4), h.length === 8 ? Math.round((n(6) / 255) * 100) / 100 : 1];
  }
  const fn = /^rgba?\(([^)]+)\)$/.exec(text.trim());
  if (fn) {
    const [r, g, b, a = '1'] = fn[1].split(',').map((p) => p.trim());
    return [Number(r), Number(g), Number(b), Math.round(Number(a) * 100) / 100];
  }
  return undefined;
}

function sameColour(a, b) {
  const x = a && rgba(a);
  const y = b && rgba(b);
  return !!x && !!y && x.every((v, i) => Math.abs(v - y[i]) <= (i === 3 ? 0.01 : 0));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealthy(url) {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`code-server did not answer ${url}`);
}

async function main() {
  ensureTools();
  const tools = toolPaths();
  const names = usedVariables();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpscenario-themes-'));
  const userDataDir = path.join(scratch, 'user-data');
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  const port = await freePort();
  const child = spawn(
    tools.node,
    [tools.codeServer, '--auth', 'none', '--user-data-dir', userDataDir, '--extensions-dir', path.join(scratch, 'extensions'),
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--bind-addr', `127.0.0.1:${port}`],
    { env: { ...process.env, XDG_CONFIG_HOME: path.join(scratch, 'config'), XDG_DATA_HOME: path.join(scratch, 'data') }, stdio: 'ignore', detached: true },
  );
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const result = { source: '', themes: {} };
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForHealthy(`${base}/healthz`);
    const page = await browser.newPage();
    for (const [theme, kind] of Object.entries(THEMES)) {
      fs.writeFileSync(settingsFile, JSON.stringify({ 'workbench.colorTheme': theme, 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off' }));
      await page.goto(base);
      const uiTheme = { light: 'vs', dark: 'vs-dark', hcDark: 'hc-black', hcLight: 'hc-light' }[kind];
      await page.waitForSelector(`.monaco-workbench.${uiTheme}`, { timeout: 60_000 });
      // The workbench first paints with a cached or built-in theme and applies the configured one
      // when the theme extension is loaded: read until the theme's own colours are there and stable.
      const own = themeFileColors(theme);
      let values;
      const deadline = Date.now() + 60_000;
      for (let stable = 0, previous = ''; stable < 4; ) {
        if (Date.now() > deadline) throw new Error(`${theme}: the workbench did not settle on the theme's own colours`);
        await new Promise((resolve) => setTimeout(resolve, 500));
        values = await page.evaluate((list) => {
          const style = getComputedStyle(document.querySelector('.monaco-workbench'));
          return Object.fromEntries(list.map((name) => [name, style.getPropertyValue(`--vscode-${name}`).trim() || null]));
        }, names);
        const key = JSON.stringify(values);
        const mismatched = Object.entries(own).filter(([name, colour]) => name in values && !sameColour(values[name], colour));
        stable = key === previous && mismatched.length === 0 ? stable + 1 : 0;
        previous = key;
      }
      result.themes[theme] = { kind, variables: values };
      process.stdout.write(`${theme}: editor-background ${values['editor-background']}\n`);
    }
    const product = JSON.parse(fs.readFileSync(path.join(path.dirname(tools.codeServer), '..', '..', 'lib', 'vscode', 'product.json'), 'utf8'));
    result.source = `VS Code ${product.version} (code-server ${CODE_SERVER_VERSION}), captured by scripts/capture-theme-variables.mjs`;
  } finally {
    await browser.close();
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // gone
    }
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  fs.writeFileSync(output, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`wrote ${path.relative(root, output)} (${names.length} variables, ${Object.keys(THEMES).length} themes)\n`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
