// Large output (`trace`, `render --svg -`) as UTF-8 through one reused buffer. Encoding each
// chunk with Buffer.from allocated a fresh buffer per chunk (213 MB of them for a million-event
// trace): page faults and copies that cost more CPU than the encoding itself.

/** Takes bytes; resolves when they are written and the buffer may be filled again. */
export type PutBytes = (bytes: Uint8Array) => Promise<void>;

/** Bytes kept before they are written: large enough that writes are few. */
export const OUTPUT_BUFFER_BYTES = 1 << 20;

export class Utf8Output {
  private readonly buffer: Uint8Array;
  private readonly encoder = new TextEncoder();
  private used = 0;

  constructor(
    private readonly put: PutBytes,
    size = OUTPUT_BUFFER_BYTES,
  ) {
    // At least one whole character (4 bytes) fits, so every write makes progress.
    this.buffer = new Uint8Array(Math.max(4, size));
  }

  /** Writes `text`; with `more`, what is left may wait in the buffer for the next write (which must come). */
  async write(text: string, more = false): Promise<void> {
    let rest = text;
    while (rest.length > 0) {
      // encodeInto stops before a character that does not fit: a surrogate pair is never split.
      const { read, written } = this.encoder.encodeInto(rest, this.buffer.subarray(this.used));
      this.used += written;
      rest = read === rest.length ? '' : rest.slice(read);
      if (rest.length > 0 || this.used === this.buffer.length) await this.flush();
    }
    if (!more) await this.flush();
  }

  /** Writes what is buffered. */
  async flush(): Promise<void> {
    if (this.used === 0) return;
    const bytes = this.buffer.subarray(0, this.used);
    this.used = 0;
    await this.put(bytes);
  }
}
