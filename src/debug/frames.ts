// DAP framing over a byte stream ("Content-Length: N\r\n\r\n" then N bytes of JSON), with every
// malformation reported instead of dropped silently: a header without a valid length, a body
// that is not JSON or not an object, a frame larger than MAX_FRAME_BYTES (skipped as it arrives,
// never buffered). Pure; the standalone adapter feeds it stdin.

import { message as msg, type Message } from '../text/translate';

/** Requests are small; a larger frame is refused (its bytes are skipped, not kept). */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;
/** A header longer than this without its blank line is not a DAP header. */
const MAX_HEADER_BYTES = 8 * 1024;

const SEPARATOR = Buffer.from('\r\n\r\n');

/** Why a frame is not DAP, as l10n templates (the session says it in the client's language). */
export const FRAME_MESSAGES = {
  noHeader: 'no DAP header in the last {0} bytes (expected "Content-Length: N" and a blank line)',
  badLength: 'a DAP header without a valid "Content-Length: N"',
  tooLarge: 'a DAP message of {0} bytes; at most {1} are accepted',
  notJson: 'a DAP message that is not JSON',
  notObject: 'a DAP message that is not a JSON object',
  notRequest: 'a DAP message of type {0}, not a request',
  noSeq: 'a request without a whole-number "seq"',
} as const;

export type Frame = { kind: 'message'; message: Record<string, unknown> } | { kind: 'malformed'; reason: Message };

export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);
  /** Body length expected after a header, -1 while reading a header. */
  private length = -1;
  /** Bytes of an oversized body still to skip. */
  private skipping = 0;

  /** Feeds bytes; returns the frames they complete, in order. */
  push(data: Buffer): Frame[] {
    const frames: Frame[] = [];
    if (this.skipping > 0) {
      const skipped = Math.min(this.skipping, data.length);
      this.skipping -= skipped;
      data = data.subarray(skipped);
    }
    this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
    for (;;) {
      if (this.length < 0) {
        const end = this.buffer.indexOf(SEPARATOR);
        if (end < 0) {
          if (this.buffer.length > MAX_HEADER_BYTES) {
            frames.push({ kind: 'malformed', reason: msg(FRAME_MESSAGES.noHeader, this.buffer.length) });
            this.buffer = Buffer.alloc(0);
          }
          return frames;
        }
        const header = this.buffer.toString('latin1', 0, end);
        this.buffer = this.buffer.subarray(end + SEPARATOR.length);
        const match = /^content-length: *(\d{1,10}) *$/im.exec(header);
        if (!match) {
          frames.push({ kind: 'malformed', reason: msg(FRAME_MESSAGES.badLength) });
          continue;
        }
        const length = Number(match[1]);
        if (length > MAX_FRAME_BYTES) {
          frames.push({ kind: 'malformed', reason: msg(FRAME_MESSAGES.tooLarge, length, MAX_FRAME_BYTES) });
          const skipped = Math.min(length, this.buffer.length);
          this.skipping = length - skipped;
          this.buffer = this.buffer.subarray(skipped);
          if (this.skipping > 0) return frames;
          continue;
        }
        this.length = length;
      }
      if (this.buffer.length < this.length) return frames;
      const body = this.buffer.toString('utf8', 0, this.length);
      this.buffer = this.buffer.subarray(this.length);
      this.length = -1;
      let message: unknown;
      try {
        message = JSON.parse(body);
      } catch {
        frames.push({ kind: 'malformed', reason: msg(FRAME_MESSAGES.notJson) });
        continue;
      }
      if (typeof message !== 'object' || message === null || Array.isArray(message)) {
        frames.push({ kind: 'malformed', reason: msg(FRAME_MESSAGES.notObject) });
        continue;
      }
      frames.push({ kind: 'message', message: message as Record<string, unknown> });
    }
  }
}
