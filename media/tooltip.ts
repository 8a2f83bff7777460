// Hover and keyboard focus on an item show all of its fields.

import { cleanText } from '../src/diagram/format';
import { itemFields, type DiagramItem } from '../src/diagram/model';
import { h } from './dom';
import { page, t } from './page';
import { state } from './state';

const { tooltip, main } = page;
let tooltipKey: string | undefined;

export function showTooltip(item: DiagramItem, clientX: number, clientY: number): void {
  if (tooltipKey !== item.key) {
    tooltipKey = item.key;
    tooltip.replaceChildren();
    const table = h('table', '');
    for (const [name, value] of itemFields(item, state)) {
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

export function hideTooltip(): void {
  tooltip.classList.add('hidden');
  tooltipKey = undefined;
}
