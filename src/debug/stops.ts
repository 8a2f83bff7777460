// What the session says at a stop and at the end: the summary of a finished run, the stopped
// event's description, the Exception Info of a stop on an exception filter, and the Debug Console's
// line for each expectation the run passes.

import type { DebugProtocol } from '@vscode/debugprotocol';
import type { TraceEvent } from '../engine/trace';
import { formatTime } from '../text/format';
import type { Translator } from '../text/translate';
import { DEBUG_MESSAGES as M } from './messages';
import type { ExceptionHit } from './breakpoints';
import type { ScenarioRuntime, Stop } from './runtime';

/** The end of the run: how many expectations failed, and the line that says so. */
export function endSummary(runtime: ScenarioRuntime, tr: Translator): { text: string; failed: number } {
  const expectations = runtime.trace.filter((e): e is Extract<TraceEvent, { kind: 'expect' }> => e.kind === 'expect');
  const failed = expectations.filter((e) => !e.ok).length;
  const now = formatTime(runtime.view().now);
  const events = runtime.trace.length;
  const text =
    expectations.length === 0
      ? tr.t(M.finishedNoExpectations, now, events)
      : failed > 0
        ? tr.t(M.finishedFailed, now, events, failed, expectations.length)
        : expectations.length === 1
          ? tr.t(M.finishedOneHeld, now, events)
          : tr.t(M.finishedAllHeld, now, events, expectations.length);
  return { text, failed };
}

/** The stopped event's description: the exception filter and what it caught, else why it stopped. */
export function stopText(stop: Stop, tr: Translator): string {
  return stop.exception ? tr.t(M.pausedOn, stop.exception.filter, stop.exception.description) : stop.description;
}

/** Exception Info of a stop on an exception filter; `stackTrace` is the current event's description. */
export function exceptionInfo(exception: ExceptionHit, tr: Translator, stackTrace: string | undefined): DebugProtocol.ExceptionInfoResponse['body'] {
  const details: string[] = [exception.description];
  if (exception.expected !== undefined) details.push(tr.t(M.exceptionExpected, exception.expected));
  if (exception.actual !== undefined) details.push(tr.t(M.exceptionActual, exception.actual));
  const both = exception.expected !== undefined || exception.actual !== undefined;
  return {
    exceptionId: exception.filter,
    description: both ? tr.t(M.exceptionBoth, exception.description, exception.expected ?? '?', exception.actual ?? '?') : exception.description,
    breakMode: 'always',
    details: { message: details.join('\n'), typeName: exception.filter, stackTrace },
  };
}

/** The Debug Console's line for an expectation: held (stdout) or failed (stderr), with what was expected and what happened. */
export function expectationLine(event: Extract<TraceEvent, { kind: 'expect' }>, tr: Translator): { text: string; category: 'stdout' | 'stderr' } {
  const line = event.line;
  if (event.ok) return { text: line !== undefined ? tr.t(M.expectOkLine, line, event.message) : tr.t(M.expectOk, event.message), category: 'stdout' };
  const detail = event.expected !== undefined || event.actual !== undefined;
  const [expected, actual] = [event.expected ?? '?', event.actual ?? '?'];
  const text =
    line !== undefined
      ? detail
        ? tr.t(M.expectFailLineDetail, line, event.message, expected, actual)
        : tr.t(M.expectFailLine, line, event.message)
      : detail
        ? tr.t(M.expectFailDetail, event.message, expected, actual)
        : tr.t(M.expectFail, event.message);
  return { text, category: 'stderr' };
}
