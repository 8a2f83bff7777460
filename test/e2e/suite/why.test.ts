// How the product speaks, in a real VS Code (issues 14 and 15): the "Why?" index (a quick pick of the
// rules a scenario uses, which reveals a rule's line without a debugger and moves the debugger to its
// first event with one), stop descriptions that name the rule, and the one numbering setting that
// the debugger follows during a session.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as ui from './ui';
import { waitFor, workspaceFile } from './util';

const TEARDOWN = 'examples/02-four-way-teardown.tcpscenario';
const FIN_TIME_WAIT = 'rfc9293.3.10.7.4.fin.time-wait';

function stops(): { stopped: DebugProtocol.StoppedEvent[]; invalidated: number; registration: vscode.Disposable } {
  const recorded = { stopped: [] as DebugProtocol.StoppedEvent[], invalidated: 0, registration: undefined as unknown as vscode.Disposable };
  recorded.registration = vscode.debug.registerDebugAdapterTrackerFactory('tcpscenario', {
    createDebugAdapterTracker: () => ({
      onDidSendMessage: (message: DebugProtocol.ProtocolMessage) => {
        if (message.type !== 'event') return;
        const event = message as DebugProtocol.Event;
        if (event.event === 'stopped') recorded.stopped.push(event as DebugProtocol.StoppedEvent);
        if (event.event === 'invalidated') recorded.invalidated++;
      },
    }),
  });
  return recorded;
}

async function topFrame(session: vscode.DebugSession, threadId: number): Promise<DebugProtocol.StackFrame> {
  const { stackFrames } = (await session.customRequest('stackTrace', { threadId })) as DebugProtocol.StackTraceResponse['body'];
  return stackFrames[0];
}

describe('Why? and one way of writing numbers', () => {
  let recorded: ReturnType<typeof stops>;
  let session: vscode.DebugSession | undefined;
  const setting = () => vscode.workspace.getConfiguration('tcpscenario');

  before(async () => {
    recorded = stops();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await ui.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    recorded.registration.dispose();
    if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging();
    await setting().update('sequenceNumbers', undefined, vscode.ConfigurationTarget.Global);
  });

  it('without a debugger, "Why?" lists the rules and reveals the line that led to the one picked', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile(TEARDOWN)), vscode.ViewColumn.One);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    if (ui.available) {
      void vscode.commands.executeCommand('tcpscenario.why');
      await ui.waitFor('.quick-input-widget .monaco-list-row[aria-label*="RFC 9293 3.10.7.4"]');
      await ui.screenshot('30-why-index');
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    }
    const went = await vscode.commands.executeCommand<string | undefined>('tcpscenario.why', workspaceFile(TEARDOWN), FIN_TIME_WAIT);
    assert.equal(went, FIN_TIME_WAIT);
    const line = await waitFor('the editor to select a line', () => {
      const active = vscode.window.activeTextEditor;
      return active && active.selection.start.line > 0 ? active.selection.start.line + 1 : undefined;
    });
    // The server's close sends the FIN that puts the client in TIME-WAIT.
    assert.match(vscode.window.activeTextEditor!.document.lineAt(line - 1).text, /close/);
  });

  it('in a debug session, "Why?" moves the debugger to the rule\'s first event, and the stop names the rule', async () => {
    await setting().update('sequenceNumbers', 'absolute', vscode.ConfigurationTarget.Global);
    const started = new Promise<vscode.DebugSession>((resolve) => {
      const listener = vscode.debug.onDidStartDebugSession((s) => {
        listener.dispose();
        resolve(s);
      });
    });
    await vscode.debug.startDebugging(undefined, { type: 'tcpscenario', request: 'launch', name: 'why', program: workspaceFile(TEARDOWN).fsPath, stopOnEntry: true });
    session = await started;
    assert.equal(session.configuration.sequenceNumbers, 'absolute', 'the launch takes the setting');
    await waitFor('the stop on entry', () => recorded.stopped[0]);
    const went = await vscode.commands.executeCommand<string | undefined>('tcpscenario.why', undefined, FIN_TIME_WAIT);
    assert.equal(went, FIN_TIME_WAIT);
    const stop = await waitFor('the stop at the rule', () => recorded.stopped[1]);
    assert.equal(stop.body.reason, 'goto');
    assert.match(stop.body.description ?? '', /^client entered TIME-WAIT: RFC 9293 3\.10\.7\.4, FIN,ACK in FIN-WAIT-2$/);
    await ui.screenshot('31-why-in-the-debugger');
  });

  it('the numbering setting reaches the running session: the Call Stack is written again', async () => {
    assert.ok(session, 'the session of the previous test');
    // Step to an event with a segment (the client's ACK of the FIN).
    let threadId = recorded.stopped[1]?.body.threadId ?? 1;
    let absolute = await topFrame(session, threadId);
    for (let steps = 0; !/seq=/.test(absolute.name) && steps < 6; steps++) {
      const before = recorded.stopped.length;
      await vscode.commands.executeCommand('workbench.action.debug.stepInto');
      const stop = await waitFor('a step', () => recorded.stopped[before]);
      threadId = stop.body.threadId ?? threadId;
      absolute = await topFrame(session, threadId);
    }
    assert.match(absolute.name, /seq=102 ack=302/, 'absolute numbers first');
    const invalidatedBefore = recorded.invalidated;
    await setting().update('sequenceNumbers', 'relative', vscode.ConfigurationTarget.Global);
    await waitFor('an invalidated event', () => recorded.invalidated > invalidatedBefore);
    const relative = await topFrame(session, threadId);
    assert.notEqual(relative.name, absolute.name, `${absolute.name} / ${relative.name}`);
    assert.match(relative.name, /seq=2 ack=2 /, 'relative to each side\'s ISN');
    await vscode.debug.stopDebugging(session);
    session = undefined;
  });
});
