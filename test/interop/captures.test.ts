// The captures of the real Linux kernel (test/fixtures/captures, made by scripts/capture/capture.py):
// each fixture is sound, its scenario compiles, and the linux profile's run of it is compared with the
// capture. EXPECTED records each case's result, 'match' or its first difference (docs/engine.md and
// docs/captures.md say why the one left differs), so this test fails as soon as a case changes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runProgram, traceDocumentOf } from '../../src/engine/index';
import type { TraceDocument } from '../../src/engine/trace';
import { compile } from '../../src/language';
import { parseCaptureSummary, relativeNumbers, type CaptureSummary } from '../../src/interop/capture';
import { compareCapture, differenceKey } from '../../src/interop/compareCapture';

const DIR = join(__dirname, '..', 'fixtures', 'captures');
const CASES = existsSync(DIR) ? readdirSync(DIR).filter((name) => existsSync(join(DIR, name, 'capture.json'))).sort() : [];

/** Each case: the first difference as `differenceKey` writes it, or 'match'; first with every flag
 *  compared, then with PSH left out (Linux also sets it in the middle of long writes, which the profile
 *  does not model), which shows the next difference. */
const EXPECTED: Record<string, [string, string]> = {
  'abortive-close': ['match', 'match'],
  // PSH in the middle of the write (forced_push, not modelled); without PSH, the FIN: the kernel's rides
  // on the last data segment (its 72-segment flight took 2 ms to leave), the profile's follows alone.
  'bulk-200k': ['client -> server #23 segment', 'client -> server #144 segment'],
  'burst-loss': ['match', 'match'],
  'close-on-eof': ['match', 'match'],
  'close-on-eof-after-data': ['match', 'match'],
  'close-unread': ['match', 'match'],
  'data-after-close': ['match', 'match'],
  'data-exchange': ['match', 'match'],
  'fin-loss': ['match', 'match'],
  'fin-wait-2-timeout': ['match', 'match'],
  'final-ack-loss': ['match', 'match'],
  'half-close': ['match', 'match'],
  'late-close': ['match', 'match'],
  'late-close-after-data': ['match', 'match'],
  'lone-loss': ['match', 'match'],
  'refused': ['match', 'match'],
  // The held-out case, captured after the profile was done: it matched the first time.
  'request-response-loss': ['match', 'match'],
  // Reordering: the fast retransmit is undone by the late D-SACK after recovery (tcp_try_undo_dsack).
  'reorder-dsack': ['match', 'match'],
  // The original fills the hole first: a partial ACK echoing its timestamp undoes (tcp_try_undo_partial).
  'reorder-late': ['match', 'match'],
  // Write 2's overtaken segment is not sent again (the D-SACK widened RACK's window) in both; then the
  // server's ACKs of write 2's tail: the kernel's skip one (52129, 55025), the profile's ACK each.
  'reorder-widen': ['server -> client #39 segment', 'server -> client #39 segment'],
  'simultaneous-close': ['match', 'match'],
  'spurious-rto': ['match', 'match'],
  'spurious-rto-frto': ['match', 'match'],
  'shutdown-both': ['match', 'match'],
  'shutdown-read': ['match', 'match'],
  'simultaneous-open': ['match', 'match'],
  'syn-give-up': ['match', 'match'],
  'syn-give-up-syncnt-2': ['match', 'match'],
  'syn-loss': ['match', 'match'],
  'syn-loss-twice': ['match', 'match'],
  'synack-loss': ['match', 'match'],
  'tail-loss': ['match', 'match'],
  'tail-loss-two': ['match', 'match'],
  'time-wait': ['match', 'match'],
  'zero-window-close': ['match', 'match'],
  'zero-window-fin': ['match', 'match'],
};

/** Where a case's advertised windows first differ (`who #n`), for the cases that do; the others must all agree. */
const WINDOWS_EXPECTED: Record<string, string> = {
  // The server's window while the 20-segment burst after the undo arrives: the kernel's shrinks by the
  // bytes not yet read (79872, 78848, ...), the profile's stays at 81920 (its reader takes each at once).
  // Not the window's arithmetic but the application's timing: its recv log shows the select() loop
  // 100-180 us behind segments arriving 10 us apart, reading 8 or 9 at once; the simulation's flight
  // arrives in one instant. Replayed with both, the windows match (test/engine/linux-window.test.ts).
  'spurious-rto': 'server #10',
  // The same from the first burst on: without timestamps the segments carry 1460 bytes, and the
  // kernel's window shrinks as ten of them wait to be read (78848, 77824, ...); the profile's does not.
  'spurious-rto-frto': 'server #7',
  // When the retransmission fills the hole the kernel's window shrinks (69632, 68608, ...) with the data
  // then waiting to be read; the profile's grows. Not investigated (receive window: not this case's subject).
  'reorder-dsack': 'server #18',
  // The receive window again, from the SACKs on: the kernel's drops to 78848 while out-of-order
  // segments are held, the profile's stays at 79872 (not investigated).
  'reorder-late': 'server #6',
  'reorder-widen': 'server #6',
};

function load(name: string): CaptureSummary {
  return parseCaptureSummary(JSON.parse(readFileSync(join(DIR, name, 'capture.json'), 'utf8')));
}

function simulate(name: string): TraceDocument {
  const { program, diagnostics } = compile(readFileSync(join(DIR, name, 'scenario.tcpscenario'), 'utf8'));
  assert.deepEqual(diagnostics.map((d) => `${d.range.line}:${d.range.column} ${d.message}`), [], `${name}: the scenario compiles cleanly`);
  assert.ok(program);
  return traceDocumentOf(program, runProgram(program, 1_000_000).trace);
}

/** Records in a pcap file (16-byte record headers after the 24-byte file header). */
function pcapRecords(path: string): number {
  const bytes = readFileSync(path);
  const little = bytes.readUInt32LE(0) === 0xa1b2c3d4 || bytes.readUInt32LE(0) === 0xa1b23c4d;
  let offset = 24;
  let count = 0;
  while (offset + 16 <= bytes.length) {
    const caplen = little ? bytes.readUInt32LE(offset + 8) : bytes.readUInt32BE(offset + 8);
    offset += 16 + caplen;
    count++;
  }
  return count;
}

describe('captures of the Linux kernel', () => {
  test('every capture has an expected result, and every expected result a capture', () => {
    assert.ok(CASES.length >= 20, `captures found: ${CASES.join(', ')}`);
    assert.deepEqual(CASES, Object.keys(EXPECTED).sort());
  });

  for (const name of CASES) {
    describe(name, () => {
      test('the fixture is sound: pcap, summary and scenario agree', () => {
        const capture = load(name);
        assert.equal(capture.case, name);
        assert.ok(capture.packets.length > 0);
        const times = capture.packets.map((p) => p.t);
        assert.deepEqual(times, [...times].sort((a, b) => a - b), 'segments in the order they were sent');
        assert.equal(times[0], 0, 'times count from the first segment');
        // Relative numbers are the ones the comparison computes for a simulation.
        const again = relativeNumbers(capture.packets.map((p) => ({ ...p, flags: p.flags })));
        assert.deepEqual(again.map((p) => [p.relSeq, p.relAck]), capture.packets.map((p) => [p.relSeq, p.relAck]));
        for (const p of capture.packets) {
          assert.equal(p.dropped, p.arrival === null);
          if (p.arrival !== null) assert.ok(p.arrival > p.t, `segment ${p.index} arrives after it was sent`);
        }
        // The router saw each segment come in, and go out unless it was dropped.
        const dropped = capture.packets.filter((p) => p.dropped).length;
        assert.equal(pcapRecords(join(DIR, name, 'capture.pcap')), 2 * capture.packets.length - dropped);
        for (const sock of capture.sockets) assert.ok(sock.states.every((s) => s.t <= capture.duration));
        assert.ok(capture.meta.kernel.length > 0);
        assert.ok(Object.keys(capture.meta.sysctls).length === 2);
      });

      test('the linux profile against the kernel', () => {
        const capture = load(name);
        const doc = simulate(name);
        const got = [compareCapture(doc, capture), compareCapture(doc, capture, { psh: false })].map((r) => ({
          key: r.first ? differenceKey(r.first) : 'match',
          why: r.first ? r.first.message : 'the simulation matches the capture',
        }));
        assert.deepEqual(got.map((g) => g.key), EXPECTED[name], got.map((g) => g.why).join('\n'));
      });

      test('every segment advertises the window and SACK blocks the kernel did', () => {
        // Not part of compareCapture: the n-th segment each way, as far as both sent them, carries
        // the window (scaled) and the SACK blocks the kernel's did (tcp/linux/window.ts, options.ts).
        const capture = load(name);
        const sends = simulate(name).events.filter((e) => e.kind === 'send');
        const wrong: string[] = [];
        for (const who of ['client', 'server']) {
          const kernel = capture.packets.filter((p) => p.from === who);
          const sim = sends.filter((e) => e.from === who);
          for (let i = 0; i < Math.min(kernel.length, sim.length); i++) {
            const k = kernel[i];
            const e = sim[i];
            const blocks = (b: { left: number; right: number }[] | undefined): string => (b ?? []).map((x) => `${x.left >>> 0}-${x.right >>> 0}`).join(' ');
            if (k.scaledWindow !== e.wnd) wrong.push(`${who} #${i + 1} at ${k.t} ms: window ${e.wnd}, the kernel's ${k.scaledWindow}`);
            if (blocks(k.options.sack) !== blocks(e.options?.sack)) wrong.push(`${who} #${i + 1} at ${k.t} ms: SACK [${blocks(e.options?.sack)}], the kernel's [${blocks(k.options.sack)}]`);
          }
        }
        const expected = WINDOWS_EXPECTED[name];
        if (expected === undefined) assert.deepEqual(wrong, []);
        else assert.equal(wrong[0]?.split(' at ')[0], expected, wrong.join('\n'));
      });
    });
  }
});
