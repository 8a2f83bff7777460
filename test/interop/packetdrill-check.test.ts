// What of a packetdrill script the simulation runs (src/interop/packetdrill/check.ts): each construct
// it does not model is an error at its line and column, never a crash; what it runs becomes the model.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPacketdrill, parsePacketdrill } from '../../src/interop/packetdrill/index';
import type { PktCallStep, PktPacketStep } from '../../src/interop/packetdrill/model';
import { ROOT } from './helpers';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'packetdrill');

function check(text: string) {
  const parsed = parsePacketdrill(text);
  assert.deepEqual(parsed.diagnostics.map((d) => d.message), [], 'it parses');
  return checkPacketdrill(parsed.script);
}

describe('packetdrill: what the simulation models', () => {
  test('every construct it does not model is an error at its line and column; shell commands are warnings', () => {
    const { diagnostics } = check(readFileSync(join(FIXTURES, 'unsupported.pkt'), 'utf8'));
    assert.deepEqual(
      diagnostics.map((d) => `${d.range.line}:${d.range.column} ${d.severity} ${d.code}`),
      [
        '4:1 error pkt-unsupported-option', // --mtu
        '5:1 warning pkt-command', // `sysctl ...`
        '8:30 error pkt-unsupported', // TCP_FASTOPEN
        '11:9 error pkt-unsupported', // [ect0]
        '11:52 error pkt-unsupported', // FO
        '12:9 error pkt-unsupported', // SEW: ECE and CWR
        '13:38 error pkt-unsupported', // md5
        '17:7 error pkt-unsupported', // ioctl
        '18:30 error pkt-unsupported', // TCP_INFO
        '19:7 error pkt-unsupported', // %{ }%
        '20:26 error pkt-unsupported', // MSG_ZEROCOPY
        '21:9 error pkt-unsupported', // udp
        '22:7 error pkt-fd', // a second socket
      ],
    );
    const byLine = new Map(diagnostics.map((d) => [d.range.line, d.message]).reverse() as [number, string][]);
    assert.match(byLine.get(17)!, /^ioctl\(\) is not modelled by the simulation: ioctls \(SIOCINQ, SIOCOUTQ\.\.\.\)/);
    assert.match(byLine.get(18)!, /^tcp_info is not modelled/);
    assert.match(byLine.get(19)!, /^python \(%\{ \}%\) is not modelled/);
    assert.match(byLine.get(11)!, /^ECN is not modelled/);
  });

  test('the model of a passive open: the calls, the segments, the results the script expects', () => {
    const { model, diagnostics } = check(readFileSync(join(FIXTURES, 'passive-close.pkt'), 'utf8'));
    assert.deepEqual(diagnostics, []);
    assert.equal(model.role, 'server');
    assert.deepEqual([model.local, model.remote], [{ address: '192.168.0.1', port: 8080 }, { address: '192.0.2.1', port: 49152 }]);
    assert.deepEqual([model.toleranceUs, model.tolerancePercent], [4000, 12.5]);
    const calls = model.steps.filter((s): s is PktCallStep => s.kind === 'call');
    assert.deepEqual(
      calls.map((c) => [c.line, c.call, c.fd, c.bytes, c.result.value, c.result.errno]),
      [
        [4, 'socket', undefined, undefined, 3, undefined],
        [5, 'setsockopt', 3, undefined, 0, undefined],
        [6, 'bind', 3, undefined, 0, undefined],
        [7, 'listen', 3, undefined, 0, undefined],
        [13, 'accept', 3, undefined, 4, undefined],
        [18, 'read', 4, 1000, 100, undefined],
        [21, 'write', 4, 200, 200, undefined],
        [29, 'read', 4, 1000, 0, undefined],
        [30, 'close', 4, undefined, 0, undefined],
      ],
    );
    const packets = model.steps.filter((s): s is PktPacketStep => s.kind !== 'call');
    assert.deepEqual(packets[0], { ...packets[0], kind: 'inbound', flags: ['SYN'], seq: 0, len: 0, win: 65535 });
    assert.deepEqual(packets[1], { ...packets[1], kind: 'outbound', flags: ['SYN', 'ACK'], seq: 0, len: 0, ack: 1, options: { mss: 1460 } });
    assert.equal(packets[2].options, undefined, 'no <...>: the ACK must carry no options');
  });

  test('socket options become the scenario\'s settings; SO_ERROR and O_NONBLOCK are read', () => {
    const { model, diagnostics } = check(
      [
        '0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3',
        '+0 setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0',
        '+0 setsockopt(3, SOL_TCP, TCP_NODELAY, [1], 4) = 0',
        '+0 setsockopt(3, SOL_TCP, TCP_USER_TIMEOUT, [3000], 4) = 0',
        '+0 setsockopt(3, SOL_SOCKET, SO_RCVBUF, [4096], 4) = 0',
        '+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0',
        '+0 connect(3, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr("192.0.2.7")}, 16) = -1 EINPROGRESS (Operation now in progress)',
        '+0 > S 0:0(0) <...>',
        '+.1 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0',
      ].join('\n'),
    );
    assert.deepEqual(diagnostics, []);
    assert.equal(model.role, 'client');
    assert.deepEqual(model.remote, { address: '192.0.2.7', port: 9000 });
    const calls = model.steps.filter((s): s is PktCallStep => s.kind === 'call');
    assert.deepEqual(calls.flatMap((c) => c.settings ?? []).map((s) => `${s.key}=${s.value}`), ['linger=0', 'nodelay=on', 'user-timeout=3000ms', 'rcvbuf=4096']);
    assert.equal(calls.find((c) => c.call === 'fcntl')?.nonblocking, true);
    assert.deepEqual(calls.find((c) => c.call === 'connect')?.result, { ...calls.find((c) => c.call === 'connect')!.result, value: -1, errno: 'EINPROGRESS' });
    assert.equal(calls.find((c) => c.call === 'getsockopt')?.soError, 'ECONNREFUSED');
  });

  test('mistakes of the script: an fd never opened, a packet before any socket, an errno not reported, wrong arguments', () => {
    const messages = (text: string) => check(text).diagnostics.map((d) => `${d.range.line}:${d.range.column} ${d.message}`);
    assert.deepEqual(messages('0 < S 0:0(0) win 100'), ['1:3 a packet before any socket: the local endpoint does not exist yet']);
    const socket = '0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 listen(3, 1) = 0\n';
    assert.deepEqual(messages(`${socket}+0 < S 0:0(0)`), ['3:6 an inbound packet needs its window: add win N (packetdrill requires it)']);
    assert.deepEqual(messages(`${socket}+0 < S 0:0(0) win 100 <mss 1000,wscale 7>`), ['3:23 the TCP options take 7 bytes, not a multiple of 4: pad them with nop (packetdrill requires it)']);
    assert.deepEqual(messages('0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 close(7) = 0'), ['2:10 file descriptor 7 is not open here (socket() or accept() gives one)']);
    assert.match(messages('0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 close(3) = -1 EFAULT (Bad address)')[0], /^2:18 'EFAULT' is not an errno the simulation reports/);
    assert.deepEqual(messages('0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 listen(3) = 0'), ["2:4 'listen' takes 2 arguments; found 1"]);
    assert.deepEqual(messages('0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 shutdown(3, SHUT_BOTH) = 0'), ["2:16 argument 2 of 'shutdown' should be SHUT_RD, SHUT_WR or SHUT_RDWR; found SHUT_BOTH"]);
    assert.match(messages('0 socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3')[0], /^1:15 SOCK_DGRAM sockets are not modelled: only TCP \(SOCK_STREAM\) is simulated/);
  });
});
