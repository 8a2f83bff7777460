// The diagram webview (runs in the browser, bundled to dist/webview.js). Draws only what is
// visible: the SVG is as large as the viewport, its viewBox follows the scroll position, and
// items intersecting it are created, kept or removed by key. No innerHTML anywhere: every
// scenario string reaches the page through textContent or setAttribute.

import type { TraceEvent } from '../src/engine/trace';
import { COMPACT_BELOW, ModelBuilder, itemFields, visibleItems, type DiagramItem, type DiagramModel, type EndpointInfo } from '../src/diagram/model';
import { headerNodes, legendNodes, legendWidth, lifelineNodes, itemNode, renderSvg, serialize, SVG_NS, type SvgNode, type Theme } from '../src/diagram/svg';
import { toMermaid } from '../src/diagram/mermaid';
import { cleanText } from '../src/diagram/format';
import { isHostMessage, traceMessageEvents, type HostMessage, type WebviewMessage } from '../src/diagram/messages';
import type { PanelState } from '../src/diagram/host';
import { WEBVIEW_STRINGS, type WebviewStringKey } from '../src/diagram/strings';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface SavedState extends PanelState {
  /** The user chose the zoom (buttons, keys, wheel): keep it; otherwise wide diagrams are fitted to the panel's width. */
  userZoom?: boolean;
  legendOpen?: boolean;
  trace?: { events: TraceEvent[]; endpoints: EndpointInfo[]; scenario?: string; profile: string; current: number };
}

const MIN_ZOOM = 0.05;
const MAX_ZOOM = 6;
/** Traces up to this size are kept in the webview state, so a reload restores them at once. */
const MAX_SAVED_EVENTS = 20_000;

const vscode = acquireVsCodeApi();
const post = (message: WebviewMessage) => vscode.postMessage(message);

const app = document.getElementById('app') ?? document.body;
const strings = readStrings();
const t = (key: WebviewStringKey) => strings[key] ?? WEBVIEW_STRINGS[key];

// ---- state ----
const events: TraceEvent[] = [];
let endpoints: EndpointInfo[] = [];
let scenario: string | undefined;
let profile = 'rfc';
let current = -1;
let relative = false;
let zoom = 1;
/** Until the user zooms, a diagram wider than the panel is shrunk to its width (a panel beside the editor is narrow). */
let userZoom = false;
let legendOpen = false;
let documentUri: string | undefined;
let model: DiagramModel | undefined;
/** Builds the model incrementally: a step appends events, a step back truncates, the rest is reused. */
let builder: ModelBuilder | undefined;
/**
 * The width the model is laid out for: the panel's (a narrow panel gets the compact layout, see
 * DiagramOptions.width). Read once per builder, so one builder always lays out for one width and
 * its incremental updates stay equal to a full build.
 */
let layoutWidth = 0;
/** Item key -> index in model.items, made on the first hover or click (not on every update). */
let keyToIndex: Map<string, number> | undefined;
let errorText: string | undefined;

// ---- page ----
const toolbar = h('div', 'toolbar');
const titleEl = h('span', 'title');
const zoomOutButton = button(t('zoomOut'), '−', () => setZoom(zoom / 1.25, undefined, true));
const zoomLabel = h('span', 'zoom-label');
const zoomInButton = button(t('zoomIn'), '+', () => setZoom(zoom * 1.25, undefined, true));
const fitButton = button(t('fit'), t('fit'), () => fit());
const relativeButton = button(t('relative'), t('relative'), () => setRelative(!relative));
relativeButton.classList.add('toggle');
const svgButton = button(t('exportSvg'), 'SVG', exportSvg);
const pngButton = button(t('exportPng'), 'PNG', () => void exportPng());
const mermaidButton = button(t('copyMermaid'), 'Mermaid', copyMermaid);
const legendButton = button(t('legend'), t('legend'), () => setLegendOpen(!legendOpen));
legendButton.classList.add('toggle');
const spacer = h('span', 'spacer');
toolbar.append(titleEl, spacer, zoomOutButton, zoomLabel, zoomInButton, fitButton, relativeButton, legendButton, svgButton, pngButton, mermaidButton);

const main = h('div', 'main');
const viewport = h('div', 'viewport');
viewport.id = 'viewport';
viewport.tabIndex = 0;
// The headers stay on top while the diagram scrolls under them (position: sticky).
const header = document.createElementNS(SVG_NS, 'svg');
header.id = 'header';
header.setAttribute('class', 'diagram');
const headerBackground = document.createElementNS(SVG_NS, 'rect');
headerBackground.setAttribute('class', 'bg');
const headerLayer = svgGroup('headers');
header.append(headerBackground, headerLayer);
// The canvas covers a band of a few screens around the visible part, placed inside the full-size
// sizer; scrolling within the band costs nothing, leaving it moves the band and redraws.
const svg = document.createElementNS(SVG_NS, 'svg');
svg.id = 'canvas';
svg.setAttribute('class', 'diagram');
const backLayer = svgGroup('background');
const lifelineLayer = svgGroup('lifelines');
const itemLayer = svgGroup('items');
const nowLine = document.createElementNS(SVG_NS, 'line');
nowLine.setAttribute('class', 'now-line');
svg.append(backLayer, lifelineLayer, itemLayer, nowLine);
const sizer = h('div', 'sizer');
sizer.append(svg);
viewport.append(header, sizer);
const legend = h('div', 'legend');
const tooltip = h('div', 'tooltip hidden');
tooltip.setAttribute('role', 'tooltip');
const empty = h('div', 'empty');
// The legend is a strip below the drawing (never over it), closed until the Legend toggle opens it.
legend.classList.add('hidden');
main.append(viewport, legend, tooltip, empty);
app.append(toolbar, main);

const rendered = new Map<string, { el: SVGElement; sig: string; item: DiagramItem }>();
let renderedModel: DiagramModel | undefined;
let currentKey: string | undefined;
let frameRequested = false;

// ---- messages ----
window.addEventListener('message', (event: MessageEvent) => {
  const message: unknown = event.data;
  if (!isHostMessage(message)) return;
  handle(message);
});

function handle(message: HostMessage): void {
  switch (message.type) {
    case 'trace': {
      const incoming = traceMessageEvents(message);
      // Events that are not trace events (a bad eventsJson): the message is dropped like any invalid one.
      if (!incoming) break;
      const unchanged =
        model !== undefined &&
        message.from === events.length &&
        incoming.length === 0 &&
        message.scenario === scenario &&
        message.profile === profile &&
        JSON.stringify(message.endpoints) === JSON.stringify(endpoints);
      if (unchanged) {
        // A stop that added nothing (e.g. stepping back and forth over snapshots): only the highlight moves.
        current = message.current;
        if (message.documentUri !== undefined) documentUri = message.documentUri;
        updateHighlight();
        revealCurrent();
        scheduleSave();
        break;
      }
      const from = Math.min(message.from, events.length);
      events.length = from;
      for (const e of incoming) events.push(e);
      if (message.scenario !== scenario || message.profile !== profile) builder = undefined;
      endpoints = message.endpoints;
      scenario = message.scenario;
      profile = message.profile;
      current = message.current;
      if (message.documentUri !== undefined) documentUri = message.documentUri;
      errorText = undefined;
      rebuild(true, from);
      scheduleSave();
      break;
    }
    case 'current':
      current = message.current;
      updateHighlight();
      revealCurrent();
      scheduleSave();
      break;
    case 'options':
      if (message.relative !== relative) setRelative(message.relative);
      break;
    case 'command':
      runCommand(message.command);
      break;
    case 'error':
      errorText = message.message;
      updateEmpty();
      break;
  }
}

function runCommand(command: Extract<HostMessage, { type: 'command' }>['command']): void {
  switch (command) {
    case 'fit':
      return fit();
    case 'zoomIn':
      return setZoom(zoom * 1.25, undefined, true);
    case 'zoomOut':
      return setZoom(zoom / 1.25, undefined, true);
    case 'exportSvg':
      return exportSvg();
    case 'exportPng':
      return void exportPng();
    case 'copyMermaid':
      return copyMermaid();
    case 'toggleRelative':
      return setRelative(!relative);
  }
}

// ---- model and drawing ----
/** Scroll position and size of the viewport (px), read before anything on the page is written. */
interface View {
  top: number;
  width: number;
  height: number;
}

/**
 * The last known view. Reading scrollTop or clientHeight right after a write forces a layout in
 * the middle of an update, so the size comes from a ResizeObserver and the offset from the
 * scroll events and our own scrolling; only an unknown value is read from the page.
 */
let knownSize: { width: number; height: number } | undefined;
let knownTop: number | undefined;

function measure(): View {
  knownSize ??= { width: viewport.clientWidth, height: viewport.clientHeight };
  knownTop ??= viewport.scrollTop;
  return { top: knownTop, ...knownSize };
}

/** Scrolls to `top` (already clamped to the diagram) and remembers it. */
function scrollToTop(top: number): void {
  viewport.scrollTop = top;
  knownTop = top;
}

new ResizeObserver(() => {
  knownSize = undefined;
  knownTop = undefined;
}).observe(viewport);

/** Room for the drawing: the panel's width less a vertical scrollbar (a long run has one). */
function panelWidth(): number {
  return Math.max(0, viewport.offsetWidth - SCROLLBAR_ROOM);
}
const SCROLLBAR_ROOM = 16;

function newBuilder(): ModelBuilder {
  layoutWidth = panelWidth();
  return new ModelBuilder({ relative, width: layoutWidth > 0 ? layoutWidth : undefined });
}

/** Relayout after the panel's width changed enough to matter (debounced: a drag resizes many times). */
let relayoutTimer: ReturnType<typeof setTimeout> | undefined;
function scheduleRelayout(): void {
  clearTimeout(relayoutTimer);
  relayoutTimer = setTimeout(() => {
    relayoutTimer = undefined;
    const width = panelWidth();
    const wideBefore = layoutWidth >= COMPACT_BELOW;
    const wideNow = width >= COMPACT_BELOW;
    if (width <= 0 || (wideBefore && wideNow) || Math.abs(width - layoutWidth) < 24) return;
    builder = undefined;
    rebuild();
  }, 150);
}

/**
 * A long trace is built in steps: first the events that fill the first screens (or up to the
 * current event), drawn at once; the rest in later tasks. `builtEvents` is how many events the
 * model holds; the builder's state always matches it, so a new message folds into the pending
 * build (the builder truncates to the message's `from` and goes on from there).
 */
let builtEvents = 0;
let buildTimer: number | undefined;
/** The current event was to be revealed but is not built yet: reveal it once it is. */
let revealPending = false;
/** New events below this count are built at once. */
const CHUNKED_ABOVE = 3000;
/** The first step builds at least this many events, doubled until they fill a few screens. */
const FIRST_STEP_EVENTS = 500;
/** Later steps: at least this many events, or as many as are built (doubling keeps the total linear). */
const STEP_EVENTS = 2000;

/** Rebuilds the model and draws it; `reveal` scrolls the current event into view if it is not. */
function rebuild(reveal = false, unchangedEvents = 0): void {
  const view = measure();
  if (!builder) {
    builder = newBuilder();
    unchangedEvents = 0;
  }
  if (buildTimer !== undefined) cancelIdleCallback(buildTimer);
  buildTimer = undefined;
  const total = events.length;
  const keep = Math.min(unchangedEvents, builtEvents);
  if (total - keep > CHUNKED_ABOVE) {
    // Enough for the first screens (and the current event), unless that is most of it anyway.
    let count = Math.min(total, Math.max(keep + FIRST_STEP_EVENTS, current >= 0 ? current + 1 + FIRST_STEP_EVENTS : 0));
    if (count > total / 2) count = total;
    buildTo(count, keep);
    const wanted = (view.top + view.height * 4) / Math.max(zoom, MIN_ZOOM);
    while (model && builtEvents < total && model.height < wanted) buildTo(Math.min(total, builtEvents * 2), builtEvents);
  } else {
    buildTo(total, keep);
  }
  revealPending = reveal && current >= builtEvents;
  keyToIndex = undefined;
  titleEl.textContent = cleanText(scenario ?? '');
  titleEl.title = scenario ?? '';
  relativeButton.setAttribute('aria-pressed', String(relative));
  buildLegend();
  updateEmpty();
  autoZoom(view);
  layoutSizer();
  place(view, reveal);
  if (builtEvents < total) scheduleNextStep();
}

/** Makes the model of the first `count` events, of which the builder already holds the first `from`. */
function buildTo(count: number, from: number): void {
  if (!builder) return;
  if (count || endpoints.length) builder.update({ events: count === events.length ? events : events.slice(0, count), endpoints, scenario, profile }, from);
  model = count || endpoints.length ? builder.model() : undefined;
  builtEvents = count;
}

/** The next step runs when the page is idle (after the frame that shows the first screens), or within 50 ms. */
function scheduleNextStep(): void {
  buildTimer = requestIdleCallback(buildNextStep, { timeout: 50 });
}

/** One later step of a long trace's build: the diagram grows below what is drawn. */
function buildNextStep(): void {
  buildTimer = undefined;
  const total = events.length;
  if (builtEvents >= total) return;
  const view = measure();
  buildTo(Math.min(total, builtEvents + Math.max(STEP_EVENTS, builtEvents)), builtEvents);
  keyToIndex = undefined;
  buildLegend();
  autoZoom(view);
  layoutSizer();
  const reveal = revealPending && current < builtEvents;
  if (reveal) revealPending = false;
  place(view, reveal);
  if (builtEvents < total) scheduleNextStep();
}

/** Finishes a pending build at once (export and fit need the whole diagram). */
function completeBuild(): void {
  if (builtEvents >= events.length || !builder) return;
  if (buildTimer !== undefined) cancelIdleCallback(buildTimer);
  buildTimer = undefined;
  const view = measure();
  buildTo(events.length, builtEvents);
  keyToIndex = undefined;
  buildLegend();
  autoZoom(view);
  layoutSizer();
  const reveal = revealPending;
  revealPending = false;
  place(view, reveal);
}

/** Until the user picks a zoom, a diagram wider than the panel is shown at the panel's width. */
function autoZoom(view: View): void {
  if (userZoom || !model || view.width <= 0) return;
  zoom = model.width > view.width ? Math.max(MIN_ZOOM, view.width / model.width) : 1;
}

/** Scrolls to `view.top` clamped to the diagram (or to the current event) and draws, without reading layout. */
function place(view: View, reveal: boolean): void {
  let top = clampTop(view.top, view.height);
  if (reveal && model && current >= 0 && current < model.eventY.length) {
    const y = model.eventY[current] * zoom;
    if (y < top + 60 || y > top + view.height - 60) top = clampTop(y - view.height / 2, view.height);
  }
  if (top !== view.top) scrollToTop(top);
  render({ ...view, top });
}

/** The largest scroll offset the diagram allows at the current zoom. */
function clampTop(top: number, height: number): number {
  const max = model ? Math.max(0, Math.ceil(model.height * zoom) - height) : 0;
  return Math.min(max, Math.max(0, top));
}

function layoutSizer(): void {
  const w = model ? model.width * zoom : 0;
  const hgt = model ? model.height * zoom : 0;
  const headerHeight = model ? model.layout.headerHeight * zoom : 0;
  sizer.style.width = `${Math.ceil(w)}px`;
  sizer.style.height = `${Math.ceil(hgt)}px`;
  sizer.style.marginTop = `${-headerHeight}px`;
  header.style.width = `${Math.ceil(w)}px`;
  header.style.height = `${headerHeight}px`;
  zoomLabel.textContent = `${Math.round(zoom * 100)}%`;
}

function requestRender(): void {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(() => {
    frameRequested = false;
    render(measure());
  });
}

/** The band of the diagram the canvas covers (model units), and what it was drawn for. */
let bandTop = 0;
let bandHeight = 0;
let renderedZoom = 0;
/** Items of the band not made yet (the frame's budget ran out): the next frame goes on. */
let itemsPending = false;
/** Time per frame for making items outside the view (ms). */
const FRAME_BUDGET_MS = 5;

/**
 * Draws what is visible at `view` (nothing to do while it stays inside the drawn band). The
 * caller reads the view first, so drawing never forces a layout in the middle of its writes.
 */
function render(view: View): void {
  if (!model) {
    for (const { el } of rendered.values()) el.remove();
    rendered.clear();
    lifelineLayer.replaceChildren();
    headerLayer.replaceChildren();
    nowLine.setAttribute('visibility', 'hidden');
    renderedModel = undefined;
    return;
  }
  const viewHeight = Math.max(view.height, 200) / zoom;
  // A stale offset (the diagram just got shorter or smaller) is clamped to the diagram.
  const viewTop = clampTop(view.top, view.height) / zoom;
  const fresh = renderedModel !== model || renderedZoom !== zoom;
  // The band moves once the view comes within half a screen of its edge (not at the edge of the
  // diagram), so the items about to scroll in were made in earlier frames.
  const margin = viewHeight / 2;
  const insideBand =
    (viewTop >= bandTop + margin || bandTop <= 0) && (viewTop + viewHeight <= bandTop + bandHeight - margin || bandTop + bandHeight >= model.height);
  if (!fresh && insideBand && !itemsPending) return;

  const width = model.width;
  if (fresh || !insideBand) {
    // A band of four screens around the view, never beyond the diagram.
    bandHeight = Math.min(viewHeight * 4, model.height);
    bandTop = Math.min(Math.max(0, viewTop - viewHeight * 1.5), Math.max(0, model.height - bandHeight));
    svg.style.top = `${bandTop * zoom}px`;
    svg.style.width = `${width * zoom}px`;
    svg.style.height = `${bandHeight * zoom}px`;
    svg.setAttribute('viewBox', `0 ${bandTop} ${width} ${bandHeight}`);
    // Zoomed far out, labels would only be noise (and the most of the paint cost): arrows and
    // boxes remain. 11 px text becomes unreadable below about 5.5 device pixels.
    svg.classList.toggle('lod-low', zoom * (window.devicePixelRatio || 1) < 0.5);
    lifelineLayer.replaceChildren(...lifelineNodes(model, bandTop, bandTop + bandHeight).map(toDom));
  }
  // Items in view are made now; those in the band's margins only while this frame's budget lasts,
  // the rest in the next frames (a fast scroll then never makes one long frame).
  const started = performance.now();
  const viewBottom = viewTop + viewHeight;
  let deferred = false;

  const wanted = visibleItems(model, bandTop, bandTop + bandHeight);
  const modelChanged = renderedModel !== model;
  const keep = new Set<string>();
  // Idle-gap bands and the time axis go beneath lifelines and arrows; items keep top-to-bottom order.
  const previous = new Map<SVGGElement, SVGElement>();
  for (const index of wanted) {
    const item = model.items[index];
    const layer = item.kind === 'gap' || item.kind === 'tick' ? backLayer : itemLayer;
    keep.add(item.key);
    const existing = rendered.get(item.key);
    // The incremental model hands over unchanged items as the same objects: nothing to compare.
    if (existing && (!modelChanged || existing.item === item)) {
      existing.item = item;
      previous.set(layer, existing.el);
      continue;
    }
    if (!existing && (item.y1 < viewTop || item.y0 > viewBottom) && performance.now() - started > FRAME_BUDGET_MS) {
      keep.delete(item.key);
      deferred = true;
      continue;
    }
    const node = itemNode(item, model);
    const sig = serialize(node);
    if (existing && existing.sig === sig) {
      existing.item = item;
      previous.set(layer, existing.el);
      continue;
    }
    const el = toDom(node);
    if (item.line !== undefined) {
      // Keyboard and screen readers: each clickable item is a focusable button.
      el.setAttribute('tabindex', '0');
      el.setAttribute('role', 'button');
      el.setAttribute('aria-label', cleanText(ariaLabel(item)));
    }
    const before = previous.get(layer);
    if (existing) existing.el.replaceWith(el);
    else if (before) before.after(el);
    else layer.prepend(el);
    rendered.set(item.key, { el, sig, item });
    previous.set(layer, el);
  }
  for (const [key, entry] of rendered) {
    if (!keep.has(key)) {
      entry.el.remove();
      rendered.delete(key);
    }
  }
  itemsPending = deferred;
  if (deferred) requestRender();
  if (fresh) {
    header.setAttribute('viewBox', `0 0 ${width} ${model.layout.headerHeight}`);
    headerBackground.setAttribute('width', String(width));
    headerBackground.setAttribute('height', String(model.layout.headerHeight));
    headerLayer.replaceChildren(...headerNodes(model, 0).map(toDom));
  }
  renderedModel = model;
  renderedZoom = zoom;
  updateHighlight();
  // The events drawn so far (a long trace's build goes on in steps); `building` while it does.
  document.body.dataset.events = String(builtEvents);
  document.body.dataset.building = String(builtEvents < events.length);
  document.body.dataset.rendered = String(rendered.size);
}

function updateHighlight(): void {
  if (!model) return;
  const index = current >= 0 && current < model.eventToItem.length ? model.eventToItem[current] : -1;
  const key = index >= 0 ? model.items[index].key : undefined;
  if (currentKey !== undefined && currentKey !== key) rendered.get(currentKey)?.el.classList.remove('current');
  if (key !== undefined) rendered.get(key)?.el.classList.add('current');
  currentKey = key;
  document.body.dataset.current = key ?? '';
  if (current >= 0 && current < model.eventY.length) {
    const y = model.eventY[current];
    nowLine.setAttribute('x1', String(model.layout.axisWidth));
    nowLine.setAttribute('x2', String(model.width));
    nowLine.setAttribute('y1', String(y));
    nowLine.setAttribute('y2', String(y));
    nowLine.removeAttribute('visibility');
  } else {
    nowLine.setAttribute('visibility', 'hidden');
  }
}

/** Scrolls so that the current event is in view (only when it is not). */
function revealCurrent(): void {
  revealPending = current >= builtEvents && builtEvents < events.length;
  if (!model || current < 0 || current >= model.eventY.length) return;
  place(measure(), true);
}

function updateEmpty(): void {
  const text = errorText ?? (model ? undefined : t('empty'));
  empty.textContent = cleanText(text ?? '');
  empty.classList.toggle('hidden', text === undefined);
  empty.classList.toggle('error', errorText !== undefined);
}

function setLegendOpen(open: boolean): void {
  legendOpen = open;
  legend.classList.toggle('hidden', !open);
  legendButton.setAttribute('aria-pressed', String(open));
  knownSize = undefined;
  const view = measure();
  place(view, false);
  scheduleSave();
}

function buildLegend(): void {
  legend.replaceChildren();
  if (!model || model.legend.length === 0) {
    legend.classList.add('none');
    return;
  }
  legend.classList.remove('none');
  const heading = h('div', 'legend-title');
  heading.textContent = t('legend');
  // One small picture per entry; the entries wrap into as many columns as the panel's width allows.
  const entries = h('div', 'legend-entries');
  for (const entry of model.legend) {
    const sample = document.createElementNS(SVG_NS, 'svg');
    sample.setAttribute('width', String(legendWidth([entry])));
    sample.setAttribute('height', '20');
    for (const node of legendNodes([entry], 4, 10)) sample.appendChild(toDom(node));
    entries.append(sample);
  }
  legend.append(heading, entries);
}

// ---- zoom, pan, scroll ----
function setZoom(next: number, anchor?: { x: number; y: number }, byUser = false): void {
  if (byUser) userZoom = true;
  const clamped = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, next));
  if (clamped === zoom) return;
  const view = measure();
  const left = viewport.scrollLeft;
  const ax = anchor?.x ?? view.width / 2;
  const ay = anchor?.y ?? view.height / 2;
  const mx = (left + ax) / zoom;
  const my = (view.top + ay) / zoom;
  zoom = clamped;
  layoutSizer();
  viewport.scrollLeft = mx * zoom - ax;
  const top = clampTop(my * zoom - ay, view.height);
  scrollToTop(top);
  render({ ...view, top });
  saveState();
  post({ type: 'state', relative, zoom });
}

/** Fits the width (and the height when the run is short), keeping the middle of the view in view. */
function fit(): void {
  completeBuild();
  if (!model) return;
  userZoom = true;
  const view = measure();
  const byWidth = view.width / model.width;
  const byHeight = view.height / model.height;
  // A long trace is fitted to the width only: squeezing 10,000 segments into one screen shows nothing.
  const next = byHeight >= byWidth * 0.4 ? Math.min(byWidth, byHeight) : byWidth;
  const middle = (clampTop(view.top, view.height) + view.height / 2) / zoom;
  zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, next));
  layoutSizer();
  viewport.scrollLeft = 0;
  // The old offset belongs to the old zoom: scrolling to it would show an empty band past the end.
  const top = clampTop(middle * zoom - view.height / 2, view.height);
  scrollToTop(top);
  render({ ...view, top });
  saveState();
  post({ type: 'state', relative, zoom });
}

function setRelative(next: boolean): void {
  relative = next;
  builder = undefined;
  rebuild();
  saveState();
  post({ type: 'state', relative, zoom });
}

viewport.addEventListener('scroll', () => {
  knownTop = undefined;
  hideTooltip();
  requestRender();
  scheduleSave();
});
window.addEventListener('resize', () => {
  scheduleRelayout();
  knownSize = undefined;
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
    setZoom(zoom * Math.exp(-event.deltaY * 0.0015), { x: event.clientX - rect.left, y: event.clientY - rect.top }, true);
  },
  { passive: false },
);
viewport.addEventListener('keydown', (event) => {
  if (event.key === '+' || event.key === '=') setZoom(zoom * 1.25, undefined, true);
  else if (event.key === '-') setZoom(zoom / 1.25, undefined, true);
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
  knownTop = undefined;
});
window.addEventListener('pointerup', (event) => {
  if (!drag || event.pointerId !== drag.id) return;
  const wasDrag = drag.moved;
  drag = undefined;
  viewport.classList.remove('panning');
  if (viewport.hasPointerCapture(event.pointerId)) viewport.releasePointerCapture(event.pointerId);
  if (!wasDrag && event.button === 0) {
    const item = itemAt(event.target);
    if (item?.line !== undefined) post({ type: 'reveal', line: item.line, index: item.events[0] });
  }
});

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

svg.addEventListener('keydown', (event) => {
  if (event.key !== 'Enter' && event.key !== ' ') return;
  const item = itemAt(event.target);
  if (item?.line === undefined) return;
  event.preventDefault();
  post({ type: 'reveal', line: item.line, index: item.events[0] });
});
svg.addEventListener('focusin', (event) => {
  const item = itemAt(event.target);
  if (!item || !model || !(event.target instanceof Element)) return;
  const box = event.target.getBoundingClientRect();
  showTooltip(item, model, box.left + box.width / 2, box.top + box.height / 2);
});
svg.addEventListener('focusout', hideTooltip);

// ---- tooltip ----
svg.addEventListener('mousemove', (event) => {
  if (drag?.moved) return;
  const item = itemAt(event.target);
  if (!item || !model || item.kind === 'tick') return hideTooltip();
  showTooltip(item, model, event.clientX, event.clientY);
});
svg.addEventListener('mouseleave', hideTooltip);

let tooltipKey: string | undefined;
function showTooltip(item: DiagramItem, m: DiagramModel, clientX: number, clientY: number): void {
  if (tooltipKey !== item.key) {
    tooltipKey = item.key;
    tooltip.replaceChildren();
    const table = h('table', '');
    for (const [name, value] of itemFields(item, m)) {
      const row = h('tr', '');
      const th = h('th', '');
      th.textContent = cleanText(name);
      const td = h('td', '');
      td.textContent = cleanText(value);
      row.append(th, td);
      table.append(row);
    }
    tooltip.append(table);
    if (item.line !== undefined) {
      const hint = h('div', 'hint');
      hint.textContent = t('clickToReveal');
      tooltip.append(hint);
    }
    tooltip.dataset.item = item.key;
  }
  tooltip.classList.remove('hidden');
  const rect = main.getBoundingClientRect();
  const tw = tooltip.offsetWidth;
  const th = tooltip.offsetHeight;
  let x = clientX - rect.left + 14;
  let y = clientY - rect.top + 14;
  if (x + tw > rect.width - 4) x = Math.max(4, clientX - rect.left - tw - 14);
  if (y + th > rect.height - 4) y = Math.max(4, clientY - rect.top - th - 14);
  tooltip.style.left = `${x}px`;
  tooltip.style.top = `${y}px`;
}

function hideTooltip(): void {
  tooltip.classList.add('hidden');
  tooltipKey = undefined;
}

function itemAt(target: EventTarget | null): DiagramItem | undefined {
  if (!model || !(target instanceof Element)) return undefined;
  const group = target.closest('[data-key]');
  const key = group?.getAttribute('data-key');
  if (!keyToIndex) {
    keyToIndex = new Map();
    for (let i = 0; i < model.items.length; i++) keyToIndex.set(model.items[i].key, i);
  }
  const index = key ? keyToIndex.get(key) : undefined;
  return index !== undefined ? model.items[index] : undefined;
}

// ---- export ----
function theme(): Theme {
  return document.body.classList.contains('vscode-light') || document.body.classList.contains('vscode-high-contrast-light') ? 'light' : document.body.classList.contains('vscode-dark') || document.body.classList.contains('vscode-high-contrast') ? 'dark' : 'light';
}

function exportSvg(): void {
  completeBuild();
  if (!model) return;
  post({ type: 'export', format: 'svg', data: renderSvg(model, { theme: theme(), current }) });
}

async function exportPng(): Promise<void> {
  completeBuild();
  if (!model) return;
  const text = renderSvg(model, { theme: theme(), current, titles: false });
  const image = new Image();
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  image.src = `data:image/svg+xml;base64,${btoa(binary)}`;
  await image.decode();
  const width = image.naturalWidth || model.width;
  const height = image.naturalHeight || model.height;
  // Canvas limits: keep each side under 16,384 px and the area under 64 Mpx.
  const scale = Math.min(2, 16_000 / width, 16_000 / height, Math.sqrt(64e6 / (width * height)));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.floor(width * scale));
  canvas.height = Math.max(1, Math.floor(height * scale));
  const context = canvas.getContext('2d');
  if (!context) return;
  context.scale(scale, scale);
  context.drawImage(image, 0, 0, width, height);
  post({ type: 'export', format: 'png', data: canvas.toDataURL('image/png') });
}

function copyMermaid(): void {
  post({ type: 'copy', text: toMermaid({ events, endpoints, scenario, profile }, { relative }) });
}

// ---- state ----
let saveTimer: ReturnType<typeof setTimeout> | undefined;
/**
 * Saves once things settle (a trailing debounce): the state holds the trace, and serializing it
 * at every debugger stop or every few frames of a scroll would cost more than the drawing.
 */
function scheduleSave(): void {
  if (saveTimer !== undefined) clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    saveTimer = undefined;
    saveState();
  }, 400);
}

function saveState(): void {
  const state: SavedState = { relative, zoom, userZoom, legendOpen, scrollTop: viewport.scrollTop, scrollLeft: viewport.scrollLeft, documentUri };
  if (events.length <= MAX_SAVED_EVENTS) state.trace = { events, endpoints, scenario, profile, current };
  vscode.setState(state);
}

function restoreState(): void {
  const state = vscode.getState() as SavedState | undefined;
  if (!state || typeof state !== 'object') return;
  if (typeof state.relative === 'boolean') {
    relative = state.relative;
    builder = undefined;
  }
  if (typeof state.zoom === 'number' && Number.isFinite(state.zoom)) {
    zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, state.zoom));
    // A state saved before `userZoom` existed: a zoom other than 100% was the user's.
    userZoom = typeof state.userZoom === 'boolean' ? state.userZoom : zoom !== 1;
  }
  if (typeof state.legendOpen === 'boolean') {
    legendOpen = state.legendOpen;
    legend.classList.toggle('hidden', !legendOpen);
    legendButton.setAttribute('aria-pressed', String(legendOpen));
  }
  if (typeof state.documentUri === 'string') documentUri = state.documentUri;
  const trace = state.trace;
  if (trace && Array.isArray(trace.events)) {
    const body = { type: 'trace', from: 0, events: trace.events, endpoints: trace.endpoints, scenario: trace.scenario, profile: trace.profile, current: trace.current };
    if (isHostMessage(body)) {
      handle(body);
      // The saved scroll offset needs the whole diagram's height.
      completeBuild();
    }
  }
  if (typeof state.scrollTop === 'number') viewport.scrollTop = state.scrollTop;
  knownTop = undefined;
  if (typeof state.scrollLeft === 'number') viewport.scrollLeft = state.scrollLeft;
}

// ---- helpers ----
function h<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  return element;
}

function button(title: string, text: string, onClick: () => void): HTMLButtonElement {
  const b = h('button', 'tool');
  b.type = 'button';
  b.title = title;
  b.setAttribute('aria-label', title);
  b.textContent = text;
  b.addEventListener('click', onClick);
  return b;
}

function svgGroup(className: string): SVGGElement {
  const g = document.createElementNS(SVG_NS, 'g');
  g.setAttribute('class', className);
  return g;
}

function toDom(node: SvgNode): SVGElement {
  const element = document.createElementNS(SVG_NS, node.tag);
  for (const [k, v] of Object.entries(node.attrs)) {
    if (/^on/i.test(k) || k === 'style') continue;
    element.setAttribute(k, String(v));
  }
  if (node.text !== undefined) element.textContent = node.text;
  for (const child of node.children ?? []) element.appendChild(toDom(child));
  return element;
}

function readStrings(): Partial<Record<WebviewStringKey, string>> {
  try {
    const parsed: unknown = JSON.parse(app.dataset.strings ?? '{}');
    if (typeof parsed !== 'object' || parsed === null) return {};
    const out: Partial<Record<WebviewStringKey, string>> = {};
    for (const key of Object.keys(WEBVIEW_STRINGS) as WebviewStringKey[]) {
      const value = (parsed as Record<string, unknown>)[key];
      if (typeof value === 'string') out[key] = value;
    }
    return out;
  } catch {
    return {};
  }
}

// ---- start ----
legendButton.setAttribute('aria-pressed', 'false');
restoreState();
// Nothing changed since the restore: the builder's events are kept.
rebuild(false, events.length);
post({ type: 'ready' });
