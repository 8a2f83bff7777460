// What the editor services share: the parsed file, each statement's absolute time, and every
// place an endpoint name is written. Positions are 1-based lines and UTF-16 columns, like
// the parser's ranges (the VS Code layer converts to 0-based).

import type { Name, ScenarioFile, Statement } from '../ast';
import type { Range } from '../diagnostic';
import { parse } from '../parser';
import { timeline, type WaitTiming } from '../semantics';
import { formatTemplate } from '../diagnostic';
import { formatDuration } from '../values';
import { HOVER_PHRASES } from './help';

export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based, UTF-16 code units. */
  column: number;
}

export interface EndpointReference {
  name: Name;
  /** True for the name in `endpoint NAME`. */
  declaration: boolean;
}

export interface ScenarioModel {
  text: string;
  /** The text's lines, without line breaks. */
  lines: string[];
  ast: ScenarioFile;
  /** Absolute time (microseconds) of each statement of `ast.statements`, in the same order (after a `wait`, the earliest). */
  times: (number | undefined)[];
  /** For each statement after a `wait`: how its time depends on the wait (same order). */
  waits: (WaitTiming | undefined)[];
  references: EndpointReference[];
}

export function buildModel(text: string): ScenarioModel {
  const { ast } = parse(text);
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  const { at, afterWait } = timeline(ast);
  return { text, lines, ast, times: at, waits: afterWait, references: endpointReferences(ast.statements) };
}

/**
 * How to show when statement `index` runs: `@1.5s`; after a wait, `wait (line 10) + 50ms`, or
 * `@2s or later` when an `@T` came between (`text`: the l10n template and its arguments).
 */
export function timeLabel(model: ScenarioModel, index: number): { label: string; text?: { template: string; args: string[] } } | undefined {
  const at = model.times[index];
  if (at === undefined) return undefined;
  const wait = model.waits[index];
  if (wait === undefined) return { label: `@${formatDuration(at)}` };
  const text =
    wait.offset !== undefined
      ? { template: HOVER_PHRASES.hintAfterWait, args: [String(wait.line), formatDuration(wait.offset)] }
      : { template: HOVER_PHRASES.hintOrLater, args: [formatDuration(at)] };
  return { label: formatTemplate(text.template, text.args), text };
}

/** Each statement's absolute time, as the compiler computes it (undefined for declarations). */
export function statementTimes(ast: ScenarioFile): (number | undefined)[] {
  return timeline(ast).at;
}

export function endpointReferences(statements: readonly Statement[]): EndpointReference[] {
  const references: EndpointReference[] = [];
  const add = (name: Name | undefined, declaration = false) => {
    if (name && name.text.length > 0) references.push({ name, declaration });
  };
  for (const statement of statements) {
    switch (statement.kind) {
      case 'endpoint':
        add(statement.name, true);
        break;
      case 'link':
        add(statement.a);
        add(statement.b);
        break;
      case 'action':
        add(statement.endpoint);
        add(statement.peer);
        add(statement.conn);
        break;
      case 'fault':
      case 'inject':
        add(statement.pattern?.from);
        add(statement.pattern?.to);
        break;
      case 'expect': {
        const expectation = statement.expectation;
        if (expectation?.kind === 'segment') {
          add(expectation.pattern.from);
          add(expectation.pattern.to);
        } else if (expectation) {
          add(expectation.endpoint);
          if (expectation.kind === 'state' || expectation.kind === 'window') add(expectation.peer);
        }
        break;
      }
      case 'wait': {
        const condition = statement.condition;
        if (condition) {
          add(condition.endpoint);
          if (condition.kind === 'state') add(condition.peer);
        }
        break;
      }
      default:
        break;
    }
  }
  return references;
}

export function declaredEndpoints(model: ScenarioModel): Name[] {
  return model.references.filter((reference) => reference.declaration).map((reference) => reference.name);
}

export function contains(range: Range, position: Position): boolean {
  // The end column is inclusive so that a cursor just after a word still finds it.
  return range.line === position.line && position.column >= range.column && position.column <= range.column + range.length;
}

export function referenceAt(model: ScenarioModel, position: Position): EndpointReference | undefined {
  return model.references.find((reference) => contains(reference.name.range, position));
}

export function statementAt(model: ScenarioModel, line: number): { statement: Statement; index: number } | undefined {
  const index = model.ast.statements.findIndex((statement) => statement.line === line);
  return index < 0 ? undefined : { statement: model.ast.statements[index], index };
}

/** The word (letters, digits, `_`, `-`) around a column of a line, with its 1-based start column. */
export function wordAt(lineText: string, column: number): { text: string; column: number } | undefined {
  const isWord = (char: string | undefined) => char !== undefined && /[\p{L}\p{N}_-]/u.test(char);
  let start = column - 1;
  let end = column - 1;
  while (start > 0 && isWord(lineText[start - 1])) start--;
  while (end < lineText.length && isWord(lineText[end])) end++;
  // A word never starts or ends with `-` (the arrow `->` is not part of it).
  while (start < end && lineText[start] === '-') start++;
  while (end > start && lineText[end - 1] === '-') end--;
  if (start >= end) return undefined;
  return { text: lineText.slice(start, end), column: start + 1 };
}

/** Line `line` (1-based) of the model's text, without its line break. */
export function lineOf(model: ScenarioModel, line: number): string {
  return model.lines[line - 1] ?? '';
}
