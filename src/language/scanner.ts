// The scanner: text -> tokens. It never throws; a bad character or an unterminated
// string becomes a token carrying its own error, and scanning goes on.
// Columns are 1-based and counted in UTF-16 code units (what VS Code counts).
// `Scanner.scanLine` reads a line's tokens into typed arrays (kind code, start, and the
// spelling's id or the end): the parser reads those numbers and makes no object per token. `next` and
// `scan()` give Token objects, for the editor's services and tests.

import { MESSAGES, type MessageSpec } from './messages';
import { SHORT_KEY_LENGTH, Spellings, WIDE_KEY_LENGTH, wideKey } from './spellings';

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

const FULL_WIDTH: Readonly<Record<string, string>> = {
  '，': ',',
  '＝': '=',
  '：': ':',
  '＠': '@',
  '＋': '+',
  '＂': '"',
  '“': '"',
  '”': '"',
  '＃': '#',
  '－': '-',
  '＞': '>',
  '＜': '<',
};

const ID_START = /[\p{ID_Start}_]/u;
const ID_CONTINUE = /[\p{ID_Continue}]/u;

/** CJK Unified Ideographs: the common case of non-ASCII names, answered without a regex. */
function isCjkIdeograph(codePoint: number): boolean {
  return codePoint >= 0x4e00 && codePoint <= 0x9fff;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isAsciiIdContinue(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || isDigit(c);
}

/** A string token read from its opening quote: where it ends, its decoded value, and what is wrong with it. */
export interface StringRead {
  end: number;
  value: string;
  error?: TokenError;
}

/** Reads the string token at `start` (its `"`), escapes and all: the scanner's slow path, and how the tree decodes a string. */
export function readString(text: string, start: number): StringRead {
  let pos = start + 1;
  let value = '';
  let error: TokenError | undefined;
  let closed = false;
  while (pos < text.length) {
    const c = text.charCodeAt(pos);
    if (c === 34) {
      pos++;
      closed = true;
      break;
    }
    if (c === 10 || (c === 13 && pos + 1 < text.length && text.charCodeAt(pos + 1) === 10)) break;
    if (c === 92 /* \ */) {
      const escape = text[pos + 1] ?? '';
      if (escape === '' || escape === '\n' || escape === '\r') {
        // A backslash at the end of the line does not continue the string onto the next.
        pos++;
        break;
      }
      const decoded = readEscape(text, escape, pos);
      if (decoded) {
        value += decoded.value;
        pos = decoded.end;
        continue;
      }
      error ??= { spec: MESSAGES.invalidEscape, args: [escape] };
      value += escape;
      pos += 2;
      continue;
    }
    value += text[pos];
    pos++;
  }
  if (!closed) error = { spec: MESSAGES.unterminatedString, args: [] };
  return { end: pos, value, error };
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', '"': '"', n: '\n', r: '\r', t: '\t', '0': '\0' };

function readEscape(text: string, escape: string, at: number): { value: string; end: number } | undefined {
  if (escape in SIMPLE_ESCAPES) return { value: SIMPLE_ESCAPES[escape], end: at + 2 };
  if (escape === 'x') {
    const hex = text.slice(at + 2, at + 4);
    if (/^[0-9a-fA-F]{2}$/.test(hex)) return { value: String.fromCharCode(parseInt(hex, 16)), end: at + 4 };
  }
  if (escape === 'u') {
    const match = /^\{([0-9a-fA-F]{1,6})\}/.exec(text.slice(at + 2, at + 11));
    if (match) {
      const codePoint = parseInt(match[1], 16);
      if (codePoint <= 0x10ffff) return { value: String.fromCodePoint(codePoint), end: at + 2 + match[0].length };
    }
  }
  return undefined;
}

/** The decoded value of the string token `text[start, end)`. */
export function stringValue(text: string, start: number, end: number): string {
  for (let i = start + 1; i < end; i++) if (text.charCodeAt(i) === 92) return readString(text, start).value;
  // No escape: the text between the quotes (an unterminated string runs to the end of the line).
  const closed = end - start >= 2 && text.charCodeAt(end - 1) === 34;
  return text.slice(start + 1, closed ? end - 1 : end);
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
function growTokens(sink: TokenSink): void {
  const capacity = sink.tokenKind.length * 2;
  sink.tokenKind = grownArray(sink.tokenKind, capacity);
  sink.tokenStart = grownArray(sink.tokenStart, capacity);
  sink.tokenId = grownArray(sink.tokenId, capacity);
}

/** A small TokenSink: one line's tokens at a time, for `Scanner.next`. */
class LineTokens implements TokenSink {
  tokenKind = new Uint8Array(64);
  tokenStart = new Int32Array(64);
  tokenId = new Int32Array(64);
  tokenCount = 0;
}

export function grownArray<T extends Uint8Array | Int32Array>(array: T, capacity: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(capacity);
  bigger.set(array);
  return bigger;
}

export class Scanner {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  /** The tokens with an error, in the order scanned: their index in the sink, and the error. */
  readonly errorTokens: number[] = [];
  readonly errors: TokenError[] = [];
  /** Comments as numbers, four per comment: offset, end of its text, line, column. */
  private commentData: Int32Array;
  private commentCount = 0;
  private commentObjects: Comment[] | undefined;
  readonly spellings: Spellings;
  /** `next`'s line: its tokens, the next one to hand out, the line's number and start, and what ended it. */
  private buffered: LineTokens | undefined;
  private handed = 0;
  private bufferedLine = 1;
  private bufferedLineStart = 0;
  private bufferedEnd = T_NONE;
  private bufferedErrors = 0;

  constructor(private readonly text: string) {
    this.spellings = new Spellings(text);
    // Room for a comment per 128 characters (the bench's mix has one per 150, the examples one per 60-100 in short files).
    this.commentData = new Int32Array((text.length >> 5) + 64);
    if (text.length > 0 && text.charCodeAt(0) === 0xfeff) {
      this.pos = 1;
      this.lineStart = 1;
    }
  }

  /** Offset where the line `scanLine` reads next starts. */
  get currentLineStart(): number {
    return this.lineStart;
  }

  /** The comments read so far, as objects (made once, on first use). */
  get comments(): Comment[] {
    const data = this.commentNumbers;
    if (this.commentObjects?.length !== data.length / 4) {
      const comments: Comment[] = [];
      for (let i = 0; i < data.length; i += 4) {
        comments.push({ text: this.text.slice(data[i], data[i + 1]), offset: data[i], range: { line: data[i + 2], column: data[i + 3], length: data[i + 1] - data[i] } });
      }
      this.commentObjects = comments;
    }
    return this.commentObjects;
  }

  /** Comments as numbers: offset, end of text, line, column (four per comment). */
  get commentNumbers(): Int32Array {
    return this.commentData.subarray(0, this.commentCount);
  }

  /**
   * Appends the tokens of the current line to `sink` (kind, start, spelling id or end), notes their
   * errors in `errorTokens`/`errors` and the line's comment, and moves to the next line. Returns
   * what ended the line: T_NEWLINE or T_EOF. Names, numbers, spaces and punctuation are read here,
   * in one loop over the characters; strings, other characters and names with a `-` or outside
   * ASCII go to the methods below.
   */
  scanLine(sink: TokenSink): number {
    const text = this.text;
    const length = text.length;
    const spellings = this.spellings;
    let kinds = sink.tokenKind;
    let starts = sink.tokenStart;
    let ids = sink.tokenId;
    let count = sink.tokenCount;
    let pos = this.pos;
    let ended = T_EOF;
    for (;;) {
      // Never read past the end: one out-of-range charCodeAt makes V8 compile every later read of that call site slower.
      const c = pos < length ? text.charCodeAt(pos) : -1;
      if (c === 32) {
        pos++;
        continue;
      }
      if (c === 10) {
        pos++;
        ended = T_NEWLINE;
        break;
      }
      if (c < 0) break;
      if (count === kinds.length) {
        sink.tokenCount = count;
        growTokens(sink);
        kinds = sink.tokenKind;
        starts = sink.tokenStart;
        ids = sink.tokenId;
      }
      const start = pos;
      let kind: number;
      let id: number;
      if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 0x4e00 && c <= 0x9fff)) {
        // A name: ASCII letters, digits, `_` and CJK ideographs here; a `-` or another character outside ASCII goes on in `identifier`.
        let hash = c;
        let key = c;
        let wide = c;
        pos++;
        let d = pos < length ? text.charCodeAt(pos) : -1;
        while ((d >= 97 && d <= 122) || (d >= 65 && d <= 90) || (d >= 48 && d <= 57) || d === 95 || (d >= 0x4e00 && d <= 0x9fff)) {
          hash = (Math.imul(hash, 31) + d) | 0;
          key = key * 128 + d;
          wide |= d;
          pos++;
          d = pos < length ? text.charCodeAt(pos) : -1;
        }
        kind = T_IDENT;
        if (d === 45 || d >= 128) {
          pos = this.identifier(pos, hash);
          id = spellings.id(start, pos, this.hash);
        } else if (wide < 128 && pos - start <= SHORT_KEY_LENGTH) id = spellings.shortId(start, pos, hash, key);
        else if (wide >= 128 && pos - start <= WIDE_KEY_LENGTH) id = spellings.shortId(start, pos, hash, wideKey(text, start, pos));
        else id = spellings.id(start, pos, hash);
      } else if (c >= 48 && c <= 57) {
        // A number: digits and letters here; `%`, `_`, `.` or `:` go on in `number`.
        let hash = c;
        let key = c;
        pos++;
        let d = pos < length ? text.charCodeAt(pos) : -1;
        while ((d >= 48 && d <= 57) || (d >= 97 && d <= 122) || (d >= 65 && d <= 90)) {
          hash = (Math.imul(hash, 31) + d) | 0;
          key = key * 128 + d;
          pos++;
          d = pos < length ? text.charCodeAt(pos) : -1;
        }
        kind = T_NUMBER;
        if (d === 37 || d === 95 || d === 46 || d === 58) {
          pos = this.number(pos, hash);
          id = spellings.id(start, pos, this.hash);
        } else if (pos - start <= SHORT_KEY_LENGTH) id = spellings.shortId(start, pos, hash, key);
        else id = spellings.id(start, pos, hash);
      } else if (c === 9 || c === 13 || c === 11 || c === 12 || c === 0xa0 || c === 0x3000) {
        pos++;
        continue;
      } else if (c === 35 /* # */) {
        let end = text.indexOf('\n', start);
        if (end < 0) end = length;
        const textEnd = text.charCodeAt(end - 1) === 13 ? end - 1 : end;
        this.comment(start, textEnd);
        pos = end;
        continue;
      } else {
        kind = this.punctuation(c, start);
        if (kind === T_NONE) {
          if (c === 34) {
            kind = T_STRING;
            pos = this.string(start, count);
          } else {
            kind = this.other(start, count);
            pos = this.pos;
          }
        } else {
          pos = this.pos;
        }
        id = kind === T_IDENT ? spellings.id(start, pos, this.hash) : pos;
      }
      kinds[count] = kind;
      starts[count] = start;
      ids[count] = id;
      count++;
    }
    sink.tokenCount = count;
    this.pos = pos;
    if (ended === T_NEWLINE) {
      this.line++;
      this.lineStart = pos;
    }
    return ended;
  }

  private comment(start: number, textEnd: number): void {
    let data = this.commentData;
    const at = this.commentCount;
    if (at + 4 > data.length) data = this.commentData = grownArray(data, data.length * 2);
    data[at] = start;
    data[at + 1] = textEnd;
    data[at + 2] = this.line;
    data[at + 3] = start - this.lineStart + 1;
    this.commentCount = at + 4;
  }

  /** The hash (`h = h * 31 + c` over the UTF-16 units) of the name or number the last call read. */
  private hash = 0;

  /** A one- to three-character punctuation token at `start` (its first character `c`): its kind, `pos` after it; T_NONE if `c` starts none. */
  private punctuation(c: number, start: number): number {
    const text = this.text;
    let kind = T_NONE;
    let end = start + 1;
    switch (c) {
      case 64:
        kind = T_AT;
        break;
      case 43:
        kind = T_PLUS;
        break;
      case 44:
        kind = T_COMMA;
        break;
      case 61:
        kind = T_EQUALS;
        break;
      case 58:
        kind = T_COLON;
        break;
      case 45 /* - */:
        if (start + 1 < text.length && text.charCodeAt(start + 1) === 62) {
          kind = T_ARROW;
          end = start + 2;
        } else kind = T_MINUS;
        break;
      case 60 /* < */:
        if (start + 2 < text.length && text.charCodeAt(start + 1) === 45 && text.charCodeAt(start + 2) === 62) {
          kind = T_LINK;
          end = start + 3;
        }
        break;
    }
    this.pos = end;
    return kind;
  }

  /** What else can start at `start`: a name outside ASCII, a full-width or invalid character (token `token` of the sink); `pos` after it. */
  private other(start: number, token: number): number {
    const text = this.text;
    const c = text.charCodeAt(start);
    if (c >= 128) {
      const codePoint = text.codePointAt(start) ?? c;
      const char = String.fromCodePoint(codePoint);
      if (ID_START.test(char)) {
        this.pos = this.identifier(start, 0);
        return T_IDENT;
      }
      this.pos = start + char.length;
      const ascii = FULL_WIDTH[char];
      if (ascii !== undefined) return this.invalid(token, { spec: MESSAGES.fullWidthCharacter, args: [char, ascii], replacement: ascii });
      return this.invalid(token, { spec: MESSAGES.invalidCharacter, args: [char] });
    }
    this.pos = start + 1;
    return this.invalid(token, { spec: MESSAGES.invalidCharacter, args: [c < 32 || c === 127 ? `\\x${c.toString(16).padStart(2, '0')}` : text[start]] });
  }

  /** Notes the error of token `token` and returns T_INVALID. */
  private invalid(token: number, error: TokenError): number {
    this.noteError(token, error);
    return T_INVALID;
  }

  private noteError(token: number, error: TokenError): void {
    this.errorTokens.push(token);
    this.errors.push(error);
  }

  /**
   * The rest of a name from `pos` (the hash of what comes before is `hash`): letters, digits and
   * `_`; a `-` joins two parts (TIME-WAIT, rto-min) but `->` ends the name. Returns where it ends; its hash goes to `hash`.
   */
  private identifier(pos: number, hash: number): number {
    const text = this.text;
    const length = text.length;
    while (pos < length) {
      const c = text.charCodeAt(pos);
      if (isAsciiIdContinue(c)) {
        hash = (Math.imul(hash, 31) + c) | 0;
        pos++;
      } else if (c === 45 /* - */) {
        const after = pos + 1 < length ? text.charCodeAt(pos + 1) : -1;
        if (isAsciiIdContinue(after) || (after >= 128 && ID_CONTINUE.test(String.fromCodePoint(text.codePointAt(pos + 1) ?? 0)))) {
          hash = (Math.imul(hash, 31) + c) | 0;
          pos++;
        } else break;
      } else if (c >= 128) {
        if (isCjkIdeograph(c)) {
          hash = (Math.imul(hash, 31) + c) | 0;
          pos++;
          continue;
        }
        const codePoint = text.codePointAt(pos) ?? 0;
        const char = String.fromCodePoint(codePoint);
        if (!ID_CONTINUE.test(char) && codePoint !== 0x200c && codePoint !== 0x200d) break;
        hash = (Math.imul(hash, 31) + c) | 0;
        if (char.length === 2) hash = (Math.imul(hash, 31) + text.charCodeAt(pos + 1)) | 0;
        pos += char.length;
      } else {
        break;
      }
    }
    this.hash = hash;
    return pos;
  }

  /**
   * The rest of a number from `pos` (the hash of what comes before is `hash`): a digit and
   * everything that sticks to it, letters, `%`, `_`, and `.`/`:` followed by a digit. Returns where
   * it ends; its hash goes to `hash`.
   */
  private number(pos: number, hash: number): number {
    const text = this.text;
    const length = text.length;
    while (pos < length) {
      const c = text.charCodeAt(pos);
      if (isAsciiIdContinue(c) || c === 37 /* % */) {
        hash = (Math.imul(hash, 31) + c) | 0;
        pos++;
      } else if ((c === 46 || c === 58) && pos + 1 < length && isDigit(text.charCodeAt(pos + 1))) {
        hash = (Math.imul((Math.imul(hash, 31) + c) | 0, 31) + text.charCodeAt(pos + 1)) | 0;
        pos += 2;
      } else break;
    }
    this.hash = hash;
    return pos;
  }

  /** A string token at `start` (token `token` of the sink); where it ends. */
  private string(start: number, token: number): number {
    const text = this.text;
    const length = text.length;
    // Fast path: no escape, so the value is the text between the quotes.
    let end = start + 1;
    while (end < length) {
      const c = text.charCodeAt(end);
      if (c === 34 || c === 92 || c === 10 || (c === 13 && end + 1 < length && text.charCodeAt(end + 1) === 10)) break;
      end++;
    }
    const stop = end < length ? text.charCodeAt(end) : -1;
    if (stop !== 92) {
      if (stop !== 34) this.noteError(token, { spec: MESSAGES.unterminatedString, args: [] });
      return stop === 34 ? end + 1 : end;
    }
    const read = readString(text, start);
    if (read.error) this.noteError(token, read.error);
    return read.end;
  }

  /** The next token, as an object (the editor's services and tests; the parser reads lines with `scanLine`). */
  next(): Token {
    let buffer = this.buffered;
    // Past the token that ended the line: read the next line (at the end of the text, `eof` again).
    if (buffer === undefined || this.handed > buffer.tokenCount) {
      buffer ??= this.buffered = new LineTokens();
      buffer.tokenCount = 0;
      this.handed = 0;
      this.bufferedLine = this.line;
      this.bufferedLineStart = this.lineStart;
      this.bufferedErrors = this.errors.length;
      this.bufferedEnd = this.scanLine(buffer);
    }
    const index = this.handed++;
    const line = this.bufferedLine;
    const lineStart = this.bufferedLineStart;
    if (index >= buffer.tokenCount) {
      // What ended the line: the newline after it, or the end of the text.
      const offset = this.bufferedEnd === T_NEWLINE ? this.pos - 1 : this.text.length;
      const kind = this.bufferedEnd === T_NEWLINE ? 'newline' : 'eof';
      return { kind, text: kind === 'newline' ? '\n' : '', offset, line, column: offset - lineStart + 1, length: kind === 'newline' ? 1 : 0, value: undefined, error: undefined };
    }
    const kind = buffer.tokenKind[index];
    const start = buffer.tokenStart[index];
    const end = tokenEnd(buffer, this.spellings, index);
    let text: string;
    if (kind === T_IDENT || kind === T_NUMBER) text = this.spellings.strings[buffer.tokenId[index]];
    else if (kind === T_STRING || kind === T_INVALID) text = this.text.slice(start, end);
    else text = TOKEN_KINDS[kind];
    let error: TokenError | undefined;
    for (let i = this.bufferedErrors; i < this.errors.length; i++) if (this.errorTokens[i] === index) error = this.errors[i];
    return {
      kind: TOKEN_KINDS[kind],
      text,
      offset: start,
      line,
      column: start - lineStart + 1,
      length: end - start,
      value: kind === T_STRING ? stringValue(this.text, start, end) : undefined,
      error,
    };
  }
}

/** All tokens of a text, ending with `eof` (for tests and tools). */
export function scan(text: string): { tokens: Token[]; comments: Comment[] } {
  const scanner = new Scanner(text);
  const tokens: Token[] = [];
  for (;;) {
    const token = scanner.next();
    tokens.push(token);
    if (token.kind === 'eof') break;
  }
  return { tokens, comments: scanner.comments };
}
