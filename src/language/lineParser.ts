// The line reader under the parser: it scans the text line by line into the packed tree's
// token arrays (tree.ts), then hands each line to `parseLine`. It holds what every statement
// parser needs: peeking at the line's tokens, ranges, errors that abandon a line, nodes, times.

import type { ScenarioFile } from './ast';
import { diagnostic, replaceFix, type Diagnostic, type Fix, type Range } from './diagnostic';
import { MESSAGES, type MessageSpec } from './messages';
import { Scanner } from './scanner';
import { T_EOF, T_IDENT, T_INVALID, T_MINUS, T_NONE, T_NUMBER, T_STRING, type TokenError } from './tokens';
import type { Spellings } from './spellings';
import { closest } from './suggest';
import * as T from './tree';
import { parseDuration } from './values';
import { ParsedScenario } from './view';
import { DURATION_UNITS } from './vocabulary';

export interface ParseResult {
  ast: ScenarioFile;
  diagnostics: Diagnostic[];
}

const UNIT_LIST = Object.keys(DURATION_UNITS).join(', ');

/** Thrown inside a statement to abandon the rest of its line (caught per line, never escapes). */
class LineError {}
export const LINE_ERROR = new LineError();

export abstract class LineParser {
  protected readonly scanner: Scanner;
  protected readonly spellings: Spellings;
  protected readonly tree: T.Tree;
  protected readonly diagnostics: Diagnostic[] = [];
  /** The current line: its number, where it starts, its tokens [first, end), and the next token to read. */
  protected line = 1;
  protected lineStart = 0;
  protected first = 0;
  protected end = 0;
  protected index = 0;
  /** The statement being built (its node), so a line that fails halfway still yields its partial node; -1 before one begins. */
  protected statement = -1;
  /** Offsets of tokens whose error the scanner already reported (no second diagnostic for them). */
  protected readonly reported = new Set<number>();

  constructor(protected readonly text: string) {
    this.scanner = new Scanner(text);
    this.spellings = this.scanner.spellings;
    this.tree = new T.Tree(text, this.spellings);
  }

  parseFile(): ParseResult {
    const scanner = this.scanner;
    const tree = this.tree;
    let line = 1;
    const errorTokens = scanner.errorTokens;
    const errors = scanner.errors;
    let reported = 0;
    for (;;) {
      this.line = line;
      this.lineStart = scanner.currentLineStart;
      const first = tree.tokenCount;
      const ended = scanner.scanLine(tree);
      // A line's scanner errors come first, in token order (the parser's follow).
      for (; reported < errors.length; reported++) this.reportTokenError(errorTokens[reported], errors[reported]);
      if (tree.tokenCount > first) {
        this.first = first;
        this.end = tree.tokenCount;
        this.index = first;
        this.parseLine(line);
      }
      if (ended === T_EOF) break;
      line++;
    }
    tree.lineCount = line;
    tree.comments = scanner.commentNumbers;
    // A line's scanner errors come before its parser errors; report them in text order.
    const diagnostics = this.diagnostics.sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column);
    return { ast: new ParsedScenario(tree), diagnostics };
  }

  // ---- tokens -------------------------------------------------------------------------

  /** The token `ahead` places on, or -1 at the end of the line. */
  protected peek(ahead = 0): number {
    const at = this.index + ahead;
    return at < this.end ? at : -1;
  }

  /** The kind of the token `ahead` places on, or T_NONE at the end of the line. */
  protected peekKind(ahead = 0): number {
    const at = this.index + ahead;
    return at < this.end ? this.tree.tokenKind[at] : T_NONE;
  }

  protected kind(token: number): number {
    return token < 0 ? T_NONE : this.tree.tokenKind[token];
  }

  protected advance(): number {
    return this.index++;
  }

  /** The W_* code of a name token's lowercase spelling (-1 for other words and tokens). */
  protected word(token: number): number {
    return token >= 0 && this.tree.tokenKind[token] === T_IDENT ? this.spellings.word(this.tree.tokenId[token]) : -1;
  }

  protected peekWord(word: number): boolean {
    return this.word(this.peek()) === word;
  }

  protected textOf(token: number): string {
    return this.tree.tokenText(token);
  }

  protected describe(token: number): string {
    if (token < 0) return 'the end of the line';
    if (this.tree.tokenKind[token] === T_STRING) return 'a string';
    const text = this.textOf(token);
    return `'${text.length > 24 ? `${text.slice(0, 24)}...` : text}'`;
  }

  protected rangeOf(token: number): Range {
    const tree = this.tree;
    if (token >= 0) {
      const start = tree.tokenStart[token];
      return { line: this.line, column: start - this.lineStart + 1, length: Math.max(1, tree.end(token) - start) };
    }
    // At the end of the line: point just after the last token.
    return { line: this.line, column: tree.end(this.end - 1) - this.lineStart + 1, length: 1 };
  }

  protected reportTokenError(token: number, error: TokenError): void {
    const range = this.rangeOf(token);
    const fixes: Fix[] | undefined = error.replacement === undefined ? undefined : [replaceFix(range, error.replacement)];
    this.diagnostics.push(diagnostic(range, 'error', error.spec.code, error.spec.template, error.args, fixes));
    if (this.tree.tokenKind[token] === T_INVALID) this.reported.add(this.tree.tokenStart[token]);
  }

  /** Reports an error at `token` (or the end of the line, -1) and abandons the statement. */
  protected fail(spec: MessageSpec, args: string[], token: number, fixes?: Fix[]): never {
    if (!(token >= 0 && this.reported.has(this.tree.tokenStart[token]))) {
      this.diagnostics.push(diagnostic(this.rangeOf(token), 'error', spec.code, spec.template, args, fixes));
    }
    throw LINE_ERROR;
  }

  /** Reports an error and goes on with the statement. */
  protected report(spec: MessageSpec, args: string[], range: Range, fixes?: Fix[]): void {
    this.diagnostics.push(diagnostic(range, 'error', spec.code, spec.template, args, fixes));
  }

  protected expectIdent(what: string, after: string): number {
    const token = this.peek();
    if (this.kind(token) !== T_IDENT) this.fail(MESSAGES.expectedAfter, [what, after, this.describe(token)], token);
    return this.advance();
  }

  /** A token's length (at least 1, as in its range). */
  protected tokenLength(token: number): number {
    return Math.max(1, this.tree.end(token) - this.tree.tokenStart[token]);
  }

  /** Length from `first` to the end of the last token read (at least 1). */
  protected spanLength(first: number): number {
    return Math.max(1, this.tree.end(this.index - 1) - this.tree.tokenStart[first]);
  }

  /** A node of `size` slots starting at token `token`, `length` long. */
  protected node(size: number, token: number, length: number): number {
    const ref = this.tree.node(size);
    const nodes = this.tree.nodes;
    nodes[ref + T.N_OFFSET] = this.tree.tokenStart[token];
    nodes[ref + T.N_LENGTH] = length;
    return ref;
  }

  /** The text of the time whose sign token is `sign`. */
  protected timeText(sign: number): string {
    const offset = this.tree.tokenStart[sign];
    return this.text.slice(offset, offset + this.tree.timeLength(sign));
  }

  /** The range of the time whose sign token is `sign`. */
  protected timeRange(sign: number): Range {
    return { line: this.line, column: this.tree.tokenStart[sign] - this.lineStart + 1, length: this.tree.timeLength(sign) };
  }

  /** Starts statement `kind` at token `first` (with every other slot absent); its node. */
  protected begin(kind: number, line: number, first: number, time: number): number {
    const tree = this.tree;
    const size = T.STATEMENT_SIZES[kind];
    const ref = tree.node(size);
    const nodes = tree.nodes;
    nodes[ref + T.S_KIND] = kind;
    nodes[ref + T.S_LINE] = line;
    nodes[ref + T.S_LINE_START] = this.lineStart;
    nodes[ref + T.S_OFFSET] = tree.tokenStart[first];
    nodes[ref + T.S_TIME] = time;
    // Every slot from S_KEYWORD on absent (stores: `fill` is a call that costs more than seven of them).
    for (let slot = ref + T.S_KEYWORD; slot < ref + size; slot++) nodes[slot] = -1;
    tree.addStatement(ref);
    this.statement = ref;
    return ref;
  }

  /** A list's (first, count) slots start as (0, 0): empty. */
  protected emptyList(slot: number): void {
    this.tree.nodes[slot] = 0;
    this.tree.nodes[slot + 1] = 0;
  }

  /** `@T` or `+D`; the current token is `@` or `+`. Returns that sign token (a time is no node, tree.ts). */
  protected parseTime(): number {
    const sign = this.advance();
    let token = this.peek();
    if (this.kind(token) === T_MINUS) {
      this.advance();
      token = this.peek();
      const shown = this.kind(token) === T_NUMBER ? this.textOf(token) : '1s';
      this.fail(MESSAGES.negativeTime, [shown], token >= 0 ? token : sign);
    }
    if (this.kind(token) !== T_NUMBER) this.fail(MESSAGES.expectedAfter, ['a time like 10ms', this.textOf(sign), this.describe(token)], token);
    this.advance();
    this.duration(token);
    return sign;
  }

  /** Checks a duration token, reporting (without abandoning the line) when it is not one. */
  protected duration(token: number): void {
    if (this.tree.durationOf(token) !== undefined) return;
    const text = this.textOf(token);
    const result = parseDuration(text);
    if (result.ok) return;
    const range = this.rangeOf(token);
    if (result.reason === 'missing-unit') {
      this.report(MESSAGES.missingUnit, [text], range, [replaceFix(range, `${text}ms`)]);
    } else if (result.reason === 'unknown-unit') {
      const unit = result.unit ?? '';
      const suggestion = closest(unit, Object.keys(DURATION_UNITS));
      const fixes = suggestion ? [replaceFix(range, text.slice(0, -unit.length) + suggestion)] : undefined;
      this.report(MESSAGES.unknownUnit, [unit, text, UNIT_LIST], range, fixes);
    } else {
      this.report(MESSAGES.invalidDuration, [text, UNIT_LIST], range);
    }
  }

  /** Stretches node `node` (which starts at `first`) to the last token read. */
  protected extend(node: number, first: number): void {
    this.tree.nodes[node + T.N_LENGTH] = this.spanLength(first);
  }

  /** Parses the current line's tokens [first, end) into a statement. */
  protected abstract parseLine(line: number): void;
}
