// Diagnostics: what the parser and the checker report. Pure data, shared by the CLI
// (printed as FILE:LINE:COL) and the editor (localized through the message template).

export type Severity = 'error' | 'warning' | 'info';

export interface Range {
  /** 1-based line. */
  line: number;
  /** 1-based column, counted in UTF-16 code units (what VS Code counts). */
  column: number;
  /** Length in UTF-16 code units (at least 1 where there is text to underline). */
  length: number;
}

export interface Fix {
  /** Short title for a quick fix, e.g. "Change to 'TIME-WAIT'" (English). */
  title: string;
  /** The title's l10n template ("Change to '{0}'") and arguments, for the editor to translate. */
  template?: string;
  args?: string[];
  range: Range;
  replacement: string;
}

/** A quick fix that replaces `range` with `replacement`, titled "Change to '...'" (or "Remove '...'" for an empty replacement). */
export function replaceFix(range: Range, replacement: string, removed?: string): Fix {
  const template = replacement === '' ? "Remove '{0}'" : "Change to '{0}'";
  const args = [replacement === '' ? (removed ?? '') : replacement];
  return { title: formatTemplate(template, args), template, args, range, replacement };
}

export interface Diagnostic {
  range: Range;
  severity: Severity;
  /** Stable code, e.g. "unknown-state". */
  code: string;
  /** English text with {0}, {1}... placeholders: the l10n key the editor translates. */
  template: string;
  args: string[];
  /** English text, the template with its arguments filled in. */
  message: string;
  fixes?: Fix[];
}

export function formatTemplate(template: string, args: readonly string[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => args[Number(index)] ?? whole);
}

export function diagnostic(
  range: Range,
  severity: Severity,
  code: string,
  template: string,
  args: string[] = [],
  fixes?: Fix[],
): Diagnostic {
  return { range, severity, code, template, args, message: formatTemplate(template, args), fixes };
}
