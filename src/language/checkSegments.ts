// What a segment pattern may say, in a fault, an `expect`, an `inject` or an `expect next`:
// declared endpoints that are not the same one, known flags (`none` alone), the fields each
// allows with values in range, and an inject's TCP options.

import type { OptionNode, Pattern, SegmentExpectation } from './ast';
import type { CheckContext } from './checkContext';
import { MESSAGES } from './messages';
import { readInteger } from './semantics';
import { closest } from './suggest';
import { MAX_U32, parseInteger } from './values';
import { DATA_FLAG, FLAGS, NEXT_BARE_FIELDS, NO_FLAGS, SACK_PERMITTED, TCP_OPTION_KEYS, normalizeFlag } from './vocabulary';

const PATTERN_FIELDS: readonly string[] = ['seq', 'ack', 'len'];
const INJECT_FIELDS: readonly string[] = ['seq', 'ack', 'len', 'wnd', ...TCP_OPTION_KEYS];
/** `expect next`: an inject's fields, and whether segments may be joined or must carry no option. */
const NEXT_FIELDS: readonly string[] = [...INJECT_FIELDS, ...NEXT_BARE_FIELDS];
/** A window `expect next` may expect, as the sender means it (scaled: up to 2^30). */
const MAX_SCALED_WINDOW = 1 << 30;
const TCP_OPTION_SET: ReadonlySet<string> = new Set(TCP_OPTION_KEYS);

export function checkPattern(c: CheckContext, pattern: Pattern | undefined, mode: 'pattern' | 'inject' | 'next'): void {
  const inject = mode !== 'pattern';
  if (!pattern) return;
  const fromOk = c.reference(pattern.from);
  const toOk = c.reference(pattern.to);
  if (fromOk && toOk && pattern.from?.text === pattern.to?.text) c.report('error', MESSAGES.segmentToSelf, [pattern.to!.text], pattern.range);
  // Most patterns have one flag: no set needed to find repeats.
  const seen = pattern.flags.length > 1 ? new Set<string>() : undefined;
  for (const flag of pattern.flags) {
    if (flag.text.toLowerCase() === NO_FLAGS) {
      if (pattern.flags.length > 1) c.report('error', MESSAGES.noneWithFlags, [pattern.flags.filter((f) => f !== flag).map((f) => f.text).join(',')], flag.range);
      continue;
    }
    const normal = flag.text.toLowerCase() === DATA_FLAG ? DATA_FLAG : normalizeFlag(flag.text);
    if (!normal) {
      const suggestion = closest(flag.text, [...FLAGS, DATA_FLAG]);
      if (suggestion) c.report('error', MESSAGES.unknownFlag, [flag.text, suggestion], flag.range, c.replaceFix(flag.range, suggestion));
      else c.report('error', MESSAGES.unknownFlagNoSuggestion, [flag.text], flag.range);
      continue;
    }
    if (seen?.has(normal)) c.report('warning', MESSAGES.duplicateFlag, [flag.text], flag.range);
    seen?.add(normal);
  }
  c.duplicateOptions(pattern.fields);
  const allowed = mode === 'next' ? NEXT_FIELDS : inject ? INJECT_FIELDS : PATTERN_FIELDS;
  for (const field of pattern.fields) {
    const key = field.key.text.toLowerCase();
    if (!inject && TCP_OPTION_SET.has(key)) {
      c.report('error', MESSAGES.tcpOptionOutsideInject, [field.key.text], field.key.range);
      continue;
    }
    if (!allowed.includes(key)) {
      const suggestion = closest(field.key.text, allowed);
      if (suggestion) c.report('error', MESSAGES.unknownOption, [field.key.text, 'a segment', suggestion], field.key.range, c.replaceFix(field.key.range, suggestion));
      else c.report('error', MESSAGES.fieldNotAllowed, [field.key.text, mode === 'next' ? 'expect next' : inject ? 'inject' : 'a segment pattern'], field.key.range);
      continue;
    }
    if (TCP_OPTION_SET.has(key)) {
      tcpOption(c, key, field);
      continue;
    }
    if ((NEXT_BARE_FIELDS as readonly string[]).includes(key)) {
      if (field.value) c.report('error', MESSAGES.optionTakesNoValue, [field.key.text], field.range, c.replaceFix(field.range, field.key.text));
      continue;
    }
    if (!field.value) continue;
    const max = key === 'len' ? 65_535 : key === 'wnd' ? (mode === 'next' ? MAX_SCALED_WINDOW : 65_535) : MAX_U32;
    c.reportRead(readInteger(key, field.value, 0, max), field.value.range);
  }
}

/** An inject's TCP option: `mss=N`, `wscale=N`, `sackok`, `ts=VAL:ECR`, `sack=L:R[,L:R...]`. */
function tcpOption(c: CheckContext, key: string, field: OptionNode): void {
  const value = field.value;
  if (key === SACK_PERMITTED) {
    if (value) c.report('error', MESSAGES.optionTakesNoValue, [field.key.text], field.range, c.replaceFix(field.range, field.key.text));
    return;
  }
  if (!value) return;
  switch (key) {
    case 'mss':
      c.reportRead(readInteger(key, value, 1, 65_535), value.range);
      return;
    case 'wscale':
      c.reportRead(readInteger(key, value, 0, 14), value.range);
      return;
    case 'ts':
      if (tcpPairs(value.text, 1) === undefined) c.report('error', MESSAGES.invalidTimestamps, [value.text], value.range);
      return;
    case 'sack':
      if (tcpPairs(value.text, 4) === undefined) c.report('error', MESSAGES.invalidSackBlocks, [value.text], value.range);
      return;
  }
}

/** `expect next A -> B FLAGS ... [within ...]`: flags required, options or `nooptions`, a sane window. */
export function checkExpectNext(c: CheckContext, expectation: SegmentExpectation): void {
  const pattern = expectation.pattern;
  checkPattern(c, pattern, 'next');
  if (!pattern?.to) return;
  if (pattern.flags.length === 0) c.report('error', MESSAGES.nextNeedsFlags, [], pattern.range);
  const keys = pattern.fields.map((f) => f.key.text.toLowerCase());
  const nooptions = pattern.fields.find((f) => f.key.text.toLowerCase() === 'nooptions');
  if (nooptions && keys.some((k) => TCP_OPTION_SET.has(k))) c.report('error', MESSAGES.nooptionsWithOptions, [], nooptions.key.range);
  if (pattern.flags.some((f) => f.text.toLowerCase() === DATA_FLAG)) {
    const data = pattern.flags.find((f) => f.text.toLowerCase() === DATA_FLAG)!;
    c.report('error', MESSAGES.nextExactFlags, [], data.range);
  }
  const within = expectation.within;
  for (const [value, us] of [[within?.early, within?.earlyUs], [within?.late, within?.lateUs]] as const) {
    if (value && us !== undefined && us > 3_600_000_000) c.report('error', MESSAGES.durationOutOfRange, [value.text, '1h'], value.range);
  }
}

/** `A:B[,A:B...]`, at most `max` pairs of 32-bit numbers, or undefined (shared with the compiler). */
export function tcpPairs(text: string, max: number): [number, number][] | undefined {
  const parts = text.split(',');
  if (parts.length > max) return undefined;
  const pairs: [number, number][] = [];
  for (const part of parts) {
    const halves = part.trim().split(':');
    if (halves.length !== 2) return undefined;
    const a = parseInteger(halves[0]);
    const b = parseInteger(halves[1]);
    if (a === undefined || b === undefined || a > MAX_U32 || b > MAX_U32) return undefined;
    pairs.push([a, b]);
  }
  return pairs;
}
