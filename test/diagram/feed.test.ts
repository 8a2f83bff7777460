// The panel host's feed (src/diagram/feed.ts): what the webview gets of a long trace. A step
// goes as it comes; a stop deep in a long run goes as the events before the current one, a whole
// run as its first events, the rest when the webview asks for it; and the webview's copy (a
// TraceStore following the messages) always equals the host's trace over the events it holds.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TraceEvent } from '../../src/engine/trace';
import { DIAGRAM_MAX_EVENTS as MAX_HELD } from '../../src/diagram/degrade';
import { CHUNK_EVENTS, DiagramFeed, FIRST_EVENTS, WINDOW_BEFORE } from '../../src/diagram/feed';
import { traceMessageEvents, type HostMessage, type TraceBody } from '../../src/diagram/messages';
import { TraceStore } from '../../src/diagram/traceStore';

const endpoints = [
  { name: 'a', address: '10.0.0.1', port: 1 },
  { name: 'b', address: '10.0.0.2', port: 2 },
];
const events: TraceEvent[] = Array.from({ length: 120_000 }, (_, i) => ({ t: i, kind: 'note', message: `n${i}` }));
const body = (from: number, to: number, current: number): TraceBody => ({ from, events: events.slice(from, to), current, endpoints, profile: 'rfc' });

/** A feed and a webview copy that takes its messages as the webview does. */
function setup() {
  const posted: HostMessage[] = [];
  const web = new TraceStore();
  const feed = new DiagramFeed((m) => {
    posted.push(m);
    if (m.type === 'trace') web.apply(m, traceMessageEvents(m)!);
    else if (m.type === 'earlier') assert.ok(web.prepend(m.start, traceMessageEvents(m)!), 'earlier events end where the copy starts');
  });
  const sizes = () => posted.map((m) => (m.type === 'trace' || m.type === 'earlier' ? (traceMessageEvents(m) ?? []).length : 0));
  /** Asks for more as long as the last message says there is more; how many times. */
  const drain = () => {
    let asks = 0;
    for (let last = posted[posted.length - 1]; last && (last.type === 'trace' || last.type === 'earlier') && last.more; last = posted[posted.length - 1]) {
      feed.more();
      asks++;
    }
    return asks;
  };
  /** The webview's copy equals the trace over what it holds. */
  const consistent = (length: number) => {
    assert.equal(web.length, length);
    assert.deepEqual(web.all, events.slice(web.offset, length));
  };
  return { feed, web, posted, sizes, drain, consistent };
}

describe('what the webview gets of a long trace', () => {
  test('a stop deep in a long run: the events just before the current one first, then the earlier ones it may hold, as it asks', () => {
    const { feed, web, posted, sizes, drain, consistent } = setup();
    const n = 100_000;
    feed.trace(body(0, n, n - 1));
    assert.equal(posted.length, 1);
    assert.equal(sizes()[0], WINDOW_BEFORE + 1, 'the first message is what is on screen');
    assert.equal(web.offset, n - 1 - WINDOW_BEFORE);
    assert.equal(web.length, n);
    consistent(n);
    const asks = drain();
    assert.ok(asks > 0 && sizes().every((s) => s <= CHUNK_EVENTS));
    assert.equal(web.offset, n - MAX_HELD, 'the webview ends up with the last MAX_HELD events');
    consistent(n);
    // Steps on and back go as they come.
    const before = posted.length;
    feed.trace(body(n, n + 1, n));
    feed.trace(body(n, n, n - 1));
    feed.trace(body(n, n + 3, n + 2));
    assert.deepEqual(sizes().slice(before), [1, 0, 3]);
    consistent(n + 3);
  });

  test('stepping on past MAX_HELD moves the window now and then, not at every step', () => {
    const { feed, web, posted, drain, consistent } = setup();
    const n = MAX_HELD + 10_000;
    feed.trace(body(0, n, n - 1));
    drain();
    const windows = () => posted.filter((m) => m.type === 'trace' && m.start !== undefined).length;
    const first = windows();
    for (let i = n; i < n + MAX_HELD / 2; i++) feed.trace(body(i, i + 1, i));
    assert.ok(windows() - first <= 2, `${windows() - first} new windows in ${MAX_HELD / 2} steps`);
    drain();
    consistent(n + MAX_HELD / 2);
    assert.ok(web.length - web.offset <= MAX_HELD * 1.25);
  });

  test('a whole run: its first events first, then the later ones up to MAX_HELD', () => {
    const { feed, web, sizes, drain } = setup();
    feed.trace(body(0, events.length, -1));
    assert.equal(web.offset, 0);
    assert.equal(sizes()[0], FIRST_EVENTS);
    drain();
    // The first MAX_HELD events, then a note that says the rest is not drawn.
    assert.equal(web.length, MAX_HELD + 1);
    assert.deepEqual(web.all.slice(0, MAX_HELD), events.slice(0, MAX_HELD));
    const note = web.all[MAX_HELD];
    assert.ok(note.kind === 'note' && note.message.includes('the rest is not drawn'));
    // A run that fits goes at once.
    const short = setup();
    short.feed.trace(body(0, 3000, -1));
    assert.deepEqual(short.sizes(), [3000]);
    short.consistent(3000);
  });

  test('a new webview (reload) gets what is on screen first again', () => {
    const { feed, web, posted, drain, consistent } = setup();
    feed.trace(body(0, 12_000, 11_999));
    drain();
    consistent(12_000);
    assert.equal(web.offset, 0);
    web.apply({ from: 0, start: undefined, events: [], current: -1, endpoints, profile: 'rfc' });
    feed.resend();
    const last = posted[posted.length - 1];
    assert.ok(last.type === 'trace' && last.start === 12_000 - 1 - WINDOW_BEFORE);
    drain();
    consistent(12_000);
    assert.equal(web.offset, 0);
  });
});

describe('the whole trace, for an export', () => {
  test('a window of a debug session: the earlier events are fetched from the adapter, a part at a time', async () => {
    const { feed } = setup();
    const n = 30_000;
    const start = 20_000;
    const asked: [number, number][] = [];
    const fetch = async (from: number, to: number) => {
      asked.push([from, to]);
      return events.slice(from, to);
    };
    feed.trace({ ...body(start, n, n - 1), start }, undefined, undefined, fetch);
    const whole = await feed.whole();
    assert.equal(whole.start, 0);
    assert.deepEqual(whole.events, events.slice(0, n));
    assert.ok(asked.every(([from, to]) => to - from <= CHUNK_EVENTS));
    assert.equal(asked.length, Math.ceil(start / CHUNK_EVENTS));
  });

  test('the session ended: the events held, and where they start', async () => {
    const { feed } = setup();
    feed.trace({ ...body(20_000, 30_000, 29_999), start: 20_000 }, undefined, undefined, async () => undefined);
    const whole = await feed.whole();
    assert.equal(whole.start, 20_000);
    assert.deepEqual(whole.events, events.slice(20_000, 30_000));
    // A run the host holds whole needs no fetch.
    const run = setup();
    run.feed.trace(body(0, 3000, -1));
    assert.deepEqual(await run.feed.whole(), { start: 0, events: events.slice(0, 3000) });
  });
});
