// The TCP endpoints (hosts) and the network between them.
//
// Read first: RFC 9293 section 3.10 (event processing), RFC 5961 (challenge ACKs, as RFC 9293
// adopts them), RFC 6298 (retransmission timer), RFC 1122 4.2.3.6 (keep-alive), 4.2.2.13 (RST on
// close with unread data), 4.2.3.3 (window updates).
//
// No clock inside: the simulator sets `world.now` before every atomic action. Every state change
// goes through `setState`, which records the transition.

import { count } from './plural';
import type { EndpointDecl, FaultRule, LinkDecl, Program, Settings } from './program';
import { resolveSettings } from './profile';
import * as Seq from './seq';
import type { AppCall, SendEvent, TcpState, TraceEvent } from './trace';
import { flagsToMask, maskToFlags, newTimers, nextRandom } from './world';
import type { Fault, HeldSegment, Host, Segment, Tcb, World } from './world';
import * as W from './world';

// Bound once: under a CommonJS transform (tsx, node --test) every access to an imported binding
// goes through a getter, which costs in the per-segment path.
const { seqAdd, seqDiff, seqGe, seqGt, seqInWindow, seqLe, seqLt } = Seq;
const { F_ACK, F_FIN, F_RST, F_SYN, T_DELACK, T_KEEPALIVE, T_PERSIST, T_RTX, T_TIMEWAIT, T_USER, TIMER_COUNT, TIMER_NAMES } = W;

/** Default link: 10 ms each way, no faults (DESIGN.md). */
const DEFAULT_DELAY = 10_000;
/** RFC 6298 (2.3): clock granularity G. */
const CLOCK_GRANULARITY = 1000;
/** RFC 6298 (5.7): RTO after a handshake that needed retransmissions and gave no RTT sample. */
const RTO_AFTER_SYN_LOSS = 3_000_000;
/** Default ISNs: host i's clock starts at (i + 1) * 1000 at time 0. */
const DEFAULT_ISN_STEP = 1000;

/** States in which queued data (and our FIN) may still go out. */
const SYNCHRONIZED_CAN_SEND: ReadonlySet<TcpState> = new Set(['ESTABLISHED', 'CLOSE-WAIT', 'FIN-WAIT-1', 'CLOSING', 'LAST-ACK']);

export function segmentLength(flags: number, len: number): number {
  return len + (flags & F_SYN ? 1 : 0) + (flags & F_FIN ? 1 : 0);
}

/** RFC 9293 3.10.7.4 first check: the four cases of segment acceptability. */
export function acceptable(seq: number, segLen: number, rcvNxt: number, rcvWnd: number): boolean {
  if (segLen === 0) {
    return rcvWnd === 0 ? seq === rcvNxt : seqInWindow(seq, rcvNxt, seqAdd(rcvNxt, rcvWnd));
  }
  if (rcvWnd === 0) return false;
  const end = seqAdd(rcvNxt, rcvWnd);
  return seqInWindow(seq, rcvNxt, end) || seqInWindow(seqAdd(seq, segLen - 1), rcvNxt, end);
}

export class Stack {
  w: World;
  /** Scenario line of the statement that caused the current chain of events. */
  line: number | undefined;
  readonly names: string[];
  readonly index = new Map<string, number>();
  readonly settings: Settings[];
  readonly autoread: boolean[];
  /** Hosts whose connection events carry a `conn` label (they may talk to several peers). */
  readonly labelled: boolean[];
  readonly decls: EndpointDecl[];
  readonly links: LinkDecl[];
  private readonly linkOf: Int32Array;

  constructor(readonly program: Program) {
    this.decls = program.endpoints;
    this.names = this.decls.map((d) => d.name);
    this.decls.forEach((d, i) => this.index.set(d.name, i));
    const n = this.decls.length;
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
    this.links = program.links;
    this.linkOf = new Int32Array(n * n).fill(-1);
    program.links.forEach((link, i) => {
      pair(link.a, link.b);
      const a = this.index.get(link.a);
      const b = this.index.get(link.b);
      if (a === undefined || b === undefined) return;
      this.linkOf[a * n + b] = i;
      this.linkOf[b * n + a] = i;
    });
    this.labelled = peers.map((p) => p.size > 1);
    this.settings = this.decls.map((d) => resolveSettings(program.profile, program.settings, d.settings));
    this.autoread = this.decls.map((d, i) => this.settings[i].autoread ?? !readers.has(d.name));
    this.w = {
      now: 0,
      nextStatement: 0,
      segmentCounter: 0,
      order: 0,
      inFlight: [],
      hosts: this.decls.map((d, i) => ({
        listening: false,
        crashed: false,
        conns: [],
        received: 0,
        nextKey: 0,
        issBase: d.isn ?? (i + 1) * DEFAULT_ISN_STEP,
        issBaseAt: d.isn === undefined ? 0 : -1,
      })),
      faults: [],
      faultsLeft: [],
      rng: program.links.map((l) => l.seed >>> 0),
      pending: [],
      pendingHead: 0,
      deferred: [],
      sameInstant: 0,
      done: false,
    };
  }

  // ---- trace -------------------------------------------------------------------------------

  /** Trace time (ms) of now. */
  private get t(): number {
    return this.w.now / 1000;
  }

  emit(event: TraceEvent): void {
    if (this.line !== undefined) event.line = this.line;
    this.w.pending.push(event);
  }

  note(message: string, host?: number): void {
    const event: TraceEvent = { t: this.t, kind: 'note', message };
    if (host !== undefined) event.endpoint = this.names[host];
    this.emit(event);
  }

  app(host: number, call: AppCall, bytes?: number, error?: string): void {
    const event: TraceEvent = { t: this.t, kind: 'app', endpoint: this.names[host], call };
    if (bytes !== undefined) event.bytes = bytes;
    if (error !== undefined) event.error = error;
    this.emit(event);
  }

  /**
   * The one place a state changes (like smoltcp's set_state). With `tcb` undefined it is the
   * host's listener that changes. A connection that reaches CLOSED, or LISTEN (a passive one
   * reset in SYN-RECEIVED), is deleted.
   */
  setState(h: number, tcb: Tcb | undefined, to: TcpState, cause: string): void {
    const host = this.w.hosts[h];
    let from: TcpState;
    if (tcb === undefined) {
      from = host.listening ? 'LISTEN' : 'CLOSED';
      host.listening = to === 'LISTEN';
    } else {
      from = tcb.state;
      if (to === 'CLOSED' || to === 'LISTEN') this.deleteTcb(h, tcb);
      tcb.state = to;
    }
    if (from === to) return;
    const event: TraceEvent = { t: this.t, kind: 'transition', endpoint: this.names[h], from, to, cause };
    if (tcb?.label !== undefined) event.conn = tcb.label;
    this.emit(event);
  }

  private deleteTcb(h: number, tcb: Tcb): void {
    for (let i = 0; i < TIMER_COUNT; i++) this.cancelTimer(h, tcb, i);
    const conns = this.w.hosts[h].conns;
    const at = conns.indexOf(tcb);
    if (at >= 0) conns.splice(at, 1);
  }

  // ---- timers ------------------------------------------------------------------------------

  private startTimer(h: number, tcb: Tcb, timer: number, after: number): void {
    const at = this.w.now + after;
    tcb.timerAt[timer] = at;
    tcb.timerLine[timer] = this.line ?? 0;
    if (at < tcb.nextTimer) tcb.nextTimer = at;
    else refreshNextTimer(tcb);
    const event: TraceEvent = {
      t: this.t,
      kind: 'timer',
      endpoint: this.names[h],
      name: TIMER_NAMES[timer],
      action: 'start',
      expires: at / 1000,
    };
    if (tcb.label !== undefined) event.conn = tcb.label;
    this.emit(event);
  }

  private cancelTimer(h: number, tcb: Tcb, timer: number): void {
    if (tcb.timerAt[timer] < 0) return;
    tcb.timerAt[timer] = -1;
    refreshNextTimer(tcb);
    this.timerEvent(h, tcb, timer, 'cancel');
  }

  private timerEvent(h: number, tcb: Tcb, timer: number, action: 'cancel' | 'fire'): void {
    const event: TraceEvent = { t: this.t, kind: 'timer', endpoint: this.names[h], name: TIMER_NAMES[timer], action };
    if (tcb.label !== undefined) event.conn = tcb.label;
    this.emit(event);
  }

  /** Fire the connection's earliest due timer (the simulator found it due now). */
  fireTimer(h: number, tcb: Tcb): void {
    let timer = 0;
    while (tcb.timerAt[timer] !== tcb.nextTimer) timer++;
    this.line = tcb.timerLine[timer] || undefined;
    tcb.timerAt[timer] = -1;
    refreshNextTimer(tcb);
    switch (timer) {
      case T_RTX:
        return this.retransmissionTimeout(h, tcb);
      case T_TIMEWAIT:
        this.timerEvent(h, tcb, timer, 'fire');
        return this.setState(h, tcb, 'CLOSED', 'time-wait');
      case T_PERSIST:
        return this.persistTimeout(h, tcb);
      case T_DELACK:
        this.timerEvent(h, tcb, timer, 'fire');
        return this.sendAck(h, tcb);
      case T_KEEPALIVE:
        return this.keepaliveTimeout(h, tcb);
      case T_USER:
        this.timerEvent(h, tcb, timer, 'fire');
        // RFC 9293 3.10.8: flush queues, signal the user, delete the TCB.
        return this.giveUp(h, tcb, 'user timeout expired', 'connection aborted due to user timeout', 'user-timeout');
    }
  }

  // ---- network -----------------------------------------------------------------------------

  private newSegmentId(): string {
    return 's' + ++this.w.segmentCounter;
  }

  /** Put a segment on the wire: trace it, apply fault rules and the link's random faults. */
  transmit(
    from: number,
    to: number,
    flags: number,
    seq: number,
    ack: number,
    len: number,
    wnd: number,
    retransmission: boolean,
    probe?: 'keepalive' | 'zero-window',
    injected = false,
  ): void {
    const w = this.w;
    const id = this.newSegmentId();
    const flagList = maskToFlags(flags);
    if (injected) {
      this.emit({ t: this.t, kind: 'inject', id, from: this.names[from], to: this.names[to], flags: flagList, seq, ack, len, wnd, retransmission: false, injected: true });
    } else {
      const event: SendEvent = { t: this.t, kind: 'send', id, from: this.names[from], to: this.names[to], flags: flagList, seq, ack, len, wnd, retransmission };
      if (probe !== undefined) event.probe = probe;
      this.emit(event);
    }
    const n = this.names.length;
    const linkIndex = this.linkOf[from * n + to];
    const link = linkIndex >= 0 ? this.links[linkIndex] : undefined;
    const linkDelay = link ? link.delay : DEFAULT_DELAY;
    let extra = 0;
    let drop: string | undefined;
    let corrupt = false;
    let copies = 0;
    for (let i = 0; i < w.faults.length && drop === undefined; i++) {
      if (w.faultsLeft[i] <= 0) continue;
      const f = w.faults[i];
      if (!faultMatches(f, from, to, flags, seq, ack, len)) continue;
      w.faultsLeft[i]--;
      switch (f.rule.kind) {
        case 'drop':
          drop = f.rule.text;
          break;
        case 'duplicate':
          copies++;
          break;
        case 'corrupt':
          corrupt = true;
          break;
        case 'delay':
          extra += f.rule.by ?? 0;
          this.note(`${id} delayed by ${(f.rule.by ?? 0) / 1000} ms (${f.rule.text})`);
          break;
        case 'reorder':
          extra += Math.max(linkDelay, 1);
          this.note(`${id} held back so that later segments overtake it (${f.rule.text})`);
          break;
      }
    }
    let jitter = 0;
    if (link && drop === undefined) {
      // Draw only for the faults a link has, in a fixed order, so runs replay exactly.
      if (link.loss > 0 && nextRandom(w.rng, linkIndex) < link.loss) drop = 'loss';
      if (drop === undefined) {
        if (link.corrupt > 0 && nextRandom(w.rng, linkIndex) < link.corrupt) corrupt = true;
        if (link.duplicate > 0 && nextRandom(w.rng, linkIndex) < link.duplicate) copies++;
        if (link.reorder > 0 && nextRandom(w.rng, linkIndex) < link.reorder) {
          extra += Math.max(linkDelay, 1);
          this.note(`${id} reordered by the link`);
        }
        if (link.jitter > 0) jitter = Math.floor(nextRandom(w.rng, linkIndex) * (link.jitter + 1));
      }
    }
    const arrivesAt = w.now + linkDelay + jitter + extra;
    const segment: Segment = { id, from, to, flags, seq, ack, len, wnd, sentAt: w.now, arrivesAt, order: w.order++, corrupt, drop, line: this.line };
    this.enqueue(segment);
    for (let c = 0; c < copies; c++) {
      const copy: Segment = { ...segment, id: this.newSegmentId(), order: w.order++ };
      this.emit({ t: this.t, kind: 'duplicate', id, copy: copy.id });
      this.enqueue(copy);
    }
  }

  private enqueue(segment: Segment): void {
    const q = this.w.inFlight;
    let i = q.length;
    while (i > 0 && q[i - 1].arrivesAt > segment.arrivesAt) i--;
    if (i === q.length) q.push(segment);
    else q.splice(i, 0, segment);
  }

  addFault(rule: FaultRule): void {
    const from = this.index.get(rule.pattern.from) ?? -1;
    const to = this.index.get(rule.pattern.to) ?? -1;
    const fault: Fault = { rule, from, to, flags: rule.pattern.flags ? flagsToMask(rule.pattern.flags) : -1, data: rule.pattern.data === true };
    this.w.faults = [...this.w.faults, fault];
    this.w.faultsLeft.push(rule.count);
  }

  /** The network hands a segment to its destination host (or loses it). */
  arrive(segment: Segment): void {
    this.line = segment.line;
    if (segment.drop !== undefined) {
      this.emit({ t: this.t, kind: 'drop', id: segment.id, reason: segment.drop });
      return;
    }
    if (segment.corrupt) {
      // The receiver's checksum fails and it discards the segment.
      this.emit({ t: this.t, kind: 'drop', id: segment.id, reason: 'corrupt' });
      return;
    }
    const h = segment.to;
    const host = this.w.hosts[h];
    if (host.crashed) {
      // A host that is down receives nothing.
      this.emit({ t: this.t, kind: 'drop', id: segment.id, reason: 'crashed' });
      return;
    }
    this.emit({ t: this.t, kind: 'deliver', id: segment.id, to: this.names[h] });
    const tcb = findConn(host, segment.from);
    if (tcb !== undefined) {
      tcb.lastHeardAt = this.w.now;
      tcb.keepaliveProbes = 0;
      if (tcb.state === 'SYN-SENT') this.synSentArrives(h, tcb, segment);
      else this.synchronizedArrives(h, tcb, segment);
    } else if (host.listening) {
      this.listenArrives(h, segment);
    } else {
      this.closedArrives(h, segment);
    }
  }

  // ---- sending helpers -----------------------------------------------------------------------

  private rcvWnd(h: number, tcb: Tcb): number {
    return Math.max(0, this.settings[h].rcvBuf - tcb.rcvQueue);
  }

  /** Send from a connection: the window field is our receive window. */
  private output1(h: number, tcb: Tcb, flags: number, seq: number, len: number, retransmission: boolean, probe?: 'keepalive' | 'zero-window'): void {
    const wnd = this.rcvWnd(h, tcb);
    const ack = flags & F_ACK ? tcb.rcvNxt : 0;
    if (flags & F_ACK) {
      tcb.rcvAdvEdge = seqAdd(tcb.rcvNxt, wnd);
      tcb.unackedSegments = 0;
      if (tcb.timerAt[T_DELACK] >= 0) this.cancelTimer(h, tcb, T_DELACK);
    }
    this.transmit(h, tcb.peer, flags, seq, ack, len, wnd, retransmission, probe);
  }

  /** <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> */
  private sendAck(h: number, tcb: Tcb): void {
    this.output1(h, tcb, F_ACK, tcb.sndNxt, 0, false);
  }

  private sendRst(h: number, to: number, seq: number, ack?: number): void {
    this.transmit(h, to, ack === undefined ? F_RST : F_RST | F_ACK, seq, ack ?? 0, 0, 0, false);
  }

  private finSent(tcb: Tcb): boolean {
    return tcb.finQueued && seqGt(tcb.sndNxt, tcb.sndDataEnd);
  }

  private finAcked(tcb: Tcb): boolean {
    return this.finSent(tcb) && tcb.sndUna === tcb.sndNxt;
  }

  /** A segment occupying sequence space went out: RFC 6298 (5.1) timer, Karn timing, user timeout. */
  private afterSendingSequence(h: number, tcb: Tcb, endSeq: number, retransmission: boolean): void {
    if (!retransmission && tcb.rttAt < 0) {
      tcb.rttAt = this.w.now;
      tcb.rttSeq = endSeq;
    }
    if (tcb.timerAt[T_RTX] < 0) this.startTimer(h, tcb, T_RTX, tcb.rto);
    const userTimeout = this.settings[h].userTimeout;
    if (userTimeout > 0 && tcb.timerAt[T_USER] < 0) this.startTimer(h, tcb, T_USER, userTimeout);
  }

  /** Send what the window allows: data in MSS-sized segments, then a queued FIN. Returns whether anything went out. */
  private output(h: number, tcb: Tcb): boolean {
    if (!SYNCHRONIZED_CAN_SEND.has(tcb.state)) return false;
    const mss = this.settings[h].mss;
    let sent = false;
    for (;;) {
      const unsent = seqDiff(tcb.sndDataEnd, tcb.sndNxt);
      if (unsent > 0) {
        const usable = seqDiff(seqAdd(tcb.sndUna, tcb.sndWnd), tcb.sndNxt);
        if (usable <= 0) {
          // RFC 9293 3.8.6.1: probe a zero window; the persist timer keeps trying while ACKs come back.
          if (tcb.sndWnd === 0 && tcb.sndUna === tcb.sndNxt && tcb.timerAt[T_PERSIST] < 0 && tcb.timerAt[T_RTX] < 0) {
            this.startTimer(h, tcb, T_PERSIST, this.persistTimeoutLength(h, tcb));
          }
          break;
        }
        const n = Math.min(unsent, usable, mss);
        const withFin = tcb.finQueued && n === unsent;
        const seq = tcb.sndNxt;
        tcb.sndNxt = seqAdd(seq, n + (withFin ? 1 : 0));
        tcb.probing = false;
        this.output1(h, tcb, withFin ? F_ACK | F_FIN : F_ACK, seq, n, false);
        this.afterSendingSequence(h, tcb, tcb.sndNxt, false);
        sent = true;
        continue;
      }
      if (unsent === 0 && tcb.finQueued) {
        const seq = tcb.sndNxt;
        tcb.sndNxt = seqAdd(seq, 1);
        this.output1(h, tcb, F_ACK | F_FIN, seq, 0, false);
        this.afterSendingSequence(h, tcb, tcb.sndNxt, false);
        sent = true;
      }
      break;
    }
    return sent;
  }

  private persistTimeoutLength(h: number, tcb: Tcb): number {
    return Math.min(tcb.rto * 2 ** tcb.persistBackoff, this.settings[h].rtoMax);
  }

  // ---- the ISN clock ------------------------------------------------------------------------

  /** RFC 9293 3.4.1: the ISN generator is a clock that ticks every 4 microseconds. */
  private chooseIss(h: number): number {
    const host = this.w.hosts[h];
    if (host.issBaseAt < 0) host.issBaseAt = this.w.now;
    return seqAdd(host.issBase, Math.floor((this.w.now - host.issBaseAt) / 4));
  }

  private newTcb(h: number, peer: number, state: TcpState, passive: boolean): Tcb {
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
      sndDataEnd: seqAdd(iss, 1),
      finQueued: false,
      appClosed: false,
      probing: false,
      rcvNxt: 0,
      rcvQueue: 0,
      rcvAdvEdge: 0,
      held: [],
      srtt: -1,
      rttvar: 0,
      rto: s.rto,
      rttAt: -1,
      rttSeq: 0,
      retries: 0,
      dupAcks: 0,
      recovering: false,
      recover: 0,
      persistBackoff: 0,
      keepaliveProbes: 0,
      lastHeardAt: this.w.now,
      unackedSegments: 0,
      timerAt: newTimers(),
      timerLine: [0, 0, 0, 0, 0, 0],
      nextTimer: Infinity,
    };
    host.conns.push(tcb);
    host.crashed = false;
    return tcb;
  }

  // ---- user calls (RFC 9293 3.10.1 to 3.10.5) ----------------------------------------------------

  /** The connection a user call acts on: the one with `conn` (a peer name), else the newest. */
  target(h: number, conn?: string): Tcb | undefined {
    const conns = this.w.hosts[h].conns;
    if (conn === undefined) return conns[conns.length - 1];
    const peer = this.index.get(conn);
    return peer === undefined ? undefined : findConn(this.w.hosts[h], peer);
  }

  /** OPEN, passive (RFC 9293 3.10.1). */
  listen(h: number): void {
    const host = this.w.hosts[h];
    if (host.listening) return this.app(h, 'listen', undefined, 'connection already exists');
    this.app(h, 'listen');
    host.crashed = false;
    this.setState(h, undefined, 'LISTEN', 'listen');
  }

  /** OPEN, active (RFC 9293 3.10.1): send <SEQ=ISS><CTL=SYN>, enter SYN-SENT. */
  connect(h: number, peer: number): void {
    if (peer === h) return this.app(h, 'connect', undefined, 'cannot connect to itself');
    const host = this.w.hosts[h];
    if (findConn(host, peer) !== undefined) return this.app(h, 'connect', undefined, 'connection already exists');
    this.app(h, 'connect');
    const tcb = this.newTcb(h, peer, 'CLOSED', false);
    this.setState(h, tcb, 'SYN-SENT', 'connect');
    this.output1(h, tcb, F_SYN, tcb.iss, 0, false);
    this.afterSendingSequence(h, tcb, tcb.sndNxt, false);
  }

  /** SEND (RFC 9293 3.10.2). */
  send(h: number, bytes: number, conn?: string): void {
    const tcb = this.target(h, conn);
    if (tcb === undefined) return this.app(h, 'send', bytes, 'connection does not exist');
    if (tcb.finQueued) return this.app(h, 'send', bytes, 'connection closing');
    this.app(h, 'send', bytes);
    tcb.sndDataEnd = seqAdd(tcb.sndDataEnd, bytes);
    // SYN-SENT, SYN-RECEIVED: queued until ESTABLISHED.
    this.output(h, tcb);
  }

  /** RECEIVE (RFC 9293 3.10.3): read up to `bytes` (default all) of what has arrived in order. */
  receive(h: number, bytes?: number, conn?: string): void {
    const tcb = this.target(h, conn);
    if (tcb === undefined) return this.app(h, 'receive', 0, 'connection does not exist');
    const n = Math.min(bytes ?? tcb.rcvQueue, tcb.rcvQueue);
    const closing = n === 0 && (tcb.state === 'CLOSE-WAIT' || tcb.state === 'LAST-ACK' || tcb.state === 'CLOSING' || tcb.state === 'TIME-WAIT');
    this.app(h, 'receive', n, closing ? 'connection closing' : undefined);
    if (n === 0) return;
    tcb.rcvQueue -= n;
    this.deliverToApp(h, tcb, n);
    this.maybeWindowUpdate(h, tcb);
  }

  private deliverToApp(h: number, tcb: Tcb, bytes: number): void {
    this.w.hosts[h].received += bytes;
    const event: TraceEvent = { t: this.t, kind: 'data', endpoint: this.names[h], bytes };
    if (tcb.label !== undefined) event.conn = tcb.label;
    this.emit(event);
  }

  /** RFC 1122 4.2.3.3: announce a window that opened by at least min(buffer / 2, MSS). */
  private maybeWindowUpdate(h: number, tcb: Tcb): void {
    if (tcb.state !== 'ESTABLISHED' && tcb.state !== 'FIN-WAIT-1' && tcb.state !== 'FIN-WAIT-2') return;
    const s = this.settings[h];
    const edge = seqAdd(tcb.rcvNxt, this.rcvWnd(h, tcb));
    if (seqDiff(edge, tcb.rcvAdvEdge) >= Math.min(Math.floor(s.rcvBuf / 2), s.mss)) this.sendAck(h, tcb);
  }

  /** CLOSE (RFC 9293 3.10.4); `shutdown` is the same call that keeps reading (a half-close). */
  close(h: number, call: 'close' | 'shutdown', conn?: string): void {
    const host = this.w.hosts[h];
    const tcb = this.target(h, conn);
    if (tcb === undefined) {
      if (host.listening && conn === undefined) {
        this.app(h, call);
        return this.setState(h, undefined, 'CLOSED', call);
      }
      return this.app(h, call, undefined, 'connection does not exist');
    }
    switch (tcb.state) {
      case 'SYN-SENT':
        // Delete the TCB; queued SENDs and RECEIVEs get "closing".
        this.app(h, call);
        return this.setState(h, tcb, 'CLOSED', call);
      case 'SYN-RECEIVED':
      case 'ESTABLISHED':
      case 'CLOSE-WAIT': {
        if (call === 'close' && this.settings[h].rstOnCloseWithUnread && tcb.rcvQueue > 0) {
          // RFC 1122 4.2.2.13: a CLOSE with received data still pending SHOULD send a RST.
          this.app(h, call);
          this.note('closed with unread data: RST instead of FIN (RFC 1122 4.2.2.13)', h);
          this.sendRst(h, tcb.peer, tcb.sndNxt, tcb.rcvNxt);
          return this.setState(h, tcb, 'CLOSED', call);
        }
        this.app(h, call);
        tcb.finQueued = true;
        tcb.appClosed ||= call === 'close';
        // SYN-RECEIVED with data queued: the FIN waits for ESTABLISHED (see enterEstablished).
        if (tcb.state === 'SYN-RECEIVED' && tcb.sndDataEnd !== seqAdd(tcb.iss, 1)) return;
        this.setState(h, tcb, tcb.state === 'CLOSE-WAIT' ? 'LAST-ACK' : 'FIN-WAIT-1', call);
        this.output(h, tcb);
        return;
      }
      default:
        // FIN-WAIT-1/2: "ok" as long as no second FIN goes out; CLOSING, LAST-ACK, TIME-WAIT: closing.
        if (tcb.finQueued && !tcb.appClosed && call === 'close') {
          tcb.appClosed = true;
          return this.app(h, call);
        }
        return this.app(h, call, undefined, 'connection closing');
    }
  }

  /** ABORT (RFC 9293 3.10.5). */
  abort(h: number, conn?: string): void {
    const host = this.w.hosts[h];
    const tcb = this.target(h, conn);
    if (tcb === undefined) {
      if (host.listening && conn === undefined) {
        this.app(h, 'abort');
        return this.setState(h, undefined, 'CLOSED', 'abort');
      }
      return this.app(h, 'abort', undefined, 'connection does not exist');
    }
    this.app(h, 'abort');
    switch (tcb.state) {
      case 'SYN-RECEIVED':
      case 'ESTABLISHED':
      case 'FIN-WAIT-1':
      case 'FIN-WAIT-2':
      case 'CLOSE-WAIT':
        // <SEQ=SND.NXT><CTL=RST>
        this.sendRst(h, tcb.peer, tcb.sndNxt);
        break;
    }
    this.setState(h, tcb, 'CLOSED', 'abort');
  }

  /**
   * The host goes down and loses all its state silently: until it restarts (or opens a
   * connection, which implies it is up again) it answers nothing, so a peer finds out only
   * through its own timers (keep-alive, retransmission).
   */
  crash(h: number): void {
    const host = this.w.hosts[h];
    this.app(h, 'crash');
    for (const tcb of host.conns.slice()) this.setState(h, tcb, 'CLOSED', 'crash');
    if (host.listening) this.setState(h, undefined, 'CLOSED', 'crash');
    host.crashed = true;
  }

  /** The host is back up with no connections: it answers segments for unknown connections with RST (RFC 9293 3.10.7.1). */
  restart(h: number): void {
    this.app(h, 'restart');
    this.w.hosts[h].crashed = false;
  }

  // ---- SEGMENT ARRIVES (RFC 9293 3.10.7) --------------------------------------------------------

  /** RFC 9293 3.10.7.1: CLOSED (no TCB). */
  private closedArrives(h: number, seg: Segment): void {
    if (seg.flags & F_RST) return; // an incoming RST is discarded
    if (seg.flags & F_ACK) {
      // <SEQ=SEG.ACK><CTL=RST>
      this.sendRst(h, seg.from, seg.ack);
    } else {
      // <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
      this.sendRst(h, seg.from, 0, seqAdd(seg.seq, segmentLength(seg.flags, seg.len)));
    }
  }

  /** RFC 9293 3.10.7.2: LISTEN. The listener stays; a SYN spawns a new connection. */
  private listenArrives(h: number, seg: Segment): void {
    if (seg.flags & F_RST) return; // first: an incoming RST is ignored
    if (seg.flags & F_ACK) {
      // second: any acknowledgment is bad in LISTEN: <SEQ=SEG.ACK><CTL=RST>
      return this.sendRst(h, seg.from, seg.ack);
    }
    if (!(seg.flags & F_SYN)) return; // fourth: anything else is dropped
    // third: SYN. RCV.NXT = SEG.SEQ+1, IRS = SEG.SEQ, select an ISS, send <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
    // (Text in a SYN is not queued for later: a deviation, crafted SYNs with data lose it.)
    const tcb = this.newTcb(h, seg.from, 'LISTEN', true);
    tcb.irs = seg.seq;
    tcb.rcvNxt = seqAdd(seg.seq, 1);
    tcb.sndWnd = seg.wnd;
    tcb.sndWl1 = seg.seq;
    this.setState(h, tcb, 'SYN-RECEIVED', seg.id);
    this.output1(h, tcb, F_SYN | F_ACK, tcb.iss, 0, false);
    this.afterSendingSequence(h, tcb, tcb.sndNxt, false);
  }

  /** RFC 9293 3.10.7.3: SYN-SENT. */
  private synSentArrives(h: number, tcb: Tcb, seg: Segment): void {
    const hasAck = (seg.flags & F_ACK) !== 0;
    // first: check the ACK bit
    if (hasAck && (seqLe(seg.ack, tcb.iss) || seqGt(seg.ack, tcb.sndNxt))) {
      // <SEQ=SEG.ACK><CTL=RST>, unless the segment is itself a RST
      if (!(seg.flags & F_RST)) this.sendRst(h, seg.from, seg.ack);
      return;
    }
    const ackAcceptable = hasAck && seqLt(tcb.sndUna, seg.ack) && seqLe(seg.ack, tcb.sndNxt);
    // second: check the RST bit (RFC 5961 3.2: acceptable only if it acknowledges our SYN)
    if (seg.flags & F_RST) {
      if (ackAcceptable) {
        // RFC 9293 says "error: connection reset"; sockets report it as "connection refused".
        this.app(h, 'connect', undefined, 'connection refused');
        this.setState(h, tcb, 'CLOSED', seg.id);
      }
      return;
    }
    // fourth: check the SYN bit
    if (!(seg.flags & F_SYN)) return; // fifth: neither SYN nor RST: drop
    tcb.irs = seg.seq;
    tcb.rcvNxt = seqAdd(seg.seq, 1);
    if (ackAcceptable) this.acknowledge(h, tcb, seg.ack);
    tcb.sndWnd = seg.wnd;
    tcb.sndWl1 = seg.seq;
    tcb.sndWl2 = seg.ack;
    if (seqGt(tcb.sndUna, tcb.iss)) {
      // Our SYN has been ACKed: ESTABLISHED, <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, then queued data.
      this.enterEstablished(h, tcb, seg.id);
      this.sendAck(h, tcb);
      this.output(h, tcb);
    } else {
      // Simultaneous open: SYN-RECEIVED, <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
      this.setState(h, tcb, 'SYN-RECEIVED', seg.id);
      this.output1(h, tcb, F_SYN | F_ACK, tcb.iss, 0, false);
    }
  }

  private enterEstablished(h: number, tcb: Tcb, cause: string): void {
    // RFC 6298 (5.7): a handshake that needed a retransmission and gave no sample leaves RTO at 3 s.
    if (tcb.srtt < 0 && tcb.retries > 0) tcb.rto = Math.max(tcb.rto, RTO_AFTER_SYN_LOSS);
    tcb.retries = 0;
    this.setState(h, tcb, 'ESTABLISHED', cause);
    const s = this.settings[h];
    if (s.keepalive) this.startTimer(h, tcb, T_KEEPALIVE, s.keepaliveIdle);
    if (tcb.finQueued) {
      this.setState(h, tcb, 'FIN-WAIT-1', 'close');
    }
  }

  /** RFC 9293 3.10.7.4: SYN-RECEIVED and the synchronized states. */
  private synchronizedArrives(h: number, tcb: Tcb, seg: Segment): void {
    const flags = seg.flags;
    const segLen = segmentLength(flags, seg.len);
    const rcvWnd = this.rcvWnd(h, tcb);
    let len = seg.len;
    let fin = (flags & F_FIN) !== 0;
    let ackNow = false;

    // first: check the sequence number
    if (!acceptable(seg.seq, segLen, tcb.rcvNxt, rcvWnd)) {
      if (flags & F_RST) return; // an unacceptable RST is dropped silently
      if (tcb.state === 'TIME-WAIT' && fin && seqAdd(seg.seq, segLen) === tcb.rcvNxt) {
        // A retransmission of the remote FIN: acknowledge it and restart the 2 MSL timeout
        // (RFC 9293 3.10.7.4 fifth and eighth, TIME-WAIT).
        this.sendAck(h, tcb);
        this.startTimer(h, tcb, T_TIMEWAIT, this.settings[h].timeWait);
        return;
      }
      if (
        tcb.state === 'SYN-RECEIVED' &&
        flags & F_SYN &&
        flags & F_ACK &&
        seg.seq === tcb.irs &&
        seqLt(tcb.sndUna, seg.ack) &&
        seqLe(seg.ack, tcb.sndNxt)
      ) {
        // Simultaneous open (RFC 9293 Figure 7, line 6): the peer's SYN,ACK repeats the SYN we
        // have and acknowledges ours. Taken as the ACK that completes the handshake, as Linux does.
        return this.ackArrives(h, tcb, seg, false);
      }
      if (rcvWnd === 0 && seg.seq === tcb.rcvNxt && !(flags & F_SYN)) {
        // "special allowance should be made to accept valid ACKs, URGs, and RSTs": process the
        // ACK field of a segment that only the zero window rejects, drop its text, then ACK.
        len = 0;
        fin = false;
        ackNow = true;
      } else {
        // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, drop the segment.
        this.sendAck(h, tcb);
        return;
      }
    }

    // second: check the RST bit (RFC 5961 3.2)
    if (flags & F_RST) {
      if (seg.seq !== tcb.rcvNxt) {
        // In the window but not exact: challenge ACK.
        this.sendAck(h, tcb);
        return;
      }
      switch (tcb.state) {
        case 'SYN-RECEIVED':
          if (tcb.passive) return this.setState(h, tcb, this.w.hosts[h].listening ? 'LISTEN' : 'CLOSED', seg.id);
          this.app(h, 'connect', undefined, 'connection refused');
          return this.setState(h, tcb, 'CLOSED', seg.id);
        case 'ESTABLISHED':
        case 'FIN-WAIT-1':
        case 'FIN-WAIT-2':
        case 'CLOSE-WAIT':
          this.app(h, 'receive', undefined, 'connection reset');
          return this.setState(h, tcb, 'CLOSED', seg.id);
        default:
          // CLOSING, LAST-ACK, TIME-WAIT
          return this.setState(h, tcb, 'CLOSED', seg.id);
      }
    }

    // third: security (not modelled). fourth: check the SYN bit.
    if (flags & F_SYN) {
      if (tcb.state === 'SYN-RECEIVED' && tcb.passive) {
        return this.setState(h, tcb, this.w.hosts[h].listening ? 'LISTEN' : 'CLOSED', seg.id);
      }
      // RFC 5961 4.2: challenge ACK, whatever the sequence number.
      this.sendAck(h, tcb);
      return;
    }

    // fifth: check the ACK field
    if (!(flags & F_ACK)) return;
    this.ackArrives(h, tcb, seg, true, len, fin, ackNow);
  }

  /** Fifth check onwards: the ACK field, then text and FIN (sixth, URG, is ignored). */
  private ackArrives(h: number, tcb: Tcb, seg: Segment, withText: boolean, len = seg.len, fin = (seg.flags & F_FIN) !== 0, ackNow = false): void {
    let ackNeeded = ackNow;
    if (tcb.state === 'SYN-RECEIVED') {
      if (seqLt(tcb.sndUna, seg.ack) && seqLe(seg.ack, tcb.sndNxt)) {
        tcb.sndWnd = seg.wnd;
        tcb.sndWl1 = seg.seq;
        tcb.sndWl2 = seg.ack;
        this.acknowledge(h, tcb, seg.ack);
        this.enterEstablished(h, tcb, seg.id);
      } else {
        // <SEQ=SEG.ACK><CTL=RST>
        return this.sendRst(h, seg.from, seg.ack);
      }
    }
    switch (tcb.state) {
      case 'ESTABLISHED':
      case 'FIN-WAIT-1':
      case 'FIN-WAIT-2':
      case 'CLOSE-WAIT':
      case 'CLOSING': {
        if (tcb.probing && seg.ack === seqAdd(tcb.sndNxt, 1) && seqDiff(tcb.sndDataEnd, tcb.sndNxt) > 0) {
          // The peer took our zero-window probe byte.
          tcb.sndNxt = seg.ack;
          tcb.probing = false;
        }
        if (seqGt(seg.ack, tcb.sndNxt)) {
          // Acknowledges something not yet sent: send an ACK, drop the segment.
          this.sendAck(h, tcb);
          return;
        }
        if (seqLt(tcb.sndUna, seg.ack)) {
          tcb.dupAcks = 0;
          this.acknowledge(h, tcb, seg.ack);
          if (tcb.recovering) {
            // RFC 6582 3.2: a partial ACK (below `recover`) shows the next hole: retransmit it now.
            if (seqLt(tcb.sndUna, tcb.recover)) this.retransmitFirst(h, tcb);
            else tcb.recovering = false;
          }
        } else if (seg.ack === tcb.sndUna && tcb.sndUna !== tcb.sndNxt && len === 0 && !(seg.flags & (F_SYN | F_FIN)) && seg.wnd === tcb.sndWnd) {
          // RFC 5681 2: a duplicate ACK. 3.2: the third one retransmits what seems lost at once.
          const threshold = this.settings[h].fastRetransmit ?? 0;
          if (++tcb.dupAcks === threshold && !tcb.recovering) {
            this.note(`fast retransmit: ${threshold} duplicate ACKs for ${seg.ack} (RFC 5681 3.2)`, h);
            this.retransmitFirst(h, tcb);
          }
        }
        if (seqLe(tcb.sndUna, seg.ack) && (seqLt(tcb.sndWl1, seg.seq) || (tcb.sndWl1 === seg.seq && seqLe(tcb.sndWl2, seg.ack)))) {
          // Update the send window.
          tcb.sndWnd = seg.wnd;
          tcb.sndWl1 = seg.seq;
          tcb.sndWl2 = seg.ack;
          if (seg.wnd > 0 && tcb.timerAt[T_PERSIST] >= 0) {
            tcb.persistBackoff = 0;
            this.cancelTimer(h, tcb, T_PERSIST);
          }
        }
        if (tcb.state === 'FIN-WAIT-1' && this.finAcked(tcb)) this.setState(h, tcb, 'FIN-WAIT-2', seg.id);
        if (tcb.state === 'CLOSING') {
          if (this.finAcked(tcb)) this.enterTimeWait(h, tcb, seg.id);
          else this.output(h, tcb); // the window may have let our last data and FIN go
          return; // otherwise ignore the segment
        }
        break;
      }
      case 'LAST-ACK':
        // The only thing that can arrive is the ACK of our FIN.
        if (seqLt(tcb.sndUna, seg.ack) && seqLe(seg.ack, tcb.sndNxt)) this.acknowledge(h, tcb, seg.ack);
        if (this.finAcked(tcb)) this.setState(h, tcb, 'CLOSED', seg.id);
        return;
      case 'TIME-WAIT':
        // Only a retransmitted FIN can arrive (handled with the sequence check); ACK anything else.
        break;
    }

    // seventh: process the segment text
    if (withText && len > 0) {
      if (tcb.state === 'ESTABLISHED' || tcb.state === 'FIN-WAIT-1' || tcb.state === 'FIN-WAIT-2') {
        if (tcb.appClosed && this.settings[h].rstOnCloseWithUnread) {
          // RFC 1122 4.2.2.13: new data after CLOSE SHOULD get a RST (the application reads no more).
          this.note('data arrived after close: RST (RFC 1122 4.2.2.13)', h);
          this.sendRst(h, tcb.peer, tcb.sndNxt, seqAdd(seg.seq, len));
          return this.setState(h, tcb, 'CLOSED', seg.id);
        }
        ackNeeded = true;
        fin = this.receiveText(h, tcb, seg.seq, len, fin);
      } else {
        fin = false; // CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT: a FIN has come; ignore the text
      }
    } else if (fin && seg.seq !== tcb.rcvNxt) {
      // A FIN beyond RCV.NXT: hold it until the gap fills.
      if (seqGt(seg.seq, tcb.rcvNxt)) this.hold(tcb, seg.seq, 0, true);
      fin = false;
      ackNeeded = true;
    }

    // eighth: check the FIN bit
    if (fin) {
      this.finArrives(h, tcb, seg.id);
      ackNeeded = true;
    }
    if (!ackNeeded) {
      this.output(h, tcb);
      return;
    }
    this.acknowledgeReceipt(h, tcb, !ackNow);
  }

  /** Data is in: ACK now, or (linux profile) arm the delayed ACK, unless data going out carries it. */
  private acknowledgeReceipt(h: number, tcb: Tcb, mayDelay: boolean): void {
    if (tcb.state === 'CLOSED') return;
    if (this.output(h, tcb)) return;
    const delay = this.settings[h].delayedAck;
    const delayable = tcb.state === 'ESTABLISHED' || tcb.state === 'CLOSE-WAIT' || tcb.state === 'FIN-WAIT-1' || tcb.state === 'FIN-WAIT-2';
    if (delay > 0 && mayDelay && delayable && tcb.held.length === 0) {
      // RFC 9293 3.8.6.3 / RFC 1122 4.2.3.2: ACK at least every second full segment, else within the delay.
      tcb.unackedSegments++;
      if (tcb.unackedSegments < 2) {
        if (tcb.timerAt[T_DELACK] < 0) this.startTimer(h, tcb, T_DELACK, delay);
        return;
      }
    }
    this.sendAck(h, tcb);
  }

  /** Seventh step for ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2. Returns whether a FIN is now in order. */
  private receiveText(h: number, tcb: Tcb, seq: number, len: number, fin: boolean): boolean {
    // Trim to the window: the idealized segment begins at RCV.NXT and does not exceed the window.
    const skip = seqDiff(tcb.rcvNxt, seq);
    if (skip > 0) {
      seq = tcb.rcvNxt;
      len -= skip;
    }
    const room = seqDiff(seqAdd(tcb.rcvNxt, this.rcvWnd(h, tcb)), seq);
    if (len > room) {
      len = Math.max(0, room);
      fin = false;
    }
    if (seq !== tcb.rcvNxt) {
      // Out of order: hold it for later; the ACK we send repeats RCV.NXT.
      if (len > 0 || fin) this.hold(tcb, seq, len, fin);
      return false;
    }
    this.accept(h, tcb, len);
    // Pull held segments that are now in order.
    while (tcb.held.length > 0 && seqLe(tcb.held[0].seq, tcb.rcvNxt)) {
      const next = tcb.held.shift() as HeldSegment;
      const end = seqAdd(next.seq, next.len);
      if (seqGt(end, tcb.rcvNxt)) this.accept(h, tcb, seqDiff(end, tcb.rcvNxt));
      if (next.fin && end === tcb.rcvNxt) fin = true;
    }
    return fin;
  }

  private accept(h: number, tcb: Tcb, bytes: number): void {
    if (bytes <= 0) return;
    tcb.rcvNxt = seqAdd(tcb.rcvNxt, bytes);
    if (this.autoread[h]) this.deliverToApp(h, tcb, bytes);
    else tcb.rcvQueue += bytes;
  }

  private hold(tcb: Tcb, seq: number, len: number, fin: boolean): void {
    const held = tcb.held;
    let i = held.length;
    while (i > 0 && seqGt(held[i - 1].seq, seq)) i--;
    held.splice(i, 0, { seq, len, fin });
  }

  /** RFC 9293 3.10.7.4 eighth: the FIN is in order. */
  private finArrives(h: number, tcb: Tcb, cause: string): void {
    const state = tcb.state;
    if (state === 'CLOSE-WAIT' || state === 'CLOSING' || state === 'LAST-ACK') return; // remain
    if (state === 'TIME-WAIT') {
      this.startTimer(h, tcb, T_TIMEWAIT, this.settings[h].timeWait); // restart the 2 MSL timeout
      return;
    }
    // Signal "connection closing" to the user, advance RCV.NXT over the FIN.
    tcb.rcvNxt = seqAdd(tcb.rcvNxt, 1);
    tcb.held.length = 0;
    if (state === 'FIN-WAIT-1') {
      if (this.finAcked(tcb)) return this.enterTimeWait(h, tcb, cause);
      return this.setState(h, tcb, 'CLOSING', cause);
    }
    if (state === 'FIN-WAIT-2') return this.enterTimeWait(h, tcb, cause);
    this.setState(h, tcb, 'CLOSE-WAIT', cause); // SYN-RECEIVED, ESTABLISHED
  }

  /** TIME-WAIT: start the 2 MSL timer, turn off the other timers. */
  private enterTimeWait(h: number, tcb: Tcb, cause: string): void {
    for (let i = 0; i < TIMER_COUNT; i++) if (i !== T_DELACK) this.cancelTimer(h, tcb, i);
    this.setState(h, tcb, 'TIME-WAIT', cause);
    this.startTimer(h, tcb, T_TIMEWAIT, this.settings[h].timeWait);
  }

  /** SND.UNA advances to `ack` (SND.UNA < ack =< SND.NXT): RTT sample, timers (RFC 6298 5.2, 5.3). */
  private acknowledge(h: number, tcb: Tcb, ack: number): void {
    if (tcb.rttAt >= 0 && seqGe(ack, tcb.rttSeq)) {
      this.rttSample(h, tcb, this.w.now - tcb.rttAt);
      tcb.rttAt = -1;
    }
    tcb.sndUna = ack;
    tcb.retries = 0;
    if (tcb.sndUna === tcb.sndNxt) {
      this.cancelTimer(h, tcb, T_RTX);
      this.cancelTimer(h, tcb, T_USER);
    } else {
      this.startTimer(h, tcb, T_RTX, tcb.rto);
      const userTimeout = this.settings[h].userTimeout;
      if (userTimeout > 0) this.startTimer(h, tcb, T_USER, userTimeout);
    }
  }

  /** RFC 6298 (2.2), (2.3). */
  private rttSample(h: number, tcb: Tcb, r: number): void {
    const s = this.settings[h];
    if (tcb.srtt < 0) {
      tcb.srtt = r;
      tcb.rttvar = r / 2;
    } else {
      tcb.rttvar = 0.75 * tcb.rttvar + 0.25 * Math.abs(tcb.srtt - r);
      tcb.srtt = 0.875 * tcb.srtt + 0.125 * r;
    }
    const rto = Math.round(tcb.srtt + Math.max(CLOCK_GRANULARITY, 4 * tcb.rttvar));
    tcb.rto = Math.min(Math.max(rto, s.rtoMin), s.rtoMax);
  }

  // ---- timeouts --------------------------------------------------------------------------------

  /** RFC 6298 (5.4) to (5.6), RFC 9293 3.8.3 (R2: give up). */
  private retransmissionTimeout(h: number, tcb: Tcb): void {
    this.timerEvent(h, tcb, T_RTX, 'fire');
    const s = this.settings[h];
    const opening = tcb.state === 'SYN-SENT' || tcb.state === 'SYN-RECEIVED';
    const limit = opening ? s.synRetries : s.retries;
    if (tcb.retries >= limit) {
      return this.giveUp(h, tcb, `retransmission limit reached: no acknowledgment after ${count(limit, 'retransmission')}`, 'connection timed out', 'retransmission');
    }
    tcb.retries++;
    tcb.rto = Math.min(tcb.rto * 2, s.rtoMax); // (5.5) back off the timer
    tcb.rttAt = -1; // Karn: never time a retransmitted segment
    if (tcb.state === 'SYN-SENT') {
      this.output1(h, tcb, F_SYN, tcb.iss, 0, true);
    } else if (tcb.state === 'SYN-RECEIVED') {
      this.output1(h, tcb, F_SYN | F_ACK, tcb.iss, 0, true);
    } else {
      this.retransmitFirst(h, tcb); // (5.4)
    }
    this.startTimer(h, tcb, T_RTX, tcb.rto); // (5.6)
  }

  /** Retransmit the earliest segment not acknowledged (data and/or our FIN); recover up to SND.NXT. */
  private retransmitFirst(h: number, tcb: Tcb): void {
    if (tcb.sndUna === tcb.sndNxt) return;
    if (!tcb.recovering) {
      tcb.recovering = true;
      tcb.recover = tcb.sndNxt;
    }
    tcb.rttAt = -1; // Karn: never time a retransmitted segment
    const dataEnd = this.finSent(tcb) ? tcb.sndDataEnd : tcb.sndNxt;
    const len = Math.max(0, Math.min(this.settings[h].mss, seqDiff(dataEnd, tcb.sndUna)));
    const withFin = this.finSent(tcb) && seqAdd(tcb.sndUna, len) === tcb.sndDataEnd;
    this.output1(h, tcb, withFin ? F_ACK | F_FIN : F_ACK, tcb.sndUna, len, true);
  }

  private persistTimeout(h: number, tcb: Tcb): void {
    this.timerEvent(h, tcb, T_PERSIST, 'fire');
    if (tcb.sndWnd > 0 || seqDiff(tcb.sndDataEnd, tcb.sndNxt) <= 0) {
      this.output(h, tcb);
      return;
    }
    // RFC 9293 3.8.6.1: send one octet of new data into the zero window.
    tcb.probing = true;
    this.output1(h, tcb, F_ACK, tcb.sndNxt, 1, false, 'zero-window');
    tcb.persistBackoff++;
    this.startTimer(h, tcb, T_PERSIST, this.persistTimeoutLength(h, tcb));
  }

  /** RFC 1122 4.2.3.6: after an idle interval, probe; after N unanswered probes, give up. */
  private keepaliveTimeout(h: number, tcb: Tcb): void {
    const s = this.settings[h];
    const idleFor = this.w.now - tcb.lastHeardAt;
    if (tcb.keepaliveProbes === 0 && idleFor < s.keepaliveIdle) {
      // Heard from the peer since the timer was set: wait for a full idle time again.
      this.startTimer(h, tcb, T_KEEPALIVE, s.keepaliveIdle - idleFor);
      return;
    }
    this.timerEvent(h, tcb, T_KEEPALIVE, 'fire');
    if (tcb.keepaliveProbes >= s.keepaliveProbes) {
      return this.giveUp(h, tcb, `keep-alive: no answer to ${s.keepaliveProbes} probes`, 'connection timed out', 'keepalive');
    }
    if (tcb.sndUna !== tcb.sndNxt) {
      // Data is outstanding: the retransmission timer watches the peer.
      this.startTimer(h, tcb, T_KEEPALIVE, s.keepaliveIdle);
      return;
    }
    // <SEQ=SND.NXT-1><ACK=RCV.NXT><CTL=ACK>: an old sequence number the peer must ACK.
    tcb.keepaliveProbes++;
    this.output1(h, tcb, F_ACK, seqAdd(tcb.sndNxt, -1), 0, false, 'keepalive');
    this.startTimer(h, tcb, T_KEEPALIVE, s.keepaliveInterval);
  }

  /** Close a connection that timed out, with a note that says why and an error to the user. */
  private giveUp(h: number, tcb: Tcb, reason: string, error: string, cause: string): void {
    this.note(reason, h);
    const passive = tcb.passive && tcb.state === 'SYN-RECEIVED';
    if (!passive) this.app(h, tcb.state === 'SYN-SENT' || tcb.state === 'SYN-RECEIVED' ? 'connect' : 'send', undefined, error);
    this.setState(h, tcb, passive && this.w.hosts[h].listening ? 'LISTEN' : 'CLOSED', cause);
  }

  // ---- crafted segments --------------------------------------------------------------------------

  inject(from: number, to: number, flags: number, seq: number, ack: number, len: number, wnd: number): void {
    this.transmit(from, to, flags, seq, ack, len, wnd, false, undefined, true);
  }
}

function refreshNextTimer(tcb: Tcb): void {
  let next = Infinity;
  const at = tcb.timerAt;
  for (let i = 0; i < TIMER_COUNT; i++) if (at[i] >= 0 && at[i] < next) next = at[i];
  tcb.nextTimer = next;
}

export function findConn(host: Host, peer: number): Tcb | undefined {
  const conns = host.conns;
  for (let i = 0; i < conns.length; i++) if (conns[i].peer === peer) return conns[i];
  return undefined;
}

export function faultMatches(f: Fault, from: number, to: number, flags: number, seq: number, ack: number, len: number): boolean {
  if (f.from !== from || f.to !== to) return false;
  const p = f.rule.pattern;
  if (f.data && len === 0) return false;
  if (f.flags >= 0 && f.flags !== flags) return false;
  if (p.seq !== undefined && p.seq !== seq) return false;
  if (p.ack !== undefined && p.ack !== ack) return false;
  if (p.len !== undefined && p.len !== len) return false;
  return true;
}
