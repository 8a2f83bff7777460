// A scenario's run as a pcapng capture that Wireshark and tshark read (docs/wireshark.md).
// Pure: builds the bytes; the CLI and the VS Code layer write them where the user says.

import type { Program } from '../engine/program';
import type { TraceDocument } from '../engine/trace';
import { encodePcapng } from './pcapngBlocks';
import { captureOfTrace, type CaptureOptions } from './traceCapture';

export { encodePcapng, type PcapngFile, type PcapngInterface, type PcapngPacket } from './pcapngBlocks';
export { CAPTURE_WRITE_MESSAGES, captureOfTrace, CaptureWriteError, checkCaptureAt, TraceCapture, type CaptureOptions, type TraceHead } from './traceCapture';

/**
 * The pcapng file of a run: its trace, and the program it ran (for the text of `send "text"`;
 * without it every payload is filler). Throws CaptureWriteError when the trace cannot be
 * written (an endpoint address that is not IPv4, an option value out of range).
 */
export function writePcapng(trace: TraceDocument, program?: Program, options: CaptureOptions = {}): Uint8Array {
  return encodePcapng(captureOfTrace(trace, program, options));
}
