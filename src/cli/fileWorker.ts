// A file worker of `tcpscenario run` and `check` (src/cli/parallel.ts), bundled on its own as
// dist/cliWorker.js: files.ts and what a run needs, not the rest of the CLI (render, import,
// captures) nor the translations, which come from the main thread for its one language. A
// smaller bundle is less to compile when the worker starts.

import { readScenarioFile } from '../run/read';
import { translator } from '../text/translate';
import { checkFile, keepingIo, runFile } from './files';
import { fileWorker } from './parallel';

fileWorker((job) => {
  const tr = translator(job.locale, job.bundle);
  const handle = job.options.command === 'run' ? runFile : checkFile;
  return (file, printed) => handle(file, job.options, keepingIo({ readFile: readScenarioFile, colour: job.colour, tr }, printed));
});
