import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { check, compile, parse } from '../../src/language';
import { brief } from './helpers';

const HEADER = 'endpoint client 10.0.0.1:49152\nendpoint server 10.0.0.2:80\n';

/** Checker diagnostics of HEADER + body, as `LINE:COL code` (lines count from the body's first line = 3). */
function checked(body: string): string[] {
  const { ast, diagnostics } = parse(HEADER + body);
  assert.deepEqual(diagnostics, [], 'the input should parse');
  return brief(check(ast));
}

function messages(body: string): string[] {
  return check(parse(HEADER + body).ast).map((d) => d.message);
}

describe('checker', () => {
  const rows: { name: string; body: string; expected: string[] }[] = [
    { name: 'a clean scenario', body: '@0 server listen\n@0 client connect server\n+1s expect client is ESTABLISHED', expected: [] },
    { name: 'undeclared endpoint', body: 'sever listen', expected: ['3:1 undeclared-endpoint'] },
    { name: 'undeclared peer', body: 'client connect nobody', expected: ['3:16 undeclared-endpoint'] },
    { name: 'duplicate endpoint', body: 'endpoint client', expected: ['3:10 duplicate-endpoint'] },
    { name: 'duplicate address', body: 'endpoint other 10.0.0.2:80', expected: ['3:16 duplicate-address'] },
    { name: 'connect to itself', body: 'client connect client', expected: ['3:16 connect-to-self'] },
    { name: 'time going backwards', body: '@2s server listen\n@1s client connect server', expected: ['4:1 time-backwards'] },
    { name: 'relative times never go backwards', body: '@2s server listen\n+0 client connect server\n+1s client close', expected: [] },
    { name: 'address out of range', body: 'endpoint x 10.0.0.256', expected: ['3:12 address-out-of-range'] },
    { name: 'port out of range', body: 'endpoint x 10.0.0.9:70000', expected: ['3:12 port-out-of-range'] },
    { name: 'port zero', body: 'endpoint x :0', expected: ['3:12 port-out-of-range'] },
    { name: 'isn out of range', body: 'endpoint x isn=4294967296', expected: ['3:16 sequence-out-of-range'] },
    { name: 'isn at the top of the range', body: 'endpoint x isn=4294967295', expected: [] },
    { name: 'duration out of range', body: 'set msl=2000h', expected: ['3:9 value-out-of-range'] },
    { name: 'time out of range', body: '@9000h client close', expected: ['3:2 duration-out-of-range'] },
    { name: 'setting without a unit', body: 'set rto=3', expected: ['3:9 missing-unit'] },
    { name: 'unknown state', body: 'expect client is TIME_WAITING', expected: ['3:18 unknown-state'] },
    { name: 'state with underscore and any case', body: '@0 client connect server\nexpect client is time_wait\nexpect client is SYN-RCVD', expected: [] },
    { name: 'unknown flag', body: 'drop client -> server FIN,AKC', expected: ['3:27 unknown-flag'] },
    { name: 'a flag twice', body: 'drop client -> server ACK,ACK', expected: ['3:27 duplicate-flag'] },
    { name: 'unknown set key', body: 'set mls=30s', expected: ['3:5 unknown-setting'] },
    { name: 'set keys in other spellings', body: 'set rto_min=200ms keepaliveIdle=2h delayed-ack=off keepalive=on', expected: [] },
    { name: 'unknown link option', body: 'link client <-> server los=5%', expected: ['3:24 unknown-option'] },
    { name: 'link probability over 100%', body: 'link client <-> server loss=150%', expected: ['3:29 value-out-of-range'] },
    { name: 'link to itself', body: 'link client <-> client', expected: ['3:17 link-to-self'] },
    { name: 'duplicate link', body: 'link client <-> server\nlink server <-> client', expected: ['4:1 duplicate-link'] },
    { name: 'unknown endpoint option', body: 'endpoint x rcvbuff=100', expected: ['3:12 unknown-option'] },
    { name: 'unknown profile', body: 'profile linx', expected: ['3:9 unknown-profile'] },
    { name: 'segment to itself', body: 'expect client -> client SYN', expected: ['3:8 segment-to-self'] },
    { name: 'inject without seq', body: 'inject client -> server SYN', expected: ['3:8 inject-needs-seq'] },
    { name: 'inject without flags', body: 'inject client -> server seq=1', expected: ['3:8 inject-needs-flags'] },
    { name: 'delay without by', body: 'delay client -> server SYN', expected: ['3:1 delay-needs-by'] },
    { name: 'by on a drop', body: 'drop client -> server SYN by 5ms', expected: ['3:30 by-only-for-delay'] },
    { name: 'zero times', body: 'drop client -> server SYN 0 times', expected: ['3:27 zero-count'] },
    { name: 'field not allowed in a pattern', body: 'drop client -> server SYN wnd=5', expected: ['3:27 field-not-allowed'] },
    { name: 'expectation after end', body: '@0 server listen\nend @1s\n@2s expect server is LISTEN', expected: ['5:1 runs-after-end'] },
    { name: 'state of an endpoint that never acts', body: 'expect client is ESTABLISHED', expected: ['3:8 never-checked'] },
    { name: 'CLOSED of an idle endpoint is fine', body: 'expect client is CLOSED', expected: [] },
    { name: 'data received by an endpoint that never connects', body: 'expect server received 10', expected: ['3:8 never-checked'] },
    { name: 'with a peer it never talks to', body: 'endpoint c2\n@0 server listen\n@0 client connect server\nexpect server is ESTABLISHED with c2', expected: ['6:35 never-checked'] },
    { name: 'an action with a peer it never connects with', body: 'endpoint c2\n@0 server listen\n@0 client connect server\nserver send 5 with c2', expected: ['6:20 never-connected'] },
    { name: 'congestion-control settings', body: 'set cc=cubic nodelay=on sndbuf=16384 limited-transmit=off initcwnd=10\nendpoint c3 cc=newreno', expected: [] },
    { name: 'an unknown congestion control', body: 'set cc=vegas', expected: ['3:8 invalid-value'] },
    { name: 'a window expectation', body: '@0 server listen\n@0 client connect server\n@1s expect client cwnd is 4380\nexpect client ssthresh is 7300 bytes with server', expected: [] },
    { name: 'a window of an endpoint that never acts', body: 'expect client cwnd is 4380', expected: ['3:8 never-checked'] },
    { name: 'a window too large', body: '@0 server listen\n@0 client connect server\nexpect client cwnd is 5000000000', expected: ['5:23 value-out-of-range'] },
    { name: 'fractional microseconds', body: '@1.0005ms client close', expected: ['3:2 fractional-microseconds'] },
  ];
  for (const row of rows) {
    test(row.name, () => assert.deepEqual(checked(row.body), row.expected, JSON.stringify(messages(row.body))));
  }

  test('suggestions name the closest candidate and come with a fix', () => {
    const { ast } = parse(HEADER + 'sever listen\nexpect client is TIME_WAITING\nset mls=1s');
    const diagnostics = check(ast);
    assert.deepEqual(
      diagnostics.map((d) => d.message),
      ["unknown endpoint 'sever'; did you mean server?", "unknown state 'TIME_WAITING'; did you mean TIME-WAIT?", "unknown setting 'mls'; did you mean msl?"],
    );
    assert.deepEqual(
      diagnostics.map((d) => d.fixes?.[0]?.replacement),
      ['server', 'TIME-WAIT', 'msl'],
    );
  });

  test('unknown endpoint far from every name says how to declare it', () => {
    assert.deepEqual(messages('zzz listen'), ["unknown endpoint 'zzz'; declare it first with 'endpoint zzz'"]);
  });

  test('Chinese endpoint names are checked and suggested like any other', () => {
    const { ast } = parse('endpoint 客戶端\nendpoint 服務器\n@0 服務器 listen\n@0 客戶端 connect 服務器\nexpect 客戶 is ESTABLISHED');
    const [d] = check(ast);
    assert.equal(d.message, "unknown endpoint '客戶'; did you mean 客戶端?");
  });

  test('an empty file is a warning, not an error', () => {
    const result = compile('# only a comment\n');
    assert.deepEqual(brief(result.diagnostics), ['1:1 empty-scenario']);
    assert.equal(result.diagnostics[0].severity, 'warning');
    assert.ok(result.program);
  });

  test('every error on the partial tree of a broken file is still checked', () => {
    const result = compile('endpoint a\nendpoint b\na conect b\nb listen\nexpect c is CLOSED\nexpect a is FOO');
    assert.deepEqual(brief(result.diagnostics), ['3:3 unknown-action', '5:8 undeclared-endpoint', '6:13 unknown-state']);
    assert.equal(result.program, undefined);
  });

  test('checking the packed tree makes no statement objects, and reports what checking the objects reports', () => {
    const text = `${HEADER}@0 server listen\n@0 client connect server\n@2s client send 10\n@1s expect client is FOO\n+1ms drop client -> server SYN,SYN,BAD once\nexpect client x\nend @1s\n+1ms client close`;
    const packed = parse(text).ast as ReturnType<typeof parse>['ast'] & { made: boolean };
    const fromPacked = check(packed);
    // `end` too: what runs after it is read from the tree (afterEnd.ts), not from the objects' timeline.
    assert.equal(packed.made, false);
    const objects = parse(text).ast;
    assert.ok(objects.statements.length > 0);
    assert.deepEqual(fromPacked, check(objects));
    assert.ok(brief(fromPacked).includes('6:1 time-backwards'), brief(fromPacked).join(' '));
  });
});
