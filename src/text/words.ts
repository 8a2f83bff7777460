// Words every layer that describes a trace uses (the debugger, the ladder, the diagram): timer
// names, why the network dropped a segment, byte counts. English l10n templates; each layer
// translates them with its translator (src/text/translate.ts, or vscode.l10n in VS Code).

import type { TimerName } from '../engine/trace';
import type { Argument } from './translate';

export const WORDS = {
  timerRetransmission: 'retransmission timer',
  timerTimeWait: 'TIME-WAIT timer',
  timerKeepalive: 'keep-alive timer',
  timerDelayedAck: 'delayed-ACK timer',
  timerUserTimeout: 'user timeout',
  timerZeroWindowProbe: 'zero-window probe timer',
  timerLossProbe: 'tail loss probe timer',
  timerReordering: 'RACK reordering timer',
  timerFinWait2: 'FIN-WAIT-2 timer',
  // The engine's reasons for a drop (a fault rule's own text passes through as written).
  reasonLoss: 'random loss on the link',
  reasonCorrupt: 'corrupted on the link',
  reasonNoListener: 'no listener',
  reasonCrashed: 'the host is down',
  reasonChecksum: 'bad checksum',
  reasonConsole: 'debug console',
  bytesOne: '1 byte',
  bytesOther: '{0} bytes',
} as const;

export const TIMER_WORDS: Readonly<Record<TimerName, string>> = {
  retransmission: WORDS.timerRetransmission,
  'time-wait': WORDS.timerTimeWait,
  keepalive: WORDS.timerKeepalive,
  'delayed-ack': WORDS.timerDelayedAck,
  'user-timeout': WORDS.timerUserTimeout,
  'zero-window-probe': WORDS.timerZeroWindowProbe,
  'loss-probe': WORDS.timerLossProbe,
  reordering: WORDS.timerReordering,
  'fin-wait-2': WORDS.timerFinWait2,
};

const DROP_WORDS: Readonly<Record<string, string>> = {
  loss: WORDS.reasonLoss,
  corrupt: WORDS.reasonCorrupt,
  'no listener': WORDS.reasonNoListener,
  crashed: WORDS.reasonCrashed,
  checksum: WORDS.reasonChecksum,
  'debug console': WORDS.reasonConsole,
};

type Translate = (template: string, ...args: Argument[]) => string;

/** A timer's short name ("TIME-WAIT timer"), translated; an unknown name as it is. */
export function timerWord(name: string, t: Translate): string {
  return Object.hasOwn(TIMER_WORDS, name) ? t(TIMER_WORDS[name as TimerName]) : name;
}

/** Why the network dropped a segment, translated when it is one of the engine's reasons. */
export function dropWord(reason: string, t: Translate): string {
  return Object.hasOwn(DROP_WORDS, reason) ? t(DROP_WORDS[reason]) : reason;
}

/** "1 byte", "3 bytes", translated. */
export function bytesWord(n: number, t: Translate): string {
  return n === 1 ? t(WORDS.bytesOne) : t(WORDS.bytesOther, n);
}
