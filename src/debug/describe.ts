// One-line descriptions of trace events, as the Call Stack's top frame and stop messages show them:
// "server: SEGMENT ARRIVES FIN,ACK seq=301 ack=202 (RFC 9293 3.10.7.4)", "client: TIME-WAIT timer fires".

import { count } from '../engine/plural';
import { flagLabel, type AppCall, type InjectEvent, type SendEvent, type TcpState, type TimerName, type TraceEvent } from '../engine/trace';

export type SegmentEvent = SendEvent | InjectEvent;

export interface DescribeContext {
  /** The send/inject event that created a segment id (copies resolve to their original). */
  segment(id: string): SegmentEvent | undefined;
  /** The receiver's state just before trace index `index`, for the RFC section of SEGMENT ARRIVES. */
  stateBefore(endpoint: string, peer: string | undefined, index: number): TcpState;
}

// RFC 9293 3.10: the user calls.
const CALL_SECTIONS: Record<AppCall, string> = {
  listen: 'OPEN, passive (RFC 9293 3.10.1)',
  connect: 'OPEN, active (RFC 9293 3.10.1)',
  send: 'SEND (RFC 9293 3.10.2)',
  receive: 'RECEIVE (RFC 9293 3.10.3)',
  close: 'CLOSE (RFC 9293 3.10.4)',
  shutdown: 'CLOSE, half (RFC 9293 3.10.4)',
  abort: 'ABORT (RFC 9293 3.10.5)',
  crash: 'CRASH (host goes down, loses all state)',
  restart: 'RESTART (host back up, no connections)',
};

const TIMER_NAMES: Record<TimerName, string> = {
  retransmission: 'retransmission timer (RFC 6298)',
  'time-wait': 'TIME-WAIT timer (2*MSL, RFC 9293 3.10.8)',
  keepalive: 'keep-alive timer (RFC 1122 4.2.3.6)',
  'delayed-ack': 'delayed-ACK timer (RFC 1122 4.2.3.2)',
  'user-timeout': 'user timeout (RFC 9293 3.10.8)',
  'zero-window-probe': 'zero-window probe timer (RFC 9293 3.8.6.1)',
  'loss-probe': 'tail loss probe timer (RFC 8985 7)',
  reordering: 'RACK reordering timer (RFC 8985 6.2)',
  'fin-wait-2': 'FIN-WAIT-2 timer (Linux tcp_fin_timeout)',
};

export function segmentLabel(segment: Pick<SegmentEvent, 'flags' | 'seq' | 'ack' | 'len'>): string {
  const flags = segment.flags.length > 0 ? flagLabel(segment.flags) : '<no flags>';
  const ack = segment.flags.includes('ACK') ? ` ack=${segment.ack}` : '';
  return `${flags} seq=${segment.seq}${ack} len=${segment.len}`;
}

/** RFC 9293 3.10.7.x: which part of SEGMENT ARRIVES applies in a state. */
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
export function eventEndpoint(event: TraceEvent, context: DescribeContext): string | undefined {
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

export function describeEvent(event: TraceEvent, index: number, context: DescribeContext): string {
  switch (event.kind) {
    case 'send': {
      const what = event.probe ? ` (${event.probe} probe)` : event.retransmission ? ' (retransmission)' : '';
      return `${event.from}: SEND ${segmentLabel(event)} to ${event.to}${what}`;
    }
    case 'inject':
      return `network: INJECT ${segmentLabel(event)} ${event.from} -> ${event.to} (crafted segment)`;
    case 'deliver': {
      const segment = context.segment(event.id);
      if (!segment) return `${event.to}: SEGMENT ARRIVES ${event.id}`;
      const state = context.stateBefore(event.to, segment.from, index);
      return `${event.to}: SEGMENT ARRIVES ${segmentLabel(segment)} from ${segment.from} (${arrivalSection(state)})`;
    }
    case 'drop': {
      const segment = context.segment(event.id);
      const what = segment ? `${flagLabel(segment.flags) || 'segment'} ${segment.from} -> ${segment.to}` : 'segment';
      return `network: DROP ${event.id} ${what} (${event.reason})`;
    }
    case 'duplicate':
      return `network: DUPLICATE ${event.id} as ${event.copy}`;
    case 'transition': {
      const conn = event.conn ? ` [${event.conn}]` : '';
      return `${event.endpoint}${conn}: ${event.from} -> ${event.to} (cause: ${event.cause})`;
    }
    case 'timer': {
      const name = TIMER_NAMES[event.name] ?? event.name;
      if (event.action === 'fire') return `${event.endpoint}: ${name} fires`;
      if (event.action === 'start') {
        const expiry = event.expires !== undefined ? `, expires at ${formatMs(event.expires)}` : '';
        return `${event.endpoint}: ${name} starts${expiry}`;
      }
      return `${event.endpoint}: ${name} cancelled`;
    }
    case 'app': {
      const bytes = event.bytes !== undefined ? ` ${count(event.bytes, 'byte')}` : '';
      const error = event.error ? ` -> error: ${event.error}${event.errno ? ` (${event.errno})` : ''}` : '';
      return `${event.endpoint}: ${CALL_SECTIONS[event.call] ?? event.call}${bytes}${error}`;
    }
    case 'data':
      return `${event.endpoint}: ${count(event.bytes, 'byte')} delivered to the application`;
    case 'expect':
      return event.ok ? `expect held: ${event.message}` : `expect FAILED: ${event.message}`;
    case 'note':
      return `${event.endpoint ? `${event.endpoint}: ` : ''}note: ${event.message}`;
  }
}

export function formatMs(ms: number): string {
  if (Number.isInteger(ms)) return `${ms} ms`;
  return `${Number(ms.toFixed(3))} ms`;
}
