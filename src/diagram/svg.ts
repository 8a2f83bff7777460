// Diagram model -> SVG (pure). Drawing goes through a small node tree (`SvgNode`) so the
// webview builds the very same elements with createElementNS, and `renderSvg` serializes
// them into a standalone file (CLI, export). Every text and attribute value is escaped on
// serialization; no scripts, no event attributes, no external references.

import { cleanText, escapeXml, textWidth } from './format';
import { DRAWING_WORDS, ENGLISH_SAY, type Say } from './words';
import type { ArrowItem, DiagramItem, DiagramModel, ExpectItem, GapItem, LegendEntry, ModelFrame, NoteItem, StateItem, TickItem, TimerItem } from './model';
import { headerWidth, itemFields, labelLinesWidth, labelDrop, NOTE_MARK } from './model';

export interface SvgNode {
  tag: string;
  attrs: Record<string, string | number>;
  text?: string;
  children?: SvgNode[];
}

export const SVG_NS = 'http://www.w3.org/2000/svg';

/** A node; its text and string attributes cleaned (cleanText), since the webview sets them on the DOM as they are. */
function el(tag: string, attrs: Record<string, string | number | undefined>, children?: SvgNode[], text?: string): SvgNode {
  const clean: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) clean[k] = typeof v === 'number' ? round(v) : cleanText(v);
  return { tag, attrs: clean, children, text: text === undefined ? undefined : cleanText(text) };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

export type Theme = 'light' | 'dark';

/** Fallback colours, used where the page defines no VS Code theme variables (a standalone SVG). */
export const PALETTES: Record<Theme, Record<string, string>> = {
  light: {
    fg: '#1f1f1f',
    bg: '#ffffff',
    muted: '#6f6f6f',
    lifeline: '#9a9a9a',
    red: '#d32f2f',
    orange: '#c96a00',
    blue: '#1a6fd8',
    green: '#2e7d32',
    purple: '#7b3fa8',
    yellow: '#a67c00',
    stateBg: '#eef3fb',
    stateBorder: '#7d9cc9',
    focus: '#0090f1',
    gap: 'rgba(127,127,127,0.10)',
  },
  dark: {
    fg: '#d4d4d4',
    bg: '#1e1e1e',
    muted: '#9d9d9d',
    lifeline: '#6e7681',
    red: '#f14c4c',
    orange: '#e8a33d',
    blue: '#4fa3ff',
    green: '#89d185',
    purple: '#c18be0',
    yellow: '#e2c05a',
    stateBg: '#23344c',
    stateBorder: '#5b83ba',
    focus: '#3794ff',
    gap: 'rgba(160,160,160,0.12)',
  },
};

/** The diagram's CSS, theme variables first, the palette as fallback (media/webview.css mirrors it). */
export function diagramCss(theme: Theme): string {
  const p = PALETTES[theme];
  const fg = `var(--vscode-editor-foreground, ${p.fg})`;
  const muted = `var(--vscode-descriptionForeground, ${p.muted})`;
  return [
    `.bg{fill:var(--vscode-editor-background, ${p.bg})}`,
    `text{font-family:var(--vscode-editor-font-family, ui-monospace, Menlo, Consolas, monospace);font-size:11px;fill:${fg}}`,
    `.title{font-size:14px;font-weight:bold}`,
    `.subtitle{fill:${muted}}`,
    `.lifeline{stroke:var(--vscode-editorLineNumber-foreground, ${p.lifeline});stroke-width:1.5}`,
    `.header-box{fill:var(--vscode-editorWidget-background, ${p.stateBg});stroke:var(--vscode-editorWidget-border, ${p.stateBorder})}`,
    `.header-name{font-weight:bold;font-size:12px}`,
    `.header-addr{fill:${muted};font-size:10px}`,
    `.seg{stroke:${fg};stroke-width:1.4;fill:none}`,
    `.head{fill:${fg}}`,
    `.hit{stroke:transparent;stroke-width:9;fill:none}`,
    `.label{font-size:11px}`,
    `.label.compact{font-size:10px}`,
    `.badge{font-size:9px;font-weight:bold}`,
    `.m-retransmission .seg{stroke:var(--vscode-charts-orange, ${p.orange})}`,
    `.m-retransmission .head,.m-retransmission .badge{fill:var(--vscode-charts-orange, ${p.orange})}`,
    `.m-duplicate .seg{stroke-dasharray:6 3;stroke:var(--vscode-charts-blue, ${p.blue})}`,
    `.m-duplicate .head,.m-duplicate .badge{fill:var(--vscode-charts-blue, ${p.blue})}`,
    `.m-injected .seg{stroke:var(--vscode-charts-purple, ${p.purple});stroke-dasharray:2 2}`,
    `.m-injected .head,.m-injected .badge{fill:var(--vscode-charts-purple, ${p.purple})}`,
    `.m-probe .seg{stroke-dasharray:1 3}`,
    `.m-rst .label{font-weight:bold}`,
    `.m-lost .seg,.m-corrupt .seg{stroke:var(--vscode-charts-red, ${p.red})}`,
    `.m-corrupt .seg{stroke-dasharray:4 2}`,
    `.m-lost .badge,.m-corrupt .badge,.m-lost .head,.m-corrupt .head{fill:var(--vscode-charts-red, ${p.red})}`,
    `.m-inflight .seg{stroke-dasharray:3 4;opacity:0.7}`,
    `.m-inflight .label{opacity:0.7}`,
    `.cross{stroke:var(--vscode-charts-red, ${p.red});stroke-width:2.2}`,
    `.state-box{fill:var(--vscode-editorWidget-background, ${p.stateBg});stroke:var(--vscode-charts-blue, ${p.stateBorder});rx:3}`,
    `.state-tick{stroke:var(--vscode-charts-blue, ${p.stateBorder})}`,
    `.state-text{font-weight:bold;font-size:11px}`,
    `.timer-bar{fill:var(--vscode-charts-yellow, ${p.yellow});opacity:0.75}`,
    `.timer-time-wait .timer-bar{fill:var(--vscode-charts-purple, ${p.purple})}`,
    `.timer-retransmission .timer-bar{fill:var(--vscode-charts-orange, ${p.orange})}`,
    `.timer-end{stroke:${fg};stroke-width:1.5}`,
    `.timer-label{fill:${muted};font-size:10px}`,
    `.note{fill:${muted};font-style:italic}`,
    `.note-error{fill:var(--vscode-charts-red, ${p.red})}`,
    `.expect-ok text{fill:var(--vscode-charts-green, ${p.green})}`,
    `.expect-failed text{fill:var(--vscode-charts-red, ${p.red});font-weight:bold}`,
    `.gap-band{fill:${p.gap}}`,
    `.gap-break{stroke:${muted};stroke-dasharray:2 3}`,
    `.gap-text{fill:${muted};font-weight:bold;font-size:12px}`,
    `.tick{fill:${muted};font-size:10px}`,
    `.tick-line{stroke:${muted};opacity:0.5}`,
    `.current .seg,.current .state-box,.current .timer-bar{stroke:var(--vscode-focusBorder, ${p.focus});stroke-width:3}`,
    `.current text{font-weight:bold}`,
    `.now-line{stroke:var(--vscode-focusBorder, ${p.focus});stroke-dasharray:5 4;opacity:0.8}`,
    `.now-band{stroke-width:2;fill-opacity:0.07}`,
    `.now-band.expect-ok{fill:var(--vscode-charts-green, ${p.green});stroke:var(--vscode-charts-green, ${p.green})}`,
    `.now-band.expect-failed{fill:var(--vscode-charts-red, ${p.red});stroke:var(--vscode-charts-red, ${p.red})}`,
    `.current.expect text{font-size:15px}`,
    `.legend-box{fill:var(--vscode-editorWidget-background, ${p.stateBg});stroke:var(--vscode-editorWidget-border, ${p.stateBorder})}`,
  ].join('\n');
}

export interface NodeOptions {
  /** Add a <title> with every field to each item (hover tooltips in a standalone SVG). */
  titles?: boolean;
  /** The language of the titles (words.ts; English when absent). */
  say?: Say;
}

/** The node for one model item; the group carries data-key for the webview. */
export function itemNode(item: DiagramItem, model: ModelFrame, options: NodeOptions = {}): SvgNode {
  let node: SvgNode;
  switch (item.kind) {
    case 'arrow':
      node = arrowNode(item);
      break;
    case 'state':
      node = stateNode(item);
      break;
    case 'timer':
      node = timerNode(item);
      break;
    case 'note':
      node = noteNode(item, model.compact);
      break;
    case 'expect':
      node = expectNode(item, model.compact);
      break;
    case 'gap':
      node = gapNode(item, model);
      break;
    case 'tick':
      node = tickNode(item, model);
      break;
  }
  node.attrs['data-key'] = item.key;
  if (options.titles && item.kind !== 'tick') {
    const say = options.say ?? ENGLISH_SAY;
    const text = itemFields(item, model, say)
      .map(([k, v]) => say('{0}: {1}', k, v))
      .join('\n');
    node.children = [el('title', {}, undefined, text), ...(node.children ?? [])];
  }
  return node;
}

function arrowNode(a: ArrowItem): SvgNode {
  const classes = ['item', 'arrow', `end-${a.end}`, ...a.marks.map((m) => `m-${m}`)].join(' ');
  const children: SvgNode[] = [el('line', { class: 'seg', x1: a.x1, y1: a.ya, x2: a.x2, y2: a.yb })];
  if (a.end === 'arrive' || a.end === 'discarded') children.push(arrowHead(a.x1, a.ya, a.x2, a.yb));
  if (a.cross) {
    const { x, y } = a.cross;
    const r = 5;
    children.push(el('line', { class: 'cross', x1: x - r, y1: y - r, x2: x + r, y2: y + r }));
    children.push(el('line', { class: 'cross', x1: x - r, y1: y + r, x2: x + r, y2: y - r }));
  }
  const lines = a.labelLines ?? [a.label];
  const labelChildren: SvgNode[] = [el('tspan', {}, undefined, lines[0])];
  for (const badge of a.badges) labelChildren.push(el('tspan', { class: 'badge', dx: 5 }, undefined, badge));
  // Wrapped (compact) labels: the first line highest, the last just above the arrow (below it for a lost segment).
  // Wrapped (compact) labels read as a block: lines start at one x, the flags first.
  const x = a.labelLines ? a.labelX - labelLinesWidth(a.labelLines, a.badges) / 2 : a.labelX;
  for (let i = 1; i < lines.length; i++) labelChildren.push(el('tspan', { x, dy: LABEL_LINE_PX }, undefined, lines[i]));
  children.push(
    el(
      'text',
      {
        class: a.labelLines ? 'label compact' : 'label',
        x,
        y: a.labelBelow ? a.labelY + labelDrop(a) : a.labelY - 4 - (lines.length - 1) * LABEL_LINE_PX,
        'text-anchor': a.labelLines ? 'start' : 'middle',
        transform: `rotate(${round(a.angle)} ${round(a.labelX)} ${round(a.labelY)})`,
      },
      labelChildren,
    ),
  );
  // A wide transparent line on top makes the arrow easy to hover and click.
  children.push(el('line', { class: 'hit', x1: a.x1, y1: a.ya, x2: a.x2, y2: a.yb }));
  return el('g', { class: classes }, children);
}

/** Line height of a wrapped note: one row (Layout.rowPx). */
const NOTE_LINE_PX = 16;

/** Line height of a wrapped arrow label (the model's compact layout reserves the same). */
const LABEL_LINE_PX = 12;

function arrowHead(x1: number, y1: number, x2: number, y2: number): SvgNode {
  const angle = Math.atan2(y2 - y1, x2 - x1);
  const len = 9;
  const spread = 0.38;
  const ax = x2 - len * Math.cos(angle - spread);
  const ay = y2 - len * Math.sin(angle - spread);
  const bx = x2 - len * Math.cos(angle + spread);
  const by = y2 - len * Math.sin(angle + spread);
  return el('polygon', { class: 'head', points: `${round(x2)},${round(y2)} ${round(ax)},${round(ay)} ${round(bx)},${round(by)}` });
}

function stateNode(s: StateItem): SvgNode {
  const boxEdge = s.x + s.w < s.lifelineX ? s.x + s.w : s.x > s.lifelineX ? s.x : s.lifelineX;
  return el('g', { class: 'item state' }, [
    el('line', { class: 'state-tick', x1: boxEdge, y1: s.y + s.h / 2, x2: s.lifelineX, y2: s.y + s.h / 2 }),
    el('rect', { class: 'state-box', x: s.x, y: s.y, width: s.w, height: s.h, rx: 3 }),
    el('text', { class: 'state-text', x: s.x + s.w / 2, y: s.y + s.h / 2 + 4, 'text-anchor': 'middle' }, undefined, s.text),
  ]);
}

function timerNode(t: TimerItem): SvgNode {
  const h = Math.max(t.y1 - t.y0, 2);
  const children: SvgNode[] = [el('rect', { class: 'timer-bar', x: t.x - 2, y: t.y0, width: 4, height: h, rx: 1 })];
  if (t.end === 'fire') children.push(el('line', { class: 'timer-end', x1: t.x - 5, y1: t.y1, x2: t.x + 5, y2: t.y1 }));
  const labelLength = textWidth(t.label, 10);
  if (t.labelX !== undefined && h > labelLength + 36) {
    const y = t.y0 + h / 2;
    children.push(el('text', { class: 'timer-label', x: t.labelX, y, 'text-anchor': 'middle', transform: `rotate(-90 ${round(t.labelX)} ${round(y)})` }, undefined, t.label));
  }
  return el('g', { class: `item timer timer-${t.name} end-${t.end}` }, children);
}

function noteNode(n: NoteItem, compact: boolean): SvgNode {
  const attrs = { class: n.error ? 'note note-error' : 'note', x: n.x, y: n.y + 4, 'text-anchor': n.anchor };
  // A wrapped note: a line per row (the model gave it the rows). A narrow panel has no room for
  // a note without an endpoint: its mark only, the text in the tooltip.
  const text = n.lines
    ? el(
        'text',
        attrs,
        n.lines.map((line, i) => el('tspan', i === 0 ? {} : { x: n.x, dy: NOTE_LINE_PX }, undefined, line)),
      )
    : el('text', attrs, undefined, compact && n.endpoint === undefined ? NOTE_MARK : n.text);
  return el('g', { class: `item note-item note-${n.noteKind}` }, [text]);
}

function expectNode(e: ExpectItem, markOnly: boolean): SvgNode {
  // A narrow panel has no room for the message: the mark only, the message in the tooltip.
  return el('g', { class: `item expect ${e.ok ? 'expect-ok' : 'expect-failed'}` }, [
    el('text', { x: e.x, y: e.y + 4 }, undefined, markOnly ? (e.ok ? '✓' : '✗') : `${e.ok ? '✓' : '✗'} ${e.message}`),
  ]);
}

/**
 * A step that lands on an expectation: a band across the picture at its row, green when it held,
 * red when it failed, behind the items (the ✓ or ✗ alone, at the right edge, is easy to miss).
 */
export function expectBand(item: DiagramItem | undefined, frame: ModelFrame): { class: string; x: number; y: number; width: number; height: number } | undefined {
  if (item?.kind !== 'expect') return undefined;
  const x = frame.layout.axisWidth;
  // The 15 px mark sits on the baseline y + 4; its line box reaches ~1.2 em above it in a wide-ascent
  // fallback font (a Chromium without the system's fonts), so the band spans y - 14 .. y + 9.
  return { class: `now-band ${item.ok ? 'expect-ok' : 'expect-failed'}`, x, y: item.y - 14, width: Math.max(0, frame.width - x), height: 23 };
}

function gapNode(g: GapItem, model: ModelFrame): SvgNode {
  const left = model.layout.axisWidth;
  const right = model.width;
  const mid = (g.y0 + g.y1) / 2;
  const lifelines = model.lifelines;
  const textX = lifelines.length >= 2 ? (lifelines[0].x + lifelines[1].x) / 2 : (lifelines[0]?.x ?? left) + 80;
  return el('g', { class: 'item gap' }, [
    el('rect', { class: 'gap-band', x: left, y: g.y0, width: right - left, height: g.y1 - g.y0 }),
    el('line', { class: 'gap-break', x1: left, y1: g.y0, x2: right, y2: g.y0 }),
    el('line', { class: 'gap-break', x1: left, y1: g.y1, x2: right, y2: g.y1 }),
    el('text', { class: 'gap-text', x: textX, y: mid + 4, 'text-anchor': 'middle' }, undefined, `⋯ ${g.text} ⋯`),
  ]);
}

function tickNode(k: TickItem, model: ModelFrame): SvgNode {
  const x = model.layout.axisWidth;
  return el('g', { class: 'item tick-item' }, [
    el('line', { class: 'tick-line', x1: x - 4, y1: k.y, x2: x + 2, y2: k.y }),
    el('text', { class: 'tick', x: x - 7, y: k.y + 3, 'text-anchor': 'end' }, undefined, k.text),
  ]);
}

/** Lifelines between y0 and y1. */
export function lifelineNodes(model: ModelFrame, y0: number, y1: number): SvgNode[] {
  const top = Math.max(y0, model.layout.headerHeight);
  const bottom = Math.min(y1, model.height - model.layout.bottomPx / 2);
  if (bottom <= top) return [];
  return model.lifelines.map((l) => el('line', { class: 'lifeline', x1: l.x, y1: top, x2: l.x, y2: bottom, 'data-endpoint': l.name }));
}

/** Endpoint headers (name, address:port) with their top at y. */
export function headerNodes(model: ModelFrame, y: number): SvgNode[] {
  const h = model.layout.headerHeight - 12;
  return model.lifelines.map((l) => {
    const addr = l.address ? `${l.address}${l.port ? `:${l.port}` : ''}` : '';
    const w = headerWidth(l);
    return el('g', { class: 'header', 'data-endpoint': l.name }, [
      el('rect', { class: 'header-box', x: l.x - w / 2, y: y + 4, width: w, height: h, rx: 4 }),
      el('text', { class: 'header-name', x: l.x, y: y + 4 + (addr ? h / 2 - 1 : h / 2 + 4), 'text-anchor': 'middle' }, undefined, l.name),
      ...(addr ? [el('text', { class: 'header-addr', x: l.x, y: y + 4 + h / 2 + 12, 'text-anchor': 'middle' }, undefined, addr)] : []),
    ]);
  });
}

/** A sample of each legend entry plus its text, laid out in rows from (x, y). */
export function legendNodes(legend: LegendEntry[], x: number, y: number, say: Say = ENGLISH_SAY): SvgNode[] {
  return legend.map((entry, i) => {
    const rowY = y + i * 18;
    let sample: SvgNode;
    switch (entry.mark) {
      case 'state':
        sample = el('g', { class: 'state' }, [el('rect', { class: 'state-box', x, y: rowY - 6, width: 40, height: 12, rx: 3 })]);
        break;
      case 'timer':
        sample = el('g', { class: 'timer' }, [el('rect', { class: 'timer-bar', x: x + 18, y: rowY - 7, width: 4, height: 14 })]);
        break;
      case 'gap':
        sample = el('g', { class: 'gap' }, [el('rect', { class: 'gap-band', x, y: rowY - 6, width: 40, height: 12 })]);
        break;
      case 'expect-ok':
      case 'expect-failed':
        sample = el('g', { class: entry.mark }, [el('text', { x: x + 14, y: rowY + 4 }, undefined, entry.mark === 'expect-ok' ? '✓' : '✗')]);
        break;
      default: {
        const parts: SvgNode[] = [el('line', { class: 'seg', x1: x, y1: rowY, x2: x + 40, y2: rowY })];
        if (entry.mark === 'lost') {
          parts.push(el('line', { class: 'cross', x1: x + 36, y1: rowY - 4, x2: x + 44, y2: rowY + 4 }));
          parts.push(el('line', { class: 'cross', x1: x + 36, y1: rowY + 4, x2: x + 44, y2: rowY - 4 }));
        }
        sample = el('g', { class: `arrow m-${entry.mark}` }, parts);
      }
    }
    return el('g', { class: 'legend-entry', 'data-mark': entry.mark }, [sample, el('text', { x: x + 52, y: rowY + 4 }, undefined, say(entry.label))]);
  });
}

export function legendWidth(legend: LegendEntry[], say: Say = ENGLISH_SAY): number {
  return 52 + 24 + Math.max(0, ...legend.map((e) => textWidth(say(e.label), 11)));
}

export interface RenderOptions {
  theme?: Theme;
  /** Trace event index to highlight (-1 or absent: none). */
  current?: number;
  /** Include the legend (default true). */
  legend?: boolean;
  /** Include <title> tooltips (default true). */
  titles?: boolean;
  /** The language of the legend, the title line and the tooltips (words.ts; English when absent). */
  say?: Say;
}

/** Serializes a node tree; every text and attribute value escaped. */
export function serialize(node: SvgNode): string {
  let out = '<' + node.tag;
  for (const k in node.attrs) {
    if (!writableName(k)) continue;
    const v = node.attrs[k];
    out += ' ' + k + '="' + (typeof v === 'number' ? String(v) : escapeXml(v)) + '"';
  }
  if (node.text === undefined && !node.children?.length) return out + '/>';
  out += '>';
  if (node.text !== undefined) out += escapeXml(node.text);
  if (node.children) for (const child of node.children) out += serialize(child);
  return out + '</' + node.tag + '>';
}

const SAFE_NAME = /^[a-zA-Z_:][-a-zA-Z0-9_:.]*$/;
const checkedNames = new Map<string, boolean>();

/** Attribute names are ours, but a name that is not plain or is an event handler is never written. */
function writableName(name: string): boolean {
  let ok = checkedNames.get(name);
  if (ok === undefined) {
    ok = SAFE_NAME.test(name) && !/^on/i.test(name);
    checkedNames.set(name, ok);
  }
  return ok;
}

/** The whole diagram as a standalone SVG document. */
export function renderSvg(model: DiagramModel, options: RenderOptions = {}): string {
  const theme = options.theme ?? 'light';
  const showLegend = options.legend ?? true;
  const titles = options.titles ?? true;
  const say = options.say ?? ENGLISH_SAY;
  const titleH = 44;
  const legendH = showLegend && model.legend.length ? model.legend.length * 18 + 30 : 0;
  const width = Math.ceil(model.width);
  const height = Math.ceil(model.height + titleH + legendH);
  const current = options.current ?? -1;
  const currentItem = current >= 0 && current < model.eventToItem.length ? model.eventToItem[current] : -1;

  // Gap bands and the time axis beneath, then lifelines, then everything else.
  const back: SvgNode[] = [];
  const front: SvgNode[] = [];
  model.items.forEach((item, i) => {
    const node = itemNode(item, model, { titles, say });
    if (i === currentItem) node.attrs.class = `${node.attrs.class} current`;
    (item.kind === 'gap' || item.kind === 'tick' ? back : front).push(node);
  });
  const band = expectBand(currentItem >= 0 ? model.items[currentItem] : undefined, model);
  const body: SvgNode[] = [...back, ...(band ? [el('rect', band)] : []), ...lifelineNodes(model, 0, model.height), ...front];
  if (current >= 0 && current < model.eventY.length) {
    body.push(el('line', { class: 'now-line', x1: model.layout.axisWidth, y1: model.eventY[current], x2: model.width, y2: model.eventY[current] }));
  }
  body.push(...headerNodes(model, 0));

  const title = model.title ?? say(DRAWING_WORDS.untitled);
  const root = el('svg', { xmlns: 'http://www.w3.org/2000/svg', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title }, [
    el('style', {}, undefined, diagramCss(theme)),
    el('rect', { class: 'bg', x: 0, y: 0, width, height }),
    el('text', { class: 'title', x: 16, y: 22 }, undefined, title),
    el('text', { class: 'subtitle', x: 16, y: 38 }, undefined, say(model.relative ? DRAWING_WORDS.subtitleRelative : DRAWING_WORDS.subtitleAbsolute, model.profile)),
    el('g', { transform: `translate(0 ${titleH})` }, body),
  ]);
  if (legendH) {
    const y = model.height + titleH + 8;
    root.children?.push(
      el('g', { class: 'legend' }, [
        el('rect', { class: 'legend-box', x: 12, y, width: legendWidth(model.legend, say), height: legendH - 14, rx: 4 }),
        ...legendNodes(model.legend, 24, y + 14, say),
      ]),
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serialize(root)}\n`;
}
