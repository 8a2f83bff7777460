// Why an event happened: the rule the engine applied (src/engine/rules.ts, the trace's `rule`), or
// the scenario line that caused it. The debugger's stop descriptions and "why" node, the ladder's
// --explain, the "Why?" quick pick and the diagram's hovers all read it from here; each layer
// translates the summary (the English summary is the l10n key).

import { RULES } from '../engine/rules';
import type { RuleInfo, TraceEvent } from '../engine/trace';

export type Explanation = { kind: 'rule'; id: string; rule: RuleInfo } | { kind: 'line'; line: number };

/** A rule by id: the trace document's table first (it travels with the trace), else the engine's registry. */
export function ruleInfo(id: string, table?: Readonly<Record<string, RuleInfo>>): RuleInfo | undefined {
  const all = RULES as Readonly<Record<string, RuleInfo>>;
  return (table && Object.hasOwn(table, id) ? table[id] : undefined) ?? (Object.hasOwn(all, id) ? all[id] : undefined);
}

/** What explains an event: its rule when the engine made it for a reason of TCP's, else its scenario line. */
export function explain(event: Pick<TraceEvent, 'rule' | 'line'>, table?: Readonly<Record<string, RuleInfo>>): Explanation | undefined {
  if (event.rule !== undefined) {
    const rule = ruleInfo(event.rule, table);
    if (rule) return { kind: 'rule', id: event.rule, rule };
  }
  return event.line !== undefined ? { kind: 'line', line: event.line } : undefined;
}

/** The English summaries of every rule of the registry: l10n keys (test/service/l10nKeys.ts checks their translations). */
export function ruleSummaries(): string[] {
  return Object.values(RULES as Readonly<Record<string, RuleInfo>>).map((rule) => rule.summary);
}

export interface RuleUse {
  id: string;
  rule: RuleInfo;
  /** How many events of the trace name it. */
  count: number;
  /** Trace index of the first of them. */
  first: number;
  /** The scenario line nearest before that event (its own, else the last event's that had one), for a reveal without a debugger. */
  line?: number;
}

/** The rules a trace used, in order of first use, with counts: the "Why?" index of a scenario. */
export function ruleUses(events: readonly TraceEvent[], table?: Readonly<Record<string, RuleInfo>>): RuleUse[] {
  const uses = new Map<string, RuleUse>();
  let line: number | undefined;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (event.line !== undefined) line = event.line;
    const id = event.rule;
    if (id === undefined) continue;
    const use = uses.get(id);
    if (use) {
      use.count++;
      continue;
    }
    const rule = ruleInfo(id, table);
    if (rule) uses.set(id, { id, rule, count: 1, first: i, ...(line !== undefined ? { line } : {}) });
  }
  return [...uses.values()];
}
