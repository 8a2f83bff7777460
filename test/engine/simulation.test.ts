// The simulator: stepping, determinism, snapshots, views, expectations, run limits.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runProgram, Simulation } from '../../src/engine/index';
import { connected, expectations, ms, s, Scenario, wire } from './helpers';

const lossy = (): Scenario =>
  new Scenario()
    .endpoint('client', { isn: 4_000_000_000 })
    .endpoint('server', { isn: 300 })
    .link('client', 'server', { delay: ms(10), jitter: ms(3), loss: 0.05, duplicate: 0.02, reorder: 0.02, corrupt: 0.02, seed: 42 })
    .at(0)
    .listen('server')
    .connect('client', 'server')
    .at(ms(100))
    .send('client', 200_000)
    .send('server', 30_000)
    .at(s(60))
    .close('client')
    .close('server');

describe('stepping', () => {
  test('step() returns exactly one new event, and the trace grows by one', () => {
    const sim = new Simulation(lossy().program);
    for (let i = 0; i < 500; i++) {
      const before = sim.trace.length;
      const event = sim.step();
      assert.ok(event);
      assert.equal(sim.trace.length, before + 1);
      assert.equal(sim.trace[before], event);
    }
  });

  test('view() states follow the trace handed out so far, event by event', () => {
    // Each connection's state in the view equals the `to` of its last transition in the trace.
    const sim = new Simulation(lossy().program);
    let checked = 0;
    for (let event = sim.step(); event; event = sim.step()) {
      const last = new Map<string, string>();
      for (const e of sim.trace) if (e.kind === 'transition') last.set(`${e.endpoint}/${e.conn ?? ''}`, e.to);
      for (const endpoint of sim.view().endpoints) {
        for (const tcb of endpoint.connections) {
          assert.equal(tcb.state, last.get(`${endpoint.name}/${tcb.conn ?? ''}`) ?? 'CLOSED', `${endpoint.name} at event ${sim.trace.length - 1}`);
          checked++;
        }
      }
      if (sim.trace.length > 3000) break;
    }
    assert.ok(checked > 1000);
  });

  test('run(n) produces n events, run() goes to the end, then step() returns undefined', () => {
    const sim = new Simulation(lossy().program);
    assert.equal(sim.run(123), 123);
    assert.equal(sim.trace.length, 123);
    sim.run();
    assert.equal(sim.done, true);
    assert.equal(sim.step(), undefined);
    assert.equal(sim.view().done, true);
  });

  test('the trace time never goes backwards', () => {
    const sim = runProgram(lossy().program);
    for (let i = 1; i < sim.trace.length; i++) assert.ok(sim.trace[i].t >= sim.trace[i - 1].t, `event ${i}`);
  });

  test('segments and their answers carry the line of the statement that caused them', () => {
    const sc = connected();
    const connectLine = sc.program.statements[1].line;
    sc.at(ms(100)).send('client', 10);
    const sendLine = sc.program.statements[2].line;
    const sim = sc.run();
    const w = wire(sim.trace);
    assert.deepEqual(
      w.map((e) => e.line),
      [connectLine, connectLine, connectLine, sendLine, sendLine],
    );
  });
});

describe('determinism', () => {
  test('the same program gives the same trace', () => {
    const a = runProgram(lossy().program);
    const b = runProgram(lossy().program);
    assert.ok(a.trace.length > 500);
    assert.ok(a.trace.some((e) => e.kind === 'drop' && e.reason === 'loss'));
    assert.ok(a.trace.some((e) => e.kind === 'duplicate'));
    assert.equal(JSON.stringify(a.trace), JSON.stringify(b.trace));
  });

  test('restoring a snapshot and replaying gives the same trace', () => {
    const reference = runProgram(lossy().program);
    const sim = new Simulation(lossy().program);
    const snapshots = [];
    while (!sim.done) {
      if (sim.trace.length % 13 === 0) snapshots.push(sim.snapshot());
      sim.step();
    }
    assert.equal(JSON.stringify(sim.trace), JSON.stringify(reference.trace));
    // Step back to several points, each twice, and replay to the end.
    for (const snap of [snapshots[snapshots.length - 1], snapshots[3], snapshots[0], snapshots[40], snapshots[40]]) {
      sim.restore(snap);
      assert.equal(sim.trace.length, snap.traceLength);
      assert.equal(sim.done, false);
      sim.run();
      assert.equal(JSON.stringify(sim.trace), JSON.stringify(reference.trace));
    }
  });

  test('forgetTrace drops what was handed out but the current instant; counts, snapshots and the rest of the run are unchanged', () => {
    const reference = runProgram(lossy().program);
    const half = Math.floor(reference.trace.length / 2);
    const sim = new Simulation(lossy().program);
    const streamed = [];
    let held = 0;
    let early;
    for (let event = sim.step(); event !== undefined && streamed.length < half; event = streamed.length < half ? sim.step() : undefined) {
      streamed.push(event);
      if (streamed.length === 100) early = sim.snapshot();
      sim.forgetTrace();
      held = Math.max(held, sim.trace.length);
      assert.equal(sim.traceLength, streamed.length);
      // What it keeps is the end of the trace: the events of the current instant.
      for (const kept of sim.trace) assert.equal(kept.t, sim.now / 1000);
    }
    assert.ok(held < 100, `held at most ${held} events`);
    // A snapshot after the forgotten events restores and replays as ever; one before them cannot.
    const late = sim.snapshot();
    const forgotten = sim.traceLength - sim.trace.length;
    sim.run();
    assert.equal(sim.traceLength, reference.trace.length);
    assert.equal(JSON.stringify([...streamed, ...sim.trace.slice(half - forgotten)]), JSON.stringify(reference.trace));
    sim.restore(late);
    assert.equal(sim.traceLength, half);
    sim.run();
    assert.equal(JSON.stringify(sim.trace), JSON.stringify(reference.trace.slice(forgotten)));
    assert.throws(() => sim.restore(early!), /before the events the trace forgot/);
  });

  test('a snapshot is not changed by running on after it', () => {
    const sim = new Simulation(lossy().program);
    sim.run(300);
    const snap = sim.snapshot();
    const view = JSON.stringify(sim.view());
    sim.run(2000);
    sim.restore(snap);
    assert.equal(JSON.stringify(sim.view()), view);
  });
});

describe('views', () => {
  test('TCB variables after the handshake, segments in flight with their arrival time', () => {
    const sim = connected().at(ms(100)).send('client', 2000).program;
    const run = new Simulation(sim);
    while (!(run.trace.length > 0 && run.trace[run.trace.length - 1].kind === 'send' && run.now === 100_000 && run.view().inFlight.length === 2)) run.step();
    const v = run.view();
    const client = v.endpoints[0].connections[0];
    assert.equal(client.state, 'ESTABLISHED');
    assert.deepEqual([client.ISS, client.IRS, client['SND.UNA'], client['SND.NXT'], client['RCV.NXT'], client['SND.WND']], [100, 300, 101, 2101, 301, 65535]);
    assert.equal(client.unacked, 2000);
    assert.deepEqual(
      v.inFlight.map((f) => [f.seq, f.len, f.sentAt, f.arrivesAt]),
      [
        [101, 1460, 100, 110],
        [1561, 540, 100, 110],
      ],
    );
    assert.deepEqual(client.timers, [{ name: 'retransmission', expires: 1100 }]);
    assert.equal(v.nextStatement, undefined);
  });

  test('dropInFlight drops a segment now, with reason "debug console"', () => {
    const sim = new Simulation(connected().program);
    while (sim.view().inFlight.length === 0) sim.step();
    const id = sim.view().inFlight[0].id;
    assert.equal(sim.dropInFlight(id), true);
    assert.equal(sim.dropInFlight(id), false);
    // Handed out after the events of the atomic action already under way.
    let event = sim.step();
    while (event && event.kind !== 'drop') event = sim.step();
    assert.deepEqual(event && event.kind === 'drop' && [event.id, event.reason, event.t], [id, 'debug console', 0]);
    sim.run();
    assert.ok(wire(sim.trace).some((e) => e.retransmission)); // the SYN came again
  });

  test('addFault applies from now on and is noted', () => {
    const sim = new Simulation(connected().program);
    sim.addFault({ kind: 'drop', pattern: { from: 'server', to: 'client', flags: ['SYN', 'ACK'] }, count: 1, text: 'drop server -> client SYN,ACK once' });
    sim.run();
    assert.ok(sim.trace.some((e) => e.kind === 'note' && e.message.includes('drop server -> client SYN,ACK once')));
    assert.ok(sim.trace.some((e) => e.kind === 'drop' && e.reason === 'drop server -> client SYN,ACK once'));
    assert.equal(sim.stateOf('client'), 'ESTABLISHED');
  });
});

describe('expectations', () => {
  test('expect-state, expect-received and expect-segment, ok and failing, with their lines', () => {
    const sc = connected().at(ms(100));
    // Written before the close on the same instant: checked once the instant has settled.
    sc.expectSegment({ from: 'client', to: 'server', flags: ['FIN', 'ACK'], seq: 101 });
    sc.close('client');
    sc.expectSegment({ from: 'client', to: 'server', flags: ['SYN'] });
    sc.expectState('client', 'FIN-WAIT-1');
    sc.expectState('server', 'CLOSE-WAIT');
    sc.expectReceived('server', 0);
    sc.after(ms(10)).expectSegment({ from: 'server', to: 'client', flags: ['ACK'], ack: 102 });
    const sim = sc.run();
    const lines = sc.program.statements.filter((st) => st.action.kind.startsWith('expect')).map((st) => st.line);
    const results = expectations(sim);
    assert.deepEqual(
      results.map((e) => [e.ok, e.line]),
      [
        [true, lines[2]], // state and byte checks come at once...
        [false, lines[3]],
        [true, lines[4]],
        [true, lines[0]], // ...segment checks not yet seen wait until the instant has settled
        [false, lines[1]],
        [true, lines[5]],
      ],
    );
    const failed = sim.trace.find((e) => e.kind === 'expect' && !e.ok && e.line === lines[3]);
    assert.ok(failed && failed.kind === 'expect');
    assert.deepEqual([failed.expected, failed.actual], ['CLOSE-WAIT', 'ESTABLISHED']);
    assert.equal(failed.message, 'expected server to be CLOSE-WAIT, but it is ESTABLISHED');
    const noSyn = sim.trace.find((e) => e.kind === 'expect' && e.line === lines[1]);
    assert.ok(noSyn && noSyn.kind === 'expect');
    assert.match(noSyn.actual ?? '', /client -> server FIN,ACK seq=101/);
  });

  test('end @T stops the run', () => {
    const sim = new Scenario().endpoint('client').endpoint('server').at(0).listen('server').connect('client', 'server').at(ms(100)).close('client').end(ms(150)).run();
    assert.ok(sim.done);
    assert.ok(sim.trace.every((e) => e.t <= 150));
    assert.equal(sim.stateOf('client'), 'FIN-WAIT-2');
  });

  test('a run that would never end (keep-alive between live peers) stops at the cap with a note', () => {
    const sim = new Scenario('rfc', { keepalive: true, keepaliveIdle: s(600) }).endpoint('client').endpoint('server').at(0).listen('server').connect('client', 'server').run();
    const last = sim.trace[sim.trace.length - 1];
    assert.equal(last.kind, 'note');
    assert.match(last.kind === 'note' ? last.message : '', /run stopped 24 h/);
    assert.equal(sim.stateOf('client'), 'ESTABLISHED');
  });
});
