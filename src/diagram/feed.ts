// The diagram panel's host side (pure, so the bench and the tests run it without VS Code): the
// host keeps the trace it is given (a debug session's `tcpTrace` bodies, a run of the edited
// file) and posts the webview what it draws. A step goes as it comes (the events it adds); a
// long change goes in parts, what is on screen first: a stop deep in a long run sends the
// events just before the current one, a whole run its first events, and the webview asks for
// the rest (`more`) once it has drawn them, a part at a time, later events first, then
// earlier ones (fetched from the debug adapter when the host holds only a window of the trace
// too). The webview holds at most DIAGRAM_MAX_EVENTS events: of a debug session the last ones
// (the page says where the drawing starts), of a run the first ones, then a note that says the
// rest is not drawn (and the caller's note: a limit cut the run).

import type { NoteEvent, TraceEvent } from '../engine/trace';
import { DIAGRAM_MAX_EVENTS, DIAGRAM_TRUNCATED, fill, formatCount } from './degrade';
import { compactTraceMessage, isTraceBody, type HostMessage, type TraceMessage } from './messages';
import { TraceStore } from './traceStore';

/** At most this many events go to the webview in one message. */
export const CHUNK_EVENTS = 5_000;
/** A long change starts with this many events: about what fills the first screens. */
export const FIRST_EVENTS = 2_000;
/** A stop deep in a long run: this many events before the current one are drawn first (a few screens; the debug adapter's window is as long). */
export const WINDOW_BEFORE = 300;

export interface FeedOptions {
  /** Most events the webview holds (DIAGRAM_MAX_EVENTS). */
  max?: number;
  /** Translates the note's English template (VS Code's l10n; English otherwise). */
  t?: (template: string, args: readonly (string | number)[]) => string;
}

/** The trace's events [from, to), from the debug adapter (the host holds only the window it was sent). */
export type FetchEvents = (from: number, to: number) => Promise<TraceEvent[] | undefined>;

export class DiagramFeed {
  /** The host's copy of the trace (a window of it when the debug adapter sent one). */
  readonly store = new TraceStore();
  /** The webview's copy: the trace's events [offset, end), and a note after them when `noted`. */
  private web = { offset: 0, end: 0 };
  private documentUri: string | undefined;
  /** The caller's note after a run (a limit cut it). */
  private note: string | undefined;
  /** Gets events the host does not hold, while a debug session runs. */
  private fetchEvents: FetchEvents | undefined;
  /** A fetch under way (one at a time). */
  private fetching = false;
  private readonly max: number;
  private readonly t: (template: string, args: readonly (string | number)[]) => string;

  constructor(
    private readonly post: (message: HostMessage) => void,
    options: FeedOptions = {},
  ) {
    this.max = options.max ?? DIAGRAM_MAX_EVENTS;
    this.t = options.t ?? fill;
  }

  /** A new webview (it holds nothing): the next post starts over. */
  reset(): void {
    this.web = { offset: 0, end: 0 };
  }

  /**
   * A `tcpTrace` body: checked, kept, forwarded (in parts when long). `note` follows a run's
   * events; `fetch` gets what the host does not hold. False when it is not a valid body.
   */
  trace(body: unknown, documentUri?: string, note?: string, fetch?: FetchEvents): boolean {
    if (!isTraceBody(body)) return false;
    if (documentUri !== undefined) this.documentUri = documentUri;
    this.note = note;
    this.fetchEvents = fetch;
    const change = this.store.apply(body);
    this.sync(change.window || !change.sameSource ? undefined : change.kept);
    return true;
  }

  /** Everything again (a new or reloaded webview). */
  resend(): void {
    this.reset();
    this.sync(undefined);
  }

  /** The first event the webview may hold that the host can give (held, or fetched from the adapter). */
  private get first(): number {
    return this.fetchEvents ? 0 : this.store.offset;
  }

  /**
   * The trace's events the webview may hold: of a debug session (with a current event) the last
   * ones, of a run the first ones. A copy that starts before `floor` is kept while it starts at
   * `keepFloor` or later (stepping on does not move the window at every step).
   */
  private bounds(): { floor: number; keepFloor: number; ceiling: number } {
    const end = this.store.length;
    const first = this.first;
    if (this.store.current >= 0) return { floor: Math.max(first, end - this.max), keepFloor: Math.max(first, end - Math.round(this.max * 1.25)), ceiling: end };
    return { floor: first, keepFloor: first, ceiling: Math.min(end, first + this.max) };
  }

  /** The run's note: the events not drawn, and the caller's (a limit). */
  private noteEvent(ceiling: number): NoteEvent | undefined {
    const { store } = this;
    if (store.current >= 0) return undefined;
    const messages: string[] = [];
    if (store.length > ceiling) messages.push(this.t(DIAGRAM_TRUNCATED, [formatCount(ceiling - this.first), formatCount(store.length - this.first)]));
    if (this.note) messages.push(this.note);
    if (messages.length === 0) return undefined;
    return { t: store.slice(ceiling - 1, ceiling)[0]?.t ?? 0, kind: 'note', message: messages.join('; ') };
  }

  private message(from: number, to: number, more: boolean, ceiling: number, start?: number): HostMessage {
    const { store } = this;
    const events = store.slice(from, to);
    if (to === ceiling) {
      const note = this.noteEvent(ceiling);
      if (note) events.push(note);
    }
    const message: TraceMessage = {
      type: 'trace',
      from,
      events,
      current: store.current,
      endpoints: store.endpoints,
      scenario: store.scenario,
      profile: store.profile,
      documentUri: this.documentUri,
    };
    if (start !== undefined && start > 0) message.start = start;
    if (more) message.more = true;
    return compactTraceMessage(message);
  }

  /** The host's trace changed from event `from` on (undefined: the webview's copy is no use). */
  private sync(from: number | undefined): void {
    const { floor, keepFloor, ceiling } = this.bounds();
    const web = this.web;
    const keepEnd = from === undefined ? undefined : Math.min(web.end, from);
    // The webview keeps its copy up to the change when that is inside what it may hold.
    const keeps = keepEnd !== undefined && keepEnd >= web.offset && web.offset >= keepFloor && (web.offset === 0 || keepEnd > web.offset);
    if (keeps && ceiling - keepEnd <= CHUNK_EVENTS) {
      this.post(this.message(keepEnd, ceiling, web.offset > floor, ceiling));
      web.end = ceiling;
      return;
    }
    // A long change: what is on screen first, around the current event or at the start (all of
    // it when that is short).
    const current = this.store.current;
    const held = this.store.offset;
    let start = Math.max(floor, held);
    let end = ceiling - start <= CHUNK_EVENTS ? ceiling : Math.min(ceiling, start + FIRST_EVENTS);
    if (current >= 0 && end < ceiling) {
      start = Math.max(floor, held, Math.min(current, ceiling) - WINDOW_BEFORE);
      end = Math.min(ceiling, Math.max(current + 1, start + FIRST_EVENTS));
    }
    if (keeps && start <= keepEnd) {
      this.post(this.message(keepEnd, end, end < ceiling || web.offset > floor, ceiling));
      web.end = end;
      return;
    }
    this.post(this.message(start, end, end < ceiling || start > floor, ceiling, start));
    this.web = { offset: start, end };
  }

  /**
   * The whole trace, for an export (the panel's pcapng): the events held, after the earlier ones
   * fetched from the debug adapter when the host holds only a window. `start` > 0: the events
   * before it could not be had (the session ended).
   */
  async whole(): Promise<{ start: number; events: TraceEvent[] }> {
    const { store } = this;
    const held = store.all.slice();
    const fetch = this.fetchEvents;
    let start = store.offset;
    const earlier: TraceEvent[][] = [];
    while (start > 0 && fetch) {
      const from = Math.max(0, start - CHUNK_EVENTS);
      const part = await fetch(from, start).catch(() => undefined);
      if (!part || part.length !== start - from) break;
      earlier.unshift(part);
      start = from;
    }
    return { start, events: earlier.flat().concat(held) };
  }

  /** The webview asks for more: the next part, later events first, then earlier ones. */
  more(): void {
    const { floor, ceiling } = this.bounds();
    const web = this.web;
    if (web.end < ceiling) {
      const end = Math.min(ceiling, web.end + CHUNK_EVENTS);
      this.post(this.message(web.end, end, end < ceiling || web.offset > floor, ceiling));
      web.end = end;
      return;
    }
    if (web.offset <= floor) return;
    const start = Math.max(floor, web.offset - CHUNK_EVENTS);
    if (start >= this.store.offset) {
      this.postEarlier(start, floor);
      return;
    }
    // Not held here either: from the debug adapter, then on to the webview.
    const fetch = this.fetchEvents;
    if (!fetch || this.fetching) return;
    const held = this.store.offset;
    const wanted = Math.max(floor, held - CHUNK_EVENTS);
    this.fetching = true;
    void fetch(wanted, held).then(
      (events) => {
        this.fetching = false;
        // The trace moved on meanwhile (a new window): the webview asks again if it still needs them.
        if (!events || this.store.offset !== held || !this.store.prepend(wanted, events)) return;
        if (this.web.offset > floor && this.web.offset <= held) this.postEarlier(Math.max(this.bounds().floor, this.web.offset - CHUNK_EVENTS), this.bounds().floor);
      },
      () => (this.fetching = false),
    );
  }

  private postEarlier(start: number, floor: number): void {
    const web = this.web;
    const from = Math.max(start, this.store.offset);
    this.post(compactTraceMessage({ type: 'earlier', start: from, events: this.store.slice(from, web.offset), more: from > floor }));
    web.offset = from;
  }
}
