// What a diagram can draw of a long trace: its first DIAGRAM_MAX_EVENTS events, then a note that
// says the rest is not drawn, or that a limit cut the run. The note is an ordinary `note` event,
// so the SVG, the PNG, Mermaid and the webview all show it where the drawing stops.

import type { NoteEvent, RunLimit, TraceEvent } from '../engine/trace';

/** The note's English template (the l10n key in VS Code): {0} events drawn, {1} events in all. */
export const DIAGRAM_TRUNCATED = 'the diagram shows the first {0} of {1} events; the rest is not drawn';

/** Fills {0}, {1}... (English; VS Code passes its own translating `t`). */
export function fill(template: string, args: readonly (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (match, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : match));
}

/** 1,000,000. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * Beyond this the model takes seconds and hundreds of MB, and nobody reads a ladder that long. A
 * run of 10,000 segments (a bulk transfer, 27,000 events; small sends, 40,000) fits.
 */
export const DIAGRAM_MAX_EVENTS = 50_000;

export interface Drawable {
  events: TraceEvent[];
  /** The note added at the end, if any (also the last of `events`). */
  note?: string;
}

/** `events`, cut to `max` and ended by a note when cut here or by a run limit (`t` translates the note). */
export function drawableEvents(
  events: readonly TraceEvent[],
  limit?: RunLimit,
  max = DIAGRAM_MAX_EVENTS,
  t: (template: string, args: readonly (string | number)[]) => string = fill,
): Drawable {
  const cut = events.length > max;
  if (!cut && !limit) return { events: events as TraceEvent[] };
  const shown = cut ? events.slice(0, max) : [...events];
  const messages: string[] = [];
  if (cut) messages.push(t(DIAGRAM_TRUNCATED, [formatCount(max), formatCount(events.length)]));
  if (limit) messages.push(limit.message);
  const note = messages.join('; ');
  const last = shown[shown.length - 1];
  const event: NoteEvent = { t: last?.t ?? 0, kind: 'note', message: note };
  shown.push(event);
  return { events: shown, note };
}
