// The diagram webview (runs in the browser, bundled to dist/webview.js). Draws only what is
// visible: the items meeting a band of a few screens around the view are created, kept or
// removed by key, in chunks of the diagram's height (chunks.ts). No innerHTML anywhere: every
// scenario string reaches the page through textContent or setAttribute.
//   state.ts     the one state object (the trace store, options, the model)
//   page.ts      the page's elements          build.ts     building the model, in steps
//   ladder.ts    drawing the ladder            viewport.ts  size, scroll, zoom to fit
//   chunks.ts    the ladder's chunks of items
//   controls.ts  zoom, fit, relative, legend   chrome.ts    title, legend strip, empty text
//   messages.ts  messages from the host        persist.ts   saved state
//   tooltip.ts   hover and focus               exports.ts   SVG, PNG, Mermaid
//   graph.ts     the time–sequence graph view

import { isHostMessage } from '../src/diagram/messages';
import { completeBuild, rebuild, scheduleRelayout } from './build';
import { fit, setLegendOpen, setRelative, setWindowLabels, setZoom, zoomIn, zoomOut } from './controls';
import { copyMermaid, exportPcapng, exportPng, exportSvg } from './exports';
import { graphResized, nextDirection, setView } from './graph';
import { itemAt, place, requestRender, traceIndex } from './ladder';
import { handle } from './messages';
import { page } from './page';
import { restoreState, scheduleSave } from './persist';
import { post, state } from './state';
import { hideTooltip, showTooltip } from './tooltip';
import { atKnownTop, autoZoom, forgetSize, layoutSizer, measure } from './viewport';

const { viewport, canvas } = page;

// ---- toolbar ----
page.zoomOutButton.addEventListener('click', zoomOut);
page.zoomInButton.addEventListener('click', zoomIn);
page.fitButton.addEventListener('click', () => fit());
page.relativeButton.addEventListener('click', () => setRelative(!state.relative));
page.windowButton.addEventListener('click', () => setWindowLabels(!state.windowLabels));
page.svgButton.addEventListener('click', exportSvg);
page.pngButton.addEventListener('click', () => void exportPng());
page.pcapngButton.addEventListener('click', exportPcapng);
page.mermaidButton.addEventListener('click', copyMermaid);
page.legendButton.addEventListener('click', () => setLegendOpen(!state.legendOpen));
page.ladderButton.addEventListener('click', () => {
  setView('ladder');
  scheduleSave();
});
page.graphButton.addEventListener('click', () => {
  setView('graph');
  scheduleSave();
});
page.directionButton.addEventListener('click', () => {
  nextDirection();
  scheduleSave();
});

// ---- messages ----
window.addEventListener('message', (event: MessageEvent) => {
  const message: unknown = event.data;
  if (isHostMessage(message)) handle(message);
});

// ---- scroll, resize, zoom, pan ----
new ResizeObserver(forgetSize).observe(viewport);
new ResizeObserver(graphResized).observe(page.graphView);

viewport.addEventListener('scroll', () => {
  hideTooltip();
  scheduleSave();
  // The page's own scroll (a step revealing the current event, a zoom) was drawn when it was made: a
  // frame requested for nothing is aborted, and the next step's frame then waits for the compositor's next interval.
  if (atKnownTop()) return;
  state.knownTop = undefined;
  requestRender();
});
window.addEventListener('resize', () => {
  scheduleRelayout();
  state.knownSize = undefined;
  const view = measure();
  autoZoom(view);
  layoutSizer();
  place(view, false);
});
viewport.addEventListener(
  'wheel',
  (event) => {
    if (!event.ctrlKey && !event.metaKey) return;
    event.preventDefault();
    const rect = viewport.getBoundingClientRect();
    setZoom(state.zoom * Math.exp(-event.deltaY * 0.0015), { x: event.clientX - rect.left, y: event.clientY - rect.top }, true);
  },
  { passive: false },
);
viewport.addEventListener('keydown', (event) => {
  if (event.key === '+' || event.key === '=') zoomIn();
  else if (event.key === '-') zoomOut();
  else if (event.key === '0') fit();
  else return;
  event.preventDefault();
});

// Drag to pan; a press that does not move is a click.
let drag: { x: number; y: number; left: number; top: number; moved: boolean; id: number } | undefined;
viewport.addEventListener('pointerdown', (event) => {
  if (event.button !== 0 && event.button !== 1) return;
  if (event.target === viewport) return; // the scrollbars
  drag = { x: event.clientX, y: event.clientY, left: viewport.scrollLeft, top: viewport.scrollTop, moved: false, id: event.pointerId };
});
window.addEventListener('pointermove', (event) => {
  if (!drag || event.pointerId !== drag.id) return;
  const dx = event.clientX - drag.x;
  const dy = event.clientY - drag.y;
  if (!drag.moved && Math.hypot(dx, dy) < 4) return;
  if (!drag.moved) {
    drag.moved = true;
    viewport.setPointerCapture(event.pointerId);
    viewport.classList.add('panning');
  }
  viewport.scrollLeft = drag.left - dx;
  viewport.scrollTop = drag.top - dy;
  state.knownTop = undefined;
});
window.addEventListener('pointerup', (event) => {
  if (!drag || event.pointerId !== drag.id) return;
  const wasDrag = drag.moved;
  drag = undefined;
  viewport.classList.remove('panning');
  if (viewport.hasPointerCapture(event.pointerId)) viewport.releasePointerCapture(event.pointerId);
  if (!wasDrag && event.button === 0) {
    const item = itemAt(event.target);
    if (item?.line !== undefined) post({ type: 'reveal', line: item.line, index: traceIndex(item) });
  }
});

// ---- items: keyboard, focus, hover ----
canvas.addEventListener('keydown', (event) => {
  if (event.key !== 'Enter' && event.key !== ' ') return;
  const item = itemAt(event.target);
  if (item?.line === undefined) return;
  event.preventDefault();
  post({ type: 'reveal', line: item.line, index: traceIndex(item) });
});
canvas.addEventListener('focusin', (event) => {
  const item = itemAt(event.target);
  if (!item || !(event.target instanceof Element)) return;
  const box = event.target.getBoundingClientRect();
  showTooltip(item, box.left + box.width / 2, box.top + box.height / 2);
});
canvas.addEventListener('focusout', hideTooltip);
canvas.addEventListener('mousemove', (event) => {
  if (drag?.moved) return;
  const item = itemAt(event.target);
  if (!item || item.kind === 'tick') return hideTooltip();
  showTooltip(item, event.clientX, event.clientY);
});
canvas.addEventListener('mouseleave', hideTooltip);

// ---- start ----
const restored = restoreState();
if (restored.trace) {
  handle(restored.trace);
  // The saved scroll offset needs the whole diagram's height.
  completeBuild();
}
if (restored.scrollTop !== undefined) viewport.scrollTop = restored.scrollTop;
state.knownTop = undefined;
if (restored.scrollLeft !== undefined) viewport.scrollLeft = restored.scrollLeft;
// Nothing changed since the restore: the builder's events are kept.
rebuild(false, state.store.length);
setView(state.view);
post({ type: 'ready' });
