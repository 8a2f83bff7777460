// Scenarios beyond the RFC figures: loss and retransmission, TIME-WAIT, half-close, keep-alive,
// wrap-around, several clients, the linux profile, flow control.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TimerEvent, TraceEvent } from '../../src/engine/trace';
import { appErrors, connected, expectations, fate, ms, notes, rfc, s, Scenario, segments, transitions, wire } from './helpers';

/** Keep-alive on the server: first probe after 60 s idle, then every 5 s, three of them. */
const KEEPALIVE = { keepalive: true, keepaliveIdle: s(60), keepaliveInterval: s(5), keepaliveProbes: 3 };

const timers = (trace: readonly TraceEvent[], name: string, endpoint?: string): TimerEvent[] =>
  trace.filter((e): e is TimerEvent => e.kind === 'timer' && e.name === name && (endpoint === undefined || e.endpoint === endpoint));

describe('opening', () => {
  test('a lost SYN is retransmitted after exactly 1 s (RFC 6298 initial RTO)', () => {
    const sim = new Scenario()
      .endpoint('client', { isn: 100 })
      .endpoint('server', { isn: 300 })
      .at(0)
      .listen('server')
      .fault('drop', { from: 'client', to: 'server', flags: ['SYN'] })
      .connect('client', 'server')
      .run();
    const syns = wire(sim.trace).filter((e) => e.flags.join() === 'SYN');
    assert.deepEqual(
      syns.map((e) => [e.t, e.seq, e.retransmission]),
      [
        [0, 100, false],
        [1000, 100, true],
      ],
    );
    assert.equal(fate(sim, syns[0].id), 'drop:drop client -> server SYN once');
    assert.equal(fate(sim, syns[1].id), 'deliver');
    assert.equal(sim.stateOf('client'), 'ESTABLISHED');
    assert.equal(sim.stateOf('server'), 'ESTABLISHED');
  });

  test('a SYN that is never answered gives up after the retry limit with a reason', () => {
    const sim = new Scenario('linux')
      .endpoint('client', { isn: 100 })
      .endpoint('server', { isn: 300 })
      .at(0)
      .fault('drop', { from: 'client', to: 'server', flags: ['SYN'] }, Infinity)
      .connect('client', 'server')
      .run();
    const syns = wire(sim.trace).filter((e) => e.flags.join() === 'SYN');
    // Linux 6.18 (docs/captures.md, syn-give-up): 1 s apart five times (tcp_syn_linear_timeouts 4),
    // then doubling, on the timer wheel; the kernel sent them at 0, 1021.8, 2049.8, 3069.8, 4097.8,
    // 5117.8, 7133.8, 11393.8, 19581.8, 35713.7, 69501.8 ms.
    const gaps = syns.slice(1).map((e, i) => Math.round((e.t - syns[i].t) / 1000));
    assert.deepEqual(gaps, [1, 1, 1, 1, 1, 2, 4, 8, 16, 34]);
    assert.deepEqual(appErrors(sim.trace), ['client connect: connection timed out']);
    assert.match(notes(sim.trace).join(), /no answer after 127 s \(tcp_syn_retries 6\)/);
    // Given up by time (127 s of doubling from 1 s), checked when the timer fires: the kernel at 135.0 s.
    const closed = sim.trace.find((e) => e.kind === 'transition' && e.to === 'CLOSED')!;
    assert.ok(closed.t >= 127_000 && closed.t <= 136_000, String(closed.t));
  });

  test('connecting to a port with no listener is answered by RST,ACK', () => {
    const sim = new Scenario().endpoint('client', { isn: 100 }).endpoint('server', { isn: 300 }).at(0).connect('client', 'server').run();
    assert.deepEqual(segments(sim), ['client -> server <SEQ=100><CTL=SYN>', 'server -> client <SEQ=0><ACK=101><CTL=ACK,RST>']);
    assert.deepEqual(transitions(sim), ['client: CLOSED -> SYN-SENT', 'client: SYN-SENT -> CLOSED']);
    assert.deepEqual(appErrors(sim.trace), ['client connect: connection refused']);
  });
});

describe('closing', () => {
  test('the final ACK lost: FIN retransmitted, re-ACKed from TIME-WAIT, TIME-WAIT restarted', () => {
    const sc = connected().at(ms(100)).close('client').at(ms(200)).fault('drop', { from: 'client', to: 'server', flags: ['ACK'] }).close('server');
    const sim = sc.run();
    assert.deepEqual(segments(sim).slice(3), [
      'client -> server <SEQ=101><ACK=301><CTL=ACK,FIN>',
      'server -> client <SEQ=301><ACK=102><CTL=ACK>',
      'server -> client <SEQ=301><ACK=102><CTL=ACK,FIN>',
      'client -> server <SEQ=102><ACK=302><CTL=ACK>', // lost
      'server -> client <SEQ=301><ACK=102><CTL=ACK,FIN>', // retransmitted after RTO
      'client -> server <SEQ=102><ACK=302><CTL=ACK>', // re-ACKed from TIME-WAIT
    ]);
    const w = wire(sim.trace);
    assert.match(fate(sim, w[6].id)!, /^drop:/);
    assert.equal(w[7].retransmission, true);
    assert.equal(w[7].t, 1200); // the server's RTO is 1 s (RFC 6298 minimum)
    const tw = timers(sim.trace, 'time-wait', 'client');
    assert.deepEqual(
      tw.map((e) => [e.action, e.t, e.expires]),
      [
        ['start', 210, 240_210],
        ['start', 1210, 241_210], // restarted by the retransmitted FIN
        ['fire', 241_210, undefined],
      ],
    );
    assert.equal(sim.stateOf('client'), 'CLOSED');
    assert.equal(sim.stateOf('server'), 'LISTEN');
  });

  test('half-close: data keeps flowing to the side that sent the first FIN', () => {
    const sim = connected()
      .at(ms(100))
      .shutdown('client')
      .at(ms(200))
      .send('server', 3000)
      .at(ms(300))
      .close('server')
      .at(ms(400))
      .expectReceived('client', 3000)
      .expectState('client', 'TIME-WAIT')
      .run();
    assert.deepEqual(
      expectations(sim).map((e) => e.ok),
      [true, true],
    );
    const data = wire(sim.trace).filter((e) => e.from === 'server' && e.len > 0);
    assert.deepEqual(
      data.map((e) => [e.seq, e.len]),
      [
        [301, 1460],
        [1761, 1460],
        [3221, 80],
      ],
    );
    // The data arrives while the client is in FIN-WAIT-2.
    const fw2 = sim.trace.findIndex((e) => e.kind === 'transition' && e.to === 'FIN-WAIT-2');
    const firstData = sim.trace.findIndex((e) => e.kind === 'data' && e.endpoint === 'client');
    assert.ok(fw2 >= 0 && fw2 < firstData);
  });

  test('abort sends <SEQ=SND.NXT><CTL=RST> and the peer reports a reset', () => {
    const sim = connected().at(ms(100)).abort('client').run();
    assert.deepEqual(segments(sim).slice(3), ['client -> server <SEQ=101><CTL=RST>']);
    assert.deepEqual(appErrors(sim.trace), ['server receive: connection reset']);
    assert.equal(sim.stateOf('server'), 'LISTEN');
  });
});

describe('data', () => {
  test('a lost data segment is retransmitted and the stream is delivered whole', () => {
    const sim = connected()
      .at(ms(100))
      .fault('drop', { from: 'client', to: 'server', data: true, seq: 1561 })
      .send('client', 5000)
      .at(ms(3000))
      .expectReceived('server', 5000)
      .run();
    assert.deepEqual(expectations(sim)[0].ok, true);
    const data = wire(sim.trace).filter((e) => e.from === 'client' && e.len > 0);
    // The initial window is three segments (RFC 5681 3.1, SMSS 1460). The ACK of the first one
    // opens the window, but the 620-byte tail is smaller than an MSS and data is outstanding:
    // Nagle holds it (RFC 1122 4.2.3.4). One duplicate ACK is not three, so the timer recovers
    // the hole one RTO (1 s) after the first ACK restarted it, then the tail goes.
    assert.deepEqual(
      data.map((e) => [e.seq, e.len, e.retransmission, e.t]),
      [
        [101, 1460, false, 100],
        [1561, 1460, false, 100],
        [3021, 1460, false, 100],
        [1561, 1460, true, 1120],
        [4481, 620, false, 1140],
      ],
    );
    const acks = wire(sim.trace).filter((e) => e.from === 'server' && e.t > 100);
    // A duplicate ACK for the hole, then cumulative ACKs.
    assert.deepEqual(
      acks.map((e) => e.ack),
      [1561, 1561, 4481, 5101],
    );
  });

  test('sequence numbers wrap around 2^32', () => {
    const isn = 2 ** 32 - 1000;
    const sim = new Scenario()
      .endpoint('client', { isn })
      .endpoint('server', { isn: 2 ** 32 - 1 })
      .at(0)
      .listen('server')
      .connect('client', 'server')
      .at(ms(100))
      .send('client', 5000)
      .at(ms(200))
      .close('client')
      .at(ms(300))
      .close('server')
      .at(ms(400))
      .expectReceived('server', 5000)
      .expectState('client', 'TIME-WAIT')
      .run();
    assert.deepEqual(
      expectations(sim).map((e) => e.ok),
      [true, true],
    );
    const w = wire(sim.trace);
    assert.equal(rfc(w[1]), `server -> client <SEQ=${2 ** 32 - 1}><ACK=${isn + 1}><CTL=SYN,ACK>`);
    assert.equal(rfc(w[2]), `client -> server <SEQ=${isn + 1}><ACK=0><CTL=ACK>`); // the server's SYN took the last number
    const fin = w.find((e) => e.from === 'client' && e.flags.includes('FIN'))!;
    assert.equal(fin.seq, (isn + 1 + 5000) % 2 ** 32);
    assert.ok(fin.seq < isn); // it wrapped
  });

  test('zero window: the receiver that does not read fills up, the sender probes, reading reopens it', () => {
    const sim = connected({ server: { rcvBuf: 4000 } })
      .at(ms(100))
      .send('client', 10_000)
      .at(ms(5000))
      .receive('server')
      .at(ms(20_000))
      .receive('server')
      .at(ms(40_000))
      .receive('server')
      .expectReceived('server', 10_000)
      .run();
    assert.equal(expectations(sim)[0].ok, true, JSON.stringify(expectations(sim)));
    const w = wire(sim.trace);
    const zero = w.find((e) => e.from === 'server' && e.wnd === 0)!;
    assert.equal(zero.ack, 4101); // 4000 bytes in, window closed
    const probes = w.filter((e) => e.kind === 'send' && e.probe === 'zero-window');
    assert.ok(probes.length >= 2);
    assert.deepEqual([probes[0].seq, probes[0].len], [4101, 1]);
    // Each probe is answered with an ACK that still shows the zero window.
    const answer = w.find((e) => e.from === 'server' && e.t > probes[0].t)!;
    assert.deepEqual([answer.ack, answer.wnd], [4101, 0]);
    // Back-off between probes (1 s, 2 s, ...).
    assert.ok(probes[1].t - probes[0].t > probes[0].t - zero.t - 100);
    // After the read the window update lets the rest through.
    const update = w.find((e) => e.from === 'server' && e.t >= 5000)!;
    assert.equal(update.wnd, 4000);
  });

  test('RFC 1122 4.2.3.6 keep-alive discovers a crashed client that rebooted (it answers the probe with RST)', () => {
    const sim = connected({ server: KEEPALIVE })
      .at(s(1))
      .crash('client')
      .restart('client')
      .run();
    const w = wire(sim.trace).slice(3);
    assert.deepEqual(w.map(rfc), [
      'server -> client <SEQ=300><ACK=101><CTL=ACK>', // probe: SND.NXT - 1
      'client -> server <SEQ=101><CTL=RST>', // no TCB any more: <SEQ=SEG.ACK><CTL=RST>
    ]);
    assert.equal(w[0].kind === 'send' && w[0].probe, 'keepalive');
    assert.equal(w[0].t, 60_030); // idle time after the last segment heard (the ACK at 30 ms)
    assert.deepEqual(appErrors(sim.trace), ['server receive: connection reset']);
    assert.equal(sim.view().endpoints[1].connections.length, 0);
  });

  test('keep-alive gives up on a host that is gone after the probe count', () => {
    const sim = connected({ server: KEEPALIVE })
      .at(s(1))
      .fault('drop', { from: 'server', to: 'client' }, Infinity)
      .run();
    const probes = wire(sim.trace).filter((e) => e.kind === 'send' && e.probe === 'keepalive');
    assert.deepEqual(
      probes.map((e) => e.t),
      [60_030, 65_030, 70_030],
    );
    assert.deepEqual(appErrors(sim.trace), ['server send: connection timed out']);
    assert.match(notes(sim.trace).join(), /no answer to 3 probes/);
    assert.equal(sim.trace.find((e) => e.kind === 'transition' && e.to === 'CLOSED')?.t, 75_030);
  });
});

describe('crash and restart', () => {
  test('a crashed host stays silent: probes to it are dropped as "crashed" and keep-alive gives up', () => {
    const sim = connected({ server: KEEPALIVE })
      .at(s(1))
      .crash('client')
      .run();
    const probes = wire(sim.trace).filter((e) => e.kind === 'send' && e.probe === 'keepalive');
    assert.deepEqual(probes.map((e) => e.t), [60_030, 65_030, 70_030]);
    const drops = sim.trace.filter((e) => e.kind === 'drop');
    assert.deepEqual(drops.map((e) => e.kind === 'drop' && e.reason), ['crashed', 'crashed', 'crashed']);
    assert.equal(wire(sim.trace).filter((e) => e.from === 'client' && e.t > 1000).length, 0);
    assert.deepEqual(appErrors(sim.trace), ['server send: connection timed out']);
  });

  test('after restart the host answers an old connection\'s segment with RST', () => {
    const sim = connected()
      .at(s(1))
      .crash('client')
      .at(s(2))
      .restart('client')
      .send('server', 10)
      .run();
    const fromClient = wire(sim.trace).filter((e) => e.from === 'client' && e.t > 1000);
    assert.deepEqual(fromClient.map((e) => e.flags.join(',')), ['RST']);
    assert.equal(sim.stateOf('server'), 'LISTEN');
  });
});

describe('hosts', () => {
  test('a server with two clients: the listener stays, each SYN spawns a labelled connection', () => {
    const sim = new Scenario()
      .endpoint('c1', { isn: 100 })
      .endpoint('c2', { isn: 200 })
      .endpoint('server', { isn: 300 })
      .at(0)
      .listen('server')
      .connect('c1', 'server')
      .at(ms(5))
      .connect('c2', 'server')
      .at(ms(100))
      .send('c1', 100)
      .send('c2', 200)
      .send('server', 50, 'c1')
      .at(ms(200))
      .expectReceived('server', 300)
      .expectReceived('c1', 50)
      .expectReceived('c2', 0)
      .expectState('server', 'ESTABLISHED')
      .run();
    assert.deepEqual(
      expectations(sim).map((e) => e.ok),
      [true, true, true, true],
    );
    assert.deepEqual(transitions(sim, 'server'), [
      'server: CLOSED -> LISTEN',
      'server/c1: LISTEN -> SYN-RECEIVED',
      'server/c2: LISTEN -> SYN-RECEIVED',
      'server/c1: SYN-RECEIVED -> ESTABLISHED',
      'server/c2: SYN-RECEIVED -> ESTABLISHED',
    ]);
    assert.deepEqual(transitions(sim, 'c1'), ['c1: CLOSED -> SYN-SENT', 'c1: SYN-SENT -> ESTABLISHED']); // c1 has one peer: no label
    const server = sim.view().endpoints[2];
    assert.equal(server.listening, true);
    assert.deepEqual(
      server.connections.map((c) => [c.conn, c.ISS]),
      [
        ['c1', 300],
        ['c2', 300 + 5000 / 4 + 0], // the ISN clock ticked 5 ms / 4 us
      ],
    );
  });

  test('a restarted host picks a new, larger ISN from the clock', () => {
    const sim = connected().at(s(1)).crash('client').at(s(2)).connect('client', 'server').end(s(2) + ms(5)).run();
    const syns = wire(sim.trace).filter((e) => e.from === 'client' && e.flags.join() === 'SYN');
    assert.deepEqual(
      syns.map((e) => e.seq),
      [100, 100 + 2_000_000 / 4],
    );
  });

  test('default ISNs come from the clock and differ per host', () => {
    const sim = new Scenario().endpoint('a').endpoint('b').at(ms(4)).listen('b').connect('a', 'b').run();
    const w = wire(sim.trace);
    assert.equal(w[0].seq, 1000 + 1000); // host 0: 1000 + 4 ms / 4 us
    assert.equal(w[1].seq, 2000 + 14_000 / 4); // host 1, at 14 ms
  });
});

describe('linux profile', () => {
  test('a prompt close merges the ACK of the FIN with our FIN (three segments), TIME-WAIT is 60 s', () => {
    // The FIN arrives at 110 ms; the server closes within the timer tick its delayed ACK waits for.
    const sim = connected({ profile: 'linux' }).at(ms(100)).close('client').at(ms(110.5)).close('server').run();
    assert.deepEqual(segments(sim).slice(3), [
      'client -> server <SEQ=101><ACK=301><CTL=ACK,FIN>',
      'server -> client <SEQ=301><ACK=102><CTL=ACK,FIN>', // the delayed ACK rides on the FIN
      'client -> server <SEQ=102><ACK=302><CTL=ACK>',
    ]);
    const enter = sim.trace.find((e) => e.kind === 'transition' && e.to === 'TIME-WAIT')!;
    const leave = sim.trace.find((e) => e.kind === 'transition' && e.from === 'TIME-WAIT')!;
    // TCP_TIMEWAIT_LEN on the timer wheel, whose granularity at 60 s is 2.048 s (the kernel: 61.2 and 61.9 s).
    assert.ok(leave.t - enter.t >= 60_000 && leave.t - enter.t <= 62_048, String(leave.t - enter.t));
    assert.deepEqual(
      timers(sim.trace, 'delayed-ack', 'server').map((e) => [e.action, e.rule]),
      [
        ['start', 'linux.tcp_fin.pingpong'],
        ['cancel', 'linux.tcp_send_delayed_ack.ato'],
      ],
    );
  });

  test('a later close: with no data received, the ACK of the FIN leaves at the next timer tick (four segments)', () => {
    const sim = connected({ profile: 'linux' }).at(ms(100)).close('client').at(ms(300)).close('server').run();
    const w = wire(sim.trace).slice(3);
    assert.deepEqual(
      w.map((e) => [e.from, e.flags.join(), e.t]),
      [
        ['client', 'ACK,FIN', 100],
        ['server', 'ACK', 114], // the FIN arrived at 110; ato is 0: the tick after, at 114 (ticks at 2 + 4k ms)
        ['server', 'ACK,FIN', 300],
        ['client', 'ACK', 310],
      ],
    );
  });

  test('after data, the ACK of the FIN waits ato (40 ms, TCP_ATO_MIN)', () => {
    const sim = connected({ profile: 'linux' }).at(ms(100)).send('client', 100).at(ms(500)).close('client').at(ms(700)).close('server').run();
    const w = wire(sim.trace).slice(3);
    assert.deepEqual(
      w.map((e) => [e.from, e.flags.join(), e.len, e.t]),
      [
        ['client', 'ACK,PSH', 100, 100], // PSH: the last segment of the write (tcp_push)
        ['server', 'ACK', 0, 110], // the first data of a connection: quick-ACK mode, at once
        ['client', 'ACK,FIN', 0, 500],
        ['server', 'ACK', 0, 554], // FIN at 510, ato 40 ms in jiffies and the tick after
        ['server', 'ACK,FIN', 0, 700],
        ['client', 'ACK', 0, 710],
      ],
    );
  });

  test('closing with unread data sends RST (RFC 1122 4.2.2.13)', () => {
    const sim = connected({ profile: 'linux' }).at(ms(100)).send('client', 100).at(ms(200)).close('server').receive('server').run();
    assert.deepEqual(segments(sim).slice(-1), ['server -> client <SEQ=301><ACK=201><CTL=ACK,RST>']);
    assert.deepEqual(appErrors(sim.trace), ['server receive: connection does not exist', 'client receive: connection reset']);
  });
});

describe('network', () => {
  test('duplicate makes a copy with its own id that is delivered too', () => {
    const sim = connected().at(ms(100)).fault('duplicate', { from: 'client', to: 'server', data: true }).send('client', 10).run();
    const dup = sim.trace.find((e) => e.kind === 'duplicate')!;
    assert.ok(dup.kind === 'duplicate');
    assert.equal(fate(sim, dup.id), 'deliver');
    assert.equal(fate(sim, dup.copy), 'deliver');
    // The copy is old news: the server answers with an ACK and delivers 10 bytes once.
    assert.equal(sim.view().endpoints[1].received, 10);
  });

  test('corrupt: the receiver discards it (checksum), the sender retransmits', () => {
    const sim = connected().at(ms(100)).fault('corrupt', { from: 'client', to: 'server', data: true }).send('client', 10).run();
    const w = wire(sim.trace).filter((e) => e.len > 0);
    assert.equal(fate(sim, w[0].id), 'drop:corrupt');
    assert.equal(w[1].retransmission, true);
    assert.equal(sim.view().endpoints[1].received, 10);
  });

  test('a lossy link with a seed loses the same segments every run', () => {
    const build = (seed: number) =>
      connected({ link: { delay: ms(10), loss: 0.2, seed } })
        .at(ms(100))
        .send('client', 50_000)
        .at(s(600))
        .expectReceived('server', 50_000);
    const a = build(7).run();
    const b = build(7).run();
    const c = build(8).run();
    const lost = (sim: typeof a) => sim.trace.filter((e) => e.kind === 'drop').map((e) => (e.kind === 'drop' ? e.id : ''));
    assert.ok(lost(a).length > 0);
    assert.deepEqual(lost(a), lost(b));
    assert.notDeepEqual(lost(a), lost(c));
    assert.equal(expectations(a)[0].ok, true);
  });
});

describe('loss recovery', () => {
  const transfer = (drops: number[], fastRetransmit?: number) => {
    // Ten segments leave at once (an initial window of ten, as in the linux profile), so that the
    // segments after each hole bring back enough duplicate ACKs.
    const sc = new Scenario('rfc', fastRetransmit === undefined ? { initCwnd: 10 } : { initCwnd: 10, fastRetransmit })
      .endpoint('client', { isn: 100 })
      .endpoint('server', { isn: 300 })
      .at(0)
      .listen('server')
      .connect('client', 'server')
      .at(ms(100));
    for (const seq of drops) sc.fault('drop', { from: 'client', to: 'server', data: true, seq });
    return sc.send('client', 10 * 1460).run();
  };

  test('three duplicate ACKs retransmit at once (RFC 5681 3.2), a partial ACK the next hole (RFC 6582)', () => {
    const second = 101 + 1460;
    const fifth = 101 + 4 * 1460;
    const sim = transfer([second, fifth]);
    const again = wire(sim.trace).filter((e) => e.kind === 'send' && e.retransmission);
    assert.deepEqual(
      again.map((e) => [e.seq, e.t]),
      [
        [second, 120], // the burst left at 100 ms; the third duplicate ACK is back at 120 ms
        [fifth, 140], // the partial ACK (up to the fifth segment) is back one round trip later
      ],
    );
    assert.match(notes(sim.trace).join(), /fast retransmit: 3 duplicate ACKs for 1561/);
    assert.equal(sim.view().endpoints[1].received, 14_600);
  });

  test('with fastRetransmit=0 only the timer recovers', () => {
    const sim = transfer([101 + 1460], 0);
    const again = wire(sim.trace).filter((e) => e.kind === 'send' && e.retransmission);
    assert.deepEqual(
      again.map((e) => e.t),
      [1120], // RTO 1 s, restarted by the ACK of the first segment at 120 ms
    );
  });
});

describe('the application', () => {
  test('autoread: on when no receive statement names the endpoint, off when one does, a setting overrides', () => {
    const build = (autoread?: boolean) => {
      const sc = new Scenario()
        .endpoint('client', { isn: 100 })
        .endpoint('server', autoread === undefined ? { isn: 300 } : { isn: 300, autoread })
        .at(0)
        .listen('server')
        .connect('client', 'server')
        .at(ms(100))
        .send('client', 500)
        .at(ms(200));
      return sc;
    };
    const reads = build().receive('server', 100).run(); // has a receive: reads only what it asks for
    assert.deepEqual([reads.view().endpoints[1].received, reads.view().endpoints[1].connections[0].receiveQueue], [100, 400]);
    const auto = build().expectReceived('server', 500).run(); // no receive: everything is read at once
    assert.equal(expectations(auto)[0].ok, true);
    const forced = build(true).receive('server', 100).run();
    assert.deepEqual([forced.view().endpoints[1].received, forced.view().endpoints[1].connections[0].receiveQueue], [500, 0]);
  });

  test('user calls pick a connection by peer (conn), else the newest', () => {
    const sim = new Scenario()
      .endpoint('c1', { isn: 100 })
      .endpoint('c2', { isn: 200 })
      .endpoint('server', { isn: 300 })
      .at(0)
      .listen('server')
      .connect('c1', 'server')
      .connect('c2', 'server')
      .at(ms(100))
      .close('server', 'c1')
      .at(ms(200))
      .close('server')
      .run();
    const fins = wire(sim.trace).filter((e) => e.from === 'server' && e.flags.includes('FIN'));
    assert.deepEqual(
      fins.map((e) => [e.to, e.t]),
      [
        ['c1', 100],
        ['c2', 200], // the newest connection
      ],
    );
  });

  test('calls that the RFC refuses get an error, not a crash', () => {
    const sim = new Scenario().endpoint('client').endpoint('server').at(0).send('client', 10).receive('client').close('client').abort('server').connect('client', 'client').run();
    assert.deepEqual(appErrors(sim.trace), [
      'client send: connection does not exist',
      'client receive: connection does not exist',
      'client close: connection does not exist',
      'server abort: connection does not exist',
      'client connect: cannot connect to itself',
    ]);
  });
});
