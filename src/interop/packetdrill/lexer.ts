// The packetdrill lexer: script text -> tokens with their positions, following google/packetdrill's
// gtests/net/packetdrill/lexer.l (flex: the longest match wins, the earlier rule on a tie). It never
// throws: a character the language has no use for becomes an 'invalid' token, an unterminated string,
// comment or code block a token with an error, and lexing goes on. Pure.
//
// Departures from lexer.l, all on input flex would reject or misread: '\r' is whitespace (a script
// saved with CRLF line ends reads the same), and a `//` comment may end the file without a newline.

export type PktTokenKind =
  | 'int' // [-]?[0-9]+
  | 'hex' // 0x[0-9a-fA-F]+
  | 'float' // [-]?[0-9]*[.][0-9]+
  | 'word' // [a-zA-Z0-9_]+ (keywords are words; the parser reads them in context)
  | 'string' // "..." (value: the text inside the quotes, escapes kept as written, as packetdrill does)
  | 'backquoted' // `...` (a shell command)
  | 'code' // %{ ... }% (python)
  | 'ipv4'
  | 'ipv6'
  | 'option' // --name (value: the name)
  | 'ellipsis' // ...
  | 'punct' // any other single character: < > . : ( ) , = [ ] { } + * ~ - | ! ...
  | 'eof';

export interface PktToken {
  kind: PktTokenKind;
  text: string;
  /** A string's or backquoted command's inside, a code block's trimmed code, an option's name. */
  value?: string;
  offset: number;
  /** 1-based line and column (UTF-16 code units, as VS Code counts). */
  line: number;
  column: number;
  /** Length in UTF-16 code units (may span lines: a code block, a C comment). */
  length: number;
  /** Set on a token the lexer could not finish (an unterminated string or code block). */
  error?: 'unterminated-string' | 'unterminated-backquote' | 'unterminated-code';
}

/** A comment, kept for the editor (colours) and for `import`, which carries them over. */
export interface PktComment {
  text: string;
  offset: number;
  line: number;
  column: number;
  length: number;
  /** An unterminated C comment runs to the end of the file. */
  unterminated?: boolean;
}

export interface LexResult {
  tokens: PktToken[];
  comments: PktComment[];
}

// The candidates flex tries at each position, in lexer.l's rule order (the earlier wins a tie).
const ELLIPSIS = /\.\.\./y;
const OPTION = /--[a-zA-Z0-9_]+/y;
const FLOAT = /-?[0-9]*\.[0-9]+/y;
const INTEGER = /-?[0-9]+/y;
const HEX = /0x[0-9a-fA-F]+/y;
const WORD = /[a-zA-Z0-9_]+/y;
// `sequence#` is the one keyword with a character a word cannot hold (GRE headers).
const SEQUENCE_KEYWORD = /sequence#/y;
const IPV4 = /[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+/y;
// lexer.l's IPv6 forms (built so that a sequence range like 1:1001 is not an address).
const SEG = '[0-9a-fA-F]{1,4}';
const V4 = '[0-9]+[.][0-9]+[.][0-9]+[.][0-9]+';
const IPV6_FORMS = [
  '::',
  `(?:${SEG}:){7}${SEG}`,
  `(?:${SEG}:){1,7}:`,
  `(?:${SEG}:){1,6}:${SEG}`,
  `(?:${SEG}:){1,5}(?::${SEG}){1,2}`,
  `(?:${SEG}:){1,4}(?::${SEG}){1,3}`,
  `(?:${SEG}:){1,3}(?::${SEG}){1,4}`,
  `(?:${SEG}:){1,2}(?::${SEG}){1,5}`,
  `${SEG}:(?:(?::${SEG}){1,6})`,
  `:(?::${SEG}){1,7}`,
  `::ffff:${V4}`,
  `::ffff:(?:0){1,4}:${V4}`,
  `(?:${SEG}:){1,4}:${V4}`,
];
// Each form alone (sticky), since JavaScript's alternation takes the first that matches, not the longest.
const IPV6 = IPV6_FORMS.map((form) => new RegExp(form, 'y'));

function matchAt(re: RegExp, text: string, at: number): number {
  re.lastIndex = at;
  return re.exec(text)?.[0].length ?? 0;
}

/** The longest of the candidate rules (flex) at `at`, the earlier rule on a tie; length 0 when none matches. */
function longestRule(text: string, at: number): [PktTokenKind, number] {
  const candidates: [PktTokenKind, number][] = [
    ['word', matchAt(SEQUENCE_KEYWORD, text, at)],
    ['ellipsis', matchAt(ELLIPSIS, text, at)],
    ['option', matchAt(OPTION, text, at)],
    ['float', matchAt(FLOAT, text, at)],
    ['int', matchAt(INTEGER, text, at)],
    ['hex', matchAt(HEX, text, at)],
    ['word', matchAt(WORD, text, at)],
    ['ipv4', matchAt(IPV4, text, at)],
    ['ipv6', Math.max(0, ...IPV6.map((re) => matchAt(re, text, at)))],
  ];
  let best: [PktTokenKind, number] = ['punct', 0];
  for (const candidate of candidates) if (candidate[1] > best[1]) best = candidate;
  return best;
}

/** Where the string or command opened at `open` closes (its quote's index), or text.length when it does not. */
function closingQuote(text: string, open: number): number {
  // \"(\\.|[^"])*\" : a string may hold escaped quotes and newlines.
  const quote = text[open];
  let k = open + 1;
  while (k < text.length && text[k] !== quote) k += text[k] === '\\' && k + 1 < text.length ? 2 : 1;
  return k;
}

/** Lexes a whole script. */
export function lex(text: string): LexResult {
  const tokens: PktToken[] = [];
  const comments: PktComment[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const n = text.length;

  /** Advances the line count over text[from, to). */
  const countLines = (from: number, to: number): void => {
    for (let k = from; k < to; k++) {
      if (text.charCodeAt(k) === 10) {
        line++;
        lineStart = k + 1;
      }
    }
  };
  const push = (kind: PktTokenKind, length: number, extra: Partial<PktToken> = {}): void => {
    tokens.push({ kind, text: text.slice(i, i + length), offset: i, line, column: i - lineStart + 1, length, ...extra });
    countLines(i, i + length);
    i += length;
  };

  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      if (c === '\n') {
        line++;
        lineStart = i + 1;
      }
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      let end = text.indexOf('\n', i);
      if (end < 0) end = n;
      comments.push({ text: text.slice(i, end).replace(/\r$/, ''), offset: i, line, column: i - lineStart + 1, length: end - i });
      i = end;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? n : close + 2;
      const comment: PktComment = { text: text.slice(i, end), offset: i, line, column: i - lineStart + 1, length: end - i };
      if (close < 0) comment.unterminated = true;
      comments.push(comment);
      countLines(i, end);
      i = end;
      continue;
    }
    if (c === '%' && text[i + 1] === '{') {
      const close = text.indexOf('}%', i + 2);
      const end = close < 0 ? n : close + 2;
      const inside = text.slice(i + 2, close < 0 ? n : close).replace(/^[ \t]+|[ \t]+$/g, '');
      push('code', end - i, close < 0 ? { value: inside, error: 'unterminated-code' } : { value: inside });
      continue;
    }
    if (c === '"' || c === '`') {
      const k = closingQuote(text, i);
      if (k >= n) {
        push(c === '"' ? 'string' : 'backquoted', n - i, { value: text.slice(i + 1), error: c === '"' ? 'unterminated-string' : 'unterminated-backquote' });
      } else {
        push(c === '"' ? 'string' : 'backquoted', k + 1 - i, { value: text.slice(i + 1, k) });
      }
      continue;
    }
    const best = longestRule(text, i);
    if (best[1] === 0) {
      // One character (a UTF-16 surrogate pair stays whole, so a column never splits a character).
      const code = text.codePointAt(i) ?? 0;
      push('punct', code > 0xffff ? 2 : 1);
      continue;
    }
    const [kind, length] = best;
    if (kind === 'option') push(kind, length, { value: text.slice(i + 2, i + length) });
    else push(kind, length);
  }
  tokens.push({ kind: 'eof', text: '', offset: n, line, column: n - lineStart + 1, length: 0 });
  return { tokens, comments };
}

/** The value of an 'int' or 'hex' token (exact below 2^53). */
export function integerValue(token: PktToken): number {
  return token.kind === 'hex' ? parseInt(token.text.slice(2), 16) : Number(token.text);
}
