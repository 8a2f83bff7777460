// The discrete-event simulator: virtual time in integer microseconds, one atomic action at a
// time (a segment arrives, a timer fires, a scenario statement runs). Atomic actions may produce
// several trace events; step() hands them out one by one.

import type { CallResult, EndpointView, InFlightView, SimSnapshot, SimulationApi, TcbView, WorldView } from './api';
import type { Action, FaultRule, Program } from './program';
import { flagsToMask, maskToFlags } from './flags';
import * as Network from './network';
import { rulesOf } from './rules';
import * as Arrives from './tcp/arrives';
import { heldBytes } from './tcp/arrives-text';
import { flightSize, RECOVERY_NAMES } from './tcp/recovery';
import { Stack } from './tcp/stack';
import * as Options from './tcp/socket-options';
import * as Timeouts from './tcp/timeouts';
import * as User from './tcp/user-calls';
import * as ExpectNext from './expectNext';
import * as Expectations from './expectations';
import * as Waits from './waits';
import { TIMER_COUNT, TIMER_NAMES } from './timers';
import type { AppEvent, TcpState, TraceDocument, TraceEvent } from './trace';
import { cloneWorld, type Tcb, type World } from './world';

// Bound once: under a CommonJS transform (tsx, node --test) every access to an imported binding
// goes through a getter, which costs in the per-event path.
const { inArrivalOrder, nextArrival } = Network;
const { arrive } = Arrives;
const { fireTimer } = Timeouts;

/** After the last statement, a run that still has timers (keep-alive forever) stops this much later. */
export const RUN_CAP_AFTER_LAST_STATEMENT = 24 * 3600 * 1_000_000;
/** Guards against runs that never end (an ACK war between desynchronized hosts). */
export const MAX_EVENTS = 10_000_000;
export const MAX_ACTIONS_PER_INSTANT = 100_000;

class Snapshot implements SimSnapshot {
  constructor(
    readonly traceLength: number,
    readonly world: World,
  ) {}
}

export class Simulation implements SimulationApi {
  readonly program: Program;
  private readonly events: TraceEvent[] = [];
  /** Events dropped by forgetTrace(): `events` holds the ones after them. */
  private forgotten = 0;
  private readonly stack: Stack;

  constructor(program: Program) {
    this.program = program;
    this.stack = new Stack(program);
  }

  /** The events handed out, less those forgetTrace() dropped. */
  get trace(): readonly TraceEvent[] {
    return this.events;
  }

  /** How many events step() has handed out, forgotten ones included. */
  get traceLength(): number {
    return this.forgotten + this.events.length;
  }

  /**
   * Drops the events handed out so far, but those of the current instant (an `expect next` looks
   * at them), so that a caller that streams events as they come (`tcpscenario trace`) does not
   * hold a million of them. The trace then begins later; a snapshot taken before cannot be restored.
   */
  forgetTrace(): void {
    const events = this.events;
    const t = this.stack.w.now / 1000;
    let keep = events.length;
    while (keep > 0 && events[keep - 1].t === t) keep--;
    if (keep === 0) return;
    this.forgotten += keep;
    // Moved down rather than spliced: splice would make an array of the dropped ones.
    events.copyWithin(0, keep);
    events.length -= keep;
  }

  get done(): boolean {
    const w = this.stack.w;
    return w.done && w.pendingHead >= w.pending.length;
  }

  get statementsRun(): number {
    return this.stack.w.nextStatement;
  }

  /** Virtual time in microseconds. */
  get now(): number {
    return this.stack.w.now;
  }

  step(): TraceEvent | undefined {
    const stack = this.stack;
    for (;;) {
      const w = stack.w;
      if (w.pendingHead < w.pending.length) {
        const event = w.pending[w.pendingHead++];
        if (w.pendingHead === w.pending.length) {
          w.pending.length = 0;
          w.pendingHead = 0;
        }
        this.events.push(event);
        return event;
      }
      if (w.done) return undefined;
      this.advance();
    }
  }

  run(maxEvents = Infinity): number {
    let count = 0;
    while (count < maxEvents && this.step() !== undefined) count++;
    return count;
  }

  snapshot(): SimSnapshot {
    return new Snapshot(this.traceLength, cloneWorld(this.stack.w));
  }

  restore(snapshot: SimSnapshot): void {
    if (!(snapshot instanceof Snapshot)) throw new Error('not a snapshot of this simulation');
    if (snapshot.traceLength > this.traceLength) throw new Error('cannot restore a snapshot taken later than the current trace');
    if (snapshot.traceLength < this.forgotten) throw new Error('cannot restore a snapshot taken before the events the trace forgot');
    this.events.length = snapshot.traceLength - this.forgotten;
    this.stack.w = cloneWorld(snapshot.world);
  }

  addFault(rule: FaultRule): void {
    this.stack.line = undefined;
    this.stack.net.addFault(this.stack.w.net, rule);
    this.stack.note(`fault rule added from the debug console: ${rule.text}`);
  }

  /** A crafted segment from the debug console (the language's `inject`), noted with `text` first. */
  injectNow(action: Extract<Action, { kind: 'inject' }>, text: string): void {
    this.stack.line = undefined;
    this.stack.note(`segment injected from the debug console: ${text}`);
    const from = this.host(action.from);
    const to = this.host(action.to);
    if (from >= 0 && to >= 0) User.inject(this.stack, from, to, flagsToMask(action.flags), action.seq >>> 0, action.ack >>> 0, action.len, action.wnd ?? this.stack.settings[from].rcvBuf);
  }

  dropInFlight(id: string): boolean {
    const w = this.stack.w;
    const segment = this.stack.net.remove(w.net, id);
    if (segment === undefined) return false;
    this.stack.line = segment.line;
    this.stack.emit({ t: w.now / 1000, kind: 'drop', id, reason: 'debug console' });
    return true;
  }

  // ---- the event loop --------------------------------------------------------------------------

  /** One atomic action. */
  private advance(): void {
    const stack = this.stack;
    const w = stack.w;
    const tArrival = nextArrival(w.net.inFlight);
    let tTimer = Infinity;
    let timerHost = -1;
    let timerTcb: Tcb | undefined;
    const hosts = w.hosts;
    for (let h = 0; h < hosts.length; h++) {
      const conns = hosts[h].conns;
      for (let i = 0; i < conns.length; i++) {
        if (conns[i].nextTimer < tTimer) {
          tTimer = conns[i].nextTimer;
          timerHost = h;
          timerTcb = conns[i];
        }
      }
    }
    const statements = this.program.statements;
    const tStatement = this.nextStatementTime();
    const tEvent = tArrival < tTimer ? tArrival : tTimer;
    const tNext = tEvent < tStatement ? tEvent : tStatement;

    // The instant has settled: check the expectations that waited for it.
    if (w.deferred.length > 0 && tNext > w.now) return Expectations.resolveDeferred(stack, this.events);
    const end = this.program.endFrom === undefined ? this.program.end : w.endAt >= 0 ? w.endAt : undefined;
    // An `expect next` whose deadline comes before anything else happens: it fails there, and the
    // timeline goes on (what happens at the deadline itself comes first: it is in time).
    if (w.waiting && w.waitDeadline < tNext && (end === undefined || w.waitDeadline <= end)) {
      w.now = w.waitDeadline;
      stack.line = undefined;
      return ExpectNext.timeout(stack);
    }
    if (tNext === Infinity || (end !== undefined && tNext > end)) {
      if (w.waiting) {
        stack.line = undefined;
        this.failWait(tNext === Infinity ? 'nothing is left to happen (no segment in flight, no timer armed)' : `the run ends at ${end! / 1000} ms (end)`);
      }
      w.done = true;
      return;
    }
    // After the last statement (or while a wait holds the timeline), a run whose timers never stop
    // (keep-alive between two live hosts) is cut this long after the last thing that ran.
    const idleSince = w.waiting ? w.waitSince : w.lastRunAt;
    if ((w.waiting || w.nextStatement >= statements.length) && tNext > idleSince + RUN_CAP_AFTER_LAST_STATEMENT) {
      stack.line = undefined;
      const hours = RUN_CAP_AFTER_LAST_STATEMENT / 3_600_000_000;
      if (w.waiting) this.failWait(`still nothing after ${hours} h of virtual time, with timers pending`);
      else stack.note(`run stopped ${hours} h of virtual time after the last statement with timers still pending; add \`end @T\` to stop sooner`);
      w.done = true;
      return;
    }
    w.sameInstant = tNext === w.now ? w.sameInstant + 1 : 0;
    if (w.sameInstant > MAX_ACTIONS_PER_INSTANT || this.traceLength > MAX_EVENTS) {
      stack.line = undefined;
      const why =
        w.sameInstant > MAX_ACTIONS_PER_INSTANT
          ? `more than ${MAX_ACTIONS_PER_INSTANT} actions at ${w.now / 1000} ms without time passing`
          : `${MAX_EVENTS} events`;
      if (w.waiting) this.failWait(`the run stopped after ${why}`);
      stack.note(w.sameInstant > MAX_ACTIONS_PER_INSTANT ? `run stopped: ${why}` : `run stopped after ${why}`);
      w.done = true;
      return;
    }
    if (tEvent <= tStatement) {
      w.now = tEvent;
      if (tArrival <= tTimer) arrive(stack, stack.net.takeNext(w.net));
      else fireTimer(stack, timerHost, timerTcb!);
    } else {
      w.now = tStatement;
      const index = w.nextStatement++;
      this.runStatement(index);
      if (!w.waiting) Waits.ran(stack, index);
    }
  }

  /** The run ends while a wait holds the timeline: a failed expectation at its line. */
  private failWait(why: string): void {
    Waits.fail(this.stack, why);
    ExpectNext.fail(this.stack, why);
  }

  /**
   * When the next statement runs (microseconds), Infinity while a wait holds the timeline or when
   * none is left. `+D` after a wait counts from when the statement before it ran; `@T` runs at T,
   * or then if that is later. Without waits this is always the statement's own `at`.
   */
  private nextStatementTime(): number {
    const w = this.stack.w;
    const statements = this.program.statements;
    if (w.waiting || w.nextStatement >= statements.length) return Infinity;
    const st = statements[w.nextStatement];
    if (st.after !== undefined) return w.lastRunAt + st.after;
    return st.at > w.lastRunAt ? st.at : w.lastRunAt;
  }

  private host(name: string): number {
    const h = this.stack.index.get(name);
    if (h === undefined) {
      this.stack.note(`unknown endpoint '${name}'`);
      return -1;
    }
    return h;
  }

  private runStatement(index: number): void {
    const st = this.program.statements[index];
    const stack = this.stack;
    const w = stack.w;
    stack.line = st.line;
    if (st.after === undefined && w.now > st.at) {
      // `@T` after a wait that finished later than T: it runs now, never before the wait.
      stack.note(`line ${st.line} was due at ${st.at / 1000} ms; it runs when the statement before it ran, at ${w.now / 1000} ms`);
    }
    const a = st.action;
    let h: number;
    switch (a.kind) {
      case 'listen':
        if ((h = this.tcpHost(a.endpoint)) >= 0) User.listen(stack, h);
        return;
      case 'connect': {
        const peer = this.host(a.peer);
        if ((h = this.tcpHost(a.endpoint)) >= 0 && peer >= 0) User.connect(stack, h, peer);
        return;
      }
      case 'send':
        if ((h = this.tcpHost(a.endpoint)) >= 0) User.send(stack, h, a.bytes, a.conn);
        return;
      case 'receive':
        if ((h = this.tcpHost(a.endpoint)) >= 0) User.receive(stack, h, a.bytes, a.conn);
        return;
      case 'close':
        if ((h = this.tcpHost(a.endpoint)) >= 0) User.close(stack, h, a.kind, a.conn);
        return;
      case 'shutdown':
        if ((h = this.tcpHost(a.endpoint)) >= 0) {
          if (a.how === undefined) User.close(stack, h, 'shutdown', a.conn);
          else User.shutdown(stack, h, a.how, a.conn);
        }
        return;
      case 'abort':
        if ((h = this.tcpHost(a.endpoint)) >= 0) User.abort(stack, h, a.conn);
        return;
      case 'crash':
        if ((h = this.host(a.endpoint)) >= 0) User.crash(stack, h);
        return;
      case 'restart':
        if ((h = this.host(a.endpoint)) >= 0) User.restart(stack, h);
        return;
      case 'set':
        if ((h = this.tcpHost(a.endpoint)) >= 0) Options.set(stack, h, a.settings, a.text);
        return;
      case 'fault':
        stack.net.addFault(stack.w.net, a.rule);
        return;
      case 'inject': {
        const from = this.host(a.from);
        const to = this.host(a.to);
        if (from >= 0 && to >= 0) User.inject(stack, from, to, flagsToMask(a.flags), a.seq >>> 0, a.ack >>> 0, a.len, a.wnd ?? stack.settings[from].rcvBuf, a.options);
        return;
      }
      case 'wait-state':
      case 'wait-received':
        w.nextStatement = index; // held until the wait finishes
        Waits.begin(stack);
        return;
      case 'expect-next':
        w.nextStatement = index; // held until the segment is sent, or its deadline
        ExpectNext.begin(stack);
        return;
      case 'expect-state':
      case 'expect-received':
      case 'expect-window':
      case 'expect-call':
      case 'expect-segment':
        return Expectations.expectNow(stack, a, index, this.events);
    }
  }

  /** A host with TCP: a raw endpoint (`endpoint NAME raw`) makes no calls. */
  private tcpHost(name: string): number {
    const h = this.host(name);
    if (h >= 0 && this.stack.w.hosts[h].raw) {
      this.stack.note(`'${name}' is a raw endpoint: it has no TCP, only inject makes it send`);
      return -1;
    }
    return h;
  }

  // ---- views ---------------------------------------------------------------------------------

  /** What `expect NAME is STATE` sees: the newest connection's state, else LISTEN or CLOSED. */
  stateOf(endpoint: string, conn?: string): TcpState {
    return Expectations.stateOf(this.stack, endpoint, conn);
  }

  view(): WorldView {
    const stack = this.stack;
    const w = stack.w;
    // One engine action can emit several events; until its transition events have been handed
    // out by step(), a connection still shows the state it had (the numbers are the action's result).
    const shownState = new Map<string, TcpState>();
    for (let i = w.pendingHead; i < w.pending.length; i++) {
      const e = w.pending[i];
      const key = e.kind === 'transition' ? `${e.endpoint}\u0000${e.conn ?? ''}` : undefined;
      if (key !== undefined && e.kind === 'transition' && !shownState.has(key)) shownState.set(key, e.from);
    }
    const endpoints: EndpointView[] = stack.decls.map((d, h) => {
      const host = w.hosts[h];
      const connections = host.conns.map((tcb) => {
        const view = this.tcbView(h, tcb);
        const before = shownState.get(`${d.name}\u0000${view.conn ?? ''}`);
        if (before !== undefined) view.state = before;
        return view;
      });
      const newest = connections[connections.length - 1];
      const view: EndpointView = {
        name: d.name,
        address: d.address,
        port: d.port,
        listening: host.listening,
        crashed: host.crashed,
        state: newest !== undefined && shownState.size > 0 ? newest.state : this.stateOf(d.name),
        connections,
        received: host.received,
        calls: callResults(host.lastCalls),
      };
      if (host.raw) view.raw = true;
      return view;
    });
    const inFlight: InFlightView[] = inArrivalOrder(w.net.inFlight).map((s) => {
      const v: InFlightView = {
        id: s.id,
        from: stack.names[s.from],
        to: stack.names[s.to],
        flags: [...maskToFlags(s.flags)],
        seq: s.seq,
        ack: s.ack,
        len: s.len,
        wnd: s.wnd,
        sentAt: s.sentAt / 1000,
        arrivesAt: s.arrivesAt / 1000,
        corrupt: s.corrupt,
      };
      if (s.options !== undefined) v.options = s.options;
      if (s.drop !== undefined) v.drop = s.drop;
      return v;
    });
    const statements = this.program.statements;
    let next: WorldView['nextStatement'];
    if (w.nextStatement < statements.length) {
      const st = statements[w.nextStatement];
      next = w.waiting ? { index: w.nextStatement, line: st.line, at: w.waitSince / 1000, waiting: true } : { index: w.nextStatement, line: st.line, at: this.nextStatementTime() / 1000 };
    }
    return { now: w.now / 1000, endpoints, inFlight, nextStatement: next, done: this.done };
  }

  private tcbView(h: number, tcb: Tcb): TcbView {
    const stack = this.stack;
    const decl = stack.decls[h];
    const peer = stack.decls[tcb.peer];
    const timers: TcbView['timers'] = [];
    for (let i = 0; i < TIMER_COUNT; i++) if (tcb.timerAt[i] >= 0) timers.push({ name: TIMER_NAMES[i], expires: tcb.timerAt[i] / 1000 });
    const sendEnd = tcb.finSent ? (tcb.sndNxt - 1) >>> 0 : tcb.sndNxt;
    const view: TcbView = {
      endpoint: decl.name,
      state: tcb.state,
      local: `${decl.address}:${decl.port}`,
      remote: `${peer.address}:${peer.port}`,
      ISS: tcb.iss,
      IRS: tcb.irs,
      'SND.UNA': tcb.sndUna,
      'SND.NXT': tcb.sndNxt,
      'SND.WND': tcb.sndWnd,
      'SND.WL1': tcb.sndWl1,
      'SND.WL2': tcb.sndWl2,
      'RCV.NXT': tcb.rcvNxt,
      'RCV.WND': stack.rcvWnd(h, tcb),
      sendQueue: tcb.sndQueued,
      unacked: Math.max(0, (sendEnd - tcb.sndUna) | 0) - (tcb.state === 'SYN-SENT' || tcb.state === 'SYN-RECEIVED' ? 1 : 0),
      receiveQueue: tcb.rcvQueue,
      outOfOrder: heldBytes(tcb),
      cwnd: tcb.cc.cwnd,
      ssthresh: tcb.cc.ssthresh,
      flightSize: flightSize(tcb),
      recovery: RECOVERY_NAMES[tcb.recovery],
      mss: tcb.mss,
      rto: tcb.rto / 1000,
      timers,
    };
    const opts = tcb.opts;
    if (opts !== undefined) {
      const negotiated: NonNullable<TcbView['options']> = { sack: opts.sackOk, timestamps: opts.tsOk };
      if (opts.peerMss > 0) negotiated.peerMss = opts.peerMss;
      if (opts.sndWscale >= 0) negotiated.wscale = { send: opts.sndWscale, receive: opts.rcvWscale };
      view.options = negotiated;
    }
    if (tcb.label !== undefined) view.conn = tcb.label;
    if (tcb.srtt >= 0) {
      view.srtt = tcb.srtt / 1000;
      view.rttvar = tcb.rttvar / 1000;
    }
    return view;
  }
}

/** The latest result of each call, in the order of CHECKED_CALLS. */
function callResults(lastCalls: readonly (AppEvent | undefined)[]): CallResult[] {
  const results: CallResult[] = [];
  for (const e of lastCalls) {
    if (e === undefined) continue;
    const result: CallResult = { call: e.call, t: e.t, ok: e.error === undefined };
    if (e.error !== undefined) result.error = e.error;
    if (e.errno !== undefined) result.errno = e.errno;
    results.push(result);
  }
  return results;
}

/** The JSON document of a run (`tcpscenario trace`, the diagram): the program's header, its events and the rules they name. */
export function traceDocumentOf(program: Program, events: readonly TraceEvent[]): TraceDocument {
  return {
    version: 1,
    scenario: program.title,
    profile: program.profile,
    endpoints: program.endpoints.map((e) => {
      const entry: TraceDocument['endpoints'][number] = { name: e.name, address: e.address, port: e.port };
      if (e.isn !== undefined) entry.isn = e.isn;
      if (e.raw) entry.raw = true;
      return entry;
    }),
    events: [...events],
    rules: rulesOf(events),
  };
}

/** Run a program to the end, or for at most `maxEvents` events, and return the simulation (its trace, its final view). */
export function runProgram(program: Program, maxEvents = Infinity): Simulation {
  const sim = new Simulation(program);
  sim.run(maxEvents);
  return sim;
}
