import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers as docs/architecture.md draws them: what each folder of src/ may import besides itself.
 * test/lint/layers.test.ts checks this table against the doc's and that a violation fails the lint.
 */
export const LAYERS = {
  engine: [],
  text: ['engine'],
  language: ['engine'],
  diagram: ['engine', 'text'],
  interop: ['engine', 'language'],
  run: ['engine', 'language', 'interop'],
  debug: ['engine', 'language', 'diagram', 'interop', 'run', 'text'],
  cli: ['engine', 'language', 'diagram', 'interop', 'run', 'text'],
  vscode: ['engine', 'language', 'diagram', 'interop', 'debug', 'run', 'text'],
};
/** Single files that need a layer more than the rest of their folder. */
export const FILE_EXCEPTIONS = {
  // runs a scenario through the run path, for tests and the bench; the webview never imports it
  'src/diagram/scenario.ts': ['language', 'run'],
};
/** Layers without I/O: no Node module, no `vscode`; they run in the webview and in tests as they are. */
export const PURE = ['engine', 'text', 'language', 'diagram', 'interop'];

const NODE_MODULES = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
const list = (layers) => (layers.length === 0 ? 'nothing from another layer' : layers.map((l) => `src/${l}`).join(', '));
/** An import that climbs out of the importing folder into src/NAME (`../NAME/...`, `../../NAME`). */
const into = (name) => `^(?:\\.\\./)+${name}(?:/|$)`;

function layerRule(layer, allowed) {
  const forbidden = Object.keys(LAYERS).filter((name) => name !== layer && !allowed.includes(name));
  const paths = layer === 'vscode' ? [] : [{ name: 'vscode', message: 'Only src/vscode and src/extension.ts import vscode.' }];
  const patterns = forbidden.map((name) => ({
    regex: into(name),
    message: `src/${layer} imports ${list(allowed)}; not src/${name} (docs/architecture.md, "Layers").`,
  }));
  if (PURE.includes(layer)) {
    paths.push(...NODE_MODULES.map((name) => ({ name, message: `src/${layer} is pure: no I/O, no Node modules.` })));
    patterns.push({ regex: '^node:', message: `src/${layer} is pure: no I/O, no Node modules.` });
  }
  return ['error', { paths, patterns }];
}

const layerConfigs = Object.entries(LAYERS).flatMap(([layer, allowed]) => {
  const exceptions = Object.entries(FILE_EXCEPTIONS).filter(([file]) => file.startsWith(`src/${layer}/`));
  return [
    {
      files: [`src/${layer}/**/*.ts`],
      ignores: exceptions.map(([file]) => file),
      rules: { '@typescript-eslint/no-restricted-imports': layerRule(layer, allowed) },
    },
    ...exceptions.map(([file, extra]) => ({
      files: [file],
      rules: { '@typescript-eslint/no-restricted-imports': layerRule(layer, [...allowed, ...extra]) },
    })),
  ];
});

// The webview script: bundled for the browser, it takes the diagram's model and drawing and the
// engine's trace types, nothing else (scenario.ts would bring the language and the engine's code in).
const mediaConfig = {
  files: ['media/**/*.ts'],
  rules: {
    '@typescript-eslint/no-restricted-imports': ['error', {
      paths: [
        { name: 'vscode', message: 'The webview talks to VS Code only through postMessage.' },
        ...NODE_MODULES.map((name) => ({ name, message: 'The webview runs in a browser: no Node modules.' })),
      ],
      patterns: [
        { regex: '^node:', message: 'The webview runs in a browser: no Node modules.' },
        { regex: '^(?:\\.\\./)+src/(?!diagram/|engine/|text/)', message: 'media/ imports src/diagram, src/text and the engine\'s types only (docs/architecture.md, "Layers").' },
        { regex: '^(?:\\.\\./)+src/diagram/scenario$', message: 'media/ must not import src/diagram/scenario.ts: it brings the language and the engine into the webview.' },
        { regex: '^(?:\\.\\./)+src/engine(?:/|$)', allowTypeImports: true, message: 'media/ imports only types from src/engine (`import type`); the drawing comes from src/diagram.' },
      ],
    }],
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', '.vscode-test/**', 'test/e2e/.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
    },
  },
  ...layerConfigs,
  mediaConfig,
  {
    files: ['scripts/**', 'test/e2e/**', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' } },
  },
);
