// The trace as a receiver of `tcpTrace` keeps it (pure): the panel host and the webview hold
// one each, following the same rule, so both stay equal. A body truncates the copy to `from`
// events and appends its own; a freshly (re)created webview gets everything with `from = 0`
// (`full()`).

import type { TraceEvent } from '../engine/trace';
import type { EndpointDescriptor, TraceBody } from './messages';

export interface StoreChange {
  /** Events of the copy before that are still there (the first changed one's index). */
  kept: number;
  /** The same scenario, profile and endpoints as before (only events and the highlight moved). */
  sameSource: boolean;
}

export class TraceStore {
  private readonly events: TraceEvent[] = [];
  endpoints: EndpointDescriptor[] = [];
  scenario?: string;
  profile = 'rfc';
  current = -1;
  private endpointsKey = '[]';

  /** Truncate to `from`, append, take the body's source and highlight. Costs the events it carries. */
  apply(body: TraceBody, events: readonly TraceEvent[] = body.events): StoreChange {
    const kept = Math.min(body.from, this.events.length);
    this.events.length = kept;
    for (const event of events) this.events.push(event);
    const endpointsKey = JSON.stringify(body.endpoints);
    const sameSource = endpointsKey === this.endpointsKey && body.scenario === this.scenario && body.profile === this.profile;
    this.endpoints = body.endpoints;
    this.endpointsKey = endpointsKey;
    this.scenario = body.scenario;
    this.profile = body.profile;
    this.current = body.current;
    return { kept, sameSource };
  }

  get length(): number {
    return this.events.length;
  }

  get all(): readonly TraceEvent[] {
    return this.events;
  }

  /** Everything, as one body a new webview can start from. */
  full(): TraceBody {
    return { from: 0, events: [...this.events], current: this.current, endpoints: this.endpoints, scenario: this.scenario, profile: this.profile };
  }
}
