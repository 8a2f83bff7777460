// Congestion control (issue 10). Each expected window is worked out here from the RFC's arithmetic
// (RFC 5681, RFC 6582, RFC 3042, RFC 1122 4.2.3.4, RFC 9438, RFC 6937 as tcp_input.c runs it), not
// recorded from the engine. Links are the default 10 ms each way (RTT 20 ms), SMSS 1460.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cubic, CUBIC_C } from '../../src/engine/congestion/cubic';
import { MAX_WINDOW, newCongestionState } from '../../src/engine/congestion/index';
import { newReno } from '../../src/engine/congestion/newreno';
import { Simulation, type TcbView, type TraceEvent } from '../../src/engine/index';
import { connected, ms, notes, s, Scenario, wire, type EndpointOptions } from './helpers';

const SMSS = 1460;

function transfer(profile: 'rfc' | 'linux' = 'rfc', client: EndpointOptions = {}, server: EndpointOptions = {}): Scenario {
  return connected({ profile, client, server }).at(ms(100));
}

/** Data segments the client sent, grouped by send time (ms). */
function burstsByTime(trace: readonly TraceEvent[]): Map<number, number> {
  const bursts = new Map<number, number>();
  for (const e of wire(trace)) if (e.from === 'client' && e.len > 0 && !e.retransmission) bursts.set(e.t, (bursts.get(e.t) ?? 0) + 1);
  return bursts;
}

/** Runs until `stop` matches an event handed out, then returns the client's TCB (the world after that whole action). */
function clientAt(sc: Scenario, stop: (e: TraceEvent) => boolean): { tcb: TcbView; sim: Simulation } {
  const sim = new Simulation(sc.program);
  for (let e = sim.step(); e; e = sim.step()) {
    if (stop(e)) return { tcb: sim.view().endpoints[0].connections[0], sim };
  }
  throw new Error('the event never came');
}

const isNote = (text: string) => (e: TraceEvent) => e.kind === 'note' && e.endpoint === 'client' && e.message.startsWith(text);

describe('RFC 5681 3.1: the initial window', () => {
  for (const [mss, segments] of [
    [1460, 3], // 1095 < SMSS <= 2190: IW = 3 * SMSS
    [1000, 4], // SMSS <= 1095: IW = 4 * SMSS
    [2500, 2], // SMSS > 2190: IW = 2 * SMSS
  ]) {
    test(`SMSS ${mss}: ${segments} segments leave at once`, () => {
      const sim = transfer('rfc', { mss }, { mss }).send('client', 50_000).end(ms(110)).run();
      assert.equal(burstsByTime(sim.trace).get(100), segments);
      assert.equal(sim.view().endpoints[0].connections[0].cwnd, segments * mss);
    });
  }

  test('linux: ten segments (RFC 6928, TCP_INIT_CWND)', () => {
    const sim = transfer('linux').send('client', 50_000).end(ms(110)).run();
    assert.equal(burstsByTime(sim.trace).get(100), 10);
  });

  test('a retransmitted SYN leaves an initial window of one segment', () => {
    const sim = new Scenario()
      .endpoint('client', { isn: 100 })
      .endpoint('server', { isn: 300 })
      .at(0)
      .listen('server')
      .fault('drop', { from: 'client', to: 'server', flags: ['SYN'] })
      .connect('client', 'server')
      .at(ms(100))
      .send('client', 50_000)
      .end(s(4))
      .run();
    const first = [...burstsByTime(sim.trace).entries()][0];
    assert.equal(first[1], 1);
  });
});

describe('RFC 5681 3.1: slow start', () => {
  test('cwnd += SMSS per ACK: the bursts double every round trip until the receive window (65535) limits them', () => {
    const sim = transfer().send('client', 300_000).run();
    const bursts = burstsByTime(sim.trace);
    // Round k sends IW * 2^k: each ACK of one segment frees it and grows cwnd by one more.
    assert.deepEqual(
      [100, 120, 140, 160].map((t) => bursts.get(t)),
      [3, 6, 12, 24],
    );
    // At 180 ms cwnd would allow 48, but 65535 bytes of window hold 44 full segments and a piece of
    // 65535 - 44 * 1460 = 1295 bytes.
    assert.equal(bursts.get(180), 44 + 1);
  });

  test('cwnd after each round: IW * 2^k', () => {
    const sc = transfer().send('client', 300_000);
    for (const [t, cwnd] of [
      [ms(119), 3 * SMSS],
      [ms(121), 6 * SMSS],
      [ms(141), 12 * SMSS],
      [ms(161), 24 * SMSS],
    ]) {
      const sim = new Simulation({ ...sc.program, end: t });
      sim.run();
      assert.equal(sim.view().endpoints[0].connections[0].cwnd, cwnd, `at ${t / 1000} ms`);
    }
  });
});

describe('RFC 5681 3.1: congestion avoidance by byte counting', () => {
  test('cwnd grows by one SMSS once a whole cwnd has been acknowledged', () => {
    const c = newCongestionState(10 * SMSS);
    c.ssthresh = 5 * SMSS;
    for (let i = 0; i < 9; i++) newReno.onAck(c, SMSS, SMSS, 0);
    assert.equal(c.cwnd, 10 * SMSS, 'nine segments are less than cwnd');
    newReno.onAck(c, SMSS, SMSS, 0);
    assert.equal(c.cwnd, 11 * SMSS, 'the tenth completes 14600 bytes');
  });

  test('slow start grows by min(N, SMSS): a stretch ACK of two segments adds one SMSS', () => {
    const c = newCongestionState(3 * SMSS);
    newReno.onAck(c, 2 * SMSS, SMSS, 0);
    assert.equal(c.cwnd, 4 * SMSS);
    newReno.onAck(c, 100, SMSS, 0);
    assert.equal(c.cwnd, 4 * SMSS + 100);
  });
});

describe('RFC 5681 3.2 and RFC 6582: fast retransmit, partial and full ACKs', () => {
  // Ten segments at once (initCwnd 10); segments 2 and 5 are lost.
  const second = 101 + SMSS;
  const fifth = 101 + 4 * SMSS;
  const lossy = (): Scenario =>
    transfer('rfc', { initCwnd: 10 })
      .fault('drop', { from: 'client', to: 'server', data: true, seq: second })
      .fault('drop', { from: 'client', to: 'server', data: true, seq: fifth })
      .send('client', 10 * SMSS);

  test('at the third duplicate ACK: ssthresh = max(FlightSize / 2, 2*SMSS), cwnd = ssthresh + 3*SMSS', () => {
    const { tcb } = clientAt(lossy(), isNote('fast retransmit'));
    // The ACK of segment 1 came first: SND.UNA = 1561, so FlightSize = 9 segments = 13140.
    const ssthresh = Math.max(13_140 / 2, 2 * SMSS);
    assert.equal(tcb.ssthresh, ssthresh);
    assert.equal(tcb.cwnd, ssthresh + 3 * SMSS);
    assert.equal(tcb.recovery, 'recovery');
  });

  test('each further duplicate ACK inflates cwnd by SMSS', () => {
    // Segments 3, 4, 6..10 bring 7 duplicate ACKs: the 4th to 7th add 4 * SMSS.
    const sim = new Simulation({ ...lossy().program, end: ms(121) });
    sim.run();
    assert.equal(sim.view().endpoints[0].connections[0].cwnd, 6570 + 3 * SMSS + 4 * SMSS);
  });

  test('a partial ACK: the next hole is sent at once, cwnd deflates by what it acknowledged and adds back SMSS', () => {
    const { tcb, sim } = clientAt(lossy(), (e) => e.kind === 'send' && e.retransmission && e.seq === fifth);
    assert.equal(sim.trace[sim.trace.length - 1].rule, 'rfc6582.3.2.partial-ack');
    // The ACK covers segments 2 to 4: 5941 - 1561 = 4380 bytes, at least one SMSS.
    const inflated = 6570 + 3 * SMSS + 4 * SMSS;
    assert.equal(tcb.cwnd, inflated - 4380 + SMSS);
    assert.equal(tcb.ssthresh, 6570);
    assert.equal(tcb.recovery, 'recovery');
  });

  test('the full ACK ends recovery: cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS)', () => {
    const { tcb } = clientAt(lossy(), isNote('recovery ends'));
    // Everything is acknowledged: FlightSize = 0, so cwnd = min(6570, 1460 + 1460).
    assert.equal(tcb.cwnd, Math.min(6570, Math.max(0, SMSS) + SMSS));
    assert.equal(tcb.recovery, 'open');
  });

  test('fast retransmit waits for three duplicates: two are not enough without limited transmit', () => {
    // IW 3, the first segment lost: segments 2 and 3 bring two duplicate ACKs, then nothing.
    const sim = transfer().fault('drop', { from: 'client', to: 'server', data: true, seq: 101 }).send('client', 20 * SMSS).run();
    const again = wire(sim.trace).find((e) => e.kind === 'send' && e.retransmission)!;
    assert.equal(again.rule, 'rfc6298.5.4');
  });

  test('RFC 3042 limited transmit: each of the first two duplicate ACKs lets one new segment out, so the third comes', () => {
    const sim = transfer('rfc', { limitedTransmit: true }).fault('drop', { from: 'client', to: 'server', data: true, seq: 101 }).send('client', 20 * SMSS).run();
    const limited = wire(sim.trace).filter((e) => e.rule === 'rfc3042.limited-transmit');
    assert.deepEqual(
      limited.map((e) => [e.seq, e.t]),
      [
        [101 + 3 * SMSS, 120],
        [101 + 4 * SMSS, 120],
      ],
    );
    const again = wire(sim.trace).find((e) => e.kind === 'send' && e.retransmission)!;
    assert.deepEqual([again.rule, again.t], ['rfc5681.3.2.fast-retransmit', 140]);
  });
});

describe('RFC 5681 3.1: a retransmission timeout', () => {
  test('cwnd collapses to one segment, ssthresh = max(FlightSize / 2, 2*SMSS); slow start after', () => {
    // IW 3 segments, the second lost; one duplicate ACK only, so the timer fires 1 s after the
    // first ACK restarted it.
    const sc = transfer().fault('drop', { from: 'client', to: 'server', data: true, seq: 101 + SMSS }).send('client', 3 * SMSS);
    const { tcb } = clientAt(sc, isNote('timeout:'));
    // FlightSize: segments 2 and 3, 2920 bytes.
    assert.equal(tcb.ssthresh, Math.max(2920 / 2, 2 * SMSS));
    assert.equal(tcb.cwnd, SMSS);
    assert.equal(tcb.recovery, 'loss');
    const after = clientAt(sc, isNote('loss recovered')).tcb;
    // The ACK covers both segments (the receiver held the third): slow start adds min(2920, SMSS).
    assert.equal(after.cwnd, SMSS + SMSS);
    assert.equal(after.recovery, 'open');
  });

  test('after the timeout what was outstanding goes again as slow start opens the window', () => {
    // IW 3; segments 2 and 3 lost, so the timeout finds two holes.
    const sim = transfer()
      .fault('drop', { from: 'client', to: 'server', data: true, seq: 101 + SMSS })
      .fault('drop', { from: 'client', to: 'server', data: true, seq: 101 + 2 * SMSS })
      .send('client', 3 * SMSS)
      .run();
    const again = wire(sim.trace).filter((e) => e.kind === 'send' && e.retransmission);
    assert.deepEqual(
      again.map((e) => [e.seq, e.t, e.rule]),
      [
        [101 + SMSS, 1120, 'rfc6298.5.4'], // the timer: one segment (cwnd = LW)
        [101 + 2 * SMSS, 1140, 'rfc5681.3.1.timeout'], // its ACK: cwnd 2 segments, the other hole goes
      ],
    );
    assert.equal(sim.view().endpoints[1].received, 3 * SMSS);
  });
});

describe('RFC 5681 4.1: restart after idle', () => {
  test('after more than an RTO without sending, cwnd restarts from min(IW, cwnd)', () => {
    const sc = transfer().send('client', 40 * SMSS).at(s(5)).send('client', 40 * SMSS);
    const { tcb } = clientAt(sc, isNote('idle '));
    assert.equal(tcb.cwnd, Math.min(3 * SMSS, 999_999));
    const sim = sc.run();
    assert.ok(notes(sim.trace).some((n) => /cwnd \d+ -> 4380/.test(n)), notes(sim.trace).join('\n'));
    assert.equal(burstsByTime(sim.trace).get(5000), 3);
  });
});

describe("RFC 1122 4.2.3.4: Nagle's algorithm", () => {
  const writes = (profile: 'rfc' | 'linux', nodelay = false) => transfer(profile, { nodelay }).send('client', 100).send('client', 100).run();
  const secondAt = (trace: readonly TraceEvent[]) => wire(trace).filter((e) => e.from === 'client' && e.len > 0)[1].t;

  test('a second small write waits for the ACK of the first (rfc: ACKed at once, 20 ms)', () => {
    const sim = writes('rfc');
    assert.equal(secondAt(sim.trace), 120);
    assert.ok(notes(sim.trace).some((n) => n.startsWith('Nagle: 100 bytes wait')));
  });

  test('linux: the first data is ACKed at once (quick-ACK mode), so the second write waits one round trip', () => {
    // tcp_event_data_recv starts the quick-ACK credit with the first data: no 40 ms delayed ACK here.
    const sim = writes('linux');
    assert.equal(secondAt(sim.trace), 120);
    assert.ok(wire(sim.trace).some((e) => e.from === 'server' && e.t === 110 && e.rule === 'linux.tcp_ack_snd_check.quickack'));
  });

  test('linux: in ping-pong mode (the server answers within ato) the ACK is delayed, and Nagle waits for it', () => {
    // The server replies to the first request at once: data sent within ato of data received makes
    // the connection interactive (tcp_event_data_sent), so the second request's ACK waits for the
    // delayed-ACK timer (40 ms, in jiffies and the tick after), and the third small write waits for it.
    const sim = transfer('linux').send('client', 100).at(ms(110)).send('server', 100).at(ms(200)).send('client', 100).send('client', 100).run();
    const client = wire(sim.trace).filter((e) => e.from === 'client' && e.len > 0);
    const delayed = wire(sim.trace).find((e) => e.from === 'server' && e.rule === 'linux.tcp_delack_timer_handler.fire')!;
    assert.ok(delayed.t > 250 && delayed.t <= 254, String(delayed.t));
    assert.equal(client[2].t, delayed.t + 10);
  });

  test('nodelay=on sends both at once', () => {
    assert.equal(secondAt(writes('linux', true).trace), 100);
    assert.equal(secondAt(writes('rfc', true).trace), 100);
  });

  test('one write of 2000 bytes leaves whole: the small tail is part of the same burst', () => {
    const sim = transfer().send('client', 2000).run();
    assert.deepEqual(
      wire(sim.trace)
        .filter((e) => e.from === 'client' && e.len > 0)
        .map((e) => [e.len, e.t]),
      [
        [1460, 100],
        [540, 100],
      ],
    );
  });
});

describe('the send buffer (sndbuf)', () => {
  test('a send bigger than the buffer takes what fits, says the rest waits, and completes as ACKs free room', () => {
    const sc = transfer('rfc', { sndBuf: 10_000 }).send('client', 30_000).at(s(10)).expectReceived('server', 30_000);
    const sim = new Simulation(sc.program);
    let most = 0;
    for (let e = sim.step(); e; e = sim.step()) {
      const c = sim.view().endpoints[0].connections[0];
      if (c) most = Math.max(most, c.sendQueue + c.unacked);
    }
    assert.ok(most <= 10_000, `at most sndbuf bytes in the buffer (${most})`);
    const said = notes(sim.trace);
    assert.ok(said.includes('send buffer full: 20000 of 30000 bytes wait'), said.join('\n'));
    assert.ok(said.includes('blocked send completes'));
    assert.equal(sim.view().endpoints[1].received, 30_000);
  });
});

describe('RFC 9438: CUBIC', () => {
  // The kernel's beta: 717/1024.
  const beta = 717 / 1024;

  test('at a loss: ssthresh = cwnd * beta_cubic (at least 2 segments), W_max = cwnd, and fast convergence', () => {
    const c = newCongestionState(100 * SMSS);
    assert.equal(cubic.ssthresh(c, 0, SMSS), Math.floor(100 * beta) * SMSS);
    assert.equal(c.lastMaxCwnd, 100);
    // A second loss below W_max: W_max = cwnd * (1 + beta) / 2 (RFC 9438 4.7).
    c.cwnd = 90 * SMSS;
    cubic.ssthresh(c, 0, SMSS);
    assert.equal(c.lastMaxCwnd, Math.floor((90 * (1 + beta)) / 2));
  });

  test('after the loss cwnd follows W_cubic(t) = C*(t - K)^3 + W_max, K = cbrt(W_max*(1 - beta)/C)', () => {
    const wMax = 100;
    const c = newCongestionState(wMax * SMSS);
    c.ssthresh = cubic.ssthresh(c, 0, SMSS);
    c.cwnd = c.ssthresh; // recovery ended with cwnd = ssthresh
    const rtt = 100_000; // µs; every segment of a window is acknowledged within one RTT
    const K = Math.cbrt((wMax * (1 - 0.7)) / CUBIC_C);
    const wCubic = (t: number) => CUBIC_C * (t - K) ** 3 + wMax;
    let now = 0;
    const seen = new Map<number, number>();
    for (let round = 0; round < 80; round++) {
      const window = Math.round(c.cwnd / SMSS);
      for (let i = 0; i < window; i++) cubic.onAck(c, SMSS, SMSS, now + (i * rtt) / window);
      now += rtt;
      if (now % 1_000_000 === 0) seen.set(now / 1_000_000, c.cwnd / SMSS);
    }
    // K = cbrt(75) = 4.22 s: concave up to W_max, a plateau around it, then convex probing.
    for (const t of [1, 2, 3, 4, 5, 6, 7]) {
      const expected = wCubic(t);
      assert.ok(Math.abs(seen.get(t)! - expected) <= 2, `t=${t}s: cwnd ${seen.get(t)} segments, W_cubic ${expected.toFixed(1)}`);
    }
  });

  test('before any loss, in congestion avoidance, cwnd grows at least 5% per RTT', () => {
    const c = newCongestionState(100 * SMSS);
    c.ssthresh = 50 * SMSS;
    for (let i = 0; i < 100; i++) cubic.onAck(c, SMSS, SMSS, i * 1000);
    assert.equal(c.cwnd, 105 * SMSS); // cnt = 20: one segment per 20 acknowledged
  });

  test('a timeout forgets W_max (the kernel resets CUBIC on TCP_CA_Loss)', () => {
    const c = newCongestionState(100 * SMSS);
    cubic.ssthresh(c, 0, SMSS);
    cubic.onTimeout(c);
    assert.deepEqual([c.lastMaxCwnd, c.epochStart], [0, -1]);
  });
});

describe('linux: CUBIC with PRR (RFC 6937) in recovery', () => {
  test('RACK at the third SACKed duplicate ACK: ssthresh = 0.7 cwnd, cwnd = pipe + sndcnt (tcp_cwnd_reduction)', () => {
    // Ten full segments (1448 bytes: MSS 1460 less the timestamps option); the second lost. The
    // receiver, in quick-ACK mode, ACKs each at once, with SACK blocks after the hole.
    const MSS = 1448;
    const sc = transfer('linux').fault('drop', { from: 'client', to: 'server', data: true, seq: 101 + MSS }).send('client', 10 * MSS);
    const { tcb } = clientAt(sc, isNote('fast retransmit'));
    // The ACK of segment 1 grew cwnd to 11 segments (slow start). ssthresh = floor(11 * 717/1024) = 7.
    const ssthresh = Math.floor((11 * 717) / 1024);
    assert.equal(tcb.ssthresh, ssthresh * MSS);
    // RACK (no reordering window once three segments are SACKed) marks segment 2 lost. pipe = 9
    // outstanding - 3 SACKed - 1 lost = 5 segments <= ssthresh, so
    // sndcnt = min(ssthresh - pipe, max(prr_delivered - prr_out, delivered)) = min(2, 1) = 1.
    const pipe = 9 - 3 - 1;
    assert.equal(tcb.cwnd, (pipe + Math.min(ssthresh - pipe, 1)) * MSS);
    const sim = sc.run();
    const again = wire(sim.trace).filter((e) => e.kind === 'send' && e.retransmission);
    assert.deepEqual(
      again.map((e) => [e.seq, e.t, e.rule]),
      [[101 + MSS, 120, 'linux.tcp_rack_detect_loss.lost']],
    );
    assert.ok(notes(sim.trace).some((n) => n.startsWith('recovery ends')));
    assert.equal(sim.view().endpoints[1].received, 10 * MSS);
  });

  test('cwnd never exceeds the largest window', () => {
    const c = newCongestionState(MAX_WINDOW - SMSS);
    newReno.onAck(c, SMSS, SMSS, 0);
    newReno.onAck(c, SMSS, SMSS, 0);
    assert.equal(c.cwnd, MAX_WINDOW);
  });
});
