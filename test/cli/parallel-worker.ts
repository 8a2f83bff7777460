// A file worker for test/cli/parallel.test.ts: "handles" a file by naming it, marks the shared
// gate so the main thread knows a worker has taken one, and dies on a file named "boom".
import { fileWorker } from '../../src/cli/parallel';

fileWorker((job) => {
  const gate = new Int32Array((job as unknown as { gate: SharedArrayBuffer }).gate);
  return (file, printed) => {
    Atomics.store(gate, 0, 1);
    Atomics.notify(gate, 0);
    if (file === 'boom') throw new Error('the worker dies');
    printed.push([0, `${file} on a worker`]);
    return { file, where: 'worker' };
  };
});
