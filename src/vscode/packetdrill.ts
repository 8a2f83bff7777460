// packetdrill scripts (*.pkt) in VS Code (docs/packetdrill.md): the `packetdrill` language (colours
// from syntaxes/packetdrill.tmLanguage.json) and, as you type, the run path's diagnostics: what does
// not parse, and each construct the simulation does not model, at its line and column. The same as
// `tcpscenario check SCRIPT.pkt`; messages translated from their English templates. F5 is the
// debugger's (src/vscode/debug.ts).
import * as vscode from 'vscode';
import { RUN_MESSAGES } from '../run/messages';
import { preparePacketdrill } from '../run/packetdrill';
import { MAX_SCENARIO_BYTES } from '../run/read';
import { toVscodeDiagnostic } from './diagnostics';

export const PACKETDRILL_LANGUAGE = 'packetdrill';

/** The diagnostics of a script's text (parse, then what the simulation models). */
export function packetdrillDiagnostics(text: string): vscode.Diagnostic[] {
  if (text.length > MAX_SCENARIO_BYTES) {
    return [new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), vscode.l10n.t(RUN_MESSAGES.tooLarge, `${text.length}+`, String(MAX_SCENARIO_BYTES)), vscode.DiagnosticSeverity.Error)];
  }
  // The run path's reading: the parser, what the simulation models, and the scenario it becomes.
  return preparePacketdrill(text).diagnostics.map((d) => {
    const converted = toVscodeDiagnostic(d);
    converted.source = PACKETDRILL_LANGUAGE;
    return converted;
  });
}

export function registerPacketdrill(context: vscode.ExtensionContext): void {
  const collection = vscode.languages.createDiagnosticCollection(PACKETDRILL_LANGUAGE);
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const validate = (document: vscode.TextDocument) => {
    if (document.languageId !== PACKETDRILL_LANGUAGE) return;
    collection.set(document.uri, packetdrillDiagnostics(document.getText()));
  };
  const schedule = (document: vscode.TextDocument) => {
    if (document.languageId !== PACKETDRILL_LANGUAGE) return;
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    const delay = vscode.workspace.getConfiguration('tcpscenario', document.uri).get<number>('diagnostics.delay', 250);
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        if (!document.isClosed) validate(document);
      }, delay),
    );
  };
  context.subscriptions.push(
    collection,
    vscode.workspace.onDidOpenTextDocument(validate),
    vscode.workspace.onDidChangeTextDocument((event) => schedule(event.document)),
    vscode.workspace.onDidCloseTextDocument((document) => {
      clearTimeout(timers.get(document.uri.toString()));
      timers.delete(document.uri.toString());
      collection.delete(document.uri);
    }),
    { dispose: () => timers.forEach((timer) => clearTimeout(timer)) },
  );
  vscode.workspace.textDocuments.forEach(validate);
}
