// The page's elements: the toolbar, the viewport with the sticky endpoint headers and the
// canvas (a band of the diagram inside a full-size sizer), the legend strip, the tooltip and
// the empty/error text. Handlers are attached by webview.ts.

import { SVG_NS } from '../src/diagram/svg';
import { WEBVIEW_STRINGS, type WebviewStringKey } from '../src/diagram/strings';
import type { RuleInfo } from '../src/engine/trace';
import type { Say } from '../src/diagram/words';
import { localeOf, translator } from '../src/text/translate';
import { button, h, svgGroup } from './dom';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export const vscode = acquireVsCodeApi();

const app = document.getElementById('app') ?? document.body;

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

const strings = readStrings();
/** A user-visible string: the host's translation, or English. */
export const t = (key: WebviewStringKey) => strings[key] ?? WEBVIEW_STRINGS[key];

/** A JSON object from one of the app's data attributes (the host's; anything else is ignored). */
function readObject(name: 'words' | 'rules'): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(app.dataset[name] ?? '{}');
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function readWords(): Record<string, string> {
  const words: Record<string, string> = {};
  for (const [english, said] of Object.entries(readObject('words'))) if (typeof said === 'string') words[english] = said;
  return words;
}

function readRules(): Map<string, RuleInfo> {
  const rules = new Map<string, RuleInfo>();
  for (const [id, value] of Object.entries(readObject('rules'))) {
    const rule = value as Partial<Record<keyof RuleInfo, unknown>> | null;
    if (rule && typeof rule.source === 'string' && typeof rule.summary === 'string' && typeof rule.url === 'string') {
      rules.set(id, { source: rule.source, summary: rule.summary, url: rule.url });
    }
  }
  return rules;
}

/** The diagram's words (legend, hover fields, exports) in the panel's language, from the host. */
export const say: Say = translator(localeOf(document.documentElement.lang), readWords()).t;
const rules = readRules();
/** A rule of the engine by id, its summary in the panel's language (the host sends them all). */
export const ruleOf = (id: string): RuleInfo | undefined => rules.get(id);

/** The toolbar: the title, the two views' tabs, then each view's buttons (the other view's are hidden by CSS). */
function createToolbar() {
  const toolbar = h('div', 'toolbar');
  const titleEl = h('span', 'title');
  const zoomOutButton = button(t('zoomOut'), '−');
  const zoomLabel = h('span', 'zoom-label');
  const zoomInButton = button(t('zoomIn'), '+');
  const fitButton = button(t('fit'), t('fit'));
  const relativeButton = button(t('relative'), t('relative'));
  relativeButton.classList.add('toggle');
  const windowButton = button(t('windowLabelsTitle'), t('windowLabels'));
  windowButton.classList.add('toggle');
  const svgButton = button(t('exportSvg'), 'SVG');
  const pngButton = button(t('exportPng'), 'PNG');
  const pcapngButton = button(t('exportPcapng'), 'pcapng');
  const mermaidButton = button(t('copyMermaid'), 'Mermaid');
  const legendButton = button(t('legend'), t('legend'));
  legendButton.classList.add('toggle');
  legendButton.setAttribute('aria-pressed', 'false');
  const spacer = h('span', 'spacer');
  // The two views: a pair of toggles (one pressed), like tabs.
  const ladderButton = button(t('ladderViewTitle'), t('ladderView'));
  const graphButton = button(t('graphViewTitle'), t('graphView'));
  for (const b of [ladderButton, graphButton]) b.classList.add('toggle', 'view-tab');
  const directionButton = button(t('otherDirection'), '⇄');
  directionButton.classList.add('graph-only');
  for (const b of [zoomOutButton, zoomInButton, fitButton, relativeButton, windowButton, legendButton, mermaidButton]) b.classList.add('ladder-only');
  zoomLabel.classList.add('ladder-only');
  toolbar.append(titleEl, spacer, ladderButton, graphButton, directionButton, zoomOutButton, zoomLabel, zoomInButton, fitButton, relativeButton, windowButton, legendButton, svgButton, pngButton, pcapngButton, mermaidButton);
  return {
    toolbar,
    titleEl,
    zoomOutButton,
    zoomLabel,
    zoomInButton,
    fitButton,
    relativeButton,
    windowButton,
    svgButton,
    pngButton,
    pcapngButton,
    mermaidButton,
    legendButton,
    ladderButton,
    graphButton,
    directionButton,
  };
}

/** The ladder's viewport: the sticky endpoint headers over the sizer, which holds the canvas and the now line's layer. */
function createLadderView() {
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
  // The canvas is as large as the diagram, inside the full-size sizer; it holds the items of a
  // band of a few screens around the visible part (ladder.ts), in chunks of its height
  // (chunks.ts): idle gaps and ticks, then the expectation band and lifelines (one <svg> as
  // large as the diagram), then the items; the now line's layer lies over it in the sizer.
  const canvas = h('div', 'canvas');
  canvas.id = 'canvas';
  const backLayer = h('div', 'chunks back');
  const wholeLayer = document.createElementNS(SVG_NS, 'svg');
  wholeLayer.setAttribute('class', 'diagram whole');
  const lifelineLayer = svgGroup('lifelines');
  const itemLayer = h('div', 'chunks items');
  // The current event's dashed line: in a layer of its own over the canvas, moved by a transform
  // (the compositor moves it; nothing is laid out or repainted when a step moves it).
  const nowLayer = document.createElementNS(SVG_NS, 'svg');
  nowLayer.id = 'now';
  nowLayer.setAttribute('class', 'diagram now-layer');
  nowLayer.setAttribute('aria-hidden', 'true');
  nowLayer.setAttribute('visibility', 'hidden');
  const nowLine = document.createElementNS(SVG_NS, 'line');
  nowLine.setAttribute('class', 'now-line');
  nowLayer.append(nowLine);
  // Behind the items: the row of a step that lands on an expectation (svg.ts expectBand).
  const nowBand = document.createElementNS(SVG_NS, 'rect');
  nowBand.setAttribute('class', 'now-band');
  nowBand.setAttribute('visibility', 'hidden');
  wholeLayer.append(nowBand, lifelineLayer);
  canvas.append(backLayer, wholeLayer, itemLayer);
  const sizer = h('div', 'sizer');
  sizer.append(canvas, nowLayer);
  viewport.append(header, sizer);
  return { viewport, header, headerBackground, headerLayer, canvas, wholeLayer, backLayer, lifelineLayer, itemLayer, nowLayer, nowLine, nowBand, sizer };
}

/**
 * The time–sequence graph (media/graph.ts): over the ladder's place, which keeps its size
 * underneath (the ladder's layout reads the panel's width), drawn only while shown.
 */
function createGraphView() {
  const graphView = h('div', 'graph-view hidden');
  // Focusable: + and - zoom the time axis, arrows move it, 0 shows the whole run.
  graphView.tabIndex = 0;
  const graph = document.createElementNS(SVG_NS, 'svg');
  graph.id = 'graph';
  graph.setAttribute('class', 'graph');
  graph.setAttribute('role', 'img');
  const graphBackground = document.createElementNS(SVG_NS, 'rect');
  graphBackground.setAttribute('class', 'bg');
  graphBackground.setAttribute('width', '100%');
  graphBackground.setAttribute('height', '100%');
  const graphFrameLayer = svgGroup('tsg-frame-layer');
  const graphSeqLayer = svgGroup('tsg-series tsg-series-seq');
  const graphCcLayer = svgGroup('tsg-series tsg-series-cc');
  const graphHighlightLayer = svgGroup('tsg-highlight');
  graph.append(graphBackground, graphFrameLayer, graphSeqLayer, graphCcLayer, graphHighlightLayer);
  const graphEmpty = h('div', 'graph-empty hidden');
  graphView.append(graph, graphEmpty);
  return { graphView, graph, graphFrameLayer, graphSeqLayer, graphCcLayer, graphHighlightLayer, graphEmpty };
}

function createPage() {
  const { toolbar, ...buttons } = createToolbar();
  const main = h('div', 'main');
  const ladder = createLadderView();
  const legend = h('div', 'legend');
  const tooltip = h('div', 'tooltip hidden');
  tooltip.setAttribute('role', 'tooltip');
  const empty = h('div', 'empty');
  // A window of a long run: where the drawing starts.
  const notice = h('div', 'notice hidden');
  // The legend is a strip below the drawing (never over it), closed until the Legend toggle opens it.
  legend.classList.add('hidden');
  const graph = createGraphView();
  main.append(notice, ladder.viewport, legend, graph.graphView, tooltip, empty);
  app.append(toolbar, main);
  return { ...buttons, ...graph, main, ...ladder, legend, tooltip, empty, notice };
}

export const page = createPage();
