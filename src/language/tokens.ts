// What a token is: its kinds (as names and as the numbers `Scanner.scanLine` writes and the
// packed tree stores), the Token object the editor's services read, a comment, and the growable
// arrays a line's tokens are appended to.

import type { MessageSpec } from './messages';
import type { Spellings } from './spellings';

export type TokenKind =
  | 'ident'
  | 'number' // digits with what sticks to them: 10, 10ms, 5%, 0x1F, 10.0.0.1:80 (the parser classifies)
  | 'string'
  | '@'
  | '+'
  | '-'
  | '->'
  | '<->'
  | ','
  | '='
  | ':'
  | 'newline'
  | 'eof'
  | 'invalid';

/** Token kinds as numbers (what `Scanner.scanLine` writes and the packed tree stores); 0 is "no token". */
export const T_NONE = 0;
export const T_IDENT = 1;
export const T_NUMBER = 2;
export const T_STRING = 3;
export const T_AT = 4;
export const T_PLUS = 5;
export const T_MINUS = 6;
export const T_ARROW = 7;
export const T_LINK = 8;
export const T_COMMA = 9;
export const T_EQUALS = 10;
export const T_COLON = 11;
export const T_NEWLINE = 12;
export const T_EOF = 13;
export const T_INVALID = 14;
/** The TokenKind of each code. */
export const TOKEN_KINDS: readonly TokenKind[] = ['eof', 'ident', 'number', 'string', '@', '+', '-', '->', '<->', ',', '=', ':', 'newline', 'eof', 'invalid'];

export interface TokenError {
  spec: MessageSpec;
  args: string[];
  /** Suggested replacement of the token's text, for a quick fix. */
  replacement?: string;
}

export interface Token {
  kind: TokenKind;
  /** Source text of the token. */
  text: string;
  /** Decoded value of a string token. */
  value?: string;
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, UTF-16 code units. */
  column: number;
  /** UTF-16 code units. */
  length: number;
  error?: TokenError;
}

/** A `#` comment, with its `#`: the same shape as the tree's CommentNode. */
export interface Comment {
  text: string;
  offset: number;
  range: { line: number; column: number; length: number };
}

/**
 * Growable token arrays that `Scanner.scanLine` appends to (the packed tree is one, tree.ts). A
 * token's end is no column of its own: a name or number ends after its spelling, any other token
 * where `tokenId` says (`tokenEnd`). A fourth array of 4 bytes a token was a fifth of a long
 * file's tree, written and paged in for every token and read for few.
 */
export interface TokenSink {
  tokenKind: Uint8Array;
  tokenStart: Int32Array;
  /** The spelling id of a name or number token; for any other token, the offset where it ends. */
  tokenId: Int32Array;
  tokenCount: number;
}

/** Where token `token` of `sink` ends (names and numbers: after their spelling in `spellings`). */
export function tokenEnd(sink: TokenSink, spellings: Spellings, token: number): number {
  const kind = sink.tokenKind[token];
  const id = sink.tokenId[token];
  return kind === T_IDENT || kind === T_NUMBER ? sink.tokenStart[token] + spellings.length(id) : id;
}

/** Doubles a sink's room for tokens. */
export function growTokens(sink: TokenSink): void {
  const capacity = sink.tokenKind.length * 2;
  sink.tokenKind = grownArray(sink.tokenKind, capacity);
  sink.tokenStart = grownArray(sink.tokenStart, capacity);
  sink.tokenId = grownArray(sink.tokenId, capacity);
}

export function grownArray<T extends Uint8Array | Int32Array>(array: T, capacity: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(capacity);
  bigger.set(array);
  return bigger;
}
