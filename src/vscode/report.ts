// The text "Run Scenario" prints: one line per trace event, like the CLI, and a summary of
// the expectations. No VS Code API here (tested without it); `t` translates the headings.
// Segment labels, numbers and times are written by src/text/format.ts, as everywhere else.

import type { Program } from '../engine/program';
import { count, plural } from '../engine/plural';
import type { SegmentFields, TraceEvent } from '../engine/trace';
import { formatTime, labelOf, SequenceBases, type Numbering } from '../text/format';

export type Translate = (template: string, args?: readonly string[]) => string;

export const REPORT_PHRASES = {
  header: 'Scenario {0} (profile {1})',
  untitled: '(untitled)',
  summary: '{0} events, virtual time {1} ms',
  summaryOne: 'One event, virtual time {0} ms',
  expectations: 'Expectations: {0} passed, {1} failed',
  noExpectations: 'No expectations in this scenario.',
  failed: 'line {0}: expectation failed: {1}',
  errors: 'The scenario has errors; nothing was run.',
  moreEvents: '... and {0} more events, not listed here',
} as const;

/** Event lines a report lists at most (the summary still counts every event). */
export const REPORT_MAX_EVENTS = 5000;

/** A segment's label in the report: absolute unless told otherwise. */
export type SegmentLabel = (segment: SegmentFields) => string;

export function formatEvent(event: TraceEvent, label: SegmentLabel = (s) => labelOf(s)): string {
  const time = formatTime(event.t).padStart(15);
  const line = event.line !== undefined ? `  (line ${event.line})` : '';
  let body: string;
  switch (event.kind) {
    case 'send':
    case 'inject': {
      const marks = [event.kind === 'inject' || ('injected' in event && event.injected) ? 'injected' : '', event.retransmission ? 'retransmission' : '', event.kind === 'send' && event.probe ? `${event.probe} probe` : '']
        .filter(Boolean)
        .join(', ');
      body = `${event.id} ${event.from} -> ${event.to} ${label(event)} wnd=${event.wnd}${marks ? ` [${marks}]` : ''}`;
      break;
    }
    case 'deliver':
      body = `${event.id} delivered to ${event.to}`;
      break;
    case 'drop':
      body = `${event.id} dropped (${event.reason})`;
      break;
    case 'duplicate':
      body = `${event.id} duplicated as ${event.copy}`;
      break;
    case 'transition':
      body = `${event.endpoint}${event.conn ? `/${event.conn}` : ''} ${event.from} -> ${event.to} (${event.cause})`;
      break;
    case 'timer':
      body = `${event.endpoint} timer ${event.name} ${event.action}${event.expires !== undefined ? ` (expires ${formatTime(event.expires)})` : ''}`;
      break;
    case 'app':
      body = `${event.endpoint} ${event.call}${event.bytes !== undefined ? ` ${count(event.bytes, 'byte')}` : ''}${event.error ? ` -> ${event.error}` : ''}`;
      break;
    case 'data':
      body = `${event.endpoint} received ${count(event.bytes, 'byte')}`;
      break;
    case 'expect':
      body = `expect ${event.ok ? 'ok' : 'FAILED'}: ${event.message}`;
      break;
    case 'note':
      body = `${event.endpoint ? `${event.endpoint}: ` : ''}${event.message}`;
      break;
  }
  return `${time}  ${event.kind.padEnd(10)} ${body}${line}`;
}

export function formatReport(program: Program, trace: readonly TraceEvent[], t: Translate, maxEvents = REPORT_MAX_EVENTS, numbering: Numbering = 'absolute'): string[] {
  const out = [t(REPORT_PHRASES.header, [program.title ?? t(REPORT_PHRASES.untitled), program.profile]), ''];
  const listed = Math.min(trace.length, maxEvents);
  const bases = new SequenceBases();
  const label: SegmentLabel = (s) => {
    bases.learn(s);
    return labelOf(s, numbering, bases);
  };
  for (let i = 0; i < listed; i++) out.push(formatEvent(trace[i], label));
  if (trace.length > listed) out.push(t(REPORT_PHRASES.moreEvents, [String(trace.length - listed)]));
  const last = trace[trace.length - 1];
  const time = String(last?.t ?? 0);
  out.push('', plural(trace.length, t(REPORT_PHRASES.summaryOne, [time]), t(REPORT_PHRASES.summary, [String(trace.length), time])));
  const expectations = trace.filter((event) => event.kind === 'expect');
  if (expectations.length === 0) {
    out.push(t(REPORT_PHRASES.noExpectations));
  } else {
    const failed = expectations.filter((event) => !event.ok);
    out.push(t(REPORT_PHRASES.expectations, [String(expectations.length - failed.length), String(failed.length)]));
    for (const failure of failed) out.push(t(REPORT_PHRASES.failed, [String(failure.line ?? '?'), failure.message]));
  }
  return out;
}
