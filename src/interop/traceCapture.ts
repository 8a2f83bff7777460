// What a packet capture of a scenario's run would hold: the decisions behind `tcpscenario trace
// --pcap` (docs/wireshark.md).
//
// Capture point: a tap on each endpoint's link, one pcapng interface per endpoint. A segment
// is seen on its sender's interface when sent (outbound) and on its receiver's when it arrives
// (inbound). A segment the network drops is seen only on the sender's side; a corrupted one
// arrives with a bad TCP checksum (one bit of the checksum field flipped); one reaching a
// crashed host still arrives on its wire. A copy made by the network arrives twice. A segment
// an `inject` statement crafts carries its `from`'s addresses but is seen only where it
// arrives: `from` never sent it. `at` keeps one endpoint's interface: what tcpdump on that
// host would record.

import type { Program } from '../engine/program';
import type { InjectEvent, SegmentFields, SendEvent, TraceDocument, TraceEvent } from '../engine/trace';
import { InteropError, type InteropArgument } from './messages';
import { parseIPv4 } from './bytes';
import { encodePcapng, type PcapngFile, type PcapngPacket } from './pcapngBlocks';
import { ByteStreams } from './streams';
import { encodeFrame, withBadTcpChecksum } from './tcpip';
import { encodeTcpOptions } from './tcpOptions';
import { WindowScales } from './windowScale';

export interface CaptureOptions {
  /** Capture at this endpoint only; default: one interface per endpoint. */
  at?: string;
  /** Seconds since 1970-01-01T00:00:00Z at virtual time 0. Default 0: a packet's absolute time is its virtual time. */
  epoch?: number;
  /** shb_userappl, e.g. "tcpscenario 0.1.0". */
  application?: string;
}

/** Why a trace cannot become a capture: English templates with {0} placeholders, the l10n keys (the CLI and the Debug Console translate them). */
export const CAPTURE_WRITE_MESSAGES = {
  notIPv4: "endpoint {0}: address '{1}' is not an IPv4 address",
  notPort: 'endpoint {0}: port {1} is not a TCP port',
  noEndpointAt: "no endpoint named '{0}' to capture at; the endpoints are {1}",
  /** The list of endpoints when there is none (an argument of noEndpointAt). */
  noEndpoints: '(none)',
  notEndpoint: 'segment {0}: {1} is not an endpoint of this trace',
  notSequence: 'segment {0}: {1} {2} is not a 32-bit sequence number',
  notBytes: 'segment {0}: {1} {2} is not a whole number of bytes',
  cannotEncode: 'segment {0}: {1}',
} as const;

const W = CAPTURE_WRITE_MESSAGES;

/** Endpoint names for a message: `client, server`, or the phrase "(none)" (translated as a nested message). */
function endpointList(names: readonly string[]): InteropArgument {
  return names.length > 0 ? names.join(', ') : { template: W.noEndpoints, args: [] };
}

/**
 * The one check of a capture point asked for (`--pcap-at`, the Debug Console's `save capture FILE at
 * NAME`, `CaptureOptions.at`): throws CaptureWriteError when `at` is none of the endpoints `names`.
 */
export function checkCaptureAt(at: string | undefined, names: readonly string[]): void {
  if (at !== undefined && !names.includes(at)) throw new CaptureWriteError(W.noEndpointAt, at, endpointList(names));
}

/** A trace that cannot become a capture (an address that is not IPv4, an unknown endpoint...): its template and arguments, and the English text. */
export class CaptureWriteError extends InteropError {}

type Segment = SendEvent | InjectEvent;

interface Host {
  name: string;
  ip: number;
  port: number;
  mac: Uint8Array;
  ipId: number;
}

const TTL = 64;
const SEGMENT_ID = /\bs\d+\b/g;

/**
 * Made-up, locally administered MAC: 02:00:<IPv4 address>, so one address is one host (02:01 to
 * 02:20 would read as Microsoft NLB in Wireshark's table of well-known addresses).
 */
function macOf(ip: number): Uint8Array {
  return Uint8Array.of(0x02, 0x00, ip >>> 24, (ip >>> 16) & 0xff, (ip >>> 8) & 0xff, ip & 0xff);
}

function formatMs(t: number): string {
  return t >= 1000 ? `${+(t / 1000).toFixed(6)} s` : `${+t.toFixed(3)} ms`;
}

/** Window field per direction: scaled as windowScale.ts says; a window the field cannot hold is noted once per connection. */
class Windows {
  private readonly scales = new WindowScales();
  private readonly clampNoted = new Set<string>();

  field(seg: Segment, comments: string[]): number {
    const dir = `${seg.from}\u0000${seg.to}`;
    if (seg.flags.includes('SYN')) {
      // A new connection attempt: what was negotiated before no longer holds.
      if (!seg.flags.includes('ACK')) this.clampNoted.delete(`${seg.to}\u0000${seg.from}`);
      this.clampNoted.delete(dir);
    }
    const scale = this.scales.shiftOf(seg);
    const value = Math.floor(seg.wnd / 2 ** scale);
    if (value <= 0xffff) return value;
    if (!this.clampNoted.has(dir)) {
      this.clampNoted.add(dir);
      comments.push(
        scale > 0
          ? `window ${seg.wnd} scaled by 2^${scale} is ${value}, more than 16 bits: written as 65535`
          : `window ${seg.wnd} does not fit in 16 bits and no window scale was negotiated: written as 65535 (so is every later window of ${seg.from} -> ${seg.to} above 65535)`,
      );
    }
    return 0xffff;
  }
}

function hostsOf(trace: Pick<TraceDocument, 'endpoints'>): Map<string, Host> {
  const hosts = new Map<string, Host>();
  for (const e of trace.endpoints) {
    const ip = parseIPv4(e.address);
    if (ip === undefined) throw new CaptureWriteError(W.notIPv4, e.name, e.address);
    if (!Number.isInteger(e.port) || e.port < 0 || e.port > 0xffff) throw new CaptureWriteError(W.notPort, e.name, String(e.port));
    hosts.set(e.name, { name: e.name, ip, port: e.port, mac: macOf(ip), ipId: 0 });
  }
  return hosts;
}

function dropComment(seg: SegmentFields, reason: string): string {
  switch (reason) {
    case 'corrupt':
      return `corrupted on the way to ${seg.to}: it arrives with a bad TCP checksum and is discarded`;
    case 'crashed':
      return `${seg.to} is down (crashed): nothing there receives this segment`;
    case 'loss':
      return `lost on the link (its random loss) before reaching ${seg.to}`;
    case 'debug console':
      return `dropped in flight from the debug console; ${seg.to} never sees it`;
    default:
      return `dropped by the network (${reason}); ${seg.to} never sees it`;
  }
}

interface Sent {
  seg: Segment;
  frame: Uint8Array;
  /** What every sighting says (the bytes are the same): options left out, a clamped window, a crafted segment. */
  content: string[];
  /** Its sighting on the sender's tap, if this view has one (the segment's fate is added to it later). */
  outbound?: PcapngPacket;
  /** Arrivals still to come (the segment and the network's copies of it); forgotten at 0. */
  waiting: number;
  /** The segment itself (not a copy) has arrived or been dropped. */
  landed: boolean;
}

/** What a trace document says besides its events. */
export type TraceHead = Pick<TraceDocument, 'scenario' | 'profile' | 'endpoints'>;

function addComment(packet: PcapngPacket, comment: string): void {
  packet.comments = [...(packet.comments ?? []), comment];
}

/**
 * A capture built event by event, in the trace's order (the order of time), so it can follow
 * a run as it goes: `add` each event, then `finish` for the file of what has run so far.
 */
export class TraceCapture {
  private readonly packets: PcapngPacket[] = [];
  /** Notes not about a segment: they go on the next packet of the view. */
  private pending: string[] = [];
  private readonly hosts: Map<string, Host>;
  private readonly ifaceOf: Map<string, number>;
  private readonly epochUs: number;
  private readonly streams: ByteStreams;
  private readonly copyOf = new Map<string, string>();
  private readonly sent = new Map<string, Sent>();
  private readonly lastPacketOf = new Map<string, PcapngPacket>();
  private readonly notesFor = new Map<string, string[]>();
  private readonly windows = new Windows();

  /** Throws CaptureWriteError for an endpoint that cannot be written or an unknown `at`. */
  constructor(
    private readonly head: TraceHead,
    program: Program | undefined,
    private readonly options: CaptureOptions = {},
  ) {
    this.hosts = hostsOf(head);
    checkCaptureAt(options.at, head.endpoints.map((e) => e.name));
    this.ifaceOf = new Map(this.tapped().map((e, i) => [e.name, i]));
    this.epochUs = Math.round((options.epoch ?? 0) * 1e6);
    this.streams = new ByteStreams(program);
  }

  private tapped(): TraceHead['endpoints'] {
    return this.head.endpoints.filter((e) => this.options.at === undefined || e.name === this.options.at);
  }

  add(e: TraceEvent): void {
    this.streams.observe(e);
    switch (e.kind) {
      case 'send':
      case 'inject':
        return this.transmitted(e as Segment);
      case 'duplicate': {
        this.copyOf.set(e.copy, e.id);
        const sent = this.sent.get(e.id);
        if (!sent) return;
        sent.waiting++;
        if (sent.outbound) addComment(sent.outbound, `the network duplicates this segment: ${sent.seg.to} gets it twice (copy ${e.copy})`);
        return;
      }
      case 'deliver':
      case 'drop':
        return this.arrived(e.id, e.t, e.kind === 'deliver' ? undefined : e.reason);
      case 'note':
        return this.note(e, e.endpoint !== undefined ? `${e.endpoint}: ${e.message}` : e.message);
      case 'expect':
        if (!e.ok) this.note(e, `expectation failed: ${e.message}${e.actual !== undefined ? ` (actual: ${e.actual})` : ''}`);
        return;
      default:
        return;
    }
  }

  private emit(name: string, id: string, t: number, frame: Uint8Array, direction: 'inbound' | 'outbound', comments: string[]): PcapngPacket | undefined {
    const iface = this.ifaceOf.get(name);
    if (iface === undefined) return undefined;
    const own = this.lastPacketOf.has(id) ? [] : (this.notesFor.get(id) ?? []);
    this.notesFor.delete(id);
    const all = [...comments, ...own, ...this.pending];
    this.pending = [];
    const packet: PcapngPacket = { interface: iface, timeUs: this.epochUs + Math.round(t * 1000), data: frame, direction, packetId: Number(id.slice(1)) || 0 };
    if (all.length > 0) packet.comments = all;
    this.packets.push(packet);
    this.lastPacketOf.set(id, packet);
    return packet;
  }

  private frameOf(seg: Segment, content: string[]): Uint8Array {
    const from = this.hosts.get(seg.from);
    const to = this.hosts.get(seg.to);
    if (!from || !to) throw new CaptureWriteError(W.notEndpoint, seg.id, from ? seg.to : seg.from);
    for (const [field, value, max] of [['seq', seg.seq, 2 ** 32 - 1], ['ack', seg.ack, 2 ** 32 - 1], ['len', seg.len, Infinity], ['wnd', seg.wnd, Infinity]] as const) {
      if (!Number.isInteger(value) || value < 0 || value > max) throw new CaptureWriteError(max === Infinity ? W.notBytes : W.notSequence, seg.id, field, String(value));
    }
    try {
      const encoded = encodeTcpOptions(seg.options);
      if (encoded.sackBlocksDropped > 0) content.push(`${encoded.sackBlocksDropped} SACK block(s) left out: no room in the 40 bytes of TCP options`);
      return this.encode(seg, from, to, encoded.bytes, content);
    } catch (error) {
      if (error instanceof CaptureWriteError) throw error;
      // The encoder's own template goes up whole, so the reader's language says it too.
      const why: InteropArgument = error instanceof InteropError ? { template: error.template, args: error.args } : (error as Error).message;
      throw new CaptureWriteError(W.cannotEncode, seg.id, why);
    }
  }

  private encode(seg: Segment, from: Host, to: Host, options: Uint8Array, content: string[]): Uint8Array {
    return encodeFrame({
      srcMac: from.mac,
      dstMac: to.mac,
      src: from.ip,
      dst: to.ip,
      ipId: from.ipId++ & 0xffff,
      ttl: TTL,
      srcPort: from.port,
      dstPort: to.port,
      seq: seg.seq,
      ack: seg.flags.includes('ACK') ? seg.ack : 0,
      flags: seg.flags,
      window: this.windows.field(seg, content),
      options,
      payload: this.streams.payload(seg),
    });
  }

  /** Seen on the sender's tap as it leaves; a crafted one is not (its `from` never sent it). */
  private transmitted(seg: Segment): void {
    const content: string[] = [];
    if (seg.kind === 'inject') content.push(`crafted by an inject statement${seg.line !== undefined ? ` (line ${seg.line})` : ''}: ${seg.from} never sent it`);
    const frame = this.frameOf(seg, content);
    const sent: Sent = { seg, frame, content, waiting: 1, landed: false };
    this.sent.set(seg.id, sent);
    if (seg.kind !== 'inject') sent.outbound = this.emit(seg.from, seg.id, seg.t, frame, 'outbound', [...content]);
  }

  /** Seen on the receiver's tap when it arrives: delivered, corrupted (bad checksum) or to a crashed host. */
  private arrived(id: string, t: number, dropReason: string | undefined): void {
    const original = this.copyOf.get(id) ?? id;
    const sent = this.sent.get(original);
    if (!sent) return;
    if (--sent.waiting <= 0) this.sent.delete(original);
    if (original === id) sent.landed = true;
    const to = sent.seg.to;
    // The sender's sighting says what became of it (the copies say it for themselves).
    if (dropReason !== undefined && original === id && sent.outbound) addComment(sent.outbound, dropComment(sent.seg, dropReason));
    const comments = [...sent.content];
    if (original !== id) comments.push(`copy of ${original} made by the network`);
    if (dropReason === undefined) this.emit(to, id, t, sent.frame, 'inbound', comments);
    else if (dropReason === 'corrupt') this.emit(to, id, t, withBadTcpChecksum(sent.frame), 'inbound', [...comments, `corrupted in the network: bad TCP checksum, ${to} discards it`]);
    else if (dropReason === 'crashed') this.emit(to, id, t, sent.frame, 'inbound', [...comments, `${to} is down (crashed): nothing receives this segment`]);
  }

  /** A note naming segments goes on their packets; any other on the next packet. */
  private note(e: TraceEvent, text: string): void {
    const ids = [...new Set(text.match(SEGMENT_ID) ?? [])].filter((id) => this.lastPacketOf.has(id) || this.sent.has(id));
    const full = `${text} (at ${formatMs(e.t)}${e.line !== undefined ? `, line ${e.line}` : ''})`;
    if (ids.length === 0) this.pending.push(full);
    for (const id of ids) {
      const packet = this.lastPacketOf.get(id);
      if (packet) addComment(packet, full);
      else this.notesFor.set(id, [...(this.notesFor.get(id) ?? []), full]);
    }
  }

  /** The file of what was added so far (segments still in flight are said so). */
  finish(): PcapngFile {
    const packets = this.packets.map((p) => ({ ...p }));
    for (const sent of this.sent.values()) {
      const at = sent.outbound ? this.packets.indexOf(sent.outbound) : -1;
      if (at >= 0 && !sent.landed) packets[at].comments = [...(packets[at].comments ?? []), `still in flight to ${sent.seg.to} when the run ended`];
    }
    let leftover = this.pending;
    if (leftover.length > 0 && packets.length > 0) {
      const last = packets[packets.length - 1];
      last.comments = [...(last.comments ?? []), ...leftover];
      leftover = [];
    }
    const at = this.options.at;
    const view = at === undefined
      ? 'one interface per endpoint: a tap on its link, which sees what it sends as it leaves and what reaches it as it arrives (so a delivered segment is here twice, and TCP analysis that ignores the interface calls the second a retransmission or duplicate ACK; one endpoint\'s view has no such doubles)'
      : `one interface: a tap on ${at}'s link (what a capture on ${at} records)`;
    const comment = [
      `TCP scenario${this.head.scenario ? ` "${this.head.scenario}"` : ''}, profile ${this.head.profile}, simulated; ${view}.`,
      `Time 0 of the run is ${new Date(this.epochUs / 1000).toISOString()}.`,
      ...leftover,
    ].join('\n');
    const byAddress = new Map<string, string[]>();
    for (const e of this.head.endpoints) byAddress.set(e.address, [...(byAddress.get(e.address) ?? []), e.name]);
    const file: PcapngFile = {
      comment,
      interfaces: this.tapped().map((e) => ({ name: e.name, description: `tap on the link of ${e.name} (${e.address}:${e.port})` })),
      names: [...byAddress].map(([address, names]) => ({ address, names })),
      packets,
    };
    if (this.options.application !== undefined) file.application = this.options.application;
    return file;
  }
}

/** The capture of a whole run; see the header comment for the capture point. */
export function captureOfTrace(trace: TraceDocument, program: Program | undefined, options: CaptureOptions = {}): PcapngFile {
  const capture = new TraceCapture(trace, program, options);
  for (const e of trace.events) capture.add(e);
  return capture.finish();
}

/** What a diagram holds of a run: its endpoints, title, profile, and the events from `offset` on. */
export interface HeldTrace {
  endpoints: { name: string; address: string; port: number; isn?: number }[];
  scenario?: string;
  profile: string;
  all: readonly TraceEvent[];
}

/** A held trace (the diagram panel's) as pcapng bytes, one interface per endpoint. */
export function exportCapture(trace: HeldTrace, program: Program | undefined, application: string): Uint8Array {
  const head: TraceHead = { scenario: trace.scenario, profile: trace.profile, endpoints: trace.endpoints };
  const capture = new TraceCapture(head, program, { application });
  for (const event of trace.all) capture.add(event);
  return encodePcapng(capture.finish());
}
