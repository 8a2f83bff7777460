// "Show Sequence Diagram": the whole run of the active scenario in the diagram panel beside
// the editor, redrawn a moment after each edit and when another scenario editor becomes
// active. While a tcpscenario debug session runs, the debugger drives the panel instead
// (src/vscode/debugDiagram.ts). Clicking an arrow reveals its line (the panel does that).
import * as vscode from 'vscode';
import { diagramSourceOf } from './diagramSource';
import { DiagramPanel } from './diagramPanel';
import { LANGUAGE_ID, translate } from './localize';
import { defaultProfile } from './profile';
import { scenarioDocument } from './run';

export const SHOW_DIAGRAM_COMMAND = 'tcpscenario.showDiagram';

export function registerDiagram(context: vscode.ExtensionContext): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const scheduleRefresh = (document: vscode.TextDocument) => {
    clearTimeout(timer);
    const delay = vscode.workspace.getConfiguration('tcpscenario', document.uri).get<number>('diagnostics.delay', 250);
    timer = setTimeout(() => {
      timer = undefined;
      const panel = DiagramPanel.current;
      if (panel && !document.isClosed && follows(panel, document)) showRun(panel, document);
    }, delay);
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(SHOW_DIAGRAM_COMMAND, async (resource?: vscode.Uri) => {
      const document = await scenarioDocument(resource);
      if (!document) {
        void vscode.window.showWarningMessage(vscode.l10n.t('Open a .tcpscenario file to see its sequence diagram.'));
        return;
      }
      const panel = DiagramPanel.createOrShow(context.extensionUri, { document: document.uri, column: vscode.ViewColumn.Beside, preserveFocus: true });
      showRun(panel, document);
    }),
    DiagramPanel.registerSerializer(context, async (panel) => {
      if (!panel.document) return;
      try {
        showRun(panel, await vscode.workspace.openTextDocument(panel.document));
      } catch {
        // The file is gone: the webview keeps the trace it saved.
      }
    }),
    vscode.workspace.onDidChangeTextDocument((event) => {
      const panel = DiagramPanel.current;
      if (panel && event.contentChanges.length > 0 && follows(panel, event.document)) scheduleRefresh(event.document);
    }),
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      const panel = DiagramPanel.current;
      if (!panel || !editor || editor.document.languageId !== LANGUAGE_ID || debugging()) return;
      if (panel.document?.toString() !== editor.document.uri.toString()) showRun(panel, editor.document);
    }),
    { dispose: () => clearTimeout(timer) },
  );
}

/** The panel shows this document and no debug session is driving it. */
function follows(panel: DiagramPanel, document: vscode.TextDocument): boolean {
  return document.languageId === LANGUAGE_ID && panel.document?.toString() === document.uri.toString() && !debugging();
}

function debugging(): boolean {
  return vscode.debug.activeDebugSession?.type === 'tcpscenario';
}

function showRun(panel: DiagramPanel, document: vscode.TextDocument): void {
  const source = diagramSourceOf(document.getText(), defaultProfile(document.uri));
  if (source.ok) {
    panel.showTrace(source.body, document.uri);
    return;
  }
  // Point the panel at this document (an empty trace), then show why there is no diagram.
  panel.showTrace({ from: 0, events: [], current: -1, endpoints: [], profile: defaultProfile(document.uri) }, document.uri);
  const name = document.uri.path.split('/').pop() ?? document.uri.path;
  const lines = source.errors.slice(0, 5).map((d) => `${name}:${d.range.line}:${d.range.column}: ${translate(d.template, d.args)}`);
  if (source.engineError) lines.push(vscode.l10n.t('The engine failed on this scenario: {0}', source.engineError));
  panel.showError([vscode.l10n.t('The scenario has errors, so there is no diagram:'), ...lines].join('\n'));
}
