// Property tests: whatever the text, the language never throws, every diagnostic points
// inside the text, and a program's statements never go back in time.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compile } from '../../src/language';

const WORDS = [
  'endpoint', 'link', 'set', 'profile', 'scenario', 'expect', 'drop', 'delay', 'inject', 'end', 'client', 'server', '客戶端',
  'listen', 'connect', 'send', 'receive', 'close', 'shutdown', 'abort', 'crash', 'is', 'with', 'received', 'by', 'once', 'times',
  'SYN', 'FIN,ACK', 'data', 'TIME-WAIT', 'TIME_WAIT', 'ESTABLISHED', 'seq=100', 'ack=', 'msl=30s', 'loss=5%', 'isn=7',
  '10.0.0.1:80', '@0', '@1s', '+50ms', '@-1s', '+5', '100', '"text"', '"open', '->', '<->', ',', '=', '#', '，', '\t', '\r', '$',
];

const line = fc.array(fc.constantFrom(...WORDS), { maxLength: 8 }).map((words) => words.join(' '));
const scenario = fc.array(fc.oneof(line, fc.string({ maxLength: 20 })), { maxLength: 12 }).map((lines) => lines.join('\n'));

describe('language properties', () => {
  test('never throws; diagnostics point inside the text; time never goes back', () => {
    fc.assert(
      fc.property(scenario, (text) => {
        const { program, diagnostics } = compile(text);
        const lines = text.split('\n');
        for (const d of diagnostics) {
          assert.ok(d.range.line >= 1 && d.range.line <= lines.length, `line ${d.range.line} of ${lines.length}`);
          assert.ok(d.range.column >= 1 && d.range.column <= lines[d.range.line - 1].length + 1, `column ${d.range.column}`);
          assert.ok(d.range.length >= 1);
          assert.ok(d.message.length > 0 && !d.message.includes('{0}'));
        }
        assert.equal(program === undefined, diagnostics.some((d) => d.severity === 'error'));
        if (program) {
          for (let i = 1; i < program.statements.length; i++) assert.ok(program.statements[i].at >= program.statements[i - 1].at);
        }
      }),
      { numRuns: 500, seed: 42 },
    );
  });
});
