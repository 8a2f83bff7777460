import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceDocument, TraceEvent } from '../../src/engine/trace';
import { buildModel, relativeTo, visibleItems, type ArrowItem, type DiagramModel, type GapItem, type TimerItem } from '../../src/diagram/model';
import { formatTime as formatDuration } from '../../src/text/format';
import { syntheticTrace } from './synthetic';

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'traces', `${name}.json`), 'utf8')) as TraceDocument;

const arrows = (m: DiagramModel) => m.items.filter((i): i is ArrowItem => i.kind === 'arrow');
const arrow = (m: DiagramModel, id: string) => {
  const found = arrows(m).find((a) => a.id === id);
  assert.ok(found, `arrow ${id}`);
  return found;
};

type Send = Extract<TraceEvent, { kind: 'send' }>;

/** Do segments p1-p2 and q1-q2 cross at a point strictly inside both? */
function cross(a: ArrowItem, b: ArrowItem): { x: number; y: number } | undefined {
  const d = (a.x2 - a.x1) * (b.yb - b.ya) - (a.yb - a.ya) * (b.x2 - b.x1);
  if (d === 0) return undefined;
  const s = ((b.x1 - a.x1) * (b.yb - b.ya) - (b.ya - a.ya) * (b.x2 - b.x1)) / d;
  const u = ((b.x1 - a.x1) * (a.yb - a.ya) - (b.ya - a.ya) * (a.x2 - a.x1)) / d;
  if (s <= 0 || s >= 1 || u <= 0 || u >= 1) return undefined;
  return { x: a.x1 + s * (a.x2 - a.x1), y: a.ya + s * (a.yb - a.ya) };
}

describe('diagram model', () => {
  test('y grows with time: equal times share a row band, later times are lower', () => {
    for (const name of ['lost-final-ack', 'simultaneous-open', 'hostile-names']) {
      const doc = fixture(name);
      const m = buildModel(doc);
      const order = doc.events.map((e, i) => i).sort((a, b) => doc.events[a].t - doc.events[b].t);
      // The top of each instant's rows is strictly below every row of any earlier instant.
      const topOf = new Map<number, number>();
      const bottomOf = new Map<number, number>();
      for (const i of order) {
        const t = doc.events[i].t;
        topOf.set(t, Math.min(topOf.get(t) ?? Infinity, m.eventY[i]));
        bottomOf.set(t, Math.max(bottomOf.get(t) ?? -Infinity, m.eventY[i]));
      }
      const times = [...topOf.keys()].sort((a, b) => a - b);
      for (let k = 1; k < times.length; k++) {
        assert.ok(topOf.get(times[k])! > bottomOf.get(times[k - 1])!, `${name}: t=${times[k]} below t=${times[k - 1]}`);
      }
    }
  });

  test('arrows run from send time to delivery time, so they slant by their flight time', () => {
    const endpoints = [
      { name: 'a', address: '10.0.0.1', port: 1 },
      { name: 'b', address: '10.0.0.2', port: 2 },
    ];
    const seg = (t: number, id: string, from: string, to: string): Send => ({
      t, kind: 'send', id, from, to, flags: ['ACK'], seq: 1, ack: 1, len: 0, wnd: 100, retransmission: false,
    });
    // s1 flies 10 ms, s2 (delayed by a fault) 30 ms; nothing happens in between.
    const events: TraceEvent[] = [
      seg(0, 's1', 'a', 'b'),
      { t: 10, kind: 'deliver', id: 's1', to: 'b' },
      seg(10, 's2', 'b', 'a'),
      { t: 40, kind: 'deliver', id: 's2', to: 'a' },
    ];
    const m = buildModel({ events, endpoints });
    const s1 = arrow(m, 's1');
    const s2 = arrow(m, 's2');
    assert.ok(s1.yb > s1.ya && s2.yb > s2.ya);
    assert.equal(s1.x1, m.lifelines[0].x);
    assert.equal(s1.x2, m.lifelines[1].x);
    assert.ok(Math.abs((s2.yb - s2.ya) / (s1.yb - s1.ya) - 30 / 10) < 1e-9, 'height proportional to flight time');
    assert.equal(s2.ya, s1.yb, 'the reply leaves where the segment arrived');
  });

  test('simultaneous open: the two SYNs cross, and so do the two SYN,ACKs', () => {
    const doc = fixture('simultaneous-open');
    const m = buildModel(doc);
    const sends = doc.events.filter((e): e is Send => e.kind === 'send');
    const syns = sends.filter((s) => s.flags.join(',') === 'SYN').map((s) => arrow(m, s.id));
    const synAcks = sends.filter((s) => s.flags.join(',') === 'SYN,ACK').map((s) => arrow(m, s.id));
    assert.equal(syns.length, 2);
    assert.equal(synAcks.length, 2);
    const p = cross(syns[0], syns[1]);
    assert.ok(p, 'SYNs cross');
    assert.ok(cross(synAcks[0], synAcks[1]), 'SYN,ACKs cross');
    // Same send time, same flight time: they cross in the middle, and their labels keep apart.
    assert.ok(Math.abs(p.x - (m.lifelines[0].x + m.lifelines[1].x) / 2) < 1e-6);
    assert.ok(Math.abs(syns[0].labelX - syns[1].labelX) > 100);
    // Each SYN shows the sender's own ISN.
    for (const [i, s] of sends.filter((x) => x.flags.join(',') === 'SYN').entries()) assert.match(syns[i].label, new RegExp(`^SYN seq=${s.seq} len=0$`));
  });

  test('idle gaps are compressed, written, and TIME-WAIT stays the longest wait', () => {
    const doc = fixture('lost-final-ack');
    const m = buildModel(doc);
    const gaps = m.items.filter((i): i is GapItem => i.kind === 'gap');
    assert.ok(gaps.length >= 2);
    // Longer idle time, taller gap (monotonic), and far shorter than proportional.
    const byDuration = [...gaps].sort((a, b) => a.to - a.from - (b.to - b.from));
    for (let k = 1; k < byDuration.length; k++) {
      assert.ok(byDuration[k].y1 - byDuration[k].y0 > byDuration[k - 1].y1 - byDuration[k - 1].y0);
    }
    const longest = byDuration[byDuration.length - 1];
    assert.equal(longest.text, formatDuration(longest.to - longest.from));
    const timeWaitStart = [...doc.events].reverse().find((e) => e.kind === 'timer' && e.name === 'time-wait' && e.action === 'start');
    const timeWaitFire = doc.events.find((e) => e.kind === 'timer' && e.name === 'time-wait' && e.action === 'fire');
    assert.ok(timeWaitStart && timeWaitFire);
    assert.ok(longest.from >= timeWaitStart.t && longest.to <= timeWaitFire.t, 'the longest gap lies inside TIME-WAIT');
    assert.ok(longest.y1 - longest.y0 < ((longest.to - longest.from) * m.pxPerMs) / 50, 'compressed');
    assert.ok(m.height < 4000, `a 4-minute trace stays readable (${m.height}px)`);
    // The TIME-WAIT timer spans are together the tallest timer bar on their lifeline.
    const timers = m.items.filter((i): i is TimerItem => i.kind === 'timer');
    const tallest = timers.reduce((a, b) => (b.y1 - b.y0 > a.y1 - a.y0 ? b : a));
    assert.equal(tallest.name, 'time-wait');
    assert.ok(tallest.label.includes(formatDuration(tallest.expires! - tallest.startAt)));
  });

  test('a lost segment ends in a cross halfway between the lifelines', () => {
    const doc = fixture('lost-final-ack');
    const m = buildModel(doc);
    const drop = doc.events.find((e) => e.kind === 'drop');
    assert.ok(drop?.kind === 'drop');
    const lost = arrow(m, drop.id);
    const sent = doc.events.find((e): e is Send => e.kind === 'send' && e.id === drop.id)!;
    assert.equal(lost.end, 'lost');
    assert.ok(lost.cross);
    const xFrom = m.lifelines.find((l) => l.name === sent.from)!.x;
    const xTo = m.lifelines.find((l) => l.name === sent.to)!.x;
    assert.equal(lost.cross.x, (xFrom + xTo) / 2);
    assert.equal(lost.x2, lost.cross.x);
    assert.ok(lost.cross.y > lost.ya, 'it slants down like its delivered neighbours');
    // Halfway in time too: the would-be arrival is one (median) flight time after sending.
    const flights = arrows(m).filter((a) => a.end === 'arrive' && a.endAt !== undefined).map((a) => a.yb - a.ya);
    assert.ok(lost.cross.y - lost.ya > Math.min(...flights) / 2 - 1 && lost.cross.y - lost.ya < Math.max(...flights) / 2 + 1);
  });

  test('duplicates, corrupted and injected segments are marked, each with a badge', () => {
    const doc = fixture('hostile-names');
    const m = buildModel(doc);
    const dup = doc.events.find((e) => e.kind === 'duplicate');
    const corrupt = doc.events.find((e) => e.kind === 'drop' && e.reason === 'corrupt');
    const injected = doc.events.find((e) => e.kind === 'inject');
    assert.ok(dup?.kind === 'duplicate' && corrupt?.kind === 'drop' && injected?.kind === 'inject');
    const copy = arrow(m, dup.copy);
    assert.ok(copy.marks.includes('duplicate') && copy.badges.includes('DUP') && copy.duplicateOf === dup.id);
    const bad = arrow(m, corrupt.id);
    assert.ok(bad.marks.includes('corrupt') && bad.end === 'discarded');
    assert.equal(bad.cross?.x, m.lifelines.find((l) => l.name === (doc.events.find((e) => e.kind === 'send' && e.id === corrupt.id) as Send).to)!.x);
    assert.ok(arrow(m, injected.id).marks.includes('injected'));
  });

  test('the legend lists exactly the marks the trace uses', () => {
    const expectedMarks = (doc: TraceDocument) => {
      const marks = new Set<string>();
      for (const e of doc.events) {
        if (e.kind === 'transition') marks.add('state');
        if (e.kind === 'send' && e.retransmission) marks.add('retransmission');
        if (e.kind === 'duplicate') marks.add('duplicate');
        if (e.kind === 'inject' || (e.kind === 'send' && e.injected)) marks.add('injected');
        if (e.kind === 'drop') marks.add(/corrupt|checksum/.test(e.reason) ? 'corrupt' : 'lost');
        if (e.kind === 'timer') marks.add('timer');
        if (e.kind === 'expect') marks.add(e.ok ? 'expect-ok' : 'expect-failed');
      }
      return marks;
    };
    for (const name of ['lost-final-ack', 'simultaneous-open', 'hostile-names']) {
      const doc = fixture(name);
      const m = buildModel(doc);
      const legend = new Set<string>(m.legend.map((l) => l.mark));
      const hasGap = m.items.some((i) => i.kind === 'gap');
      const expected = expectedMarks(doc);
      if (hasGap) expected.add('gap');
      assert.deepEqual([...legend].sort(), [...expected].sort(), name);
    }
  });

  test('relative numbers: seq from the sender ISS, ack from the receiver ISS (Wireshark)', () => {
    for (const name of ['lost-final-ack', 'simultaneous-open', 'hostile-names']) {
      const doc = fixture(name);
      const abs = buildModel(doc, { relative: false });
      const rel = buildModel(doc, { relative: true });
      const iss = new Map<string, number>();
      for (const e of doc.events) {
        if (e.kind !== 'send' && e.kind !== 'inject') continue;
        if (e.kind === 'send' && !e.injected && e.flags.includes('SYN')) iss.set(`${e.from}>${e.to}`, e.seq);
        const seqBase = iss.get(`${e.from}>${e.to}`) ?? doc.endpoints.find((p) => p.name === e.from)?.isn ?? 0;
        const ackBase = iss.get(`${e.to}>${e.from}`) ?? doc.endpoints.find((p) => p.name === e.to)?.isn ?? 0;
        const r = arrow(rel, e.id);
        assert.ok(r.label.includes(`seq=${relativeTo(e.seq, seqBase)}`), `${name} ${e.id}: ${r.label}`);
        if (e.flags.includes('ACK')) assert.ok(r.label.includes(`ack=${relativeTo(e.ack, ackBase)}`), `${name} ${e.id}: ${r.label}`);
        assert.ok(arrow(abs, e.id).label.includes(`seq=${e.seq}`));
      }
    }
    // The handshake in relative numbers reads as in the textbooks.
    const m = buildModel(fixture('lost-final-ack'), { relative: true });
    const labels = arrows(m).slice(0, 3).map((a) => a.label);
    assert.deepEqual(labels, ['SYN seq=0 len=0', 'SYN,ACK seq=0 ack=1 len=0', 'ACK seq=1 ack=1 len=0']);
  });

  test('relative numbers wrap modulo 2^32 (an ISN near 2^32)', () => {
    const doc = fixture('hostile-names');
    const m = buildModel(doc, { relative: true });
    const synAck = doc.events.find((e): e is Send => e.kind === 'send' && e.flags.join(',') === 'SYN,ACK')!;
    assert.ok(synAck.ack < 10, 'the ack wrapped past 2^32');
    assert.match(arrow(m, synAck.id).label, /ack=1 /);
  });

  test('every item keeps its trace events and scenario line; every segment event maps to its arrow', () => {
    const doc = fixture('lost-final-ack');
    const m = buildModel(doc);
    doc.events.forEach((e, i) => {
      if (e.kind === 'send' || e.kind === 'deliver' || e.kind === 'drop') {
        const item = m.items[m.eventToItem[i]];
        assert.equal(item.kind, 'arrow');
        assert.equal((item as ArrowItem).id, e.id);
        assert.ok(item.events.includes(i));
      }
      if (e.kind === 'transition' || e.kind === 'expect' || e.kind === 'app') {
        const item = m.items[m.eventToItem[i]];
        assert.equal(item.line, e.line);
      }
    });
  });

  test('application calls and failed expectations are noted beside the picture', () => {
    const doc = fixture('lost-final-ack');
    const m = buildModel(doc);
    const notes = m.items.filter((i) => i.kind === 'note').map((i) => (i.kind === 'note' ? i.text : ''));
    for (const e of doc.events) if (e.kind === 'app') assert.ok(notes.some((n) => n.startsWith(e.call)), e.call);
    const failed = doc.events.filter((e) => e.kind === 'expect' && !e.ok).length;
    assert.equal(m.items.filter((i) => i.kind === 'expect' && !i.ok).length, failed);
  });

  test('visibleItems finds exactly the items intersecting a window, tall timer spans included', () => {
    const doc = syntheticTrace(3000);
    // A keep-alive timer running the whole time: one item far taller than the rest.
    const end = doc.events[doc.events.length - 1].t;
    doc.events.splice(1, 0, { t: 0, kind: 'timer', endpoint: 'client', name: 'keepalive', action: 'start', expires: end });
    doc.events.push({ t: end, kind: 'timer', endpoint: 'client', name: 'keepalive', action: 'fire' });
    const m = buildModel(doc);
    assert.ok(m.tallItems.length >= 1, 'the keep-alive span counts as tall');
    for (const [top, bottom] of [
      [0, 500],
      [m.height / 2, m.height / 2 + 800],
      [m.height - 300, m.height],
    ]) {
      const found = new Set(visibleItems(m, top, bottom));
      const expected = m.items.map((item, i) => [item, i] as const).filter(([item]) => item.y1 >= top && item.y0 <= bottom);
      assert.deepEqual([...found].sort((a, b) => a - b), expected.map(([, i]) => i));
    }
  });

  test('segments sent at one instant are stacked, not drawn on top of each other', () => {
    const endpoints = [
      { name: 'a', address: '', port: 0 },
      { name: 'b', address: '', port: 0 },
    ];
    const events: TraceEvent[] = [];
    for (let k = 0; k < 3; k++) events.push({ t: 0, kind: 'send', id: `s${k}`, from: 'a', to: 'b', flags: ['ACK'], seq: k * 100, ack: 1, len: 100, wnd: 1000, retransmission: false });
    for (let k = 0; k < 3; k++) events.push({ t: 10, kind: 'deliver', id: `s${k}`, to: 'b' });
    const m = buildModel({ events, endpoints });
    const ys = arrows(m).map((a) => a.ya);
    assert.equal(new Set(ys).size, 3);
    assert.ok(ys[1] - ys[0] >= m.layout.rowPx && ys[2] - ys[1] >= m.layout.rowPx);
  });
});
