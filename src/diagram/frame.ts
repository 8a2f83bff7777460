// The frame a layout happens in (pure): the lifelines' positions and room, and the scale (the
// median flight time of the first deliveries). Another frame lays everything out again
// (builder.ts), so its signature says when it changed.

import type { TraceLedger } from './ledger';
import { columnWidth } from './marks';
import { headerWidth } from './labels';
import { COMPACT, WIDE_LABEL_ROOM, type Layout, type Lifeline } from './types';

/** The frame a layout happens in: positions of the lifelines and the scale. Another frame lays everything out again. */
export interface Frame {
  layout: Layout;
  rightEdge: number;
  expectX: number;
  medianFlight: number;
  pxPerMs: number;
  linkFlight: Map<string, number>;
  signature: string;
}

/**
 * The compact layout for the panel's width: a time axis as wide as its longest (short) label,
 * and the lifeline gap that makes the picture fit, no less than a wrapped label needs.
 */
function compactLayout(ledger: TraceLedger, baseLayout: Layout, fitWidth: number): Layout {
  const tickWidth = ledger.maxTickWidth();
  // In steps of 8 px: the axis widens now and then (more digits), not at every label a little wider.
  const axisWidth = Math.ceil(Math.max(30, tickWidth + 12) / 8) * 8;
  const { lifelines } = ledger;
  const rightColumn = ledger.hasRightColumn ? COMPACT.expectWidth : 0;
  // Every lifeline's column (the outer ones' outside, the middle ones' in the gap to their right) comes off the room.
  let columns = 0;
  for (const l of lifelines) columns += columnWidth(l, true);
  const room = fitWidth - axisWidth - columns - rightColumn;
  const gaps = Math.max(1, lifelines.length - 1);
  // Neighbouring endpoint headers must not touch either.
  // Three or more: arrows between outer lifelines pass a middle one, and their labels share its gaps with its own traffic.
  let least = lifelines.length > 2 ? COMPACT.minSpacingMany : COMPACT.minSpacing;
  for (let i = 1; i < lifelines.length; i++) least = Math.max(least, (headerWidth(lifelines[i - 1]) + headerWidth(lifelines[i])) / 2 + 8);
  const spacing = Math.floor(Math.min(baseLayout.lifelineSpacing, Math.max(least, room / gaps)));
  // Taller flights: a wrapped label needs room between an arrow and the next.
  return { ...baseLayout, axisWidth, outsideWidth: 0, lifelineSpacing: spacing, expectWidth: COMPACT.expectWidth, flightPx: COMPACT.flightPx, pxPerDoubling: COMPACT.pxPerDoubling };
}

/** Lifeline positions and the scale for the trace as it is now. */
export function makeFrame(ledger: TraceLedger, compact: boolean, baseLayout: Layout, fitWidth: number): Frame {
  const { lifelines } = ledger;
  const layout = compact ? compactLayout(ledger, baseLayout, fitWidth) : baseLayout;
  const outside = (l: Lifeline | undefined) => (l ? (compact ? columnWidth(l, true) : Math.max(layout.outsideWidth, columnWidth(l, false))) : layout.outsideWidth);
  let x = layout.axisWidth + outside(lifelines[0]);
  lifelines.forEach((lifeline, i) => {
    lifeline.side = lifelines.length === 1 ? 'left' : i === 0 ? 'left' : i === lifelines.length - 1 ? 'right' : 'center';
    lifeline.x = x;
    // A middle lifeline's column (timers, state boxes, notes) lies in the gap to its right, which
    // widens by it (wide: to leave room for a whole label beside it).
    const column = lifeline.side === 'center' ? columnWidth(lifeline, compact) : 0;
    x += compact ? layout.lifelineSpacing + column : Math.max(layout.lifelineSpacing, column + WIDE_LABEL_ROOM);
  });
  const lastLifeline = lifelines[lifelines.length - 1];
  const rightEdge = lastLifeline ? lastLifeline.x + outside(lastLifeline) : layout.axisWidth + layout.outsideWidth;
  // Scale: the median flight time gets `flightPx`.
  const medianFlight = ledger.flights.median() ?? 10;
  const linkFlight = new Map<string, number>();
  for (const [key, counts] of ledger.linkFlights) {
    const linkMedian = counts.median();
    if (linkMedian !== undefined) linkFlight.set(key, linkMedian);
  }
  const signature = `${medianFlight}|${layout.axisWidth}|${layout.lifelineSpacing}|${[...linkFlight].join(';')}|${lifelines.map((l) => `${l.name}|${l.x}|${l.side}|${l.boxWidth}|${l.noteWidth}`).join(';')}`;
  return { layout, rightEdge, expectX: rightEdge + (compact ? 4 : 12), medianFlight, pxPerMs: layout.flightPx / medianFlight, linkFlight, signature };
}
