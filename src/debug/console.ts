// Debug Console commands that change the run on the fly (everything else typed there is an
// expression). Parsing only: the session applies the result through the runtime.
//
//   help
//   segments                          list the segments in flight
//   drop s12                          drop segment s12, which is in flight now
//   drop next client -> server FIN    drop the next matching segment (a fault rule, once)
//   duplicate|corrupt next PATTERN    likewise
//   drop all PATTERN                  from now on, always

import type { FaultKind, FaultRule, SegmentPattern } from '../engine/program';
import { FLAG_ORDER, type TcpFlag } from '../engine/trace';
import { fill, type Translator } from '../text/translate';
import { DEBUG_MESSAGES } from './messages';

export type ConsoleCommand =
  | { kind: 'help' }
  | { kind: 'segments' }
  | { kind: 'drop-in-flight'; id: string }
  | { kind: 'fault'; rule: FaultRule };

/** The console's help, in English (the session translates it line by line). */
export const CONSOLE_HELP = DEBUG_MESSAGES.helpLines.join('\n');

const COMMAND_WORDS = new Set(['help', 'segments', 'drop', 'duplicate', 'corrupt']);

/** Whether the text is meant as a console command rather than an expression. */
export function isConsoleCommand(text: string): boolean {
  const [first, second] = text.trim().split(/\s+/);
  if (!COMMAND_WORDS.has(first)) return false;
  // `help` and `segments` stand alone; `drop` needs an argument (a bare endpoint named "drop" stays an expression).
  return first === 'help' || first === 'segments' || second !== undefined;
}

/** A console command that is not understood: English message, and its template for the session to translate. */
export class ConsoleError extends Error {
  constructor(
    readonly template: string,
    readonly args: readonly (string | number)[] = [],
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
  const kind = verb as FaultKind;
  if (kind === 'drop' && mode !== undefined && /^s\d+$/.test(mode) && rest.length === 0) return { kind: 'drop-in-flight', id: mode };
  if (mode !== 'next' && mode !== 'all') {
    throw new ConsoleError(kind === 'drop' ? DEBUG_MESSAGES.expectedNextAllOrId : DEBUG_MESSAGES.expectedNextOrAll, [verb, mode ?? DEBUG_MESSAGES.nothing]);
  }
  const pattern = parsePattern(rest, endpoints);
  return { kind: 'fault', rule: { kind, pattern, count: mode === 'next' ? 1 : Infinity, text: `${text.trim()} (debug console)` } };
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
