// `tcpscenario run` and `check` of many files: one worker thread per core, each taking the next
// file when it is done with one (a long run does not hold up the rest), what each file prints
// kept and printed in the order of the files, as one thread would. The workers run this same
// bundle (dist/cli.js; main.ts starts `fileWorker` in them).
import { availableParallelism } from 'node:os';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { Locale } from '../text/translate';

/** What a file printed, in order: [0, line] on stdout, [1, line] on stderr. */
export type Printed = [stream: 0 | 1, text: string][];

/** Several files go to worker threads from this many on (fewer are quicker on this one). */
export const PARALLEL_FROM = 4;

/** What a worker needs to handle files as the command line says. */
export interface FileJob {
  args: string[];
  colour: { stdout: boolean; stderr: boolean };
  /** The language of the messages (the main thread's). */
  locale: Locale;
}

interface Request {
  index: number;
  file: string;
}

interface Reply<R> {
  index: number;
  printed: Printed;
  result: R;
}

/** Where the files ran: how many on each worker thread (empty: all on the main thread); main.ts says it as "2 worker threads: 451 + 449 files". */
export type Placement = number[];

/**
 * `each(file, print)` for every file: on worker threads (one per core, at most one per file) when
 * there are PARALLEL_FROM files or more and more than one core, else here. Output reaches `print`
 * in file order; the results come back in file order.
 */
export async function forEachFile<R>(
  files: readonly string[],
  job: FileJob,
  script: string,
  each: (file: string, printed: Printed) => R,
  print: (stream: 0 | 1, text: string) => void,
): Promise<{ results: R[]; placement: Placement }> {
  // TCPSCENARIO_WORKERS=N: at most N threads (1: all here), e.g. to compare.
  const wanted = Number(process.env.TCPSCENARIO_WORKERS);
  const threads = Math.min(Number.isInteger(wanted) && wanted > 0 ? wanted : availableParallelism(), files.length);
  if (threads < 2 || files.length < PARALLEL_FROM) {
    const results = files.map((file) => {
      const printed: Printed = [];
      const result = each(file, printed);
      for (const [stream, text] of printed) print(stream, text);
      return result;
    });
    return { results, placement: [] };
  }
  const results = new Array<R>(files.length);
  const done = new Array<Printed | undefined>(files.length);
  const placement = new Array<number>(threads).fill(0);
  let next = 0;
  let printedUpTo = 0;
  const flush = () => {
    while (printedUpTo < files.length && done[printedUpTo]) {
      for (const [stream, text] of done[printedUpTo]!) print(stream, text);
      done[printedUpTo] = [];
      printedUpTo++;
    }
  };
  /** A file this thread handles itself (its worker failed). */
  const here = (index: number) => {
    const printed: Printed = [];
    results[index] = each(files[index], printed);
    done[index] = printed;
  };
  await Promise.all(
    Array.from({ length: threads }, (_, thread) =>
      new Promise<void>((resolve) => {
        const worker = new Worker(script, { workerData: { tcpscenarioFiles: job } });
        let current: number | undefined;
        const take = () => {
          if (next >= files.length) {
            current = undefined;
            void worker.terminate().then(() => resolve());
            return;
          }
          current = next++;
          worker.postMessage({ index: current, file: files[current] } satisfies Request);
        };
        worker.on('message', (reply: Reply<R>) => {
          results[reply.index] = reply.result;
          done[reply.index] = reply.printed;
          placement[thread]++;
          flush();
          take();
        });
        worker.on('error', () => {
          // The thread died: its file is done here, the others go on without it.
          if (current !== undefined) here(current);
          flush();
          resolve();
        });
        take();
      }),
    ),
  );
  // Files no worker was left to take (all of them failed): here.
  for (let index = next; index < files.length; index++) here(index);
  next = files.length;
  flush();
  return { results, placement };
}

/** In a worker: handles each file the main thread sends, as `each` says, and sends back what it printed. */
export function fileWorker<R>(each: (job: FileJob, file: string, printed: Printed) => R): void {
  const job = (workerData as { tcpscenarioFiles: FileJob }).tcpscenarioFiles;
  parentPort?.on('message', ({ index, file }: Request) => {
    const printed: Printed = [];
    const result = each(job, file, printed);
    parentPort?.postMessage({ index, printed, result } satisfies Reply<R>);
  });
}

/** Whether this thread is a file worker (started by forEachFile). */
export function isFileWorker(): boolean {
  return parentPort !== null && typeof (workerData as { tcpscenarioFiles?: unknown } | undefined)?.tcpscenarioFiles === 'object';
}
