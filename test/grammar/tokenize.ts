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

const GRAMMAR_FILES: Record<string, string> = {
  'source.tcpscenario': '../../syntaxes/tcpscenario.tmLanguage.json',
  'source.packetdrill': '../../syntaxes/packetdrill.tmLanguage.json',
};

let registryPromise: Promise<textmate.Registry> | undefined;
const grammars = new Map<string, Promise<textmate.IGrammar>>();

function loadRegistry(): Promise<textmate.Registry> {
  registryPromise ??= (async () => {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new textmate.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns) => oniguruma.createOnigScanner(patterns),
        createOnigString: (text) => oniguruma.createOnigString(text),
      }),
      loadGrammar: async (scopeName) => {
        const file = GRAMMAR_FILES[scopeName];
        if (!file) return null;
        const path = new URL(file, import.meta.url);
        return textmate.parseRawGrammar(readFileSync(path, 'utf8'), path.pathname);
      },
    });
    return registry;
  })();
  return registryPromise;
}

function loadGrammar(scopeName: string): Promise<textmate.IGrammar> {
  let grammar = grammars.get(scopeName);
  if (!grammar) {
    grammar = loadRegistry().then(async (registry) => {
      const loaded = await registry.loadGrammar(scopeName);
      if (!loaded) throw new Error(`grammar ${scopeName} did not load`);
      return loaded;
    });
    grammars.set(scopeName, grammar);
  }
  return grammar;
}

/** Tokens of each line, in order, with their full scope stacks (the tcpscenario grammar unless told). */
export async function tokenizeLines(text: string, scopeName = 'source.tcpscenario'): Promise<ScopedToken[][]> {
  const grammar = await loadGrammar(scopeName);
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
