// The Debug Adapter Protocol session: one `xxxRequest` per DAP request, turning the runtime's
// results into DAP events. Threads are endpoints; all of them stop together.
// File access is injected, so the same class runs inline in VS Code and standalone over stdio.

import {
  Breakpoint,
  DebugSession,
  ExitedEvent,
  Handles,
  InitializedEvent,
  LoggingDebugSession,
  Logger,
  OutputEvent,
  Scope,
  Source,
  StackFrame,
  StoppedEvent,
  TerminatedEvent,
  Thread,
  logger,
  Event,
  Response,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { PassThrough } from 'node:stream';
import type { EndpointView, InFlightView, TcbView, WorldView } from '../engine/api';
import { Simulation } from '../engine/index';
import { count, plural } from '../engine/plural';
import type { ProfileName } from '../engine/program';
import { TCP_STATES, flagLabel, type TraceEvent } from '../engine/trace';
import type { Diagnostic } from '../language/diagnostic';
import { format, RUN_MESSAGES } from '../run/messages';
import { ReadError, readScenarioFileAsync, scenarioText } from '../run/read';
import { LAUNCH_HINTS, prepareScenario } from '../run/run';
import { CONSOLE_HELP, ConsoleError, isConsoleCommand, parseConsoleCommand } from './console';
import { eventEndpoint, formatMs, segmentLabel } from './describe';
import { canonicalState, evaluateText, ExpressionError, formatValue } from './expression';
import { FrameReader } from './frames';
import { errorDetails, silentLog, type AdapterLog } from './log';
import { TCB_FIELDS, newestConnection } from './names';
import { EXCEPTION_FILTERS, ScenarioRuntime, type Outcome, type Stop } from './runtime';
import { checkArguments, UNSUPPORTED } from './validate';

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

/** Body of the custom `tcpTrace` event sent at every stop (the diagram's feed). */
export interface TcpTraceEventBody {
  /** The receiver truncates its copy of the trace to this many events, then appends `events`. */
  from: number;
  events: TraceEvent[];
  /** Index of the current event, -1 = none. */
  current: number;
  endpoints: { name: string; address: string; port: number; isn?: number }[];
  scenario?: string;
  profile: string;
  /** A stop deep in a long run: the events from `start` on only (`from` is then `start`); the receiver asks for earlier ones with the custom request `tcpTrace`. */
  start?: number;
}

/** A stop that would send more new events than this sends the last TRACE_WINDOW before the current one instead. */
const TRACE_WINDOW_FROM = 5_000;
const TRACE_WINDOW = 2_000;

type Container =
  | { kind: 'endpoint'; endpoint: string }
  | { kind: 'tcb'; endpoint: string; conn: number }
  | { kind: 'timers'; endpoint: string; conn: number }
  | { kind: 'calls'; endpoint: string }
  | { kind: 'network' }
  | { kind: 'segment'; id: string }
  | { kind: 'event' };

const FIELD_LABELS: Partial<Record<(typeof TCB_FIELDS)[number], string>> = {
  sendQueue: 'send queue (bytes not yet sent)',
  unacked: 'unacknowledged (bytes)',
  receiveQueue: 'receive queue (bytes not yet read)',
  outOfOrder: 'out of order (bytes held)',
  cwnd: 'cwnd (bytes)',
  ssthresh: 'ssthresh (bytes)',
  flightSize: 'flight size (bytes)',
  srtt: 'SRTT (ms)',
  rttvar: 'RTTVAR (ms)',
  rto: 'RTO (ms)',
};

/** How long a launch waits for configurationDone before it runs anyway (a client that never sends it). */
const CONFIGURATION_WAIT_MS = 2000;

/** A client's text in a message: short, on one line. */
function quote(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is replaced
  const line = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return line.length > 40 ? `${line.slice(0, 40)}...` : line;
}

export function formatDiagnostics(file: string, diagnostics: readonly Diagnostic[], max = 5): string {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const shown = errors.slice(0, max).map((d) => `${file}:${d.range.line}:${d.range.column}: ${d.message}`);
  if (errors.length > max) shown.push(`... and ${errors.length - max} more`);
  return shown.join('\n');
}

/** Whether a breakpoint's source is the program: a path, or a URI string for virtual files. */
function samePath(a: string | undefined, b: string): boolean {
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

export class TcpScenarioDebugSession extends LoggingDebugSession {
  private runtime?: ScenarioRuntime;
  private args?: LaunchArguments;
  private sourceText: string[] = [];
  private handles = new Handles<Container>();
  /** How many leading events the receiver of `tcpTrace` holds that still match ours (from `sentStart` on: it may hold a window). */
  private sentValid = 0;
  private sentStart = 0;
  private lastStop?: Stop;
  private running = false;
  private ended = false;
  private configured?: () => void;
  private readonly configurationDone: Promise<void>;
  private lineSpecs: DebugProtocol.SourceBreakpoint[] = [];
  private functionSpecs: DebugProtocol.FunctionBreakpoint[] = [];
  private dataSpecs: DebugProtocol.DataBreakpoint[] = [];
  private exceptionFilters: string[] = EXCEPTION_FILTERS.filter((f) => f.default).map((f) => f.filter);
  private terminatedSent = false;

  constructor(
    private readonly readFile: FileReader = readScenarioFileAsync,
    private readonly log: AdapterLog = silentLog,
  ) {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.configurationDone = new Promise((resolve) => (this.configured = resolve));
  }

  // ---- messages in, errors out --------------------------------------------------------------

  /**
   * Standalone over stdio: our own framing (src/debug/frames.ts), so a malformed frame is reported
   * (an error in the Debug Console, a `terminated` event, a line in the log) instead of ending the
   * process without a word, as the library's reader does.
   */
  override start(inStream: NodeJS.ReadableStream, outStream: NodeJS.WritableStream): void {
    super.start(new PassThrough(), outStream);
    const reader = new FrameReader();
    inStream.on('data', (data: Buffer) => {
      for (const frame of reader.push(data)) {
        if (frame.kind === 'message') this.handleMessage(frame.message as unknown as DebugProtocol.ProtocolMessage);
        else this.malformed(frame.reason);
      }
    });
    inStream.on('end', () => this.shutdown());
    inStream.on('error', (error: Error) => {
      this.log.error(`reading from the client failed: ${errorDetails(error)}`);
      this.shutdown();
    });
    inStream.resume();
  }

  /** Every message from the client: a request is checked for its envelope, then dispatched. */
  override handleMessage(message: DebugProtocol.ProtocolMessage): void {
    const m = message as unknown as Record<string, unknown>;
    if (typeof m !== 'object' || m === null || Array.isArray(m)) return this.malformed('a DAP message that is not a JSON object');
    if (m.type === 'response') return super.handleMessage(message);
    if (m.type !== 'request') return this.malformed(`a DAP message of type ${JSON.stringify(quote(String(m.type)))}, not a request`);
    if (typeof m.seq !== 'number' || !Number.isSafeInteger(m.seq)) return this.malformed('a request without a whole-number "seq"');
    if (typeof m.command !== 'string' || m.command === '') {
      const response = new Response({ seq: m.seq, type: 'request', command: '' });
      this.sendErrorResponse(response, { id: 1000, format: RUN_MESSAGES.requestWithoutCommand, showUser: true });
      return;
    }
    try {
      this.dispatchRequest(message as DebugProtocol.Request);
    } catch (error) {
      this.internalError(new Response(message as DebugProtocol.Request), error);
    }
  }

  /** A frame that is not a DAP request: said to the user and logged; the session ends (it cannot trust what follows). */
  private malformed(reason: string): void {
    this.log.error(`malformed message from the client: ${reason}`);
    this.print(`${format(RUN_MESSAGES.malformedMessage, [reason])}\n`, 'stderr');
    this.endSession();
    if (!this.terminatedSent) {
      this.terminatedSent = true;
      this.sendEvent(new TerminatedEvent());
    }
  }

  /** A bug of ours: the details (stack, paths) go to the log, the client gets one sentence. */
  private internalError(response: DebugProtocol.Response, error: unknown): void {
    this.log.error(`internal error while handling "${response.command}": ${errorDetails(error)}`);
    if (response.seq > 0) return; // already answered
    this.sendErrorResponse(response, { id: 1104, format: format(RUN_MESSAGES.internalError, [quote(response.command)]), showUser: true });
  }

  /** Never a stack trace or a path of ours to the client (the library puts `{_stack}` in some). */
  protected override sendErrorResponse(
    response: DebugProtocol.Response,
    codeOrMessage: number | DebugProtocol.Message,
    formatText?: string,
    variables?: Record<string, unknown>,
    dest?: number,
  ): void {
    if (typeof codeOrMessage === 'number' && (formatText?.includes('{_stack}') || variables?._stack !== undefined)) {
      this.log.error(`error while handling "${response.command}": ${String(variables?._stack ?? variables?._exception ?? formatText)}`);
      super.sendErrorResponse(response, { id: codeOrMessage, format: format(RUN_MESSAGES.internalError, [quote(response.command)]), showUser: true });
      return;
    }
    // `{...}` in a message is a placeholder to the library: our messages have none, so none is filled.
    if (typeof codeOrMessage !== 'number') codeOrMessage = { ...codeOrMessage, variables: {} };
    super.sendErrorResponse(response, codeOrMessage as DebugProtocol.Message, formatText, variables, dest);
  }

  /** Stops any run for good (terminate, disconnect, a malformed frame): moves end at their next slice. */
  private endSession(): void {
    this.runtime?.cancel();
    this.running = false;
    this.ended = true;
  }

  // LoggingDebugSession serializes every message for its log even when logging is off; a
  // tcpTrace of 100,000 events makes that costly, so messages skip it unless `trace` is set.
  override sendEvent(event: DebugProtocol.Event): void {
    if (this.args?.trace) super.sendEvent(event);
    else DebugSession.prototype.sendEvent.call(this, event);
  }

  override sendResponse(response: DebugProtocol.Response): void {
    if (this.args?.trace) super.sendResponse(response);
    else DebugSession.prototype.sendResponse.call(this, response);
  }

  // Inline in VS Code nobody calls start(), so the logger would queue every request forever.
  // Arguments are checked first (src/debug/validate.ts): nothing is stored or run on bad ones.
  protected override dispatchRequest(request: DebugProtocol.Request): void {
    const command = request.command;
    const problem = UNSUPPORTED.has(command) ? format(RUN_MESSAGES.unsupportedRequest, [command]) : checkArguments(command, request.arguments);
    if (problem !== undefined) {
      this.sendErrorResponse(new Response(request), { id: 1000, format: UNSUPPORTED.has(command) ? problem : format(RUN_MESSAGES.invalidArguments, [command, problem]), showUser: true });
      return;
    }
    // DAP: pathFormat defaults to "path" (the library refuses a missing one).
    if (command === 'initialize') request.arguments = { pathFormat: 'path', ...(request.arguments as object | undefined) };
    if (this.args?.trace) super.dispatchRequest(request);
    else DebugSession.prototype['dispatchRequest'].call(this, request);
  }

  // ---- setup --------------------------------------------------------------------------------

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      ...response.body,
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
      exceptionBreakpointFilters: EXCEPTION_FILTERS.map((f) => ({ filter: f.filter, label: f.label, description: f.description, default: f.default })),
    };
    this.sendResponse(response);
    // The initialized event follows a successful launch, once the scenario is compiled, so
    // breakpoints are verified against its statements.
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchArguments): Promise<void> {
    try {
      logger.setup(args.trace ? Logger.LogLevel.Verbose : Logger.LogLevel.Stop, false);
      const error = await this.load(args);
      if (error) {
        this.sendErrorResponse(response, { id: 1001, format: error, showUser: true });
        return;
      }
      this.sendEvent(new InitializedEvent());
      await Promise.race([this.configurationDone, new Promise((resolve) => setTimeout(resolve, CONFIGURATION_WAIT_MS))]);
      this.sendResponse(response);
      await this.begin();
    } catch (error) {
      this.internalError(response, error);
    }
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.configured?.();
  }

  protected override async restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments | undefined): Promise<void> {
    try {
      const launch = (args?.arguments as LaunchArguments | undefined) ?? this.args;
      if (!launch) {
        this.sendErrorResponse(response, { id: 1002, format: 'nothing to restart: no scenario was launched', showUser: true });
        return;
      }
      const error = await this.load(launch);
      if (error) {
        this.sendErrorResponse(response, { id: 1001, format: error, showUser: true });
        return;
      }
      this.sendResponse(response);
      await this.begin();
    } catch (error) {
      this.internalError(response, error);
    }
  }

  /** Reads and compiles the scenario and builds a fresh runtime; returns an error message instead. */
  private async load(args: LaunchArguments): Promise<string | undefined> {
    // The arguments were checked (src/debug/validate.ts) before this runs.
    let text: string;
    try {
      text = scenarioText(await this.readFile(args.program));
    } catch (error) {
      if (error instanceof ReadError) return format(RUN_MESSAGES.cannotReadProgram, [error.where(args.program), error.message]);
      this.log.error(`reading ${args.program}: ${errorDetails(error)}`);
      return format(RUN_MESSAGES.cannotReadProgram, [args.program, error instanceof Error ? error.message.split('\n')[0] : String(error)]);
    }
    let runtime: ScenarioRuntime;
    let warnings: Diagnostic[] = [];
    try {
      const { program, diagnostics } = prepareScenario(text, { profile: args.profile });
      warnings = diagnostics.filter((d) => d.severity === 'warning');
      if (!program || diagnostics.some((d) => d.severity === 'error')) {
        return `${args.program} has errors, so it cannot run:\n${formatDiagnostics(args.program, diagnostics)}`;
      }
      runtime = new ScenarioRuntime(new Simulation(program), {
        snapshotEvery: args.snapshotEvery,
        maxEvents: args.maxEvents,
        maxSeconds: args.maxSeconds,
        hints: LAUNCH_HINTS,
        output: (output, category, line) => this.print(output, category, line),
      });
    } catch (error) {
      // A bug of ours, not the user's: say so rather than leave the launch hanging.
      this.log.error(`preparing ${args.program}: ${errorDetails(error)}`);
      return format(RUN_MESSAGES.internalError, ['launch']);
    }
    // A restart or a second launch: the old run stops at its next slice.
    this.runtime?.cancel();
    this.terminatedSent = false;
    this.args = args;
    this.sourceText = text.split(/\r?\n/);
    this.runtime = runtime;
    for (const warning of warnings) {
      this.print(`${args.program}:${warning.range.line}:${warning.range.column}: warning: ${warning.message}\n`, 'console', warning.range.line);
    }
    this.sentValid = 0;
    this.sentStart = 0;
    this.lastStop = undefined;
    this.ended = false;
    this.running = false;
    this.applyBreakpoints();
    return undefined;
  }

  private async begin(): Promise<void> {
    if (this.args?.stopOnEntry) this.report({ kind: 'stopped', stop: { reason: 'entry', position: -1, description: 'stopped on entry' } });
    else await this.move((runtime) => runtime.continue());
  }

  private applyBreakpoints(): void {
    const runtime = this.runtime;
    if (!runtime) return;
    runtime.setLineBreakpoints(this.lineSpecs);
    runtime.setStateBreakpoints(this.functionSpecs);
    runtime.setDataBreakpoints(this.dataSpecs.map((d) => ({ expression: d.dataId, condition: d.condition, hitCondition: d.hitCondition })));
    runtime.setExceptionFilters(this.exceptionFilters);
  }

  // ---- breakpoints --------------------------------------------------------------------------

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const specs = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
    const ours = !this.args || samePath(args.source.path, this.args.program);
    if (!ours) {
      response.body = { breakpoints: specs.map(() => ({ verified: false, message: 'Not the scenario being debugged.' })) };
      this.sendResponse(response);
      return;
    }
    this.lineSpecs = specs.map((s) => ({ ...s, line: this.convertClientLineToDebugger(s.line) }));
    const results = this.runtime?.setLineBreakpoints(this.lineSpecs);
    const source = this.source();
    response.body = {
      breakpoints: specs.map((spec, i) => {
        const result = results?.[i];
        if (!result) return { verified: false, line: spec.line, message: 'The scenario has not been compiled yet.' };
        const breakpoint: DebugProtocol.Breakpoint = new Breakpoint(result.verified, result.line !== undefined ? this.convertDebuggerLineToClient(result.line) : spec.line, undefined, source);
        breakpoint.id = result.id;
        if (result.message) breakpoint.message = result.message;
        return breakpoint;
      }),
    };
    this.sendResponse(response);
  }

  protected override breakpointLocationsRequest(response: DebugProtocol.BreakpointLocationsResponse, args: DebugProtocol.BreakpointLocationsArguments): void {
    const first = this.convertClientLineToDebugger(args.line);
    const last = this.convertClientLineToDebugger(args.endLine ?? args.line);
    const lines = this.runtime?.statementLines.filter((l) => l >= first && l <= last) ?? [];
    response.body = { breakpoints: lines.map((l) => ({ line: this.convertDebuggerLineToClient(l) })) };
    this.sendResponse(response);
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.functionSpecs = args.breakpoints;
    const results = this.runtime?.setStateBreakpoints(this.functionSpecs);
    response.body = {
      breakpoints: args.breakpoints.map((_, i) => {
        const result = results?.[i];
        return result ? { id: result.id, verified: result.verified, message: result.message } : { verified: false, message: 'The scenario has not been compiled yet.' };
      }),
    };
    this.sendResponse(response);
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.exceptionFilters = [...args.filters, ...(args.filterOptions ?? []).map((o) => o.filterId)];
    this.runtime?.setExceptionFilters(this.exceptionFilters);
    this.sendResponse(response);
  }

  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    const expression = this.dataExpression(args);
    if (!expression) {
      response.body = { dataId: null, description: `'${args.name}' is not a TCB variable (try client.SND.UNA)` };
    } else {
      response.body = { dataId: expression, description: `${expression} changes`, accessTypes: ['write'], canPersist: true };
    }
    this.sendResponse(response);
  }

  private dataExpression(args: DebugProtocol.DataBreakpointInfoArguments): string | undefined {
    if (args.variablesReference !== undefined && args.variablesReference > 0) {
      const container = this.handles.get(args.variablesReference);
      const view = this.runtime?.view();
      if (!container || !view) return undefined;
      if (container.kind !== 'endpoint' && container.kind !== 'tcb') return undefined;
      const field = TCB_FIELDS.find((f) => f === args.name || FIELD_LABELS[f] === args.name);
      if (!field) return undefined;
      if (container.kind === 'tcb') {
        const endpoint = view.endpoints.find((e) => e.name === container.endpoint);
        const conn = endpoint?.connections[container.conn]?.conn;
        return conn ? `${container.endpoint}.${conn}.${field}` : `${container.endpoint}.${field}`;
      }
      return `${container.endpoint}.${field}`;
    }
    // A name typed or watched: accept any expression that evaluates now.
    try {
      if (!this.runtime) return undefined;
      evaluateText(args.name, this.runtime.names());
      return args.name;
    } catch {
      return undefined;
    }
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    this.dataSpecs = args.breakpoints;
    const results = this.runtime?.setDataBreakpoints(args.breakpoints.map((d) => ({ expression: d.dataId, condition: d.condition, hitCondition: d.hitCondition })));
    response.body = {
      breakpoints: args.breakpoints.map((_, i) => {
        const result = results?.[i];
        return result ? { id: result.id, verified: result.verified, message: result.message } : { verified: false };
      }),
    };
    this.sendResponse(response);
  }

  // ---- running ------------------------------------------------------------------------------

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    response.body = { allThreadsContinued: true };
    this.sendResponse(response);
    void this.move((runtime) => runtime.continue());
  }

  protected override nextRequest(response: DebugProtocol.NextResponse): void {
    this.sendResponse(response);
    void this.move((runtime) => runtime.stepOver());
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse): void {
    this.sendResponse(response);
    void this.move((runtime) => runtime.stepIn());
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.sendResponse(response);
    void this.move((runtime) => runtime.stepOut());
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse): void {
    this.sendResponse(response);
    void this.move(async (runtime) => runtime.stepBack());
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.sendResponse(response);
    void this.move(async (runtime) => runtime.reverseContinue());
  }

  /** Jump to Cursor: one target per statement line, the nearest statement at or after the line. */
  protected override gotoTargetsRequest(response: DebugProtocol.GotoTargetsResponse, args: DebugProtocol.GotoTargetsArguments): void {
    const runtime = this.runtime;
    const line = runtime?.nearestStatementLine(this.convertClientLineToDebugger(args.line));
    if (!runtime || line === undefined || !samePath(args.source.path, this.args?.program ?? '')) {
      response.body = { targets: [] };
    } else {
      const text = this.sourceText[line - 1]?.trim() ?? '';
      response.body = { targets: [{ id: line, label: `line ${line}: ${text}`, line: this.convertDebuggerLineToClient(line) }] };
    }
    this.sendResponse(response);
  }

  protected override gotoRequest(response: DebugProtocol.GotoResponse, args: DebugProtocol.GotoArguments): void {
    const runtime = this.runtime;
    if (!runtime || this.running || this.ended) {
      this.sendErrorResponse(response, { id: 4001, format: 'cannot jump now: the run is moving or over', showUser: true });
      return;
    }
    if (!runtime.program.statements.some((s) => s.line === args.targetId)) {
      this.sendErrorResponse(response, { id: 4002, format: format(RUN_MESSAGES.noStatementAt, [args.targetId]), showUser: true });
      return;
    }
    this.sendResponse(response);
    void this.move(async (rt) => (await rt.goToStatement(args.targetId)) ?? { kind: 'ended' });
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.sendResponse(response);
    if (this.running) this.runtime?.pause();
    else if (this.runtime && !this.ended) this.report({ kind: 'stopped', stop: { reason: 'pause', position: this.runtime.position, description: 'paused' } });
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.endSession();
    this.sendResponse(response);
    if (!this.terminatedSent) {
      this.terminatedSent = true;
      this.sendEvent(new TerminatedEvent());
    }
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.endSession();
    this.sendResponse(response);
    // Standalone, the adapter process exits; inline, the base class ignores this.
    this.shutdown();
  }

  private async move(how: (runtime: ScenarioRuntime) => Promise<Outcome>): Promise<void> {
    const runtime = this.runtime;
    if (!runtime || this.running || this.ended) return;
    this.running = true;
    let outcome: Outcome;
    try {
      outcome = await how(runtime);
    } catch (error) {
      this.log.error(`internal error while the run moved: ${errorDetails(error)}`);
      this.print(`${format(RUN_MESSAGES.internalError, ['the run'])}\n`, 'stderr');
      outcome = { kind: 'stopped', stop: { reason: 'pause', position: runtime.position, description: 'internal error' } };
    } finally {
      if (runtime === this.runtime) this.running = false;
    }
    // A restart may have replaced the runtime while this one ran; a terminate may have ended it.
    if (runtime !== this.runtime || runtime.isCancelled || outcome.kind === 'cancelled') return;
    try {
      this.report(outcome);
    } catch (error) {
      this.log.error(`internal error while reporting a stop: ${errorDetails(error)}`);
    }
  }

  private report(outcome: Outcome): void {
    const runtime = this.runtime;
    if (!runtime || outcome.kind === 'cancelled') return;
    this.handles.reset();
    if (outcome.kind === 'ended') {
      this.ended = true;
      this.sendTrace();
      const expectations = runtime.trace.filter((e): e is Extract<TraceEvent, { kind: 'expect' }> => e.kind === 'expect');
      const failed = expectations.filter((e) => !e.ok).length;
      const now = runtime.view().now;
      const finished = `Scenario finished at ${formatMs(now)} (${count(runtime.trace.length, 'event')})`;
      const summary =
        expectations.length === 0
          ? `${finished}; it has no expectations.`
          : failed === 0
            ? `${finished}: ${plural(expectations.length, 'its expectation held.', `all ${expectations.length} expectations held.`)}`
            : `${finished}: ${failed} of ${count(expectations.length, 'expectation')} failed.`;
      this.print(`${summary}\n`, failed > 0 ? 'stderr' : 'console');
      this.sendEvent(new ExitedEvent(failed > 0 ? 1 : 0));
      this.sendEvent(new TerminatedEvent());
      return;
    }
    const stop = outcome.stop;
    this.lastStop = stop;
    this.sendTrace();
    const event = new StoppedEvent(stop.reason, this.stopThread(), stop.exception?.description) as DebugProtocol.StoppedEvent;
    event.body.allThreadsStopped = true;
    event.body.description = stop.exception ? `Paused on ${stop.exception.filter}: ${stop.exception.description}` : stop.description;
    if (stop.hitBreakpointIds) event.body.hitBreakpointIds = stop.hitBreakpointIds;
    this.sendEvent(event);
  }

  /**
   * The diagram's feed at a stop: the events the receiver does not hold yet. A stop deep in a long
   * run (or one back before the receiver's window) sends only the TRACE_WINDOW events before the
   * current one and those after it: what is on screen; the receiver asks for earlier ones.
   */
  private sendTrace(): void {
    const runtime = this.runtime;
    if (!runtime) return;
    const length = runtime.trace.length;
    const from = Math.min(this.sentValid, length);
    const windowStart = Math.max(0, Math.min(runtime.position, length) - TRACE_WINDOW);
    // The receiver's window no longer holds the change (a step back before it), or the stop is far ahead.
    const start = from < this.sentStart || (length - from > TRACE_WINDOW_FROM && windowStart > from) ? windowStart : undefined;
    let body: TcpTraceEventBody;
    if (start !== undefined) {
      body = this.traceBody(runtime, start);
      body.start = start;
      this.sentStart = start;
    } else {
      body = this.traceBody(runtime, from);
    }
    this.sendEvent(new Event('tcpTrace', body));
    this.sentValid = length;
  }

  private traceBody(runtime: ScenarioRuntime, from: number, to = runtime.trace.length): TcpTraceEventBody {
    const body: TcpTraceEventBody = {
      from,
      events: runtime.trace.slice(from, to) as TraceEvent[],
      current: runtime.position,
      endpoints: runtime.program.endpoints.map((e) => ({ name: e.name, address: e.address, port: e.port, ...(e.isn !== undefined ? { isn: e.isn } : {}) })),
      profile: runtime.program.profile,
    };
    if (runtime.program.title !== undefined) body.scenario = runtime.program.title;
    return body;
  }

  /**
   * Custom request `tcpTrace`: the trace's events from `from` (0) to `to` (the end), body as the
   * event's: for a view that opens late, or the diagram asking for the events before its window.
   */
  protected override customRequest(command: string, response: DebugProtocol.Response, args?: { from?: number; to?: number }): void {
    if (command === 'tcpTrace') {
      if (!this.runtime) {
        this.sendErrorResponse(response, { id: 2001, format: RUN_MESSAGES.notRunning, showUser: false });
        return;
      }
      const length = this.runtime.trace.length;
      const to = Math.min(args?.to ?? length, length);
      response.body = this.traceBody(this.runtime, Math.min(args?.from ?? 0, to), to);
      this.sendResponse(response);
      return;
    }
    this.sendErrorResponse(response, { id: 1014, format: format(RUN_MESSAGES.unknownRequest, [quote(command)]), showUser: false });
  }

  /** The thread of the endpoint the current event belongs to. */
  private stopThread(): number {
    const runtime = this.runtime!;
    const event = runtime.currentEvent;
    const endpoint = event ? eventEndpoint(event, runtime) : undefined;
    const index = runtime.program.endpoints.findIndex((e) => e.name === endpoint);
    return index >= 0 ? index + 1 : 1;
  }

  private print(text: string, category: 'console' | 'stdout' | 'stderr', line?: number): void {
    const event = new OutputEvent(text, category) as DebugProtocol.OutputEvent;
    if (line !== undefined && this.args) {
      event.body.source = this.source();
      event.body.line = this.convertDebuggerLineToClient(line);
    }
    this.sendEvent(event);
  }

  // ---- inspection ---------------------------------------------------------------------------

  private source(): Source | undefined {
    if (!this.args) return undefined;
    const path = this.args.program;
    const name = path.split(/[\\/]/).pop() ?? path;
    return new Source(name, this.convertDebuggerPathToClient(path));
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const runtime = this.runtime;
    if (!runtime) {
      response.body = { threads: [] };
    } else {
      const view = runtime.view();
      response.body = {
        threads: runtime.program.endpoints.map((e, i) => {
          const state = view.endpoints.find((v) => v.name === e.name)?.state ?? 'CLOSED';
          return new Thread(i + 1, `${e.name} (${state})`);
        }),
      };
    }
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    const runtime = this.runtime;
    if (!runtime) {
      response.body = { stackFrames: [], totalFrames: 0 };
      this.sendResponse(response);
      return;
    }
    const endpoint = runtime.program.endpoints[args.threadId - 1]?.name;
    const event = runtime.currentEvent;
    const source = this.source();
    const frames: StackFrame[] = [];
    const statementLine = runtime.statementLine();
    const base = args.threadId * 2;
    const view = runtime.view();
    const state = view.endpoints.find((e) => e.name === endpoint)?.state ?? 'CLOSED';
    if (!event) {
      frames.push(new StackFrame(base, `${endpoint ?? 'scenario'}: ${state}, before the first event`, source, this.clientLine(statementLine)));
    } else {
      const owner = eventEndpoint(event, runtime);
      const name = owner === undefined || owner === endpoint ? runtime.describe() : `${endpoint}: ${state} (current event: ${runtime.describe()})`;
      const top = new StackFrame(base, `[${formatMs(event.t)}] ${name}`, source, this.clientLine(event.line ?? statementLine));
      frames.push(top);
      if (statementLine !== undefined) {
        const text = this.sourceText[statementLine - 1]?.trim() ?? '';
        frames.push(new StackFrame(base + 1, `line ${statementLine}: ${text}`, source, this.clientLine(statementLine)));
      }
    }
    const start = args.startFrame ?? 0;
    const count = args.levels && args.levels > 0 ? args.levels : frames.length;
    response.body = { stackFrames: frames.slice(start, start + count), totalFrames: frames.length };
    this.sendResponse(response);
  }

  private clientLine(line: number | undefined): number {
    return this.convertDebuggerLineToClient(line ?? 1);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse): void {
    const runtime = this.runtime;
    const scopes: DebugProtocol.Scope[] = [];
    if (runtime) {
      const view = runtime.view();
      for (const endpoint of view.endpoints) {
        scopes.push(new Scope(`${endpoint.name} (${endpoint.state})`, this.handles.create({ kind: 'endpoint', endpoint: endpoint.name }), false));
      }
      scopes.push(new Scope(`Network (${view.inFlight.length} in flight)`, this.handles.create({ kind: 'network' }), false));
      if (runtime.currentEvent) {
        const scope: DebugProtocol.Scope = new Scope(`Current event #${runtime.position} (${runtime.currentEvent.kind})`, this.handles.create({ kind: 'event' }), false);
        scope.presentationHint = 'locals';
        scopes.push(scope);
      }
    }
    response.body = { scopes };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    const runtime = this.runtime;
    const container = this.handles.get(args.variablesReference);
    if (runtime && !container) {
      this.sendErrorResponse(response, { id: 2003, format: format(RUN_MESSAGES.unknownReference, [args.variablesReference]), showUser: false });
      return;
    }
    response.body = { variables: runtime && container ? this.variables(container, runtime.view()) : [] };
    this.sendResponse(response);
  }

  private variables(container: Container, view: WorldView): DebugProtocol.Variable[] {
    switch (container.kind) {
      case 'endpoint': {
        const endpoint = view.endpoints.find((e) => e.name === container.endpoint);
        return endpoint ? this.endpointVariables(endpoint) : [];
      }
      case 'tcb': {
        const endpoint = view.endpoints.find((e) => e.name === container.endpoint);
        const tcb = endpoint?.connections[container.conn];
        return endpoint && tcb ? this.tcbVariables(endpoint, tcb, container.conn) : [];
      }
      case 'timers': {
        const tcb = view.endpoints.find((e) => e.name === container.endpoint)?.connections[container.conn];
        return (tcb?.timers ?? []).map((timer) => variable(timer.name, `expires at ${formatMs(timer.expires)} (in ${formatMs(timer.expires - view.now)})`));
      }
      case 'calls': {
        // What `expect NAME CALL ok|failed` reads: each call's latest result.
        const calls = view.endpoints.find((e) => e.name === container.endpoint)?.calls ?? [];
        return calls.map((c) => variable(c.call, `${c.ok ? 'ok' : `failed: ${c.error}${c.errno ? ` (${c.errno})` : ''}`} at ${formatMs(c.t)}`));
      }
      case 'network':
        return view.inFlight.map((segment) => ({
          name: `${segment.id} ${segment.from} -> ${segment.to}`,
          value: `${segmentLabel(segment)}${segment.corrupt ? ' (corrupt)' : ''}, ${segment.drop !== undefined ? `will be lost (${segment.drop}) at` : 'arrives at'} ${formatMs(segment.arrivesAt)}`,
          variablesReference: this.handles.create({ kind: 'segment', id: segment.id }),
        }));
      case 'segment': {
        const segment = view.inFlight.find((s) => s.id === container.id);
        return segment ? this.segmentVariables(segment) : [];
      }
      case 'event': {
        const event = this.runtime?.currentEvent;
        if (!event) return [];
        return [
          variable('description', this.runtime!.describe()),
          ...Object.entries(event).map(([key, value]) => ({ ...variable(key, Array.isArray(value) ? value.join(',') : String(value)), evaluateName: `event.${key}` })),
        ];
      }
    }
  }

  private endpointVariables(endpoint: EndpointView): DebugProtocol.Variable[] {
    const name = endpoint.name;
    const vars: DebugProtocol.Variable[] = [
      { ...variable('state', endpoint.state), evaluateName: `${name}.state` },
      { ...variable('address', `${endpoint.address}:${endpoint.port}`) },
      { ...variable('listening', String(endpoint.listening)), evaluateName: `${name}.listening` },
      { ...variable('received (bytes)', String(endpoint.received)), evaluateName: `${name}.received` },
    ];
    if (endpoint.crashed) vars.push(variable('crashed', 'true'));
    if (endpoint.raw) vars.push(variable('raw', 'true (no TCP: it sends only injected segments)'));
    const calls = endpoint.calls ?? [];
    if (calls.length > 0) {
      const failed = calls.filter((c) => !c.ok).map((c) => `${c.call} ${c.errno ?? 'failed'}`);
      vars.push({ name: 'calls', value: failed.length > 0 ? failed.join(', ') : 'all ok', variablesReference: this.handles.create({ kind: 'calls', endpoint: name }) });
    }
    if (endpoint.connections.length === 1) return [...vars.slice(0, 1), ...this.tcbVariables(endpoint, endpoint.connections[0], 0).slice(1), ...vars.slice(1)];
    endpoint.connections.forEach((tcb, conn) => {
      vars.push({
        name: `connection ${tcb.conn ?? conn + 1}`,
        value: `${tcb.state} ${tcb.local} <-> ${tcb.remote ?? '?'}`,
        variablesReference: this.handles.create({ kind: 'tcb', endpoint: name, conn }),
      });
    });
    return vars;
  }

  private tcbVariables(endpoint: EndpointView, tcb: TcbView, conn: number): DebugProtocol.Variable[] {
    const prefix = endpoint.connections.length > 1 && tcb.conn ? `${endpoint.name}.${tcb.conn}` : endpoint.name;
    const relative = this.args?.sequenceNumbers === 'relative';
    const vars: DebugProtocol.Variable[] = [];
    const add = (name: string, value: string, field: string) => vars.push({ ...variable(name, value), evaluateName: `${prefix}.${field}` });
    const seq = (value: number, base: number) => (relative ? `${(value - base) >>> 0} (absolute ${value})` : String(value));
    add('state', tcb.state, 'state');
    vars.push(variable('local', tcb.local));
    if (tcb.remote !== undefined) vars.push(variable('remote', tcb.remote));
    add('ISS', String(tcb.ISS), 'ISS');
    add('IRS', String(tcb.IRS), 'IRS');
    add('SND.UNA', seq(tcb['SND.UNA'], tcb.ISS), 'SND.UNA');
    add('SND.NXT', seq(tcb['SND.NXT'], tcb.ISS), 'SND.NXT');
    add('SND.WND', String(tcb['SND.WND']), 'SND.WND');
    add('SND.WL1', seq(tcb['SND.WL1'], tcb.IRS), 'SND.WL1');
    add('SND.WL2', seq(tcb['SND.WL2'], tcb.ISS), 'SND.WL2');
    add('RCV.NXT', seq(tcb['RCV.NXT'], tcb.IRS), 'RCV.NXT');
    add('RCV.WND', String(tcb['RCV.WND']), 'RCV.WND');
    add(FIELD_LABELS.sendQueue!, String(tcb.sendQueue), 'sendQueue');
    add(FIELD_LABELS.unacked!, String(tcb.unacked), 'unacked');
    add(FIELD_LABELS.receiveQueue!, String(tcb.receiveQueue), 'receiveQueue');
    add(FIELD_LABELS.outOfOrder!, String(tcb.outOfOrder), 'outOfOrder');
    add(FIELD_LABELS.cwnd!, String(tcb.cwnd), 'cwnd');
    add(FIELD_LABELS.ssthresh!, String(tcb.ssthresh), 'ssthresh');
    add(FIELD_LABELS.flightSize!, String(tcb.flightSize), 'flightSize');
    add('recovery', tcb.recovery, 'recovery');
    if (tcb.srtt !== undefined) add(FIELD_LABELS.srtt!, String(tcb.srtt), 'srtt');
    if (tcb.rttvar !== undefined) add(FIELD_LABELS.rttvar!, String(tcb.rttvar), 'rttvar');
    add(FIELD_LABELS.rto!, String(tcb.rto), 'rto');
    vars.push({
      name: 'timers',
      value: tcb.timers.length === 0 ? 'none' : tcb.timers.map((t) => `${t.name} @${formatMs(t.expires)}`).join(', '),
      variablesReference: tcb.timers.length === 0 ? 0 : this.handles.create({ kind: 'timers', endpoint: endpoint.name, conn }),
    });
    return vars;
  }

  private segmentVariables(segment: InFlightView): DebugProtocol.Variable[] {
    return [
      variable('id', segment.id),
      variable('from', segment.from),
      variable('to', segment.to),
      variable('flags', flagLabel(segment.flags) || 'none'),
      variable('seq', String(segment.seq)),
      variable('ack', String(segment.ack)),
      variable('len', String(segment.len)),
      variable('wnd', String(segment.wnd)),
      variable('sent at', formatMs(segment.sentAt)),
      variable('arrives at', formatMs(segment.arrivesAt)),
      variable('corrupt', String(segment.corrupt)),
      ...(segment.drop !== undefined ? [variable('will be lost', segment.drop)] : []),
    ];
  }

  // ---- evaluate, console --------------------------------------------------------------------

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    const runtime = this.runtime;
    const text = args.expression.trim();
    if (!runtime) {
      this.sendErrorResponse(response, { id: 2001, format: RUN_MESSAGES.notRunning, showUser: false });
      return;
    }
    try {
      if (args.context === 'repl' && isConsoleCommand(text)) {
        response.body = { result: this.consoleCommand(text), variablesReference: 0 };
      } else if (args.context === 'hover') {
        response.body = this.hover(text);
      } else {
        const endpoint = runtime.view().endpoints.find((e) => e.name === text);
        if (endpoint) {
          response.body = { result: this.endpointSummary(endpoint), variablesReference: this.handles.create({ kind: 'endpoint', endpoint: text }) };
        } else {
          response.body = { result: formatValue(evaluateText(text, runtime.names())), variablesReference: 0 };
        }
      }
      this.sendResponse(response);
    } catch (error) {
      // The expression language's and the console's own errors say what is wrong; anything else is a bug.
      if (!(error instanceof ExpressionError || error instanceof ConsoleError)) return this.internalError(response, error);
      this.sendErrorResponse(response, { id: 2002, format: error.message, showUser: args.context === 'repl' });
    }
  }

  private endpointSummary(endpoint: EndpointView): string {
    const tcb = newestConnection(endpoint);
    if (!tcb) return `${endpoint.state}${endpoint.listening ? ' (listening)' : ''}`;
    return `${tcb.state} SND.UNA=${tcb['SND.UNA']} SND.NXT=${tcb['SND.NXT']} RCV.NXT=${tcb['RCV.NXT']} RCV.WND=${tcb['RCV.WND']}`;
  }

  /** Hover in the scenario: an endpoint name, a state name, or any expression. */
  private hover(text: string): DebugProtocol.EvaluateResponse['body'] {
    const runtime = this.runtime!;
    const view = runtime.view();
    const endpoint = view.endpoints.find((e) => e.name === text);
    if (endpoint) {
      return { result: `${endpoint.name}: ${this.endpointSummary(endpoint)}`, variablesReference: this.handles.create({ kind: 'endpoint', endpoint: text }) };
    }
    const state = canonicalState(text);
    if (state && !/[.\s]/.test(text)) {
      const inState = view.endpoints.filter((e) => e.state === state || e.connections.some((c) => c.state === state)).map((e) => e.name);
      const others = view.endpoints.filter((e) => !inState.includes(e.name)).map((e) => `${e.name} is ${e.state}`);
      const now = inState.length > 0 ? `${inState.join(' and ')} ${inState.length > 1 ? 'are' : 'is'} in ${state} now` : `no endpoint is in ${state} now`;
      return { result: others.length > 0 ? `${now}; ${others.join(', ')}` : now, variablesReference: 0 };
    }
    return { result: formatValue(evaluateText(text, runtime.names())), variablesReference: 0 };
  }

  private consoleCommand(text: string): string {
    const runtime = this.runtime!;
    if (this.running) throw new ConsoleError('the run is moving; pause it first');
    const command = parseConsoleCommand(text, runtime.program.endpoints.map((e) => e.name));
    switch (command.kind) {
      case 'help':
        return CONSOLE_HELP;
      case 'segments': {
        const inFlight = runtime.view().inFlight;
        if (inFlight.length === 0) return 'no segments in flight';
        return inFlight.map((s) => `${s.id} ${s.from} -> ${s.to} ${segmentLabel(s)}, arrives at ${formatMs(s.arrivesAt)}`).join('\n');
      }
      case 'drop-in-flight': {
        if (!runtime.isInFlight(command.id)) {
          const ids = runtime.view().inFlight.map((s) => s.id);
          throw new ConsoleError(`segment ${command.id} is not in flight now; in flight: ${ids.length > 0 ? ids.join(', ') : 'none'}`);
        }
        // The run moves on to the drop event, and stops there as after a step.
        queueMicrotask(() => void this.move(async (rt) => (await rt.dropInFlight(command.id)) ?? this.stayed(rt)));
        return `dropping ${command.id}: noted in the trace as a drop with reason "debug console"`;
      }
      case 'fault': {
        queueMicrotask(() => void this.move((rt) => rt.addFault(command.rule)));
        // Flags match exactly, as in the language; after the handshake every segment carries ACK.
        const flags = command.rule.pattern.flags;
        const alone = flags?.length === 1 && (flags[0] === 'SYN' || flags[0] === 'RST');
        const hint = flags && !flags.includes('ACK') && !alone ? ` (flags match exactly: after the handshake a ${flagLabel(flags)} segment also carries ACK, so you may mean ${flagLabel([...flags, 'ACK'])})` : '';
        return `fault added: ${command.rule.text}${hint}`;
      }
    }
  }

  private stayed(runtime: ScenarioRuntime): Outcome {
    return { kind: 'stopped', stop: { reason: 'step', position: runtime.position, description: runtime.describe() } };
  }

  /** Debug Console completion: endpoint names, their fields after `NAME.`, commands, states. */
  protected override completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): void {
    const runtime = this.runtime;
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
        response.body = { targets: targets.filter((t) => t.label.startsWith(typed)).map((t) => ({ ...t, start: args.column - 1 - typed.length, length: typed.length })) };
      } else {
        for (const endpoint of view.endpoints) targets.push({ label: endpoint.name, type: 'variable', detail: endpoint.state });
        for (const label of ['now', 'event']) targets.push({ label, type: 'variable' });
        if (before.trim() === word) for (const label of ['help', 'segments', 'drop', 'duplicate', 'corrupt']) targets.push({ label, type: 'keyword' });
        for (const state of TCP_STATES) targets.push({ label: state, type: 'value' });
        response.body = { targets: targets.filter((t) => t.label.startsWith(word)) };
      }
    } else {
      response.body = { targets };
    }
    this.sendResponse(response);
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const exception = this.lastStop?.exception;
    if (!exception) {
      this.sendErrorResponse(response, { id: 3001, format: 'not stopped on an exception', showUser: false });
      return;
    }
    const details: string[] = [exception.description];
    if (exception.expected !== undefined) details.push(`expected: ${exception.expected}`);
    if (exception.actual !== undefined) details.push(`actual:   ${exception.actual}`);
    response.body = {
      exceptionId: exception.filter,
      description: exception.expected !== undefined || exception.actual !== undefined ? `${exception.description} (expected ${exception.expected ?? '?'}, actual ${exception.actual ?? '?'})` : exception.description,
      breakMode: 'always',
      details: { message: details.join('\n'), typeName: exception.filter, stackTrace: this.runtime?.describe() },
    };
    this.sendResponse(response);
  }
}

function variable(name: string, value: string): DebugProtocol.Variable {
  return { name, value, variablesReference: 0 };
}
