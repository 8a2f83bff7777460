import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from '../../src/language';
import type { Action } from '../../src/engine/program';
import { DESIGN_EXAMPLE } from '../fixtures/designExample';


function program(text: string) {
  const result = compile(text);
  assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  assert.ok(result.program);
  return result.program;
}

function actions(text: string): [number, number, Action][] {
  return program(text).statements.map((s) => [s.at, s.line, s.action]);
}

describe('compiler', () => {
  test('the DESIGN.md example compiles to the program it describes', () => {
    const p = program(DESIGN_EXAMPLE);
    assert.equal(p.title, 'Lost final ACK: why TIME-WAIT lasts 2*MSL');
    assert.equal(p.profile, 'rfc');
    assert.deepEqual(p.settings, { msl: 30_000_000 });
    assert.deepEqual(p.endpoints, [
      { name: 'client', address: '10.0.0.1', port: 49152, isn: 100, settings: {}, line: 6 },
      { name: 'server', address: '10.0.0.2', port: 80, isn: 300, settings: {}, line: 7 },
    ]);
    assert.deepEqual(p.links, [{ a: 'client', b: 'server', delay: 10_000, jitter: 0, loss: 0, duplicate: 0, reorder: 0, corrupt: 0, seed: 1, line: 8 }]);
    assert.deepEqual(
      p.statements.map((s) => [s.at, s.line, s.action]),
      [
        [0, 10, { kind: 'listen', endpoint: 'server' }],
        [0, 11, { kind: 'connect', endpoint: 'client', peer: 'server' }],
        [50_000, 12, { kind: 'send', endpoint: 'client', bytes: 100 }],
        [100_000, 13, { kind: 'close', endpoint: 'client' }],
        [105_000, 14, { kind: 'fault', rule: { kind: 'drop', pattern: { from: 'client', to: 'server', flags: ['ACK'] }, count: 1, text: 'drop client -> server ACK once' } }],
        [105_000, 15, { kind: 'close', endpoint: 'server' }],
        [105_000, 16, { kind: 'expect-state', endpoint: 'client', state: 'TIME-WAIT' }],
        [2_000_000, 17, { kind: 'expect-state', endpoint: 'client', state: 'CLOSED' }],
      ],
    );
    assert.equal(p.end, undefined);
  });

  test('made-up addresses and ports: listeners get well-known ports, others ephemeral ones', () => {
    const p = program('endpoint a\nendpoint b\nendpoint c\nendpoint d 10.0.0.2\n@0 b listen\n@0 c listen\n@0 a connect b');
    assert.deepEqual(
      p.endpoints.map((e) => `${e.name} ${e.address}:${e.port}`),
      ['a 10.0.0.1:49152', 'b 10.0.0.3:80', 'c 10.0.0.4:81', 'd 10.0.0.2:49153'],
    );
  });

  test('durations in every unit become integer microseconds', () => {
    const got = actions('endpoint a\n@1500us a listen\n+2ms a close\n+1.5s a abort\n+1min a crash\n@1h a listen');
    assert.deepEqual(
      got.map(([at]) => at),
      [1_500, 3_500, 1_503_500, 61_503_500, 3_600_000_000],
    );
  });

  test('send text counts UTF-8 bytes', () => {
    const [[, , action]] = actions('endpoint a\na send "你好"');
    assert.deepEqual(action, { kind: 'send', endpoint: 'a', bytes: 6, text: '你好' });
  });

  test('flags in canonical order; data alone or with flags; counts', () => {
    const got = actions(
      'endpoint a\nendpoint b\ndrop a -> b ack,fin\nduplicate a -> b data twice\ncorrupt a -> b PSH,ACK,data 3 times\nreorder a -> b always\ndelay a -> b SYN by 200ms',
    ).map(([, , a]) => a);
    assert.deepEqual(got, [
      { kind: 'fault', rule: { kind: 'drop', pattern: { from: 'a', to: 'b', flags: ['ACK', 'FIN'] }, count: 1, text: 'drop a -> b ACK,FIN' } },
      { kind: 'fault', rule: { kind: 'duplicate', pattern: { from: 'a', to: 'b', data: true }, count: 2, text: 'duplicate a -> b data twice' } },
      { kind: 'fault', rule: { kind: 'corrupt', pattern: { from: 'a', to: 'b', flags: ['ACK', 'PSH'], data: true }, count: 3, text: 'corrupt a -> b PSH,ACK,data 3 times' } },
      { kind: 'fault', rule: { kind: 'reorder', pattern: { from: 'a', to: 'b' }, count: Infinity, text: 'reorder a -> b always' } },
      { kind: 'fault', rule: { kind: 'delay', pattern: { from: 'a', to: 'b', flags: ['SYN'] }, count: 1, by: 200_000, text: 'delay a -> b SYN by 200ms' } },
    ]);
  });

  test('inject, the three expectations, end', () => {
    const p = program(
      'endpoint a\nendpoint b\n@0 b listen\n@0 a connect b\ninject a -> b SYN seq=0xFFFFFFFF wnd=100\n+1s expect a -> b ACK seq=101 ack=301 len=0\nexpect b received 0\nexpect b is ESTABLISHED with a\nend +2s',
    );
    assert.deepEqual(
      p.statements.slice(2).map((s) => s.action),
      [
        { kind: 'inject', from: 'a', to: 'b', flags: ['SYN'], seq: 0xffffffff, ack: 0, len: 0, wnd: 100 },
        { kind: 'expect-segment', pattern: { from: 'a', to: 'b', flags: ['ACK'], seq: 101, ack: 301, len: 0 } },
        { kind: 'expect-received', endpoint: 'b', bytes: 0 },
        { kind: 'expect-state', endpoint: 'b', state: 'ESTABLISHED', conn: 'a' },
      ],
    );
    assert.equal(p.end, 3_000_000);
  });

  test('window expectations and the congestion-control settings', () => {
    const p = program('set cc=cubic nodelay=on sndbuf=16384 limited-transmit=on initcwnd=4\nendpoint a\nendpoint b\n@0 b listen\n@0 a connect b\n@1s expect a cwnd is 5840\nexpect a SSTHRESH is 2920 bytes with b');
    assert.deepEqual(p.settings, { cc: 'cubic', nodelay: true, sndBuf: 16384, limitedTransmit: true, initCwnd: 4 });
    assert.deepEqual(
      p.statements.slice(2).map((s) => s.action),
      [
        { kind: 'expect-window', endpoint: 'a', variable: 'cwnd', bytes: 5840 },
        { kind: 'expect-window', endpoint: 'a', variable: 'ssthresh', bytes: 2920, conn: 'b' },
      ],
    );
  });

  test('every Settings field can be set, globally and per endpoint', () => {
    const p = program(
      'set msl=30s time-wait=1min rto=1s rto-min=200ms rto-max=2min retries=5 syn-retries=6 keepalive=on keepalive-idle=2h keepalive-interval=75s keepalive-probes=9 delayed-ack=40ms user-timeout=off mss=536 rcvbuf=65535 rst-on-close-with-unread=yes\nendpoint a rcvbuf=1000 keepalive=off isn=7',
    );
    assert.deepEqual(p.settings, {
      msl: 30_000_000,
      timeWait: 60_000_000,
      rto: 1_000_000,
      rtoMin: 200_000,
      rtoMax: 120_000_000,
      retries: 5,
      synRetries: 6,
      keepalive: true,
      keepaliveIdle: 7_200_000_000,
      keepaliveInterval: 75_000_000,
      keepaliveProbes: 9,
      delayedAck: 40_000,
      userTimeout: 0,
      mss: 536,
      rcvBuf: 65_535,
      rstOnCloseWithUnread: true,
    });
    assert.deepEqual(p.endpoints[0].settings, { rcvBuf: 1000, keepalive: false });
    assert.equal(p.endpoints[0].isn, 7);
  });

  test('with PEER picks a connection; autoread is a setting', () => {
    const p = program('endpoint s autoread=off\nendpoint a\nendpoint b\n@0 s listen\n@0 a connect s\n@0 b connect s\n@1s s send 5 with b\ns close with a\ns receive 3 with b');
    assert.deepEqual(p.endpoints[0].settings, { autoread: false });
    assert.deepEqual(
      p.statements.slice(3).map((s) => s.action),
      [
        { kind: 'send', endpoint: 's', bytes: 5, conn: 'b' },
        { kind: 'close', endpoint: 's', conn: 'a' },
        { kind: 'receive', endpoint: 's', bytes: 3, conn: 'b' },
      ],
    );
  });

  test('link options', () => {
    const p = program('endpoint a\nendpoint b\nlink a <-> b delay=25ms jitter=5ms loss=5% dup=1% reorder=0.02 corrupt=3% seed=42');
    assert.deepEqual(p.links[0], { a: 'a', b: 'b', delay: 25_000, jitter: 5_000, loss: 0.05, duplicate: 0.01, reorder: 0.02, corrupt: 0.03, seed: 42, line: 3 });
  });

  test('Chinese names compile unchanged', () => {
    const p = program('endpoint 客戶端\nendpoint 服務器\n@0 服務器 listen\n@0 客戶端 connect 服務器');
    assert.deepEqual(p.statements[1].action, { kind: 'connect', endpoint: '客戶端', peer: '服務器' });
  });

  test('no program when there are errors; warnings do not block it', () => {
    assert.equal(compile('endpoint a\na conect b').program, undefined);
    const warned = compile('endpoint a\nendpoint b\nexpect a is ESTABLISHED');
    assert.equal(warned.diagnostics[0].severity, 'warning');
    assert.ok(warned.program);
  });
});
