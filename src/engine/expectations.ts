// `expect` statements (docs/language.md): what each finds when it runs, said as an `expect` event
// at its line (ok, or what was expected and what was found): a state, the bytes received, cwnd or
// ssthresh, the latest result of a call, a segment sent at this instant. A segment may still be sent
// later in the same instant, so `expect ... sent` that finds none looks again once the instant has
// settled (World.deferred). `expect next` and the waits hold the timeline instead (expectNext.ts,
// waits.ts).

import { flagsToMask } from './flags';
import { count } from './plural';
import type { Action, SegmentPattern } from './program';
import { CALL_INDEX, type Stack } from './tcp/stack';
import { flagLabel, type ExpectEvent, type InjectEvent, type SendEvent, type TcpState, type TraceEvent } from './trace';

export type ExpectAction = Extract<Action, { kind: 'expect-state' | 'expect-received' | 'expect-window' | 'expect-call' | 'expect-segment' }>;

/**
 * Statement `index`'s expectation, now. `handed`: the events step() has handed out (a segment sent
 * at this instant may be among them, the rest are still pending).
 */
export function expectNow(s: Stack, a: ExpectAction, index: number, handed: readonly TraceEvent[]): void {
  switch (a.kind) {
    case 'expect-state': {
      const actual = stateOf(s, a.endpoint, a.conn);
      const who = a.conn === undefined ? a.endpoint : `${a.endpoint} (connection with ${a.conn})`;
      return result(s, actual === a.state, actual === a.state ? `${who} is ${a.state}` : `expected ${who} to be ${a.state}, but it is ${actual}`, a.state, actual);
    }
    case 'expect-received': {
      const h = s.index.get(a.endpoint);
      const actual = h === undefined ? 0 : s.w.hosts[h].received;
      const ok = actual === a.bytes;
      return result(s, ok, ok ? `${a.endpoint} received ${count(a.bytes, 'byte')}` : `expected ${a.endpoint} to have received ${count(a.bytes, 'byte')}, but it received ${actual}`, count(a.bytes, 'byte'), count(actual, 'byte'));
    }
    case 'expect-window': {
      const h = s.index.get(a.endpoint);
      const tcb = h === undefined ? undefined : s.target(h, a.conn);
      const who = a.conn === undefined ? a.endpoint : `${a.endpoint} (connection with ${a.conn})`;
      if (tcb === undefined) return result(s, false, `expected ${who} ${a.variable} to be ${a.bytes} bytes, but it has no connection`, `${a.bytes} bytes`, 'no connection');
      const actual = tcb.cc[a.variable];
      const ok = actual === a.bytes;
      return result(s, ok, ok ? `${who} ${a.variable} is ${a.bytes} bytes` : `expected ${who} ${a.variable} to be ${a.bytes} bytes, but it is ${actual}`, `${a.bytes} bytes`, `${actual} bytes`);
    }
    case 'expect-call':
      return expectCall(s, a);
    case 'expect-segment':
      // Sent at this instant: look now, and if not yet, once the instant has settled.
      if (sentNow(s, handed, a.pattern).found) result(s, true, `${describePattern(a.pattern)} sent`);
      else s.w.deferred.push(index);
      return;
  }
}

/** The instant has settled: the oldest `expect ... sent` that found nothing looks again, for the last time. */
export function resolveDeferred(s: Stack, handed: readonly TraceEvent[]): void {
  const w = s.w;
  const index = w.deferred.shift()!;
  const st = s.program.statements[index];
  if (st.action.kind !== 'expect-segment') return;
  const pattern = st.action.pattern;
  s.line = st.line;
  const { found, others } = sentNow(s, handed, pattern);
  const want = describePattern(pattern);
  if (found) return result(s, true, `${want} sent`);
  const actual = others.length > 0 ? others.join('; ') : 'no segment sent at this time';
  result(s, false, `expected ${want} at ${w.now / 1000} ms, but ${others.length > 0 ? 'sent: ' + actual : actual}`, want, actual);
}

/** What `expect NAME is STATE` sees: the newest connection's state, else LISTEN or CLOSED. */
export function stateOf(s: Stack, endpoint: string, conn?: string): TcpState {
  const h = s.index.get(endpoint);
  if (h === undefined) return 'CLOSED';
  return s.endpointState(h, conn === undefined ? undefined : (s.index.get(conn) ?? -1));
}

export function describePattern(p: SegmentPattern): string {
  let text = `${p.from} -> ${p.to} ${p.flags ? flagLabel(p.flags) : p.data ? 'data' : 'any'}`;
  if (p.seq !== undefined) text += ` seq=${p.seq}`;
  if (p.ack !== undefined) text += ` ack=${p.ack}`;
  if (p.len !== undefined) text += ` len=${p.len}`;
  return text;
}

/** `expect NAME CALL ok|failed [ERR]`: the latest result of that call, whenever it came (a refused connect comes later than the call). */
function expectCall(s: Stack, a: Extract<ExpectAction, { kind: 'expect-call' }>): void {
  const h = s.index.get(a.endpoint);
  const slot = CALL_INDEX[a.call];
  const last = h === undefined || slot === undefined ? undefined : s.w.hosts[h].lastCalls[slot];
  const want = a.ok ? `${a.call} ok` : `${a.call} failed${a.errno !== undefined ? ` ${a.errno}` : a.error !== undefined ? ` "${a.error}"` : ''}`;
  if (last === undefined) return result(s, false, `expected ${a.endpoint} ${want}, but ${a.endpoint} has not called ${a.call}`, want, `no ${a.call} yet`);
  const failed = last.error !== undefined;
  const got = failed ? `${a.call} failed ${last.errno ?? ''}${last.errno !== undefined ? ' ' : ''}"${last.error}"` : `${a.call} ok`;
  const ok = a.ok
    ? !failed
    : failed && (a.errno === undefined || a.errno === last.errno) && (a.error === undefined || a.error.toLowerCase() === last.error!.toLowerCase());
  const when = `at ${last.t} ms`;
  result(s, ok, ok ? `${a.endpoint} ${got} (${when})` : `expected ${a.endpoint} ${want}, but its last ${a.call} (${when}) ${failed ? `failed with ${last.errno ?? ''}${last.errno !== undefined ? ' ' : ''}"${last.error}"` : 'succeeded'}`, want, `${got} ${when}`);
}

function result(s: Stack, ok: boolean, message: string, expected?: string, actual?: string): void {
  const event: ExpectEvent = { t: s.w.now / 1000, kind: 'expect', ok, message };
  if (!ok) {
    event.expected = expected;
    event.actual = actual;
  }
  s.emit(event);
}

/** Segments sent or injected at the current instant (handed out or pending), and whether one matches the pattern. */
function sentNow(s: Stack, handed: readonly TraceEvent[], pattern: SegmentPattern): { found: boolean; others: string[] } {
  const w = s.w;
  const t = w.now / 1000;
  const sent: (SendEvent | InjectEvent)[] = [];
  for (let i = handed.length - 1; i >= 0 && handed[i].t === t; i--) {
    const e = handed[i];
    if (e.kind === 'send' || e.kind === 'inject') sent.push(e);
  }
  sent.reverse();
  for (let i = w.pendingHead; i < w.pending.length; i++) {
    const e = w.pending[i];
    if (e.t === t && (e.kind === 'send' || e.kind === 'inject')) sent.push(e);
  }
  const mask = pattern.flags ? flagsToMask(pattern.flags) : -1;
  const found = sent.some(
    (e) =>
      e.from === pattern.from &&
      e.to === pattern.to &&
      (mask < 0 || flagsToMask(e.flags) === mask) &&
      (!pattern.data || e.len > 0) &&
      (pattern.seq === undefined || pattern.seq >>> 0 === e.seq) &&
      (pattern.ack === undefined || pattern.ack >>> 0 === e.ack) &&
      (pattern.len === undefined || pattern.len === e.len),
  );
  return { found, others: sent.map((e) => `${e.from} -> ${e.to} ${flagLabel(e.flags)} seq=${e.seq} ack=${e.ack} len=${e.len}`) };
}
