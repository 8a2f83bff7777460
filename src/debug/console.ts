// Debug Console commands that change the run on the fly (everything else typed there is an
// expression). Parsing only: the session applies the result through the runtime.
//
//   help
//   segments                          list the segments in flight
//   drop s12                          drop segment s12, which is in flight now
//   drop next client -> server FIN    drop the next matching segment (a fault rule, once)
//   duplicate|corrupt|reorder next PATTERN    likewise
//   delay next PATTERN by 50ms        the next matching segment arrives 50 ms later
//   drop all PATTERN                  from now on, always
//   inject A -> B FLAGS seq=N ...     a crafted segment on the link from A to B, now
//   save capture FILE [at NAME]       the run so far as a pcapng capture (saveCapture.ts)

import type { Action, FaultKind, FaultRule, SegmentPattern } from '../engine/program';
import { MAX_U32, parseDuration, parseInteger } from '../language/values';
import { FLAG_ORDER, type TcpFlag } from '../engine/trace';
import { fill, type Argument, type Translator } from '../text/translate';
import { DEBUG_MESSAGES } from './messages';

export type ConsoleCommand =
  | { kind: 'help' }
  | { kind: 'segments' }
  | { kind: 'drop-in-flight'; id: string }
  | { kind: 'fault'; rule: FaultRule }
  | { kind: 'inject'; action: InjectAction; text: string }
  | { kind: 'save-capture'; file: string; at?: string };

/** A segment the console puts on a link (the language's `inject`, without TCP options). */
export type InjectAction = Extract<Action, { kind: 'inject' }>;

/** The console's help, in English (the session translates it line by line). */
export const CONSOLE_HELP = DEBUG_MESSAGES.helpLines.join('\n');

export const COMMAND_WORDS: readonly string[] = ['help', 'segments', 'drop', 'duplicate', 'corrupt', 'delay', 'reorder', 'inject', 'save'];
const COMMANDS = new Set(COMMAND_WORDS);

/** Whether the text is meant as a console command rather than an expression. */
export function isConsoleCommand(text: string): boolean {
  const [first, second] = text.trim().split(/\s+/);
  if (!COMMANDS.has(first)) return false;
  // `help` and `segments` stand alone; `drop` needs an argument (a bare endpoint named "drop" stays an expression).
  return first === 'help' || first === 'segments' || second !== undefined;
}

/** A console command that is not understood: English message, and its template for the session to translate. */
export class ConsoleError extends Error {
  constructor(
    readonly template: string,
    readonly args: readonly Argument[] = [],
  ) {
    super(fill(template, args));
  }

  translated(tr: Translator): string {
    const args = this.args.map((arg) => (arg === DEBUG_MESSAGES.nothing ? tr.t(arg) : arg));
    return tr.message({ template: this.template, args });
  }
}

export function parseConsoleCommand(text: string, endpoints: readonly string[]): ConsoleCommand {
  const words = text.trim().split(/\s+/);
  const [verb, mode, ...rest] = words;
  if (verb === 'help') return { kind: 'help' };
  if (verb === 'segments') return { kind: 'segments' };
  if (verb === 'inject') return { kind: 'inject', action: parseInject(words.slice(1), endpoints), text: `${text.trim()} (debug console)` };
  if (verb === 'save') return parseSave(text);
  const kind = verb as FaultKind;
  if (kind === 'drop' && mode !== undefined && /^s\d+$/.test(mode) && rest.length === 0) return { kind: 'drop-in-flight', id: mode };
  if (mode !== 'next' && mode !== 'all') {
    throw new ConsoleError(kind === 'drop' ? DEBUG_MESSAGES.expectedNextAllOrId : DEBUG_MESSAGES.expectedNextOrAll, [verb, mode ?? DEBUG_MESSAGES.nothing]);
  }
  let by: number | undefined;
  if (kind === 'delay') {
    // `delay next PATTERN by D`: the pattern ends where `by` starts.
    const at = rest.indexOf('by');
    const duration = at >= 0 && at === rest.length - 2 ? parseDuration(rest[at + 1]) : undefined;
    if (!duration?.ok || duration.us <= 0) throw new ConsoleError(DEBUG_MESSAGES.expectedBy, [rest.slice(Math.max(0, at)).join(' ') || DEBUG_MESSAGES.nothing]);
    by = duration.us;
    rest.length = at;
  }
  const pattern = parsePattern(rest, endpoints);
  const rule: FaultRule = { kind, pattern, count: mode === 'next' ? 1 : Infinity, text: `${text.trim()} (debug console)` };
  if (by !== undefined) rule.by = by;
  return { kind: 'fault', rule };
}

/** `A -> B FLAGS seq=N [ack=N] [len=N] [wnd=N]`, as the language's `inject` (flags `none`: no flag at all). */
function parseInject(words: readonly string[], endpoints: readonly string[]): InjectAction {
  const [from, arrow, to, flagText, ...fields] = words;
  if (from === undefined || arrow !== '->' || to === undefined) throw new ConsoleError(DEBUG_MESSAGES.expectedInject, [words.join(' ')]);
  for (const name of [from, to]) {
    if (!endpoints.includes(name)) throw new ConsoleError(DEBUG_MESSAGES.unknownEndpoint, [name, endpoints.join(', ')]);
  }
  const flags = flagText?.toUpperCase() === 'NONE' ? [] : (flagText ?? '').toUpperCase().split(',');
  if (flagText === undefined || !flags.every((f) => (FLAG_ORDER as readonly string[]).includes(f))) {
    throw new ConsoleError(DEBUG_MESSAGES.expectedInjectFlags, [from, to, flagText ?? DEBUG_MESSAGES.nothing]);
  }
  const values: Partial<Record<'seq' | 'ack' | 'len' | 'wnd', number>> = {};
  for (const field of fields) {
    const m = /^(seq|ack|len|wnd)=(.+)$/.exec(field);
    const n = m ? parseInteger(m[2]) : undefined;
    const max = m?.[1] === 'wnd' ? 0xffff : m?.[1] === 'len' ? 65535 : MAX_U32;
    if (!m || n === undefined || n > max) throw new ConsoleError(DEBUG_MESSAGES.notAnInjectField, [field]);
    values[m[1] as 'seq' | 'ack' | 'len' | 'wnd'] = n;
  }
  if (values.seq === undefined) throw new ConsoleError(DEBUG_MESSAGES.injectNeedsSeq);
  const action: InjectAction = { kind: 'inject', from, to, flags: flags as TcpFlag[], seq: values.seq, ack: values.ack ?? 0, len: values.len ?? 0 };
  if (values.wnd !== undefined) action.wnd = values.wnd;
  return action;
}

/** `save capture FILE [at NAME]`; FILE may be in quotes (a name with spaces). */
function parseSave(text: string): ConsoleCommand {
  const match = /^save\s+capture\s+(?:"([^"]+)"|(.+?))(?:\s+at\s+(\S+))?\s*$/.exec(text.trim());
  if (!/^save\s+capture\b/.test(text.trim())) throw new ConsoleError(DEBUG_MESSAGES.saveExpectedCapture);
  if (!match) throw new ConsoleError(DEBUG_MESSAGES.saveExpectedFile);
  const file = match[1] ?? match[2];
  return match[3] === undefined ? { kind: 'save-capture', file } : { kind: 'save-capture', file, at: match[3] };
}

function parsePattern(words: readonly string[], endpoints: readonly string[]): SegmentPattern {
  const [from, arrow, to, ...fields] = words;
  if (from === undefined || arrow !== '->' || to === undefined) {
    throw new ConsoleError(DEBUG_MESSAGES.expectedPattern, [words.join(' ') || DEBUG_MESSAGES.nothing]);
  }
  for (const name of [from, to]) {
    if (!endpoints.includes(name)) throw new ConsoleError(DEBUG_MESSAGES.unknownEndpoint, [name, endpoints.join(', ')]);
  }
  const pattern: SegmentPattern = { from, to };
  for (const field of fields) {
    const numeric = /^(seq|ack|len)=(\d+)$/.exec(field);
    if (numeric) {
      pattern[numeric[1] as 'seq' | 'ack' | 'len'] = Number(numeric[2]);
      continue;
    }
    if (field === 'data') {
      pattern.data = true;
      continue;
    }
    const flags = field.toUpperCase().split(',');
    if (flags.every((f) => (FLAG_ORDER as readonly string[]).includes(f))) {
      pattern.flags = flags as TcpFlag[];
      continue;
    }
    throw new ConsoleError(DEBUG_MESSAGES.notAFlagList, [field]);
  }
  return pattern;
}
