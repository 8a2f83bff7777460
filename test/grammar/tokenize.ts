// Tokenizes lines with the real TextMate engine VS Code uses (vscode-textmate + oniguruma wasm).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const require = createRequire(import.meta.url);

export interface ScopedToken {
  text: string;
  scopes: string[];
}

let grammarPromise: Promise<textmate.IGrammar> | undefined;

function loadGrammar(): Promise<textmate.IGrammar> {
  grammarPromise ??= (async () => {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new textmate.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns) => oniguruma.createOnigScanner(patterns),
        createOnigString: (text) => oniguruma.createOnigString(text),
      }),
      loadGrammar: async (scopeName) => {
        if (scopeName !== 'source.tcpscenario') return null;
        const path = new URL('../../syntaxes/tcpscenario.tmLanguage.json', import.meta.url);
        return textmate.parseRawGrammar(readFileSync(path, 'utf8'), path.pathname);
      },
    });
    const grammar = await registry.loadGrammar('source.tcpscenario');
    if (!grammar) throw new Error('grammar did not load');
    return grammar;
  })();
  return grammarPromise;
}

/** Tokens of each line, in order, with their full scope stacks. */
export async function tokenizeLines(text: string): Promise<ScopedToken[][]> {
  const grammar = await loadGrammar();
  let state = textmate.INITIAL;
  const lines: ScopedToken[][] = [];
  for (const line of text.split('\n')) {
    const result = grammar.tokenizeLine(line, state);
    lines.push(
      result.tokens.map((token) => ({ text: line.slice(token.startIndex, token.endIndex), scopes: token.scopes })),
    );
    state = result.ruleStack;
  }
  return lines;
}

/** The innermost scope of the first token whose text is exactly `text` (trimmed). */
export function scopeOf(tokens: ScopedToken[], text: string, occurrence = 0): string | undefined {
  const matches = tokens.filter((token) => token.text.trim() === text);
  const token = matches[occurrence];
  return token?.scopes[token.scopes.length - 1];
}
