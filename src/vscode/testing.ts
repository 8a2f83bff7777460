// The Testing view: every .tcpscenario file with `expect` lines is a test, each expect line a
// child. A run goes through the one run path in a worker thread (src/vscode/runner.ts), with the
// limits of the settings, and can be cancelled; a failure points at its expect line, with what
// was expected and what happened; a run cut by a limit says so at every line it did not reach.
import * as vscode from 'vscode';
import { toRange } from './convert';
import { parse } from '../language';
import type { ScenarioFile } from '../language/ast';
import { readErrorText, readScenarioUri as readText } from './readScenario';
import { LANGUAGE_ID, translateItem } from './localize';
import { defaultProfile } from './profile';
import { runInWorker, type RunOutcome } from './runner';
import type { RunResult } from './runProtocol';
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
        await this.runFile(run, uri, (id) => !excluded.has(id) && (!only || only.has(id)), token);
      }
    } finally {
      run.end();
    }
  }

  private async runFile(run: vscode.TestRun, uri: vscode.Uri, selected: (id: string) => boolean, token: vscode.CancellationToken): Promise<void> {
    const started = Date.now();
    let text: string;
    try {
      text = await readText(uri);
    } catch (error) {
      const file = this.controller.items.get(uri.toString());
      if (file) run.errored(file, new vscode.TestMessage(readErrorText(vscode.workspace.asRelativePath(uri, false), error)));
      return;
    }
    const { ast } = parse(text);
    const file = this.update(uri, text, ast);
    if (!file) return;
    const items: vscode.TestItem[] = [];
    file.children.forEach((child) => {
      if (selected(child.id)) items.push(child);
    });
    for (const item of items) run.started(item);

    const name = vscode.workspace.asRelativePath(uri, false);
    const outcome = await runInWorker({
      kind: 'expects',
      text,
      scope: uri,
      defaultProfile: defaultProfile(uri),
      token,
      progress: { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Running {0}', name) },
    });
    const ran = checked(run, items, outcome, uri, name);
    if (!ran) return;
    const results: Map<number, ExpectOutcome> = outcomes(expectLines(ast, text), ran.expects ?? []);
    const duration = Date.now() - started;
    let passed = 0;
    for (const item of items) {
      const line = (item.range?.start.line ?? 0) + 1;
      if (reportLine(run, item, results.get(line) ?? { status: 'not-reached' }, uri, line, ran.limit, duration)) passed++;
    }
    if (ran.limit) run.appendOutput(`${name}: ${ran.limit.message}\r\n`, undefined, file);
    const summary = vscode.l10n.t('{0}: {1} passed, {2} failed', vscode.workspace.asRelativePath(uri, false), String(passed), String(items.length - passed));
    run.appendOutput(`${summary}\r\n`, undefined, file);
  }
}

/**
 * The run's result when it checked the expect lines; undefined when it checked nothing (cancelled,
 * failed, a scenario with errors or one the engine could not run), every selected line saying why.
 */
function checked(run: vscode.TestRun, items: readonly vscode.TestItem[], outcome: RunOutcome, uri: vscode.Uri, name: string): RunResult | undefined {
  if (outcome.kind !== 'done') {
    const message = new vscode.TestMessage(outcome.kind === 'cancelled' ? vscode.l10n.t('The run of {0} was cancelled.', name) : outcome.message);
    for (const item of items) {
      if (outcome.kind === 'cancelled') run.skipped(item);
      else run.errored(item, message);
    }
    return undefined;
  }
  const ran = outcome.result;
  if (ran.diagnostics.some((d) => d.severity === 'error')) {
    const messages = ran.diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => {
        const message = new vscode.TestMessage(translateItem(d));
        message.location = new vscode.Location(uri, toRange(d.range));
        return message;
      });
    for (const item of items) run.errored(item, messages);
    return undefined;
  }
  if (ran.engineError !== undefined) {
    const message = new vscode.TestMessage(vscode.l10n.t('The scenario could not be run: {0}', ran.engineError));
    for (const item of items) run.errored(item, message);
    return undefined;
  }
  return ran;
}

/** The result of the expect line `line`; true when it passed. */
function reportLine(run: vscode.TestRun, item: vscode.TestItem, result: ExpectOutcome, uri: vscode.Uri, line: number, limit: RunResult['limit'], duration: number): boolean {
  const location = new vscode.Location(uri, lineRange(line));
  if (result.status === 'passed') {
    run.passed(item, duration);
    return true;
  }
  if (result.status === 'failed') {
    run.failed(item, result.failures.map((failure) => {
      const message =
        failure.expected !== undefined && failure.actual !== undefined
          ? vscode.TestMessage.diff(failure.message, failure.expected, failure.actual)
          : new vscode.TestMessage(failure.message);
      message.location = location;
      return message;
    }), duration);
    return false;
  }
  // Cut by a limit: the line was never reached because of it, and the message says how to raise it.
  const message = new vscode.TestMessage(
    limit
      ? vscode.l10n.t('Not checked: {0}', limit.message)
      : result.wait
        ? vscode.l10n.t('Not checked: the run ended at the wait of line {0}, which never finished ({1}).', String(result.wait.line), result.wait.message)
        : vscode.l10n.t('Not checked: the run ended before line {0}.', String(line)),
  );
  message.location = location;
  run.failed(item, message, duration);
  return false;
}

function childId(uri: vscode.Uri, expect: ExpectLine): string {
  return `${uri.toString()}#L${expect.line}`;
}

function collect(items: vscode.TestItemCollection): vscode.TestItem[] {
  const all: vscode.TestItem[] = [];
  items.forEach((item) => all.push(item));
  return all;
}
