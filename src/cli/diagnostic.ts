// How the CLI prints a diagnostic, shared by check/run/trace (main.ts) and import (import.ts) in a
// module of its own, so that neither command imports the other.

import type { Diagnostic } from '../language/index';
import { ENGLISH, type Translator } from '../text/translate';
import type { Paint } from './terminal';

/** `FILE:LINE:COL: error: message [code]`: the prefix and the code stay English (tools read them), the message is translated. */
export function formatDiagnostic(file: string, d: Diagnostic, paint: Paint, tr: Translator = ENGLISH): string {
  const severity = d.severity === 'error' ? paint('red', 'error') : d.severity === 'warning' ? paint('yellow', 'warning') : paint('cyan', 'info');
  return `${paint('bold', `${file}:${d.range.line}:${d.range.column}`)}: ${severity}: ${tr.message({ template: d.template, args: d.args })} [${d.code}]`;
}
