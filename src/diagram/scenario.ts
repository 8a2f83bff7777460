// A scenario's text -> its whole run as a trace document (pure), through the one run path
// (src/run/run.ts). What tests and the bench use to get a diagram's input from an example.

import type { ProfileName } from '../engine/program';
import type { TraceDocument } from '../engine/trace';
import type { Diagnostic } from '../language/index';
import { DEFAULT_MAX_EVENTS, runScenarioText } from '../run/run';

export interface ScenarioRun {
  /** Undefined when the text has errors or the engine failed. */
  doc?: TraceDocument;
  diagnostics: Diagnostic[];
  /** The engine threw: its message (a bug, but the user gets a sentence, not a stack). */
  engineError?: string;
  /** A limit cut the run (`doc.limit` says which). */
  capped: boolean;
}

/** `defaultProfile` applies when the text has no `profile` line (the editor's setting). */
export function runScenario(text: string, maxEvents = DEFAULT_MAX_EVENTS, defaultProfile?: ProfileName): ScenarioRun {
  const { run, diagnostics } = runScenarioText(text, { maxEvents, defaultProfile });
  if (!run) return { diagnostics, capped: false };
  if (run.engineError !== undefined) return { diagnostics, engineError: run.engineError, capped: false };
  return { doc: run.document(), diagnostics, capped: run.limit !== undefined };
}
