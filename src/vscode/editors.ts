// Which scenario a command given no file is about.
import * as vscode from 'vscode';
import { LANGUAGE_ID } from './localize';

/**
 * The active editor when it shows a scenario. When the focus is in no text editor (the walkthrough,
 * the diagram panel), the first visible scenario editor: a button there acts on the scenario beside it.
 */
export function activeScenarioEditor(): vscode.TextEditor | undefined {
  const active = vscode.window.activeTextEditor;
  if (active) return active.document.languageId === LANGUAGE_ID ? active : undefined;
  return vscode.window.visibleTextEditors.find((editor) => editor.document.languageId === LANGUAGE_ID);
}

/** Languages the debugger runs: scenarios, and packetdrill scripts (translated, src/run/packetdrill.ts). */
export const DEBUGGABLE_LANGUAGES: readonly string[] = [LANGUAGE_ID, 'packetdrill'];

export function isDebuggable(document: vscode.TextDocument | undefined): boolean {
  return document !== undefined && DEBUGGABLE_LANGUAGES.includes(document.languageId);
}

/** The active editor when it shows something the debugger runs (else the first visible one, as above). */
export function activeDebuggableEditor(): vscode.TextEditor | undefined {
  const active = vscode.window.activeTextEditor;
  if (active) return isDebuggable(active.document) ? active : undefined;
  return vscode.window.visibleTextEditors.find((editor) => isDebuggable(editor.document));
}
