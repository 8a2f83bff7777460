// Launch and configuration: the launch attributes, what the adapter declares it supports, and the
// reading and compiling of a scenario into a fresh runtime (launch and restart).

import type { DebugProtocol } from '@vscode/debugprotocol';
import { Simulation } from '../engine/index';
import type { ProfileName } from '../engine/program';
import type { Diagnostic } from '../language/diagnostic';
import { RUN_MESSAGES } from '../run/messages';
import { ReadError, scenarioText } from '../run/read';
import { LAUNCH_HINTS, prepareScenario } from '../run/run';
import { message as msg, type Translator } from '../text/translate';
import { ENGLISH_VOICE } from './describe';
import { errorDetails, type AdapterLog } from './log';
import { DEBUG_MESSAGES as M } from './messages';
import { EXCEPTION_FILTERS } from './breakpoints';
import { ScenarioRuntime, type RuntimeOptions } from './runtime';

/** Reads a scenario file: fs.readFile standalone, workspace.fs.readFile inline in VS Code. */
export type FileReader = (path: string) => Promise<string | Uint8Array>;

export interface LaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** The .tcpscenario file. */
  program: string;
  stopOnEntry?: boolean;
  /** Overrides the scenario's `profile`. */
  profile?: ProfileName;
  /** 'relative' shows sequence numbers relative to the ISN (ISS for SND.*, IRS for RCV.*) in Variables. */
  sequenceNumbers?: 'absolute' | 'relative';
  /** Log the DAP traffic to the Debug Console. */
  trace?: boolean;
  /** Events between two snapshots (default 1,000); smaller = faster step back, more memory. */
  snapshotEvery?: number;
  /** The trace never grows past this many events (default 1,000,000). */
  maxEvents?: number;
  /** One Continue or step pauses after this many seconds of wall time (default 30). */
  maxSeconds?: number;
}

/** How long a launch waits for configurationDone before it runs anyway (a client that never sends it). */
export const CONFIGURATION_WAIT_MS = 2000;

/** What `initialize` answers: the requests and options the adapter supports, exception filters in the client's language. */
export function capabilities(tr: Translator): DebugProtocol.Capabilities {
  return {
    supportsConfigurationDoneRequest: true,
    supportsFunctionBreakpoints: true,
    supportsConditionalBreakpoints: true,
    supportsHitConditionalBreakpoints: true,
    supportsLogPoints: true,
    supportsStepBack: true,
    supportsDataBreakpoints: true,
    supportsEvaluateForHovers: true,
    supportsRestartRequest: true,
    supportsExceptionInfoRequest: true,
    supportsTerminateRequest: true,
    supportsBreakpointLocationsRequest: true,
    supportsCompletionsRequest: true,
    supportsGotoTargetsRequest: true,
    completionTriggerCharacters: ['.'],
    supportsSteppingGranularity: false,
    supportsSetVariable: false,
    exceptionBreakpointFilters: EXCEPTION_FILTERS.map((f) => ({ filter: f.filter, label: tr.t(f.label), description: tr.t(f.description), default: f.default })),
  };
}

/** A diagnostic's message in a translator's language (the language's templates are l10n keys). */
export function diagnosticText(d: Diagnostic, tr: Translator): string {
  return tr.message({ template: d.template, args: d.args });
}

export function formatDiagnostics(file: string, diagnostics: readonly Diagnostic[], max = 5, tr: Translator = ENGLISH_VOICE.tr): string {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const shown = errors.slice(0, max).map((d) => `${file}:${d.range.line}:${d.range.column}: ${diagnosticText(d, tr)}`);
  if (errors.length > max) shown.push(tr.t(M.moreErrors, errors.length - max));
  return shown.join('\n');
}

/** Whether a breakpoint's source is the program: a path, or a URI string for virtual files. */
export function samePath(a: string | undefined, b: string): boolean {
  if (a === undefined) return true;
  const norm = (p: string) => {
    let text = p.replace(/\\/g, '/').replace(/^([a-z]):/, (_, d: string) => `${d.toUpperCase()}:`);
    try {
      text = decodeURIComponent(text);
    } catch {
      // not percent-encoded: compare as it is
    }
    return text;
  };
  return norm(a) === norm(b);
}

/** What loading needs of the session. */
export interface Loading {
  readFile: FileReader;
  log: AdapterLog;
  tr: Translator;
  /** Logpoint output, expectation results and warnings of the new run. */
  output: NonNullable<RuntimeOptions['output']>;
}

/** A scenario read and compiled, with its fresh runtime. */
export interface Loaded {
  runtime: ScenarioRuntime;
  text: string;
  warnings: Diagnostic[];
}

/** Reads and compiles the scenario and builds a fresh runtime; returns an error message instead. */
export async function loadScenario(args: LaunchArguments, at: Loading): Promise<Loaded | string> {
  // The arguments were checked (src/debug/validate.ts) before this runs.
  let text: string;
  try {
    text = scenarioText(await at.readFile(args.program));
  } catch (error) {
    if (error instanceof ReadError) return at.tr.t(RUN_MESSAGES.cannotReadProgram, error.where(args.program), msg(error.template, ...error.args));
    at.log.error(`reading ${args.program}: ${errorDetails(error)}`);
    return at.tr.t(RUN_MESSAGES.cannotReadProgram, args.program, error instanceof Error ? error.message.split('\n')[0] : String(error));
  }
  try {
    const { program, diagnostics } = prepareScenario(text, { profile: args.profile, file: args.program });
    const warnings = diagnostics.filter((d) => d.severity === 'warning');
    if (!program || diagnostics.some((d) => d.severity === 'error')) {
      return at.tr.t(M.hasErrors, args.program, formatDiagnostics(args.program, diagnostics, 5, at.tr));
    }
    const runtime = new ScenarioRuntime(new Simulation(program), {
      voice: { tr: at.tr, numbering: args.sequenceNumbers ?? 'absolute' },
      snapshotEvery: args.snapshotEvery,
      maxEvents: args.maxEvents,
      maxSeconds: args.maxSeconds,
      hints: LAUNCH_HINTS,
      output: at.output,
    });
    return { runtime, text, warnings };
  } catch (error) {
    // A bug of ours, not the user's: say so rather than leave the launch hanging.
    at.log.error(`preparing ${args.program}: ${errorDetails(error)}`);
    return at.tr.t(RUN_MESSAGES.internalError, 'launch');
  }
}
