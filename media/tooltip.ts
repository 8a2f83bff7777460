// Hover and keyboard focus on an item show all of its fields.

import type { RuleInfo } from '../src/engine/trace';
import { ruleFields } from '../src/diagram/fields';
import { cleanText } from '../src/diagram/format';
import { itemFields, type DiagramItem } from '../src/diagram/model';
import { h } from './dom';
import { page, ruleOf, say, t } from './page';
import { state } from './state';

const { tooltip, main } = page;
let tooltipKey: string | undefined;

export function showTooltip(item: DiagramItem, clientX: number, clientY: number): void {
  showRows(
    item.key,
    () => [...itemFields(item, state, say).map(([name, value]) => fieldRow(name, value)), ...ruleFields(itemRules(item), say).map(([name, value]) => fieldRow(name, value, name === say('link')))],
    item.line !== undefined,
    clientX,
    clientY,
  );
}

/** A tooltip of rows, made again only when `key` changes; `hint`: a click reveals the scenario line. */
export function showRows(key: string, rows: () => HTMLElement[], hint: boolean, clientX: number, clientY: number): void {
  if (tooltipKey !== key) {
    tooltipKey = key;
    tooltip.replaceChildren();
    const table = h('table', '');
    table.append(...rows());
    tooltip.append(table);
    if (hint) {
      const text = h('div', 'hint');
      text.textContent = t('clickToReveal');
      tooltip.append(text);
    }
    tooltip.dataset.item = key;
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

/** A row of the table: every text set as text (never markup); a link is one only when it is https. */
export function fieldRow(name: string, value: string, link = false): HTMLElement {
  const row = h('tr', '');
  const th = h('th', '');
  th.textContent = cleanText(name);
  const td = h('td', '');
  if (link && value.startsWith('https://')) {
    const a = document.createElement('a');
    a.href = value;
    a.textContent = cleanText(value);
    td.append(a);
  } else {
    td.textContent = cleanText(value);
  }
  row.append(th, td);
  return row;
}

/** The rules the item's events name (a send, its drop, a state change), in order, each once. */
function itemRules(item: DiagramItem): RuleInfo[] {
  const rules: RuleInfo[] = [];
  const seen = new Set<string>();
  const events = state.store.all;
  for (const index of item.events) {
    const id = events[index + state.base - state.store.offset]?.rule;
    if (id === undefined || seen.has(id)) continue;
    seen.add(id);
    const rule = ruleOf(id);
    if (rule) rules.push(rule);
  }
  return rules;
}

export function hideTooltip(): void {
  // Adding a class it has still writes the attribute (a mutation at every scroll).
  if (!tooltip.classList.contains('hidden')) tooltip.classList.add('hidden');
  tooltipKey = undefined;
}
