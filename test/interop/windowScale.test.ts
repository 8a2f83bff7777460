// The window scale a segment's window field is in (src/interop/windowScale.ts, RFC 7323 2.2-2.3),
// with several SYNs: the scale is the one the SYN that opened the connection announced. Written by
// the capture writer and read back by the import, the windows come back as the trace had them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TraceEvent } from '../../src/engine/trace';
import { importCapture } from '../../src/interop/importCapture';
import { writePcapng } from '../../src/interop/pcapng';
import { readCapture } from '../../src/interop/pcapRead';
import { WindowScales } from '../../src/interop/windowScale';
import { deliver, resetIds, send, trace } from './helpers';

/**
 * A client whose first SYN is lost and which sends it again with `again` as its window scale (the
 * first carried `first`); the server answers the second; then a segment each way and an ACK crafted
 * with the client's addresses (the import writes it as an `inject`, its window in bytes).
 */
function handshakeAfterLostSyn(first: number | undefined, again: number | undefined): TraceEvent[] {
  resetIds();
  const lost = send(0, 'client', 'server', ['SYN'], 1000, 0, 0, { wnd: 64240, options: first === undefined ? {} : { wscale: first } });
  const syn = send(1000, 'client', 'server', ['SYN'], 1000, 0, 0, { wnd: 64240, options: again === undefined ? {} : { wscale: again } });
  const synAck = send(1010, 'server', 'client', ['SYN', 'ACK'], 5000, 1001, 0, { wnd: 65160, options: { wscale: 7 } });
  const scaled = again !== undefined;
  const ack = send(1020, 'client', 'server', ['ACK'], 1001, 5001, 0, { wnd: scaled ? 502 * 2 ** again : 502 });
  const window = send(1030, 'server', 'client', ['ACK'], 5001, 1001, 0, { wnd: scaled ? 40_000 * 128 : 40_000 });
  const crafted = { ...send(1040, 'client', 'server', ['ACK'], 1001, 5001, 0, { wnd: scaled ? 300 * 2 ** again : 300 }), kind: 'inject', injected: true } as TraceEvent;
  return [lost, syn, deliver(1010, syn.id, 'server'), synAck, deliver(1020, synAck.id, 'client'), ack, deliver(1030, ack.id, 'server'), window, deliver(1040, window.id, 'client'), crafted, deliver(1050, (crafted as { id: string }).id, 'server')];
}

describe('window scale with several SYNs', () => {
  for (const [first, again] of [
    [7, undefined],
    [undefined, 7],
    [2, 7],
  ] as const) {
    test(`a lost SYN with wscale ${first ?? 'none'}, sent again with ${again ?? 'none'}: the second one's scale holds`, () => {
      const events = handshakeAfterLostSyn(first, again);
      const imported = importCapture(readCapture(writePcapng(trace(events))), { name: 'several SYNs' });
      const sends = events.filter((e): e is Extract<TraceEvent, { kind: 'send' | 'inject' }> => e.kind === 'send' || e.kind === 'inject');
      // The comparison's reading: every segment's window as the trace had it (SYNs unscaled).
      assert.deepEqual(
        imported.summary.packets.map((p) => p.scaledWindow),
        sends.map((s) => s.wnd),
      );
      // The import's crafted segment offers the window the trace's did.
      const crafted = sends[sends.length - 1];
      assert.match(imported.text, new RegExp(`inject client -> server ACK seq=\\d+ ack=\\d+ wnd=${crafted.wnd} `));
    });
  }

  test('a new SYN forgets the scale the peer announced to the attempt before; a shift above 14 is 14', () => {
    const scales = new WindowScales();
    const seg = (from: string, to: string, flags: string[], seq: number, wscale?: number) => ({ from, to, seq, flags, options: { wscale } });
    assert.equal(scales.shiftOf(seg('a', 'b', ['SYN'], 100, 3)), 0);
    assert.equal(scales.shiftOf(seg('b', 'a', ['SYN', 'ACK'], 500, 15)), 0);
    assert.equal(scales.shiftOf(seg('a', 'b', ['ACK'], 101)), 3);
    assert.equal(scales.shiftOf(seg('b', 'a', ['ACK'], 501)), 14);
    assert.equal(scales.shiftOf(seg('a', 'b', ['SYN'], 9000, 3)), 0);
    assert.equal(scales.shiftOf(seg('a', 'b', ['ACK'], 9001)), 0, 'until the peer answers the new SYN');
  });

  test('the same SYN sent again keeps the scale the peer already announced to it', () => {
    const scales = new WindowScales();
    const seg = (from: string, to: string, flags: string[], seq: number, wscale?: number) => ({ from, to, seq, flags, options: { wscale } });
    scales.shiftOf(seg('a', 'b', ['SYN'], 100, 3));
    scales.shiftOf(seg('b', 'a', ['SYN', 'ACK'], 500, 7));
    // The SYN,ACK was lost on its way to a; a sends its SYN again (same ISN) and b's answer is not seen again.
    assert.equal(scales.shiftOf(seg('a', 'b', ['SYN'], 100, 3)), 0);
    assert.equal(scales.shiftOf(seg('b', 'a', ['ACK'], 501)), 7);
    assert.equal(scales.shiftOf(seg('a', 'b', ['ACK'], 101)), 3);
  });
});
