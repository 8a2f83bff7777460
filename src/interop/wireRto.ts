// The retransmission timeout a Linux endpoint had at a moment of a capture, from the round trips its
// segments and the peer's ACKs show on the wire, through the linux profile's own estimator
// (src/engine/tcp/linux/rtt.ts: tcp_rtt_estimator, tcp_set_rto) and its samples: the SYN's when it was
// sent once, then each ACK that newly covers a segment never sent again, from the oldest such segment
// (tcp_clean_rtx_queue). The import needs it where the wire shows a call only by the timer it started:
// a close held behind a zero window, whose first probe leaves one RTO later (docs/import.md). Pure.

import { PROFILES } from '../engine/profile';
import { newRttEstimator } from '../engine/rtt';
import { rttSample, type RttMemory, type RttTcb } from '../engine/tcp/linux/rtt';
import { newLinuxState } from '../engine/tcp/linux/state';
import { seqGt, seqLe } from '../engine/seq';
import { seqEnd as end, type Conversation, type ConversationSegment, type Side } from './conversation';

/** The RTO (ms) of `side` at `until` (ms), as the linux profile computes it from the same samples; its
 *  initial 1 s (TCP_TIMEOUT_INIT) when the capture shows none. */
export function wireRto(c: Conversation, side: Side, until: number): number {
  const settings = PROFILES.linux;
  // The estimator as a new linux connection starts it (TcpStack.newTcb); SND.UNA and SND.NXT come from the wire.
  const { srtt, rttvar, rto } = newRttEstimator(settings.rto);
  const tcb: RttTcb = { srtt, rttvar, rto, sndUna: 0, sndNxt: 0 };
  const memory: RttMemory = newLinuxState(settings.rcvBuf, false, 0);
  const mine = c.segments.filter((s) => s.from === side && !s.flags.includes('RST') && s.t <= until);
  const syn = mine.find((s) => s.flags.includes('SYN'));
  if (!syn) return settings.rto / 1000;
  // Sequence space sent more than once (the kernel's TCPCB_EVER_RETRANS): no sample from it.
  const sentBefore = (s: ConversationSegment): boolean => mine.some((x) => x !== s && x.t <= s.t && x.seq === s.seq && (x.len > 0 || x.flags.includes('FIN') || x.flags.includes('SYN')));
  const resent = new Set(mine.filter(sentBefore));
  const again = new Set([...resent].map((s) => s.seq));
  const queue = mine.filter((s) => end(s) !== s.seq && !resent.has(s));
  const acks = c.segments
    .filter((s) => s.to === side && s.flags.includes('ACK') && s.arrival !== null && s.arrival <= until && !s.flags.includes('RST'))
    .sort((a, b) => a.arrival! - b.arrival!);
  tcb.sndUna = syn.seq;
  let head = 0;
  // The highest sequence sent by the ACK's arrival (`mine` is in sending order).
  let sent = 0;
  let highest = end(syn);
  for (const a of acks) {
    const now = a.arrival!;
    for (; sent < mine.length && mine[sent].t <= now; sent++) if (seqGt(end(mine[sent]), highest)) highest = end(mine[sent]);
    let first: ConversationSegment | undefined;
    let covered = false;
    while (head < queue.length && queue[head].t <= now && seqLe(end(queue[head]), a.ack)) {
      const s = queue[head++];
      covered = true;
      if (first === undefined && !again.has(s.seq)) first = s;
    }
    if (!covered || !seqGt(a.ack, tcb.sndUna)) continue;
    tcb.sndNxt = highest;
    // The SYN's sample is taken before SND.UNA moves (tcp_synack_rtt_meas), the others after (tcp_ack).
    if (first !== syn) tcb.sndUna = a.ack;
    if (first !== undefined) rttSample(settings, tcb, memory, (now - first.t) * 1000);
    tcb.sndUna = a.ack;
  }
  return tcb.rto / 1000;
}
