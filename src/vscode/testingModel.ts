// The Testing view's model, kept free of `vscode` so it is tested without an editor: which lines
// of a scenario are tests (its `expect` lines) and what a run's trace says about each.
import type { ExpectEvent, TraceEvent } from '../engine/trace';
import type { ScenarioFile } from '../language/ast';

export interface ExpectLine {
  /** 1-based line. */
  line: number;
  /** The expectation as written, without its time and comment: `expect client is TIME-WAIT`. */
  label: string;
}

export interface ExpectFailure {
  message: string;
  expected?: string;
  actual?: string;
}

/** A `wait until` that never finished stopped the run before the line: where, and what it said. */
export interface BlockingWait {
  line: number;
  message: string;
}

export type ExpectOutcome = { status: 'passed' } | { status: 'failed'; failures: ExpectFailure[] } | { status: 'not-reached'; wait?: BlockingWait };

/** The file's `expect` statements, in order. */
export function expectLines(ast: ScenarioFile, text: string): ExpectLine[] {
  const lines = text.split(/\r?\n/);
  return ast.statements
    .filter((statement) => statement.kind === 'expect')
    .map((statement) => ({ line: statement.line, label: labelOf(lines[statement.line - 1] ?? '') }));
}

function labelOf(source: string): string {
  let code = source;
  let quoted = false;
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '"') quoted = !quoted;
    else if (source[i] === '#' && !quoted) {
      code = source.slice(0, i);
      break;
    }
  }
  return code.trim().replace(/^[@+]\S+\s+/, '');
}

/**
 * What the trace says about each expect line: passed when every check made at that line passed,
 * failed with each failure otherwise, not reached when the run ended before the line ran.
 */
export function outcomes(lines: readonly ExpectLine[], trace: readonly TraceEvent[]): Map<number, ExpectOutcome> {
  const checks = new Map<number, ExpectEvent[]>();
  for (const event of trace) {
    if (event.kind !== 'expect' || event.line === undefined) continue;
    const list = checks.get(event.line) ?? [];
    list.push(event);
    checks.set(event.line, list);
  }
  // A failed check at a line that is not an expect line: a wait that never finished (it ends the run).
  const expectLineSet = new Set(lines.map((l) => l.line));
  let wait: BlockingWait | undefined;
  for (const [line, events] of checks) {
    const failed = events.find((event) => !event.ok);
    if (!expectLineSet.has(line) && failed) wait = { line, message: failed.message };
  }
  const result = new Map<number, ExpectOutcome>();
  for (const { line } of lines) {
    const events = checks.get(line);
    if (!events || events.length === 0) {
      result.set(line, wait && wait.line < line ? { status: 'not-reached', wait } : { status: 'not-reached' });
      continue;
    }
    const failures = events
      .filter((event) => !event.ok)
      .map((event) => ({ message: event.message, expected: event.expected, actual: event.actual }));
    result.set(line, failures.length === 0 ? { status: 'passed' } : { status: 'failed', failures });
  }
  return result;
}
