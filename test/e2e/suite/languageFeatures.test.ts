// The editor's language features in a real VS Code, through the same commands the editor uses
// (vscode.execute*Provider): hover, completion, symbols, definition, rename, formatting, code
// lenses, diagnostics with their quick fix, then "Run" and "Show Diagram". Runs after
// extension.test.ts (the debug tests expect a fresh window). Positions come from searching the
// fixture's text, so editing the fixture does not silently move them.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import * as ui from './ui';
import { EXTENSION_ID, waitFor, workspaceFile } from './util';

const SCENARIO = 'fixtures/language-features.tcpscenario';
const MISSPELLED = 'fixtures/misspelled-verb.tcpscenario';

/** The position of the `occurrence`-th (0-based) `token` in `document`, `offset` characters into it. */
function positionOf(document: vscode.TextDocument, token: string, offset = 0, occurrence = 0): vscode.Position {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) {
    index = document.getText().indexOf(token, index + 1);
    assert.ok(index >= 0, `'${token}' (occurrence ${occurrence}) in ${document.uri.path}`);
  }
  return document.positionAt(index + offset);
}

/** Every whole-word occurrence of `word` outside comments, as ranges. */
function rangesOfWord(document: vscode.TextDocument, word: string): vscode.Range[] {
  const ranges: vscode.Range[] = [];
  for (let line = 0; line < document.lineCount; line++) {
    const code = document.lineAt(line).text.split('#')[0];
    for (const match of code.matchAll(new RegExp(`\\b${word}\\b`, 'g'))) ranges.push(new vscode.Range(line, match.index, line, match.index + word.length));
  }
  return ranges;
}

function lineNumberOf(document: vscode.TextDocument, prefix: string): number {
  for (let line = 0; line < document.lineCount; line++) if (document.lineAt(line).text.startsWith(prefix)) return line;
  assert.fail(`a line starting with '${prefix}'`);
}

function markdownOf(hover: vscode.Hover): string {
  return hover.contents.map((content) => (typeof content === 'string' ? content : content.value)).join('\n');
}

function flatten(symbols: vscode.DocumentSymbol[]): vscode.DocumentSymbol[] {
  return symbols.flatMap((symbol) => [symbol, ...flatten(symbol.children)]);
}

const rangeKey = (range: vscode.Range) => `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;

describe('Language features in the editor', () => {
  let document: vscode.TextDocument;

  before(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    document = await vscode.workspace.openTextDocument(workspaceFile(SCENARIO));
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    assert.equal(document.languageId, 'tcpscenario');
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate(); // its providers, when these tests run alone
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await ui.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('hovering a state explains it, links its RFC sections and offers "Break on this state"', async () => {
    const position = positionOf(document, 'is TIME-WAIT', 'is '.length + 1);
    const hovers = await waitFor('a hover on TIME-WAIT', async () => {
      const found = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
      return found.length > 0 ? found : undefined;
    });
    const markdown = markdownOf(hovers[0]);
    assert.match(markdown, /TIME-WAIT/);
    assert.match(markdown, /2\*MSL|2\\\*MSL/, 'what TIME-WAIT is for');
    assert.match(markdown, /rfc9293#section-3\.10\.7\.4/, 'a link to the RFC section that defines it');
    assert.match(markdown, /\(command:tcpscenario\.breakOnState\?[^)\s]*TIME-WAIT/, 'the "Break on this state" command link, for TIME-WAIT');
    const contents = hovers[0].contents[0];
    assert.ok(contents instanceof vscode.MarkdownString, 'the hover is markdown');
    assert.deepEqual(contents.isTrusted, { enabledCommands: ['tcpscenario.breakOnState'] }, 'only the break command is trusted');

    if (ui.available) {
      const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
      editor.selection = new vscode.Selection(position, position);
      editor.revealRange(new vscode.Range(position, position));
      await vscode.commands.executeCommand('editor.action.showHover');
      // VS Code renders a command link only when the markdown trusts it.
      await ui.waitFor('.monaco-hover a[data-href^="command:tcpscenario.breakOnState"]');
      // The links close the hover: focus it and scroll them into the screenshot.
      await vscode.commands.executeCommand('editor.action.showHover', { focus: 'force' });
      await ui.waitFor('.monaco-hover:focus-within');
      await vscode.commands.executeCommand('editor.action.goToBottomHover');
      await ui.screenshot('10-hover-state');
      await ui.press('Escape');
    }
  });

  it('completes the verbs after an endpoint name', async () => {
    const position = positionOf(document, '@0      server ', '@0      server '.length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position);
    const labels = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    for (const verb of ['listen', 'connect', 'send', 'close']) assert.ok(labels.includes(verb), `'${verb}' among ${labels.join(', ')}`);
    assert.ok(!labels.includes('endpoint'), 'no statement keywords after an endpoint name');
  });

  it('lists the scenario and its endpoints as document symbols', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', document.uri);
    assert.equal(symbols[0]?.name, 'Lost final ACK: why TIME-WAIT lasts 2*MSL');
    const all = flatten(symbols);
    for (const endpoint of ['client', 'server']) {
      const symbol = all.find((s) => s.name === endpoint || s.name.startsWith(`${endpoint} `));
      assert.ok(symbol, `a symbol for ${endpoint} among ${all.map((s) => s.name).join(', ')}`);
      assert.equal(symbol.selectionRange.start.line, lineNumberOf(document, `endpoint ${endpoint} `));
    }
  });

  it('goes to an endpoint\'s declaration and renames every use of it', async () => {
    const use = positionOf(document, '\n@0 client', '\n@0 '.length + 1); // the statement, not the header comment
    const definitions = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', document.uri, use);
    assert.equal(definitions.length, 1);
    const definition = definitions[0];
    const target = 'targetRange' in definition ? definition.targetSelectionRange ?? definition.targetRange : definition.range;
    assert.equal(target.start.line, lineNumberOf(document, 'endpoint client '), 'the line of `endpoint client`');

    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', document.uri, use, 'browser');
    const edits = edit.get(document.uri);
    assert.ok(edits.every((e) => e.newText === 'browser'));
    assert.deepEqual(edits.map((e) => rangeKey(e.range)).sort(), rangesOfWord(document, 'client').map(rangeKey).sort(), 'every occurrence of client, nothing else');
  });

  it('formatting aligns the actions after the time column', async () => {
    const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', document.uri, { tabSize: 2, insertSpaces: true });
    assert.ok(edits.length > 0, 'the unaligned line is formatted');
    const lines = document.getText().split(/\r?\n/);
    for (const edit of edits) {
      assert.equal(edit.range.start.line, edit.range.end.line, 'line edits');
      lines[edit.range.start.line] = lines[edit.range.start.line].slice(0, edit.range.start.character) + edit.newText + lines[edit.range.end.line].slice(edit.range.end.character);
    }
    const timed = lines.filter((line) => /^[@+]/.test(line));
    const actionColumns = new Set(timed.map((line) => line.search(/\s\S/) + 1));
    assert.deepEqual([...actionColumns], ['@0      '.length], `one action column in:\n${timed.join('\n')}`);
    assert.ok(timed.includes('@0      client connect server'));
  });

  it('shows Run, Debug and Show Diagram code lenses', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    assert.deepEqual(lenses.map((lens) => lens.command?.command), ['tcpscenario.runFile', 'tcpscenario.debugFile', 'tcpscenario.showDiagram']);
    for (const lens of lenses) assert.equal(lens.range.start.line, lenses[0].range.start.line, 'on one line');
  });

  it('reports a misspelled verb with a "did you mean" quick fix that removes the error', async () => {
    // A copy in an untitled editor: the fixture on disk stays as it is.
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceFile(MISSPELLED)));
    const copy = await vscode.workspace.openTextDocument({ language: 'tcpscenario', content: text });
    await vscode.window.showTextDocument(copy, vscode.ViewColumn.One);
    const misspelled = positionOf(copy, 'lisen');
    const diagnostic = await waitFor('the diagnostic on lisen', () =>
      vscode.languages.getDiagnostics(copy.uri).find((d) => d.range.contains(misspelled)),
    );
    assert.match(diagnostic.message, /did you mean listen/);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', copy.uri, diagnostic.range);
    const fix = actions.find((action) => action.kind?.value === vscode.CodeActionKind.QuickFix.value && /listen/.test(action.title));
    assert.ok(fix?.edit, `a quick fix to listen among ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(copy.getText(), /@0 server listen/);
    await waitFor('the error to go away', () => vscode.languages.getDiagnostics(copy.uri).length === 0);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('"Run" runs the scenario to the end and reports the expectations held', async () => {
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const lines = await vscode.commands.executeCommand<string[]>('tcpscenario.runFile', document.uri);
    assert.ok(Array.isArray(lines) && lines.length > 2, 'the report lines');
    assert.ok(lines.includes('Expectations: 2 passed, 0 failed'), lines.slice(-4).join('\n'));
    assert.equal(lines.filter((line) => /expect ok: client is TIME-WAIT/.test(line)).length, 2);
    assert.ok(!lines.some((line) => /FAILED/.test(line)));
  });

  it('"Run" on a runaway scenario runs in the worker, leaves the window free, and stops at the limit it names', async () => {
    // Six lines that would run for billions of events (one byte per segment, a gigabyte to send);
    // written here, not kept as a fixture, so that no test that runs every fixture runs it.
    const runaway = workspaceFile('fixtures/runaway-written-by-the-test.tcpscenario');
    const text = 'set mss=1\nendpoint client 10.0.0.1:1000\nendpoint server 10.0.0.2:80\n@0 server listen\n@0 client connect server\n@1s client send 1000000000\n';
    await vscode.workspace.fs.writeFile(runaway, new TextEncoder().encode(text));
    const config = vscode.workspace.getConfiguration('tcpscenario.run');
    await config.update('maxEvents', 20_000, vscode.ConfigurationTarget.Global);
    try {
      // Timers of this extension host keep firing while the run goes on: it is not on this thread.
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      const lines = await vscode.commands.executeCommand<string[]>('tcpscenario.runFile', runaway);
      clearInterval(timer);
      assert.ok(Array.isArray(lines), 'the report lines');
      assert.ok(
        lines.some((line) => /the run was stopped after 20,000 events, its limit; raise it with the setting tcpscenario\.run\.maxEvents/.test(line)),
        lines.slice(-3).join('\n'),
      );
      assert.ok(lines.includes('... and 15000 more events, not listed here'), 'the report lists 5,000 events and counts the rest');
      assert.ok(ticks > 3, `timers fired ${ticks} times during the run`);
    } finally {
      await config.update('maxEvents', undefined, vscode.ConfigurationTarget.Global);
      await vscode.workspace.fs.delete(runaway);
    }
  });

  it('"Show Diagram" opens the sequence diagram in a webview', async () => {
    const diagramTabs = () =>
      vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('tcpscenario'));
    assert.equal(diagramTabs().length, 0, 'no diagram open before (the suite starts with no editors)');
    await vscode.commands.executeCommand('tcpscenario.showDiagram', document.uri);
    const tab = await waitFor('the diagram tab', () => diagramTabs()[0]);
    assert.match(tab.label, /language-features\.tcpscenario/, 'the diagram of this scenario');
    if (ui.available) {
      await ui.waitFor('svg g.arrow');
      await ui.screenshot('11-show-diagram');
    }
  });
});
