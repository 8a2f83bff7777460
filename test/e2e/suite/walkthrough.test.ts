// The walkthrough "Step through a TCP connection", as a first-time user follows it: open it, press
// each step's buttons (through the UI when the launcher is there, else by running the commands its
// links name), and see what each promises: the handshake example from the extension's own files, a
// TIME-WAIT breakpoint, the debugger stopping there, the diagram.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as ui from './ui';
import { EXTENSION_ID, waitFor } from './util';

interface Step {
  id: string;
  description: string;
}

interface Link {
  label: string;
  command: string;
  args: unknown[];
}

function extension(): vscode.Extension<unknown> {
  const found = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(found, `${EXTENSION_ID} is loaded`);
  return found;
}

/** The buttons of a step (English, as the e2e VS Code runs): label, command, arguments. */
function links(step: Step): Link[] {
  const nls = JSON.parse(fs.readFileSync(path.join(extension().extensionPath, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const text = step.description.replace(/^%(.+)%$/, (_, key: string) => nls[key] ?? '');
  return [...text.matchAll(/\[([^\]]+)\]\(command:(?:toSide:)?([\w.]+)(?:\?([^)\s]+))?\)/g)].map((m) => ({
    label: m[1],
    command: m[2],
    args: m[3] ? (JSON.parse(decodeURIComponent(m[3])) as unknown[]) : [],
  }));
}

/** Presses a step's button: a click on the walkthrough page, or the command it names. */
async function press(step: Step, label: string): Promise<void> {
  const link = links(step).find((l) => l.label === label);
  assert.ok(link, `${step.id} has a button "${label}"`);
  if (ui.available) {
    await ui.click(`[x-step-title-for$="#${step.id}"]`);
    await ui.click(`[x-step-description-for$="#${step.id}"] .monaco-button:has-text("${label}")`);
  } else {
    await vscode.commands.executeCommand(link.command, ...link.args);
  }
}

function visibleScenario(file: string): vscode.TextEditor | undefined {
  return vscode.window.visibleTextEditors.find((editor) => path.resolve(editor.document.uri.fsPath) === path.resolve(extension().extensionPath, file));
}

describe('the walkthrough', () => {
  const stopped: DebugProtocol.StoppedEvent[] = [];
  let tracker: vscode.Disposable;

  before(async () => {
    if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    tracker = vscode.debug.registerDebugAdapterTrackerFactory('tcpscenario', {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (message: DebugProtocol.ProtocolMessage) => {
          if (message.type === 'event' && (message as DebugProtocol.Event).event === 'stopped') stopped.push(message as DebugProtocol.StoppedEvent);
        },
      }),
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await ui.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    tracker.dispose();
    if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
  });

  it('takes a first-time user from the handshake example to a TIME-WAIT breakpoint and the diagram', async () => {
    const walkthroughs = (extension().packageJSON.contributes.walkthroughs ?? []) as { id: string; steps: Step[] }[];
    assert.equal(walkthroughs.length, 1, 'one walkthrough is contributed');
    const [walkthrough] = walkthroughs;
    const [handshake, breakOnTimeWait, debug, diagram] = walkthrough.steps;
    assert.equal(walkthrough.steps.length, 4);
    const commands = await vscode.commands.getCommands(true);
    for (const step of walkthrough.steps) for (const link of links(step)) assert.ok(commands.includes(link.command), `${link.command} is registered`);

    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#${walkthrough.id}`, false);
    if (ui.available) await ui.waitFor(`[x-step-title-for$="#${handshake.id}"]`);
    await ui.screenshot('20-walkthrough');

    // 1. The handshake example, from the extension's own files.
    await press(handshake, links(handshake)[0].label);
    const example = await waitFor('the handshake example in an editor', () => visibleScenario('examples/01-handshake.tcpscenario'));
    assert.equal(example.document.languageId, 'tcpscenario');

    // 2. The teardown example, and a breakpoint on TIME-WAIT (for any endpoint).
    const [openTeardown, breakButton] = links(breakOnTimeWait);
    await press(breakOnTimeWait, openTeardown.label);
    await waitFor('the teardown example in an editor', () => visibleScenario('examples/02-four-way-teardown.tcpscenario'));
    await press(breakOnTimeWait, breakButton.label);
    await waitFor('the TIME-WAIT breakpoint', () => vscode.debug.breakpoints.some((b) => b instanceof vscode.FunctionBreakpoint && b.functionName === 'TIME-WAIT'));
    if (ui.available) {
      await vscode.commands.executeCommand('notifications.showList');
      await ui.waitFor('.notifications-center .notification-list-item:has-text("Breakpoint set")');
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('notifications.hideList');
    }
    await ui.screenshot('21-walkthrough-breakpoint');

    // 3. Debug: it stops when the client enters TIME-WAIT.
    await press(debug, links(debug)[0].label);
    const session = await waitFor('a debug session', () => vscode.debug.activeDebugSession);
    assert.equal(path.resolve(String(session.configuration.program)), path.resolve(extension().extensionPath, 'examples', '02-four-way-teardown.tcpscenario'));
    const stop = await waitFor('the stop at TIME-WAIT', () => stopped[0]);
    assert.equal(stop.body.reason, 'function breakpoint');

    // 4. The diagram, beside the editor (the debug session opened it: close it first, so the button has to).
    const diagramTab = () =>
      vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('tcpscenario'));
    const opened = await waitFor('the diagram the debug session opened', diagramTab);
    await vscode.window.tabGroups.close(opened);
    await waitFor('the diagram to close', () => !diagramTab());
    await press(diagram, links(diagram)[0].label);
    await waitFor('the diagram panel', diagramTab);
    if (ui.available) {
      await ui.waitFor('svg g.arrow');
      // Each step is ticked off as its button ran.
      await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#${walkthrough.id}`, false);
      for (const step of walkthrough.steps) await ui.waitFor(`[data-done-step-id$="#${step.id}"][aria-checked="true"]`);
    }
    await ui.screenshot('22-walkthrough-done');
  });
});
