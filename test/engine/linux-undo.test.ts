// The linux profile undoes a spurious retransmission timeout as the kernel does (tcp/linux/undo.ts;
// captured: test/fixtures/captures/spurious-rto): an ACK whose timestamp echo predates the first
// retransmission brings cwnd and ssthresh back, so the next write goes out in one full window.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as Recovery from '../../src/engine/tcp/recovery';
import { newLinuxState } from '../../src/engine/tcp/linux/state';
import * as Undo from '../../src/engine/tcp/linux/undo';
import type { Tcb } from '../../src/engine/world';
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
    // Its explanation is F-RTO's rule (the Eifel rule's text speaks of timestamps, which are off here).
    const undoNote = sim.trace.find((e) => e.kind === 'note' && e.message.startsWith('spurious timeout undone'));
    assert.equal(undoNote?.kind === 'note' ? undoNote.rule : undefined, 'linux.tcp_process_loss.frto');
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

  test('fast recovery, then two timeouts: the F-RTO undo restores cwnd and ssthresh from before the recovery (tcp_enter_recovery)', () => {
    // The first segment is lost: fast retransmit; then the ACKs stall past two timeouts.
    const sim = simulateText('@0 drop client -> server data once\n@100ms client send 29200\n@121ms delay server -> client by 1000ms 20 times\nend @1600ms\n', 'linux', NO_TS);
    const said = notes(sim.trace);
    assert.ok(said.some((m) => m.startsWith('fast retransmit (RACK') && m.endsWith('cwnd 14600 -> 13140 (PRR)')), said.join('\n'));
    assert.ok(said.some((m) => m.startsWith('spurious timeout undone (F-RTO: a segment never sent again was acknowledged): cwnd 1460 -> 14600, ssthresh 1073741824')), said.join('\n'));
  });

  test('a duplicate ACK carrying a D-SACK does not end F-RTO (tcp_ack counts no dupack for FLAG_DSACKING_ACK)', () => {
    // Three segments, their ACKs held 1 s (the second and third 100 ms more); two timeouts resend the
    // first. After F-RTO's new data a D-SACK for the first arrives (ACK = SND.UNA, the same window: the
    // server does not scale it), then the second's ACK.
    const body = '@50ms delay server -> client by 1000ms 6 times\n@50ms delay server -> client ack=4481 by 100ms always\n@50ms delay server -> client ack=3021 by 100ms once\n'
      + '@100ms client send 4380\n@500ms client send 2920\n@1120ms inject server -> client ACK seq=301 ack=1561 wnd=65535 sack=101:1561\nend @1600ms\n';
    const sim = simulateText(body, 'linux', NO_TS.replace('isn=300', 'isn=300 window-scaling=off'));
    const said = notes(sim.trace);
    const frto = said.findIndex((m) => m.startsWith('F-RTO: the first ACK after the timeout advanced'));
    const undone = said.findIndex((m) => m.startsWith('spurious timeout undone (F-RTO: a segment never sent again was acknowledged)'));
    assert.ok(frto >= 0 && undone > frto, said.join('\n'));
  });

  test('prior_ssthresh is tcp_current_ssthresh: (cwnd >> 1) + (cwnd >> 2) segments, not 3/4 of cwnd rounded down', () => {
    const mss = 1448;
    const lx = newLinuxState(65536, false, 0);
    const tcb = { cc: { cwnd: 11 * mss, ssthresh: 5 * mss }, mss, recovery: Recovery.OPEN, sndUna: 1 } as unknown as Tcb;
    Undo.initUndo(tcb, lx);
    assert.equal(lx.priorSsthresh, 7 * mss); // 5 + 2, where 33/4 rounds to 8
    assert.equal(lx.priorCwndBytes, 11 * mss);
  });

  test("F-RTO's new data goes with Nagle off: a small tail waiting behind an unacknowledged small segment goes", () => {
    const sim = simulateText('@50ms delay server -> client by 1000ms 6 times\n@100ms client send 2000\n@500ms client send 1000\nend @1600ms\n', 'linux', NO_TS);
    const said = notes(sim.trace);
    assert.ok(said.some((m) => m.startsWith('F-RTO: the first ACK after the timeout advanced')), said.join('\n'));
    const tail = wire(sim.trace).filter((e) => e.from === 'client' && e.seq === 2101 && e.len === 1000);
    assert.ok(tail.length > 0 && tail[0].t === 1120, tail.map((e) => `${e.t} ${e.seq}`).join('\n'));
    assert.ok(!said.some((m) => m.startsWith('Nagle:')), said.join('\n'));
  });

  test("without SACK an Eifel undo keeps the loss state until the timeout's data is all acknowledged (tcp_try_undo_loss)", () => {
    const sim = simulateText('@50ms delay server -> client by 1000ms 5 times\n@100ms client send 2896\n@1300ms client send 28960\nend @1600ms\n', 'linux', CONNECTED_TEXT.replace('isn=100', 'isn=100 sack=off'));
    const said = notes(sim.trace);
    const undone = said.findIndex((m) => m.startsWith('spurious timeout undone (the ACK echoes a timestamp older than the retransmission): cwnd 1448 -> 14480'));
    const recovered = said.findIndex((m) => m.startsWith('loss recovered: cwnd 14480'));
    assert.ok(undone >= 0 && recovered > undone, said.join('\n'));
  });

  test("F-RTO's new data goes as whole segments: with less than one MSS of the peer's window left, the lost segments go again", () => {
    // The server reads nothing: its first ACK leaves 380 bytes of window past SND.NXT (tcp_snd_wnd_test).
    const head = NO_TS.replace('isn=300', 'isn=300 window-scaling=off rcvbuf=4500 autoread=off');
    const sim = simulateText('@50ms delay server -> client by 1000ms 6 times\n@100ms client send 4000\n@500ms client send 2920\nend @1600ms\n', 'linux', head);
    const said = notes(sim.trace);
    assert.ok(said.some((m) => m.startsWith('F-RTO: no new segment could go')), said.join('\n'));
    const at = wire(sim.trace).filter((e) => e.from === 'client' && e.len > 0 && e.t === 1120);
    assert.deepEqual(at.map((e) => `${e.seq} ${e.len} ${e.retransmission}`), ['1561 1460 true', '3021 1080 true']);
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
