// `tcpscenario.defaultProfile`: the profile of a scenario that has no `profile` line.
import * as vscode from 'vscode';
import type { Program, ProfileName } from '../engine/program';
import type { ScenarioFile } from '../language/ast';

export function hasProfileLine(ast: ScenarioFile): boolean {
  return ast.statements.some((statement) => statement.kind === 'profile');
}

export function defaultProfile(scope?: vscode.Uri): ProfileName {
  return vscode.workspace.getConfiguration('tcpscenario', scope).get<ProfileName>('defaultProfile', 'rfc') === 'linux' ? 'linux' : 'rfc';
}

export function resolveProfile(program: Program, ast: ScenarioFile, scope?: vscode.Uri): Program {
  return hasProfileLine(ast) ? program : { ...program, profile: defaultProfile(scope) };
}
