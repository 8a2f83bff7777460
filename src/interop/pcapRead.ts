// Reading captures: classic pcap (either byte order, micro- or nanosecond timestamps) and
// pcapng (SHB, IDB, EPB, SPB, OPB; either byte order per section; comments, direction and packet
// id options), with Ethernet (802.1Q tags skipped), Linux cooked (SLL, SLL2), BSD loopback and
// raw IPv4 link types, into the IPv4 TCP packets they hold. Pure: takes the bytes.
//
// A file whose structure is broken gives a CaptureFormatError naming the byte offset (an English
// template and its arguments, CAPTURE_FORMAT_MESSAGES, translated above this layer); a packet
// that is not IPv4 TCP, or is malformed inside a sound file, is listed in `skipped` with the
// reason. Nothing else is thrown.

import type { TcpFlag } from '../engine/trace';
import {
  BLOCK_EPB,
  BLOCK_IDB,
  BLOCK_OPB,
  BLOCK_SHB,
  BLOCK_SPB,
  BYTE_ORDER_MAGIC,
  EPB_FLAGS,
  EPB_PACKETID,
  IF_DESCRIPTION,
  IF_NAME,
  IF_TSOFFSET,
  IF_TSRESOL,
  OPT_COMMENT,
} from './pcapngBlocks';
import { fillInterop } from './messages';
import { decodeIPv4Tcp, ETHERTYPE_IPV4 } from './tcpip';
import type { TcpOptions } from './tcpOptions';

/** Why a capture file cannot be read: English templates with {0} placeholders, the l10n keys (the CLI and VS Code translate them). */
export const CAPTURE_FORMAT_MESSAGES = {
  /** Every problem with where it is: {0} the problem, {1} the byte offset. */
  atByte: '{0} (at byte {1})',
  noMagic: 'a capture file starts with a 4-byte magic number; this one has {0} bytes',
  modifiedPcap: 'this is a "modified" (Kuznetzov) pcap file, which is not read; convert it with editcap -F pcap',
  notCapture: 'not a pcap or pcapng file (magic number 0x{0})',
  pcapHeaderShort: 'the pcap file header is cut short (24 bytes expected)',
  pcapVersion: 'pcap version {0} is not read (2 expected)',
  recordHeaderShort: 'packet record header cut short ({0} of 16 bytes)',
  recordTooLarge: 'packet record of {0} bytes, more than the {1} allowed',
  recordDataShort: 'packet data cut short ({0} bytes announced, {1} left)',
  optionPastBlock: 'option {0} of {1} bytes runs past the end of its block',
  idbTooShort: 'interface description block of {0} bytes is too short',
  epbTooShort: 'enhanced packet block of {0} bytes is too short',
  pbTooShort: 'packet block of {0} bytes is too short',
  spbTooShort: 'simple packet block of {0} bytes is too short',
  tsresolRange: 'if_tsresol {0} is out of range',
  noSuchInterface: 'packet on interface {0}, but the section describes {1}',
  packetPastBlock: 'packet of {0} bytes does not fit in its block',
  shbShort: 'section header block cut short',
  byteOrder: 'section header with an unknown byte-order magic 0x{0}',
  pcapngVersion: 'pcapng version {0} is not read (1 expected)',
  blockHeaderShort: 'block header cut short ({0} bytes left, 12 at least)',
  blockLength: 'block length {0} is not a multiple of 4 of at least 12',
  blockPastEnd: 'block of {0} bytes runs past the end of the file ({1} left)',
  blockTrailer: 'block length {0} at its start but {1} at its end',
  spbBeforeIdb: 'simple packet block before any interface description',
} as const;

const F = CAPTURE_FORMAT_MESSAGES;

/** A capture whose structure is broken: the problem's template and arguments, the byte offset, and the English text. */
export class CaptureFormatError extends Error {
  readonly args: readonly string[];
  constructor(
    readonly template: string,
    /** Byte offset in the file where the problem is. */
    readonly offset: number,
    ...args: (string | number)[]
  ) {
    const strings = args.map(String);
    super(fillInterop(F.atByte, [{ template, args: strings }, String(offset)]));
    this.args = strings;
  }
}

export interface CaptureInterfaceInfo {
  linkType: number;
  name?: string;
  description?: string;
  /** Timestamp units per second (10^6 for microseconds). */
  unitsPerSecond: bigint;
  /** Seconds added to every timestamp (if_tsoffset). */
  offsetSeconds: bigint;
}

export interface TcpPacket {
  /** 1-based position in the file among all packets, as Wireshark numbers frames. */
  frame: number;
  interface: number;
  /** Nanoseconds since 1970-01-01T00:00:00Z, exact; undefined for a Simple Packet Block (no timestamp). */
  timeNs?: bigint;
  /** The same in seconds (a float: sub-microsecond digits may be lost). */
  time?: number;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  ipId: number;
  ttl: number;
  ipChecksumOk: boolean;
  flags: TcpFlag[];
  ecn: ('ECE' | 'CWR')[];
  seq: number;
  ack: number;
  /** The 16-bit window field as on the wire (unscaled). */
  window: number;
  options: TcpOptions;
  /** Kinds of options not modelled (MD5, MPTCP, TFO...). */
  otherOptions: number[];
  optionProblem?: string;
  /** From the IPv4 total length. */
  payloadLength: number;
  /** The captured part of the payload. */
  payload: Uint8Array;
  /** undefined when the packet was captured only in part (snap length), so it cannot be checked. */
  checksumOk: boolean | undefined;
  comments: string[];
  direction?: 'inbound' | 'outbound';
  packetId?: bigint;
}

export interface SkippedFrame {
  frame: number;
  reason: string;
  /** File offset of the byte at fault. */
  offset: number;
}

export interface CaptureRead {
  format: 'pcap' | 'pcapng';
  interfaces: CaptureInterfaceInfo[];
  /** Section comments (pcapng shb_comment). */
  comments: string[];
  packets: TcpPacket[];
  skipped: SkippedFrame[];
}

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_LINUX_SLL2 = 276;
// DLT_RAW's value on some BSDs, found in old pcap files instead of 101.
const DLT_RAW_BSD = [12, 14];

/** Largest packet accepted (Wireshark's limit for most link types). */
const MAX_PACKET = 262_144;

const decoder = new TextDecoder('utf-8');

interface Frame {
  frame: number;
  interface: number;
  timeNs?: bigint;
  data: Uint8Array;
  /** Offset of data[0] in the file. */
  at: number;
  comments: string[];
  direction?: 'inbound' | 'outbound';
  packetId?: bigint;
}

/** Reads a pcap or pcapng file. Throws CaptureFormatError only. */
export function readCapture(bytes: Uint8Array): CaptureRead {
  if (bytes.length < 4) throw new CaptureFormatError(F.noMagic, 0, bytes.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  let read: { interfaces: CaptureInterfaceInfo[]; comments: string[]; frames: Frame[] };
  let format: CaptureRead['format'];
  if (magic === BLOCK_SHB) {
    format = 'pcapng';
    read = readPcapng(bytes, view);
  } else {
    format = 'pcap';
    read = readPcap(bytes, view, magic);
  }
  const packets: TcpPacket[] = [];
  const skipped: SkippedFrame[] = [];
  for (const frame of read.frames) {
    const linkType = read.interfaces[frame.interface].linkType;
    const decoded = decodeFrame(frame, linkType);
    if ('reason' in decoded) skipped.push(decoded);
    else packets.push(decoded);
  }
  return { format, interfaces: read.interfaces, comments: read.comments, packets, skipped };
}

// ---- classic pcap ------------------------------------------------------------------------------

function readPcap(bytes: Uint8Array, view: DataView, magic: number) {
  let little: boolean;
  let unitsPerSecond: bigint;
  switch (magic) {
    case 0xa1b2c3d4:
      [little, unitsPerSecond] = [false, 1_000_000n];
      break;
    case 0xd4c3b2a1:
      [little, unitsPerSecond] = [true, 1_000_000n];
      break;
    case 0xa1b23c4d:
      [little, unitsPerSecond] = [false, 1_000_000_000n];
      break;
    case 0x4d3cb2a1:
      [little, unitsPerSecond] = [true, 1_000_000_000n];
      break;
    case 0xa1b2cd34:
    case 0x34cdb2a1:
      throw new CaptureFormatError(F.modifiedPcap, 0);
    default:
      throw new CaptureFormatError(F.notCapture, 0, magic.toString(16).padStart(8, '0'));
  }
  if (bytes.length < 24) throw new CaptureFormatError(F.pcapHeaderShort, 0);
  const major = view.getUint16(4, little);
  if (major !== 2) throw new CaptureFormatError(F.pcapVersion, 4, major);
  // The link type is the low 16 bits; the upper bits may hold FCS information.
  const linkType = view.getUint32(20, little) & 0xffff;
  const interfaces: CaptureInterfaceInfo[] = [{ linkType, unitsPerSecond, offsetSeconds: 0n }];
  const frames: Frame[] = [];
  let at = 24;
  while (at < bytes.length) {
    if (bytes.length - at < 16) throw new CaptureFormatError(F.recordHeaderShort, at, bytes.length - at);
    const seconds = BigInt(view.getUint32(at, little));
    const fraction = BigInt(view.getUint32(at + 4, little));
    const caplen = view.getUint32(at + 8, little);
    if (caplen > MAX_PACKET) throw new CaptureFormatError(F.recordTooLarge, at + 8, caplen, MAX_PACKET);
    if (at + 16 + caplen > bytes.length) throw new CaptureFormatError(F.recordDataShort, at + 8, caplen, bytes.length - at - 16);
    const timeNs = seconds * 1_000_000_000n + (fraction * 1_000_000_000n) / unitsPerSecond;
    frames.push({ frame: frames.length + 1, interface: 0, timeNs, data: bytes.subarray(at + 16, at + 16 + caplen), at: at + 16, comments: [] });
    at += 16 + caplen;
  }
  return { interfaces, comments: [], frames };
}

// ---- pcapng ------------------------------------------------------------------------------------

interface Option {
  code: number;
  value: Uint8Array;
  at: number;
}

/** The options of a block, from `at` to `end`; stops at opt_endofopt. */
function readOptions(bytes: Uint8Array, view: DataView, at: number, end: number, little: boolean): Option[] {
  const options: Option[] = [];
  while (at + 4 <= end) {
    const code = view.getUint16(at, little);
    const length = view.getUint16(at + 2, little);
    if (code === 0) break;
    if (at + 4 + length > end) throw new CaptureFormatError(F.optionPastBlock, at + 2, code, length);
    options.push({ code, value: bytes.subarray(at + 4, at + 4 + length), at });
    at += 4 + length + ((4 - (length % 4)) % 4);
  }
  return options;
}

/** An option's UTF-8 text; some writers end it with NUL bytes, which are not part of it. */
function text(option: Option): string {
  let end = option.value.length;
  while (end > 0 && option.value[end - 1] === 0) end--;
  return decoder.decode(option.value.subarray(0, end));
}

interface Block {
  bytes: Uint8Array;
  view: DataView;
  little: boolean;
  /** Offset of the block's first byte, of its body (after type and length), of its trailing length. */
  at: number;
  body: number;
  end: number;
  length: number;
}

/** `template`: one of the "... block of {0} bytes is too short" messages. */
function need(block: Block, n: number, template: string): void {
  if (block.end - block.body < n) throw new CaptureFormatError(template, block.at, block.length);
}

function interfaceOf(block: Block): CaptureInterfaceInfo {
  const { bytes, view, little, body, end } = block;
  need(block, 8, F.idbTooShort);
  const info: CaptureInterfaceInfo = { linkType: view.getUint16(body, little), unitsPerSecond: 1_000_000n, offsetSeconds: 0n };
  for (const option of readOptions(bytes, view, body + 8, end, little)) {
    if (option.code === IF_NAME) info.name = text(option);
    else if (option.code === IF_DESCRIPTION) info.description = text(option);
    else if (option.code === IF_TSRESOL && option.value.length >= 1) {
      const r = option.value[0];
      const exponent = r & 0x7f;
      if (exponent > 30) throw new CaptureFormatError(F.tsresolRange, option.at + 4, r);
      info.unitsPerSecond = r & 0x80 ? 2n ** BigInt(exponent) : 10n ** BigInt(exponent);
    } else if (option.code === IF_TSOFFSET && option.value.length === 8) {
      info.offsetSeconds = new DataView(option.value.buffer, option.value.byteOffset, 8).getBigInt64(0, little);
    }
  }
  return info;
}

/** An Enhanced Packet Block, or the obsolete Packet Block (16-bit interface id, same layout after it). */
function packetOf(block: Block, enhanced: boolean, interfaces: CaptureInterfaceInfo[], sectionBase: number, number: number): Frame {
  const { bytes, view, little, body, end } = block;
  need(block, 20, enhanced ? F.epbTooShort : F.pbTooShort);
  const iface = enhanced ? view.getUint32(body, little) : view.getUint16(body, little);
  const caplen = view.getUint32(body + 12, little);
  if (sectionBase + iface >= interfaces.length) throw new CaptureFormatError(F.noSuchInterface, body, iface, interfaces.length - sectionBase);
  if (caplen > end - (body + 20)) throw new CaptureFormatError(F.packetPastBlock, body + 12, caplen);
  const info = interfaces[sectionBase + iface];
  const units = (BigInt(view.getUint32(body + 4, little)) << 32n) | BigInt(view.getUint32(body + 8, little));
  const timeNs = info.offsetSeconds * 1_000_000_000n + (units * 1_000_000_000n) / info.unitsPerSecond;
  const frame: Frame = { frame: number, interface: sectionBase + iface, timeNs, data: bytes.subarray(body + 20, body + 20 + caplen), at: body + 20, comments: [] };
  const optionsAt = body + 20 + caplen + ((4 - (caplen % 4)) % 4);
  for (const option of readOptions(bytes, view, optionsAt, end, little)) {
    const ov = new DataView(option.value.buffer, option.value.byteOffset, option.value.length);
    if (option.code === OPT_COMMENT) frame.comments.push(text(option));
    else if (enhanced && option.code === EPB_FLAGS && option.value.length === 4) {
      const direction = ov.getUint32(0, little) & 3;
      if (direction === 1) frame.direction = 'inbound';
      else if (direction === 2) frame.direction = 'outbound';
    } else if (enhanced && option.code === EPB_PACKETID && option.value.length === 8) frame.packetId = ov.getBigUint64(0, little);
  }
  return frame;
}

/** A new section's byte order, from its byte-order magic. */
function sectionOrder(bytes: Uint8Array, view: DataView, at: number): boolean {
  if (bytes.length - at < 28) throw new CaptureFormatError(F.shbShort, at);
  const bom = view.getUint32(at + 8, true);
  let little: boolean;
  if (bom === BYTE_ORDER_MAGIC) little = true;
  else if (bom === 0x4d3c2b1a) little = false;
  else throw new CaptureFormatError(F.byteOrder, at + 8, bom.toString(16));
  const major = view.getUint16(at + 12, little);
  if (major !== 1) throw new CaptureFormatError(F.pcapngVersion, at + 12, major);
  return little;
}

function readPcapng(bytes: Uint8Array, view: DataView) {
  const interfaces: CaptureInterfaceInfo[] = [];
  const comments: string[] = [];
  const frames: Frame[] = [];
  /** Each section numbers its interfaces from 0. */
  let sectionBase = 0;
  let little = true;
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < 12) throw new CaptureFormatError(F.blockHeaderShort, at, bytes.length - at);
    // The SHB's type reads the same in both byte orders; it sets the order of its section.
    const shb = view.getUint32(at, false) === BLOCK_SHB;
    if (shb) {
      little = sectionOrder(bytes, view, at);
      sectionBase = interfaces.length;
    }
    const type = shb ? BLOCK_SHB : view.getUint32(at, little);
    const length = view.getUint32(at + 4, little);
    if (length < 12 || length % 4 !== 0) throw new CaptureFormatError(F.blockLength, at + 4, length);
    if (at + length > bytes.length) throw new CaptureFormatError(F.blockPastEnd, at + 4, length, bytes.length - at);
    const trailer = view.getUint32(at + length - 4, little);
    if (trailer !== length) throw new CaptureFormatError(F.blockTrailer, at + length - 4, length, trailer);
    const block: Block = { bytes, view, little, at, body: at + 8, end: at + length - 4, length };
    switch (type) {
      case BLOCK_SHB:
        for (const option of readOptions(bytes, view, block.body + 16, block.end, little)) if (option.code === OPT_COMMENT) comments.push(text(option));
        break;
      case BLOCK_IDB:
        interfaces.push(interfaceOf(block));
        break;
      case BLOCK_EPB:
      case BLOCK_OPB:
        frames.push(packetOf(block, type === BLOCK_EPB, interfaces, sectionBase, frames.length + 1));
        break;
      case BLOCK_SPB: {
        need(block, 4, F.spbTooShort);
        if (interfaces.length - sectionBase < 1) throw new CaptureFormatError(F.spbBeforeIdb, at);
        // No timestamp, and the captured length is what the block holds (at most the original length).
        const caplen = Math.min(view.getUint32(block.body, little), block.end - (block.body + 4));
        frames.push({ frame: frames.length + 1, interface: sectionBase, data: bytes.subarray(block.body + 4, block.body + 4 + caplen), at: block.body + 4, comments: [] });
        break;
      }
      default:
        // Name resolution, statistics, decryption secrets, custom blocks: nothing to read here.
        break;
    }
    at += length;
  }
  return { interfaces, comments, frames };
}

// ---- link layer to TCP -------------------------------------------------------------------------

/** Where the IPv4 header starts in a frame of this link type, or why there is none. */
function networkStart(data: Uint8Array, linkType: number): number | string {
  const u16 = (i: number) => (data[i] << 8) | data[i + 1];
  switch (linkType) {
    case LINKTYPE_ETHERNET: {
      if (data.length < 14) return 'Ethernet header cut short';
      let i = 12;
      let type = u16(i);
      // 802.1Q / 802.1ad VLAN tags: 4 bytes each, then the real EtherType.
      while (type === 0x8100 || type === 0x88a8) {
        i += 4;
        if (data.length < i + 2) return 'VLAN tag cut short';
        type = u16(i);
      }
      return type === ETHERTYPE_IPV4 ? i + 2 : `EtherType 0x${type.toString(16).padStart(4, '0')}, not IPv4`;
    }
    case LINKTYPE_LINUX_SLL:
      if (data.length < 16) return 'Linux cooked header cut short';
      return u16(14) === ETHERTYPE_IPV4 ? 16 : `protocol 0x${u16(14).toString(16).padStart(4, '0')}, not IPv4`;
    case LINKTYPE_LINUX_SLL2:
      if (data.length < 20) return 'Linux cooked v2 header cut short';
      return u16(0) === ETHERTYPE_IPV4 ? 20 : `protocol 0x${u16(0).toString(16).padStart(4, '0')}, not IPv4`;
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP: {
      if (data.length < 4) return 'loopback header cut short';
      // NULL: the address family in the capturing host's byte order; LOOP: network order. AF_INET is 2 everywhere.
      const family = linkType === LINKTYPE_LOOP ? (u16(0) << 16) | u16(2) : data[0] === 2 || data[3] === 2 ? 2 : -1;
      return family === 2 ? 4 : 'loopback packet that is not IPv4';
    }
    case LINKTYPE_RAW:
    case LINKTYPE_IPV4:
      return 0;
    default:
      return DLT_RAW_BSD.includes(linkType) ? 0 : `link type ${linkType} is not read`;
  }
}

function decodeFrame(frame: Frame, linkType: number): TcpPacket | SkippedFrame {
  const start = networkStart(frame.data, linkType);
  if (typeof start === 'string') return { frame: frame.frame, reason: start, offset: frame.at };
  const decoded = decodeIPv4Tcp(frame.data, start, frame.data.length);
  if (!decoded.ok) return { frame: frame.frame, reason: decoded.reason, offset: frame.at + decoded.offset };
  const tcp = decoded.tcp;
  const packet: TcpPacket = {
    frame: frame.frame,
    interface: frame.interface,
    src: tcp.src,
    dst: tcp.dst,
    srcPort: tcp.srcPort,
    dstPort: tcp.dstPort,
    ipId: tcp.ipId,
    ttl: tcp.ttl,
    ipChecksumOk: tcp.ipChecksumOk,
    flags: tcp.flags,
    ecn: tcp.ecn,
    seq: tcp.seq,
    ack: tcp.ack,
    window: tcp.window,
    options: tcp.options,
    otherOptions: tcp.otherOptions,
    payloadLength: tcp.payloadLength,
    payload: tcp.payload,
    checksumOk: tcp.checksumOk,
    comments: frame.comments,
  };
  if (frame.timeNs !== undefined) {
    packet.timeNs = frame.timeNs;
    packet.time = Number(frame.timeNs) / 1e9;
  }
  if (tcp.optionProblem !== undefined) packet.optionProblem = tcp.optionProblem;
  if (frame.direction !== undefined) packet.direction = frame.direction;
  if (frame.packetId !== undefined) packet.packetId = frame.packetId;
  return packet;
}
