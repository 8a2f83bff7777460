// What the toolbar and the keys do to the view: zoom (around a point), fit, relative numbers,
// the legend strip.

import { dropBuilder, completeBuild, rebuild } from './build';
import { showLegend } from './chrome';
import { place, render } from './ladder';
import { page } from './page';
import { saveState, scheduleSave } from './persist';
import { MAX_ZOOM, MIN_ZOOM, post, state } from './state';
import { clampTop, layoutSizer, measure, scrollToTop } from './viewport';

const { viewport } = page;

export function setZoom(next: number, anchor?: { x: number; y: number }, byUser = false): void {
  if (byUser) state.userZoom = true;
  const clamped = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, next));
  if (clamped === state.zoom) return;
  const view = measure();
  const left = viewport.scrollLeft;
  const ax = anchor?.x ?? view.width / 2;
  const ay = anchor?.y ?? view.height / 2;
  const mx = (left + ax) / state.zoom;
  const my = (view.top + ay) / state.zoom;
  state.zoom = clamped;
  layoutSizer();
  viewport.scrollLeft = mx * state.zoom - ax;
  const top = clampTop(my * state.zoom - ay, view.height);
  scrollToTop(top);
  render({ ...view, top });
  saveState();
  post({ type: 'state', relative: state.relative, zoom: state.zoom });
}

export const zoomIn = () => setZoom(state.zoom * 1.25, undefined, true);
export const zoomOut = () => setZoom(state.zoom / 1.25, undefined, true);

/** Fits the width (and the height when the run is short), keeping the middle of the view in view. */
export function fit(): void {
  completeBuild();
  const { model } = state;
  if (!model) return;
  state.userZoom = true;
  const view = measure();
  const byWidth = view.width / model.width;
  const byHeight = view.height / model.height;
  // A long trace is fitted to the width only: squeezing 10,000 segments into one screen shows nothing.
  const next = byHeight >= byWidth * 0.4 ? Math.min(byWidth, byHeight) : byWidth;
  const middle = (clampTop(view.top, view.height) + view.height / 2) / state.zoom;
  state.zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, next));
  layoutSizer();
  viewport.scrollLeft = 0;
  // The old offset belongs to the old zoom: scrolling to it would show an empty band past the end.
  const top = clampTop(middle * state.zoom - view.height / 2, view.height);
  scrollToTop(top);
  render({ ...view, top });
  saveState();
  post({ type: 'state', relative: state.relative, zoom: state.zoom });
}

export function setRelative(next: boolean): void {
  state.relative = next;
  dropBuilder();
  rebuild();
  saveState();
  post({ type: 'state', relative: state.relative, zoom: state.zoom });
}

/** Arrow labels with or without the advertised window: laid out again. */
export function setWindowLabels(next: boolean): void {
  state.windowLabels = next;
  dropBuilder();
  rebuild();
  saveState();
}

export function setLegendOpen(open: boolean): void {
  state.legendOpen = open;
  showLegend();
  state.knownSize = undefined;
  place(measure(), false);
  scheduleSave();
}
