import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TraceEvent } from '../../src/engine/trace';
import { parse } from '../../src/language';
import { expectLines, outcomes } from '../../src/vscode/testingModel';

const SCENARIO = [
  'scenario "Teardown"',
  'endpoint client 10.0.0.1:49152 isn=100',
  'endpoint server 10.0.0.2:80 isn=300',
  '@0      server listen',
  '@0      client connect server',
  '+50ms   expect client is ESTABLISHED   # handshake done',
  '+0      client close',
  '@1s     expect client -> server FIN,ACK',
  '        expect server received 0',
].join('\n');

const expect = (line: number, ok: boolean, extra: Partial<TraceEvent> = {}): TraceEvent =>
  ({ t: 0, kind: 'expect', line, ok, message: ok ? 'ok' : `line ${line} failed`, ...extra }) as TraceEvent;

describe('testing model', () => {
  test('each expect statement is a test, labelled without its time and comment', () => {
    const lines = expectLines(parse(SCENARIO).ast, SCENARIO);
    assert.deepEqual(lines, [
      { line: 6, label: 'expect client is ESTABLISHED' },
      { line: 8, label: 'expect client -> server FIN,ACK' },
      { line: 9, label: 'expect server received 0' },
    ]);
  });

  test('a file without expect lines has no tests', () => {
    const text = 'endpoint a\nendpoint b\n@0 b listen\n@0 a connect b # expect nothing\n';
    assert.deepEqual(expectLines(parse(text).ast, text), []);
  });

  test('outcomes: passed, failed with expected/actual, and not reached', () => {
    const lines = expectLines(parse(SCENARIO).ast, SCENARIO);
    const trace: TraceEvent[] = [
      { t: 0, kind: 'app', endpoint: 'server', call: 'listen', line: 4 },
      expect(6, true),
      expect(8, false, { expected: 'FIN,ACK', actual: 'nothing sent' }),
    ];
    const result = outcomes(lines, trace);
    assert.deepEqual(result.get(6), { status: 'passed' });
    assert.deepEqual(result.get(8), {
      status: 'failed',
      failures: [{ message: 'line 8 failed', expected: 'FIN,ACK', actual: 'nothing sent' }],
    });
    assert.deepEqual(result.get(9), { status: 'not-reached' });
  });

  test('a line checked twice fails if either check fails', () => {
    const lines = [{ line: 3, label: 'expect a is CLOSED' }];
    assert.equal(outcomes(lines, [expect(3, true), expect(3, false)]).get(3)?.status, 'failed');
    assert.equal(outcomes(lines, [expect(3, true), expect(3, true)]).get(3)?.status, 'passed');
  });
});

describe('testing model: a wait that never finished', () => {
  test('the expect lines after it are not reached, and say which wait stopped the run', () => {
    const text = ['endpoint a', 'endpoint b', '@0 b listen', '@0 a connect b', 'wait until b is CLOSE-WAIT', '+0 expect b is CLOSE-WAIT'].join('\n');
    const lines = expectLines(parse(text).ast, text);
    const trace: TraceEvent[] = [{ t: 30, kind: 'expect', line: 5, ok: false, message: 'wait until b is CLOSE-WAIT never finished: nothing is left to happen' }];
    assert.deepEqual(outcomes(lines, trace).get(6), { status: 'not-reached', wait: { line: 5, message: 'wait until b is CLOSE-WAIT never finished: nothing is left to happen' } });
  });
});
