// The trace as a receiver of `tcpTrace` keeps it (pure): the panel host and the webview hold
// one each, following the same rule, so both stay equal. A body truncates the copy to `from`
// events and appends its own; a freshly (re)created webview gets everything with `from = 0`
// (`full()`). A copy may be a window of a long trace: the events from `offset` on (a body with
// `start`); earlier ones come later (`prepend`).

import type { TraceEvent } from '../engine/trace';
import type { EndpointDescriptor, TraceBody } from './messages';

export interface StoreChange {
  /** The first changed event's index in the trace: the copy's events before it are as they were. */
  kept: number;
  /** The copy became another window (`start`): nothing of it was kept. */
  window: boolean;
  /** The same scenario, profile and endpoints as before (only events and the highlight moved). */
  sameSource: boolean;
}

export class TraceStore {
  private events: TraceEvent[] = [];
  /** The trace's index of the first event held (0 unless the copy is a window of a long trace). */
  offset = 0;
  endpoints: EndpointDescriptor[] = [];
  scenario?: string;
  profile = 'rfc';
  current = -1;
  private endpointsKey = '[]';

  /** Truncate to `from`, append (or become the window `start`), take the body's source and highlight. Costs the events it carries. */
  apply(body: TraceBody, events: readonly TraceEvent[] = body.events): StoreChange {
    const window = body.start !== undefined;
    let kept: number;
    if (window) {
      this.offset = body.start!;
      this.events = events.slice();
      kept = this.offset;
    } else {
      kept = Math.max(this.offset, Math.min(body.from, this.length));
      this.events.length = kept - this.offset;
      for (const event of events) this.events.push(event);
    }
    const endpointsKey = JSON.stringify(body.endpoints);
    const sameSource = endpointsKey === this.endpointsKey && body.scenario === this.scenario && body.profile === this.profile;
    this.endpoints = body.endpoints;
    this.endpointsKey = endpointsKey;
    this.scenario = body.scenario;
    this.profile = body.profile;
    this.current = body.current;
    return { kept, window, sameSource };
  }

  /** Events that come just before the held ones; false (nothing done) when they do not end where the copy starts. */
  prepend(start: number, events: readonly TraceEvent[]): boolean {
    if (start + events.length !== this.offset || start < 0) return false;
    this.events = events.concat(this.events);
    this.offset = start;
    return true;
  }

  /** The trace's index after the last event held. */
  get length(): number {
    return this.offset + this.events.length;
  }

  /** The events held (the trace's events `offset`, `offset + 1`...). */
  get all(): readonly TraceEvent[] {
    return this.events;
  }

  /** The trace's events `from` to `to` (indices in the trace), as far as they are held. */
  slice(from: number, to = this.length): TraceEvent[] {
    return this.events.slice(Math.max(0, from - this.offset), Math.max(0, to - this.offset));
  }

  /** Everything held, as one body a new receiver can start from. */
  full(): TraceBody {
    const body: TraceBody = { from: this.offset, events: [...this.events], current: this.current, endpoints: this.endpoints, scenario: this.scenario, profile: this.profile };
    if (this.offset > 0) body.start = this.offset;
    return body;
  }
}
