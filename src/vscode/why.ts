// "Why?": the rules of TCP a scenario uses, in order of first use, with how many events each made
// (a teacher's index of what the scenario demonstrates). Picking one goes to its first event: in a
// debug session of that scenario the debugger goes there (custom request `tcpGoToRule`, back or
// forward); without one, the editor shows the line that led to it. Each item's button opens the
// RFC section or the kernel source. From the command palette, the debug toolbar, the diagram
// panel's title and the editor's context menu.
import * as vscode from 'vscode';
import type { ProfileName } from '../engine/program';
import type { RuleUse } from '../text/explain';
import { DEBUG_TYPE, programUri } from './debugDiagram';
import { DiagramPanel } from './diagramPanel';
import { activeScenarioEditor } from './editors';
import { translate } from './localize';
import { defaultProfile } from './profile';
import { runInWorker } from './runner';

export const WHY_COMMAND = 'tcpscenario.why';

interface RuleItem extends vscode.QuickPickItem {
  use: RuleUse;
}

export function registerWhy(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(WHY_COMMAND, (resource?: unknown, rule?: unknown) =>
      why(resource instanceof vscode.Uri ? resource : undefined, typeof rule === 'string' ? rule : undefined),
    ),
  );
}

/** The debug session of this scenario, if one is running. */
function sessionOf(uri: vscode.Uri): vscode.DebugSession | undefined {
  const session = vscode.debug.activeDebugSession;
  if (session?.type !== DEBUG_TYPE || typeof session.configuration.program !== 'string') return undefined;
  return programUri(session.configuration.program).toString() === uri.toString() ? session : undefined;
}

/** Which scenario: the one given, the one being debugged, the diagram's, the active editor's. */
function scenarioUri(resource: vscode.Uri | undefined): vscode.Uri | undefined {
  if (resource) return resource;
  const session = vscode.debug.activeDebugSession;
  if (session?.type === DEBUG_TYPE && typeof session.configuration.program === 'string') return programUri(session.configuration.program);
  return DiagramPanel.current?.document ?? activeScenarioEditor()?.document.uri;
}

/**
 * Shows the index and goes to the rule picked (`rule`: that rule's id, no pick, for tests and
 * keybindings). Returns the id of the rule gone to.
 */
async function why(resource: vscode.Uri | undefined, rule: string | undefined): Promise<string | undefined> {
  const uri = scenarioUri(resource);
  if (!uri) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a .tcpscenario file to see the rules it uses.'));
    return undefined;
  }
  const uses = await rulesOf(uri);
  if (!uses) return undefined;
  const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
  if (uses.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No event of {0} comes from a rule of TCP: everything in it is a statement of the scenario.', name));
    return undefined;
  }
  const use = rule !== undefined ? uses.find((u) => u.id === rule) : await pick(uses, name);
  if (!use) return undefined;
  await goTo(uri, use);
  return use.id;
}

/** The rules the scenario uses, from a run in the worker (the debug session's profile, when there is one). */
async function rulesOf(uri: vscode.Uri): Promise<RuleUse[] | undefined> {
  const document = await vscode.workspace.openTextDocument(uri);
  const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
  const profile: unknown = sessionOf(uri)?.configuration.profile;
  const outcome = await runInWorker({
    kind: 'rules',
    text: document.getText(),
    scope: uri,
    defaultProfile: defaultProfile(uri),
    profile: profile === 'rfc' || profile === 'linux' ? (profile as ProfileName) : undefined,
    progress: { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Running {0}', name) },
  });
  if (outcome.kind === 'cancelled') return undefined;
  if (outcome.kind === 'failed') {
    void vscode.window.showErrorMessage(outcome.message);
    return undefined;
  }
  const { result } = outcome;
  const error = result.diagnostics.find((d) => d.severity === 'error');
  if (error) {
    void vscode.window.showErrorMessage(`${vscode.l10n.t('The scenario has errors, so there is no index of its rules:')} ${name}:${error.range.line}:${error.range.column}: ${translate(error.template, error.args)}`);
    return undefined;
  }
  if (result.engineError !== undefined) {
    void vscode.window.showErrorMessage(result.engineError);
    return undefined;
  }
  return result.rules ?? [];
}

function pick(uses: readonly RuleUse[], name: string): Promise<RuleUse | undefined> {
  const items: RuleItem[] = uses.map((use) => ({
    label: use.rule.source,
    description: use.count === 1 ? vscode.l10n.t('1 event') : vscode.l10n.t('{0} events', String(use.count)),
    detail: vscode.l10n.t(use.rule.summary),
    buttons: [{ iconPath: new vscode.ThemeIcon('link-external'), tooltip: vscode.l10n.t('Open {0}', use.rule.source) }],
    use,
  }));
  const quickPick = vscode.window.createQuickPick<RuleItem>();
  quickPick.title = vscode.l10n.t('Why? The rules of TCP at work in {0}', name);
  quickPick.placeholder = vscode.l10n.t('Pick a rule to go to the first event it made');
  quickPick.matchOnDescription = true;
  quickPick.matchOnDetail = true;
  quickPick.items = items;
  return new Promise((resolve) => {
    let chosen: RuleUse | undefined;
    quickPick.onDidTriggerItemButton((event) => void vscode.env.openExternal(vscode.Uri.parse(event.item.use.rule.url)));
    quickPick.onDidAccept(() => {
      chosen = quickPick.selectedItems[0]?.use;
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      quickPick.dispose();
      resolve(chosen);
    });
    quickPick.show();
  });
}

/** To the rule's first event: the debugger goes there, or the editor shows the line that led to it. */
async function goTo(uri: vscode.Uri, use: RuleUse): Promise<void> {
  const session = sessionOf(uri);
  if (session) {
    try {
      await session.customRequest('tcpGoToRule', { rule: use.id });
    } catch (error) {
      void vscode.window.showWarningMessage(error instanceof Error ? error.message : String(error));
    }
    return;
  }
  const editor = await vscode.window.showTextDocument(uri, { preserveFocus: false });
  const line = Math.min(Math.max((use.line ?? 1) - 1, 0), editor.document.lineCount - 1);
  const range = editor.document.lineAt(line).range;
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
