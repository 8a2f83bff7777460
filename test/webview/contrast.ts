// WCAG 2.x contrast of what the diagram panel draws, measured in the page (headless Chromium): the
// computed colour of each element, made opaque over what lies behind it (element and group
// opacity, fill/stroke opacity, a translucent button over the toolbar), against that backdrop.
import type { Page } from 'playwright-core';

/** WCAG 2.x thresholds: text (SC 1.4.3, small text) and the graphics needed to read the diagram (SC 1.4.11). */
export const TEXT = 4.5;
export const GRAPHICS = 3;

export interface Probe {
  /** What the user sees, for the report: "toolbar button", "timer bar". */
  name: string;
  selector: string;
  /** The colour that carries the element: `color` for HTML text, `fill` or `stroke` for SVG, `outline` for a focus ring. */
  paint: 'color' | 'fill' | 'stroke' | 'outline';
  min: number;
}

/** The probes, most of them measured after every trace message; hover/focus ones on their own. */
export const PROBES: Probe[] = [
  { name: 'toolbar title', selector: '.toolbar .title', paint: 'color', min: TEXT },
  { name: 'toolbar zoom', selector: '.toolbar .zoom-label', paint: 'color', min: TEXT },
  { name: 'toolbar button', selector: '.toolbar .tool:not([aria-pressed="true"])', paint: 'color', min: TEXT },
  { name: 'toolbar button (on)', selector: '.toolbar .tool[aria-pressed="true"]', paint: 'color', min: TEXT },
  { name: 'legend text', selector: '.legend .legend-title, .legend text', paint: 'color', min: TEXT },
  { name: 'endpoint header', selector: '#header .header-name, #header .header-addr', paint: 'fill', min: TEXT },
  { name: 'arrow label', selector: '#canvas .label', paint: 'fill', min: TEXT },
  { name: 'arrow badge', selector: '#canvas .badge', paint: 'fill', min: TEXT },
  { name: 'state text', selector: '#canvas .state-text', paint: 'fill', min: TEXT },
  { name: 'timer label', selector: '#canvas .timer-label', paint: 'fill', min: TEXT },
  { name: 'note', selector: '#canvas .note', paint: 'fill', min: TEXT },
  { name: 'time axis', selector: '#canvas .tick', paint: 'fill', min: TEXT },
  { name: 'idle gap text', selector: '#canvas .gap-text', paint: 'fill', min: TEXT },
  { name: 'expectation mark', selector: '#canvas .expect text', paint: 'fill', min: TEXT },
  { name: 'arrow', selector: '#canvas .seg', paint: 'stroke', min: GRAPHICS },
  { name: 'arrowhead', selector: '#canvas .head', paint: 'fill', min: GRAPHICS },
  { name: 'lost cross', selector: '#canvas .cross', paint: 'stroke', min: GRAPHICS },
  { name: 'lifeline', selector: '.lifeline', paint: 'stroke', min: GRAPHICS },
  { name: 'timer bar', selector: '#canvas .timer-bar', paint: 'fill', min: GRAPHICS },
  { name: 'timer end', selector: '#canvas .timer-end', paint: 'stroke', min: GRAPHICS },
  { name: 'state box border', selector: '#canvas .state-box', paint: 'stroke', min: GRAPHICS },
  { name: 'highlight', selector: '#canvas .current .seg, #canvas .current .state-box, #canvas .current .timer-bar', paint: 'stroke', min: GRAPHICS },
  { name: 'now line', selector: '#now .now-line', paint: 'stroke', min: GRAPHICS },
  { name: 'expectation band', selector: '#canvas .now-band', paint: 'stroke', min: GRAPHICS },
];

/** High contrast themes outline every control (VS Code's own buttons do, in contrastBorder). */
export const HIGH_CONTRAST_PROBES: Probe[] = [{ name: 'toolbar button border', selector: '.toolbar .tool', paint: 'stroke', min: GRAPHICS }];

export const HOVER_PROBES: Probe[] = [
  { name: 'toolbar button (hover)', selector: '.toolbar .tool:hover', paint: 'color', min: TEXT },
  { name: 'tooltip', selector: '.tooltip th, .tooltip td, .tooltip .hint', paint: 'color', min: TEXT },
];

export const FOCUS_PROBES: Probe[] = [{ name: 'focus ring', selector: '.toolbar .tool:focus-visible', paint: 'outline', min: GRAPHICS }];

/** The time–sequence graph (media/graph.ts); its grid is faint on purpose and not measured. */
export const GRAPH_PROBES: Probe[] = [
  { name: 'graph legend and titles', selector: '#graph .tsg-legend text, #graph .tsg-plot-title', paint: 'fill', min: TEXT },
  { name: 'graph axis', selector: '#graph .tsg-tick', paint: 'fill', min: TEXT },
  { name: 'graph segment', selector: '#graph path.tsg-seg', paint: 'stroke', min: GRAPHICS },
  { name: 'graph retransmission', selector: '#graph path.tsg-retx', paint: 'stroke', min: GRAPHICS },
  { name: 'graph lost', selector: '#graph path.tsg-lost', paint: 'stroke', min: GRAPHICS },
  { name: 'graph ACK line', selector: '#graph path.tsg-ack, #graph path.tsg-dupack', paint: 'stroke', min: GRAPHICS },
  { name: 'graph window line', selector: '#graph path.tsg-win', paint: 'stroke', min: GRAPHICS },
  { name: 'graph cwnd', selector: '#graph path.tsg-cwnd, #graph path.tsg-ssthresh', paint: 'stroke', min: GRAPHICS },
  { name: 'graph highlight', selector: '#graph .tsg-current, #graph .tsg-now', paint: 'stroke', min: GRAPHICS },
  { name: 'graph frame', selector: '#graph .tsg-frame', paint: 'stroke', min: GRAPHICS },
];

export const EMPTY_PROBES: Probe[] = [{ name: 'empty panel text', selector: '.empty', paint: 'color', min: TEXT }];

export interface Measured {
  name: string;
  ratio: number;
  fg: string;
  bg: string;
  what: string;
}

/** Every visible element of the probes, with its contrast ratio against its backdrop. */
export async function measure(page: Page, probes: Probe[]): Promise<Measured[]> {
  // tsx (esbuild keepNames) wraps the named functions below in __name(); the page has none.
  await page.evaluate('globalThis.__name ??= (f) => f');
  return page.evaluate((list) => {
    type RGBA = [number, number, number, number];
    const parse = (text: string): RGBA | undefined => {
      // color-mix() and relative colours compute to color(srgb r g b / a), channels 0..1.
      const srgb = /^color\(srgb ([^)]+)\)$/.exec(text.trim());
      if (srgb) {
        const [r, g, b, a = '1'] = srgb[1].split(/[\s/]+/).filter(Boolean);
        return [Number(r) * 255, Number(g) * 255, Number(b) * 255, Number(a)];
      }
      const m = /^rgba?\(([^)]+)\)$/.exec(text.trim());
      if (!m) return undefined;
      const [r, g, b, a = '1'] = m[1].split(/[\s,/]+/).filter(Boolean);
      return [Number(r), Number(g), Number(b), Number(a)];
    };
    const over = (top: RGBA, below: RGBA): RGBA => {
      const a = top[3];
      return [top[0] * a + below[0] * (1 - a), top[1] * a + below[1] * (1 - a), top[2] * a + below[2] * (1 - a), 1];
    };
    const luminance = (c: RGBA): number => {
      const lin = (v: number) => {
        const s = v / 255;
        return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
    };
    const ratio = (a: RGBA, b: RGBA): number => {
      const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (l1 + 0.05) / (l2 + 0.05);
    };
    const hex = (c: RGBA) => `#${c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

    /** The product of `opacity` from the element up to the page. */
    const opacityOf = (el: Element): number => {
      let product = 1;
      for (let node: Element | null = el; node; node = node.parentElement) product *= Number(getComputedStyle(node).opacity);
      return product;
    };
    /** HTML backgrounds from the page down to the element, each painted over the one below. */
    const htmlBackdrop = (el: Element): RGBA => {
      const chain: Element[] = [];
      for (let node: Element | null = el; node; node = node.parentElement) chain.unshift(node);
      let colour: RGBA = [255, 255, 255, 1];
      for (const node of chain) {
        if (node instanceof SVGElement) continue;
        const bg = parse(getComputedStyle(node).backgroundColor);
        if (bg && bg[3] > 0) colour = over(bg, colour);
      }
      return colour;
    };
    /** A shape's fill as painted over the HTML behind it. */
    const shapeFill = (shape: Element): RGBA => {
      const style = getComputedStyle(shape);
      const base = htmlBackdrop(shape);
      const fill = parse(style.fill);
      if (!fill) return base;
      return over([fill[0], fill[1], fill[2], fill[3] * Number(style.fillOpacity) * opacityOf(shape)], base);
    };
    /** What lies behind an element: the box it is written in (state box, header box, idle band) or the page. */
    const backdrop = (el: Element): RGBA => {
      const group = el.closest('.state, .header, .gap');
      const shape = group?.querySelector(':scope > .state-box, :scope > .header-box, :scope > .gap-band');
      if (shape && (el.classList.contains('state-text') || el.closest('.header') || el.classList.contains('gap-text'))) return shapeFill(shape);
      // The mark of the expectation a step landed on lies on the band across its row.
      const band = document.querySelector('#canvas .now-band');
      if (band && el.closest('.expect.current') && getComputedStyle(band).visibility !== 'hidden') return shapeFill(band);
      return htmlBackdrop(el);
    };

    const out: { name: string; ratio: number; fg: string; bg: string; what: string }[] = [];
    for (const probe of list) {
      for (const el of Array.from(document.querySelectorAll(probe.selector))) {
        if (el.getClientRects().length === 0) continue;
        const style = getComputedStyle(el);
        if (style.visibility === 'hidden' || style.display === 'none') continue;
        let paint: RGBA | undefined;
        let alpha = 1;
        if (probe.paint === 'color') {
          paint = parse(el instanceof SVGElement ? style.fill : style.color);
          alpha = el instanceof SVGElement ? Number(style.fillOpacity) * opacityOf(el) : 1;
        } else if (probe.paint === 'fill') {
          paint = parse(style.fill);
          alpha = Number(style.fillOpacity) * opacityOf(el);
        } else if (probe.paint === 'stroke') {
          if (el instanceof SVGElement) {
            paint = parse(style.stroke);
            alpha = Number(style.strokeOpacity) * opacityOf(el);
          } else {
            // An HTML control's border: none at all counts as invisible.
            paint = style.borderTopStyle === 'none' || parseFloat(style.borderTopWidth) === 0 ? [0, 0, 0, 0] : parse(style.borderTopColor);
          }
        } else {
          if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) === 0) continue;
          paint = parse(style.outlineColor);
        }
        if (!paint || paint[3] * alpha === 0) {
          out.push({ name: probe.name, ratio: 1, fg: 'none', bg: '', what: el.getAttribute('class') ?? el.tagName });
          continue;
        }
        // A focus ring and a border lie around the element, over what is behind it.
        const behind = probe.paint === 'outline' || (probe.paint === 'stroke' && !(el instanceof SVGElement)) ? htmlBackdrop(el.parentElement ?? el) : backdrop(el);
        const fg = over([paint[0], paint[1], paint[2], paint[3] * alpha], behind);
        out.push({ name: probe.name, ratio: ratio(fg, behind), fg: hex(fg), bg: hex(behind), what: (el.textContent ?? '').trim().slice(0, 30) || (el.getAttribute('class') ?? el.tagName) });
      }
    }
    return out;
  }, probes);
}

/** The lowest ratio per probe name (the element that does worst). */
export function worst(measured: Measured[]): Map<string, Measured> {
  const result = new Map<string, Measured>();
  for (const m of measured) {
    const seen = result.get(m.name);
    if (!seen || m.ratio < seen.ratio) result.set(m.name, m);
  }
  return result;
}
