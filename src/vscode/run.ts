// "Run Scenario": runs the file to the end (or a limit) in a worker thread, never on the extension
// host's thread (src/vscode/runner.ts), with progress and Cancel once it takes a while, then prints
// the trace events and the expectations in an output channel. A run cut by a limit says so there
// and in a warning, with the setting that raises it.
import * as vscode from 'vscode';
import { activeScenarioEditor } from './editors';
import { translate } from './localize';
import { defaultProfile } from './profile';
import { REPORT_PHRASES } from './report';
import { runInWorker } from './runner';

export const RUN_FILE_COMMAND = 'tcpscenario.runFile';

export function registerRun(context: vscode.ExtensionContext): void {
  const channel = vscode.window.createOutputChannel(vscode.l10n.t('TCP Scenario'));
  context.subscriptions.push(
    channel,
    vscode.commands.registerCommand(RUN_FILE_COMMAND, async (resource?: vscode.Uri) => {
      const document = await scenarioDocument(resource);
      if (!document) {
        void vscode.window.showWarningMessage(vscode.l10n.t('Open a .tcpscenario file to run it.'));
        return undefined;
      }
      return runDocument(document, channel);
    }),
  );
}

export async function scenarioDocument(resource?: vscode.Uri): Promise<vscode.TextDocument | undefined> {
  if (resource instanceof vscode.Uri) return vscode.workspace.openTextDocument(resource);
  return activeScenarioEditor()?.document;
}

/** Runs a document and writes the report; returns the lines written (for tests). */
export async function runDocument(document: vscode.TextDocument, channel: vscode.OutputChannel): Promise<string[]> {
  channel.clear();
  channel.show(true);
  const name = vscode.workspace.asRelativePath(document.uri);
  const outcome = await runInWorker({
    kind: 'report',
    text: document.getText(),
    scope: document.uri,
    defaultProfile: defaultProfile(document.uri),
    progress: { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Running {0}', name) },
  });
  const lines: string[] = [];
  if (outcome.kind === 'cancelled') lines.push(vscode.l10n.t('The run of {0} was cancelled.', name));
  else if (outcome.kind === 'failed') lines.push(name, outcome.message);
  else {
    const { result } = outcome;
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      lines.push(translate(REPORT_PHRASES.errors));
      for (const d of errors) lines.push(`${name}:${d.range.line}:${d.range.column}: ${translate(d.template, d.args)}`);
    } else if (result.engineError !== undefined) lines.push(name, result.engineError);
    else lines.push(name, ...(result.lines ?? []));
    if (result.limit) void vscode.window.showWarningMessage(`${name}: ${result.limit.message}`);
  }
  lines.forEach((line) => channel.appendLine(line));
  return lines;
}
