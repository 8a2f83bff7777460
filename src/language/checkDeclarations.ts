// The declarations' checks: `scenario` and `profile` given once, a known profile, `set` keys
// and values, endpoints declared once with addresses and ports in range, links declared once and
// not to themselves, and their options. The checker runs them first: statements refer to what
// they declare (CheckContext's `endpoints` and `raw`).

import type { OptionNode, Statement } from './ast';
import type { CheckContext } from './checkContext';
import { MESSAGES } from './messages';
import { readDuration, readInteger, readProbability, readSetting } from './semantics';
import { closest } from './suggest';
import { MAX_U32 } from './values';
import { ENDPOINT_OPTIONS, LINK_OPTIONS, PROFILES, SETTINGS, findSetting } from './vocabulary';

const SETTING_KEYS = SETTINGS.map((s) => s.key);

/** The declaration statements, in order; fills the context's `endpoints` and `raw`. */
export function checkDeclarations(c: CheckContext, statements: Statement[]): void {
  const seenAddresses = new Map<string, string>();
  const seenKeys = new Map<string, number>();
  const seenLinks = new Map<string, number>();
  let scenarioLine: number | undefined;
  let profileLine: number | undefined;
  for (const statement of statements) {
    switch (statement.kind) {
      case 'scenario':
        if (scenarioLine !== undefined) c.report('warning', MESSAGES.repeatedDeclaration, ['scenario', String(scenarioLine)], statement.keyword.range);
        scenarioLine = statement.line;
        break;
      case 'profile': {
        if (profileLine !== undefined) c.report('warning', MESSAGES.repeatedDeclaration, ['profile', String(profileLine)], statement.keyword.range);
        profileLine = statement.line;
        const name = statement.profile;
        if (name && !(PROFILES as readonly string[]).includes(name.text.toLowerCase())) {
          const suggestion = closest(name.text, PROFILES);
          c.report('error', MESSAGES.unknownProfile, [name.text], name.range, suggestion ? c.replaceFix(name.range, suggestion) : undefined);
        }
        break;
      }
      case 'set':
        for (const option of statement.options) {
          const spec = findSetting(option.key.text);
          if (!spec) {
            c.unknownKey(option.key, SETTING_KEYS, MESSAGES.unknownSetting, MESSAGES.unknownSettingNoSuggestion, []);
            continue;
          }
          const earlier = seenKeys.get(spec.key);
          if (earlier !== undefined) c.report('warning', MESSAGES.duplicateOption, [option.key.text], option.key.range);
          seenKeys.set(spec.key, statement.line);
          if (option.value) c.reportRead(readSetting(spec, option.value), option.value.range);
        }
        break;
      case 'endpoint': {
        const name = statement.name;
        if (!name) break;
        const earlier = c.endpoints.get(name.text);
        if (earlier) {
          c.report('error', MESSAGES.duplicateEndpoint, [name.text, String(earlier.line)], name.range);
        } else {
          c.endpoints.set(name.text, statement);
          if (statement.raw) c.raw.add(name.text);
        }
        const address = statement.address;
        if (address) {
          if (address.octets?.some((octet) => octet > 255)) c.report('error', MESSAGES.addressOutOfRange, [address.host ?? address.text], address.range);
          if (address.port !== undefined && (address.port < 1 || address.port > 65535)) {
            c.report('error', MESSAGES.portOutOfRange, [String(address.port)], address.range);
          }
          if (address.host && address.port !== undefined) {
            const key = `${address.host}:${address.port}`;
            const other = seenAddresses.get(key);
            if (other !== undefined && other !== name.text) c.report('warning', MESSAGES.duplicateAddress, [other, name.text, key], address.range);
            seenAddresses.set(key, name.text);
          }
        }
        endpointOptions(c, statement.options);
        break;
      }
      case 'link': {
        const { a, b } = statement;
        if (a && b) {
          if (a.text === b.text) c.report('error', MESSAGES.linkToSelf, [a.text], b.range);
          const key = [a.text, b.text].sort().join('\u0000');
          const earlier = seenLinks.get(key);
          if (earlier !== undefined) c.report('error', MESSAGES.duplicateLink, [a.text, b.text, String(earlier)], statement.keyword.range);
          else seenLinks.set(key, statement.line);
        }
        linkOptions(c, statement.options);
        break;
      }
    }
  }
}

function endpointOptions(c: CheckContext, options: OptionNode[]): void {
  c.duplicateOptions(options);
  for (const option of options) {
    if (!option.value) continue;
    if (option.key.text.toLowerCase() === 'isn') {
      c.reportRead(readInteger('isn', option.value, 0, MAX_U32), option.value.range);
      continue;
    }
    const spec = findSetting(option.key.text);
    if (!spec) {
      c.unknownKey(option.key, [...ENDPOINT_OPTIONS, ...SETTING_KEYS], MESSAGES.unknownOption, MESSAGES.unknownOptionNoSuggestion, ['an endpoint']);
      continue;
    }
    c.reportRead(readSetting(spec, option.value), option.value.range);
  }
}

function linkOptions(c: CheckContext, options: OptionNode[]): void {
  c.duplicateOptions(options);
  for (const option of options) {
    const value = option.value;
    if (!value) continue;
    const key = option.key.text.toLowerCase();
    switch (key) {
      case 'delay':
      case 'jitter':
        c.reportRead(readDuration(key, value, 0, 3_600_000_000), value.range);
        break;
      case 'loss':
      case 'dup':
      case 'duplicate':
      case 'reorder':
      case 'corrupt':
        c.reportRead(readProbability(key, value), value.range);
        break;
      case 'seed':
        c.reportRead(readInteger(key, value, 0, MAX_U32), value.range);
        break;
      default:
        c.unknownKey(option.key, LINK_OPTIONS, MESSAGES.unknownOption, MESSAGES.unknownOptionNoSuggestion, ['a link']);
    }
  }
}
