// `receive N` waits for N bytes (a blocking recv with MSG_WAITALL; tcp_recvmsg waits while copied <
// target): it returns when N bytes have arrived in order, or short when the data ends (the peer's
// FIN), at the line of its call; several wait in order; `receive` without N reads what is there.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppEvent, TraceEvent } from '../../src/engine/trace';
import { Simulation } from '../../src/engine/simulation';
import { compile } from '../../src/language';
import { CONNECTED_TEXT as HEAD, simulateText as simulate } from './helpers';

/** `t ms: bytes [error] (line)` of the server's receive calls. */
function reads(trace: readonly TraceEvent[]): string[] {
  return trace
    .filter((e): e is AppEvent => e.kind === 'app' && e.call === 'receive' && e.endpoint === 'server')
    .map((e) => `${e.t}: ${e.bytes}${e.error ? ` ${e.error}` : ''} (line ${e.line})`);
}

/** When the server's application got how many bytes, from the `deliver`-to-application events (received total). */
function received(sim: Simulation): number {
  return sim.view().endpoints.find((e) => e.name === 'server')!.received;
}

describe('receive N waits for N bytes', () => {
  for (const profile of ['rfc', 'linux']) {
    test(`returns when the Nth byte arrives, not before (${profile})`, () => {
      // Lines: 1 profile, 2-6 head, 7 receive, 8-10 sends.
      const sim = simulate('@100ms server receive 2500\n@110ms client send 1000\n@200ms client send 1000\n@300ms client send 1000', profile);
      // The third send's first 500 bytes complete it, at 310 ms, not at 120 or 210.
      assert.deepEqual(reads(sim.trace), ['310: 2500 (line 7)']);
      assert.equal(received(sim), 2500);
      assert.ok(sim.trace.some((e) => e.kind === 'note' && e.endpoint === 'server' && /receive 2500 waits: 0 of 2500 bytes/.test(e.message)));
    });
  }

  test('data already there: read at once, as before', () => {
    const sim = simulate('@100ms client send 1000\n@200ms server receive 600\n@300ms server receive');
    assert.deepEqual(reads(sim.trace), ['200: 600 (line 8)', '300: 400 (line 9)']);
  });

  test('the data ends first (the peer closes): it returns what there is; then 0, connection closing', () => {
    const sim = simulate('@100ms server receive 5000\n@110ms client send 1000\n@200ms client close\n@300ms server receive 10');
    assert.deepEqual(reads(sim.trace), ['210: 1000 (line 7)', '300: 0 connection closing (line 10)']);
  });

  test('two waiting calls return in order, each with its own bytes', () => {
    const sim = simulate('@100ms server receive 800\n@101ms server receive 800\n@110ms client send 1000\n@200ms client send 1000');
    assert.deepEqual(reads(sim.trace), ['120: 800 (line 7)', '210: 800 (line 8)']);
    assert.equal(received(sim), 1600);
  });

  test('on a small receive buffer it returns once the window has let its bytes in', () => {
    const { program } = compile(`profile rfc\n${HEAD.replace('isn=300', 'isn=300 rcvbuf=2000')}@100ms server receive 1500\n@110ms client send 3000`);
    const sim = new Simulation(program!);
    sim.run();
    assert.deepEqual(reads(sim.trace).map((r) => r.replace(/^\d+: /, '')), ['1500 (line 7)']);
    assert.equal(received(sim), 1500);
  });
});
