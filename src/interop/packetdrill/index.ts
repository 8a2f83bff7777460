// packetdrill scripts (docs/packetdrill.md): read (lexer, parser), checked against what the
// simulation models (check), translated into a scenario (translate). Pure.
export { lex, type PktToken, type PktComment } from './lexer';
export { parsePacketdrill, type PktParseResult } from './parser';
export { checkPacketdrill, PKT_ERRNOS, type PktCheckResult } from './check';
export { ALL_PKT_MESSAGES, PKT_MESSAGES, PKT_PHRASES } from './messages';
export { translatePacketdrill, type PktTranslation, type TranslateOptions } from './translate';
export type * from './ast';
export type * from './model';
