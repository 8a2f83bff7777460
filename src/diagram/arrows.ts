// Arrow layout (pure): one segment's arrow from its send to its delivery (or cross), its label
// and where the label goes: near the sender, clear of the crossing segment of a simultaneous
// open or close, and for a burst (segments one sender sends at one instant; compact, also
// within two rows of each other) at the first place along the arrow clear of the labels and
// arrows of the segments before it.

import { textWidth } from './format';
import { boundsOf, boundsOverlap, labelCorners, polygonsOverlap, type Point } from './geometry';
import { BADGE, burstLabel, burstLabelWidth, labelDrop, labelLinesWidth, segmentLabel, wrapLabel } from './labels';
import type { SegmentRecord } from './ledger';
import type { TimeScale } from './timeScale';
import { COMPACT, type ArrowItem, type Layout, type Lifeline, type SegmentMark } from './types';

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
  const { compact, layout, scale, eventY, lifelineByName, records } = ctx;
  const record = records[index];
  const { fields } = record;
  const xOf = (name: string) => lifelineByName.get(name)?.x ?? layout.axisWidth;
  // A burst: segments sent by one endpoint at one instant (the later ones have slot > 0; the
  // first is known by the next segment, of the same instant).
  const next = records[index + 1] as SegmentRecord | undefined;
  const burstHead = next !== undefined && next.slot > 0 && sameBurst(record, next);
  const follower = joins(record, before, ctx);
  const cluster = follower ? before : undefined;
  const inBurst = (record.slot > 0 || burstHead || follower) && record.duplicateOf === undefined;

  const x1 = xOf(fields.from);
  const xTo = xOf(fields.to);
  // The send (or duplicate) event's y: scale.y(record.sentAt, record.slot).
  const ya = eventY[record.origin];
  const marks: SegmentMark[] = [];
  if (record.retransmission) marks.push('retransmission');
  if (record.duplicateOf !== undefined) marks.push('duplicate');
  if (record.injected) marks.push('injected');
  if (record.probe) marks.push('probe');
  // RST has no legend entry: its label is bold.
  if (fields.flags.includes('RST')) marks.push('rst');
  let end: ArrowItem['end'];
  let x2 = xTo;
  let yb: number;
  let cross: ArrowItem['cross'];
  const eventIndices = [record.origin];
  const estimate = record.sentAt + ctx.flightOf(fields.from, fields.to);
  if (record.deliverAt !== undefined && record.deliverIndex !== undefined) {
    end = 'arrive';
    yb = eventY[record.deliverIndex];
    eventIndices.push(record.deliverIndex);
  } else if (record.dropAt !== undefined && record.dropIndex !== undefined) {
    eventIndices.push(record.dropIndex);
    const arrival = record.dropAt > record.sentAt ? record.dropAt : estimate;
    const yArrival = record.dropAt > record.sentAt ? scale.y(record.dropAt) : scale.y(arrival) + record.slot * layout.rowPx;
    if (DISCARDED_AT_RECEIVER.test(record.dropReason ?? '')) {
      end = 'discarded';
      yb = yArrival;
      cross = { x: xTo, y: yb };
      if (/^(corrupt|checksum)/i.test(record.dropReason ?? '')) marks.push('corrupt');
    } else {
      end = 'lost';
      x2 = (x1 + xTo) / 2;
      yb = (ya + yArrival) / 2;
      cross = { x: x2, y: yb };
      marks.push('lost');
    }
  } else {
    // In flight: drawn for the link's median flight time from where it left (not to where that
    // time falls on the scale, which moves with every later instant).
    end = 'inflight';
    yb = ya + scale.height(estimate - record.sentAt);
    marks.push('inflight');
  }
  const fullDx = xTo - x1;
  const fullDy = (end === 'lost' ? 2 * (yb - ya) : yb - ya) || 0.0001;
  // Text reads left to right whichever way the arrow goes.
  const angle = (Math.atan2(fullDx >= 0 ? fullDy : -fullDy, Math.abs(fullDx)) * 180) / Math.PI;
  // Labels sit near the sender (crossing arrows keep theirs apart); a burst sent at one
  // instant staggers them along the arrows so they do not pile up.
  // Compact: labels are nearly as long as the arrow, so they go about mid-way, a little
  // towards the receiver, where the wedge between an arrow and the one it answers is wider.
  const isCrossed = end !== 'lost' && crossed(records, index, record.deliverAt ?? record.dropAt ?? estimate);
  // A later segment of a burst (slot > 0) has a spare row above it: its label goes near the
  // sender, where the burst's arrows are still a spare row apart.
  // Wide: crossing arrows keep their labels near their senders, clear of each other at the crossing.
  let along = !compact ? (end === 'lost' ? 0.25 : isCrossed ? 0.22 : 0.3 + 0.14 * (Math.ceil(record.slot / 3) % 4)) : inBurst ? 0 : isCrossed ? 1 : 0.58;
  const wnd = ctx.windowLabels ? fields.wnd : undefined;
  const label = segmentLabel(fields.flags, record.shownSeq, record.shownAck, fields.len, wnd);
  const badges = marks.length === 0 ? NO_BADGES : marks.map((m) => BADGE[m]).filter((b) => b !== '');
  let labelLines: string[] | undefined;
  let labelBelow: boolean | undefined;
  let above = 16;
  let below = 8;
  if (compact) {
    // The label stays between the lifelines: wrapped to the arrow's length, and slid along it as needed.
    const length = Math.hypot(fullDx, fullDy);
    // A slanted label's top corners reach sideways past its baseline's ends by its height
    // times the slope (in lengths along the arrow).
    const slant = Math.min(3, Math.abs(Math.tan((angle * Math.PI) / 180)));
    const reach = (lines: number) => (lines * COMPACT.labelLinePx + 4) * slant;
    // A crossed arrow keeps its label in the receiver's half, clear of the crossing.
    const usable = isCrossed && !inBurst ? length / 2 : length;
    if (inBurst) {
      // One line above the arrow, near the sender where the burst's arrows are still apart: as
      // much of the label as fits in the first half (hover shows the rest).
      const room = length / 2 - 2 * COMPACT.labelPad - reach(1);
      labelLines = [burstLabel(fields.flags, record.shownSeq, record.shownAck, fields.len, badges, room, wnd)];
      labelBelow = undefined;
    } else {
      labelLines = wrapLabel(label, badges, usable - 2 * COMPACT.labelPad - reach(2));
      if (labelLines.length > 2) labelLines = wrapLabel(label, badges, usable - 2 * COMPACT.labelPad - reach(labelLines.length));
      labelBelow = end === 'lost' ? true : undefined;
    }
    const half = labelLinesWidth(labelLines, badges) / 2 + COMPACT.labelPad + reach(labelLines.length + (labelBelow ? labelDrop({ end }) / COMPACT.labelLinePx : 0));
    const center = Math.min(length - half, Math.max(half, along * length));
    along = half * 2 > length ? 0.5 : center / length;
    if (labelBelow) {
      below = labelDrop({ end }) + 8 + labelLines.length * COMPACT.labelLinePx;
    } else {
      above = 8 + labelLines.length * COMPACT.labelLinePx;
    }
  }
  const sender = lifelineByName.get(fields.from);
  if (!compact && !inBurst && sender?.side === 'center' && fullDx !== 0) {
    // Wide: a middle lifeline's state boxes are centred on it; the label starts beyond them.
    along = Math.max(along, (sender.boxWidth / 2 + 8 + textWidth(label, layout.fontPx) / 2) / Math.abs(fullDx));
  }
  let labelX = x1 + fullDx * along;
  let labelY = ya + fullDy * along;
  if (inBurst) {
    const chosen = placeInBurst(cluster?.shapes ?? [], { x1, ya, fullDx, fullDy, angle, end, labelLines, label, badges }, ctx);
    if (chosen) {
      along = chosen.along;
      labelX = x1 + fullDx * along;
      labelY = ya + fullDy * along;
      labelBelow = chosen.below ? true : undefined;
      if (chosen.below) below = Math.max(below, labelDrop({ end }) + 8 + COMPACT.labelLinePx);
      else above = Math.max(above, 8 + COMPACT.labelLinePx);
    }
  }
  const yMin = Math.min(ya, yb, labelY) - above;
  const yMax = Math.max(ya, yb, labelY) + below;
  const arrow: ArrowItem = {
    kind: 'arrow',
    key: `a:${record.id}`,
    y0: yMin,
    y1: yMax,
    events: eventIndices,
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
    cross,
    label,
    badges,
    marks,
    labelX,
    labelLines,
    labelBelow,
    labelY,
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

/**
 * A burst's arrows fan out from one point and may cross (jitter): the label takes the first
 * place along its arrow (from the sender on, above or, compact, below it) clear of the labels
 * and arrows placed before it (and before a lost segment's cross); failing that, the first
 * place clear of the labels only.
 */
function placeInBurst(
  placed: readonly Point[][],
  a: { x1: number; ya: number; fullDx: number; fullDy: number; angle: number; end: ArrowItem['end']; labelLines?: string[]; label: string; badges: string[] },
  ctx: ArrowContext,
): { along: number; below: boolean } | undefined {
  const { compact, layout } = ctx;
  const font = compact ? COMPACT.labelFontPx : layout.fontPx;
  const width = burstLabelWidth(a, compact, layout);
  const length = Math.hypot(a.fullDx, a.fullDy);
  const slant = Math.min(3, Math.abs(Math.tan((a.angle * Math.PI) / 180)));
  const half = width / 2 + (compact ? COMPACT.labelPad : 6) + (font + 6) * slant;
  // A lost segment's label stays before its cross when it can.
  const clearOfAll = Math.max(half, a.end === 'lost' ? length / 2 - 14 - half : length - half);
  const last = Math.max(half, length - half);
  // Most places along a long arrow are far from most shapes: their bounds tell without the full test.
  const placedBounds = placed.map(boundsOf);
  const overlaps = (corners: Point[], arrows: boolean) => {
    const bounds = boundsOf(corners);
    for (let i = 0; i < placed.length; i++) {
      if ((placed[i].length === 2) !== arrows) continue;
      if (boundsOverlap(bounds, placedBounds[i]) && polygonsOverlap(corners, placed[i])) return true;
    }
    return false;
  };
  let clearOfLabels: { along: number; below: boolean } | undefined;
  for (let at = half; at <= last; at += 6) {
    // Past the stretch where it may be clear of everything: the first place clear of the labels.
    if (at > clearOfAll && clearOfLabels) return clearOfLabels;
    for (const below of [false, true]) {
      const along = at / length;
      const corners = labelCorners(a.x1 + a.fullDx * along, a.ya + a.fullDy * along, a.angle, width, 1, below, labelDrop({ end: a.end }), font, COMPACT.labelLinePx);
      if (overlaps(corners, false)) continue;
      if (at <= clearOfAll && !overlaps(corners, true)) return { along, below };
      clearOfLabels ??= { along, below };
      if (at > clearOfAll) return clearOfLabels;
    }
  }
  return clearOfLabels;
}

