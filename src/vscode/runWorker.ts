// The run worker (bundled as dist/runWorker.js; it must not import `vscode`): VS Code's Run,
// Testing view and diagram run scenarios here, off the extension host's thread. One request per
// worker; the host ends the worker to cancel a run.
import { parentPort } from 'node:worker_threads';
import { runJob } from './runJob';
import type { RunRequest, WorkerMessage } from './runProtocol';

parentPort?.once('message', (request: RunRequest) => {
  const post = (message: WorkerMessage) => parentPort!.postMessage(message);
  const result = runJob(request, (events, time) => post({ type: 'progress', events, time }));
  post({ type: 'result', result });
});
