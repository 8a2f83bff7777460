// The ladder's items are drawn in chunks: one <svg> per CHUNK model units of height (by an
// item's top) and layer, each absolutely placed in the canvas. A positioned element is painted
// on its own (Chromium keeps a layer's paint while nothing in it changed), so items the band adds
// or removes as the view scrolls repaint their chunks, not every item on the page (one <svg> for
// all of them repainted them all at each change). A chunk's items reach below it (overflow
// visible); chunks of one layer are in top-to-bottom order, so a later item still draws over an
// earlier one, and the layers keep their order: idle gaps and ticks, the expectation band and
// lifelines, items, the now line.

import { SVG_NS } from '../src/diagram/svg';
import { setAttr, setStyle } from './dom';

/** Height of a chunk (model units). */
const CHUNK = 512;

const chunks = new Map<HTMLElement, Map<number, SVGSVGElement>>();
let size = { width: 0, zoom: 1 };

function place(svg: SVGSVGElement, index: number): void {
  const { width, zoom } = size;
  setStyle(svg, 'top', `${index * CHUNK * zoom}px`);
  setStyle(svg, 'width', `${width * zoom}px`);
  setStyle(svg, 'height', `${CHUNK * zoom}px`);
  setAttr(svg, 'viewBox', `0 ${index * CHUNK} ${width} ${CHUNK}`);
}

/** The chunk of `layer` (a box of chunks) that holds items whose top is at `y`, made when missing. */
export function chunkAt(layer: HTMLElement, y: number): SVGSVGElement {
  const index = Math.max(0, Math.floor(y / CHUNK));
  let ofLayer = chunks.get(layer);
  if (!ofLayer) chunks.set(layer, (ofLayer = new Map()));
  let svg = ofLayer.get(index);
  if (svg) return svg;
  svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'diagram chunk');
  svg.dataset.chunk = String(index);
  place(svg, index);
  // In top-to-bottom order within the layer.
  let nextIndex = Infinity;
  for (const k of ofLayer.keys()) if (k > index && k < nextIndex) nextIndex = k;
  layer.insertBefore(svg, ofLayer.get(nextIndex) ?? null);
  ofLayer.set(index, svg);
  return svg;
}

/** The diagram's width or the zoom changed: every chunk gets its new place. */
export function sizeChunks(width: number, zoom: number): void {
  if (width === size.width && zoom === size.zoom) return;
  size = { width, zoom };
  for (const ofLayer of chunks.values()) for (const [index, svg] of ofLayer) place(svg, index);
}

/** Chunks left without items go (the band moved on). */
export function dropEmptyChunks(): void {
  for (const ofLayer of chunks.values()) {
    for (const [index, svg] of ofLayer) {
      if (svg.firstChild) continue;
      svg.remove();
      ofLayer.delete(index);
    }
  }
}

export function clearChunks(): void {
  for (const ofLayer of chunks.values()) for (const svg of ofLayer.values()) svg.remove();
  chunks.clear();
}
