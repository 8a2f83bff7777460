// "Show Sequence Diagram": the whole run of the active scenario in the diagram panel beside
// the editor, redrawn a moment after each edit and when another scenario editor becomes
// active. The run goes to the run worker (src/vscode/runner.ts), never the extension host's
// thread; a newer edit cancels a run still going. While a tcpscenario debug session runs, the
// debugger drives the panel instead (src/vscode/debugDiagram.ts). Clicking an arrow reveals its
// line (the panel does that).
import * as vscode from 'vscode';
import { diagramSourceFromResult } from './diagramSource';
import { DiagramPanel } from './diagramPanel';
import { LANGUAGE_ID, translate } from './localize';
import { defaultProfile } from './profile';
import { scenarioDocument } from './run';
import { runInWorker } from './runner';

export const SHOW_DIAGRAM_COMMAND = 'tcpscenario.showDiagram';

export function registerDiagram(context: vscode.ExtensionContext): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const scheduleRefresh = (document: vscode.TextDocument) => {
    clearTimeout(timer);
    const delay = vscode.workspace.getConfiguration('tcpscenario', document.uri).get<number>('diagnostics.delay', 250);
    timer = setTimeout(() => {
      timer = undefined;
      const panel = DiagramPanel.current;
      if (panel && !document.isClosed && follows(panel, document)) void showRun(panel, document);
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
      await showRun(panel, document);
    }),
    DiagramPanel.registerSerializer(context, async (panel) => {
      if (!panel.document) return;
      try {
        await showRun(panel, await vscode.workspace.openTextDocument(panel.document));
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
      if (panel.document?.toString() !== editor.document.uri.toString()) void showRun(panel, editor.document);
    }),
    { dispose: () => (clearTimeout(timer), running?.cancel()) },
  );
}

/** The panel shows this document and no debug session is driving it. */
function follows(panel: DiagramPanel, document: vscode.TextDocument): boolean {
  return document.languageId === LANGUAGE_ID && panel.document?.toString() === document.uri.toString() && !debugging();
}

function debugging(): boolean {
  return vscode.debug.activeDebugSession?.type === 'tcpscenario';
}

/** The run in progress for the panel; a newer one cancels it. */
let running: vscode.CancellationTokenSource | undefined;

async function showRun(panel: DiagramPanel, document: vscode.TextDocument): Promise<void> {
  running?.cancel();
  const cancel = (running = new vscode.CancellationTokenSource());
  const name = document.uri.path.split('/').pop() ?? document.uri.path;
  const outcome = await runInWorker({
    kind: 'diagram',
    text: document.getText(),
    scope: document.uri,
    defaultProfile: defaultProfile(document.uri),
    token: cancel.token,
    progress: { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Running {0}', name) },
  });
  if (running === cancel) running = undefined;
  cancel.dispose();
  if (outcome.kind === 'cancelled' || DiagramPanel.current !== panel) return;
  if (outcome.kind === 'failed') {
    panel.showTrace({ from: 0, events: [], current: -1, endpoints: [], profile: defaultProfile(document.uri) }, document.uri);
    panel.showError(outcome.message);
    return;
  }
  const source = diagramSourceFromResult(outcome.result);
  if (source.ok) {
    panel.showTrace(source.body, document.uri, source.note);
    return;
  }
  // Point the panel at this document (an empty trace), then show why there is no diagram.
  panel.showTrace({ from: 0, events: [], current: -1, endpoints: [], profile: defaultProfile(document.uri) }, document.uri);
  const lines = source.errors.slice(0, 5).map((d) => `${name}:${d.range.line}:${d.range.column}: ${translate(d.template, d.args)}`);
  if (source.engineError) lines.push(source.engineError);
  panel.showError([vscode.l10n.t('The scenario has errors, so there is no diagram:'), ...lines].join('\n'));
}
