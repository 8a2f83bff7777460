// The real tshark reads every exported capture: no malformed packet, no expert error, bad TCP
// checksums exactly on the segments the network corrupted, and its own TCP analysis agrees
// with the engine's trace (docs/wireshark.md lists the expected differences and why).
// Skipped, with a message, where tshark is not installed (apt-get install tshark).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { seqLt } from '../../src/engine/index';
import { captureOfTrace, encodePcapng, type PcapngFile } from '../../src/interop/pcapng';
import { deliver, PKT_FILES, resetIds, runFile, SCENARIO_FILES, segmentsOf, send, trace, type Run, type Segment } from './helpers';

const TSHARK = process.env.TCPSCENARIO_TSHARK ?? 'tshark';
const present = spawnSync(TSHARK, ['--version'], { stdio: 'ignore' }).status === 0;
const run = promisify(execFile);

const ANALYSIS = ['retransmission', 'fast_retransmission', 'spurious_retransmission', 'out_of_order', 'duplicate_ack', 'zero_window', 'zero_window_probe', 'keep_alive', 'keep_alive_ack'] as const;
type Analysis = (typeof ANALYSIS)[number];
const FIELDS = ['frame.number', 'frame.packet_id', '_ws.malformed', '_ws.expert.severity', '_ws.expert.message', 'tcp.checksum.status', ...ANALYSIS.map((a) => `tcp.analysis.${a}`)];
const SEVERITY_ERROR = '8388608'; // PI_ERROR in epan/proto.h

interface Row {
  frame: number;
  malformed: boolean;
  errors: string[];
  checksumBad: boolean;
  flags: Set<Analysis>;
}

async function tshark(file: string): Promise<Row[]> {
  const args = ['-r', file, '-o', 'tcp.check_checksum:TRUE', '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=|', ...FIELDS.flatMap((f) => ['-e', f])];
  const { stdout } = await run(TSHARK, args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const cells = line.split('\t');
      const severities = cells[3] ? cells[3].split('|') : [];
      const messages = cells[4] ? cells[4].split('|') : [];
      return {
        frame: Number(cells[0]),
        malformed: cells[2] !== '',
        errors: messages.filter((_, i) => severities[i] === SEVERITY_ERROR),
        checksumBad: cells[5] === '0',
        // A flag may be in the tree more than once ("1|1"); present is what counts.
        flags: new Set(ANALYSIS.filter((_, i) => (cells[6 + i] ?? '') !== '')),
      };
    });
}

/** Two at a time: tshark's start-up dominates, and the machine is shared. */
async function inPairs<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]);
      }
    }),
  );
  return results;
}

interface View {
  at?: string;
  file: PcapngFile;
  rows: Row[];
}

const idOf = (packetId: number | undefined) => `s${packetId}`;

function corruptedIds(r: Run): Set<string> {
  return new Set(r.trace.events.flatMap((e) => (e.kind === 'drop' && e.reason === 'corrupt' ? [e.id] : [])));
}

/**
 * Two-sided view only: each segment is seen twice (sent, then arrived), and tshark 4.0's TCP
 * reassembly for a port-80 dissector reports a later sighting overlapping an earlier one as a
 * reassembly error (docs/wireshark.md). A one-endpoint view must not have it.
 */
const reassemblyOverlap = (error: string) => /overlaps old data/.test(error);

/** Checks that hold for every view: nothing malformed, errors only where the network corrupted a segment. */
function checkSound(name: string, r: Run, view: View): string[] {
  const problems: string[] = [];
  const corrupted = corruptedIds(r);
  view.file.packets.forEach((packet, i) => {
    const row = view.rows[i];
    const where = `${name} @${view.at ?? 'both'} frame ${i + 1} (${idOf(packet.packetId)})`;
    const bad = packet.direction === 'inbound' && corrupted.has(idOf(packet.packetId));
    if (row.malformed && !(view.at === undefined && row.errors.every(reassemblyOverlap))) problems.push(`${where}: malformed (${row.errors.join('; ')})`);
    if (row.checksumBad !== bad) problems.push(`${where}: checksum ${row.checksumBad ? 'bad' : 'good'}, expected ${bad ? 'bad' : 'good'}`);
    for (const error of row.errors) {
      if (bad && /checksum/i.test(error)) continue;
      if (view.at === undefined && reassemblyOverlap(error)) continue;
      problems.push(`${where}: expert error "${error}"`);
    }
  });
  return problems;
}

interface DirectionState {
  maxEnd?: number;
  synSeq?: number;
  lastAck?: number;
  lastWnd?: number;
  /** The last segment this tap saw in this direction was a keep-alive probe. */
  lastKeepalive?: boolean;
}

/**
 * What tshark's analysis should say of each packet of a one-endpoint view, from the engine's
 * trace alone, compared with what it says. Each rule is the engine's own event (retransmission,
 * probe, window) where tshark can see it, or RFC 5681 2's duplicate ACK.
 */
function checkAnalysis(name: string, r: Run, view: View): string[] {
  const problems: string[] = [];
  const { segments, copyOf } = segmentsOf(r.trace);
  const states = new Map<string, DirectionState>();
  const state = (key: string) => {
    let s = states.get(key);
    if (!s) states.set(key, (s = {}));
    return s;
  };
  view.file.packets.forEach((packet, i) => {
    const id = idOf(packet.packetId);
    const copy = copyOf.has(id);
    const s = segments.get(copyOf.get(id) ?? id) as Segment;
    const row = view.rows[i];
    const where = `${name} @${view.at} frame ${i + 1} (${id} ${s.from}->${s.to} ${s.flags.join(',')} seq=${s.seq} len=${s.len})`;
    const has = (flag: string) => s.flags.includes(flag as never);
    const key = `${s.from}>${s.to}`;
    // A SYN with a new sequence number starts a new connection between the same ports (this direction).
    if (has('SYN') && states.get(key)?.synSeq !== s.seq) states.delete(key);
    const dir = state(key);
    const occupies = s.len + (has('SYN') ? 1 : 0) + (has('FIN') ? 1 : 0);
    const below = occupies > 0 && dir.maxEnd !== undefined && seqLt(s.seq, dir.maxEnd);
    const keepalive = s.kind === 'send' && s.probe === 'keepalive';
    const zwp = s.kind === 'send' && s.probe === 'zero-window';
    const saw = (flag: Analysis) => row.flags.has(flag);
    const expect = (flag: Analysis, wanted: boolean, why: string) => {
      if (saw(flag) !== wanted) problems.push(`${where}: tshark ${saw(flag) ? 'flags' : 'does not flag'} ${flag}; expected ${wanted ? '' : 'no '}${flag} (${why})`);
    };

    expect('keep_alive', keepalive, 'the engine sent a keep-alive probe');
    expect('zero_window_probe', zwp, 'the engine sent a zero-window probe');
    // tshark ignores the window of SYN, FIN and RST segments (an RST's window means nothing).
    expect('zero_window', s.wnd === 0 && !has('SYN') && !has('FIN') && !has('RST'), 'the segment advertises a zero window');
    // RFC 9293 3.5 figure 8: in a simultaneous open the SYN,ACK repeats the SYN's sequence number.
    const simultaneousSynAck = has('SYN') && has('ACK') && dir.synSeq === s.seq;
    const retransmitted = saw('retransmission');
    if (keepalive || zwp) expect('retransmission', false, 'a probe, not a retransmission');
    else if (packet.direction === 'outbound') {
      expect('retransmission', s.retransmission || simultaneousSynAck, s.retransmission ? 'the engine retransmitted it' : simultaneousSynAck ? "a simultaneous open's SYN,ACK" : 'the engine sent it for the first time');
    } else if (copy && occupies > 0) {
      expect('retransmission', true, 'a copy made by the network repeats data already seen here');
    } else if (s.retransmission || simultaneousSynAck) {
      // A retransmission is one only to a tap that saw an earlier transmission of the data.
      expect('retransmission', below, below ? 'an earlier transmission reached this tap' : 'every earlier transmission was lost before this tap');
    } else if (below) {
      // Held back by the network (reorder, delay, jitter): tshark's heuristic calls it out of order or a retransmission.
      if (!retransmitted && !saw('out_of_order')) problems.push(`${where}: arrives after later data (reordered), but tshark flags neither out_of_order nor retransmission`);
    } else expect('retransmission', false, 'first sighting of this data');
    if (!retransmitted && (saw('fast_retransmission') || saw('spurious_retransmission'))) problems.push(`${where}: a kind of retransmission without the retransmission flag`);
    if (saw('out_of_order') && !below) problems.push(`${where}: tshark flags out_of_order, but nothing later in this direction was seen before it`);

    // RFC 5681 2: a duplicate ACK carries no data, no SYN or FIN, the same ACK number and window.
    const pure = has('ACK') && !has('SYN') && !has('FIN') && !has('RST') && s.len === 0;
    const repeat = pure && !keepalive && dir.lastAck === s.ack && dir.lastWnd === s.wnd && s.wnd !== 0 && dir.maxEnd === s.seq;
    // packet-tcp.c: a repeat answering a keep-alive (the last segment the other way) is a keep-alive ACK instead.
    const keepaliveAck = repeat && states.get(`${s.to}>${s.from}`)?.lastKeepalive === true;
    const dup = repeat && !keepaliveAck;
    expect('duplicate_ack', dup, dup ? 'same ACK number and window as the previous ACK, no data' : keepaliveAck ? 'it answers a keep-alive' : 'not a repeat of the previous ACK');
    expect('keep_alive_ack', keepaliveAck, keepaliveAck ? 'a repeat of the previous ACK answering a keep-alive probe' : 'not an answer to a keep-alive probe');

    if (has('SYN')) dir.synSeq = s.seq;
    dir.lastKeepalive = keepalive;
    const end = (s.seq + occupies) % 2 ** 32;
    // A probe's byte is not taken as sent data (tshark does not advance its next sequence number either).
    if (occupies > 0 && !zwp && (dir.maxEnd === undefined || seqLt(dir.maxEnd, end))) dir.maxEnd = end;
    if (dir.maxEnd === undefined) dir.maxEnd = s.seq;
    if (has('ACK') && !has('RST')) {
      dir.lastAck = s.ack;
      dir.lastWnd = s.wnd;
    }
  });
  return problems;
}

describe('tshark reads every exported capture', { skip: present ? false : `tshark is not installed (${TSHARK}): apt-get install tshark to run these tests` }, () => {
  const dir = present ? mkdtempSync(join(tmpdir(), 'tcpscenario-tshark-')) : '';
  // The packetdrill scripts too: their runs are scenarios (a raw peer's crafted segments).
  for (const path of [...SCENARIO_FILES, ...PKT_FILES]) {
    const name = basename(path).replace(/\.(tcpscenario|pkt)$/, '');
    test(name, async () => {
      const r = runFile(path);
      const views = [undefined, ...r.trace.endpoints.map((e) => e.name)];
      const results = await inPairs(views, async (at) => {
        const file = captureOfTrace(r.trace, r.program, { at });
        const out = join(dir, `${name}-${at ?? 'both'}.pcapng`);
        writeFileSync(out, encodePcapng(file));
        const rows = await tshark(out);
        assert.equal(rows.length, file.packets.length, `${name} @${at ?? 'both'}: tshark read ${rows.length} frames of ${file.packets.length}`);
        return { at, file, rows } satisfies View;
      });
      const problems = results.flatMap((view) => [...checkSound(name, r, view), ...(view.at === undefined ? [] : checkAnalysis(name, r, view))]);
      assert.deepEqual(problems, []);
      // The checks looked at something: every scenario has packets at some endpoint.
      assert.ok(results.some((v) => v.file.packets.length > 0), `${name}: no packets at all`);
    });
  }
  test('TCP options from a hand-made trace: tshark decodes each as written and scales the window', async () => {
    resetIds();
    const blocks = [1, 2, 3, 4].map((n) => ({ left: 1101 + n * 1000, right: 1601 + n * 1000 }));
    const events = [
      send(0, 'client', 'server', ['SYN'], 1000, 0, 0, { wnd: 64240, options: { mss: 1460, sackPermitted: true, ts: { val: 100, ecr: 0 }, wscale: 7 } }),
      send(10, 'server', 'client', ['SYN', 'ACK'], 5000, 1001, 0, { wnd: 65160, options: { mss: 1400, sackPermitted: true, ts: { val: 900, ecr: 100 }, wscale: 9 } }),
      send(20, 'client', 'server', ['ACK'], 1001, 5001, 0, { wnd: 1_000_000, options: { ts: { val: 110, ecr: 900 } } }),
      send(20, 'client', 'server', ['ACK'], 1001, 5001, 100, { wnd: 1_000_000, options: { ts: { val: 110, ecr: 900 } } }),
      send(30, 'server', 'client', ['ACK'], 5001, 1101, 0, { wnd: 2_000_000, options: { ts: { val: 910, ecr: 110 }, sack: blocks } }),
    ] as Segment[];
    const doc = trace(events.flatMap((e) => [e, deliver(e.t + 10, e.id, e.to)]));
    const out = join(dir, 'options.pcapng');
    writeFileSync(out, encodePcapng(captureOfTrace(doc, undefined)));
    const fields = ['tcp.options.mss_val', 'tcp.options.wscale.shift', 'tcp.options.sack_perm', 'tcp.options.timestamp.tsval', 'tcp.options.timestamp.tsecr', 'tcp.options.sack_le', 'tcp.options.sack_re', 'tcp.window_size', '_ws.malformed', '_ws.expert.severity'];
    const args = ['-r', out, '-o', 'tcp.relative_sequence_numbers:FALSE', '-o', 'tcp.check_checksum:TRUE', '-Y', 'frame.interface_id == 0', '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', ...fields.flatMap((f) => ['-e', f])];
    const rows = (await run(TSHARK, args)).stdout.trim().split('\n').map((line) => line.split('\t'));
    // The client's interface: SYN out, SYN,ACK in, ACK out, data out, SACK in.
    assert.equal(rows.length, 5);
    // sack_perm is shown as the option's bytes (kind 4, length 2).
    assert.deepEqual(rows[0].slice(0, 5), ['1460', '7', '0402', '100', '0']);
    assert.deepEqual(rows[1].slice(0, 5), ['1400', '9', '0402', '900', '100']);
    assert.equal(rows[3][2], '', 'no SACK-permitted after the handshake');
    assert.deepEqual(rows[3].slice(3, 5), ['110', '900']);
    // Three SACK blocks fit beside the timestamps; the fourth was left out (and said so in a comment).
    assert.equal(rows[4][5], blocks.slice(0, 3).map((b) => b.left).join(','));
    assert.equal(rows[4][6], blocks.slice(0, 3).map((b) => b.right).join(','));
    // Window: the SYNs unscaled; then the field times the sender's scale, as the field was rounded down.
    assert.deepEqual(rows.map((r) => Number(r[7])), [64240, 65160, Math.floor(1_000_000 / 128) * 128, Math.floor(1_000_000 / 128) * 128, Math.floor(2_000_000 / 512) * 512]);
    for (const row of rows) {
      assert.equal(row[8], '', 'not malformed');
      assert.ok(!row[9].split(',').includes(SEVERITY_ERROR), 'no expert error');
    }
  });

  test('clean up', () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
});
