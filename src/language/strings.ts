// String tokens: where one ends and what it means, escapes and all. The scanner reads a string
// without an escape itself (its fast path) and comes here for the rest; the tree decodes a
// string's value here when asked.

import { MESSAGES } from './messages';
import type { TokenError } from './tokens';

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
