// What "Show Sequence Diagram" draws for a file being edited: the whole run of its current
// text (compile, then run to the end in virtual time), as one trace body for the panel.
// No VS Code API here, so it is tested without VS Code.

import { runProgram } from '../engine';
import type { ProfileName } from '../engine/program';
import type { TraceBody } from '../diagram/messages';
import { compile } from '../language';
import type { Diagnostic } from '../language/diagnostic';

export type DiagramSource = { ok: true; body: TraceBody } | { ok: false; errors: Diagnostic[] };

/** Runs `text`; `defaultProfile` applies when the file has no `profile` line. */
export function diagramSourceOf(text: string, defaultProfile: ProfileName = 'rfc'): DiagramSource {
  const { program, diagnostics, ast } = compile(text);
  if (!program) return { ok: false, errors: diagnostics.filter((d) => d.severity === 'error') };
  const profile = ast.statements.some((statement) => statement.kind === 'profile') ? program.profile : defaultProfile;
  const simulation = runProgram({ ...program, profile });
  return {
    ok: true,
    body: {
      from: 0,
      events: [...simulation.trace],
      current: -1,
      endpoints: program.endpoints.map((endpoint) => ({ name: endpoint.name, address: endpoint.address, port: endpoint.port, isn: endpoint.isn })),
      scenario: program.title,
      profile,
    },
  };
}
