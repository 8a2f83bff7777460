// `expect next A -> B FLAGS ... [within D | within -D +D | anytime]` in the language: what it parses
// to, what the checker says of it, what it compiles to, and its place in the timeline (a wait).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from '../../src/language/index';

const HEAD = 'endpoint server 10.0.0.2:80\nendpoint client 10.0.0.1:40000 raw\n@0 server listen\n';

function errors(line: string): string[] {
  return compile(HEAD + line).diagnostics.map((d) => `${d.range.line}:${d.range.column} ${d.code}`);
}

describe('expect next', () => {
  test('compiles to the segment it checks and its window', () => {
    const { program, diagnostics } = compile(
      HEAD +
        [
          '+0 expect next server -> client SYN,ACK seq=0 ack=1 len=0 wnd=29200 mss=1460 sackok wscale=7 within 4ms',
          '+1ms expect next server -> client PSH,ACK seq=1 len=3000 nooptions joined within -4ms +104ms',
          '+0 expect next server -> client none seq=1 anytime',
          '+0 expect next server -> client ACK',
        ].join('\n'),
    );
    assert.deepEqual(diagnostics.map((d) => d.message), []);
    const actions = program!.statements.slice(1).map((s) => s.action);
    assert.deepEqual(actions[0], {
      kind: 'expect-next',
      pattern: { from: 'server', to: 'client', flags: ['SYN', 'ACK'], seq: 0, ack: 1, len: 0, wnd: 29200, options: { mss: 1460, sackPermitted: true, wscale: 7 } },
      early: 4000,
      late: 4000,
    });
    assert.deepEqual(actions[1], { kind: 'expect-next', pattern: { from: 'server', to: 'client', flags: ['ACK', 'PSH'], seq: 1, len: 3000, options: 'none', joined: true }, early: 4000, late: 104_000 });
    assert.deepEqual(actions[2], { kind: 'expect-next', pattern: { from: 'server', to: 'client', flags: [], seq: 1 }, early: Infinity, late: Infinity });
    assert.deepEqual(actions[3], { kind: 'expect-next', pattern: { from: 'server', to: 'client', flags: ['ACK'] }, early: 0, late: 0 });
  });

  test('it holds the timeline: the statement after it runs after it, +D from when it finished', () => {
    const { program } = compile(HEAD + '+0 expect next server -> client SYN,ACK anytime\n+10ms server close\n@5s server close');
    const [, , close, later] = program!.statements;
    assert.equal(close.after, 10_000);
    assert.equal(later.after, undefined, '@T keeps its absolute time');
  });

  test('mistakes: no flags, data, nooptions with options, a value on a bare word, a field it does not know, a bad window', () => {
    assert.deepEqual(errors('+0 expect next server -> client seq=1'), ['4:16 next-needs-flags']);
    assert.deepEqual(errors('+0 expect next server -> client data'), ['4:33 next-exact-flags']);
    assert.deepEqual(errors('+0 expect next server -> client ACK mss=1000 nooptions'), ['4:46 nooptions-with-options']);
    assert.deepEqual(errors('+0 expect next server -> client ACK joined=yes'), ['4:37 invalid-value']);
    assert.ok(errors('+0 expect next server -> client ACK count=1').some((e) => e.startsWith('4:37 ')));
    assert.deepEqual(errors('+0 expect next server -> client ACK within'), ['4:43 expected']);
    assert.deepEqual(errors('+0 expect next server -> client ACK within -4ms 100ms'), ['4:49 expected']);
  });

  test('an endpoint named next is still an endpoint: `expect next -> B` is a segment pattern', () => {
    const { program, diagnostics } = compile('endpoint next 10.0.0.3:1\nendpoint b 10.0.0.4:2\n@0 b listen\n@0 next connect b\n@0 expect next -> b SYN');
    assert.deepEqual(diagnostics.map((d) => d.message), []);
    assert.equal(program!.statements[2].action.kind, 'expect-segment');
  });
});
