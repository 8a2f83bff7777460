// Byte counts beyond 2^31 and 2^32 (issue 12): what the application queues, what is sent and what
// is delivered are plain numbers, apart from the 32-bit sequence numbers, which wrap. A property
// over transfers of several GB in total: every byte arrives exactly once and in order.
// TCPSCENARIO_LONG=1 runs many more cases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Simulation } from '../../src/engine/index';
import { seqDiff } from '../../src/engine/seq';
import type { TraceEvent } from '../../src/engine/trace';
import { ms, s, Scenario } from './helpers';

const LONG = process.env.TCPSCENARIO_LONG === '1';

/**
 * Checks the stream `to` receives from `from` against the trace alone: each data segment that
 * reached `to` is placed at its offset in the stream (sequence numbers unwrapped to plain
 * numbers), and the application may never have been given a byte that had not arrived in order.
 * Returns the bytes the application got.
 */
function checkStream(trace: readonly TraceEvent[], from: string, to: string): number {
  const sent = new Map<string, { seq: number; len: number }>();
  let base: number | undefined; // sequence number of stream offset 0 (ISS + 1)
  let lastSeq = 0;
  let lastOffset = 0;
  /** Out-of-order ranges that arrived, by start offset. */
  const arrived = new Map<number, number>();
  let contiguous = 0;
  let delivered = 0;
  for (const e of trace) {
    if (e.kind === 'send' && e.from === from) {
      if (e.flags.includes('SYN')) {
        base = (e.seq + 1) >>> 0;
        lastSeq = base;
        lastOffset = 0;
      } else if (e.len > 0) sent.set(e.id, { seq: e.seq, len: e.len });
    } else if (e.kind === 'deliver' && e.to === to) {
      const segment = sent.get(e.id);
      if (segment === undefined || base === undefined) continue;
      sent.delete(e.id);
      const offset = lastOffset + seqDiff(segment.seq, lastSeq);
      lastSeq = segment.seq;
      lastOffset = offset;
      const end = offset + segment.len;
      arrived.set(offset, Math.max(end, arrived.get(offset) ?? 0));
      // Advance the in-order frontier over every range that now touches it.
      for (let moved = true; moved; ) {
        moved = false;
        for (const [start, stop] of arrived) {
          if (start <= contiguous) {
            arrived.delete(start);
            if (stop > contiguous) contiguous = stop;
            moved = true;
          }
        }
      }
    } else if (e.kind === 'data' && e.endpoint === to) {
      delivered += e.bytes;
      assert.ok(delivered <= contiguous, `the application got byte ${delivered} when only ${contiguous} had arrived in order`);
    }
  }
  return delivered;
}

const plans = fc.record({
  sends: fc.array(fc.integer({ min: 300_000_000, max: 1_000_000_000 }), { minLength: 3, maxLength: 6 }),
  clientIsn: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  mss: fc.integer({ min: 16_384, max: 65_535 }),
  rcvBuf: fc.integer({ min: 1 << 20, max: 1 << 30 }),
  delay: fc.integer({ min: 0, max: ms(2) }),
  loss: fc.constantFrom(0, 0, 0.0002),
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
  profile: fc.constantFrom('rfc' as const, 'linux' as const),
});

test('transfers of several GB over a fast link: every byte once, in order, both sides close', () => {
  fc.assert(
    fc.property(plans, (p) => {
      const total = p.sends.reduce((a, b) => a + b, 0);
      const sc = new Scenario(p.profile)
        .endpoint('client', { isn: p.clientIsn, mss: p.mss })
        .endpoint('server', { isn: 7, mss: p.mss, rcvBuf: p.rcvBuf })
        .link('client', 'server', { delay: p.delay, loss: p.loss, seed: p.seed })
        .at(0)
        .listen('server')
        .connect('client', 'server')
        .at(ms(100));
      for (const bytes of p.sends) sc.send('client', bytes);
      sc.close('client').at(s(24 * 3600)).close('server');
      const sim = new Simulation(sc.program);
      sim.run();
      const view = sim.view();
      assert.equal(view.endpoints[1].received, total, `server received all ${total} bytes`);
      assert.equal(checkStream(sim.trace, 'client', 'server'), total);
      assert.deepEqual(
        view.endpoints.map((e) => e.state),
        ['CLOSED', 'LISTEN'],
      );
    }),
    { numRuns: LONG ? 25 : 2, seed: 20260212 },
  );
});

test('the send queue counts bytes beyond 2^32 exactly', () => {
  const sc = new Scenario().endpoint('client', { isn: 4_294_967_000 }).endpoint('server').at(0).listen('server').connect('client', 'server');
  for (let i = 0; i < 5; i++) sc.send('client', 1_000_000_000);
  const sim = new Simulation(sc.program);
  for (let sends = 0; sends < 5; ) {
    const e = sim.step();
    if (e?.kind === 'app' && e.call === 'send') sends++;
  }
  const client = sim.view().endpoints[0].connections[0];
  assert.equal(client.state, 'SYN-SENT');
  assert.equal(client.sendQueue, 5_000_000_000);
});
