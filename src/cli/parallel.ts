// `tcpscenario run` and `check` of many files: one thread per core, the main one included. The
// threads take files from one queue (a shared counter: a thread takes the next file when it is
// done with one, so a long run does not hold up the rest, and no file waits for a message). The
// main thread runs files from the start and starts the workers only when the files left look
// worth it (workersWorthIt), so a handful of small files never pays for a worker, and the
// workers' start-up is hidden behind the main thread's work. What each file prints is kept and
// printed in the order of the files, as one thread would. The workers run a bundle of their own,
// dist/cliWorker.js (fileWorker.ts): what a run needs, without the rest of the CLI.
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { Bundle, Locale } from '../text/translate';
import type { FileOptions } from './files';

/** What a file printed, in order: [0, line] on stdout, [1, line] on stderr. */
export type Printed = [stream: 0 | 1, text: string][];

/** Several files go to worker threads from this many on (fewer are quicker on this one). */
export const PARALLEL_FROM = 4;

/** A worker sends what it has done at least this often (ms), so the output keeps flowing. */
const REPLY_EVERY_MS = 20;
/** The main thread looks at the workers' replies at least this often (ms) while it runs files. */
const LOOK_EVERY_MS = 10;
/**
 * Workers start when the files left would take the main thread at least this much CPU time
 * (ms): a worker's start-up and its first, slower files (code not yet optimised in its own V8
 * isolate) cost about 0.3 s of CPU for the examples. CPU time, not wall time: on a loaded machine
 * the wall clock would make a few small files look like work.
 */
export const WORKERS_WORTH_MS = 150;
/** ...and not before the main thread has run this long (ms of CPU): its first files are slow too. */
const FIRST_LOOK_MS = 20;

/**
 * V8's interrupt budget for runs of many files (its default is 67,584): how much a function runs
 * before V8 considers optimising it. Profiled (900 example files, one thread): V8's background
 * threads spent ~600 ms of CPU in TurboFan, almost as much as the main thread's 700 ms of
 * JavaScript, optimising functions each short run calls a little; and every worker's isolate does
 * it all again (a worker cost ~450 ms of CPU: ~150 ms on its own thread, starting and running
 * code not yet optimised, ~300 ms in TurboFan). At 300,000 only the really hot code is optimised:
 * the run on two threads took ~1,050 ms of CPU instead of ~1,700 (loaded machine, 2026-12-02).
 */
const MANY_FILES_INTERRUPT_BUDGET = 300_000;

/**
 * Before the first file of a run on several threads: a process-wide V8 flag, read when a
 * function's budget is set, so it holds for the code that runs files (not yet run) and for the
 * workers started after. Not on one thread (TCPSCENARIO_WORKERS=1, or one core): there V8's
 * background threads have the other cores to themselves, and the main thread, which then sets the
 * wall time, gets its code optimised sooner with the default.
 */
function tierUpLater(): void {
  setFlagsFromString(`--interrupt-budget=${MANY_FILES_INTERRUPT_BUDGET}`);
}

/** Whether to start workers: `left` files not yet taken, `done` finished in `cpuMs` (the one running counts as at least that long). */
export function workersWorthIt(left: number, done: number, cpuMs: number): boolean {
  return left > 0 && cpuMs >= FIRST_LOOK_MS && (left * cpuMs) / Math.max(done, 1) >= WORKERS_WORTH_MS;
}

/** CPU time of this process in ms (only the main thread runs files until workers start). */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** What a worker needs to handle files as the command line says. */
export interface FileJob {
  options: FileOptions;
  colour: { stdout: boolean; stderr: boolean };
  /** The language of the messages (the main thread's), and its translations (the worker's bundle has none). */
  locale: Locale;
  bundle: Bundle;
}

interface WorkerData {
  job: FileJob;
  files: readonly string[];
  /** [0]: the next file to take (Atomics.add); [1 + n]: STARTED once worker n has begun to take files. */
  shared: SharedArrayBuffer;
  slot: number;
}

/** A worker's mark in the shared array: it has begun to take files. */
const STARTED = 1;

interface Reply<R> {
  done: [index: number, printed: Printed, result: R][];
  /** The worker's last reply: the queue is empty. */
  last: boolean;
}

/** Where the files ran: how many on the main thread and on each worker thread (workers empty: all on the main thread). */
export interface Placement {
  main: number;
  workers: number[];
}

/** Threads to use: TCPSCENARIO_WORKERS=N (N threads in all, the main one included; 1: all here), else one per core. */
function threadCount(files: number): number {
  const wanted = Number(process.env.TCPSCENARIO_WORKERS);
  return Math.min(Number.isInteger(wanted) && wanted > 0 ? wanted : availableParallelism(), files);
}

const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * `each(file, printed, tick)` for every file: on this thread, and on worker threads too (one
 * thread per core in all) when there are PARALLEL_FROM files or more, more than one core, and
 * enough work left. `each` calls `tick` now and then during a long file, so that workers can start
 * while it runs. Output reaches `print` in file order; the results come back in file order.
 */
export async function forEachFile<R>(
  files: readonly string[],
  job: FileJob,
  script: string,
  each: (file: string, printed: Printed, tick: () => void) => R,
  print: (stream: 0 | 1, text: string) => void,
): Promise<{ results: R[]; placement: Placement }> {
  const threads = threadCount(files.length);
  const results = new Array<R>(files.length);
  const done = new Array<Printed | undefined>(files.length);
  const placement: Placement = { main: 0, workers: [] };
  let printedUpTo = 0;
  const flush = () => {
    while (printedUpTo < files.length && done[printedUpTo]) {
      for (const [stream, text] of done[printedUpTo]!) print(stream, text);
      done[printedUpTo] = [];
      printedUpTo++;
    }
  };
  const parallel = threads >= 2 && files.length >= PARALLEL_FROM;
  if (parallel) tierUpLater();
  const shared = new Int32Array(new SharedArrayBuffer(4 * Math.max(threads, 1)));
  const workers: { worker: Worker; finished: Promise<void> }[] = [];
  const cpuBegun = cpuMs();
  /** Starts the workers once the files left look worth it (called between files and during a long one). */
  const tick = () => {
    if (!parallel || workers.length > 0) return;
    const left = files.length - Math.min(Atomics.load(shared, 0), files.length);
    // Nothing left to hand over: no clock read (tick runs every few dozen events of a long file).
    if (left === 0 || !workersWorthIt(left, placement.main, cpuMs() - cpuBegun)) return;
    placement.workers = new Array<number>(threads - 1).fill(0);
    for (let slot = 0; slot < threads - 1; slot++) {
      workers.push(
        startWorker<R>(script, { job, files, shared: shared.buffer as SharedArrayBuffer, slot }, (reply) => {
          for (const [index, printed, result] of reply.done) {
            results[index] = result;
            done[index] = printed;
            placement.workers[slot]++;
          }
          flush();
        }),
      );
    }
  };
  const here = (index: number) => {
    const printed: Printed = [];
    results[index] = each(files[index], printed, tick);
    done[index] = printed;
    placement.main++;
  };
  // The main thread takes files like a worker, looking at the workers' replies now and then.
  let looked = performance.now();
  for (let index = Atomics.add(shared, 0, 1); index < files.length; index = Atomics.add(shared, 0, 1)) {
    here(index);
    flush();
    tick();
    if (workers.length > 0 && performance.now() - looked >= LOOK_EVERY_MS) {
      await yieldToEvents();
      looked = performance.now();
    }
  }
  // The queue is empty: a worker that has not begun never will; wait for the others' last replies.
  await Promise.all(
    workers.map(({ worker, finished }, slot) => {
      if (Atomics.load(shared, 1 + slot) === 0) {
        worker.unref();
        void worker.terminate();
        return undefined;
      }
      return finished.then(() => worker.terminate());
    }),
  );
  // Files a worker took but did not finish (it died): here.
  for (let index = 0; index < files.length; index++) if (done[index] === undefined) here(index);
  flush();
  // Where the files ran: a worker that ran none (it was not ready in time) is not counted.
  return { results, placement: { main: placement.main, workers: placement.workers.filter((count) => count > 0) } };
}

function startWorker<R>(script: string, data: WorkerData, onReply: (reply: Reply<R>) => void): { worker: Worker; finished: Promise<void> } {
  const worker = new Worker(script, { workerData: { tcpscenarioFiles: data } });
  const finished = new Promise<void>((resolve) => {
    worker.on('message', (reply: Reply<R>) => {
      onReply(reply);
      if (reply.last) resolve();
    });
    // A worker that died (an error, or terminated): what it finished came before; the rest is done here.
    worker.on('error', () => resolve());
    worker.on('exit', () => resolve());
  });
  return { worker, finished };
}

/**
 * In a worker: takes files from the shared queue until it is empty, handling each as `start(job)`
 * says, and sends back what each printed (a reply every REPLY_EVERY_MS, and a last one).
 */
export function fileWorker<R>(start: (job: FileJob) => (file: string, printed: Printed) => R): void {
  const { job, files, shared: buffer, slot } = (workerData as { tcpscenarioFiles: WorkerData }).tcpscenarioFiles;
  const shared = new Int32Array(buffer);
  const each = start(job);
  // Marked before the first file is taken: the main thread then waits for this worker's replies.
  Atomics.store(shared, 1 + slot, STARTED);
  let reply: Reply<R>['done'] = [];
  let sent = performance.now();
  for (let index = Atomics.add(shared, 0, 1); index < files.length; index = Atomics.add(shared, 0, 1)) {
    const printed: Printed = [];
    reply.push([index, printed, each(files[index], printed)]);
    if (performance.now() - sent >= REPLY_EVERY_MS) {
      parentPort?.postMessage({ done: reply, last: false } satisfies Reply<R>);
      reply = [];
      sent = performance.now();
    }
  }
  parentPort?.postMessage({ done: reply, last: true } satisfies Reply<R>);
}
