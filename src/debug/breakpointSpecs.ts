// The breakpoints the client set (lines, states as function breakpoints, data, exception filters):
// kept across launches and restarts and given to each new runtime, and the answers to the
// set*Breakpoints requests (verified, moved to a statement line, or why not).

import { Breakpoint, type Source } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Translator } from '../text/translate';
import { samePath } from './launch';
import { DEBUG_MESSAGES as M } from './messages';
import { EXCEPTION_FILTERS } from './breakpoints';
import type { ScenarioRuntime } from './runtime';

/** The session's view of the client's lines (DAP clients may count from 0). */
export interface ClientLines {
  toDebugger(line: number): number;
  toClient(line: number): number;
}

/** What setting line breakpoints reads of the session. */
export interface LineTarget {
  runtime: ScenarioRuntime | undefined;
  /** The launched file, if any: breakpoints in other files are not ours. */
  program: string | undefined;
  source: Source | undefined;
  lines: ClientLines;
  tr: Translator;
}

export class BreakpointSpecs {
  private lineSpecs: DebugProtocol.SourceBreakpoint[] = [];
  private functionSpecs: DebugProtocol.FunctionBreakpoint[] = [];
  private dataSpecs: DebugProtocol.DataBreakpoint[] = [];
  private exceptionFilters: string[] = EXCEPTION_FILTERS.filter((f) => f.default).map((f) => f.filter);

  /** A new runtime (launch, restart) takes every breakpoint the client set. */
  applyTo(runtime: ScenarioRuntime): void {
    runtime.setLineBreakpoints(this.lineSpecs);
    runtime.setStateBreakpoints(this.functionSpecs);
    runtime.setDataBreakpoints(this.dataSpecs.map((d) => ({ expression: d.dataId, condition: d.condition, hitCondition: d.hitCondition })));
    runtime.setExceptionFilters(this.exceptionFilters);
  }

  setLines(args: DebugProtocol.SetBreakpointsArguments, at: LineTarget): DebugProtocol.SetBreakpointsResponse['body'] {
    const specs = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
    const ours = at.program === undefined || samePath(args.source.path, at.program);
    if (!ours) return { breakpoints: specs.map(() => ({ verified: false, message: at.tr.t(M.notOurScenario) })) };
    this.lineSpecs = specs.map((s) => ({ ...s, line: at.lines.toDebugger(s.line) }));
    const results = at.runtime?.setLineBreakpoints(this.lineSpecs);
    const source = at.source;
    return {
      breakpoints: specs.map((spec, i) => {
        const result = results?.[i];
        if (!result) return { verified: false, line: spec.line, message: at.tr.t(M.notCompiled) };
        const breakpoint: DebugProtocol.Breakpoint = new Breakpoint(result.verified, result.line !== undefined ? at.lines.toClient(result.line) : spec.line, undefined, source);
        breakpoint.id = result.id;
        if (result.message) breakpoint.message = result.message;
        return breakpoint;
      }),
    };
  }

  /** Function breakpoints are state names (`TIME-WAIT`, `client:TIME-WAIT`). */
  setFunctions(args: DebugProtocol.SetFunctionBreakpointsArguments, runtime: ScenarioRuntime | undefined, tr: Translator): DebugProtocol.SetFunctionBreakpointsResponse['body'] {
    this.functionSpecs = args.breakpoints;
    const results = runtime?.setStateBreakpoints(this.functionSpecs);
    return {
      breakpoints: args.breakpoints.map((_, i) => {
        const result = results?.[i];
        return result ? { id: result.id, verified: result.verified, message: result.message } : { verified: false, message: tr.t(M.notCompiled) };
      }),
    };
  }

  setExceptionFilters(args: DebugProtocol.SetExceptionBreakpointsArguments, runtime: ScenarioRuntime | undefined): void {
    this.exceptionFilters = [...args.filters, ...(args.filterOptions ?? []).map((o) => o.filterId)];
    runtime?.setExceptionFilters(this.exceptionFilters);
  }

  setData(args: DebugProtocol.SetDataBreakpointsArguments, runtime: ScenarioRuntime | undefined): DebugProtocol.SetDataBreakpointsResponse['body'] {
    this.dataSpecs = args.breakpoints;
    const results = runtime?.setDataBreakpoints(args.breakpoints.map((d) => ({ expression: d.dataId, condition: d.condition, hitCondition: d.hitCondition })));
    return {
      breakpoints: args.breakpoints.map((_, i) => {
        const result = results?.[i];
        return result ? { id: result.id, verified: result.verified, message: result.message } : { verified: false };
      }),
    };
  }
}
