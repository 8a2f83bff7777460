// The diagram's channel: the body of the custom `tcpTrace` event sent at every stop (and of the
// custom request of that name), and what the receiver already holds, so a stop sends only the rest.
// No DAP here: the session sends what this builds (src/debug/session.ts).

import type { TraceEvent } from '../engine/trace';
import type { ScenarioRuntime } from './runtime';

/** Body of the custom `tcpTrace` event sent at every stop (the diagram's feed). */
export interface TcpTraceEventBody {
  /** The receiver truncates its copy of the trace to this many events, then appends `events`. */
  from: number;
  events: TraceEvent[];
  /** Index of the current event, -1 = none. */
  current: number;
  endpoints: { name: string; address: string; port: number; isn?: number }[];
  scenario?: string;
  profile: string;
  /** A stop deep in a long run: the events from `start` on only (`from` is then `start`); the receiver asks for earlier ones with the custom request `tcpTrace`. */
  start?: number;
}

/** A stop that would send more new events than this sends the last TRACE_WINDOW before the current one instead. */
const TRACE_WINDOW_FROM = 5_000;
/**
 * What is on screen and a few screens more (a row of the diagram is 20-45 px; an event is at most
 * one row; as many as the webview builds first, media/build.ts FIRST_STEP_EVENTS): the first stop's
 * cost in every hop (JSON, post, the webview's build) is this count.
 */
const TRACE_WINDOW = 300;

/** What the receiver of `tcpTrace` holds: one per launch (a restart starts it again). */
export class TraceFeed {
  /** How many leading events the receiver of `tcpTrace` holds that still match ours (from `sentStart` on: it may hold a window). */
  private sentValid = 0;
  private sentStart = 0;

  /** A new run: the receiver holds nothing of it. */
  reset(): void {
    this.sentValid = 0;
    this.sentStart = 0;
  }

  /**
   * The diagram's feed at a stop: the events the receiver does not hold yet. A stop deep in a long
   * run (or one back before the receiver's window) sends only the TRACE_WINDOW events before the
   * current one and those after it: what is on screen; the receiver asks for earlier ones.
   * `send` sends it; the receiver holds the whole trace's length once it has.
   */
  atStop(runtime: ScenarioRuntime, send: (body: TcpTraceEventBody) => void): void {
    const length = runtime.trace.length;
    const from = Math.min(this.sentValid, length);
    const windowStart = Math.max(0, Math.min(runtime.position, length) - TRACE_WINDOW);
    // The receiver's window no longer holds the change (a step back before it), or the stop is far ahead.
    const start = from < this.sentStart || (length - from > TRACE_WINDOW_FROM && windowStart > from) ? windowStart : undefined;
    let body: TcpTraceEventBody;
    if (start !== undefined) {
      body = traceBody(runtime, start);
      body.start = start;
      this.sentStart = start;
    } else {
      body = traceBody(runtime, from);
    }
    send(body);
    this.sentValid = length;
  }
}

/** The trace's events from `from` to `to` with what the receiver needs to draw them. */
export function traceBody(runtime: ScenarioRuntime, from: number, to = runtime.trace.length): TcpTraceEventBody {
  const body: TcpTraceEventBody = {
    from,
    events: runtime.trace.slice(from, to) as TraceEvent[],
    current: runtime.position,
    endpoints: runtime.program.endpoints.map((e) => ({ name: e.name, address: e.address, port: e.port, ...(e.isn !== undefined ? { isn: e.isn } : {}) })),
    profile: runtime.program.profile,
  };
  if (runtime.program.title !== undefined) body.scenario = runtime.program.title;
  return body;
}
