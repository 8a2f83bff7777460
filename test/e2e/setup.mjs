// Installs what the end-to-end tests need into a cache folder that survives between runs:
// Node 24 and code-server from the npm registry (VS Code cannot be downloaded here, see
// docs/vscode.md), plus Debian's chromium and libkrb5-dev when they are missing and we are root.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM = '/usr/bin/chromium';

/** The cache root: $TCPSCENARIO_E2E_CACHE, else /var/cache/tcpscenario-e2e when writable, else ~/.cache. */
export function cacheRoot() {
  if (process.env.TCPSCENARIO_E2E_CACHE) return path.resolve(process.env.TCPSCENARIO_E2E_CACHE);
  const system = '/var/cache/tcpscenario-e2e';
  try {
    fs.mkdirSync(system, { recursive: true });
    fs.accessSync(system, fs.constants.W_OK);
    return system;
  } catch {
    return path.join(os.homedir(), '.cache', 'tcpscenario-e2e');
  }
}

export function toolPaths(root = cacheRoot()) {
  const nodeHome = path.join(root, `node-${NODE_VERSION}`, 'node_modules', `node-${process.platform}-${process.arch}`);
  const codeServerHome = path.join(root, `code-server-${CODE_SERVER_VERSION}`);
  return {
    root,
    nodeHome,
    node: path.join(nodeHome, 'bin', 'node'),
    codeServerHome,
    codeServer: path.join(codeServerHome, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

const log = (message) => console.log(`[e2e setup] ${message}`);

function timed(what, action) {
  const started = Date.now();
  log(`${what}...`);
  action();
  log(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function ensureDebianPackages() {
  const missing = [];
  if (!fs.existsSync(CHROMIUM)) missing.push('chromium');
  // One native addon of code-server compiles against GSSAPI.
  if (!fs.existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev');
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`Missing Debian packages: ${missing.join(' ')}. Run: sudo apt-get install -y ${missing.join(' ')}`);
  }
  timed(`apt-get install ${missing.join(' ')}`, () => {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
  });
}

/** npm install into `folder`, which gets its own package.json so approvals of install scripts stay local. */
function npmInstall(folder, specs, allowScripts, env = process.env) {
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(folder, { recursive: true });
  const allow = Object.fromEntries(allowScripts.map((name) => [name, true]));
  fs.writeFileSync(
    path.join(folder, 'package.json'),
    JSON.stringify({ name: 'tcpscenario-e2e-tools', private: true, allowScripts: allow }, null, 2),
  );
  // npm >= 11.10 skips dependencies' install scripts unless package.json's allowScripts names them;
  // older npm ignores the field and runs them anyway.
  const args = ['install', '--no-audit', '--no-fund', '--omit=dev', ...specs];
  // One retry: a passing registry hiccup should not fail a whole CI run.
  for (let attempt = 1; ; attempt++) {
    const result = spawnSync('npm', args, { cwd: folder, stdio: 'inherit', env });
    if (result.status === 0) return;
    if (attempt === 2) throw new Error(`npm ${args.join(' ')} failed in ${folder}`);
    log(`npm ${args.join(' ')} failed; trying once more`);
  }
}

/** Installs whatever is missing; returns the tool paths. Safe to call on every run. */
export function ensureTools() {
  const tools = toolPaths();
  fs.mkdirSync(tools.root, { recursive: true });
  ensureDebianPackages();

  const nodeStamp = path.join(path.dirname(path.dirname(tools.nodeHome)), '.installed');
  if (!fs.existsSync(nodeStamp) || !fs.existsSync(tools.node)) {
    timed(`Node ${NODE_VERSION} from npm`, () => {
      npmInstall(path.dirname(path.dirname(tools.nodeHome)), [`node-${process.platform}-${process.arch}@${NODE_VERSION}`], []);
    });
    fs.writeFileSync(nodeStamp, NODE_VERSION);
  }

  const codeServerStamp = path.join(tools.codeServerHome, '.installed');
  if (!fs.existsSync(codeServerStamp) || !fs.existsSync(tools.codeServer)) {
    timed(`code-server ${CODE_SERVER_VERSION}`, () => {
      // code-server's native addons must be built for Node 24 with its headers, not the machine's Node.
      // Under `npm run`, the parent npm's npm_* variables would leak into this install (its
      // npm_config_user_agent names Node 20, and code-server's postinstall checks it): drop them.
      const inherited = Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key));
      const env = {
        ...Object.fromEntries(inherited),
        PATH: `${path.dirname(tools.node)}${path.delimiter}${process.env.PATH}`,
        npm_config_nodedir: tools.nodeHome,
      };
      npmInstall(tools.codeServerHome, [`code-server@${CODE_SERVER_VERSION}`], ['code-server'], env);
    });
    fs.writeFileSync(codeServerStamp, CODE_SERVER_VERSION);
  }
  return tools;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(ensureTools());
}
