// The linux profile undoes a spurious retransmission timeout as the kernel does (tcp/linux/undo.ts;
// captured: test/fixtures/captures/spurious-rto): an ACK whose timestamp echo predates the first
// retransmission brings cwnd and ssthresh back, so the next write goes out in one full window.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CONNECTED_TEXT, notes, simulateText, wire } from './helpers';

/** The connected head with the client's timestamps off (no Eifel undo: F-RTO decides). */
const NO_TS = CONNECTED_TEXT.replace('isn=100', 'isn=100 timestamps=off');

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
    // The server answers each of the three needless copies (probe, two timeouts) with a D-SACK, however
    // close together: tcp_oow_rate_limited does not limit segments that carry data.
    const dsacks = wire(sim.trace).filter((e) => e.from === 'server' && e.t > 140 && e.t < 1100 && (e.options?.sack?.length ?? 0) > 0);
    assert.equal(dsacks.length, 3);
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

  test('F-RTO without timestamps: new data on the first ACK, undone when the next acknowledges a segment never sent again', () => {
    const sim = simulateText('@50ms delay server -> client by 1000ms 13 times\n@100ms client send 29200\nend @1600ms\n', 'linux', NO_TS);
    const said = notes(sim.trace);
    const frto = said.findIndex((m) => m.startsWith('F-RTO: the first ACK after the timeout advanced'));
    const undone = said.findIndex((m) => m.startsWith('spurious timeout undone (F-RTO: a segment never sent again was acknowledged)'));
    assert.ok(frto >= 0 && undone > frto, said.join('\n'));
    // After the first ACK the client sends new data (beyond everything sent before), not the lost segments again.
    const client = wire(sim.trace).filter((e) => e.from === 'client' && e.len > 0);
    const before = client.filter((e) => e.t < 1120);
    const highest = Math.max(...before.map((e) => e.seq + e.len));
    const after = client.filter((e) => e.t >= 1120);
    assert.ok(after.length > 0 && after.every((e) => e.seq >= highest), after.map((e) => `${e.t} ${e.seq}`).join('\n'));
  });

  test('F-RTO with nothing new to send falls back to retransmitting what is lost', () => {
    const sim = simulateText('@50ms delay server -> client by 1000ms 5 times\n@100ms client send 2920\nend @1600ms\n', 'linux', NO_TS);
    const said = notes(sim.trace);
    assert.ok(!said.some((m) => m.startsWith('F-RTO') || m.startsWith('spurious timeout undone')), said.join('\n'));
    // The second segment goes again on the first ACK (conventional recovery).
    const again = wire(sim.trace).filter((e) => e.from === 'client' && e.seq === 1561 && e.t >= 1120);
    assert.equal(again.length, 1);
  });
});

/** Twenty segments at 0.1 s whose third (seq 2997) is held `hold` ms in the network; more at 1.3 s. */
function reordered(hold: number, bytes = 28960, profile = 'linux'): ReturnType<typeof simulateText> {
  return simulateText(`@0 delay client -> server data seq=2997 by ${hold}ms once\n@100ms client send ${bytes}\n@1300ms client send 28960\nend @1600ms\n`, profile);
}

/** The client's retransmissions (the second sending of a sequence number) from `ms` on. */
function resent(sim: ReturnType<typeof simulateText>, ms: number): number[] {
  const seen = new Set<number>();
  const again: number[] = [];
  for (const e of wire(sim.trace)) {
    if (e.from !== 'client' || e.len === 0) continue;
    if (seen.has(e.seq) && e.t >= ms) again.push(e.seq);
    seen.add(e.seq);
  }
  return again;
}

describe('linux profile: undo of a fast retransmit that reordering made spurious', () => {
  test('the original arrives after its copy: the D-SACK after recovery undoes it (tcp_try_undo_dsack)', () => {
    const sim = reordered(30);
    const said = notes(sim.trace);
    const fast = said.findIndex((m) => m.startsWith('fast retransmit (RACK'));
    const ended = said.findIndex((m) => m.startsWith('recovery ends'));
    const undone = said.findIndex((m) => m.startsWith('fast retransmit undone after recovery (D-SACKs showed every retransmission needless): cwnd 11584 -> 17376'));
    assert.ok(fast >= 0 && ended > fast && undone > ended, said.join('\n'));
    // The next write leaves in one initial window (the idle restart caps it): without the undo, ssthresh's 8.
    assert.equal(dataAt(sim, 1300), 10);
  });

  test('the original fills the hole first: the partial ACK echoing its timestamp undoes (tcp_try_undo_partial)', () => {
    const said = notes(reordered(15).trace);
    assert.ok(said.some((m) => m.startsWith('fast retransmit undone (a partial ACK echoes a timestamp older than the retransmission)')), said.join('\n'));
    assert.ok(!said.some((m) => m.startsWith('recovery ends')), said.join('\n'));
  });

  test('the ACK that ends recovery echoes the original: undone at the end (tcp_try_undo_recovery)', () => {
    // Ten segments only: nothing new goes during recovery, so the original's ACK covers its end.
    const said = notes(reordered(15, 14480).trace);
    assert.ok(said.some((m) => m.startsWith('fast retransmit undone at the end of recovery (the ACK echoes a timestamp older than the retransmission)')), said.join('\n'));
  });

  test('a real loss is not undone: the retransmission draws no D-SACK', () => {
    const sim = simulateText('@0 drop client -> server data seq=2997 once\n@100ms client send 28960\n@1300ms client send 28960\nend @1600ms\n', 'linux');
    const said = notes(sim.trace);
    assert.ok(said.some((m) => m.startsWith('recovery ends')), said.join('\n'));
    assert.ok(!said.some((m) => m.startsWith('fast retransmit undone')), said.join('\n'));
    assert.equal(dataAt(sim, 1300), 8);
  });

  test('the rfc profile does not undo', () => {
    assert.ok(!notes(reordered(30, 28960, 'rfc').trace).some((m) => m.includes('undone')));
  });

  test("RACK's window: widened by a D-SACK once reordering was seen (tcp_rack_update_reo_wnd)", () => {
    // Write 1: the original fills the hole before its copy (reordering seen), then the copy draws a
    // D-SACK: two quarters of the minimum RTT from then on. Write 2: its third segment is 12 ms late,
    // within two quarters (10 ms, plus the timer's slack): not sent again. As the kernel did
    // (test/fixtures/captures/reorder-widen).
    const text = (extra: string): string =>
      '@0 delay client -> server data seq=2997 by 15ms once\n@0 delay client -> server data seq=31957 by 12ms once\n' +
      `@100ms client send 28960\n${extra}@1300ms client send 28960\nend @2000ms\n`;
    const sim = simulateText(text(''), 'linux');
    assert.deepEqual(resent(sim, 120), [2997]);
    // The copy lost instead (reordering seen, no D-SACK): one quarter, 5 ms: sent again.
    const control = simulateText(text('@110ms drop client -> server data seq=2997 once\n'), 'linux');
    assert.deepEqual(resent(control, 120), [2997, 31957]);
  });
});
