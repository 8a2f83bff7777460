// Arrow layout (pure): one segment's arrow from its send to its delivery (or cross), its label
// and where the label goes: near the sender, clear of the crossing segment of a simultaneous
// open or close, and for a burst (segments one sender sends at one instant; compact, also
// within two rows of each other) at the first place along the arrow clear of the labels and
// arrows of the segments before it.

import { boundsOf, boundsOverlap, labelCorners, polygonsOverlap, type Bounds, type Point } from './geometry';
import { burstCandidates, burstLabelWidth, labelDrop, labelLinesWidth, segmentLabel } from './labels';
import type { SegmentRecord } from './ledger';
import type { TimeScale } from './timeScale';
import { COMPACT, WIDE_LABEL_PAD, type ArrowItem, type Layout, type Lifeline, type SegmentMark } from './types';

/** Label and arrow shapes of a sender's last segments that a new label in their cluster keeps clear of (two per segment). */
export const CLUSTER_SHAPES = 24;

/** How many later segments the compact layout looks at to find one crossing a segment. */
const CROSS_SCAN = 64;

/** Drop reasons meaning the segment reached the receiver and was thrown away there. */
const DISCARDED_AT_RECEIVER = /^(corrupt|checksum|no listener|crashed)/i;

const NO_BADGES: string[] = [];

/** What an arrow's place depends on besides its own segment. */
export interface ArrowContext {
  compact: boolean;
  layout: Layout;
  scale: TimeScale;
  /** y of each trace event. */
  eventY: ArrayLike<number>;
  lifelineByName: ReadonlyMap<string, Lifeline>;
  /** Median flight time of the link between two endpoints (for segments that never arrive). */
  flightOf(from: string, to: string): number;
  /** Every segment, in the order sent. */
  records: readonly SegmentRecord[];
  /** The scenario line of trace event i. */
  lineOf(i: number): number | undefined;
  /** Labels end with the advertised window (DiagramOptions.windowLabels). */
  windowLabels?: boolean;
  /** The middle lifelines' columns (from its x to where its marks end), which labels keep out of. */
  columns: readonly (readonly [number, number])[];
  /** The label boxes of the segments before segment `index` that meet `bounds` (its label keeps clear of them). */
  labelsNear(index: number, bounds: Bounds): readonly Point[][];
  /** The badges' words in the drawing's language (labels.ts LadderWords). */
  badges: Readonly<Record<SegmentMark, string>>;
}

/**
 * The segments a sender sent just before one (a burst, or compact, within two rows): the last
 * of them, and the label and arrow shapes placed so far (the newest CLUSTER_SHAPES).
 */
export interface Cluster {
  last: SegmentRecord;
  shapes: Point[][];
}

export function sameBurst(a: SegmentRecord, b: SegmentRecord): boolean {
  return a.sentAt === b.sentAt && a.fields.from === b.fields.from && a.duplicateOf === undefined && b.duplicateOf === undefined;
}

/**
 * A segment the other side sent while this one was on its way crosses it (a simultaneous open
 * or close). It depends only on sends up to this segment's end.
 */
function crossed(records: readonly SegmentRecord[], index: number, endAt: number): boolean {
  const record = records[index];
  for (let k = index + 1; k < records.length && k <= index + CROSS_SCAN; k++) {
    const other = records[k];
    // A reply sent as this one arrives does not cross it.
    if (other.sentAt >= endAt) break;
    if (other.fields.from === record.fields.to && other.fields.to === record.fields.from) return true;
  }
  // Sent at the same instant, before it in the trace.
  for (let k = index - 1; k >= 0 && k >= index - CROSS_SCAN; k--) {
    const other = records[k];
    if (other.sentAt < record.sentAt) break;
    if (other.fields.from === record.fields.to && other.fields.to === record.fields.from) return true;
  }
  return false;
}

/**
 * The segments whose arrow a segment sent as `record` (the `index`th) crosses, or crossed before
 * it was dropped from the trace: the other side's, among the CROSS_SCAN before it, that had not
 * ended when it was sent. Their labels move when it comes or goes.
 */
export function crossers(record: SegmentRecord, index: number, ctx: ArrowContext): number[] {
  const { records } = ctx;
  const out: number[] = [];
  for (let k = Math.min(index, records.length) - 1; k >= 0 && k >= index - CROSS_SCAN; k--) {
    const other = records[k];
    if (other.fields.from !== record.fields.to || other.fields.to !== record.fields.from) continue;
    const endAt = other.deliverAt ?? other.dropAt ?? other.sentAt + ctx.flightOf(other.fields.from, other.fields.to);
    if (record.sentAt < endAt) out.push(k);
  }
  return out;
}

/** The sender's cluster a segment joins, given the cluster of the sender's segment before it (undefined: none). */
export function joins(record: SegmentRecord, before: Cluster | undefined, ctx: ArrowContext): boolean {
  if (before === undefined || record.duplicateOf !== undefined) return false;
  // Compact: a segment sent within two rows of the sender's one before (a data transfer's
  // segments, its ACKs) has its label placed around the ones before it, like a burst's.
  return (
    sameBurst(before.last, record) ||
    (ctx.compact && record.sentAt > before.last.sentAt && ctx.eventY[record.origin] - ctx.eventY[before.last.origin] <= 2 * ctx.layout.rowPx + 0.5)
  );
}

/** Where an arrow's label may lie (see labelRegion): around its line, to where a lost segment would have arrived. */
export function arrowRegion(arrow: ArrowItem): Bounds {
  const scale = arrow.end === 'lost' ? 2 : 1;
  return labelRegion({ x1: arrow.x1, ya: arrow.ya, fullDx: (arrow.x2 - arrow.x1) * scale, fullDy: (arrow.yb - arrow.ya) * scale || 0.0001 });
}

/** The label box and the line of an arrow: what later labels of its cluster keep clear of. */
export function arrowShapes(arrow: ArrowItem, ctx: Pick<ArrowContext, 'compact' | 'layout'>): Point[][] {
  const { compact, layout } = ctx;
  const lines = arrow.labelLines ?? [arrow.label];
  const width = compact ? labelLinesWidth(lines, arrow.badges) : burstLabelWidth(arrow, false, layout);
  return [
    labelCorners(arrow.labelX, arrow.labelY, arrow.angle, width, lines.length, arrow.labelBelow === true, labelDrop(arrow), compact ? COMPACT.labelFontPx : layout.fontPx, COMPACT.labelLinePx),
    [
      { x: arrow.x1, y: arrow.ya },
      { x: arrow.x2, y: arrow.yb },
    ],
  ];
}

export interface LaidOutArrow {
  arrow: ArrowItem;
  /** A segment of the other side crosses it (more of them change nothing). */
  crossed: boolean;
  /** It continues the sender's cluster (else it starts one, unless it is a duplicate). */
  follower: boolean;
  /** The latest instant its place depends on (-Infinity: none; its events are placed once and for all). */
  dependsOn: number;
}

/** The arrow of segment `index`, whose sender's segments before it form `cluster` (undefined: none it joins). */
export function layoutArrow(index: number, before: Cluster | undefined, ctx: ArrowContext): LaidOutArrow {
  const { compact, scale, records } = ctx;
  const record = records[index];
  const { fields } = record;
  // A burst: segments sent by one endpoint at one instant (the later ones have slot > 0; the
  // first is known by the next segment, of the same instant).
  const next = records[index + 1] as SegmentRecord | undefined;
  const burstHead = next !== undefined && next.slot > 0 && sameBurst(record, next);
  const follower = joins(record, before, ctx);
  const inBurst = (record.slot > 0 || burstHead || follower) && record.duplicateOf === undefined;
  const estimate = record.sentAt + ctx.flightOf(fields.from, fields.to);
  const path = arrowPath(record, estimate, ctx);
  const { x1, ya, x2, yb, end } = path;
  const fullDx = path.xTo - x1;
  const fullDy = (end === 'lost' ? 2 * (yb - ya) : yb - ya) || 0.0001;
  // Text reads left to right whichever way the arrow goes.
  const angle = (Math.atan2(fullDx >= 0 ? fullDy : -fullDy, Math.abs(fullDx)) * 180) / Math.PI;
  const line: LabelLine = { x1, ya, fullDx, fullDy, angle, length: Math.hypot(fullDx, fullDy), end };
  const isCrossed = end !== 'lost' && crossed(records, index, record.deliverAt ?? record.dropAt ?? estimate);
  const marks = segmentMarks(record, path.mark);
  const wnd = ctx.windowLabels ? fields.wnd : undefined;
  const label = segmentLabel(fields.flags, record.shownSeq, record.shownAck, fields.len, wnd);
  const badges = marks.length === 0 ? NO_BADGES : marks.map((m) => ctx.badges[m]).filter((b) => b !== '');
  const want = labelWant(record, line, inBurst, isCrossed, follower ? before : undefined, compact);
  const boxes = labelBoxes(record, label, badges, wnd, inBurst, want.below, ctx);
  const spans = freeSpans(x1, path.xTo, ctx.columns, compact ? COMPACT.labelPad : WIDE_LABEL_PAD);
  const { box, spot } = placeLabel(index, line, boxes, want, spans, ctx);
  const cornerBounds = boundsOf(corners(line, box, spot.s, spot.below, ctx));
  const arrow: ArrowItem = {
    kind: 'arrow',
    key: `a:${record.id}`,
    // The arrow, its head or cross, and its label.
    y0: Math.min(Math.min(ya, yb) - 8, cornerBounds.minY - 1),
    y1: Math.max(Math.max(ya, yb) + 8, cornerBounds.maxY + 1),
    events: path.events,
    line: ctx.lineOf(record.origin),
    id: record.id,
    from: fields.from,
    to: fields.to,
    segment: fields,
    shownSeq: record.shownSeq,
    shownAck: record.shownAck,
    x1,
    ya,
    x2,
    yb,
    end,
    cross: path.cross,
    label,
    badges,
    marks,
    labelX: x1 + (fullDx * spot.s) / line.length,
    labelLines: compact ? box.lines : undefined,
    labelBelow: spot.below ? true : undefined,
    labelY: ya + (fullDy * spot.s) / line.length,
    angle,
    sentAt: record.sentAt,
    endAt: record.deliverAt ?? record.dropAt,
    dropReason: record.dropReason,
    duplicateOf: record.duplicateOf,
  };
  // What it reads besides its own segment: the y of its events (final once they are placed), the
  // next segment (is it a burst's head?) and the other side's sent before it ended (is it
  // crossed? see `crossers`), which the builder watches; and for a segment lost at once, the
  // knot after the time it would have arrived (until there is one, every new instant moves its
  // cross).
  const lostAtOnce = end !== 'inflight' && record.deliverAt === undefined && record.dropAt !== undefined && record.dropAt <= record.sentAt;
  const dependsOn = lostAtOnce ? scale.knotAtOrAfter(estimate) : -Infinity;
  return { arrow, crossed: isCrossed, follower, dependsOn };
}

/** Where an arrow runs: from its send to its delivery or cross, or (in flight) as far as it has got. */
interface ArrowPath {
  x1: number;
  ya: number;
  x2: number;
  yb: number;
  /** The receiver's lifeline (x2 is halfway to it for a lost segment). */
  xTo: number;
  end: ArrowItem['end'];
  cross: ArrowItem['cross'];
  /** Its send (or duplicate) event, then its delivery or drop. */
  events: number[];
  /** What its end adds to its marks. */
  mark?: SegmentMark;
}

/** The arrow's ends: `estimate` is when it would arrive after the link's median flight time. */
function arrowPath(record: SegmentRecord, estimate: number, ctx: ArrowContext): ArrowPath {
  const { layout, scale, eventY, lifelineByName } = ctx;
  const x1 = lifelineByName.get(record.fields.from)?.x ?? layout.axisWidth;
  const xTo = lifelineByName.get(record.fields.to)?.x ?? layout.axisWidth;
  // The send (or duplicate) event's y: scale.y(record.sentAt, record.slot).
  const ya = eventY[record.origin];
  if (record.deliverAt !== undefined && record.deliverIndex !== undefined) {
    return { x1, ya, x2: xTo, yb: eventY[record.deliverIndex], xTo, end: 'arrive', cross: undefined, events: [record.origin, record.deliverIndex] };
  }
  if (record.dropAt !== undefined && record.dropIndex !== undefined) {
    const events = [record.origin, record.dropIndex];
    const arrival = record.dropAt > record.sentAt ? record.dropAt : estimate;
    const yArrival = record.dropAt > record.sentAt ? scale.y(record.dropAt) : scale.y(arrival) + record.slot * layout.rowPx;
    if (DISCARDED_AT_RECEIVER.test(record.dropReason ?? '')) {
      const mark = /^(corrupt|checksum)/i.test(record.dropReason ?? '') ? 'corrupt' : undefined;
      return { x1, ya, x2: xTo, yb: yArrival, xTo, end: 'discarded', cross: { x: xTo, y: yArrival }, events, mark };
    }
    const x2 = (x1 + xTo) / 2;
    const yb = (ya + yArrival) / 2;
    return { x1, ya, x2, yb, xTo, end: 'lost', cross: { x: x2, y: yb }, events, mark: 'lost' };
  }
  // In flight: drawn for the link's median flight time from where it left (not to where that
  // time falls on the scale, which moves with every later instant).
  return { x1, ya, x2: xTo, yb: ya + scale.height(estimate - record.sentAt), xTo, end: 'inflight', cross: undefined, events: [record.origin], mark: 'inflight' };
}

/** The segment's marks (its badges, in this order), then the one its end adds. */
function segmentMarks(record: SegmentRecord, endMark: SegmentMark | undefined): SegmentMark[] {
  const marks: SegmentMark[] = [];
  if (record.retransmission) marks.push('retransmission');
  if (record.duplicateOf !== undefined) marks.push('duplicate');
  if (record.injected) marks.push('injected');
  if (record.probe) marks.push('probe');
  // RST has no legend entry: its label is bold.
  if (record.fields.flags.includes('RST')) marks.push('rst');
  if (endMark) marks.push(endMark);
  return marks;
}

/** Where a label goes when nothing is in the way, and where else it may go. */
interface LabelWant {
  /** Its place, px along the arrow from the sender. */
  home: number;
  /** The stretch of the arrow where it belongs: a text that fits there is taken first. */
  prefer: Stretch;
  /** Below the arrow (else above), and the sides it may take, its own first. */
  below: boolean;
  sides: boolean[];
  /** A burst's label (placeInBurst): the shapes of its cluster placed so far, which it keeps clear of. */
  burst?: readonly Point[][];
}

function labelWant(record: SegmentRecord, line: LabelLine, inBurst: boolean, isCrossed: boolean, cluster: Cluster | undefined, compact: boolean): LabelWant {
  const { end, length } = line;
  // Where the label goes along the arrow, as a fraction of it, when nothing is in the way. Wide:
  // near the sender (crossing arrows keep theirs apart at the crossing); a burst's later
  // segments staggered. Compact: labels are nearly as long as the arrow, so about mid-way, a
  // little towards the receiver where the wedge between an arrow and the one it answers is
  // wider; a crossed arrow's in the receiver's half; a burst's near the sender, where its arrows
  // are still a spare row apart.
  const along = !compact ? (end === 'lost' ? 0.25 : isCrossed ? 0.22 : 0.3 + 0.14 * (Math.ceil(record.slot / 3) % 4)) : inBurst ? 0 : isCrossed ? 1 : 0.58;
  // Compact: a lost segment's label goes below its arrow, clear of the cross.
  const below = compact && end === 'lost' && !inBurst;
  // A burst's in the first half, a crossed arrow's in the receiver's half.
  const prefer: Stretch = compact && inBurst ? [0, length / 2] : compact && isCrossed ? [length / 2, length] : [0, length];
  // A lost segment's label stays on its side of the arrow (compact: below), or else above it before the cross.
  const sides = end === 'lost' ? (below ? [true, false] : [false]) : [below, !below];
  return { home: along * length, prefer, below, sides, burst: inBurst ? (cluster?.shapes ?? []) : undefined };
}

/** The label's boxes, fullest first: wide, its one line; compact, wrapped or shortened (a burst's, one line). */
function labelBoxes(record: SegmentRecord, label: string, badges: string[], wnd: number | undefined, inBurst: boolean, below: boolean, ctx: ArrowContext): LabelBox[] {
  const { flags, len } = record.fields;
  const texts = !ctx.compact ? [undefined] : inBurst ? burstTexts(flags, record.shownSeq, record.shownAck, len, wnd) : wrappedTexts(label, flags, record.shownSeq, record.shownAck, len, wnd);
  return texts.map((lines): LabelBox => ({ lines, width: lines ? labelLinesWidth(lines, badges) : burstLabelWidth({ label, badges }, false, ctx.layout), below }));
}

/**
 * The label's box and place: of its boxes, those that fit where it belongs, then those that fit
 * elsewhere along the arrow, the first that has a place clear of the labels of the segments
 * before it; when none has, the first that fits, at its own place (else the shortest, centred).
 */
function placeLabel(index: number, line: LabelLine, boxes: readonly LabelBox[], want: LabelWant, spans: readonly Stretch[], ctx: ArrowContext): { box: LabelBox; spot: Spot } {
  // Boxes with room on the preferred stretch first, then those with room anywhere; each asked once per stretch set.
  const onPreferred = boxes.map((b) => stretches(line, b, spans, ctx, want.prefer).length > 0);
  const fitting = [...boxes.filter((_, k) => onPreferred[k]), ...boxes.filter((b, k) => !onPreferred[k] && stretches(line, b, spans, ctx).length > 0)];
  const others = ctx.labelsNear(index, labelRegion(line));
  const place = (b: LabelBox, strict: boolean) =>
    want.burst ? placeInBurst(line, b, spans, want.burst, others, strict, ctx) : placeNear(line, b, want.home, spans, want.sides, others, strict, ctx);
  for (const box of fitting) {
    const spot = place(box, true);
    if (spot) return { box, spot };
  }
  const box = fitting[0] ?? boxes[boxes.length - 1];
  return { box, spot: place(box, false) ?? { s: line.length / 2, below: want.below } };
}

/** An arrow as its label sees it: from its sender, its full length (a lost segment's to where it would have arrived). */
interface LabelLine {
  x1: number;
  ya: number;
  fullDx: number;
  fullDy: number;
  angle: number;
  length: number;
  end: ArrowItem['end'];
}

/** A label's lines (undefined: the wide layout's one line), its width, and whether it goes below the arrow. */
interface LabelBox {
  lines: string[] | undefined;
  width: number;
  below: boolean;
}

/** Where a label goes: its distance along the arrow from the sender, above or below it. */
interface Spot {
  s: number;
  below: boolean;
}

/** A stretch [from, to] of distances along an arrow from its sender. */
type Stretch = [number, number];

/** How far (px) a label may lie from its arrow: what can meet it is within this of the arrow's line. */
export const LABEL_REACH = 100;

/** Room (px along the arrow) between a lost segment's cross (its arms reach 5 px) and a label before it. */
const CROSS_CLEAR = 8;

/** Steps (px along the arrow) between the places a label tries. */
const STEP = 6;

/** Where along its arrow a label may lie: anywhere within this of the line. */
export function labelRegion(line: { x1: number; ya: number; fullDx: number; fullDy: number }): Bounds {
  const { x1, ya, fullDx, fullDy } = line;
  return {
    minX: Math.min(x1, x1 + fullDx) - LABEL_REACH,
    maxX: Math.max(x1, x1 + fullDx) + LABEL_REACH,
    minY: Math.min(ya, ya + fullDy) - LABEL_REACH,
    maxY: Math.max(ya, ya + fullDy) + LABEL_REACH,
  };
}

/**
 * The x ranges between the sender's and the receiver's lifelines where a label may lie: not
 * within `pad` of a lifeline, nor in a middle lifeline's column (its timers, state boxes, notes).
 */
function freeSpans(x1: number, xTo: number, columns: readonly (readonly [number, number])[], pad: number): Stretch[] {
  let spans: Stretch[] = [[Math.min(x1, xTo) + pad, Math.max(x1, xTo) - pad]];
  for (const [c0, c1] of columns) {
    const next: Stretch[] = [];
    for (const [a, b] of spans) {
      if (c1 + pad <= a || c0 - pad >= b) next.push([a, b]);
      else {
        if (c0 - pad > a) next.push([a, c0 - pad]);
        if (c1 + pad < b) next.push([c1 + pad, b]);
      }
    }
    spans = next;
  }
  return spans.filter(([a, b]) => b > a);
}

function corners(line: LabelLine, box: LabelBox, s: number, below: boolean, ctx: Pick<ArrowContext, 'compact' | 'layout'>): Point[] {
  const { compact, layout } = ctx;
  const x = line.x1 + (line.fullDx * s) / line.length;
  const y = line.ya + (line.fullDy * s) / line.length;
  return labelCorners(x, y, line.angle, box.width, box.lines?.length ?? 1, below, labelDrop(line), compact ? COMPACT.labelFontPx : layout.fontPx, COMPACT.labelLinePx);
}

/**
 * The stretches of the arrow (distances from its sender, in order) where the label's whole box
 * lies within a free span (and within `within`, when given).
 */
function stretches(line: LabelLine, box: LabelBox, spans: readonly Stretch[], ctx: Pick<ArrowContext, 'compact' | 'layout'>, within?: Stretch, below = box.below): Stretch[] {
  const at0 = corners(line, box, 0, below, ctx);
  let minOff = Infinity;
  let maxOff = -Infinity;
  for (const p of at0) {
    minOff = Math.min(minOff, p.x - line.x1);
    maxOff = Math.max(maxOff, p.x - line.x1);
  }
  // The label's x moves by dx per px along the arrow.
  const dx = line.fullDx / line.length;
  const [lo, hi] = within ?? [0, line.length];
  const out: Stretch[] = [];
  for (const [a, b] of spans) {
    let from: number;
    let to: number;
    if (Math.abs(dx) < 1e-9) {
      if (line.x1 + minOff < a || line.x1 + maxOff > b) continue;
      [from, to] = [lo, hi];
    } else {
      // Its left edge at or right of a, its right edge at or left of b.
      const leftOk = (a - minOff - line.x1) / dx;
      const rightOk = (b - maxOff - line.x1) / dx;
      from = Math.max(lo, dx > 0 ? leftOk : rightOk);
      to = Math.min(hi, dx > 0 ? rightOk : leftOk);
    }
    if (from <= to) out.push([from, to]);
  }
  return out.sort((p, q) => p[0] - q[0]);
}

/** The shapes (label boxes, arrow lines) `corners` overlaps, of those given. */
function meets(box: Point[], shapes: readonly Point[][], shapeBounds: readonly Bounds[], which: (shape: Point[]) => boolean = () => true): boolean {
  const bounds = boundsOf(box);
  for (let i = 0; i < shapes.length; i++) {
    if (!which(shapes[i])) continue;
    if (boundsOverlap(bounds, shapeBounds[i]) && polygonsOverlap(box, shapes[i])) return true;
  }
  return false;
}

/**
 * A label away from a burst: at its place (`preferred`, px along the arrow) if nothing is there,
 * else at the nearest place within the free stretches (on either side of the arrow, when `sides`
 * allows) clear of the labels of the segments before it; failing that, at its place (strict: nowhere).
 */
function placeNear(line: LabelLine, box: LabelBox, preferred: number, spans: readonly Stretch[], sides: readonly boolean[], others: readonly Point[][], strict: boolean, ctx: ArrowContext): Spot | undefined {
  const otherBounds = others.map(boundsOf);
  const own = stretches(line, box, spans, ctx);
  const clamp = (list: readonly Stretch[]) => {
    let best = preferred;
    let distance = Infinity;
    for (const [a, b] of list) {
      const s = Math.min(b, Math.max(a, preferred));
      if (Math.abs(s - preferred) < distance) [best, distance] = [s, Math.abs(s - preferred)];
    }
    return best;
  };
  const home = own.length > 0 ? clamp(own) : Math.min(line.length, Math.max(0, preferred));
  if (others.length === 0 || !meets(corners(line, box, home, box.below, ctx), others, otherBounds)) return { s: home, below: box.below };
  // Every place of each side, nearest to the label's own place first.
  const tries: { s: number; below: boolean; distance: number }[] = [];
  sides.forEach((below, order) => {
    // Above a lost segment's arrow: before its cross (at half the full length), clear of it.
    const within: Stretch | undefined = line.end === 'lost' && !below ? [0, line.length / 2 - CROSS_CLEAR - box.width / 2] : undefined;
    for (const [a, b] of stretches(line, box, spans, ctx, within, below)) {
      const start = Math.min(b, Math.max(a, home));
      for (let s = start; s <= b; s += STEP) tries.push({ s, below, distance: s - home + order * 0.5 });
      for (let s = start - STEP; s >= a; s -= STEP) tries.push({ s, below, distance: home - s + order * 0.5 });
    }
  });
  tries.sort((p, q) => Math.abs(p.distance) - Math.abs(q.distance));
  for (const t of tries) if (!meets(corners(line, box, t.s, t.below, ctx), others, otherBounds)) return { s: t.s, below: t.below };
  return strict ? undefined : { s: home, below: box.below };
}

/**
 * A burst's arrows fan out from one point and may cross (jitter): the label takes the first
 * place along its arrow within the free stretches (from the sender on, above or below it) clear
 * of the labels and arrows of its cluster placed before it, and of the labels of the other
 * segments before it (before a lost segment's cross when it can); failing that, the first place
 * clear of the labels only; failing that, the start of the stretches (strict: nowhere).
 */
function placeInBurst(line: LabelLine, box: LabelBox, spans: readonly Stretch[], cluster: readonly Point[][], others: readonly Point[][], strict: boolean, ctx: ArrowContext): Spot | undefined {
  const shapes = [...cluster, ...others];
  const shapeBounds = shapes.map(boundsOf);
  const isLabel = (shape: Point[]) => shape.length !== 2;
  // A lost segment's label stays before its cross when it can.
  const clearOfAll = line.end === 'lost' ? line.length / 2 - 14 - box.width / 2 : Infinity;
  const bySide = [false, true].map((below) => stretches(line, box, spans, ctx, undefined, below));
  const first = Math.min(...bySide.map((list) => (list.length > 0 ? list[0][0] : Infinity)));
  const last = Math.max(...bySide.map((list) => (list.length > 0 ? list[list.length - 1][1] : -Infinity)));
  let clearOfLabels: Spot | undefined;
  for (let s = first; s <= last; s += STEP) {
    // Past the stretch where it may be clear of everything: the first place clear of the labels.
    if (s > clearOfAll && clearOfLabels) return clearOfLabels;
    for (const below of [false, true]) {
      if (!bySide[below ? 1 : 0].some(([a, b]) => s >= a && s <= b)) continue;
      const box0 = corners(line, box, s, below, ctx);
      if (meets(box0, shapes, shapeBounds, isLabel)) continue;
      if (s <= clearOfAll && !meets(box0, shapes, shapeBounds, (shape) => !isLabel(shape))) return { s, below };
      clearOfLabels ??= { s, below };
      if (s > clearOfAll) return clearOfLabels;
    }
  }
  if (clearOfLabels || strict) return clearOfLabels;
  return { s: Number.isFinite(first) ? first : line.length / 2, below: false };
}

/** Compact: a label's texts, fullest first: on one line, then wrapped (flags first), then shortened to one line (hover shows the rest). */
function wrappedTexts(label: string, flagList: readonly string[], seq: number, ack: number, len: number, wnd?: number): string[][] {
  const words = label.split(' ');
  const seqAt = Math.max(1, words.findIndex((w) => w.startsWith('seq=')));
  const flags = words.slice(0, seqAt).join(' ');
  const rest = words.slice(seqAt);
  const out: string[][] = [[label], [flags, rest.join(' ')]];
  if (rest.length === 3) out.push([flags, `${rest[0]} ${rest[1]}`, rest[2]], [flags, rest[0], `${rest[1]} ${rest[2]}`], [flags, ...rest]);
  else if (rest.length === 2) out.push([flags, ...rest]);
  return [...out, ...burstTexts(flagList, seq, ack, len, wnd).slice(1)];
}

/** A burst's label, or one that cannot be wrapped to fit: one line, the most of it that fits (see burstLabel). */
function burstTexts(flags: readonly string[], seq: number, ack: number, len: number, wnd?: number): string[][] {
  return burstCandidates(flags, seq, ack, len, wnd).map((text) => [text]);
}
