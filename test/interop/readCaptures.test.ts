// The reader on real captures of the Linux kernel (test/fixtures/captures/<case>/, made by
// scripts/capture; docs/captures.md): every segment of each case's capture.json summary is in its
// capture.pcap (tcpdump -i any in the router: Linux cooked v2, headers only), with the same
// numbers, flags, length, window and options, sent at `t` and, unless the router dropped it,
// seen again leaving the router at `arrival` (the summaries are typed in src/interop/capture.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCapture, type TcpPacket } from '../../src/interop/pcapRead';
import { parseCaptureSummary } from '../../src/interop/capture';
import { ROOT } from './helpers';

const DIR = join(ROOT, 'test', 'fixtures', 'captures');
const cases = existsSync(DIR) ? readdirSync(DIR).filter((name) => existsSync(join(DIR, name, 'capture.json')) && existsSync(join(DIR, name, 'capture.pcap'))).sort() : [];

describe('the reader on real Linux captures', () => {
  test('there are captures to read', () => assert.ok(cases.length >= 20, `${cases.length} cases`));
  for (const name of cases) {
    test(name, () => {
      const summary = parseCaptureSummary(JSON.parse(readFileSync(join(DIR, name, 'capture.json'), 'utf8')));
      const read = readCapture(readFileSync(join(DIR, name, 'capture.pcap')));
      assert.deepEqual(read.skipped, []);
      const endpoint = new Map(summary.endpoints.map((e) => [e.name, e]));
      const t0 = read.packets[0].timeNs!;
      const ms = (p: TcpPacket) => Number(p.timeNs! - t0) / 1e6;
      const unused = new Set(read.packets.map((_, i) => i));
      for (const s of summary.packets) {
        const from = endpoint.get(s.from)!;
        const same = (p: TcpPacket) =>
          p.src === from.address &&
          p.srcPort === from.port &&
          p.seq === s.seq &&
          p.flags.join() === s.flags.join() &&
          (!s.flags.includes('ACK') || p.ack === s.ack) &&
          p.payloadLength === s.len &&
          p.window === s.window &&
          JSON.stringify(p.options) === JSON.stringify(s.options);
        // Found by content and time: two identical segments may be in the router together (a stall holds D-SACKs).
        const seen = (t: number): number | undefined => [...unused].find((i) => same(read.packets[i]) && Math.abs(ms(read.packets[i]) - t) < 0.002);
        const sent = seen(s.t);
        assert.ok(sent !== undefined, `${name} segment ${s.index}: sent at ${s.t} ms`);
        unused.delete(sent);
        if (!s.dropped) {
          const arrived = seen(s.arrival!);
          assert.ok(arrived !== undefined, `${name} segment ${s.index}: arrives at ${s.arrival} ms`);
          unused.delete(arrived);
        }
      }
      assert.equal(unused.size, 0, `${name}: every packet of the capture is a segment of the summary`);
      // Headers only (a short snap length): where the payload was cut, the checksum cannot be checked.
      for (const p of read.packets) if (p.payload.length < p.payloadLength) assert.equal(p.checksumOk, undefined, `${name} frame ${p.frame}`);
    });
  }
});
