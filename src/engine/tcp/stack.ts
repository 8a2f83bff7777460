// The hosts and their connections: the state every part of the state machine shares, the trace
// it writes, and the one place a state changes. The rules themselves live beside this file, one
// file per part of RFC 9293 3.10:
//
//   user-calls.ts             3.10.1-3.10.5  OPEN, SEND, RECEIVE, CLOSE, ABORT (and crash/restart)
//   arrives.ts                3.10.7.1-3     SEGMENT ARRIVES in CLOSED, LISTEN, SYN-SENT
//   arrives-synchronized.ts   3.10.7.4       first to fourth check (sequence number, RST, SYN)
//   arrives-ack.ts            3.10.7.4       fifth check (the ACK field), RFC 5681/6582 loss detection
//   arrives-text.ts           3.10.7.4       seventh and eighth (text, FIN), when to acknowledge
//   output.ts                 3.8, 3.10.2    what goes out: data in the window, FIN, ACK, RST
//   timeouts.ts               3.10.8         retransmission (RFC 6298), persist, keep-alive, delayed ACK, TIME-WAIT
//
// Read first: RFC 9293 section 3.10 (event processing), RFC 5961 (challenge ACKs, as RFC 9293
// adopts them), RFC 6298 (retransmission timer), RFC 1122 4.2.3.6 (keep-alive), 4.2.2.13 (RST on
// close with unread data), 4.2.3.3 (window updates).
//
// No clock inside: the simulator sets `world.now` before every atomic action. Every state change
// goes through `setState`, which records the transition.

import { CHECKED_CALLS, type Errno } from '../errno';
import { Network } from '../network';
import type { EndpointDecl, Program, Settings } from '../program';
import { resolveSettings } from '../profile';
import { newRttEstimator, RTO_AFTER_SYN_LOSS } from '../rtt';
import { establishWindow, initialCongestion } from './recovery';
import { newOptions } from './options';
import { newLinuxState } from './linux/state';
import * as LinuxWindow from './linux/window';
import { timerDelay } from './linux/jiffies';
import { F_FIN, F_SYN, maskToFlags } from '../flags';
import { MAX_WINDOW } from '../congestion/index';
import * as Seq from '../seq';
import * as Timers from '../timers';
import type { RuleId } from '../rules';
import type { AppCall, AppEvent, DeliverEvent, InjectEvent, SendEvent, TcpOptions, TcpState, TraceEvent } from '../trace';
import * as ExpectNext from '../expectNext';
import * as Waits from '../waits';
import type { Host, OutboxEntry, Tcb, World } from '../world';

// Bound once: under a CommonJS transform (tsx, node --test) every access to an imported binding
// goes through a getter, which costs in the per-segment path.
const { seqAdd } = Seq;
const { arm, disarm, newTimers, T_KEEPALIVE, T_TIMEWAIT, T_DELACK, TIMER_COUNT, TIMER_NAMES } = Timers;

/** Default ISNs: host i's clock starts at (i + 1) * 1000 at time 0. */
const DEFAULT_ISN_STEP = 1000;

/** Where each call's latest result is kept in `Host.lastCalls`. */
export const CALL_INDEX: Readonly<Partial<Record<AppCall, number>>> = Object.fromEntries(CHECKED_CALLS.map((call, i) => [call, i]));

export class Stack {
  w: World;
  /** Scenario line of the statement that caused the current chain of events. */
  line: number | undefined;
  readonly names: string[];
  readonly index = new Map<string, number>();
  /** The scenario fixed the host's receive buffer (Linux: SO_RCVBUF, so no autotuning and a window scale for that buffer). */
  readonly rcvBufFixed: boolean[];
  /** Hosts whose connection events carry a `conn` label (they may talk to several peers). */
  readonly labelled: boolean[];
  readonly decls: EndpointDecl[];
  readonly net: Network;
  /** The `deliver` event of the segment being processed: `discard` puts its rule there. */
  arrival: DeliverEvent | undefined;
  /** Pairs (from * hosts + to) some `expect next` watches: their segments go to the world's outbox. */
  private readonly watched: Set<number>;

  constructor(readonly program: Program) {
    this.decls = program.endpoints;
    this.names = this.decls.map((d) => d.name);
    this.decls.forEach((d, i) => this.index.set(d.name, i));
    this.watched = ExpectNext.watchedPairs(this);
    const readers = new Set<string>();
    const peers: Set<number>[] = this.decls.map(() => new Set<number>());
    const pair = (a: string, b: string): void => {
      const ia = this.index.get(a);
      const ib = this.index.get(b);
      if (ia === undefined || ib === undefined || ia === ib) return;
      peers[ia].add(ib);
      peers[ib].add(ia);
    };
    for (const st of program.statements) {
      const a = st.action;
      if (a.kind === 'receive') readers.add(a.endpoint);
      else if (a.kind === 'connect') pair(a.endpoint, a.peer);
      else if (a.kind === 'inject') pair(a.from, a.to);
    }
    for (const link of program.links) pair(link.a, link.b);
    this.labelled = peers.map((p) => p.size > 1);
    const settings = this.decls.map((d) => resolveSettings(program.profile, program.settings, d.settings));
    this.rcvBufFixed = this.decls.map((d) => program.settings.rcvBuf !== undefined || d.settings.rcvBuf !== undefined);
    this.net = new Network(program, this.index);
    this.w = {
      now: 0,
      nextStatement: 0,
      net: this.net.initialState(),
      hosts: this.decls.map((d, i) => ({
        raw: d.raw === true,
        listening: false,
        crashed: false,
        conns: [],
        received: 0,
        nextKey: 0,
        issBase: d.isn ?? (i + 1) * DEFAULT_ISN_STEP,
        issBaseAt: d.isn === undefined ? 0 : -1,
        lastCalls: [],
      })),
      pending: [],
      pendingHead: 0,
      deferred: [],
      sameInstant: 0,
      done: false,
      settings,
      autoread: this.decls.map((d, i) => settings[i].autoread ?? !readers.has(d.name)),
      lastRunAt: 0,
      waiting: false,
      waitSince: 0,
      endAt: -1,
      waitDeadline: Infinity,
      outbox: [],
    };
  }

  /** Each host's settings now (`NAME set` changes them during a run). */
  get settings(): Settings[] {
    return this.w.settings;
  }

  /** Each host's application reads what arrives at once. */
  get autoread(): boolean[] {
    return this.w.autoread;
  }

  // ---- trace -------------------------------------------------------------------------------

  /** Trace time (ms) of now. */
  get t(): number {
    return this.w.now / 1000;
  }

  emit(event: TraceEvent): void {
    if (this.line !== undefined) event.line = this.line;
    this.w.pending.push(event);
  }

  note(message: string, host?: number, rule?: RuleId): void {
    const event: TraceEvent = { t: this.t, kind: 'note', message };
    if (host !== undefined) event.endpoint = this.names[host];
    if (rule !== undefined) event.rule = rule;
    this.emit(event);
  }

  /**
   * An application call's event; `rule` when TCP reports something to the application by itself (an
   * error); `errno`, what Linux returns for the error (src/engine/errno.ts).
   */
  app(host: number, call: AppCall, bytes?: number, error?: string, rule?: RuleId, errno?: Errno): void {
    const event: AppEvent = { t: this.t, kind: 'app', endpoint: this.names[host], call };
    if (bytes !== undefined) event.bytes = bytes;
    if (error !== undefined) event.error = error;
    if (errno !== undefined) event.errno = errno;
    if (rule !== undefined) event.rule = rule;
    this.emit(event);
    const slot = CALL_INDEX[call];
    if (slot !== undefined) this.w.hosts[host].lastCalls[slot] = event;
  }

  /** The segment being processed is discarded without an answer: its `deliver` event says by which rule. */
  discard(rule: RuleId): void {
    if (this.arrival !== undefined) this.arrival.rule = rule;
  }

  /**
   * The one place a state changes (like smoltcp's set_state). With `tcb` undefined it is the
   * host's listener that changes. A connection that reaches CLOSED, or LISTEN (a passive one
   * reset in SYN-RECEIVED), is deleted.
   */
  setState(h: number, tcb: Tcb | undefined, to: TcpState, cause: string, rule: RuleId): void {
    const host = this.w.hosts[h];
    let from: TcpState;
    if (tcb === undefined) {
      from = host.listening ? 'LISTEN' : 'CLOSED';
      host.listening = to === 'LISTEN';
    } else {
      from = tcb.state;
      if (to === 'CLOSED' || to === 'LISTEN') this.deleteTcb(h, tcb, rule);
      tcb.state = to;
    }
    if (from === to) return;
    const event: TraceEvent = { t: this.t, kind: 'transition', endpoint: this.names[h], from, to, cause, rule };
    if (tcb?.label !== undefined) event.conn = tcb.label;
    this.emit(event);
    if (this.w.waiting) Waits.check(this);
  }

  private deleteTcb(h: number, tcb: Tcb, rule: RuleId): void {
    for (let i = 0; i < TIMER_COUNT; i++) this.cancelTimer(h, tcb, i, rule);
    const conns = this.w.hosts[h].conns;
    const at = conns.indexOf(tcb);
    if (at >= 0) conns.splice(at, 1);
  }

  /** Data handed to the application (a `data` event). */
  deliverToApp(h: number, tcb: Tcb, bytes: number, rule?: RuleId): void {
    this.w.hosts[h].received += bytes;
    const event: TraceEvent = { t: this.t, kind: 'data', endpoint: this.names[h], bytes };
    if (tcb.label !== undefined) event.conn = tcb.label;
    if (rule !== undefined) event.rule = rule;
    this.emit(event);
    if (this.w.waiting) Waits.check(this);
  }

  /** What `expect NAME is STATE` sees: the connection with `peer`, else the newest one, else LISTEN or CLOSED. */
  endpointState(h: number, peer?: number): TcpState {
    const host = this.w.hosts[h];
    if (peer !== undefined) return findConn(host, peer)?.state ?? 'CLOSED';
    const conns = host.conns;
    if (conns.length > 0) return conns[conns.length - 1].state;
    return host.listening ? 'LISTEN' : 'CLOSED';
  }

  // ---- timers: the plain-data helpers of ../timers.ts, traced ------------------------------

  startTimer(h: number, tcb: Tcb, timer: number, after: number, rule: RuleId): void {
    const at = this.w.now + after;
    // Restarting a timer to the deadline it already has (several ACKs in one instant) changes
    // nothing: no event.
    if (tcb.timerAt[timer] === at) return;
    arm(tcb, timer, at, this.line);
    const event: TraceEvent = { t: this.t, kind: 'timer', endpoint: this.names[h], name: TIMER_NAMES[timer], action: 'start', expires: at / 1000, rule };
    if (tcb.label !== undefined) event.conn = tcb.label;
    this.emit(event);
  }

  cancelTimer(h: number, tcb: Tcb, timer: number, rule: RuleId): void {
    if (disarm(tcb, timer)) this.timerEvent(h, tcb, timer, 'cancel', rule);
  }

  timerEvent(h: number, tcb: Tcb, timer: number, action: 'cancel' | 'fire', rule: RuleId): void {
    const event: TraceEvent = { t: this.t, kind: 'timer', endpoint: this.names[h], name: TIMER_NAMES[timer], action, rule };
    if (tcb.label !== undefined) event.conn = tcb.label;
    this.emit(event);
  }

  // ---- connections ---------------------------------------------------------------------------

  /** RFC 9293 3.4.1: the ISN generator is a clock that ticks every 4 microseconds. */
  private chooseIss(h: number): number {
    const host = this.w.hosts[h];
    if (host.issBaseAt < 0) host.issBaseAt = this.w.now;
    return seqAdd(host.issBase, Math.floor((this.w.now - host.issBaseAt) / 4));
  }

  newTcb(h: number, peer: number, state: TcpState, passive: boolean): Tcb {
    const host = this.w.hosts[h];
    const s = this.settings[h];
    const iss = this.chooseIss(h);
    const tcb: Tcb = {
      key: host.nextKey++,
      peer,
      label: this.labelled[h] ? this.names[peer] : undefined,
      state,
      passive,
      iss,
      irs: 0,
      sndUna: iss,
      sndNxt: seqAdd(iss, 1),
      sndWnd: 0,
      sndWl1: 0,
      sndWl2: 0,
      mss: s.mss,
      opts: newOptions(s, iss, this.rcvBufFixed[h]),
      lx: s.kernel ? newLinuxState(s.rcvBuf, this.rcvBufFixed[h], this.w.now) : undefined,
      sndQueued: 0,
      finQueued: false,
      finSent: false,
      appClosed: false,
      readShut: false,
      probing: false,
      rcvNxt: 0,
      rcvQueue: 0,
      rcvWaits: [],
      rcvAdvEdge: 0,
      held: [],
      heldHead: 0,
      ...newRttEstimator(s.rto),
      retries: 0,
      synRetransmits: 0,
      dupAcks: 0,
      cc: initialCongestion(this, h),
      recovery: 0,
      recover: iss,
      rtxNext: iss,
      lostEnd: iss,
      sacked: 0,
      prrDelivered: 0,
      prrOut: 0,
      priorCwnd: 0,
      quietLoss: false,
      lastSendAt: -1,
      cwndLimited: false,
      maxFlight: 0,
      cwndUsageSeq: iss,
      nagleHeld: false,
      smallEnd: iss,
      sndBlocked: 0,
      blockedLine: 0,
      persistBackoff: 0,
      keepaliveProbes: 0,
      lastHeardAt: this.w.now,
      unackedSegments: 0,
      ...newTimers(),
    };
    host.conns.push(tcb);
    host.crashed = false;
    return tcb;
  }

  /** The connection a user call acts on: the one with `conn` (a peer name), else the newest. */
  target(h: number, conn?: string): Tcb | undefined {
    const conns = this.w.hosts[h].conns;
    if (conn === undefined) return conns[conns.length - 1];
    const peer = this.index.get(conn);
    return peer === undefined ? undefined : findConn(this.w.hosts[h], peer);
  }

  /** RCV.WND: what is left of the receive buffer; Linux: of the window last advertised (tcp_receive_window). */
  rcvWnd(h: number, tcb: Tcb): number {
    if (tcb.lx !== undefined) return LinuxWindow.receiveWindow(tcb, tcb.lx);
    return Math.max(0, this.settings[h].rcvBuf - tcb.rcvQueue);
  }

  /** Our FIN has been sent and acknowledged. */
  finAcked(tcb: Tcb): boolean {
    return tcb.finSent && tcb.sndUna === tcb.sndNxt;
  }

  /** ESTABLISHED, from SYN-SENT or SYN-RECEIVED. */
  enterEstablished(h: number, tcb: Tcb, cause: string, rule: RuleId): void {
    // RFC 6298 (5.7): a handshake that needed a retransmission and gave no sample leaves RTO at 3 s.
    if (tcb.srtt < 0 && tcb.synRetransmits > 0) tcb.rto = Math.max(tcb.rto, RTO_AFTER_SYN_LOSS);
    establishWindow(this, h, tcb, tcb.synRetransmits);
    if (tcb.lx !== undefined) LinuxWindow.establishWindow(this, tcb, tcb.lx);
    tcb.retries = 0;
    this.setState(h, tcb, 'ESTABLISHED', cause, rule);
    const s = this.settings[h];
    if (s.keepalive) this.startTimer(h, tcb, T_KEEPALIVE, s.keepaliveIdle, 'rfc1122.4.2.3.6.keepalive');
    // A CLOSE in SYN-RECEIVED with data queued waited for ESTABLISHED (RFC 9293 3.10.4).
    if (tcb.finQueued) this.setState(h, tcb, 'FIN-WAIT-1', 'close', 'rfc9293.3.10.4.close');
  }

  /** TIME-WAIT: start the 2 MSL timer (Linux: TCP_TIMEWAIT_LEN on the timer wheel), turn off the other timers. */
  enterTimeWait(h: number, tcb: Tcb, cause: string, rule: RuleId): void {
    for (let i = 0; i < TIMER_COUNT; i++) if (i !== T_DELACK) this.cancelTimer(h, tcb, i, rule);
    this.setState(h, tcb, 'TIME-WAIT', cause, rule);
    this.startTimeWait(h, tcb, rule);
  }

  /** (Re)start the TIME-WAIT timer by `rule` (tcp_time_wait / inet_twsk_reschedule in the linux profile). */
  startTimeWait(h: number, tcb: Tcb, rule: RuleId): void {
    const length = this.settings[h].timeWait;
    if (tcb.lx !== undefined) this.startTimer(h, tcb, T_TIMEWAIT, timerDelay(this.w.now, length), 'linux.tcp_time_wait.timewait-len');
    else this.startTimer(h, tcb, T_TIMEWAIT, length, rule);
  }

  // ---- the wire ------------------------------------------------------------------------------

  /**
   * Trace a segment leaving `from` (a `send`, or an `inject` for crafted ones) and hand it to the
   * network; `options` only for crafted ones.
   */
  transmit(from: number, to: number, flags: number, seq: number, ack: number, len: number, wnd: number, retransmission: boolean, rule: RuleId | undefined, probe?: 'keepalive' | 'zero-window', options?: TcpOptions): void {
    const net = this.w.net;
    const id = this.net.newId(net);
    const flagList = maskToFlags(flags);
    if (rule === undefined) {
      // A crafted segment (`inject`): the scenario's, not TCP's.
      const event: InjectEvent = { t: this.t, kind: 'inject', id, from: this.names[from], to: this.names[to], flags: flagList, seq, ack, len, wnd, retransmission: false, injected: true };
      if (options !== undefined) event.options = options;
      this.emit(event);
    } else {
      const event: SendEvent = { t: this.t, kind: 'send', id, from: this.names[from], to: this.names[to], flags: flagList, seq, ack, len, wnd, retransmission, rule };
      if (options !== undefined) event.options = options;
      if (probe !== undefined) event.probe = probe;
      if (len > 0 || flags & SEQUENCE_FLAGS) traceWindowsOf(event, findConn(this.w.hosts[from], to));
      this.emit(event);
      if (this.watched.has(from * this.names.length + to)) {
        const entry: OutboxEntry = { t: this.w.now, id, from, to, flags: flagList, seq, ack, len, wnd };
        if (options !== undefined) entry.options = options;
        this.w.outbox.push(entry);
        ExpectNext.sent(this);
      }
    }
    this.net.carry(this, id, from, to, flags, seq, ack, len, wnd, options);
  }
}

// Bound once (a getter per access under a CommonJS transform, in the per-segment path).
const SEQUENCE_FLAGS = F_SYN | F_FIN;
const INITIAL_SSTHRESH = MAX_WINDOW;

/** The sender's congestion window and, once a loss or an idle restart set it, ssthresh (trace.ts SendEvent). */
function traceWindowsOf(event: SendEvent, tcb: Tcb | undefined): void {
  if (tcb === undefined) return;
  event.cwnd = tcb.cc.cwnd;
  if (tcb.cc.ssthresh < INITIAL_SSTHRESH) event.ssthresh = tcb.cc.ssthresh;
}

export function findConn(host: Host, peer: number): Tcb | undefined {
  const conns = host.conns;
  for (let i = 0; i < conns.length; i++) if (conns[i].peer === peer) return conns[i];
  return undefined;
}
