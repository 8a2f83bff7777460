// One job of the run worker (src/vscode/runWorker.ts; no VS Code API), tested without a thread:
// prepare and run the text through the one run path, then keep only what the job needs.

import type { ExpectEvent } from '../engine/trace';
import { drawableEvents } from '../diagram/degrade';
import { format } from '../run/messages';
import { prepareScenario, ScenarioRun, SETTING_HINTS, type LimitHints } from '../run/run';
import { ruleUses } from '../text/explain';
import { formatReport } from './report';
import type { RunRequest, RunResult } from './runProtocol';

/** Wall time between two progress reports (ms). */
const PROGRESS_EVERY = 200;

export function runJob(request: RunRequest, progress?: (events: number, time: number) => void): RunResult {
  const t = (template: string, args: readonly (string | number)[] = []) => format(request.phrases?.[template] ?? template, args);
  const prepared = prepareScenario(request.text, { defaultProfile: request.defaultProfile, profile: request.profile });
  const diagnostics = prepared.diagnostics;
  if (!prepared.program) return { diagnostics, events: 0, lastTime: 0 };
  const hints: LimitHints = { events: t(SETTING_HINTS.events), seconds: t(SETTING_HINTS.seconds) };
  const run = new ScenarioRun(prepared.program, { maxEvents: request.maxEvents, maxSeconds: request.maxSeconds, hints, translate: t });
  while (!run.advance(PROGRESS_EVERY)) progress?.(run.events.length, run.events[run.events.length - 1]?.t ?? 0);
  const trace = run.events;
  const result: RunResult = { diagnostics, events: trace.length, lastTime: trace[trace.length - 1]?.t ?? 0 };
  if (run.engineError !== undefined) return { ...result, engineError: run.errorMessage(t) };
  if (run.limit) result.limit = run.limit;
  switch (request.kind) {
    case 'report': {
      result.lines = formatReport(prepared.program, trace, (template, args) => t(template, args ?? []), undefined, request.numbering);
      if (run.limit) result.lines.push(run.limit.message);
      break;
    }
    case 'expects':
      result.expects = trace.filter((event): event is ExpectEvent => event.kind === 'expect');
      break;
    case 'rules':
      result.rules = ruleUses(trace);
      break;
    case 'diagram': {
      const doc = run.document();
      const drawn = drawableEvents(doc.events, doc.limit, undefined, t);
      // The panel adds the note after what it draws (src/diagram/feed.ts, DiagramFeed).
      const events = drawn.note === undefined ? drawn.events : drawn.events.slice(0, -1);
      result.body = { from: 0, events, current: -1, endpoints: doc.endpoints, scenario: doc.scenario, profile: doc.profile };
      result.note = drawn.note;
      break;
    }
  }
  return result;
}
