// `wait until NAME is STATE [with PEER]` and `wait until NAME received N`: the timeline holds at
// the wait until the condition comes true, and the statements after it count their time from that
// moment (Statement.after). A wait that begins when its condition already holds finishes at once.
// While one waits, the stack checks it after every state change and every delivery to an
// application (transitions inside one atomic action count: FIN-WAIT-2 on the way to TIME-WAIT).
// A wait that can never finish ends the run with a failed `expect` event at its line.

import { count } from './plural';
import type { Action } from './program';
import type { Stack } from './tcp/stack';
import type { ExpectEvent, TraceEvent } from './trace';

type WaitAction = Extract<Action, { kind: 'wait-state' | 'wait-received' }>;

/** "server is CLOSE-WAIT", "server (connection with client) is CLOSE-WAIT", "server received 100 bytes". */
export function describeWait(a: WaitAction): string {
  if (a.kind === 'wait-received') return `${a.endpoint} received ${count(a.bytes, 'byte')}`;
  return `${a.conn === undefined ? a.endpoint : `${a.endpoint} (connection with ${a.conn})`} is ${a.state}`;
}

/** What the endpoint is now, in the terms of the wait: its state, or the bytes it received. */
function actual(s: Stack, a: WaitAction): string {
  const h = s.index.get(a.endpoint);
  if (a.kind === 'wait-received') return count(h === undefined ? 0 : s.w.hosts[h].received, 'byte');
  if (h === undefined) return 'CLOSED';
  return s.endpointState(h, a.conn === undefined ? undefined : s.index.get(a.conn) ?? -1);
}

function holds(s: Stack, a: WaitAction): boolean {
  const h = s.index.get(a.endpoint);
  if (h === undefined) return false;
  if (a.kind === 'wait-received') return s.w.hosts[h].received >= a.bytes;
  return s.endpointState(h, a.conn === undefined ? undefined : s.index.get(a.conn) ?? -1) === a.state;
}

function waitAt(s: Stack): { action: WaitAction; line: number } | undefined {
  const st = s.program.statements[s.w.nextStatement];
  const a = st?.action;
  return a !== undefined && (a.kind === 'wait-state' || a.kind === 'wait-received') ? { action: a, line: st.line } : undefined;
}

/** An event of the wait's own line, whatever chain of events is running now. */
function emitAt(s: Stack, event: TraceEvent, line: number): void {
  const saved = s.line;
  s.line = line;
  s.emit(event);
  s.line = saved;
}

/** Statement `index` has run (a wait: finished) now: the statements after it count from here. */
export function ran(s: Stack, index: number): void {
  const w = s.w;
  w.lastRunAt = w.now;
  const endFrom = s.program.endFrom;
  if (endFrom !== undefined && endFrom.index === index) w.endAt = w.now + endFrom.after;
}

/** The wait at statements[nextStatement] begins (its time has come). */
export function begin(s: Stack): void {
  const w = s.w;
  w.waiting = true;
  w.waitSince = w.now;
  check(s);
}

/** A state changed or data reached an application: has the pending wait come true? */
export function check(s: Stack): void {
  const wait = waitAt(s);
  if (wait === undefined || !holds(s, wait.action)) return;
  const w = s.w;
  const index = w.nextStatement;
  const waited = w.now - w.waitSince;
  w.waiting = false;
  w.nextStatement = index + 1;
  ran(s, index);
  const after = waited > 0 ? ` after ${waited / 1000} ms` : ' at once';
  emitAt(s, { t: w.now / 1000, kind: 'note', message: `wait until ${describeWait(wait.action)}: done${after}` }, wait.line);
}

/** The run cannot go on (`why`): the pending wait never finished; a failed expectation at its line. */
export function fail(s: Stack, why: string): void {
  const wait = waitAt(s);
  if (wait === undefined) return;
  const w = s.w;
  w.waiting = false;
  const want = describeWait(wait.action);
  const now = actual(s, wait.action);
  const event: ExpectEvent = {
    t: w.now / 1000,
    kind: 'expect',
    ok: false,
    message: `wait until ${want} never finished: ${why} (waiting since ${w.waitSince / 1000} ms, ${wait.action.endpoint} ${wait.action.kind === 'wait-received' ? 'received' : 'is'} ${now})`,
    expected: want,
    actual: now,
  };
  emitAt(s, event, wait.line);
}
