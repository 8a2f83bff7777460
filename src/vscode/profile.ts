// `tcpscenario.defaultProfile`: the profile of a scenario that has no `profile` line (the run
// path, src/run/run.ts, applies it: `prepareScenario(text, { defaultProfile })`).
import * as vscode from 'vscode';
import type { ProfileName } from '../engine/program';
export { hasProfileLine } from '../run/run';

export function defaultProfile(scope?: vscode.Uri): ProfileName {
  return vscode.workspace.getConfiguration('tcpscenario', scope).get<ProfileName>('defaultProfile', 'rfc') === 'linux' ? 'linux' : 'rfc';
}
