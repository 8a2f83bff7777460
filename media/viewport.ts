// The viewport: its size and scroll offset as last known (read from the page only when
// unknown, so drawing never forces a layout in the middle of its writes), the scrollable size
// of the diagram at the current zoom, and the zoom that fits a wide diagram into the panel.

import { setStyle, setText } from './dom';
import { page } from './page';
import { MIN_ZOOM, state } from './state';

/** Scroll position and size of the viewport (px). */
export interface View {
  top: number;
  width: number;
  height: number;
}

const { viewport, sizer, header, zoomLabel } = page;

export function measure(): View {
  state.knownSize ??= { width: viewport.clientWidth, height: viewport.clientHeight };
  state.knownTop ??= viewport.scrollTop;
  return { top: state.knownTop, ...state.knownSize };
}

/** Scrolls to `top` (already clamped to the diagram) and remembers it. */
export function scrollToTop(top: number): void {
  viewport.scrollTop = top;
  state.knownTop = top;
}

/** The viewport is where scrollToTop put it (a scroll event for the page's own scroll; under a pixel: the offset is rounded to device pixels). */
export function atKnownTop(): boolean {
  return state.knownTop !== undefined && Math.abs(viewport.scrollTop - state.knownTop) < 1;
}

/** Forget the size (the panel was resized, the legend opened) or the offset (the user scrolled). */
export function forgetSize(): void {
  state.knownSize = undefined;
  state.knownTop = undefined;
}

/** The largest scroll offset the diagram allows at the current zoom. */
export function clampTop(top: number, height: number): number {
  const { model, zoom } = state;
  const max = model ? Math.max(0, Math.ceil(model.height * zoom) - height) : 0;
  return Math.min(max, Math.max(0, top));
}

/** The sizer and the header as large as the diagram at the current zoom. */
export function layoutSizer(): void {
  const { model, zoom } = state;
  const w = model ? model.width * zoom : 0;
  const hgt = model ? model.height * zoom : 0;
  const headerHeight = model ? model.layout.headerHeight * zoom : 0;
  setStyle(sizer, 'width', `${Math.ceil(w)}px`);
  setStyle(sizer, 'height', `${Math.ceil(hgt)}px`);
  setStyle(sizer, 'marginTop', `${-headerHeight}px`);
  setStyle(header, 'width', `${Math.ceil(w)}px`);
  setStyle(header, 'height', `${headerHeight}px`);
  setText(zoomLabel, `${Math.round(zoom * 100)}%`);
}

/** Until the user picks a zoom, a diagram wider than the panel is shown at the panel's width. */
export function autoZoom(view: View): void {
  const { model } = state;
  if (state.userZoom || !model || view.width <= 0) return;
  state.zoom = fitZoom(model.width, view.width);
}

/** The zoom at which a drawing `modelWidth` wide fits `viewWidth`: never enlarged, never under MIN_ZOOM. */
export function fitZoom(modelWidth: number, viewWidth: number): number {
  return modelWidth > viewWidth ? Math.max(MIN_ZOOM, viewWidth / modelWidth) : 1;
}

/** Room for the drawing: the panel's width less a vertical scrollbar (a long run has one). */
export function panelWidth(): number {
  return Math.max(0, viewport.offsetWidth - SCROLLBAR_ROOM);
}
const SCROLLBAR_ROOM = 16;
