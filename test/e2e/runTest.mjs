// `npm run test:e2e`: the extension's tests inside a real VS Code.
//
// The standard @vscode/test-electron runTests() entry point, given a `vscodeExecutablePath`: here
// a launcher that runs code-server (VS Code cannot be downloaded on these machines, see
// docs/vscode.md); set TCPSCENARIO_E2E_VSCODE to a desktop VS Code executable to use that instead.
// Two runs: the extension from source (test/e2e/suite/extension.test.ts), then the packaged .vsix
// installed with --install-extension (test/e2e/suite/installed.test.ts).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import * as esbuild from 'esbuild';
import { ensureTools } from './setup.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const artifacts = path.join(root, 'test-artifacts', 'e2e');
const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

function step(message) {
  console.log(`[e2e ${seconds()}] ${message}`);
}

/** The test suites run inside the extension host: bundle them, leaving vscode and mocha to require(). */
async function buildSuites() {
  await esbuild.build({
    entryPoints: {
      index: path.join(root, 'test/e2e/suite/index.ts'),
      installed: path.join(root, 'test/e2e/suite/installedIndex.ts'),
    },
    outdir: path.join(root, 'out/test/suite'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
}

/** A scratch workspace: the examples and the e2e fixtures, so tests never touch the repository's files. */
function makeWorkspace(scratch) {
  const workspace = path.join(scratch, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  for (const folder of ['examples', 'test/e2e/workspace']) {
    const from = path.join(root, folder);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(workspace, path.basename(folder) === 'workspace' ? 'fixtures' : folder), { recursive: true });
  }
  return workspace;
}

/** The "VS Code executable" runTests() spawns: a desktop VS Code if given, else the code-server launcher. */
function executable(scratch) {
  if (process.env.TCPSCENARIO_E2E_VSCODE) return process.env.TCPSCENARIO_E2E_VSCODE;
  const launcher = path.join(scratch, 'code');
  fs.writeFileSync(launcher, `#!/bin/sh\nexec "${process.execPath}" "${path.join(root, 'test/e2e/launcher.mjs')}" "$@"\n`);
  fs.chmodSync(launcher, 0o755);
  return launcher;
}

/** Mocha's "N passing" / "N failing" lines, echoed by the launcher from the extension host. */
function countResults(output) {
  const passing = [...output.matchAll(/^\s*(\d+) passing/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  const failing = [...output.matchAll(/^\s*(\d+) failing/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  return { passing, failing };
}

async function run(name, options) {
  step(`${name}: starting VS Code`);
  const captured = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk, ...rest) => {
    captured.push(String(chunk));
    return write(chunk, ...rest);
  };
  try {
    await runTests(options);
    return { ok: true, ...countResults(captured.join('')) };
  } catch (error) {
    console.error(`${name}: ${error instanceof Error ? error.message : error}`);
    const counts = countResults(captured.join(''));
    return { ok: false, ...counts, failing: Math.max(1, counts.failing) };
  } finally {
    process.stdout.write = write;
    step(`${name}: done`);
  }
}

async function main() {
  fs.rmSync(artifacts, { recursive: true, force: true });
  fs.mkdirSync(artifacts, { recursive: true });
  if (!process.env.TCPSCENARIO_E2E_VSCODE) {
    ensureTools();
    step('tools ready');
  }
  await buildSuites();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpscenario-e2e-'));
  const workspace = makeWorkspace(scratch);
  const vscodeExecutablePath = executable(scratch);
  const profile = (name) => [`--user-data-dir=${path.join(scratch, name, 'user-data')}`, `--extensions-dir=${path.join(scratch, name, 'extensions')}`];

  const results = [];
  results.push(await run('extension from source', {
    vscodeExecutablePath,
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'out/test/suite/index.js'),
    launchArgs: [workspace, ...profile('source')],
    extensionTestsEnv: { TCPSCENARIO_E2E_ARTIFACTS: artifacts, TCPSCENARIO_E2E_PREFIX: '' },
  }));

  // TCPSCENARIO_E2E_GREP (working on some tests of the source run) skips the .vsix run.
  if (!process.env.TCPSCENARIO_E2E_GREP) await runInstalled(results, vscodeExecutablePath, workspace, profile);
  fs.rmSync(scratch, { recursive: true, force: true });

  const passed = results.reduce((sum, r) => sum + r.passing, 0);
  const failed = results.reduce((sum, r) => sum + r.failing, 0);
  step(`screenshots in ${path.relative(root, artifacts)}/`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exitCode = results.every((r) => r.ok) && failed === 0 && passed > 0 ? 0 : 1;
}

async function runInstalled(results, vscodeExecutablePath, workspace, profile) {
  step('packaging the .vsix (npm run package)');
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: 'inherit' });
  const vsix = path.join(root, 'tcp-scenario-debugger.vsix');
  step(`.vsix: ${(fs.statSync(vsix).size / 1024).toFixed(0)} KiB`);
  if (process.env.TCPSCENARIO_E2E_VSCODE) {
    // Desktop VS Code installs through its own CLI; the launcher does it for code-server.
    const [, extensionsDir] = profile('installed')[1].split('=');
    execFileSync(vscodeExecutablePath, [`--extensions-dir=${extensionsDir}`, '--install-extension', vsix], { stdio: 'inherit' });
  }
  results.push(await run('installed .vsix', {
    vscodeExecutablePath,
    extensionDevelopmentPath: path.join(root, 'test/e2e/probe'),
    extensionTestsPath: path.join(root, 'out/test/suite/installed.js'),
    launchArgs: [workspace, ...profile('installed')],
    extensionTestsEnv: { TCPSCENARIO_E2E_ARTIFACTS: artifacts, TCPSCENARIO_E2E_PREFIX: 'installed-', TCPSCENARIO_E2E_INSTALL_VSIX: vsix },
  }));
  // Packaging left a production build in dist/; put the development build (with source maps) back.
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
