// The state x event grid, in the manner of smoltcp's socket tests: a fixture per state (endpoint
// `a`, ISS 100, facing a tester `t`, IRS 300), then one crafted segment from `t`, and what `a`
// answers and which state it ends in. `a`'s own segments are traced but never reach `t`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TcpFlag, TcpState } from '../../src/engine/trace';
import { ms, rfc, Scenario, wire } from './helpers';

type Step = (sc: Scenario) => Scenario;

const base = (): Scenario =>
  new Scenario()
    .endpoint('a', { isn: 100 })
    .endpoint('t', { isn: 300 })
    .link('a', 't', { delay: ms(1) })
    .at(0)
    .fault('drop', { from: 'a', to: 't' }, Infinity);

const next = (sc: Scenario) => sc.after(ms(10));
const listenFixture: Step = (sc) => sc.listen('a');
const closedFixture: Step = (sc) => sc;
const synSentFixture: Step = (sc) => sc.connect('a', 't');
const synReceivedFixture: Step = (sc) => next(sc.listen('a')).inject('t', 'a', ['SYN'], 300);
const synReceivedActiveFixture: Step = (sc) => next(sc.connect('a', 't')).inject('t', 'a', ['SYN'], 300);
const establishedFixture: Step = (sc) => next(synReceivedFixture(sc)).inject('t', 'a', ['ACK'], 301, 101);
const finWait1Fixture: Step = (sc) => next(establishedFixture(sc)).close('a');
const finWait2Fixture: Step = (sc) => next(finWait1Fixture(sc)).inject('t', 'a', ['ACK'], 301, 102);
const closeWaitFixture: Step = (sc) => next(establishedFixture(sc)).inject('t', 'a', ['ACK', 'FIN'], 301, 101);
const lastAckFixture: Step = (sc) => next(closeWaitFixture(sc)).close('a');
const closingFixture: Step = (sc) => next(finWait1Fixture(sc)).inject('t', 'a', ['ACK', 'FIN'], 301, 101);
const timeWaitFixture: Step = (sc) => next(finWait2Fixture(sc)).inject('t', 'a', ['ACK', 'FIN'], 301, 102);

interface Reaction {
  /** `a`'s segments in answer, in RFC notation without the endpoints. */
  replies: string[];
  state: TcpState;
  errors: string[];
  before: TcpState;
  received: number;
  listening: boolean;
  timeWaitStarts: number;
}

function react(fixture: Step, flags: TcpFlag[], seq: number, ack = 0, len = 0): Reaction {
  const sc = next(fixture(base()));
  const sent = sc.now;
  // The state just before the crafted segment arrives, then the segment, then 5 ms to answer.
  const before = next(fixture(base())).end(sc.now).run().stateOf('a');
  const sim = sc.inject('t', 'a', flags, seq, ack, len).end(sent + ms(6)).run();
  const after = sim.trace.filter((e) => e.t * 1000 > sent);
  return {
    replies: wire(after)
      .filter((e) => e.from === 'a')
      .map((e) => rfc(e).replace('a -> t ', '')),
    state: sim.stateOf('a'),
    errors: after.flatMap((e) => (e.kind === 'app' && e.error ? [`${e.call}: ${e.error}`] : [])),
    before,
    received: sim.view().endpoints[0].received,
    listening: sim.view().endpoints[0].listening,
    timeWaitStarts: after.filter((e) => e.kind === 'timer' && e.name === 'time-wait' && e.action === 'start').length,
  };
}

describe('fixtures reach their states', () => {
  const cases: [Step, TcpState][] = [
    [closedFixture, 'CLOSED'],
    [listenFixture, 'LISTEN'],
    [synSentFixture, 'SYN-SENT'],
    [synReceivedFixture, 'SYN-RECEIVED'],
    [synReceivedActiveFixture, 'SYN-RECEIVED'],
    [establishedFixture, 'ESTABLISHED'],
    [finWait1Fixture, 'FIN-WAIT-1'],
    [finWait2Fixture, 'FIN-WAIT-2'],
    [closeWaitFixture, 'CLOSE-WAIT'],
    [lastAckFixture, 'LAST-ACK'],
    [closingFixture, 'CLOSING'],
    [timeWaitFixture, 'TIME-WAIT'],
  ];
  for (const [fixture, state] of cases) {
    test(`${state} (${fixture.name})`, () => assert.equal(react(fixture, ['ACK'], 301, 101).before, state));
  }
});

describe('CLOSED (RFC 9293 3.10.7.1)', () => {
  test('closed_syn_answered_rst_ack', () => {
    const r = react(closedFixture, ['SYN'], 300);
    assert.deepEqual(r.replies, ['<SEQ=0><ACK=301><CTL=ACK,RST>']);
  });
  test('closed_ack_answered_rst_with_seq_of_ack', () => {
    assert.deepEqual(react(closedFixture, ['ACK'], 300, 555, 10).replies, ['<SEQ=555><CTL=RST>']);
  });
  test('closed_fin_without_ack_counts_fin_in_ack', () => {
    assert.deepEqual(react(closedFixture, ['FIN'], 300, 0, 10).replies, ['<SEQ=0><ACK=311><CTL=ACK,RST>']);
  });
  test('closed_rst_ignored', () => {
    assert.deepEqual(react(closedFixture, ['RST'], 300).replies, []);
  });
});

describe('LISTEN (RFC 9293 3.10.7.2)', () => {
  test('listen_rst_ignored', () => {
    const r = react(listenFixture, ['RST'], 300);
    assert.deepEqual([r.replies, r.state], [[], 'LISTEN']);
  });
  test('listen_ack_sends_rst', () => {
    const r = react(listenFixture, ['ACK'], 300, 555);
    assert.deepEqual([r.replies, r.state], [['<SEQ=555><CTL=RST>'], 'LISTEN']);
  });
  test('listen_syn_spawns_syn_received_and_keeps_listening', () => {
    const r = react(listenFixture, ['SYN'], 300);
    assert.deepEqual([r.replies, r.state, r.listening], [['<SEQ=100><ACK=301><CTL=SYN,ACK>'], 'SYN-RECEIVED', true]);
  });
  test('listen_fin_without_syn_dropped', () => {
    const r = react(listenFixture, ['FIN'], 300);
    assert.deepEqual([r.replies, r.state], [[], 'LISTEN']);
  });
});

describe('SYN-SENT (RFC 9293 3.10.7.3)', () => {
  test('syn_sent_syn_ack_establishes', () => {
    const r = react(synSentFixture, ['SYN', 'ACK'], 300, 101);
    assert.deepEqual([r.replies, r.state], [['<SEQ=101><ACK=301><CTL=ACK>'], 'ESTABLISHED']);
  });
  test('syn_sent_bad_ack_sends_rst', () => {
    const r = react(synSentFixture, ['SYN', 'ACK'], 300, 5000);
    assert.deepEqual([r.replies, r.state], [['<SEQ=5000><CTL=RST>'], 'SYN-SENT']);
  });
  test('syn_sent_ack_of_iss_is_bad', () => {
    const r = react(synSentFixture, ['ACK'], 300, 100);
    assert.deepEqual([r.replies, r.state], [['<SEQ=100><CTL=RST>'], 'SYN-SENT']);
  });
  test('syn_sent_rst_with_acceptable_ack_closes_refused', () => {
    const r = react(synSentFixture, ['ACK', 'RST'], 0, 101);
    assert.deepEqual([r.replies, r.state, r.errors], [[], 'CLOSED', ['connect: connection refused']]);
  });
  test('syn_sent_rst_without_ack_ignored', () => {
    const r = react(synSentFixture, ['RST'], 300);
    assert.deepEqual([r.replies, r.state], [[], 'SYN-SENT']);
  });
  test('syn_sent_rst_with_bad_ack_ignored', () => {
    const r = react(synSentFixture, ['ACK', 'RST'], 300, 7);
    assert.deepEqual([r.replies, r.state], [[], 'SYN-SENT']);
  });
  test('syn_sent_syn_goes_syn_received_simultaneous_open', () => {
    const r = react(synSentFixture, ['SYN'], 300);
    assert.deepEqual([r.replies, r.state], [['<SEQ=100><ACK=301><CTL=SYN,ACK>'], 'SYN-RECEIVED']);
  });
  test('syn_sent_ack_without_syn_dropped', () => {
    const r = react(synSentFixture, ['ACK'], 300, 101);
    assert.deepEqual([r.replies, r.state], [[], 'SYN-SENT']);
  });
});

describe('SYN-RECEIVED (RFC 9293 3.10.7.4)', () => {
  test('syn_received_ack_establishes', () => {
    const r = react(synReceivedFixture, ['ACK'], 301, 101);
    assert.deepEqual([r.replies, r.state], [[], 'ESTABLISHED']);
  });
  test('syn_received_rst_returns_to_listen', () => {
    const r = react(synReceivedFixture, ['RST'], 301);
    assert.deepEqual([r.replies, r.state, r.errors, r.listening], [[], 'LISTEN', [], true]);
  });
  test('syn_received_rst_active_open_closes_refused', () => {
    const r = react(synReceivedActiveFixture, ['RST'], 301);
    assert.deepEqual([r.replies, r.state, r.errors], [[], 'CLOSED', ['connect: connection refused']]);
  });
  test('syn_received_rst_in_window_not_exact_challenge_ack', () => {
    const r = react(synReceivedFixture, ['RST'], 400);
    assert.deepEqual([r.replies, r.state], [['<SEQ=101><ACK=301><CTL=ACK>'], 'SYN-RECEIVED']);
  });
  test('syn_received_bad_ack_sends_rst', () => {
    const r = react(synReceivedFixture, ['ACK'], 301, 999);
    assert.deepEqual([r.replies, r.state], [['<SEQ=999><CTL=RST>'], 'SYN-RECEIVED']);
  });
  test('syn_received_syn_in_window_returns_to_listen', () => {
    const r = react(synReceivedFixture, ['SYN'], 305);
    assert.deepEqual([r.replies, r.state], [[], 'LISTEN']);
  });
  test('syn_received_retransmitted_syn_is_unacceptable_and_acked', () => {
    const r = react(synReceivedFixture, ['SYN'], 300);
    assert.deepEqual([r.replies, r.state], [['<SEQ=101><ACK=301><CTL=ACK>'], 'SYN-RECEIVED']);
  });
  test('syn_received_syn_ack_of_simultaneous_open_establishes', () => {
    const r = react(synReceivedActiveFixture, ['SYN', 'ACK'], 300, 101);
    assert.deepEqual([r.replies, r.state], [[], 'ESTABLISHED']);
  });
  test('syn_received_fin_goes_close_wait', () => {
    const r = react(synReceivedFixture, ['ACK', 'FIN'], 301, 101);
    assert.deepEqual([r.replies, r.state], [['<SEQ=101><ACK=302><CTL=ACK>'], 'CLOSE-WAIT']);
  });
  test('syn_received_segment_without_ack_dropped', () => {
    const r = react(synReceivedFixture, [], 301, 0, 10);
    assert.deepEqual([r.replies, r.state], [[], 'SYN-RECEIVED']);
  });
});

describe('ESTABLISHED (RFC 9293 3.10.7.4)', () => {
  test('established_data_delivered_and_acked', () => {
    const r = react(establishedFixture, ['ACK'], 301, 101, 10);
    assert.deepEqual([r.replies, r.state, r.received], [['<SEQ=101><ACK=311><CTL=ACK>'], 'ESTABLISHED', 10]);
  });
  test('established_out_of_order_data_held_and_duplicate_ack', () => {
    const r = react(establishedFixture, ['ACK'], 311, 101, 10);
    assert.deepEqual([r.replies, r.received], [['<SEQ=101><ACK=301><CTL=ACK>'], 0]);
  });
  test('established_fin_goes_close_wait', () => {
    const r = react(establishedFixture, ['ACK', 'FIN'], 301, 101);
    assert.deepEqual([r.replies, r.state], [['<SEQ=101><ACK=302><CTL=ACK>'], 'CLOSE-WAIT']);
  });
  test('established_data_and_fin_in_one_segment', () => {
    const r = react(establishedFixture, ['ACK', 'FIN'], 301, 101, 5);
    assert.deepEqual([r.replies, r.state, r.received], [['<SEQ=101><ACK=307><CTL=ACK>'], 'CLOSE-WAIT', 5]);
  });
  test('established_rst_exact_closes_with_reset', () => {
    const r = react(establishedFixture, ['RST'], 301);
    assert.deepEqual([r.replies, r.state, r.errors], [[], 'LISTEN', ['receive: connection reset']]);
  });
  test('established_rst_in_window_challenge_ack', () => {
    const r = react(establishedFixture, ['RST'], 400);
    assert.deepEqual([r.replies, r.state], [['<SEQ=101><ACK=301><CTL=ACK>'], 'ESTABLISHED']);
  });
  test('established_rst_out_of_window_ignored', () => {
    const r = react(establishedFixture, ['RST'], 301 + 70_000);
    assert.deepEqual([r.replies, r.state], [[], 'ESTABLISHED']);
  });
  test('established_syn_challenge_ack', () => {
    const r = react(establishedFixture, ['SYN'], 5000);
    assert.deepEqual([r.replies, r.state], [['<SEQ=101><ACK=301><CTL=ACK>'], 'ESTABLISHED']);
  });
  test('established_unacceptable_seq_acked', () => {
    const r = react(establishedFixture, ['ACK'], 200, 101, 10);
    assert.deepEqual([r.replies, r.state, r.received], [['<SEQ=101><ACK=301><CTL=ACK>'], 'ESTABLISHED', 0]);
  });
  test('established_ack_of_unsent_data_acked_and_dropped', () => {
    const r = react(establishedFixture, ['ACK'], 301, 500, 10);
    assert.deepEqual([r.replies, r.state, r.received], [['<SEQ=101><ACK=301><CTL=ACK>'], 'ESTABLISHED', 0]);
  });
  test('established_segment_without_ack_dropped', () => {
    const r = react(establishedFixture, [], 301, 0, 10);
    assert.deepEqual([r.replies, r.received], [[], 0]);
  });
});

describe('FIN-WAIT-1', () => {
  test('fin_wait_1_ack_of_fin_goes_fin_wait_2', () => {
    const r = react(finWait1Fixture, ['ACK'], 301, 102);
    assert.deepEqual([r.replies, r.state], [[], 'FIN-WAIT-2']);
  });
  test('fin_wait_1_fin_goes_closing', () => {
    const r = react(finWait1Fixture, ['ACK', 'FIN'], 301, 101);
    assert.deepEqual([r.replies, r.state], [['<SEQ=102><ACK=302><CTL=ACK>'], 'CLOSING']);
  });
  test('fin_wait_1_fin_acking_our_fin_goes_time_wait', () => {
    const r = react(finWait1Fixture, ['ACK', 'FIN'], 301, 102);
    assert.deepEqual([r.replies, r.state], [['<SEQ=102><ACK=302><CTL=ACK>'], 'TIME-WAIT']);
  });
  test('fin_wait_1_data_still_delivered', () => {
    const r = react(finWait1Fixture, ['ACK'], 301, 101, 10);
    assert.deepEqual([r.replies, r.state, r.received], [['<SEQ=102><ACK=311><CTL=ACK>'], 'FIN-WAIT-1', 10]);
  });
  test('fin_wait_1_rst_closes_with_reset', () => {
    const r = react(finWait1Fixture, ['RST'], 301);
    assert.deepEqual([r.state, r.errors], ['LISTEN', ['receive: connection reset']]);
  });
});

describe('FIN-WAIT-2', () => {
  test('fin_wait_2_fin_goes_time_wait', () => {
    const r = react(finWait2Fixture, ['ACK', 'FIN'], 301, 102);
    assert.deepEqual([r.replies, r.state, r.timeWaitStarts], [['<SEQ=102><ACK=302><CTL=ACK>'], 'TIME-WAIT', 1]);
  });
  test('fin_wait_2_data_delivered_half_close', () => {
    const r = react(finWait2Fixture, ['ACK'], 301, 102, 100);
    assert.deepEqual([r.replies, r.state, r.received], [['<SEQ=102><ACK=401><CTL=ACK>'], 'FIN-WAIT-2', 100]);
  });
  test('fin_wait_2_rst_closes_with_reset', () => {
    const r = react(finWait2Fixture, ['RST'], 301);
    assert.deepEqual([r.state, r.errors], ['LISTEN', ['receive: connection reset']]);
  });
  test('fin_wait_2_syn_challenge_ack', () => {
    const r = react(finWait2Fixture, ['SYN'], 9);
    assert.deepEqual([r.replies, r.state], [['<SEQ=102><ACK=301><CTL=ACK>'], 'FIN-WAIT-2']);
  });
});

describe('CLOSE-WAIT', () => {
  test('close_wait_retransmitted_fin_acked', () => {
    const r = react(closeWaitFixture, ['ACK', 'FIN'], 301, 101);
    assert.deepEqual([r.replies, r.state], [['<SEQ=101><ACK=302><CTL=ACK>'], 'CLOSE-WAIT']);
  });
  test('close_wait_text_ignored', () => {
    const r = react(closeWaitFixture, ['ACK'], 302, 101, 10);
    assert.deepEqual([r.replies, r.state, r.received], [[], 'CLOSE-WAIT', 0]);
  });
  test('close_wait_rst_closes_with_reset', () => {
    const r = react(closeWaitFixture, ['RST'], 302);
    assert.deepEqual([r.state, r.errors], ['LISTEN', ['receive: connection reset']]);
  });
  test('close_wait_syn_challenge_ack', () => {
    const r = react(closeWaitFixture, ['SYN'], 302);
    assert.deepEqual([r.replies, r.state], [['<SEQ=101><ACK=302><CTL=ACK>'], 'CLOSE-WAIT']);
  });
});

describe('LAST-ACK', () => {
  test('last_ack_ack_of_fin_closes', () => {
    const r = react(lastAckFixture, ['ACK'], 302, 102);
    assert.deepEqual([r.replies, r.state, r.errors], [[], 'LISTEN', []]);
  });
  test('last_ack_ack_not_covering_fin_stays', () => {
    const r = react(lastAckFixture, ['ACK'], 302, 101);
    assert.deepEqual([r.replies, r.state], [[], 'LAST-ACK']);
  });
  test('last_ack_retransmitted_fin_acked', () => {
    const r = react(lastAckFixture, ['ACK', 'FIN'], 301, 101);
    assert.deepEqual([r.replies, r.state], [['<SEQ=102><ACK=302><CTL=ACK>'], 'LAST-ACK']);
  });
  test('last_ack_rst_closes_without_error', () => {
    const r = react(lastAckFixture, ['RST'], 302);
    assert.deepEqual([r.state, r.errors], ['LISTEN', []]);
  });
});

describe('CLOSING', () => {
  test('closing_ack_of_fin_goes_time_wait', () => {
    const r = react(closingFixture, ['ACK'], 302, 102);
    assert.deepEqual([r.replies, r.state, r.timeWaitStarts], [[], 'TIME-WAIT', 1]);
  });
  test('closing_ack_not_covering_fin_ignored', () => {
    const r = react(closingFixture, ['ACK'], 302, 101);
    assert.deepEqual([r.replies, r.state], [[], 'CLOSING']);
  });
  test('closing_rst_closes_without_error', () => {
    const r = react(closingFixture, ['RST'], 302);
    assert.deepEqual([r.state, r.errors], ['LISTEN', []]);
  });
});

describe('TIME-WAIT', () => {
  test('time_wait_retransmitted_fin_acked_and_timer_restarted', () => {
    const r = react(timeWaitFixture, ['ACK', 'FIN'], 301, 102);
    assert.deepEqual([r.replies, r.state, r.timeWaitStarts], [['<SEQ=102><ACK=302><CTL=ACK>'], 'TIME-WAIT', 1]);
  });
  test('time_wait_rst_closes', () => {
    const r = react(timeWaitFixture, ['RST'], 302);
    assert.deepEqual([r.replies, r.state, r.errors], [[], 'LISTEN', []]);
  });
  test('time_wait_syn_challenge_ack', () => {
    const r = react(timeWaitFixture, ['SYN'], 5000);
    assert.deepEqual([r.replies, r.state], [['<SEQ=102><ACK=302><CTL=ACK>'], 'TIME-WAIT']);
  });
  test('time_wait_in_window_ack_stays_quiet', () => {
    const r = react(timeWaitFixture, ['ACK'], 302, 102);
    assert.deepEqual([r.replies, r.state, r.timeWaitStarts], [[], 'TIME-WAIT', 0]);
  });
});
