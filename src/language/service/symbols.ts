// Document symbols (the Outline): the scenario, its settings, endpoints and links, and the
// timeline grouped by time (`@0`, `@50ms`...), each statement under the time it runs at.

import type { Statement } from '../ast';
import type { Range } from '../diagnostic';
import { buildModel, lineOf, timeLabel, type Position, type ScenarioModel } from './model';

export type SymbolKind = 'scenario' | 'setting' | 'endpoint' | 'link' | 'time' | 'action' | 'fault' | 'inject' | 'expect' | 'wait' | 'end';

/** A span over one or more lines; `end` is exclusive. */
export interface Span {
  start: Position;
  end: Position;
}

export interface ScenarioSymbol {
  name: string;
  detail: string;
  kind: SymbolKind;
  /** The whole construct: a statement's line, a time group's lines, the whole file for the scenario. */
  span: Span;
  /** What to highlight when the symbol is picked (the name, the keyword, or the time). */
  selection: Span;
  /** A time group after a wait: its name's l10n template and arguments (`wait (line {0}) + {1}`). */
  text?: { template: string; args: string[] };
  children: ScenarioSymbol[];
}

export function spanOf(range: Range): Span {
  return { start: { line: range.line, column: range.column }, end: { line: range.line, column: range.column + range.length } };
}

export function documentSymbols(source: string | ScenarioModel): ScenarioSymbol[] {
  const model = typeof source === 'string' ? buildModel(source) : source;
  const top: ScenarioSymbol[] = [];
  let scenario: ScenarioSymbol | undefined;
  let group: ScenarioSymbol | undefined;
  let groupTime: string | undefined;
  const textOf = (node: { offset: number; range: Range }) => model.text.slice(node.offset, node.offset + node.range.length);
  const lineSpan = (statement: Statement): Span => {
    const text = lineOf(model, statement.line);
    return { start: { line: statement.line, column: 1 }, end: { line: statement.line, column: text.length + 1 } };
  };

  for (const [index, statement] of model.ast.statements.entries()) {
    const whole = textOf(statement).trim();
    const make = (name: string, kind: SymbolKind, selection: Range, detail = ''): ScenarioSymbol => ({
      name: name.trim() || whole || kind,
      detail,
      kind,
      span: lineSpan(statement),
      selection: spanOf(selection),
      children: [],
    });
    const container = () => scenario?.children ?? top;
    switch (statement.kind) {
      case 'scenario': {
        const lastLine = model.ast.lineCount;
        scenario = make(statement.title?.string ?? 'scenario', 'scenario', statement.keyword.range);
        scenario.span = { start: { line: 1, column: 1 }, end: { line: lastLine, column: lineOf(model, lastLine).length + 1 } };
        top.push(scenario);
        break;
      }
      case 'profile':
        container().push(make(`profile ${statement.profile?.text ?? ''}`, 'setting', statement.keyword.range));
        break;
      case 'set':
        container().push(make(statement.options.map(textOf).join(' '), 'setting', statement.keyword.range, 'set'));
        break;
      case 'endpoint':
        if (statement.name) {
          const detail = [statement.address?.text, ...statement.options.map(textOf)].filter(Boolean).join(' ');
          container().push(make(statement.name.text, 'endpoint', statement.name.range, detail));
        }
        break;
      case 'link':
        container().push(make(`${statement.a?.text ?? '?'} <-> ${statement.b?.text ?? '?'}`, 'link', statement.keyword.range, statement.options.map(textOf).join(' ')));
        break;
      case 'end':
        container().push(make(whole, 'end', statement.keyword.range));
        break;
      default: {
        // After a wait the time is the wait's end plus an offset (or at the earliest some time).
        const label = timeLabel(model, index);
        const at = label?.label ?? '@0';
        const selection = statement.time?.range ?? { line: statement.line, column: statement.range.column, length: statement.range.length };
        if (!group || groupTime !== at) {
          group = make(at, 'time', selection);
          if (label?.text) group.text = label.text;
          groupTime = at;
          container().push(group);
        }
        group.span = { start: group.span.start, end: lineSpan(statement).end };
        const body = statement.time ? model.text.slice(statement.time.offset + statement.time.range.length, statement.offset + statement.range.length) : whole;
        group.children.push(make(body, statement.kind, selection));
        break;
      }
    }
  }
  return top;
}
