import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runProgram } from '../../src/engine';
import type { TraceEvent } from '../../src/engine/trace';
import { compile, formatTemplate } from '../../src/language';
import { formatEvent, formatReport, REPORT_PHRASES } from '../../src/vscode/report';
import { DESIGN_EXAMPLE } from './cursor';

const english = (template: string, args: readonly string[] = []) => formatTemplate(template, args);

/** [event, text the line must contain]. */
const EVENTS: [TraceEvent, string][] = [
  [{ t: 10, kind: 'send', id: 's1', from: 'client', to: 'server', flags: ['SYN'], seq: 100, ack: 0, len: 0, wnd: 65535, retransmission: false, line: 9 }, '10 ms  send       s1 client -> server SYN seq=100 len=0 wnd=65535  (line 9)'],
  [{ t: 1010, kind: 'send', id: 's4', from: 'client', to: 'server', flags: ['SYN'], seq: 100, ack: 0, len: 0, wnd: 65535, retransmission: true }, '[retransmission]'],
  [{ t: 20, kind: 'drop', id: 's2', reason: 'drop client -> server ACK once' }, 's2 dropped (drop client -> server ACK once)'],
  [{ t: 20, kind: 'transition', endpoint: 'client', from: 'SYN-SENT', to: 'ESTABLISHED', cause: 's2' }, 'client SYN-SENT -> ESTABLISHED (s2)'],
  [{ t: 30, kind: 'timer', endpoint: 'client', name: 'time-wait', action: 'start', expires: 240030 }, 'client timer time-wait start (expires 4 min 0.03 s)'],
  [{ t: 40, kind: 'expect', ok: false, message: 'client is CLOSED, expected TIME-WAIT' }, 'expect FAILED: client is CLOSED, expected TIME-WAIT'],
];

describe('run report', () => {
  for (const [event, expected] of EVENTS) {
    test(`${event.kind}: ${expected}`, () => assert.ok(formatEvent(event).includes(expected), formatEvent(event)));
  }

  test('the DESIGN example runs: a line per event, the expectations summarized', () => {
    const { program } = compile(DESIGN_EXAMPLE);
    assert.ok(program);
    const simulation = runProgram(program);
    const lines = formatReport(program, simulation.trace, english);
    assert.equal(lines[0], 'Scenario Lost final ACK: why TIME-WAIT lasts 2*MSL (profile rfc)');
    const eventLine = /^ *-?\d[\d. a-z]*? {2}(send|inject|deliver|drop|duplicate|transition|timer|app|data|expect|note) /;
    assert.equal(lines.filter((line) => eventLine.test(line)).length, simulation.trace.length);
    const expectations = simulation.trace.filter((event) => event.kind === 'expect');
    const failed = expectations.filter((event) => event.kind === 'expect' && !event.ok).length;
    assert.ok(lines.includes(english(REPORT_PHRASES.expectations, [String(expectations.length - failed), String(failed)])));
  });

  test('a failed expectation is listed with its line', () => {
    const { program } = compile('endpoint a\nendpoint b\n@0 b listen\n@0 a connect b\n@1s expect a is TIME-WAIT');
    assert.ok(program);
    const lines = formatReport(program, runProgram(program).trace, english);
    assert.ok(lines.some((line) => line.startsWith('line 5: expectation failed:')), lines.join('\n'));
  });

  test('sequence numbers follow the setting, written as everywhere else', () => {
    const { program } = compile('endpoint a 10.0.0.1 isn=100\nendpoint b 10.0.0.2 isn=300\n@0 b listen\n@0 a connect b');
    assert.ok(program);
    const trace = runProgram(program).trace;
    const relative = formatReport(program, trace, english, undefined, 'relative');
    assert.ok(relative.some((line) => line.includes('b -> a SYN,ACK seq=0 ack=1 len=0')), relative.join('\n'));
    const absolute = formatReport(program, trace, english);
    assert.ok(absolute.some((line) => line.includes('b -> a SYN,ACK seq=300 ack=101 len=0')), absolute.join('\n'));
  });
});
