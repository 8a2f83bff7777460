// The runtime's breakpoints: line breakpoints (logpoints too), state breakpoints (DAP function
// breakpoints), data breakpoints and exception filters, and the one decision they make: whether
// an event stops the run, and why (src/debug/runtime.ts asks at every event it produces).

import type { Program } from '../engine/program';
import { TCP_STATES, type TcpState, type TraceEvent } from '../engine/trace';
import { stopDescription, type DescribeContext, type Voice } from './describe';
import { DEBUG_MESSAGES as M } from './messages';
import {
  ExpressionError,
  canonicalState,
  evaluate,
  interpolate,
  isTrue,
  parseExpression,
  parseHitCondition,
  type Expr,
  type Value,
} from './expression';
import type { WorldNames } from './names';

export type ExceptionFilter = 'rst' | 'retransmission' | 'drop' | 'expect-failed';
/** The exception filters; label and description are l10n templates (the session translates them). */
export const EXCEPTION_FILTERS: readonly { filter: ExceptionFilter; label: string; description: string; default: boolean }[] = [
  { filter: 'rst', label: M.filterRstLabel, description: M.filterRstDescription, default: false },
  { filter: 'retransmission', label: M.filterRetransmissionLabel, description: M.filterRetransmissionDescription, default: false },
  { filter: 'drop', label: M.filterDropLabel, description: M.filterDropDescription, default: false },
  { filter: 'expect-failed', label: M.filterExpectLabel, description: M.filterExpectDescription, default: true },
];

export type StopReason = 'entry' | 'step' | 'breakpoint' | 'function breakpoint' | 'data breakpoint' | 'exception' | 'pause' | 'goto';

export interface ExceptionHit {
  filter: ExceptionFilter;
  description: string;
  expected?: string;
  actual?: string;
}

export interface LineBreakpointSpec {
  line: number;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

export interface StateBreakpointSpec {
  name: string;
  condition?: string;
  hitCondition?: string;
}

export interface DataBreakpointSpec {
  expression: string;
  condition?: string;
  hitCondition?: string;
}

export interface BreakpointResult {
  id: number;
  verified: boolean;
  /** For line breakpoints: the statement line it was moved to. */
  line?: number;
  message?: string;
}

interface Breakpoint {
  id: number;
  condition?: Expr;
  hitCondition?: (hits: number) => boolean;
  hits: number;
  /** Errors already reported, so a broken condition is reported once, not per event. */
  reported?: Set<string>;
}

interface LineBreakpoint extends Breakpoint {
  line: number;
  logMessage?: string;
}

interface StateBreakpoint extends Breakpoint {
  endpoint?: string;
  state: TcpState;
}

interface DataBreakpoint extends Breakpoint {
  expression: string;
  value: Expr;
  last: Value | undefined;
}

/** A match: why the run stops there, and which breakpoints (or the filter) made it. */
export interface Hit {
  reason: StopReason;
  description: string;
  ids: number[];
  exception?: ExceptionHit;
}

const REASON_PRIORITY: StopReason[] = ['exception', 'function breakpoint', 'data breakpoint', 'breakpoint'];

/** What the breakpoints read of the run, at the time they read it. */
export interface StopContext {
  readonly program: Program;
  readonly describeContext: DescribeContext;
  voice(): Voice;
  names(): WorldNames;
  /** The Call Stack's line for event `index`. */
  describe(index: number): string;
  nearestStatementLine(line: number): number | undefined;
  /** Logpoint output and broken conditions. */
  output(text: string, category: 'console' | 'stdout' | 'stderr', line?: number): void;
}

export class Breakpoints {
  private nextId = 1;
  private lineBreakpoints: LineBreakpoint[] = [];
  private stateBreakpoints: StateBreakpoint[] = [];
  private dataBreakpoints: DataBreakpoint[] = [];
  private filters = new Set<ExceptionFilter>(['expect-failed']);

  constructor(private readonly at: StopContext) {}

  setLineBreakpoints(specs: readonly LineBreakpointSpec[]): BreakpointResult[] {
    this.lineBreakpoints = [];
    return specs.map((spec) => {
      const id = this.nextId++;
      const line = this.at.nearestStatementLine(spec.line);
      if (line === undefined) return { id, verified: false, message: this.at.voice().tr.t(M.noStatements) };
      const parsed = this.parseBreakpoint(id, spec);
      if ('error' in parsed) return { id, verified: false, line, message: parsed.error };
      this.lineBreakpoints.push({ ...parsed, line, logMessage: spec.logMessage });
      return { id, verified: true, line };
    });
  }

  /** Names like `TIME-WAIT` (any endpoint) or `client:TIME-WAIT`; `TIME_WAIT` is accepted too. */
  setStateBreakpoints(specs: readonly StateBreakpointSpec[]): BreakpointResult[] {
    this.stateBreakpoints = [];
    const endpoints = this.at.program.endpoints.map((e) => e.name);
    return specs.map((spec) => {
      const id = this.nextId++;
      const colon = spec.name.lastIndexOf(':');
      const endpoint = colon >= 0 ? spec.name.slice(0, colon).trim() : undefined;
      const stateText = colon >= 0 ? spec.name.slice(colon + 1) : spec.name;
      const state = canonicalState(stateText);
      if (!state) {
        return { id, verified: false, message: this.at.voice().tr.t(M.notAState, stateText.trim(), TCP_STATES.join(', ')) };
      }
      if (endpoint !== undefined && !endpoints.includes(endpoint)) {
        return { id, verified: false, message: this.at.voice().tr.t(M.unknownEndpoint, endpoint, endpoints.join(', ')) };
      }
      const parsed = this.parseBreakpoint(id, spec);
      if ('error' in parsed) return { id, verified: false, message: parsed.error };
      this.stateBreakpoints.push({ ...parsed, endpoint, state });
      return { id, verified: true };
    });
  }

  setDataBreakpoints(specs: readonly DataBreakpointSpec[]): BreakpointResult[] {
    this.dataBreakpoints = [];
    return specs.map((spec) => {
      const id = this.nextId++;
      let value: Expr;
      try {
        value = parseExpression(spec.expression);
      } catch (error) {
        return { id, verified: false, message: this.messageOf(error) };
      }
      const parsed = this.parseBreakpoint(id, spec);
      if ('error' in parsed) return { id, verified: false, message: parsed.error };
      const breakpoint: DataBreakpoint = { ...parsed, expression: spec.expression, value, last: undefined };
      breakpoint.last = this.valueOf(breakpoint);
      this.dataBreakpoints.push(breakpoint);
      return { id, verified: true };
    });
  }

  setExceptionFilters(filters: readonly string[]): void {
    this.filters = new Set(filters.filter((f): f is ExceptionFilter => EXCEPTION_FILTERS.some((e) => e.filter === f)));
  }

  private parseBreakpoint(id: number, spec: { condition?: string; hitCondition?: string }): Breakpoint | { error: string } {
    try {
      const condition = spec.condition?.trim() ? parseExpression(spec.condition) : undefined;
      const hitCondition = spec.hitCondition?.trim() ? parseHitCondition(spec.hitCondition) : undefined;
      return { id, condition, hitCondition, hits: 0 };
    } catch (error) {
      return { error: this.messageOf(error) };
    }
  }

  /**
   * Whether event `index` stops the run (`statementsBegun` statements began at it; `cursor`
   * statements have begun in all). `counting` = a forward run: hit counts advance, logpoints
   * print; otherwise (reverse search) only conditions matter.
   */
  check(event: TraceEvent, index: number, statementsBegun: number, cursor: number, counting: boolean): Hit | undefined {
    const hits: Hit[] = [];
    const exception = this.exceptionHit(event, index);
    if (exception) hits.push({ reason: 'exception', description: exception.description, ids: [], exception });

    if (event.kind === 'transition' && this.stateBreakpoints.length > 0) {
      const matched = this.stateBreakpoints.filter((b) => b.state === event.to && (b.endpoint === undefined || b.endpoint === event.endpoint));
      const ids = matched.filter((b) => this.passes(b, counting)).map((b) => b.id);
      if (ids.length > 0) hits.push({ reason: 'function breakpoint', description: stopDescription(event, index, this.at.describeContext, this.at.voice()), ids });
    }

    if (this.dataBreakpoints.length > 0) {
      const changed: string[] = [];
      const ids: number[] = [];
      for (const breakpoint of this.dataBreakpoints) {
        const value = this.valueOf(breakpoint);
        const before = breakpoint.last;
        breakpoint.last = value;
        if (before === undefined || value === undefined || before === value) continue;
        if (!this.passes(breakpoint, counting)) continue;
        ids.push(breakpoint.id);
        changed.push(this.at.voice().tr.t(M.valueChanged, breakpoint.expression, String(before), String(value)));
      }
      if (ids.length > 0) hits.push({ reason: 'data breakpoint', description: changed.join('; '), ids });
    }

    if (statementsBegun > 0 && this.lineBreakpoints.length > 0) {
      const lines = this.at.program.statements.slice(cursor - statementsBegun, cursor).map((s) => s.line);
      const ids: number[] = [];
      for (const breakpoint of this.lineBreakpoints) {
        if (!lines.includes(breakpoint.line)) continue;
        if (!this.passes(breakpoint, counting)) continue;
        if (breakpoint.logMessage !== undefined) {
          if (counting) this.at.output(`${interpolate(breakpoint.logMessage, this.at.names(), this.at.voice().tr)}\n`, 'console', breakpoint.line);
          continue;
        }
        ids.push(breakpoint.id);
      }
      if (ids.length > 0) hits.push({ reason: 'breakpoint', description: this.at.voice().tr.t(M.breakpointAtLine, lines.join(', ')), ids });
    }

    if (hits.length === 0) return undefined;
    hits.sort((a, b) => REASON_PRIORITY.indexOf(a.reason) - REASON_PRIORITY.indexOf(b.reason));
    return { ...hits[0], ids: hits.flatMap((h) => h.ids) };
  }

  /** Condition, then hit count (counted only on forward runs). */
  private passes(breakpoint: Breakpoint, counting: boolean): boolean {
    if (breakpoint.condition) {
      try {
        if (!isTrue(evaluate(breakpoint.condition, this.at.names()))) return false;
      } catch (error) {
        const message = this.messageOf(error);
        breakpoint.reported ??= new Set();
        if (counting && !breakpoint.reported.has(message)) {
          breakpoint.reported.add(message);
          this.at.output(`${this.at.voice().tr.t(M.conditionFailed, message)}\n`, 'stderr');
        }
        return false;
      }
    }
    if (!counting) return true;
    breakpoint.hits++;
    return breakpoint.hitCondition ? breakpoint.hitCondition(breakpoint.hits) : true;
  }

  private exceptionHit(event: TraceEvent, index: number): ExceptionHit | undefined {
    const filters = this.filters;
    if (filters.size === 0) return undefined;
    switch (event.kind) {
      case 'send':
      case 'inject':
        if (filters.has('rst') && event.flags.includes('RST')) {
          return { filter: 'rst', description: this.at.voice().tr.t(M.rstSent, event.from, event.to, this.at.describe(index)) };
        }
        if (filters.has('retransmission') && event.kind === 'send' && event.retransmission) {
          return { filter: 'retransmission', description: this.at.voice().tr.t(M.retransmission, this.at.describe(index)) };
        }
        return undefined;
      case 'deliver': {
        if (!filters.has('rst')) return undefined;
        const segment = this.at.describeContext.segment(event.id);
        if (segment?.flags.includes('RST')) return { filter: 'rst', description: this.at.voice().tr.t(M.rstReceived, event.to, segment.from) };
        return undefined;
      }
      case 'drop':
        // Not a fault: a segment for a port with nobody listening, or a host that crashed, or the user's own console drop.
        if (filters.has('drop') && !['no listener', 'crashed', 'debug console'].includes(event.reason)) {
          return { filter: 'drop', description: this.at.describe(index) };
        }
        return undefined;
      case 'expect':
        if (filters.has('expect-failed') && !event.ok) {
          return { filter: 'expect-failed', description: this.at.voice().tr.t(M.expectationFailed, event.message), expected: event.expected, actual: event.actual };
        }
        return undefined;
      default:
        return undefined;
    }
  }

  private valueOf(breakpoint: DataBreakpoint): Value | undefined {
    try {
      return evaluate(breakpoint.value, this.at.names());
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      return undefined;
    }
  }

  /** After a move that did not check every event: the data breakpoints' values of now. */
  resetDataValues(): void {
    for (const breakpoint of this.dataBreakpoints) breakpoint.last = this.valueOf(breakpoint);
  }

  /** An error's message in the session's language. */
  private messageOf(error: unknown): string {
    if (error instanceof ExpressionError) return error.translated(this.at.voice().tr);
    return error instanceof Error ? error.message : String(error);
  }
}
