// Quick fixes: the language's diagnostics carry their own fixes (a range and a replacement);
// this turns them into edits with a title the editor can translate.

import type { Diagnostic, Range } from '../diagnostic';
import { MESSAGES } from '../messages';
import { parse } from '../parser';

export interface QuickFix {
  /** l10n key and arguments of the title. */
  title: { template: string; args: string[] };
  range: Range;
  newText: string;
  /** The one obvious fix (VS Code offers it for "Fix All" and Ctrl+.). */
  preferred: boolean;
}

export const FIX_TITLES = {
  change: "Change to '{0}'",
  remove: "Remove '{0}'",
  insert: "Insert '{0}'",
  declare: "Declare endpoint '{0}'",
} as const;

export function quickFixes(text: string, diagnostic: Diagnostic): QuickFix[] {
  const fixes = diagnostic.fixes ?? [];
  const result = fixes.map((fix): QuickFix => {
    const original = sliceRange(text, fix.range);
    let title: QuickFix['title'];
    if (fix.replacement === '') title = { template: FIX_TITLES.remove, args: [original] };
    else if (original.trim() === '') title = { template: FIX_TITLES.insert, args: [fix.replacement] };
    else title = { template: FIX_TITLES.change, args: [fix.replacement] };
    return { title, range: fix.range, newText: fix.replacement, preferred: fixes.length === 1 };
  });
  const declaration = declareEndpointFix(text, diagnostic);
  if (declaration) result.push(declaration);
  return result;
}

/** An unknown endpoint name: offer to declare it after the last declaration (never preferred over "did you mean"). */
function declareEndpointFix(text: string, diagnostic: Diagnostic): QuickFix | undefined {
  const isUndeclared =
    diagnostic.template === MESSAGES.undeclaredEndpoint.template || diagnostic.template === MESSAGES.undeclaredEndpointNoSuggestion.template;
  const name = diagnostic.args[0];
  if (!isUndeclared || !name) return undefined;
  const declarations = parse(text).ast.statements.filter((statement) =>
    ['scenario', 'profile', 'set', 'endpoint', 'link'].includes(statement.kind),
  );
  const lastEndpoint = [...declarations].reverse().find((statement) => statement.kind === 'endpoint');
  const after = lastEndpoint ?? declarations[declarations.length - 1];
  const line = after ? after.line + 1 : 1;
  const title = { template: FIX_TITLES.declare, args: [name] };
  const lines = text.split('\n');
  if (line > lines.length) {
    // After the last line of the file: start a new line there.
    const last = lines[lines.length - 1].replace(/\r$/, '');
    return { title, range: { line: lines.length, column: last.length + 1, length: 0 }, newText: `\nendpoint ${name}`, preferred: false };
  }
  return { title, range: { line, column: 1, length: 0 }, newText: `endpoint ${name}\n`, preferred: false };
}

/** Applies edits on one-line ranges (right to left within a line), for tests and previews. */
export function applyEdits(text: string, edits: readonly { range: Range; newText: string }[]): string {
  const lines = text.split('\n');
  const sorted = [...edits].sort((a, b) => b.range.line - a.range.line || b.range.column - a.range.column);
  for (const edit of sorted) {
    const line = lines[edit.range.line - 1] ?? '';
    const start = edit.range.column - 1;
    lines[edit.range.line - 1] = line.slice(0, start) + edit.newText + line.slice(start + edit.range.length);
  }
  return lines.join('\n');
}

function sliceRange(text: string, range: Range): string {
  const line = text.split('\n')[range.line - 1] ?? '';
  return line.slice(range.column - 1, range.column - 1 + range.length);
}
