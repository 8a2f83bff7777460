// RFC 9293 section 3.5 and 3.6, Figures 6 to 13, segment for segment and state for state,
// with the RFC's sequence numbers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { oldDuplicateSyn, rfc, Scenario, segments, simultaneousOpen, transitions, wire } from './helpers';

/** Figures 12 and 13: A (ISN 99) has opened a connection to B (ISN 299), the RFC's numbers. */
const opened = (): Scenario => new Scenario().endpoint('A', { isn: 99 }).endpoint('B', { isn: 299 }).at(0).listen('B').connect('A', 'B');

/** Figures 9 and 10: B connected to A earlier (B: send 300, receive 100) on 100 us links; A crashes at 500 us. */
const crashedA = (): Scenario =>
  new Scenario().endpoint('A', { isn: 99 }).endpoint('B', { isn: 299 }).link('A', 'B', { delay: 100 }).at(0).listen('A').connect('B', 'A').at(500).crash('A');

describe('RFC 9293 figures', () => {
  test('Figure 6: basic three-way handshake for connection synchronization', () => {
    const sim = new Scenario()
      .endpoint('A', { isn: 100 })
      .endpoint('B', { isn: 300 })
      .at(0)
      .listen('B')
      .connect('A', 'B')
      .at(100_000)
      .send('A', 10)
      .run();
    assert.deepEqual(segments(sim), [
      'A -> B <SEQ=100><CTL=SYN>', // line 2
      'B -> A <SEQ=300><ACK=101><CTL=SYN,ACK>', // line 3
      'A -> B <SEQ=101><ACK=301><CTL=ACK>', // line 4
      'A -> B <SEQ=101><ACK=301><CTL=ACK><DATA=10>', // line 5
      'B -> A <SEQ=301><ACK=111><CTL=ACK>',
    ]);
    assert.deepEqual(transitions(sim), [
      'B: CLOSED -> LISTEN',
      'A: CLOSED -> SYN-SENT',
      'B: LISTEN -> SYN-RECEIVED',
      'A: SYN-SENT -> ESTABLISHED',
      'B: SYN-RECEIVED -> ESTABLISHED',
    ]);
  });

  test('Figure 7: simultaneous connection synchronization', () => {
    const sim = simultaneousOpen().run();
    assert.deepEqual(segments(sim), [
      'A -> B <SEQ=100><CTL=SYN>', // line 2
      'B -> A <SEQ=300><CTL=SYN>', // line 3
      'A -> B <SEQ=100><ACK=301><CTL=SYN,ACK>', // line 5
      'B -> A <SEQ=300><ACK=101><CTL=SYN,ACK>', // line 6
    ]);
    for (const p of ['A', 'B']) {
      assert.deepEqual(transitions(sim, p), [`${p}: CLOSED -> SYN-SENT`, `${p}: SYN-SENT -> SYN-RECEIVED`, `${p}: SYN-RECEIVED -> ESTABLISHED`]);
    }
    assert.equal(sim.view().endpoints.every((e) => e.state === 'ESTABLISHED'), true);
  });

  test('Figure 8: recovery from old duplicate SYN', () => {
    // B's second ISS follows the RFC 9293 3.4.1 clock: 300 + 400 us / 4 us = 400, the RFC's number.
    const sim = oldDuplicateSyn().run();
    assert.deepEqual(segments(sim), [
      'A -> B <SEQ=100><CTL=SYN>', // line 2
      'A -> B <SEQ=90><CTL=SYN>', // line 3 (the old duplicate)
      'B -> A <SEQ=300><ACK=91><CTL=SYN,ACK>', // line 4
      'A -> B <SEQ=91><CTL=RST>', // line 5
      'B -> A <SEQ=400><ACK=101><CTL=SYN,ACK>', // line 7
      'A -> B <SEQ=101><ACK=401><CTL=ACK>', // line 8
    ]);
    assert.equal(wire(sim.trace)[1].kind, 'inject');
    assert.deepEqual(transitions(sim, 'B'), [
      'B: CLOSED -> LISTEN',
      'B: LISTEN -> SYN-RECEIVED', // line 3
      'B: SYN-RECEIVED -> LISTEN', // line 5
      'B: LISTEN -> SYN-RECEIVED', // line 6
      'B: SYN-RECEIVED -> ESTABLISHED', // line 8
    ]);
    assert.deepEqual(transitions(sim, 'A'), ['A: CLOSED -> SYN-SENT', 'A: SYN-SENT -> ESTABLISHED']);
  });

  test('Figure 9: half-open connection discovery', () => {
    // B connected to A earlier (B: send 300, receive 100). A crashes, then opens again; its ISN
    // clock has ticked (1204 us / 4 us) from 99 to 400.
    const sc = crashedA()
      .at(1304)
      .connect('A', 'B')
      .end(1_001_400);
    const sim = sc.run();
    const after = wire(sim.trace).filter((e) => e.t >= 1.304);
    assert.deepEqual(
      after.map(rfc),
      [
        'A -> B <SEQ=400><CTL=SYN>', // line 3
        'B -> A <SEQ=300><ACK=100><CTL=ACK>', // line 4
        'A -> B <SEQ=100><CTL=RST>', // line 5
        'A -> B <SEQ=400><CTL=SYN>', // line 7
      ],
    );
    assert.equal(after[3].retransmission, true);
    assert.deepEqual(transitions(sim, 'B').slice(-1), ['B: ESTABLISHED -> CLOSED']); // line 6 (Abort!!)
    assert.deepEqual(transitions(sim, 'A'), [
      'A: CLOSED -> LISTEN',
      'A: LISTEN -> SYN-RECEIVED',
      'A: SYN-RECEIVED -> ESTABLISHED',
      'A: ESTABLISHED -> CLOSED', // line 1: the crash loses the connection...
      'A: LISTEN -> CLOSED', // ...and the listener
      'A: CLOSED -> SYN-SENT', // line 3
    ]);
    assert.equal(sim.stateOf('A'), 'SYN-SENT');
    const reset = sim.trace.find((e) => e.kind === 'app' && e.endpoint === 'B' && e.error !== undefined);
    assert.equal(reset?.kind === 'app' && reset.error, 'connection reset');
  });

  test('Figure 10: active side causes half-open connection discovery', () => {
    const sim = crashedA()
      .restart('A') // RFC 9293 Figure 10: A has crashed and recovered, able to answer with a reset
      .at(1000)
      .send('B', 10)
      .end(5000)
      .run();
    const after = wire(sim.trace).filter((e) => e.t >= 1);
    assert.deepEqual(
      after.map(rfc),
      [
        'B -> A <SEQ=300><ACK=100><CTL=ACK><DATA=10>', // line 3
        'A -> B <SEQ=100><CTL=RST>', // line 4
      ],
    );
    assert.deepEqual(transitions(sim, 'B').slice(-1), ['B: ESTABLISHED -> CLOSED']); // (ABORT!!)
  });

  test('Figure 11: old duplicate SYN initiates a reset on two passive sockets', () => {
    const Z = 200;
    const X = 300;
    const sim = new Scenario()
      .endpoint('A', { isn: 100 })
      .endpoint('B', { isn: X })
      .at(0)
      .listen('A')
      .listen('B')
      .at(1000)
      .inject('A', 'B', ['SYN'], Z)
      .run();
    assert.deepEqual(segments(sim), [
      `A -> B <SEQ=${Z}><CTL=SYN>`, // line 2
      `B -> A <SEQ=${X}><ACK=${Z + 1}><CTL=SYN,ACK>`, // line 3
      `A -> B <SEQ=${Z + 1}><CTL=RST>`, // line 4
    ]);
    assert.deepEqual(transitions(sim), ['A: CLOSED -> LISTEN', 'B: CLOSED -> LISTEN', 'B: LISTEN -> SYN-RECEIVED', 'B: SYN-RECEIVED -> LISTEN']);
    assert.deepEqual(
      sim.view().endpoints.map((e) => e.state),
      ['LISTEN', 'LISTEN'], // line 5
    );
  });

  test('Figure 12: normal close sequence', () => {
    const sim = opened()
      .at(100_000)
      .close('A')
      .at(200_000)
      .close('B')
      .run();
    assert.deepEqual(segments(sim).slice(3), [
      'A -> B <SEQ=100><ACK=300><CTL=ACK,FIN>', // line 2
      'B -> A <SEQ=300><ACK=101><CTL=ACK>', // line 3
      'B -> A <SEQ=300><ACK=101><CTL=ACK,FIN>', // line 4
      'A -> B <SEQ=101><ACK=301><CTL=ACK>', // line 5
    ]);
    assert.deepEqual(transitions(sim).slice(5), [
      'A: ESTABLISHED -> FIN-WAIT-1',
      'B: ESTABLISHED -> CLOSE-WAIT',
      'A: FIN-WAIT-1 -> FIN-WAIT-2',
      'B: CLOSE-WAIT -> LAST-ACK',
      'A: FIN-WAIT-2 -> TIME-WAIT',
      'B: LAST-ACK -> CLOSED',
      'A: TIME-WAIT -> CLOSED', // line 6: after 2 MSL
    ]);
    const enter = sim.trace.find((e) => e.kind === 'transition' && e.to === 'TIME-WAIT')!;
    const leave = sim.trace.find((e) => e.kind === 'transition' && e.from === 'TIME-WAIT')!;
    assert.equal(leave.t - enter.t, 240_000); // 2 * MSL, MSL = 2 minutes
  });

  test('Figure 13: simultaneous close sequence', () => {
    const sim = opened()
      .at(100_000)
      .fault('delay', { from: 'A', to: 'B', flags: ['ACK', 'FIN'] }, 1, 2000) // A's FIN is the slower one, as drawn
      .close('A')
      .close('B')
      .run();
    assert.deepEqual(segments(sim).slice(3), [
      'A -> B <SEQ=100><ACK=300><CTL=ACK,FIN>', // line 2
      'B -> A <SEQ=300><ACK=100><CTL=ACK,FIN>',
      'A -> B <SEQ=101><ACK=301><CTL=ACK>', // line 3
      'B -> A <SEQ=301><ACK=101><CTL=ACK>',
    ]);
    for (const p of ['A', 'B']) {
      assert.deepEqual(transitions(sim, p).slice(-4), [
        `${p}: ESTABLISHED -> FIN-WAIT-1`,
        `${p}: FIN-WAIT-1 -> CLOSING`,
        `${p}: CLOSING -> TIME-WAIT`, // line 4
        `${p}: TIME-WAIT -> CLOSED`,
      ]);
    }
  });
});
