// Editor services over the .tcpscenario language: pure functions of the text (and a
// position), used by the VS Code layer and testable without VS Code.

export { buildModel, type Position, type ScenarioModel, type EndpointReference } from './model';
export { complete, snippetEntries, snippetDescriptions, snippetPreview, type CompletionEntry, type CompletionKind, type CompletionResult } from './completion';
export { hover, stateHover, type HoverContent, type HoverKind, type Localizable } from './hover';
export { documentSymbols, spanOf, type ScenarioSymbol, type Span, type SymbolKind } from './symbols';
export { definitionAt, referencesAt, rename, renameTarget, RENAME_MESSAGES, type RenameResult } from './navigation';
export { formatEdits, formatText, type FormatOptions, type LineEdit } from './format';
export { quickFixes, applyEdits, FIX_TITLES, type QuickFix } from './fixes';
export { STATE_HELP, FLAG_HELP, STATEMENT_HELP, PROFILE_HELP, OPTION_HELP, HOVER_PHRASES, allHelpStrings } from './help';
export { codeLensLine } from './codelens';
export { absoluteTimeHints, type TimeHint } from './inlay';
