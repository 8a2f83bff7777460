// Translation outside VS Code: the debug adapter (inline and standalone), the CLI and the run
// worker speak English, Simplified or Traditional Chinese from the same bundles VS Code reads
// (l10n/bundle.l10n.*.json, keyed by the English template). Pure: the bundles come in as data
// (src/text/bundles.ts imports them into the Node bundles). A translator per session, not a
// global (as @vscode/l10n's `config` is), since one process may hold sessions in two languages.

export type Locale = 'en' | 'zh-cn' | 'zh-tw';
export const LOCALES: readonly Locale[] = ['en', 'zh-cn', 'zh-tw'];

/** A bundle as l10n-dev writes it: the English template -> its translation (or { message, comment }). */
export type Bundle = Readonly<Record<string, string | { message: string; comment?: string[] }>>;

/** A template's argument: a name or number as it is, or a phrase that is itself a template. */
export type Argument = string | number | Message;

/** An English template with {0} placeholders and its arguments: what a pure layer hands up. */
export interface Message {
  template: string;
  args: readonly Argument[];
}

export function message(template: string, ...args: Argument[]): Message {
  return { template, args };
}

/** Fills {0}, {1}... in English (a placeholder without its argument stays as it is). */
export function fill(template: string, args: readonly Argument[]): string {
  return fillWith(template, args, (m) => fill(m.template, m.args));
}

function fillWith(template: string, args: readonly Argument[], nested: (m: Message) => string): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const arg = args[Number(index)];
    if (arg === undefined) return whole;
    return typeof arg === 'object' ? nested(arg) : String(arg);
  });
}

export interface Translator {
  readonly locale: Locale;
  /** The template in this locale (English when the bundle lacks it), filled; a Message argument is translated too. */
  t(template: string, ...args: Argument[]): string;
  /** A Message in this locale; besides Message arguments, a string argument with a space is taken for an English phrase and translated when the bundle has it (as the editor does with the language's diagnostics). */
  message(message: Message): string;
}

/** The English "translator": fills templates, nothing else. */
export const ENGLISH: Translator = translator('en', {});

export function translator(locale: Locale, bundle: Bundle): Translator {
  return translatorWith(locale, (template) => {
    const entry = bundle[template];
    if (entry === undefined) return template;
    const text = typeof entry === 'string' ? entry : entry.message;
    return text.trim() === '' ? template : text;
  });
}

/** A translator over any lookup of a template's translation (its placeholders left in), such as VS Code's l10n. */
export function translatorWith(locale: Locale, lookup: (template: string) => string): Translator {
  const t = (template: string, ...args: Argument[]): string => fillWith(lookup(template), args, (m) => t(m.template, ...m.args));
  const phrase = (argument: Argument): Argument => (typeof argument === 'string' && /\s/.test(argument) ? lookup(argument) : argument);
  const translate = (m: Message): string => fillWith(lookup(m.template), m.args.map(phrase), translate);
  return { locale, t, message: translate };
}

/**
 * The locale a language tag asks for: `zh-CN`, `zh_CN.UTF-8`, `zh-Hans`, `zh-SG` are Simplified;
 * `zh-TW`, `zh-HK`, `zh-MO`, `zh-Hant` Traditional; anything else (or nothing) English.
 */
export function localeOf(tag: string | undefined): Locale {
  if (!tag) return 'en';
  const parts = tag.trim().toLowerCase().split('.')[0].split('@')[0].split(/[-_]/);
  if (parts[0] !== 'zh') return 'en';
  const rest = parts.slice(1);
  if (rest.includes('hant') || rest.some((p) => p === 'tw' || p === 'hk' || p === 'mo')) return 'zh-tw';
  return 'zh-cn';
}

/**
 * The CLI's locale from the environment, as gettext reads it: LC_ALL, else LC_MESSAGES, else LANG
 * names the locale; when that is set and not C/POSIX, LANGUAGE (a priority list such as
 * `zh_TW:en`) comes first.
 */
export function localeFromEnv(env: Readonly<Record<string, string | undefined>>): Locale {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  if (locale === undefined) return 'en';
  const base = locale.split('.')[0];
  if (base === 'C' || base === 'POSIX') return 'en';
  for (const entry of (env.LANGUAGE ?? '').split(':')) {
    if (entry === '') continue;
    const chosen = localeOf(entry);
    // `en` in the list is a choice too: the first supported entry wins.
    if (chosen !== 'en' || /^en([-_.@]|$)/i.test(entry)) return chosen;
  }
  return localeOf(locale);
}
