// Runs a scenario for Run, the Testing view and the diagram in a worker thread (dist/runWorker.js),
// never on the extension host's thread: with the limits of the settings tcpscenario.run.maxEvents
// and tcpscenario.run.maxSeconds, progress in the window once a run takes a while, and
// cancellation (the worker is ended). A watchdog ends a worker that overruns its wall-time limit,
// and the worker's heap is capped, so even a run that misbehaves cannot take the window down.
import * as vscode from 'vscode';
import { Worker } from 'node:worker_threads';
import type { ProfileName } from '../engine/program';
import { DIAGRAM_TRUNCATED } from '../diagram/degrade';
import { VSCODE_RUN_MESSAGES } from '../run/messages';
import type { JobKind, RunRequest, RunResult, WorkerMessage } from './runProtocol';
import { DEFAULT_MAX_EVENTS, DEFAULT_MAX_SECONDS, limitValue } from '../run/run';
import { numberingSetting } from './numbering';
import { REPORT_PHRASES } from './report';

/** Heap of a run worker (MB): a million-event trace takes about 250 MB. */
const WORKER_HEAP_MB = 1536;
/** Progress shows only for runs longer than this (ms). */
const PROGRESS_AFTER_MS = 400;

export interface RunLimits {
  maxEvents: number;
  maxSeconds: number;
}

/** The limits in force for a file: the settings (user settings only in an untrusted workspace). */
export function runLimits(scope?: vscode.Uri): RunLimits {
  const config = vscode.workspace.getConfiguration('tcpscenario.run', scope);
  return {
    maxEvents: Math.floor(limitValue(config.get<number>('maxEvents'), DEFAULT_MAX_EVENTS)),
    maxSeconds: limitValue(config.get<number>('maxSeconds'), DEFAULT_MAX_SECONDS),
  };
}

/** The translated templates a worker formats its messages with. */
function phrases(): Record<string, string> {
  const keys = [...VSCODE_RUN_MESSAGES, DIAGRAM_TRUNCATED, ...Object.values(REPORT_PHRASES)];
  // Placeholders passed as themselves, so the translation keeps them for the worker to fill.
  return Object.fromEntries(keys.map((key) => [key, vscode.l10n.t(key, '{0}', '{1}', '{2}')]));
}

export interface RunOptions {
  kind: JobKind;
  text: string;
  scope?: vscode.Uri;
  defaultProfile?: ProfileName;
  /** Overrides the file's profile line. */
  profile?: ProfileName;
  /** Cancels the run (the worker is ended). */
  token?: vscode.CancellationToken;
  /** Where progress shows once the run takes a while; none for no progress. */
  progress?: { location: vscode.ProgressLocation; title: string };
}

export type RunOutcome = { kind: 'done'; result: RunResult } | { kind: 'cancelled' } | { kind: 'failed'; message: string };

let workerScript: string | undefined;

/** Registers where the worker's script is (dist/runWorker.js of the extension). */
export function setWorkerScript(extensionUri: vscode.Uri): void {
  workerScript = vscode.Uri.joinPath(extensionUri, 'dist', 'runWorker.js').fsPath;
}

export function runInWorker(options: RunOptions): Promise<RunOutcome> {
  if (!workerScript) return Promise.resolve({ kind: 'failed', message: 'the run worker is not set up' });
  const limits = runLimits(options.scope);
  const request: RunRequest = {
    kind: options.kind,
    text: options.text,
    defaultProfile: options.defaultProfile,
    profile: options.profile,
    numbering: numberingSetting(options.scope),
    ...limits,
    phrases: phrases(),
  };
  const worker = new Worker(workerScript, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
  const started = Date.now();
  let latest: { events: number; time: number } | undefined;
  const progressListeners: (() => void)[] = [];
  let finish: (value: RunOutcome) => void = () => undefined;

  const outcome = new Promise<RunOutcome>((resolve) => {
    let settled = false;
    finish = (value: RunOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(watchdog);
      cancel?.dispose();
      void worker.terminate();
      resolve(value);
    };
    // The worker stops itself at maxSeconds; this catches one that cannot (a single endless step).
    const watchdog = setTimeout(
      () => finish({ kind: 'failed', message: vscode.l10n.t('The run did not stop at its time limit of {0} s and was ended.', String(limits.maxSeconds)) }),
      limits.maxSeconds * 1000 + 5000,
    );
    const cancel = options.token?.onCancellationRequested(() => finish({ kind: 'cancelled' }));
    if (options.token?.isCancellationRequested) finish({ kind: 'cancelled' });
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') {
        latest = { events: message.events, time: message.time };
        for (const listener of progressListeners) listener();
      } else finish({ kind: 'done', result: message.result });
    });
    worker.on('error', (error: Error & { code?: string }) =>
      finish({
        kind: 'failed',
        message:
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? vscode.l10n.t('The run ran out of memory ({0} MB); lower the setting tcpscenario.run.maxEvents.', String(WORKER_HEAP_MB))
            : vscode.l10n.t('The run failed: {0}', error.message),
      }),
    );
    worker.on('exit', () => finish({ kind: 'failed', message: vscode.l10n.t('The run stopped without a result.') }));
    worker.postMessage(request);
  });

  if (options.progress) {
    const { location, title } = options.progress;
    const timer = setTimeout(() => {
      void vscode.window.withProgress({ location, title, cancellable: location === vscode.ProgressLocation.Notification }, (progress, token) => {
        token.onCancellationRequested(() => finish({ kind: 'cancelled' }));
        const report = () => {
          if (latest) progress.report({ message: vscode.l10n.t('{0} events, {1} ms of virtual time, {2} s', String(latest.events), String(latest.time), String(Math.round((Date.now() - started) / 1000))) });
        };
        progressListeners.push(report);
        report();
        return outcome;
      });
    }, PROGRESS_AFTER_MS);
    void outcome.then(() => clearTimeout(timer));
  }
  return outcome;
}
