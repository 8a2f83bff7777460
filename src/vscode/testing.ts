// The Testing view: every .tcpscenario file with `expect` lines is a test, each expect line a
// child. A run compiles the file and runs it to the end in virtual time (as the CLI does); a
// failure points at its expect line, with what was expected and what happened.
import * as vscode from 'vscode';
import { runProgram } from '../engine';
import { compile, parse } from '../language';
import type { ScenarioFile } from '../language/ast';
import { LANGUAGE_ID, translateItem } from './localize';
import { resolveProfile } from './profile';
import { expectLines, outcomes, type ExpectLine, type ExpectOutcome } from './testingModel';

export const TEST_CONTROLLER_ID = 'tcpscenario';
const SCENARIO_GLOB = '**/*.tcpscenario';
const EXCLUDE_GLOB = '**/node_modules/**';

export function registerTesting(context: vscode.ExtensionContext): void {
  const controller = vscode.tests.createTestController(TEST_CONTROLLER_ID, vscode.l10n.t('TCP Scenarios'));
  const tests = new ScenarioTests(controller);
  // Every scenario of the workspace is a test from activation on: VS Code asks for the workspace's
  // tests (resolveHandler) only when the Testing view is shown, so "Run All Tests" before that ran
  // only the open files. A run of everything waits for the scan.
  let discovery = tests.discoverWorkspace();
  controller.resolveHandler = async (item) => {
    if (!item) await discovery;
  };
  controller.refreshHandler = () => (discovery = tests.discoverWorkspace());
  controller.createRunProfile(vscode.l10n.t('Run'), vscode.TestRunProfileKind.Run, async (request, token) => {
    if (!request.include) await discovery;
    return tests.run(request, token);
  }, true);

  const watcher = vscode.workspace.createFileSystemWatcher(SCENARIO_GLOB);
  context.subscriptions.push(
    controller,
    watcher,
    watcher.onDidCreate((uri) => tests.updateFromFile(uri)),
    watcher.onDidChange((uri) => tests.updateFromFile(uri)),
    watcher.onDidDelete((uri) => controller.items.delete(uri.toString())),
    vscode.workspace.onDidOpenTextDocument((document) => tests.updateFromDocument(document)),
    vscode.workspace.onDidChangeTextDocument((event) => tests.updateFromDocument(event.document)),
  );
  for (const document of vscode.workspace.textDocuments) tests.updateFromDocument(document);
}

async function readText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  return open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

function lineRange(line: number): vscode.Range {
  return new vscode.Range(line - 1, 0, line - 1, Number.MAX_SAFE_INTEGER);
}

class ScenarioTests {
  constructor(private readonly controller: vscode.TestController) {}

  async discoverWorkspace(): Promise<void> {
    let uris: vscode.Uri[];
    try {
      uris = await vscode.workspace.findFiles(SCENARIO_GLOB, EXCLUDE_GLOB);
    } catch {
      return; // no workspace search (a virtual workspace without a search provider): the open files stay
    }
    // Open scenarios stay too (an untitled one, a file outside the workspace folders).
    const open = vscode.workspace.textDocuments.filter((document) => document.languageId === LANGUAGE_ID).map((document) => document.uri);
    const seen = new Set([...uris, ...open].map((uri) => uri.toString()));
    this.controller.items.forEach((item) => {
      if (!seen.has(item.id)) this.controller.items.delete(item.id);
    });
    await Promise.all(uris.map((uri) => this.updateFromFile(uri)));
  }

  async updateFromFile(uri: vscode.Uri): Promise<void> {
    if (uri.path.includes('/node_modules/')) return; // what the scan excludes, the watcher does too
    try {
      this.update(uri, await readText(uri));
    } catch {
      this.controller.items.delete(uri.toString());
    }
  }

  updateFromDocument(document: vscode.TextDocument): void {
    if (document.languageId === LANGUAGE_ID && document.uri.scheme !== 'git') this.update(document.uri, document.getText());
  }

  /** Makes the file's item and its children match its expect lines; returns the file item, if any. */
  private update(uri: vscode.Uri, text: string, ast: ScenarioFile = parse(text).ast): vscode.TestItem | undefined {
    const lines = expectLines(ast, text);
    if (lines.length === 0) {
      this.controller.items.delete(uri.toString());
      return undefined;
    }
    let file = this.controller.items.get(uri.toString());
    if (!file) {
      file = this.controller.createTestItem(uri.toString(), vscode.workspace.asRelativePath(uri, false), uri);
      file.range = new vscode.Range(0, 0, 0, 0);
      this.controller.items.add(file);
    }
    const scenario = ast.statements.find((s) => s.kind === 'scenario');
    file.description = scenario?.kind === 'scenario' ? scenario.title?.string : undefined;
    const children = lines.map((expect) => {
      const child = file.children.get(childId(uri, expect)) ?? this.controller.createTestItem(childId(uri, expect), expect.label, uri);
      child.label = expect.label;
      child.range = lineRange(expect.line);
      return child;
    });
    file.children.replace(children);
    return file;
  }

  async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request);
    const excluded = new Set((request.exclude ?? []).map((item) => item.id));
    // Each file runs once, whether the whole file or some of its expect lines were asked for.
    const files = new Map<string, { uri: vscode.Uri; only?: Set<string> }>();
    const requested = request.include ?? collect(this.controller.items);
    for (const item of requested) {
      if (excluded.has(item.id) || !item.uri) continue;
      const fileId = item.parent?.id ?? item.id;
      const entry = files.get(fileId) ?? { uri: item.uri };
      if (item.parent) {
        if (!files.has(fileId) || entry.only) (entry.only ??= new Set()).add(item.id);
      } else {
        entry.only = undefined;
      }
      files.set(fileId, entry);
    }
    try {
      for (const { uri, only } of files.values()) {
        if (token.isCancellationRequested) break;
        await this.runFile(run, uri, (id) => !excluded.has(id) && (!only || only.has(id)));
      }
    } finally {
      run.end();
    }
  }

  private async runFile(run: vscode.TestRun, uri: vscode.Uri, selected: (id: string) => boolean): Promise<void> {
    const started = Date.now();
    let text: string;
    try {
      text = await readText(uri);
    } catch (error) {
      const file = this.controller.items.get(uri.toString());
      if (file) run.errored(file, new vscode.TestMessage(String(error)));
      return;
    }
    const { program, diagnostics, ast } = compile(text);
    const file = this.update(uri, text, ast);
    if (!file) return;
    const items: vscode.TestItem[] = [];
    file.children.forEach((child) => {
      if (selected(child.id)) items.push(child);
    });
    for (const item of items) run.started(item);

    if (!program) {
      const messages = diagnostics
        .filter((d) => d.severity === 'error')
        .map((d) => {
          const message = new vscode.TestMessage(translateItem(d));
          message.location = new vscode.Location(uri, new vscode.Range(d.range.line - 1, d.range.column - 1, d.range.line - 1, d.range.column - 1 + d.range.length));
          return message;
        });
      for (const item of items) run.errored(item, messages);
      return;
    }

    let results: Map<number, ExpectOutcome>;
    try {
      const simulation = runProgram(resolveProfile(program, ast, uri));
      results = outcomes(expectLines(ast, text), simulation.trace);
    } catch (error) {
      const message = new vscode.TestMessage(vscode.l10n.t('The scenario could not be run: {0}', String(error)));
      for (const item of items) run.errored(item, message);
      return;
    }
    const duration = Date.now() - started;
    let passed = 0;
    for (const item of items) {
      const line = (item.range?.start.line ?? 0) + 1;
      const result = results.get(line) ?? { status: 'not-reached' };
      const location = new vscode.Location(uri, lineRange(line));
      if (result.status === 'passed') {
        passed++;
        run.passed(item, duration);
      } else if (result.status === 'failed') {
        run.failed(item, result.failures.map((failure) => {
          const message =
            failure.expected !== undefined && failure.actual !== undefined
              ? vscode.TestMessage.diff(failure.message, failure.expected, failure.actual)
              : new vscode.TestMessage(failure.message);
          message.location = location;
          return message;
        }), duration);
      } else {
        const message = new vscode.TestMessage(vscode.l10n.t('Not checked: the run ended before line {0}.', String(line)));
        message.location = location;
        run.failed(item, message, duration);
      }
    }
    const summary = vscode.l10n.t('{0}: {1} passed, {2} failed', vscode.workspace.asRelativePath(uri, false), String(passed), String(items.length - passed));
    run.appendOutput(`${summary}\r\n`, undefined, file);
  }
}

function childId(uri: vscode.Uri, expect: ExpectLine): string {
  return `${uri.toString()}#L${expect.line}`;
}

function collect(items: vscode.TestItemCollection): vscode.TestItem[] {
  const all: vscode.TestItem[] = [];
  items.forEach((item) => all.push(item));
  return all;
}
