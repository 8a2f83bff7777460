// Debugging in VS Code: F5 on a scenario with no launch.json, the inline debug adapter, the
// "Break on State..." command, and the diagram panel following each debug session.
// The adapter itself (src/debug/session.ts) knows nothing of VS Code; it gets file access
// through vscode.workspace.fs here, so virtual workspaces work too.
import * as vscode from 'vscode';
import { TcpScenarioDebugSession, type LaunchArguments } from '../debug/session';
import { TCP_STATES, type TcpState } from '../engine/trace';
import { normalizeState, parse } from '../language/index';
import { STATE_HELP } from '../language/service/index';
import { DEBUG_TYPE, followDebugSessions, programUri } from './debugDiagram';
import { activeDebuggableEditor, isDebuggable } from './editors';
import { LANGUAGE_ID, vscodeTranslator } from './localize';
import { numberingSetting } from './numbering';
import { defaultProfile, hasProfileLine } from './profile';
import { readScenarioUri } from './readScenario';
import { isPacketdrillFile } from '../run/packetdrill';

export { DEBUG_TYPE };
export const DEBUG_FILE_COMMAND = 'tcpscenario.debugFile';
export const BREAK_ON_STATE_COMMAND = 'tcpscenario.breakOnState';

export type ScenarioDebugConfiguration = vscode.DebugConfiguration & Partial<LaunchArguments>;

export function registerDebugging(context: vscode.ExtensionContext): void {
  // What the adapter must not show the user (stack traces, its own paths) goes here: Output > TCP Scenario Debugger.
  const log = vscode.window.createOutputChannel(vscode.l10n.t('TCP Scenario Debugger'), { log: true });
  context.subscriptions.push(
    log,
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new ScenarioConfigurationProvider()),
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      { provideDebugConfigurations: () => openScenarios().map((uri) => launchConfiguration(uri)) },
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, {
      createDebugAdapterDescriptor: () => new vscode.DebugAdapterInlineImplementation(new TcpScenarioDebugSession(readScenario, { error: (message) => log.error(message) }, () => vscodeTranslator())),
    }),
    vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, { createDebugAdapterTracker: () => new ShowDebugViewOnBreak() }),
    vscode.commands.registerCommand(DEBUG_FILE_COMMAND, (resource?: vscode.Uri) => debugFile(resource)),
    vscode.commands.registerCommand(BREAK_ON_STATE_COMMAND, (state?: unknown, endpoint?: unknown) =>
      breakOnState(typeof state === 'string' ? state : undefined, typeof endpoint === 'string' ? endpoint : undefined),
    ),
  );
  followDebugSessions(context);
}

/**
 * VS Code opens the Run and Debug view (Variables, Call Stack) on a stop only when its reason is
 * `breakpoint`; stops on a state (`function breakpoint`) or on a TCB field (`data breakpoint`) are
 * this debugger's main breakpoints, so they get the same treatment, under the same setting.
 */
class ShowDebugViewOnBreak implements vscode.DebugAdapterTracker {
  onDidSendMessage(message: { type?: string; event?: string; body?: { reason?: string } }): void {
    if (message.type !== 'event' || message.event !== 'stopped') return;
    const reason = message.body?.reason;
    if (reason !== 'function breakpoint' && reason !== 'data breakpoint') return;
    if (vscode.workspace.getConfiguration('debug').get<string>('openDebug') !== 'openOnDebugBreak') return;
    void vscode.commands.executeCommand('workbench.view.debug');
  }
}

/** `program` as the adapter gets it: a file path for local files, a URI string for anything else. */
export function programOf(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

/** The adapter's file reader: an open editor's text first (what the user sees), else the file, checked as everywhere (src/vscode/readScenario.ts). */
function readScenario(program: string): Promise<string> {
  return readScenarioUri(programUri(program));
}

function openScenarios(): vscode.Uri[] {
  const active = activeDebuggableEditor()?.document;
  const uris = vscode.workspace.textDocuments.filter((doc) => isDebuggable(doc)).map((doc) => doc.uri);
  return isDebuggable(active) ? [active!.uri, ...uris.filter((u) => u.toString() !== active!.uri.toString())] : uris;
}

function basename(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

function launchConfiguration(uri: vscode.Uri, stopOnEntry = false): ScenarioDebugConfiguration {
  return {
    type: DEBUG_TYPE,
    request: 'launch',
    name: vscode.l10n.t('Debug {0}', basename(uri)),
    program: programOf(uri),
    stopOnEntry,
  };
}

class ScenarioConfigurationProvider implements vscode.DebugConfigurationProvider {
  /** F5 with no launch.json (an empty configuration): debug the active scenario. */
  resolveDebugConfiguration(
    _folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): vscode.ProviderResult<vscode.DebugConfiguration> {
    if (!config.type && !config.request && !config.name) {
      const editor = activeDebuggableEditor();
      if (!editor || !isDebuggable(editor.document)) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Open a .tcpscenario file (or a packetdrill .pkt script) to debug it.'));
        return undefined;
      }
      return launchConfiguration(editor.document.uri);
    }
    return config;
  }

  /** After ${file} and friends are substituted: fill in defaults from the settings. */
  async resolveDebugConfigurationWithSubstitutedVariables(
    _folder: vscode.WorkspaceFolder | undefined,
    config: ScenarioDebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    if (!config.program) {
      const active = activeDebuggableEditor()?.document;
      if (!active || !isDebuggable(active)) {
        void vscode.window.showErrorMessage(vscode.l10n.t('The launch configuration has no "program": the .tcpscenario file to debug.'));
        return undefined;
      }
      config.program = programOf(active.uri);
    }
    config.stopOnEntry ??= false;
    config.sequenceNumbers ??= numberingSetting(programUri(config.program));
    // The default profile applies to files without a `profile` line; a file's own line wins.
    const profile = defaultProfile(programUri(config.program));
    // A packetdrill script always runs in the linux profile (src/run/packetdrill.ts).
    if (config.profile === undefined && profile !== 'rfc' && !isPacketdrillFile(config.program)) {
      try {
        const text = await readScenario(config.program);
        if (!hasProfileLine(parse(text).ast)) config.profile = profile;
      } catch {
        // The adapter reports an unreadable file with its path; nothing to add here.
      }
    }
    return config;
  }
}

/** The CodeLens "Debug" and the editor title's debug button. */
async function debugFile(resource?: vscode.Uri): Promise<boolean> {
  const uri = resource instanceof vscode.Uri ? resource : activeDebuggableEditor()?.document.uri;
  if (!uri) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a .tcpscenario file (or a packetdrill .pkt script) to debug it.'));
    return false;
  }
  return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(uri), launchConfiguration(uri));
}

interface EndpointItem extends vscode.QuickPickItem {
  endpoint?: string;
}

/** The endpoints declared in a scenario (name and address as written). */
function declaredEndpoints(document: vscode.TextDocument | undefined): { name: string; address?: string }[] {
  if (document?.languageId !== LANGUAGE_ID) return [];
  const endpoints: { name: string; address?: string }[] = [];
  for (const statement of parse(document.getText()).ast.statements) {
    if (statement.kind === 'endpoint' && statement.name) endpoints.push({ name: statement.name.text, address: statement.address?.text });
  }
  return endpoints;
}

/**
 * "TCP Scenario: Break on State...": a state, then any endpoint or one of the file's, and a function
 * breakpoint such as `TIME-WAIT` or `client:TIME-WAIT`. The hover of a state passes the state (and
 * the endpoint when the hover knows it), which skips those picks. Returns the breakpoint's name.
 */
async function breakOnState(stateArgument?: string, endpointArgument?: string): Promise<string | undefined> {
  let state = stateArgument === undefined ? undefined : normalizeState(stateArgument.trim());
  if (!state) {
    const picked = await vscode.window.showQuickPick(
      TCP_STATES.map((s) => ({ label: s, detail: vscode.l10n.t(STATE_HELP[s].meaning) })),
      {
        title: vscode.l10n.t('Break on State'),
        placeHolder: vscode.l10n.t('Stop when an endpoint enters this state'),
      },
    );
    if (!picked) return undefined;
    state = picked.label as TcpState;
  }

  let endpoint = endpointArgument;
  if (endpoint === undefined) {
    const endpoints = declaredEndpoints(vscode.window.activeTextEditor?.document);
    if (endpoints.length > 0) {
      const items: EndpointItem[] = [
        { label: vscode.l10n.t('Any endpoint'), description: vscode.l10n.t('Break when any endpoint enters {0}', state) },
        ...endpoints.map((e) => ({ label: e.name, description: e.address, endpoint: e.name })),
      ];
      const picked = await vscode.window.showQuickPick(items, {
        title: vscode.l10n.t('Break on State: {0}', state),
        placeHolder: vscode.l10n.t('Which endpoint?'),
      });
      if (!picked) return undefined;
      endpoint = picked.endpoint;
    }
  }

  const name = endpoint ? `${endpoint}:${state}` : state;
  const exists = vscode.debug.breakpoints.some((b) => b instanceof vscode.FunctionBreakpoint && b.functionName === name);
  if (!exists) vscode.debug.addBreakpoints([new vscode.FunctionBreakpoint(name)]);
  void confirmBreakpoint(state, endpoint, exists);
  return name;
}

/** A notification saying what was set (a function breakpoint shows nowhere near the editor), with "Start Debugging" when a scenario is open. */
async function confirmBreakpoint(state: TcpState, endpoint: string | undefined, existed: boolean): Promise<void> {
  const message = existed
    ? endpoint
      ? vscode.l10n.t('This breakpoint was already set: the debugger stops when {0} enters {1}.', endpoint, state)
      : vscode.l10n.t('This breakpoint was already set: the debugger stops when any endpoint enters {0}.', state)
    : endpoint
      ? vscode.l10n.t('Breakpoint set: the debugger stops when {0} enters {1}.', endpoint, state)
      : vscode.l10n.t('Breakpoint set: the debugger stops when any endpoint enters {0}.', state);
  const scenario = openScenarios()[0];
  const startDebugging = vscode.l10n.t('Start Debugging');
  const actions = scenario && vscode.debug.activeDebugSession?.type !== DEBUG_TYPE ? [startDebugging] : [];
  if ((await vscode.window.showInformationMessage(message, ...actions)) === startDebugging && scenario) await debugFile(scenario);
}
