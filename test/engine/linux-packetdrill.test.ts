// The linux profile against scripts it was not built from: Linux's own packetdrill tests
// (tools/testing/selftests/net/packetdrill, from google/packetdrill), re-enacted in
// test/fixtures/packetdrill/ with a raw endpoint as packetdrill's scripted side. Each script's `>`
// lines, what the kernel must send for the test to pass, are written out below; the server's
// segments must be those, at those times, with those SACK blocks.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runProgram } from '../../src/engine/index';
import type { SendEvent, TraceEvent } from '../../src/engine/trace';
import { compile } from '../../src/language';

const DIR = join(__dirname, '..', 'fixtures', 'packetdrill');

function run(file: string): readonly TraceEvent[] {
  const { program, diagnostics } = compile(readFileSync(join(DIR, file), 'utf8'));
  assert.deepEqual(diagnostics.map((d) => `${d.range.line}:${d.range.column} ${d.message}`), []);
  assert.ok(program);
  return runProgram(program, 100_000).trace;
}

/** The server's segments as packetdrill writes them: `t flags seq:end(len) ack N <sack L:R ...>` (ms, packetdrill's flags). */
function sent(trace: readonly TraceEvent[]): string[] {
  const letters: Record<string, string> = { SYN: 'S', FIN: 'F', RST: 'R', PSH: 'P' };
  return trace
    .filter((e): e is SendEvent => e.kind === 'send' && e.from === 'server')
    .map((e) => {
      const f = e.flags.map((x) => letters[x] ?? '').join('') + (e.flags.includes('ACK') ? '.' : '');
      const sack = e.options?.sack?.map((b) => `${b.left}:${b.right}`).join(' ');
      return `${e.t} ${f} ${e.seq}:${e.seq + e.len}(${e.len}) ack ${e.ack}${sack ? ` <sack ${sack}>` : ''}`;
    });
}

describe('Linux selftests (packetdrill) re-enacted in the linux profile', () => {
  test('tcp_fast_recovery_prr-ss-10pkt-lost-1: SACK recovery, then one new segment per segment SACKed (PRR)', () => {
    const trace = run('prr-ss-10pkt-lost-1.tcpscenario');
    // The script's `+0 > P. 1:10001(10000)` is one TSO segment: ten on the wire, PSH on the last.
    const burst = Array.from({ length: 10 }, (_, i) => `200 ${i === 9 ? 'P.' : '.'} ${1 + 1000 * i}:${1001 + 1000 * i}(1000) ack 1`);
    assert.deepEqual(sent(trace), [
      '100 S. 0:0(0) ack 1',
      ...burst,
      '330 . 1:1001(1000) ack 1',
      '360 . 10001:11001(1000) ack 1',
      '370 . 11001:12001(1000) ack 1',
      '380 . 12001:13001(1000) ack 1',
      '390 . 13001:14001(1000) ack 1',
      '400 . 14001:15001(1000) ack 1',
      '410 . 15001:16001(1000) ack 1',
      '430 P. 16001:17001(1000) ack 1',
    ]);
    // The script's asserts: in recovery, then after it, cwnd 7 and ssthresh 7 segments.
    const notes = trace.filter((e) => e.kind === 'note').map((e) => (e as { message: string }).message);
    assert.ok(notes.some((m) => m.includes('ssthresh 7000, cwnd 10000 -> 7000')), notes.join('\n'));
    assert.ok(notes.some((m) => m.includes('recovery ends: cwnd 7000 -> 7000')), notes.join('\n'));
  });

  test('tcp_dsack_mult: SACK blocks newest first, merged, and D-SACK for data that arrived twice', () => {
    const trace = run('dsack-mult.tcpscenario');
    assert.deepEqual(sent(trace), [
      '0 S. 0:0(0) ack 1',
      '100 . 1:1(0) ack 1 <sack 1001:2001>',
      '100 . 1:1(0) ack 1 <sack 1001:3001>',
      '100 . 1:1(0) ack 1 <sack 4001:5001 1001:3001>',
      '100 . 1:1(0) ack 1 <sack 7001:8001 4001:5001 1001:3001>',
      // tcp_ofo_queue: the held 1001:3001 arrived again inside 1:6001 (D-SACK); 4001:5001 does not touch it.
      '100 . 1:1(0) ack 6001 <sack 1001:3001 7001:8001>',
      '100 . 1:1(0) ack 8001 <sack 7001:8001>',
      '100 . 1:1(0) ack 8001 <sack 1:1001>',
    ]);
    // The SYN,ACK answers the options offered (no timestamps: the SYN had none). Its window scale is
    // 10, not the script's 8: defaults.sh sets tcp_rmem[2] to 15 MB, this profile has the default 32 MB.
    const synAck = trace.find((e): e is SendEvent => e.kind === 'send' && e.flags.includes('SYN'));
    assert.deepEqual(synAck?.options, { mss: 1460, sackPermitted: true, wscale: 10 });
  });
});

describe('the linux profile: segment size', () => {
  test('an MSS below tcp_min_snd_mss (48) gives 48-byte segments less the timestamps, never less', () => {
    const { program } = compile(
      'profile linux\nendpoint client 10.0.0.1:40000 mss=1\nendpoint server 10.0.0.2:80\n@0 server listen\n+0 client connect server\n@100ms client send 100\nend @1s\n',
    );
    assert.ok(program);
    const data = runProgram(program, 10_000).trace.filter((e): e is SendEvent => e.kind === 'send' && e.from === 'client' && e.len > 0);
    assert.deepEqual(data.map((e) => e.len), [36, 36, 28]);
  });
});
