import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { getL10nJson } from '@vscode/l10n-dev';
import { ALL_MESSAGES } from '../../src/language/messages';
import { dynamicKeys } from './l10nKeys';

const LOCALES = ['zh-cn', 'zh-tw'];

function readJson(path: string): Record<string, string> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
}

function placeholders(text: string): string[] {
  return (text.match(/\{\d+\}/g) ?? []).sort();
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every `l10n.t('literal')` in src, extracted the way `npx @vscode/l10n-dev export -o l10n src` does. */
async function literalKeys(): Promise<string[]> {
  const files = sources('src').map((path) => ({ extension: '.ts', contents: readFileSync(path, 'utf8') }));
  return Object.keys(await getL10nJson(files));
}

describe('localization', () => {
  test('the English bundle has every l10n.t string of src (run npx @vscode/l10n-dev export -o l10n src)', async () => {
    const english = readJson('l10n/bundle.l10n.json');
    const missing = (await literalKeys()).filter((key) => !(key in english));
    assert.deepEqual(missing, []);
  });

  for (const locale of LOCALES) {
    test(`${locale}: every English bundle key, diagnostic template and help text is translated, with the same placeholders`, async () => {
      const bundle = readJson(`l10n/bundle.l10n.${locale}.json`);
      const keys = new Set([...Object.keys(readJson('l10n/bundle.l10n.json')), ...(await literalKeys()), ...dynamicKeys()]);
      const missing = [...keys].filter((key) => typeof bundle[key] !== 'string' || bundle[key].trim() === '');
      assert.deepEqual(missing, [], `untranslated in ${locale}`);
      for (const key of keys) assert.deepEqual(placeholders(bundle[key]), placeholders(key), `${locale}: ${key}`);
    });

    test(`${locale}: every diagnostic template of messages.ts is translated`, () => {
      const bundle = readJson(`l10n/bundle.l10n.${locale}.json`);
      for (const spec of ALL_MESSAGES) assert.ok(bundle[spec.template], `${spec.code}: ${spec.template}`);
    });

    test(`${locale}: package.nls has every key of the English package.nls, and package.json uses only known keys`, () => {
      const english = readJson('package.nls.json');
      const translated = readJson(`package.nls.${locale}.json`);
      assert.deepEqual(Object.keys(translated).sort(), Object.keys(english).sort());
      for (const [key, value] of Object.entries(translated)) assert.ok(value.trim() !== '' && value !== english[key], `${locale}: ${key} is not translated`);
      const used = [...readFileSync('package.json', 'utf8').matchAll(/"%([^%"]+)%"/g)].map((match) => match[1]);
      for (const key of used) assert.ok(key in english, `package.json uses %${key}% but package.nls.json lacks it`);
    });
  }

  test('a bundle key that nothing uses any more is reported', async () => {
    const used = new Set([...Object.keys(readJson('l10n/bundle.l10n.json')), ...(await literalKeys()), ...dynamicKeys()]);
    for (const locale of LOCALES) {
      const stale = Object.keys(readJson(`l10n/bundle.l10n.${locale}.json`)).filter((key) => !used.has(key));
      assert.deepEqual(stale, [], `stale keys in ${locale}`);
    }
  });
});
