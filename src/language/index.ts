// The .tcpscenario language: parse, check, compile. Pure: text in, tree/program and
// diagnostics out (no I/O; the CLI and the editor read files).

export { parse, type ParseResult } from './parser';
export { check } from './checker';
export { compile, compileAst, diagnose, type CompileResult } from './compiler';
export { scan, Scanner } from './scanner';
export type { Token, TokenKind, Comment } from './tokens';
export type * from './ast';
export { diagnostic, formatTemplate, replaceFix, type Diagnostic, type Fix, type Range, type Severity } from './diagnostic';
export { MESSAGES, ALL_MESSAGES, FIX_TEMPLATES, type MessageSpec, type MessageId } from './messages';
export { closest } from './suggest';
export { formatDuration, parseDuration } from './values';
export {
  ACTION_VERBS,
  BOOLEAN_WORDS,
  DURATION_UNITS,
  ENDPOINT_OPTIONS,
  FAULT_KINDS,
  FLAGS,
  LINK_OPTIONS,
  OTHER_KEYWORDS,
  PROFILES,
  SEGMENT_FIELDS,
  SETTINGS,
  STATEMENT_KEYWORDS,
  STATES,
  DATA_FLAG,
  findSetting,
  normalizeFlag,
  normalizeState,
  type SettingSpec,
  type ActionVerb,
  type StatementKeyword,
} from './vocabulary';
