// `tcpscenario run` and `check` of many files: one thread per core, the main one included. The
// threads take files from one queue (a shared counter: a thread takes the next file when it is
// done with one, so a long run does not hold up the rest, and no file waits for a message). The
// main thread runs files from the start, so the workers' start-up is hidden behind its work and
// a run that ends before a worker is ready never waits for it. What each file prints is kept and
// printed in the order of the files, as one thread would. The workers run this same bundle
// (dist/cli.js; main.ts starts `fileWorker` in them).
import { availableParallelism } from 'node:os';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { Locale } from '../text/translate';

/** What a file printed, in order: [0, line] on stdout, [1, line] on stderr. */
export type Printed = [stream: 0 | 1, text: string][];

/** Several files go to worker threads from this many on (fewer are quicker on this one). */
export const PARALLEL_FROM = 4;

/** A worker sends what it has done at least this often (ms), so the output keeps flowing. */
const REPLY_EVERY_MS = 20;
/** The main thread looks at the workers' replies at least this often (ms) while it runs files. */
const LOOK_EVERY_MS = 10;

/** What a worker needs to handle files as the command line says. */
export interface FileJob {
  args: string[];
  colour: { stdout: boolean; stderr: boolean };
  /** The language of the messages (the main thread's). */
  locale: Locale;
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
 * `each(file, print)` for every file: on this thread and worker threads (one thread per core in
 * all) when there are PARALLEL_FROM files or more and more than one core, else here. Output
 * reaches `print` in file order; the results come back in file order.
 */
export async function forEachFile<R>(
  files: readonly string[],
  job: FileJob,
  script: string,
  each: (file: string, printed: Printed) => R,
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
  const here = (index: number) => {
    const printed: Printed = [];
    results[index] = each(files[index], printed);
    done[index] = printed;
    placement.main++;
  };
  if (threads < 2 || files.length < PARALLEL_FROM) {
    for (let index = 0; index < files.length; index++) {
      here(index);
      flush();
    }
    return { results, placement };
  }
  const shared = new Int32Array(new SharedArrayBuffer(4 * threads));
  placement.workers = new Array<number>(threads - 1).fill(0);
  const workers = placement.workers.map((_, slot) => startWorker<R>(script, { job, files, shared: shared.buffer as SharedArrayBuffer, slot }, (reply) => {
    for (const [index, printed, result] of reply.done) {
      results[index] = result;
      done[index] = printed;
      placement.workers[slot]++;
    }
    flush();
  }));
  // The main thread takes files like a worker, looking at the workers' replies now and then.
  let looked = performance.now();
  for (let index = Atomics.add(shared, 0, 1); index < files.length; index = Atomics.add(shared, 0, 1)) {
    here(index);
    flush();
    if (performance.now() - looked >= LOOK_EVERY_MS) {
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

/** Whether this thread is a file worker (started by forEachFile). */
export function isFileWorker(): boolean {
  return parentPort !== null && typeof (workerData as { tcpscenarioFiles?: unknown } | undefined)?.tcpscenarioFiles === 'object';
}
