// Reading a scenario in VS Code, the same way as everywhere else (src/run/read.ts): an open
// editor's text first (what the user sees), else the file through vscode.workspace.fs (virtual
// workspaces too), refused unless it is a regular file within the size limit, decoded as UTF-8
// with the line and column of a bad byte. Errors are ReadErrors; `readErrorText` translates them.
import * as vscode from 'vscode';
import { checkFileKind, decodeScenario, ReadError, scenarioText } from '../run/read';

export async function readScenarioUri(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open) return scenarioText(open.getText());
  const stat = await vscode.workspace.fs.stat(uri);
  // A pipe or a device is neither File nor Directory: reading it could block or never end.
  checkFileKind(stat.type & vscode.FileType.Directory ? 'directory' : stat.type & vscode.FileType.File ? 'file' : 'other', stat.size);
  return decodeScenario(await vscode.workspace.fs.readFile(uri));
}

/** `NAME:LINE:COL: message` (translated) for a ReadError, else the error's own message. */
export function readErrorText(name: string, error: unknown): string {
  if (error instanceof ReadError) return `${error.where(name)}: ${vscode.l10n.t(error.template, ...error.args.map(String))}`;
  return `${name}: ${error instanceof Error ? error.message : String(error)}`;
}
