// Small text helpers shared by the diagram model, the SVG and Mermaid writers and the webview.

/** A duration in ms as people read it: "0.5 ms", "10 ms", "1.5 s", "4 min", "1 min 30 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const abs = Math.abs(ms);
  if (abs < 1000) return `${trim(ms, 3)} ms`;
  if (abs < 60_000) return `${trim(ms / 1000, 3)} s`;
  const minutes = Math.trunc(ms / 60_000);
  const rest = ms - minutes * 60_000;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${trim(rest / 1000, 3)} s`;
}

/** A point in virtual time (ms since the start of the run), compact: "125 ms", "241.125 s". */
export function formatTime(ms: number): string {
  return Math.abs(ms) < 1000 ? `${trim(ms, 3)} ms` : `${trim(ms / 1000, 3)} s`;
}

function trim(value: number, decimals: number): string {
  return String(Number(value.toFixed(decimals)));
}

/** Escapes text for XML content and attribute values (both quote kinds). */
export function escapeXml(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c) : text;
}

const NEEDS_ESCAPE = /[&<>"']/;

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Rough text width in px for layout (the SVG is drawn before any font is known). */
export function textWidth(text: string, fontPx: number): number {
  let units = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    // CJK and other wide characters take about a full em.
    units += code >= 0x1100 ? 1 : 0.62;
  }
  return units * fontPx;
}
