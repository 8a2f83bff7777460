// Conversions between the language's 1-based ranges and VS Code's 0-based ones.
import * as vscode from 'vscode';
import type { Range } from '../language/diagnostic';
import type { Position, Span } from '../language/service';

export function toRange(range: Range): vscode.Range {
  return new vscode.Range(range.line - 1, range.column - 1, range.line - 1, range.column - 1 + range.length);
}

export function toSpan(span: Span): vscode.Range {
  return new vscode.Range(span.start.line - 1, span.start.column - 1, span.end.line - 1, span.end.column - 1);
}

export function fromPosition(position: vscode.Position): Position {
  return { line: position.line + 1, column: position.character + 1 };
}
