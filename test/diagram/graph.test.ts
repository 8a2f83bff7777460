// The time–sequence graph's pure layers: its data from a trace (each series checked against the
// trace's own events, never against recorded numbers), the incremental updates (always equal to
// taking the trace at once; a step's cost in counts does not grow with the trace), the axes, the
// hit test, and the standalone SVG.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { SendEvent, TraceDocument, TraceEvent } from '../../src/engine/trace';
import { GraphData, extentOf, type GraphDirection } from '../../src/diagram/graphData';
import { formatBytesShort, grownDomain, niceDomain, niceStep, ticks } from '../../src/diagram/graphAxes';
import { CHUNK, graphFrame, hitTest, pointFields, pointXY, segmentBar, xOf, ySeq, yWindow } from '../../src/diagram/graphLayout';
import { GraphScene } from '../../src/diagram/graphScene';
import { renderGraphSvg, shownDirection } from '../../src/diagram/graphSvg';
import { runScenario } from '../../src/diagram/scenario';
import { buildModel } from '../../src/diagram/model';
import type { ArrowItem, NoteItem } from '../../src/diagram/types';
import { escapeXml } from '../../src/diagram/format';
import { syntheticTrace } from './synthetic';
import { xmlProblems } from './xml';
import { GRAPH_FIELD_WORDS, GRAPH_WORDS } from '../../src/diagram/words';
import { translatorFor } from '../../src/text/bundles';

const root = join(import.meta.dirname, '..', '..');
const example = (file: string): TraceDocument => {
  const run = runScenario(readFileSync(join(root, 'examples', file), 'utf8'));
  assert.ok(run.doc, file);
  return run.doc;
};

const MOD32 = 2 ** 32;
const rel = (v: number, base: number) => {
  const d = (((v - base) % MOD32) + MOD32) % MOD32;
  return d >= MOD32 / 2 ? d - MOD32 : d;
};
const sends = (doc: TraceDocument) => doc.events.filter((e): e is SendEvent => e.kind === 'send');
const space = (s: SendEvent) => s.len + (s.flags.includes('SYN') ? 1 : 0) + (s.flags.includes('FIN') ? 1 : 0);

function whole(doc: TraceDocument): GraphData {
  const data = new GraphData();
  data.update(doc, 0);
  return data;
}

/** The series of every direction without the serials (which differ between two builds by design). */
function plain(data: GraphData): unknown {
  const strip = <T extends object>(points: readonly T[]) => points.map((p) => ({ ...p, serial: 0 }));
  return data.directions.map((d) => ({ ...d, revision: 0, segments: strip(d.segments), acks: strip(d.acks), losses: strip(d.losses), windows: strip(d.windows) }));
}

describe('time–sequence graph data', () => {
  const doc = example('20-slow-start-fast-recovery.tcpscenario');
  const data = whole(doc);
  const client = doc.endpoints[0].name;
  const server = doc.endpoints[1].name;
  const d = data.direction(`${client}>${server}`)!;
  const synSeq = sends(doc).find((s) => s.from === client && s.flags.includes('SYN'))!.seq;

  test('the direction carrying the data is the one shown by default', () => {
    const bytes = (from: string) => sends(doc).filter((s) => s.from === from && !s.retransmission).reduce((n, s) => n + s.len, 0);
    assert.ok(bytes(client) > bytes(server));
    assert.equal(data.busiest()?.key, `${client}>${server}`);
    assert.equal(shownDirection(data)?.key, d.key);
    // A direction asked for by key wins while it has segments (the server sent its SYN,ACK).
    assert.equal(shownDirection(data, `${server}>${client}`)?.key, `${server}>${client}`);
    assert.equal(shownDirection(data, 'nobody>nowhere')?.key, d.key);
  });

  test('every segment the sender sent, at its send time, relative to its ISN, retransmissions marked', () => {
    const expected = sends(doc).filter((s) => s.from === client && space(s) > 0);
    assert.equal(d.segments.length, expected.length);
    expected.forEach((s, i) => {
      const p = d.segments[i];
      assert.equal(p.t, s.t);
      assert.equal(p.lo, rel(s.seq, synSeq));
      assert.equal(p.hi, rel(s.seq, synSeq) + space(s));
      assert.equal(p.retransmission, s.retransmission);
      assert.equal(doc.events[p.index], s);
    });
    // The SYN takes sequence number 0, the first data byte 1 (Wireshark's relative numbers).
    assert.equal(d.segments[0].lo, 0);
    assert.equal(d.segments.find((p) => p.len > 0)?.lo, 1);
    assert.ok(d.segments.some((p) => p.retransmission), 'the example retransmits');
  });

  test('the ACK line: each ACK from the receiver when it reaches the sender; the window line at ACK + window', () => {
    const delivered = new Map(doc.events.flatMap((e, i) => (e.kind === 'deliver' ? [[e.id, { t: e.t, i }] as const] : [])));
    const expected = sends(doc).filter((s) => s.from === server && s.flags.includes('ACK') && delivered.has(s.id));
    assert.equal(d.acks.length, expected.length);
    expected.forEach((s, i) => {
      const a = d.acks[i];
      assert.equal(a.t, delivered.get(s.id)!.t);
      assert.equal(a.index, delivered.get(s.id)!.i);
      assert.equal(a.ack, rel(s.ack, synSeq));
      assert.equal(a.edge, rel(s.ack, synSeq) + s.wnd);
    });
    // Three duplicate ACKs (at least) before the fast retransmit.
    assert.ok(d.acks.filter((a) => a.duplicate).length >= 3);
  });

  test('lost segments at their send time; cwnd and ssthresh as the send events carry them', () => {
    const lost = doc.events.filter((e) => e.kind === 'drop').map((e) => e.id);
    const lostSends = sends(doc).filter((s) => lost.includes(s.id) && s.from === client && space(s) > 0);
    assert.ok(lostSends.length > 0);
    assert.deepEqual(
      d.losses.map((l) => [l.t, l.lo]),
      lostSends.map((s) => [s.t, rel(s.seq, synSeq)]),
    );
    const carried = sends(doc).filter((s) => s.from === client && s.cwnd !== undefined);
    assert.deepEqual(
      d.windows.map((w) => [w.t, w.cwnd, w.ssthresh]),
      carried.map((s) => [s.t, s.cwnd, s.ssthresh]),
    );
    // RFC 5681 3.2: after the third duplicate ACK, ssthresh = max(FlightSize / 2, 2 * SMSS); the
    // example expects it, and the retransmission carries it.
    const retx = carried.find((s) => s.retransmission)!;
    assert.ok(retx.ssthresh !== undefined && retx.ssthresh < retx.cwnd!);
    assert.equal(extentOf(d).ssthresholds, carried.filter((s) => s.ssthresh !== undefined).length);
  });

  test('SACK blocks an ACK carries are drawn relative to the sender\'s ISN', () => {
    const base = example('01-handshake.tcpscenario');
    const events: TraceEvent[] = base.events.map((e) => ({ ...e }));
    const ackIndex = events.findIndex((e) => e.kind === 'send' && e.flags.includes('ACK') && !e.flags.includes('SYN') && e.from === base.endpoints[1].name);
    const fallback = events.findIndex((e) => e.kind === 'send' && e.flags.includes('SYN') && e.flags.includes('ACK'));
    const at = ackIndex >= 0 ? ackIndex : fallback;
    const ack = events[at] as SendEvent;
    const clientSyn = (events.find((e) => e.kind === 'send' && e.flags.includes('SYN') && !e.flags.includes('ACK')) as SendEvent).seq;
    ack.options = { sack: [{ left: (clientSyn + 1001) >>> 0, right: (clientSyn + 2001) >>> 0 }] };
    const g = whole({ ...base, events });
    const dir = g.direction(`${ack.to}>${ack.from}`)!;
    const point = dir.acks.find((a) => a.sack);
    assert.deepEqual(point?.sack, [1001, 2001]);
    assert.equal(extentOf(dir).sacks, 1);
  });

  test('a trace without SYNs (a window of a long run) takes the endpoint\'s isn, else the first number less one', () => {
    const events = doc.events.filter((e) => !(e.kind === 'send' && e.flags.includes('SYN')));
    const withIsn = whole({ ...doc, events }).direction(d.key)!;
    const withoutIsn = whole({ ...doc, endpoints: doc.endpoints.map(({ isn: _isn, ...e }) => e), events }).direction(d.key)!;
    assert.equal(withIsn.isn, doc.endpoints[0].isn);
    const first = sends({ ...doc, events }).find((s) => s.from === client && space(s) > 0)!;
    assert.equal(withoutIsn.segments[0].lo, 1);
    assert.equal(withoutIsn.isn, first.seq - 1);
  });
});

describe('time–sequence graph, incremental', () => {
  /** Steps like the webview's: keep some events, extend to a length; each result equals taking the trace at once. */
  function check(doc: TraceDocument, steps: { keep: number; to: number }[]): void {
    const data = new GraphData();
    const events: TraceEvent[] = [];
    for (const { keep, to } of steps) {
      const from = Math.min(keep, events.length);
      events.length = from;
      for (let i = from; i < to; i++) events.push(doc.events[i]);
      data.update({ ...doc, events }, from);
      assert.deepStrictEqual(plain(data), plain(whole({ ...doc, events: [...events] })), `keep ${keep}, to ${to}`);
    }
  }

  for (const file of ['20-slow-start-fast-recovery.tcpscenario', '21-timeout-collapse.tcpscenario', '14-lossy-link.tcpscenario']) {
    test(`random steps forward and back equal taking the trace at once (${file})`, () => {
      const doc = example(file);
      const n = doc.events.length;
      const step = fc.record({ keep: fc.integer({ min: 0, max: n }), to: fc.integer({ min: 0, max: n }) }).map(({ keep, to }) => ({ keep, to: Math.max(keep, to) }));
      fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => check(doc, steps)), { numRuns: 40 });
    });
  }

  test('a step costs what it adds: the same counts at 400 and at 3,000 events (data, and chunks redrawn)', () => {
    const doc = syntheticTrace(3000);
    const costs = (at: number) => {
      const data = new GraphData();
      data.update(doc, 0, at);
      const scene = new GraphScene();
      const d = data.busiest()!;
      // A frame sized for the whole trace, so that neither step grows the axes.
      const full = whole(doc).busiest()!;
      const f = graphFrame(d, { width: 800, height: 500, previous: graphFrame(full, { width: 800, height: 500 }) });
      scene.update(f, d);
      const stats = data.update(doc, at, at + 4);
      const next = graphFrame(d, { width: 800, height: 500, previous: f });
      assert.equal(next.signature, f.signature, 'the frame stays');
      const changes = scene.update(next, d);
      const back = data.update(doc, at + 1, at + 1);
      const backChanges = scene.update(graphFrame(d, { width: 800, height: 500, previous: next }), d);
      return { applied: stats.applied, points: stats.points, looked: changes.looked, drawn: changes.draw.length, undone: back.undone, backLooked: backChanges.looked, backDrawn: backChanges.draw.length };
    };
    const early = costs(400);
    const late = costs(3000);
    assert.deepEqual(late, early);
    assert.ok(early.drawn <= 4 && early.looked <= 8, JSON.stringify(early));
  });

  test('another frame draws every chunk in view again; chunks out of a zoomed window are not drawn', () => {
    const doc = syntheticTrace(2000);
    const data = whole(doc);
    const d = data.busiest()!;
    const scene = new GraphScene();
    const f = graphFrame(d, { width: 800, height: 500 });
    const first = scene.update(f, d);
    const chunks = ['segments', 'acks', 'losses', 'windows'].reduce((n, s) => n + Math.ceil(d[s as 'acks'].length / CHUNK), 0);
    assert.equal(first.draw.length, chunks);
    assert.equal(scene.update(f, d).draw.length, 0, 'nothing changed');
    const zoomed = graphFrame(d, { width: 800, height: 500, zoom: { tMin: 100, tMax: 200 } });
    const z = scene.update(zoomed, d);
    assert.ok(z.full && z.draw.length > 0 && z.draw.length < chunks / 4, `${z.draw.length} of ${chunks}`);
    assert.ok(z.remove.length > 0);
  });
});

describe('time–sequence graph axes and layout', () => {
  test('tick steps are 1, 2 or 5 times a power of ten; domains end on ticks', () => {
    for (const [span, count] of [
      [1, 5],
      [37, 4],
      [58_400, 6],
      [0.003, 3],
      [240_000, 8],
    ]) {
      const step = niceStep(span, count);
      const mantissa = step / 10 ** Math.floor(Math.log10(step));
      assert.ok([1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-9), `${span}: ${step}`);
      assert.ok(span / step <= count * 1.0001 && span / step > count / 5, `${span}/${step}`);
    }
    const dom = niceDomain(3, 58_400, 6);
    assert.equal(dom.min % dom.step, 0);
    assert.equal(dom.max % dom.step, 0);
    assert.ok(dom.min <= 3 && dom.max >= 58_400);
    assert.deepEqual(ticks(0, 50, 20), [0, 20, 40]);
    assert.equal(formatBytesShort(58_400), '58.4k');
    assert.equal(formatBytesShort(1_500_000), '1.5M');
    assert.equal(formatBytesShort(999), '999');
  });

  test('an automatic domain is kept while the data fits, and grows by at least a fifth when it does not', () => {
    let dom = grownDomain(undefined, 0, 100, 5);
    const first = dom;
    dom = grownDomain(dom, 0, first.max, 5);
    assert.deepEqual(dom, first);
    dom = grownDomain(dom, 0, first.max + 1, 5);
    assert.ok(dom.max >= (first.max + 1) * 1.2);
    // A step far back (the data shrank to under half) fits again.
    assert.ok(grownDomain(dom, 0, 10, 5).max < dom.max);
  });

  const doc = example('20-slow-start-fast-recovery.tcpscenario');
  const data = whole(doc);
  const d = data.busiest()!;
  const f = graphFrame(d, { width: 700, height: 460 });

  test('both plots share the time axis; the cwnd plot lies below; the legend lists what is drawn', () => {
    assert.ok(f.cc);
    assert.equal(f.cc.x, f.seq.x);
    assert.equal(f.cc.width, f.seq.width);
    assert.ok(f.cc.y > f.seq.y + f.seq.height);
    assert.ok(f.cc.y + f.cc.height <= f.height);
    const marks = f.legend.map((e) => e.mark);
    for (const m of ['segment', 'retransmission', 'lost', 'ack', 'window', 'duplicate-ack', 'cwnd', 'ssthresh']) assert.ok(marks.includes(m as never), m);
    assert.ok(!marks.includes('sack'), 'no SACK in the rfc profile');
    for (const e of f.legend) assert.ok(e.x >= 0 && e.x < f.width && e.y < f.seq.y, `${e.mark} inside, above the plots`);
    // Every point inside its plot.
    const e = extentOf(d);
    assert.ok(xOf(f, e.tMin) >= f.seq.x && xOf(f, e.tMax) <= f.seq.x + f.seq.width);
    assert.ok(ySeq(f, e.seqMax) >= f.seq.y && ySeq(f, e.seqMin) <= f.seq.y + f.seq.height);
    assert.ok(yWindow(f, e.windowMax) >= f.cc.y);
  });

  test('a click on a segment, an ACK or a cwnd step finds its event; empty space finds none', () => {
    const s = d.segments[Math.floor(d.segments.length / 2)];
    const bar = segmentBar(f, s);
    const hit = hitTest(f, d, bar.x + 1, (bar.y0 + bar.y1) / 2);
    assert.ok(hit);
    // Segments sent at one instant share an x: the one under the pointer is found.
    assert.equal(d.segments[hit.at].t, s.t);
    assert.ok(hit.series === 'segments' && hit.index === d.segments[hit.at].index);
    const w = d.windows[d.windows.length - 1];
    const cwndHit = hitTest(f, d, xOf(f, w.t), yWindow(f, w.cwnd));
    assert.equal(cwndHit?.series, 'windows');
    assert.equal(cwndHit && doc.events[cwndHit.index].kind, 'send');
    assert.equal(hitTest(f, d, f.seq.x + f.seq.width - 2, f.seq.y + 2), undefined);
    assert.equal(hitTest(f, d, 5, 5), undefined);
    const fields = Object.fromEntries(pointFields(d, 'segments', d.segments.findIndex((p) => p.retransmission)));
    assert.equal(fields.retransmission, 'yes');
    assert.ok(fields.cwnd);
  });

  test('the current event is drawn where its point is', () => {
    const retx = d.segments.find((p) => p.retransmission)!;
    const point = data.pointOf(retx.index);
    assert.ok(point);
    assert.deepEqual(pointXY(f, point), { x: xOf(f, retx.t), y: (segmentBar(f, retx).y0 + segmentBar(f, retx).y1) / 2 });
    const timer = doc.events.findIndex((e) => e.kind === 'timer');
    assert.equal(data.pointOf(timer), undefined);
    assert.equal(data.timeOf(timer), doc.events[timer].t);
  });
});

describe('time–sequence graph SVG', () => {
  test('well-formed, with its series, its highlight and theme variables with fallbacks', () => {
    const doc = example('21-timeout-collapse.tcpscenario');
    const data = whole(doc);
    const current = doc.events.findIndex((e) => e.kind === 'send' && e.retransmission);
    for (const theme of ['light', 'dark'] as const) {
      const svg = renderGraphSvg(data, { theme, current, scenario: doc.scenario, profile: doc.profile })!;
      assert.deepEqual(xmlProblems(svg), []);
      for (const cls of ['tsg-seg', 'tsg-retx', 'tsg-ack', 'tsg-win', 'tsg-cwnd', 'tsg-now', 'tsg-current']) assert.match(svg, new RegExp(`class="${cls}"`), cls);
      for (const v of svg.matchAll(/var\((--vscode-[\w-]+)(,[^)]*)?\)/g)) assert.ok(v[2] && v[2].length > 2, `fallback for ${v[1]}`);
    }
  });

  test('in the drawing\'s language: the title line of the export and the hover fields (zh-cn, zh-tw)', () => {
    const doc = example('21-timeout-collapse.tcpscenario');
    const data = whole(doc);
    const d = data.busiest()!;
    const english = renderGraphSvg(data, { profile: doc.profile })!;
    assert.ok(english.includes(`>time–sequence graph · ${d.from} → ${d.to} · profile ${doc.profile}</text>`));
    for (const locale of ['zh-cn', 'zh-tw'] as const) {
      const tr = translatorFor(locale);
      for (const word of [...Object.values(GRAPH_WORDS), ...GRAPH_FIELD_WORDS.filter((w) => w !== 'ACK')]) assert.notEqual(tr.t(word), word, `${locale}: ${word}`);
      const svg = renderGraphSvg(data, { profile: doc.profile, say: tr.t })!;
      assert.ok(svg.includes(`>${tr.t(GRAPH_WORDS.subtitleProfile, `${d.from} → ${d.to}`, doc.profile)}</text>`), locale);
      assert.ok(svg.includes(`>${tr.t('TCP scenario')}</text>`), `${locale}: an untitled run's title`);
      assert.doesNotMatch(svg, /time–sequence graph/);
      // Every field name of every kind of point is said, and the fixed values too.
      const windowAt = d.windows.findIndex((w) => w.ssthresh === undefined);
      const points = [pointFields(d, 'segments', 0, tr.t), pointFields(d, 'acks', 0, tr.t), pointFields(d, 'windows', Math.max(0, windowAt), tr.t), ...(d.losses.length ? [pointFields(d, 'losses', 0, tr.t)] : [])];
      const englishNames = [pointFields(d, 'segments', 0), pointFields(d, 'acks', 0), pointFields(d, 'windows', Math.max(0, windowAt))].flat().map(([name]) => name);
      const names = points.flat().map(([name]) => name);
      for (const name of englishNames) assert.ok(names.includes(tr.t(name)), `${locale}: ${name}`);
      assert.ok(names.every((name) => !englishNames.includes(name) || name === 'ACK'), `${locale}: ${names.join(', ')}`);
      if (windowAt >= 0) assert.equal(Object.fromEntries(points[2])[tr.t('ssthresh')], tr.t('not set yet (slow start)'));
    }
  });

  test('scenario strings are escaped; no script, no event handler, no external reference', () => {
    const hostile = '<script>alert(1)</script> & "x" \u202e\u0000';
    const doc = syntheticTrace(50);
    const endpoints = doc.endpoints.map((e, i) => ({ ...e, name: i === 0 ? `${hostile}c` : `${hostile}s` }));
    const rename = (n: string) => (n === 'client' ? endpoints[0].name : n === 'server' ? endpoints[1].name : n);
    const events = doc.events.map((e) => ({ ...e, ...('from' in e ? { from: rename(e.from), to: rename(e.to) } : {}), ...('to' in e && !('from' in e) ? { to: rename(e.to) } : {}) })) as TraceEvent[];
    const svg = renderGraphSvg(whole({ ...doc, endpoints, events }), { scenario: hostile })!;
    assert.deepEqual(xmlProblems(svg), []);
    assert.doesNotMatch(svg, /<script/i);
    assert.doesNotMatch(svg, /<[a-zA-Z][^>]*\son[a-z]+=/i);
    assert.doesNotMatch(svg, /<img|<foreignObject|href=/i);
    assert.ok(svg.includes(escapeXml('<script>alert(1)</script> & "x" ')));
    assert.doesNotMatch(svg, /\u202e/);
  });

  test('nothing to draw without data', () => {
    const doc = example('10-connection-refused.tcpscenario');
    const data = whole(doc);
    const d: GraphDirection | undefined = data.busiest();
    assert.equal(d?.segments.some((p) => p.len > 0) ?? false, false);
  });
});

describe('the ladder and issue 10', () => {
  const doc = example('20-slow-start-fast-recovery.tcpscenario');

  test('window labels: each arrow ends with the window its segment advertises, only when asked; narrow and wide alike', () => {
    for (const width of [undefined, 600]) {
      const plainArrows = buildModel(doc, { width }).items.filter((i): i is ArrowItem => i.kind === 'arrow');
      const labelled = buildModel(doc, { width, windowLabels: true }).items.filter((i): i is ArrowItem => i.kind === 'arrow');
      assert.equal(labelled.length, plainArrows.length);
      assert.ok(labelled.length > 0);
      for (const a of plainArrows) assert.doesNotMatch(a.label, /wnd=/);
      for (const a of labelled) assert.ok(a.label.endsWith(` wnd=${a.segment.wnd}`), a.label);
    }
  });

  test('entering and leaving recovery are notes of the sender in the ladder', () => {
    const notes = buildModel(doc).items.filter((i): i is NoteItem => i.kind === 'note' && i.noteKind === 'note');
    const enter = notes.findIndex((n) => /^fast retransmit: /.test(n.text));
    const leave = notes.findIndex((n) => /^recovery ends: /.test(n.text));
    assert.ok(enter >= 0 && leave > enter, notes.map((n) => n.text).join(' | '));
    assert.equal(notes[enter].endpoint, doc.endpoints[0].name);
    // The trace carries them as note events, at the fast retransmit and at the ACK that ends recovery.
    const events = doc.events.filter((e) => e.kind === 'note').map((e) => (e as { message: string }).message);
    assert.ok(events.some((m) => m.startsWith('fast retransmit: ')) && events.some((m) => m.startsWith('recovery ends: ')));
  });
});
