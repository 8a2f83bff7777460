// "Run | Debug | Show Diagram" at the top of every scenario.
import * as vscode from 'vscode';
import { codeLensLine } from '../language/service';
import { SELECTOR } from './localize';
import { DEBUG_FILE_COMMAND } from './debug';
import { SHOW_DIAGRAM_COMMAND } from './diagram';
import { RUN_FILE_COMMAND } from './run';

export function registerCodeLens(context: vscode.ExtensionContext): void {
  const changed = new vscode.EventEmitter<void>();
  context.subscriptions.push(
    changed,
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('tcpscenario.codeLens.enabled')) changed.fire();
    }),
    vscode.languages.registerCodeLensProvider(SELECTOR, {
      onDidChangeCodeLenses: changed.event,
      provideCodeLenses(document) {
        if (!vscode.workspace.getConfiguration('tcpscenario', document.uri).get<boolean>('codeLens.enabled', true)) return [];
        const line = codeLensLine(document.getText()) - 1;
        const range = new vscode.Range(line, 0, line, 0);
        const args = [document.uri];
        return [
          new vscode.CodeLens(range, { title: `$(play) ${vscode.l10n.t('Run')}`, command: RUN_FILE_COMMAND, arguments: args, tooltip: vscode.l10n.t('Run the scenario and show the result') }),
          new vscode.CodeLens(range, { title: `$(debug-alt) ${vscode.l10n.t('Debug')}`, command: DEBUG_FILE_COMMAND, arguments: args, tooltip: vscode.l10n.t('Step through the scenario in the debugger') }),
          new vscode.CodeLens(range, { title: `$(graph) ${vscode.l10n.t('Show Diagram')}`, command: SHOW_DIAGRAM_COMMAND, arguments: args, tooltip: vscode.l10n.t('Open the sequence diagram beside the editor') }),
        ];
      },
    }),
  );
}
