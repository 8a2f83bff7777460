// The parts of the diagram panel's host that need no VS Code API (so they are tested
// without it): the page with its Content-Security-Policy, nonces, and the host's copy of
// the trace that `tcpTrace` events update (traceStore.ts, the webview's too).

import { RULES } from '../engine/rules';
import type { RuleInfo } from '../engine/trace';
import { escapeXml } from './format';
import { LADDER_TEMPLATES, LEGEND_TEXT } from './labels';
import { diagramTemplates } from './words';

export { TraceStore } from './traceStore';

export interface PageOptions {
  /** The webview's `cspSource` (where local resources come from). */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  /** Panel language for <html lang>. */
  lang?: string;
  title: string;
  /** Extra script (test harness) loaded before the main one, with the same nonce. */
  preludeUri?: string;
  /** Localized user-visible strings for the page (key -> text); English defaults otherwise. */
  strings?: Record<string, string>;
  /** The diagram's templates (words.ts) in the panel's language: English template -> translation. */
  words?: Record<string, string>;
  /** Every rule of the engine by id, its summary in the panel's language (the hovers' "why"). */
  rules?: Record<string, RuleInfo>;
}

/**
 * What the page says in the panel's language, from a lookup of English templates (the host's
 * vscode.l10n, a test's bundle): the diagram's words and every rule with its summary said.
 * Placeholders stay in the translations; the page fills them.
 */
export function pageVoice(lookup: (english: string) => string): Required<Pick<PageOptions, 'words' | 'rules'>> {
  const words: Record<string, string> = {};
  for (const template of diagramTemplates([...Object.values(LEGEND_TEXT), ...LADDER_TEMPLATES])) {
    const said = lookup(template);
    if (said !== template) words[template] = said;
  }
  const rules: Record<string, RuleInfo> = {};
  for (const [id, rule] of Object.entries(RULES as Readonly<Record<string, RuleInfo>>)) rules[id] = { ...rule, summary: lookup(rule.summary) };
  return { words, rules };
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `img-src ${cspSource} data:`, `style-src ${cspSource}`, `font-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
}

/** The webview page: no inline script or style, every dynamic value escaped. */
export function buildHtml(options: PageOptions): string {
  const csp = contentSecurityPolicy(options.cspSource, options.nonce);
  const attr = escapeXml;
  const prelude = options.preludeUri ? `\n  <script nonce="${attr(options.nonce)}" src="${attr(options.preludeUri)}"></script>` : '';
  return `<!DOCTYPE html>
<html lang="${attr(options.lang ?? 'en')}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${attr(options.styleUri)}">
  <title>${attr(options.title)}</title>
</head>
<body>
  <div id="app" data-strings="${attr(JSON.stringify(options.strings ?? {}))}" data-words="${attr(JSON.stringify(options.words ?? {}))}" data-rules="${attr(JSON.stringify(options.rules ?? {}))}"></div>${prelude}
  <script nonce="${attr(options.nonce)}" src="${attr(options.scriptUri)}"></script>
</body>
</html>
`;
}

/** 32 random alphanumerics from the platform's crypto (nonces must not be guessable). */
export function makeNonce(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

/** What the webview keeps with `setState` and the serializer gets back after a reload. */
export interface PanelState {
  relative?: boolean;
  zoom?: number;
  scrollTop?: number;
  scrollLeft?: number;
  /** The scenario document the panel showed (a URI string), so the host can re-run it. */
  documentUri?: string;
}

export function isPanelState(x: unknown): x is PanelState {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Record<string, unknown>;
  return (
    (s.relative === undefined || typeof s.relative === 'boolean') &&
    (s.zoom === undefined || typeof s.zoom === 'number') &&
    (s.documentUri === undefined || typeof s.documentUri === 'string')
  );
}
