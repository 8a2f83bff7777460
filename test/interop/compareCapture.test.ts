// compareCapture: a simulation that does what the kernel did matches; each kind of departure is
// reported, first in time, with a reason in words. The "simulations" here are trace documents built
// from a stored capture, then changed one thing at a time.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TcpState, TraceDocument, TraceEvent } from '../../src/engine/trace';
import { CaptureFormatError, parseCaptureSummary, relativeNumbers, type CaptureSummary } from '../../src/interop/capture';
import { compareCapture, differenceKey, simulatedStates, wheelSlack } from '../../src/interop/compareCapture';

const DIR = join(__dirname, '..', 'fixtures', 'captures');

function load(name: string): CaptureSummary {
  return parseCaptureSummary(JSON.parse(readFileSync(join(DIR, name, 'capture.json'), 'utf8')));
}

/** The trace a perfect simulation of the capture would write. */
function traceOf(capture: CaptureSummary, names: Record<string, string> = {}): TraceDocument {
  const name = (n: string): string => names[n] ?? n;
  const events: TraceEvent[] = [];
  capture.packets.forEach((p, i) => {
    events.push({ kind: 'send', t: p.t, id: `s${i + 1}`, from: name(p.from), to: name(p.to), flags: p.flags, seq: p.seq, ack: p.ack, len: p.len, wnd: p.scaledWindow, retransmission: p.retransmission });
    if (p.dropped) events.push({ kind: 'drop', t: p.t + 10, id: `s${i + 1}`, reason: 'drop' });
    else if (p.arrival !== null) events.push({ kind: 'deliver', t: p.arrival, id: `s${i + 1}`, to: name(p.to) });
  });
  for (const sock of capture.sockets) {
    let from: TcpState = 'CLOSED';
    if (!sock.listener && sock.states[0]?.state === 'SYN-RECEIVED' && capture.sockets.some((s) => s.listener && s.endpoint === sock.endpoint)) from = 'LISTEN';
    for (const s of sock.states) {
      events.push({ kind: 'transition', t: s.t, endpoint: name(sock.endpoint), from, to: s.state, cause: 'test' });
      from = s.state;
    }
  }
  events.sort((a, b) => a.t - b.t);
  return {
    version: 1,
    profile: 'linux',
    endpoints: capture.endpoints.map((e) => ({ name: name(e.name), address: e.address, port: e.port })),
    events,
  };
}

function sends(doc: TraceDocument): Extract<TraceEvent, { kind: 'send' }>[] {
  return doc.events.filter((e): e is Extract<TraceEvent, { kind: 'send' }> => e.kind === 'send');
}

describe('compareCapture', () => {
  const capture = load('final-ack-loss');

  test('a simulation that does what the kernel did matches', () => {
    const result = compareCapture(traceOf(capture), capture);
    assert.deepEqual(result.differences, []);
    assert.equal(result.match, true);
    assert.equal(result.segments, capture.packets.length);
    assert.ok(result.states > 0);
  });

  test('endpoints are matched by address and port, whatever their names', () => {
    const result = compareCapture(traceOf(capture, { client: 'alice', server: 'bob' }), capture);
    assert.equal(result.match, true, result.first?.message);
  });

  test('a segment sent later than the tolerance allows is a timing difference; within it, a match', () => {
    const doc = traceOf(capture);
    const last = sends(doc).at(-1)!;
    last.t += 0.5;
    assert.equal(compareCapture(doc, capture).match, true);
    last.t += 50;
    const result = compareCapture(doc, capture);
    assert.equal(result.first?.kind, 'segment-time');
    assert.match(result.first!.message, /the kernel sent it at [\d.]+ ms, the simulation at [\d.]+ ms \(tolerance/);
  });

  test('other flags, numbers or lengths make a segment difference that names both segments', () => {
    const doc = traceOf(capture);
    const fin = sends(doc).find((e) => e.flags.includes('FIN'))!;
    fin.flags = ['ACK'];
    const result = compareCapture(doc, capture);
    assert.equal(result.first?.kind, 'segment');
    assert.equal(result.first?.where, `${fin.from} -> ${fin.to}`);
    assert.match(result.first!.message, /the kernel sent FIN,ACK seq=1 ack=1 len=0 at [\d.]+ ms; the simulation sent ACK seq=1 ack=1 len=0/);
  });

  test('a segment dropped on one side only is a difference', () => {
    const doc = traceOf(capture);
    doc.events = doc.events.filter((e) => e.kind !== 'drop');
    const result = compareCapture(doc, capture);
    assert.equal(result.first?.kind, 'segment');
    assert.match(result.first!.expected, /\(dropped\)/);
  });

  test('a missing or an extra segment at the end is reported', () => {
    const doc = traceOf(capture);
    const last = sends(doc).at(-1)!;
    const shorter = { ...doc, events: doc.events.filter((e) => e !== last) };
    assert.equal(compareCapture(shorter, capture).first?.kind, 'missing-segment');
    const longer = { ...doc, events: [...doc.events, { ...last, id: 'extra', t: last.t + 100 }] };
    const extra = compareCapture(longer, capture).first!;
    assert.equal(extra.kind, 'extra-segment');
    assert.match(extra.message, /the kernel sent nothing more/);
  });

  test('segments after the end of the capture are not compared', () => {
    const doc = traceOf(capture);
    const last = sends(doc).at(-1)!;
    doc.events.push({ ...last, id: 'late', t: capture.duration + 1 });
    assert.equal(compareCapture(doc, capture).match, true);
  });

  test('a segment the capture ends on may be simulated a little after the end: it is compared, not missing', () => {
    // A capture read from a pcap ends at its last packet (syn-give-up: the eleventh SYN, which the
    // profile's timer wheel sends 128 ms later, within the 2 s slack of a 32 s timer).
    const doc = traceOf(capture);
    const last = sends(doc).at(-1)!;
    const ending = { ...capture, duration: capture.packets.at(-1)!.t };
    const segmentsOnly = { states: false };
    last.t += 0.5;
    assert.equal(compareCapture(doc, ending, segmentsOnly).match, true, compareCapture(doc, ending, segmentsOnly).first?.message);
    last.t += 50;
    assert.equal(compareCapture(doc, ending, segmentsOnly).first?.kind, 'segment-time');
  });

  test('PSH counts unless told otherwise', () => {
    const data = load('lone-loss');
    const doc = traceOf(data);
    for (const e of sends(doc)) e.flags = e.flags.filter((f) => f !== 'PSH');
    assert.equal(compareCapture(doc, data).first?.kind, 'segment');
    assert.equal(compareCapture(doc, data, { psh: false }).match, true);
  });

  test('a state the simulation skips is a state difference', () => {
    const doc = traceOf(capture);
    const client = capture.endpoints[0].name;
    const skipped = doc.events.find((e) => e.kind === 'transition' && e.endpoint === client && e.to === 'FIN-WAIT-2');
    if (skipped) {
      doc.events = doc.events.filter((e) => e !== skipped);
      const result = compareCapture(doc, capture);
      assert.equal(result.first?.kind, 'state');
      assert.equal(result.first?.where, client);
    } else {
      assert.fail('the client of final-ack-loss passes through FIN-WAIT-2');
    }
  });

  test('the first difference is the earliest in time, whichever direction it is in', () => {
    const doc = traceOf(capture);
    const all = sends(doc);
    all[all.length - 1].len = 7; // late, client -> server or server -> client
    const early = all.find((e) => e.from !== all[all.length - 1].from)!;
    early.len = 9;
    const result = compareCapture(doc, capture);
    assert.equal(result.differences.length >= 2, true);
    assert.equal(result.first?.t, Math.min(...result.differences.map((d) => d.t)));
    assert.equal(result.first?.where, `${early.from} -> ${early.to}`);
    assert.match(differenceKey(result.first!), /^\w+ -> \w+ #\d+ segment$/);
  });

  test('the simulation\'s states leave the listener out and end a passive connection reset in SYN-RECEIVED', () => {
    const events: TraceEvent[] = [
      { kind: 'transition', t: 0, endpoint: 's', from: 'CLOSED', to: 'LISTEN', cause: 'listen' },
      { kind: 'transition', t: 1, endpoint: 's', from: 'LISTEN', to: 'SYN-RECEIVED', cause: 's1' },
      { kind: 'transition', t: 2, endpoint: 's', from: 'SYN-RECEIVED', to: 'LISTEN', cause: 's2' },
      { kind: 'transition', t: 3, endpoint: 's', from: 'LISTEN', to: 'CLOSED', cause: 'close' },
    ];
    assert.deepEqual(simulatedStates(events, 's').map((s) => s.state), ['SYN-RECEIVED', 'CLOSED']);
  });
});

describe('capture helpers', () => {
  test('timer-wheel slack: one jiffy below 64 jiffies, then eight times more per level', () => {
    assert.deepEqual([10, 200, 300, 1000, 3000, 20000, 60000].map((ms) => wheelSlack(ms, 250)), [4, 4, 32, 32, 256, 2048, 2048]);
    assert.equal(wheelSlack(10, 1000), 1);
    assert.equal(wheelSlack(100, 1000), 8);
  });

  test('relative numbers count from each side\'s SYN, across the wrap', () => {
    const segs = relativeNumbers([
      { t: 0, from: 'a', to: 'b', flags: ['SYN'], seq: 0xfffffffe, ack: 0, len: 0, dropped: false },
      { t: 1, from: 'b', to: 'a', flags: ['SYN', 'ACK'], seq: 5, ack: 0xffffffff, len: 0, dropped: false },
      { t: 2, from: 'a', to: 'b', flags: ['ACK'], seq: 0xffffffff, ack: 6, len: 10, dropped: false },
      { t: 3, from: 'b', to: 'a', flags: ['ACK'], seq: 6, ack: 9, len: 0, dropped: false },
    ]);
    assert.deepEqual(segs.map((s) => [s.relSeq, s.relAck]), [[0, null], [0, 1], [1, 1], [1, 11]]);
  });

  test('a side that never sent a SYN keeps absolute numbers (the RST of a refused connection)', () => {
    const segs = relativeNumbers([
      { t: 0, from: 'a', to: 'b', flags: ['SYN'], seq: 100, ack: 0, len: 0, dropped: false },
      { t: 1, from: 'b', to: 'a', flags: ['RST', 'ACK'], seq: 0, ack: 101, len: 0, dropped: false },
    ]);
    assert.deepEqual(segs.map((s) => [s.relSeq, s.relAck]), [[0, null], [0, 1]]);
  });

  test('a document that is not a capture summary is refused with the reason', () => {
    assert.throws(() => parseCaptureSummary({ version: 2 }), CaptureFormatError);
    assert.throws(() => parseCaptureSummary(null), /expected a JSON object/);
    const capture = load('refused');
    const broken = { ...capture, packets: [{ ...capture.packets[0], seq: 'x' }] };
    assert.throws(() => parseCaptureSummary(broken), /packet 1: expected a number "seq"/);
  });
});
