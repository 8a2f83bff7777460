// What the debugger says about one trace event, in the session's language:
// - the Call Stack's line: "server: SEGMENT ARRIVES FIN,ACK seq=301 ack=202 len=0 from client (RFC 9293 3.10.7.4)";
// - a stop's description, what happened and why: "client entered TIME-WAIT: RFC 9293 3.10.7.4, FIN,ACK in FIN-WAIT-2"
//   (the rule the engine applied), or "client sent SYN seq=0 len=0: line 5" (the statement that caused it).
// Segment labels, numbers and times are written by src/text/format.ts, as everywhere else.

import type { AppCall, InjectEvent, SendEvent, TcpState, TimerName, TraceEvent } from '../engine/trace';
import { explain } from '../text/explain';
import { flagLabel, formatTime, labelOf, type Numbering, type SequenceBases } from '../text/format';
import { ENGLISH, type Translator } from '../text/translate';
import { bytesWord, dropWord, timerWord } from '../text/words';
import { DEBUG_MESSAGES as M } from './messages';

export type SegmentEvent = SendEvent | InjectEvent;

export interface DescribeContext {
  /** The send/inject event that created a segment id (copies resolve to their original). */
  segment(id: string): SegmentEvent | undefined;
  /** The receiver's state just before trace index `index`, for the RFC section of SEGMENT ARRIVES. */
  stateBefore(endpoint: string, peer: string | undefined, index: number): TcpState;
  /** The ISNs known at trace index `index` (for relative numbers). */
  basesAt(index: number): SequenceBases;
}

/** How the session speaks: its language and its numbering. */
export interface Voice {
  tr: Translator;
  numbering: Numbering;
}

export const ENGLISH_VOICE: Voice = { tr: ENGLISH, numbering: 'absolute' };

// RFC 9293 3.10: the user calls.
const CALL_SECTIONS: Record<AppCall, string> = {
  listen: M.callListen,
  connect: M.callConnect,
  send: M.callSend,
  receive: M.callReceive,
  close: M.callClose,
  shutdown: M.callShutdown,
  abort: M.callAbort,
  crash: M.callCrash,
  restart: M.callRestart,
};

const TIMER_NAMES: Record<TimerName, string> = {
  retransmission: M.timerRetransmission,
  'time-wait': M.timerTimeWait,
  keepalive: M.timerKeepalive,
  'delayed-ack': M.timerDelayedAck,
  'user-timeout': M.timerUserTimeout,
  'zero-window-probe': M.timerZeroWindowProbe,
  'loss-probe': M.timerLossProbe,
  reordering: M.timerReordering,
  'fin-wait-2': M.timerFinWait2,
};

/** Why the network dropped a segment, in the session's language. */
export function dropReason(reason: string, tr: Translator): string {
  return dropWord(reason, tr.t);
}

/** A timer's name, with where it is written (`short`: without, where a rule says it). */
export function timerName(name: TimerName, tr: Translator, short = false): string {
  if (short) return timerWord(name, tr.t);
  return TIMER_NAMES[name] ? tr.t(TIMER_NAMES[name]) : name;
}

/** RFC 9293 3.10.7.x: which part of SEGMENT ARRIVES applies in a state (when the engine named no rule). */
export function arrivalSection(state: TcpState): string {
  switch (state) {
    case 'CLOSED':
      return 'RFC 9293 3.10.7.1';
    case 'LISTEN':
      return 'RFC 9293 3.10.7.2';
    case 'SYN-SENT':
      return 'RFC 9293 3.10.7.3';
    default:
      return 'RFC 9293 3.10.7.4';
  }
}

/** The endpoint an event belongs to (its thread), where there is one. */
export function eventEndpoint(event: TraceEvent, context: Pick<DescribeContext, 'segment'>): string | undefined {
  switch (event.kind) {
    case 'send':
    case 'inject':
      return event.from;
    case 'deliver':
      return event.to;
    case 'drop':
    case 'duplicate':
      return context.segment(event.id)?.to;
    case 'transition':
    case 'timer':
    case 'app':
    case 'data':
      return event.endpoint;
    case 'note':
      return event.endpoint;
    case 'expect':
      return undefined;
  }
}

function label(segment: SegmentEvent, index: number, context: DescribeContext, voice: Voice): string {
  return voice.numbering === 'absolute' ? labelOf(segment) : labelOf(segment, 'relative', context.basesAt(index));
}

/** "3 bytes", "1 byte", in the session's language. */
export function bytes(n: number, tr: Translator): string {
  return bytesWord(n, tr.t);
}

/** The Call Stack's line for an event. */
export function describeEvent(event: TraceEvent, index: number, context: DescribeContext, voice: Voice = ENGLISH_VOICE): string {
  const { tr } = voice;
  switch (event.kind) {
    case 'send': {
      const template = event.probe === 'keepalive' ? M.sendKeepaliveProbe : event.probe === 'zero-window' ? M.sendZeroWindowProbe : event.retransmission ? M.sendRetransmission : M.send;
      return tr.t(template, event.from, label(event, index, context, voice), event.to);
    }
    case 'inject':
      return tr.t(M.inject, label(event, index, context, voice), event.from, event.to);
    case 'deliver': {
      const segment = context.segment(event.id);
      if (!segment) return tr.t(M.arrives, event.to, event.id);
      const why = explain(event);
      const section = why?.kind === 'rule' ? why.rule.source : arrivalSection(context.stateBefore(event.to, segment.from, index));
      return tr.t(M.arrivesFrom, event.to, label(segment, index, context, voice), segment.from, section);
    }
    case 'drop': {
      const segment = context.segment(event.id);
      const reason = dropReason(event.reason, tr);
      if (!segment) return tr.t(M.dropUnknown, event.id, reason);
      return tr.t(M.drop, event.id, `${flagLabel(segment.flags) || '-'} ${segment.from} -> ${segment.to}`, reason);
    }
    case 'duplicate':
      return tr.t(M.duplicate, event.id, event.copy);
    case 'transition': {
      const who = event.conn ? `${event.endpoint} [${event.conn}]` : event.endpoint;
      return tr.t(M.transition, who, event.from, event.to, event.cause);
    }
    case 'timer': {
      const name = timerName(event.name, tr);
      if (event.action === 'fire') return tr.t(M.timerFires, event.endpoint, name);
      if (event.action === 'start') {
        return event.expires !== undefined ? tr.t(M.timerStartsUntil, event.endpoint, name, formatTime(event.expires)) : tr.t(M.timerStarts, event.endpoint, name);
      }
      return tr.t(M.timerCancelled, event.endpoint, name);
    }
    case 'app': {
      const call = CALL_SECTIONS[event.call] ? tr.t(CALL_SECTIONS[event.call]) : event.call;
      const error = event.error !== undefined && event.errno ? `${event.error} (${event.errno})` : event.error;
      if (event.bytes !== undefined) {
        const amount = bytes(event.bytes, tr);
        return error ? tr.t(M.appBytesError, event.endpoint, call, amount, error) : tr.t(M.appBytes, event.endpoint, call, amount);
      }
      return error ? tr.t(M.appError, event.endpoint, call, error) : tr.t(M.app, event.endpoint, call);
    }
    case 'data':
      return event.bytes === 1 ? tr.t(M.dataOne, event.endpoint) : tr.t(M.dataOther, event.endpoint, event.bytes);
    case 'expect':
      return tr.t(event.ok ? M.expectHeld : M.expectFailed, event.message);
    case 'note':
      return event.endpoint ? tr.t(M.endpointNote, event.endpoint, event.message) : tr.t(M.note, event.message);
  }
}

/** What happened, short, for a stop's description: "client entered TIME-WAIT", "server sent SYN,ACK seq=0 ack=1 len=0". */
export function headline(event: TraceEvent, index: number, context: DescribeContext, voice: Voice = ENGLISH_VOICE): string {
  const { tr } = voice;
  switch (event.kind) {
    case 'send':
      return tr.t(event.retransmission ? M.headSentAgain : M.headSent, event.from, label(event, index, context, voice));
    case 'inject':
      return tr.t(M.headInjected, label(event, index, context, voice));
    case 'deliver': {
      const segment = context.segment(event.id);
      const what = segment ? label(segment, index, context, voice) : event.id;
      // A deliver event names a rule only when the receiver discarded the segment without an answer.
      return tr.t(event.rule !== undefined ? M.headDiscarded : M.headReceived, event.to, what);
    }
    case 'drop':
      return tr.t(M.headDropped, event.id, dropReason(event.reason, tr));
    case 'duplicate':
      return tr.t(M.headDuplicated, event.id);
    case 'transition':
      return event.conn ? tr.t(M.headEnteredConn, event.endpoint, event.conn, event.to) : tr.t(M.headEntered, event.endpoint, event.to);
    case 'timer': {
      const template = event.action === 'fire' ? M.headTimerFired : event.action === 'start' ? M.headTimerStarted : M.headTimerCancelled;
      return tr.t(template, event.endpoint, timerName(event.name, tr, true));
    }
    default:
      return describeEvent(event, index, context, voice);
  }
}

/** The case a transition's rule applied to: "FIN,ACK in FIN-WAIT-2", "close call in ESTABLISHED", "TIME-WAIT timer expired". */
function transitionCase(event: Extract<TraceEvent, { kind: 'transition' }>, context: DescribeContext, tr: Translator): string | undefined {
  const segment = context.segment(event.cause);
  if (segment) return tr.t(M.caseSegmentIn, flagLabel(segment.flags) || '-', event.from);
  if (Object.hasOwn(TIMER_NAMES, event.cause)) return tr.t(M.caseTimer, timerName(event.cause as TimerName, tr, true));
  return tr.t(M.caseCall, event.cause, event.from);
}

/** A stop's description: what happened, then the rule the engine applied (and its case) or the line that caused it. */
export function stopDescription(event: TraceEvent, index: number, context: DescribeContext, voice: Voice = ENGLISH_VOICE): string {
  const { tr } = voice;
  const what = headline(event, index, context, voice);
  const why = explain(event);
  if (why?.kind === 'rule') {
    const ruleCase = event.kind === 'transition' ? transitionCase(event, context, tr) : undefined;
    return ruleCase ? tr.t(M.becauseRuleCase, what, why.rule.source, ruleCase) : tr.t(M.becauseRule, what, why.rule.source);
  }
  if (why?.kind === 'line') return tr.t(M.becauseLine, what, why.line);
  return what;
}
