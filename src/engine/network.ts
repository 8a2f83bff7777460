// The network between the hosts: links (delay, jitter, random faults), the scenario's fault rules,
// the links' seeded generators and the segments in flight. Faults live with the wire (smoltcp's
// fault_injector is the model): the TCP endpoints never see them, they only see what arrives.
//
// All mutable state is in `NetState` (part of the world, copied by a snapshot); `Network` holds
// only what the program fixes (links, host names).

import type { FaultRule, LinkDecl, Program } from './program';
import { flagsToMask } from './flags';
import type { TcpOptions, TraceEvent } from './trace';
import type { World } from './world';

/** Default link: 10 ms each way, no faults (DESIGN.md). */
export const DEFAULT_DELAY = 10_000;

/** A segment on the wire. Immutable once sent. */
export interface Segment {
  readonly id: string;
  readonly from: number;
  readonly to: number;
  readonly flags: number;
  readonly seq: number;
  readonly ack: number;
  readonly len: number;
  readonly wnd: number;
  readonly sentAt: number;
  readonly arrivesAt: number;
  /** Insertion order: ties in arrival time keep it. */
  readonly order: number;
  readonly corrupt: boolean;
  /** Lost in the network: dropped on arrival with this reason. */
  readonly drop: string | undefined;
  readonly line: number | undefined;
  /** TCP options as sent (immutable, shared with the trace event); undefined when none. */
  readonly options: TcpOptions | undefined;
}

/** A fault rule, its pattern resolved to host indices and a flag mask. Immutable. */
export interface Fault {
  readonly rule: FaultRule;
  readonly from: number;
  readonly to: number;
  /** Exact flag set, or -1 for any. */
  readonly flags: number;
  readonly data: boolean;
}

export interface NetState {
  /** Segments in flight: a binary min-heap on (arrivesAt, order). */
  inFlight: Segment[];
  /** Next insertion order (ties in arrival time keep it). */
  order: number;
  segmentCounter: number;
  faults: Fault[];
  faultsLeft: number[];
  /** One generator state per declared link. */
  rng: number[];
}

export function cloneNet(n: NetState): NetState {
  return {
    inFlight: n.inFlight.slice(),
    order: n.order,
    segmentCounter: n.segmentCounter,
    faults: n.faults,
    faultsLeft: n.faultsLeft.slice(),
    rng: n.rng.slice(),
  };
}

/** What the network needs from the stack to write the trace. */
export interface Tracer {
  readonly w: World;
  line: number | undefined;
  emit(event: TraceEvent): void;
  note(message: string): void;
}

// ---- the arrival queue: a binary heap, O(log n) per segment whatever is in flight ------------------

function before(a: Segment, b: Segment): boolean {
  return a.arrivesAt < b.arrivesAt || (a.arrivesAt === b.arrivesAt && a.order < b.order);
}

export function pushArrival(q: Segment[], s: Segment): void {
  let i = q.length;
  q.push(s);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const p = q[parent];
    if (!before(s, p)) break;
    q[i] = p;
    i = parent;
  }
  q[i] = s;
}

/** Remove and return the segment at heap index `at` (0: the next to arrive). */
export function removeArrival(q: Segment[], at = 0): Segment {
  const top = q[at];
  const last = q.pop()!;
  if (at === q.length) return top;
  // Put the last element at `at` and restore the heap in whichever direction it is out of place.
  let i = at;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(last, q[parent])) break;
    q[i] = q[parent];
    i = parent;
  }
  const n = q.length;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    const c = r < n && before(q[r], q[l]) ? r : l;
    if (!before(q[c], last)) break;
    q[i] = q[c];
    i = c;
  }
  q[i] = last;
  return top;
}

/** Arrival time of the next segment (microseconds), Infinity when none is in flight. */
export function nextArrival(q: readonly Segment[]): number {
  return q.length > 0 ? q[0].arrivesAt : Infinity;
}

/** The segments in flight in the order they will arrive. */
export function inArrivalOrder(q: readonly Segment[]): Segment[] {
  return q.slice().sort((a, b) => a.arrivesAt - b.arrivesAt || a.order - b.order);
}

// ---- randomness and fault rules --------------------------------------------------------------------

/** mulberry32: a tiny seeded generator; its state lives in the world so snapshots replay it. */
export function nextRandom(rng: number[], index: number): number {
  let t = (rng[index] = (rng[index] + 0x6d2b79f5) >>> 0);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
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

export class Network {
  private readonly links: readonly LinkDecl[];
  /** Link index per (from, to) pair of hosts, -1 for the default link. */
  private readonly linkOf: Int32Array;
  private readonly hosts: number;

  constructor(
    program: Program,
    private readonly index: ReadonlyMap<string, number>,
  ) {
    const n = (this.hosts = program.endpoints.length);
    this.links = program.links;
    this.linkOf = new Int32Array(n * n).fill(-1);
    program.links.forEach((link, i) => {
      const a = index.get(link.a);
      const b = index.get(link.b);
      if (a === undefined || b === undefined) return;
      this.linkOf[a * n + b] = i;
      this.linkOf[b * n + a] = i;
    });
  }

  initialState(): NetState {
    return { inFlight: [], order: 0, segmentCounter: 0, faults: [], faultsLeft: [], rng: this.links.map((l) => l.seed >>> 0) };
  }

  /** A fresh segment id ("s1", "s2", ...). */
  newId(net: NetState): string {
    return 's' + ++net.segmentCounter;
  }

  addFault(net: NetState, rule: FaultRule): void {
    const from = this.index.get(rule.pattern.from) ?? -1;
    const to = this.index.get(rule.pattern.to) ?? -1;
    const fault: Fault = { rule, from, to, flags: rule.pattern.flags ? flagsToMask(rule.pattern.flags) : -1, data: rule.pattern.data === true };
    net.faults = [...net.faults, fault];
    net.faultsLeft.push(rule.count);
  }

  /**
   * Carry a segment whose `send`/`inject` event is already traced: apply the fault rules (in the
   * order they were added), then the link's random faults, and put it (and any copies) in flight.
   */
  carry(tr: Tracer, id: string, from: number, to: number, flags: number, seq: number, ack: number, len: number, wnd: number, options?: TcpOptions): void {
    const w = tr.w;
    const net = w.net;
    const linkIndex = this.linkOf[from * this.hosts + to];
    const link = linkIndex >= 0 ? this.links[linkIndex] : undefined;
    const linkDelay = link ? link.delay : DEFAULT_DELAY;
    let extra = 0;
    let drop: string | undefined;
    let corrupt = false;
    let copies = 0;
    const faults = net.faults;
    for (let i = 0; i < faults.length && drop === undefined; i++) {
      if (net.faultsLeft[i] <= 0) continue;
      const f = faults[i];
      if (!faultMatches(f, from, to, flags, seq, ack, len)) continue;
      net.faultsLeft[i]--;
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
          tr.note(`${id} delayed by ${(f.rule.by ?? 0) / 1000} ms (${f.rule.text})`);
          break;
        case 'reorder':
          extra += Math.max(linkDelay, 1);
          tr.note(`${id} held back so that later segments overtake it (${f.rule.text})`);
          break;
      }
    }
    let jitter = 0;
    if (link && drop === undefined) {
      // Draw only for the faults a link has, in a fixed order, so runs replay exactly.
      const rng = net.rng;
      if (link.loss > 0 && nextRandom(rng, linkIndex) < link.loss) drop = 'loss';
      if (drop === undefined) {
        if (link.corrupt > 0 && nextRandom(rng, linkIndex) < link.corrupt) corrupt = true;
        if (link.duplicate > 0 && nextRandom(rng, linkIndex) < link.duplicate) copies++;
        if (link.reorder > 0 && nextRandom(rng, linkIndex) < link.reorder) {
          extra += Math.max(linkDelay, 1);
          tr.note(`${id} reordered by the link`);
        }
        if (link.jitter > 0) jitter = Math.floor(nextRandom(rng, linkIndex) * (link.jitter + 1));
      }
    }
    const arrivesAt = w.now + linkDelay + jitter + extra;
    const segment: Segment = { id, from, to, flags, seq, ack, len, wnd, sentAt: w.now, arrivesAt, order: net.order++, corrupt, drop, line: tr.line, options };
    pushArrival(net.inFlight, segment);
    for (let c = 0; c < copies; c++) {
      const copy: Segment = { ...segment, id: this.newId(net), order: net.order++ };
      tr.emit({ t: w.now / 1000, kind: 'duplicate', id, copy: copy.id });
      pushArrival(net.inFlight, copy);
    }
  }

  /** Take the next segment off the wire (the simulator found it due now). */
  takeNext(net: NetState): Segment {
    return removeArrival(net.inFlight, 0);
  }

  /** Remove a segment in flight by id (the debug console's drop); undefined when it is not in flight. */
  remove(net: NetState, id: string): Segment | undefined {
    const at = net.inFlight.findIndex((s) => s.id === id);
    return at < 0 ? undefined : removeArrival(net.inFlight, at);
  }
}
