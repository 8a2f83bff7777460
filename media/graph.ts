// The time–sequence graph view (src/diagram/graph*.ts draws it, this module puts it on the page).
// Incremental like the ladder: the graph's data takes only the events a message changed, the
// scene redraws only the chunks whose points changed (a step: the last chunk of a series or
// two), and the frame (axes, legend) is made again only when the axes grow, the direction
// changes or the panel is resized. Nothing is done while the ladder is shown; the events that
// arrived meanwhile are taken when the graph is shown again.

import { GraphData, type GraphDirection, type SeriesName } from '../src/diagram/graphData';
import { graphFrame, hitTest, pointFields, pointXY, tailPaths, tOf, type GraphFrame } from '../src/diagram/graphLayout';
import { GraphScene } from '../src/diagram/graphScene';
import { chunkNode, focusNode, graphFrameNodes, highlightNodes, pathNode, renderGraphSvg, shownDirection, windowLabelNode, CLIP_CC, CLIP_SEQ } from '../src/diagram/graphSvg';
import { moveFocus, startFocus, type FocusMove, type GraphFocus } from '../src/diagram/graphFocus';
import type { Theme } from '../src/diagram/svg';
import { cleanText } from '../src/diagram/format';
import { h, setAttr, setText, svgGroup, toDom } from './dom';
import { page, say, t } from './page';
import { scheduleSave } from './persist';
import { inputOf, post, state, traceSource } from './state';
import { fieldRow, hideTooltip, showRows } from './tooltip';

const { graph, graphView, graphFrameLayer, graphSeqLayer, graphCcLayer, graphHighlightLayer, graphEmpty, directionButton } = page;

const data = new GraphData();
const scene = new GraphScene();

const drawn = {
  /** The trace's index from which the graph's data is out of date (Infinity: up to date). */
  stale: 0,
  frame: undefined as GraphFrame | undefined,
  /** What the frame layer shows (the frame's signature and its legend). */
  frameKey: '',
  chunks: new Map<string, SVGGElement>(),
  /** The series groups of the two plots, in drawing order, and the lines to "now". */
  layers: new Map<SeriesName | 'seq-tail' | 'cc-tail', SVGGElement>(),
  size: undefined as { width: number; height: number } | undefined,
  frameRequested: false,
  /** Chunks made, replaced or removed by the last drawing (tests count them). */
  touched: 0,
  /** The point the keyboard moved to (graphFocus.ts), in the direction `key`. */
  focus: undefined as (GraphFocus & { key: string }) | undefined,
};

// What the keyboard's point is, said as the hover says it (a screen reader reads it as it changes).
const announcer = h('div', 'graph-announce');
announcer.setAttribute('aria-live', 'polite');
announcer.setAttribute('role', 'status');
graphView.append(announcer);

// Series groups: ACK and window lines beneath the segments, losses on top; cwnd below.
for (const name of ['acks', 'segments', 'losses', 'seq-tail'] as const) {
  const g = svgGroup(`tsg-layer-${name}`);
  graphSeqLayer.append(g);
  drawn.layers.set(name, g);
}
for (const name of ['windows', 'cc-tail'] as const) {
  const g = svgGroup(`tsg-layer-${name}`);
  graphCcLayer.append(g);
  drawn.layers.set(name, g);
}
graphSeqLayer.setAttribute('clip-path', `url(#${CLIP_SEQ})`);
graphCcLayer.setAttribute('clip-path', `url(#${CLIP_CC})`);

/** The trace changed from `kept` on (a message truncated and appended, or another window started); `another`: another scenario (the zoom goes). */
export function graphTraceChanged(kept: number, another = false): void {
  drawn.stale = Math.min(drawn.stale, kept);
  if (!another) return;
  // The first trace after a reload is "another" too: the zoom saved with the panel comes back when it is for this run.
  const restored = state.restoredGraphZoom;
  state.restoredGraphZoom = undefined;
  state.graphZoom = restored && restored.source === traceSource(state.store) ? { tMin: restored.tMin, tMax: restored.tMax } : undefined;
  drawn.focus = undefined;
}

/** The panel was resized: the next drawing measures it and lays the frame out again. */
export function graphResized(): void {
  drawn.size = undefined;
  requestGraph();
}

/** Draws at the next frame (messages arriving within one frame are drawn once). Nothing while the ladder is shown. */
export function requestGraph(): void {
  if (state.view !== 'graph' || drawn.frameRequested) return;
  drawn.frameRequested = true;
  requestAnimationFrame(() => {
    drawn.frameRequested = false;
    drawGraph();
  });
}

/** Shows the ladder or the graph. */
export function setView(view: 'ladder' | 'graph'): void {
  state.view = view;
  document.body.dataset.view = view;
  graphView.classList.toggle('hidden', view !== 'graph');
  page.viewport.classList.toggle('behind', view === 'graph');
  setAttr(page.ladderButton, 'aria-pressed', String(view === 'ladder'));
  setAttr(page.graphButton, 'aria-pressed', String(view === 'graph'));
  hideTooltip();
  if (view === 'graph') {
    drawn.size = undefined;
    drawGraph();
  }
}

/** The graph's data, brought up to the trace as the page holds it. */
export function graphData(): GraphData {
  const { store } = state;
  if (drawn.stale !== Infinity) {
    const from = Math.max(store.offset, Math.min(drawn.stale, store.length));
    data.update(inputOf(store), from - store.offset, undefined, 0, store.offset);
  }
  drawn.stale = Infinity;
  return data;
}

function shown(): GraphDirection | undefined {
  return shownDirection(graphData(), state.graphDirection);
}

function measureGraph(): { width: number; height: number } {
  drawn.size ??= { width: Math.max(200, graphView.clientWidth), height: Math.max(160, graphView.clientHeight) };
  return drawn.size;
}

function clearGraph(): void {
  for (const el of drawn.chunks.values()) el.remove();
  drawn.chunks.clear();
  scene.clear();
  graphFrameLayer.replaceChildren();
  graphHighlightLayer.replaceChildren();
  drawn.layers.get('seq-tail')?.replaceChildren();
  drawn.layers.get('cc-tail')?.replaceChildren();
  drawn.frame = undefined;
  drawn.frameKey = '';
}

/** The series a chunk key (`from>to:series:k`) belongs to. */
function seriesOf(key: string): SeriesName {
  const parts = key.split(':');
  return parts[parts.length - 2] as SeriesName;
}

export function drawGraph(): void {
  drawn.touched = 0;
  const d = state.errorText === undefined ? shown() : undefined;
  const body = document.body.dataset;
  const empty = !d;
  setText(graphEmpty, empty ? cleanText(state.errorText ?? t('graphEmpty')) : '');
  graphEmpty.classList.toggle('hidden', !empty);
  graph.classList.toggle('hidden', empty);
  const multiple = data.directions.filter((x) => x.segments.length > 0).length > 1;
  directionButton.disabled = !multiple;
  if (!d) {
    clearGraph();
    body.graphDirection = '';
    return;
  }
  // A step back may take the focused point away; another direction has its own points.
  if (drawn.focus && (drawn.focus.key !== d.key || drawn.focus.at >= d[drawn.focus.series].length)) drawn.focus = undefined;
  const { width, height } = measureGraph();
  followCurrent();
  const f = graphFrame(d, { width, height, previous: drawn.frame, say, zoom: state.graphZoom });
  drawn.frame = f;
  const frameKey = `${f.signature}|${f.legend.map((e) => `${e.mark}@${e.x},${e.y}`).join(',')}`;
  if (frameKey !== drawn.frameKey) {
    drawn.frameKey = frameKey;
    setAttr(graph, 'width', String(f.width));
    setAttr(graph, 'height', String(f.height));
    setAttr(graph, 'viewBox', `0 0 ${f.width} ${f.height}`);
    setAttr(graph, 'aria-label', cleanText(`${f.title}: ${f.seqTitle}`));
    graphFrameLayer.replaceChildren(...graphFrameNodes(f).map(toDom));
  }
  const changes = scene.update(f, d);
  for (const key of changes.remove) {
    drawn.chunks.get(key)?.remove();
    drawn.chunks.delete(key);
    drawn.touched++;
  }
  for (const shape of changes.draw) {
    const el = toDom(chunkNode(shape)) as SVGGElement;
    const old = drawn.chunks.get(shape.key);
    if (old) old.replaceWith(el);
    else drawn.layers.get(seriesOf(shape.key))?.append(el);
    drawn.chunks.set(shape.key, el);
    drawn.touched++;
  }
  // The ACK, window, cwnd and ssthresh levels from their last change on to the end of the trace.
  const seqTail: SVGElement[] = [];
  const ccTail: SVGElement[] = [];
  for (const p of tailPaths(f, d, data.endTime ?? 0)) (p.cls === 'tsg-cwnd' || p.cls === 'tsg-ssthresh' ? ccTail : seqTail).push(toDom(pathNode(p)));
  // The window's value where its line runs above the plot.
  const label = windowLabelNode(f, d, data.endTime ?? 0);
  if (label) seqTail.push(toDom(label));
  drawn.layers.get('seq-tail')?.replaceChildren(...seqTail);
  drawn.layers.get('cc-tail')?.replaceChildren(...ccTail);
  highlight(f);
  body.graphDirection = d.key;
  body.graphZoom = f.zoomed ? `${f.time.min},${f.time.max}` : '';
  body.graphTouched = String(drawn.touched);
  body.graphChunks = String(drawn.chunks.size);
}

/** The debugger's current event: a line at its time and a ring on its point, when the graph draws it. */
function highlight(f: GraphFrame): void {
  const current = state.store.current;
  const point = current >= 0 ? data.pointOf(current) : undefined;
  const now = current >= 0 ? data.timeOf(current) : undefined;
  const nodes = highlightNodes(f, now, point && point.direction.key === f.key ? point : undefined);
  const focus = drawn.focus;
  const d = focus && data.direction(focus.key);
  const ring = d && focusNode(f, { direction: d, series: focus.series, at: focus.at });
  if (ring) nodes.push(ring);
  graphHighlightLayer.replaceChildren(...nodes.map(toDom));
  document.body.dataset.graphCurrent = point && point.direction.key === f.key ? `${point.series}:${point.at}` : '';
  document.body.dataset.graphFocus = focus ? `${focus.series}:${focus.at}` : '';
}

/** Only the highlight moved (a stop that added no events). */
export function updateGraphHighlight(): void {
  if (state.view !== 'graph' || !drawn.frame) return requestGraph();
  highlight(drawn.frame);
}

/**
 * A zoomed graph follows the debugger: when the current event's time leaves the window, the
 * window moves (same span) so that it lies at four fifths of it.
 */
function followCurrent(): void {
  const zoom = state.graphZoom;
  const current = state.store.current;
  const now = current >= 0 ? data.timeOf(current) : undefined;
  if (!zoom || now === undefined || (now >= zoom.tMin && now <= zoom.tMax)) return;
  const span = zoom.tMax - zoom.tMin;
  const tMin = Math.max(0, now - span * 0.8);
  state.graphZoom = { tMin, tMax: tMin + span };
}

/** Zooms the time axis by `factor` (< 1: in) around time `at`; out past the whole run shows all of it again. */
export function zoomGraph(factor: number, at?: number): void {
  const f = drawn.frame;
  const d = f && graphData().direction(f.key);
  if (!f || !d) return;
  const { tMin, tMax } = state.graphZoom ?? { tMin: f.time.min, tMax: f.time.max };
  const t = at ?? (tMin + tMax) / 2;
  const span = (tMax - tMin) * factor;
  const end = data.endTime ?? tMax;
  if (span >= end * 1.2 || span <= 0) {
    state.graphZoom = undefined;
  } else {
    const lo = Math.max(0, t - (t - tMin) * factor);
    // At least a microsecond: the axis must have a span.
    state.graphZoom = { tMin: lo, tMax: lo + Math.max(span, 1e-3) };
  }
  drawGraph();
  scheduleSave();
}

/** The whole run again (0, a double click, Fit while the graph is shown). */
export function unzoomGraph(): void {
  state.graphZoom = undefined;
  drawGraph();
  scheduleSave();
}

/** Moves a zoomed time window by `fraction` of its span (wheel or keys). */
export function panGraph(fraction: number): void {
  const zoom = state.graphZoom;
  if (!zoom) return;
  const span = zoom.tMax - zoom.tMin;
  const tMin = Math.max(0, zoom.tMin + span * fraction);
  state.graphZoom = { tMin, tMax: tMin + span };
  drawGraph();
  scheduleSave();
}

/** Shows the next direction that carries data. */
export function nextDirection(): void {
  const directions = graphData().directions.filter((x) => x.segments.length > 0);
  if (directions.length < 2) return;
  const at = directions.findIndex((x) => x.key === shown()?.key);
  state.graphDirection = directions[(at + 1) % directions.length].key;
  drawGraph();
}

/** The point under the pointer (client coordinates), if any. */
function hitAt(clientX: number, clientY: number) {
  const f = drawn.frame;
  const d = f && graphData().direction(f.key);
  if (!f || !d) return undefined;
  const box = graph.getBoundingClientRect();
  const hit = hitTest(f, d, clientX - box.left, clientY - box.top);
  return hit && { hit, d };
}

graph.addEventListener('click', (event) => {
  const found = hitAt(event.clientX, event.clientY);
  if (!found) return;
  const traceEvent = state.store.all[found.hit.index - state.store.offset];
  if (traceEvent?.line !== undefined) post({ type: 'reveal', line: traceEvent.line, index: found.hit.index });
});

graph.addEventListener('mousemove', (event) => {
  const found = hitAt(event.clientX, event.clientY);
  if (!found) return hideTooltip();
  const { hit, d } = found;
  const line = state.store.all[hit.index - state.store.offset]?.line;
  showRows(`graph:${hit.series}:${hit.index}`, () => pointFields(d, hit.series, hit.at, say).map(([name, value]) => fieldRow(name, value)), line !== undefined, event.clientX, event.clientY);
});
graph.addEventListener('mouseleave', hideTooltip);

// Ctrl+wheel zooms the time axis around the pointer; the wheel alone moves a zoomed window; a double click shows the whole run.
graph.addEventListener(
  'wheel',
  (event) => {
    const f = drawn.frame;
    if (!f) return;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      const box = graph.getBoundingClientRect();
      zoomGraph(Math.exp(event.deltaY * 0.0015), tOf(f, event.clientX - box.left));
    } else if (state.graphZoom) {
      event.preventDefault();
      panGraph((event.deltaX || event.deltaY) * 0.001);
    }
  },
  { passive: false },
);
graph.addEventListener('dblclick', unzoomGraph);
const MOVES: Readonly<Record<string, FocusMove>> = { ArrowRight: 'next', ArrowLeft: 'previous', ArrowUp: 'up', ArrowDown: 'down', Home: 'first', End: 'last' };

graphView.addEventListener('keydown', (event) => {
  if (event.key === '+' || event.key === '=') zoomGraph(0.8);
  else if (event.key === '-') zoomGraph(1.25);
  else if (event.key === '0') unzoomGraph();
  // Shift+arrows move a zoomed window; the arrows alone go from point to point.
  else if (event.shiftKey && event.key === 'ArrowLeft') panGraph(-0.2);
  else if (event.shiftKey && event.key === 'ArrowRight') panGraph(0.2);
  else if (Object.hasOwn(MOVES, event.key)) moveGraphFocus(MOVES[event.key]);
  else if ((event.key === 'Enter' || event.key === ' ') && drawn.focus) revealFocus();
  else return;
  event.preventDefault();
});
graphView.addEventListener('focusout', hideTooltip);

/** Moves the keyboard's point (the first move starts at the current event's point, else where the view starts), keeps it in a zoomed window, says it. */
export function moveGraphFocus(move: FocusMove): void {
  const f = drawn.frame;
  const d = f && graphData().direction(f.key);
  if (!f || !d) return;
  const focus = drawn.focus?.key === d.key ? drawn.focus : undefined;
  let next: GraphFocus | undefined;
  if (focus) {
    next = moveFocus(d, focus, move);
  } else {
    const point = state.store.current >= 0 ? data.pointOf(state.store.current) : undefined;
    next = startFocus(d, point && point.direction.key === d.key ? point : undefined, f.time.min);
  }
  if (!next) return;
  drawn.focus = { ...next, key: d.key };
  const t = d[next.series][next.at].t;
  const zoom = state.graphZoom;
  if (zoom && (t < zoom.tMin || t > zoom.tMax)) {
    // The window follows the point (same span, the point in its middle).
    const span = zoom.tMax - zoom.tMin;
    const tMin = Math.max(0, t - span / 2);
    state.graphZoom = { tMin, tMax: tMin + span };
    drawGraph();
    scheduleSave();
  } else {
    highlight(f);
  }
  announceFocus();
}

/** The focused point's fields, as the hover shows them: in the live region and in the tooltip beside the point. */
function announceFocus(): void {
  const f = drawn.frame;
  const focus = drawn.focus;
  const d = focus && data.direction(focus.key);
  if (!f || !focus || !d) return;
  const fields = pointFields(d, focus.series, focus.at, say);
  setText(announcer, cleanText(fields.map(([name, value]) => say('{0}: {1}', name, value)).join('\n')));
  const index = d[focus.series][focus.at].index;
  const line = state.store.all[index - state.store.offset]?.line;
  const at = pointXY(f, { direction: d, series: focus.series, at: focus.at });
  const box = graph.getBoundingClientRect();
  if (at) showRows(`graph:${focus.series}:${index}`, () => fields.map(([name, value]) => fieldRow(name, value)), line !== undefined, box.left + at.x, box.top + at.y);
}

/** Enter on the focused point: its scenario line, as a click. */
function revealFocus(): void {
  const focus = drawn.focus;
  const d = focus && data.direction(focus.key);
  if (!focus || !d) return;
  const index = d[focus.series][focus.at].index;
  const traceEvent = state.store.all[index - state.store.offset];
  if (traceEvent?.line !== undefined) post({ type: 'reveal', line: traceEvent.line, index });
}

/** The graph as a standalone SVG at the panel's size (export), or undefined without data. */
export function graphSvg(theme: Theme): { text: string; width: number; height: number } | undefined {
  const d = shown();
  if (!d) return undefined;
  const { width } = measureGraph();
  // Room for the title above a plot as tall as the panel's.
  const height = measureGraph().height + 40;
  const text = renderGraphSvg(data, { theme, width, height, direction: d.key, zoom: state.graphZoom, current: state.store.current, scenario: state.store.scenario, profile: state.store.profile, say });
  return text === undefined ? undefined : { text, width, height };
}
