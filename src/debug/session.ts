// The Debug Adapter Protocol session: one `xxxRequest` per DAP request, turning the runtime's
// results into DAP events. Threads are endpoints; all of them stop together.
// File access is injected, so the same class runs inline in VS Code and standalone over stdio.

import { ExitedEvent, InitializedEvent, Logger, OutputEvent, Source, StoppedEvent, TerminatedEvent, logger, Event } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { RUN_MESSAGES } from '../run/messages';
import { readScenarioFileAsync } from '../run/read';
import type { Numbering } from '../text/format';
import { ENGLISH, localeOf, type Locale, type Translator } from '../text/translate';
import { ConsoleError } from './console';
import { ENGLISH_VOICE, type Voice } from './describe';
import { ExpressionError } from './expression';
import { errorDetails, silentLog, type AdapterLog } from './log';
import { GuardedSession, quote } from './guardedSession';
import { DEBUG_MESSAGES as M } from './messages';
import type { Outcome, ScenarioRuntime, Stop } from './runtime';
import { BreakpointSpecs } from './breakpointSpecs';
import { stackFrames, stopThread, threads } from './callStack';
import { completions, evaluate } from './evaluate';
import { capabilities, CONFIGURATION_WAIT_MS, diagnosticText, loadScenario, samePath, type FileReader, type LaunchArguments } from './launch';
import { endSummary, exceptionInfo, stopText } from './stops';
import { traceBody, TraceFeed } from './traceFeed';
import { VariablesView } from './variables';

export type { LaunchArguments } from './launch';

export type { TcpTraceEventBody } from './traceFeed';

export class TcpScenarioDebugSession extends GuardedSession {
  private runtime?: ScenarioRuntime;
  private args?: LaunchArguments;
  private sourceText: string[] = [];
  /** Scopes and Variables (src/debug/variables.ts). */
  private readonly views = new VariablesView({ runtime: () => this.runtime, voice: () => this.voice, statementText: (line) => this.statementText(line) });
  /** What the diagram holds of the trace. */
  private readonly feed = new TraceFeed();
  private lastStop?: Stop;
  private running = false;
  private ended = false;
  private configured?: () => void;
  private readonly configurationDone: Promise<void>;
  /** The breakpoints the client set (src/debug/breakpointSpecs.ts). */
  private readonly breakpoints = new BreakpointSpecs();
  /** The client's language (DAP `initialize`'s locale) and the launch's numbering. */
  private voice: Voice = ENGLISH_VOICE;
  /** Whether the client refreshes its views on an `invalidated` event (a change of numbering mid-session). */
  private clientInvalidates = false;

  protected get tr(): Translator {
    return this.voice.tr;
  }

  protected get tracing(): boolean {
    return Boolean(this.args?.trace);
  }

  constructor(
    private readonly readFile: FileReader = readScenarioFileAsync,
    log: AdapterLog = silentLog,
    /** The translator for a client's locale: the bundled l10n files standalone (src/text/bundles.ts), VS Code's l10n inline. */
    private readonly translators: (locale: Locale) => Translator = () => ENGLISH,
  ) {
    super(log);
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.configurationDone = new Promise((resolve) => (this.configured = resolve));
  }

  /** Stops any run for good (terminate, disconnect, a malformed frame): moves end at their next slice. */
  protected endSession(): void {
    this.runtime?.cancel();
    this.running = false;
    this.ended = true;
  }

  // ---- setup --------------------------------------------------------------------------------

  /** DAP `initialize`'s `locale` (`zh-cn`, `zh-tw`, `en`...): the language of everything the adapter says from now on. */
  protected setLocale(locale: unknown): void {
    this.voice = { ...this.voice, tr: this.translators(localeOf(typeof locale === 'string' ? locale : undefined)) };
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse, args: DebugProtocol.InitializeRequestArguments): void {
    this.setLocale(args.locale);
    this.clientInvalidates = args.supportsInvalidatedEvent === true;
    response.body = { ...response.body, ...capabilities(this.tr) };
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
        this.sendErrorResponse(response, { id: 1002, format: this.tr.t(M.nothingToRestart), showUser: true });
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

  /** Reads and compiles the scenario (src/debug/launch.ts) and makes its fresh runtime the session's; returns an error message instead. */
  private async load(args: LaunchArguments): Promise<string | undefined> {
    const loaded = await loadScenario(args, {
      readFile: this.readFile,
      log: this.log,
      tr: this.tr,
      output: (output, category, line) => this.print(output, category, line),
    });
    if (typeof loaded === 'string') return loaded;
    const { runtime, text, warnings } = loaded;
    // A restart or a second launch: the old run stops at its next slice.
    this.runtime?.cancel();
    this.terminatedSent = false;
    this.args = args;
    this.sourceText = text.split(/\r?\n/);
    this.runtime = runtime;
    // The launch's numbering, which the new runtime speaks with.
    this.voice = runtime.voice;
    for (const warning of warnings) {
      this.print(`${this.tr.t(M.warning, args.program, warning.range.line, warning.range.column, diagnosticText(warning, this.tr))}\n`, 'console', warning.range.line);
    }
    this.feed.reset();
    this.lastStop = undefined;
    this.ended = false;
    this.running = false;
    this.applyBreakpoints();
    return undefined;
  }

  private async begin(): Promise<void> {
    if (this.args?.stopOnEntry) this.report({ kind: 'stopped', stop: { reason: 'entry', position: -1, description: this.tr.t(M.stoppedOnEntry) } });
    else await this.move((runtime) => runtime.continue());
  }

  private applyBreakpoints(): void {
    if (this.runtime) this.breakpoints.applyTo(this.runtime);
  }

  // ---- breakpoints --------------------------------------------------------------------------

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const lines = { toDebugger: (line: number) => this.convertClientLineToDebugger(line), toClient: (line: number) => this.convertDebuggerLineToClient(line) };
    response.body = this.breakpoints.setLines(args, { runtime: this.runtime, program: this.args?.program, source: this.source(), lines, tr: this.tr });
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
    response.body = this.breakpoints.setFunctions(args, this.runtime, this.tr);
    this.sendResponse(response);
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.breakpoints.setExceptionFilters(args, this.runtime);
    this.sendResponse(response);
  }

  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    const expression = this.views.dataExpression(args);
    if (!expression) {
      response.body = { dataId: null, description: this.tr.t(M.notTcbVariable, args.name) };
    } else {
      response.body = { dataId: expression, description: this.tr.t(M.dataChanges, expression), accessTypes: ['write'], canPersist: true };
    }
    this.sendResponse(response);
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    response.body = this.breakpoints.setData(args, this.runtime);
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
      response.body = { targets: [{ id: line, label: this.tr.t(M.gotoTarget, line, text), line: this.convertDebuggerLineToClient(line) }] };
    }
    this.sendResponse(response);
  }

  protected override gotoRequest(response: DebugProtocol.GotoResponse, args: DebugProtocol.GotoArguments): void {
    const runtime = this.runtime;
    if (!runtime || this.running || this.ended) {
      this.sendErrorResponse(response, { id: 4001, format: this.tr.t(M.cannotJump), showUser: true });
      return;
    }
    if (!runtime.program.statements.some((s) => s.line === args.targetId)) {
      this.sendErrorResponse(response, { id: 4002, format: this.tr.t(RUN_MESSAGES.noStatementAt, args.targetId), showUser: true });
      return;
    }
    this.sendResponse(response);
    void this.move(async (rt) => (await rt.goToStatement(args.targetId)) ?? { kind: 'ended' });
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.sendResponse(response);
    if (this.running) this.runtime?.pause();
    else if (this.runtime && !this.ended) this.report({ kind: 'stopped', stop: { reason: 'pause', position: this.runtime.position, description: this.tr.t(M.paused) } });
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.endSession();
    this.sendResponse(response);
    this.terminated();
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
      this.print(`${this.tr.t(RUN_MESSAGES.internalError, 'the run')}\n`, 'stderr');
      outcome = { kind: 'stopped', stop: { reason: 'pause', position: runtime.position, description: this.tr.t(M.internalErrorStop) } };
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
    this.views.reset();
    if (outcome.kind === 'ended') {
      this.ended = true;
      this.sendTrace();
      const { text: summary, failed } = endSummary(runtime, this.tr);
      this.print(`${summary}\n`, failed > 0 ? 'stderr' : 'console');
      this.sendEvent(new ExitedEvent(failed > 0 ? 1 : 0));
      this.sendEvent(new TerminatedEvent());
      return;
    }
    const stop = outcome.stop;
    this.lastStop = stop;
    this.sendTrace();
    const event = new StoppedEvent(stop.reason, stopThread(runtime), stop.exception?.description) as DebugProtocol.StoppedEvent;
    event.body.allThreadsStopped = true;
    event.body.description = stopText(stop, this.tr);
    if (stop.hitBreakpointIds) event.body.hitBreakpointIds = stop.hitBreakpointIds;
    this.sendEvent(event);
  }

  /** The diagram's feed at a stop (src/debug/traceFeed.ts). */
  private sendTrace(): void {
    const runtime = this.runtime;
    if (!runtime) return;
    this.feed.atStop(runtime, (body) => this.sendEvent(new Event('tcpTrace', body)));
  }

  /**
   * Custom requests:
   * - `tcpTrace { from?, to? }`: the trace's events from `from` (0) to `to` (the end), body as the
   *   event's: for a view that opens late, or the diagram asking for the events before its window;
   * - `tcpGoToRule { rule }`: the "Why?" index, to the first event the engine made by that rule (back
   *   or forward, without stopping at breakpoints), then a `goto` stop;
   * - `tcpNumbering { sequenceNumbers }`: relative or absolute numbers from now on (the setting
   *   changed); a client that supports it is told to fetch its views again (`invalidated`).
   */
  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    const runtime = this.runtime;
    if ((command === 'tcpTrace' || command === 'tcpGoToRule') && !runtime) {
      this.sendErrorResponse(response, { id: 2001, format: this.tr.t(RUN_MESSAGES.notRunning), showUser: false });
      return;
    }
    if (command === 'tcpTrace' && runtime) {
      const range = (args ?? {}) as { from?: number; to?: number };
      const length = runtime.trace.length;
      const to = Math.min(range.to ?? length, length);
      response.body = traceBody(runtime, Math.min(range.from ?? 0, to), to);
      this.sendResponse(response);
      return;
    }
    if (command === 'tcpGoToRule' && runtime) {
      if (this.running || this.ended) {
        this.sendErrorResponse(response, { id: 4001, format: this.tr.t(M.cannotJump), showUser: true });
        return;
      }
      const rule = (args as { rule: string }).rule;
      this.sendResponse(response);
      void this.move((rt) => rt.goToRule(rule));
      return;
    }
    if (command === 'tcpNumbering') {
      const numbering = (args as { sequenceNumbers: Numbering }).sequenceNumbers;
      this.voice = { ...this.voice, numbering };
      if (this.args) this.args = { ...this.args, sequenceNumbers: numbering };
      runtime?.setVoice(this.voice);
      this.sendResponse(response);
      if (this.clientInvalidates && runtime && !this.running && !this.ended) {
        this.views.reset();
        this.sendEvent(new Event('invalidated', { areas: ['variables', 'stacks'] }));
      }
      return;
    }
    this.sendErrorResponse(response, { id: 1014, format: this.tr.t(RUN_MESSAGES.unknownRequest, quote(command)), showUser: false });
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
    response.body = { threads: this.runtime ? threads(this.runtime) : [] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    const runtime = this.runtime;
    if (!runtime) {
      response.body = { stackFrames: [], totalFrames: 0 };
      this.sendResponse(response);
      return;
    }
    const frames = stackFrames(runtime, args.threadId, {
      tr: this.tr,
      source: this.source(),
      clientLine: (line) => this.clientLine(line),
      statementText: (line) => this.statementText(line),
    });
    const start = args.startFrame ?? 0;
    const count = args.levels && args.levels > 0 ? args.levels : frames.length;
    response.body = { stackFrames: frames.slice(start, start + count), totalFrames: frames.length };
    this.sendResponse(response);
  }

  private statementText(line: number): string {
    return this.sourceText[line - 1]?.trim() ?? '';
  }

  private clientLine(line: number | undefined): number {
    return this.convertDebuggerLineToClient(line ?? 1);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse): void {
    response.body = { scopes: this.views.scopes() };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    const runtime = this.runtime;
    const container = this.views.container(args.variablesReference);
    if (runtime && !container) {
      this.sendErrorResponse(response, { id: 2003, format: this.tr.t(RUN_MESSAGES.unknownReference, args.variablesReference), showUser: false });
      return;
    }
    response.body = { variables: runtime && container ? this.views.variables(container, runtime.view()) : [] };
    this.sendResponse(response);
  }

  // ---- evaluate, console --------------------------------------------------------------------

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    const runtime = this.runtime;
    if (!runtime) {
      this.sendErrorResponse(response, { id: 2001, format: this.tr.t(RUN_MESSAGES.notRunning), showUser: false });
      return;
    }
    try {
      response.body = evaluate(
        { runtime, tr: this.tr, views: this.views, running: () => this.running, program: () => this.args!.program, move: (how) => this.move(how) },
        args,
      );
      this.sendResponse(response);
    } catch (error) {
      // The expression language's and the console's own errors say what is wrong; anything else is a bug.
      if (!(error instanceof ExpressionError || error instanceof ConsoleError)) return this.internalError(response, error);
      this.sendErrorResponse(response, { id: 2002, format: error.translated(this.tr), showUser: args.context === 'repl' });
    }
  }

  /** Debug Console completion: endpoint names, their fields after `NAME.`, commands, states. */
  protected override completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): void {
    response.body = completions(this.runtime, args);
    this.sendResponse(response);
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const exception = this.lastStop?.exception;
    const tr = this.tr;
    if (!exception) {
      this.sendErrorResponse(response, { id: 3001, format: tr.t(M.notOnException), showUser: false });
      return;
    }
    response.body = exceptionInfo(exception, tr, this.runtime?.describe());
    this.sendResponse(response);
  }
}
