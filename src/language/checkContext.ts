// What every part of the checker shares: where diagnostics go, the endpoints declared so far,
// and the checks several statements make (a name that must be a declared endpoint, a value read
// with its problem reported, an unknown key with the closest known one, a key given twice).

import type { EndpointStatement, Name, OptionNode } from './ast';
import { diagnostic, replaceFix, type Diagnostic, type Fix, type Range, type Severity } from './diagnostic';
import { MESSAGES, type MessageSpec } from './messages';
import type { Read } from './semantics';
import { closest } from './suggest';

export class CheckContext {
  protected readonly diagnostics: Diagnostic[] = [];
  /** Where `report` writes: `diagnostics`, or the checker's list for time while time is checked. */
  protected sink: Diagnostic[] = this.diagnostics;
  readonly endpoints = new Map<string, EndpointStatement>();
  /** Endpoints declared `raw`. */
  readonly raw = new Set<string>();

  report(severity: Severity, spec: MessageSpec, args: string[], range: Range, fixes?: Fix[]): void {
    this.sink.push(diagnostic(range, severity, spec.code, spec.template, args, fixes));
  }

  replaceFix(range: Range, replacement: string): Fix[] {
    return [replaceFix(range, replacement)];
  }

  reportRead<T>(read: Read<T>, range: Range): T | undefined {
    if (read.ok) return read.value;
    const fixes = read.problem.spec === MESSAGES.missingUnit ? this.replaceFix(range, `${read.problem.args[0]}ms`) : undefined;
    this.report('error', read.problem.spec, read.problem.args, range, fixes);
    return undefined;
  }

  unknownKey(key: Name, candidates: readonly string[], withSuggestion: MessageSpec, without: MessageSpec, context: string[]): void {
    const suggestion = closest(key.text, candidates);
    if (suggestion) this.report('error', withSuggestion, [key.text, ...context, suggestion], key.range, this.replaceFix(key.range, suggestion));
    else this.report('error', without, [key.text, ...context, candidates.join(', ')], key.range);
  }

  duplicateOptions(options: OptionNode[]): void {
    if (options.length < 2) return;
    const seen = new Set<string>();
    for (const option of options) {
      const key = option.key.text.toLowerCase();
      if (seen.has(key)) this.report('warning', MESSAGES.duplicateOption, [option.key.text], option.key.range);
      seen.add(key);
    }
  }

  reference(name: Name | undefined): boolean {
    if (!name) return false;
    if (this.endpoints.has(name.text)) return true;
    const suggestion = closest(name.text, this.endpoints.keys());
    if (suggestion) {
      this.report('error', MESSAGES.undeclaredEndpoint, [name.text, suggestion], name.range, this.replaceFix(name.range, suggestion));
    } else {
      this.report('error', MESSAGES.undeclaredEndpointNoSuggestion, [name.text], name.range);
    }
    return false;
  }
}
