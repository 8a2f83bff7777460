// The debugger's runtime: moves a Simulation back and forth along its trace and decides where to
// stop. Knows nothing of DAP (the session turns its results into DAP events).
//
// Position: the index of the current event in the trace (-1 = before the first event). The
// simulation's state is always the state right after that event (its trace has position+1 events).
//
// Moving back restores the nearest earlier snapshot (one at the start, then one every
// `snapshotEvery` events) and replays forward; the engine is deterministic, so the replayed events
// are the same events. Faults injected from the Debug Console are recorded with the trace length at
// which they were applied and applied again when a replay reaches that point.
//
// Stepping (see docs/debugger.md):
// - Step Into: exactly one trace event.
// - Step Over: to the first event of the next scenario statement (the next statement begins).
// - Step Out: to the last event before the next statement begins, i.e. the current statement's
//   effects have played out as far as the scenario lets them; after the last statement, to the
//   last event of the run.
// - Continue: until a breakpoint, exception filter or the end. Reverse Continue: back to the
//   nearest earlier event where a breakpoint or filter would stop (hit counts and logpoints are
//   not applied backwards), else the start.

import type { SimulationApi, WorldView } from '../engine/api';
import type { FaultRule, Program } from '../engine/program';
import type { InjectAction } from './console';
import type { TcpState, TraceEvent } from '../engine/trace';
import { SequenceBases } from '../text/format';
import { describeEvent, ENGLISH_VOICE, stopDescription, type DescribeContext, type SegmentEvent, type Voice } from './describe';
import { DEBUG_MESSAGES as M } from './messages';
import { Breakpoints, type BreakpointResult, type DataBreakpointSpec, type ExceptionHit, type Hit, type LineBreakpointSpec, type StateBreakpointSpec, type StopReason } from './breakpoints';
import { WorldNames } from './names';
import { Interventions, type Intervention } from './interventions';
import { Snapshots, type SnapshotRecord } from './snapshots';
import { StatementProgress } from './statementProgress';
import { expectationLine } from './stops';
import { TraceIndex } from './traceIndex';
import { DEFAULT_MAX_EVENTS, DEFAULT_MAX_SECONDS, LAUNCH_HINTS, limitOf, limitValue, type LimitHints, type RunLimit } from '../run/run';


export interface Stop {
  reason: StopReason;
  /** Trace index of the current event (-1 = before the first event). */
  position: number;
  /** Why it stopped, for people ("client: FIN-WAIT-2 -> TIME-WAIT"). */
  description: string;
  hitBreakpointIds?: number[];
  exception?: ExceptionHit;
}

/** `cancelled`: the session ended (terminate, disconnect) while the run moved; nothing to report. */
export type Outcome = { kind: 'stopped'; stop: Stop } | { kind: 'ended' } | { kind: 'cancelled' };

export interface RuntimeOptions {
  /** Take a snapshot every this many events (default 1,000). */
  snapshotEvery?: number;
  /** Logpoint output, expectation results and warnings. */
  output?: (text: string, category: 'console' | 'stdout' | 'stderr', line?: number) => void;
  /** The trace never grows past this many events (default DEFAULT_MAX_EVENTS). */
  maxEvents?: number;
  /** One forward move (Continue, a step) pauses after this many seconds of wall time (default DEFAULT_MAX_SECONDS). */
  maxSeconds?: number;
  /** How the user raises a limit (default: the launch attributes). */
  hints?: LimitHints;
  /** Milliseconds, monotonic (tests pass a fake clock). */
  clock?: () => number;
  /** The language and numbering of descriptions and messages (default English, absolute numbers). */
  voice?: Voice;
}

/** A long move hands the thread back this often (ms), so pause, terminate and other requests get in. */
const SLICE_MS = 10;

export class ScenarioRuntime implements DescribeContext {
  readonly program: Program;
  private readonly output: NonNullable<RuntimeOptions['output']>;
  private readonly snapshots: Snapshots;
  /** The Debug Console's faults, applied again by replays (src/debug/interventions.ts). */
  private readonly interventions = new Interventions();
  /** How many trace events have gone through `processEvent` at the current state. */
  private processed = 0;
  /** Which statement the run has reached, and where each began (src/debug/statementProgress.ts). */
  private readonly progress: StatementProgress;
  /** Transitions, SYNs and segments by id (src/debug/traceIndex.ts). */
  private readonly traceIndex = new TraceIndex(() => this.sim.trace);
  private currentVoice: Voice;
  private reportedUpTo = -1;
  private pauseRequested = false;
  /** Breakpoints and exception filters: whether an event stops the run (src/debug/breakpoints.ts). */
  private readonly breakpoints: Breakpoints;
  private cachedView?: { length: number; view: WorldView };
  readonly statementLines: number[];
  readonly maxEvents: number;
  readonly maxSeconds: number;
  private readonly hints: LimitHints;
  private readonly clock: () => number;
  private lastYield = 0;
  private cancelled = false;

  constructor(
    readonly sim: SimulationApi,
    options: RuntimeOptions = {},
  ) {
    this.program = sim.program;
    this.progress = new StatementProgress(this.program.statements);
    this.snapshots = new Snapshots(options.snapshotEvery);
    this.maxEvents = Math.floor(limitValue(options.maxEvents, DEFAULT_MAX_EVENTS));
    this.maxSeconds = limitValue(options.maxSeconds, DEFAULT_MAX_SECONDS);
    this.hints = options.hints ?? LAUNCH_HINTS;
    this.clock = options.clock ?? (() => performance.now());
    this.output = options.output ?? (() => undefined);
    this.currentVoice = options.voice ?? ENGLISH_VOICE;
    this.statementLines = [...new Set(this.program.statements.map((s) => s.line))].sort((a, b) => a - b);
    this.breakpoints = new Breakpoints({
      program: this.program,
      describeContext: this,
      voice: () => this.voice,
      names: () => this.names(),
      describe: (index) => this.describe(index),
      nearestStatementLine: (line) => this.nearestStatementLine(line),
      output: (text, category, line) => this.output(text, category, line),
    });
    this.processNew();
    this.takeSnapshot();
  }

  // ---- where we are -------------------------------------------------------------------------

  get position(): number {
    return this.sim.trace.length - 1;
  }

  get trace(): readonly TraceEvent[] {
    return this.sim.trace;
  }

  get currentEvent(): TraceEvent | undefined {
    return this.sim.trace[this.position];
  }

  get done(): boolean {
    return this.sim.done;
  }

  view(): WorldView {
    const length = this.sim.trace.length;
    if (!this.cachedView || this.cachedView.length !== length) this.cachedView = { length, view: this.sim.view() };
    return this.cachedView.view;
  }

  names(): WorldNames {
    return new WorldNames(this.view(), this.currentEvent);
  }

  /** The scenario line the current position belongs to: the current event's line, else the last statement run, else the first. */
  currentLine(): number | undefined {
    const event = this.currentEvent;
    if (event?.line !== undefined) return event.line;
    const statements = this.program.statements;
    return (statements[this.progress.cursor - 1] ?? statements[0])?.line;
  }

  /** The statement (by line) that caused the current event, or that runs next at the start. */
  statementLine(): number | undefined {
    const statements = this.program.statements;
    if (this.position < 0) return statements[0]?.line;
    const line = this.currentEvent?.line;
    if (line !== undefined && this.statementLines.includes(line)) return line;
    return statements[this.progress.cursor - 1]?.line ?? line;
  }

  /** The language and numbering of what the runtime says. */
  get voice(): Voice {
    return this.currentVoice;
  }

  /** A new numbering (the setting changed) or language. */
  setVoice(voice: Voice): void {
    this.currentVoice = voice;
  }

  /** The Call Stack's line for an event. */
  describe(index = this.position): string {
    const event = this.sim.trace[index];
    return event ? describeEvent(event, index, this, this.voice) : this.voice.tr.t(M.beforeFirstEvent);
  }

  /** A stop's description: what happened and why (the rule, or the line). */
  explainStop(index = this.position): string {
    const event = this.sim.trace[index];
    return event ? stopDescription(event, index, this, this.voice) : this.voice.tr.t(M.beforeFirstEvent);
  }

  /** The ISNs known at trace index `index`, from the SYNs before it. */
  basesAt(index: number): SequenceBases {
    return this.traceIndex.basesAt(index);
  }

  segment(id: string): SegmentEvent | undefined {
    return this.traceIndex.segment(id);
  }

  stateBefore(endpoint: string, peer: string | undefined, index: number): TcpState {
    return this.traceIndex.stateBefore(endpoint, peer, index);
  }

  /** Nearest statement line at or after `line` (else the last one before it). */
  nearestStatementLine(line: number): number | undefined {
    const lines = this.statementLines;
    return lines.find((l) => l >= line) ?? lines[lines.length - 1];
  }

  // ---- breakpoints --------------------------------------------------------------------------

  setLineBreakpoints(specs: readonly LineBreakpointSpec[]): BreakpointResult[] {
    return this.breakpoints.setLineBreakpoints(specs);
  }

  /** Names like `TIME-WAIT` (any endpoint) or `client:TIME-WAIT`; `TIME_WAIT` is accepted too. */
  setStateBreakpoints(specs: readonly StateBreakpointSpec[]): BreakpointResult[] {
    return this.breakpoints.setStateBreakpoints(specs);
  }

  setDataBreakpoints(specs: readonly DataBreakpointSpec[]): BreakpointResult[] {
    return this.breakpoints.setDataBreakpoints(specs);
  }

  setExceptionFilters(filters: readonly string[]): void {
    this.breakpoints.setExceptionFilters(filters);
  }

  // ---- moving -------------------------------------------------------------------------------

  /** Asks a running Continue (or long step) to stop at the next chance. */
  pause(): void {
    this.pauseRequested = true;
  }

  /** Ends every move at its next slice, for good: the session is over (terminate, disconnect). */
  cancel(): void {
    this.cancelled = true;
  }

  get isCancelled(): boolean {
    return this.cancelled;
  }

  /**
   * Whether a long move should hand the thread back now: every SLICE_MS of wall time. Checked at
   * every event, since one event can be slow (a data breakpoint reads the whole world view).
   */
  private due(): boolean {
    return this.cancelled || this.clock() - this.lastYield >= SLICE_MS;
  }

  /** Hands the thread back (setImmediate), so a terminate or a pause is handled at once. False when the session was cancelled. */
  private async breathe(): Promise<boolean> {
    if (this.cancelled) return false;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.lastYield = this.clock();
    return !this.cancelled;
  }

  /** The stop at a limit: the run goes no further; the Debug Console says which limit and how to raise it. */
  private limitStop(limit: RunLimit): Outcome {
    this.output(`${limit.message}\n`, 'stderr');
    return this.stopped({ reason: 'pause', description: limit.message, ids: [] });
  }

  /** The event limit, once the trace has reached it. */
  get eventLimit(): RunLimit | undefined {
    return this.sim.trace.length >= this.maxEvents && !this.sim.done ? this.limit('events') : undefined;
  }

  /** A limit, said in the session's language (the hint too: how to raise it). */
  private limit(kind: RunLimit['kind']): RunLimit {
    const { tr } = this.voice;
    const hints = { events: tr.t(this.hints.events), seconds: tr.t(this.hints.seconds) };
    return limitOf(kind, kind === 'events' ? this.maxEvents : this.maxSeconds, hints, (template, args = []) => tr.t(template, ...args));
  }

  stepIn(): Promise<Outcome> {
    return this.forward(() => true);
  }

  stepOver(): Promise<Outcome> {
    const start = this.progress.cursor;
    return this.forward(() => this.progress.cursor > start);
  }

  async stepOut(): Promise<Outcome> {
    const start = this.position;
    const startCursor = this.progress.cursor;
    const outcome = await this.forward(() => this.progress.cursor > startCursor);
    if (outcome.kind === 'ended') {
      if (this.position > start) return this.stopped({ reason: 'step', description: this.explainStop(), ids: [] });
      return outcome;
    }
    if (outcome.kind === 'cancelled' || outcome.stop.reason !== 'step') return outcome;
    // The event that began the next statement is one past where the current one settled.
    const target = this.position - 1 > start ? this.position - 1 : this.position;
    if (!(await this.goTo(target))) return { kind: 'cancelled' };
    return this.stopped({ reason: 'step', description: this.explainStop(), ids: [] });
  }

  continue(): Promise<Outcome> {
    return this.forward(() => false);
  }

  async stepBack(): Promise<Outcome> {
    if (!(await this.goTo(Math.max(-1, this.position - 1)))) return { kind: 'cancelled' };
    return this.stopped({ reason: this.position < 0 ? 'entry' : 'step', description: this.explainStop(), ids: [] });
  }

  async reverseContinue(): Promise<Outcome> {
    let end = this.position;
    while (end > 0) {
      const snapshot = this.snapshots.before(end - 1);
      this.restoreSnapshot(snapshot);
      this.breakpoints.resetDataValues();
      let found: { index: number; hit: Hit } | undefined;
      while (this.sim.trace.length < end) {
        if (this.due() && !(await this.breathe())) return { kind: 'cancelled' };
        if (!this.advanceOne(true)) break;
        const index = this.sim.trace.length - 1;
        if (this.lastAdvanceHit && index < end) found = { index, hit: this.lastAdvanceHit };
      }
      if (found) {
        if (!(await this.goTo(found.index))) return { kind: 'cancelled' };
        return this.stopped(found.hit);
      }
      end = snapshot.length;
    }
    if (!(await this.goTo(-1))) return { kind: 'cancelled' };
    return this.stopped({ reason: 'entry', description: this.voice.tr.t(M.reverseReachedStart), ids: [] });
  }

  /** Moves to trace index `target` (-1 = the start) without stopping at breakpoints; false when cancelled on the way. */
  async goTo(target: number): Promise<boolean> {
    if (target === this.position) return true;
    const backward = target < this.position;
    if (backward) this.restoreSnapshot(this.snapshots.before(target + 1));
    while (this.sim.trace.length < target + 1) {
      if (this.due() && !(await this.breathe())) return false;
      if (!this.advanceOne(false, backward)) break;
    }
    this.breakpoints.resetDataValues();
    return true;
  }

  /**
   * Jump to Cursor: moves (back or forward, without stopping at breakpoints) to the event at which
   * the statement on `line` began. Undefined when no statement is on that line or the run ends first.
   */
  async goToStatement(line: number): Promise<Outcome | undefined> {
    const index = this.program.statements.findIndex((s) => s.line === line);
    if (index < 0) return undefined;
    const known = this.progress.startOf(index);
    if (known !== undefined) {
      if (!(await this.goTo(known))) return { kind: 'cancelled' };
    } else {
      while (this.progress.cursor <= index) {
        if (this.due() && !(await this.breathe())) return { kind: 'cancelled' };
        const limit = this.eventLimit;
        if (limit) return this.limitStop(limit);
        if (!this.advanceOne(false)) return undefined;
      }
      this.breakpoints.resetDataValues();
      this.reportPassedExpectations();
    }
    return this.stopped({ reason: 'goto', description: this.voice.tr.t(M.jumpedToLine, line), ids: [] });
  }

  /**
   * The "Why?" index: moves (back or forward, without stopping at breakpoints) to the first event
   * that names `rule`. When the run ends before any does, it goes back to where it was and says so.
   */
  async goToRule(rule: string): Promise<Outcome> {
    const matches = (event: TraceEvent) => event.rule === rule;
    const known = this.sim.trace.findIndex(matches);
    if (known >= 0) {
      if (!(await this.goTo(known))) return { kind: 'cancelled' };
    } else {
      const start = this.position;
      let found = -1;
      while (found < 0) {
        if (this.due() && !(await this.breathe())) return { kind: 'cancelled' };
        const limit = this.eventLimit;
        if (limit) return this.limitStop(limit);
        const before = this.sim.trace.length;
        if (!this.advanceOne(false)) {
          if (!(await this.goTo(start))) return { kind: 'cancelled' };
          return this.stopped({ reason: 'goto', description: this.voice.tr.t(M.ruleNotReached, rule), ids: [] });
        }
        const trace = this.sim.trace;
        for (let i = before; i < trace.length && found < 0; i++) if (matches(trace[i])) found = i;
      }
      this.reportPassedExpectations();
      if (found < this.position && !(await this.goTo(found))) return { kind: 'cancelled' };
      this.breakpoints.resetDataValues();
    }
    return this.stopped({ reason: 'goto', description: this.explainStop(), ids: [] });
  }

  /** Expectations a jump passed on its way forward still get their line in the Debug Console. */
  private reportPassedExpectations(): void {
    const trace = this.sim.trace;
    for (let i = this.reportedUpTo + 1; i < trace.length; i++) {
      const event = trace[i];
      if (event.kind === 'expect') this.reportExpectation(event);
    }
    this.reportedUpTo = Math.max(this.reportedUpTo, trace.length - 1);
  }

  // ---- the Debug Console's faults -----------------------------------------------------------

  /** Whether segment `id` is in flight now (what `dropInFlight` needs). */
  isInFlight(id: string): boolean {
    return this.view().inFlight.some((s) => s.id === id);
  }

  /**
   * Drops segment `id` (in flight now), recorded so replays drop it too, and moves on to the drop
   * event (the engine hands out the rest of the current step's events first). Undefined when the
   * segment is not in flight.
   */
  async dropInFlight(id: string): Promise<Outcome | undefined> {
    if (!this.isInFlight(id)) return undefined;
    return this.intervene(
      { description: `drop ${id}`, apply: (sim) => void sim.dropInFlight(id) },
      (event) => event.kind === 'drop' && event.id === id && event.reason === 'debug console',
    );
  }

  /** Adds a fault rule from now on, recorded so replays add it too; moves on to the engine's note of it. */
  addFault(rule: FaultRule): Promise<Outcome> {
    return this.intervene(
      { description: rule.text, apply: (sim) => sim.addFault(rule) },
      (event) => event.kind === 'note' && event.message.includes(rule.text),
    );
  }

  /** Puts a crafted segment on a link now, recorded so replays inject it too; moves on to the engine's note of it. */
  inject(action: InjectAction, text: string): Promise<Outcome> {
    return this.intervene(
      { description: text, apply: (sim) => sim.injectNow(action, text) },
      (event) => event.kind === 'note' && event.message.includes(text),
    );
  }

  private intervene(action: Omit<Intervention, 'at'>, isItsEvent: (event: TraceEvent) => boolean): Promise<Outcome> {
    const at = this.sim.trace.length;
    // The future after this point changes: forget it.
    this.snapshots.forgetAfter(at);
    this.interventions.applyNew(this.sim, action);
    this.cachedView = undefined;
    this.traceIndex.forgetFrom(at);
    this.progress.forgetFrom(at);
    this.reportedUpTo = this.position;
    this.breakpoints.resetDataValues();
    // Its trace event comes after the events of the current step still to be handed out; an
    // engine that notes nothing would otherwise run on, hence the bound.
    let budget = 10_000;
    return this.forward(() => {
      const event = this.currentEvent;
      return (event !== undefined && isItsEvent(event)) || --budget <= 0;
    });
  }

  // ---- internals ----------------------------------------------------------------------------

  private lastAdvanceHit: Hit | undefined;

  /**
   * Produces the next event(s): a due intervention, else one simulation step. Returns false at the end.
   * With `search`, records in `lastAdvanceHit` whether a breakpoint or filter matches (no hit counts).
   */
  private advanceOne(search = true, fine = false): boolean {
    this.lastAdvanceHit = undefined;
    if (!this.interventions.applyDue(this.sim) && !this.sim.step()) return false;
    this.processNew(search);
    this.maybeSnapshot(fine);
    return true;
  }

  private processNew(search = false): void {
    const trace = this.sim.trace;
    while (this.processed < trace.length) {
      const index = this.processed++;
      const event = trace[index];
      const started = this.trackEvent(event, index);
      if (search) this.lastAdvanceHit = this.breakpoints.check(event, index, started, this.progress.cursor, false) ?? this.lastAdvanceHit;
    }
  }

  /** Bookkeeping for every event, forward or replayed: transitions, SYNs, statements begun. Returns how many statements began. */
  private trackEvent(event: TraceEvent, index: number): number {
    this.traceIndex.note(event, index);
    return this.progress.note(event, index, this.sim.statementsRun);
  }

  private async forward(isTarget: () => boolean): Promise<Outcome> {
    this.pauseRequested = false;
    const started = this.clock();
    for (;;) {
      // A Debug Console fault due here comes first (a replay), else one step.
      if (!this.interventions.applyDue(this.sim)) {
        if (this.sim.trace.length >= this.maxEvents && !this.sim.done) {
          this.breakpoints.resetDataValues();
          return this.limitStop(this.limit('events'));
        }
        if (!this.sim.step()) {
          this.breakpoints.resetDataValues();
          return { kind: 'ended' };
        }
      }
      let hit: Hit | undefined;
      const trace = this.sim.trace;
      while (this.processed < trace.length) {
        const index = this.processed++;
        const event = trace[index];
        const started = this.trackEvent(event, index);
        hit = this.breakpoints.check(event, index, started, this.progress.cursor, true) ?? hit;
        if (index > this.reportedUpTo) {
          this.reportedUpTo = index;
          if (event.kind === 'expect') this.reportExpectation(event);
        }
      }
      this.maybeSnapshot();
      if (hit) return this.stopped(hit);
      if (isTarget()) return this.stopped({ reason: 'step', description: this.explainStop(), ids: [] });
      if (this.due()) {
        if (!(await this.breathe())) return { kind: 'cancelled' };
        if (this.pauseRequested) {
          this.pauseRequested = false;
          this.breakpoints.resetDataValues();
          return this.stopped({ reason: 'pause', description: this.voice.tr.t(M.paused), ids: [] });
        }
        if (this.clock() - started >= this.maxSeconds * 1000) {
          this.breakpoints.resetDataValues();
          return this.limitStop(this.limit('seconds'));
        }
      }
    }
  }

  private reportExpectation(event: Extract<TraceEvent, { kind: 'expect' }>): void {
    const { text, category } = expectationLine(event, this.voice.tr);
    this.output(`${text}\n`, category, event.line);
  }

  private stopped(hit: Hit): Outcome {
    const stop: Stop = { reason: hit.reason, position: this.position, description: hit.description };
    if (hit.ids.length > 0) stop.hitBreakpointIds = hit.ids;
    if (hit.exception) stop.exception = hit.exception;
    return { kind: 'stopped', stop };
  }

  /** A snapshot now, if one is due (src/debug/snapshots.ts); `fine` while replaying back. */
  private maybeSnapshot(fine = false): void {
    this.snapshots.maybeTake(this.sim.trace.length, fine, () => this.snapshotRecord());
  }

  private takeSnapshot(): void {
    this.snapshots.add(this.snapshotRecord());
  }

  private snapshotRecord(): SnapshotRecord {
    return { length: this.sim.trace.length, sim: this.sim.snapshot(), cursor: this.progress.cursor, applied: this.interventions.applied };
  }

  private restoreSnapshot(record: SnapshotRecord): void {
    this.sim.restore(record.sim);
    this.progress.cursor = record.cursor;
    this.interventions.applied = record.applied;
    this.processed = record.length;
    this.traceIndex.rewound(record.length);
    this.cachedView = undefined;
  }

  /** Snapshot count, for tests and the bench. */
  get snapshotCount(): number {
    return this.snapshots.count;
  }
}


