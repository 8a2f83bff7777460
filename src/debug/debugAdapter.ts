// Standalone debug adapter: `node dist/debugAdapter.js` speaks DAP over stdin/stdout
// (tests, nvim-dap, Emacs dape). VS Code runs the same session inline instead.
// Whatever goes wrong, the client gets a sentence and the details go to the log file
// (TCPSCENARIO_DAP_LOG, else tcpscenario-debug-adapter.log in the temporary folder).
import { OutputEvent, TerminatedEvent } from '@vscode/debugadapter';
import { format, RUN_MESSAGES } from '../run/messages';
import { readScenarioFileAsync } from '../run/read';
import { translatorFor } from '../text/bundles';
import { defaultLogPath, errorDetails, fileLog } from './log';
import { TcpScenarioDebugSession } from './session';

const log = fileLog(defaultLogPath());
const session = new TcpScenarioDebugSession(readScenarioFileAsync, log, translatorFor);

// A bug that escaped every handler: logged, said to the client, and a clean end.
function fatal(kind: string, error: unknown): void {
  log.error(`${kind}: ${errorDetails(error)}`);
  try {
    session.sendEvent(new OutputEvent(`${format(RUN_MESSAGES.internalError, [kind])}\n`, 'stderr'));
    session.sendEvent(new TerminatedEvent());
  } catch {
    // the client is gone
  }
  setTimeout(() => process.exit(1), 100);
}
process.on('uncaughtException', (error) => fatal('uncaught exception', error));
process.on('unhandledRejection', (error) => fatal('unhandled rejection', error));
process.on('SIGTERM', () => session.shutdown());
session.start(process.stdin, process.stdout);
