// The diagram panel's host side of a debug session (pure, so the bench and the tests run it
// without VS Code): each `tcpTrace` body from the adapter is checked, kept in the host's copy
// of the trace and posted to the webview, a long list of events as one JSON text.

import { compactTraceMessage, isTraceBody, type HostMessage } from './messages';
import { TraceStore } from './traceStore';

export class DiagramFeed {
  readonly store = new TraceStore();

  constructor(private readonly post: (message: HostMessage) => void) {}

  /** A `tcpTrace` body: checked, kept, forwarded. False when it is not a valid body. */
  trace(body: unknown, documentUri?: string): boolean {
    if (!isTraceBody(body)) return false;
    this.store.apply(body);
    this.post(compactTraceMessage({ type: 'trace', ...body, documentUri }));
    return true;
  }
}
