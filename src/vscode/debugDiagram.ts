// The diagram follows the debugger: a tcpscenario session opens the diagram panel beside the
// editor (unless `tcpscenario.diagram.openOnDebug` is off) and every `tcpTrace` event the adapter
// sends at a stop goes to the panel. Clicking an arrow reveals its line: the panel does that.
import * as vscode from 'vscode';
import type { TraceEvent } from '../engine/trace';
import { isTraceBody, type TraceBody } from '../diagram/messages';
import { DiagramPanel } from './diagramPanel';

export const DEBUG_TYPE = 'tcpscenario';
/** The adapter's custom event at every stop (body: TraceBody). */
const TRACE_EVENT = 'tcpTrace';

/** A launch configuration's `program` (a file path, or a URI string for other file systems) as a URI. */
export function programUri(program: string): vscode.Uri {
  return /^[a-z][\w+.-]+:\/\//i.test(program) ? vscode.Uri.parse(program) : vscode.Uri.file(program);
}

function programUriOf(session: vscode.DebugSession): vscode.Uri | undefined {
  const program: unknown = session.configuration.program;
  return typeof program === 'string' && program !== '' ? programUri(program) : undefined;
}

export function followDebugSessions(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.debug.onDidStartDebugSession((session) => {
      if (session.type !== DEBUG_TYPE) return;
      const document = programUriOf(session);
      if (!document) return;
      if (!vscode.workspace.getConfiguration('tcpscenario', document).get<boolean>('diagram.openOnDebug', true)) return;
      DiagramPanel.showForDebugSession(context, document);
    }),
    vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
      if (event.session.type !== DEBUG_TYPE || event.event !== TRACE_EVENT) return;
      const document = programUriOf(event.session);
      if (document) DiagramPanel.postTrace(document, event.body as TraceBody, (from, to) => fetchEvents(event.session, from, to));
    }),
  );
}

/**
 * The trace's events [from, to) from the session's adapter (custom request `tcpTrace`): a stop
 * deep in a long run sends only the events before the current one, the panel asks for earlier
 * ones as its page draws them. Undefined when the session has ended or answers something else.
 */
async function fetchEvents(session: vscode.DebugSession, from: number, to: number): Promise<TraceEvent[] | undefined> {
  try {
    const body: unknown = await session.customRequest(TRACE_EVENT, { from, to });
    return isTraceBody(body) && body.from === from ? body.events : undefined;
  } catch {
    return undefined;
  }
}
