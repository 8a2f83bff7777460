// The diagram's first pass over the trace (pure): what each event adds to the picture before
// anything is placed. Lifelines and the room beside them, rows per instant, segment records
// (send, delivery, drop), timer spans with their lanes, the flight times the scale is made of.
// Event by event and undoable: `apply(i)` takes event i, `unapply(i)` exactly reverses the
// last applied one, so a debugger step costs one event and a step back undoes one.

import type { SegmentFields, TraceEvent } from '../engine/trace';
import { textWidth } from './format';
import { ENGLISH_LADDER, noteText, type LadderWords, relativeTo, shortTime, stateBoxWidth, stateText, wrapNote } from './labels';
import { FlightCounts } from './timeScale';
import { COMPACT, type EndpointInfo, type Layout, type Lifeline } from './types';

export interface SegmentRecord {
  /** Position in `segmentOrder`. */
  index: number;
  id: string;
  fields: SegmentFields;
  origin: number;
  sentAt: number;
  slot: number;
  retransmission: boolean;
  injected: boolean;
  probe?: string;
  duplicateOf?: string;
  deliverIndex?: number;
  deliverAt?: number;
  deliverSlot?: number;
  dropIndex?: number;
  dropAt?: number;
  dropReason?: string;
  /** seq and ack as shown (absolute or relative). */
  shownSeq: number;
  shownAck: number;
  /** Its flight time is among those the scale is made from (in all, on its link). */
  sampled?: boolean;
  linkSampled?: boolean;
}

/** A timer from its start to the event that ended it (none while it is pending). */
export interface TimerSpan {
  /** The start event's index. */
  index: number;
  t: number;
  expires?: number;
  lane: number;
  endpoint: string;
  conn?: string;
  name: string;
  line?: number;
  endIndex?: number;
  endAt?: number;
  how?: 'fire' | 'cancel' | 'restart';
}

/** The room beside a lifeline grows in steps of this many px (compact: less, the panel is narrow). */
const ROOM_STEP = 32;
const ROOM_STEP_COMPACT = 16;

/** Undoes what one event did (a truncating update steps back over it). */
type Undo = () => void;

/** One key for both directions of a link. */
function linkKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

export class TraceLedger {
  readonly lifelines: Lifeline[] = [];
  readonly lifelineByName = new Map<string, Lifeline>();
  private readonly isnOf: Map<string, number | undefined>;
  /** Per applied event, in parallel arrays (no object per event): what `unapply` needs. */
  readonly times: number[] = [];
  /** Largest time of the events up to each one. */
  private readonly latest: number[] = [];
  /** Events earlier than one before them: while there are some, a change anywhere may move any knot. */
  private disorder = 0;
  readonly slotOfEvent: number[] = [];
  /** Its lane's row count before it (what `unapply` resets the lane to; less than its slot when it took spare rows). */
  private readonly laneRowsBefore: number[] = [];
  readonly eventAt: TraceEvent[] = [];
  /** Rows at the event's instant before it (0: none). */
  private readonly rowsBefore: number[] = [];
  /** The lane it took a row in. */
  private readonly laneOf: (string | undefined)[] = [];
  private wrapped: { event: TraceEvent; lines: string[] } | undefined;
  /** Its lifeline's box or note width before it (-1: unchanged). */
  private readonly widthBefore: number[] = [];
  /** Flight times of the delivered segments, in all and per link. */
  readonly flights = new FlightCounts();
  readonly linkFlights = new Map<string, FlightCounts>();
  /** It added a segment record. */
  private readonly recordAdded: boolean[] = [];
  /** Undo steps for the rarer changes (segments, lifelines, ISS, timers), by event index. */
  private readonly rareUndo = new Map<number, Undo[]>();
  readonly rowsAt = new Map<number, number>();
  /** Rows taken so far per lane ("out|client", "state|server"...) and instant. */
  private readonly counters = new Map<string, Map<number, number>>();
  readonly segments = new Map<string, SegmentRecord>();
  readonly segmentOrder: SegmentRecord[] = [];
  /** Per sender, the indices of its records that are not duplicates (a burst or cluster is one sender's). */
  readonly bySender = new Map<string, number[]>();
  /** ISS per direction "from>to", learnt from the SYNs each side sends (Wireshark's way). */
  private readonly issByDirection = new Map<string, number>();
  /** Timer spans in order of their start; the open one per endpoint|conn|name; lanes in use per endpoint. */
  readonly spans: TimerSpan[] = [];
  private readonly openTimers = new Map<string, TimerSpan>();
  private readonly lanesInUse = new Map<string, Set<number>>();
  /** Per endpoint, the instant each lane was last freed: a bar that ends at an instant and one that starts at it take different lanes. */
  private readonly lanesFreedAt = new Map<string, Map<number, number>>();
  /** Compact layout: widths of the knots' axis labels (value -> count), for the axis width. */
  private readonly tickWidths = new Map<number, number>();
  /** What changed since `drain`: records and spans added, changed or removed. */
  readonly changedRecords = new Set<SegmentRecord>();
  readonly removedRecords: SegmentRecord[] = [];
  readonly changedSpans = new Set<TimerSpan>();
  readonly removedSpans: TimerSpan[] = [];

  constructor(
    endpoints: readonly EndpointInfo[],
    private readonly layout: Layout,
    private readonly relative: boolean,
    private readonly compact: boolean,
    /** How many delivered segments (in all, and per link) the scale is made from: the first ones. */
    private readonly sample: number,
    /** The ladder's words in the drawing's language (notes are measured as drawn). */
    private readonly words: LadderWords = ENGLISH_LADDER,
  ) {
    for (const endpoint of endpoints) this.addLifeline(endpoint);
    this.isnOf = new Map(endpoints.map((e) => [e.name, e.isn] as const));
  }

  get length(): number {
    return this.times.length;
  }

  /** Every event is at or after the one before it (a trace as the engine makes it). */
  get inTimeOrder(): boolean {
    return this.disorder === 0;
  }

  /** Forgets what changed (the builder has placed it). */
  drain(): void {
    this.changedRecords.clear();
    this.removedRecords.length = 0;
    this.changedSpans.clear();
    this.removedSpans.length = 0;
  }

  /** An expectation or a note without an endpoint was applied: the picture has a right column. */
  get hasRightColumn(): boolean {
    return (this.counters.get('expect')?.size ?? 0) > 0;
  }

  /** Widest axis label of the compact layout. */
  maxTickWidth(): number {
    let widest = 0;
    for (const w of this.tickWidths.keys()) widest = Math.max(widest, w);
    return widest;
  }

  /** The link's key, made once per pair of endpoints. */
  private readonly linkKeys = new Map<string, Map<string, string>>();
  link(a: string, b: string): string {
    let byB = this.linkKeys.get(a);
    if (!byB) this.linkKeys.set(a, (byB = new Map()));
    let key = byB.get(b);
    if (key === undefined) byB.set(b, (key = linkKey(a, b)));
    return key;
  }

  /** Lifelines: declared endpoints in order, then any name only the trace mentions. Returns it when new. */
  private addLifeline(info: EndpointInfo): Lifeline | undefined {
    if (this.lifelineByName.has(info.name)) return undefined;
    const lifeline: Lifeline = { ...info, x: 0, side: 'center', boxWidth: this.compact ? 0 : 86, noteWidth: 0 };
    this.lifelines.push(lifeline);
    this.lifelineByName.set(info.name, lifeline);
    return lifeline;
  }

  /** Lane names per endpoint, made once (a new string per event would be hashed again per lookup). */
  private readonly laneNames = new Map<string, Record<'out' | 'in' | 'state' | 'note', string>>();

  private lane(kind: 'out' | 'in' | 'state' | 'note', endpoint: string): string {
    let names = this.laneNames.get(endpoint);
    if (!names) this.laneNames.set(endpoint, (names = { out: `out|${endpoint}`, in: `in|${endpoint}`, state: `state|${endpoint}`, note: `note|${endpoint}` }));
    return names[kind];
  }

  private takeSlot(i: number, t: number, lane: string): number {
    let byTime = this.counters.get(lane);
    if (!byTime) this.counters.set(lane, (byTime = new Map()));
    const slot = byTime.get(t) ?? 0;
    byTime.set(t, slot + 1);
    this.laneOf[i] = lane;
    if ((this.rowsAt.get(t) ?? 0) < slot + 1) this.rowsAt.set(t, slot + 1);
    return slot;
  }

  private shown(fields: SegmentFields): [number, number] {
    if (!this.relative) return [fields.seq, fields.ack];
    const seqBase = this.issByDirection.get(`${fields.from}>${fields.to}`) ?? this.isnOf.get(fields.from);
    const ackBase = this.issByDirection.get(`${fields.to}>${fields.from}`) ?? this.isnOf.get(fields.to);
    return [seqBase === undefined ? fields.seq : relativeTo(fields.seq, seqBase), ackBase === undefined ? fields.ack : relativeTo(fields.ack, ackBase)];
  }

  /** Remembers how to undo a rare change of event i (most events need only the parallel arrays). */
  private remember(i: number, undo: Undo): void {
    const list = this.rareUndo.get(i);
    if (list) list.push(undo);
    else this.rareUndo.set(i, [undo]);
  }

  private countTick(t: number, sign: 1 | -1): void {
    if (!this.compact) return;
    const w = textWidth(shortTime(t), COMPACT.tickFontPx);
    const n = (this.tickWidths.get(w) ?? 0) + sign;
    if (n > 0) this.tickWidths.set(w, n);
    else this.tickWidths.delete(w);
  }

  /**
   * The room a box or note takes beside its lifeline, rounded up to a step, so that notes growing
   * a character at a time (delivered 100, then 1000 bytes) move the lifelines, and lay the whole
   * picture out again, only now and then.
   */
  private room(width: number): number {
    const step = this.compact ? ROOM_STEP_COMPACT : ROOM_STEP;
    return Math.ceil(width / step) * step;
  }

  /** First pass over event i (the next one): lifelines and their room, rows per instant, segment records, timer spans. */
  apply(event: TraceEvent, i: number): void {
    const { rowsAt } = this;
    this.eventAt.push(event);
    this.times.push(event.t);
    if (i > 0 && event.t < this.latest[i - 1]) this.disorder++;
    this.latest.push(i > 0 ? Math.max(this.latest[i - 1], event.t) : event.t);
    const rowsBefore = rowsAt.get(event.t) ?? 0;
    this.rowsBefore.push(rowsBefore);
    this.laneOf.push(undefined);
    this.widthBefore.push(-1);
    this.recordAdded.push(false);
    this.laneRowsBefore.push(0);
    if (event.kind === 'send' || event.kind === 'inject') {
      this.mention(i, event.from);
      this.mention(i, event.to);
    } else if ('endpoint' in event && event.endpoint !== undefined) {
      this.mention(i, event.endpoint);
      this.makeRoom(event, i, event.endpoint);
    }
    if (rowsBefore < 1) {
      rowsAt.set(event.t, 1);
      this.countTick(event.t, 1);
    }
    this.slotOfEvent.push(this.takeRows(event, i));
  }

  /** Room beside the event's lifeline for its widest state box and its application notes. */
  private makeRoom(event: TraceEvent, i: number, endpoint: string): void {
    const { layout } = this;
    const owner = this.lifelineByName.get(endpoint);
    if (!owner) return;
    if (event.kind === 'transition') {
      this.widthBefore[i] = owner.boxWidth;
      owner.boxWidth = Math.max(owner.boxWidth, this.room(stateBoxWidth(stateText(event), layout, this.compact)));
    } else if (event.kind === 'app' || event.kind === 'data' || event.kind === 'note') {
      this.widthBefore[i] = owner.noteWidth;
      const lines = this.compact ? this.wrappedNote(event) : [noteText(event, this.words)];
      owner.noteWidth = Math.max(owner.noteWidth, this.room(Math.max(...lines.map((line) => textWidth(line, layout.fontPx)))));
    }
  }

  /** A compact note's lines, wrapped once for makeRoom and noteRows, which both ask for the event being applied. */
  private wrappedNote(event: Extract<TraceEvent, { kind: 'app' | 'data' | 'note' }>): string[] {
    if (this.wrapped?.event !== event) this.wrapped = { event, lines: wrapNote(noteText(event, this.words), this.layout) };
    return this.wrapped.lines;
  }

  /** The rows event i takes at its instant, and what it records (segments, their fates, timer spans); its slot. */
  private takeRows(event: TraceEvent, i: number): number {
    switch (event.kind) {
      case 'send':
      case 'inject':
        return this.send(event, i);
      case 'duplicate':
        return this.duplicate(event, i);
      case 'deliver':
        return this.deliver(event, i);
      case 'drop':
        this.drop(event, i);
        return 0;
      case 'transition':
        return this.firstSlot(i, event.t, this.lane('state', event.endpoint));
      case 'app':
      case 'data':
      case 'note':
        return this.noteRows(event, i);
      case 'expect':
        return this.firstSlot(i, event.t, 'expect');
      case 'timer':
        this.timer(event, i);
        return 0;
      default:
        return 0;
    }
  }

  /** Event i's first slot in the lane: unapply resets the lane's rows to it (undoing any it took after). */
  private firstSlot(i: number, t: number, lane: string): number {
    const slot = this.takeSlot(i, t, lane);
    this.laneRowsBefore[i] = slot;
    return slot;
  }

  /** A segment sent: its record, the ISS a SYN sets; its slot. */
  private send(event: Extract<TraceEvent, { kind: 'send' | 'inject' }>, i: number): number {
    const injected = event.kind === 'inject' || event.injected === true;
    if (!injected && event.flags.includes('SYN')) {
      const direction = `${event.from}>${event.to}`;
      const before = this.issByDirection.get(direction);
      this.issByDirection.set(direction, event.seq);
      this.remember(i, () => (before === undefined ? this.issByDirection.delete(direction) : this.issByDirection.set(direction, before)));
    }
    let slot = this.firstSlot(i, event.t, this.lane('out', event.from));
    // A burst (several segments sent at one instant): each later one a spare row further
    // down, so its label has room between its arrow and the one before.
    if (slot > 0) {
      this.takeSlot(i, event.t, this.lane('out', event.from));
      slot = this.takeSlot(i, event.t, this.lane('out', event.from));
    }
    const [shownSeq, shownAck] = this.shown(event);
    this.addRecord(i, {
      index: this.segmentOrder.length,
      id: event.id,
      fields: event,
      origin: i,
      sentAt: event.t,
      slot,
      retransmission: event.retransmission,
      injected,
      probe: event.kind === 'send' ? event.probe : undefined,
      shownSeq,
      shownAck,
    });
    return slot;
  }

  /** A copy of a segment (a duplicate fault): a record of its own, sent now; its slot (0: the original is unknown). */
  private duplicate(event: Extract<TraceEvent, { kind: 'duplicate' }>, i: number): number {
    const original = this.segments.get(event.id);
    if (!original) return 0;
    const slot = this.firstSlot(i, event.t, this.lane('out', original.fields.from));
    this.addRecord(i, {
      ...original,
      index: this.segmentOrder.length,
      id: event.copy,
      fields: { ...original.fields, id: event.copy },
      origin: i,
      sentAt: event.t,
      slot,
      duplicateOf: original.id,
      deliverIndex: undefined,
      deliverAt: undefined,
      deliverSlot: undefined,
      dropIndex: undefined,
      dropAt: undefined,
      dropReason: undefined,
      sampled: undefined,
      linkSampled: undefined,
    });
    return slot;
  }

  /** A delivery: the segment's arrival and its flight time; its slot. */
  private deliver(event: Extract<TraceEvent, { kind: 'deliver' }>, i: number): number {
    const record = this.segments.get(event.id);
    const slot = this.firstSlot(i, event.t, this.lane('in', event.to));
    if (!record) return slot;
    this.changedRecords.add(record);
    // A first delivery is undone by clearing it (unapply); a second one remembers the first.
    if (record.deliverIndex !== undefined) {
      const { deliverIndex, deliverAt, deliverSlot } = record;
      this.countFlight(record, -1);
      this.remember(i, () => {
        this.countFlight(record, -1);
        Object.assign(record, { deliverIndex, deliverAt, deliverSlot });
        this.countFlight(record, 1);
      });
    }
    record.deliverIndex = i;
    record.deliverAt = event.t;
    record.deliverSlot = slot;
    this.countFlight(record, 1);
    return slot;
  }

  /** A drop: the segment's cross and its reason (takes no row). */
  private drop(event: Extract<TraceEvent, { kind: 'drop' }>, i: number): void {
    const record = this.segments.get(event.id);
    if (!record) return;
    this.changedRecords.add(record);
    const { dropIndex, dropAt, dropReason } = record;
    this.remember(i, () => {
      Object.assign(record, { dropIndex, dropAt, dropReason });
      this.changedRecords.add(record);
    });
    record.dropIndex = i;
    record.dropAt = event.t;
    record.dropReason = event.reason;
  }

  /** An application call, delivered data or a note: a row per line (compact: in the state-box column); its slot. */
  private noteRows(event: Extract<TraceEvent, { kind: 'app' | 'data' | 'note' }>, i: number): number {
    const lane = event.endpoint === undefined ? 'expect' : this.lane(this.compact ? 'state' : 'note', event.endpoint);
    const slot = this.firstSlot(i, event.t, lane);
    // A wrapped note takes a row per line (unapply resets the lane's count to `slot`, undoing them all).
    if (this.compact && event.endpoint !== undefined) {
      const lines = this.wrappedNote(event).length;
      for (let extra = 1; extra < lines; extra++) this.takeSlot(i, event.t, lane);
    }
    return slot;
  }

  /** Undoes event i (the last applied one): the exact reverse of `apply`. */
  unapply(i: number): void {
    const event = this.eventAt[i];
    if (this.recordAdded[i]) {
      const record = this.segmentOrder.pop();
      if (record) {
        this.segments.delete(record.id);
        if (record.duplicateOf === undefined) this.bySender.get(record.fields.from)?.pop();
        this.changedRecords.delete(record);
        this.removedRecords.push(record);
      }
    } else if (event.kind === 'deliver') {
      const record = this.segments.get(event.id);
      if (record?.deliverIndex === i) {
        this.countFlight(record, -1);
        record.deliverIndex = undefined;
        record.deliverAt = undefined;
        record.deliverSlot = undefined;
        this.changedRecords.add(record);
      }
    }
    const rare = this.rareUndo.get(i);
    if (rare) {
      for (let k = rare.length - 1; k >= 0; k--) rare[k]();
      this.rareUndo.delete(i);
    }
    const t = this.times[i];
    if (i > 0 && t < this.latest[i - 1]) this.disorder--;
    const lane = this.laneOf[i];
    if (lane !== undefined) {
      const slot = this.laneRowsBefore[i];
      const byTime = this.counters.get(lane);
      if (slot === 0) byTime?.delete(t);
      else byTime?.set(t, slot);
    }
    const rowsBefore = this.rowsBefore[i];
    if (rowsBefore === 0) {
      this.rowsAt.delete(t);
      this.countTick(t, -1);
    } else {
      this.rowsAt.set(t, rowsBefore);
    }
    const widthBefore = this.widthBefore[i];
    if (widthBefore >= 0) {
      const owner = 'endpoint' in event && event.endpoint !== undefined ? this.lifelineByName.get(event.endpoint) : undefined;
      if (owner && event.kind === 'transition') owner.boxWidth = widthBefore;
      else if (owner) owner.noteWidth = widthBefore;
    }
    this.times.length = i;
    this.latest.length = i;
    this.rowsBefore.length = i;
    this.laneOf.length = i;
    this.widthBefore.length = i;
    this.slotOfEvent.length = i;
    this.laneRowsBefore.length = i;
    this.eventAt.length = i;
    this.recordAdded.length = i;
  }

  /** A lifeline for a name only the trace mentions (undone with the event that added it). */
  private mention(i: number, name: string): void {
    const lifeline = this.addLifeline({ name, address: '', port: 0 });
    if (!lifeline) return;
    this.remember(i, () => {
      this.lifelines.splice(this.lifelines.indexOf(lifeline), 1);
      this.lifelineByName.delete(lifeline.name);
    });
  }

  /**
   * Adds (1) or removes (-1) the record's flight time to the multisets the scale is made from:
   * the first `sample` deliveries in all and on each link, so that once a run is under way its
   * scale no longer changes (a step then never moves what is drawn).
   */
  private countFlight(record: SegmentRecord, sign: 1 | -1): void {
    if (record.deliverAt === undefined || record.deliverAt <= record.sentAt) return;
    const flight = record.deliverAt - record.sentAt;
    const key = this.link(record.fields.from, record.fields.to);
    let link = this.linkFlights.get(key);
    if (!link) this.linkFlights.set(key, (link = new FlightCounts()));
    if (sign > 0) {
      if (this.flights.size < this.sample) {
        this.flights.add(flight, 1);
        record.sampled = true;
      }
      if (link.size < this.sample) {
        link.add(flight, 1);
        record.linkSampled = true;
      }
      return;
    }
    if (record.sampled) this.flights.add(flight, -1);
    if (record.linkSampled) link.add(flight, -1);
    record.sampled = undefined;
    record.linkSampled = undefined;
  }

  /** A new segment record; unapply removes it again (and brings back one it replaced, rare). */
  private addRecord(i: number, record: SegmentRecord): void {
    const before = this.segments.get(record.id);
    this.segments.set(record.id, record);
    this.segmentOrder.push(record);
    if (record.duplicateOf === undefined) {
      let list = this.bySender.get(record.fields.from);
      if (!list) this.bySender.set(record.fields.from, (list = []));
      list.push(record.index);
    }
    this.recordAdded[i] = true;
    this.changedRecords.add(record);
    if (before) this.remember(i, () => this.segments.set(record.id, before));
  }

  /** Timer event i: a start opens a span (restarting one that runs), a cancel or fire ends it. */
  private timer(event: Extract<TraceEvent, { kind: 'timer' }>, i: number): void {
    const key = `${event.endpoint}|${event.conn ?? ''}|${event.name}`;
    const closed = this.closeTimer(key, i, event.t, event.action === 'start' ? 'restart' : event.action);
    const freedBefore = closed ? this.lanesFreedAt.get(closed.endpoint)?.get(closed.lane) : undefined;
    if (closed) this.freeLane(closed.endpoint, closed.lane, event.t);
    let opened: TimerSpan | undefined;
    if (event.action === 'start') {
      let lanes = this.lanesInUse.get(event.endpoint);
      if (!lanes) this.lanesInUse.set(event.endpoint, (lanes = new Set()));
      const freedAt = this.lanesFreedAt.get(event.endpoint);
      // A lane freed at this very instant is not free yet: the bar that ended here reaches down to
      // this row (a bar is at least 2 px), and the new one would start on top of it.
      let lane = 0;
      while (lanes.has(lane) || (freedAt?.get(lane) ?? -Infinity) >= event.t) lane++;
      lanes.add(lane);
      opened = { index: i, t: event.t, expires: event.expires, lane, endpoint: event.endpoint, conn: event.conn, name: event.name, line: event.line };
      this.openTimers.set(key, opened);
      this.spans.push(opened);
      this.changedSpans.add(opened);
    }
    if (!closed && !opened) return;
    this.remember(i, () => {
      if (opened) {
        this.openTimers.delete(key);
        this.lanesInUse.get(opened.endpoint)?.delete(opened.lane);
        this.spans.pop();
        this.changedSpans.delete(opened);
        this.removedSpans.push(opened);
      }
      if (closed) {
        closed.endIndex = undefined;
        closed.endAt = undefined;
        closed.how = undefined;
        this.openTimers.set(key, closed);
        this.lanesInUse.get(closed.endpoint)?.add(closed.lane);
        if (freedBefore === undefined) this.lanesFreedAt.get(closed.endpoint)?.delete(closed.lane);
        else this.lanesFreedAt.get(closed.endpoint)?.set(closed.lane, freedBefore);
        this.changedSpans.add(closed);
      }
    });
  }

  private freeLane(endpoint: string, lane: number, t: number): void {
    let freedAt = this.lanesFreedAt.get(endpoint);
    if (!freedAt) this.lanesFreedAt.set(endpoint, (freedAt = new Map()));
    freedAt.set(lane, t);
  }

  private closeTimer(key: string, endIndex: number, endAt: number, how: NonNullable<TimerSpan['how']>): TimerSpan | undefined {
    const open = this.openTimers.get(key);
    if (!open) return undefined;
    this.openTimers.delete(key);
    this.lanesInUse.get(open.endpoint)?.delete(open.lane);
    open.endIndex = endIndex;
    open.endAt = endAt;
    open.how = how;
    this.changedSpans.add(open);
    return open;
  }

  /** Spans still open at the end of the trace, in the order they started. */
  pendingSpans(): IterableIterator<TimerSpan> {
    return this.openTimers.values();
  }
}
