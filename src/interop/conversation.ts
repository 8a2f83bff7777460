// One TCP conversation of a capture, as `tcpscenario import` reads it (docs/import.md): which
// packets belong to it, who is the client (the first SYN's sender), where the capture was taken,
// and for each segment when its sender sent it, when it arrived, or that it was lost on the way.
//
// A capture on both sides (a router's `tcpdump -i any`, or one interface per endpoint as
// `trace --pcap` writes) sees a delivered segment twice, leaving its sender and reaching its
// receiver: the two sightings are paired (same addresses, ports, numbers, flags, length, IP id
// and window, on another interface or with another TTL), and a segment seen only leaving was lost.
// A capture on one host sees that host's segments when they leave and the peer's when they
// arrive; the peer's send times are then its arrival times less the link delay, and no loss can
// be seen. The link delay is half the handshake's round trip. Pure.

import type { TcpFlag } from '../engine/trace';
import { relativeNumbers, type CaptureSummary, type CaptureTcpOptions } from './capture';
import { IMPORT_MESSAGES, InteropError } from './messages';
import type { CaptureRead, TcpPacket } from './pcapRead';
import { windowShifts } from './windowScale';

export type Side = 'client' | 'server';

export interface Sighting {
  frame: number;
  /** ms, from the capture's first segment sent. */
  t: number;
  packet: TcpPacket;
}

export interface ConversationSegment {
  /** 1-based, in the order the segments were sent. */
  index: number;
  from: Side;
  to: Side;
  flags: TcpFlag[];
  seq: number;
  ack: number;
  len: number;
  /** The window field as on the wire. */
  window: number;
  options: CaptureTcpOptions;
  /** When its sender sent it, and when it reached its receiver (null: lost), ms. */
  t: number;
  arrival: number | null;
  /** The capture saw it leave and never arrive (a capture on both sides only). */
  lost: boolean;
  /** It arrived with a bad TCP checksum (the network corrupted it). */
  corrupted: boolean;
  /** Seen only arriving, in a capture that tells leaving from arriving: its sender never sent it (a
   *  crafted segment, as packetdrill or an `inject` makes). */
  crafted?: boolean;
  /** The frames it was seen in: leaving first, then arriving. */
  sent?: Sighting;
  arrived?: Sighting;
}

export type CapturePoint = 'both' | Side;

export interface Conversation {
  client: { address: string; port: number; isn: number };
  server: { address: string; port: number; isn?: number };
  point: CapturePoint;
  /** One-way delay, ms, and how it was found. */
  delay: number;
  delaySource: 'handshake' | 'handshake-both' | 'reply' | 'paired' | 'default';
  segments: ConversationSegment[];
  /** The capture's time 0 (the first segment sent), ns since 1970. */
  originNs: bigint;
  /** ms from time 0 to the last sighting. */
  duration: number;
  /** Other TCP conversations in the capture, left out ("10.0.0.1:1234 <-> 10.0.0.2:80"). */
  others: string[];
}

const DEFAULT_DELAY_MS = 10;
/** A segment's two sightings are at most this far apart (a link delay), ms. */
const MAX_PAIR_GAP_MS = 10_000;

const endpointKey = (address: string, port: number): string => `${address}:${port}`;
const conversationKey = (p: TcpPacket): string => [endpointKey(p.src, p.srcPort), endpointKey(p.dst, p.dstPort)].sort().join(' <-> ');

function sightingKey(p: TcpPacket): string {
  return `${p.src}:${p.srcPort}>${p.dst}:${p.dstPort} ${p.flags.join(',')} ${p.seq} ${p.ack} ${p.payloadLength} ${p.ipId} ${p.window}`;
}

const isSyn = (p: { flags: readonly string[] }): boolean => p.flags.includes('SYN') && !p.flags.includes('ACK');

/**
 * Pairs the sightings of each segment (`ordered`: the conversation's packets in time order; the
 * earlier sighting is its leaving). Returns the pairs and the sightings left alone.
 */
function pairSightings(ordered: readonly TcpPacket[], ms: (p: TcpPacket) => number): { pairs: [Sighting, Sighting][]; single: Sighting[] } {
  const open = new Map<string, Sighting[]>();
  const pairs: [Sighting, Sighting][] = [];
  for (const packet of ordered) {
    const sighting: Sighting = { frame: packet.frame, t: ms(packet), packet };
    const k = sightingKey(packet);
    const waiting = open.get(k) ?? [];
    // The latest candidate: identical segments (a SYN,ACK sent again with the same IP id) pair with the
    // one that left just before, a link delay earlier.
    let partner = -1;
    for (let w = waiting.length - 1; w >= 0 && partner < 0; w--) {
      const s = waiting[w];
      if (sighting.t - s.t <= MAX_PAIR_GAP_MS &&
        (s.packet.interface !== packet.interface || s.packet.ttl !== packet.ttl) &&
        s.packet.direction !== 'inbound' &&
        packet.direction !== 'outbound') partner = w;
    }
    if (partner >= 0) {
      pairs.push([waiting[partner], sighting]);
      waiting.splice(partner, 1);
    } else {
      waiting.push(sighting);
      open.set(k, waiting);
    }
  }
  return { pairs, single: [...open.values()].flat() };
}

/**
 * Each segment, from its pair of sightings or from its one sighting, in sending order: where the
 * capture was taken (`point`) and the link delay say when a segment seen once was sent or arrived.
 */
function segmentsOf(pairs: readonly [Sighting, Sighting][], single: readonly Sighting[], point: CapturePoint, delay: number, sideOf: (p: TcpPacket) => Side): Omit<ConversationSegment, 'index'>[] {
  const paired = new Set(pairs.flatMap(([a, b]) => [a.packet, b.packet]));
  const segments: Omit<ConversationSegment, 'index'>[] = [];
  const base = (s: Sighting) => {
    const p = s.packet;
    const from = sideOf(p);
    return {
      from,
      to: (from === 'client' ? 'server' : 'client') as Side,
      flags: p.flags,
      seq: p.seq,
      ack: p.ack,
      len: p.payloadLength,
      window: p.window,
      options: p.options,
    };
  };
  for (const [sent, arrived] of pairs) {
    segments.push({ ...base(sent), t: sent.t, arrival: arrived.t, lost: false, corrupted: arrived.packet.checksumOk === false, sent, arrived });
  }
  for (const s of single) {
    if (paired.has(s.packet)) continue;
    const from = sideOf(s.packet);
    if (point === 'both') {
      // Seen once in a capture of both sides: lost on the way, unless the file says it was arriving
      // (then its sender never sent it: crafted).
      if (s.packet.direction === 'inbound') {
        segments.push({ ...base(s), t: s.t - delay, arrival: s.t, lost: false, corrupted: s.packet.checksumOk === false, crafted: true, arrived: s });
        continue;
      }
      segments.push({ ...base(s), t: s.t, arrival: null, lost: true, corrupted: false, sent: s });
    } else if (from === point) {
      segments.push({ ...base(s), t: s.t, arrival: s.t + delay, lost: false, corrupted: false, sent: s });
    } else {
      segments.push({ ...base(s), t: s.t - delay, arrival: s.t, lost: false, corrupted: s.packet.checksumOk === false, arrived: s });
    }
  }
  segments.sort((a, b) => a.t - b.t || (a.sent?.frame ?? a.arrived!.frame) - (b.sent?.frame ?? b.arrived!.frame));
  if (point !== 'both') markResentAsLost(segments, point);
  return segments;
}

/** Reads the first conversation that starts with a SYN. Throws InteropError when there is none. */
export function readConversation(capture: CaptureRead): Conversation {
  const packets = capture.packets.filter((p) => p.timeNs !== undefined);
  if (packets.length === 0) {
    throw new InteropError(capture.packets.length > 0 ? IMPORT_MESSAGES.noTimestamps : IMPORT_MESSAGES.noTcp, String(capture.skipped.length));
  }
  const first = packets.find(isSyn);
  if (!first) throw new InteropError(IMPORT_MESSAGES.noHandshake);
  const key = conversationKey(first);
  const mine = packets.filter((p) => conversationKey(p) === key);
  const others = [...new Set(packets.map(conversationKey).filter((k) => k !== key))];
  const client = { address: first.src, port: first.srcPort };
  const server = { address: first.dst, port: first.dstPort };
  const sideOf = (p: TcpPacket): Side => (p.src === client.address && p.srcPort === client.port ? 'client' : 'server');

  const ordered = [...mine].sort((a, b) => (a.timeNs! < b.timeNs! ? -1 : a.timeNs! > b.timeNs! ? 1 : a.frame - b.frame));
  const originNs = ordered[0].timeNs!;
  const ms = (p: TcpPacket): number => Number(p.timeNs! - originNs) / 1e6;
  const { pairs, single } = pairSightings(ordered, ms);

  // Where the capture was taken, and the link delay.
  const point: CapturePoint = pairs.length > 0 ? 'both' : oneSidedPoint(ordered, sideOf, ms);
  const { delay, source } = linkDelay(point, pairs, ordered, sideOf, ms);
  const segments = segmentsOf(pairs, single, point, delay, sideOf);
  // Time 0 is the first segment sent (one-sided captures move the peer's first send before the first sighting).
  const shift = segments.length > 0 ? segments[0].t : 0;
  const numbered: ConversationSegment[] = segments.map((s, i) => ({ ...s, index: i + 1, t: s.t - shift, arrival: s.arrival === null ? null : s.arrival - shift }));
  const last = Math.max(...numbered.map((s) => Math.max(s.t, s.arrival ?? s.t)));
  const clientSyn = numbered.find((s) => s.from === 'client' && isSyn(s) && !s.crafted) ?? numbered.find((s) => s.from === 'client' && isSyn(s));
  const serverSyn = numbered.find((s) => s.from === 'server' && s.flags.includes('SYN') && !s.crafted);
  return {
    client: { ...client, isn: clientSyn?.seq ?? first.seq },
    server: serverSyn ? { ...server, isn: serverSyn.seq } : { ...server },
    point,
    delay,
    delaySource: source,
    segments: numbered,
    originNs: originNs + BigInt(Math.round(shift * 1e6)),
    duration: last,
    others,
  };
}

/** The sequence space a segment occupies: its data, and one each for SYN and FIN (RFC 9293 3.4). */
export function spanOf(s: { flags: readonly string[]; len: number }): number {
  return s.len + (s.flags.includes('SYN') ? 1 : 0) + (s.flags.includes('FIN') ? 1 : 0);
}

/** The sequence number just past a segment: what an ACK of all of it carries. */
export function seqEnd(s: { seq: number; flags: readonly string[]; len: number }): number {
  return (s.seq + spanOf(s)) >>> 0;
}

/** In a capture on one host, a segment of that host's sent again before anything acknowledged it
 *  (for a SYN: before any answer), or never acknowledged at all: the capture cannot tell whether the
 *  segment or its acknowledgment was lost; the simplest reading, which the scenario takes, is that the
 *  segment was. */
function markResentAsLost(segments: Omit<ConversationSegment, 'index'>[], point: Side): void {
  const mine = segments.filter((s) => s.from === point && spanOf(s) > 0 && !s.flags.includes('RST'));
  const theirs = segments.filter((s) => s.from !== point);
  const covers = (ack: { flags: readonly string[]; ack: number }, s: { seq: number; len: number; flags: readonly string[] }) =>
    ack.flags.includes('ACK') && ((ack.ack - seqEnd(s)) | 0) >= 0;
  for (let i = 0; i < mine.length; i++) {
    const s = mine[i];
    const again = mine.slice(i + 1).find((x) => x.seq === s.seq && x.flags.includes('SYN') === s.flags.includes('SYN'));
    const until = again ? again.t : Infinity;
    const answered = theirs.some((x) => x.arrival !== null && x.arrival > s.t && x.arrival <= until && (s.flags.includes('SYN') ? true : covers(x, s)));
    if (!answered && (again || s.flags.includes('SYN'))) {
      s.lost = true;
      s.arrival = null;
    }
  }
}

/** A capture on one host: the client's if its SYN waited a round trip for the reply, else the server's. */
function oneSidedPoint(ordered: TcpPacket[], sideOf: (p: TcpPacket) => Side, ms: (p: TcpPacket) => number): Side {
  const directions = new Map<Side, 'inbound' | 'outbound'>();
  for (const p of ordered) if (p.direction) directions.set(sideOf(p), p.direction);
  if (directions.get('client') === 'outbound' || directions.get('server') === 'inbound') return 'client';
  if (directions.get('server') === 'outbound' || directions.get('client') === 'inbound') return 'server';
  const syn = ordered.find((p) => sideOf(p) === 'client' && isSyn(p));
  const reply = syn && ordered.find((p) => sideOf(p) === 'server' && ms(p) >= ms(syn));
  if (!syn || !reply) return 'client';
  const answer = ms(reply) - ms(syn);
  const third = ordered.find((p) => sideOf(p) === 'client' && ms(p) >= ms(reply) && p !== syn);
  // At the server, the reply leaves at once and the client's next segment a round trip later.
  if (third) return answer > ms(third) - ms(reply) ? 'client' : 'server';
  return answer > 1 ? 'client' : 'server';
}

/** The handshake's one-way time: on both sides, the median of its segments' times from leaving to
 *  arriving; at the client, half the time from its SYN (the last transmission before the reply) to the
 *  reply; at the server, half the time from its SYN,ACK to the client's answer. Failing that, the
 *  pairs' median one-way time, else 10 ms. */
function linkDelay(
  point: CapturePoint,
  pairs: [Sighting, Sighting][],
  ordered: TcpPacket[],
  sideOf: (p: TcpPacket) => Side,
  ms: (p: TcpPacket) => number,
): { delay: number; source: Conversation['delaySource'] } {
  const round = (x: number) => Math.round(x * 1000) / 1000;
  if (point === 'both') {
    // Leaving and arriving times of every segment are known: the SYN that got through, its reply.
    // Both ends of each handshake segment were seen: the median of their one-way times (SYNs, SYN,ACKs
    // and the ACK that completes the handshake), which is half its round trip without the hosts' own
    // turnaround and unaffected by a handshake segment lost and sent again.
    const handshake = pairs.filter(([a]) => a.packet.flags.includes('SYN'));
    const synack = handshake.find(([a]) => sideOf(a.packet) === 'server' && a.packet.flags.includes('ACK'));
    const third = synack && pairs.find(([a]) => sideOf(a.packet) === 'client' && !a.packet.flags.includes('SYN') && a.packet.ack === (synack[0].packet.seq + 1) >>> 0);
    if (third) handshake.push(third);
    if (handshake.length > 0) {
      const oneWay = handshake.map(([a, b]) => b.t - a.t).sort((x, y) => x - y);
      return { delay: round(oneWay[Math.floor(oneWay.length / 2)]), source: 'handshake-both' };
    }
    const gaps = pairs.map(([a, b]) => b.t - a.t).sort((x, y) => x - y);
    return { delay: round(gaps[Math.floor(gaps.length / 2)]), source: 'paired' };
  }
  const client = (p: TcpPacket) => sideOf(p) === 'client';
  if (point === 'client') {
    const reply = ordered.find((p) => !client(p));
    const syn = reply && [...ordered].reverse().find((p) => client(p) && isSyn(p) && ms(p) <= ms(reply));
    if (syn && reply) return { delay: round((ms(reply) - ms(syn)) / 2), source: reply.flags.includes('SYN') ? 'handshake' : 'reply' };
  } else {
    const synack = ordered.find((p) => !client(p) && p.flags.includes('SYN') && p.flags.includes('ACK'));
    const answer = synack && ordered.find((p) => client(p) && ms(p) > ms(synack) && p.flags.includes('ACK') && p.ack === (synack.seq + 1) >>> 0);
    if (synack && answer) return { delay: round((ms(answer) - ms(synack)) / 2), source: 'handshake' };
  }
  return { delay: DEFAULT_DELAY_MS, source: 'default' };
}

/** The conversation as the comparison reads a capture (compareCapture.ts), with what the
 *  applications did (from `import`'s reading of the wire) as its calls. */
export function conversationSummary(c: Conversation, title: string, app: CaptureSummary['app'] = []): CaptureSummary {
  const names = { client: 'client', server: 'server' };
  const shifts = windowShifts(c.segments);
  const rel = relativeNumbers(c.segments.map((s) => ({ ...s, from: names[s.from], to: names[s.to], dropped: s.lost })));
  // Sequence space a side has sent: a segment that re-covers it is a retransmission (or a probe).
  const sentUpTo = new Map<Side, number>();
  function covers(seg: ConversationSegment): boolean {
    const span = spanOf(seg);
    const isn = seg.from === 'client' ? c.client.isn : (c.server.isn ?? seg.seq);
    const start = (seg.seq - isn + 2 ** 32) % 2 ** 32;
    const before = sentUpTo.get(seg.from);
    if (span > 0) sentUpTo.set(seg.from, Math.max(before ?? 0, start + span));
    return before !== undefined && span > 0 && start < before;
  }
  return {
    version: 1,
    case: title,
    title,
    description: '',
    endpoints: [
      { name: 'client', address: c.client.address, port: c.client.port, isn: c.client.isn },
      c.server.isn === undefined ? { name: 'server', address: c.server.address, port: c.server.port } : { name: 'server', address: c.server.address, port: c.server.port, isn: c.server.isn },
    ],
    duration: c.duration,
    packets: rel.map((s, i) => {
      const seg = c.segments[i];
      return {
        index: seg.index,
        t: seg.t,
        arrival: seg.arrival,
        dropped: seg.lost,
        from: s.from,
        to: s.to,
        flags: seg.flags,
        seq: seg.seq,
        ack: seg.ack,
        relSeq: s.relSeq,
        relAck: s.relAck,
        len: seg.len,
        window: seg.window,
        scaledWindow: seg.window * 2 ** shifts.get(seg)!,
        options: seg.options,
        retransmission: covers(seg),
      };
    }),
    sockets: [],
    app,
    kernelEvents: [],
    meta: {
      kernel: '',
      hz: null,
      captured: '',
      appStart: 0,
      delayMs: c.delay,
      measuredDelayMs: null,
      faults: [],
      nftRuleset: '',
      nftAfter: '',
      congestionControl: [],
      sysctls: {},
      tools: {},
      statePollMs: {},
      tracepoints: false,
      loadAverage: [],
    },
  };
}
