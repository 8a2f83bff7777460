// Write every example's capture, read it back, and find the trace in it: each segment where and
// when the capture point says, with the trace's addresses, ports, flags, numbers and length.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { writePcapng } from '../../src/interop/pcapng';
import { readCapture } from '../../src/interop/pcapRead';
import { runFile, SCENARIO_FILES, segmentsOf } from './helpers';

describe('write, read back, compare with the trace', () => {
  for (const path of SCENARIO_FILES) {
    test(basename(path), () => {
      const r = runFile(path);
      const read = readCapture(writePcapng(r.trace, r.program));
      assert.deepEqual(read.skipped, []);
      const { segments, copyOf } = segmentsOf(r.trace);
      const endpoint = new Map(r.trace.endpoints.map((e) => [e.name, e]));
      const ifaceName = read.interfaces.map((i) => i.name);

      // Each sighting the capture point calls for, in the trace's order.
      const expected: string[] = [];
      for (const e of r.trace.events) {
        if (e.kind === 'send') expected.push(`${e.id} ${e.from} outbound ${e.t}`);
        else if (e.kind === 'deliver' || (e.kind === 'drop' && (e.reason === 'corrupt' || e.reason === 'crashed'))) {
          const s = segments.get(copyOf.get(e.id) ?? e.id)!;
          expected.push(`${e.id} ${s.to} inbound ${e.t}`);
        }
      }
      const seen = read.packets.map((p) => `s${p.packetId} ${ifaceName[p.interface]} ${p.direction} ${Number(p.timeNs) / 1e6}`);
      assert.deepEqual(seen, expected);

      const corrupted = new Set(r.trace.events.flatMap((e) => (e.kind === 'drop' && e.reason === 'corrupt' ? [e.id] : [])));
      // RFC 7323 2.2-2.3: once both SYNs offered a window scale, the field is the window shifted by the sender's.
      const field = new Map<string, number>();
      const shift = new Map<string, number | undefined>();
      for (const e of r.trace.events) {
        if (e.kind !== 'send' && e.kind !== 'inject') continue;
        const syn = e.flags.includes('SYN');
        if (syn) shift.set(`${e.from}>${e.to}`, e.options?.wscale);
        const mine = shift.get(`${e.from}>${e.to}`);
        const theirs = shift.get(`${e.to}>${e.from}`);
        const scale = !syn && mine !== undefined && theirs !== undefined ? mine : 0;
        field.set(e.id, Math.min(Math.floor(e.wnd / 2 ** scale), 65535));
      }
      for (const p of read.packets) {
        const id = `s${p.packetId}`;
        const s = segments.get(copyOf.get(id) ?? id)!;
        const from = endpoint.get(s.from)!;
        const to = endpoint.get(s.to)!;
        const where = `${basename(path)} ${id}`;
        assert.deepEqual([p.src, p.srcPort, p.dst, p.dstPort], [from.address, from.port, to.address, to.port], where);
        assert.deepEqual(p.flags, s.flags, where);
        assert.equal(p.seq, s.seq, where);
        assert.equal(p.ack, s.flags.includes('ACK') ? s.ack : 0, where);
        assert.equal(p.payloadLength, s.len, where);
        assert.equal(p.window, field.get(copyOf.get(id) ?? id), where);
        assert.equal(p.checksumOk, !(p.direction === 'inbound' && corrupted.has(id)), where);
        assert.equal(p.ipChecksumOk, true, where);
      }

      // Every drop the network made is said where the segment was last seen.
      const drops = r.trace.events.filter((e) => e.kind === 'drop' && e.reason !== 'corrupt' && e.reason !== 'crashed' && segments.get(e.id)?.kind === 'send');
      for (const drop of drops) {
        const sighting = read.packets.find((p) => `s${p.packetId}` === (drop as { id: string }).id);
        assert.ok(sighting?.comments.some((c) => c.includes((drop as { reason: string }).reason === 'loss' ? 'lost on the link' : (drop as { reason: string }).reason)), `${basename(path)}: the drop of ${(drop as { id: string }).id} is commented`);
      }
    });
  }
});
