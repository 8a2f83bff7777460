// The page's elements: the toolbar, the viewport with the sticky endpoint headers and the
// canvas (a band of the diagram inside a full-size sizer), the legend strip, the tooltip and
// the empty/error text. Handlers are attached by webview.ts.

import { SVG_NS } from '../src/diagram/svg';
import { WEBVIEW_STRINGS, type WebviewStringKey } from '../src/diagram/strings';
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

function createPage() {
  const toolbar = h('div', 'toolbar');
  const titleEl = h('span', 'title');
  const zoomOutButton = button(t('zoomOut'), '−');
  const zoomLabel = h('span', 'zoom-label');
  const zoomInButton = button(t('zoomIn'), '+');
  const fitButton = button(t('fit'), t('fit'));
  const relativeButton = button(t('relative'), t('relative'));
  relativeButton.classList.add('toggle');
  const svgButton = button(t('exportSvg'), 'SVG');
  const pngButton = button(t('exportPng'), 'PNG');
  const mermaidButton = button(t('copyMermaid'), 'Mermaid');
  const legendButton = button(t('legend'), t('legend'));
  legendButton.classList.add('toggle');
  legendButton.setAttribute('aria-pressed', 'false');
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
  const canvas = document.createElementNS(SVG_NS, 'svg');
  canvas.id = 'canvas';
  canvas.setAttribute('class', 'diagram');
  const backLayer = svgGroup('background');
  const lifelineLayer = svgGroup('lifelines');
  const itemLayer = svgGroup('items');
  const nowLine = document.createElementNS(SVG_NS, 'line');
  nowLine.setAttribute('class', 'now-line');
  canvas.append(backLayer, lifelineLayer, itemLayer, nowLine);
  const sizer = h('div', 'sizer');
  sizer.append(canvas);
  viewport.append(header, sizer);
  const legend = h('div', 'legend');
  const tooltip = h('div', 'tooltip hidden');
  tooltip.setAttribute('role', 'tooltip');
  const empty = h('div', 'empty');
  // A window of a long run: where the drawing starts.
  const notice = h('div', 'notice hidden');
  // The legend is a strip below the drawing (never over it), closed until the Legend toggle opens it.
  legend.classList.add('hidden');
  main.append(notice, viewport, legend, tooltip, empty);
  app.append(toolbar, main);
  return {
    titleEl,
    zoomOutButton,
    zoomLabel,
    zoomInButton,
    fitButton,
    relativeButton,
    svgButton,
    pngButton,
    mermaidButton,
    legendButton,
    main,
    viewport,
    header,
    headerBackground,
    headerLayer,
    canvas,
    backLayer,
    lifelineLayer,
    itemLayer,
    nowLine,
    sizer,
    legend,
    tooltip,
    empty,
    notice,
  };
}

export const page = createPage();
