// The translations, bundled: esbuild inlines the l10n bundles VS Code reads into the standalone
// debug adapter and the CLI (about 80 KB each, as UTF-8), so every layer translates from the same
// files. Only those entry points import this: inside VS Code the inline adapter translates through
// vscode.l10n (the same files), and the webview gets its strings from the extension.

import zhCn from '../../l10n/bundle.l10n.zh-cn.json';
import zhTw from '../../l10n/bundle.l10n.zh-tw.json';
import { ENGLISH, translator, type Bundle, type Locale, type Translator } from './translate';

const BUNDLES: Record<Exclude<Locale, 'en'>, Bundle> = { 'zh-cn': zhCn, 'zh-tw': zhTw };

const cache = new Map<Locale, Translator>([['en', ENGLISH]]);

/** The translator for a locale, from the bundled l10n files. */
export function translatorFor(locale: Locale): Translator {
  let found = cache.get(locale);
  if (!found) cache.set(locale, (found = translator(locale, bundleOf(locale))));
  return found;
}

/** A locale's bundle as it is (for a worker thread, whose own bundle leaves the translations out). */
export function bundleOf(locale: Locale): Bundle {
  return locale === 'en' ? {} : BUNDLES[locale];
}
