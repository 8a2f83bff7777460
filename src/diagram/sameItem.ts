// Whether a laid-out item is the same as the one placed before (pure): the builder then keeps
// the old object, so the page, which compares items by identity, redraws nothing for it.

import type { DiagramItem } from './types';

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => v === b[i]);
  // { x, y } of a cross.
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = Object.keys(ra);
  return keys.length === Object.keys(rb).length && keys.every((k) => ra[k] === rb[k]);
}

/** Two items draw the same (so the first one is kept, and nothing on the page changes). */
export function sameItem(a: DiagramItem, b: DiagramItem): boolean {
  if (a.kind !== b.kind) return false;
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  const keys = Object.keys(ra);
  if (keys.length !== Object.keys(rb).length) return false;
  for (const k of keys) if (!sameValue(ra[k], rb[k])) return false;
  return true;
}
