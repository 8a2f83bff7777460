// Errors as you type: the same parser and checker as the CLI, run a moment after the last
// keystroke, on open and on change; cleared on close. Messages are translated from the
// language's English templates.
import * as vscode from 'vscode';
import { compile } from '../language';
import type { Diagnostic as LanguageDiagnostic } from '../language/diagnostic';
import { RUN_MESSAGES } from '../run/messages';
import { MAX_LIVE_CHECK_BYTES } from '../run/read';
import { toRange } from './convert';
import { LANGUAGE_ID, SOURCE, translate } from './localize';

const SEVERITY: Record<LanguageDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** The language diagnostics behind each VS Code diagnostic, for the quick fixes. */
const origins = new WeakMap<vscode.Diagnostic, LanguageDiagnostic>();

export function languageDiagnosticOf(diagnostic: vscode.Diagnostic): LanguageDiagnostic | undefined {
  return origins.get(diagnostic);
}

export function toVscodeDiagnostic(diagnostic: LanguageDiagnostic): vscode.Diagnostic {
  const converted = new vscode.Diagnostic(toRange(diagnostic.range), translate(diagnostic.template, diagnostic.args), SEVERITY[diagnostic.severity]);
  converted.source = SOURCE;
  converted.code = diagnostic.code;
  if (diagnostic.code === 'runs-after-end' || diagnostic.code === 'never-checked') converted.tags = [vscode.DiagnosticTag.Unnecessary];
  origins.set(converted, diagnostic);
  return converted;
}

export function registerDiagnostics(context: vscode.ExtensionContext): vscode.DiagnosticCollection {
  return watchDiagnostics(context, LANGUAGE_ID, SOURCE, (text) => compile(text).diagnostics.map(toVscodeDiagnostic));
}

/**
 * Diagnostics of one language as you type: `diagnose` runs on open, a moment after the last
 * keystroke (tcpscenario.diagnostics.delay) and never on a text past MAX_LIVE_CHECK_BYTES (it
 * would hold the extension host's thread for seconds); cleared on close.
 */
export function watchDiagnostics(
  context: vscode.ExtensionContext,
  languageId: string,
  source: string,
  diagnose: (text: string) => vscode.Diagnostic[],
): vscode.DiagnosticCollection {
  const collection = vscode.languages.createDiagnosticCollection(source);
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  const validate = (document: vscode.TextDocument) => {
    if (document.languageId !== languageId) return;
    const text = document.getText();
    if (text.length > MAX_LIVE_CHECK_BYTES) {
      const tooLarge = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), vscode.l10n.t(RUN_MESSAGES.tooLarge, `${text.length}+`, String(MAX_LIVE_CHECK_BYTES)), vscode.DiagnosticSeverity.Error);
      tooLarge.source = source;
      collection.set(document.uri, [tooLarge]);
      return;
    }
    collection.set(document.uri, diagnose(text));
  };
  const schedule = (document: vscode.TextDocument) => {
    if (document.languageId !== languageId) return;
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
  const forget = (document: vscode.TextDocument) => {
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.delete(key);
    collection.delete(document.uri);
  };

  context.subscriptions.push(
    collection,
    vscode.workspace.onDidOpenTextDocument(validate),
    vscode.workspace.onDidChangeTextDocument((event) => schedule(event.document)),
    vscode.workspace.onDidCloseTextDocument(forget),
    { dispose: () => timers.forEach((timer) => clearTimeout(timer)) },
  );
  vscode.workspace.textDocuments.forEach(validate);
  return collection;
}
