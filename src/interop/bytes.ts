// Binary helpers shared by the capture writer and reader: a growable little-endian writer,
// the Internet checksum, IPv4 address text. Plain Uint8Array/DataView (no Buffer), so the
// interop layer also runs in a webview.

/** A growable byte buffer. Multi-byte values are little-endian unless `big` is passed. */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(initial = 1024) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(value: number): this {
    this.room(1);
    this.buf[this.length++] = value & 0xff;
    return this;
  }

  u16(value: number, big = false): this {
    this.room(2);
    this.view.setUint16(this.length, value & 0xffff, !big);
    this.length += 2;
    return this;
  }

  u32(value: number, big = false): this {
    this.room(4);
    this.view.setUint32(this.length, value >>> 0, !big);
    this.length += 4;
    return this;
  }

  bytes(data: Uint8Array): this {
    this.room(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
    return this;
  }

  /** Zero bytes up to the next multiple of 4. */
  pad4(): this {
    while (this.length % 4 !== 0) this.u8(0);
    return this;
  }

  /** Overwrite a 32-bit value written earlier (block lengths known only at the end). */
  patchU32(at: number, value: number, big = false): void {
    this.view.setUint32(at, value >>> 0, !big);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** RFC 1071 one's-complement sum of 16-bit words, not yet complemented (start from `sum`). */
export function onesSum(data: Uint8Array, start = 0, end = data.length, sum = 0): number {
  let i = start;
  for (; i + 1 < end; i += 2) sum += (data[i] << 8) | data[i + 1];
  if (i < end) sum += data[i] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** The Internet checksum (RFC 1071) of a finished one's-complement sum. */
export function foldChecksum(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** "10.0.0.1" -> 0x0a000001; undefined when it is not a dotted-quad IPv4 address. */
export function parseIPv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
}

export function formatIPv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff].join('.');
}

export function formatMac(mac: Uint8Array): string {
  return [...mac].map((b) => b.toString(16).padStart(2, '0')).join(':');
}
