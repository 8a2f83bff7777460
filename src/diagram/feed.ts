// The diagram panel's host side (pure, so the bench and the tests run it without VS Code): the
// host keeps the trace it is given (a debug session's `tcpTrace` bodies, a run of the edited
// file) and posts the webview what it draws. A step goes as it comes (the events it adds); a
// long change goes in parts, what is on screen first: a stop deep in a long run sends the
// events just before the current one, a whole run its first events, and the webview asks for
// the rest (`more`) once it has drawn them, a part at a time, later events first, then
// earlier ones. The webview holds at most MAX_HELD events: of a long debug session the last
// ones (a note says where the drawing starts), of a long run the first ones.

import { compactTraceMessage, isTraceBody, type HostMessage, type TraceBody } from './messages';
import { TraceStore } from './traceStore';

/** At most this many events go to the webview in one message. */
export const CHUNK_EVENTS = 5_000;
/** A long change starts with this many events: about what fills the first screens. */
export const FIRST_EVENTS = 2_000;
/** A stop deep in a long run: this many events before the current one are drawn first. */
export const WINDOW_BEFORE = 1_500;
/** The webview holds at most this many events (a model of more takes seconds and hundreds of MB). */
export const MAX_HELD = 50_000;

export class DiagramFeed {
  /** The host's copy of the trace. */
  readonly store = new TraceStore();
  /** The webview's copy: the trace's events [offset, end). */
  private web = { offset: 0, end: 0 };
  private documentUri: string | undefined;

  constructor(private readonly post: (message: HostMessage) => void) {}

  /** A new webview (it holds nothing): the next post starts over. */
  reset(): void {
    this.web = { offset: 0, end: 0 };
  }

  /** A `tcpTrace` body: checked, kept, forwarded (in parts when long). False when it is not a valid body. */
  trace(body: unknown, documentUri?: string): boolean {
    if (!isTraceBody(body)) return false;
    if (documentUri !== undefined) this.documentUri = documentUri;
    const change = this.store.apply(body);
    this.sync(change.window || !change.sameSource ? undefined : change.kept);
    return true;
  }

  /** Everything again (a new or reloaded webview). */
  resend(): void {
    this.reset();
    this.sync(undefined);
  }

  /**
   * The trace's events the webview may hold: of a debug session (with a current event) the last
   * ones, of a run the first ones. A copy that starts before `floor` is kept while it starts at
   * `keepFloor` or later (stepping on does not move the window at every step).
   */
  private bounds(): { floor: number; keepFloor: number; ceiling: number } {
    const { store } = this;
    const end = store.length;
    if (store.current >= 0) return { floor: Math.max(store.offset, end - MAX_HELD), keepFloor: Math.max(store.offset, end - Math.round(MAX_HELD * 1.25)), ceiling: end };
    return { floor: store.offset, keepFloor: store.offset, ceiling: Math.min(end, store.offset + MAX_HELD) };
  }

  private body(from: number, to: number, more: boolean, start?: number): HostMessage {
    const { store } = this;
    const body: TraceBody & { type: 'trace'; documentUri?: string; more?: boolean } = {
      type: 'trace',
      from,
      events: store.slice(from, to),
      current: store.current,
      endpoints: store.endpoints,
      scenario: store.scenario,
      profile: store.profile,
      documentUri: this.documentUri,
    };
    if (start !== undefined && start > 0) body.start = start;
    if (more) body.more = true;
    return compactTraceMessage(body);
  }

  /** The host's trace changed from event `from` on (undefined: the webview's copy is no use). */
  private sync(from: number | undefined): void {
    const { floor, keepFloor, ceiling } = this.bounds();
    const web = this.web;
    const keepEnd = from === undefined ? undefined : Math.min(web.end, from);
    // The webview keeps its copy up to the change when that is inside what it may hold.
    const keeps = keepEnd !== undefined && keepEnd >= web.offset && web.offset >= keepFloor && (web.offset === 0 || keepEnd > web.offset);
    if (keeps && ceiling - keepEnd <= CHUNK_EVENTS) {
      this.post(this.body(keepEnd, ceiling, web.offset > floor));
      web.end = ceiling;
      return;
    }
    // A long change: what is on screen first, around the current event or at the start (all of
    // it when that is short).
    const current = this.store.current;
    let start = floor;
    let end = ceiling - floor <= CHUNK_EVENTS ? ceiling : Math.min(ceiling, floor + FIRST_EVENTS);
    if (current >= 0 && end < ceiling) {
      start = Math.max(floor, Math.min(current, ceiling) - WINDOW_BEFORE);
      end = Math.min(ceiling, Math.max(current + 1, start + FIRST_EVENTS));
    }
    if (keeps && start <= keepEnd) {
      this.post(this.body(keepEnd, end, end < ceiling || web.offset > floor));
      web.end = end;
      return;
    }
    this.post(this.body(start, end, end < ceiling || start > floor, start));
    this.web = { offset: start, end };
  }

  /** The webview asks for more: the next part, later events first, then earlier ones. */
  more(): void {
    const { floor, ceiling } = this.bounds();
    const web = this.web;
    if (web.end < ceiling) {
      const end = Math.min(ceiling, web.end + CHUNK_EVENTS);
      this.post(this.body(web.end, end, end < ceiling || web.offset > floor));
      web.end = end;
    } else if (web.offset > floor) {
      const start = Math.max(floor, web.offset - CHUNK_EVENTS);
      this.post(compactTraceMessage({ type: 'earlier', start, events: this.store.slice(start, web.offset), more: start > floor }));
      web.offset = start;
    }
  }
}
