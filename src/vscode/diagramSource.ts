// What "Show Sequence Diagram" draws for a file being edited: the whole run of its current
// text (compile, then run to the end in virtual time), as one trace body for the panel.
// No VS Code API here, so it is tested without VS Code.

import type { ProfileName } from '../engine/program';
import type { TraceBody } from '../diagram/messages';
import { runScenario } from '../diagram/scenario';
import type { Diagnostic } from '../language/diagnostic';

export type DiagramSource =
  | { ok: true; body: TraceBody }
  | { ok: false; errors: Diagnostic[]; engineError?: string };

/** Runs `text`; `defaultProfile` applies when the file has no `profile` line. */
export function diagramSourceOf(text: string, defaultProfile: ProfileName = 'rfc'): DiagramSource {
  const run = runScenario(text, undefined, defaultProfile);
  if (!run.doc) return { ok: false, errors: run.diagnostics.filter((d) => d.severity === 'error'), engineError: run.engineError };
  const { events, endpoints, scenario, profile } = run.doc;
  return { ok: true, body: { from: 0, events, current: -1, endpoints, scenario, profile } };
}
