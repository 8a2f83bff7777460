// The scanner: text -> tokens. It never throws; a bad character or an unterminated
// string becomes a token carrying its own error, and scanning goes on.
// Columns are 1-based and counted in UTF-16 code units (what VS Code counts).

import { MESSAGES, type MessageSpec } from './messages';

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

/** Slots of the string-sharing cache (a power of two) and the longest text it shares. */
const INTERN_SLOTS = 4096;
const INTERN_MAX_LENGTH = 64;

/** A blank token object, to be filled by `Scanner.nextInto`. */
export function newToken(): Token {
  return { kind: 'eof', text: '', offset: 0, line: 1, column: 1, length: 0, value: undefined, error: undefined };
}

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

export class Scanner {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  readonly comments: Comment[] = [];

  constructor(private readonly text: string) {
    if (text.length > 0 && text.charCodeAt(0) === 0xfeff) {
      this.pos = 1;
      this.lineStart = 1;
    }
  }

  /** The next token, as a new object. */
  next(): Token {
    return this.nextInto(newToken());
  }

  /** The next token, written into `token` (lets the parser reuse token objects line after line). */
  nextInto(token: Token): Token {
    this.out = token;
    const text = this.text;
    const length = text.length;
    let pos = this.pos;
    for (;;) {
      // Never read past the end: one out-of-range charCodeAt makes V8 compile every later read of that call site slower.
      const c = pos < length ? text.charCodeAt(pos) : -1;
      if (c > 35 && c < 0xa0) break; // the common case: a token starts here
      if (c === 32 || c === 9 || c === 13 || c === 0x3000 || c === 0xa0 || c === 11 || c === 12) {
        pos++;
      } else if (c === 35 /* # */) {
        const start = pos;
        let end = text.indexOf('\n', start);
        if (end < 0) end = text.length;
        let textEnd = end;
        if (text.charCodeAt(textEnd - 1) === 13) textEnd--;
        this.comments.push({
          text: this.intern(start, textEnd),
          offset: start,
          range: { line: this.line, column: start - this.lineStart + 1, length: textEnd - start },
        });
        pos = end;
      } else {
        break;
      }
    }
    this.pos = pos;
    const start = pos;
    if (start >= length) return this.token('eof', start, start, '');
    const c = text.charCodeAt(start);
    if (c === 10) {
      const token = this.token('newline', start, start + 1, '\n');
      this.pos = start + 1;
      this.line++;
      this.lineStart = this.pos;
      return token;
    }
    if (isAsciiIdStart(c)) return this.identifier(start);
    if (isDigit(c)) return this.number(start);
    switch (c) {
      case 34 /* " */:
        return this.string(start);
      case 64:
        return this.simple('@', start, 1);
      case 43:
        return this.simple('+', start, 1);
      case 44:
        return this.simple(',', start, 1);
      case 61:
        return this.simple('=', start, 1);
      case 58:
        return this.simple(':', start, 1);
      case 45 /* - */:
        return start + 1 < length && text.charCodeAt(start + 1) === 62 ? this.simple('->', start, 2) : this.simple('-', start, 1);
      case 60 /* < */:
        if (start + 2 < length && text.charCodeAt(start + 1) === 45 && text.charCodeAt(start + 2) === 62) return this.simple('<->', start, 3);
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

  private out: Token = newToken();

  /**
   * Names, numbers and comments repeat on every line; sharing one string per spelling keeps
   * the tree small (fewer strings that live as long as the tree: much less garbage-collector
   * work). A direct-mapped cache keyed by a hash of the characters finds the shared string
   * without first slicing a new one.
   */
  private readonly interned: (string | undefined)[] = new Array<string | undefined>(INTERN_SLOTS).fill(undefined);
  /** Where in the text each shared string was read: comparing two places of one text is fast. */
  private readonly internedAt = new Int32Array(INTERN_SLOTS);

  /** `text.slice(start, end)`, shared with earlier equal slices when short. */
  private intern(start: number, end: number): string {
    const length = end - start;
    if (length === 0) return '';
    if (length > INTERN_MAX_LENGTH) return this.text.slice(start, end);
    const text = this.text;
    // A cheap hash of the length and the first, middle and last characters (the comparison below checks them all).
    const hash = length * 0x3b + text.charCodeAt(start) * 0x2f1 + text.charCodeAt(start + (length >> 1)) * 0x95 + text.charCodeAt(end - 1) * 0x17;
    // Two ways per set: two spellings that fall on one slot do not keep pushing each other out.
    const slot = (hash ^ (hash >>> 10)) & (INTERN_SLOTS - 2);
    const interned = this.interned;
    if (this.sameText(slot, start, length)) return interned[slot]!;
    if (this.sameText(slot + 1, start, length)) return interned[slot + 1]!;
    const fresh = text.slice(start, end);
    interned[slot + 1] = interned[slot];
    this.internedAt[slot + 1] = this.internedAt[slot];
    interned[slot] = fresh;
    this.internedAt[slot] = start;
    return fresh;
  }

  /** Whether the shared string in `slot` has the text's `length` characters from `start`. */
  private sameText(slot: number, start: number, length: number): boolean {
    const shared = this.interned[slot];
    if (shared === undefined || shared.length !== length) return false;
    const text = this.text;
    const at = this.internedAt[slot];
    let i = 0;
    while (i < length && text.charCodeAt(at + i) === text.charCodeAt(start + i)) i++;
    return i === length;
  }

  /** Fills the output token; `text` is given for punctuation (no slice), else read from the source. */
  private token(kind: TokenKind, start: number, end: number, text?: string): Token {
    const token = this.out;
    token.kind = kind;
    token.text = text ?? (kind === 'ident' || kind === 'number' ? this.intern(start, end) : this.text.slice(start, end));
    token.offset = start;
    token.line = this.line;
    token.column = start - this.lineStart + 1;
    token.length = end - start;
    token.value = undefined;
    token.error = undefined;
    return token;
  }

  private simple(kind: TokenKind, start: number, length: number): Token {
    this.pos = start + length;
    return this.token(kind, start, start + length, kind);
  }

  private invalid(start: number, length: number, error: TokenError): Token {
    this.pos = start + length;
    const token = this.token('invalid', start, start + length);
    token.error = error;
    return token;
  }

  /** Letters, digits and `_`; a `-` joins two parts (TIME-WAIT, rto-min) but `->` ends the name. */
  private identifier(start: number): Token {
    const text = this.text;
    const length = text.length;
    let pos = start;
    while (pos < length) {
      const c = text.charCodeAt(pos);
      if (isAsciiIdContinue(c)) {
        pos++;
      } else if (c === 45 /* - */) {
        const after = pos + 1 < length ? text.charCodeAt(pos + 1) : -1;
        if (isAsciiIdContinue(after)) pos++;
        else if (after >= 128 && ID_CONTINUE.test(String.fromCodePoint(text.codePointAt(pos + 1) ?? 0))) pos++;
        else break;
      } else if (c >= 128) {
        if (isCjkIdeograph(c)) {
          pos++;
          continue;
        }
        const codePoint = text.codePointAt(pos) ?? 0;
        const char = String.fromCodePoint(codePoint);
        if (!ID_CONTINUE.test(char) && codePoint !== 0x200c && codePoint !== 0x200d) break;
        pos += char.length;
      } else {
        break;
      }
    }
    this.pos = pos;
    return this.token('ident', start, pos);
  }

  /** A digit and everything that sticks to it: letters, `%`, `_`, and `.`/`:` followed by a digit. */
  private number(start: number): Token {
    const text = this.text;
    const length = text.length;
    let pos = start + 1;
    while (pos < length) {
      const c = text.charCodeAt(pos);
      if (isAsciiIdContinue(c) || c === 37 /* % */) pos++;
      else if ((c === 46 || c === 58) && pos + 1 < length && isDigit(text.charCodeAt(pos + 1))) pos += 2;
      else break;
    }
    this.pos = pos;
    return this.token('number', start, pos);
  }

  private string(start: number): Token {
    const text = this.text;
    const length = text.length;
    // Fast path: no escape, so the value is the text between the quotes (one shared string, no concatenation).
    let end = start + 1;
    while (end < length) {
      const c = text.charCodeAt(end);
      if (c === 34 || c === 92 || c === 10 || (c === 13 && end + 1 < length && text.charCodeAt(end + 1) === 10)) break;
      end++;
    }
    const stop = end < length ? text.charCodeAt(end) : -1;
    if (stop !== 92) {
      const closed = stop === 34;
      this.pos = closed ? end + 1 : end;
      const token = this.token('string', start, this.pos, this.intern(start, this.pos));
      token.value = this.intern(start + 1, end);
      if (!closed) token.error = { spec: MESSAGES.unterminatedString, args: [] };
      return token;
    }
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
        const decoded = this.escape(escape, pos);
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
    this.pos = pos;
    const token = this.token('string', start, pos);
    token.value = value;
    if (!closed) token.error = { spec: MESSAGES.unterminatedString, args: [] };
    else if (error) token.error = error;
    return token;
  }

  private escape(escape: string, at: number): { value: string; end: number } | undefined {
    const simple: Record<string, string> = { '\\': '\\', '"': '"', n: '\n', r: '\r', t: '\t', '0': '\0' };
    if (escape in simple) return { value: simple[escape], end: at + 2 };
    if (escape === 'x') {
      const hex = this.text.slice(at + 2, at + 4);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) return { value: String.fromCharCode(parseInt(hex, 16)), end: at + 4 };
    }
    if (escape === 'u') {
      const match = /^\{([0-9a-fA-F]{1,6})\}/.exec(this.text.slice(at + 2, at + 11));
      if (match) {
        const codePoint = parseInt(match[1], 16);
        if (codePoint <= 0x10ffff) return { value: String.fromCodePoint(codePoint), end: at + 2 + match[0].length };
      }
    }
    return undefined;
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
