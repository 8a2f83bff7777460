// Evaluate, hover and the Debug Console: commands (src/debug/console.ts parses them), expressions
// (src/debug/expression.ts), and completion. The session answers the requests with these.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { version } from '../../package.json';
import { TCP_STATES } from '../engine/trace';
import { flagLabel, formatTime } from '../text/format';
import type { Translator } from '../text/translate';
import { COMMAND_WORDS, ConsoleError, isConsoleCommand, parseConsoleCommand } from './console';
import { canonicalState, evaluateText, formatValue } from './expression';
import { DEBUG_MESSAGES as M } from './messages';
import { TCB_FIELDS } from './names';
import type { Outcome, ScenarioRuntime } from './runtime';
import { saveCapture } from './saveCapture';
import type { VariablesView } from './variables';

/** What an evaluation reads from the session (a run is loaded). */
export interface Evaluating {
  readonly runtime: ScenarioRuntime;
  readonly tr: Translator;
  readonly views: VariablesView;
  /** Whether the run is moving now (commands wait for a stop). */
  running(): boolean;
  /** The launched file (relative paths of saved captures are resolved against it). */
  program(): string;
  /** Moves the run, then reports the stop, as a step does. */
  move(how: (runtime: ScenarioRuntime) => Promise<Outcome>): Promise<void>;
}

/**
 * Evaluate: a Debug Console command, a hover, an endpoint's name (its summary, and its node to
 * open), or an expression. Throws ExpressionError or ConsoleError with what is wrong.
 */
export function evaluate(at: Evaluating, args: DebugProtocol.EvaluateArguments): DebugProtocol.EvaluateResponse['body'] {
  const runtime = at.runtime;
  const text = args.expression.trim();
  if (args.context === 'repl' && isConsoleCommand(text)) return { result: consoleCommand(at, text), variablesReference: 0 };
  if (args.context === 'hover') return hover(at, text);
  const endpoint = runtime.view().endpoints.find((e) => e.name === text);
  if (endpoint) return { result: at.views.endpointSummary(endpoint), variablesReference: at.views.endpointReference(text) };
  return { result: formatValue(evaluateText(text, runtime.names())), variablesReference: 0 };
}

/** Hover in the scenario: an endpoint name, a state name, or any expression. */
function hover(at: Evaluating, text: string): DebugProtocol.EvaluateResponse['body'] {
  const runtime = at.runtime;
  const tr = at.tr;
  const view = runtime.view();
  const endpoint = view.endpoints.find((e) => e.name === text);
  if (endpoint) {
    return { result: `${endpoint.name}: ${at.views.endpointSummary(endpoint)}`, variablesReference: at.views.endpointReference(text) };
  }
  const state = canonicalState(text);
  if (state && !/[.\s]/.test(text)) {
    const inState = view.endpoints.filter((e) => e.state === state || e.connections.some((c) => c.state === state)).map((e) => e.name);
    const others = view.endpoints.filter((e) => !inState.includes(e.name)).map((e) => tr.t(M.endpointIsState, e.name, e.state));
    const names = inState.length > 1 ? tr.t(M.and, inState.slice(0, -1).join(tr.t(M.listSeparator)), inState[inState.length - 1]) : inState[0];
    const now = inState.length === 0 ? tr.t(M.nobodyInState, state) : tr.t(inState.length > 1 ? M.inStateNowMany : M.inStateNow, names, state);
    return { result: others.length > 0 ? `${now}; ${others.join(tr.t(M.listSeparator))}` : now, variablesReference: 0 };
  }
  return { result: formatValue(evaluateText(text, runtime.names())), variablesReference: 0 };
}

/** A Debug Console command (src/debug/console.ts): its answer; the run moves after it (a microtask) for those that change the run. */
function consoleCommand(at: Evaluating, text: string): string {
  const runtime = at.runtime;
  const tr = at.tr;
  if (at.running()) throw new ConsoleError(M.runMoving);
  const command = parseConsoleCommand(text, runtime.program.endpoints.map((e) => e.name));
  switch (command.kind) {
    case 'help':
      return M.helpLines.map((line) => tr.t(line)).join('\n');
    case 'segments': {
      const inFlight = runtime.view().inFlight;
      if (inFlight.length === 0) return tr.t(M.noSegmentsInFlight);
      return inFlight.map((s) => tr.t(M.segmentInFlight, s.id, s.from, s.to, at.views.segmentText(s), formatTime(s.arrivesAt))).join('\n');
    }
    case 'drop-in-flight': {
      if (!runtime.isInFlight(command.id)) {
        const ids = runtime.view().inFlight.map((s) => s.id);
        throw new ConsoleError(M.notInFlight, [command.id, ids.length > 0 ? ids.join(', ') : tr.t(M.none)]);
      }
      // The run moves on to the drop event, and stops there as after a step.
      queueMicrotask(() => void at.move(async (rt) => (await rt.dropInFlight(command.id)) ?? stayed(rt)));
      return tr.t(M.dropping, command.id);
    }
    case 'save-capture':
      return saveCapture(runtime.program, runtime.trace, at.program(), command.file, command.at, `tcpscenario ${version}`, tr);
    case 'fault': {
      queueMicrotask(() => void at.move((rt) => rt.addFault(command.rule)));
      // Flags match exactly, as in the language; after the handshake every segment carries ACK.
      const flags = command.rule.pattern.flags;
      const alone = flags?.length === 1 && (flags[0] === 'SYN' || flags[0] === 'RST');
      if (flags && !flags.includes('ACK') && !alone) return tr.t(M.faultAddedHint, command.rule.text, flagLabel(flags), flagLabel([...flags, 'ACK']));
      return tr.t(M.faultAdded, command.rule.text);
    }
    case 'inject':
      queueMicrotask(() => void at.move((rt) => rt.inject(command.action, command.text)));
      return tr.t(M.injecting, command.text);
  }
}

/** Where a console drop stays when the segment left the network before the run moved. */
function stayed(runtime: ScenarioRuntime): Outcome {
  return { kind: 'stopped', stop: { reason: 'step', position: runtime.position, description: runtime.explainStop() } };
}

/** Debug Console completion: endpoint names, their fields after `NAME.`, commands, states. */
export function completions(runtime: ScenarioRuntime | undefined, args: DebugProtocol.CompletionsArguments): DebugProtocol.CompletionsResponse['body'] {
  let body: DebugProtocol.CompletionsResponse['body'];
  const before = args.text.slice(0, Math.max(0, args.column - 1));
  const word = /[\p{L}\p{N}_.-]*$/u.exec(before)![0];
  const targets: DebugProtocol.CompletionItem[] = [];
  if (runtime) {
    const view = runtime.view();
    const dot = word.indexOf('.');
    if (dot >= 0) {
      // `client.SND.N`: the endpoint, then a field name that may itself hold dots.
      const head = word.slice(0, dot);
      let typed = word.slice(dot + 1);
      const endpoint = view.endpoints.find((e) => e.name === head);
      if (endpoint) {
        const conns = endpoint.connections.filter((c) => c.conn !== undefined).map((c) => c.conn!);
        const conn = conns.find((c) => typed.startsWith(`${c}.`));
        if (conn) {
          typed = typed.slice(conn.length + 1);
          for (const label of TCB_FIELDS) targets.push({ label, type: 'property' });
        } else {
          for (const label of [...TCB_FIELDS, 'received', 'listening', 'crashed', 'connections']) targets.push({ label, type: 'property' });
          for (const label of conns) targets.push({ label, type: 'module' });
        }
      } else if (head === 'event' && runtime.currentEvent) {
        for (const label of Object.keys(runtime.currentEvent)) targets.push({ label, type: 'property' });
      }
      body = { targets: targets.filter((t) => t.label.startsWith(typed)).map((t) => ({ ...t, start: args.column - 1 - typed.length, length: typed.length })) };
    } else {
      for (const endpoint of view.endpoints) targets.push({ label: endpoint.name, type: 'variable', detail: endpoint.state });
      for (const label of ['now', 'event']) targets.push({ label, type: 'variable' });
      if (before.trim() === word) for (const label of COMMAND_WORDS) targets.push({ label, type: 'keyword' });
      for (const state of TCP_STATES) targets.push({ label: state, type: 'value' });
      body = { targets: targets.filter((t) => t.label.startsWith(word)) };
    }
  } else {
    body = { targets };
  }
  return body;
}
