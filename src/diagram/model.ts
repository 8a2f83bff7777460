// Trace -> ladder diagram model (pure): the public face of the diagram's layout. Lifelines per
// endpoint, time flowing down in proportion to virtual time with long idle gaps compressed
// logarithmically, arrows from send time to delivery time. Where each decision lives:
//   types.ts      the model, its items and layout constants
//   ledger.ts     the first pass over the trace: rows per instant, segments, timer spans
//   timeScale.ts  time -> y, the median flight time
//   labels.ts     texts and their widths
//   geometry.ts   label boxes and overlaps
//   arrows.ts     one segment's arrow and where its label goes
//   marks.ts      state boxes, notes, expectations, timer bars, gaps and ticks
//   frame.ts      the lifelines' positions and the scale (a new one lays everything out again)
//   builder.ts    the incremental layer (ModelBuilder) and buildModel
//   arrowPass.ts  which arrows a step lays out again, and where a deadline stops them
//   placements.ts the items placed and the events each shows
//   itemIndex.ts  the live model's items by band of y
//   fields.ts     an item's fields for tooltips

export * from './types';
export { buildModel, ModelBuilder, type LiveModel, type Until, type UpdateStats } from './builder';
export { itemFields } from './fields';
export { appCallText, BADGE, burstCandidates, headerWidth, labelDrop, labelLinesWidth, NOTE_MARK, relativeTo, segmentLabel, wrapNote } from './labels';

import type { DiagramModel } from './types';

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
