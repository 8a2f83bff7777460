// The checker's quick pass (src/language/quickCheck.ts) only skips statements with nothing to
// report: checking the packed tree (quick pass, objects for the rest) reports exactly what
// checking every statement's object reports, on lines near every edge the quick pass decides.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { check, parse } from '../../src/language';
import { QuickCheck } from '../../src/language/quickCheck';
import type { ParsedScenario } from '../../src/language/view';
import { generateScenario } from '../../bench/parse';

const HEADER = [
  'endpoint client 10.0.0.1:49152',
  'endpoint server 10.0.0.2:80',
  'endpoint idle 10.0.0.3:80',
  'endpoint peer 10.0.0.9:4000 raw',
  'link client <-> server',
  '@0 server listen',
  '@0 client connect server',
].join('\n');

const TIMES = ['', '+1ms ', '@5s ', '@1s ', '+1.0000005s ', '@9999999h ', '+0 ', '@0x10ms '];
const NAMES = ['client', 'server', 'idle', 'peer', 'nobody', 'Client'];
const FLAGS = ['SYN', 'ACK', 'FIN,ACK', 'ack', 'none', 'none,ACK', 'data', 'DATA', 'SYN,SYN', 'SNY', 'syn,Ack'];
const FIELDS = ['', 'seq=1', 'ack=4294967295', 'ack=4294967296', 'len=65535', 'len=65536', 'wnd=65535', 'wnd=65536', 'wnd=1073741824', 'seq="x"', 'SEQ=1 seq=2', 'foo=1', 'mss=0', 'mss=1460', 'wscale=14', 'wscale=15', 'sackok', 'sackok=1', 'ts=1:2', 'sack=1:2,3:4', 'joined', 'nooptions', 'seq=0x10'];
const STATES = ['ESTABLISHED', 'CLOSED', 'closed', 'TIME_WAIT', 'SYN-RCVD', 'FOO'];

/** One statement, well formed or nearly: a value out of range, an unknown name, a raw or idle endpoint. */
const statement = fc.oneof(
  fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom('send 100', 'send 1000000001', 'send "x"', 'receive', 'receive 5', 'close', 'crash', 'shutdown', 'shutdown reed', 'set linger=0', 'connect server', 'connect client', 'connect nobody', 'close with server', 'close with idle', 'abort with nobody')).map(([a, b]) => `${a} ${b}`),
  fc.tuple(fc.constantFrom('drop', 'duplicate', 'delay', 'reorder', 'corrupt'), fc.constantFrom(...NAMES), fc.constantFrom(...NAMES), fc.constantFrom(...FLAGS), fc.constantFrom('', 'seq=1', 'wnd=1', 'len=70000'), fc.constantFrom('', 'once', '0 times', '2 times', 'by 50ms', 'by 2h')).map(([f, a, b, flags, field, tail]) => `${f} ${a} -> ${b} ${flags} ${field} ${tail}`),
  fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom(...NAMES), fc.constantFrom(...FLAGS), fc.constantFrom(...FIELDS), fc.constantFrom(...FIELDS)).map(([a, b, flags, f1, f2]) => `inject ${a} -> ${b} ${flags} ${f1} ${f2}`),
  fc.tuple(fc.constantFrom('', 'next '), fc.constantFrom(...NAMES), fc.constantFrom(...NAMES), fc.constantFrom(...FLAGS), fc.constantFrom(...FIELDS)).map(([next, a, b, flags, f]) => `expect ${next}${a} -> ${b} ${flags} ${f}`),
  fc.tuple(fc.constantFrom('expect', 'wait until'), fc.constantFrom(...NAMES), fc.constantFrom(...STATES), fc.constantFrom('', ' with server', ' with client', ' with idle', ' with nobody')).map(([w, a, s, p]) => `${w} ${a} is ${s}${p}`),
  fc.tuple(fc.constantFrom('expect', 'wait until'), fc.constantFrom(...NAMES), fc.constantFrom('0', '5', '1000000001', '0x0')).map(([w, a, n]) => `${w} ${a} received ${n}`),
  fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom('cwnd is 10', 'connect ok', 'send failed EPIPE', 'listen ok')).map(([a, rest]) => `expect ${a} ${rest}`),
  fc.constantFrom('link client <-> idle', 'link client <-> nobody', 'end +1s', 'end @2s'),
);
const body = fc.array(fc.tuple(fc.constantFrom(...TIMES), statement).map(([time, s]) => time + s), { minLength: 1, maxLength: 12 });

function objectsChecked(text: string): ReturnType<typeof check> {
  const { ast } = parse(text);
  void ast.statements; // made: the checker reads the objects
  return check(ast);
}

describe('the quick pass of the checker', () => {
  test('checking the packed tree reports what checking the objects reports', () => {
    fc.assert(
      fc.property(body, (lines) => {
        const text = `${HEADER}\n${lines.join('\n')}`;
        assert.deepStrictEqual(check(parse(text).ast), objectsChecked(text), text);
      }),
      { numRuns: 1500 },
    );
  });

  test('every statement of the bench scenario is proved clean without objects', () => {
    const { ast, diagnostics } = parse(generateScenario(2_000));
    assert.deepEqual(diagnostics, []);
    const tree = (ast as ParsedScenario).tree;
    const names = new Map([['client', 0], ['服務器', 1]]);
    const active = { endpoints: new Set(names.keys()), pairs: new Set(['client\u0000服務器', '服務器\u0000client']) };
    const calls = new Set<string>();
    const quick = new QuickCheck(tree, { declared: names, raw: new Set(), active, calls });
    let proved = 0;
    for (let i = 0; i < tree.statementCount; i++) if (quick.statement(tree.statements[i])) proved++;
    assert.equal(proved, tree.statementCount);
    assert.deepEqual([...calls].sort(), ['client\u0000connect', 'client\u0000send', '服務器\u0000listen', '服務器\u0000receive']);
    assert.deepEqual(check(ast), []);
    assert.equal((ast as ParsedScenario).made, false);
  });
});
