// A scenario's text -> its whole run as a trace document (pure: language + engine, no I/O).
// Used by `tcpscenario render` and by the diagram panel when no debug session drives it.

import { runProgram, traceDocumentOf } from '../engine/index';
import type { ProfileName } from '../engine/program';
import type { TraceDocument } from '../engine/trace';
import { compile, type Diagnostic } from '../language/index';

export interface ScenarioRun {
  /** Undefined when the text has errors or the engine failed. */
  doc?: TraceDocument;
  diagnostics: Diagnostic[];
  /** The engine threw: its message (a bug, but the user gets a sentence, not a stack). */
  engineError?: string;
  /** The run was cut at `maxEvents`. */
  capped: boolean;
}

export const DEFAULT_MAX_EVENTS = 2_000_000;

/** `defaultProfile` applies when the text has no `profile` line (the editor's setting). */
export function runScenario(text: string, maxEvents = DEFAULT_MAX_EVENTS, defaultProfile?: ProfileName): ScenarioRun {
  const compiled = compile(text);
  const diagnostics = compiled.diagnostics;
  if (!compiled.program) return { diagnostics, capped: false };
  const hasProfileLine = compiled.ast.statements.some((statement) => statement.kind === 'profile');
  const program = defaultProfile && !hasProfileLine ? { ...compiled.program, profile: defaultProfile } : compiled.program;
  try {
    const simulation = runProgram(program, maxEvents);
    return { doc: traceDocumentOf(program, simulation.trace), diagnostics, capped: !simulation.done };
  } catch (error) {
    return { diagnostics, engineError: error instanceof Error ? error.message : String(error), capped: false };
  }
}
