import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TraceDocument } from '../../src/engine/trace';
import { renderLadder } from '../../src/cli/ladder';
import { RULES } from '../../src/engine/rules';
import { translatorFor } from '../../src/text/bundles';
import { displayWidth, painter } from '../../src/cli/terminal';

const plain = painter(false);

const doc: Pick<TraceDocument, 'endpoints' | 'events'> = {
  endpoints: [
    { name: '客戶端', address: '10.0.0.1', port: 50000, isn: 1000 },
    { name: 'server', address: '10.0.0.2', port: 80, isn: 5000 },
  ],
  events: [
    { t: 0, kind: 'transition', endpoint: '客戶端', from: 'CLOSED', to: 'SYN-SENT', cause: 'connect' },
    { t: 0, kind: 'send', id: 's1', from: '客戶端', to: 'server', flags: ['SYN'], seq: 1000, ack: 0, len: 0, wnd: 65535, retransmission: false },
    { t: 10, kind: 'deliver', id: 's1', to: 'server' },
    { t: 10, kind: 'send', id: 's2', from: 'server', to: '客戶端', flags: ['SYN', 'ACK'], seq: 5000, ack: 1001, len: 0, wnd: 65535, retransmission: false },
    { t: 10, kind: 'drop', id: 's2', reason: 'drop server -> 客戶端 SYN,ACK once' },
    { t: 1000, kind: 'timer', endpoint: 'server', name: 'retransmission', action: 'fire' },
    { t: 1000, kind: 'send', id: 's3', from: 'server', to: '客戶端', flags: ['SYN', 'ACK'], seq: 5000, ack: 1001, len: 0, wnd: 65535, retransmission: true },
    { t: 1010, kind: 'expect', ok: false, message: 'expected 客戶端 to be ESTABLISHED, but it is SYN-SENT', line: 9 },
  ],
};

/** Display columns at which `|` or an arrow end sits, per line. */
function lifelineColumns(line: string): number[] {
  const columns: number[] = [];
  let column = 0;
  for (const char of line) {
    if (char === '|' || char === '*') columns.push(column);
    column += displayWidth(char);
  }
  return columns;
}

describe('ladder', () => {
  const text = renderLadder(doc, { absolute: false, paint: plain });
  const lines = text.split('\n');

  test('relative numbers by default: seq and ack count from each side\'s ISN', () => {
    assert.ok(lines.some((l) => /\|-+ SYN seq=0 len=0 -+>\|?/.test(l)), text);
    assert.ok(lines.some((l) => l.includes('<') && l.includes('retx SYN,ACK seq=0 ack=1 len=0')), text);
  });

  test('absolute numbers on request', () => {
    const absolute = renderLadder(doc, { absolute: true, paint: plain });
    assert.ok(absolute.includes('SYN seq=1000 len=0'));
    assert.ok(absolute.includes('SYN,ACK seq=5000 ack=1001 len=0'));
  });

  test('a lost segment ends in an X with the reason', () => {
    const lost = lines.find((l) => l.includes('lost:'));
    assert.ok(lost, text);
    assert.match(lost, /X.*SYN,ACK seq=0 ack=1 len=0 -+\|.*lost: drop server -> 客戶端 SYN,ACK once/);
  });

  test('lifelines stay aligned under a wide (CJK) name', () => {
    const [header] = lines;
    assert.ok(header.includes('客戶端'));
    const expected = lifelineColumns(lines[2]);
    assert.equal(expected.length, 2);
    for (const line of lines.slice(2)) {
      const columns = lifelineColumns(line);
      if (columns.length === 2) assert.deepEqual(columns, expected, line);
    }
    // The name is centred on its lifeline, counting CJK characters as two columns.
    const nameStart = displayWidth(header.slice(0, header.indexOf('客戶端')));
    assert.ok(Math.abs(nameStart + 3 - expected[0]) <= 1, `${nameStart} vs ${expected[0]}`);
  });

  test('states, timers and failed expectations appear', () => {
    assert.ok(lines.some((l) => /\* SYN-SENT/.test(l)));
    assert.ok(lines.some((l) => l.includes('~ retransmission timer fires')));
    assert.ok(lines.some((l) => l.includes('FAILED line 9: expected 客戶端 to be ESTABLISHED')));
  });

  test('no colour codes when painting is off; colour codes when on', () => {
    assert.ok(!text.includes('\u001b['));
    assert.ok(renderLadder(doc, { absolute: false, paint: painter(true) }).includes('\u001b[31m'));
  });

  test('times are written as everywhere else (src/text/format.ts)', () => {
    assert.ok(lines.some((l) => l.trimStart().startsWith('10 ms ')), text);
    assert.ok(lines.some((l) => l.trimStart().startsWith('1.01 s ')), text);
  });

  test('a number just below the ISN is negative, as in the diagram and the debugger', () => {
    const old: typeof doc = {
      endpoints: doc.endpoints,
      events: [...doc.events.slice(0, 2), { t: 20, kind: 'inject', id: 's9', from: '客戶端', to: 'server', flags: ['ACK'], seq: 990, ack: 5001, len: 0, wnd: 100, retransmission: false, injected: true }],
    };
    assert.match(renderLadder(old, { absolute: false, paint: plain }), /inject ACK seq=-10 ack=5001 len=0/);
  });
});

describe('ladder --explain', () => {
  const explained: Pick<TraceDocument, 'endpoints' | 'events' | 'rules'> = {
    endpoints: doc.endpoints,
    events: [
      { t: 0, kind: 'app', endpoint: '客戶端', call: 'connect', line: 4 },
      { t: 0, kind: 'transition', endpoint: '客戶端', from: 'CLOSED', to: 'SYN-SENT', cause: 'connect', rule: 'rfc9293.3.10.1.open.active', line: 4 },
      { t: 0, kind: 'send', id: 's1', from: '客戶端', to: 'server', flags: ['SYN'], seq: 1000, ack: 0, len: 0, wnd: 65535, retransmission: false, rule: 'rfc9293.3.10.1.open.active' },
      { t: 10, kind: 'deliver', id: 's1', to: 'server', rule: 'rfc9293.3.10.7.2.other' },
    ],
  };
  const summary = RULES['rfc9293.3.10.1.open.active'].summary;

  test('each row ends with the rule that made its event, or its scenario line', () => {
    const lines = renderLadder(explained, { absolute: false, paint: plain, explain: true }).split('\n');
    assert.ok(lines.some((l) => /\* SYN-SENT .*\| +RFC 9293 3\.10\.1: /.test(l) && l.endsWith(summary)), lines.join('\n'));
    assert.ok(lines.some((l) => /SYN seq=0 len=0 -+>.* RFC 9293 3\.10\.1: /.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /connect\(\) .*\| +line 4$/.test(l)), lines.join('\n'));
    // A segment the receiver discarded without an answer shows, with its rule.
    assert.ok(lines.some((l) => /~ server discarded SYN seq=0 len=0 +RFC 9293 3\.10\.7\.2: /.test(l)), lines.join('\n'));
  });

  test('the explanations line up in one column right of the last lifeline', () => {
    const lines = renderLadder(explained, { absolute: false, paint: plain, explain: true }).split('\n');
    const starts = lines.map((l) => l.search(/RFC 9293|line 4$/)).filter((i) => i >= 0);
    assert.ok(starts.length >= 3);
    assert.ok(starts.every((i) => i >= starts[0] - 0), starts.join(','));
  });

  test('without --explain, no rules', () => {
    assert.doesNotMatch(renderLadder(explained, { absolute: false, paint: plain }), /RFC 9293|discarded/);
  });

  test('in Traditional Chinese: the summaries and the ladder\'s words', () => {
    const tr = translatorFor('zh-tw');
    const text = renderLadder(explained, { absolute: false, paint: plain, explain: true, tr });
    assert.ok(text.includes(`RFC 9293 3.10.1：${tr.t(summary)}`), text);
    assert.match(text, /第 4 行/);
    assert.notEqual(tr.t(summary), summary);
  });
});
