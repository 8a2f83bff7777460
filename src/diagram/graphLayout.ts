// The time–sequence graph's layout (pure): the frame (two plots sharing the time axis: sequence
// numbers above, cwnd and ssthresh below; their domains, ticks and legend) and the shapes of the
// series in pixels, a chunk of points at a time. A chunk's shape depends only on its points and
// the frame, so a debugger step redraws the last chunk of each series it added to, and a frame
// that stays (the axes grow in whole ticks, graphAxes.ts) keeps every other chunk as it is.

import { formatBytesShort, formatTimeTick, grownDomain, niceDomain, niceStep, ticks } from './graphAxes';
import { extentOf, type GraphAck, type GraphDirection, type GraphExtent, type GraphPoint, type GraphSegment, type GraphWindow, type SeriesName } from './graphData';
import { textWidth } from './format';
import { ENGLISH_SAY, GRAPH_LEGEND_WORDS, GRAPH_WORDS, type GraphLegendMark, type Say } from './words';

export type { GraphLegendMark } from './words';

/** Points per chunk of a series. */
export const CHUNK = 64;

export interface Domain {
  min: number;
  max: number;
  step: number;
}

export interface PlotArea {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Tick {
  at: number;
  text: string;
}

export interface GraphLegendEntry {
  mark: GraphLegendMark;
  label: string;
  x: number;
  y: number;
}

/** A time window the user zoomed to (ms); the sequence axis fits what lies in it. */
export interface GraphZoom {
  tMin: number;
  tMax: number;
}

export interface GraphFrameOptions {
  width: number;
  height: number;
  zoom?: GraphZoom;
  /** The frame drawn before: its domains are kept while the data fits them. */
  previous?: GraphFrame;
  /** Leave room at the top for a title (the standalone SVG). */
  titleHeight?: number;
  /** The language of the legend, the plot titles and a later connection's title (words.ts GRAPH_*); English by default. */
  say?: Say;
}

export interface GraphFrame {
  width: number;
  height: number;
  /** The direction shown (`from>to`), with its title. */
  key: string;
  title: string;
  time: Domain;
  seqDomain: Domain;
  windowDomain: Domain;
  seq: PlotArea;
  /** The cwnd plot; absent when the trace carries no cwnd for this direction. */
  cc?: PlotArea;
  timeTicks: Tick[];
  seqTicks: Tick[];
  windowTicks: Tick[];
  legend: GraphLegendEntry[];
  seqTitle: string;
  windowTitle: string;
  /** Equal signatures: every chunk drawn for one frame is right for the other. */
  signature: string;
  zoomed: boolean;
}

const FONT = 10;
const LEGEND_FONT = 11;
const LEFT = 50;
const RIGHT = 14;
const ROW = 16;
const PLOT_TITLE = 16;
const BOTTOM = 20;

/** The frame for direction `d` at this size. */
export function graphFrame(d: GraphDirection, options: GraphFrameOptions): GraphFrame {
  const width = Math.max(200, options.width);
  const height = Math.max(160, options.height);
  const zoom = options.zoom;
  const extent = zoom ? extentIn(d, zoom.tMin, zoom.tMax) : extentOf(d);
  const hasCc = d.windows.length > 0;
  const say = options.say ?? ENGLISH_SAY;
  const legend = legendEntries(d, width, options.titleHeight ?? 0, say);
  const legendBottom = legend.length ? legend[legend.length - 1].y + ROW / 2 : (options.titleHeight ?? 0);
  const top = legendBottom + PLOT_TITLE + 4;
  const available = height - top - BOTTOM - (hasCc ? PLOT_TITLE + 8 : 0);
  const ccHeight = hasCc ? Math.max(56, Math.round(available * 0.3)) : 0;
  const seq: PlotArea = { x: LEFT, y: top, width: width - LEFT - RIGHT, height: Math.max(40, available - ccHeight) };
  const cc: PlotArea | undefined = hasCc ? { x: LEFT, y: seq.y + seq.height + PLOT_TITLE + 8, width: seq.width, height: ccHeight } : undefined;
  const previous = options.previous?.key === d.key && options.previous.zoomed === !!zoom ? options.previous : undefined;

  const timeCount = Math.max(2, Math.floor(seq.width / 90));
  let time: Domain;
  if (zoom) {
    time = { min: zoom.tMin, max: zoom.tMax, step: niceStep(zoom.tMax - zoom.tMin, timeCount) };
  } else {
    const tMin = Number.isFinite(extent.tMin) ? extent.tMin : 0;
    const tMax = Math.max(tMin + 1e-3, Number.isFinite(extent.tMax) ? extent.tMax : 1);
    time = grownDomain(previous?.time, tMin, tMax, timeCount);
  }
  const seqCount = Math.max(2, Math.floor(seq.height / 36));
  const seqLo = Math.min(0, Number.isFinite(extent.seqMin) ? extent.seqMin : 0);
  const seqHi = Number.isFinite(extent.seqMax) ? Math.max(extent.seqMax, seqLo + 1) : 1;
  const seqDomain = zoom ? niceDomain(extent.seqMin, extent.seqMax, seqCount) : grownDomain(previous?.seqDomain, seqLo, seqHi, seqCount);
  const windowCount = Math.max(2, Math.floor(ccHeight / 28));
  const windowDomain = grownDomain(previous?.windowDomain, 0, Math.max(1, extent.windowMax), windowCount);

  const timeTicks = ticks(time.min, time.max, time.step).map((at) => ({ at, text: formatTimeTick(at) }));
  const seqTicks = ticks(seqDomain.min, seqDomain.max, seqDomain.step).map((at) => ({ at, text: formatBytesShort(at) }));
  const windowTicks = cc ? ticks(windowDomain.min, windowDomain.max, windowDomain.step).map((at) => ({ at, text: formatBytesShort(at) })) : [];
  const title = directionTitle(d, say);
  const signature = JSON.stringify([width, height, d.key, time.min, time.max, seqDomain.min, seqDomain.max, windowDomain.max, seq, cc ?? null]);
  const seqTitle = say(GRAPH_WORDS.seqTitle);
  const windowTitle = say(GRAPH_WORDS.windowTitle);
  return { width, height, key: d.key, title, time, seqDomain, windowDomain, seq, cc, timeTicks, seqTicks, windowTicks, legend, seqTitle, windowTitle, signature, zoomed: !!zoom };
}

/** `client → server`, and from the second connection between them on `client → server (connection 2, from 14 s)`. */
export function directionTitle(d: GraphDirection, say: Say = ENGLISH_SAY): string {
  const names = `${d.from} → ${d.to}`;
  if (d.connection < 2) return names;
  return `${names} (${say(GRAPH_WORDS.connection, d.connection, formatTimeTick(d.since))})`;
}

/** The legend: only what this direction draws, in rows that fit the width. */
function legendEntries(d: GraphDirection, width: number, top: number, say: Say): GraphLegendEntry[] {
  const all = extentOf(d);
  const marks: GraphLegendMark[] = [];
  if (d.segments.length) marks.push('segment');
  if (all.retransmissions) marks.push('retransmission');
  if (d.losses.length) marks.push('lost');
  if (d.acks.length) marks.push('ack', 'window');
  if (all.duplicates) marks.push('duplicate-ack');
  if (all.sacks) marks.push('sack');
  if (d.windows.length) marks.push('cwnd');
  if (all.ssthresholds) marks.push('ssthresh');
  const out: GraphLegendEntry[] = [];
  let x = LEFT;
  let y = top + ROW / 2 + 2;
  for (const mark of marks) {
    const label = say(GRAPH_LEGEND_WORDS[mark]);
    const w = legendEntryWidth(label);
    if (x + w > width - RIGHT && x > LEFT) {
      x = LEFT;
      y += ROW;
    }
    out.push({ mark, label, x, y });
    x += w;
  }
  return out;
}

/** Width of a legend entry: its sample, its text and the gap after it. */
export function legendEntryWidth(label: string): number {
  return 22 + 5 + textWidth(label, LEGEND_FONT) + 14;
}

/** Extent of the points in [tMin, tMax] (a zoomed view fits its sequence axis to them). */
export function extentIn(d: GraphDirection, tMin: number, tMax: number): GraphExtent {
  const e: GraphExtent = { tMin, tMax, seqMin: Infinity, seqMax: -Infinity, windowMax: 0, retransmissions: 0, sacks: 0, ssthresholds: 0, duplicates: 0 };
  for (const s of between(d.segments, tMin, tMax)) {
    e.seqMin = Math.min(e.seqMin, s.lo);
    e.seqMax = Math.max(e.seqMax, s.hi);
  }
  for (const a of between(d.acks, tMin, tMax)) {
    e.seqMin = Math.min(e.seqMin, a.ack);
    e.seqMax = Math.max(e.seqMax, a.ack);
  }
  // The cwnd plot keeps the whole run's scale (and a zoomed step costs what lies in the window).
  e.windowMax = extentOf(d).windowMax;
  if (!Number.isFinite(e.seqMin)) {
    // Nothing in the window: the ACK line's level at its start.
    const before = d.acks[firstAtOrAfter(d.acks, tMin) - 1];
    e.seqMin = before ? before.ack - 1 : 0;
    e.seqMax = e.seqMin + 2;
  }
  return e;
}

/** Index of the first point at or after `t` in a series sorted by time. */
export function firstAtOrAfter(points: readonly { t: number }[], t: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function* between<T extends { t: number }>(points: readonly T[], tMin: number, tMax: number): Generator<T> {
  for (let i = firstAtOrAfter(points, tMin); i < points.length && points[i].t <= tMax; i++) yield points[i];
}

// ---- pixels ----------------------------------------------------------------------------------

export function xOf(f: GraphFrame, t: number): number {
  return f.seq.x + ((t - f.time.min) / (f.time.max - f.time.min)) * f.seq.width;
}

export function tOf(f: GraphFrame, x: number): number {
  return f.time.min + ((x - f.seq.x) / f.seq.width) * (f.time.max - f.time.min);
}

export function ySeq(f: GraphFrame, v: number): number {
  const { min, max } = f.seqDomain;
  return f.seq.y + f.seq.height - ((v - min) / (max - min)) * f.seq.height;
}

export function yWindow(f: GraphFrame, v: number): number {
  const cc = f.cc ?? f.seq;
  const { min, max } = f.windowDomain;
  return cc.y + cc.height - ((v - min) / (max - min)) * cc.height;
}

/**
 * The receive window's right edge in pixels, held inside the plot: while the window is large it
 * lies far above the data, and the sequence axis keeps the data's scale (the edge is not in the
 * extent, graphData.ts); chevrons at the top mark where it runs above (windowEdgeLabel its value).
 */
export function yEdge(f: GraphFrame, v: number): number {
  return Math.max(f.seq.y, Math.min(f.seq.y + f.seq.height, ySeq(f, v)));
}

/** Whether the window's edge lies above the sequence plot. */
export function edgeAbove(f: GraphFrame, v: number): boolean {
  return v > f.seqDomain.max;
}

/** One decimal: short path text, sharp enough. Far outside the plot, clamped (the clip hides it). */
function r(v: number): number {
  return Math.round(Math.max(-1e6, Math.min(1e6, v)) * 10) / 10;
}

// ---- chunks ----------------------------------------------------------------------------------

export interface ChunkPath {
  /** CSS class: tsg-seg, tsg-retx, tsg-lost, tsg-ack, tsg-dupack, tsg-win, tsg-win-above, tsg-sack, tsg-cwnd, tsg-ssthresh. */
  cls: string;
  d: string;
}

export interface ChunkShape {
  key: string;
  /** The plot it is clipped to. */
  plot: 'seq' | 'cc';
  paths: ChunkPath[];
}

/** The chunks of each series: how many there are, and whether one meets the time window. */
export function chunkCount(length: number): number {
  return Math.ceil(length / CHUNK);
}

/** A chunk's signature: its points (by serial, so points made again differ) and the one before it (where its line starts). */
export function chunkSignature(d: GraphDirection, series: SeriesName, k: number): string {
  const points = d[series];
  const start = k * CHUNK;
  const end = Math.min(points.length, start + CHUNK);
  const before = start > 0 ? points[start - 1].serial : -1;
  return `${series}:${k}:${before}:${points[start]?.serial}:${points[end - 1]?.serial}:${end - start}`;
}

/** Whether chunk k of a series may show in the frame's time window (its points, and the line from the one before). */
export function chunkVisible(f: GraphFrame, d: GraphDirection, series: SeriesName, k: number): boolean {
  const points = d[series];
  const start = k * CHUNK;
  const end = Math.min(points.length, start + CHUNK);
  if (start >= end) return false;
  if (series === 'losses') {
    for (let i = start; i < end; i++) if (points[i].t >= f.time.min && points[i].t <= f.time.max) return true;
    return false;
  }
  const first = (start > 0 && series !== 'segments' ? points[start - 1] : points[start]).t;
  // A line's chunk starts at the point before it (the step from there is its to draw).
  return first <= f.time.max && points[end - 1].t >= f.time.min;
}

/** The paths of chunk k of a series, in pixels. */
export function chunkShape(f: GraphFrame, d: GraphDirection, series: SeriesName, k: number): ChunkShape {
  const key = `${d.key}:${series}:${k}`;
  const start = k * CHUNK;
  switch (series) {
    case 'segments':
      return { key, plot: 'seq', paths: segmentPaths(f, d.segments, start) };
    case 'acks':
      return { key, plot: 'seq', paths: ackPaths(f, d.acks, start) };
    case 'losses': {
      let lost = '';
      const end = Math.min(d.losses.length, start + CHUNK);
      for (let i = start; i < end; i++) lost += cross(xOf(f, d.losses[i].t), ySeq(f, d.losses[i].hi), 4);
      return { key, plot: 'seq', paths: [{ cls: 'tsg-lost', d: lost }] };
    }
    case 'windows':
      return { key, plot: 'cc', paths: windowPaths(f, d.windows, start) };
  }
}

function cross(x: number, y: number, s: number): string {
  return `M${r(x - s)} ${r(y - s)}l${2 * s} ${2 * s}M${r(x - s)} ${r(y + s)}l${2 * s} ${-2 * s}`;
}

/** A segment's bar from its first to past its last byte, at least 3 px tall; with end ticks (an I-beam) when it is tall enough to read them. */
export function segmentBar(f: GraphFrame, s: GraphSegment): { x: number; y0: number; y1: number } {
  const x = xOf(f, s.t);
  let y0 = ySeq(f, s.lo);
  let y1 = ySeq(f, s.hi);
  if (y0 - y1 < 3) {
    const mid = (y0 + y1) / 2;
    y0 = mid + 1.5;
    y1 = mid - 1.5;
  }
  return { x, y0, y1 };
}

function segmentPaths(f: GraphFrame, segments: readonly GraphSegment[], start: number): ChunkPath[] {
  let seg = '';
  let retx = '';
  const end = Math.min(segments.length, start + CHUNK);
  for (let i = start; i < end; i++) {
    const s = segments[i];
    const { x, y0, y1 } = segmentBar(f, s);
    let p = `M${r(x)} ${r(y0)}V${r(y1)}`;
    if (y0 - y1 >= 8) p += `M${r(x - 2.5)} ${r(y0)}h5M${r(x - 2.5)} ${r(y1)}h5`;
    if (s.retransmission) retx += p;
    else seg += p;
  }
  const out: ChunkPath[] = [];
  if (seg) out.push({ cls: 'tsg-seg', d: seg });
  if (retx) out.push({ cls: 'tsg-retx', d: retx });
  return out;
}

function ackPaths(f: GraphFrame, acks: readonly GraphAck[], start: number): ChunkPath[] {
  const end = Math.min(acks.length, start + CHUNK);
  const first = start > 0 ? acks[start - 1] : acks[start];
  let ack = `M${r(xOf(f, first.t))} ${r(ySeq(f, first.ack))}`;
  let win = `M${r(xOf(f, first.t))} ${r(yEdge(f, first.edge))}`;
  let sack = '';
  let dup = '';
  let above = '';
  for (let i = start > 0 ? start : start + 1; i < end; i++) {
    const a = acks[i];
    const x = r(xOf(f, a.t));
    ack += `H${x}V${r(ySeq(f, a.ack))}`;
    win += `H${x}V${r(yEdge(f, a.edge))}`;
  }
  for (let i = start; i < end; i++) {
    const a = acks[i];
    const x = r(xOf(f, a.t));
    // Where the edge goes above the plot or moves while there: a chevron pointing up at the top.
    const before = acks[i - 1];
    if (edgeAbove(f, a.edge) && (!before || !edgeAbove(f, before.edge) || before.edge !== a.edge)) above += `M${r(x - 3.5)} ${r(f.seq.y + 5)}l3.5 -4l3.5 4`;
    // A duplicate ACK: a short tick below the line, so three of them can be counted.
    if (a.duplicate) dup += `M${x} ${r(ySeq(f, a.ack) + 2)}v5`;
    if (a.sack) for (let b = 0; b + 1 < a.sack.length; b += 2) sack += `M${r(x + 1.5)} ${r(ySeq(f, a.sack[b]))}V${r(ySeq(f, a.sack[b + 1]))}`;
  }
  const out: ChunkPath[] = [
    { cls: 'tsg-win', d: win },
    { cls: 'tsg-ack', d: ack },
  ];
  if (above) out.push({ cls: 'tsg-win-above', d: above });
  if (dup) out.push({ cls: 'tsg-dupack', d: dup });
  if (sack) out.push({ cls: 'tsg-sack', d: sack });
  return out;
}

function windowPaths(f: GraphFrame, windows: readonly GraphWindow[], start: number): ChunkPath[] {
  const end = Math.min(windows.length, start + CHUNK);
  const first = start > 0 ? windows[start - 1] : windows[start];
  let cwnd = `M${r(xOf(f, first.t))} ${r(yWindow(f, first.cwnd))}`;
  let ssthresh = first.ssthresh !== undefined ? `M${r(xOf(f, first.t))} ${r(yWindow(f, first.ssthresh))}` : '';
  let open = first.ssthresh !== undefined;
  for (let i = start > 0 ? start : start + 1; i < end; i++) {
    const w = windows[i];
    const x = r(xOf(f, w.t));
    cwnd += `H${x}V${r(yWindow(f, w.cwnd))}`;
    if (w.ssthresh === undefined) open = false;
    else if (open) ssthresh += `H${x}V${r(yWindow(f, w.ssthresh))}`;
    else {
      ssthresh += `M${x} ${r(yWindow(f, w.ssthresh))}`;
      open = true;
    }
  }
  const out: ChunkPath[] = [{ cls: 'tsg-cwnd', d: cwnd }];
  if (ssthresh) out.push({ cls: 'tsg-ssthresh', d: ssthresh });
  return out;
}

/** The lines from their last point on to `now` (ms): the ACK and window levels, cwnd and ssthresh hold until they change. */
export function tailPaths(f: GraphFrame, d: GraphDirection, now: number): ChunkPath[] {
  const out: ChunkPath[] = [];
  const a = d.acks[d.acks.length - 1];
  const xNow = r(xOf(f, now));
  if (a && now > a.t) {
    out.push({ cls: 'tsg-win', d: `M${r(xOf(f, a.t))} ${r(yEdge(f, a.edge))}H${xNow}` });
    out.push({ cls: 'tsg-ack', d: `M${r(xOf(f, a.t))} ${r(ySeq(f, a.ack))}H${xNow}` });
  }
  const w = d.windows[d.windows.length - 1];
  if (w && now > w.t) {
    out.push({ cls: 'tsg-cwnd', d: `M${r(xOf(f, w.t))} ${r(yWindow(f, w.cwnd))}H${xNow}` });
    if (w.ssthresh !== undefined) out.push({ cls: 'tsg-ssthresh', d: `M${r(xOf(f, w.t))} ${r(yWindow(f, w.ssthresh))}H${xNow}` });
  }
  return out;
}

/**
 * The value of the window's edge where its line ends in view (at `now` or the time axis's end),
 * when it runs above the plot there: `↑ 64k` just under the top, right-aligned at that end.
 */
export function windowEdgeLabel(f: GraphFrame, d: GraphDirection, now: number): { x: number; y: number; text: string; edge: number } | undefined {
  const end = Math.min(now, f.time.max);
  let i = firstAtOrAfter(d.acks, end);
  while (i < d.acks.length && d.acks[i].t <= end) i++;
  const a = d.acks[i - 1];
  if (!a || !edgeAbove(f, a.edge)) return undefined;
  const x = Math.min(f.seq.x + f.seq.width, xOf(f, Math.max(end, a.t)));
  return { x: x - 3, y: f.seq.y + 17, text: `↑ ${formatBytesShort(a.edge)}`, edge: a.edge };
}

export const SERIES: readonly SeriesName[] = ['acks', 'segments', 'losses', 'windows'];

// ---- points: highlight and hit test ------------------------------------------------------------

/** Where a point is drawn (the highlight's ring): a segment's top, an ACK's corner, a loss's cross, a window's step. */
export function pointXY(f: GraphFrame, p: GraphPoint): { x: number; y: number } | undefined {
  const d = p.direction;
  if (d.key !== f.key) return undefined;
  switch (p.series) {
    case 'segments': {
      const s = d.segments[p.at];
      return s && { x: xOf(f, s.t), y: (segmentBar(f, s).y0 + segmentBar(f, s).y1) / 2 };
    }
    case 'acks': {
      const a = d.acks[p.at];
      return a && { x: xOf(f, a.t), y: ySeq(f, a.ack) };
    }
    case 'losses': {
      const l = d.losses[p.at];
      return l && { x: xOf(f, l.t), y: ySeq(f, l.hi) };
    }
    case 'windows': {
      const w = d.windows[p.at];
      return w && { x: xOf(f, w.t), y: yWindow(f, w.cwnd) };
    }
  }
}

export interface GraphHit {
  series: SeriesName;
  at: number;
  /** The trace index of the event it shows. */
  index: number;
  distance: number;
}

/** The point nearest (x, y) within `radius` px: what a click reveals, what a hover describes. */
export function hitTest(f: GraphFrame, d: GraphDirection, x: number, y: number, radius = 7): GraphHit | undefined {
  const inSeq = y >= f.seq.y - radius && y <= f.seq.y + f.seq.height + radius;
  const inCc = f.cc !== undefined && y >= f.cc.y - radius && y <= f.cc.y + f.cc.height + radius;
  if (!inSeq && !inCc) return undefined;
  const t0 = tOf(f, x - radius);
  const t1 = tOf(f, x + radius);
  let best: GraphHit | undefined;
  const consider = (series: SeriesName, at: number, index: number, distance: number) => {
    if (distance <= radius && (!best || distance < best.distance)) best = { series, at, index, distance };
  };
  if (inSeq) {
    for (let i = firstAtOrAfter(d.segments, t0); i < d.segments.length && d.segments[i].t <= t1; i++) {
      const s = d.segments[i];
      const bar = segmentBar(f, s);
      const dy = y > bar.y0 ? y - bar.y0 : y < bar.y1 ? bar.y1 - y : 0;
      consider('segments', i, s.index, Math.hypot(x - bar.x, dy));
    }
    for (let i = firstAtOrAfter(d.acks, t0); i < d.acks.length && d.acks[i].t <= t1; i++) {
      const a = d.acks[i];
      // An ACK is found a little off its corner, and after a segment at the same spot.
      consider('acks', i, a.index, Math.hypot(x - xOf(f, a.t), y - ySeq(f, a.ack)) + 0.5);
    }
    d.losses.forEach((l, i) => {
      if (l.t >= t0 && l.t <= t1) consider('losses', i, l.index, Math.hypot(x - xOf(f, l.t), y - ySeq(f, l.hi)) - 1);
    });
  }
  if (inCc) {
    for (let i = firstAtOrAfter(d.windows, t0); i < d.windows.length && d.windows[i].t <= t1; i++) {
      const w = d.windows[i];
      consider('windows', i, w.index, Math.hypot(x - xOf(f, w.t), y - yWindow(f, w.cwnd)));
    }
  }
  return best;
}

/** Values of the graph's fields that are words, not names or numbers (said like the names). */
const GRAPH_FIXED_VALUES = new Set(['yes', 'zero-window', 'not set yet (slow start)']);

/** The fields of a point for its tooltip, names and fixed values said through `say` (English when absent), like the ladder's. */
export function pointFields(d: GraphDirection, series: SeriesName, at: number, say: Say = ENGLISH_SAY): [string, string][] {
  return englishPointFields(d, series, at).map(([name, value]) => [say(name), GRAPH_FIXED_VALUES.has(value) ? say(value) : value]);
}

function englishPointFields(d: GraphDirection, series: SeriesName, at: number): [string, string][] {
  const rows: [string, string][] = [];
  switch (series) {
    case 'segments': {
      const s = d.segments[at];
      rows.push(['segment', `${d.from} → ${d.to}`]);
      rows.push(['sent at', formatTimeTick(s.t)]);
      rows.push(['seq (relative)', `${s.lo}–${s.hi}`]);
      rows.push(['len', String(s.len)]);
      if (s.flags.some((x) => x !== 'ACK')) rows.push(['flags', s.flags.join(',')]);
      if (s.retransmission) rows.push(['retransmission', 'yes']);
      if (s.probe) rows.push(['probe', 'zero-window']);
      // Several segments may leave at one instant: the window point is the one of this send.
      let k = firstAtOrAfter(d.windows, s.t);
      while (k < d.windows.length && d.windows[k].t === s.t && d.windows[k].index !== s.index) k++;
      const w = d.windows[k];
      if (w && w.index === s.index) {
        rows.push(['cwnd', String(w.cwnd)]);
        if (w.ssthresh !== undefined) rows.push(['ssthresh', String(w.ssthresh)]);
      }
      break;
    }
    case 'acks': {
      const a = d.acks[at];
      rows.push(['ACK', `${d.to} → ${d.from}`]);
      rows.push(['arrived at', formatTimeTick(a.t)]);
      rows.push(['ack (relative)', String(a.ack)]);
      rows.push(['wnd', String(a.wnd)]);
      rows.push(['window edge', String(a.edge)]);
      if (a.duplicate) rows.push(['duplicate', 'yes']);
      if (a.sack) {
        const blocks: string[] = [];
        for (let b = 0; b + 1 < a.sack.length; b += 2) blocks.push(`${a.sack[b]}–${a.sack[b + 1]}`);
        rows.push(['SACK', blocks.join(', ')]);
      }
      break;
    }
    case 'losses': {
      const l = d.losses[at];
      rows.push(['lost segment', `${d.from} → ${d.to}`]);
      rows.push(['sent at', formatTimeTick(l.t)]);
      rows.push(['seq (relative)', `${l.lo}–${l.hi}`]);
      rows.push(['dropped', l.reason]);
      break;
    }
    case 'windows': {
      const w = d.windows[at];
      rows.push(['sender', d.from]);
      rows.push(['at', formatTimeTick(w.t)]);
      rows.push(['cwnd', String(w.cwnd)]);
      rows.push(['ssthresh', w.ssthresh !== undefined ? String(w.ssthresh) : 'not set yet (slow start)']);
      break;
    }
  }
  return rows;
}

/** Tick texts' font and the legend's, for the SVG. */
export const GRAPH_FONT = { tick: FONT, legend: LEGEND_FONT };
