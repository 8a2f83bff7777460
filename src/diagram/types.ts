// The diagram model's types and layout constants (pure). A model is lifelines plus items with
// coordinates; every item keeps the trace event indices it came from and its scenario line,
// for highlighting the debugger's current event and for click -> reveal line.

import type { SegmentFields, TraceEvent } from '../engine/trace';
import type { Say } from './words';

export interface EndpointInfo {
  name: string;
  address: string;
  port: number;
  isn?: number;
}

export interface DiagramInput {
  events: readonly TraceEvent[];
  endpoints: readonly EndpointInfo[];
  scenario?: string;
  profile?: string;
}

export interface Layout {
  /** Left margin holding the time axis. */
  axisWidth: number;
  /** Least room outside the outer lifelines for state boxes and application calls (more when they need it). */
  outsideWidth: number;
  lifelineSpacing: number;
  /** Right column for expectations and notes without an endpoint (only when there are some). */
  expectWidth: number;
  headerHeight: number;
  /** Height of one row: events at the same instant on the same lifeline are stacked by rows. */
  rowPx: number;
  /** Least space between two distinct instants. */
  minGapPx: number;
  /** Height of the median flight time, which sets the linear scale. */
  flightPx: number;
  /** Gaps longer than this many median flight times are compressed. */
  linearFlights: number;
  /** Extra height per doubling of a compressed gap. */
  pxPerDoubling: number;
  bottomPx: number;
  fontPx: number;
}

export const DEFAULT_LAYOUT: Layout = {
  axisWidth: 78,
  outsideWidth: 150,
  lifelineSpacing: 460,
  expectWidth: 260,
  headerHeight: 56,
  rowPx: 16,
  minGapPx: 16,
  flightPx: 48,
  linearFlights: 2.5,
  pxPerDoubling: 40,
  bottomPx: 40,
  fontPx: 11,
};

export interface DiagramOptions {
  /** Show seq/ack relative to the ISNs (Wireshark's "relative sequence numbers"). */
  relative?: boolean;
  /** End each arrow's label with the window it advertises (`wnd=N`, the trace's window field). */
  windowLabels?: boolean;
  layout?: Partial<Layout>;
  /**
   * Width (px) the picture should fit, e.g. the panel's. Below COMPACT_BELOW the compact layout
   * is used: lifeline gap sized to the width, short time axis, labels wrapped in a smaller font.
   * Absent: the wide layout (CLI, export).
   */
  width?: number;
  /**
   * How many delivered segments set the scale (the median of their flight times): the first
   * SCALE_SAMPLE by default, so that the scale of a long run is fixed once it is under way.
   * Infinity: every one.
   */
  scaleSample?: number;
  /**
   * Says the words drawn inside the ladder (badges, timer names, the delivered note) in the
   * drawing's language, once per builder (labels.ts ladderWords); English by default.
   */
  say?: Say;
}

/** Delivered segments, in all and per link, whose flight times set the scale. */
export const SCALE_SAMPLE = 64;

/** Panels narrower than this get the compact layout; wider ones the wide layout as it always was. */
export const COMPACT_BELOW = 1000;

/** Wide layout: state boxes start this far from their lifeline, beyond two lanes of timer bars and labels. */
export const WIDE_BOX_OFFSET = 38;

/** Wide layout: the least room beside a middle lifeline's column for arrow labels (a long label fits). */
export const WIDE_LABEL_ROOM = 340;

/** Wide layout: room kept between an arrow label and a lifeline or a middle lifeline's column. */
export const WIDE_LABEL_PAD = 6;

/** Compact layout constants. */
export const COMPACT = {
  /** Label font (px) and line height of wrapped arrow labels. */
  labelFontPx: 10,
  labelLinePx: 12,
  /** Least room kept between a label and the lifelines, along the arrow. */
  labelPad: 8,
  /** Least lifeline gap: a label wrapped onto three lines (`FIN,ACK` / `seq=4294967295` / `ack=1 len=0`) fits. */
  minSpacing: 130,
  /** Least lifeline gap with three or more endpoints: a crossing arrow's wrapped label and a short arrow's label side by side. */
  minSpacingMany: 160,
  /** State boxes and notes start this far from their lifeline (the timer bars and labels are nearer). */
  boxOffset: 26,
  /** Room beyond the widest box or note of an outer lifeline. */
  outerPad: 6,
  /** Width of the expectation column, which shows only ✓ / ✗ (the message is in the tooltip). */
  expectWidth: 22,
  tickFontPx: 10,
  flightPx: 72,
  /** Idle time takes less height in a narrow panel (still longer wait, taller gap). */
  pxPerDoubling: 28,
};

/** Items taller than this (px) are kept out of the visible-range binary search. */
export const TALL_ITEM = 1500;

/** Why a segment is drawn specially; each used mark gets a legend entry. */
export type SegmentMark = 'retransmission' | 'duplicate' | 'corrupt' | 'injected' | 'probe' | 'lost' | 'rst' | 'inflight';

export type Side = 'left' | 'right' | 'center';

export interface Lifeline {
  name: string;
  address: string;
  port: number;
  isn?: number;
  x: number;
  /** Where state boxes and notes go: outside the picture for the outer lifelines. */
  side: Side;
  /** Widest state box and note beside this lifeline (layout). */
  boxWidth: number;
  noteWidth: number;
}

interface ItemBase {
  /** Stable key across rebuilds (for DOM reuse in the webview). */
  key: string;
  /** Vertical extent, for drawing only what is visible. */
  y0: number;
  y1: number;
  /** Trace event indices this item shows. */
  events: number[];
  /** Scenario line that caused it, if any. */
  line?: number;
}

export interface ArrowItem extends ItemBase {
  kind: 'arrow';
  id: string;
  from: string;
  to: string;
  segment: SegmentFields;
  /** seq and ack as the label shows them (relative or absolute). */
  shownSeq: number;
  shownAck: number;
  x1: number;
  ya: number;
  x2: number;
  yb: number;
  /** arrive: reached the receiver; lost: ends in a cross halfway; discarded: reached it and was thrown away; inflight: not arrived yet. */
  end: 'arrive' | 'lost' | 'discarded' | 'inflight';
  /** Where the cross is drawn for lost and discarded segments. */
  cross?: { x: number; y: number };
  label: string;
  badges: string[];
  marks: SegmentMark[];
  /** Label anchor and rotation (degrees), along the arrow near its sender so crossing arrows keep apart. */
  labelX: number;
  /** Compact layout: the label wrapped into lines (flags first), drawn in a smaller font above the arrow. */
  labelLines?: string[];
  /**
   * The label goes below the arrow (`labelDrop`): compact, for a lost segment, clear of the cross
   * and of the arrow it answers; both layouts, for a burst's segment when that is where it is
   * clear of the labels before it.
   */
  labelBelow?: boolean;
  labelY: number;
  angle: number;
  sentAt: number;
  /** Delivery or drop time. */
  endAt?: number;
  dropReason?: string;
  duplicateOf?: string;
}

export interface StateItem extends ItemBase {
  kind: 'state';
  endpoint: string;
  conn?: string;
  from: string;
  to: string;
  cause: string;
  t: number;
  /** Box, and the lifeline point it belongs to. */
  x: number;
  y: number;
  w: number;
  h: number;
  lifelineX: number;
  text: string;
}

export interface TimerItem extends ItemBase {
  kind: 'timer';
  endpoint: string;
  conn?: string;
  name: string;
  x: number;
  startAt: number;
  endAt: number;
  expires?: number;
  /** How the span ended: fired, cancelled, restarted, or still pending at the end of the trace. */
  end: 'fire' | 'cancel' | 'restart' | 'pending';
  label: string;
  /** Where the rotated label goes (drawn when the bar is long enough); undefined: no room for it (hover shows it). */
  labelX?: number;
}

export interface NoteItem extends ItemBase {
  kind: 'note';
  endpoint?: string;
  noteKind: 'app' | 'data' | 'note';
  text: string;
  x: number;
  y: number;
  anchor: 'start' | 'middle' | 'end';
  /** Compact layout: a long note wrapped, a row per line. */
  lines?: string[];
  error?: string;
  t: number;
}

export interface ExpectItem extends ItemBase {
  kind: 'expect';
  ok: boolean;
  message: string;
  expected?: string;
  actual?: string;
  x: number;
  y: number;
  t: number;
}

export interface GapItem extends ItemBase {
  kind: 'gap';
  from: number;
  to: number;
  text: string;
}

export interface TickItem extends ItemBase {
  kind: 'tick';
  t: number;
  y: number;
  text: string;
}

export type DiagramItem = ArrowItem | StateItem | TimerItem | NoteItem | ExpectItem | GapItem | TickItem;

export interface LegendEntry {
  mark: SegmentMark | 'timer' | 'gap' | 'expect-ok' | 'expect-failed' | 'state';
  label: string;
}

/**
 * What every view of a model shares, whole (DiagramModel) or live (the incremental builder's
 * `view`): the frame items are drawn in. The SVG writer and the webview draw from it.
 */
export interface ModelFrame {
  title?: string;
  /** Laid out for a narrow panel (DiagramOptions.width): wrapped labels, expectations shown as ✓ / ✗ only. */
  compact: boolean;
  profile: string;
  relative: boolean;
  layout: Layout;
  width: number;
  height: number;
  lifelines: Lifeline[];
  legend: LegendEntry[];
  /** Median flight time (ms) that set the scale; px per ms in the linear range. */
  medianFlight: number;
  pxPerMs: number;
  /** Last instant of the trace. */
  endTime: number;
}

export interface DiagramModel extends ModelFrame {
  /** Sorted by y0. */
  items: DiagramItem[];
  /** Trace event index -> index into items (-1 when no item shows it). */
  eventToItem: Int32Array;
  /** Trace event index -> its y. */
  eventY: Float64Array;
  /** The tallest item height apart from `tallItems`, to find the visible ones by binary search. */
  maxItemHeight: number;
  /** Indices of items taller than TALL_ITEM px, checked one by one. */
  tallItems: number[];
}
