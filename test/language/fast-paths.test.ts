// The hand-written fast paths of the parser give exactly what the simple code they replace
// gave: case-insensitive word tests without toLowerCase, integers without a regex.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Scanner } from '../../src/language/scanner';
import { parseInteger } from '../../src/language/values';
import { isWord } from '../../src/language/vocabulary';

const WORDS = ['by', 'is', 'with', 'once', 'twice', 'times', 'always', 'bytes', 'received', 'seq', 'ack', 'len', 'wnd', 'data', 'link'];

describe('parser fast paths', () => {
  test('isWord(text, word) is text.toLowerCase() === word, for every UTF-16 code unit in any place', () => {
    for (const word of WORDS) {
      const texts = [word, word.toUpperCase(), word[0].toUpperCase() + word.slice(1), `${word}s`, word.slice(1), '', 'İ' + word.slice(1)];
      for (let unit = 0; unit <= 0xffff; unit++) {
        const char = String.fromCharCode(unit);
        texts.push(char + word.slice(1), word.slice(0, -1) + char);
      }
      for (const text of texts) assert.equal(isWord(text, word), text.toLowerCase() === word, `${JSON.stringify(text)} vs ${word}`);
    }
  });

  test('parseInteger reads what /^[0-9]+$/ and /^0[xX][0-9a-fA-F]+$/ read, and nothing else', () => {
    const reference = (text: string): number | undefined => {
      if (/^[0-9]+$/.test(text)) return Number(text);
      if (/^0[xX][0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16);
      return undefined;
    };
    const texts = ['', '0', '007', '123', '0x', '0X1f', '0xg', '0x1F', '1x1', 'x1', '0x-1', '12a', '9'.repeat(30), `0x${'f'.repeat(20)}`, '0x1:', ' 1', '1 '];
    for (let unit = 0; unit < 0x3000; unit++) {
      const char = String.fromCharCode(unit);
      texts.push(char, `1${char}`, `0x${char}`, `0x1${char}`, `${char}x1`, `0${char}1`);
    }
    for (const text of texts) assert.equal(parseInteger(text), reference(text), JSON.stringify(text));
  });

  test('spellings: one id per distinct name or number, whichever path of the scanner read it first (short ASCII keys, hashes)', () => {
    // Names and numbers of 1 to 9 characters (the exact short keys stop at 7), with `-`, `->`, `.`, `%`, CJK and other letters.
    const piece = fc.constantFrom('a', 'b', 'ab', 'ba', 'client', 'clients', 'clientx', 'client-a', 'a-b', '服務器', 'é', 'z9', 'Z', '_', '1', '10', '01', '1ms', '1.5s', '5%', '10.0.0.1:80', '1234567', '12345678', '0x1F');
    const glue = fc.constantFrom(' ', '->', '-', ',', '=', '\n', ':', '');
    const text = fc.array(fc.tuple(piece, glue).map(([p, g]) => p + g), { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (source) => {
        const scanner = new Scanner(source);
        const idOf = new Map<string, number>();
        for (let token = scanner.next(); token.kind !== 'eof'; token = scanner.next()) {
          if (token.kind !== 'ident' && token.kind !== 'number') continue;
          assert.equal(token.text, source.slice(token.offset, token.offset + token.length));
          const id = scanner.spellings.strings.indexOf(token.text);
          assert.equal(idOf.get(token.text) ?? id, id);
          idOf.set(token.text, id);
        }
        assert.equal(new Set(scanner.spellings.strings).size, scanner.spellings.strings.length, 'a spelling with two ids');
      }),
      { numRuns: 2000 },
    );
  });
});
