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

/** The same drawing: tags, attributes, texts and children alike (no markup is built to compare). */
export function sameNode(a: SvgNode, b: SvgNode): boolean {
  if (a.tag !== b.tag || a.text !== b.text) return false;
  const keys = Object.keys(a.attrs);
  if (keys.length !== Object.keys(b.attrs).length) return false;
  for (const k of keys) if (a.attrs[k] !== b.attrs[k]) return false;
  const ac = a.children ?? [];
  const bc = b.children ?? [];
  if (ac.length !== bc.length) return false;
  for (let i = 0; i < ac.length; i++) if (!sameNode(ac[i], bc[i])) return false;
  return true;
}

/** The same elements: tags, children and whether each has a text alike (attributes and texts may differ). */
function sameShape(a: SvgNode, b: SvgNode): boolean {
  if (a.tag !== b.tag || (a.text === undefined) !== (b.text === undefined)) return false;
  const ac = a.children ?? [];
  const bc = b.children ?? [];
  if (ac.length !== bc.length) return false;
  for (let i = 0; i < ac.length; i++) if (!sameShape(ac[i], bc[i])) return false;
  return true;
}

/**
 * Makes `element`, made from `from` (toDom), show `to` by writing only the attributes and texts that
 * differ, when the two have the same shape; false (nothing written) when they do not. A timer bar that
 * grows at a step keeps its elements (its label is not made and shaped again, nothing is added to
 * the layout tree). Attributes that are not the drawing's (tabindex, role, the `current` class added
 * after) stay, unless the drawing's own value of that attribute changed.
 */
export function patchDom(element: Element, from: SvgNode, to: SvgNode): boolean {
  if (!sameShape(from, to)) return false;
  write(element, from, to);
  return true;
}

function write(element: Element, from: SvgNode, to: SvgNode): void {
  for (const k of Object.keys(from.attrs)) if (!(k in to.attrs) && !unsafe(k)) element.removeAttribute(k);
  for (const [k, v] of Object.entries(to.attrs)) if (!unsafe(k) && from.attrs[k] !== v) element.setAttribute(k, String(v));
  if (to.text !== undefined && to.text !== from.text) element.textContent = to.text;
  const children = to.children ?? [];
  for (let i = 0; i < children.length; i++) write(element.children[i], from.children![i], children[i]);
}
