// The syntax tree as the parser writes it: numbers in a few typed arrays, no object per node.
// A file of 300,000 lines is then a handful of arrays instead of four million small objects
// that the garbage collector would copy and trace (what made parsing slow). `ast.statements`
// (view.ts) builds the objects of ast.ts from these numbers on first use, for the checker, the
// compiler and the editor's services.
//
// - Tokens: kind (T_* of scanner.ts), start offset, and the spelling's id (names and numbers;
//   see spellings.ts) or, for other tokens, the end offset (`end`), for every token but newlines.
// - Nodes: records in `nodes`, each a few int32 slots; a reference to a node is the index of
//   its first slot. A statement is a node too; `statements` lists them in text order.
// - Lists (options, flags, fields): runs in `lists`, held by their owner as (first, count).
// Ranges are not stored: a node's line is its statement's, its column is its offset minus the
// line's start, and its length is stored (ranges are computed when someone asks for one).

import type { Range } from './diagnostic';
import { grownArray as grown, T_IDENT, T_INVALID, T_NUMBER, T_STRING, TOKEN_KINDS, tokenEnd, type TokenSink } from './tokens';
import type { Spellings } from './spellings';

// ---- statements (a node each) ------------------------------------------------------------

/** Statement kinds, by code (S_KIND). */
export const STATEMENT_KINDS = ['scenario', 'profile', 'set', 'endpoint', 'link', 'action', 'fault', 'inject', 'expect', 'wait', 'end'] as const;
export const ST_SCENARIO = 0;
export const ST_PROFILE = 1;
export const ST_SET = 2;
export const ST_ENDPOINT = 3;
export const ST_LINK = 4;
export const ST_ACTION = 5;
export const ST_FAULT = 6;
export const ST_INJECT = 7;
export const ST_EXPECT = 8;
export const ST_WAIT = 9;
export const ST_END = 10;

/** Slots every statement has. */
export const S_KIND = 0;
export const S_LINE = 1;
/** Offset of the line's first character (columns count from it). */
export const S_LINE_START = 2;
export const S_OFFSET = 3;
export const S_LENGTH = 4;
/** The time before the statement: its `@` or `+` token (a time, see `timeLength`), or -1. */
export const S_TIME = 5;
/** The keyword token (every statement but `action`). */
export const S_KEYWORD = 6;

// Slots of each kind (tokens, nodes, or a list's first entry followed by its count); -1: absent.
export const SCENARIO_TITLE = 7;
export const PROFILE_NAME = 7;
export const SET_OPTIONS = 7;
export const ENDPOINT_NAME = 7;
export const ENDPOINT_ADDRESS = 8;
export const ENDPOINT_OPTIONS = 9;
export const ENDPOINT_RAW = 11;
export const LINK_A = 7;
export const LINK_B = 8;
export const LINK_OPTIONS = 9;
export const ACTION_ENDPOINT = 6;
export const ACTION_VERB = 7;
export const ACTION_PEER = 8;
export const ACTION_ARGUMENT = 9;
export const ACTION_CONN = 10;
/** Only meaningful when the verb is `set`. */
export const ACTION_OPTIONS = 11;
/** Index in FAULT_KINDS. */
export const FAULT_KIND = 7;
export const FAULT_PATTERN = 8;
export const FAULT_BY = 9;
export const FAULT_COUNT = 10;
export const INJECT_PATTERN = 7;
export const EXPECT_EXPECTATION = 7;
export const WAIT_UNTIL = 7;
export const WAIT_CONDITION = 8;
export const END_AT = 7;
/** Each kind's slots (by ST_* code): the last slot it uses + 1 (an expect needs 8 of an action's 13). */
export const STATEMENT_SIZES: readonly number[] = [
  SCENARIO_TITLE + 1,
  PROFILE_NAME + 1,
  SET_OPTIONS + 2,
  ENDPOINT_RAW + 1,
  LINK_OPTIONS + 2,
  ACTION_OPTIONS + 2,
  FAULT_COUNT + 1,
  INJECT_PATTERN + 1,
  EXPECT_EXPECTATION + 1,
  WAIT_CONDITION + 1,
  END_AT + 1,
];

// ---- other nodes -------------------------------------------------------------------------

/** Slots every node has (statements have theirs above). */
export const N_OFFSET = 0;
export const N_LENGTH = 1;

// A time (`@T` / `+D`) is no node: it is its sign token, `@` (absolute) or `+` (relative); the number
// token follows it, and the time runs from the sign to the number's end (a node per timed line was
// four slots written and read back for what the two tokens say).

/** `10.0.0.1:80` or `:80`: the first token (a number or `:`) and the port token after `:` (or -1). */
export const ADDRESS_START = 2;
export const ADDRESS_PORT = 3;
export const ADDRESS_SIZE = 4;

/** `key=value` (or `sackok`): key and value tokens; VALUE_END is where `sack=1:2,3:4` ends (else -1). */
export const OPTION_KEY = 2;
export const OPTION_VALUE = 3;
export const OPTION_VALUE_END = 4;
export const OPTION_SIZE = 5;

/** `A -> B FLAGS fields`: tokens, then two lists (flag tokens, OPTION nodes). */
export const PATTERN_FROM = 2;
export const PATTERN_TO = 3;
export const PATTERN_FLAGS = 4;
export const PATTERN_FIELDS = 6;
export const PATTERN_SIZE = 8;

/** `once` ... `N times`: the kind (COUNT_KINDS) and the number token of `N times` (or -1). */
export const COUNT_KIND = 2;
export const COUNT_NUMBER = 3;
export const COUNT_SIZE = 4;
export const COUNT_KINDS = ['once', 'twice', 'always', 'times'] as const;
export const COUNT_TIMES = 3;

/** `within D`, `within -D1 +D2` or `anytime`: the keyword, the early and late duration tokens (-1 after `anytime`; `within D` has D as both). */
export const WITHIN_KEYWORD = 2;
export const WITHIN_EARLY = 3;
export const WITHIN_LATE = 4;
export const WITHIN_SIZE = 5;

/** An expectation or a wait's condition: its kind (EXPECTATION_KINDS) and up to four slots. */
export const X_KIND = 2;
export const EXPECTATION_KINDS = ['state', 'segment', 'received', 'window', 'call'] as const;
export const X_STATE = 0;
export const X_SEGMENT = 1;
export const X_RECEIVED = 2;
export const X_WINDOW = 3;
export const X_CALL = 4;
/** The endpoint token (every kind but segment). */
export const X_ENDPOINT = 3;
export const X_PATTERN = 3;
/** `expect next A -> B ...`: the `next` token, and a WITHIN node (or -1 for both). */
export const SEGMENT_NEXT = 4;
export const SEGMENT_WITHIN = 5;
export const STATE_STATE = 4;
export const STATE_PEER = 5;
export const RECEIVED_BYTES = 4;
export const WINDOW_VARIABLE = 4;
export const WINDOW_BYTES = 5;
export const WINDOW_PEER = 6;
export const CALL_CALL = 4;
export const CALL_RESULT = 5;
export const CALL_ERROR = 6;
export const EXPECTATION_SIZE = 7;

export class Tree implements TokenSink {
  tokenKind: Uint8Array;
  tokenStart: Int32Array;
  /** The spelling id of a name or number token; for any other token, the offset where it ends (`end`). */
  tokenId: Int32Array;
  tokenCount = 0;
  nodes: Int32Array;
  nodeCount = 0;
  lists: Int32Array;
  listCount = 0;
  /** Statement nodes, in text order. */
  statements: Int32Array;
  statementCount = 0;
  /** Statements of the declaration kinds (scenario to link), and actions whose verb is listen or connect: few, listed as parsed so checking need not look at every statement for them. */
  readonly declarations: number[] = [];
  readonly listenOrConnect: number[] = [];
  lineCount = 0;
  /** Comments, four numbers each: offset, end of its text, line, column. */
  comments: ArrayLike<number> = [];

  constructor(
    readonly text: string,
    readonly spellings: Spellings,
  ) {
    // Room for the densest text we know (the bench's mix: a token per 5.5 characters, a node slot per
    // 2.1; the examples have one per 14 and 5); the arrays grow when a text has more. Every byte
    // reserved counts as the collector's external memory, and room never used was a third of it.
    this.lists = new Int32Array((text.length >> 5) + 64);
    this.statements = new Int32Array((text.length >> 5) + 64);
    const tokens = Math.floor(text.length / 5) + 64;
    this.tokenKind = new Uint8Array(tokens);
    this.tokenStart = new Int32Array(tokens);
    this.tokenId = new Int32Array(tokens);
    this.nodes = new Int32Array((text.length >> 1) + 256);
  }

  /** A node of `size` slots; its reference. */
  node(size: number): number {
    const ref = this.nodeCount;
    if (ref + size > this.nodes.length) this.nodes = grown(this.nodes, Math.max(this.nodes.length * 2, ref + size));
    this.nodeCount = ref + size;
    return ref;
  }

  /** Appends `ref` to the list whose (first, count) slots are at `slot` (the list being built is always the last one). */
  push(slot: number, ref: number): void {
    if (this.listCount === this.lists.length) this.lists = grown(this.lists, this.lists.length * 2);
    const nodes = this.nodes;
    if (nodes[slot + 1] === 0) nodes[slot] = this.listCount;
    this.lists[this.listCount++] = ref;
    nodes[slot + 1]++;
  }

  addStatement(ref: number): void {
    if (this.statementCount === this.statements.length) this.statements = grown(this.statements, this.statements.length * 2);
    this.statements[this.statementCount++] = ref;
    if (this.nodes[ref + S_KIND] <= ST_LINK) this.declarations.push(ref);
  }

  /** Where token `token` ends. */
  end(token: number): number {
    return tokenEnd(this, this.spellings, token);
  }

  /** The microseconds number token `token` spells (`Spellings.duration`), or undefined (not a duration, or no number). */
  durationOf(token: number): number | undefined {
    return this.tokenKind[token] === T_NUMBER ? this.spellings.duration(this.tokenId[token]) : undefined;
  }

  /** The whole number number token `token` spells (`Spellings.integer`), or undefined. */
  integerOf(token: number): number | undefined {
    return this.tokenKind[token] === T_NUMBER ? this.spellings.integer(this.tokenId[token]) : undefined;
  }

  /** The source text of a token: a name's or number's shared string, else a slice (or the punctuation). */
  tokenText(token: number): string {
    const kind = this.tokenKind[token];
    if (kind === T_IDENT || kind === T_NUMBER) return this.spellings.strings[this.tokenId[token]];
    if (kind === T_STRING || kind === T_INVALID) return this.text.slice(this.tokenStart[token], this.tokenId[token]);
    return TOKEN_KINDS[kind];
  }

  /** A time's length (at least 1): from its sign token `sign` to the end of the number after it. */
  timeLength(sign: number): number {
    return Math.max(1, this.end(sign + 1) - this.tokenStart[sign]);
  }

  /** The range of a token in statement `statement` (every token of a statement is on its line). */
  tokenRange(statement: number, token: number): Range {
    const start = this.tokenStart[token];
    return { line: this.nodes[statement + S_LINE], column: start - this.nodes[statement + S_LINE_START] + 1, length: this.end(token) - start };
  }

  /** The range of node `node` (its offset and stored length) in statement `statement`. */
  nodeRange(statement: number, node: number): Range {
    return { line: this.nodes[statement + S_LINE], column: this.nodes[node + N_OFFSET] - this.nodes[statement + S_LINE_START] + 1, length: this.nodes[node + N_LENGTH] };
  }

  /** The range of statement `statement`. */
  statementRange(statement: number): Range {
    const nodes = this.nodes;
    return { line: nodes[statement + S_LINE], column: nodes[statement + S_OFFSET] - nodes[statement + S_LINE_START] + 1, length: nodes[statement + S_LENGTH] };
  }
}
