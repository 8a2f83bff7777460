// Completion: what may come next at a position, read from the words before the cursor on
// its line (a line is a statement, and the line being typed is usually incomplete, so the
// words are read with the scanner rather than the parser's tree).

import { scan } from '../scanner';
import type { Token } from '../tokens';
import type { Errno } from '../../engine/errno';
import {
  ACTION_VERBS,
  CALL_WORDS,
  ENDPOINT_OPTIONS,
  ERRNO_NAMES,
  FAULT_KINDS,
  FLAGS,
  LINK_OPTIONS,
  NO_FLAGS,
  PROFILES,
  SACK_PERMITTED,
  SETTINGS,
  SHUTDOWN_MODES,
  STATES,
  TCP_OPTION_KEYS,
  findSetting,
  isActionVerb,
  runtimeSettings,
  type SettingSpec,
} from '../vocabulary';
import { ERRNO_HELP, FLAG_HELP, OPTION_HELP, PROFILE_HELP, STATE_HELP, STATEMENT_HELP, VERB_HELP } from './help';
import { buildModel, declaredEndpoints, lineOf, type Position, type ScenarioModel } from './model';
import snippetFile from '../../../snippets/tcpscenario.json';

export type CompletionKind =
  | 'keyword'
  | 'verb'
  | 'endpoint'
  | 'state'
  | 'flag'
  | 'setting'
  | 'option'
  | 'profile'
  | 'value'
  | 'operator'
  | 'snippet';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  /** Text to insert (a snippet when `snippet` is true); the label when absent. */
  insertText?: string;
  snippet?: boolean;
  /** English l10n key shown beside the item (e.g. the snippet's description). */
  detail?: string;
  /** English l10n key: the longer help. */
  documentation?: string;
  /** Re-open the suggestions after inserting (after `key=`, `->`). */
  retrigger?: boolean;
  /** Snippets: the text as inserted with its default choices, to show beside the item. */
  preview?: string;
}

export interface CompletionResult {
  /** 1-based column where the word being completed starts (the items replace from there to the cursor). */
  replaceFrom: number;
  items: CompletionEntry[];
}

interface SnippetSpec {
  prefix: string | string[];
  body: string | string[];
  description: string;
}

const TIMELINE_KEYWORDS = [...FAULT_KINDS, 'inject', 'expect', 'wait'] as const;
const DECLARATION_KEYWORDS = ['scenario', 'profile', 'set', 'endpoint', 'link', 'end'] as const;
const SNIPPETS = snippetFile as Record<string, SnippetSpec>;

export function snippetEntries(): CompletionEntry[] {
  return Object.values(SNIPPETS).map((spec) => {
    const body = Array.isArray(spec.body) ? spec.body.join('\n') : spec.body;
    return {
      label: Array.isArray(spec.prefix) ? spec.prefix[0] : spec.prefix,
      kind: 'snippet' as const,
      insertText: body,
      snippet: true,
      detail: spec.description,
      preview: snippetPreview(body),
    };
  });
}

/** A snippet body as it is first inserted: `${1:client}` -> client, `${2|rfc,linux|}` -> rfc, `$0` -> nothing. */
export function snippetPreview(body: string): string {
  return body
    .replace(/\$\{\d+\|((?:[^,|\\]|\\.)*)[^}]*\}/g, (_whole, first: string) => first.replace(/\\(.)/g, '$1'))
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '')
    .trimEnd();
}

/** Every snippet description, for the l10n completeness test. */
export function snippetDescriptions(): string[] {
  return Object.values(SNIPPETS).map((spec) => spec.description);
}

export function complete(source: string | ScenarioModel, position: Position): CompletionResult {
  const model = typeof source === 'string' ? buildModel(source) : source;
  const lineText = lineOf(model, position.line);
  const prefix = lineText.slice(0, position.column - 1);
  if (/#/.test(stripStrings(prefix))) return { replaceFrom: position.column, items: [] };
  const partial = /[\p{L}\p{N}_-]*$/u.exec(prefix)?.[0] ?? '';
  const replaceFrom = position.column - partial.length;
  const words = scan(prefix.slice(0, prefix.length - partial.length)).tokens.filter(
    (token) => token.kind !== 'eof' && token.kind !== 'newline',
  );
  if (words.some((token) => token.kind === 'string' && token.error)) return { replaceFrom, items: [] };
  // Right after `@`, `+`, a number or a name with no space (`@2`, `10.0.0.1:`), a word is still being written.
  const last = words[words.length - 1];
  if (last && last.offset + last.length === replaceFrom - 1 && !['=', ',', '->', '<->'].includes(last.kind)) return { replaceFrom, items: [] };
  return { replaceFrom, items: itemsAfter(model, words) };
}

function stripStrings(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"?/g, '""');
}

function itemsAfter(model: ScenarioModel, all: Token[]): CompletionEntry[] {
  const endpoints = declaredEndpoints(model).map((name) => name.text);
  const endpointItems = (except: string[] = []) =>
    [...new Set(endpoints)].filter((name) => !except.includes(name)).map((name) => ({ label: name, kind: 'endpoint' as const }));

  // Drop a leading time: `@2s`, `+50ms`.
  let words = all;
  const timed = words.length > 0 && (words[0].kind === '@' || words[0].kind === '+');
  if (timed) words = words.slice(words[1]?.kind === 'number' ? 2 : 1);
  const texts = words.map((token) => token.text);
  const first = texts[0]?.toLowerCase();

  if (words.length === 0) {
    const timeline = [...TIMELINE_KEYWORDS].map(keywordItem);
    if (timed) return [...endpointItems(), ...timeline];
    return [...endpointItems(), ...timeline, ...[...DECLARATION_KEYWORDS].map(keywordItem), ...snippetEntries()];
  }

  // A value is being typed after `key=` (`NAME set key=` takes socket options' values).
  const last = words[words.length - 1];
  if (last.kind === '=') return valueItems(texts[texts.length - 2] ?? '', texts[1] === 'set' ? 'set' : first);

  switch (first) {
    case 'profile':
      return words.length === 1 ? PROFILES.map((name) => ({ label: name, kind: 'profile' as const, documentation: PROFILE_HELP[name] })) : [];
    case 'set':
      return settingItems();
    case 'endpoint': {
      if (words.length < 2) return [];
      const raw = texts.some((word, i) => i >= 2 && word.toLowerCase() === 'raw') ? [] : [wordItem('raw')];
      return [...raw, ...ENDPOINT_OPTIONS.map((key) => optionItem(key)), ...settingItems()];
    }
    case 'link':
      if (words.length === 1) return endpointItems();
      if (words.length === 2) return [operatorItem('<->')];
      if (words.length === 3) return endpointItems([texts[1]]);
      return LINK_OPTIONS.map((key) => optionItem(key));
    case 'end':
      return [];
    case 'expect':
      return expectItems(words, texts, endpointItems);
    case 'wait':
      if (words.length === 1) return [wordItem('until')];
      if (texts[1].toLowerCase() !== 'until') return [];
      return conditionItems(words.slice(1), texts.slice(1), endpointItems);
    case 'inject':
      return patternItems(words, texts, endpointItems, 'inject');
    default:
      break;
  }
  if (first && (FAULT_KINDS as readonly string[]).includes(first)) return patternItems(words, texts, endpointItems, first);

  // An endpoint's action: `client connect server`.
  if (words.length === 1 && words[0].kind === 'ident') {
    return ACTION_VERBS.map((verb) => ({ label: verb, kind: 'verb' as const, documentation: VERB_HELP[verb] ?? STATEMENT_HELP[verb] }));
  }
  if (words.length === 2 && texts[1] === 'connect') return endpointItems([texts[0]]);
  if (texts[1] === 'set') return settingItems(runtimeSettings());
  if (words.length === 2 && texts[1] === 'shutdown') return [...SHUTDOWN_MODES.map((mode) => wordItem(mode)), wordItem('with')];
  if (words.length === 2 && isActionVerb(texts[1])) return [];
  return [];
}

/** After `expect` (or `wait until`): `NAME is STATE [with PEER]`, `NAME received N`. `words[0]` is the keyword. */
function conditionItems(words: Token[], texts: string[], endpointItems: (except?: string[]) => CompletionEntry[]): CompletionEntry[] {
  if (words.length === 1) return endpointItems();
  if (words.length === 2) return [wordItem('is'), wordItem('received')];
  const verb = texts[2]?.toLowerCase();
  if (verb === 'is') {
    if (words.length === 3) return stateItems();
    if (words.length === 4) return [wordItem('with')];
    if (texts[texts.length - 1].toLowerCase() === 'with') return endpointItems([texts[1]]);
  }
  return [];
}

function expectItems(
  words: Token[],
  texts: string[],
  endpointItems: (except?: string[]) => CompletionEntry[],
): CompletionEntry[] {
  if (words.length === 1) return endpointItems();
  if (words.length === 2) {
    return [wordItem('is'), wordItem('received'), wordItem('cwnd'), wordItem('ssthresh'), ...CALL_WORDS.map((call) => ({ label: call, kind: 'verb' as const, documentation: STATEMENT_HELP[call] })), operatorItem('->')];
  }
  const variable = texts[2]?.toLowerCase();
  if (variable === 'cwnd' || variable === 'ssthresh') {
    // `expect NAME cwnd is N [with PEER]`
    if (words.length === 3) return [wordItem('is')];
    if (texts[texts.length - 1].toLowerCase() === 'with') return endpointItems([texts[1]]);
    if (words.length >= 5 && words[4].kind === 'number' && !texts.some((t) => t.toLowerCase() === 'with')) return [wordItem('with')];
    return [];
  }
  if (texts[2] === '->') return patternItems(words, texts, endpointItems, 'expect');
  const verb = texts[2]?.toLowerCase();
  if (CALL_WORDS.includes(verb)) {
    if (words.length === 3) return [wordItem('ok'), wordItem('failed')];
    if (words.length === 4 && texts[3].toLowerCase() === 'failed') {
      return ERRNO_NAMES.map((errno) => ({ label: errno, kind: 'value' as const, documentation: ERRNO_HELP[errno as Errno] }));
    }
    return [];
  }
  if (verb === 'is') {
    if (words.length === 3 || (words.length === 4 && texts[3].toLowerCase() === 'not')) return stateItems();
    if (words.length === 4) return [wordItem('with')];
    if (texts[texts.length - 1].toLowerCase() === 'with') return endpointItems([texts[1]]);
  }
  return [];
}

/** `KW A -> B FLAGS fields count`. `words[0]` is the keyword. */
function patternItems(
  words: Token[],
  texts: string[],
  endpointItems: (except?: string[]) => CompletionEntry[],
  keyword: string,
): CompletionEntry[] {
  if (words.length === 1) return endpointItems();
  if (words.length === 2) return [operatorItem('->')];
  if (words.length === 3) return endpointItems([texts[1]]);
  if (words[words.length - 1].kind === ',') return flagItems();
  const fields = keyword === 'inject' ? ['seq', 'ack', 'len', 'wnd', ...TCP_OPTION_KEYS] : ['seq', 'ack', 'len'];
  const items: CompletionEntry[] = [
    ...flagItems(),
    ...fields.map((key) => (key === SACK_PERMITTED ? { label: key, kind: 'option' as const, documentation: OPTION_HELP[key] } : optionItem(key))),
  ];
  if (keyword === 'delay' && !texts.includes('by')) items.push(wordItem('by'));
  if ((FAULT_KINDS as readonly string[]).includes(keyword)) {
    if (texts[texts.length - 1] === 'by') return [];
    if (words[words.length - 1].kind === 'number' && texts[texts.length - 2] !== 'by') return [wordItem('times')];
    items.push(wordItem('once'), wordItem('twice'), wordItem('always'));
  }
  return items;
}

function valueItems(key: string, statement: string | undefined): CompletionEntry[] {
  const setting = statement === 'set' || statement === 'endpoint' ? findSetting(key) : undefined;
  if (setting?.kind === 'boolean') return ['on', 'off'].map((value) => ({ label: value, kind: 'value' as const }));
  if (setting?.kind === 'duration-or-off') return [{ label: 'off', kind: 'value' }];
  if (setting?.kind === 'choice') return (setting.choices ?? []).map((value) => ({ label: value, kind: 'value' as const }));
  return [];
}

function settingItems(specs: readonly SettingSpec[] = SETTINGS): CompletionEntry[] {
  return specs.map((spec) => ({
    label: spec.key,
    kind: 'setting' as const,
    insertText: `${spec.key}=`,
    documentation: spec.doc,
    retrigger: true,
  }));
}

function optionItem(key: string): CompletionEntry {
  return { label: key, kind: 'option', insertText: `${key}=`, documentation: OPTION_HELP[key], retrigger: true };
}

function stateItems(): CompletionEntry[] {
  return STATES.map((state) => ({ label: state, kind: 'state' as const, documentation: STATE_HELP[state].meaning }));
}

function flagItems(): CompletionEntry[] {
  return [...FLAGS, 'data', NO_FLAGS].map((flag) => ({ label: flag, kind: 'flag' as const, documentation: FLAG_HELP[flag as keyof typeof FLAG_HELP] }));
}

function keywordItem(keyword: string): CompletionEntry {
  return { label: keyword, kind: 'keyword', documentation: STATEMENT_HELP[keyword] };
}

function wordItem(word: string): CompletionEntry {
  return { label: word, kind: 'keyword', documentation: STATEMENT_HELP[word] };
}

function operatorItem(operator: string): CompletionEntry {
  return { label: operator, kind: 'operator', insertText: `${operator} `, retrigger: true };
}
