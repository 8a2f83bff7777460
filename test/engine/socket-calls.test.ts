// What the application does and sees: `shutdown read|both` (af_inet.c inet_shutdown, tcp_shutdown,
// tcp_rcv_state_process), socket options set during a run (`NAME set`), SO_LINGER 0, the errno each
// failed call carries, `expect NAME CALL ok|failed`, and a raw endpoint that scripts the other side.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppEvent, ExpectEvent, TraceEvent } from '../../src/engine/trace';
import { Simulation } from '../../src/engine/simulation';
import { compile } from '../../src/language';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCaptureSummary, relativeNumbers } from '../../src/interop/capture';
import { CONNECTED_TEXT as HEAD, explained, segments, simulateText, transitions } from './helpers';

/** These are Linux's calls: the linux profile unless a test says otherwise. */
const simulate = (body: string, profile = 'linux', head = HEAD): Simulation => simulateText(body, profile, head);

/** `t endpoint call -> errno "error"` of every app event (results TCP reported too). */
function calls(trace: readonly TraceEvent[]): string[] {
  return trace
    .filter((e): e is AppEvent => e.kind === 'app')
    .map((e) => `${e.t} ${e.endpoint} ${e.call}${e.error !== undefined ? ` -> ${e.errno ?? '(no errno)'} "${e.error}"` : ''}`);
}

const expectations = (trace: readonly TraceEvent[]) => trace.filter((e): e is ExpectEvent => e.kind === 'expect').map((e) => `${e.ok ? 'ok' : 'FAILED'} ${e.message}`);

describe('shutdown read and shutdown both', () => {
  test('shutdown read sends nothing: data still arrives, is acknowledged and read', () => {
    const sim = simulate('@100ms client shutdown read\n@200ms server send 100');
    assert.ok(!segments(sim).some((s) => s.includes('FIN') || s.includes('RST')), segments(sim).join('\n'));
    assert.equal(sim.view().endpoints[0].received, 100);
    assert.deepEqual(transitions(sim, 'client'), ['client: CLOSED -> SYN-SENT', 'client: SYN-SENT -> ESTABLISHED']);
  });

  test('after shutdown read a read with nothing queued returns the end of the data (no errno)', () => {
    const sim = simulate('@100ms client shutdown read\n+1ms client receive');
    assert.deepEqual(calls(sim.trace).slice(-2), ['100 client shutdown', '101 client receive -> (no errno) "connection closing"']);
  });

  test('shutdown read, then the FIN: new data gets a RST and the application hears ECONNRESET (linux)', () => {
    const sim = simulate('@100ms client shutdown read\n@300ms client shutdown\n@400ms server send 100');
    assert.deepEqual(calls(sim.trace).slice(-3), ['400 server send', '410 client receive -> ECONNRESET "connection reset"', '420 server receive -> EPIPE "connection reset"']);
    // Linux answers with a bare RST whose sequence number is the data's ACK (tcp_v4_send_reset; the capture shutdown-read).
    assert.ok(explained(sim.trace).includes('client -> server RST  linux.tcp_v4_send_reset.data-after-close'), explained(sim.trace).join('\n'));
  });

  test('shutdown both is shutdown read and the FIN at once', () => {
    const sim = simulate('@100ms client shutdown both\n@300ms server send 100');
    assert.ok(segments(sim).some((s) => s.startsWith('client -> server') && s.includes('FIN')));
    assert.deepEqual(calls(sim.trace).slice(-2), ['310 client receive -> ECONNRESET "connection reset"', '320 server receive -> EPIPE "connection reset"']);
  });

  test('the rfc profile queues data after shutdown both, as RFC 793 says (no RST)', () => {
    const sim = simulate('@100ms client shutdown both\n@300ms server send 100', 'rfc');
    assert.ok(!segments(sim).some((s) => s.includes('RST')));
  });

  test('shutdown read of a listener stops it; in SYN-SENT it drops the connection', () => {
    const listener = simulate('@100ms server shutdown read', 'linux', 'endpoint client\nendpoint server\n@0 server listen\n');
    assert.deepEqual(transitions(listener, 'server'), ['server: CLOSED -> LISTEN', 'server: LISTEN -> CLOSED']);
    assert.ok(explained(listener.trace).includes('server: LISTEN -> CLOSED  linux.inet_shutdown.read'));
    const connecting = simulate('+1ms client shutdown read', 'linux', 'endpoint client\nendpoint server\n@0 client connect server\n');
    assert.deepEqual(transitions(connecting, 'client'), ['client: CLOSED -> SYN-SENT', 'client: SYN-SENT -> CLOSED']);
  });

  test('shutdown read with nothing open: ENOTCONN', () => {
    const sim = simulate('client shutdown read', 'linux', 'endpoint client\nendpoint server\n');
    assert.deepEqual(calls(sim.trace), ['0 client shutdown -> ENOTCONN "connection does not exist"']);
  });
});

describe('shutdown read and both against the kernel (test/fixtures/captures/shutdown-*)', () => {
  // What the semantics rest on, in the order the kernel sent it; the engine's differences that are
  // the linux profile's (PSH, when an ACK goes, the RST's form: Linux's is bare, seq = SEG.ACK) left out.
  function essentials(segments: readonly { from: string; flags: readonly string[]; relSeq: number; relAck: number | null; len: number }[]): string[] {
    return segments.map((p) => `${p.from} ${p.flags.filter((f) => f !== 'PSH' && !(f === 'ACK' && p.flags.includes('RST'))).join(',')} seq=${p.relSeq}${p.flags.includes('RST') ? '' : ` ack=${p.relAck}`} len=${p.len}`);
  }

  for (const name of ['shutdown-read', 'shutdown-both']) {
    test(`${name}: the same segments in the same order, and the same states`, () => {
      const dir = join(__dirname, '..', 'fixtures', 'captures', name);
      const capture = parseCaptureSummary(JSON.parse(readFileSync(join(dir, 'capture.json'), 'utf8')));
      const { program } = compile(readFileSync(join(dir, 'scenario.tcpscenario'), 'utf8'));
      const sim = new Simulation(program!);
      sim.run();
      const simulated = relativeNumbers(sim.trace.flatMap((e) => (e.kind === 'send' || e.kind === 'inject' ? [{ ...e, dropped: false }] : [])));
      assert.deepEqual(essentials(simulated), essentials(capture.packets));
      const states = (endpoint: string) => capture.sockets.filter((k) => k.endpoint === endpoint && !k.listener).flatMap((k) => k.states.map((x) => x.state));
      assert.deepEqual(transitions(sim, 'client').map((t) => t.split(' -> ')[1]), states('client'));
    });
  }
});

describe('socket options during a run', () => {
  test('linger=0 then close: RST,ACK at SND.NXT with the ACK of RCV.NXT, no FIN', () => {
    const sim = simulate('@100ms client send 100\n@500ms client set linger=0\n@1s client close');
    const tail = segments(sim).slice(-2);
    assert.deepEqual(tail, ['server -> client <SEQ=301><ACK=201><CTL=ACK>', 'client -> server <SEQ=201><ACK=301><CTL=ACK,RST>']);
    assert.ok(explained(sim.trace).includes('client -> server ACK,RST  linux.tcp_close.linger-zero'));
    assert.deepEqual(calls(sim.trace).slice(-1), ['1010 server receive -> ECONNRESET "connection reset"']);
  });

  test('a linger of more than zero changes nothing on the wire', () => {
    const plain = segments(simulate('@1s client close'));
    assert.deepEqual(segments(simulate('@500ms client set linger=5s\n@1s client close')), plain);
  });

  test('keepalive=on starts probing from now; off stops it', () => {
    const on = simulate('@1s client set keepalive=on keepalive-idle=10s keepalive-interval=1s\n@15s server crash\nend @30s', 'rfc');
    const probes = on.trace.filter((e) => e.kind === 'send' && e.probe === 'keepalive').map((e) => e.t);
    // The first probe 10 s after the set; it is answered (at 11.02 s), so the next comes 10 s after that.
    assert.deepEqual(probes.slice(0, 3), [11_000, 21_020, 22_020]);
    const off = simulate('set keepalive=on keepalive-idle=10s\n@5s client set keepalive=off\nend @30s', 'rfc');
    assert.ok(!off.trace.some((e) => e.kind === 'send' && e.probe === 'keepalive' && e.from === 'client'));
  });

  test('user-timeout set while data is unacknowledged gives up that long after', () => {
    const sim = simulate('@100ms server crash\n@200ms client send 100\n@300ms client set user-timeout=2s', 'rfc');
    const giveUp = sim.trace.find((e) => e.kind === 'app' && e.error !== undefined);
    assert.deepEqual(giveUp && [giveUp.t, (giveUp as AppEvent).errno], [2300, 'ETIMEDOUT']);
  });

  test('autoread=on reads what is queued at once and the window opens', () => {
    const sim = simulate('@100ms server send 3000\n@200ms client receive 0\n@500ms client set autoread=on', 'rfc', HEAD.replace('isn=100', 'isn=100 rcvbuf=2000'));
    assert.equal(sim.view().endpoints[0].received, 3000);
    assert.ok(explained(sim.trace).includes('client -> server ACK  rfc1122.4.2.3.3.window-update'));
  });

  test('rcvbuf grows the window: a window update goes out', () => {
    const sim = simulate('@100ms server send 1000\n@200ms client set rcvbuf=60000\n@300ms client set rcvbuf=200000', 'rfc', HEAD.replace('isn=100', 'isn=100 rcvbuf=1000 autoread=off'));
    const updates = sim.trace.filter((e) => e.kind === 'send' && e.rule === 'rfc1122.4.2.3.3.window-update').map((e) => [e.t, e.kind === 'send' ? e.wnd : 0]);
    assert.deepEqual(updates, [
      [200, 59_000],
      [300, 199_000],
    ]);
  });

  test('nodelay=on lets the segment Nagle holds go at once', () => {
    // rfc profile: 1000 bytes go, the next 100 wait for the ACK (Nagle) unless nodelay is set at 105 ms.
    const held = simulate('@100ms client send 1000\n+1ms client send 100', 'rfc');
    const freed = simulate('@100ms client send 1000\n+1ms client send 100\n+4ms client set nodelay=on', 'rfc');
    const at = (sim: Simulation) => sim.trace.find((e) => e.kind === 'send' && e.len === 100)?.t;
    assert.equal(at(held), 120);
    assert.equal(at(freed), 105);
  });

  test('sndbuf raised: a send waiting for room goes in', () => {
    const sim = simulate('@100ms client send 10000\n+1ms client set sndbuf=0', 'rfc', HEAD.replace('isn=100', 'isn=100 sndbuf=2000'));
    const note = sim.trace.find((e) => e.kind === 'note' && e.message === 'blocked send completes');
    assert.equal(note?.t, 101);
    assert.equal(sim.view().endpoints[1].received, 10000);
  });

  test('cc changed during a run: the new algorithm goes on from the same cwnd', () => {
    // 20 segments of 1448 bytes (MSS 1460 less the timestamps option) after one round trip of slow start.
    const sim = simulate('@100ms client send 50000\n+25ms expect client cwnd is 28960\n+0 client set cc=newreno\n+0 expect client cwnd is 28960', 'linux');
    assert.deepEqual(expectations(sim.trace), ['ok client cwnd is 28960 bytes', 'ok client cwnd is 28960 bytes']);
    assert.equal(sim.view().endpoints[1].received, 50000);
  });

  test('the change is noted in the trace, at its line', () => {
    const sim = simulate('@1s client set linger=0');
    const note = sim.trace.find((e) => e.kind === 'note' && e.line === 7);
    assert.match(note?.kind === 'note' ? note.message : '', /client set linger=0/);
  });
});

describe('errno and expect NAME CALL', () => {
  test('connection refused: ECONNREFUSED, reported on connect when the RST comes', () => {
    const sim = simulate('+5ms expect client connect ok\n+20ms expect client connect failed ECONNREFUSED\n+0 expect client connect failed "connection refused"', 'linux', 'endpoint client\nendpoint server\n@0 client connect server\n');
    assert.deepEqual(expectations(sim.trace), [
      'ok client connect ok (at 0 ms)',
      'ok client connect failed ECONNREFUSED "connection refused" (at 20 ms)',
      'ok client connect failed ECONNREFUSED "connection refused" (at 20 ms)',
    ]);
  });

  test('send after the peer reset the connection: EPIPE (the connection is gone)', () => {
    const sim = simulate('@100ms server abort\n@200ms client send 10\n+0 expect client send failed EPIPE\n+0 expect client receive failed ECONNRESET');
    assert.deepEqual(expectations(sim.trace), ['ok client send failed EPIPE "connection does not exist" (at 200 ms)', 'ok client receive failed ECONNRESET "connection reset" (at 110 ms)']);
  });

  test('a RST in CLOSE-WAIT: EPIPE (tcp_reset)', () => {
    const sim = simulate('@100ms client shutdown\n@200ms client abort');
    assert.deepEqual(calls(sim.trace).slice(-1), ['210 server receive -> EPIPE "connection reset"']);
  });

  test('retransmissions give up: ETIMEDOUT on send', () => {
    const sim = simulate('set retries=2 rto-max=1s\n@100ms server crash\n@200ms client send 10\n@10s expect client send failed ETIMEDOUT', 'rfc');
    assert.deepEqual(expectations(sim.trace), ['ok client send failed ETIMEDOUT "connection timed out" (at 3200 ms)']);
  });

  test('failed expectations say what the latest call did', () => {
    const sim = simulate('@100ms client send 10\n+0 expect client send failed\n+0 expect server receive ok\n+0 expect client close ok', 'linux');
    assert.deepEqual(expectations(sim.trace), [
      'FAILED expected client send failed, but its last send (at 100 ms) succeeded',
      'FAILED expected server receive ok, but server has not called receive',
      'FAILED expected client close ok, but client has not called close',
    ]);
  });

  test('the other errnos, where each is decided', () => {
    const sim = simulate(
      '@100ms server listen\n+0 client connect server\n+0 client shutdown\n+0 client send 1\n+0 client close\n+0 client close',
      'linux',
      'endpoint client\nendpoint server\n@0 server listen\n@0 client connect server\n',
    );
    assert.deepEqual(calls(sim.trace).filter((c) => c.includes('->')), [
      '100 server listen -> EADDRINUSE "connection already exists"',
      '100 client connect -> EISCONN "connection already exists"',
      '100 client send -> EPIPE "connection closing"',
      '100 client close -> EBADF "connection closing"',
    ]);
  });

  test('the view keeps each call\'s latest result', () => {
    const sim = simulate('@100ms server abort\n@200ms client send 10');
    assert.deepEqual(sim.view().endpoints[0].calls, [
      { call: 'connect', t: 0, ok: true },
      { call: 'send', t: 200, ok: false, error: 'connection does not exist', errno: 'EPIPE' },
      { call: 'receive', t: 110, ok: false, error: 'connection reset', errno: 'ECONNRESET' },
    ]);
  });
});

describe('a raw endpoint scripts the other side', () => {
  const RAW = 'endpoint server 10.0.0.2:8080 isn=1000\nendpoint remote 10.0.0.1:40000 raw\n@0 server listen\n';

  test('it sends only what inject says, with its TCP options; what reaches it is delivered, never answered', () => {
    const sim = simulate('@10ms inject remote -> server SYN seq=0 mss=1460 sackok ts=100:0 wscale=7\n+20ms inject remote -> server ACK seq=1 ack=1001\n+10ms inject remote -> server none seq=5 sack=1:2\n+0 expect server is ESTABLISHED', 'rfc', RAW);
    assert.deepEqual(segments(sim), [
      'remote -> server <SEQ=0><CTL=SYN>',
      'server -> remote <SEQ=1000><ACK=1><CTL=SYN,ACK>',
      'remote -> server <SEQ=1><ACK=1001><CTL=ACK>',
      'remote -> server <SEQ=5><CTL=>',
    ]);
    const syn = sim.trace.find((e) => e.kind === 'inject');
    assert.deepEqual(syn?.kind === 'inject' && syn.options, { mss: 1460, sackPermitted: true, ts: { val: 100, ecr: 0 }, wscale: 7 });
    // The SYN,ACK reached the raw endpoint: delivered, no RST back.
    const synAck = sim.trace.find((e) => e.kind === 'send' && e.from === 'server');
    assert.ok(sim.trace.some((e) => e.kind === 'deliver' && synAck?.kind === 'send' && e.id === synAck.id && e.rule === undefined));
    assert.deepEqual(expectations(sim.trace), ['ok server is ESTABLISHED']);
  });

  test('a flagless segment in ESTABLISHED is dropped by the receiver (no ACK bit)', () => {
    const sim = simulate('@10ms inject remote -> server SYN seq=0\n+20ms inject remote -> server ACK seq=1 ack=1001\n+10ms inject remote -> server none seq=1', 'rfc', RAW);
    const flagless = sim.trace.find((e) => e.kind === 'inject' && e.flags.length === 0);
    assert.ok(sim.trace.some((e) => e.kind === 'deliver' && flagless?.kind === 'inject' && e.id === flagless.id && e.rule === 'rfc9293.3.10.7.4.no-ack'));
  });

  test('the trace document marks the raw endpoint', async () => {
    const { traceDocumentOf } = await import('../../src/engine/simulation');
    const { program } = compile(RAW);
    assert.deepEqual(traceDocumentOf(program!, []).endpoints.map((e) => e.raw), [undefined, true]);
  });
});
