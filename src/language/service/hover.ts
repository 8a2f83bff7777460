// Hover help: what is under the cursor (a state, a flag, a statement word, an endpoint, an
// option, a time) and the English text to show. Text is returned as l10n keys with
// arguments; the VS Code layer translates and renders it.

import type { EndpointStatement, Name, OptionNode, Statement } from '../ast';
import type { Range } from '../diagnostic';
import type { TcpState } from '../../engine/trace';
import { formatDuration } from '../values';
import { findSetting, normalizeFlag, normalizeState, PROFILES } from '../vocabulary';
import { FLAG_HELP, HOVER_PHRASES, OPTION_HELP, PROFILE_HELP, STATE_HELP, STATEMENT_HELP } from './help';
import { buildModel, contains, lineOf, referenceAt, wordAt, type Position, type ScenarioModel } from './model';

export interface Localizable {
  template: string;
  args: string[];
}

export type HoverKind = 'state' | 'flag' | 'statement' | 'endpoint' | 'profile' | 'option' | 'setting' | 'time';

export interface HoverContent {
  kind: HoverKind;
  range: Range;
  /** Shown as code, never translated: `TIME-WAIT`, `client`, `msl`. */
  heading: string;
  paragraphs: Localizable[];
  /** States only: how an endpoint gets in and out, and where the RFC says so. */
  entered?: Localizable[];
  left?: Localizable[];
  rfcSections?: string[];
  /** States only: what "Break on this state" passes to `tcpscenario.breakOnState`. */
  breakOnState?: { state: TcpState; endpoint?: string };
}

const text = (template: string, ...args: string[]): Localizable => ({ template, args });

export function hover(source: string | ScenarioModel, position: Position): HoverContent | undefined {
  const model = typeof source === 'string' ? buildModel(source) : source;
  const statement = model.ast.statements.find((candidate) => candidate.line === position.line);

  const reference = referenceAt(model, position);
  if (reference) return endpointHover(model, reference.name);
  if (statement) {
    const found = hoverInStatement(model, statement, position);
    if (found) return found;
  }
  // Anywhere else (a comment, a title, a broken line): explain a state or flag name by its text.
  const word = wordAt(lineOf(model, position.line), position.column);
  if (!word) return undefined;
  const range = { line: position.line, column: word.column, length: word.text.length };
  const state = word.text === word.text.toUpperCase() ? normalizeState(word.text) : undefined;
  if (state) return stateHover(state, range);
  if (word.text in FLAG_HELP) return flagHover(word.text, range);
  return undefined;
}

function hoverInStatement(model: ScenarioModel, statement: Statement, position: Position): HoverContent | undefined {
  const at = (node: { range: Range } | undefined): boolean => node !== undefined && contains(node.range, position);

  if (statement.time && at(statement.time)) return timeHover(model, statement);
  if ('keyword' in statement && at(statement.keyword)) return statementHover(statement.keyword, statement.keyword.text.toLowerCase());

  switch (statement.kind) {
    case 'profile':
      if (statement.profile && at(statement.profile)) {
        const name = statement.profile.text.toLowerCase();
        if ((PROFILES as readonly string[]).includes(name)) {
          return { kind: 'profile', range: statement.profile.range, heading: name, paragraphs: [text(PROFILE_HELP[name])] };
        }
      }
      break;
    case 'set':
    case 'endpoint':
    case 'link':
      return optionHover(statement.options.find(at), statement.kind);
    case 'action':
      if (statement.verb && at(statement.verb)) return statementHover(statement.verb, statement.verb.text);
      break;
    case 'fault':
    case 'inject': {
      const pattern = statement.pattern;
      const flag = pattern?.flags.find(at);
      if (flag) return flagHover(flag.text, flag.range);
      const field = pattern?.fields.find(at);
      if (field) return optionHover(field, 'pattern');
      if (statement.kind === 'fault' && statement.count && at(statement.count)) {
        return countHover(model, statement.count.kind, position);
      }
      break;
    }
    case 'expect': {
      const expectation = statement.expectation;
      if (expectation?.kind === 'state' && expectation.state && at(expectation.state)) {
        const state = normalizeState(expectation.state.text);
        if (state) return stateHover(state, expectation.state.range, expectation.endpoint.text);
      }
      if (expectation?.kind === 'segment') {
        const flag = expectation.pattern.flags.find(at);
        if (flag) return flagHover(flag.text, flag.range);
        const field = expectation.pattern.fields.find(at);
        if (field) return optionHover(field, 'pattern');
      }
      break;
    }
    default:
      break;
  }
  // Small words inside a statement: is, received, with, by, once, times...
  const word = wordAt(lineOf(model, position.line), position.column);
  if (word && word.text.toLowerCase() in STATEMENT_HELP && !/[A-Z]/.test(word.text.slice(1))) {
    const range = { line: position.line, column: word.column, length: word.text.length };
    return { kind: 'statement', range, heading: word.text, paragraphs: [text(STATEMENT_HELP[word.text.toLowerCase()])] };
  }
  return undefined;
}

function countHover(model: ScenarioModel, kind: string, position: Position): HoverContent | undefined {
  const word = wordAt(lineOf(model, position.line), position.column);
  if (!word) return undefined;
  const key = kind === 'times' ? 'times' : kind;
  const range = { line: position.line, column: word.column, length: word.text.length };
  return { kind: 'statement', range, heading: word.text, paragraphs: [text(STATEMENT_HELP[key])] };
}

export function stateHover(state: TcpState, range: Range, endpoint?: string): HoverContent {
  const help = STATE_HELP[state];
  return {
    kind: 'state',
    range,
    heading: state,
    paragraphs: [text(help.meaning)],
    entered: help.entered.map((line) => text(line)),
    left: help.left.map((line) => text(line)),
    rfcSections: help.sections,
    breakOnState: { state, endpoint },
  };
}

function flagHover(word: string, range: Range): HoverContent | undefined {
  const flag = word === 'data' ? 'data' : normalizeFlag(word);
  if (!flag) return undefined;
  return { kind: 'flag', range, heading: flag, paragraphs: [text(FLAG_HELP[flag])] };
}

function statementHover(name: Name, word: string): HoverContent | undefined {
  const help = STATEMENT_HELP[word.toLowerCase()];
  if (!help) return undefined;
  return { kind: 'statement', range: name.range, heading: word.toLowerCase(), paragraphs: [text(help)] };
}

function optionHover(option: OptionNode | undefined, where: 'set' | 'endpoint' | 'link' | 'pattern'): HoverContent | undefined {
  if (!option) return undefined;
  const key = option.key.text;
  const setting = where === 'set' || where === 'endpoint' ? findSetting(key) : undefined;
  if (setting) {
    return { kind: 'setting', range: option.key.range, heading: setting.key, paragraphs: [text(setting.doc)] };
  }
  const help = OPTION_HELP[key.toLowerCase()];
  if (!help) return undefined;
  return { kind: 'option', range: option.key.range, heading: key.toLowerCase(), paragraphs: [text(help)] };
}

function timeHover(model: ScenarioModel, statement: Statement): HoverContent | undefined {
  const time = statement.time;
  if (!time || time.us === undefined) return undefined;
  const index = model.ast.statements.indexOf(statement);
  const at = model.times[index];
  if (at === undefined) return undefined;
  const paragraph =
    time.mode === 'absolute'
      ? text(HOVER_PHRASES.timeAbsolute, formatDuration(at))
      : text(HOVER_PHRASES.timeRelative, formatDuration(at), formatDuration(time.us));
  const heading = model.text.slice(time.offset, time.offset + time.range.length);
  return { kind: 'time', range: time.range, heading, paragraphs: [paragraph] };
}

function endpointHover(model: ScenarioModel, name: Name): HoverContent {
  const declaration = model.ast.statements.find(
    (statement): statement is EndpointStatement => statement.kind === 'endpoint' && statement.name?.text === name.text,
  );
  const paragraphs: Localizable[] = [];
  if (declaration) {
    if (declaration.address) paragraphs.push(text(HOVER_PHRASES.endpointAddress, declaration.address.text));
    const isn = declaration.options.find((option) => option.key.text.toLowerCase() === 'isn');
    if (isn?.value) paragraphs.push(text(HOVER_PHRASES.endpointIsn, isn.value.text));
    paragraphs.push(text(HOVER_PHRASES.endpointDeclared, String(declaration.line)));
    const lines = new Set(
      model.references.filter((reference) => reference.name.text === name.text && !reference.declaration).map((reference) => reference.name.range.line),
    );
    paragraphs.push(text(HOVER_PHRASES.endpointUses, String(lines.size)));
  } else {
    paragraphs.push(text(HOVER_PHRASES.undeclaredEndpoint, name.text));
  }
  return { kind: 'endpoint', range: name.range, heading: name.text, paragraphs };
}
