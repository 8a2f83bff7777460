// The incremental builder (the webview's, as the debugger steps forward and back) must always
// give the model a full build of the same trace gives: checked for random sequences of
// truncations and appends over real engine traces and a long synthetic one.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { TraceDocument, TraceEvent } from '../../src/engine/trace';
import { buildModel, ModelBuilder, type DiagramModel } from '../../src/diagram/model';
import { syntheticTrace } from './synthetic';
import { runScenario } from '../../src/diagram/scenario';

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'traces', `${name}.json`), 'utf8')) as TraceDocument;

/** Plain data, so typed arrays and item objects compare field by field. */
function plain(model: DiagramModel): unknown {
  return { ...model, eventToItem: [...model.eventToItem], eventY: [...model.eventY] };
}

/** Applies `steps` (each: keep this many events of the current trace, then extend it to that length) like the webview does. */
function run(doc: TraceDocument, steps: { keep: number; to: number }[], relative: boolean, width?: number): void {
  const builder = new ModelBuilder({ relative, width });
  const events: TraceEvent[] = [];
  for (const { keep, to } of steps) {
    const from = Math.min(keep, events.length);
    events.length = from;
    for (let i = from; i < to; i++) events.push(doc.events[i]);
    const input = { events, endpoints: doc.endpoints, scenario: doc.scenario, profile: doc.profile };
    builder.update(input, from);
    const incremental = builder.model();
    const full = buildModel({ ...input, events: [...events] }, { relative, width });
    assert.deepStrictEqual(plain(incremental), plain(full), `after keep ${keep}, to ${to}`);
  }
}

/** A deadline that passes after `budget` more arrows (the builder asks before each arrow but the first). */
function afterArrows(budget: number): () => boolean {
  let asked = 0;
  return () => ++asked >= budget;
}

/**
 * Like `run`, with each update stopped after `budget` arrows and, between steps, `resumes`
 * calls as short: the arrows left by one step go on in the next. No call lays out more than
 * `budget` arrows, and the model in the end is a full build's.
 */
function runWithDeadlines(doc: TraceDocument, steps: { keep: number; to: number; resumes: number }[], budget: number, width?: number): void {
  const builder = new ModelBuilder({ width });
  const events: TraceEvent[] = [];
  const input = () => ({ events, endpoints: doc.endpoints, scenario: doc.scenario, profile: doc.profile });
  for (const { keep, to, resumes } of steps) {
    const from = Math.min(keep, events.length);
    events.length = from;
    for (let i = from; i < to; i++) events.push(doc.events[i]);
    const stats = builder.update(input(), from, undefined, 0, afterArrows(budget));
    assert.ok(stats.arrows <= budget, `update laid out ${stats.arrows} arrows, budget ${budget}`);
    for (let r = 0; r < resumes && builder.busy; r++) assert.ok(builder.resume(afterArrows(budget)).arrows <= budget);
  }
  assert.deepStrictEqual(plain(builder.model()), plain(buildModel({ ...input(), events: [...events] }, { width })));
}

function stepsFor(length: number) {
  return fc.array(
    fc.record({ keep: fc.integer({ min: 0, max: length }), to: fc.integer({ min: 0, max: length }) }).map(({ keep, to }) => ({ keep, to: Math.max(keep, to) })),
    { minLength: 1, maxLength: 8 },
  );
}

describe('incremental diagram model', () => {
  for (const name of ['lost-final-ack', 'simultaneous-open', 'hostile-names']) {
    test(`random steps forward and back equal a full build (${name}), wide and laid out for a narrow panel`, () => {
      const doc = fixture(name);
      fc.assert(
        fc.property(stepsFor(doc.events.length), fc.boolean(), fc.constantFrom(undefined, 484, 700), (steps, relative, width) => run(doc, steps, relative, width)),
        { numRuns: 60 },
      );
    });
  }

  // Bursts (segments sent at one instant), whose labels are placed around each other, and lost and crossing segments.
  // Three and four endpoints: a label that moves lays out again the later labels it may meet.
  for (const file of ['examples/04-old-duplicate-syn.tcpscenario', 'examples/13-loss-and-retransmission.tcpscenario', 'examples/14-lossy-link.tcpscenario', 'test/fixtures/diagram/three-endpoints.tcpscenario', 'test/fixtures/diagram/four-endpoints.tcpscenario']) {
    test(`random steps forward and back equal a full build (${file}), wide and laid out for a narrow panel`, () => {
      const doc = runScenario(readFileSync(join(import.meta.dirname, '..', '..', file), 'utf8')).doc;
      assert.ok(doc, file);
      fc.assert(
        fc.property(stepsFor(doc.events.length), fc.boolean(), fc.constantFrom(undefined, 484, 700), (steps, relative, width) => run(doc, steps, relative, width)),
        { numRuns: 60 },
      );
    });
  }

  test('a segment of the other side that comes or goes while one is in flight crosses it or no longer', () => {
    const endpoints = [
      { name: 'a', address: '10.0.0.1', port: 1 },
      { name: 'b', address: '10.0.0.2', port: 2 },
    ];
    const send = (t: number, id: string, from: string, to: string): TraceEvent => ({ t, kind: 'send', id, from, to, flags: ['ACK'], seq: 1, ack: 1, len: 0, wnd: 100, retransmission: false });
    const doc: TraceDocument = {
      version: 1,
      profile: 'rfc',
      endpoints,
      events: [
        send(0, 's1', 'a', 'b'),
        send(1, 's0', 'a', 'b'),
        send(5, 's2', 'b', 'a'),
        send(5, 's3', 'b', 'a'),
        { t: 10, kind: 'deliver', id: 's1', to: 'b' },
        { t: 11, kind: 'deliver', id: 's0', to: 'b' },
        { t: 15, kind: 'deliver', id: 's2', to: 'a' },
        { t: 15, kind: 'deliver', id: 's3', to: 'a' },
      ],
    };
    for (const width of [undefined, 484]) {
      run(doc, [{ keep: 0, to: 3 }, { keep: 2, to: 2 }, { keep: 2, to: 4 }, { keep: 3, to: 3 }, { keep: 3, to: 8 }, { keep: 4, to: 4 }, { keep: 1, to: 1 }, { keep: 1, to: 8 }], false, width);
    }
  });

  test('a debugger session over a long trace: one event at a time, step back, step forward', () => {
    const doc = syntheticTrace(300);
    const steps: { keep: number; to: number }[] = [];
    for (let n = 1; n <= doc.events.length; n += 1 + (n % 7)) steps.push({ keep: n - 1, to: n });
    steps.push({ keep: 200, to: 200 }, { keep: 150, to: 150 }, { keep: 150, to: 400 }, { keep: doc.events.length - 20, to: doc.events.length });
    run(doc, steps, false);
    run(doc, steps, true, 484);
  });

  test('with a deadline, the arrows left wait for the next calls (however steps come between) and end as a full build', () => {
    for (const file of ['examples/13-loss-and-retransmission.tcpscenario', 'test/fixtures/diagram/three-endpoints.tcpscenario']) {
      const doc = runScenario(readFileSync(join(import.meta.dirname, '..', '..', file), 'utf8')).doc;
      assert.ok(doc, file);
      const steps = stepsFor(doc.events.length).chain((list) => fc.tuple(...list.map((step) => fc.integer({ min: 0, max: 3 }).map((resumes) => ({ ...step, resumes })))));
      fc.assert(
        fc.property(steps, fc.integer({ min: 1, max: 6 }), fc.constantFrom(undefined, 484), (list, budget, width) => runWithDeadlines(doc, list, budget, width)),
        { numRuns: 60 },
      );
    }
  });

  test('a step back while arrows wait for a deadline, then forward again: every event shows its item as in a full build', () => {
    const doc = syntheticTrace(2_000);
    const input = (n: number) => ({ events: doc.events.slice(0, n), endpoints: doc.endpoints, scenario: doc.scenario });
    const builder = new ModelBuilder();
    builder.update(input(1_000), 0);
    builder.update(input(950), 950, undefined, 0, afterArrows(1));
    assert.ok(builder.busy);
    // The arrows that waited are laid out as before the step back, and show their deliveries again.
    builder.update(input(1_000), 950);
    const whole = buildModel(input(1_000));
    for (let i = 950; i < 1_000; i++) {
      const at = whole.eventToItem[i];
      assert.equal(builder.view.eventItem(i)?.key, at >= 0 ? whole.items[at].key : undefined, `event ${i}`);
    }
    assert.deepStrictEqual(plain(builder.model()), plain(whole));
  });

  test('a new frame over a long trace is laid out again in parts, top first, each as long as the deadline allows', () => {
    const doc = syntheticTrace(2_000);
    const builder = new ModelBuilder();
    const half = Math.floor(doc.events.length / 2);
    builder.update(doc, 0, half);
    // Taking in everything from the start again lays out every arrow: 40 at a time.
    const first = builder.update(doc, 0, undefined, 0, afterArrows(40));
    assert.ok(first.full && first.arrows === 40 && first.deferred > 1_000 && builder.busy, JSON.stringify(first));
    // What is drawn meanwhile: the first arrows (the top of the diagram) are in place.
    const whole = buildModel(doc);
    const firstArrow = whole.items.find((item) => item.kind === 'arrow')!;
    assert.ok(builder.view.visible(firstArrow.y0, firstArrow.y1).some((item) => item.key === firstArrow.key));
    let calls = 0;
    while (builder.busy) {
      assert.ok(builder.resume(afterArrows(40)).arrows <= 40);
      calls++;
    }
    assert.ok(calls >= 20, `${calls} parts`);
    assert.deepStrictEqual(plain(builder.model()), plain(whole));
  });

  test('a first frame lays out only the arrows that start above the screen it shows (the deadline is told where the next one starts)', () => {
    const doc = syntheticTrace(2_000);
    const whole = buildModel(doc);
    const screen = 1_000;
    const builder = new ModelBuilder();
    const first = builder.update(doc, 0, 600, 0, (top) => top > screen);
    // As many arrows as start within the screen (their sending event's y; a label may reach higher).
    const count = 600;
    const part = buildModel({ ...doc, events: doc.events.slice(0, count) });
    const within = part.items.filter((item) => item.kind === 'arrow' && part.eventY[item.events[0]] <= screen).length;
    assert.ok(builder.busy && first.arrows === within && first.deferred > 0, `${first.arrows} arrows laid out, ${within} start within the screen`);
    // The top of the screen is drawn as the whole build draws it.
    const arrowsAbove = (items: readonly { key: string; kind: string; y0: number }[]) => items.filter((item) => item.kind === 'arrow' && item.y0 < screen / 2).map((item) => item.key);
    assert.deepEqual(arrowsAbove(builder.view.visible(0, screen / 2)), arrowsAbove(whole.items.filter((item) => item.y1 >= 0)));
    builder.update(doc, count);
    assert.deepStrictEqual(plain(builder.model()), plain(whole));
  });

  test('takes over the unchanged items of the previous model rather than making new ones', () => {
    const doc = syntheticTrace(500);
    const builder = new ModelBuilder();
    builder.update({ events: doc.events.slice(0, 600), endpoints: doc.endpoints }, 0);
    const first = builder.model();
    builder.update({ events: doc.events.slice(0, 620), endpoints: doc.endpoints }, 600);
    const second = builder.model();
    const firstByKey = new Map(first.items.map((item) => [item.key, item]));
    const same = second.items.filter((item) => firstByKey.get(item.key) === item).length;
    assert.ok(same > first.items.length * 0.8, `${same} of ${first.items.length} items taken over`);
  });
});

/** A long transfer on a lossy link, one small send every 10 ms: a real engine trace whose pattern repeats. */
function periodicTransfer(sends: number): TraceDocument {
  const lines = [
    'scenario "steps"',
    // Each small send a segment of its own (no Nagle): the pattern repeats send after send.
    'set nodelay=on',
    'endpoint client 10.0.0.1:49152 isn=1000',
    'endpoint server 10.0.0.2:80 isn=5000',
    'link client <-> server delay=2ms loss=3% seed=3',
    '@0 server listen',
    '@0 client connect server',
    '+50ms client send 3000',
  ];
  for (let i = 1; i < sends; i++) lines.push('+10ms client send 10');
  lines.push('+1s client close', '+10ms server close');
  const doc = runScenario(`${lines.join('\n')}\n`).doc;
  assert.ok(doc);
  return doc;
}

/** Steps one event at a time (and, every few steps, one back and forth again); the most any step cost, in counts. */
function stepCosts(doc: TraceDocument, width: number | undefined) {
  const builder = new ModelBuilder({ width });
  const events: TraceEvent[] = [];
  const most = { arrows: 0, marks: 0, knots: 0, touched: 0, applied: 0, undone: 0 };
  let full = 0;
  const take = (stats: ReturnType<ModelBuilder['update']>) => {
    if (stats.full) full++;
    else for (const key of Object.keys(most) as (keyof typeof most)[]) most[key] = Math.max(most[key], stats[key]);
  };
  for (let i = 0; i < doc.events.length; i++) {
    events.push(doc.events[i]);
    take(builder.update({ events, endpoints: doc.endpoints }, i));
    if (i % 7 === 6) {
      events.pop();
      take(builder.update({ events, endpoints: doc.endpoints }, i));
      events.push(doc.events[i]);
      take(builder.update({ events, endpoints: doc.endpoints }, i));
    }
  }
  return { most, full };
}

describe('a step costs what it adds, not the length of the trace', () => {
  for (const width of [undefined, 484]) {
    test(`the same counts per step at 400 events and at 3,000 (${width ? 'compact' : 'wide'})`, () => {
      const short = stepCosts(periodicTransfer(40), width);
      const long = stepCosts(periodicTransfer(400), width);
      assert.ok(periodicTransfer(400).events.length > 8 * periodicTransfer(40).events.length);
      // Items laid out, placed and touched per step: bounded by what one event reaches (its
      // segment, the ones in flight, a timer, a knot's gap and tick), the same however long.
      assert.deepEqual(long.most, short.most);
      assert.ok(long.most.touched <= 8 && long.most.arrows <= 8, JSON.stringify(long.most));
      // Everything is laid out again only when the frame changes (a wider box, the first flights).
      assert.ok(long.full <= short.full + 2, `${long.full} full layouts for the long trace, ${short.full} for the short one`);
    });
  }
});
