// "Run Scenario": compiles the file and runs it to the end in-process (virtual time, no
// wall time), then prints every trace event and the expectations in an output channel.
import * as vscode from 'vscode';
import { runProgram } from '../engine';
import { compile } from '../language';
import { activeScenarioEditor } from './editors';
import { resolveProfile } from './profile';
import { formatReport, REPORT_PHRASES } from './report';
import { translate } from './localize';

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
export function runDocument(document: vscode.TextDocument, channel: vscode.OutputChannel): string[] {
  channel.clear();
  channel.show(true);
  const { program, diagnostics, ast } = compile(document.getText());
  const name = vscode.workspace.asRelativePath(document.uri);
  if (!program) {
    const lines = [translate(REPORT_PHRASES.errors)];
    for (const d of diagnostics) {
      if (d.severity === 'error') lines.push(`${name}:${d.range.line}:${d.range.column}: ${translate(d.template, d.args)}`);
    }
    lines.forEach((line) => channel.appendLine(line));
    return lines;
  }
  const resolved = resolveProfile(program, ast, document.uri);
  const simulation = runProgram(resolved);
  const lines = [name, ...formatReport(resolved, simulation.trace, translate)];
  lines.forEach((line) => channel.appendLine(line));
  return lines;
}
