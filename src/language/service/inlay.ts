// Inlay hints: the absolute time a `+D` line runs at, shown at the end of its line (after any
// comment, so it never sits between words being typed), so a reader of a long timeline need
// not add the offsets up. After a `wait` the time is known only at run time: the hint says how
// long after the wait (`wait (line 10) + 50ms`), or the earliest time (`@2s or later`).

import type { Localizable } from './hover';
import { buildModel, lineOf, timeLabel, type Position, type ScenarioModel } from './model';

export interface TimeHint {
  /** Where the hint goes: the end of the line. */
  position: Position;
  /** `@105ms`, `wait (line 10) + 50ms`, `@2s or later`. */
  label: string;
  /** After a wait: the label's l10n template and arguments. */
  text?: Localizable;
  /** Microseconds (after a wait, the earliest). */
  at: number;
  /** After a wait: the wait's line. */
  waitLine?: number;
}

export function absoluteTimeHints(source: string | ScenarioModel): TimeHint[] {
  const model = typeof source === 'string' ? buildModel(source) : source;
  const hints: TimeHint[] = [];
  for (const [index, statement] of model.ast.statements.entries()) {
    const at = model.times[index];
    if (statement.time?.mode !== 'relative' || statement.time.us === undefined || at === undefined) continue;
    const label = timeLabel(model, index)!;
    const hint: TimeHint = { position: { line: statement.line, column: lineOf(model, statement.line).length + 1 }, label: label.label, at };
    if (label.text) {
      hint.text = label.text;
      hint.waitLine = model.waits[index]!.line;
    }
    hints.push(hint);
  }
  return hints;
}
