// Small text helpers shared by the diagram model, the SVG and Mermaid writers and the webview.

// Characters that scenario text must not carry into SVG, PNG, Mermaid or the webview: those XML
// 1.0 forbids (C0 controls but tab, newline and return; U+FFFE, U+FFFF; lone surrogates), DEL and
// the C1 controls (invisible), and the bidirectional embeddings, overrides and isolates
// (U+202A-202E, U+2066-2069), which would reorder the text around them ("Trojan Source").
// eslint-disable-next-line no-control-regex -- control characters are what this finds
const UNSAFE_TEST = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]/;
// eslint-disable-next-line no-control-regex -- as above, with surrogates only when unpaired
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Scenario text made safe to show: a C0 control becomes its visible symbol (NUL -> U+2400),
 * other controls and non-characters U+FFFD, and bidirectional controls are removed, so the text
 * reads in the order it was written.
 */
export function cleanText(text: string): string {
  if (!UNSAFE_TEST.test(text)) return text;
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) return '';
    return '\ufffd';
  });
}

/** Escapes text for XML content and attribute values (both quote kinds); unsafe characters are cleaned first. */
export function escapeXml(text: string): string {
  const clean = cleanText(text);
  return NEEDS_ESCAPE.test(clean) ? clean.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c) : clean;
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
