// What the runtime knows of its trace beyond the events: where the state transitions and the SYNs
// are (for "the state before event N" and relative sequence numbers) and which event made each
// segment id. Replays regenerate the same events, so the index stays valid across a step back.

import type { TcpState, TraceEvent } from '../engine/trace';
import { SequenceBases } from '../text/format';
import type { DescribeContext, SegmentEvent } from './describe';
import { lowerBound } from '../diagram/indexQueue';

export class TraceIndex implements DescribeContext {
  private segments = new Map<string, SegmentEvent>();
  /** The trace's events up to here are in `segments` (indexed when asked: a run to event 100,000 does not pay for it at every event). */
  private segmentsIndexed = 0;
  /** Trace indices of transition events, ascending (replays regenerate the same ones). */
  private transitions: number[] = [];
  /** Trace indices of segments with SYN, ascending: where the ISNs of relative numbers are learnt. */
  private syns: number[] = [];

  /** `trace`: the simulation's trace as it is now. */
  constructor(private readonly trace: () => readonly TraceEvent[]) {}

  /** Every event, forward or replayed. */
  note(event: TraceEvent, index: number): void {
    if (event.kind === 'transition' && (this.transitions.length === 0 || this.transitions[this.transitions.length - 1] < index)) {
      this.transitions.push(index);
    }
    if ((event.kind === 'send' || event.kind === 'inject') && event.flags.includes('SYN') && (this.syns.length === 0 || this.syns[this.syns.length - 1] < index)) {
      this.syns.push(index);
    }
  }

  /** The events from `at` on are not the same any more (an intervention changed the future). */
  forgetFrom(at: number): void {
    this.segments = new Map();
    this.segmentsIndexed = 0;
    this.transitions = this.transitions.filter((i) => i < at);
    this.syns = this.syns.filter((i) => i < at);
  }

  /** A snapshot of `length` events was restored: the events after it are replayed as new objects. */
  rewound(length: number): void {
    // Replayed events are indexed again (the same segments, as new objects).
    this.segmentsIndexed = Math.min(this.segmentsIndexed, length);
  }

  /** The ISNs known at trace index `index`, from the SYNs before it. */
  basesAt(index: number): SequenceBases {
    const bases = new SequenceBases();
    const trace = this.trace();
    for (const i of this.syns) {
      if (i > index) break;
      const event = trace[i];
      if (event && (event.kind === 'send' || event.kind === 'inject')) bases.learn(event);
    }
    return bases;
  }

  segment(id: string): SegmentEvent | undefined {
    this.indexSegments();
    return this.segments.get(id);
  }

  stateBefore(endpoint: string, peer: string | undefined, index: number): TcpState {
    const trace = this.trace();
    const transitions = this.transitions;
    // Newest transition before `index`, then back through the transitions only.
    for (let i = lowerBound(transitions, index) - 1; i >= 0; i--) {
      const event = trace[transitions[i]];
      if (event?.kind === 'transition' && event.endpoint === endpoint && (event.conn === undefined || event.conn === peer)) {
        return event.to;
      }
    }
    return 'CLOSED';
  }

  /** Segments by id (a duplicate's copy too) up to the trace's end. */
  private indexSegments(): void {
    const trace = this.trace();
    for (; this.segmentsIndexed < trace.length; this.segmentsIndexed++) {
      const event = trace[this.segmentsIndexed];
      if (event.kind === 'send' || event.kind === 'inject') this.segments.set(event.id, event);
      else if (event.kind === 'duplicate') {
        const original = this.segments.get(event.id);
        if (original) this.segments.set(event.copy, original);
      }
    }
  }
}
