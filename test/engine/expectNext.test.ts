// `expect next A -> B ...` (the language's form of packetdrill's `>` lines, docs/language.md): it
// takes the next segment A sends B, checks its fields and its time against a window, holds the
// timeline until then (the statements after it count from when it was taken), and fails at its
// deadline when nothing comes, the timeline going on from there.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExpectEvent, TraceEvent } from '../../src/engine/trace';
import { runScenarioText } from '../../src/run/run';

const HEAD = `profile linux
endpoint server 10.0.0.2:80 isn=0 autoread=off
endpoint client 10.0.0.1:40000 raw
link server <-> client delay=0
`;

function run(body: string): TraceEvent[] {
  const result = runScenarioText(HEAD + body);
  assert.deepEqual(result.diagnostics.map((d) => `${d.range.line}:${d.range.column} ${d.message}`), []);
  return result.run!.events as TraceEvent[];
}

function expects(events: TraceEvent[]): { line: number; ok: boolean; t: number; message: string }[] {
  return events.filter((e): e is ExpectEvent => e.kind === 'expect').map((e) => ({ line: e.line ?? 0, ok: e.ok, t: e.t, message: e.message }));
}

describe('expect next', () => {
  test('the SYN,ACK answering an injected SYN: fields and time checked; a wrong one names what differs', () => {
    const events = run(`@0 server listen
   inject client -> server SYN seq=100 wnd=65535
   expect next server -> client SYN,ACK seq=0 ack=101 len=0 within 4ms
+1ms inject client -> server ACK seq=101 ack=1 wnd=65535
@2s inject client -> server PSH,ACK seq=101 ack=1 len=10 wnd=65535
   expect next server -> client FIN,ACK seq=1 ack=111 within 100ms
`);
    const [synack, wrong] = expects(events);
    assert.deepEqual([synack.line, synack.ok, synack.t], [7, true, 0]);
    assert.equal(wrong.ok, false);
    assert.match(wrong.message, /flags ACK, not FIN,ACK/);
  });

  test('the timeline holds until the segment leaves: +D after it counts from then; a segment sent before the line counts', () => {
    const events = run(`@0 server listen
   inject client -> server SYN seq=100 wnd=65535
+5ms expect next server -> client SYN,ACK seq=0 ack=101 within -10ms +0
+1ms inject client -> server ACK seq=101 ack=1 wnd=65535
+0 server send 5
+0 expect next server -> client PSH,ACK seq=1 ack=101 len=5 within 0
+0 expect next server -> client PSH,ACK seq=1 ack=101 len=5 anytime
+10ms server send 3
`);
    const [synack, data, again] = expects(events);
    // The SYN,ACK left at 0, before the line ran at 5 ms: it is taken, inside the window's 10 ms before.
    assert.deepEqual([synack.ok, synack.t], [true, 5]);
    assert.ok(data.ok, data.message);
    // The raw client never acknowledges: the same data again an RTO later (anytime); the line
    // finishes then, and the send 10 ms after it counts from there.
    assert.ok(again.ok, again.message);
    assert.ok(again.t >= data.t + 200, `the retransmission at ${again.t} ms, an RTO after ${data.t} ms`);
    const sends = events.filter((e) => e.kind === 'app' && e.call === 'send');
    assert.equal(sends[1].t, again.t + 10);
  });

  test('nothing by the deadline: a failure there, and the timeline goes on from the deadline', () => {
    const events = run(`@0 server listen
   inject client -> server SYN seq=100 wnd=65535
   expect next server -> client SYN,ACK seq=0 ack=101 within 4ms
+1ms inject client -> server ACK seq=101 ack=1 wnd=65535
+0 expect next server -> client ACK seq=1 ack=101 within 4ms
+1ms server send 5
`);
    const [, late] = expects(events);
    assert.equal(late.ok, false);
    assert.equal(late.t, 5, 'at the deadline: 1 ms + 4 ms');
    assert.match(late.message, /but server sent nothing to client by 5 ms/);
    const send = events.find((e) => e.kind === 'app' && e.call === 'send')!;
    assert.equal(send.t, 6, 'the next line counts from the deadline');
  });

  test('too early and too late are failures, with the time it left', () => {
    const events = run(`@0 server listen
@10ms inject client -> server SYN seq=100 wnd=65535
+5ms expect next server -> client SYN,ACK seq=0 ack=101 within 4ms
`);
    const [early] = expects(events);
    assert.equal(early.ok, false);
    assert.match(early.message, /sent at 10 ms, too early/);
  });

  test('joined: consecutive data segments make up the one expected; nooptions and options are checked', () => {
    const events = run(`set mss=1000
@0 server listen
   inject client -> server SYN seq=100 wnd=65535
   expect next server -> client SYN,ACK seq=0 ack=101 mss=1460 within 0
+1ms inject client -> server ACK seq=101 ack=1 wnd=65535
+0 server send 3000
+0 expect next server -> client PSH,ACK seq=1 ack=101 len=3000 nooptions joined within 0
`.replace('set mss=1000\n', ''));
    const [synack, joined] = expects(events);
    assert.ok(synack.ok, synack.message);
    assert.ok(joined.ok, joined.message);
    assert.match(joined.message, /segments joined/);
    const options = run(`@0 server listen
   inject client -> server SYN seq=100 wnd=65535
   expect next server -> client SYN,ACK seq=0 ack=101 nooptions within 0
`);
    const [withOptions] = expects(options);
    // The linux profile's SYN,ACK carries its MSS (tcp_synack_options): the difference is said.
    assert.equal(withOptions.ok, false);
    assert.match(withOptions.message, /options mss 1460, not no options/);
  });

  test('the run ends while it waits: a failure at its line', () => {
    const events = run(`@0 server listen
   expect next server -> client SYN,ACK anytime
`);
    const [never] = expects(events);
    assert.equal(never.ok, false);
    assert.match(never.message, /but it was never sent: nothing is left to happen/);
  });
});
