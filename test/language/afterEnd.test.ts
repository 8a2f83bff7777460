// What runs after `end` (src/language/afterEnd.ts) is read from the packed tree; it must say
// exactly what the objects' timeline (semantics.ts, which the compiler uses) says.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { check, parse } from '../../src/language';
import { lateStatements, type LateStatements } from '../../src/language/afterEnd';
import { timeline } from '../../src/language/semantics';
import type { ParsedScenario } from '../../src/language/view';

const HEADER = 'endpoint client 10.0.0.1:49152\nendpoint server 10.0.0.2:80\nlink client <-> server\n';
const TIMES = ['', '+1ms ', '+2s ', '@1s ', '@3s ', '@0 ', '+1.0000005s ', '@9999999h ', '+x '];
const STATEMENTS = [
  'client send 10',
  'server listen',
  'expect client is ESTABLISHED',
  'expect client -> server ACK',
  'expect next client -> server ACK',
  'wait until client is CLOSED',
  'drop client -> server SYN once',
  'inject client -> server ACK seq=1',
  'endpoint extra 10.0.0.3:80',
  'set msl=1s',
  'end @2s',
  'end +1s',
  'end @1.5s',
  'end',
];
const line = fc.tuple(fc.constantFrom(...TIMES), fc.constantFrom(...STATEMENTS)).map(([time, statement]) => time + statement);
const body = fc.array(line, { minLength: 1, maxLength: 12 }).map((lines) => HEADER + lines.join('\n'));

/** What the objects' timeline says runs after `end` (as the checker read it before afterEnd.ts). */
function fromObjects(text: string): LateStatements | undefined {
  const { ast } = parse(text);
  const { at, end } = timeline(ast);
  if (!end || end.afterWait) return undefined;
  const late: LateStatements['late'] = [];
  ast.statements.forEach((statement, i) => {
    const us = at[i];
    if (us !== undefined && us > end.us) late.push({ us, range: statement.range });
  });
  return { end: { us: end.us, line: end.statement.line }, late };
}

describe('statements after end', () => {
  test('the packed tree finds what the timeline of the objects finds', () => {
    fc.assert(
      fc.property(body, (text) => {
        assert.deepStrictEqual(lateStatements(parse(text).ast.tree), fromObjects(text), text);
      }),
      { numRuns: 1000 },
    );
  });

  test('checking a file with `end` makes no statement objects', () => {
    const packed = parse(`${HEADER}@0 server listen\nend @1s\n@2s client send 1`).ast as ParsedScenario;
    assert.deepEqual(
      check(packed).map((d) => `${d.range.line}:${d.code}:${d.message}`),
      ["6:runs-after-end:this statement runs at 2s, after 'end' at 1s (line 5), so it never runs"],
    );
    assert.equal(packed.made, false);
  });

  test('a statement after end is reported with both times and the end line; after a wait, end +D reports nothing', () => {
    const found = lateStatements(parse(`${HEADER}@0 server listen\nend @1s\n@2s client send 1\n+1ms client send 2`).ast.tree);
    assert.deepEqual(found, {
      end: { us: 1_000_000, line: 5 },
      late: [
        { us: 2_000_000, range: { line: 6, column: 1, length: 17 } },
        { us: 2_001_000, range: { line: 7, column: 1, length: 18 } },
      ],
    });
    assert.equal(lateStatements(parse(`${HEADER}wait until client is CLOSED\nend +1s\n@2s client send 1`).ast.tree), undefined);
    assert.equal(lateStatements(parse(`${HEADER}wait until client is CLOSED\nend @1s\n@2s client send 1`).ast.tree)?.late.length, 1);
  });
});
