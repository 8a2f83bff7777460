// Hover help: what is under the cursor (a state, a flag, a statement word, an endpoint, an
// option, a time) and the English text to show. Text is returned as l10n keys with
// arguments; the VS Code layer translates and renders it.

import type { EndpointStatement, Expectation, Name, OptionNode, Statement } from '../ast';
import type { Range } from '../diagnostic';
import type { TcpState } from '../../engine/trace';
import { formatDuration } from '../values';
import { ERRNO_NAMES, findSetting, NO_FLAGS, normalizeFlag, normalizeState, PROFILES, SOCKET_OPTIONS } from '../vocabulary';
import { ERRNO_HELP, FLAG_HELP, HOVER_PHRASES, OPTION_HELP, PROFILE_HELP, STATE_HELP, STATEMENT_HELP, VERB_HELP } from './help';
import { buildModel, contains, lineOf, referenceAt, wordAt, type Position, type ScenarioModel } from './model';
import type { Errno } from '../../engine/errno';

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
    case 'endpoint':
      if (statement.raw && at(statement.raw)) return statementHover(statement.raw, 'raw');
      return optionHover(statement.options.find(at), statement.kind);
    case 'set':
    case 'link':
      return optionHover(statement.options.find(at), statement.kind);
    case 'action':
      if (statement.verb && at(statement.verb)) {
        const verb = statement.verb.text;
        const help = VERB_HELP[verb];
        if (help) return { kind: 'statement', range: statement.verb.range, heading: verb, paragraphs: [text(help)] };
        return statementHover(statement.verb, verb);
      }
      if (statement.options) {
        const option = statement.options.find(at);
        if (option) return optionHover(option, 'set');
      }
      break;
    case 'wait': {
      const condition = statement.condition;
      if (condition?.kind === 'state' && condition.state && at(condition.state)) {
        const state = normalizeState(condition.state.text);
        if (state) return stateHover(state, condition.state.range, condition.endpoint.text);
      }
      break;
    }
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
      const found = statement.expectation && expectationHover(statement.expectation, at);
      if (found) return found;
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

/** A state, a flag, a field, a call or an errno in an expectation (`at`: whether the cursor is on a node). */
function expectationHover(expectation: Expectation, at: (node: { range: Range } | undefined) => boolean): HoverContent | undefined {
  if (expectation.kind === 'state' && expectation.state && at(expectation.state)) {
    const state = normalizeState(expectation.state.text);
    if (state) return stateHover(state, expectation.state.range, expectation.endpoint.text);
  }
  if (expectation.kind === 'segment') {
    const flag = expectation.pattern.flags.find(at);
    if (flag) return flagHover(flag.text, flag.range);
    const field = expectation.pattern.fields.find(at);
    if (field) return optionHover(field, 'pattern');
  }
  if (expectation.kind === 'call') {
    if (at(expectation.call)) return statementHover(expectation.call, expectation.call.text);
    const error = expectation.error;
    if (error?.kind === 'ident' && at(error) && ERRNO_NAMES.includes(error.text.toUpperCase())) {
      const errno = error.text.toUpperCase() as Errno;
      return { kind: 'statement', range: error.range, heading: errno, paragraphs: [text(ERRNO_HELP[errno])] };
    }
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
  const lower = word.toLowerCase();
  const flag = lower === 'data' ? 'data' : lower === NO_FLAGS ? NO_FLAGS : normalizeFlag(word);
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
    const paragraphs = [text(setting.doc)];
    const socketOption = SOCKET_OPTIONS[setting.key];
    if (socketOption) paragraphs.push(text(HOVER_PHRASES.socketOption, socketOption));
    return { kind: 'setting', range: option.key.range, heading: setting.key, paragraphs };
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
  const wait = model.waits[index];
  let paragraph: Localizable;
  if (wait !== undefined) {
    // After a wait, the time is known only when the run gets there.
    if (time.mode === 'absolute') paragraph = text(HOVER_PHRASES.timeAbsoluteAfterWait, formatDuration(at), String(wait.line));
    else if (wait.offset !== undefined) paragraph = text(HOVER_PHRASES.timeAfterWait, formatDuration(wait.offset), String(wait.line));
    else paragraph = text(HOVER_PHRASES.timeLaterThan, formatDuration(at), String(wait.line));
  } else {
    paragraph =
      time.mode === 'absolute'
        ? text(HOVER_PHRASES.timeAbsolute, formatDuration(at))
        : text(HOVER_PHRASES.timeRelative, formatDuration(at), formatDuration(time.us));
  }
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
