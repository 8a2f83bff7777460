// Around the drawing: the toolbar's title and toggles, the legend strip, the empty/error text.

import { cleanText } from '../src/diagram/format';
import { legendNodes, legendWidth, SVG_NS } from '../src/diagram/svg';
import { h, setAttr, setText, toDom } from './dom';
import { page, say, t } from './page';
import { state } from './state';

const { titleEl, relativeButton, windowButton, legend, legendButton, empty, notice } = page;

/** The legend's entries as last drawn (the strip is made again only when they change, and only while it is open). */
let legendKey: string | undefined;

/** Title, toggles, legend and empty text for the model as it is. */
export function updateChrome(): void {
  const { scenario } = state.store;
  setText(titleEl, cleanText(scenario ?? ''));
  if (titleEl.title !== (scenario ?? '')) titleEl.title = scenario ?? '';
  setAttr(relativeButton, 'aria-pressed', String(state.relative));
  setAttr(windowButton, 'aria-pressed', String(state.windowLabels));
  buildLegend();
  updateEmpty();
  updateNotice();
}

/** The start the notice says (formatting a number costs more than the rest of a step's chrome). */
let noticeStart = -1;

/** A window of a long run says where the drawing starts (the events before it are not drawn). */
function updateNotice(): void {
  const start = state.model ? state.base : 0;
  if (start === noticeStart) return;
  noticeStart = start;
  setText(notice, start > 0 ? t('earlierNotDrawn').replace(/\{0\}/g, start.toLocaleString()) : '');
  notice.classList.toggle('hidden', start === 0);
}

export function updateEmpty(): void {
  const { errorText, model } = state;
  const text = errorText ?? (model ? undefined : t('empty'));
  setText(empty, cleanText(text ?? ''));
  empty.classList.toggle('hidden', text === undefined);
  empty.classList.toggle('error', errorText !== undefined);
}

/** Opens or closes the legend strip as `state.legendOpen` says. */
export function showLegend(): void {
  const open = state.legendOpen;
  legend.classList.toggle('hidden', !open);
  legendButton.setAttribute('aria-pressed', String(open));
  buildLegend();
}

/**
 * Made while the strip is open, and when it opens: its entries follow what the diagram draws,
 * which changes at about every other debugger step (a timer pending or not).
 */
function buildLegend(): void {
  if (!state.legendOpen) return;
  const entries = state.model?.legend ?? [];
  const key = entries.map((e) => e.mark).join(',');
  if (key === legendKey) return;
  legendKey = key;
  legend.replaceChildren();
  if (entries.length === 0) {
    legend.classList.add('none');
    return;
  }
  legend.classList.remove('none');
  const heading = h('div', 'legend-title');
  heading.textContent = t('legend');
  // One small picture per entry; the entries wrap into as many columns as the panel's width allows.
  const list = h('div', 'legend-entries');
  for (const entry of entries) {
    const sample = document.createElementNS(SVG_NS, 'svg');
    sample.setAttribute('width', String(legendWidth([entry], say)));
    sample.setAttribute('height', '20');
    for (const node of legendNodes([entry], 4, 10, say)) sample.appendChild(toDom(node));
    list.append(sample);
  }
  legend.append(heading, list);
}
