// `expect next A -> B FLAGS ... [within D | within -D +D | anytime]`, packetdrill's `>` lines
// (docs/packetdrill.md): the timeline holds until A sends B its next segment (the first after those
// an earlier `expect next` took, so one sent before this statement ran counts, as packetdrill reads
// what the stack sent in order), which must have the flags, numbers, window and options written and
// leave within `early` before and `late` after the time the statement ran. Then the wait finishes and
// the statements after it count from that moment (Statement.after, as after any wait). A segment that
// differs, or none by the deadline, is a failed expectation at the statement's line; the run goes on.
// With `joined`, consecutive data segments may make up the one expected (a NIC's TSO or GSO splits
// what the stack hands it; packetdrill joins them back unless --strict_segments).

import { flagLabel } from './trace';
import type { ExpectEvent, TcpOptions, TraceEvent } from './trace';
import type { NextPattern } from './program';
import type { Stack } from './tcp/stack';
import * as Waits from './waits';
import type { OutboxEntry } from './world';

type ExpectNextAction = { kind: 'expect-next'; pattern: NextPattern; early: number; late: number };

function current(s: Stack): { action: ExpectNextAction; line: number } | undefined {
  const st = s.program.statements[s.w.nextStatement];
  return st?.action.kind === 'expect-next' ? { action: st.action, line: st.line } : undefined;
}

/** "mss 1460, sackOK, TS, wscale 8", "no options". */
export function optionsText(options: TcpOptions | 'none' | undefined): string {
  if (options === undefined || options === 'none' || Object.keys(options).length === 0) return 'no options';
  const parts: string[] = [];
  if (options.mss !== undefined) parts.push(`mss ${options.mss}`);
  if (options.sackPermitted) parts.push('sackOK');
  if (options.ts) parts.push('TS');
  if (options.wscale !== undefined) parts.push(`wscale ${options.wscale}`);
  if (options.sack) parts.push(`sack ${options.sack.map((b) => `${b.left}:${b.right}`).join(' ')}`);
  return parts.join(', ');
}

/** "server -> client SYN,ACK seq=0 ack=1 len=0 wnd=29200 <mss 1460>". */
export function describeNext(p: NextPattern): string {
  const fields = [p.seq !== undefined ? `seq=${p.seq}` : '', p.ack !== undefined ? `ack=${p.ack}` : '', p.len !== undefined ? `len=${p.len}` : '', p.wnd !== undefined ? `wnd=${p.wnd}` : ''].filter(Boolean);
  const options = p.options === undefined ? '' : ` <${optionsText(p.options)}>`;
  return `${p.from} -> ${p.to} ${p.flags.length > 0 ? flagLabel(p.flags) : 'none'}${fields.length > 0 ? ` ${fields.join(' ')}` : ''}${options}`;
}

function entryText(e: { flags: readonly string[]; seq: number; ack: number; len: number; wnd: number; options?: TcpOptions }): string {
  const ack = e.flags.includes('ACK') ? ` ack=${e.ack}` : '';
  return `${e.flags.length > 0 ? flagLabel(e.flags as never) : 'none'} seq=${e.seq}${ack} len=${e.len} wnd=${e.wnd} <${optionsText(e.options)}>`;
}

function sameOptions(want: TcpOptions | 'none', got: TcpOptions | undefined): boolean {
  const g = got ?? {};
  if (want === 'none') return Object.keys(g).length === 0;
  const sack = (o: TcpOptions) => JSON.stringify(o.sack ?? []);
  return want.mss === g.mss && want.wscale === g.wscale && (want.sackPermitted ?? false) === (g.sackPermitted ?? false) && !!want.ts === !!g.ts && sack(want) === sack(g);
}

/** What differs between the pattern and a segment, in words; empty when it matches. */
function differences(p: NextPattern, e: { flags: readonly string[]; seq: number; ack: number; len: number; wnd: number; options?: TcpOptions }): string[] {
  const out: string[] = [];
  const flags = (f: readonly string[]) => (f.length > 0 ? flagLabel(f as never) : 'none');
  if (flags(p.flags) !== flags(e.flags)) out.push(`flags ${flags(e.flags)}, not ${flags(p.flags)}`);
  if (p.seq !== undefined && p.seq >>> 0 !== e.seq) out.push(`seq ${e.seq}, not ${p.seq}`);
  if (p.ack !== undefined && p.ack >>> 0 !== e.ack) out.push(`ack ${e.ack}, not ${p.ack}`);
  if (p.len !== undefined && p.len !== e.len) out.push(`len ${e.len}, not ${p.len}`);
  if (p.wnd !== undefined && p.wnd !== e.wnd) out.push(`wnd ${e.wnd}, not ${p.wnd}`);
  if (p.options !== undefined && !sameOptions(p.options, e.options)) out.push(`options ${optionsText(e.options)}, not ${optionsText(p.options)}`);
  return out;
}

function ms(us: number): string {
  return `${us / 1000} ms`;
}

/** "(due at 100 ms, from 96 ms to 104 ms)". */
function windowText(s: Stack, a: ExpectNextAction): string {
  const due = s.w.waitSince;
  if (a.late === Infinity) return `(any time from ${ms(due)})`;
  return `(due at ${ms(due)}, from ${ms(Math.max(0, due - a.early))} to ${ms(due + a.late)})`;
}

/** The statement at nextStatement is an `expect next` whose time has come. */
export function begin(s: Stack): void {
  const wait = current(s);
  if (!wait) return;
  const w = s.w;
  w.waiting = true;
  w.waitSince = w.now;
  w.waitDeadline = wait.action.late === Infinity ? Infinity : w.now + wait.action.late;
  take(s);
}

/** A segment left (it is in the outbox): is it the one the waiting `expect next` waits for? */
export function sent(s: Stack): void {
  if (s.w.waiting) take(s);
}

/** The segments of the pair that make up the expected one: the first, or consecutive data joined;
 *  undefined while more are needed. */
function candidates(p: NextPattern, queue: OutboxEntry[]): OutboxEntry[] | undefined {
  if (queue.length === 0) return undefined;
  const first = queue[0];
  if (!p.joined || p.len === undefined || first.len === 0 || first.len >= p.len) return [first];
  const taken = [first];
  let total = first.len;
  let next = (first.seq + first.len) >>> 0;
  for (let i = 1; i < queue.length && total < p.len; i++) {
    const e = queue[i];
    if (e.len === 0 || e.seq !== next || e.flags.includes('SYN') || e.flags.includes('RST')) return taken;
    taken.push(e);
    total += e.len;
    next = (e.seq + e.len) >>> 0;
  }
  return total >= p.len ? taken : undefined;
}

function take(s: Stack): void {
  const wait = current(s);
  if (!wait) return;
  const { action, line } = wait;
  const w = s.w;
  const from = s.index.get(action.pattern.from);
  const to = s.index.get(action.pattern.to);
  const queue = w.outbox.filter((e) => e.from === from && e.to === to);
  const taken = candidates(action.pattern, queue);
  if (taken === undefined) return;
  w.outbox = w.outbox.filter((e) => !taken.includes(e));
  const first = taken[0];
  const last = taken[taken.length - 1];
  // Joined segments read as one: the first's sequence number, the last's ACK and window, every flag.
  const joined = {
    flags: [...new Set(taken.flatMap((e) => e.flags))],
    seq: first.seq,
    ack: last.ack,
    len: taken.reduce((sum, e) => sum + e.len, 0),
    wnd: last.wnd,
    options: first.options,
  };
  const wrong = differences(action.pattern, joined);
  const due = w.waitSince;
  if (first.t < due - action.early) wrong.push(`sent at ${ms(first.t)}, too early`);
  else if (first.t > due + action.late) wrong.push(`sent at ${ms(first.t)}, too late`);
  const what = `${action.pattern.from} -> ${action.pattern.to} ${entryText(joined)}${taken.length > 1 ? ` (${taken.length} segments joined: ${taken.map((e) => e.id).join(', ')})` : ` (${first.id})`}`;
  const want = describeNext(action.pattern);
  const ok = wrong.length === 0;
  finish(s, line, {
    t: w.now / 1000,
    kind: 'expect',
    ok,
    message: ok ? `${what} sent at ${ms(first.t)} ${windowText(s, action)}` : `expected ${want} ${windowText(s, action)}, but ${what} was sent at ${ms(first.t)}: ${wrong.join('; ')}`,
    ...(ok ? {} : { expected: want, actual: `${entryText(joined)} at ${ms(first.t)}` }),
  });
}

/** The deadline passed with nothing sent: a failed expectation; the timeline goes on from here. */
export function timeout(s: Stack): void {
  const wait = current(s);
  if (!wait) return;
  const want = describeNext(wait.action.pattern);
  const message = `expected ${want} ${windowText(s, wait.action)}, but ${wait.action.pattern.from} sent nothing to ${wait.action.pattern.to} by ${ms(s.w.now)}`;
  finish(s, wait.line, { t: s.w.now / 1000, kind: 'expect', ok: false, message, expected: want, actual: 'nothing sent' });
}

/** The run ends while it waits (nothing left to happen, a limit): a failed expectation. */
export function fail(s: Stack, why: string): void {
  const wait = current(s);
  if (!wait) return;
  s.w.waiting = false;
  s.w.waitDeadline = Infinity;
  const want = describeNext(wait.action.pattern);
  const event: ExpectEvent = { t: s.w.now / 1000, kind: 'expect', ok: false, message: `expected ${want} ${windowText(s, wait.action)}, but it was never sent: ${why}`, expected: want, actual: 'nothing sent' };
  emitAt(s, event, wait.line);
}

function emitAt(s: Stack, event: TraceEvent, line: number): void {
  const saved = s.line;
  s.line = line;
  s.emit(event);
  s.line = saved;
}

function finish(s: Stack, line: number, event: ExpectEvent): void {
  const w = s.w;
  const index = w.nextStatement;
  w.waiting = false;
  w.waitDeadline = Infinity;
  w.nextStatement = index + 1;
  Waits.ran(s, index);
  emitAt(s, event, line);
}

/** Whether the program has any `expect next` on the pair (from, to): only those pairs are kept in the outbox. */
export function watchedPairs(s: Stack): Set<number> {
  const pairs = new Set<number>();
  const n = s.names.length;
  for (const st of s.program.statements) {
    if (st.action.kind !== 'expect-next') continue;
    const from = s.index.get(st.action.pattern.from);
    const to = s.index.get(st.action.pattern.to);
    if (from !== undefined && to !== undefined) pairs.add(from * n + to);
  }
  return pairs;
}
