// The packaged .vsix, installed with `code-server --install-extension` (the launcher does it before
// VS Code starts): it activates on a scenario, its bundle works, and the standalone debug adapter
// it ships answers DAP over stdio (for nvim-dap, Emacs dape...).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import * as ui from './ui';
import { EXTENSION_ID, waitFor, workspaceFile } from './util';

/** Sends one DAP request to a standalone adapter over stdio and returns its response. */
function dapRequest(adapter: string, command: string, args: object): Promise<{ success: boolean; body?: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    // In desktop VS Code, process.execPath is Electron: make it behave as Node.
    const child = spawn(process.execPath, [adapter], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    let buffer = Buffer.alloc(0);
    child.stdout.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const header = buffer.toString('latin1').match(/^Content-Length: (\d+)\r\n\r\n/);
        if (!header) return;
        const start = header[0].length;
        const end = start + Number(header[1]);
        if (buffer.length < end) return;
        const message = JSON.parse(buffer.subarray(start, end).toString('utf8'));
        buffer = buffer.subarray(end);
        if (message.type === 'response') {
          child.kill();
          resolve(message);
          return;
        }
      }
    });
    child.on('error', reject);
    const json = JSON.stringify({ seq: 1, type: 'request', command, arguments: args });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
  });
}

describe('the packaged .vsix, installed', () => {
  it('is installed from the .vsix, not loaded from source', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    assert.ok(!fs.existsSync(path.join(extension.extensionPath, 'src')), 'the package ships no sources');
    assert.ok(!fs.existsSync(path.join(extension.extensionPath, 'node_modules')), 'the package ships no node_modules');
  });

  it('holds every file its package.json names', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const manifest = extension.packageJSON;
    const named: string[] = [manifest.main, manifest.icon, `${manifest.l10n}/bundle.l10n.zh-cn.json`, `${manifest.l10n}/bundle.l10n.zh-tw.json`];
    for (const language of manifest.contributes.languages ?? []) named.push(language.configuration, language.icon?.light, language.icon?.dark);
    for (const grammar of manifest.contributes.grammars ?? []) named.push(grammar.path);
    for (const snippet of manifest.contributes.snippets ?? []) named.push(snippet.path);
    for (const debuggerEntry of manifest.contributes.debuggers ?? []) named.push(debuggerEntry.program);
    // The walkthrough's media (a markdown page in each language) and the examples its buttons open.
    const nls = JSON.parse(fs.readFileSync(path.join(extension.extensionPath, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const localized = (value: unknown) => String(value).replace(/^%(.+)%$/, (_, key: string) => nls[key] ?? '');
    const examplesBefore = named.length;
    for (const walkthrough of manifest.contributes.walkthroughs ?? []) {
      for (const step of walkthrough.steps) {
        const markdown: string | undefined = step.media?.markdown;
        if (markdown) named.push(markdown, ...['zh-cn', 'zh-tw'].map((locale) => markdown.replace(/\.md$/, `.nls.${locale}.md`)));
        if (typeof step.media?.image === 'string') named.push(step.media.image);
        for (const match of localized(step.description).matchAll(/tcpscenario\.openExample\?([^)\s]+)/g)) {
          const [name] = JSON.parse(decodeURIComponent(match[1])) as string[];
          named.push(`examples/${name}.tcpscenario`);
        }
      }
    }
    assert.ok(named.slice(examplesBefore).some((file) => file.startsWith('examples/')), 'the walkthrough opens examples');
    const missing = named.filter((file): file is string => typeof file === 'string').filter((file) => !fs.existsSync(path.join(extension.extensionPath, file)));
    assert.deepEqual(missing, []);
  });

  it('shows the README\'s screenshots on its Details page: absolute image URLs from the repository field', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const readme = fs.readdirSync(extension.extensionPath).find((name) => name.toLowerCase() === 'readme.md');
    assert.ok(readme, 'a README in the installed extension');
    const text = fs.readFileSync(path.join(extension.extensionPath, readme), 'utf8');
    const images = [...text.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)].map((m) => m[1]);
    assert.ok(images.length >= 2, `the README's screenshots: ${images.join(', ')}`);
    const repository = String(extension.packageJSON.repository?.url ?? extension.packageJSON.repository).replace(/\.git$/, '');
    for (const image of images) assert.ok(image.startsWith(`${repository}/raw/HEAD/`), `${image} is an absolute URL under ${repository}`);
  });

  it('activates on a scenario and reports its errors', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const document = await vscode.workspace.openTextDocument(workspaceFile('fixtures/broken.tcpscenario'));
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'tcpscenario');
    await waitFor('the installed extension to activate', () => extension.isActive);
    const diagnostics = await waitFor('diagnostics', () => {
      const found = vscode.languages.getDiagnostics(document.uri);
      return found.length > 0 ? found : undefined;
    });
    assert.ok(diagnostics.some((d) => d.range.start.line === 7), 'the misspelled verb on line 8 is reported');
    const commands = await vscode.commands.getCommands(true);
    for (const command of ['tcpscenario.debugFile', 'tcpscenario.breakOnState', 'tcpscenario.showDiagram', 'tcpscenario.runFile']) {
      assert.ok(commands.includes(command), `${command} is registered`);
    }
    await ui.screenshot('01-activated');
  });

  it('ships the standalone debug adapter, which answers DAP over stdio', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const debuggers = extension.packageJSON.contributes.debuggers as { type: string; program: string }[];
    const adapter = path.join(extension.extensionPath, debuggers.find((d) => d.type === 'tcpscenario')?.program ?? '');
    assert.ok(fs.existsSync(adapter), `${adapter} is in the package`);
    const response = await dapRequest(adapter, 'initialize', { adapterID: 'tcpscenario', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    assert.equal(response.success, true);
    assert.equal(response.body?.supportsStepBack, true);
  });

  it('its standalone debug adapter carries the translations: initialize with locale zh-tw answers in Traditional Chinese', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const adapter = path.join(extension.extensionPath, extension.packageJSON.contributes.debuggers[0].program);
    const response = await dapRequest(adapter, 'initialize', { adapterID: 'tcpscenario', pathFormat: 'path', locale: 'zh-tw' });
    const labels = (response.body?.exceptionBreakpointFilters as { label: string }[]).map((f) => f.label);
    assert.ok(labels.includes('傳送或收到 RST'), labels.join(', '));
  });

  it('opens an example it ships (the walkthrough\'s first step)', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    const editor = (await vscode.commands.executeCommand('tcpscenario.openExample', '01-handshake')) as vscode.TextEditor | undefined;
    assert.ok(editor, 'the example opens');
    assert.equal(editor.document.languageId, 'tcpscenario');
    assert.equal(path.resolve(editor.document.uri.fsPath), path.resolve(extension.extensionPath, 'examples', '01-handshake.tcpscenario'));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
