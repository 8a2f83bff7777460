// The layering lint: eslint.config.mjs forbids each folder of src/ (and media/) the imports that
// docs/architecture.md does not draw. The doc's table and the config's must say the same, and a file
// that breaks the rule (linted here as it would be in its folder) must fail the lint.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';

const root = join(import.meta.dirname, '..', '..');
const RULE = '@typescript-eslint/no-restricted-imports';

interface LayerConfig {
  LAYERS: Record<string, string[]>;
  FILE_EXCEPTIONS: Record<string, string[]>;
  PURE: string[];
}

/** The doc's table: folder -> the layers it imports, and the files with an exception. */
function documented(): { layers: Record<string, string[]>; exceptions: Record<string, string[]> } {
  const doc = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
  const layers: Record<string, string[]> = {};
  const exceptions: Record<string, string[]> = {};
  for (const [, folder, imports] of doc.matchAll(/^\| `src\/(\w+)\/` \|[^|]*\| ([^|]*) \|$/gm)) {
    const outside = imports.replace(/\([^)]*\)/g, '');
    layers[folder] = [...outside.matchAll(/`src\/(\w+)`/g)].map((m) => m[1]).sort();
    for (const [, file, extra] of imports.matchAll(/\(`(\w+\.ts)` also ([^)]*)\)/g)) {
      exceptions[`src/${folder}/${file}`] = [...extra.matchAll(/`src\/(\w+)`/g)].map((m) => m[1]);
    }
  }
  return { layers, exceptions };
}

describe('layering lint (eslint.config.mjs, as docs/architecture.md draws the layers)', () => {
  let config: LayerConfig;
  let eslint: ESLint;

  /** The rule's messages for `code` linted as the file `file` of the repository. */
  async function violations(file: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: join(root, file) });
    return result.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
  }

  before(async () => {
    config = (await import(pathToFileURL(join(root, 'eslint.config.mjs')).href)) as LayerConfig;
    eslint = new ESLint({ cwd: root });
  });

  test('the config has the layers of the doc\'s table, no more, no less', () => {
    const doc = documented();
    const sorted = (table: Record<string, string[]>) => Object.fromEntries(Object.entries(table).map(([k, v]) => [k, [...v].sort()]).sort());
    assert.deepEqual(sorted(config.LAYERS), sorted(doc.layers));
    assert.deepEqual(sorted(config.FILE_EXCEPTIONS), sorted(doc.exceptions));
  });

  test('every folder of src/ is a layer of the table (a new folder needs its place in the doc and the config)', () => {
    const folders = readdirSync(join(root, 'src')).filter((name) => statSync(join(root, 'src', name)).isDirectory());
    assert.deepEqual(folders.filter((name) => !(name in config.LAYERS)), []);
  });

  test('every layer may import what the table allows and nothing else, from any depth of its folder', async () => {
    const names = Object.keys(config.LAYERS);
    const wrong: string[] = [];
    for (const layer of names) {
      for (const target of names.filter((n) => n !== layer)) {
        const allowed = config.LAYERS[layer].includes(target);
        for (const [file, specifier] of [
          [`src/${layer}/probe.ts`, `../${target}/index`],
          [`src/${layer}/sub/probe.ts`, `../../${target}/module`],
        ]) {
          const found = await violations(file, `import { x } from '${specifier}';\nexport const y = x;\n`);
          if (allowed !== (found.length === 0)) wrong.push(`${file} importing ${specifier}: ${allowed ? 'allowed, but the lint says' : 'forbidden, but the lint is silent'} ${found.join('; ')}`);
        }
      }
      // Its own files, from a subfolder too.
      assert.deepEqual(await violations(`src/${layer}/sub/probe.ts`, `import { x } from '../other';\nexport const y = x;\n`), [], `${layer} imports itself`);
    }
    assert.deepEqual(wrong, []);
  });

  test('a file with an exception imports its extra layer; its neighbours do not', async () => {
    for (const [file, extra] of Object.entries(config.FILE_EXCEPTIONS)) {
      for (const target of extra) {
        const code = `import { x } from '../${target}/index';\nexport const y = x;\n`;
        assert.deepEqual(await violations(file, code), [], `${file} imports src/${target}`);
        assert.notDeepEqual(await violations(file.replace(/[^/]+\.ts$/, 'neighbour.ts'), code), [], `a neighbour of ${file} does not`);
      }
    }
  });

  test('only src/vscode and src/extension.ts import vscode; pure layers import no Node module', async () => {
    const code = (module: string) => `import * as m from '${module}';\nexport const y = m;\n`;
    for (const layer of Object.keys(config.LAYERS)) {
      const vscodeFound = await violations(`src/${layer}/probe.ts`, code('vscode'));
      assert.equal(vscodeFound.length === 0, layer === 'vscode', `src/${layer} importing vscode: ${vscodeFound.join('; ') || 'no message'}`);
      for (const module of ['node:fs', 'fs', 'child_process', 'node:net', 'path']) {
        const found = await violations(`src/${layer}/probe.ts`, code(module));
        assert.equal(found.length > 0, config.PURE.includes(layer), `src/${layer} importing ${module}: ${found.join('; ') || 'no message'}`);
      }
    }
    assert.deepEqual(await violations('src/extension.ts', code('vscode')), []);
  });

  test('the webview script imports src/diagram and only types from src/engine', async () => {
    const cases: [string, boolean][] = [
      [`import { buildModel } from '../src/diagram/model';`, true],
      [`import type { TraceEvent } from '../src/engine/trace';`, true],
      [`import { flagLabel } from '../src/engine/trace';`, false],
      [`import { runScenario } from '../src/diagram/scenario';`, false],
      [`import { compile } from '../src/language/index';`, false],
      [`import { TcpScenarioDebugSession } from '../src/debug/session';`, false],
      [`import * as vscode from 'vscode';`, false],
      [`import { readdirSync, readFileSync, statSync } from 'node:fs';`, false],
    ];
    for (const [line, allowed] of cases) {
      for (const file of ['media/probe.ts', 'media/sub/probe.ts']) {
        const source = file.includes('/sub/') ? line.replace("'../src/", "'../../src/") : line;
        const found = await violations(file, `${source}\nexport const keep = 1;\n`);
        assert.equal(found.length === 0, allowed, `${file}: ${source} -> ${found.join('; ') || 'no message'}`);
      }
    }
  });

  test('the repository itself keeps the layers (what `npm run lint` checks)', async () => {
    const results = await eslint.lintFiles(['src', 'media']);
    const broken = results.flatMap((r) => r.messages.filter((m) => m.ruleId === RULE).map((m) => `${r.filePath}:${m.line}: ${m.message}`));
    assert.deepEqual(broken, []);
  });
});
