// What the checker and the compiler share: reading option values, and the timeline
// (each statement's absolute time in microseconds).

import type { ScenarioFile, Statement, Value } from './ast';
import { MESSAGES, type MessageSpec } from './messages';
import { formatDuration, MAX_U32, parseDuration, parseInteger, parseProbability } from './values';
import { BOOLEAN_WORDS, type SettingSpec } from './vocabulary';

export interface Problem {
  spec: MessageSpec;
  args: string[];
}

export type Read<T> = { ok: true; value: T } | { ok: false; problem: Problem };

function problem(spec: MessageSpec, args: string[]): { ok: false; problem: Problem } {
  return { ok: false, problem: { spec, args } };
}

export function readDuration(key: string, value: Value, min: number, max: number): Read<number> {
  const result = parseDuration(value.text);
  if (!result.ok) {
    if (result.reason === 'missing-unit') return problem(MESSAGES.missingUnit, [value.text]);
    return problem(MESSAGES.invalidValue, [key, 'a duration like 10ms', value.text]);
  }
  if (result.us < min || result.us > max) return problem(MESSAGES.valueOutOfRange, [key, value.text, formatDuration(min), formatDuration(max)]);
  return { ok: true, value: result.us };
}

export function readInteger(key: string, value: Value, min: number, max: number): Read<number> {
  const n = parseInteger(value.text);
  if (n === undefined || value.kind !== 'number') return problem(MESSAGES.invalidValue, [key, 'a whole number', value.text]);
  if (n < min || n > max) {
    if (min === 0 && max === MAX_U32) return problem(MESSAGES.sequenceOutOfRange, [key, value.text]);
    return problem(MESSAGES.valueOutOfRange, [key, value.text, String(min), String(max)]);
  }
  return { ok: true, value: n };
}

export function readBoolean(key: string, value: Value): Read<boolean> {
  const word = value.text.toLowerCase();
  if (word in BOOLEAN_WORDS) return { ok: true, value: BOOLEAN_WORDS[word] };
  if (word === '1' || word === '0') return { ok: true, value: word === '1' };
  return problem(MESSAGES.invalidValue, [key, 'on or off', value.text]);
}

export function readProbability(key: string, value: Value): Read<number> {
  const p = parseProbability(value.text);
  if (p === undefined || value.kind !== 'number') return problem(MESSAGES.invalidValue, [key, 'a percentage like 5%', value.text]);
  if (p < 0 || p > 1) return problem(MESSAGES.valueOutOfRange, [key, value.text, '0%', '100%']);
  return { ok: true, value: p };
}

export function readSetting(spec: SettingSpec, value: Value): Read<number | boolean | string> {
  switch (spec.kind) {
    case 'duration':
      return readDuration(spec.key, value, spec.min, spec.max);
    case 'duration-or-off': {
      const word = value.text.toLowerCase();
      if (word === 'off' || word === 'no' || word === 'false') return { ok: true, value: spec.off ?? 0 };
      return readDuration(spec.key, value, spec.min, spec.max);
    }
    case 'integer':
      return readInteger(spec.key, value, spec.min, spec.max);
    case 'boolean':
      return readBoolean(spec.key, value);
    case 'choice': {
      const word = value.text.toLowerCase();
      const choices = spec.choices ?? [];
      if (choices.includes(word)) return { ok: true, value: word };
      return problem(MESSAGES.invalidValue, [spec.key, choices.join(' or '), value.text]);
    }
  }
}

export const LINK_DEFAULT_DELAY_US = 10_000;
export const MAX_TIME_US = 366 * 86_400_000_000;

/** How a statement after a `wait` is timed: its end is known only when the run gets there. */
export interface WaitTiming {
  /** Line of the latest wait before the statement. */
  line: number;
  /** `+D` (or no time, D = 0): D after the previous statement ran; undefined for `@T`. */
  relative?: number;
  /** How long after that wait finished it runs, when every statement since the wait is relative; else undefined. */
  offset?: number;
}

export interface Timeline {
  /**
   * Absolute time (us) of each statement of `ast.statements` (same index); undefined for
   * declarations and `end`. After a `wait`, the earliest time it can run (as if the waits finished at once).
   */
  at: (number | undefined)[];
  /** For each statement after a `wait`: how it is timed (same index); undefined before any wait. */
  afterWait: (WaitTiming | undefined)[];
  /** `end` time (after a wait: the earliest), the statement that set it, and how it is timed after a wait. */
  end?: { us: number; statement: Statement; afterWait?: WaitTiming };
}

/** Every timed statement's absolute time; `+D` counts from the previous timed statement. */
export function timeline(ast: ScenarioFile): Timeline {
  const statements = ast.statements;
  const at = new Array<number | undefined>(statements.length).fill(undefined);
  const afterWait = new Array<WaitTiming | undefined>(statements.length).fill(undefined);
  let now = 0;
  let end: Timeline['end'];
  let waitLine: number | undefined;
  let sinceWait: number | undefined;
  for (let i = 0; i < statements.length; i++) {
    const statement = statements[i];
    if (statement.kind === 'end') {
      const spec = statement.at;
      if (spec?.us !== undefined) {
        const relative = spec.mode === 'relative';
        end = { us: relative ? now + spec.us : spec.us, statement };
        if (waitLine !== undefined && relative) end.afterWait = { line: waitLine, relative: spec.us, offset: sinceWait === undefined ? undefined : sinceWait + spec.us };
      }
      continue;
    }
    if (!isTimed(statement)) continue;
    const time = statement.time;
    if (time?.us !== undefined) {
      // A time that goes backwards is an error (reported by the checker); keep time monotonic.
      now = time.mode === 'absolute' ? Math.max(now, time.us) : now + time.us;
    }
    at[i] = now;
    if (waitLine !== undefined) {
      const relative = time === undefined || time.mode === 'relative';
      const d = time?.us ?? 0;
      sinceWait = relative && sinceWait !== undefined ? sinceWait + d : undefined;
      afterWait[i] = { line: waitLine, relative: relative ? d : undefined, offset: sinceWait };
    }
    if (holdsTimeline(statement)) {
      waitLine = statement.line;
      sinceWait = 0;
    }
  }
  return { at, afterWait, end };
}

/** A statement whose end is known only at run time: a `wait`, or an `expect next` (it waits for its segment). */
export function holdsTimeline(statement: Statement): boolean {
  return statement.kind === 'wait' || (statement.kind === 'expect' && statement.expectation?.kind === 'segment' && statement.expectation.next !== undefined);
}

export function isTimed(statement: Statement): boolean {
  return statement.kind === 'action' || statement.kind === 'fault' || statement.kind === 'inject' || statement.kind === 'expect' || statement.kind === 'wait';
}
