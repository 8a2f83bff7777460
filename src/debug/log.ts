// Where the debug adapter writes what must not reach the client: stack traces and internal paths.
// Standalone: a file (TCPSCENARIO_DAP_LOG, else tcpscenario-debug-adapter.log in the temporary
// folder), kept under 1 MB. In VS Code: the "TCP Scenario Debugger" output channel.

import { appendFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface AdapterLog {
  error(message: string): void;
}

export const silentLog: AdapterLog = { error: () => undefined };

const MAX_LOG_BYTES = 1024 * 1024;

export function defaultLogPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.TCPSCENARIO_DAP_LOG || join(tmpdir(), 'tcpscenario-debug-adapter.log');
}

/** Appends timestamped lines to `path`; starts the file over past 1 MB. Never throws. */
export function fileLog(path: string): AdapterLog {
  return {
    error(message: string) {
      try {
        let size = 0;
        try {
          size = statSync(path).size;
        } catch {
          // no file yet
        }
        const line = `${new Date().toISOString()} [pid ${process.pid}] ${message}\n`;
        if (size > MAX_LOG_BYTES) writeFileSync(path, line);
        else appendFileSync(path, line);
      } catch {
        // Nowhere to log: the client has had its error response; nothing more to do.
      }
    },
  };
}

/** The details of an error for the log: its stack when it has one. */
export function errorDetails(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}
