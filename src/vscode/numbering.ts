// One setting for how sequence numbers are written: `tcpscenario.sequenceNumbers` (relative to
// each side's ISN, or absolute), honoured by the diagram, the debugger (Call Stack, Variables,
// hovers, stop descriptions, Debug Console) and Run's report. The diagram's toolbar toggle writes
// it; a change reaches every running tcpscenario debug session (custom request `tcpNumbering`),
// which tells VS Code to fetch its views again. `tcpscenario.diagram.sequenceNumbers`, the old
// name, is still read when the new one is not set.
import * as vscode from 'vscode';
import type { Numbering } from '../text/format';

const SECTION = 'tcpscenario';
const SETTING = 'sequenceNumbers';
const OLD_SETTING = 'diagram.sequenceNumbers';
const DEBUG_TYPE = 'tcpscenario';

function isNumbering(value: unknown): value is Numbering {
  return value === 'relative' || value === 'absolute';
}

/** Whether the setting (new or old name) was set anywhere. */
function explicitly(inspect: ReturnType<vscode.WorkspaceConfiguration['inspect']>): unknown {
  return inspect?.workspaceFolderValue ?? inspect?.workspaceValue ?? inspect?.globalValue;
}

/** The numbering in force for a file. */
export function numberingSetting(scope?: vscode.Uri): Numbering {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const current = explicitly(config.inspect(SETTING));
  if (isNumbering(current)) return current;
  const old = explicitly(config.inspect(OLD_SETTING));
  if (isNumbering(old)) return old;
  const fallback = config.get<unknown>(SETTING);
  return isNumbering(fallback) ? fallback : 'relative';
}

export function affectsNumbering(event: vscode.ConfigurationChangeEvent, scope?: vscode.Uri): boolean {
  return event.affectsConfiguration(`${SECTION}.${SETTING}`, scope) || event.affectsConfiguration(`${SECTION}.${OLD_SETTING}`, scope);
}

/** Writes the setting where it is set now (a workspace value wins over the user's), else in the user settings. */
export async function setNumbering(numbering: Numbering, scope?: vscode.Uri): Promise<void> {
  if (numberingSetting(scope) === numbering) return;
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const inspect = config.inspect(SETTING);
  const target =
    inspect?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : inspect?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  await config.update(SETTING, numbering, target);
}

/** Running tcpscenario sessions hear about a change of the setting. */
export function registerNumbering(context: vscode.ExtensionContext): void {
  const sessions = new Set<vscode.DebugSession>();
  context.subscriptions.push(
    vscode.debug.onDidStartDebugSession((session) => {
      if (session.type === DEBUG_TYPE) sessions.add(session);
    }),
    vscode.debug.onDidTerminateDebugSession((session) => sessions.delete(session)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!affectsNumbering(event)) return;
      for (const session of sessions) {
        const program: unknown = session.configuration.program;
        const scope = typeof program === 'string' && !/^[a-z][\w+.-]+:\/\//i.test(program) ? vscode.Uri.file(program) : undefined;
        // A session that has ended in the meantime answers with an error: nothing to do.
        void Promise.resolve(session.customRequest('tcpNumbering', { sequenceNumbers: numberingSetting(scope) })).catch(() => undefined);
      }
    }),
  );
}
