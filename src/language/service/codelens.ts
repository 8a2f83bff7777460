// Where "Run | Debug | Show Diagram" goes: on the `scenario` line when there is one, else on
// the first statement, so it sits at the top of the file above the first thing to read.

import { buildModel, type ScenarioModel } from './model';

/** 1-based line for the file's CodeLens; 1 for an empty file. */
export function codeLensLine(source: string | ScenarioModel): number {
  const model = typeof source === 'string' ? buildModel(source) : source;
  const scenario = model.ast.statements.find((statement) => statement.kind === 'scenario');
  return scenario?.line ?? model.ast.statements[0]?.line ?? 1;
}
