// The constructs that let a scenario write down what applications do (issue 9): `wait until`,
// `shutdown read|both`, `NAME set` (socket options during a run), `expect NAME CALL ok|failed`,
// `endpoint NAME raw`, and TCP options and `none` in `inject`: parsing (with error recovery), the
// checker's diagnostics and fixes, and what the compiler makes of them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { check, compile, parse } from '../../src/language';
import { assertShape, brief } from './helpers';

const HEADER = 'endpoint client 10.0.0.1:49152\nendpoint server 10.0.0.2:80\n@0 server listen\n@0 client connect server\n';

/** Parse and check diagnostics of HEADER + body as `LINE:COL code` (the body starts at line 5). */
function diagnosed(body: string): string[] {
  return brief(compile(HEADER + body).diagnostics);
}

function program(body: string) {
  const result = compile(HEADER + body);
  assert.deepEqual(brief(result.diagnostics), [], 'compiles cleanly');
  return result.program!;
}

describe('wait until', () => {
  test('parses a state condition, with a peer, and a byte count', () => {
    const { ast, diagnostics } = parse('wait until server is CLOSE-WAIT with client\n+1s wait until client received 100 bytes');
    assert.deepEqual(diagnostics, []);
    assertShape(ast.statements[0], {
      kind: 'wait',
      keyword: { text: 'wait' },
      until: { text: 'until' },
      condition: { kind: 'state', endpoint: { text: 'server' }, state: { text: 'CLOSE-WAIT' }, peer: { text: 'client' } },
    });
    assertShape(ast.statements[1], { kind: 'wait', time: { mode: 'relative', us: 1_000_000 }, condition: { kind: 'received', bytes: { text: '100' } } });
  });

  test('a broken wait keeps what it read and says what was expected, with a fix', () => {
    const { ast, diagnostics } = parse('wait untl server is CLOSE-WAIT\nwait server is CLOSE-WAIT\nwait until server iz CLOSED\nwait until server is');
    assert.deepEqual(brief(diagnostics), ['1:6 expected', '2:6 expected', '3:19 expected', '4:21 expected']);
    assert.equal(diagnostics[0].fixes?.[0].replacement, 'until');
    assert.deepEqual([diagnostics[1].fixes?.[0].replacement, diagnostics[1].fixes?.[0].range.length], ['until ', 0]);
    assert.equal(diagnostics[2].fixes?.[0].replacement, 'is');
    assert.equal(ast.statements.length, 4, 'every broken line still has its node');
    assertShape(ast.statements[3], { kind: 'wait', condition: { kind: 'state', endpoint: { text: 'server' }, state: undefined } });
  });

  test('the checker reads the condition as it reads an expectation', () => {
    assert.deepEqual(diagnosed('wait until server is CLOSE_WAITING'), ['5:22 unknown-state']);
    assert.deepEqual(diagnosed('wait until sever is CLOSE-WAIT'), ['5:12 undeclared-endpoint']);
    assert.deepEqual(diagnosed('endpoint idle\nwait until idle is ESTABLISHED'), ['6:12 never-checked']);
    assert.match(compile(HEADER + 'endpoint idle\nwait until idle is ESTABLISHED').diagnostics[0].message, /this wait can never finish/);
    assert.deepEqual(diagnosed('wait until server received 100'), []);
  });

  test('statements after a wait count from it: `after` for +D and no time, none for @T', () => {
    const p = program('@1s client close\nwait until server is CLOSE-WAIT\n+0 server close\n+50ms expect server is LAST-ACK\n   expect client is FIN-WAIT-2\n@3s client send 1');
    const tail = p.statements.slice(2).map((s) => ({ line: s.line, at: s.at, after: s.after, kind: s.action.kind }));
    assert.deepEqual(tail, [
      { line: 5, at: 1_000_000, after: undefined, kind: 'close' },
      { line: 6, at: 1_000_000, after: undefined, kind: 'wait-state' },
      { line: 7, at: 1_000_000, after: 0, kind: 'close' },
      { line: 8, at: 1_050_000, after: 50_000, kind: 'expect-state' },
      { line: 9, at: 1_050_000, after: 0, kind: 'expect-state' },
      { line: 10, at: 3_000_000, after: undefined, kind: 'send' },
    ]);
    assert.deepEqual(p.statements[3].action, { kind: 'wait-state', endpoint: 'server', state: 'CLOSE-WAIT' });
  });

  test('a program without waits has no `after` anywhere (the contract is unchanged for it)', () => {
    const p = program('+1s client close\n+1s server close');
    assert.ok(p.statements.every((s) => !('after' in s)));
  });

  test('end +D after a wait counts from the statement before it', () => {
    const p = program('wait until server is ESTABLISHED\n+1s client close\nend +2s');
    assert.deepEqual(p.endFrom, { index: 3, after: 2_000_000 });
    assert.equal(p.end, 3_000_000, 'the earliest it can be');
    assert.equal(program('wait until server is ESTABLISHED\nend @5s').endFrom, undefined, 'end @T stays absolute');
  });

  test('no statement is said to run after an `end +D` whose time depends on a wait', () => {
    assert.deepEqual(diagnosed('wait until server is ESTABLISHED\nend +1s\n@5s client close'), []);
    assert.deepEqual(diagnosed('end @1s\n@5s client close'), ['6:1 runs-after-end']);
  });
});

describe('shutdown read | write | both', () => {
  test('the word goes into the argument; `with` still picks the connection', () => {
    const { ast, diagnostics } = parse('client shutdown read\nclient shutdown both with server\nclient shutdown with server');
    assert.deepEqual(diagnostics, []);
    assertShape(ast.statements[0], { verb: { text: 'shutdown' }, argument: { kind: 'ident', text: 'read' } });
    assertShape(ast.statements[1], { argument: { text: 'both' }, conn: { text: 'server' } });
    assertShape(ast.statements[2], { argument: undefined, conn: { text: 'server' } });
  });

  test('compiles to `how`; write and no word are the FIN alone', () => {
    const p = program('client shutdown read\nclient shutdown both\nclient shutdown write\nclient shutdown');
    assert.deepEqual(
      p.statements.slice(2).map((s) => s.action),
      [
        { kind: 'shutdown', endpoint: 'client', how: 'read' },
        { kind: 'shutdown', endpoint: 'client', how: 'both' },
        { kind: 'shutdown', endpoint: 'client' },
        { kind: 'shutdown', endpoint: 'client' },
      ],
    );
  });

  test('an unknown word is reported with the closest one', () => {
    const diagnostics = compile(HEADER + 'client shutdown reed').diagnostics;
    assert.deepEqual(brief(diagnostics), ['5:17 unknown-shutdown-mode']);
    assert.equal(diagnostics[0].fixes?.[0].replacement, 'read');
    assert.deepEqual(diagnosed('client shutdown sideways'), ['5:17 unknown-shutdown-mode']);
  });
});

describe('NAME set key=value (socket options during a run)', () => {
  test('parses options like a set line; compiles the settings and the text as written', () => {
    const p = program('@1s client set linger=0 keepalive=on keepalive-idle=10s\n+1s server set user-timeout=off rcvbuf=1000 autoread=off');
    assert.deepEqual(p.statements[2].action, { kind: 'set', endpoint: 'client', settings: { linger: 0, keepalive: true, keepaliveIdle: 10_000_000 }, text: 'linger=0 keepalive=on keepalive-idle=10s' });
    assertShape(p.statements[3].action, { kind: 'set', settings: { userTimeout: 0, rcvBuf: 1000, autoread: false } });
  });

  test('linger=off is -1 (off), not 0 (abort)', () => {
    assertShape(program('client set linger=off').statements[2].action, { settings: { linger: -1 } });
    assertShape(program('set linger=2s').settings, { linger: 2_000_000 });
  });

  test('a setting that is not a socket option, an unknown one, a bad value', () => {
    assert.deepEqual(diagnosed('client set msl=30s'), ['5:12 not-a-socket-option']);
    const unknown = compile(HEADER + 'client set lingr=0').diagnostics;
    assert.deepEqual(brief(unknown), ['5:12 unknown-setting']);
    assert.equal(unknown[0].fixes?.[0].replacement, 'linger');
    assert.deepEqual(diagnosed('client set keepalive=maybe'), ['5:22 invalid-value']);
    assert.deepEqual(diagnosed('client set'), ['5:11 expected']);
    assert.deepEqual(diagnosed('client set linger'), ['5:12 expected']);
  });

  test('set has no `with PEER`: an endpoint is one application', () => {
    assert.deepEqual(diagnosed('client set linger=0 with server'), ['5:21 expected']);
  });
});

describe('expect NAME CALL ok | failed [ERR]', () => {
  test('parses the call, the result and an errno or the RFC words', () => {
    const { ast, diagnostics } = parse('expect client connect ok\nexpect client connect failed ECONNREFUSED\nexpect server receive failed "connection reset"\nexpect client send failed');
    assert.deepEqual(diagnostics, []);
    assertShape(ast.statements[0], { kind: 'expect', expectation: { kind: 'call', endpoint: { text: 'client' }, call: { text: 'connect' }, result: { text: 'ok' }, error: undefined } });
    assertShape(ast.statements[1], { expectation: { result: { text: 'failed' }, error: { kind: 'ident', text: 'ECONNREFUSED' } } });
    assertShape(ast.statements[2], { expectation: { error: { kind: 'string', string: 'connection reset' } } });
  });

  test('compiles errnos in capitals and texts as written', () => {
    const p = program('expect client connect ok\nexpect client connect failed econnrefused\nexpect server receive failed "connection reset"\nexpect client send failed');
    assert.deepEqual(
      p.statements.slice(2).map((s) => s.action),
      [
        { kind: 'expect-call', endpoint: 'client', call: 'connect', ok: true },
        { kind: 'expect-call', endpoint: 'client', call: 'connect', ok: false, errno: 'ECONNREFUSED' },
        { kind: 'expect-call', endpoint: 'server', call: 'receive', ok: false, error: 'connection reset' },
        { kind: 'expect-call', endpoint: 'client', call: 'send', ok: false },
      ],
    );
  });

  test('unknown errnos and texts get the closest one; ok takes no error', () => {
    const errno = compile(HEADER + 'expect client connect failed ECONNREFUESD').diagnostics;
    assert.deepEqual(brief(errno), ['5:30 unknown-errno']);
    assert.equal(errno[0].fixes?.[0].replacement, 'ECONNREFUSED');
    const text = compile(HEADER + 'expect client connect failed "conection refused"').diagnostics;
    assert.deepEqual(brief(text), ['5:30 unknown-error-text']);
    assert.equal(text[0].fixes?.[0].replacement, '"connection refused"');
    assert.deepEqual(diagnosed('expect client connect ok ECONNREFUSED'), ['5:26 unexpected-token']);
    const result = compile(HEADER + 'expect client connect fialed').diagnostics;
    assert.deepEqual(brief(result), ['5:23 expected']);
    assert.equal(result[0].fixes?.[0].replacement, 'failed');
  });

  test('a call the endpoint never makes before the line can never be checked', () => {
    assert.deepEqual(diagnosed('expect client close ok'), ['5:15 never-checked']);
    assert.deepEqual(diagnosed('client close\nexpect client close ok'), []);
    // Results TCP reports by itself: a give-up on send, a reset on receive.
    assert.deepEqual(diagnosed('expect client send failed ETIMEDOUT\nexpect client receive failed ECONNRESET'), []);
  });
});

describe('endpoint NAME raw, inject with TCP options and no flags', () => {
  test('raw after the address; an endpoint may still be named raw', () => {
    const { ast, diagnostics } = parse('endpoint peer 10.0.0.9:4000 raw\nendpoint raw 10.0.0.8\nendpoint p2 raw isn=5');
    assert.deepEqual(diagnostics, []);
    assertShape(ast.statements[0], { kind: 'endpoint', name: { text: 'peer' }, raw: { text: 'raw' } });
    assert.ok(!('raw' in ast.statements[1]), 'the key is there only when written');
    assertShape(ast.statements[2], { raw: { text: 'raw' }, options: [{ key: { text: 'isn' } }] });
    const decl = compile('endpoint peer raw').program!.endpoints[0];
    assert.equal(decl.raw, true);
  });

  test('a raw endpoint cannot make calls, and its state never changes', () => {
    const text = 'endpoint server 10.0.0.2:80\nendpoint peer raw\n@0 server listen\n';
    assert.deepEqual(brief(compile(text + 'peer connect server').diagnostics), ['4:6 raw-endpoint']);
    assert.deepEqual(brief(compile(text + 'expect peer is ESTABLISHED').diagnostics), ['4:8 never-checked']);
    assert.deepEqual(brief(compile(text + 'inject peer -> server SYN seq=0\nexpect server -> peer SYN,ACK').diagnostics), []);
  });

  test('inject options: mss, sackok, ts, wscale, sack blocks; none for no flag', () => {
    const { program: p, diagnostics } = compile('endpoint a\nendpoint b\ninject a -> b SYN seq=0 mss=1460 sackok ts=100:0 wscale=7\ninject a -> b none seq=1 sack=1001:2001,3001:4001');
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(p!.statements.map((s) => s.action), [
      { kind: 'inject', from: 'a', to: 'b', flags: ['SYN'], seq: 0, ack: 0, len: 0, options: { mss: 1460, sackPermitted: true, ts: { val: 100, ecr: 0 }, wscale: 7 } },
      { kind: 'inject', from: 'a', to: 'b', flags: [], seq: 1, ack: 0, len: 0, options: { sack: [{ left: 1001, right: 2001 }, { left: 3001, right: 4001 }] } },
    ]);
    const sack = parse('inject a -> b ACK seq=1 sack=1:2,3:4').ast.statements[0];
    assert.equal(sack.kind === 'inject' ? sack.pattern?.fields[1].value?.text : '', '1:2,3:4');
  });

  test('bad options, options outside inject, none with other flags', () => {
    const head = 'endpoint a\nendpoint b\n';
    const d = (line: string) => brief(compile(head + line).diagnostics);
    assert.deepEqual(d('inject a -> b SYN seq=0 wscale=15'), ['3:32 value-out-of-range']);
    assert.deepEqual(d('inject a -> b SYN seq=0 ts=100'), ['3:28 invalid-value']);
    assert.deepEqual(d('inject a -> b ACK seq=0 sack=1:2,3:4,5:6,7:8,9:10'), ['3:30 invalid-value']);
    assert.deepEqual(d('inject a -> b SYN seq=0 sackok=1'), ['3:25 invalid-value']);
    assert.deepEqual(d('expect a -> b SYN mss=1460'), ['3:19 field-not-allowed']);
    assert.deepEqual(d('inject a -> b none,ACK seq=0'), ['3:15 none-with-flags']);
    assert.deepEqual(d('drop a -> b none'), [], 'none matches a segment with no flag');
  });
});

describe('the checker on the new constructs alone', () => {
  test('a clean application scenario has no diagnostics', () => {
    const text = [
      'profile linux',
      'endpoint client 10.0.0.1:49152',
      'endpoint server 10.0.0.2:80',
      '@0 server listen',
      '@0 client connect server',
      '@1s client shutdown both',
      'wait until server is CLOSE-WAIT',
      '+0 server close',
      '+0 expect server close ok',
      '@2s client set linger=0',
      'expect client connect ok',
    ].join('\n');
    assert.deepEqual(brief(check(parse(text).ast)), []);
  });
});
