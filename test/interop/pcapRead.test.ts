// The capture reader, on files built here byte by byte (both byte orders, every supported link
// type), on broken files (an error with the byte offset, never a crash), and on random bytes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CAPTURE_FORMAT_MESSAGES, CaptureFormatError, readCapture } from '../../src/interop/pcapRead';
import { fill } from '../../src/text/translate';
import { writePcapng } from '../../src/interop/pcapng';
import { encodeFrame, type FrameFields } from '../../src/interop/tcpip';
import { encodeTcpOptions } from '../../src/interop/tcpOptions';
import { ROOT, runFile } from './helpers';
import { join } from 'node:path';

/** A byte sink in a chosen byte order (independent of the writer under test). */
class Bytes {
  readonly out: number[] = [];
  constructor(readonly little: boolean) {}
  u8(v: number): this {
    this.out.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.little ? this.u8(v).u8(v >> 8) : this.u8(v >> 8).u8(v);
  }
  u32(v: number): this {
    const b = [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
    for (const x of this.little ? b.reverse() : b) this.u8(x);
    return this;
  }
  bytes(data: ArrayLike<number>): this {
    for (let i = 0; i < data.length; i++) this.u8(data[i]);
    return this;
  }
  pad4(): this {
    while (this.out.length % 4) this.u8(0);
    return this;
  }
  option(code: number, value: ArrayLike<number>): this {
    return this.u16(code).u16(value.length).bytes(value).pad4();
  }
  done(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

function block(little: boolean, type: number, body: (b: Bytes) => void): number[] {
  const inner = new Bytes(little);
  body(inner);
  inner.pad4();
  const length = 12 + inner.out.length;
  return [...new Bytes(little).u32(type).u32(length).done(), ...inner.out, ...new Bytes(little).u32(length).done()];
}

const shb = (little: boolean, comment?: string) =>
  block(little, 0x0a0d0d0a, (b) => {
    b.u32(0x1a2b3c4d).u16(1).u16(0).u32(0xffffffff).u32(0xffffffff);
    if (comment) b.option(1, new TextEncoder().encode(comment)).u32(0);
  });
const idb = (little: boolean, linkType: number, tsresol?: number, tsoffset?: number) =>
  block(little, 1, (b) => {
    b.u16(linkType).u16(0).u32(0);
    if (tsresol !== undefined) b.option(9, [tsresol]);
    if (tsoffset !== undefined) b.option(14, little ? [tsoffset, 0, 0, 0, 0, 0, 0, 0] : [0, 0, 0, 0, 0, 0, 0, tsoffset]);
    b.u32(0);
  });
const epb = (little: boolean, iface: number, units: number, data: Uint8Array, extra: (b: Bytes) => void = () => {}) =>
  block(little, 6, (b) => {
    b.u32(iface).u32(Math.floor(units / 2 ** 32)).u32(units % 2 ** 32).u32(data.length).u32(data.length).bytes(data).pad4();
    extra(b);
  });

const FIELDS: FrameFields = {
  srcMac: Uint8Array.of(2, 0, 0, 0, 0, 1),
  dstMac: Uint8Array.of(2, 0, 0, 0, 0, 2),
  src: 0xc0000201, // 192.0.2.1
  dst: 0xc6336407, // 198.51.100.7
  ipId: 4321,
  ttl: 63,
  srcPort: 40000,
  dstPort: 443,
  seq: 0xfffffff0,
  ack: 12345,
  flags: ['ACK', 'PSH'],
  window: 501,
  options: encodeTcpOptions({ ts: { val: 11, ecr: 22 }, sack: [{ left: 1, right: 2 }] }).bytes,
  payload: new TextEncoder().encode('GET / HTTP/1.1\r\n'),
};
const ETHER = encodeFrame(FIELDS);
const IP = ETHER.subarray(14);

function checkPacket(p: ReturnType<typeof readCapture>['packets'][number]): void {
  assert.equal(p.src, '192.0.2.1');
  assert.equal(p.dst, '198.51.100.7');
  assert.equal(p.srcPort, 40000);
  assert.equal(p.dstPort, 443);
  assert.equal(p.seq, 0xfffffff0);
  assert.equal(p.ack, 12345);
  assert.deepEqual(p.flags, ['ACK', 'PSH']);
  assert.equal(p.window, 501);
  assert.equal(p.ipId, 4321);
  assert.equal(p.ttl, 63);
  assert.deepEqual(p.options, { ts: { val: 11, ecr: 22 }, sack: [{ left: 1, right: 2 }] });
  assert.equal(p.payloadLength, 16);
  assert.equal(new TextDecoder().decode(p.payload), 'GET / HTTP/1.1\r\n');
  assert.equal(p.checksumOk, true);
  assert.equal(p.ipChecksumOk, true);
}

function pcap(little: boolean, nano: boolean, linkType: number, records: { sec: number; frac: number; data: ArrayLike<number>; caplen?: number }[]): Uint8Array {
  const b = new Bytes(little).u32(nano ? 0xa1b23c4d : 0xa1b2c3d4).u16(2).u16(4).u32(0).u32(0).u32(65535).u32(linkType);
  for (const r of records) {
    const caplen = r.caplen ?? r.data.length;
    b.u32(r.sec).u32(r.frac).u32(caplen).u32(r.data.length).bytes(Array.from(r.data).slice(0, caplen));
  }
  return b.done();
}

function throwsAt(bytes: Uint8Array, message: RegExp, offset: number): void {
  assert.throws(
    () => readCapture(bytes),
    (e: unknown) =>
      e instanceof CaptureFormatError &&
      message.test(e.message) &&
      e.offset === offset &&
      e.message.endsWith(`(at byte ${offset})`) &&
      // Its template (the l10n key) and arguments say the same as the English text.
      (Object.values(CAPTURE_FORMAT_MESSAGES) as string[]).includes(e.template) &&
      e.message === fill(CAPTURE_FORMAT_MESSAGES.atByte, [fill(e.template, e.args), offset]),
  );
}

describe('capture reader', () => {
  test('classic pcap in both byte orders, with micro- and nanosecond timestamps', () => {
    for (const little of [true, false]) {
      for (const nano of [false, true]) {
        const read = readCapture(pcap(little, nano, 1, [{ sec: 1_700_000_000, frac: nano ? 123_456_789 : 123_456, data: ETHER }]));
        assert.equal(read.format, 'pcap');
        assert.equal(read.packets.length, 1);
        checkPacket(read.packets[0]);
        assert.equal(read.packets[0].timeNs, 1_700_000_000_000_000_000n + (nano ? 123_456_789n : 123_456_000n));
      }
    }
  });

  test('every link type: Ethernet (with VLAN tags), Linux cooked v1 and v2, raw IPv4, BSD loopback', () => {
    const ip = [...IP];
    const frames: [number, number[]][] = [
      [1, [...ETHER.subarray(0, 12), 0x81, 0x00, 0x00, 0x07, 0x88, 0xa8, 0x00, 0x09, 0x08, 0x00, ...ip]],
      [113, [0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00, ...ip]],
      [276, [0x08, 0x00, 0, 0, 0, 0, 0, 3, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, ...ip]],
      [101, ip],
      [228, ip],
      [0, [2, 0, 0, 0, ...ip]],
      [108, [0, 0, 0, 2, ...ip]],
    ];
    for (const [linkType, data] of frames) {
      const read = readCapture(pcap(true, false, linkType, [{ sec: 1, frac: 0, data }]));
      assert.deepEqual(read.skipped, [], `link type ${linkType}`);
      checkPacket(read.packets[0]);
    }
  });

  test('pcapng: big-endian sections, if_tsresol and if_tsoffset, comments, direction, packet id; SPB and OPB', () => {
    const bytes = Uint8Array.from([
      ...shb(false, 'a big-endian section'),
      ...idb(false, 1, 9, 10),
      ...idb(false, 101, 0x80 | 10),
      ...epb(false, 0, 1_500_000_000, ETHER, (b) => b.option(1, new TextEncoder().encode('first\u0000')).option(1, new TextEncoder().encode('second')).option(2, [0, 0, 0, 2]).option(5, [0, 0, 0, 0, 0, 0, 0, 42]).u32(0)),
      ...epb(false, 1, 3 * 1024, IP),
      ...block(false, 3, (b) => b.u32(ETHER.length).bytes(ETHER)),
      ...block(false, 2, (b) => b.u16(1).u16(0).u32(0).u32(1024).u32(IP.length).u32(IP.length).bytes(IP)),
      // A second section, little-endian, numbering its own interfaces from 0.
      ...shb(true),
      ...idb(true, 113),
      ...epb(true, 0, 7, Uint8Array.from([0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00, ...IP])),
    ]);
    const read = readCapture(bytes);
    assert.equal(read.format, 'pcapng');
    assert.deepEqual(read.comments, ['a big-endian section']);
    assert.deepEqual(read.interfaces.map((i) => i.linkType), [1, 101, 113]);
    assert.deepEqual(read.skipped, []);
    assert.equal(read.packets.length, 5);
    for (const p of read.packets) checkPacket(p);
    const [first, second, simple, old, other] = read.packets;
    assert.equal(first.timeNs, 11_500_000_000n, 'nanosecond units plus a 10 s offset');
    assert.deepEqual(first.comments, ['first', 'second']);
    assert.equal(first.direction, 'outbound');
    assert.equal(first.packetId, 42n);
    assert.equal(second.timeNs, 3_000_000_000n, 'units of 2^-10 s');
    assert.equal(simple.timeNs, undefined, 'a simple packet block has no timestamp');
    assert.equal(simple.interface, 0);
    assert.equal(old.interface, 1);
    assert.equal(old.timeNs, 1_000_000_000n);
    assert.equal(other.interface, 2);
    assert.deepEqual(read.packets.map((p) => p.frame), [1, 2, 3, 4, 5]);
  });

  test('frames that are not IPv4 TCP are listed with the reason, not read', () => {
    const udp = IP.slice();
    udp[9] = 17;
    const fragment = IP.slice();
    fragment[6] |= 0x20; // more fragments
    const badOffset = IP.slice();
    badOffset[32] = 0x40; // data offset 4 words
    const arp = [...ETHER.subarray(0, 12), 0x08, 0x06, ...new Array(28).fill(0)];
    const ipv6 = [...ETHER.subarray(0, 12), 0x86, 0xdd, 0x60, ...new Array(39).fill(0)];
    const read = readCapture(
      pcap(false, false, 1, [
        { sec: 0, frac: 0, data: arp },
        { sec: 0, frac: 0, data: ipv6 },
        { sec: 0, frac: 0, data: [...ETHER.subarray(0, 14), ...udp] },
        { sec: 0, frac: 0, data: [...ETHER.subarray(0, 14), ...fragment] },
        { sec: 0, frac: 0, data: [...ETHER.subarray(0, 14), ...badOffset] },
        { sec: 0, frac: 0, data: ETHER },
      ]),
    );
    assert.equal(read.packets.length, 1);
    assert.equal(read.packets[0].frame, 6);
    assert.deepEqual(
      read.skipped.map((s) => [s.frame, s.reason]),
      [
        [1, 'EtherType 0x0806, not IPv4'],
        [2, 'EtherType 0x86dd, not IPv4'],
        [3, 'IP protocol 17, not TCP'],
        [4, 'IPv4 fragment'],
        [5, 'TCP data offset 16 below 20'],
      ],
    );
    // The offset points into the file: record 5's data starts after 24 + 4 records before it.
    const before = 24 + (16 + arp.length) + (16 + ipv6.length) + 2 * (16 + ETHER.length) + 16;
    assert.equal(read.skipped[4].offset, before + 14 + 20 + 12);
  });

  test('a packet cut by the snap length: its length is known, its checksum cannot be checked', () => {
    const read = readCapture(pcap(true, false, 1, [{ sec: 0, frac: 0, data: ETHER, caplen: ETHER.length - 12 }]));
    const [p] = read.packets;
    assert.equal(p.payloadLength, 16);
    assert.equal(p.payload.length, 4);
    assert.equal(p.checksumOk, undefined);
  });

  test('a TCP checksum that does not hold is reported', () => {
    const bad = ETHER.slice();
    bad[60] ^= 0xff; // a payload byte
    assert.equal(readCapture(pcap(true, false, 1, [{ sec: 0, frac: 0, data: bad }])).packets[0].checksumOk, false);
  });

  test('a broken file gives an error naming the byte at fault', () => {
    const good = pcap(true, false, 1, [{ sec: 0, frac: 0, data: ETHER }]);
    throwsAt(new Uint8Array(0), /starts with a 4-byte magic number; this one has 0 bytes/, 0);
    throwsAt(Uint8Array.of(1, 2, 3, 4, 5), /not a pcap or pcapng file \(magic number 0x01020304\)/, 0);
    throwsAt(good.subarray(0, 20), /pcap file header is cut short/, 0);
    throwsAt(good.subarray(0, 30), /packet record header cut short \(6 of 16 bytes\)/, 24);
    throwsAt(good.subarray(0, good.length - 1), new RegExp(`packet data cut short \\(${ETHER.length} bytes announced, ${ETHER.length - 1} left\\)`), 32);
    const huge = good.slice();
    new DataView(huge.buffer).setUint32(32, 1 << 30, true);
    throwsAt(huge, /more than the 262144 allowed/, 32);
    const modified = good.slice();
    new DataView(modified.buffer).setUint32(0, 0xa1b2cd34, false);
    throwsAt(modified, /"modified" \(Kuznetzov\) pcap/, 0);

    const ng = Uint8Array.from([...shb(true), ...idb(true, 1), ...epb(true, 0, 0, ETHER)]);
    throwsAt(ng.subarray(0, 24), /section header block cut short/, 0);
    // SHB (28 bytes) and IDB (24), then the EPB at byte 52.
    const epbLength = ng.length - 52;
    throwsAt(ng.subarray(0, ng.length - 2), new RegExp(`block of ${epbLength} bytes runs past the end of the file \\(${epbLength - 2} left\\)`), 56);
    const wrongTrailer = ng.slice();
    wrongTrailer[wrongTrailer.length - 4] = 99;
    throwsAt(wrongTrailer, new RegExp(`block length ${epbLength} at its start but 99 at its end`), ng.length - 4);
    const oddLength = ng.slice();
    new DataView(oddLength.buffer).setUint32(56, epbLength - 1, true);
    throwsAt(oddLength, new RegExp(`block length ${epbLength - 1} is not a multiple of 4`), 56);
    const noInterface = Uint8Array.from([...shb(true), ...epb(true, 0, 0, ETHER)]);
    throwsAt(noInterface, /packet on interface 0, but the section describes 0/, 28 + 8);
    const bom = ng.slice();
    bom[8] = 0;
    throwsAt(bom, /unknown byte-order magic/, 8);
    const caplen = ng.slice();
    new DataView(caplen.buffer).setUint32(52 + 20, 200, true);
    throwsAt(caplen, /packet of 200 bytes does not fit in its block/, 52 + 20);
  });

  test('random bytes and damaged captures: a result or a CaptureFormatError, nothing else', () => {
    const r = runFile(join(ROOT, 'test', 'fixtures', 'pcap', 'faults.tcpscenario'));
    const valid = writePcapng(r.trace, r.program);
    const classic = pcap(false, true, 1, [{ sec: 1, frac: 2, data: ETHER }, { sec: 3, frac: 4, data: IP }]);
    const survives = (bytes: Uint8Array) => {
      try {
        readCapture(bytes);
      } catch (error) {
        if (!(error instanceof CaptureFormatError)) throw error;
        assert.ok(error.offset >= 0 && error.offset <= bytes.length, `offset ${error.offset} inside the file`);
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), survives), { numRuns: 300 });
    const damaged = (base: Uint8Array) =>
      fc.tuple(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.nat(base.length)).map(([edits, cut]) => {
        const copy = base.slice(0, Math.max(cut, 4));
        for (const [at, value] of edits) if (at < copy.length) copy[at] = value;
        return copy;
      });
    fc.assert(fc.property(damaged(valid), survives), { numRuns: 400 });
    fc.assert(fc.property(damaged(classic), survives), { numRuns: 200 });
  });
});
