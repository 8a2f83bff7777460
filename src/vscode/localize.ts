// Translation of the language's English templates: the template is the l10n key
// (l10n/bundle.l10n.*.json). Arguments that are English phrases ("the end of the line")
// are keys too; names and numbers pass through unchanged.
import * as vscode from 'vscode';
import { InteropError } from '../interop/messages';
import { CAPTURE_FORMAT_MESSAGES, CaptureFormatError } from '../interop/pcapRead';
import { ReadError } from '../run/read';
import { localeOf, translatorWith, type Translator } from '../text/translate';

export interface Localizable {
  template: string;
  args: readonly string[];
}

export function translate(template: string, args: readonly string[] = []): string {
  return vscode.l10n.t(template, ...args.map(translateArgument));
}

export function translateItem(item: Localizable): string {
  return translate(item.template, item.args);
}

function translateArgument(arg: string): string {
  // Only phrases can be keys; a single word is a name, a keyword or a number.
  return /\s/.test(arg) ? vscode.l10n.t(arg) : arg;
}

/**
 * The inline debug adapter's translator: VS Code's own l10n (its display language is the locale VS
 * Code gives the adapter), so extension.js need not carry the bundles the standalone adapter does.
 */
export function vscodeTranslator(): Translator {
  // Placeholders passed as themselves, so the translation keeps them for the translator to fill.
  const holes = Array.from({ length: 10 }, (_, i) => `{${i}}`);
  return translatorWith(localeOf(vscode.env.language), (template) => vscode.l10n.t(template, ...holes));
}

export const SOURCE = 'tcpscenario';
export const LANGUAGE_ID = 'tcpscenario';
export const SELECTOR: vscode.DocumentSelector = [{ language: LANGUAGE_ID }];

/** The error's sentence, translated where it is one of ours (a file read, a capture read or written). */
export function errorText(error: unknown): string {
  if (error instanceof ReadError) return vscode.l10n.t(error.template, ...error.args.map(String));
  if (error instanceof InteropError) return vscodeTranslator().t(error.template, ...error.args);
  if (error instanceof CaptureFormatError) return vscode.l10n.t(CAPTURE_FORMAT_MESSAGES.atByte, vscode.l10n.t(error.template, ...error.args), String(error.offset));
  return error instanceof Error ? error.message : String(error);
}
