// Threads and the Call Stack: a thread per endpoint (all stop together), and at a stop the current
// event (with the rule the engine applied) above the scenario statement that caused it.

import { StackFrame, Thread, type Source } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { explain } from '../text/explain';
import { formatTime } from '../text/format';
import type { Translator } from '../text/translate';
import { eventEndpoint } from './describe';
import { DEBUG_MESSAGES as M } from './messages';
import type { ScenarioRuntime } from './runtime';

/** One thread per endpoint, named with its state. */
export function threads(runtime: ScenarioRuntime): DebugProtocol.Thread[] {
  const view = runtime.view();
  return runtime.program.endpoints.map((e, i) => {
    const state = view.endpoints.find((v) => v.name === e.name)?.state ?? 'CLOSED';
    return new Thread(i + 1, `${e.name} (${state})`);
  });
}

/** The thread of the endpoint the current event belongs to. */
export function stopThread(runtime: ScenarioRuntime): number {
  const event = runtime.currentEvent;
  const endpoint = event ? eventEndpoint(event, runtime) : undefined;
  const index = runtime.program.endpoints.findIndex((e) => e.name === endpoint);
  return index >= 0 ? index + 1 : 1;
}

/** What the frames read of the session. */
export interface FrameContext {
  tr: Translator;
  source: Source | undefined;
  /** A scenario line (the first when none) as the client counts lines. */
  clientLine(line: number | undefined): number;
  /** The scenario's text on `line`, trimmed. */
  statementText(line: number): string;
}

/** A thread's frames at the current position: the event (or "before the first event"), then its statement. */
export function stackFrames(runtime: ScenarioRuntime, threadId: number, at: FrameContext): StackFrame[] {
  const tr = at.tr;
  const endpoint = runtime.program.endpoints[threadId - 1]?.name;
  const event = runtime.currentEvent;
  const source = at.source;
  const frames: StackFrame[] = [];
  const statementLine = runtime.statementLine();
  const base = threadId * 2;
  const view = runtime.view();
  const state = view.endpoints.find((e) => e.name === endpoint)?.state ?? 'CLOSED';
  if (!event) {
    frames.push(new StackFrame(base, tr.t(M.frameBeforeFirst, endpoint ?? tr.t(M.scenario), state), source, at.clientLine(statementLine)));
  } else {
    const owner = eventEndpoint(event, runtime);
    // The rule the engine applied, where it is written (a SEGMENT ARRIVES line names its section already).
    const why = explain(event);
    const described = why?.kind === 'rule' && event.kind !== 'deliver' ? tr.t(M.frameWithRule, runtime.describe(), why.rule.source) : runtime.describe();
    const name = owner === undefined || owner === endpoint ? described : tr.t(M.frameOtherEndpoint, endpoint ?? '', state, described);
    const top = new StackFrame(base, `[${formatTime(event.t)}] ${name}`, source, at.clientLine(event.line ?? statementLine));
    frames.push(top);
    if (statementLine !== undefined) {
      frames.push(new StackFrame(base + 1, tr.t(M.frameStatement, statementLine, at.statementText(statementLine)), source, at.clientLine(statementLine)));
    }
  }
  return frames;
}
