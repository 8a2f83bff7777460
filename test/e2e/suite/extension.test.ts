// The extension from source in a real VS Code, driven as a user would: open a scenario, see the
// errors of a broken one, "Break on State..." TIME-WAIT, F5, stop there with the TCB in Variables,
// step back, look at the diagram, run the scenarios in the Testing view. Screenshots of each step
// go to test-artifacts/e2e/.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as ui from './ui';
import { EXTENSION_ID, waitFor, workspaceFile } from './util';

interface TraceBody {
  from: number;
  events: { kind: string; endpoint?: string; to?: string }[];
  current: number;
}

interface AdapterMessages {
  stopped: DebugProtocol.StoppedEvent[];
  /** The `tcpTrace` bodies, and the trace they add up to (as the diagram keeps it). */
  traces: TraceBody[];
  trace: TraceBody['events'];
}

/** Records what the debug adapter sends, as a DAP client sees it. */
function recordAdapterMessages(): { messages: AdapterMessages; registration: vscode.Disposable } {
  const messages: AdapterMessages = { stopped: [], traces: [], trace: [] };
  const registration = vscode.debug.registerDebugAdapterTrackerFactory('tcpscenario', {
    createDebugAdapterTracker: () => ({
      onDidSendMessage: (message: DebugProtocol.ProtocolMessage) => {
        if (message.type !== 'event') return;
        const event = message as DebugProtocol.Event;
        if (event.event === 'stopped') messages.stopped.push(event as DebugProtocol.StoppedEvent);
        if (event.event === 'tcpTrace') {
          const body = event.body as TraceBody;
          messages.traces.push(body);
          messages.trace = [...messages.trace.slice(0, body.from), ...body.events];
        }
      },
    }),
  });
  return { messages, registration };
}

/** The Variables view's content for the top frame: scope name -> variables. */
async function variablesAtStop(session: vscode.DebugSession, threadId: number): Promise<Map<string, DebugProtocol.Variable[]>> {
  const { stackFrames } = (await session.customRequest('stackTrace', { threadId })) as DebugProtocol.StackTraceResponse['body'];
  assert.ok(stackFrames.length > 0, 'a stopped thread has a stack frame');
  const { scopes } = (await session.customRequest('scopes', { frameId: stackFrames[0].id })) as DebugProtocol.ScopesResponse['body'];
  const result = new Map<string, DebugProtocol.Variable[]>();
  for (const scope of scopes) {
    const { variables } = (await session.customRequest('variables', { variablesReference: scope.variablesReference })) as DebugProtocol.VariablesResponse['body'];
    result.set(scope.name, variables);
  }
  return result;
}

function stateOf(scopes: Map<string, DebugProtocol.Variable[]>, endpoint: string): string | undefined {
  for (const [name, variables] of scopes) {
    if (name.startsWith(`${endpoint} `)) return variables.find((v) => v.name === 'state')?.value;
  }
  return undefined;
}

async function showScenario(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(name));
  return vscode.window.showTextDocument(document, vscode.ViewColumn.One);
}

describe('TCP Scenario Debugger in VS Code', () => {
  let session: vscode.DebugSession | undefined;
  let recorder: ReturnType<typeof recordAdapterMessages>;

  before(async () => {
    recorder = recordAdapterMessages();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await ui.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    recorder.registration.dispose();
    if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging();
  });

  it('opens an example as the tcpscenario language and activates', async () => {
    const editor = await showScenario('examples/02-four-way-teardown.tcpscenario');
    assert.equal(editor.document.languageId, 'tcpscenario');
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is loaded`);
    await waitFor('the extension to activate', () => extension.isActive);
    await ui.screenshot('01-scenario-open');
  });

  it('reports the mistakes of a broken file at their lines', async () => {
    const editor = await showScenario('fixtures/broken.tcpscenario');
    const diagnostics = await waitFor('diagnostics of broken.tcpscenario', () => {
      const found = vscode.languages.getDiagnostics(editor.document.uri);
      return found.length >= 2 ? found : undefined;
    });
    const byLine = new Map(diagnostics.map((d) => [d.range.start.line + 1, d]));
    // Line 8: `client conect server`; line 9: `expect client is TIME_WAIT`.
    assert.match(byLine.get(8)?.message ?? '', /conect|connect/);
    assert.equal(byLine.get(8)?.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(byLine.has(9), `a diagnostic on line 9, got lines ${[...byLine.keys()].join(', ')}`);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await ui.screenshot('02-diagnostics');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  it('adds a TIME-WAIT function breakpoint with "Break on State..."', async () => {
    await showScenario('examples/02-four-way-teardown.tcpscenario');
    const added = waitFor('the TIME-WAIT function breakpoint', () =>
      vscode.debug.breakpoints.find((b) => b instanceof vscode.FunctionBreakpoint && b.functionName === 'TIME-WAIT'),
    );
    if (ui.available) {
      void vscode.commands.executeCommand('tcpscenario.breakOnState');
      await ui.waitFor('.quick-input-widget .monaco-list-row');
      await ui.type('TIME-WAIT');
      await ui.screenshot('03-break-on-state');
      await ui.press('Enter');
      await ui.waitFor('.quick-input-widget .monaco-list-row[aria-label*="client"]');
      await ui.screenshot('04-which-endpoint');
      await ui.press('Enter'); // the first item: any endpoint
    } else {
      void vscode.commands.executeCommand('tcpscenario.breakOnState', 'TIME-WAIT');
      const accept = setInterval(() => void vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem'), 200);
      await added.finally(() => clearInterval(accept));
    }
    await added;
    if (ui.available) {
      // The confirmation: a function breakpoint shows nowhere near the editor.
      // (The e2e workbench runs with the smoke-test driver, which shows no toasts: the notification is in the list.)
      await vscode.commands.executeCommand('notifications.showList');
      await ui.waitFor('.notifications-center .notification-list-item:has-text("Breakpoint set"):has-text("TIME-WAIT")');
      await ui.screenshot('04a-breakpoint-set');
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('notifications.hideList');
    }
  });

  it('F5 with no launch.json stops at TIME-WAIT with the TCB in Variables', async () => {
    const editor = await showScenario('examples/02-four-way-teardown.tcpscenario');
    const started = new Promise<vscode.DebugSession>((resolve) => {
      const listener = vscode.debug.onDidStartDebugSession((s) => {
        listener.dispose();
        resolve(s);
      });
    });
    if (ui.available) {
      await vscode.window.showTextDocument(editor.document, { preserveFocus: false });
      await ui.press('F5');
    } else {
      await vscode.commands.executeCommand('workbench.action.debug.start');
    }
    session = await started;
    assert.equal(session.type, 'tcpscenario');
    assert.match(String(session.configuration.program), /02-four-way-teardown\.tcpscenario$/);

    const stop = await waitFor('the stop at TIME-WAIT', () => recorder.messages.stopped[0]);
    assert.equal(stop.body.reason, 'function breakpoint');
    const scopes = await variablesAtStop(session, stop.body.threadId ?? 1);
    assert.equal(stateOf(scopes, 'client'), 'TIME-WAIT', `client's state in ${JSON.stringify([...scopes.keys()])}`);
    await waitFor('the Variables view to show TIME-WAIT', async () => !ui.available || (await ui.count('.debug-view-content .monaco-list-row[aria-label*="TIME-WAIT"]')) > 0);
    await ui.screenshot('05-stopped-at-time-wait');
  });

  it('steps back from the transition into TIME-WAIT', async () => {
    assert.ok(session, 'a debug session from the previous test');
    const { messages } = recorder;
    const stopsBefore = messages.stopped.length;
    const atStop = await waitFor('the trace at the stop', () => messages.traces[stopsBefore - 1]);
    const transition = messages.trace[atStop.current];
    assert.deepEqual([transition?.kind, transition?.endpoint, transition?.to], ['transition', 'client', 'TIME-WAIT'], 'the stop highlights the transition');
    await vscode.commands.executeCommand('workbench.action.debug.stepBack');
    const stop = await waitFor('the stop after step back', () => messages.stopped[stopsBefore]);
    assert.equal(stop.body.reason, 'step');
    const afterStep = await waitFor('the trace after step back', () => messages.traces[stopsBefore]);
    assert.ok(afterStep.current < atStop.current, `the current event moves back: ${afterStep.current} < ${atStop.current}`);
    // One event before the transition, the client is still in FIN-WAIT-2.
    const scopes = await variablesAtStop(session, stop.body.threadId ?? 1);
    assert.equal(stateOf(scopes, 'client'), 'FIN-WAIT-2');
    if (ui.available) {
      // Wait for the views to catch up with the stop: the Call Stack's top frame, the diagram's highlight.
      const { stackFrames } = (await session.customRequest('stackTrace', { threadId: stop.body.threadId ?? 1 })) as DebugProtocol.StackTraceResponse['body'];
      const label = stackFrames[0].name.replace(/["\\]/g, '\\$&');
      await ui.waitFor(`.debug-view-content .monaco-list-row[aria-label*="${label}"]`);
      await ui.waitFor('svg g.item.current');
      await ui.waitFor('.debug-view-content .monaco-list-row[aria-label*="FIN-WAIT-2"]');
    }
    await ui.screenshot('06-stepped-back');
  });

  it('shows the diagram panel beside the editor, with its arrows', async () => {
    const panel = await waitFor('the diagram panel', () =>
      vscode.window.tabGroups.all
        .flatMap((group) => group.tabs)
        .find((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('tcpscenario')),
    );
    assert.notEqual(panel.group.viewColumn, vscode.ViewColumn.One, 'the diagram opens beside the editor');
    if (ui.available) {
      // The event the debugger stopped at is highlighted, among the segments' arrows.
      await ui.waitFor('svg g.item.current');
      assert.ok((await ui.count('svg g.arrow')) >= 1, 'arrows in the diagram');
      await ui.screenshot('07-diagram');
    }
  });

  it('clicking the highlighted event in the diagram reveals its line', async function () {
    if (!ui.available) this.skip(); // needs a pointer in the webview
    assert.ok(session, 'a debug session from the previous tests');
    const stop = recorder.messages.stopped.at(-1);
    const { stackFrames } = (await session.customRequest('stackTrace', { threadId: stop?.body.threadId ?? 1 })) as DebugProtocol.StackTraceResponse['body'];
    const statementLine = stackFrames.find((frame) => frame.line > 1)?.line;
    const editor = await showScenario('examples/02-four-way-teardown.tcpscenario');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await ui.click('svg g.item.current');
    await waitFor('the editor to reveal the clicked event\'s line', () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.toString() === editor.document.uri.toString() && active.selection.active.line + 1 === statementLine;
    });
  });

  it('continues: TIME-WAIT again (the replay is deterministic), then to the end', async () => {
    assert.ok(session, 'a debug session from the previous tests');
    const { messages } = recorder;
    const stopsBefore = messages.stopped.length;
    await vscode.commands.executeCommand('workbench.action.debug.continue');
    const again = await waitFor('the TIME-WAIT breakpoint again', () => messages.stopped[stopsBefore]);
    assert.equal(again.body.reason, 'function breakpoint');
    const atStop = await waitFor('the trace at the stop', () => messages.traces[stopsBefore]);
    assert.equal(messages.trace[atStop.current]?.to, 'TIME-WAIT');

    const ended = new Promise<void>((resolve) => {
      const listener = vscode.debug.onDidTerminateDebugSession((s) => {
        if (s.id !== session?.id) return;
        listener.dispose();
        resolve();
      });
    });
    await vscode.commands.executeCommand('workbench.action.debug.continue');
    await Promise.race([
      ended,
      waitFor('the end of the session', () => {
        const stop = messages.stopped[stopsBefore + 1];
        if (stop) throw new Error(`stopped again before the end: ${JSON.stringify(stop.body)}`);
        return false;
      }, 60_000),
    ]);
    session = undefined;
    await ui.screenshot('08-session-ended');
  });

  it('"Test: Run All Tests" before the Testing view was ever opened runs every scenario of the workspace', async function () {
    if (!ui.available) this.skip(); // the results show only in the UI (the gutter of a file that was not open)
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('testing.runAll');
    // A file nobody opened: its expect lines have results (passed marks in the gutter), not run buttons.
    await showScenario('examples/13-loss-and-retransmission.tcpscenario');
    await waitFor('passed marks in the gutter of a file that was not open', async () => (await ui.count('.monaco-editor .codicon-testing-passed-icon')) > 0);
    assert.equal(await ui.count('.monaco-editor .codicon-testing-failed-icon'), 0);
    await ui.screenshot('09a-run-all-tests');
  });

  it('runs the scenarios with expect lines in the Testing view', async () => {
    await showScenario('fixtures/expectations.tcpscenario');
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate(); // its test controller, with the open file's tests
    await vscode.commands.executeCommand('workbench.view.testing.focus');
    await vscode.commands.executeCommand('testing.runAll');
    if (ui.available) {
      await ui.waitFor('.test-explorer .codicon-testing-failed-icon');
      // In the editor's gutter: the passed expect line, and the failed one (besides the file's own mark).
      await ui.waitFor('.monaco-editor .codicon-testing-passed-icon');
      await waitFor('two failure marks in the gutter', async () => (await ui.count('.monaco-editor .codicon-testing-failed-icon')) >= 2);
      await ui.screenshot('09-testing-view');
    }
  });
});
