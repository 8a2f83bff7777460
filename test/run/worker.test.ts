// The run worker as VS Code uses it (dist/runWorker.js in a worker_threads Worker), and what the
// diagram panel posts of a long run (DiagramFeed).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TraceEvent } from '../../src/engine/trace';
import { DIAGRAM_MAX_EVENTS, formatCount } from '../../src/diagram/degrade';
import { DiagramFeed } from '../../src/diagram/feed';
import { traceMessageEvents, type HostMessage } from '../../src/diagram/messages';
import { TraceStore } from '../../src/diagram/traceStore';
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

  test('diagram: at most DIAGRAM_MAX_EVENTS events and a note', async () => {
    const total = DIAGRAM_MAX_EVENTS + 5000;
    const { result } = await inWorker({ kind: 'diagram', text: RUNAWAY, maxEvents: total, maxSeconds: 60 });
    assert.equal(result.body?.events.length, DIAGRAM_MAX_EVENTS);
    assert.equal(
      result.note,
      `the diagram shows the first ${formatCount(DIAGRAM_MAX_EVENTS)} of ${formatCount(total)} events; the rest is not drawn; the run was stopped after ${formatCount(total)} events, its limit; raise it with the setting tcpscenario.run.maxEvents`,
    );
  });

  test('a file with errors: diagnostics, no run', async () => {
    const { result } = await inWorker({ kind: 'report', text: 'endpoint a\n@0 a lisen\n', maxEvents: 10, maxSeconds: 1 });
    assert.equal(result.events, 0);
    assert.deepEqual(result.diagnostics.map((d) => d.code), ['unknown-action']);
  });
});

describe('what the panel posts of a long run', () => {
  const event = (i: number): TraceEvent => ({ t: i, kind: 'note', message: `e${i}` });
  const body = (from: number, events: TraceEvent[], current = -1) => ({ from, events, current, endpoints: [], profile: 'rfc' });
  /** A feed whose messages go into a copy kept as the webview keeps it. */
  function feed(max: number) {
    const web = new TraceStore();
    const posted: HostMessage[] = [];
    const f = new DiagramFeed(
      (m) => {
        posted.push(m);
        if (m.type === 'trace') web.apply(m, traceMessageEvents(m)!);
      },
      { max },
    );
    const texts = () => web.all.map((e) => (e.kind === 'note' ? e.message : e.kind));
    return { f, web, posted, texts };
  }

  test('a run past the cap: its first `max` events, then one note; a new run replaces it', () => {
    const { f, texts } = feed(5);
    f.trace(body(0, [0, 1, 2].map(event)));
    assert.deepEqual(texts(), ['e0', 'e1', 'e2']);
    f.trace(body(0, [0, 1, 2, 3, 4, 5, 6].map(event)));
    assert.deepEqual(texts(), ['e0', 'e1', 'e2', 'e3', 'e4', 'the diagram shows the first 5 of 7 events; the rest is not drawn']);
    f.trace(body(0, [0, 1].map(event)));
    assert.deepEqual(texts(), ['e0', 'e1'], 'the note goes with the run it was about');
  });

  test('a note of the caller (a limit) follows the events', () => {
    const { f, web } = feed(5);
    f.trace(body(0, [0, 1].map(event)), undefined, 'cut');
    assert.deepEqual(web.all.at(-1), { t: 1, kind: 'note', message: 'cut' });
  });

  test('a debug session past the cap: the last `max` events, no note (the page says where the drawing starts)', () => {
    const { f, web, posted } = feed(5);
    f.trace(body(0, [0, 1, 2, 3, 4, 5, 6].map(event), 6));
    for (let last = posted.at(-1); last && (last.type === 'trace' || last.type === 'earlier') && last.more; last = posted.at(-1)) f.more();
    assert.equal(web.offset, 2);
    assert.deepEqual(web.all.map((e) => e.kind === 'note' && e.message), ['e2', 'e3', 'e4', 'e5', 'e6']);
  });
});
