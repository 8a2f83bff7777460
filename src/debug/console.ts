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

export type ConsoleCommand =
  | { kind: 'help' }
  | { kind: 'segments' }
  | { kind: 'drop-in-flight'; id: string }
  | { kind: 'fault'; rule: FaultRule };

export const CONSOLE_HELP = [
  'Type an expression to evaluate it, e.g. client.SND.NXT - client.SND.UNA, server.state == TIME-WAIT, now.',
  'Names: ENDPOINT.state, ENDPOINT.ISS, .IRS, .SND.UNA, .SND.NXT, .SND.WND, .RCV.NXT, .RCV.WND, .sendQueue, .receiveQueue,',
  '       .rto, .received; HOST.PEER.FIELD for one connection of a host with several; event.FIELD; now (ms).',
  'Commands that change the run from here on (noted in the trace, replayed by step back):',
  '  segments                           list the segments in flight',
  '  drop s12                           drop segment s12, in flight now',
  '  drop next client -> server FIN,ACK drop the next matching segment',
  '  duplicate next A -> B [FLAGS]      duplicate the next matching segment',
  '  corrupt next A -> B [FLAGS]        corrupt the next matching segment (the receiver discards it)',
  '  drop all A -> B [FLAGS]            drop every matching segment from now on',
  'PATTERN fields: FLAGS, the exact set like FIN,ACK (after the handshake every segment carries ACK), or data; seq=N ack=N len=N.',
].join('\n');

const COMMAND_WORDS = new Set(['help', 'segments', 'drop', 'duplicate', 'corrupt']);

/** Whether the text is meant as a console command rather than an expression. */
export function isConsoleCommand(text: string): boolean {
  const [first, second] = text.trim().split(/\s+/);
  if (!COMMAND_WORDS.has(first)) return false;
  // `help` and `segments` stand alone; `drop` needs an argument (a bare endpoint named "drop" stays an expression).
  return first === 'help' || first === 'segments' || second !== undefined;
}

export class ConsoleError extends Error {}

export function parseConsoleCommand(text: string, endpoints: readonly string[]): ConsoleCommand {
  const words = text.trim().split(/\s+/);
  const [verb, mode, ...rest] = words;
  if (verb === 'help') return { kind: 'help' };
  if (verb === 'segments') return { kind: 'segments' };
  const kind = verb as FaultKind;
  if (kind === 'drop' && mode !== undefined && /^s\d+$/.test(mode) && rest.length === 0) return { kind: 'drop-in-flight', id: mode };
  if (mode !== 'next' && mode !== 'all') {
    throw new ConsoleError(`expected 'next', 'all'${kind === 'drop' ? ' or a segment id like s12' : ''} after '${verb}', found '${mode ?? 'nothing'}'. Type help for examples.`);
  }
  const pattern = parsePattern(rest, endpoints);
  return { kind: 'fault', rule: { kind, pattern, count: mode === 'next' ? 1 : Infinity, text: `${text.trim()} (debug console)` } };
}

function parsePattern(words: readonly string[], endpoints: readonly string[]): SegmentPattern {
  const [from, arrow, to, ...fields] = words;
  if (from === undefined || arrow !== '->' || to === undefined) {
    throw new ConsoleError(`expected a pattern like 'client -> server FIN', found '${words.join(' ') || 'nothing'}'`);
  }
  for (const name of [from, to]) {
    if (!endpoints.includes(name)) throw new ConsoleError(`unknown endpoint '${name}'; this scenario has ${endpoints.join(', ')}`);
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
    throw new ConsoleError(`'${field}' is not a flag list (like FIN,ACK), 'data', or seq=N / ack=N / len=N`);
  }
  return pattern;
}
