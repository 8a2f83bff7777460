// The bytes each connection carries, so a capture's payloads are real: the text of
// `send "text"` statements, a deterministic filler for `send N`. Each connection's stream is
// the endpoint's successful sends to it, in order; a segment's payload is the stream's bytes at
// its sequence range (RFC 9293 3.4: data starts at ISS+1), so a retransmission carries the
// same bytes as the original.
//
// The trace does not say which connection a `send` went to, so this follows the engine's rule
// (tcp.ts `target`): the connection named by the statement's `conn`, else the host's newest
// live one. Connections are born and die with the transitions the trace records.

import type { Program } from '../engine/program';
import type { SegmentFields, TraceEvent } from '../engine/trace';

interface Chunk {
  /** Offset of the chunk's first byte in the stream. */
  start: number;
  length: number;
  /** The statement's text (UTF-8); filler when absent. */
  text?: Uint8Array;
}

interface Stream {
  host: string;
  peer?: string;
  /** The host's initial send sequence number, from its SYN. */
  iss?: number;
  chunks: Chunk[];
  length: number;
}

// 64-byte lines of letters ending in CRLF: readable in Follow TCP Stream, and line-based
// dissectors (HTTP on port 80) find a line end in every segment instead of waiting for one.
const FILLER_LINE = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\r\n';

/** The filler byte at a stream offset. */
export function fillerByte(offset: number): number {
  return FILLER_LINE.charCodeAt(offset % FILLER_LINE.length);
}

const key = (from: string, to: string) => `${from}\u0000${to}`;
const SEQ_SPACE = 2 ** 32;

export class ByteStreams {
  /** Live connections of each host, oldest first (the engine's `host.conns`). */
  private readonly live = new Map<string, Stream[]>();
  /** The newest connection from a host to a peer, live or not (late retransmissions, injections). */
  private readonly current = new Map<string, Stream>();
  private readonly segmentFrom = new Map<string, string>();
  private readonly sends = new Map<number, { endpoint: string; text?: string; conn?: string }[]>();
  private readonly encoder = new TextEncoder();

  constructor(program: Program | undefined) {
    for (const statement of program?.statements ?? []) {
      const a = statement.action;
      if (a.kind !== 'send') continue;
      const list = this.sends.get(statement.line) ?? [];
      list.push({ endpoint: a.endpoint, text: a.text, conn: a.conn });
      this.sends.set(statement.line, list);
    }
  }

  private liveOf(host: string): Stream[] {
    let list = this.live.get(host);
    if (!list) this.live.set(host, (list = []));
    return list;
  }

  /** Feed every trace event, in order. */
  observe(event: TraceEvent): void {
    switch (event.kind) {
      case 'transition': {
        const list = this.liveOf(event.endpoint);
        // A connection is born CLOSED -> SYN-SENT (connect) or LISTEN -> SYN-RECEIVED (a listener's SYN).
        if ((event.from === 'CLOSED' && event.to === 'SYN-SENT') || (event.from === 'LISTEN' && event.to === 'SYN-RECEIVED')) {
          const peer = event.conn ?? this.segmentFrom.get(event.cause);
          const stream: Stream = { host: event.endpoint, peer, chunks: [], length: 0 };
          list.push(stream);
          if (peer !== undefined) this.current.set(key(event.endpoint, peer), stream);
        } else if ((event.to === 'CLOSED' && event.from !== 'LISTEN') || (event.to === 'LISTEN' && event.from !== 'CLOSED')) {
          // tcp.ts setState: a connection reaching CLOSED, or LISTEN (reset in SYN-RECEIVED), is deleted.
          // Without a `conn` label the host has one peer, so one connection at most.
          const at = event.conn !== undefined ? list.findIndex((s) => s.peer === event.conn) : list.length - 1;
          if (at >= 0) list.splice(at, 1);
        }
        return;
      }
      case 'send':
      case 'inject': {
        this.segmentFrom.set(event.id, event.from);
        if (event.kind === 'inject') return;
        const list = this.liveOf(event.from);
        const stream = list.find((s) => s.peer === event.to) ?? list.find((s) => s.peer === undefined);
        if (!stream) return;
        stream.peer = event.to;
        this.current.set(key(event.from, event.to), stream);
        if (event.flags.includes('SYN') && stream.iss === undefined) stream.iss = event.seq;
        return;
      }
      case 'app': {
        if (event.call !== 'send' || event.error !== undefined || !event.bytes) return;
        const statement = this.sends.get(event.line ?? -1)?.find((s) => s.endpoint === event.endpoint);
        const list = this.liveOf(event.endpoint);
        const stream = statement?.conn !== undefined ? list.find((s) => s.peer === statement.conn) : list[list.length - 1];
        if (!stream) return;
        const chunk: Chunk = { start: stream.length, length: event.bytes };
        if (statement?.text !== undefined) chunk.text = this.encoder.encode(statement.text);
        stream.chunks.push(chunk);
        stream.length += event.bytes;
        return;
      }
      default:
        return;
    }
  }

  /** The payload of a segment the trace just sent (observe it first). */
  payload(segment: SegmentFields): Uint8Array {
    const out = new Uint8Array(segment.len);
    if (segment.len === 0) return out;
    const stream = this.current.get(key(segment.from, segment.to));
    const dataSeq = segment.flags.includes('SYN') ? segment.seq + 1 : segment.seq;
    if (stream?.iss === undefined) {
      // No connection known (a crafted segment): filler keyed on the sequence number.
      for (let i = 0; i < out.length; i++) out[i] = fillerByte((dataSeq + i) % SEQ_SPACE);
      return out;
    }
    const offset = (((dataSeq - (stream.iss + 1)) % SEQ_SPACE) + SEQ_SPACE) % SEQ_SPACE;
    let c = chunkAt(stream.chunks, offset);
    for (let i = 0; i < out.length; i++) {
      const at = offset + i;
      while (c >= 0 && c + 1 < stream.chunks.length && stream.chunks[c + 1].start <= at) c++;
      const chunk = c >= 0 ? stream.chunks[c] : undefined;
      const text = chunk && at < chunk.start + chunk.length ? chunk.text : undefined;
      out[i] = text && at - chunk!.start < text.length ? text[at - chunk!.start] : fillerByte(at);
    }
    return out;
  }
}

/** Index of the last chunk starting at or before `offset`, or -1. */
function chunkAt(chunks: Chunk[], offset: number): number {
  let lo = 0;
  let hi = chunks.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (chunks[mid].start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
