// Giving up: data retransmissions, user timeout, and the handshake's own retransmissions.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appErrors, connected, ms, notes, s, Scenario, wire } from './helpers';

describe('timeouts', () => {
  test('data to a vanished peer: RTO backs off 1, 2, 4, ... s up to the maximum, then gives up', () => {
    const sim = connected({ settings: { retries: 5 } })
      .at(ms(100))
      .fault('drop', { from: 'client', to: 'server' }, Infinity)
      .send('client', 100)
      .run();
    const data = wire(sim.trace).filter((e) => e.from === 'client' && e.len > 0);
    assert.deepEqual(
      data.map((e) => [e.t, e.retransmission]),
      [
        [100, false],
        [1100, true],
        [3100, true],
        [7100, true],
        [15_100, true],
        [31_100, true],
      ],
    );
    assert.deepEqual(appErrors(sim.trace), ['client send: connection timed out']);
    assert.deepEqual(notes(sim.trace).slice(-1), ['retransmission limit reached: no acknowledgment after 5 retransmissions']);
    const closed = sim.trace.find((e) => e.kind === 'transition' && e.endpoint === 'client' && e.to === 'CLOSED');
    assert.deepEqual(closed && closed.kind === 'transition' && [closed.t, closed.cause], [63_100, 'retransmission']);
  });

  test('the user timeout aborts a connection whose data stays unacknowledged (RFC 9293 3.10.8)', () => {
    const sim = new Scenario()
      .endpoint('client', { isn: 100, userTimeout: s(5) })
      .endpoint('server', { isn: 300 })
      .at(0)
      .listen('server')
      .connect('client', 'server')
      .at(ms(100))
      .fault('drop', { from: 'client', to: 'server' }, Infinity)
      .send('client', 100)
      .run();
    assert.deepEqual(appErrors(sim.trace), ['client send: connection aborted due to user timeout']);
    const closed = sim.trace.find((e) => e.kind === 'transition' && e.endpoint === 'client' && e.to === 'CLOSED');
    assert.deepEqual(closed && closed.kind === 'transition' && [closed.t, closed.cause], [5100, 'user-timeout']);
  });

  test('a lost SYN,ACK: the server retransmits it, the client re-sends its SYN and gets an ACK', () => {
    const sim = new Scenario()
      .endpoint('client', { isn: 100 })
      .endpoint('server', { isn: 300 })
      .at(0)
      .listen('server')
      .fault('drop', { from: 'server', to: 'client', flags: ['SYN', 'ACK'] })
      .connect('client', 'server')
      .run();
    const w = wire(sim.trace).map((e) => `${e.t} ${e.from} ${e.flags.join(',')} ${e.seq}${e.retransmission ? ' R' : ''}`);
    assert.deepEqual(w, [
      '0 client SYN 100',
      '10 server SYN,ACK 300', // lost
      '1000 client SYN 100 R', // client's RTO
      '1010 server ACK 301', // a duplicate SYN is not acceptable in SYN-RECEIVED: ACK
      '1010 server SYN,ACK 300 R', // server's RTO
      '1020 client ACK 101',
    ]);
    assert.equal(sim.stateOf('server'), 'ESTABLISHED');
  });

  test('SYN,ACK retransmission with nobody answering: the spawned connection gives up and the listener stays', () => {
    const sim = new Scenario('linux')
      .endpoint('client', { isn: 100 })
      .endpoint('server', { isn: 300 })
      .at(0)
      .listen('server')
      .fault('drop', { from: 'server', to: 'client' }, Infinity)
      .connect('client', 'server')
      .abort('client')
      .run();
    const last = sim.trace.filter((e) => e.kind === 'transition' && e.endpoint === 'server').pop();
    assert.deepEqual(last && last.kind === 'transition' && [last.from, last.to, last.cause], ['SYN-RECEIVED', 'LISTEN', 'retransmission']);
    assert.equal(sim.view().endpoints[1].listening, true);
  });
});

describe('guards', () => {
  test('an ACK war on a zero-delay link stops with a note instead of hanging', () => {
    // A crafted segment makes the server acknowledge data the client never sent: each side then
    // answers the other's ACK with an ACK, forever, and no time passes.
    const sim = connected({ link: { delay: 0 } })
      .at(ms(100))
      .inject('client', 'server', ['ACK'], 101, 301, 1000)
      .run();
    const last = sim.trace[sim.trace.length - 1];
    assert.equal(last.kind, 'note');
    assert.match(last.kind === 'note' ? last.message : '', /run stopped: more than 100000 actions at 100 ms/);
  });
});
