// Moving through the time–sequence graph from the keyboard (pure): a point of the shown direction
// has the focus; Left/Right go to the previous/next point of its series (segments, ACKs, losses,
// cwnd), Up/Down to the series above/below at the point nearest in time, Home/End to its first and
// last. The panel (media/graph.ts) draws the focus, says the point's fields (pointFields, as the
// hover) and reveals its scenario line on Enter.

import type { GraphDirection, SeriesName } from './graphData';

/** A point by its series and its place in it. */
export interface GraphFocus {
  series: SeriesName;
  at: number;
}

export type FocusMove = 'next' | 'previous' | 'up' | 'down' | 'first' | 'last';

/** The series in the order Up/Down walk them: the sequence plot from its bars down, then the cwnd plot. */
export const FOCUS_ORDER: readonly SeriesName[] = ['segments', 'acks', 'losses', 'windows'];

/** The point nearest time `t` in a series (the earlier one on a tie); undefined when it is empty. */
export function nearestInTime(d: GraphDirection, series: SeriesName, t: number): number | undefined {
  const points = d[series];
  let best: number | undefined;
  for (let i = 0; i < points.length; i++) if (best === undefined || Math.abs(points[i].t - t) < Math.abs(points[best].t - t)) best = i;
  return best;
}

/** Where the focus starts: the debugger's current point when this direction draws it, else the first point at or after `t` (the view's start), else the last segment. */
export function startFocus(d: GraphDirection, current: GraphFocus | undefined, t: number): GraphFocus | undefined {
  if (current && current.at < d[current.series].length) return current;
  for (const series of FOCUS_ORDER) {
    const at = d[series].findIndex((p) => p.t >= t);
    if (at >= 0) return { series, at };
  }
  return d.segments.length ? { series: 'segments', at: d.segments.length - 1 } : undefined;
}

/** The focus after a move (the same when there is nowhere to go). */
export function moveFocus(d: GraphDirection, from: GraphFocus, move: FocusMove): GraphFocus {
  const length = d[from.series].length;
  switch (move) {
    case 'next':
      return { series: from.series, at: Math.min(length - 1, from.at + 1) };
    case 'previous':
      return { series: from.series, at: Math.max(0, from.at - 1) };
    case 'first':
      return { series: from.series, at: 0 };
    case 'last':
      return { series: from.series, at: length - 1 };
    case 'up':
    case 'down': {
      const t = d[from.series][from.at]?.t ?? 0;
      const step = move === 'down' ? 1 : -1;
      for (let i = FOCUS_ORDER.indexOf(from.series) + step; i >= 0 && i < FOCUS_ORDER.length; i += step) {
        const at = nearestInTime(d, FOCUS_ORDER[i], t);
        if (at !== undefined) return { series: FOCUS_ORDER[i], at };
      }
      return from;
    }
  }
}
