// Inlay hints: the absolute time a `+D` line runs at, shown at the end of its line (after any
// comment, so it never sits between words being typed), so a reader of a long timeline need
// not add the offsets up.

import { formatDuration } from '../values';
import { buildModel, lineOf, type Position, type ScenarioModel } from './model';

export interface TimeHint {
  /** Where the hint goes: the end of the line. */
  position: Position;
  /** `@105ms`. */
  label: string;
  /** Microseconds. */
  at: number;
}

export function absoluteTimeHints(source: string | ScenarioModel): TimeHint[] {
  const model = typeof source === 'string' ? buildModel(source) : source;
  const hints: TimeHint[] = [];
  for (const [index, statement] of model.ast.statements.entries()) {
    const at = model.times[index];
    if (statement.time?.mode !== 'relative' || statement.time.us === undefined || at === undefined) continue;
    hints.push({ position: { line: statement.line, column: lineOf(model, statement.line).length + 1 }, label: `@${formatDuration(at)}`, at });
  }
  return hints;
}
