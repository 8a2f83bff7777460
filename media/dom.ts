// Small DOM helpers of the webview. No innerHTML anywhere: every scenario string reaches the
// page through textContent or setAttribute.

import { SVG_NS, type SvgNode } from '../src/diagram/svg';

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  return element;
}

export function button(title: string, text: string): HTMLButtonElement {
  const b = h('button', 'tool');
  b.type = 'button';
  b.title = title;
  b.setAttribute('aria-label', title);
  b.textContent = text;
  return b;
}

/** Sets an element's text only when it changes (a new text node means layout again, at every step). */
export function setText(element: Element, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

/** Sets an attribute only when it changes. */
export function setAttr(element: Element, name: string, value: string): void {
  if (element.getAttribute(name) !== value) element.setAttribute(name, value);
}

/** Sets a style property only when it changes. */
export function setStyle(element: HTMLElement | SVGElement, name: 'top' | 'width' | 'height' | 'marginTop' | 'transform', value: string): void {
  if (element.style[name] !== value) element.style[name] = value;
}

export function svgGroup(className: string): SVGGElement {
  const g = document.createElementNS(SVG_NS, 'g');
  g.setAttribute('class', className);
  return g;
}

/** Attributes never written from a drawing (event handlers, inline style). */
const unsafe = (name: string) => /^on/i.test(name) || name === 'style';

export function toDom(node: SvgNode): SVGElement {
  const element = document.createElementNS(SVG_NS, node.tag);
  for (const [k, v] of Object.entries(node.attrs)) {
    if (unsafe(k)) continue;
    element.setAttribute(k, String(v));
  }
  if (node.text !== undefined) element.textContent = node.text;
  for (const child of node.children ?? []) element.appendChild(toDom(child));
  return element;
}

/** How alike two drawings are, from least to most: other elements, the same elements (tags, children, which have a text), the same drawing (attributes and texts too). */
export const Likeness = { Other: 0, Shape: 1, Same: 2 } as const;
export type Likeness = (typeof Likeness)[keyof typeof Likeness];

/** One walk of both drawings (no markup is built to compare). */
export function likeness(a: SvgNode, b: SvgNode): Likeness {
  if (a.tag !== b.tag || (a.text === undefined) !== (b.text === undefined)) return Likeness.Other;
  const ac = a.children ?? [];
  const bc = b.children ?? [];
  if (ac.length !== bc.length) return Likeness.Other;
  let result: Likeness = a.text === b.text && sameAttrs(a.attrs, b.attrs) ? Likeness.Same : Likeness.Shape;
  for (let i = 0; i < ac.length; i++) {
    const child = likeness(ac[i], bc[i]);
    if (child === Likeness.Other) return Likeness.Other;
    if (child < result) result = child;
  }
  return result;
}

function sameAttrs(a: SvgNode['attrs'], b: SvgNode['attrs']): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * Makes `element`, made from `from` (toDom), show `to`, of the same shape (likeness at least
 * Likeness.Shape), by writing only the attributes and texts that differ. A timer bar that grows at a
 * step keeps its elements (its label is not made and shaped again, nothing is added to the layout
 * tree). Attributes that are not the drawing's (tabindex, role, the `current` class added after)
 * stay, unless the drawing's own value of that attribute changed.
 */
export function patchDom(element: Element, from: SvgNode, to: SvgNode): void {
  for (const k of Object.keys(from.attrs)) if (!(k in to.attrs) && !unsafe(k)) element.removeAttribute(k);
  for (const [k, v] of Object.entries(to.attrs)) if (!unsafe(k) && from.attrs[k] !== v) element.setAttribute(k, String(v));
  if (to.text !== undefined && to.text !== from.text) element.textContent = to.text;
  const children = to.children ?? [];
  for (let i = 0; i < children.length; i++) patchDom(element.children[i], from.children![i], children[i]);
}
