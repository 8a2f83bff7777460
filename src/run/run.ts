// The one path that prepares and runs a scenario, for the CLI, the debugger, Run, the Testing
// view and the diagram: compile, choose the profile, then run with a cap on events and on wall
// time, catching engine errors. Pure (language + engine); callers bring the text (src/run/read.ts
// reads files) and say how a limit is raised where they are (a CLI option, a setting, a launch
// attribute), so the message that says the run was cut names it.

import { describeNext, describeWait, Simulation, traceDocumentOf } from '../engine/index';
import type { Program, ProfileName } from '../engine/program';
import type { RunLimit, TraceDocument, TraceEvent } from '../engine/trace';
import { compile, type Diagnostic } from '../language/index';
import type { ScenarioFile } from '../language/ast';
import type { PktTranslation } from '../interop/packetdrill/index';
import { format, formatCount, RUN_MESSAGES } from './messages';
import { isPacketdrillFile, preparePacketdrill } from './packetdrill';

export type { RunLimit };

/** Events a run may produce before it is cut (the trace of a million events takes ~250 MB). */
export const DEFAULT_MAX_EVENTS = 1_000_000;
/** Wall-time seconds a run may take before it is cut. */
export const DEFAULT_MAX_SECONDS = 30;

export interface Limits {
  maxEvents: number;
  maxSeconds: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = { maxEvents: DEFAULT_MAX_EVENTS, maxSeconds: DEFAULT_MAX_SECONDS };

/** How the user raises each limit where the run started (words for the limit's message). */
export interface LimitHints {
  events: string;
  seconds: string;
}

export const CLI_HINTS: LimitHints = { events: RUN_MESSAGES.hintCliEvents, seconds: RUN_MESSAGES.hintCliSeconds };
export const SETTING_HINTS: LimitHints = { events: RUN_MESSAGES.hintSettingEvents, seconds: RUN_MESSAGES.hintSettingSeconds };
export const LAUNCH_HINTS: LimitHints = { events: RUN_MESSAGES.hintLaunchEvents, seconds: RUN_MESSAGES.hintLaunchSeconds };

/** A limit value a user gave (option, setting, launch attribute): a positive finite number, else the default. */
export function limitValue(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Fills a template, translated where the caller can (VS Code passes its translations to the worker). */
export type Translate = (template: string, args?: readonly (string | number)[]) => string;

export function limitOf(kind: RunLimit['kind'], value: number, hints: LimitHints, t: Translate = format): RunLimit {
  const message = kind === 'events' ? t(RUN_MESSAGES.eventLimit, [formatCount(value), hints.events]) : t(RUN_MESSAGES.secondsLimit, [formatCount(value), hints.seconds]);
  return { kind, value, message };
}

export interface PrepareOptions {
  /** The file's name: a packetdrill script (*.pkt) is translated first (src/run/packetdrill.ts). */
  file?: string;
  /** Overrides the file's profile (`--profile`, the launch attribute). */
  profile?: ProfileName;
  /** Applies when the file has no `profile` line (the editor's setting). */
  defaultProfile?: ProfileName;
}

export interface Prepared {
  /** Undefined when the text has errors. */
  program?: Program;
  diagnostics: Diagnostic[];
  /** The scenario's tree; undefined for a packetdrill script. */
  ast?: ScenarioFile;
  /** For a packetdrill script: the scenario it was translated into. */
  translation?: PktTranslation;
}

export function hasProfileLine(ast: ScenarioFile): boolean {
  return ast.statements.some((statement) => statement.kind === 'profile');
}

/** Compiles `text` and settles its profile: the override, else the file's line, else the default. A
 *  packetdrill script (options.file *.pkt) is translated and compiled; its profile is linux. */
export function prepareScenario(text: string, options: PrepareOptions = {}): Prepared {
  if (options.file !== undefined && isPacketdrillFile(options.file)) {
    const name = options.file.split(/[\\/]/).pop() ?? options.file;
    return preparePacketdrill(text, { name, profile: options.profile });
  }
  const { program, diagnostics, ast } = compile(text);
  if (!program) return { diagnostics, ast };
  let profile = program.profile;
  if (options.profile) profile = options.profile;
  else if (options.defaultProfile && !hasProfileLine(ast)) profile = options.defaultProfile;
  return { program: profile === program.profile ? program : { ...program, profile }, diagnostics, ast };
}

export interface RunOptions extends Partial<Limits> {
  hints?: LimitHints;
  /** Milliseconds, monotonic (tests pass a fake clock). */
  clock?: () => number;
  /** Each event as it is made (the CLI's `trace` streams them). */
  onEvent?: (event: TraceEvent, index: number) => void;
  /** Translates the limit's message (English by default). */
  translate?: Translate;
  /** Called each time the run looks at the clock (every few dozen events), e.g. to start helpers while a long run goes on. */
  onClock?: () => void;
  /**
   * False: the run does not keep the events it has handed to `onEvent` (a streamed trace of a
   * million events then holds none of them); `events` and `document()` have only the latest.
   */
  keepEvents?: boolean;
}

/** How many events between two looks at the clock (a look costs about as much as an event). */
const CLOCK_EVERY = 64;

/**
 * A run in progress. `advance()` runs until the end, a limit, an engine error, or a slice of wall
 * time, so a caller that must stay responsive (the debug adapter, a worker) runs it in slices.
 */
export class ScenarioRun {
  readonly simulation: Simulation;
  readonly maxEvents: number;
  readonly maxSeconds: number;
  /** Set when a limit cut the run. */
  limit?: RunLimit;
  /** Set when the engine threw (a bug, but the user gets a sentence, not a stack). */
  engineError?: string;
  private readonly hints: LimitHints;
  private readonly clock: () => number;
  private readonly onEvent?: (event: TraceEvent, index: number) => void;
  private readonly translate: Translate;
  private readonly onClock?: () => void;
  private readonly keepEvents: boolean;
  private started?: number;
  private cancelled = false;

  constructor(
    readonly program: Program,
    options: RunOptions = {},
  ) {
    this.maxEvents = Math.floor(limitValue(options.maxEvents, DEFAULT_MAX_EVENTS));
    this.maxSeconds = limitValue(options.maxSeconds, DEFAULT_MAX_SECONDS);
    this.hints = options.hints ?? CLI_HINTS;
    this.clock = options.clock ?? (() => performance.now());
    this.onEvent = options.onEvent;
    this.translate = options.translate ?? format;
    this.onClock = options.onClock;
    this.keepEvents = options.keepEvents ?? true;
    this.simulation = new Simulation(program);
  }

  /** The events of the run (with `keepEvents: false`, only the latest). */
  get events(): readonly TraceEvent[] {
    return this.simulation.trace;
  }

  /** How many events the run has made. */
  get eventCount(): number {
    return this.simulation.traceLength;
  }

  /** The run is over: the scenario ended, a limit cut it, the engine failed, or it was cancelled. */
  get finished(): boolean {
    return this.cancelled || this.limit !== undefined || this.engineError !== undefined || this.simulation.done;
  }

  /** The scenario ran to its end (no limit, no error). */
  get complete(): boolean {
    return this.simulation.done && this.limit === undefined && this.engineError === undefined;
  }

  /** Wall time the run has taken so far, in ms. */
  get elapsed(): number {
    return this.started === undefined ? 0 : this.clock() - this.started;
  }

  cancel(): void {
    this.cancelled = true;
  }

  /** Runs for at most `sliceMs` of wall time; returns `finished`. */
  advance(sliceMs = Infinity): boolean {
    if (this.finished) return true;
    const now = this.clock();
    this.started ??= now;
    const deadline = this.started + this.maxSeconds * 1000;
    const sliceEnd = now + sliceMs;
    const sim = this.simulation;
    try {
      for (;;) {
        if (!this.keepEvents) sim.forgetTrace();
        for (let i = 0; i < CLOCK_EVERY; i++) {
          if (sim.traceLength >= this.maxEvents) {
            if (!sim.done) this.limit = this.naming(limitOf('events', this.maxEvents, this.hints, this.translate));
            return true;
          }
          const event = sim.step();
          if (event === undefined) return true;
          this.onEvent?.(event, sim.traceLength - 1);
        }
        const t = this.clock();
        this.onClock?.();
        if (t >= deadline) {
          this.limit = this.naming(limitOf('seconds', this.maxSeconds, this.hints, this.translate));
          return true;
        }
        if (t >= sliceEnd) return false;
      }
    } catch (error) {
      this.engineError = error instanceof Error ? error.message : String(error);
      return true;
    }
  }

  /** A limit's message, with the `wait` the run was held at, if any (a wait that never finishes is the usual reason). */
  private naming(limit: RunLimit): RunLimit {
    const next = this.simulation.view().nextStatement;
    const statement = next?.waiting ? this.program.statements[next.index] : undefined;
    const action = statement?.action;
    if (!statement || !action) return limit;
    if (action.kind === 'expect-next') return { ...limit, message: this.translate(RUN_MESSAGES.stillWaiting, [limit.message, statement.line, `${describeNext(action.pattern)} is sent`]) };
    if (action.kind !== 'wait-state' && action.kind !== 'wait-received') return limit;
    return { ...limit, message: this.translate(RUN_MESSAGES.stillWaiting, [limit.message, statement.line, describeWait(action)]) };
  }

  /** Runs to the end (or a limit) at once. */
  runToEnd(): this {
    this.advance();
    return this;
  }

  /** The trace document, with `limit` when a limit cut the run. */
  document(): TraceDocument {
    const doc = traceDocumentOf(this.program, this.simulation.trace);
    if (this.limit) doc.limit = this.limit;
    return doc;
  }

  /** The engine error as a sentence, if any. */
  errorMessage(t: Translate = this.translate): string | undefined {
    return this.engineError === undefined ? undefined : t(RUN_MESSAGES.engineFailed, [this.engineError]);
  }
}

export interface ScenarioResult extends Prepared {
  /** Undefined when the text has errors. */
  run?: ScenarioRun;
}

/** Prepares and runs `text` to the end or a limit, at once (the CLI, tests, the worker). */
export function runScenarioText(text: string, options: PrepareOptions & RunOptions = {}): ScenarioResult {
  const prepared = prepareScenario(text, options);
  if (!prepared.program) return prepared;
  return { ...prepared, run: new ScenarioRun(prepared.program, options).runToEnd() };
}
