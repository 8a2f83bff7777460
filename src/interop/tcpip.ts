// Ethernet II + IPv4 + TCP: building a frame with correct checksums, and taking one apart.
// RFC 791 (IPv4 header), RFC 9293 3.1 (TCP header and its pseudo-header checksum).

import type { TcpFlag } from '../engine/trace';
import { foldChecksum, formatIPv4, onesSum } from './bytes';
import { ENCODE_MESSAGES as E, EncodeError } from './messages';
import { decodeTcpOptions, type TcpOptions } from './tcpOptions';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERNET_HEADER = 14;
const IPV4_HEADER = 20;
const TCP_HEADER = 20;
const PROTO_TCP = 6;

// RFC 9293 3.1 control bits, lowest first; ECE and CWR (RFC 3168) only when reading.
const FLAG_BITS: Record<TcpFlag, number> = { SYN: 0x02, ACK: 0x10, FIN: 0x01, RST: 0x04, PSH: 0x08, URG: 0x20 };
const FLAGS_IN_TRACE_ORDER: readonly TcpFlag[] = ['SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG'];

export interface FrameFields {
  srcMac: Uint8Array;
  dstMac: Uint8Array;
  /** IPv4 addresses as 32-bit unsigned integers. */
  src: number;
  dst: number;
  ipId: number;
  ttl: number;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: readonly TcpFlag[];
  /** The 16-bit window field (already scaled down, RFC 7323 2.3). */
  window: number;
  /** Encoded options, a multiple of 4 bytes. */
  options: Uint8Array;
  payload: Uint8Array;
}

/** Offset of the TCP checksum in a frame built by encodeFrame (no IP options). */
export const TCP_CHECKSUM_OFFSET = ETHERNET_HEADER + IPV4_HEADER + 16;

/** One's-complement sum of the TCP pseudo-header (RFC 9293 3.1). */
function pseudoHeaderSum(src: number, dst: number, tcpLength: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + PROTO_TCP + tcpLength;
}

/** An Ethernet II frame carrying one IPv4 TCP segment, both checksums correct. */
export function encodeFrame(f: FrameFields): Uint8Array {
  if (f.options.length % 4 !== 0 || f.options.length > 40) throw new EncodeError(E.optionsInvalid, String(f.options.length));
  const tcpLength = TCP_HEADER + f.options.length + f.payload.length;
  const ipLength = IPV4_HEADER + tcpLength;
  if (ipLength > 0xffff) throw new EncodeError(E.payloadTooLarge, String(f.payload.length));
  const frame = new Uint8Array(ETHERNET_HEADER + ipLength);
  const view = new DataView(frame.buffer);
  frame.set(f.dstMac, 0);
  frame.set(f.srcMac, 6);
  view.setUint16(12, ETHERTYPE_IPV4);
  const ip = ETHERNET_HEADER;
  frame[ip] = 0x45; // version 4, header of 5 words
  view.setUint16(ip + 2, ipLength);
  view.setUint16(ip + 4, f.ipId & 0xffff);
  view.setUint16(ip + 6, 0x4000); // DF, as Linux sets on TCP (path MTU discovery)
  frame[ip + 8] = f.ttl;
  frame[ip + 9] = PROTO_TCP;
  view.setUint32(ip + 12, f.src);
  view.setUint32(ip + 16, f.dst);
  view.setUint16(ip + 10, foldChecksum(onesSum(frame, ip, ip + IPV4_HEADER)));
  const tcp = ip + IPV4_HEADER;
  view.setUint16(tcp, f.srcPort);
  view.setUint16(tcp + 2, f.dstPort);
  view.setUint32(tcp + 4, f.seq >>> 0);
  view.setUint32(tcp + 8, f.ack >>> 0);
  frame[tcp + 12] = ((TCP_HEADER + f.options.length) / 4) << 4;
  frame[tcp + 13] = f.flags.reduce((bits, flag) => bits | (FLAG_BITS[flag] ?? 0), 0);
  view.setUint16(tcp + 14, f.window);
  frame.set(f.options, tcp + TCP_HEADER);
  frame.set(f.payload, tcp + TCP_HEADER + f.options.length);
  view.setUint16(tcp + 16, foldChecksum(onesSum(frame, tcp, frame.length, pseudoHeaderSum(f.src, f.dst, tcpLength))));
  return frame;
}

/** A copy of a frame from encodeFrame whose TCP checksum is wrong: one bit flipped on the way. */
export function withBadTcpChecksum(frame: Uint8Array): Uint8Array {
  const copy = frame.slice();
  // Flipping the lowest bit never yields the other one's-complement zero (0x0000 vs 0xffff).
  copy[TCP_CHECKSUM_OFFSET + 1] ^= 0x01;
  return copy;
}

export interface DecodedTcp {
  src: string;
  dst: string;
  ipId: number;
  ttl: number;
  /** Whether the IPv4 header checksum holds. */
  ipChecksumOk: boolean;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: TcpFlag[];
  /** RFC 3168 ECN bits, when set. */
  ecn: ('ECE' | 'CWR')[];
  /** The 16-bit window field as it is on the wire (unscaled). */
  window: number;
  urgent: number;
  options: TcpOptions;
  otherOptions: number[];
  optionProblem?: string;
  /** Payload length from the IPv4 total length (whether or not all of it was captured). */
  payloadLength: number;
  /** The captured part of the payload. */
  payload: Uint8Array;
  /** undefined when the capture holds only part of the segment, so the checksum cannot be checked. */
  checksumOk: boolean | undefined;
}

export type DecodeResult = { ok: true; tcp: DecodedTcp } | { ok: false; reason: string; offset: number };

/**
 * Decodes an IPv4 packet carrying TCP that starts at `offset` of `data`; the captured bytes end
 * at `end`. A packet that is not IPv4 TCP, or is malformed, gives a reason and the offset at fault.
 */
export function decodeIPv4Tcp(data: Uint8Array, offset: number, end: number): DecodeResult {
  const fail = (reason: string, at: number): DecodeResult => ({ ok: false, reason, offset: at });
  if (end - offset < 1) return fail('no IP header', offset);
  const version = data[offset] >> 4;
  if (version === 6) return fail('IPv6 (only IPv4 is read)', offset);
  if (version !== 4) return fail(`IP version ${version}`, offset);
  if (end - offset < IPV4_HEADER) return fail('IPv4 header cut short', offset);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const ihl = (data[offset] & 0x0f) * 4;
  if (ihl < IPV4_HEADER) return fail(`IPv4 header length ${ihl} below 20`, offset);
  if (end - offset < ihl) return fail('IPv4 options cut short', offset);
  const total = view.getUint16(offset + 2);
  if (total < ihl) return fail(`IPv4 total length ${total} shorter than its header`, offset + 2);
  const fragment = view.getUint16(offset + 6);
  if ((fragment & 0x3fff) !== 0) return fail('IPv4 fragment', offset + 6);
  const protocol = data[offset + 9];
  if (protocol !== PROTO_TCP) return fail(`IP protocol ${protocol}, not TCP`, offset + 9);
  const ipChecksumOk = foldChecksum(onesSum(data, offset, offset + ihl)) === 0;
  const src = view.getUint32(offset + 12);
  const dst = view.getUint32(offset + 16);
  const tcp = offset + ihl;
  const ipEnd = offset + total;
  const captured = Math.min(end, ipEnd);
  if (captured - tcp < TCP_HEADER) return fail('TCP header cut short', tcp);
  const dataOffset = (data[tcp + 12] >> 4) * 4;
  if (dataOffset < TCP_HEADER) return fail(`TCP data offset ${dataOffset} below 20`, tcp + 12);
  if (tcp + dataOffset > ipEnd) return fail(`TCP header of ${dataOffset} bytes longer than the IPv4 packet`, tcp + 12);
  if (tcp + dataOffset > captured) return fail('TCP options cut short', tcp + TCP_HEADER);
  const bits = data[tcp + 13];
  const flags = FLAGS_IN_TRACE_ORDER.filter((flag) => (bits & FLAG_BITS[flag]) !== 0);
  const ecn: ('ECE' | 'CWR')[] = [];
  if (bits & 0x40) ecn.push('ECE');
  if (bits & 0x80) ecn.push('CWR');
  const decoded = decodeTcpOptions(data, tcp + TCP_HEADER, tcp + dataOffset);
  const whole = end >= ipEnd;
  const tcpLength = total - ihl;
  const result: DecodedTcp = {
    src: formatIPv4(src),
    dst: formatIPv4(dst),
    ipId: view.getUint16(offset + 4),
    ttl: data[offset + 8],
    ipChecksumOk,
    srcPort: view.getUint16(tcp),
    dstPort: view.getUint16(tcp + 2),
    seq: view.getUint32(tcp + 4),
    ack: view.getUint32(tcp + 8),
    flags,
    ecn,
    window: view.getUint16(tcp + 14),
    urgent: view.getUint16(tcp + 18),
    options: decoded.options,
    otherOptions: decoded.other,
    payloadLength: total - ihl - dataOffset,
    payload: data.slice(tcp + dataOffset, captured),
    checksumOk: whole ? foldChecksum(onesSum(data, tcp, ipEnd, pseudoHeaderSum(src, dst, tcpLength))) === 0 : undefined,
  };
  if (decoded.problem !== undefined) result.optionProblem = decoded.problem;
  return { ok: true, tcp: result };
}
