// The time–sequence graph as SVG nodes (pure), shared like the ladder's (svg.ts): the webview
// builds the same elements with createElementNS, `renderGraphSvg` serializes them into a
// standalone file (export). Every text is cleaned and escaped; no script, no external reference.

import { cleanText } from './format';
import { DRAWING_WORDS, ENGLISH_SAY, GRAPH_WORDS, type Say } from './words';
import { PALETTES, serialize, type SvgNode, type Theme } from './svg';
import type { GraphData, GraphDirection, GraphPoint } from './graphData';
import {
  chunkCount,
  chunkShape,
  chunkVisible,
  GRAPH_FONT,
  graphFrame,
  legendEntryWidth,
  pointXY,
  SERIES,
  tailPaths,
  windowEdgeLabel,
  xOf,
  ySeq,
  yWindow,
  type ChunkPath,
  type ChunkShape,
  type GraphFrame,
  type GraphLegendEntry,
  type GraphZoom,
} from './graphLayout';

function node(tag: string, attrs: Record<string, string | number | undefined>, children?: SvgNode[], text?: string): SvgNode {
  const clean: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) clean[k] = typeof v === 'number' ? Math.round(v * 10) / 10 : cleanText(v);
  return { tag, attrs: clean, children, text: text === undefined ? undefined : cleanText(text) };
}

export const CLIP_SEQ = 'tsg-clip-seq';
export const CLIP_CC = 'tsg-clip-cc';

/** Axes, grid, tick texts, plot titles, legend and the clip paths of the two plots. */
export function graphFrameNodes(f: GraphFrame): SvgNode[] {
  const plots = [f.seq, ...(f.cc ? [f.cc] : [])];
  const bottom = f.cc ?? f.seq;
  const grid: SvgNode[] = [];
  for (const tick of f.timeTicks) {
    const x = xOf(f, tick.at);
    for (const p of plots) grid.push(node('line', { class: 'tsg-grid', x1: x, y1: p.y, x2: x, y2: p.y + p.height }));
  }
  for (const tick of f.seqTicks) grid.push(node('line', { class: 'tsg-grid', x1: f.seq.x, y1: ySeq(f, tick.at), x2: f.seq.x + f.seq.width, y2: ySeq(f, tick.at) }));
  if (f.cc) for (const tick of f.windowTicks) grid.push(node('line', { class: 'tsg-grid', x1: f.cc.x, y1: yWindow(f, tick.at), x2: f.cc.x + f.cc.width, y2: yWindow(f, tick.at) }));
  const texts: SvgNode[] = [];
  for (const tick of f.timeTicks) {
    const x = xOf(f, tick.at);
    // The last tick at the plot's right edge ends there rather than past the picture.
    const anchor = x > f.seq.x + f.seq.width - 24 ? 'end' : 'middle';
    texts.push(node('text', { class: 'tsg-tick', x, y: bottom.y + bottom.height + 13, 'text-anchor': anchor }, undefined, tick.text));
  }
  for (const tick of f.seqTicks) texts.push(node('text', { class: 'tsg-tick', x: f.seq.x - 5, y: ySeq(f, tick.at) + 3.5, 'text-anchor': 'end' }, undefined, tick.text));
  if (f.cc) for (const tick of f.windowTicks) texts.push(node('text', { class: 'tsg-tick', x: f.cc.x - 5, y: yWindow(f, tick.at) + 3.5, 'text-anchor': 'end' }, undefined, tick.text));
  texts.push(node('text', { class: 'tsg-plot-title', x: f.seq.x, y: f.seq.y - 5 }, undefined, `${f.seqTitle} · ${f.title}`));
  if (f.cc) texts.push(node('text', { class: 'tsg-plot-title', x: f.cc.x, y: f.cc.y - 5 }, undefined, `${f.windowTitle} · ${f.title.split(' → ')[0]}`));
  return [
    node('defs', {}, [
      node('clipPath', { id: CLIP_SEQ }, [node('rect', { x: f.seq.x, y: f.seq.y - 2, width: f.seq.width, height: f.seq.height + 4 })]),
      ...(f.cc ? [node('clipPath', { id: CLIP_CC }, [node('rect', { x: f.cc.x, y: f.cc.y - 2, width: f.cc.width, height: f.cc.height + 4 })])] : []),
    ]),
    node('g', { class: 'tsg-grids' }, grid),
    ...plots.map((p) => node('rect', { class: 'tsg-frame', x: p.x, y: p.y, width: p.width, height: p.height })),
    node('g', { class: 'tsg-texts' }, texts),
    node('g', { class: 'tsg-legend' }, f.legend.map(legendNode)),
  ];
}

/** A legend entry: a sample of what it marks, then its text. */
function legendNode(entry: GraphLegendEntry): SvgNode {
  const { x, y } = entry;
  const path = (cls: string, d: string) => node('path', { class: cls, d });
  let sample: SvgNode;
  switch (entry.mark) {
    case 'segment':
      sample = path('tsg-seg', `M${x + 11} ${y + 6}V${y - 6}M${x + 8.5} ${y + 6}h5M${x + 8.5} ${y - 6}h5`);
      break;
    case 'retransmission':
      sample = path('tsg-retx', `M${x + 11} ${y + 6}V${y - 6}M${x + 8.5} ${y + 6}h5M${x + 8.5} ${y - 6}h5`);
      break;
    case 'lost':
      sample = path('tsg-lost', `M${x + 7} ${y - 4}l8 8M${x + 7} ${y + 4}l8 -8`);
      break;
    case 'ack':
      sample = path('tsg-ack', `M${x} ${y + 4}H${x + 11}V${y - 4}H${x + 22}`);
      break;
    case 'duplicate-ack':
      sample = node('g', {}, [path('tsg-ack', `M${x} ${y - 2}H${x + 22}`), path('tsg-dupack', `M${x + 6} ${y}v5M${x + 11} ${y}v5M${x + 16} ${y}v5`)]);
      break;
    case 'window':
      sample = path('tsg-win', `M${x} ${y + 4}H${x + 11}V${y - 4}H${x + 22}`);
      break;
    case 'sack':
      sample = path('tsg-sack', `M${x + 11} ${y + 6}V${y - 6}`);
      break;
    case 'cwnd':
      sample = path('tsg-cwnd', `M${x} ${y + 4}H${x + 11}V${y - 4}H${x + 22}`);
      break;
    case 'ssthresh':
      sample = path('tsg-ssthresh', `M${x} ${y}H${x + 22}`);
      break;
  }
  return node('g', { class: 'tsg-legend-entry', 'data-mark': entry.mark }, [sample, node('text', { x: x + 27, y: y + 4 }, undefined, entry.label)]);
}

/** A chunk of a series: its paths in one group, keyed for the webview. */
export function chunkNode(shape: ChunkShape): SvgNode {
  return node('g', { class: 'tsg-chunk', 'data-chunk': shape.key }, shape.paths.map(pathNode));
}

export function pathNode(p: ChunkPath): SvgNode {
  return node('path', { class: p.cls, d: p.d });
}

/** The receive window's value where its line runs above the plot at its end (graphLayout windowEdgeLabel). */
export function windowLabelNode(f: GraphFrame, d: GraphDirection, now: number): SvgNode | undefined {
  const label = windowEdgeLabel(f, d, now);
  return label && node('text', { class: 'tsg-win-label', x: label.x, y: label.y, 'text-anchor': 'end' }, undefined, label.text);
}

/** The series layers, clipped to their plots. */
export function seriesLayers(f: GraphFrame, seq: SvgNode[], cc: SvgNode[]): SvgNode[] {
  const out = [node('g', { class: 'tsg-series tsg-series-seq', 'clip-path': `url(#${CLIP_SEQ})` }, seq)];
  if (f.cc) out.push(node('g', { class: 'tsg-series tsg-series-cc', 'clip-path': `url(#${CLIP_CC})` }, cc));
  return out;
}

/** The debugger's "now" (a vertical line through both plots, or an edge mark when it lies past the time axis) and the current point's ring. */
export function highlightNodes(f: GraphFrame, now: number | undefined, point: GraphPoint | undefined): SvgNode[] {
  const out: SvgNode[] = [];
  const bottom = f.cc ?? f.seq;
  if (now !== undefined) {
    const x = Math.min(f.seq.x + f.seq.width, Math.max(f.seq.x, xOf(f, now)));
    out.push(node('line', { class: 'tsg-now', x1: x, y1: f.seq.y, x2: x, y2: bottom.y + bottom.height }));
  }
  const at = point && pointXY(f, point);
  if (at) out.push(node('circle', { class: 'tsg-current', cx: at.x, cy: at.y, r: 6 }));
  return out;
}

/** The keyboard's focus on a point (media/graph.ts): a ring larger than the current point's. */
export function focusNode(f: GraphFrame, point: GraphPoint): SvgNode | undefined {
  const at = pointXY(f, point);
  return at && node('circle', { class: 'tsg-focus', cx: at.x, cy: at.y, r: 9 });
}

/** Every visible chunk of the direction, in drawing order (ACK and window lines beneath the segments). */
export function visibleChunks(f: GraphFrame, d: GraphDirection): ChunkShape[] {
  const out: ChunkShape[] = [];
  for (const series of SERIES) for (let k = 0; k < chunkCount(d[series].length); k++) if (chunkVisible(f, d, series, k)) out.push(chunkShape(f, d, series, k));
  return out;
}

export interface GraphSvgOptions {
  theme?: Theme;
  width?: number;
  height?: number;
  /** The direction (`from>to`); the busiest by default. */
  direction?: string;
  zoom?: GraphZoom;
  /** Trace index of the event to highlight. */
  current?: number;
  scenario?: string;
  profile?: string;
  /** The language of every word drawn (words.ts GRAPH_*: title line, legend, plot titles; English when absent), as the ladder's export. */
  say?: Say;
}

/** The graph's CSS with theme variables first and the palette as fallback (media/webview.css mirrors it). */
export function graphCss(theme: Theme): string {
  const p = PALETTES[theme];
  const fg = `var(--vscode-editor-foreground, ${p.fg})`;
  const muted = `var(--vscode-descriptionForeground, ${p.muted})`;
  return [
    `.bg{fill:var(--vscode-editor-background, ${p.bg})}`,
    `text{font-family:var(--vscode-editor-font-family, ui-monospace, Menlo, Consolas, monospace);font-size:${GRAPH_FONT.legend}px;fill:${fg}}`,
    `.title{font-size:14px;font-weight:bold}`,
    `.subtitle{fill:${muted}}`,
    `.tsg-tick{fill:${muted};font-size:${GRAPH_FONT.tick}px}`,
    `.tsg-plot-title{font-weight:bold}`,
    `.tsg-grid{stroke:${muted};stroke-opacity:0.25}`,
    `.tsg-frame{fill:none;stroke:${muted}}`,
    `path{fill:none}`,
    `.tsg-seg{stroke:${fg};stroke-width:1.5}`,
    `.tsg-retx{stroke:var(--vscode-charts-orange, ${p.orange});stroke-width:2}`,
    `.tsg-lost{stroke:var(--vscode-charts-red, ${p.red});stroke-width:2}`,
    `.tsg-ack{stroke:var(--vscode-charts-green, ${p.green});stroke-width:1.5}`,
    `.tsg-dupack{stroke:var(--vscode-charts-green, ${p.green});stroke-width:1.5}`,
    `.tsg-win{stroke:var(--vscode-charts-yellow, ${p.yellow});stroke-width:1.2}`,
    `.tsg-win-above{stroke:var(--vscode-charts-yellow, ${p.yellow});stroke-width:1.5}`,
    `.tsg-win-label{fill:var(--vscode-charts-yellow, ${p.yellow});font-size:${GRAPH_FONT.tick}px}`,
    `.tsg-sack{stroke:var(--vscode-charts-purple, ${p.purple});stroke-width:2.5}`,
    `.tsg-cwnd{stroke:var(--vscode-charts-blue, ${p.blue});stroke-width:1.8}`,
    `.tsg-ssthresh{stroke:${muted};stroke-width:1.5;stroke-dasharray:5 3}`,
    `.tsg-now{stroke:var(--vscode-focusBorder, ${p.focus});stroke-dasharray:5 4}`,
    `.tsg-current{fill:none;stroke:var(--vscode-focusBorder, ${p.focus});stroke-width:2}`,
  ].join('\n');
}

/** The direction a view shows: the one asked for when it exists, else the one carrying the most data. */
export function shownDirection(data: GraphData, key?: string): GraphDirection | undefined {
  const asked = key !== undefined ? data.direction(key) : undefined;
  return asked && asked.segments.length > 0 ? asked : data.busiest();
}

/** The graph of one direction as a standalone SVG document (undefined when no direction carries data). */
export function renderGraphSvg(data: GraphData, options: GraphSvgOptions = {}): string | undefined {
  const d = shownDirection(data, options.direction);
  if (!d) return undefined;
  const theme = options.theme ?? 'light';
  const width = Math.round(options.width ?? 900);
  const height = Math.round(options.height ?? 560);
  const titleHeight = 40;
  const say = options.say ?? ENGLISH_SAY;
  const f = graphFrame(d, { width, height, zoom: options.zoom, titleHeight, say });
  const seq: SvgNode[] = [];
  const cc: SvgNode[] = [];
  for (const shape of visibleChunks(f, d)) (shape.plot === 'seq' ? seq : cc).push(chunkNode(shape));
  const now = data.endTime;
  for (const p of tailPaths(f, d, now ?? 0)) (p.cls === 'tsg-cwnd' || p.cls === 'tsg-ssthresh' ? cc : seq).push(pathNode(p));
  const label = windowLabelNode(f, d, now ?? 0);
  if (label) seq.push(label);
  const current = options.current ?? -1;
  const title = options.scenario ?? say(DRAWING_WORDS.untitled);
  const subtitle = options.profile ? say(GRAPH_WORDS.subtitleProfile, f.title, options.profile) : say(GRAPH_WORDS.subtitle, f.title);
  const root = node('svg', { xmlns: 'http://www.w3.org/2000/svg', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': say(GRAPH_WORDS.label, title, f.title) }, [
    node('style', {}, undefined, graphCss(theme)),
    node('rect', { class: 'bg', x: 0, y: 0, width, height }),
    node('text', { class: 'title', x: 16, y: 20 }, undefined, title),
    node('text', { class: 'subtitle', x: 16, y: 35 }, undefined, subtitle),
    ...graphFrameNodes(f),
    ...seriesLayers(f, seq, cc),
    ...highlightNodes(f, current >= 0 ? data.timeOf(current) : undefined, current >= 0 ? data.pointOf(current) : undefined),
  ]);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serialize(root)}\n`;
}

/** Width the legend needs for one row of all its entries (tests, docs). */
export function legendRowWidth(f: GraphFrame): number {
  return f.legend.reduce((w, e) => w + legendEntryWidth(e.label), 0);
}
