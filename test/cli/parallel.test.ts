// forEachFile (src/cli/parallel.ts): the main thread and the workers take files from one queue;
// the output and the results come in the order of the files, whichever thread ran them; a file
// a dead worker held is run on the main thread; the placement counts every file once.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { forEachFile, workersWorthIt, WORKERS_WORTH_MS, type FileJob, type Printed } from '../../src/cli/parallel';

const WORKER = join(import.meta.dirname, 'parallel-worker.mjs');
const OPTIONS: FileJob['options'] = { command: 'run', ladder: false, explain: false, absolute: false, limits: { maxEvents: 1000, maxSeconds: 1 } };

/** Runs `files` on the main thread and one worker; the main thread's first file waits until the worker has taken one (the second). */
async function run(files: string[]) {
  const gate = new SharedArrayBuffer(4);
  const job = { options: OPTIONS, colour: { stdout: false, stderr: false }, locale: 'en', bundle: {}, gate } as unknown as FileJob;
  const printed: string[] = [];
  let first = true;
  const saved = process.env.TCPSCENARIO_WORKERS;
  process.env.TCPSCENARIO_WORKERS = '2';
  try {
    const outcome = await forEachFile(
      files,
      job,
      WORKER,
      (file: string, out: Printed, tick: () => void) => {
        if (first) {
          first = false;
          // A long first file: its ticks start the worker, which is then certain to take files
          // (however slowly it starts on a loaded machine).
          const deadline = performance.now() + 60_000;
          while (Atomics.load(new Int32Array(gate), 0) === 0 && performance.now() < deadline) {
            tick();
            // Busy, as a run is: the workers start by the main thread's CPU time.
            for (const t = performance.now(); performance.now() - t < 1; );
          }
          assert.equal(Atomics.load(new Int32Array(gate), 0), 1, 'the worker took a file');
        }
        out.push([1, `${file} here`]);
        return { file, where: 'main' };
      },
      (stream, text) => printed.push(`${stream} ${text}`),
    );
    return { ...outcome, printed };
  } finally {
    if (saved === undefined) delete process.env.TCPSCENARIO_WORKERS;
    else process.env.TCPSCENARIO_WORKERS = saved;
  }
}

describe('forEachFile', () => {
  test('files shared between the main thread and a worker; results and output in file order', async () => {
    const files = Array.from({ length: 60 }, (_, i) => `f${i}`);
    const { results, placement, printed } = await run(files);
    assert.deepEqual(results.map((r) => r.file), files);
    assert.deepEqual(printed.map((line) => line.replace(/^\d (\S+) .*$/, '$1')), files);
    // Each line says where its file ran, and the placement counts the same.
    assert.equal(printed.filter((line) => line.endsWith(' here')).length, placement.main);
    assert.equal(placement.workers.length, 1);
    assert.ok(placement.main >= 1 && placement.workers[0] >= 1, JSON.stringify(placement));
    assert.equal(placement.main + placement.workers[0], files.length);
    for (const [i, line] of printed.entries()) assert.equal(line, results[i].where === 'main' ? `1 f${i} here` : `0 f${i} on a worker`);
  });

  test('a worker that dies: its file and those after it run on the main thread, each once', async () => {
    // The main thread holds `a` until the worker has taken `boom`.
    const files = ['a', 'boom', ...Array.from({ length: 40 }, (_, i) => `g${i}`)];
    const { results, placement, printed } = await run(files);
    assert.deepEqual(results.map((r) => r.file), files);
    assert.equal(results[1].where, 'main');
    assert.equal(printed[1], '1 boom here');
    assert.equal(printed.length, files.length);
    assert.deepEqual(placement, { main: files.length, workers: [] });
  });

  test('workers start when the files left would take the main thread long enough, not for a handful of small ones', () => {
    // 1 ms a file: ten files never; a thousand once the main thread has looked for 20 ms.
    for (let done = 1; done <= 10; done++) assert.equal(workersWorthIt(10 - done, done, done), false);
    assert.equal(workersWorthIt(1000 - 5, 5, 5), false, 'too early to tell');
    assert.equal(workersWorthIt(1000 - 20, 20, 20), true);
    // A long first file: three more like it are worth a worker once it has run long enough.
    assert.equal(workersWorthIt(3, 0, WORKERS_WORTH_MS / 3 - 1), false);
    assert.equal(workersWorthIt(3, 0, WORKERS_WORTH_MS / 3), true);
    // Nothing left to take: no worker, however long the last file runs.
    assert.equal(workersWorthIt(0, 0, 60_000), false);
  });

  test('no worker for a few instant files', async () => {
    const job: FileJob = { options: OPTIONS, colour: { stdout: false, stderr: false }, locale: 'en', bundle: {} };
    const { results, placement } = await forEachFile(['a', 'b', 'c', 'd', 'e', 'f'], job, WORKER, (file) => file, () => {});
    assert.deepEqual(results, ['a', 'b', 'c', 'd', 'e', 'f']);
    assert.deepEqual(placement, { main: 6, workers: [] });
  });

  test('fewer files than PARALLEL_FROM, or one thread: all here, no workers', async () => {
    const saved = process.env.TCPSCENARIO_WORKERS;
    process.env.TCPSCENARIO_WORKERS = '1';
    try {
      const job: FileJob = { options: OPTIONS, colour: { stdout: false, stderr: false }, locale: 'en', bundle: {} };
      const { placement } = await forEachFile(['x', 'y', 'z', 'w', 'v'], job, WORKER, () => 0, () => {});
      assert.deepEqual(placement, { main: 5, workers: [] });
    } finally {
      if (saved === undefined) delete process.env.TCPSCENARIO_WORKERS;
      else process.env.TCPSCENARIO_WORKERS = saved;
    }
    const job: FileJob = { options: OPTIONS, colour: { stdout: false, stderr: false }, locale: 'en', bundle: {} };
    assert.deepEqual((await forEachFile(['x', 'y'], job, WORKER, () => 0, () => {})).placement, { main: 2, workers: [] });
  });
});
