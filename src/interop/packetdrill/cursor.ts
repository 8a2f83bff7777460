// The packetdrill parser's token cursor: where it is in the tokens, what it expects next, and the
// diagnostics (at the token at fault, with the range cut at the end of its line); a line it cannot
// read is abandoned (LineFailure) and reading goes on at the next line that starts an event.
// src/interop/packetdrill/parser.ts holds the grammar. Pure.

import { diagnostic, type Diagnostic, type Range } from '../../language/diagnostic';
import type { MessageSpec } from '../../language/messages';
import type { PktNode } from './ast';
import { lex, type PktComment, type PktToken } from './lexer';
import { PKT_MESSAGES, PKT_PHRASES as P } from './messages';

/** Thrown inside the parser only, to abandon a line; caught at the event loop. */
export class LineFailure {
  constructor(readonly at: PktToken) {}
}

/** The punctuation the grammar uses; any other character is reported as unexpected. */
const KNOWN_PUNCTUATION = ['<', '>', '.', ':', '(', ')', ',', '=', '[', ']', '{', '}', '+', '*', '~', '-', '|'];

function describe(token: PktToken): string {
  switch (token.kind) {
    case 'eof':
      return P.endOfScript;
    case 'string':
      return P.aString;
    case 'backquoted':
      return P.aCommand;
    case 'code':
      return P.aCodeBlock;
    default:
      return `'${token.text.length > 24 ? `${token.text.slice(0, 24)}...` : token.text}'`;
  }
}

export abstract class TokenCursor {
  protected readonly tokens: PktToken[];
  protected readonly comments: PktComment[];
  protected readonly diagnostics: Diagnostic[] = [];
  protected index = 0;
  /** Offsets where each line starts, for ranges. */
  private readonly lineEnds: number[] = [];

  constructor(protected readonly text: string) {
    const { tokens, comments } = lex(text);
    this.tokens = tokens;
    this.comments = comments;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineEnds.push(i);
    this.lineEnds.push(text.length);
  }

  /** Runs `read`; on a failure, skips to the next line that can start an event. */
  protected attempt(read: () => void): void {
    const start = this.index;
    try {
      read();
    } catch (error) {
      if (!(error instanceof LineFailure)) throw error;
      const failedLine = error.at.line;
      if (this.index === start) this.index++;
      while (this.peek().kind !== 'eof' && !(this.peek().line > failedLine && this.startsEvent(this.peek()))) this.index++;
    }
  }

  protected startsEvent(token: PktToken): boolean {
    return (
      token.kind === 'int' ||
      token.kind === 'float' ||
      token.kind === 'backquoted' ||
      token.kind === 'option' ||
      (token.kind === 'punct' && (token.text === '+' || token.text === '*'))
    );
  }

  // ---- tokens ----------------------------------------------------------------------------------

  protected peek(ahead = 0): PktToken {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)];
  }

  protected advance(): PktToken {
    const token = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return token;
  }

  protected previous(): PktToken {
    return this.tokens[Math.max(0, this.index - 1)];
  }

  protected isPunct(text: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'punct' && token.text === text;
  }

  protected isWord(text: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'word' && token.text === text;
  }

  protected fail(spec: MessageSpec, args: string[], token: PktToken = this.peek()): never {
    this.report(spec, args, this.rangeOfToken(token));
    throw new LineFailure(token);
  }

  protected expectPunct(text: string, what: string, after?: string): PktToken {
    if (!this.isPunct(text)) this.failExpected(what, after);
    return this.advance();
  }

  protected failExpected(what: string, after?: string): never {
    const token = this.peek();
    if (token.kind === 'punct' && !KNOWN_PUNCTUATION.includes(token.text)) return this.fail(PKT_MESSAGES.invalidCharacter, [token.text]);
    if (token.kind === 'word' && /^[A-Z_][A-Z0-9_]*$/.test(token.text) && /number|length|sequence/.test(what)) return this.fail(PKT_MESSAGES.undefinedSymbol, [token.text]);
    const found = describe(token);
    if (after !== undefined) return this.fail(PKT_MESSAGES.expectedAfter, [what, after, found]);
    return this.fail(PKT_MESSAGES.expected, [what, found]);
  }

  protected report(spec: MessageSpec, args: string[], range: Range, severity: 'error' | 'warning' = 'error'): void {
    this.diagnostics.push(diagnostic(range, severity, spec.code, spec.template, args));
  }

  protected lexError(token: PktToken): void {
    const range = this.rangeOfToken(token);
    if (token.error === 'unterminated-string') this.report(PKT_MESSAGES.unterminatedString, ['string', '"'], range);
    else if (token.error === 'unterminated-backquote') this.report(PKT_MESSAGES.unterminatedString, ['command', '`'], range);
    else if (token.error === 'unterminated-code') this.report(PKT_MESSAGES.unterminatedString, [P.codeBlock, '}%'], range);
  }

  // ---- positions ---------------------------------------------------------------------------------

  /** A range from a token to an end offset, cut at the end of the token's line. */
  protected rangeFrom(token: PktToken, end: number): Range {
    const lineEnd = this.lineEnds[token.line - 1] ?? this.text.length;
    return { line: token.line, column: token.column, length: Math.max(1, Math.min(end, lineEnd) - token.offset) };
  }

  protected rangeOfToken(token: PktToken): Range {
    return this.rangeFrom(token, token.offset + Math.max(1, token.length));
  }

  protected node<T extends PktNode>(first: PktToken, fields: Omit<T, keyof PktNode>): T {
    const last = this.previous();
    const end = Math.max(first.offset + first.length, last.offset + last.length);
    return { ...fields, offset: first.offset, end, range: this.rangeFrom(first, end) } as T;
  }
}
