// TCP options as the trace carries them (the shared contract `SegmentFields.options`) and their
// wire form. Layout as Linux writes them (tcp_output.c tcp_options_write): each option padded
// with NOPs to a 4-byte boundary, SACK-permitted folded in front of the timestamps when both
// are present, so the option space is always a multiple of 4 and no EOL padding is needed.

import type { TcpOptions } from '../engine/trace';
import { ENCODE_MESSAGES as E, EncodeError } from './messages';

/** The options a segment carries: the trace's shared contract (src/engine/trace.ts). */
export type { TcpOptions };

/** RFC 9293 3.1: the data offset is 4 bits of 32-bit words, so at most 40 option bytes. */
export const MAX_OPTION_BYTES = 40;

const EOL = 0;
const NOP = 1;
const MSS = 2;
const WSCALE = 3;
const SACK_PERMITTED = 4;
const SACK = 5;
const TIMESTAMPS = 8;

export interface EncodedOptions {
  bytes: Uint8Array;
  /** SACK blocks left out because the 40 bytes of option space were full (RFC 2018 3: at most 3 with timestamps). */
  sackBlocksDropped: number;
}

function u32(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new EncodeError(E.notU32, { template: what, args: [] }, String(value));
  return value;
}

/** Encodes options; throws EncodeError (its template in ENCODE_MESSAGES) for a value that cannot be written. */
export function encodeTcpOptions(options: TcpOptions | undefined): EncodedOptions {
  const out: number[] = [];
  const push32 = (v: number) => out.push(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  if (!options) return { bytes: new Uint8Array(0), sackBlocksDropped: 0 };
  if (options.mss !== undefined) {
    if (!Number.isInteger(options.mss) || options.mss < 0 || options.mss > 0xffff) throw new EncodeError(E.mssRange, String(options.mss));
    out.push(MSS, 4, options.mss >>> 8, options.mss & 0xff);
  }
  if (options.ts) {
    const val = u32(options.ts.val, E.timestampValue);
    const ecr = u32(options.ts.ecr, E.timestampEcho);
    if (options.sackPermitted) out.push(SACK_PERMITTED, 2);
    else out.push(NOP, NOP);
    out.push(TIMESTAMPS, 10);
    push32(val);
    push32(ecr);
  } else if (options.sackPermitted) {
    out.push(NOP, NOP, SACK_PERMITTED, 2);
  }
  if (options.wscale !== undefined) {
    // RFC 7323 2.3: a shift above 14 is used as 14, but it is still written as sent.
    if (!Number.isInteger(options.wscale) || options.wscale < 0 || options.wscale > 255) throw new EncodeError(E.wscaleRange, String(options.wscale));
    out.push(NOP, WSCALE, 3, options.wscale);
  }
  let dropped = 0;
  const blocks = options.sack ?? [];
  if (blocks.length > 0) {
    const fit = Math.max(0, Math.floor((MAX_OPTION_BYTES - out.length - 4) / 8));
    const kept = blocks.slice(0, fit);
    dropped = blocks.length - kept.length;
    if (kept.length > 0) {
      out.push(NOP, NOP, SACK, 2 + 8 * kept.length);
      for (const block of kept) {
        push32(u32(block.left, E.sackLeft));
        push32(u32(block.right, E.sackRight));
      }
    }
  }
  if (out.length > MAX_OPTION_BYTES) throw new EncodeError(E.optionsTooLong, String(out.length), String(MAX_OPTION_BYTES));
  while (out.length % 4 !== 0) out.push(EOL);
  return { bytes: Uint8Array.from(out), sackBlocksDropped: dropped };
}

export interface DecodedOptions {
  options: TcpOptions;
  /** Kinds of options this module does not model (e.g. 19 MD5, 30 MPTCP, 34 TFO), in order. */
  other: number[];
  /** What was wrong with the option bytes, when something was (the options before it are kept). */
  problem?: string;
}

const read32 = (b: Uint8Array, i: number) => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;

/** Decodes the option bytes of a TCP header (`start`..`end` of `bytes`). Never throws. */
export function decodeTcpOptions(bytes: Uint8Array, start = 0, end = bytes.length): DecodedOptions {
  const options: TcpOptions = {};
  const other: number[] = [];
  let i = start;
  while (i < end) {
    const kind = bytes[i];
    if (kind === EOL) break;
    if (kind === NOP) {
      i++;
      continue;
    }
    if (i + 1 >= end) return { options, other, problem: `option kind ${kind} at byte ${i - start} of the options has no length byte` };
    const length = bytes[i + 1];
    if (length < 2 || i + length > end) return { options, other, problem: `option kind ${kind} at byte ${i - start} of the options has length ${length}, outside the header` };
    const expected = kind === MSS ? 4 : kind === WSCALE ? 3 : kind === SACK_PERMITTED ? 2 : kind === TIMESTAMPS ? 10 : undefined;
    if ((expected !== undefined && length !== expected) || (kind === SACK && (length - 2) % 8 !== 0)) {
      return { options, other, problem: `option kind ${kind} at byte ${i - start} of the options has length ${length}` };
    }
    switch (kind) {
      case MSS:
        options.mss = (bytes[i + 2] << 8) | bytes[i + 3];
        break;
      case WSCALE:
        options.wscale = bytes[i + 2];
        break;
      case SACK_PERMITTED:
        options.sackPermitted = true;
        break;
      case TIMESTAMPS:
        options.ts = { val: read32(bytes, i + 2), ecr: read32(bytes, i + 6) };
        break;
      case SACK: {
        const blocks: { left: number; right: number }[] = [];
        for (let b = i + 2; b < i + length; b += 8) blocks.push({ left: read32(bytes, b), right: read32(bytes, b + 4) });
        options.sack = blocks;
        break;
      }
      default:
        other.push(kind);
    }
    i += length;
  }
  return { options, other };
}
