// The time–sequence graph's data (pure): what Wireshark's TCP Stream Graphs (Stevens, tcptrace)
// plot, per direction of data, taken from the trace as a capture at the sender would see it:
// each segment the sender sends (its sequence range, relative, at its send time), each ACK from
// the receiver when it reaches the sender (the ACK line, the receive-window line at ACK + window,
// the SACK blocks it carries), each segment the network lost (at its send time), and the
// sender's cwnd and ssthresh as the send events carry them (trace.ts SendEvent).
//
// A direction is one connection's: several connections between the same two endpoints (a new
// incarnation after the first closed, example 19) are told apart by their SYNs, each its own
// direction with its own ISN (keys `from>to`, then `from>to#2`...).
//
// Incremental and undoable like the ladder's ledger: `update(input, from)` undoes the events from
// `from` on and applies the new ones, so a debugger step costs the events it adds. Every event
// adds at most a few points at the end of its direction's series and notes what to undo.

import type { SendEvent, TraceEvent } from '../engine/trace';
import type { DiagramInput, EndpointInfo } from './types';

const MOD32 = 2 ** 32;

/** A sequence number relative to a base, signed (a number "before" the base is negative). */
function rel(value: number, base: number): number {
  const d = (((value - base) % MOD32) + MOD32) % MOD32;
  return d >= MOD32 / 2 ? d - MOD32 : d;
}

/** A segment the sender sent: [lo, hi) in relative sequence space (SYN and FIN count one each). */
export interface GraphSegment extends Serial {
  /** Trace event index (of the whole trace). */
  index: number;
  t: number;
  lo: number;
  hi: number;
  len: number;
  retransmission: boolean;
  /** A zero-window probe. */
  probe: boolean;
  flags: readonly string[];
}

/** An ACK from the receiver as it reached the sender. */
export interface GraphAck extends Serial {
  index: number;
  /** Arrival time at the sender. */
  t: number;
  ack: number;
  /** The advertised window (bytes) and its right edge, ack + wnd. */
  wnd: number;
  edge: number;
  /** SACK blocks, relative: [left, right) pairs, flattened. */
  sack?: number[];
  /** The ACK number did not move (a duplicate ACK, RFC 5681 2). */
  duplicate: boolean;
}

/** A segment of this direction the network lost or the receiver discarded, at its send time. */
export interface GraphLoss extends Serial {
  /** The drop event's index; `sendIndex` the segment's. */
  index: number;
  sendIndex: number;
  t: number;
  lo: number;
  hi: number;
  reason: string;
}

/** The sender's windows as a segment left (trace.ts SendEvent.cwnd / ssthresh). */
export interface GraphWindow extends Serial {
  index: number;
  t: number;
  cwnd: number;
  ssthresh?: number;
}

/** Series kinds, in the order the graph draws them. */
export type SeriesName = 'segments' | 'acks' | 'losses' | 'windows';

/** How far a direction's points reach, after each point added (undone with it). */
export interface GraphExtent {
  tMin: number;
  tMax: number;
  /** Sequence space of the data: segments, ACKs, SACK blocks (the window's edge may lie above). */
  seqMin: number;
  seqMax: number;
  /** The largest cwnd or ssthresh. */
  windowMax: number;
  /** Points that need a legend entry of their own. */
  retransmissions: number;
  sacks: number;
  ssthresholds: number;
  duplicates: number;
}

const NO_EXTENT: GraphExtent = { tMin: Infinity, tMax: -Infinity, seqMin: Infinity, seqMax: -Infinity, windowMax: 0, retransmissions: 0, sacks: 0, ssthresholds: 0, duplicates: 0 };

export interface GraphDirection {
  /** `from>to` for the first connection between the two endpoints, `from>to#N` for the Nth. */
  key: string;
  from: string;
  to: string;
  /** Which connection between the two endpoints (1, 2...: a SYN with a new ISN opens the next). */
  connection: number;
  /** When that connection's first SYN left (the first event of the direction when no SYN was seen). */
  since: number;
  /** The base of relative numbers: the ISN (the latest SYN's seq), else the endpoint's `isn`, else the first number seen less one. */
  isn?: number;
  /** Payload bytes sent for the first time (which direction carries the data). */
  bytes: number;
  segments: GraphSegment[];
  acks: GraphAck[];
  losses: GraphLoss[];
  windows: GraphWindow[];
  /** The extent after each point added, the newest last. */
  extents: GraphExtent[];
  /** Changes whenever any series changes (the view redraws what changed). */
  revision: number;
}

/** How far the direction's points reach. */
export function extentOf(d: GraphDirection): GraphExtent {
  return d.extents.length ? d.extents[d.extents.length - 1] : NO_EXTENT;
}

/** A point's serial: unique for the life of a GraphData, so a point made again is never mistaken for the one undone. */
export interface Serial {
  serial: number;
}

/** What the graph draws an event as, for highlighting and reveal. */
export interface GraphPoint {
  direction: GraphDirection;
  series: SeriesName;
  /** Index into the series. */
  at: number;
}

interface SegmentInfo {
  from: string;
  to: string;
  seq: number;
  ack: number;
  len: number;
  wnd: number;
  flags: readonly string[];
  t: number;
  index: number;
  sack?: readonly { left: number; right: number }[];
  /** The connection it belongs to (GraphDirection.connection). */
  connection: number;
}

/** The connections between two endpoints so far: the latest one's number, start and ISNs. */
interface Connections {
  n: number;
  since: number;
  isn: Map<string, number>;
}

/** The key of a direction: `from>to`, with `#N` from the second connection on. */
export function directionKey(from: string, to: string, connection: number): string {
  return connection > 1 ? `${from}>${to}#${connection}` : `${from}>${to}`;
}

type Undo =
  | { op: 'pop'; direction: GraphDirection; series: SeriesName }
  | { op: 'segment'; id: string }
  | { op: 'direction'; key: string }
  | { op: 'connections'; pair: string; previous: Connections | undefined }
  | { op: 'isn'; direction: GraphDirection; previous: number | undefined }
  | { op: 'bytes'; direction: GraphDirection; bytes: number };

/** What one update did, in counts (tests measure a step's cost by them). */
export interface GraphUpdateStats {
  applied: number;
  undone: number;
  /** Points added to or removed from the series. */
  points: number;
  /** Everything was taken again (new endpoints, another window). */
  full: boolean;
}

export class GraphData {
  private readonly byKey = new Map<string, GraphDirection>();
  /** Directions in the order they first appeared. */
  readonly directions: GraphDirection[] = [];
  private readonly segmentsById = new Map<string, SegmentInfo>();
  private undo: (Undo[] | undefined)[] = [];
  private endpointsKey: string | undefined;
  private isnOf = new Map<string, number>();
  /** By pair of endpoints (either order). */
  private readonly connections = new Map<string, Connections>();
  private offset = 0;
  /** Trace time of the last event taken. */
  private times: number[] = [];
  /** The point each event is drawn as (by event index less the offset). */
  private points: (GraphPoint | undefined)[] = [];
  private stats: GraphUpdateStats = { applied: 0, undone: 0, points: 0, full: false };
  private serial = 0;

  /** Events taken (from the offset on). */
  get length(): number {
    return this.undo.length;
  }

  /** Time of the last event taken (the graph's "now"), or undefined. */
  get endTime(): number | undefined {
    return this.times.length ? this.times[this.times.length - 1] : undefined;
  }

  /** Time of event `index` (whole-trace index), if taken. */
  timeOf(index: number): number | undefined {
    return this.times[index - this.offset];
  }

  /** What event `index` (whole-trace index) is drawn as, if anything. */
  pointOf(index: number): GraphPoint | undefined {
    return this.points[index - this.offset];
  }

  /**
   * Takes the first `count` events of `input` (all by default), whose first `from` are those of the
   * previous update. With `offset`, event i is `input.events[offset + i]` and its trace index is
   * `base + i` (a window of a long trace starts at `base`).
   */
  update(input: DiagramInput, from: number, count?: number, offset = 0, base = offset): GraphUpdateStats {
    const stats: GraphUpdateStats = { applied: 0, undone: 0, points: 0, full: false };
    this.stats = stats;
    const key = JSON.stringify(input.endpoints);
    if (key !== this.endpointsKey || base !== this.offset) {
      this.reset(input.endpoints, key, base);
      stats.full = true;
      from = 0;
    }
    const n = Math.max(0, Math.min(count ?? Infinity, input.events.length - offset));
    const keep = Math.max(0, Math.min(from, this.undo.length, n));
    for (let i = this.undo.length - 1; i >= keep; i--) this.unapply(i);
    for (let i = keep; i < n; i++) this.apply(input.events[offset + i], i);
    return stats;
  }

  /** The direction that carries the most data (ties: the first seen); undefined when none sends any. */
  busiest(): GraphDirection | undefined {
    let best: GraphDirection | undefined;
    for (const d of this.directions) if (d.segments.length > 0 && (!best || d.bytes > best.bytes)) best = d;
    return best;
  }

  direction(key: string): GraphDirection | undefined {
    return this.byKey.get(key);
  }

  private reset(endpoints: readonly EndpointInfo[], key: string, base: number): void {
    this.endpointsKey = key;
    this.offset = base;
    this.byKey.clear();
    this.directions.length = 0;
    this.segmentsById.clear();
    this.connections.clear();
    this.undo = [];
    this.times = [];
    this.points = [];
    this.isnOf = new Map(endpoints.filter((e) => e.isn !== undefined).map((e) => [e.name, e.isn!]));
  }

  private apply(event: TraceEvent, i: number): void {
    const log: Undo[] = [];
    this.undo.push(undefined);
    this.times.push(event.t);
    this.points.push(undefined);
    this.stats.applied++;
    const index = this.offset + i;
    switch (event.kind) {
      case 'send': {
        const connection = this.connectionOf(event, log);
        const info: SegmentInfo = { from: event.from, to: event.to, seq: event.seq, ack: event.ack, len: event.len, wnd: event.wnd, flags: event.flags, t: event.t, index, sack: event.options?.sack, connection };
        this.segmentsById.set(event.id, info);
        log.push({ op: 'segment', id: event.id });
        const d = this.directionFor(event.from, event.to, connection, log);
        const syn = event.flags.includes('SYN');
        if (syn && d.isn !== event.seq) {
          log.push({ op: 'isn', direction: d, previous: d.isn });
          d.isn = event.seq;
        }
        const isn = this.baseOf(d, event.seq, log);
        const space = event.len + (syn ? 1 : 0) + (event.flags.includes('FIN') ? 1 : 0);
        if (space > 0) {
          const lo = rel(event.seq, isn);
          this.push<GraphSegment>(d, 'segments', { index, t: event.t, lo, hi: lo + space, len: event.len, retransmission: event.retransmission, probe: event.probe === 'zero-window', flags: event.flags }, log, i);
          if (!event.retransmission && event.len > 0) {
            log.push({ op: 'bytes', direction: d, bytes: event.len });
            d.bytes += event.len;
          }
        }
        if (event.cwnd !== undefined) {
          const w: Omit<GraphWindow, 'serial'> = { index, t: event.t, cwnd: event.cwnd };
          if (event.ssthresh !== undefined) w.ssthresh = event.ssthresh;
          // A segment drawn already is the event's point; the window point is found by the segment's time.
          this.push<GraphWindow>(d, 'windows', w, log, space > 0 ? -1 : i);
        }
        break;
      }
      case 'duplicate': {
        const original = this.segmentsById.get(event.id);
        if (original) {
          this.segmentsById.set(event.copy, original);
          log.push({ op: 'segment', id: event.copy });
        }
        break;
      }
      case 'deliver': {
        const s = this.segmentsById.get(event.id);
        // An ACK reaching the sender of the data it acknowledges.
        if (!s || !s.flags.includes('ACK') || s.flags.includes('RST')) break;
        const d = this.directionFor(s.to, s.from, s.connection, log);
        const isn = this.baseOf(d, s.ack, log);
        const ack = rel(s.ack, isn);
        const last = d.acks[d.acks.length - 1];
        const point: Omit<GraphAck, 'serial'> = { index, t: event.t, ack, wnd: s.wnd, edge: ack + s.wnd, duplicate: last !== undefined && last.ack === ack && s.len === 0 };
        if (s.sack?.length) point.sack = s.sack.flatMap((b) => [rel(b.left, isn), rel(b.right, isn)]);
        this.push<GraphAck>(d, 'acks', point, log, i);
        break;
      }
      case 'drop': {
        const s = this.segmentsById.get(event.id);
        if (!s) break;
        const space = s.len + (s.flags.includes('SYN') ? 1 : 0) + (s.flags.includes('FIN') ? 1 : 0);
        if (space === 0) break;
        const d = this.byKey.get(directionKey(s.from, s.to, s.connection));
        if (!d || d.isn === undefined) break;
        const lo = rel(s.seq, d.isn);
        this.push<GraphLoss>(d, 'losses', { index, sendIndex: s.index, t: s.t, lo, hi: lo + space, reason: event.reason }, log, i);
        break;
      }
      default:
        break;
    }
    if (log.length) this.undo[i] = log;
  }

  private push<T extends Serial & { t: number }>(d: GraphDirection, series: SeriesName, point: Omit<T, 'serial'>, log: Undo[], i: number): void {
    const made = { ...point, serial: this.serial++ } as T;
    (d[series] as unknown as T[]).push(made);
    d.extents.push(grow(extentOf(d), series, made as unknown as GraphSegment & GraphAck & GraphLoss & GraphWindow));
    d.revision++;
    log.push({ op: 'pop', direction: d, series });
    if (i >= 0) this.points[i] = { direction: d, series, at: d[series].length - 1 };
    this.stats.points++;
  }

  /**
   * The connection between the sender and the receiver a segment belongs to. An active open (a
   * SYN without ACK) from a sender that opened the latest connection with another ISN opens the
   * next one (RFC 9293 3.4.1: a new incarnation picks a new ISN); a retransmitted SYN keeps its
   * ISN, the peer's SYN (simultaneous open) joins the connection, and so does a SYN,ACK with a
   * new ISN (a listener that answered an old duplicate SYN first, example 04).
   */
  private connectionOf(event: SendEvent, log: Undo[]): number {
    const { from, to } = event;
    const pair = JSON.stringify(from < to ? [from, to] : [to, from]);
    const c = this.connections.get(pair);
    if (!event.flags.includes('SYN')) return c?.n ?? 1;
    const known = c?.isn.get(from);
    if (c && known === event.seq) return c.n;
    log.push({ op: 'connections', pair, previous: c && { ...c, isn: new Map(c.isn) } });
    if (c && (known === undefined || event.flags.includes('ACK'))) c.isn.set(from, event.seq);
    else this.connections.set(pair, { n: c ? c.n + 1 : 1, since: event.t, isn: new Map([[from, event.seq]]) });
    return this.connections.get(pair)!.n;
  }

  private directionFor(from: string, to: string, connection: number, log: Undo[]): GraphDirection {
    const key = directionKey(from, to, connection);
    let d = this.byKey.get(key);
    if (!d) {
      const since = this.connections.get(JSON.stringify(from < to ? [from, to] : [to, from]))?.since ?? this.times[this.times.length - 1] ?? 0;
      d = { key, from, to, connection, since, bytes: 0, segments: [], acks: [], losses: [], windows: [], extents: [], revision: 0 };
      this.byKey.set(key, d);
      this.directions.push(d);
      log.push({ op: 'direction', key });
    }
    return d;
  }

  /** The direction's base, set from the endpoint's isn or the first number seen (less one, as after a SYN) when no SYN was. */
  private baseOf(d: GraphDirection, seen: number, log: Undo[]): number {
    if (d.isn === undefined) {
      log.push({ op: 'isn', direction: d, previous: undefined });
      // The endpoint's isn is its first connection's.
      d.isn = (d.connection === 1 ? this.isnOf.get(d.from) : undefined) ?? (seen - 1 + MOD32) % MOD32;
    }
    return d.isn;
  }

  private unapply(i: number): void {
    const log = this.undo[i];
    this.undo.length = i;
    this.times.length = i;
    this.points.length = i;
    this.stats.undone++;
    if (!log) return;
    for (let k = log.length - 1; k >= 0; k--) {
      const u = log[k];
      switch (u.op) {
        case 'pop':
          u.direction[u.series].pop();
          u.direction.extents.pop();
          u.direction.revision++;
          this.stats.points++;
          break;
        case 'segment':
          this.segmentsById.delete(u.id);
          break;
        case 'direction': {
          this.byKey.delete(u.key);
          const at = this.directions.findIndex((d) => d.key === u.key);
          if (at >= 0) this.directions.splice(at, 1);
          break;
        }
        case 'isn':
          u.direction.isn = u.previous;
          break;
        case 'connections':
          if (u.previous) this.connections.set(u.pair, u.previous);
          else this.connections.delete(u.pair);
          break;
        case 'bytes':
          u.direction.bytes -= u.bytes;
          break;
      }
    }
  }
}

/** The extent with one more point of `series`. */
function grow(e: GraphExtent, series: SeriesName, p: GraphSegment & GraphAck & GraphLoss & GraphWindow): GraphExtent {
  const next = { ...e, tMin: Math.min(e.tMin, p.t), tMax: Math.max(e.tMax, p.t) };
  switch (series) {
    case 'segments':
    case 'losses':
      next.seqMin = Math.min(next.seqMin, p.lo);
      next.seqMax = Math.max(next.seqMax, p.hi);
      if (series === 'segments' && p.retransmission) next.retransmissions++;
      break;
    case 'acks':
      next.seqMin = Math.min(next.seqMin, p.ack);
      next.seqMax = Math.max(next.seqMax, p.ack);
      if (p.duplicate) next.duplicates++;
      if (p.sack) {
        next.sacks++;
        for (const v of p.sack) {
          next.seqMin = Math.min(next.seqMin, v);
          next.seqMax = Math.max(next.seqMax, v);
        }
      }
      break;
    case 'windows':
      next.windowMax = Math.max(next.windowMax, p.cwnd, p.ssthresh ?? 0);
      if (p.ssthresh !== undefined) next.ssthresholds++;
      break;
  }
  return next;
}
