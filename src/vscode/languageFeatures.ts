// The language features: completion, hover, outline, definition/references/rename,
// formatting and quick fixes. Each provider is a thin adapter over src/language/service.
import * as vscode from 'vscode';
import {
  absoluteTimeHints,
  complete,
  definitionAt,
  documentSymbols,
  formatEdits,
  hover,
  quickFixes,
  referencesAt,
  rename,
  renameTarget,
  type CompletionKind,
  type HoverContent,
  type ScenarioSymbol,
  type SymbolKind,
} from '../language/service';
import { HOVER_PHRASES } from '../language/service/help';
import { formatDuration } from '../language/values';
import { fromPosition, toRange, toSpan } from './convert';
import { languageDiagnosticOf } from './diagnostics';
import { SELECTOR, SOURCE, translate, translateItem } from './localize';

export const BREAK_ON_STATE_COMMAND = 'tcpscenario.breakOnState';

const COMPLETION_KIND: Record<CompletionKind, vscode.CompletionItemKind> = {
  keyword: vscode.CompletionItemKind.Keyword,
  verb: vscode.CompletionItemKind.Function,
  endpoint: vscode.CompletionItemKind.Variable,
  state: vscode.CompletionItemKind.EnumMember,
  flag: vscode.CompletionItemKind.Constant,
  setting: vscode.CompletionItemKind.Property,
  option: vscode.CompletionItemKind.Property,
  profile: vscode.CompletionItemKind.Module,
  value: vscode.CompletionItemKind.Value,
  operator: vscode.CompletionItemKind.Operator,
  snippet: vscode.CompletionItemKind.Snippet,
};

const SYMBOL_KIND: Record<SymbolKind, vscode.SymbolKind> = {
  scenario: vscode.SymbolKind.Module,
  setting: vscode.SymbolKind.Property,
  endpoint: vscode.SymbolKind.Object,
  link: vscode.SymbolKind.Interface,
  time: vscode.SymbolKind.Namespace,
  action: vscode.SymbolKind.Function,
  fault: vscode.SymbolKind.Event,
  inject: vscode.SymbolKind.Event,
  expect: vscode.SymbolKind.Boolean,
  wait: vscode.SymbolKind.Event,
  end: vscode.SymbolKind.Key,
};

export function registerLanguageFeatures(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.languages.registerCompletionItemProvider(SELECTOR, { provideCompletionItems }, ' ', '=', ',', '>'),
    vscode.languages.registerHoverProvider(SELECTOR, { provideHover }),
    vscode.languages.registerDocumentSymbolProvider(SELECTOR, { provideDocumentSymbols }, { label: 'TCP Scenario' }),
    vscode.languages.registerDefinitionProvider(SELECTOR, {
      provideDefinition: (document, position) => {
        const range = definitionAt(document.getText(), fromPosition(position));
        return range ? new vscode.Location(document.uri, toRange(range)) : undefined;
      },
    }),
    vscode.languages.registerReferenceProvider(SELECTOR, {
      provideReferences: (document, position, context) =>
        referencesAt(document.getText(), fromPosition(position), context.includeDeclaration).map((range) => new vscode.Location(document.uri, toRange(range))),
    }),
    vscode.languages.registerDocumentHighlightProvider(SELECTOR, {
      provideDocumentHighlights: (document, position) =>
        referencesAt(document.getText(), fromPosition(position), true).map((range) => new vscode.DocumentHighlight(toRange(range))),
    }),
    vscode.languages.registerRenameProvider(SELECTOR, { prepareRename, provideRenameEdits }),
    vscode.languages.registerDocumentFormattingEditProvider(SELECTOR, {
      provideDocumentFormattingEdits: (document) => formattingEdits(document),
    }),
    vscode.languages.registerDocumentRangeFormattingEditProvider(SELECTOR, {
      // The time column is the whole file's, so a formatted selection lines up with the rest.
      provideDocumentRangeFormattingEdits: (document, range) => formattingEdits(document, range),
    }),
    vscode.languages.registerCodeActionsProvider(SELECTOR, { provideCodeActions }, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    vscode.languages.registerInlayHintsProvider(SELECTOR, { provideInlayHints }),
  );
}

function formattingEdits(document: vscode.TextDocument, range?: vscode.Range): vscode.TextEdit[] {
  return formatEdits(document.getText())
    .filter((edit) => !range || (edit.line - 1 >= range.start.line && edit.line - 1 <= range.end.line))
    .map((edit) => vscode.TextEdit.replace(document.lineAt(edit.line - 1).range, edit.newText));
}

function provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionList {
  const result = complete(document.getText(), fromPosition(position));
  const range = new vscode.Range(position.line, result.replaceFrom - 1, position.line, position.character);
  const items = result.items.map((entry, index) => {
    const item = new vscode.CompletionItem(entry.label, COMPLETION_KIND[entry.kind]);
    item.range = range;
    item.sortText = String(index).padStart(4, '0');
    if (entry.insertText !== undefined) item.insertText = entry.snippet ? new vscode.SnippetString(entry.insertText) : entry.insertText;
    if (entry.detail) item.detail = vscode.l10n.t(entry.detail);
    if (entry.documentation) item.documentation = new vscode.MarkdownString(vscode.l10n.t(entry.documentation));
    else if (entry.preview) item.documentation = new vscode.MarkdownString().appendCodeblock(entry.preview, 'tcpscenario');
    if (entry.retrigger) item.command = { command: 'editor.action.triggerSuggest', title: '' };
    return item;
  });
  return new vscode.CompletionList(items, false);
}

/** Renders a hover; exported for tests in a real VS Code. */
export function renderHover(content: HoverContent): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(undefined, true);
  markdown.appendCodeblock(content.heading, 'tcpscenario');
  for (const paragraph of content.paragraphs) markdown.appendMarkdown(`${escape(translateItem(paragraph))}\n\n`);
  if (content.entered?.length) {
    markdown.appendMarkdown(`**${escape(vscode.l10n.t(HOVER_PHRASES.entered))}**\n\n`);
    for (const line of content.entered) markdown.appendMarkdown(`- ${escape(translateItem(line))}\n`);
    markdown.appendMarkdown('\n');
  }
  if (content.left?.length) {
    markdown.appendMarkdown(`**${escape(vscode.l10n.t(HOVER_PHRASES.left))}**\n\n`);
    for (const line of content.left) markdown.appendMarkdown(`- ${escape(translateItem(line))}\n`);
    markdown.appendMarkdown('\n');
  }
  const links: string[] = [];
  if (content.rfcSections?.length) {
    // One translated phrase, its placeholder filled with a link per section.
    const sections = content.rfcSections.map((section) => `[${section}](https://www.rfc-editor.org/rfc/rfc9293#section-${section})`).join(', ');
    links.push(escape(translate(HOVER_PHRASES.rfc, ['\u0000'])).replace('\u0000', sections));
  }
  if (content.breakOnState) {
    const args = content.breakOnState.endpoint ? [content.breakOnState.state, content.breakOnState.endpoint] : [content.breakOnState.state];
    const uri = `command:${BREAK_ON_STATE_COMMAND}?${encodeURIComponent(JSON.stringify(args))}`;
    const tooltip = translate(HOVER_PHRASES.breakOnStateTooltip, [content.breakOnState.state]);
    links.push(`[$(debug-breakpoint-function) ${escape(vscode.l10n.t(HOVER_PHRASES.breakOnState))}](${uri} "${tooltip.replace(/"/g, "'")}")`);
    markdown.isTrusted = { enabledCommands: [BREAK_ON_STATE_COMMAND] };
  }
  if (links.length > 0) markdown.appendMarkdown(links.join(' · '));
  return markdown;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]<>#|]/g, (c) => `\\${c}`);
}

function provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
  const content = hover(document.getText(), fromPosition(position));
  return content ? new vscode.Hover(renderHover(content), toRange(content.range)) : undefined;
}

function provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
  const convert = (symbol: ScenarioSymbol): vscode.DocumentSymbol => {
    const name = symbol.text ? translate(symbol.text.template, symbol.text.args) : symbol.name;
    const result = new vscode.DocumentSymbol(name.replace(/\s+/g, ' '), symbol.detail, SYMBOL_KIND[symbol.kind], toSpan(symbol.span), toSpan(symbol.selection));
    result.children = symbol.children.map(convert);
    return result;
  };
  return documentSymbols(document.getText()).map(convert);
}

function prepareRename(document: vscode.TextDocument, position: vscode.Position): { range: vscode.Range; placeholder: string } {
  const target = renameTarget(document.getText(), fromPosition(position));
  if (!target) throw new Error(vscode.l10n.t('Only endpoint names can be renamed.'));
  return { range: toRange(target.range), placeholder: target.text };
}

function provideRenameEdits(document: vscode.TextDocument, position: vscode.Position, newName: string): vscode.WorkspaceEdit {
  const result = rename(document.getText(), fromPosition(position), newName);
  if (!result.ok) throw new Error(translate(result.template, result.args));
  const edit = new vscode.WorkspaceEdit();
  for (const change of result.edits) edit.replace(document.uri, toRange(change.range), change.newText);
  return edit;
}

function provideInlayHints(document: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
  if (!vscode.workspace.getConfiguration('tcpscenario', document.uri).get<boolean>('inlayHints.absoluteTime', true)) return [];
  return absoluteTimeHints(document.getText())
    .filter((hint) => hint.position.line - 1 >= range.start.line && hint.position.line - 1 <= range.end.line)
    .map((hint) => {
      const label = hint.text ? translate(hint.text.template, hint.text.args) : hint.label;
      const inlay = new vscode.InlayHint(new vscode.Position(hint.position.line - 1, hint.position.column - 1), label);
      inlay.paddingLeft = true;
      inlay.tooltip = hint.text ? translate(HOVER_PHRASES.timeLaterThan, [formatDuration(hint.at), String(hint.waitLine)]) : translate(HOVER_PHRASES.timeAbsolute, [hint.label.slice(1)]);
      return inlay;
    });
}

function provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
  const actions: vscode.CodeAction[] = [];
  for (const diagnostic of context.diagnostics) {
    if (diagnostic.source !== SOURCE) continue;
    const origin = languageDiagnosticOf(diagnostic);
    if (!origin) continue;
    for (const fix of quickFixes(document.getText(), origin)) {
      const action = new vscode.CodeAction(translate(fix.title.template, fix.title.args), vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, toRange(fix.range), fix.newText);
      action.diagnostics = [diagnostic];
      action.isPreferred = fix.preferred;
      actions.push(action);
    }
  }
  return actions;
}
