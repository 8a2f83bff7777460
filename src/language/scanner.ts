// The scanner: text -> tokens (tokens.ts says what a token is). It never throws; a bad
// character or an unterminated string becomes a token carrying its own error, and scanning goes on.
// Columns are 1-based and counted in UTF-16 code units (what VS Code counts).
// `Scanner.scanLine` reads a line's tokens into typed arrays (kind code, start, and the
// spelling's id or the end): the parser reads those numbers and makes no object per token. `next` and
// `scan()` give Token objects, for the editor's services and tests.

import { MESSAGES } from './messages';
import { SHORT_KEY_LENGTH, Spellings, WIDE_KEY_LENGTH, wideKey } from './spellings';
import { readString, stringValue } from './strings';
import {
  grownArray,
  growTokens,
  T_ARROW,
  T_AT,
  T_COLON,
  T_COMMA,
  T_EOF,
  T_EQUALS,
  T_IDENT,
  T_INVALID,
  T_LINK,
  T_MINUS,
  T_NEWLINE,
  T_NONE,
  T_NUMBER,
  T_PLUS,
  T_STRING,
  TOKEN_KINDS,
  tokenEnd,
  type Comment,
  type Token,
  type TokenError,
  type TokenSink,
} from './tokens';

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

/** A small TokenSink: one line's tokens at a time, for `Scanner.next`. */
class LineTokens implements TokenSink {
  tokenKind = new Uint8Array(64);
  tokenStart = new Int32Array(64);
  tokenId = new Int32Array(64);
  tokenCount = 0;
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
   * ASCII go to the methods below. It stays one long function: with the name and the number loops
   * as methods, V8's inlining budget (about 920 bytes of bytecode into one function) took one of
   * them but not both, a call per token, and scanning alone was 2-3% slower (2026-12-02).
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
