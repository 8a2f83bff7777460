// The linux profile undoes a spurious retransmission timeout as the kernel does (tcp/linux/undo.ts;
// captured: test/fixtures/captures/spurious-rto): an ACK whose timestamp echo predates the first
// retransmission brings cwnd and ssthresh back, so the next write goes out in one full window.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { notes, simulateText, wire } from './helpers';

/** The client's data segments sent at `ms`. */
function dataAt(sim: ReturnType<typeof simulateText>, ms: number): number {
  return wire(sim.trace).filter((e) => e.from === 'client' && e.len > 0 && e.t === ms).length;
}

describe('linux profile: undo of a spurious timeout', () => {
  test('ACKs held past two timeouts: undone on the first ACK (Eifel), the next write has the whole window', () => {
    const sim = simulateText('@50ms delay server -> client by 1000ms 5 times\n@100ms client send 2896\n@1300ms client send 28960\nend @1600ms\n', 'linux');
    const said = notes(sim.trace);
    assert.ok(said.some((m) => m.startsWith('timeout: cwnd 14480 -> 1448')), said.join('\n'));
    assert.ok(said.some((m) => m.startsWith('spurious timeout undone (the ACK echoes a timestamp older than the retransmission): cwnd 1448 -> 14480')), said.join('\n'));
    // Ten segments (the restored cwnd): without the undo, slow start from one segment sends fewer.
    assert.equal(dataAt(sim, 1300), 10);
  });

  test('a real loss is not undone: the ACK echoes the retransmission', () => {
    const sim = simulateText('@0 drop client -> server data twice\n@100ms client send 1448\nend @1500ms\n', 'linux');
    const said = notes(sim.trace);
    assert.ok(said.some((m) => m.startsWith('timeout:')), said.join('\n'));
    assert.ok(!said.some((m) => m.startsWith('spurious timeout undone')), said.join('\n'));
  });

  test('the rfc profile has no undo', () => {
    const sim = simulateText('@50ms delay server -> client by 1000ms 5 times\n@100ms client send 2896\n@1300ms client send 28960\nend @1600ms\n');
    assert.ok(!notes(sim.trace).some((m) => m.startsWith('spurious timeout undone')));
  });
});
