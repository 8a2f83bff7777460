// The run worker as VS Code uses it (dist/runWorker.js in a worker_threads Worker), and what the
// diagram panel posts of a long trace (WebviewFeed).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TraceEvent } from '../../src/engine/trace';
import { TraceStore, WebviewFeed } from '../../src/diagram/host';
import type { RunRequest, RunResult, WorkerMessage } from '../../src/vscode/runProtocol';
import { RUNAWAY } from '../fixtures/runaway';

const WORKER = join(import.meta.dirname, '..', '..', 'dist', 'runWorker.js');

function inWorker(request: RunRequest): Promise<{ result: RunResult; progress: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER);
    let progress = 0;
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') progress++;
      else {
        void worker.terminate();
        resolve({ result: message.result, progress });
      }
    });
    worker.on('error', reject);
    worker.postMessage(request);
  });
}

describe('the run worker', () => {
  test('report: a runaway is cut at the limit, the report says how to raise it, in the translation given', async () => {
    const { result } = await inWorker({
      kind: 'report',
      text: RUNAWAY,
      maxEvents: 6000,
      maxSeconds: 60,
      phrases: { 'the setting tcpscenario.run.maxEvents': 'SETTING', '... and {0} more events, not listed here': '+{0}' },
    });
    assert.equal(result.events, 6000);
    assert.equal(result.limit?.kind, 'events');
    assert.equal(result.lines?.at(-1), 'the run was stopped after 6,000 events, its limit; raise it with SETTING');
    assert.ok(result.lines?.includes('+1000'), 'at most 5,000 event lines, then a count');
  });

  test('expects: only the expect events cross the thread', async () => {
    const { result } = await inWorker({ kind: 'expects', text: RUNAWAY, maxEvents: 1_000_000, maxSeconds: 0.5 });
    assert.equal(result.limit?.kind, 'seconds');
    assert.ok(result.events > 0);
    assert.deepEqual(result.expects, []);
  });

  test('diagram: at most 20,000 events and a note', async () => {
    const { result } = await inWorker({ kind: 'diagram', text: RUNAWAY, maxEvents: 25_000, maxSeconds: 60 });
    assert.equal(result.body?.events.length, 20_000);
    assert.equal(result.note, 'the diagram shows the first 20,000 of 25,000 events; the rest is not drawn; the run was stopped after 25,000 events, its limit; raise it with the setting tcpscenario.run.maxEvents');
  });

  test('a file with errors: diagnostics, no run', async () => {
    const { result } = await inWorker({ kind: 'report', text: 'endpoint a\n@0 a lisen\n', maxEvents: 10, maxSeconds: 1 });
    assert.equal(result.events, 0);
    assert.deepEqual(result.diagnostics.map((d) => d.code), ['unknown-action']);
  });
});

describe('what the panel posts of a long trace', () => {
  const event = (i: number): TraceEvent => ({ t: i, kind: 'note', message: `e${i}` });
  const body = (from: number, events: TraceEvent[], current = -1) => ({ from, events, current, endpoints: [], profile: 'rfc' });

  test('the first `max` events, then one note; appending past the cap sends only the note again', () => {
    const store = new TraceStore();
    const feed = new WebviewFeed(5);
    store.apply(body(0, [0, 1, 2].map(event)));
    assert.deepEqual(feed.next(store, 0).events.map((e) => e.kind === 'note' && e.message), ['e0', 'e1', 'e2']);
    store.apply(body(3, [3, 4, 5, 6].map(event), 6));
    const second = feed.next(store, 3);
    assert.equal(second.from, 3);
    assert.deepEqual(second.events.map((e) => e.kind === 'note' && e.message), ['e3', 'e4', 'the diagram shows the first 5 of 7 events; the rest is not drawn']);
    assert.equal(second.current, 5, 'a current event past the cap points at the note');
    store.apply(body(7, [7].map(event)));
    const third = feed.next(store, 7);
    assert.equal(third.from, 5, 'the old note is truncated away...');
    assert.equal(third.events.length, 1, '...and replaced');
    // Back below the cap (a step back): the real events again, no note.
    store.apply(body(2, []));
    const back = feed.next(store, 2);
    assert.equal(back.from, 2);
    assert.deepEqual(back.events, []);
  });

  test('a note of the caller (a limit) follows the events', () => {
    const store = new TraceStore();
    const feed = new WebviewFeed(5);
    store.apply(body(0, [0, 1].map(event)));
    const posted = feed.next(store, 0, 'cut');
    assert.deepEqual(posted.events.at(-1), { t: 1, kind: 'note', message: 'cut' });
  });
});
