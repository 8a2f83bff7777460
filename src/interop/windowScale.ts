// Which window scale a segment's window field is in (RFC 7323 2.2-2.3), for the capture the trace
// becomes (traceCapture.ts) and for a capture read back (the import's `inject wnd=`, the comparison's
// scaledWindow). The scale is the one the SYN or SYN,ACK that opened the connection announced, in
// effect once both sides' SYNs carried the option; a SYN's own window is never scaled (2.2), and a
// shift above 14 is taken as 14 (2.3). Segments are seen in the order they were sent: a SYN sent again
// replaces the one before it (the handshake completes with the latest), and a SYN without ACK from a
// new ISN is a new attempt, which forgets what the other side announced to the one before (the same
// ISN again is a retransmission: a SYN,ACK the peer already sent still holds). Pure.

/** What the rule reads of a segment. */
export interface ScaledSegment {
  from: string;
  to: string;
  seq: number;
  flags: readonly string[];
  options?: { wscale?: number };
}

/** RFC 7323 2.3: a larger shift is used as 14. */
const MAX_SHIFT = 14;

/** The window scale of each direction, fed segments in the order they were sent. */
export class WindowScales {
  private readonly announced = new Map<string, number | undefined>();
  /** The ISN of each direction's latest SYN. */
  private readonly isn = new Map<string, number>();

  /** The shift of `seg`'s window field (0: not scaled); every segment goes through here, in order. */
  shiftOf(seg: ScaledSegment): number {
    const dir = `${seg.from}\u0000${seg.to}`;
    const back = `${seg.to}\u0000${seg.from}`;
    if (seg.flags.includes('SYN')) {
      if (!seg.flags.includes('ACK') && this.isn.get(dir) !== seg.seq) this.announced.delete(back);
      this.isn.set(dir, seg.seq);
      this.announced.set(dir, seg.options?.wscale);
      return 0;
    }
    const mine = this.announced.get(dir);
    const theirs = this.announced.get(back);
    return mine !== undefined && theirs !== undefined ? Math.min(mine, MAX_SHIFT) : 0;
  }
}

/** The shift of every segment of a conversation, in sending order. */
export function windowShifts<S extends ScaledSegment>(segments: readonly S[]): Map<S, number> {
  const scales = new WindowScales();
  return new Map(segments.map((s) => [s, scales.shiftOf(s)]));
}
