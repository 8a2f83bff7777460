// The incremental layer of the diagram model (pure). `update(input, from)` says the first
// `from` events are those of the previous update: only the events after them go through the
// first pass (a truncation undoes the dropped ones, see ledger.ts), and only the items whose
// place can have changed are laid out again (layout functions: arrows.ts, marks.ts; which arrows:
// arrowPass.ts; the items placed: placements.ts), so a debugger step costs what its events touch,
// however long the trace already is:
//   - a frame (lifeline positions and room, the scale's median flight time) that changed lays
//     everything out again (rare: a new endpoint, a wider state box, the first deliveries);
//   - otherwise the knots, event positions, marks, gaps and ticks from the first changed instant
//     on; the arrows whose place depends on an instant at or after it (in flight, the last
//     ones of a burst), and those of the sender's cluster after an arrow that moved; the timers
//     that started, ended or are still pending.
// With a deadline (`until`), the arrows left when it passes wait for the next update or
// `resume`, top first (a new frame lays out every arrow again: in steps, input runs between).
// The live `view` answers the webview (items in a window, an event's item and y); `model()`
// lists everything as `buildModel` does (the SVG, the tests: incremental.test.ts checks that
// both are the same for random steps forward and back).

import { makeFrame, type Frame } from './frame';
import type { ArrowContext } from './arrows';
import { ArrowPass } from './arrowPass';
import { byTopThenRank, type Placed } from './itemIndex';
import { ladderWords, LEGEND_ORDER, LEGEND_TEXT, type LadderWords } from './labels';
import { TraceLedger, type TimerSpan } from './ledger';
import { columnWidth, expectItem, gapItem, noteItem, rightExtent, stateItem, TICK_SPACING, tickItem, timerItem, type MarkContext } from './marks';
import { lowerBound } from './indexQueue';
import { Placements } from './placements';
import { TimeScale } from './timeScale';
import {
  COMPACT_BELOW,
  DEFAULT_LAYOUT,
  SCALE_SAMPLE,
  TALL_ITEM,
  type DiagramInput,
  type DiagramItem,
  type DiagramModel,
  type DiagramOptions,
  type EndpointInfo,
  type Layout,
  type LegendEntry,
  type Lifeline,
  type ModelFrame,
} from './types';

/** Drawing order among items of one top edge (the order a whole build makes them in). */
const RANK_MARK = 2 ** 40;
const RANK_PENDING = RANK_MARK + 2 ** 39;
const RANK_GAP = 2 ** 41;
const RANK_TICK = RANK_GAP + 2 ** 40;

/** Says when to stop laying out arrows (the rest wait): given the y where the next one starts. */
export type Until = (nextTop: number) => boolean;

/** What one update did, in counts (the tests measure a step's cost by them, never in time). */
export interface UpdateStats {
  /** Everything was laid out again (a new frame, a trace out of time order, or from the start). */
  full: boolean;
  /** Events taken in (the first pass) and undone. */
  applied: number;
  undone: number;
  /** Arrows laid out; marks (state boxes, notes, expectations, timers) placed; knots given a y. */
  arrows: number;
  marks: number;
  knots: number;
  /** Items added, replaced or removed. */
  touched: number;
  /** Arrows left for later (the deadline passed): `resume` lays them out. */
  deferred: number;
}

/** The model as it grows: what the webview draws from, without listing every item at each step. */
export interface LiveModel extends ModelFrame {
  /** Events the model holds. */
  readonly eventCount: number;
  /** Changes when everything was laid out again (positions may all have moved). */
  readonly frameRevision: number;
  eventY(index: number): number;
  /** The item showing trace event `index`, if any. */
  eventItem(index: number): DiagramItem | undefined;
  /** The items intersecting [top, bottom], in the order the whole model lists them. */
  visible(top: number, bottom: number): DiagramItem[];
}

export class ModelBuilder {
  private readonly baseLayout: Layout;
  private readonly relative: boolean;
  private readonly windowLabels: boolean;
  /** Compact layout for a narrow panel, and the width to fit. */
  private readonly compact: boolean;
  private readonly fitWidth: number;
  private readonly scaleSample: number;
  /** The ladder's words, said once for the builder (DiagramOptions.say). */
  private readonly words: LadderWords;
  private endpointsKey: string | undefined;
  private ledger: TraceLedger;
  private readonly placed: Placements;
  private arrows: ArrowPass;
  private frame: Frame | undefined;
  private scale: TimeScale | undefined;
  private lifelines: Lifeline[] = [];
  private eventYs = new Float64Array(1024);
  /** The item made from each event (state box, note, expectation), each timer span's bar. */
  private markPlaced: (Placed | undefined)[] = [];
  private spanPlaced = new Map<TimerSpan, Placed>();
  /** Per knot: its idle gap (to the next knot) and tick, and the y of the last tick up to it. */
  private gapPlaced: (Placed | undefined)[] = [];
  private tickPlaced: (Placed | undefined)[] = [];
  private tickAfter: number[] = [];
  private frameRevision = 0;
  private stats: UpdateStats = ModelBuilder.noStats();
  private title: string | undefined;
  private profile = 'rfc';
  /** The live model (see LiveModel). */
  readonly view: LiveModel;

  constructor(options: DiagramOptions = {}) {
    this.baseLayout = { ...DEFAULT_LAYOUT, ...options.layout };
    this.relative = options.relative ?? false;
    this.windowLabels = options.windowLabels ?? false;
    this.fitWidth = options.width ?? Infinity;
    this.compact = this.fitWidth < COMPACT_BELOW;
    this.scaleSample = options.scaleSample ?? SCALE_SAMPLE;
    this.words = ladderWords(options.say);
    this.ledger = new TraceLedger([], this.baseLayout, this.relative, this.compact, this.scaleSample, this.words);
    this.placed = new Placements((item) => (item.kind === 'note' || item.kind === 'expect' ? rightExtent(item, this.compact, this.frame?.layout ?? this.baseLayout) : undefined));
    this.arrows = new ArrowPass(this.ledger, this.placed);
    this.view = this.makeView();
  }

  private static noStats(): UpdateStats {
    return { full: false, applied: 0, undone: 0, arrows: 0, marks: 0, knots: 0, touched: 0, deferred: 0 };
  }

  /** New counts for an update or a resume (the items placed count into them too). */
  private newStats(): UpdateStats {
    const stats = ModelBuilder.noStats();
    this.stats = this.placed.stats = stats;
    return stats;
  }

  /**
   * Takes the first `count` events of `input` (all by default), whose first `from` events are
   * those of the previous update. With `offset`, event i is `input.events[offset + i]` (a window
   * of a longer list). With `until`, arrows are laid out while it says false (at least one): the
   * rest wait for `resume` or the next update (`busy` says so). It is given the y where the next
   * arrow starts (arrows go top first: a first frame stops below the screen).
   */
  update(input: DiagramInput, from: number, count?: number, offset = 0, until?: Until): UpdateStats {
    const events = input.events;
    const n = Math.max(0, Math.min(count ?? Infinity, events.length - offset));
    this.title = input.scenario;
    this.profile = input.profile ?? 'rfc';
    const endpointsKey = JSON.stringify(input.endpoints);
    if (endpointsKey !== this.endpointsKey) this.reset(input.endpoints, endpointsKey);
    const ledger = this.ledger;
    const keep = Math.max(0, Math.min(from, ledger.length, n));
    const stats = this.newStats();
    // The earliest instant whose events changed: everything placed before it stays as it was.
    let changedAt = Infinity;
    for (let i = ledger.length - 1; i >= keep; i--) {
      changedAt = Math.min(changedAt, ledger.times[i]);
      ledger.unapply(i);
      this.markPlaced[i] = this.placed.put(this.markPlaced[i], undefined, 0);
      stats.undone++;
    }
    this.markPlaced.length = keep;
    for (let i = keep; i < n; i++) {
      const event = events[offset + i];
      changedAt = Math.min(changedAt, event.t);
      ledger.apply(event, i);
      stats.applied++;
    }
    if (changedAt === Infinity && this.frame) return stats;
    const frame = makeFrame(this.ledger, this.compact, this.baseLayout, this.fitWidth);
    if (keep === 0 || !this.frame || !this.scale || frame.signature !== this.frame.signature || !ledger.inTimeOrder) {
      stats.full = true;
      this.layOutAll(frame, until);
    } else {
      this.layOutFrom(changedAt, keep, until);
    }
    ledger.drain();
    return stats;
  }

  /** Arrows are left to lay out (an update's deadline passed). */
  get busy(): boolean {
    return this.arrows.busy;
  }

  /** Lays out arrows left by an earlier deadline, while `until` says false (all of them without it). */
  resume(until?: Until): UpdateStats {
    const stats = this.newStats();
    if (this.arrows.busy && this.frame) this.arrows.resume(this.arrowContext(), stats, until);
    return stats;
  }

  private reset(endpoints: readonly EndpointInfo[], key: string): void {
    this.endpointsKey = key;
    this.ledger = new TraceLedger(endpoints, this.baseLayout, this.relative, this.compact, this.scaleSample, this.words);
    this.frame = undefined;
    this.scale = undefined;
    this.markPlaced = [];
  }

  private markContext(): MarkContext {
    const frame = this.frame!;
    return { compact: this.compact, layout: frame.layout, lifelineByName: this.ledger.lifelineByName, expectX: frame.expectX, words: this.words };
  }

  private arrowContext(): ArrowContext {
    const frame = this.frame!;
    const ledger = this.ledger;
    return {
      compact: this.compact,
      layout: frame.layout,
      scale: this.scale!,
      eventY: this.eventYs,
      lifelineByName: ledger.lifelineByName,
      flightOf: (from, to) => frame.linkFlight.get(ledger.link(from, to)) ?? frame.medianFlight,
      records: ledger.segmentOrder,
      lineOf: (i) => ledger.eventAt[i].line,
      windowLabels: this.windowLabels,
      columns: this.lifelines.filter((l) => l.side === 'center').map((l) => [l.x, l.x + columnWidth(l, this.compact)] as const),
      labelsNear: (index, bounds) => this.arrows.labelsNear(index, bounds),
      badges: this.words.badge,
    };
  }

  /** A new frame (or out-of-order times): every position may have moved, so everything is laid out again. */
  private layOutAll(frame: Frame, until?: Until): void {
    const { ledger } = this;
    this.frame = frame;
    this.frameRevision++;
    this.lifelines = ledger.lifelines.map((l) => ({ ...l }));
    this.placed.clear();
    this.arrows = new ArrowPass(ledger, this.placed);
    this.markPlaced = [];
    this.spanPlaced = new Map();
    this.gapPlaced = [];
    this.tickPlaced = [];
    this.tickAfter = [];
    const { layout } = frame;
    const scale = (this.scale = new TimeScale(frame.pxPerMs, frame.medianFlight * layout.linearFlights, layout, layout.headerHeight + 24));
    const times = [...ledger.rowsAt.keys()].sort((a, b) => a - b);
    for (const t of times) {
      scale.times.push(t);
      scale.rows.push(ledger.rowsAt.get(t) ?? 1);
    }
    scale.refresh(0);
    this.stats.knots += times.length;
    this.placeEvents(0);
    this.placeMarks(0);
    this.placeSpans(ledger.spans);
    this.arrows.layOutAll(this.arrowContext(), this.stats, until);
    this.placeAxis(0);
  }

  /** The events from instant `changedAt` on changed (those before event `keep` were there before). */
  private layOutFrom(changedAt: number, keep: number, until?: Until): void {
    const { ledger } = this;
    const scale = this.scale!;
    // Knots from the first changed instant on; those before keep their rows and y.
    const c = scale.lowerBound(changedAt);
    scale.times.length = c;
    scale.rows.length = c;
    const firstChanged = lowerBound(ledger.times, changedAt);
    for (let i = firstChanged; i < ledger.times.length; i++) {
      const t = ledger.times[i];
      if (scale.times.length === 0 || scale.times[scale.times.length - 1] !== t) {
        scale.times.push(t);
        scale.rows.push(ledger.rowsAt.get(t) ?? 1);
      }
    }
    scale.refresh(c);
    this.stats.knots += scale.times.length - c;
    const safeUntil = c > 0 ? scale.times[c - 1] : -Infinity;
    this.placeEvents(firstChanged);
    this.placeMarks(keep);
    // Timer bars that started, ended or came back, and the pending ones (they reach the end of the trace).
    for (const span of ledger.removedSpans) {
      this.placed.put(this.spanPlaced.get(span), undefined, 0);
      this.spanPlaced.delete(span);
    }
    this.placeSpans(new Set([...ledger.changedSpans, ...ledger.pendingSpans()]));
    // Arrows: removed ones go; those that depend on a changed instant, and changed or new ones, are laid out.
    this.arrows.layOutChanged(safeUntil, this.arrowContext(), this.stats, until);
    this.placeAxis(Math.max(0, c - 1));
  }

  /** y of the events from `from` on. */
  private placeEvents(from: number): void {
    const { ledger } = this;
    const scale = this.scale!;
    const n = ledger.length;
    if (this.eventYs.length < n) {
      const grown = new Float64Array(Math.max(n, this.eventYs.length * 2));
      grown.set(this.eventYs.subarray(0, from));
      this.eventYs = grown;
    }
    for (let i = from; i < n; i++) this.eventYs[i] = scale.y(ledger.times[i], ledger.slotOfEvent[i]);
    this.placed.truncate(n);
  }

  /** State boxes, notes and expectations of the events from `from` on. */
  private placeMarks(from: number): void {
    const { ledger } = this;
    const ctx = this.markContext();
    for (let i = from; i < ledger.length; i++) {
      const event = ledger.eventAt[i];
      const y = this.eventYs[i];
      let item: DiagramItem | undefined;
      if (event.kind === 'transition') item = stateItem(event, i, y, ctx);
      else if (event.kind === 'app' || event.kind === 'data' || event.kind === 'note') item = noteItem(event, i, y, ctx);
      else if (event.kind === 'expect') item = expectItem(event, i, y, ctx);
      else continue;
      this.stats.marks++;
      this.markPlaced[i] = this.placed.put(this.markPlaced[i], item, RANK_MARK + i);
    }
  }

  private placeSpans(spans: Iterable<TimerSpan>): void {
    const ctx = this.markContext();
    const scale = this.scale!;
    const endTime = scale.times.length ? scale.times[scale.times.length - 1] : 0;
    for (const span of spans) {
      const y0 = this.eventYs[span.index];
      let item: DiagramItem;
      let rank: number;
      if (span.endIndex !== undefined && span.endAt !== undefined) {
        // Restarted at the instant it started (two sends in one instant re-arm a loss probe): no bar.
        if (span.how === 'restart' && span.endAt === span.t) {
          this.placed.put(this.spanPlaced.get(span), undefined, 0);
          this.spanPlaced.delete(span);
          continue;
        }
        item = timerItem(span, y0, this.eventYs[span.endIndex], span.endAt, ctx);
        rank = RANK_MARK + span.endIndex;
      } else {
        // Still running at the end of the trace: drawn up to its expiry (or the end).
        const endAt = Math.max(span.expires ?? endTime, span.t);
        item = timerItem(span, y0, scale.y(endAt), endAt, ctx);
        rank = RANK_PENDING + span.index;
      }
      this.stats.marks++;
      const placed = this.placed.put(this.spanPlaced.get(span), item, rank);
      if (placed) this.spanPlaced.set(span, placed);
    }
  }

  /** Idle gaps and ticks of the time axis from knot `from` on. */
  private placeAxis(from: number): void {
    const scale = this.scale!;
    const knots = scale.times.length;
    for (let k = from; k < Math.max(knots - 1, this.gapPlaced.length); k++) {
      this.gapPlaced[k] = this.placed.put(this.gapPlaced[k], k + 1 < knots ? gapItem(scale, k) : undefined, RANK_GAP + k);
    }
    this.gapPlaced.length = Math.max(0, knots - 1);
    let lastTickY = from > 0 ? this.tickAfter[from - 1] : -Infinity;
    for (let k = from; k < Math.max(knots, this.tickPlaced.length); k++) {
      let tick: DiagramItem | undefined;
      if (k < knots && scale.ys[k] - lastTickY >= TICK_SPACING) {
        lastTickY = scale.ys[k];
        tick = tickItem(scale, k, this.compact);
      }
      this.tickPlaced[k] = this.placed.put(this.tickPlaced[k], tick, RANK_TICK + k);
      this.tickAfter[k] = lastTickY;
    }
    this.tickPlaced.length = knots;
    this.tickAfter.length = knots;
  }

  private get width(): number {
    const frame = this.frame;
    if (!frame) return 0;
    return Math.max(frame.rightEdge + (this.placed.index.rightColumn > 0 ? frame.layout.expectWidth : 0), this.placed.index.extents.max());
  }

  private get height(): number {
    const layout = this.frame?.layout ?? this.baseLayout;
    return Math.max(layout.headerHeight + 24, this.placed.index.bottoms.max()) + layout.bottomPx;
  }

  private get legend(): LegendEntry[] {
    return LEGEND_ORDER.filter((mark) => this.placed.index.uses(mark)).map((mark) => ({ mark, label: LEGEND_TEXT[mark] }));
  }

  /** The view's frame fields as they are now (its other members answer questions: not listed). */
  private frameFields(): ModelFrame {
    const { eventCount: _count, frameRevision: _revision, eventY: _y, eventItem: _item, visible: _visible, ...frame } = this.view;
    return frame;
  }

  /** The whole model, every item listed by its top edge (as `buildModel` gives it). */
  model(): DiagramModel {
    this.resume();
    const n = this.ledger.length;
    const placed = [...this.placed.index.all()].sort(byTopThenRank);
    const position = new Map<Placed, number>();
    placed.forEach((p, i) => position.set(p, i));
    const items = placed.map((p) => p.item);
    const eventToItem = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      const p = this.placed.eventPlaced(i);
      if (p) eventToItem[i] = position.get(p) ?? -1;
    }
    // Tall items (long timers, long gaps) are listed apart, so the binary search stays narrow.
    let maxItemHeight = 0;
    const tallItems: number[] = [];
    items.forEach((item, i) => {
      const height = item.y1 - item.y0;
      if (height > TALL_ITEM) tallItems.push(i);
      else maxItemHeight = Math.max(maxItemHeight, height);
    });
    return {
      ...this.frameFields(),
      // Copies: the builder's own lifelines change with later updates.
      lifelines: this.lifelines.map((l) => ({ ...l })),
      items,
      eventToItem,
      eventY: this.eventYs.slice(0, n),
      maxItemHeight,
      tallItems,
    };
  }

  private makeView(): LiveModel {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const builder = this;
    return {
      get title() {
        return builder.title;
      },
      get compact() {
        return builder.compact;
      },
      get profile() {
        return builder.profile;
      },
      get relative() {
        return builder.relative;
      },
      get layout() {
        return builder.frame?.layout ?? builder.baseLayout;
      },
      get width() {
        return builder.width;
      },
      get height() {
        return builder.height;
      },
      get lifelines() {
        return builder.lifelines;
      },
      get legend() {
        return builder.legend;
      },
      get medianFlight() {
        return builder.frame?.medianFlight ?? 10;
      },
      get pxPerMs() {
        return builder.frame?.pxPerMs ?? 0;
      },
      get endTime() {
        const times = builder.scale?.times;
        return times?.length ? times[times.length - 1] : 0;
      },
      get eventCount() {
        return builder.ledger.length;
      },
      get frameRevision() {
        return builder.frameRevision;
      },
      eventY: (index) => (index >= 0 && index < builder.ledger.length ? builder.eventYs[index] : NaN),
      eventItem: (index) => builder.placed.eventPlaced(index)?.item,
      visible: (top, bottom) => builder.placed.index.query(top, bottom).map((p) => p.item),
    };
  }
}

export function buildModel(input: DiagramInput, options: DiagramOptions = {}): DiagramModel {
  const builder = new ModelBuilder(options);
  builder.update(input, 0);
  return builder.model();
}
