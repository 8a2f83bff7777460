// Activation only: wires the language features, the runner, the diagram, the debugger and
// the test controller into VS Code. Each piece lives in src/vscode/.
import type * as vscode from 'vscode';
import { registerCaptureImport } from './vscode/captureEditor';
import { registerCodeLens } from './vscode/codeLens';
import { registerDebugging } from './vscode/debug';
import { registerDiagram } from './vscode/diagram';
import { registerDiagnostics } from './vscode/diagnostics';
import { registerLanguageFeatures } from './vscode/languageFeatures';
import { registerNumbering } from './vscode/numbering';
import { registerPacketdrill } from './vscode/packetdrill';
import { registerRun } from './vscode/run';
import { setWorkerScript } from './vscode/runner';
import { registerTesting } from './vscode/testing';
import { registerWalkthrough } from './vscode/walkthrough';
import { registerWhy } from './vscode/why';

export function activate(context: vscode.ExtensionContext): void {
  setWorkerScript(context.extensionUri);
  registerDiagnostics(context);
  registerLanguageFeatures(context);
  registerCodeLens(context);
  registerRun(context);
  registerDiagram(context);
  registerDebugging(context);
  registerNumbering(context);
  registerWhy(context);
  registerTesting(context);
  registerWalkthrough(context);
  registerCaptureImport(context);
  registerPacketdrill(context);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
