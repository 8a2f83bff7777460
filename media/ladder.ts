// The ladder view: draws the live model's items in a band of a few screens around what is
// visible. Items are created, kept or removed by key; an item the builder kept is the same
// object, so nothing is compared for it, and a step redraws only the items it touched.
// (A second view of the same model, such as a time-sequence graph, would sit beside this one:
// it reads the same state and model.)

import { cleanText } from '../src/diagram/format';
import type { DiagramItem } from '../src/diagram/model';
import { expectBand, headerNodes, itemNode, lifelineNodes, type SvgNode } from '../src/diagram/svg';
import { chunkAt, clearChunks, dropEmptyChunks, sizeChunks } from './chunks';
import { Likeness, likeness, patchDom, setAttr, setStyle, toDom } from './dom';
import { page } from './page';
import { building, state } from './state';
import { clampTop, measure, scrollToTop, type View } from './viewport';

const { canvas, wholeLayer, backLayer, lifelineLayer, itemLayer, nowLayer, nowLine, nowBand, header, headerBackground, headerLayer } = page;

/** The height of the current event's layer (px): room for its line at any zoom (up to MAX_ZOOM). */
const NOW_PX = 8;

/** The canvas grows in steps of this height (model units). */
const ROOM = 2048;

/** Time per frame for making items outside the view (ms). */
const FRAME_BUDGET_MS = 5;

interface Drawn {
  el: SVGElement;
  /** The chunk it is in. */
  chunk: SVGSVGElement;
  /** What the element was made from (an item laid out again is compared with it, not redrawn when the same). */
  node: SvgNode;
  item: DiagramItem;
}

/** What the canvas shows now. */
const drawn = {
  items: new Map<string, Drawn>(),
  /** The model, frame and zoom it was drawn for. */
  model: undefined as unknown,
  frame: -1,
  zoom: 0,
  /** The diagram's size (model units) and the canvas's height (ROOM units). */
  height: 0,
  room: 0,
  width: 0,
  /** The band of the diagram whose items are on the page (model units). */
  bandTop: 0,
  bandHeight: 0,
  /** Items of the band not made yet (the frame's budget ran out): the next frame goes on. */
  itemsPending: false,
  /** The builder changed items since the last drawing. */
  itemsChanged: false,
  currentKey: undefined as string | undefined,
  frameRequested: false,
  /** Elements made, replaced, drawn again in place or removed by the last drawing (tests count them). */
  touched: 0,
};

/** The builder changed the model: the next drawing looks at the items in the band again. */
export function modelChanged(): void {
  drawn.itemsChanged = true;
}

export function requestRender(): void {
  if (drawn.frameRequested) return;
  drawn.frameRequested = true;
  requestAnimationFrame(() => {
    drawn.frameRequested = false;
    inFrame = true;
    try {
      render(measure());
    } finally {
      inFrame = false;
    }
  });
}

/**
 * Drawing in an animation frame (a scroll, the frames after a change): the band's margins get
 * the frame's budget. Outside one (a message's task, before the first frame is painted), only
 * the view is drawn; the margins wait for the frame after that one.
 */
let inFrame = false;

/** Scrolls to `view.top` clamped to the diagram (or to the current event) and draws, without reading layout. */
export function place(view: View, reveal: boolean): void {
  const { model, zoom } = state;
  const current = state.store.current - state.base;
  let top = clampTop(view.top, view.height);
  if (reveal && model && current >= 0 && current < model.eventCount) {
    const y = model.eventY(current) * zoom;
    if (y < top + 60 || y > top + view.height - 60) top = clampTop(y - view.height / 2, view.height);
  }
  // Drawn first: the scroll, which needs the layout, then lays out the new items with the rest (one layout per step).
  render({ ...view, top });
  if (top !== view.top) scrollToTop(top);
}

/** Scrolls so that the current event is in view (only when it is not). */
export function revealCurrent(): void {
  const { model, store } = state;
  state.revealPending = store.current >= state.builtEvents && state.builtEvents < store.length;
  const current = store.current - state.base;
  if (!model || current < 0 || current >= model.eventCount) return;
  place(measure(), true);
}

function clear(): void {
  drawn.items.clear();
  clearChunks();
  lifelineLayer.replaceChildren();
  headerLayer.replaceChildren();
  nowLayer.setAttribute('visibility', 'hidden');
  nowBand.setAttribute('visibility', 'hidden');
  drawn.model = undefined;
}

/**
 * Draws what is visible at `view` (nothing to do while it stays inside the drawn band and the
 * model did not change). The caller reads the view first, so drawing never forces a layout.
 */
export function render(view: View): void {
  const { model, zoom } = state;
  drawn.touched = 0;
  if (!model) return clear();
  const viewHeight = Math.max(view.height, 200) / zoom;
  // A stale offset (the diagram just got shorter or smaller) is clamped to the diagram.
  const viewTop = clampTop(view.top, view.height) / zoom;
  const fresh = drawn.model !== model || drawn.frame !== model.frameRevision || drawn.zoom !== zoom;
  // A band of four screens around the view: the items that meet it are on the page. It follows
  // the view in steps of an eighth of a screen, so a scroll makes the items of a few rows per
  // frame, a screen and more ahead of the view (moving a screen at a time made a slow frame
  // every few). It reaches a screen and a half past the diagram's bottom.
  const height = model.height;
  const bandHeight = viewHeight * 4;
  const bandTop = Math.min(Math.max(0, viewTop - viewHeight * 1.5), Math.max(0, height + viewHeight * 1.5 - bandHeight));
  const insideBand = Math.abs(bandTop - drawn.bandTop) < viewHeight / 8 && Math.abs(bandHeight - drawn.bandHeight) < 1;
  if (!fresh && insideBand && !drawn.itemsPending && !drawn.itemsChanged) return;
  drawn.itemsChanged = false;

  const width = model.width;
  if (fresh || !insideBand) {
    drawn.bandTop = bandTop;
    drawn.bandHeight = bandHeight;
  }
  // The canvas's height: the diagram's, rounded up to whole ROOM units. The sizer, as tall as the
  // diagram, clips it; a step that makes the diagram taller then resizes the canvas and its layers
  // about once in a hundred steps, not at each (four style writes and a viewBox less per step).
  const room = Math.ceil(height / ROOM) * ROOM;
  if (fresh || drawn.room !== room || drawn.width !== width) {
    // The canvas is as large as the diagram (in height, to ROOM), in its units: a band that moves changes no
    // transform, so only the items it adds are painted (moving the canvas with the band
    // repainted every item at each move); a trace that grows only makes it taller.
    setStyle(canvas, 'width', `${width * zoom}px`);
    setStyle(canvas, 'height', `${room * zoom}px`);
    setStyle(wholeLayer, 'width', `${width * zoom}px`);
    setStyle(wholeLayer, 'height', `${room * zoom}px`);
    setAttr(wholeLayer, 'viewBox', `0 0 ${width} ${room}`);
    sizeChunks(width, zoom);
    drawn.room = room;
  }
  if (fresh || drawn.height !== height || drawn.width !== width) {
    // Zoomed far out, labels would only be noise (and the most of the paint cost): arrows and
    // boxes remain. 11 px text becomes unreadable below about 5.5 device pixels.
    canvas.classList.toggle('lod-low', zoom * (window.devicePixelRatio || 1) < 0.5);
    // The lifelines end at the diagram's bottom, which moves as the trace grows: the lines get their new ends.
    const nodes = lifelineNodes(model, 0, height);
    const lines = lifelineLayer.children;
    if (lines.length === nodes.length) nodes.forEach((node, i) => Object.entries(node.attrs).forEach(([k, v]) => setAttr(lines[i], k, String(v))));
    else lifelineLayer.replaceChildren(...nodes.map(toDom));
    drawn.height = height;
    drawn.width = width;
  }
  drawItems(viewTop, viewTop + viewHeight);
  if (fresh) {
    header.setAttribute('viewBox', `0 0 ${width} ${model.layout.headerHeight}`);
    headerBackground.setAttribute('width', String(width));
    headerBackground.setAttribute('height', String(model.layout.headerHeight));
    headerLayer.replaceChildren(...headerNodes(model, 0).map(toDom));
  }
  drawn.model = model;
  drawn.frame = model.frameRevision;
  drawn.zoom = zoom;
  updateHighlight();
  // The events drawn so far (a long trace's build goes on in steps); `building` while it does.
  const body = document.body;
  setAttr(body, 'data-events', String(state.builtEvents));
  setAttr(body, 'data-building', String(building()));
  setAttr(body, 'data-rendered', String(drawn.items.size));
  setAttr(body, 'data-touched', String(drawn.touched));
}

/**
 * Items in view are made now; those in the band's margins (new, or given anew by a new frame)
 * only while this frame's budget lasts, the rest in the next frames (a fast scroll or a new
 * frame then never makes one long frame).
 */
function drawItems(viewTop: number, viewBottom: number): void {
  const model = state.model!;
  const started = performance.now();
  let deferred = false;
  const wanted = model.visible(drawn.bandTop, drawn.bandTop + drawn.bandHeight);
  const keep = new Set<string>();
  // Idle-gap bands and the time axis go beneath lifelines and arrows; items keep top-to-bottom order
  // (in the chunk of their top: chunks.ts).
  const previous = new Map<SVGSVGElement, SVGElement>();
  for (const item of wanted) {
    keep.add(item.key);
    const existing = drawn.items.get(item.key);
    // The builder hands over unchanged items as the same objects: nothing to compare.
    if (existing && existing.item === item) {
      previous.set(existing.chunk, existing.el);
      continue;
    }
    if ((item.y1 < viewTop || item.y0 > viewBottom) && (!inFrame || performance.now() - started > FRAME_BUDGET_MS)) {
      // Out of view and out of time: made, or checked against its element (a new frame gives
      // every item anew), in a next frame; an element drawn stays meanwhile.
      if (existing) previous.set(existing.chunk, existing.el);
      else keep.delete(item.key);
      deferred = true;
      continue;
    }
    const node = itemNode(item, model);
    const chunk = chunkAt(item.kind === 'gap' || item.kind === 'tick' ? backLayer : itemLayer, item.y0);
    const alike = existing && existing.chunk === chunk ? likeness(existing.node, node) : Likeness.Other;
    // Laid out again (a new frame) but drawn the same: the element stays.
    if (existing && alike === Likeness.Same) {
      existing.item = item;
      previous.set(chunk, existing.el);
      continue;
    }
    drawn.touched++;
    // In the same chunk and of the same shape (a timer bar that grew, an arrow that arrived): the
    // elements stay and only what differs is written.
    if (existing && alike === Likeness.Shape) {
      patchDom(existing.el, existing.node, node);
      accessible(existing.el, item);
      Object.assign(existing, { node, item });
      previous.set(chunk, existing.el);
      continue;
    }
    const el = toDom(node);
    accessible(el, item);
    const before = previous.get(chunk);
    if (existing && existing.chunk === chunk) existing.el.replaceWith(el);
    else {
      existing?.el.remove();
      if (before) before.after(el);
      else chunk.prepend(el);
    }
    drawn.items.set(item.key, { el, chunk, node, item });
    previous.set(chunk, el);
  }
  for (const [key, entry] of drawn.items) {
    if (!keep.has(key)) {
      entry.el.remove();
      drawn.items.delete(key);
      drawn.touched++;
    }
  }
  dropEmptyChunks();
  drawn.itemsPending = deferred;
  if (deferred && inFrame) requestRender();
  else if (deferred) requestAnimationFrame(requestRender);
}

/** Keyboard and screen readers: each clickable item is a focusable button. */
function accessible(el: SVGElement, item: DiagramItem): void {
  if (item.line !== undefined) {
    setAttr(el, 'tabindex', '0');
    setAttr(el, 'role', 'button');
    setAttr(el, 'aria-label', cleanText(ariaLabel(item)));
  } else {
    for (const name of ['tabindex', 'role', 'aria-label']) el.removeAttribute(name);
  }
}

export function updateHighlight(): void {
  const { model, store } = state;
  if (!model) return;
  const current = store.current - state.base;
  const key = current >= 0 && current < model.eventCount ? model.eventItem(current)?.key : undefined;
  if (drawn.currentKey !== undefined && drawn.currentKey !== key) drawn.items.get(drawn.currentKey)?.el.classList.remove('current');
  if (key !== undefined) drawn.items.get(key)?.el.classList.add('current');
  drawn.currentKey = key;
  setAttr(document.body, 'data-current', key ?? '');
  if (current >= 0 && current < model.eventCount) {
    // A step only moves the layer (a transform on its own compositor layer: nothing in the canvas is laid out,
    // repainted or re-rastered for it, where moving a line in the canvas re-rastered its old and new rows).
    const zoom = state.zoom;
    sizeNowLayer(model.width, model.layout.axisWidth, zoom);
    setStyle(nowLayer, 'transform', `translateY(${model.eventY(current) * zoom - NOW_PX / 2}px)`);
    if (nowLayer.hasAttribute('visibility')) nowLayer.removeAttribute('visibility');
  } else {
    setAttr(nowLayer, 'visibility', 'hidden');
  }
  const band = expectBand(current >= 0 && current < model.eventCount ? model.eventItem(current) : undefined, model);
  if (band) {
    for (const name of ['class', 'x', 'y', 'width', 'height'] as const) setAttr(nowBand, name, String(band[name]));
    if (nowBand.hasAttribute('visibility')) nowBand.removeAttribute('visibility');
  } else {
    setAttr(nowBand, 'visibility', 'hidden');
  }
}

/** The width, axis and zoom the now layer was sized for (they change at a new frame or zoom, not at a step). */
const nowSized = { width: -1, axisWidth: -1, zoom: 0 };

/** The now layer: a strip of NOW_PX at the canvas's scale with the line across its middle, from the axis to the right edge. */
function sizeNowLayer(width: number, axisWidth: number, zoom: number): void {
  if (width === nowSized.width && axisWidth === nowSized.axisWidth && zoom === nowSized.zoom) return;
  nowSized.width = width;
  nowSized.axisWidth = axisWidth;
  nowSized.zoom = zoom;
  setStyle(nowLayer, 'width', `${width * zoom}px`);
  setStyle(nowLayer, 'height', `${NOW_PX}px`);
  setAttr(nowLayer, 'viewBox', `0 ${-NOW_PX / 2 / zoom} ${width} ${NOW_PX / zoom}`);
  setAttr(nowLine, 'x1', String(axisWidth));
  setAttr(nowLine, 'x2', String(width));
}

/** The trace's index of an item's first event (the model counts from the window's start). */
export function traceIndex(item: DiagramItem): number | undefined {
  return item.events.length > 0 ? item.events[0] + state.base : undefined;
}

/** The drawn item an element belongs to (hover, click, focus). */
export function itemAt(target: EventTarget | null): DiagramItem | undefined {
  if (!(target instanceof Element)) return undefined;
  const key = target.closest('[data-key]')?.getAttribute('data-key');
  return key ? drawn.items.get(key)?.item : undefined;
}

function ariaLabel(item: DiagramItem): string {
  switch (item.kind) {
    case 'arrow':
      return `${item.from} → ${item.to}: ${item.label}${item.badges.length ? ` (${item.badges.join(', ')})` : ''}`;
    case 'state':
      return `${item.endpoint}: ${item.from} → ${item.to}`;
    case 'note':
      return item.endpoint ? `${item.endpoint}: ${item.text}` : item.text;
    case 'expect':
      return `${item.ok ? '✓' : '✗'} ${item.message}`;
    default:
      return '';
  }
}
