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
    const missing = named.filter((file): file is string => typeof file === 'string').filter((file) => !fs.existsSync(path.join(extension.extensionPath, file)));
    assert.deepEqual(missing, []);
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
});
