// Trace -> ladder diagram model (pure). Lifelines per endpoint, time flowing down in
// proportion to virtual time with long idle gaps compressed logarithmically (so a 4 min
// TIME-WAIT stays the longest wait without making the picture a mile long), arrows from
// send time to delivery time (so they slant by flight time and simultaneous segments cross).
// Every item keeps the trace indices it came from and its scenario line, for highlighting
// the debugger's current event and for click -> reveal line.

import { flagLabel, type AppEvent, type DataEvent, type NoteEvent, type SegmentFields, type TraceEvent } from '../../../src/engine/trace';
import { formatDuration, formatTime, textWidth } from '../../../src/diagram/format';

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
  layout?: Partial<Layout>;
  /**
   * Width (px) the picture should fit, e.g. the panel's. Below COMPACT_BELOW the compact layout
   * is used: lifeline gap sized to the width, short time axis, labels wrapped in a smaller font.
   * Absent: the wide layout (CLI, export).
   */
  width?: number;
}

/** Panels narrower than this get the compact layout; wider ones the wide layout as it always was. */
export const COMPACT_BELOW = 1000;

/** Compact layout: how far below its arrow the first baseline of a label drawn below it lies (clear of a lost segment's cross). */
export function labelDrop(arrow: { end: ArrowItem['end'] }): number {
  return arrow.end === 'lost' ? 18 : 13;
}

/** Wide layout: state boxes start this far from their lifeline, beyond two lanes of timer bars and labels. */
const WIDE_BOX_OFFSET = 38;

/** Label and arrow shapes of a sender's last segments that a new label in their cluster keeps clear of (two per segment). */
const CLUSTER_SHAPES = 24;

/** How many later segments the compact layout looks at to find one crossing a segment. */
const CROSS_SCAN = 64;

/** Compact layout constants. */
const COMPACT = {
  /** Label font (px) and line height of wrapped arrow labels. */
  labelFontPx: 10,
  labelLinePx: 12,
  /** Least room kept between a label and the lifelines, along the arrow. */
  labelPad: 8,
  /** Least lifeline gap: a label wrapped onto three lines (`FIN,ACK` / `seq=4294967295` / `ack=1 len=0`) fits. */
  minSpacing: 130,
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
  /** Where the rotated label goes. */
  labelX: number;
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

export interface DiagramModel {
  title?: string;
  /** Laid out for a narrow panel (DiagramOptions.width): wrapped labels, expectations shown as ✓ / ✗ only. */
  compact: boolean;
  profile: string;
  relative: boolean;
  layout: Layout;
  width: number;
  height: number;
  lifelines: Lifeline[];
  /** Sorted by y0. */
  items: DiagramItem[];
  legend: LegendEntry[];
  /** Trace event index -> index into items (-1 when no item shows it). */
  eventToItem: Int32Array;
  /** Trace event index -> its y. */
  eventY: Float64Array;
  /** The tallest item height apart from `tallItems`, to find the visible ones by binary search. */
  maxItemHeight: number;
  /** Indices of items taller than TALL_ITEM px, checked one by one. */
  tallItems: number[];
  /** Median flight time (ms) that set the scale; px per ms in the linear range. */
  medianFlight: number;
  pxPerMs: number;
  /** Last instant of the trace. */
  endTime: number;
}

const LEGEND_TEXT: Record<LegendEntry['mark'], string> = {
  lost: 'lost segment (ends in a cross)',
  retransmission: 'retransmission',
  duplicate: 'duplicate made by the network',
  corrupt: 'corrupted: fails the checksum, discarded',
  injected: 'injected (crafted) segment',
  probe: 'keep-alive or zero-window probe',
  rst: 'reset (RST)',
  inflight: 'in flight',
  timer: 'timer running (bar beside the lifeline)',
  gap: 'idle time compressed; duration written',
  'expect-ok': 'expectation held',
  'expect-failed': 'expectation failed',
  state: 'state change',
};

const LEGEND_ORDER: LegendEntry['mark'][] = [
  'state',
  'lost',
  'retransmission',
  'duplicate',
  'corrupt',
  'injected',
  'probe',
  'rst',
  'inflight',
  'timer',
  'gap',
  'expect-ok',
  'expect-failed',
];

export const BADGE: Record<SegmentMark, string> = {
  retransmission: 'RETX',
  duplicate: 'DUP',
  corrupt: 'CORRUPT',
  injected: 'INJECTED',
  probe: 'PROBE',
  lost: 'LOST',
  rst: '',
  inflight: '',
};

const TIMER_LABEL: Record<string, string> = {
  'time-wait': 'TIME-WAIT 2·MSL',
  retransmission: 'RTO',
  keepalive: 'keep-alive',
  'delayed-ack': 'delayed ACK',
  'user-timeout': 'user timeout',
  'zero-window-probe': 'persist',
};

/** Drop reasons meaning the segment reached the receiver and was thrown away there. */
const DISCARDED_AT_RECEIVER = /^(corrupt|checksum|no listener|crashed)/i;

const MOD32 = 2 ** 32;
const NO_BADGES: string[] = [];
/** Items taller than this (px) are kept out of the visible-range binary search. */
const TALL_ITEM = 1500;

interface SegmentRecord {
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
  /** The arrow the builder last made for it, and in which update (for reuse). */
  item?: ArrowItem;
  itemGeneration?: number;
}

function addCount(counts: Map<number, number>, value: number, sign: 1 | -1): void {
  const n = (counts.get(value) ?? 0) + sign;
  if (n > 0) counts.set(value, n);
  else counts.delete(value);
}

/** Median of a multiset given as value -> count: the same number `median` gives for the values. */
function medianOfCounts(counts: Map<number, number>): number | undefined {
  let total = 0;
  for (const n of counts.values()) total += n;
  if (total === 0) return undefined;
  const values = [...counts.keys()].sort((a, b) => a - b);
  const at = (rank: number) => {
    let seen = 0;
    for (const v of values) {
      seen += counts.get(v) ?? 0;
      if (rank < seen) return v;
    }
    return values[values.length - 1];
  };
  const mid = total >> 1;
  return total % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

/**
 * Maps virtual time to y. Distinct instants are knots; between knots the height grows
 * linearly up to `linearMs`, then by `pxPerDoubling` per doubling (monotonic, so the longest
 * wait stays the tallest). Events at one instant are stacked in rows.
 */
export class TimeScale {
  readonly times: number[];
  readonly ys: number[];
  readonly rows: number[];
  constructor(
    times: number[],
    rows: number[],
    readonly pxPerMs: number,
    readonly linearMs: number,
    readonly layout: Layout,
    top: number,
  ) {
    this.times = times;
    this.rows = rows;
    this.ys = new Array<number>(times.length);
    let y = top;
    for (let i = 0; i < times.length; i++) {
      this.ys[i] = y;
      if (i + 1 < times.length) y += (rows[i] - 1) * layout.rowPx + Math.max(layout.minGapPx, this.height(times[i + 1] - times[i]));
    }
  }

  /** Height of an idle interval of `dt` ms. */
  height(dt: number): number {
    if (dt <= 0) return 0;
    if (dt <= this.linearMs) return dt * this.pxPerMs;
    return this.linearMs * this.pxPerMs + this.layout.pxPerDoubling * Math.log2(dt / this.linearMs);
  }

  /** Compressed to less than half its proportional height: drawn as a gap with its duration. */
  isCompressed(dt: number): boolean {
    return dt > this.linearMs && this.height(dt) < 0.5 * dt * this.pxPerMs;
  }

  /** Bottom of the rows used at knot i. */
  rowsBottom(i: number): number {
    return this.ys[i] + (this.rows[i] - 1) * this.layout.rowPx;
  }

  /** y of time t (row `slot` when t is a knot; interpolated between knots otherwise). */
  y(t: number, slot = 0): number {
    const { times } = this;
    if (times.length === 0) return 0;
    let lo = 0;
    let hi = times.length - 1;
    if (t < times[0]) return this.ys[0] - this.height(times[0] - t);
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (times[mid] <= t) lo = mid;
      else hi = mid - 1;
    }
    if (times[lo] === t) return this.ys[lo] + slot * this.layout.rowPx;
    const base = this.rowsBottom(lo);
    if (lo + 1 >= times.length) return base + this.height(t - times[lo]);
    const span = this.ys[lo + 1] - base;
    const whole = this.height(times[lo + 1] - times[lo]);
    return base + (whole > 0 ? (span * this.height(t - times[lo])) / whole : 0);
  }
}

/** seq/ack relative to an ISN, shown signed when it lies "before" the ISN (an old duplicate). */
export function relativeTo(value: number, isn: number): number {
  const rel = (((value - isn) % MOD32) + MOD32) % MOD32;
  return rel >= MOD32 / 2 ? rel - MOD32 : rel;
}

/** Flag labels by flag set (bit mask), so a long trace does not build the same few strings again and again. */
const FLAG_BITS: Record<string, number> = { SYN: 1, FIN: 2, RST: 4, PSH: 8, URG: 16, ACK: 32 };
const flagLabels = new Map<number, string>();

function cachedFlagLabel(flags: readonly string[]): string {
  let mask = 0;
  for (const flag of flags) {
    const bit = FLAG_BITS[flag];
    // A flag this view does not know: no caching, the plain label.
    if (bit === undefined) return flagLabel(flags);
    mask |= bit;
  }
  let label = flagLabels.get(mask);
  if (label === undefined) flagLabels.set(mask, (label = flagLabel(flags)));
  return label;
}

export function segmentLabel(flags: readonly string[], seq: number, ack: number, len: number): string {
  const hasAck = flags.includes('ACK');
  return `${flags.length ? cachedFlagLabel(flags) : '(no flags)'} seq=${seq}${hasAck ? ` ack=${ack}` : ''} len=${len}`;
}

export function appCallText(event: AppEvent): string {
  const bytes = event.bytes !== undefined ? String(event.bytes) : '';
  const base = event.call === 'crash' ? 'crash' : `${event.call}(${event.call === 'send' || event.call === 'receive' ? bytes : ''})`;
  return event.error ? `${base} → ${event.error}` : base;
}

/** One key for both directions of a link. */
function linkKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

function stateText(event: { to: string; conn?: string }): string {
  return event.conn ? `${event.to} [${event.conn}]` : event.to;
}

function stateBoxWidth(text: string, layout: Layout, compact = false): number {
  // Compact: as wide as the text needs, no fixed least width.
  return compact ? textWidth(text, layout.fontPx) + 12 : Math.max(86, textWidth(text, layout.fontPx + 0.5) + 14);
}

/** Width of an endpoint's header box (svg.ts draws it so). */
export function headerWidth(endpoint: { name: string; address: string; port: number }): number {
  const addr = endpoint.address ? `${endpoint.address}${endpoint.port ? `:${endpoint.port}` : ''}` : '';
  return Math.max(120, textWidth(endpoint.name, 12) + 24, textWidth(addr, 10) + 24);
}

/** Tick text on the compact time axis: "125ms", "2.01s". */
function shortTime(ms: number): string {
  return formatTime(ms).replace(' ', '');
}

/**
 * An arrow label wrapped into lines no wider than `room` px at the compact font: the flags
 * (with badges) first, then `seq=`, `ack=`, `len=` filling lines greedily.
 */
export function wrapLabel(label: string, badges: readonly string[], room: number): string[] {
  const badgeWidth = badges.reduce((w, b) => w + 5 + textWidth(b, 9) * 1.1, 0);
  if (textWidth(label, COMPACT.labelFontPx) + badgeWidth <= room) return [label];
  const words = label.split(' ');
  const seqAt = words.findIndex((w) => w.startsWith('seq='));
  const flagsLine = words.slice(0, Math.max(1, seqAt)).join(' ');
  return [flagsLine, ...fillLines(words.slice(Math.max(1, seqAt)), (text) => textWidth(text, COMPACT.labelFontPx) <= room)];
}

/** Greedy word wrap: as many words on each line as `fits` allows (a lone long word gets its own line). */
function fillLines(words: readonly string[], fits: (line: string) => boolean): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const next = line ? `${line} ${word}` : word;
    if (line && !fits(next)) {
      lines.push(line);
      line = word;
    } else {
      line = next;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Widest line of wrapped label lines (px, compact font), badges on the first line. */
export function labelLinesWidth(lines: readonly string[], badges: readonly string[]): number {
  const badgeWidth = badges.reduce((w, b) => w + 5 + textWidth(b, 9) * 1.1, 0);
  return Math.max(...lines.map((l, i) => textWidth(l, COMPACT.labelFontPx) + (i === 0 ? badgeWidth : 0)));
}

/**
 * Compact layout, a later segment of a burst: its label on one line, the most of it that fits
 * `room` px: the whole label, then the flags with seq and len (with ack for a bare ACK, whose
 * point it is), then the flags with seq, then the flags alone (they say most about the protocol).
 */
export function burstLabel(flags: readonly string[], seq: number, ack: number, len: number, badges: readonly string[], room: number): string {
  const flagText = cachedFlagLabel(flags);
  const full = segmentLabel(flags, seq, ack, len);
  const bareAck = len === 0 && flags.includes('ACK') && !flags.some((f) => f === 'SYN' || f === 'FIN' || f === 'RST');
  const candidates = !flags.length
    ? [full, `seq=${seq}`]
    : bareAck
      ? [full, `${flagText} ack=${ack}`, flagText]
      : [full, `${flagText} seq=${seq} len=${len}`, `${flagText} seq=${seq}`, flagText];
  return candidates.find((line) => labelLinesWidth([line], badges) <= room) ?? candidates[candidates.length - 1];
}

type Point = { x: number; y: number };

/** Width of a burst segment's one-line label. */
function burstLabelWidth(arrow: { labelLines?: readonly string[]; label: string; badges: readonly string[] }, compact: boolean, layout: Layout): number {
  return compact ? labelLinesWidth(arrow.labelLines ?? [arrow.label], arrow.badges) : textWidth(arrow.label, layout.fontPx) + arrow.badges.reduce((w, b) => w + 5 + textWidth(b, 9) * 1.1, 0);
}

/** The corners of an arrow label's box (text extent above and below its baselines), rotated with the arrow. */
function labelCorners(labelX: number, labelY: number, angle: number, width: number, lines: number, below: boolean, drop: number, font: number, linePx: number): Point[] {
  const lastBaseline = below ? labelY + drop + (lines - 1) * linePx : labelY - 4;
  const top = lastBaseline - (lines - 1) * linePx - 0.8 * font - 1;
  const bottom = lastBaseline + 0.25 * font + 1;
  const a = (angle * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const x0 = labelX - width / 2 - 2;
  const x1 = labelX + width / 2 + 2;
  return [
    [x0, top],
    [x1, top],
    [x1, bottom],
    [x0, bottom],
  ].map(([x, y]) => ({ x: labelX + (x - labelX) * cos - (y - labelY) * sin, y: labelY + (x - labelX) * sin + (y - labelY) * cos }));
}

/** Convex polygons (or segments, as two points) overlap: no separating axis. */
function polygonsOverlap(a: readonly Point[], b: readonly Point[]): boolean {
  for (const poly of [a, b]) {
    for (let i = 0; i < poly.length; i++) {
      const p = poly[i];
      const q = poly[(i + 1) % poly.length];
      const nx = q.y - p.y;
      const ny = p.x - q.x;
      let minA = Infinity;
      let maxA = -Infinity;
      let minB = Infinity;
      let maxB = -Infinity;
      for (const r of a) {
        const v = r.x * nx + r.y * ny;
        minA = Math.min(minA, v);
        maxA = Math.max(maxA, v);
      }
      for (const r of b) {
        const v = r.x * nx + r.y * ny;
        minB = Math.min(minB, v);
        maxB = Math.max(maxB, v);
      }
      if (maxA <= minB || maxB <= minA) return false;
    }
  }
  return true;
}

/** Compact layout: notes longer than this (px) are wrapped, onto lines of about even length, each a row. */
const NOTE_WRAP_PX = 96;
const NOTE_LINE_MAX_PX = 130;

/** A note as one line, or wrapped into lines of about even length when it is long (compact layout). */
export function wrapNote(text: string, layout: Layout): string[] {
  const total = textWidth(text, layout.fontPx);
  if (total <= NOTE_WRAP_PX) return [text];
  const count = Math.max(2, Math.ceil(total / NOTE_LINE_MAX_PX));
  const limit = (total / count) * 1.15;
  return fillLines(text.split(' '), (line) => textWidth(line, layout.fontPx) <= limit);
}

/** Compact layout: a note without an endpoint (the engine's remarks) shows as this mark, its text in the tooltip. */
export const NOTE_MARK = '•';

function noteText(event: AppEvent | DataEvent | NoteEvent): string {
  return event.kind === 'app' ? appCallText(event) : event.kind === 'data' ? `delivered ${event.bytes} bytes` : event.message;
}

export function buildModel(input: DiagramInput, options: DiagramOptions = {}): DiagramModel {
  return new ModelBuilder(options).update(input, 0);
}

/** Undoes what one event did to the first pass (a truncating update steps back over it). */
type Undo = () => void;

/**
 * Builds the model incrementally, as the debugger sends the trace: `update(input, from)` says that
 * the first `from` events are the ones of the previous update. Only the events after them go
 * through the first pass (a truncation undoes the dropped ones), and items that depend only on
 * the unchanged prefix are taken over from the previous model. The result is always the model
 * `buildModel` makes from the whole trace (test/diagram checks that, for random updates).
 */
export class ModelBuilder {
  private readonly layout: Layout;
  private readonly relative: boolean;
  /** Compact layout for a narrow panel, and the width to fit. */
  private readonly compact: boolean;
  private readonly width: number;
  private endpointsKey: string | undefined;
  private lifelines: Lifeline[] = [];
  private lifelineByName = new Map<string, Lifeline>();
  private isnOf = new Map<string, number | undefined>();
  /** Per applied event, in parallel arrays (no object per event): what `unapply` needs. */
  private times: number[] = [];
  private slotOfEvent: number[] = [];
  /** Its lane's row count before it (what `unapply` resets the lane to; less than its slot when it took spare rows). */
  private laneRowsBefore: number[] = [];
  private eventAt: TraceEvent[] = [];
  /** Rows at the event's instant before it (0: none). */
  private rowsBefore: number[] = [];
  /** The lane it took a row in. */
  private laneOf: (string | undefined)[] = [];
  /** Its lifeline's box or note width before it (-1: unchanged). */
  private widthBefore: number[] = [];
  /** Flight times of the delivered segments (value -> count), in all and per link. */
  private flightCounts = new Map<number, number>();
  private linkFlightCounts = new Map<string, Map<number, number>>();
  /** It added a segment record. */
  private recordAdded: boolean[] = [];
  /** Undo steps for the rarer changes (segments, lifelines, ISS), by event index. */
  private rareUndo = new Map<number, Undo[]>();
  private rowsAt = new Map<number, number>();
  /** Rows taken so far per lane ("out|client", "state|server"...) and instant. */
  private counters = new Map<string, Map<number, number>>();
  private segments = new Map<string, SegmentRecord>();
  private segmentOrder: SegmentRecord[] = [];
  /** ISS per direction "from>to", learnt from the SYNs each side sends (Wireshark's way). */
  private issByDirection = new Map<string, number>();
  /**
   * Items of earlier updates, for reuse: the arrow on its segment record, the state box, note,
   * expectation or timer by event index (a timer by its start), gaps and ticks by knot index;
   * each with the update (generation) that made or kept it. Only those of the previous update
   * count, and only when the lifelines and the scale (`signature`) are the same.
   */
  private generation = 0;
  private signature: string | undefined;
  private eventItems: (DiagramItem | undefined)[] = [];
  private eventItemGeneration: number[] = [];
  private knotGaps: (GapItem | undefined)[] = [];
  private knotGapGeneration: number[] = [];
  private knotTicks: (TickItem | undefined)[] = [];
  private knotTickGeneration: number[] = [];
  private previousEventY: Float64Array | undefined;

  constructor(options: DiagramOptions = {}) {
    this.layout = { ...DEFAULT_LAYOUT, ...options.layout };
    this.relative = options.relative ?? false;
    this.width = options.width ?? Infinity;
    this.compact = this.width < COMPACT_BELOW;
  }

  /** The model of `input`, whose first `from` events are those of the previous update. */
  update(input: DiagramInput, from: number): DiagramModel {
    const events = input.events;
    const endpointsKey = JSON.stringify(input.endpoints);
    if (endpointsKey !== this.endpointsKey) this.reset(input.endpoints, endpointsKey);
    const keep = Math.max(0, Math.min(from, this.times.length, events.length));
    // The earliest instant whose events changed: every item and row before it stays as it was.
    let changedAt = Infinity;
    for (let i = this.times.length - 1; i >= keep; i--) {
      changedAt = Math.min(changedAt, this.times[i]);
      this.unapply(i);
    }
    for (let i = keep; i < events.length; i++) {
      changedAt = Math.min(changedAt, events[i].t);
      this.eventAt.push(events[i]);
      this.apply(events, i);
    }
    return this.finish(input, keep, changedAt);
  }

  private reset(endpoints: readonly EndpointInfo[], key: string): void {
    this.endpointsKey = key;
    this.lifelines = [];
    this.lifelineByName = new Map();
    for (const endpoint of endpoints) this.addLifeline(endpoint);
    this.isnOf = new Map(endpoints.map((e) => [e.name, e.isn] as const));
    this.times = [];
    this.slotOfEvent = [];
    this.laneRowsBefore = [];
    this.eventAt = [];
    this.rowsBefore = [];
    this.laneOf = [];
    this.widthBefore = [];
    this.recordAdded = [];
    this.rareUndo = new Map();
    this.flightCounts = new Map();
    this.linkFlightCounts = new Map();
    this.rowsAt = new Map();
    this.counters = new Map();
    this.segments = new Map();
    this.segmentOrder = [];
    this.issByDirection = new Map();
    this.signature = undefined;
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
  private laneNames = new Map<string, Record<'out' | 'in' | 'state' | 'note', string>>();

  private lane(kind: 'out' | 'in' | 'state' | 'note', endpoint: string): string {
    let names = this.laneNames.get(endpoint);
    if (!names) this.laneNames.set(endpoint, (names = { out: `out|${endpoint}`, in: `in|${endpoint}`, state: `state|${endpoint}`, note: `note|${endpoint}` }));
    return names[kind];
  }

  /** linkKey, made once per pair of endpoints. */
  private linkKeys = new Map<string, Map<string, string>>();

  private link(a: string, b: string): string {
    let byB = this.linkKeys.get(a);
    if (!byB) this.linkKeys.set(a, (byB = new Map()));
    let key = byB.get(b);
    if (key === undefined) byB.set(b, (key = linkKey(a, b)));
    return key;
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
    return [
      seqBase === undefined ? fields.seq : relativeTo(fields.seq, seqBase),
      ackBase === undefined ? fields.ack : relativeTo(fields.ack, ackBase),
    ];
  }

  /** Remembers how to undo a rare change of event i (most events need only the parallel arrays). */
  private remember(i: number, undo: Undo): void {
    const list = this.rareUndo.get(i);
    if (list) list.push(undo);
    else this.rareUndo.set(i, [undo]);
  }

  /** First pass over event i: lifelines and their room, rows per instant, segment records. */
  private apply(events: readonly TraceEvent[], i: number): void {
    const event = events[i];
    const { layout, rowsAt, segments } = this;
    this.times.push(event.t);
    const rowsBefore = rowsAt.get(event.t) ?? 0;
    this.rowsBefore.push(rowsBefore);
    this.laneOf.push(undefined);
    this.widthBefore.push(-1);
    this.recordAdded.push(false);
    if (event.kind === 'send' || event.kind === 'inject') {
      this.mention(i, event.from);
      this.mention(i, event.to);
    } else if ('endpoint' in event && event.endpoint !== undefined) {
      this.mention(i, event.endpoint);
    }
    // Room beside each lifeline for its widest state box and its application notes.
    const owner = 'endpoint' in event && event.endpoint !== undefined ? this.lifelineByName.get(event.endpoint) : undefined;
    if (owner && event.kind === 'transition') {
      this.widthBefore[i] = owner.boxWidth;
      owner.boxWidth = Math.max(owner.boxWidth, stateBoxWidth(stateText(event), layout, this.compact));
    } else if (owner && (event.kind === 'app' || event.kind === 'data' || event.kind === 'note')) {
      this.widthBefore[i] = owner.noteWidth;
      const lines = this.compact ? wrapNote(noteText(event), layout) : [noteText(event)];
      owner.noteWidth = Math.max(owner.noteWidth, ...lines.map((line) => textWidth(line, layout.fontPx)));
    }

    if (rowsBefore < 1) rowsAt.set(event.t, 1);
    let slot = 0;
    let laneRowsBefore = 0;
    switch (event.kind) {
      case 'send':
      case 'inject': {
        const injected = event.kind === 'inject' || event.injected === true;
        if (!injected && event.flags.includes('SYN')) {
          const direction = `${event.from}>${event.to}`;
          const before = this.issByDirection.get(direction);
          this.issByDirection.set(direction, event.seq);
          this.remember(i, () => (before === undefined ? this.issByDirection.delete(direction) : this.issByDirection.set(direction, before)));
        }
        slot = this.takeSlot(i, event.t, this.lane('out', event.from));
        laneRowsBefore = slot;
        // A burst (several segments sent at one instant): each later one a spare row further
        // down, so its label has room between its arrow and the one before.
        if (slot > 0) {
          this.takeSlot(i, event.t, this.lane('out', event.from));
          slot = this.takeSlot(i, event.t, this.lane('out', event.from));
        }
        const [shownSeq, shownAck] = this.shown(event);
        this.addRecord(i, {
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
        break;
      }
      case 'duplicate': {
        const original = segments.get(event.id);
        if (!original) break;
        slot = this.takeSlot(i, event.t, this.lane('out', original.fields.from));
        laneRowsBefore = slot;
        this.addRecord(i, {
          ...original,
          id: event.copy,
          fields: { ...original.fields, id: event.copy },
          origin: i,
          sentAt: event.t,
          slot,
          duplicateOf: original.id,
          item: undefined,
          itemGeneration: undefined,
          deliverIndex: undefined,
          deliverAt: undefined,
          deliverSlot: undefined,
          dropIndex: undefined,
          dropAt: undefined,
          dropReason: undefined,
        });
        break;
      }
      case 'deliver': {
        const record = segments.get(event.id);
        slot = this.takeSlot(i, event.t, this.lane('in', event.to));
        laneRowsBefore = slot;
        if (record) {
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
        }
        break;
      }
      case 'drop': {
        const record = segments.get(event.id);
        if (record) {
          const { dropIndex, dropAt, dropReason } = record;
          this.remember(i, () => Object.assign(record, { dropIndex, dropAt, dropReason }));
          record.dropIndex = i;
          record.dropAt = event.t;
          record.dropReason = event.reason;
        }
        break;
      }
      case 'transition':
        slot = this.takeSlot(i, event.t, this.lane('state', event.endpoint));
        laneRowsBefore = slot;
        break;
      // Compact: notes sit in the state-box column, so they take rows of their own.
      case 'app':
      case 'data':
      case 'note': {
        const lane = event.endpoint === undefined ? 'expect' : this.lane(this.compact ? 'state' : 'note', event.endpoint);
        slot = this.takeSlot(i, event.t, lane);
        laneRowsBefore = slot;
        // A wrapped note takes a row per line (unapply resets the lane's count to `slot`, undoing them all).
        if (this.compact && event.endpoint !== undefined) {
          const lines = wrapNote(noteText(event), layout).length;
          for (let extra = 1; extra < lines; extra++) this.takeSlot(i, event.t, lane);
        }
        break;
      }
      case 'expect':
        slot = this.takeSlot(i, event.t, 'expect');
        laneRowsBefore = slot;
        break;
      default:
        break;
    }
    this.slotOfEvent.push(slot);
    this.laneRowsBefore.push(laneRowsBefore);
  }

  /** Undoes event i (the last applied one): the exact reverse of `apply`. */
  private unapply(i: number): void {
    const event = this.eventAt[i];
    if (this.recordAdded[i]) {
      const record = this.segmentOrder.pop();
      if (record) this.segments.delete(record.id);
    } else if (event.kind === 'deliver') {
      const record = this.segments.get(event.id);
      if (record?.deliverIndex === i) {
        this.countFlight(record, -1);
        record.deliverIndex = undefined;
        record.deliverAt = undefined;
        record.deliverSlot = undefined;
      }
    }
    const rare = this.rareUndo.get(i);
    if (rare) {
      for (let k = rare.length - 1; k >= 0; k--) rare[k]();
      this.rareUndo.delete(i);
    }
    const t = this.times[i];
    const lane = this.laneOf[i];
    if (lane !== undefined) {
      const slot = this.laneRowsBefore[i];
      const byTime = this.counters.get(lane);
      if (slot === 0) byTime?.delete(t);
      else byTime?.set(t, slot);
    }
    const rowsBefore = this.rowsBefore[i];
    if (rowsBefore === 0) this.rowsAt.delete(t);
    else this.rowsAt.set(t, rowsBefore);
    const widthBefore = this.widthBefore[i];
    if (widthBefore >= 0) {
      const owner = 'endpoint' in event && event.endpoint !== undefined ? this.lifelineByName.get(event.endpoint) : undefined;
      if (owner && event.kind === 'transition') owner.boxWidth = widthBefore;
      else if (owner) owner.noteWidth = widthBefore;
    }
    this.times.length = i;
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

  /** Adds (1) or removes (-1) the record's flight time to the multisets the scale is made from. */
  private countFlight(record: SegmentRecord, sign: 1 | -1): void {
    if (record.deliverAt === undefined || record.deliverAt <= record.sentAt) return;
    const flight = record.deliverAt - record.sentAt;
    const key = this.link(record.fields.from, record.fields.to);
    let link = this.linkFlightCounts.get(key);
    if (!link) this.linkFlightCounts.set(key, (link = new Map()));
    addCount(this.flightCounts, flight, sign);
    addCount(link, flight, sign);
  }

  /** A new segment record; unapply removes it again (and brings back one it replaced, rare). */
  private addRecord(i: number, record: SegmentRecord): void {
    const before = this.segments.get(record.id);
    this.segments.set(record.id, record);
    this.segmentOrder.push(record);
    this.recordAdded[i] = true;
    if (before) this.remember(i, () => this.segments.set(record.id, before));
  }

  /**
   * The compact layout for `this.width`: a time axis as wide as its longest (short) label, and
   * the lifeline gap that makes the picture fit, no less than a wrapped label needs.
   */
  private compactLayout(times: readonly number[]): Layout {
    let tickWidth = 0;
    for (const t of times) tickWidth = Math.max(tickWidth, textWidth(shortTime(t), COMPACT.tickFontPx));
    const axisWidth = Math.ceil(Math.max(30, tickWidth + 12));
    const side = (l: Lifeline | undefined) => (l ? COMPACT.boxOffset + Math.max(l.boxWidth, l.noteWidth) + COMPACT.outerPad : 0);
    const { lifelines } = this;
    const first = lifelines[0];
    const last = lifelines.length > 1 ? lifelines[lifelines.length - 1] : undefined;
    const rightColumn = (this.counters.get('expect')?.size ?? 0) > 0 ? COMPACT.expectWidth : 0;
    const room = this.width - axisWidth - side(first) - (last ? side(last) : 0) - rightColumn;
    const gaps = Math.max(1, lifelines.length - 1);
    // Neighbouring endpoint headers must not touch either.
    let least = COMPACT.minSpacing;
    for (let i = 1; i < lifelines.length; i++) least = Math.max(least, (headerWidth(lifelines[i - 1]) + headerWidth(lifelines[i])) / 2 + 8);
    const spacing = Math.floor(Math.min(this.layout.lifelineSpacing, Math.max(least, room / gaps)));
    // Taller flights: a wrapped label needs room between an arrow and the next.
    return { ...this.layout, axisWidth, outsideWidth: 0, lifelineSpacing: spacing, expectWidth: COMPACT.expectWidth, flightPx: COMPACT.flightPx, pxPerDoubling: COMPACT.pxPerDoubling };
  }

  /** Scale, positions and items, taking over the previous model's items that the change cannot reach. */
  private finish(input: DiagramInput, keep: number, changedAt: number): DiagramModel {
    const { relative, lifelines, lifelineByName, segmentOrder, rowsAt, compact } = this;
    const events = input.events;
    const slotOfEvent = this.slotOfEvent;
    const times = [...rowsAt.keys()].sort((a, b) => a - b);
    const layout = compact ? this.compactLayout(times) : this.layout;
    const boxOffset = compact ? COMPACT.boxOffset : WIDE_BOX_OFFSET;
    const outside = compact
      ? (l: Lifeline | undefined) => (l ? COMPACT.boxOffset + Math.max(l.boxWidth, l.noteWidth) + COMPACT.outerPad : layout.outsideWidth)
      : (l: Lifeline | undefined) => (l ? Math.max(layout.outsideWidth, WIDE_BOX_OFFSET + l.boxWidth + 12 + l.noteWidth + 12) : layout.outsideWidth);
    const firstX = layout.axisWidth + outside(lifelines[0]);
    lifelines.forEach((lifeline, i) => {
      lifeline.x = firstX + i * layout.lifelineSpacing;
      lifeline.side = lifelines.length === 1 ? 'left' : i === 0 ? 'left' : i === lifelines.length - 1 ? 'right' : 'center';
    });
    const xOf = (name: string) => lifelineByName.get(name)?.x ?? layout.axisWidth;

    // Scale: the median flight time gets `flightPx`.
    // Flight times are kept as counted multisets by the first pass, so this costs no sort of every segment.
    const medianFlight = medianOfCounts(this.flightCounts) ?? 10;
    const pxPerMs = layout.flightPx / medianFlight;
    const linkFlight = new Map<string, number>();
    for (const [key, counts] of this.linkFlightCounts) {
      const linkMedian = medianOfCounts(counts);
      if (linkMedian !== undefined) linkFlight.set(key, linkMedian);
    }
    const flightOf = (from: string, to: string) => linkFlight.get(this.link(from, to)) ?? medianFlight;

    const rows = times.map((t) => rowsAt.get(t) ?? 1);
    const top = layout.headerHeight + 24;
    const scale = new TimeScale(times, rows, pxPerMs, medianFlight * layout.linearFlights, layout, top);
    const endTime = times.length ? times[times.length - 1] : 0;

    // The previous model's items may be taken over when the lifelines and the scale are the same
    // and the item depends only on instants before the first changed one (their rows are final).
    const signature = `${medianFlight}|${[...linkFlight].join(';')}|${lifelines.map((l) => `${l.name}|${l.x}|${l.side}|${l.boxWidth}|${l.noteWidth}`).join(';')}`;
    const previous = keep > 0 && this.signature === signature;
    const previousGeneration = this.generation;
    const generation = ++this.generation;
    this.signature = signature;
    let safeUntil = -Infinity;
    if (previous) {
      let lo = 0;
      let hi = times.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (times[mid] < changedAt) lo = mid + 1;
        else hi = mid;
      }
      if (lo > 0) safeUntil = times[lo - 1];
    }
    /**
     * `before` (made by the previous update) if it shows the same events (`first`, `second`; -1:
     * none), all before `keep`, and depends on no instant after `safeUntil`.
     */
    const reusable = <T extends DiagramItem>(before: T | undefined, beforeGeneration: number | undefined, first: number, second: number, dependsOn: number): T | undefined => {
      if (!previous || before === undefined || beforeGeneration !== previousGeneration || !(dependsOn <= safeUntil)) return undefined;
      const count = first < 0 ? 0 : second < 0 ? 1 : 2;
      if (before.events.length !== count || first >= keep || second >= keep) return undefined;
      if (count > 0 && before.events[0] !== first) return undefined;
      if (count > 1 && before.events[1] !== second) return undefined;
      return before;
    };

    const items: DiagramItem[] = [];
    const eventToItemPre = new Int32Array(events.length).fill(-1);
    const eventY = new Float64Array(events.length);
    const used = new Set<LegendEntry['mark']>();
    const { eventItems, eventItemGeneration } = this;
    eventItems.length = events.length;
    eventItemGeneration.length = events.length;
    const claim = (item: DiagramItem) => {
      const index = items.length;
      items.push(item);
      for (const e of item.events) eventToItemPre[e] = index;
      if (item.kind !== 'arrow' && item.events.length > 0) {
        eventItems[item.events[0]] = item;
        eventItemGeneration[item.events[0]] = generation;
      }
    };
    /** Takes over a previous item, with its legend entries. */
    const claimAgain = (item: DiagramItem) => {
      claim(item);
      if (item.kind === 'arrow') {
        for (const mark of item.marks) if (mark !== 'rst') used.add(mark);
      } else if (item.kind === 'state' || item.kind === 'timer' || item.kind === 'gap') {
        used.add(item.kind);
      } else if (item.kind === 'expect') {
        used.add(item.ok ? 'expect-ok' : 'expect-failed');
      }
    };

    const previousEventY = previous ? this.previousEventY : undefined;
    for (let i = 0; i < events.length; i++) {
      // Rows at instants up to `safeUntil` are final: their y is the previous update's.
      eventY[i] = previousEventY && i < keep && i < previousEventY.length && events[i].t <= safeUntil ? previousEventY[i] : scale.y(events[i].t, slotOfEvent[i]);
    }

    // Arrows.
    /**
     * Compact layout: a segment the other side sent while this one was on its way crosses it (a
     * simultaneous open or close). Both labels then go towards their receivers, into opposite
     * wedges of the cross. It depends only on sends up to this segment's end, which an update
     * that may reuse the arrow cannot change.
     */
    const crossed = (index: number, endAt: number) => {
      const record = segmentOrder[index];
      for (let k = index + 1; k < segmentOrder.length && k <= index + CROSS_SCAN; k++) {
        const other = segmentOrder[k];
        // A reply sent as this one arrives does not cross it.
        if (other.sentAt >= endAt) break;
        if (other.fields.from === record.fields.to && other.fields.to === record.fields.from) return true;
      }
      // Sent at the same instant, before it in the trace.
      for (let k = index - 1; k >= 0 && k >= index - CROSS_SCAN; k--) {
        const other = segmentOrder[k];
        if (other.sentAt < record.sentAt) break;
        if (other.fields.from === record.fields.to && other.fields.to === record.fields.from) return true;
      }
      return false;
    };
    /**
     * Per sender, the cluster its last segment belongs to: segments sent at one instant (a burst)
     * or, compact, within two rows of each other; with the label and arrow shapes placed so far
     * and when the latest of them ends (a later one's label depends on all of them).
     */
    const clusters = new Map<string, { last: SegmentRecord; shapes: Point[][]; end: number }>();
    const endOf = (record: SegmentRecord) =>
      record.deliverAt !== undefined
        ? record.deliverAt
        : record.dropAt !== undefined
          ? record.dropAt > record.sentAt
            ? record.dropAt
            : record.sentAt + flightOf(record.fields.from, record.fields.to)
          : Infinity;
    const sameBurst = (a: SegmentRecord, b: SegmentRecord) => a.sentAt === b.sentAt && a.fields.from === b.fields.from && a.duplicateOf === undefined && b.duplicateOf === undefined;
    /** When the last segment of the burst `index` belongs to ends (a burst's labels depend on all of its arrows). */
    const burstEnd = (index: number) => {
      let latest = -Infinity;
      const record = segmentOrder[index];
      for (const step of [-1, 1]) {
        for (let k = index + step; k >= 0 && k < segmentOrder.length && segmentOrder[k].sentAt === record.sentAt; k += step) {
          const other = segmentOrder[k];
          if (!sameBurst(record, other)) continue;
          if (other.deliverAt !== undefined) latest = Math.max(latest, other.deliverAt);
          else if (other.dropAt !== undefined) latest = Math.max(latest, other.dropAt > other.sentAt ? other.dropAt : other.sentAt + flightOf(other.fields.from, other.fields.to));
          else latest = Infinity;
        }
      }
      return latest;
    };
    for (let index = 0; index < segmentOrder.length; index++) {
      const record = segmentOrder[index];
      const { fields } = record;
      // A burst: segments sent by one endpoint at one instant (the later ones have slot > 0; the
      // first is known by the next segment, of the same instant, so a reuse cannot miss it).
      const next = segmentOrder[index + 1] as SegmentRecord | undefined;
      const burstHead = next !== undefined && next.slot > 0 && sameBurst(record, next);
      let cluster = record.duplicateOf === undefined ? clusters.get(fields.from) : undefined;
      // Compact: a segment sent within two rows of the sender's one before (a data transfer's
      // segments, its ACKs) has its label placed around the ones before it, like a burst's.
      const follower =
        cluster !== undefined &&
        (sameBurst(cluster.last, record) || (compact && record.sentAt > cluster.last.sentAt && eventY[record.origin] - eventY[cluster.last.origin] <= 2 * layout.rowPx + 0.5));
      if (!follower) cluster = undefined;
      const inBurst = (record.slot > 0 || burstHead || follower) && record.duplicateOf === undefined;
      const clusterEnd = cluster?.end ?? -Infinity;
      /** Joins the sender's cluster (or starts one) with the arrow's label and line. */
      const join = (arrow: ArrowItem) => {
        if (record.duplicateOf !== undefined) return;
        const lines = arrow.labelLines ?? [arrow.label];
        const width = compact ? labelLinesWidth(lines, arrow.badges) : burstLabelWidth(arrow, false, layout);
        const shapes: Point[][] = [
          labelCorners(arrow.labelX, arrow.labelY, arrow.angle, width, lines.length, arrow.labelBelow === true, labelDrop(arrow), compact ? COMPACT.labelFontPx : layout.fontPx, COMPACT.labelLinePx),
          [
            { x: arrow.x1, y: arrow.ya },
            { x: arrow.x2, y: arrow.yb },
          ],
        ];
        if (cluster) {
          cluster.last = record;
          cluster.shapes.push(...shapes);
          // A long run of segments chains on: only the last few arrows are near enough to matter.
          if (cluster.shapes.length > CLUSTER_SHAPES) cluster.shapes.splice(0, cluster.shapes.length - CLUSTER_SHAPES);
          cluster.end = Math.max(cluster.end, endOf(record));
        } else {
          clusters.set(fields.from, { last: record, shapes, end: endOf(record) });
        }
      };
      if (previous) {
        const delivered = record.deliverAt !== undefined && record.deliverIndex !== undefined;
        const endIndex = delivered ? record.deliverIndex : record.dropAt !== undefined ? record.dropIndex : undefined;
        if (endIndex !== undefined) {
          const endAt = delivered
            ? (record.deliverAt ?? Infinity)
            : record.dropAt !== undefined && record.dropAt > record.sentAt
              ? record.dropAt
              : record.sentAt + flightOf(fields.from, fields.to);
          const before = reusable(record.item, record.itemGeneration, record.origin, endIndex, Math.max(record.sentAt, endAt, clusterEnd, inBurst ? burstEnd(index) : -Infinity));
          if (before) {
            claimAgain(before);
            join(before);
            record.itemGeneration = generation;
            continue;
          }
        }
      }
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
      if (record.deliverAt !== undefined && record.deliverIndex !== undefined) {
        end = 'arrive';
        yb = eventY[record.deliverIndex];
        eventIndices.push(record.deliverIndex);
      } else {
        const estimate = record.sentAt + flightOf(fields.from, fields.to);
        if (record.dropAt !== undefined && record.dropIndex !== undefined) {
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
          end = 'inflight';
          yb = scale.y(estimate) + record.slot * layout.rowPx;
          marks.push('inflight');
        }
      }
      for (const mark of marks) if (mark !== 'rst') used.add(mark);
      const fullDx = xTo - x1;
      const fullDy = (end === 'lost' ? 2 * (yb - ya) : yb - ya) || 0.0001;
      // Text reads left to right whichever way the arrow goes.
      const angle = (Math.atan2(fullDx >= 0 ? fullDy : -fullDy, Math.abs(fullDx)) * 180) / Math.PI;
      // Labels sit near the sender (crossing arrows keep theirs apart); a burst sent at one
      // instant staggers them along the arrows so they do not pile up.
      // Compact: labels are nearly as long as the arrow, so they go about mid-way, a little
      // towards the receiver, where the wedge between an arrow and the one it answers is wider.
      const isCrossed = end !== 'lost' && crossed(index, record.deliverAt ?? record.dropAt ?? record.sentAt + flightOf(fields.from, fields.to));
      // A later segment of a burst (slot > 0) has a spare row above it: its label goes near the
      // sender, where the burst's arrows are still a spare row apart.
      // Wide: crossing arrows keep their labels near their senders, clear of each other at the crossing.
      let along = !compact ? (end === 'lost' ? 0.25 : isCrossed ? 0.22 : 0.3 + 0.14 * (Math.ceil(record.slot / 3) % 4)) : inBurst ? 0 : isCrossed ? 1 : 0.58;
      const label = segmentLabel(fields.flags, record.shownSeq, record.shownAck, fields.len);
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
          labelLines = [burstLabel(fields.flags, record.shownSeq, record.shownAck, fields.len, badges, room)];
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
        // A burst's arrows fan out from one point and may cross (jitter): each label takes the
        // first place along its arrow (from the sender on, above or, compact, below it) clear of
        // the labels and arrows of the burst's segments before it.
        const placed = cluster?.shapes ?? [];
        const font = compact ? COMPACT.labelFontPx : layout.fontPx;
        const width = burstLabelWidth({ labelLines, label, badges }, compact, layout);
        const length = Math.hypot(fullDx, fullDy);
        const slant = Math.min(3, Math.abs(Math.tan((angle * Math.PI) / 180)));
        const half = width / 2 + (compact ? COMPACT.labelPad : 6) + (font + 6) * slant;
        // A lost segment's label stays before its cross when it can.
        const lastOf = (pass: number) => (end === 'lost' && pass < 2 ? length / 2 - 14 - half : length - half);
        // Clear of the other arrows too if it can be; else only of the other labels.
        const clear = (corners: Point[], ofArrows: boolean) =>
          placed.every((shape) => (shape.length === 2 && !ofArrows) || !polygonsOverlap(corners, shape));
        let chosen: { along: number; below: boolean } | undefined;
        const sides = [false, true];
        // The first pass keeps it before a lost segment's cross and clear of the other arrows.
        for (let pass = 0; pass < 3 && !chosen; pass++) {
          const ofArrows = pass === 0;
          for (let at = half; at <= Math.max(half, lastOf(pass)) && !chosen; at += 6) {
            for (const belowSide of sides) {
              const a = at / length;
              const corners = labelCorners(x1 + fullDx * a, ya + fullDy * a, angle, width, 1, belowSide, labelDrop({ end }), font, COMPACT.labelLinePx);
              if (clear(corners, ofArrows)) {
                chosen = { along: a, below: belowSide };
                break;
              }
            }
          }
        }
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
      claim({
        kind: 'arrow',
        key: `a:${record.id}`,
        y0: yMin,
        y1: yMax,
        events: eventIndices,
        line: events[record.origin].line,
        id: record.id,
        from: fields.from,
        to: fields.to,
        segment: fields,
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
      });
      record.item = items[items.length - 1] as ArrowItem;
      join(record.item);
      record.itemGeneration = generation;
    }

    // State boxes, notes, expectations, timers.
    const openTimers = new Map<string, { index: number; t: number; expires?: number; lane: number; endpoint: string; conn?: string; name: string; line?: number }>();
    const lanesInUse = new Map<string, Set<number>>();
    const lastLifeline = lifelines[lifelines.length - 1];
    const rightEdge = lastLifeline ? lastLifeline.x + outside(lastLifeline) : layout.axisWidth + layout.outsideWidth;
    const expectX = rightEdge + (compact ? 4 : 12);
    let hasRightColumn = false;
    const closeTimer = (key: string, endIndex: number | undefined, endAt: number, how: TimerItem['end']) => {
      const open = openTimers.get(key);
      if (!open) return;
      openTimers.delete(key);
      lanesInUse.get(open.endpoint)?.delete(open.lane);
      if (endIndex !== undefined) {
        const before = reusable(eventItems[open.index], eventItemGeneration[open.index], open.index, endIndex, endAt);
        if (before) return claimAgain(before);
      }
      const lifeline = lifelineByName.get(open.endpoint);
      const lx = lifeline?.x ?? layout.axisWidth;
      const outward = lifeline?.side === 'right' ? 1 : -1;
      const x = lx + outward * (6 + open.lane * 6);
      const y0 = eventY[open.index];
      const y1 = endIndex !== undefined ? eventY[endIndex] : scale.y(endAt);
      const planned = open.expires !== undefined ? open.expires - open.t : endAt - open.t;
      const label = `${TIMER_LABEL[open.name] ?? open.name} ${formatDuration(planned)}`;
      used.add('timer');
      claim({
        kind: 'timer',
        key: `t:${open.index}`,
        y0,
        y1: Math.max(y1, y0 + 2),
        events: endIndex !== undefined ? [open.index, endIndex] : [open.index],
        line: open.line,
        endpoint: open.endpoint,
        conn: open.conn,
        name: open.name,
        x,
        startAt: open.t,
        endAt,
        expires: open.expires,
        end: how,
        label,
        // Between the bars (two lanes) and the state boxes; a rotated label's text lies left of its x.
        labelX: compact ? lx + (outward > 0 ? 20 : -14) + outward * open.lane * 12 : lx + (outward > 0 ? 24 : -17) + outward * open.lane * 11.5,
      });
    };

    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      const y = eventY[i];
      if (previous && event.kind !== 'timer' && i < keep) {
        const before = reusable(eventItems[i], eventItemGeneration[i], i, -1, event.t);
        if (before) {
          claimAgain(before);
          if (before.kind === 'expect' || (before.kind === 'note' && before.endpoint === undefined)) hasRightColumn = true;
          continue;
        }
      }
      switch (event.kind) {
        case 'transition': {
          const lifeline = lifelineByName.get(event.endpoint);
          const lx = lifeline?.x ?? layout.axisWidth;
          const text = stateText(event);
          const w = stateBoxWidth(text, layout, compact);
          const h = layout.rowPx - 2;
          const x = lifeline?.side === 'left' ? lx - boxOffset - w : lifeline?.side === 'right' ? lx + boxOffset : lx - w / 2;
          used.add('state');
          claim({
            kind: 'state',
            key: `s:${i}`,
            y0: y - h / 2,
            y1: y + h / 2,
            events: [i],
            line: event.line,
            endpoint: event.endpoint,
            conn: event.conn,
            from: event.from,
            to: event.to,
            cause: event.cause,
            t: event.t,
            x,
            y: y - h / 2,
            w,
            h,
            lifelineX: lx,
            text,
          });
          break;
        }
        case 'app':
        case 'data':
        case 'note': {
          const text = noteText(event);
          const endpoint = event.endpoint;
          const lines = compact && endpoint !== undefined ? wrapNote(text, layout) : undefined;
          let x: number;
          let anchor: NoteItem['anchor'];
          if (endpoint === undefined) {
            x = expectX;
            anchor = 'start';
            hasRightColumn = true;
          } else {
            const lifeline = lifelineByName.get(endpoint);
            const lx = lifeline?.x ?? layout.axisWidth;
            // Outside the state-box column of outer lifelines; to the right of inner ones.
            const boxWidth = lifeline?.boxWidth ?? 86;
            if (compact && lifeline?.side === 'left') {
              // Compact: in the state-box column (a row of its own), flush with the boxes' inner edge.
              x = lx - boxOffset;
              anchor = 'end';
            } else if (compact && lifeline?.side === 'right') {
              x = lx + boxOffset;
              anchor = 'start';
            } else if (lifeline?.side === 'left') {
              x = lx - WIDE_BOX_OFFSET - boxWidth - 12;
              anchor = 'end';
            } else if (lifeline?.side === 'right') {
              x = lx + WIDE_BOX_OFFSET + boxWidth + 12;
              anchor = 'start';
            } else {
              x = lx + boxWidth / 2 + 10;
              anchor = 'start';
            }
          }
          claim({
            kind: 'note',
            key: `n:${i}`,
            y0: y - 10,
            y1: y + 6 + (lines ? (lines.length - 1) * layout.rowPx : 0),
            events: [i],
            line: event.line,
            endpoint,
            noteKind: event.kind,
            text,
            lines: lines && lines.length > 1 ? lines : undefined,
            x,
            y,
            anchor,
            error: event.kind === 'app' ? event.error : undefined,
            t: event.t,
          });
          break;
        }
        case 'expect': {
          hasRightColumn = true;
          used.add(event.ok ? 'expect-ok' : 'expect-failed');
          claim({
            kind: 'expect',
            key: `e:${i}`,
            y0: y - 10,
            y1: y + 6,
            events: [i],
            line: event.line,
            ok: event.ok,
            message: event.message,
            expected: event.expected,
            actual: event.actual,
            x: expectX,
            y,
            t: event.t,
          });
          break;
        }
        case 'timer': {
          const key = `${event.endpoint}|${event.conn ?? ''}|${event.name}`;
          if (event.action === 'start') {
            closeTimer(key, i, event.t, 'restart');
            const lanes = lanesInUse.get(event.endpoint) ?? new Set<number>();
            lanesInUse.set(event.endpoint, lanes);
            let lane = 0;
            while (lanes.has(lane)) lane++;
            lanes.add(lane);
            openTimers.set(key, { index: i, t: event.t, expires: event.expires, lane, endpoint: event.endpoint, conn: event.conn, name: event.name, line: event.line });
          } else {
            closeTimer(key, i, event.t, event.action);
          }
          break;
        }
        default:
          break;
      }
    }
    for (const [key, open] of [...openTimers]) closeTimer(key, undefined, Math.max(open.expires ?? endTime, open.t), 'pending');

    // Compressed idle gaps, with their duration written; and the time axis.
    for (let k = 0; k + 1 < times.length; k++) {
      const dt = times[k + 1] - times[k];
      if (!scale.isCompressed(dt)) continue;
      const before = reusable(this.knotGaps[k], this.knotGapGeneration[k], -1, -1, times[k + 1]);
      if (before && before.from === times[k]) {
        claimAgain(before);
        this.knotGapGeneration[k] = generation;
        continue;
      }
      used.add('gap');
      const y0 = scale.rowsBottom(k) + 6;
      const y1 = scale.ys[k + 1] - 6;
      const gap: GapItem = { kind: 'gap', key: `g:${times[k]}`, y0, y1: Math.max(y1, y0 + 1), events: [], from: times[k], to: times[k + 1], text: formatDuration(dt) };
      items.push(gap);
      this.knotGaps[k] = gap;
      this.knotGapGeneration[k] = generation;
    }
    let lastTickY = -Infinity;
    for (let k = 0; k < times.length; k++) {
      const y = scale.ys[k];
      if (y - lastTickY < 18) continue;
      lastTickY = y;
      const before = reusable(this.knotTicks[k], this.knotTickGeneration[k], -1, -1, times[k]);
      if (before && before.t === times[k]) {
        items.push(before);
        this.knotTickGeneration[k] = generation;
        continue;
      }
      const tick: TickItem = { kind: 'tick', key: `k:${times[k]}`, y0: y - 8, y1: y + 4, events: [], t: times[k], y, text: compact ? shortTime(times[k]) : formatTime(times[k]) };
      items.push(tick);
      this.knotTicks[k] = tick;
      this.knotTickGeneration[k] = generation;
    }

    // Sort by top edge for the visible-range search; remap event -> item.
    const order = items.map((_, i) => i).sort((a, b) => items[a].y0 - items[b].y0 || a - b);
    const position = new Int32Array(items.length);
    order.forEach((old, fresh) => (position[old] = fresh));
    const sorted = order.map((i) => items[i]);
    const eventToItem = new Int32Array(events.length).fill(-1);
    for (let i = 0; i < events.length; i++) if (eventToItemPre[i] >= 0) eventToItem[i] = position[eventToItemPre[i]];

    // Tall items (long timers, long gaps) are listed apart, so the binary search stays narrow.
    let maxItemHeight = 0;
    let bottom = top;
    const tallItems: number[] = [];
    sorted.forEach((item, i) => {
      const height = item.y1 - item.y0;
      if (height > TALL_ITEM) tallItems.push(i);
      else maxItemHeight = Math.max(maxItemHeight, height);
      bottom = Math.max(bottom, item.y1);
    });
    let width = rightEdge + (hasRightColumn ? layout.expectWidth : 0);
    // Long notes and expectation messages widen the picture rather than being cut off
    // (compact: expectations show only their mark).
    for (const item of sorted) {
      if ((item.kind === 'note' && item.anchor === 'start' && !(compact && item.endpoint === undefined)) || (item.kind === 'expect' && !compact)) {
        const texts = item.kind === 'note' ? (item.lines ?? [item.text]) : [`✓ ${item.message}`];
        for (const text of texts) width = Math.max(width, item.x + textWidth(text, layout.fontPx) + (compact ? COMPACT.outerPad : 16));
      }
    }

    this.previousEventY = eventY;
    return {
      title: input.scenario,
      compact,
      profile: input.profile ?? 'rfc',
      relative,
      layout,
      width,
      height: bottom + layout.bottomPx,
      // Copies: the builder's own lifelines change with later updates.
      lifelines: lifelines.map((l) => ({ ...l })),
      items: sorted,
      legend: LEGEND_ORDER.filter((m) => used.has(m)).map((mark) => ({ mark, label: LEGEND_TEXT[mark] })),
      eventToItem,
      eventY,
      maxItemHeight,
      tallItems,
      medianFlight,
      pxPerMs,
      endTime,
    };
  }
}

/** Indices (into model.items) of the items intersecting [top, bottom], by binary search on y0. */
export function visibleItems(model: DiagramModel, top: number, bottom: number): number[] {
  const { items } = model;
  let lo = 0;
  let hi = items.length;
  const from = top - model.maxItemHeight;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].y0 < from) lo = mid + 1;
    else hi = mid;
  }
  const out: number[] = [];
  // Tall items that start above the searched range (in y0 order, so the result stays sorted).
  for (const t of model.tallItems) {
    if (t >= lo) break;
    if (items[t].y1 >= top && items[t].y0 <= bottom) out.push(t);
  }
  for (let i = lo; i < items.length && items[i].y0 <= bottom; i++) {
    if (items[i].y1 >= top) out.push(i);
  }
  return out;
}

/** Every field of an item, as label/value rows, for tooltips and the SVG's <title>. */
export function itemFields(item: DiagramItem, model: DiagramModel): [string, string][] {
  const rows: [string, string][] = [];
  switch (item.kind) {
    case 'arrow': {
      const s = item.segment;
      const shownLabel = model.relative ? ' (relative)' : '';
      rows.push(['segment', `${item.id}: ${item.from} → ${item.to}`]);
      rows.push(['flags', flagLabel(s.flags) || '(none)']);
      const parts = /seq=(-?\d+)(?: ack=(-?\d+))?/.exec(item.label);
      rows.push([`seq${shownLabel}`, parts?.[1] ?? String(s.seq)]);
      if (model.relative) rows.push(['seq (absolute)', String(s.seq)]);
      rows.push([`ack${shownLabel}`, parts?.[2] ?? String(s.ack)]);
      if (model.relative) rows.push(['ack (absolute)', String(s.ack)]);
      rows.push(['len', String(s.len)]);
      rows.push(['wnd', String(s.wnd)]);
      rows.push(['sent at', formatTime(item.sentAt)]);
      if (item.end === 'arrive' && item.endAt !== undefined) {
        rows.push(['delivered at', formatTime(item.endAt)]);
        rows.push(['flight time', formatDuration(item.endAt - item.sentAt)]);
      } else if (item.end === 'lost' || item.end === 'discarded') {
        if (item.endAt !== undefined) rows.push(['dropped at', formatTime(item.endAt)]);
        rows.push(['dropped', item.dropReason ?? 'lost']);
      } else if (item.end === 'inflight') {
        rows.push(['status', 'in flight']);
      }
      if (item.marks.includes('retransmission')) rows.push(['retransmission', 'yes']);
      if (item.duplicateOf) rows.push(['duplicate of', item.duplicateOf]);
      if (item.marks.includes('injected')) rows.push(['injected', 'yes (crafted by the scenario)']);
      if (item.marks.includes('probe')) rows.push(['probe', 'yes']);
      break;
    }
    case 'state':
      rows.push(['endpoint', item.conn ? `${item.endpoint} [${item.conn}]` : item.endpoint]);
      rows.push(['state', `${item.from} → ${item.to}`]);
      rows.push(['cause', item.cause]);
      rows.push(['at', formatTime(item.t)]);
      break;
    case 'timer':
      rows.push(['timer', item.name]);
      rows.push(['endpoint', item.conn ? `${item.endpoint} [${item.conn}]` : item.endpoint]);
      rows.push(['started at', formatTime(item.startAt)]);
      if (item.expires !== undefined) rows.push(['expires at', formatTime(item.expires)]);
      rows.push([item.end === 'pending' ? 'pending until' : `${item.end === 'fire' ? 'fired' : item.end === 'cancel' ? 'cancelled' : 'restarted'} at`, formatTime(item.endAt)]);
      rows.push(['ran for', formatDuration(item.endAt - item.startAt)]);
      break;
    case 'note':
      if (item.endpoint) rows.push(['endpoint', item.endpoint]);
      rows.push([item.noteKind === 'app' ? 'call' : item.noteKind === 'data' ? 'delivered' : 'note', item.text]);
      if (item.error) rows.push(['error', item.error]);
      rows.push(['at', formatTime(item.t)]);
      break;
    case 'expect':
      rows.push(['expectation', item.ok ? 'held' : 'FAILED']);
      rows.push(['message', item.message]);
      if (item.expected !== undefined) rows.push(['expected', item.expected]);
      if (item.actual !== undefined) rows.push(['actual', item.actual]);
      rows.push(['at', formatTime(item.t)]);
      break;
    case 'gap':
      rows.push(['idle', `${formatDuration(item.to - item.from)} (from ${formatTime(item.from)} to ${formatTime(item.to)}), drawn compressed`]);
      break;
    case 'tick':
      rows.push(['time', item.text]);
      break;
  }
  if (item.line !== undefined) rows.push(['scenario line', String(item.line)]);
  return rows;
}
