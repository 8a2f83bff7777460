// The pcapng writer: what each packet holds and where it is seen. Read back with the reader
// (tested on its own in pcapRead.test.ts) and, for checksums, an independent sum here.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAPTURE_WRITE_MESSAGES, captureOfTrace, CaptureWriteError, TraceCapture, writePcapng } from '../../src/interop/pcapng';
import { readCapture } from '../../src/interop/pcapRead';
import { deliver, resetIds, ROOT, runFile, runText, SCENARIO_FILES, segmentsOf, send, trace } from './helpers';
import { isDeepStrictEqual } from 'node:util';
import { ENCODE_MESSAGES } from '../../src/interop/messages';
import { translatorFor } from '../../src/text/bundles';

/** RFC 1071, written out plainly: the 16-bit one's-complement sum of `words` is 0xffff when the checksum holds. */
function sumsToOnes(bytes: number[]): boolean {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i] << 8) + (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum >> 16) + (sum & 0xffff);
  return sum === 0xffff;
}

/** Checks an Ethernet/IPv4/TCP frame's two checksums without the code under test. */
function checksums(frame: Uint8Array): { ip: boolean; tcp: boolean } {
  const ip = [...frame.subarray(14, 34)];
  const total = (frame[16] << 8) | frame[17];
  const tcp = [...frame.subarray(34, 14 + total)];
  const pseudo = [...frame.subarray(26, 34), 0, 6, tcp.length >> 8, tcp.length & 0xff];
  return { ip: sumsToOnes(ip), tcp: sumsToOnes([...pseudo, ...tcp]) };
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('pcapng export', () => {
  test('every example: one interface per endpoint, checksums that an independent sum accepts, times in order', () => {
    for (const path of SCENARIO_FILES) {
      const r = runFile(path);
      const file = captureOfTrace(r.trace, r.program);
      assert.deepEqual(file.interfaces.map((i) => i.name), r.trace.endpoints.map((e) => e.name), path);
      const corrupted = new Set(r.trace.events.flatMap((e) => (e.kind === 'drop' && e.reason === 'corrupt' ? [e.id] : [])));
      let previous = -Infinity;
      for (const packet of file.packets) {
        const sums = checksums(packet.data);
        assert.ok(sums.ip, `${path}: IPv4 checksum of s${packet.packetId}`);
        assert.equal(sums.tcp, !(packet.direction === 'inbound' && corrupted.has(`s${packet.packetId}`)), `${path}: TCP checksum of s${packet.packetId} ${packet.direction}`);
        assert.ok(packet.timeUs >= previous, `${path}: packets in time order`);
        previous = packet.timeUs;
      }
    }
  });

  test('payloads are the connection\'s bytes: the text sent, then filler; a retransmission carries the same bytes', () => {
    const r = runText(`endpoint client 10.0.0.1:49152 isn=100
endpoint server 10.0.0.2:7000 isn=300
@0 server listen
@0 client connect server
@100ms drop client -> server data once
       client send "hello, world"
       client send 100
`);
    const read = readCapture(writePcapng(r.trace, r.program, { at: 'server' }));
    const data = read.packets.filter((p) => p.payloadLength > 0);
    // What the server's tap saw, in sequence order, is the stream the client wrote.
    const bytes = new Map<number, number>();
    for (const p of data) p.payload.forEach((b, i) => bytes.set(p.seq - 101 + i, b));
    const stream = Uint8Array.from([...bytes.keys()].sort((a, b) => a - b).map((k) => bytes.get(k)!));
    assert.equal(stream.length, 112);
    assert.equal(text(stream.subarray(0, 12)), 'hello, world');
    // The filler continues at the stream offset: 64-byte lines "abc...XYZ0123456789\r\n".
    assert.equal(text(stream.subarray(12, 64)), 'mnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\r\n');
    assert.equal(text(stream.subarray(64, 70)), 'abcdef');

    const both = readCapture(writePcapng(r.trace, r.program));
    const first = both.packets.filter((p) => p.seq === 101 && p.payloadLength > 0);
    assert.ok(first.length >= 2, 'the lost segment and its retransmission');
    // The engine retransmits all that is outstanding (here both sends) from the same sequence number.
    for (const p of first) assert.deepEqual(p.payload, stream.subarray(0, p.payloadLength));
  });

  test('two clients of one server: each connection has its own stream, sends `with` a peer go to that peer', () => {
    const r = runFile(join(ROOT, 'examples', '15-two-clients.tcpscenario'));
    const read = readCapture(writePcapng(r.trace, r.program, { at: 'server' }));
    const from = (address: string) => text(Uint8Array.from(read.packets.filter((p) => p.src === address && p.direction === 'inbound').flatMap((p) => [...p.payload])));
    const alice = r.trace.endpoints.find((e) => e.name === 'alice')!.address;
    const bob = r.trace.endpoints.find((e) => e.name === 'bob')!.address;
    assert.equal(from(alice), 'from alice');
    assert.equal(from(bob), 'from bobstill here');
  });

  test('faults: a drop is seen only where it was sent, a corruption arrives with a bad checksum, a copy arrives twice, an injected segment only arrives', () => {
    const r = runFile(join(ROOT, 'test', 'fixtures', 'pcap', 'faults.tcpscenario'));
    const read = readCapture(writePcapng(r.trace, r.program));
    const { segments } = segmentsOf(r.trace);
    const byId = (id: string) => read.packets.filter((p) => `s${p.packetId}` === id);
    const iface = (name: string) => read.interfaces.findIndex((i) => i.name === name);

    const dropped = r.trace.events.find((e) => e.kind === 'drop' && e.reason.startsWith('drop server'))!;
    const lost = byId((dropped as { id: string }).id);
    assert.equal(lost.length, 1);
    assert.equal(lost[0].interface, iface('server'));
    assert.equal(lost[0].direction, 'outbound');
    assert.match(lost[0].comments.join('\n'), /dropped by the network \(drop server -> client ACK once\); client never sees it/);

    const corruptId = (r.trace.events.find((e) => e.kind === 'drop' && e.reason === 'corrupt') as { id: string }).id;
    const [sent, arrived] = byId(corruptId);
    assert.equal(sent.checksumOk, true);
    assert.match(sent.comments.join('\n'), /corrupted on the way to server/);
    assert.equal(arrived.checksumOk, false);
    assert.equal(arrived.interface, iface('server'));
    assert.match(arrived.comments.join('\n'), /bad TCP checksum, server discards it/);
    assert.deepEqual(read.packets.filter((p) => p.checksumOk === false), [arrived]);

    const dup = r.trace.events.find((e) => e.kind === 'duplicate') as { id: string; copy: string };
    const original = byId(dup.id);
    const copy = byId(dup.copy);
    assert.deepEqual(original.map((p) => p.direction), ['outbound', 'inbound']);
    assert.deepEqual(copy.map((p) => p.direction), ['inbound']);
    assert.deepEqual(copy[0].payload, original[0].payload);
    assert.equal(copy[0].ipId, original[0].ipId, 'a copy made by the network is the same IP datagram');
    assert.match(copy[0].comments.join('\n'), new RegExp(`copy of ${dup.id} made by the network`));

    const injected = [...segments.values()].find((s) => s.kind === 'inject')!;
    const seen = byId(injected.id);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].direction, 'inbound');
    assert.equal(seen[0].interface, iface('client'));
    assert.equal(seen[0].src, '10.0.0.2', 'it carries the addresses of its `from`');
    assert.match(seen[0].comments.join('\n'), /crafted by an inject statement \(line 20\): server never sent it/);

    // A note naming a segment is that segment's comment.
    const delayed = read.packets.find((p) => p.comments.some((c) => c.includes('delayed by 50 ms')))!;
    assert.equal(delayed.direction, 'outbound');
    assert.equal(delayed.payloadLength, 10);
  });

  test('a crashed host: what reaches it is on its wire, with a comment', () => {
    const r = runFile(join(ROOT, 'examples', '12-keepalive-crashed-client.tcpscenario'));
    const read = readCapture(writePcapng(r.trace, r.program, { at: 'client' }));
    const crashed = r.trace.events.filter((e) => e.kind === 'drop' && e.reason === 'crashed');
    assert.ok(crashed.length > 0);
    const seen = read.packets.filter((p) => p.comments.some((c) => /client is down \(crashed\)/.test(c)));
    assert.equal(seen.length, crashed.length);
    for (const p of seen) assert.equal(p.direction, 'inbound');
  });

  test('one endpoint\'s view holds what it sent and what reached it, nothing else', () => {
    const r = runFile(join(ROOT, 'examples', '03-time-wait-lost-ack.tcpscenario'));
    const { segments } = segmentsOf(r.trace);
    const file = captureOfTrace(r.trace, r.program, { at: 'server' });
    assert.deepEqual(file.interfaces.map((i) => i.name), ['server']);
    const delivered = new Set(r.trace.events.flatMap((e) => (e.kind === 'deliver' && e.to === 'server' ? [e.id] : [])));
    const sent = [...segments.values()].filter((s) => s.from === 'server').map((s) => s.id);
    const expected = [...sent.map((id) => `${id} outbound`), ...[...delivered].map((id) => `${id} inbound`)].sort();
    assert.deepEqual(file.packets.map((p) => `s${p.packetId} ${p.direction}`).sort(), expected);
    assert.ok(!file.packets.some((p) => p.comments?.some((c) => c.includes('never sees it'))), 'the lost ACK is not at the server');
  });

  test('options from the trace are written; windows are scaled once both SYNs carried window scale, SYNs never', () => {
    resetIds();
    const syn = send(0, 'client', 'server', ['SYN'], 1000, 0, 0, { wnd: 1_000_000, options: { mss: 1460, sackPermitted: true, ts: { val: 7, ecr: 0 }, wscale: 7 } });
    const synAck = send(10, 'server', 'client', ['SYN', 'ACK'], 5000, 1001, 0, { wnd: 2_000_000, options: { mss: 1400, sackPermitted: true, ts: { val: 90, ecr: 7 }, wscale: 9 } });
    const ack = send(20, 'client', 'server', ['ACK'], 1001, 5001, 0, { wnd: 1_000_000, options: { ts: { val: 27, ecr: 90 } } });
    const sack = send(30, 'server', 'client', ['ACK'], 5001, 1001, 0, {
      wnd: 2_000_000,
      options: { ts: { val: 100, ecr: 27 }, sack: [1, 2, 3, 4].map((n) => ({ left: 1001 + n * 2000, right: 2001 + n * 2000 })) },
    });
    const events = [syn, deliver(10, syn.id, 'server'), synAck, deliver(20, synAck.id, 'client'), ack, deliver(30, ack.id, 'server'), sack, deliver(40, sack.id, 'client')];
    const read = readCapture(writePcapng(trace(events), undefined, { at: 'client' }));
    const out = read.packets.filter((p) => p.direction === 'outbound');
    const into = read.packets.filter((p) => p.direction === 'inbound');
    assert.deepEqual(out[0].options, syn.options);
    assert.deepEqual(into[0].options, synAck.options);
    assert.deepEqual(into[1].options.sack, sack.options!.sack!.slice(0, 3));
    assert.match(into[1].comments.join('\n'), /1 SACK block\(s\) left out/);
    // SYN: never scaled (RFC 7323 2.2), so 1,000,000 does not fit.
    assert.equal(out[0].window, 65535);
    assert.match(out[0].comments.join('\n'), /window 1000000 does not fit in 16 bits/);
    assert.equal(into[0].window, 65535);
    // After the handshake: the field is the window shifted by the sender's own scale.
    assert.equal(out[1].window, Math.floor(1_000_000 / 2 ** 7));
    assert.equal(into[1].window, Math.floor(2_000_000 / 2 ** 9));
    for (const p of read.packets) assert.equal(p.checksumOk, true);
  });

  test('without window scale a window above 65535 is written as 65535, with one comment per direction', () => {
    const r = runFile(join(ROOT, 'test', 'fixtures', 'pcap', 'big-window.tcpscenario'));
    const read = readCapture(writePcapng(r.trace, r.program, { at: 'client' }));
    assert.ok(read.packets.length > 10);
    for (const p of read.packets) if (!p.flags.includes('RST')) assert.equal(p.window, 65535);
    const comments = read.packets.flatMap((p) => p.comments.filter((c) => c.includes('does not fit in 16 bits')));
    assert.deepEqual(comments.map((c) => /of (\S+ -> \S+) above/.exec(c)?.[1]).sort(), ['client -> server', 'server -> client']);
  });

  test('time: virtual time from the Unix epoch, or from the epoch asked for', () => {
    const r = runFile(join(ROOT, 'examples', '13-loss-and-retransmission.tcpscenario'));
    const sends = r.trace.events.filter((e) => e.kind === 'send');
    const plain = readCapture(writePcapng(r.trace, r.program, { at: 'client' }));
    const outbound = plain.packets.filter((p) => p.direction === 'outbound');
    assert.deepEqual(outbound.map((p) => p.timeNs), sends.filter((e) => e.from === 'client').map((e) => BigInt(Math.round(e.t * 1000)) * 1000n));
    const shifted = readCapture(writePcapng(r.trace, r.program, { at: 'client', epoch: 1_700_000_000 }));
    assert.deepEqual(shifted.packets.map((p) => p.timeNs! - 1_700_000_000_000_000_000n), plain.packets.map((p) => p.timeNs));
    assert.match(shifted.comments[0], /Time 0 of the run is 2023-11-14T22:13:20.000Z/);
  });

  test('notes and failed expectations become comments on the next packet', () => {
    const r = runText(`endpoint client 10.0.0.1:49152 isn=100
endpoint server 10.0.0.2:80 isn=300
@0 server listen
@0 client connect server
@5ms expect client is ESTABLISHED
@1s client close
`);
    const read = readCapture(writePcapng(r.trace, r.program));
    const commented = read.packets.filter((p) => p.comments.some((c) => c.startsWith('expectation failed')));
    assert.equal(commented.length, 1);
    assert.match(commented[0].comments.join('\n'), /expectation failed: .*\(at 5 ms, line 5\)/);
    assert.ok(commented[0].time! >= 0.005);
  });

  test('a trace that cannot be a capture gets a clear error', () => {
    resetIds();
    const syn = send(0, 'client', 'server', ['SYN'], 1, 0, 0);
    assert.throws(() => writePcapng(trace([syn], [{ name: 'client', address: 'fe80::1', port: 1 }, { name: 'server', address: '10.0.0.2', port: 2 }])), (e: unknown) => e instanceof CaptureWriteError && /endpoint client: address 'fe80::1' is not an IPv4 address/.test(e.message) && e.template === CAPTURE_WRITE_MESSAGES.notIPv4 && e.args.join() === 'client,fe80::1');
    assert.throws(() => writePcapng(trace([syn]), undefined, { at: 'router' }), /no endpoint named 'router' to capture at; the endpoints are client, server/);
    // No endpoint at all: the same template, its list the phrase "(none)", translated as a nested message.
    const none = (() => {
      try {
        writePcapng(trace([], []), undefined, { at: 'router' });
      } catch (error) {
        return error;
      }
    })();
    assert.ok(none instanceof CaptureWriteError);
    assert.equal(none.message, "no endpoint named 'router' to capture at; the endpoints are (none)");
    assert.equal(none.template, CAPTURE_WRITE_MESSAGES.noEndpointAt);
    assert.deepEqual(none.args, ['router', { template: CAPTURE_WRITE_MESSAGES.noEndpoints, args: [] }]);
    for (const [locale, phrase] of [['zh-cn', '（无）'], ['zh-tw', '（無）']] as const) {
      const text = translatorFor(locale).message({ template: none.template, args: none.args });
      assert.ok(text.includes('router') && text.includes(phrase) && !text.includes('(none)'), `${locale}: ${text}`);
    }
    const bad = send(0, 'client', 'server', ['SYN'], 1, 0, 0, { options: { mss: 1e6 } });
    assert.throws(() => writePcapng(trace([bad])), /segment s2: MSS option 1000000 does not fit in 16 bits/);
    // The encoder's template goes up inside the capture's, so the CLI and the debugger translate both.
    assert.throws(() => writePcapng(trace([bad])), (e: unknown) => e instanceof CaptureWriteError && e.template === CAPTURE_WRITE_MESSAGES.cannotEncode && isDeepStrictEqual(e.args.slice(1), [{ template: ENCODE_MESSAGES.mssRange, args: ['1000000'] }]));
    const stranger = send(0, 'client', 'mallory', ['SYN'], 1, 0, 0);
    assert.throws(() => writePcapng(trace([stranger])), /segment s3: mallory is not an endpoint of this trace/);
    assert.throws(() => writePcapng(trace([send(0, 'client', 'server', ['SYN'], 2 ** 32, 0, 0)])), /segment s4: seq 4294967296 is not a 32-bit sequence number/);
    assert.throws(() => writePcapng(trace([send(0, 'client', 'server', ['ACK'], 1, 0, 0, { wnd: -1 })])), /segment s5: wnd -1 is not a whole number of bytes/);
    assert.throws(() => writePcapng(trace([send(0, 'client', 'server', ['ACK'], 1, 0, 70000)])), /segment s6: a segment of 70000 payload bytes does not fit in one IPv4 packet/);
  });

  test('the section says what the capture is', () => {
    const r = runFile(join(ROOT, 'examples', '03-time-wait-lost-ack.tcpscenario'));
    const read = readCapture(writePcapng(r.trace, r.program, { application: 'tcpscenario 9.9.9' }));
    assert.match(read.comments[0], /^TCP scenario "Lost final ACK: why TIME-WAIT lasts 2\*MSL", profile rfc, simulated; one interface per endpoint/);
    const bytes = writePcapng(r.trace, r.program, { application: 'tcpscenario 9.9.9' });
    assert.ok(text(bytes).includes('tcpscenario 9.9.9'), 'shb_userappl');
    // NRB: the endpoints' names for their addresses.
    assert.ok(text(bytes).includes('client\u0000') && text(bytes).includes('server\u0000'));
  });

  test('built event by event: the capture so far says what is still in flight, and finishing it changes nothing later', () => {
    const r = runFile(join(ROOT, 'test', 'fixtures', 'pcap', 'faults.tcpscenario'));
    const capture = new TraceCapture(r.trace, r.program);
    const events = r.trace.events;
    const middle = events.findIndex((e) => e.kind === 'send' && e.len === 100) + 1;
    events.slice(0, middle).forEach((e) => capture.add(e));
    const soFar = capture.finish();
    const last = soFar.packets[soFar.packets.length - 1];
    assert.equal(last.direction, 'outbound');
    assert.match((last.comments ?? []).join('\n'), /still in flight to server when the run ended/);
    events.slice(middle).forEach((e) => capture.add(e));
    assert.deepEqual(capture.finish(), captureOfTrace(r.trace, r.program));
    assert.ok(!captureOfTrace(r.trace, r.program).packets.some((p) => p.comments?.some((c) => c.includes('still in flight'))));
  });

  test('the same run gives the same bytes', () => {
    const path = join(ROOT, 'test', 'fixtures', 'pcap', 'lossy.tcpscenario');
    const a = runFile(path);
    const b = runText(readFileSync(path, 'utf8'));
    assert.deepEqual(writePcapng(a.trace, a.program), writePcapng(b.trace, b.program));
  });
});

