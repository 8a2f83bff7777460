// `wait until`: the timeline holds until the condition comes true, and the statements after the
// wait count from that moment; a wait that never finishes ends the run as a failed expectation at
// its line. Scenarios are written in the language (the wait's whole point is how times are read).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../../src/engine/simulation';
import type { ExpectEvent, NoteEvent, TraceEvent } from '../../src/engine/trace';
import { compile } from '../../src/language';
import { CONNECTED_TEXT as HEAD, simulateText as simulate } from './helpers';

/** `t line kind detail` of the events made by the scenario's own lines (app calls, notes, expectations). */
function timeline(trace: readonly TraceEvent[], from = 7): string[] {
  return trace.flatMap((e) => {
    if (e.line === undefined || e.line < from) return [];
    if (e.kind === 'app' && e.rule === undefined) return [`${e.t} line ${e.line} ${e.endpoint} ${e.call}`];
    if (e.kind === 'note' && e.rule === undefined) return [`${e.t} line ${e.line} note ${e.message}`];
    if (e.kind === 'expect') return [`${e.t} line ${e.line} ${e.ok ? 'ok' : 'FAILED'} ${e.message}`];
    return [];
  });
}

const expects = (trace: readonly TraceEvent[]) => trace.filter((e): e is ExpectEvent => e.kind === 'expect');

describe('wait until', () => {
  test('close on EOF: the close runs when the FIN arrives, and +D counts from there', () => {
    // Lines: 7 client close, 8 wait, 9 close, 10 expect.
    const sim = simulate('@1s client close\nwait until server is CLOSE-WAIT\n+0 server close\n+5ms expect server is LAST-ACK');
    assert.deepEqual(timeline(sim.trace), [
      '1000 line 7 client close',
      '1010 line 8 note wait until server is CLOSE-WAIT: done after 10 ms',
      '1010 line 9 server close',
      '1015 line 10 ok server is LAST-ACK',
    ]);
  });

  test('the statement after a wait runs after the other events of that instant, like any statement', () => {
    const sim = simulate('@1s client close\nwait until server is CLOSE-WAIT\n+0 server close');
    const kinds = sim.trace.filter((e) => e.t === 1010).map((e) => e.kind);
    // The FIN arrives, the server goes to CLOSE-WAIT and ACKs it, the wait ends; then the close.
    assert.ok(kinds.indexOf('note') < kinds.lastIndexOf('app'), kinds.join(' '));
  });

  test('a state passed through inside one atomic action counts (FIN-WAIT-2 on the way to TIME-WAIT)', () => {
    // linux: the server's prompt close merges the ACK of the FIN into its FIN,ACK.
    const sim = simulate('@1s client close\nwait until server is CLOSE-WAIT\n+0 server close\nwait until client is FIN-WAIT-2\n+0 expect client is TIME-WAIT', 'linux');
    const done = sim.trace.find((e): e is NoteEvent => e.kind === 'note' && e.line === 10);
    assert.equal(done?.t, 1020, 'the wait finished');
    assert.deepEqual(expects(sim.trace).map((e) => e.ok), [true]);
  });

  test('a wait whose condition already holds finishes at once', () => {
    const sim = simulate('@1s wait until client is ESTABLISHED\n+1ms client close');
    assert.deepEqual(timeline(sim.trace), ['1000 line 7 note wait until client is ESTABLISHED: done at once', '1001 line 8 client close']);
  });

  test('wait until NAME received N: at least N bytes delivered in all', () => {
    // Two full segments: the first delivers 1460 bytes (not yet 1500), the second 2920.
    const sim = simulate('@100ms client send 2920\nwait until server received 1500\n+0 expect server received 2920');
    const done = sim.trace.find((e) => e.kind === 'note' && e.line === 8);
    assert.equal(done?.t, 110);
    assert.deepEqual(expects(sim.trace).map((e) => e.ok), [true]);
  });

  test('@T after a wait: at T when the wait finished before, else when it finished, with a note', () => {
    const early = simulate('@100ms wait until client is ESTABLISHED\n@1s client close');
    assert.deepEqual(timeline(early.trace).slice(-1), ['1000 line 8 client close']);
    const late = simulate('@1s client close\nwait until server is CLOSE-WAIT\n@1.005s server close');
    assert.deepEqual(timeline(late.trace).slice(-2), [
      '1010 line 9 note line 9 was due at 1005 ms; it runs when the statement before it ran, at 1010 ms',
      '1010 line 9 server close',
    ]);
  });

  test('a wait that can never finish ends the run with a failed expectation at its line', () => {
    const sim = simulate('@100ms client send 10\nwait until server is CLOSE-WAIT\n+0 server close');
    const failed = expects(sim.trace);
    assert.equal(failed.length, 1);
    assert.equal(failed[0].line, 8);
    assert.equal(failed[0].ok, false);
    assert.equal(failed[0].expected, 'server is CLOSE-WAIT');
    assert.equal(failed[0].actual, 'ESTABLISHED');
    assert.match(failed[0].message, /never finished: nothing is left to happen/);
    assert.ok(!sim.trace.some((e) => e.kind === 'app' && e.line === 9), 'the statements after it never run');
    assert.ok(sim.done);
  });

  test('end stops a pending wait, and says so', () => {
    const sim = simulate('set keepalive=on keepalive-idle=1s\nwait until server is CLOSE-WAIT\nend @5s');
    const failed = expects(sim.trace);
    assert.equal(failed.length, 1);
    assert.match(failed[0].message, /the run ends at 5000 ms/);
  });

  test('timers that never stop (keep-alive) end a pending wait after the run cap', () => {
    const sim = simulate('set keepalive=on keepalive-idle=1h keepalive-interval=1h\n@1s wait until server is CLOSE-WAIT');
    const failed = expects(sim.trace);
    assert.equal(failed.length, 1);
    assert.match(failed[0].message, /still nothing after 24 h of virtual time/);
    assert.ok(failed[0].t > 23 * 3600 * 1000, `at ${failed[0].t} ms`);
  });

  test('end +D after a wait counts from when the statement before it ran', () => {
    const sim = simulate('@1s client close\nwait until server is CLOSE-WAIT\nend +100ms');
    const last = sim.trace[sim.trace.length - 1];
    assert.ok(last.t <= 1110, `stopped at ${last.t}`);
    assert.ok(sim.trace.some((e) => e.t > 1010), 'ran past the wait');
  });

  // The client's FIN is ACKed at 1010 (the server's events come while the wait holds), FIN-WAIT-2 at 1020.
  const FIN_WAIT_2 = `${HEAD}@1s client close\nwait until client is FIN-WAIT-2\n+5ms client receive\n+1s expect server is CLOSE-WAIT`;

  test('view(): the next statement is the pending wait, marked waiting', () => {
    const sim = new Simulation(compile(FIN_WAIT_2).program!);
    while (sim.step() && sim.trace[sim.trace.length - 1].t < 1010) {
      /* into the wait */
    }
    assert.deepEqual(sim.view().nextStatement, { index: 3, line: 7, at: 1000, waiting: true });
    while (sim.step() && sim.trace[sim.trace.length - 1].kind !== 'note') {
      /* to the wait's end */
    }
    assert.deepEqual(sim.view().nextStatement, { index: 4, line: 8, at: 1025 });
  });

  test('a snapshot taken while waiting replays the same run', () => {
    const program = compile(FIN_WAIT_2).program!;
    const whole = new Simulation(program);
    whole.run();
    const sim = new Simulation(program);
    while (sim.step() && sim.trace[sim.trace.length - 1].t < 1010) {
      /* into the wait */
    }
    assert.equal(sim.view().nextStatement?.waiting, true);
    const snapshot = sim.snapshot();
    sim.run();
    sim.restore(snapshot);
    sim.run();
    assert.deepEqual(sim.trace, whole.trace);
  });
});
