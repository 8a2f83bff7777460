// What "Show Sequence Diagram" draws for a file being edited: the whole run of its current text
// through the one run path (src/run), as one trace body for the panel, plus the note to show
// after it when the run was long or cut. No VS Code API here, so it is tested without VS Code;
// in VS Code the same job runs in the run worker (src/vscode/runner.ts).

import type { ProfileName } from '../engine/program';
import type { TraceBody } from '../diagram/messages';
import type { Diagnostic } from '../language/diagnostic';
import { runJob } from './runJob';
import type { RunResult } from './runProtocol';
import { DEFAULT_MAX_EVENTS, DEFAULT_MAX_SECONDS } from '../run/run';

export type DiagramSource =
  | { ok: true; body: TraceBody; note?: string }
  | { ok: false; errors: Diagnostic[]; engineError?: string };

/** A `diagram` job's result as a source for the panel. */
export function diagramSourceFromResult(result: RunResult): DiagramSource {
  if (result.body) return { ok: true, body: result.body, note: result.note };
  return { ok: false, errors: result.diagnostics.filter((d) => d.severity === 'error'), engineError: result.engineError };
}

/** Runs `text` here (tests); `defaultProfile` applies when the file has no `profile` line. */
export function diagramSourceOf(text: string, defaultProfile: ProfileName = 'rfc'): DiagramSource {
  return diagramSourceFromResult(runJob({ kind: 'diagram', text, defaultProfile, maxEvents: DEFAULT_MAX_EVENTS, maxSeconds: DEFAULT_MAX_SECONDS }));
}
