// Properties over random lossy networks (fast-check): whatever the network does, a run ends, the
// stream arrives whole and in order, both sides close, time never goes backwards, and a replay
// from any snapshot gives the same trace.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Simulation } from '../../src/engine/index';
import { ms, s, Scenario, unexplained } from './helpers';

const network = fc.record({
  delay: fc.integer({ min: 0, max: 50_000 }),
  jitter: fc.integer({ min: 0, max: 20_000 }),
  loss: fc.double({ min: 0, max: 0.1, noNaN: true }),
  duplicate: fc.double({ min: 0, max: 0.1, noNaN: true }),
  reorder: fc.double({ min: 0, max: 0.1, noNaN: true }),
  corrupt: fc.double({ min: 0, max: 0.05, noNaN: true }),
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
});
const sends = fc.array(fc.record({ client: fc.boolean(), bytes: fc.integer({ min: 1, max: 20_000 }), gap: fc.integer({ min: 0, max: 500_000 }) }), { maxLength: 8 });
const options = fc.record({
  profile: fc.constantFrom('rfc' as const, 'linux' as const),
  clientIsn: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  serverIsn: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  rcvBuf: fc.integer({ min: 500, max: 70_000 }),
  mss: fc.integer({ min: 100, max: 1460 }),
  /** The server reads with `receive` statements (its window closes and reopens) instead of at once. */
  reader: fc.boolean(),
  readSize: fc.integer({ min: 1, max: 5000 }),
});

type Value<A> = A extends fc.Arbitrary<infer T> ? T : never;

function build(net: Value<typeof network>, plan: Value<typeof sends>, o: Value<typeof options>): { sc: Scenario; toServer: number; toClient: number } {
  const sc = new Scenario(o.profile, { retries: 30, synRetries: 30, rtoMax: s(10), msl: s(1) })
    .endpoint('client', { isn: o.clientIsn, mss: o.mss })
    .endpoint('server', { isn: o.serverIsn, rcvBuf: o.rcvBuf, mss: o.mss })
    .link('client', 'server', net)
    .at(0)
    .listen('server')
    .connect('client', 'server')
    .at(s(30));
  let toServer = 0;
  let toClient = 0;
  for (const step of plan) {
    sc.after(step.gap).send(step.client ? 'client' : 'server', step.bytes);
    if (step.client) toServer += step.bytes;
    else toClient += step.bytes;
    if (o.reader) sc.receive('server', o.readSize);
  }
  if (o.reader) {
    // Keep reading until everything is in (persist probes back off to rtoMax = 10 s); the server
    // closes only after a last round of reads in CLOSE-WAIT: unread data is lost with the TCB.
    const reads = Math.ceil(toServer / Math.min(o.readSize, o.rcvBuf)) + 5;
    for (let i = 0; i < reads; i++) sc.after(s(2)).receive('server', o.readSize);
    sc.after(ms(1)).shutdown('client');
    for (let i = 0; i < 150; i++) sc.after(s(2)).receive('server', o.readSize);
    sc.shutdown('server');
  } else {
    sc.after(ms(1)).shutdown('client').shutdown('server');
  }
  return { sc, toServer, toClient };
}

test('random lossy networks: the streams arrive whole, both sides close, replays agree', () => {
  fc.assert(
    fc.property(network, sends, options, (net, plan, o) => {
      const { sc, toServer, toClient } = build(net, plan, o);
      const sim = new Simulation(sc.program);
      const snapshots = [];
      while (!sim.done) {
        if (sim.trace.length % 251 === 0) snapshots.push(sim.snapshot());
        sim.step();
      }
      const trace = sim.trace;
      assert.deepEqual(unexplained(trace).slice(0, 3), [], 'every event TCP made names its rule');
      for (let i = 1; i < trace.length; i++) assert.ok(trace[i].t >= trace[i - 1].t);
      assert.ok(!trace.some((e) => e.kind === 'note' && /run stopped/.test(e.message)), 'the run ended by itself');
      const view = sim.view();
      assert.equal(view.endpoints[1].received, toServer, 'server received everything');
      assert.equal(view.endpoints[0].received, toClient, 'client received everything');
      assert.deepEqual(
        view.endpoints.map((e) => e.state),
        ['CLOSED', 'LISTEN'],
      );
      assert.equal(view.inFlight.length, 0);
      const expected = JSON.stringify(trace);
      const snap = snapshots[Math.floor(snapshots.length / 2)];
      sim.restore(snap);
      sim.run();
      assert.equal(JSON.stringify(sim.trace), expected);
    }),
    { numRuns: 60, seed: 20261126 },
  );
});
