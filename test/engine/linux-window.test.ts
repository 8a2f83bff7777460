// The linux profile's receive window while received data waits to be read (tcp/linux/window.ts).
// In the captures spurious-rto and spurious-rto-frto the kernel's window shrinks during a burst
// because its server's reader (a select() loop) runs 100-180 us after the data and reads several
// segments at once, while the segments arrive 10 us apart: every ACK, sent in softirq before the
// reader wakes, counts the memory of all the data not yet read (tcp_space: sk_rcvbuf less
// sk_rmem_alloc). The profile's autoread takes each segment as it arrives, so its windows differ
// there (captures.test.ts WINDOWS_EXPECTED). These tests pin the other half: with the same data
// unread the profile advertises the kernel's windows, and the two captures replayed with their
// segment spacing and reads give every window the kernel advertised but one.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runProgram } from '../../src/engine/index';
import type { Program } from '../../src/engine/program';
import type { SendEvent, TraceEvent } from '../../src/engine/trace';
import { parseCaptureSummary, type CaptureSummary } from '../../src/interop/capture';
import { compile } from '../../src/language';
import { CONNECTED_TEXT, simulateText, wire } from './helpers';

/** Three pairs of segments, 100 ms apart, grow rcv_ssthresh past the buffer's share (no DRS: little read per RTT); then `burst` bytes. */
function burst(segment: number, reading: boolean, head = CONNECTED_TEXT): number[] {
  const warm = [100, 200, 300].map((t) => `@${t}ms client send ${2 * segment}\n`).join('');
  const off = reading ? '' : '@400ms server set autoread=off\n';
  const sim = simulateText(`${warm}${off}@500ms client send ${10 * segment}\nend @1s\n`, 'linux', head);
  return wire(sim.trace)
    .filter((e) => e.from === 'server' && e.t === 510)
    .map((e) => e.wnd);
}

describe('linux profile: the receive window while data waits to be read', () => {
  test('1448-byte segments unread: the windows the kernel advertised in spurious-rto', () => {
    // spurious-rto, server ACKs at 1330.045-1330.230 ms: 1 to 9 segments unread by the recv log
    // (#34 read alone, then #35-#43 in one recv of 13032 bytes after the last ACK). The first
    // segment takes an sk_buff (832 bytes) besides its data, the others join it (tcp_try_coalesce);
    // 1448 bytes of data take 2280 of buffer (scaling_ratio 162): each costs the window 916 bytes,
    // and the window is rounded up to 1024 (window scale 10).
    const kernel = [81920, 80896, 79872, 78848, 78848, 77824, 76800, 75776, 74752];
    assert.deepEqual(burst(1448, false).slice(0, 9), kernel);
  });

  test('1460-byte segments (no timestamps) unread: the windows the kernel advertised in spurious-rto-frto', () => {
    // spurious-rto-frto, server ACKs at 1151.282-1151.414 ms: 1 to 5 segments unread (#34 read
    // alone, then #35-#40 in one recv of 8520 bytes); 1460 bytes take 2292 (scaling_ratio 163).
    const kernel = [82944, 81920, 80896, 79872, 78848];
    const head = CONNECTED_TEXT.replace('isn=100', 'isn=100 timestamps=off');
    assert.deepEqual(burst(1460, false, head).slice(0, 5), kernel);
  });

  test('read as it arrives (autoread), each ACK counts only its own segment', () => {
    // The ACK goes out before the application reads (the profile charges the segment first), so the
    // whole burst advertises the window one unread segment leaves: 81920.
    assert.deepEqual(burst(1448, true), new Array(10).fill(81920));
  });
});

// The captures replayed with the kernel's timing of both things the profile does not model: each
// client segment arrives as far after the first of its flight as it did in the capture (the
// simulation's flight arrives in one instant), and the server's application reads what each of its
// recv calls took (capture.json `app`), just after that data's last segment arrived.
const CAPTURES = join(__dirname, '..', 'fixtures', 'captures');

interface Replayed {
  kernel: number[];
  profile: number[];
}

/** The relative sequence numbers of the client's data segments sent once, and when each reached the server. */
function clientData(capture: CaptureSummary): { seq: number; end: number; arrival: number }[] {
  return capture.packets
    .filter((p) => p.from === 'client' && p.len > 0 && !p.retransmission && p.arrival !== null)
    .map((p) => ({ seq: p.relSeq, end: p.relSeq + p.len, arrival: p.arrival ?? 0 }));
}

function run(program: Program): readonly TraceEvent[] {
  return runProgram(program, 1_000_000).trace;
}

/** When each client data segment (by relative sequence number, first copy) reached the server in the simulation, in microseconds. */
function simArrivals(trace: readonly TraceEvent[], isn: number): Map<number, number> {
  const sent = new Map<string, number>();
  for (const e of trace) if (e.kind === 'send' && e.from === 'client' && e.len > 0) sent.set(e.id, (e.seq - isn) >>> 0);
  const out = new Map<number, number>();
  for (const e of trace) {
    if (e.kind !== 'deliver') continue;
    const seq = sent.get(e.id);
    if (seq !== undefined && !out.has(seq)) out.set(seq, Math.round(e.t * 1000));
  }
  return out;
}

function replay(name: string): Replayed {
  const capture = parseCaptureSummary(JSON.parse(readFileSync(join(CAPTURES, name, 'capture.json'), 'utf8')));
  const text = readFileSync(join(CAPTURES, name, 'scenario.tcpscenario'), 'utf8').replace(/^(endpoint server .*)$/m, '$1 autoread=off');
  const data = clientData(capture);
  const isn = capture.packets[0].seq;
  // Flights: segments that reached the server less than 1 ms apart in the capture.
  const flights: (typeof data)[] = [];
  for (const d of data) {
    const last = flights.at(-1)?.at(-1);
    if (last !== undefined && d.arrival - last.arrival < 1) flights.at(-1)?.push(d);
    else flights.push([d]);
  }
  const delays = new Map<number, number>();
  const build = (): Program => {
    const lines = [...delays].map(([seq, us]) => `   delay client -> server data seq=${(isn + seq) >>> 0} by ${us}us once`).join('\n');
    const { program, diagnostics } = compile(text.replace(/^(@0 server listen)$/m, `$1\n${lines}`));
    assert.deepEqual(diagnostics.map((d) => d.message), []);
    assert.ok(program);
    return program;
  };
  // One flight at a time, as spacing one changes when the next is sent.
  for (const flight of flights) {
    const at = simArrivals(run(build()), isn);
    const first = at.get(flight[0].seq) ?? 0;
    for (const d of flight) {
      const wanted = first + Math.round((d.arrival - flight[0].arrival) * 1000) - (at.get(d.seq) ?? 0);
      assert.ok(wanted >= 0, `${name}: segment ${d.seq} arrives too late to space`);
      if (wanted > 0) delays.set(d.seq, (delays.get(d.seq) ?? 0) + wanted);
    }
  }
  const program = build();
  const at = simArrivals(run(program), isn);
  // Each read 5 us after the last segment it took arrived (they came 10 us apart or more).
  let read = 1;
  const statements = [...program.statements];
  for (const call of capture.app.filter((c) => c.endpoint === 'server' && c.call === 'recv' && (c.bytes ?? 0) > 0)) {
    read += call.bytes ?? 0;
    const last = data.find((d) => d.end === read);
    assert.ok(last, `${name}: a recv ends where a segment does`);
    const t = (at.get(last.seq) ?? 0) + 5;
    const i = statements.findIndex((s) => s.at > t);
    statements.splice(i, 0, { at: t, line: statements[i].line, action: { kind: 'receive', endpoint: 'server' } });
  }
  const trace = run({ ...program, statements });
  return {
    kernel: capture.packets.filter((p) => p.from === 'server').map((p) => p.scaledWindow),
    profile: trace.filter((e): e is SendEvent => e.kind === 'send' && e.from === 'server').map((e) => e.wnd),
  };
}

describe('linux profile: the two captures replayed with the kernel reader\'s timing', () => {
  test('spurious-rto: every window the kernel advertised, but one the socket backlog explains', () => {
    const { kernel, profile } = replay('spurious-rto');
    assert.equal(profile.length, kernel.length);
    // Server segment 16 (1309.058 ms, 18 us after its data): the kernel's reader still owned the
    // socket from the read that took the 8 segments before, so the segment waited in the backlog and
    // was processed at release_sock, its memory counted in sk_rmem_alloc and in sk_backlog.len
    // (tcp_space) alike: 80896. Reads take no time in the simulation: 81920.
    const wrong = kernel.flatMap((w, i) => (w === profile[i] ? [] : [`#${i + 1} ${profile[i]} (kernel ${w})`]));
    assert.deepEqual(wrong, ['#16 81920 (kernel 80896)']);
  });

  test('spurious-rto-frto: every window the kernel advertised', () => {
    const { kernel, profile } = replay('spurious-rto-frto');
    assert.deepEqual(profile, kernel);
  });
});
