// Standalone debug adapter: `node dist/debugAdapter.js` speaks DAP over stdin/stdout
// (tests, nvim-dap, Emacs dape). VS Code runs the same session inline instead.
import { readFile } from 'node:fs/promises';
import { TcpScenarioDebugSession } from './session';

const session = new TcpScenarioDebugSession((path) => readFile(path, 'utf8'));
process.on('SIGTERM', () => session.shutdown());
session.start(process.stdin, process.stdout);
