// The scanner: text -> tokens. It never throws; a bad character or an unterminated
// string becomes a token carrying its own error, and scanning goes on.
// Columns are 1-based and counted in UTF-16 code units (what VS Code counts).
// `Scanner.scan` reads one token into the scanner's own fields (kind code, start, end, the
// spelling's id): the parser copies those numbers and makes no object per token. `next` and
// `scan()` give Token objects, for the editor's services and tests.

import { MESSAGES, type MessageSpec } from './messages';
import { Spellings } from './spellings';

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

/** Token kinds as numbers (what `Scanner.scan` returns and the packed tree stores); 0 is "no token". */
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

function isAsciiIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isAsciiIdContinue(c: number): boolean {
  return isAsciiIdStart(c) || isDigit(c);
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

export class Scanner {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  /** The token `scan` read last: its kind (T_*), where it starts and ends, its spelling's id (names and numbers, else -1), its error. */
  kind = T_NONE;
  start = 0;
  end = 0;
  id = -1;
  error: TokenError | undefined = undefined;
  /** Comments as numbers, four per comment: offset, end of its text, line, column. */
  private readonly commentData: number[] = [];
  private commentObjects: Comment[] | undefined;
  readonly spellings: Spellings;

  constructor(private readonly text: string) {
    this.spellings = new Spellings(text);
    if (text.length > 0 && text.charCodeAt(0) === 0xfeff) {
      this.pos = 1;
      this.lineStart = 1;
    }
  }

  /** 1-based line of the last token. */
  get tokenLine(): number {
    return this.kind === T_NEWLINE ? this.line - 1 : this.line;
  }

  /** Offset where the current line starts (after a newline: the next line). */
  get currentLineStart(): number {
    return this.lineStart;
  }

  /** The comments read so far, as objects (made once, on first use). */
  get comments(): Comment[] {
    const data = this.commentData;
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
  get commentNumbers(): readonly number[] {
    return this.commentData;
  }

  /** The next token, as an object. */
  next(): Token {
    const kind = this.scan();
    const start = this.start;
    const end = this.end;
    const line = this.tokenLine;
    const lineStart = kind === T_NEWLINE ? this.newlineLineStart : this.lineStart;
    let text: string;
    if (kind === T_IDENT || kind === T_NUMBER) text = this.spellings.strings[this.id];
    else if (kind === T_NEWLINE) text = '\n';
    else if (kind === T_EOF) text = '';
    else if (kind === T_STRING || kind === T_INVALID) text = this.text.slice(start, end);
    else text = TOKEN_KINDS[kind];
    return {
      kind: TOKEN_KINDS[kind],
      text,
      offset: start,
      line,
      column: start - lineStart + 1,
      length: end - start,
      value: kind === T_STRING ? stringValue(this.text, start, end) : undefined,
      error: this.error,
    };
  }

  /** Where the line of the last newline token started. */
  private newlineLineStart = 0;

  /** Reads the next token into `kind`, `start`, `end`, `id` and `error`; returns its kind. */
  scan(): number {
    const text = this.text;
    const length = text.length;
    let pos = this.pos;
    this.error = undefined;
    this.id = -1;
    for (;;) {
      // Never read past the end: one out-of-range charCodeAt makes V8 compile every later read of that call site slower.
      const c = pos < length ? text.charCodeAt(pos) : -1;
      if (c > 35 && c < 0xa0) break; // the common case: a token starts here
      if (c === 32 || c === 9 || c === 13 || c === 0x3000 || c === 0xa0 || c === 11 || c === 12) {
        pos++;
      } else if (c === 35 /* # */) {
        const start = pos;
        let end = text.indexOf('\n', start);
        if (end < 0) end = length;
        let textEnd = end;
        if (text.charCodeAt(textEnd - 1) === 13) textEnd--;
        this.commentData.push(start, textEnd, this.line, start - this.lineStart + 1);
        pos = end;
      } else {
        break;
      }
    }
    const start = pos;
    this.start = start;
    if (start >= length) return this.token(T_EOF, start);
    const c = text.charCodeAt(start);
    if (c === 10) {
      this.newlineLineStart = this.lineStart;
      this.line++;
      this.lineStart = start + 1;
      return this.token(T_NEWLINE, start + 1);
    }
    if (isAsciiIdStart(c)) return this.identifier(start);
    if (isDigit(c)) return this.number(start);
    switch (c) {
      case 34 /* " */:
        return this.string(start);
      case 64:
        return this.token(T_AT, start + 1);
      case 43:
        return this.token(T_PLUS, start + 1);
      case 44:
        return this.token(T_COMMA, start + 1);
      case 61:
        return this.token(T_EQUALS, start + 1);
      case 58:
        return this.token(T_COLON, start + 1);
      case 45 /* - */:
        return start + 1 < length && text.charCodeAt(start + 1) === 62 ? this.token(T_ARROW, start + 2) : this.token(T_MINUS, start + 1);
      case 60 /* < */:
        if (start + 2 < length && text.charCodeAt(start + 1) === 45 && text.charCodeAt(start + 2) === 62) return this.token(T_LINK, start + 3);
        break;
    }
    if (c >= 128) {
      if (isCjkIdeograph(c)) return this.identifier(start);
      const codePoint = text.codePointAt(start) ?? c;
      const char = String.fromCodePoint(codePoint);
      if (ID_START.test(char)) return this.identifier(start);
      const ascii = FULL_WIDTH[char];
      if (ascii !== undefined) {
        return this.invalid(start, char.length, { spec: MESSAGES.fullWidthCharacter, args: [char, ascii], replacement: ascii });
      }
      return this.invalid(start, char.length, { spec: MESSAGES.invalidCharacter, args: [char] });
    }
    const char = text[start];
    return this.invalid(start, 1, { spec: MESSAGES.invalidCharacter, args: [c < 32 || c === 127 ? `\\x${c.toString(16).padStart(2, '0')}` : char] });
  }

  private token(kind: number, end: number): number {
    this.kind = kind;
    this.end = end;
    this.pos = end;
    return kind;
  }

  private invalid(start: number, length: number, error: TokenError): number {
    this.error = error;
    return this.token(T_INVALID, start + length);
  }

  /** Letters, digits and `_`; a `-` joins two parts (TIME-WAIT, rto-min) but `->` ends the name. */
  private identifier(start: number): number {
    const text = this.text;
    const length = text.length;
    let pos = start;
    let hash = 0;
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
    this.id = this.spellings.id(start, pos, hash);
    return this.token(T_IDENT, pos);
  }

  /** A digit and everything that sticks to it: letters, `%`, `_`, and `.`/`:` followed by a digit. */
  private number(start: number): number {
    const text = this.text;
    const length = text.length;
    let hash = text.charCodeAt(start);
    let pos = start + 1;
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
    this.id = this.spellings.id(start, pos, hash);
    return this.token(T_NUMBER, pos);
  }

  private string(start: number): number {
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
      if (stop !== 34) this.error = { spec: MESSAGES.unterminatedString, args: [] };
      return this.token(T_STRING, stop === 34 ? end + 1 : end);
    }
    const read = readString(text, start);
    this.error = read.error;
    return this.token(T_STRING, read.end);
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
