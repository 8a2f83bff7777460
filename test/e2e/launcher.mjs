// Stands in for the VS Code executable that @vscode/test-electron's runTests() spawns: it takes
// the same arguments (--extensionDevelopmentPath=, --extensionTestsPath=, --user-data-dir=,
// --extensions-dir=, a folder), runs code-server (a real VS Code, in the browser), opens it in
// headless chromium through playwright-core, and exits with the code of the mocha run inside.
//
// It also serves a small HTTP API on 127.0.0.1 (its URL in TCPSCENARIO_E2E_UI) through which the
// tests, running in the extension host, act on the page as a user would and take screenshots:
//   GET /screenshot?name=N      save test-artifacts/e2e/N.png
//   GET /press?key=K            press a key (playwright key names: F5, Enter, Control+Shift+P)
//   GET /type?text=T            type text
//   GET /waitFor?selector=S     wait until S is visible in the page or any of its frames
//   GET /click?selector=S       click the first visible element matching S (in any frame)
//   GET /count?selector=S       count elements matching S in the page and all frames (webviews)
/* global fetch, URLSearchParams, clearTimeout */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM, toolPaths } from './setup.mjs';

const RUN_TIMEOUT_MS = 6 * 60_000;
/** The workbench's own progress messages: kept in the log file, not shown with the test report. */
const WORKBENCH_CHATTER = /^(Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin|\[(AgentHost|AccountPolicyGate|Service Worker|reconnection-grace-time)[^\]]*\])/;
const STARTUP_TIMEOUT_MS = 60_000;

function parseArgs(argv) {
  const options = { developmentPaths: [], folder: undefined, testsPath: undefined, userDataDir: undefined, extensionsDir: undefined };
  for (const arg of argv) {
    const [key, ...rest] = arg.split('=');
    const value = rest.join('=');
    if (key === '--extensionDevelopmentPath') options.developmentPaths.push(path.resolve(value));
    else if (key === '--extensionTestsPath') options.testsPath = path.resolve(value);
    else if (key === '--user-data-dir') options.userDataDir = path.resolve(value);
    else if (key === '--extensions-dir') options.extensionsDir = path.resolve(value);
    else if (!arg.startsWith('-')) options.folder = path.resolve(arg);
  }
  if (!options.testsPath || options.developmentPaths.length === 0 || !options.userDataDir || !options.extensionsDir) {
    throw new Error(`launcher: missing arguments in ${argv.join(' ')}`);
  }
  return options;
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

async function waitForHealthy(url, child) {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode} before it was up`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`code-server did not answer ${url} within ${STARTUP_TIMEOUT_MS / 1000} s`);
}

function writeUserSettings(userDataDir) {
  const settings = {
    'workbench.startupEditor': 'none',
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'security.workspace.trust.enabled': false,
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'editor.minimap.enabled': false,
    'files.autoSave': 'off',
  };
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}

/** Elements matching `selector` in the page and every frame (webviews nest two iframes deep). */
async function countInFrames(page, selector) {
  let total = 0;
  for (const frame of page.frames()) {
    try {
      total += await frame.locator(selector).count();
    } catch {
      // a frame that navigated away meanwhile
    }
  }
  return total;
}

async function waitInFrames(page, selector, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      try {
        if ((await frame.locator(selector).filter({ visible: true }).count()) > 0) return true;
      } catch {
        // a frame that navigated away meanwhile
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** `holder.ready` resolves to the page once the browser is up; requests wait for it. */
function startUiServer(holder, artifactsDir, prefix) {
  const server = http.createServer(async (request, response) => {
    const page = await holder.ready;
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const reply = (status, body) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    try {
      switch (url.pathname) {
        case '/screenshot': {
          const name = (url.searchParams.get('name') ?? 'shot').replace(/[^\w.-]/g, '_');
          const file = path.join(artifactsDir, `${prefix}${name}.png`);
          await page.screenshot({ path: file });
          return reply(200, { file });
        }
        case '/press':
          await page.keyboard.press(url.searchParams.get('key') ?? '');
          return reply(200, {});
        case '/type':
          await page.keyboard.type(url.searchParams.get('text') ?? '', { delay: 20 });
          return reply(200, {});
        case '/waitFor': {
          const timeout = Number(url.searchParams.get('timeout') ?? 30_000);
          const found = await waitInFrames(page, url.searchParams.get('selector') ?? '', timeout);
          return reply(found ? 200 : 408, { found });
        }
        case '/click': {
          const selector = url.searchParams.get('selector') ?? '';
          const found = await waitInFrames(page, selector, 30_000);
          if (!found) return reply(408, { found });
          for (const frame of page.frames()) {
            const target = frame.locator(selector).filter({ visible: true }).first();
            if ((await target.count().catch(() => 0)) > 0) {
              await target.click();
              return reply(200, {});
            }
          }
          return reply(408, { found: false });
        }
        case '/count':
          return reply(200, { count: await countInFrames(page, url.searchParams.get('selector') ?? '') });
        default:
          return reply(404, { error: `unknown ${url.pathname}` });
      }
    } catch (error) {
      return reply(500, { error: String(error) });
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const tools = toolPaths();
  for (const file of [tools.node, tools.codeServer, CHROMIUM]) {
    if (!fs.existsSync(file)) throw new Error(`launcher: ${file} is missing; run test/e2e/runTest.mjs, which installs it`);
  }
  const artifactsDir = path.resolve(process.env.TCPSCENARIO_E2E_ARTIFACTS ?? 'test-artifacts/e2e');
  const prefix = process.env.TCPSCENARIO_E2E_PREFIX ?? '';
  fs.mkdirSync(artifactsDir, { recursive: true });
  const home = path.dirname(options.userDataDir);
  writeUserSettings(options.userDataDir);

  const codeServerArgs = [
    tools.codeServer,
    '--auth', 'none',
    '--user-data-dir', options.userDataDir,
    '--extensions-dir', options.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
  ];
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_DATA_HOME: path.join(home, 'data'),
  };

  const vsix = process.env.TCPSCENARIO_E2E_INSTALL_VSIX;
  if (vsix) {
    const install = spawnSync(tools.node, [...codeServerArgs, '--install-extension', path.resolve(vsix)], { env, encoding: 'utf8' });
    process.stdout.write(install.stdout);
    process.stderr.write(install.stderr);
    if (install.status !== 0) throw new Error(`code-server --install-extension ${vsix} exited with ${install.status}`);
  }

  // The extension host inherits code-server's environment: the tests find the UI API through it.
  let setPage;
  const holder = { ready: new Promise((resolve) => (setPage = resolve)) };
  const uiServer = await startUiServer(holder, artifactsDir, prefix);
  env.TCPSCENARIO_E2E_UI = `http://127.0.0.1:${uiServer.address().port}`;

  const port = await freePort();
  const logFile = path.join(artifactsDir, `${prefix}code-server.log`);
  const log = fs.openSync(logFile, 'a');
  let browser;
  const child = spawn(
    tools.node,
    [...codeServerArgs, '--bind-addr', `127.0.0.1:${port}`, '--vscode-option', 'enable-smoke-test-driver'],
    // Own process group, so that stopping it stops its extension host and helpers too.
    { env, stdio: ['ignore', log, log], detached: true },
  );
  const stopServer = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  process.on('exit', stopServer);
  process.on('SIGINT', () => process.exit(130));
  process.on('SIGTERM', () => process.exit(143));

  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForHealthy(`${base}/healthz`, child);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => fs.appendFileSync(logFile, `[page error] ${error}\n`));

    setPage(page);

    let resolveExit;
    const exited = new Promise((resolve) => (resolveExit = resolve));
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));
    // The workbench's console too: its errors (e.g. the extension gallery, unreachable here) go to
    // the log file; what the tests print (mocha's report) goes to stdout.
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      fs.appendFileSync(logFile, `[${type}] ${text}\n`);
      if ((type === 'log' || type === 'info') && !WORKBENCH_CHATTER.test(text)) process.stdout.write(`${text}\n`);
    });

    const remote = (file) => `vscode-remote://127.0.0.1:${port}${file}`;
    const payload = [
      ...options.developmentPaths.map((p) => ['extensionDevelopmentPath', remote(p)]),
      ['extensionTestsPath', remote(options.testsPath)],
    ];
    const query = new URLSearchParams({ payload: JSON.stringify(payload) });
    if (options.folder) query.set('folder', options.folder);
    await page.goto(`${base}/?${query}`);

    let timer;
    const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), RUN_TIMEOUT_MS)));
    const code = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (code === 'timeout') {
      await page.screenshot({ path: path.join(artifactsDir, `${prefix}timeout.png`) }).catch(() => {});
      console.error(`launcher: the tests did not finish within ${RUN_TIMEOUT_MS / 1000} s; code-server log: ${logFile}`);
      return 1;
    }
    return code;
  } finally {
    await browser?.close().catch(() => {});
    uiServer.close();
    stopServer();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
