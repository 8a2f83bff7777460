// Interoperation with the tools TCP people use (docs/wireshark.md): pure, no I/O.
export { CAPTURE_WRITE_MESSAGES, CaptureWriteError, captureOfTrace, checkCaptureAt, encodePcapng, TraceCapture, writePcapng } from './pcapng';
export type { CaptureOptions, PcapngFile, PcapngInterface, PcapngPacket, TraceHead } from './pcapng';
export { CaptureFormatError, readCapture } from './pcapRead';
export type { CaptureInterfaceInfo, CaptureRead, SkippedFrame, TcpPacket } from './pcapRead';
export type { TcpOptions } from './tcpOptions';
