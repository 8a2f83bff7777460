// Go to definition, find references and rename for endpoint names: every place a name is
// written comes from the parsed tree, so a word that merely looks like a name (in a comment,
// a title, a state) is never touched.

import type { Range } from '../diagnostic';
import { isStatementKeyword } from '../vocabulary';
import { buildModel, referenceAt, type Position, type ScenarioModel } from './model';

export function definitionAt(source: string | ScenarioModel, position: Position): Range | undefined {
  const model = typeof source === 'string' ? buildModel(source) : source;
  const reference = referenceAt(model, position);
  if (!reference) return undefined;
  return model.references.find((candidate) => candidate.declaration && candidate.name.text === reference.name.text)?.name.range;
}

export function referencesAt(source: string | ScenarioModel, position: Position, includeDeclaration: boolean): Range[] {
  const model = typeof source === 'string' ? buildModel(source) : source;
  const reference = referenceAt(model, position);
  if (!reference) return [];
  return model.references
    .filter((candidate) => candidate.name.text === reference.name.text && (includeDeclaration || !candidate.declaration))
    .map((candidate) => candidate.name.range);
}

/** The name under the cursor that a rename would change, or undefined when there is none. */
export function renameTarget(source: string | ScenarioModel, position: Position): { range: Range; text: string } | undefined {
  const model = typeof source === 'string' ? buildModel(source) : source;
  const reference = referenceAt(model, position);
  return reference ? { range: reference.name.range, text: reference.name.text } : undefined;
}

export type RenameResult =
  | { ok: true; edits: { range: Range; newText: string }[] }
  | { ok: false; template: string; args: string[] };

export const RENAME_MESSAGES = {
  noName: 'Only endpoint names can be renamed.',
  invalidName: "'{0}' is not a valid endpoint name: use letters, digits, '_' and '-', starting with a letter.",
  keyword: "'{0}' is a keyword and cannot name an endpoint.",
  taken: "An endpoint named '{0}' already exists.",
} as const;

export function rename(source: string | ScenarioModel, position: Position, newName: string): RenameResult {
  const model = typeof source === 'string' ? buildModel(source) : source;
  const reference = referenceAt(model, position);
  if (!reference) return { ok: false, template: RENAME_MESSAGES.noName, args: [] };
  if (!/^[\p{ID_Start}_][\p{ID_Continue}]*(?:-[\p{ID_Continue}]+)*$/u.test(newName)) {
    return { ok: false, template: RENAME_MESSAGES.invalidName, args: [newName] };
  }
  if (isStatementKeyword(newName)) return { ok: false, template: RENAME_MESSAGES.keyword, args: [newName] };
  if (newName !== reference.name.text && model.references.some((candidate) => candidate.declaration && candidate.name.text === newName)) {
    return { ok: false, template: RENAME_MESSAGES.taken, args: [newName] };
  }
  const edits = referencesAt(model, position, true).map((range) => ({ range, newText: newName }));
  return { ok: true, edits };
}
