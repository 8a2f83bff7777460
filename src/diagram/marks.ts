// Everything beside the lifelines (pure): state boxes, application calls and other notes,
// expectations, timer bars; and along the time axis, idle gaps and ticks. Each function
// places one item from its event (or span, or knot) and the lifelines.

import type { AppEvent, DataEvent, ExpectEvent, NoteEvent, TransitionEvent } from '../engine/trace';
import { textWidth } from './format';
import { formatTime, formatTimeOnAxis } from '../text/format';
import { noteText, shortTime, stateBoxWidth, stateText, wrapNote, type LadderWords } from './labels';
import type { TimerSpan } from './ledger';
import type { TimeScale } from './timeScale';
import { COMPACT, WIDE_BOX_OFFSET, type ExpectItem, type GapItem, type Layout, type Lifeline, type NoteItem, type StateItem, type TickItem, type TimerItem } from './types';

/** Where the lifelines are and what goes beside them. */
export interface MarkContext {
  compact: boolean;
  layout: Layout;
  lifelineByName: ReadonlyMap<string, Lifeline>;
  /** x of the column of expectations and notes without an endpoint. */
  expectX: number;
  /** The ladder's words in the drawing's language. */
  words: LadderWords;
}

export function stateItem(event: TransitionEvent, i: number, y: number, ctx: MarkContext): StateItem {
  const { compact, layout } = ctx;
  const lifeline = ctx.lifelineByName.get(event.endpoint);
  const lx = lifeline?.x ?? layout.axisWidth;
  const text = stateText(event);
  const w = stateBoxWidth(text, layout, compact);
  const h = layout.rowPx - 2;
  const boxOffset = compact ? COMPACT.boxOffset : WIDE_BOX_OFFSET;
  // Beside the lifeline, on its side: the left one's to its left, the others' to their right
  // (a middle lifeline's column, which arrow labels keep out of).
  const x = lifeline?.side === 'left' ? lx - boxOffset - w : lx + boxOffset;
  return {
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
  };
}

export function noteItem(event: AppEvent | DataEvent | NoteEvent, i: number, y: number, ctx: MarkContext): NoteItem {
  const { compact, layout } = ctx;
  const text = noteText(event, ctx.words);
  const endpoint = event.endpoint;
  const lines = compact && endpoint !== undefined ? wrapNote(text, layout) : undefined;
  let x: number;
  let anchor: NoteItem['anchor'];
  if (endpoint === undefined) {
    x = ctx.expectX;
    anchor = 'start';
  } else {
    const lifeline = ctx.lifelineByName.get(endpoint);
    const lx = lifeline?.x ?? layout.axisWidth;
    // Beyond the state boxes (the left lifeline's to its left, the others' to their right).
    const boxWidth = lifeline?.boxWidth ?? 86;
    const left = lifeline?.side === 'left';
    anchor = left ? 'end' : 'start';
    // Compact: in the state-box column (a row of its own), flush with the boxes' inner edge.
    const offset = compact ? COMPACT.boxOffset : WIDE_BOX_OFFSET + boxWidth + 12;
    x = left ? lx - offset : lx + offset;
  }
  return {
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
  };
}

export function expectItem(event: ExpectEvent, i: number, y: number, ctx: MarkContext): ExpectItem {
  return {
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
    x: ctx.expectX,
    y,
    t: event.t,
  };
}

/** A timer's bar from its start to its end (`endAt`, `y1`: the event that ended it, or where a pending one would). */
export function timerItem(span: TimerSpan, y0: number, y1: number, endAt: number, ctx: MarkContext): TimerItem {
  const { compact, layout } = ctx;
  const lifeline = ctx.lifelineByName.get(span.endpoint);
  const lx = lifeline?.x ?? layout.axisWidth;
  const outward = lifeline?.side === 'left' ? -1 : 1;
  const x = lx + outward * (6 + span.lane * 6);
  const planned = span.expires !== undefined ? span.expires - span.t : endAt - span.t;
  return {
    kind: 'timer',
    key: `t:${span.index}`,
    y0,
    y1: Math.max(y1, y0 + 2),
    events: span.endIndex !== undefined ? [span.index, span.endIndex] : [span.index],
    line: span.line,
    endpoint: span.endpoint,
    conn: span.conn,
    name: span.name,
    x,
    startAt: span.t,
    endAt,
    expires: span.expires,
    end: span.how ?? 'pending',
    label: `${ctx.words.timer[span.name] ?? span.name} ${formatTime(planned)}`,
    labelX: timerLabelX(lx, outward, span.lane, compact),
  };
}

/**
 * Where a timer's rotated label goes: beyond the bars of two lanes and before the state boxes (its
 * text, rotated -90, lies from 8 px left of its x to 2.5 px right by the estimate; Chromium's font
 * box is 9 px left to 2 px right, test/webview/endpoints.test.ts). Wide: a label per lane, side by
 * side; compact: room for one, the first lane's (hover shows the others). Compact, left of a
 * lifeline: a pixel nearer the bars than the notes, which end 20 px from the lifeline.
 */
function timerLabelX(lx: number, outward: number, lane: number, compact: boolean): number | undefined {
  if (compact) return lane === 0 ? lx + (outward > 0 ? 23 : -16.5) : undefined;
  return lx + (outward > 0 ? 24 : -17) + outward * lane * 11.5;
}

/**
 * How far the marks beside a lifeline reach from it (px): its timer bars and their labels, state
 * boxes and notes, on its side (the left lifeline's to its left, the others' to their right).
 * Between lifelines, arrow labels keep out of a middle lifeline's column.
 */
export function columnWidth(lifeline: Lifeline, compact: boolean): number {
  return compact
    ? COMPACT.boxOffset + Math.max(lifeline.boxWidth, lifeline.noteWidth) + COMPACT.outerPad
    : WIDE_BOX_OFFSET + lifeline.boxWidth + 12 + lifeline.noteWidth + 12;
}

/** The idle gap after knot k, drawn compressed with its duration, if it is long enough to be. */
export function gapItem(scale: TimeScale, k: number): GapItem | undefined {
  const { times } = scale;
  const dt = times[k + 1] - times[k];
  if (!scale.isCompressed(dt)) return undefined;
  const y0 = scale.rowsBottom(k) + 6;
  const y1 = scale.ys[k + 1] - 6;
  return { kind: 'gap', key: `g:${times[k]}`, y0, y1: Math.max(y1, y0 + 1), events: [], from: times[k], to: times[k + 1], text: formatTime(dt) };
}

/** Least distance between two ticks of the time axis (a knot closer to the tick before gets none). */
export const TICK_SPACING = 18;

export function tickItem(scale: TimeScale, k: number, compact: boolean): TickItem {
  const t = scale.times[k];
  const y = scale.ys[k];
  return { kind: 'tick', key: `k:${t}`, y0: y - 8, y1: y + 4, events: [], t, y, text: compact ? shortTime(t) : formatTimeOnAxis(t) };
}

/** How far right a note or expectation reaches (the picture widens for it), or undefined when it does not count. */
export function rightExtent(item: NoteItem | ExpectItem, compact: boolean, layout: Layout): number | undefined {
  // Long notes and expectation messages widen the picture rather than being cut off
  // (compact: expectations show only their mark).
  if (!((item.kind === 'note' && item.anchor === 'start' && !(compact && item.endpoint === undefined)) || (item.kind === 'expect' && !compact))) return undefined;
  const texts = item.kind === 'note' ? (item.lines ?? [item.text]) : [`✓ ${item.message}`];
  let extent = -Infinity;
  for (const text of texts) extent = Math.max(extent, item.x + textWidth(text, layout.fontPx) + (compact ? COMPACT.outerPad : 16));
  return extent;
}
