// `tcpscenario import CAPTURE`: a .tcpscenario that re-enacts a captured TCP conversation
// (docs/import.md). The endpoints are the capture's (addresses, ports, ISNs), the link delay half the
// handshake's round trip (conversation.ts), and the applications' calls are read off the wire at the
// moment the capture shows them:
//   - connect: the first transmission of an endpoint's SYN; listen: the other side, from the start,
//     unless it answered the SYN with a reset (nothing listened: connection refused);
//   - send N: new data, grouped into writes: Linux sets PSH on the last segment of a write, and the
//     rest of a write leaves back to back or as the peer's ACKs open room for it;
//   - close or shutdown: the first transmission of a FIN (shutdown when the endpoint still takes data
//     after it, close otherwise); abort: a reset that answers nothing;
//   - receive: an application that stopped reading shows a zero window; a window update without new
//     data is its read (the endpoint then reads only when told, from a buffer of its first window).
// A capture on both sides also shows what the network lost (drop rules) or corrupted (corrupt rules).
// Every statement says which frame it comes from. Pure: takes the capture read by pcapRead.ts.

import { PROFILES } from '../engine/profile';
import { seqGe } from '../engine/seq';
import type { CaptureAppCall, CaptureSummary } from './capture';
import { conversationSummary, readConversation, seqEnd, type Conversation, type ConversationSegment, type Side } from './conversation';
import type { CaptureRead } from './pcapRead';
import { JIFFY, timerDelay } from '../engine/tcp/linux/jiffies';
import { wireRto } from './wireRto';
import { windowShifts } from './windowScale';

export interface ImportedCapture {
  /** The scenario's text. */
  text: string;
  conversation: Conversation;
  /** The capture in the comparison's form (compareCapture.ts), with the calls read off the wire. */
  summary: CaptureSummary;
  /** The calls, in time order, as the scenario states them. */
  calls: ImportedCall[];
}

export interface ImportedCall {
  /** ms from the first segment. */
  t: number;
  endpoint: Side;
  call: 'listen' | 'connect' | 'send' | 'receive' | 'close' | 'shutdown' | 'abort';
  bytes?: number;
  /** The frame it is read from, and why (English, for the comment). */
  frame?: number;
  why: string;
  /** A close on end of file: made as the peer's FIN arrived (this frame), written as a wait for CLOSE-WAIT. */
  onEof?: number;
}

interface Fault {
  t: number;
  kind: 'drop' | 'corrupt' | 'delay';
  /** For delay: how much later than the link's delay it arrived, ms. */
  by?: number;
  segment: ConversationSegment;
  count: number;
  frames: number[];
}

export interface ImportOptions {
  /** The capture's file name, for the title and the header comment. */
  name?: string;
  /** A line saying what made it ("tcpscenario 0.1.0"). */
  tool?: string;
}

const other = (side: Side): Side => (side === 'client' ? 'server' : 'client');
const hasFlag = (s: ConversationSegment, flag: string): boolean => s.flags.includes(flag as never);
/** Writes continue when a segment leaves within this of the one before, or of an ACK that made room. */
const BACK_TO_BACK_MS = 1;
/** The engine's receive buffer unless told (src/engine/profile.ts): a SYN offering it needs no `rcvbuf=`. */
const DEFAULT_WINDOW = PROFILES.linux.rcvBuf;

/** ms as the language writes a time: `0`, `12.5ms`, at most µs precision. */
function time(ms: number): string {
  const us = Math.max(0, Math.round(ms * 1000));
  if (us === 0) return '0';
  return us % 1000 === 0 ? `${us / 1000}ms` : `${(us / 1000).toFixed(3).replace(/0+$/, '')}ms`;
}

function flagWords(s: ConversationSegment): string {
  const order = ['SYN', 'FIN', 'RST', 'PSH', 'URG', 'ACK'];
  return order.filter((f) => hasFlag(s, f)).join(',') || 'none';
}

/** "FIN,ACK seq=1 ack=2 len=0", relative to the ISNs, as Wireshark shows it. */
function describe(c: Conversation, s: ConversationSegment): string {
  const isn = (side: Side) => (side === 'client' ? c.client.isn : c.server.isn);
  const rel = (value: number, base: number | undefined) => (base === undefined ? value : (value - base + 2 ** 32) % 2 ** 32);
  const ack = hasFlag(s, 'ACK') ? ` ack=${rel(s.ack, isn(s.to))}` : '';
  return `${flagWords(s)} seq=${rel(s.seq, isn(s.from))}${ack} len=${s.len}`;
}

function frameOf(s: ConversationSegment): number {
  return (s.sent ?? s.arrived)!.frame;
}

/** Reads the calls off the wire (see the header). */
export function inferCalls(c: Conversation): ImportedCall[] {
  const calls: ImportedCall[] = [];
  const segs = c.segments;
  const firstOf = (side: Side, test: (s: ConversationSegment) => boolean) => segs.find((s) => s.from === side && test(s));
  const clientSyn = firstOf('client', (s) => hasFlag(s, 'SYN') && !hasFlag(s, 'ACK'));
  const serverSyn = firstOf('server', (s) => hasFlag(s, 'SYN') && !hasFlag(s, 'ACK'));
  const serverFirst = firstOf('server', () => true);
  if (serverSyn) {
    calls.push({ t: serverSyn.t, endpoint: 'server', call: 'connect', frame: frameOf(serverSyn), why: `its SYN (${describe(c, serverSyn)}): a simultaneous open` });
  } else if (!(serverFirst && hasFlag(serverFirst, 'RST'))) {
    const answer = serverFirst ? `; it answers ${flagWords(serverFirst)} (frame ${frameOf(serverFirst)})` : '';
    calls.push({ t: 0, endpoint: 'server', call: 'listen', why: `the client's SYN is for this port${answer}` });
  }
  // Each SYN with a new ISN is a connect (the same ports again after TIME-WAIT: a new connection).
  const isns = new Set<number>();
  for (const syn of segs.filter((s) => s.from === 'client' && hasFlag(s, 'SYN') && !hasFlag(s, 'ACK'))) {
    if (isns.has(syn.seq)) continue;
    isns.add(syn.seq);
    const again = syn === clientSyn ? '' : ', a new connection (a new ISN)';
    calls.push({ t: syn.t, endpoint: 'client', call: 'connect', frame: frameOf(syn), why: `SYN ${describe(c, syn).slice(4)}${again}` });
  }
  for (const side of ['client', 'server'] as Side[]) {
    calls.push(...writes(c, side), ...ends(c, side), ...reads(c, side));
  }
  return calls.sort((a, b) => a.t - b.t || order(a) - order(b));
}

/** At the same instant: listen before connect before data before the end of the connection. */
function order(call: ImportedCall): number {
  return ['listen', 'connect', 'receive', 'send', 'shutdown', 'close', 'abort'].indexOf(call.call);
}

/** New data of one side grouped into writes (see the header). */
function writes(c: Conversation, side: Side): ImportedCall[] {
  const isn = side === 'client' ? c.client.isn : (c.server.isn ?? 0);
  const offset = (seq: number) => (seq - isn + 2 ** 32) % 2 ** 32;
  const mine = c.segments.filter((s) => s.from === side);
  const usesPsh = mine.some((s) => hasFlag(s, 'PSH'));
  // Pure ACKs from the peer that arrived, with what they acknowledged and offered.
  const acks = c.segments.filter((s) => s.to === side && s.arrival !== null && !s.lost && s.len === 0 && !hasFlag(s, 'SYN') && !hasFlag(s, 'FIN') && !hasFlag(s, 'RST') && hasFlag(s, 'ACK'));
  let highest = 0;
  let lastNew: ConversationSegment | undefined;
  const out: ImportedCall[] = [];
  let current: ImportedCall | undefined;
  let segmentsInWrite = 0;
  let lastFrame = 0;
  const finish = () => {
    if (current) current.why += segmentsInWrite === 1 ? '' : `, and ${segmentsInWrite - 1} more segment${segmentsInWrite === 2 ? '' : 's'} to frame ${lastFrame}`;
  };
  for (const s of mine) {
    if (s.len === 0) continue;
    const start = offset(s.seq) - 1;
    const end = start + s.len;
    if (end <= highest) continue; // all of it sent before: a retransmission
    const fresh = Math.min(s.len, end - highest);
    highest = end;
    const clocked = lastNew !== undefined && acks.some((a) => a.arrival! <= s.t + 1e-9 && a.arrival! >= s.t - BACK_TO_BACK_MS && a.arrival! >= lastNew!.t);
    const backToBack = lastNew !== undefined && s.t - lastNew.t <= BACK_TO_BACK_MS;
    const continues = current !== undefined && lastNew !== undefined && (usesPsh ? !hasFlag(lastNew, 'PSH') && (backToBack || clocked) : backToBack || clocked);
    if (continues && current) {
      current.bytes! += fresh;
      segmentsInWrite++;
      lastFrame = frameOf(s);
    } else {
      finish();
      current = { t: s.t, endpoint: side, call: 'send', bytes: fresh, frame: frameOf(s), why: describe(c, s) };
      segmentsInWrite = 1;
      lastFrame = frameOf(s);
      out.push(current);
    }
    lastNew = s;
  }
  finish();
  return out;
}

/** The end of one side's connection: its first FIN (close or shutdown), or a reset it started (abort). */
function ends(c: Conversation, side: Side): ImportedCall[] {
  const mine = c.segments.filter((s) => s.from === side);
  const fin = mine.find((s) => hasFlag(s, 'FIN'));
  const out: ImportedCall[] = [];
  if (fin) {
    // Data from the peer after our FIN that we acknowledge (not reset): we only shut down writing.
    const later = c.segments.filter((s) => s.t > fin.t);
    const dataIn = later.find((s) => s.from === other(side) && s.len > 0 && !s.lost);
    const reply = dataIn && later.find((s) => s.from === side && s.t >= (dataIn.arrival ?? dataIn.t));
    const shutdown = dataIn !== undefined && reply !== undefined && !hasFlag(reply, 'RST');
    const held = heldFin(c, side, fin);
    const eof = shutdown || held ? undefined : closeOnEof(c, side, fin);
    const why = held
      ? `, held behind the zero window: the call came max(RTO ${time(held.rto)}, 200ms) before the first probe (frame ${frameOf(held.probe)}), on the timer wheel`
      : eof ? `, ${time(fin.t - eof.arrival!)} after the ${other(side)}'s FIN arrived, with its ACK: a close on end of file` : '';
    const call: ImportedCall = { t: held?.t ?? eof?.arrival ?? fin.t, endpoint: side, call: shutdown ? 'shutdown' : 'close', frame: frameOf(fin), why: `${describe(c, fin)}${shutdown ? ', and it still takes data afterwards' : ''}${why}` };
    if (eof) call.onEof = (eof.arrived ?? eof.sent)!.frame;
    out.push(call);
  }
  const rst = mine.find((s) => hasFlag(s, 'RST'));
  if (rst && startsReset(c, rst)) out.push({ t: rst.t, endpoint: side, call: 'abort', frame: frameOf(rst), why: `${describe(c, rst)}, not an answer to a segment` });
  return out;
}

/**
 * A FIN sent beyond the window its receiver last advertised to it, a zero window: a Linux stack holds
 * it (tcp_output.c tcp_send_fin queues it and tcp_write_xmit sends nothing tcp_snd_wnd_test refuses;
 * the endpoint probes the window instead), so it came from elsewhere (a raw socket, packetdrill).
 */
function finIntoZeroWindow(c: Conversation, s: ConversationSegment): boolean {
  if (!hasFlag(s, 'FIN') || s.len !== 0 || hasFlag(s, 'RST') || s.crafted) return false;
  const window = lastArrived(c, s.to, s.t);
  return window !== undefined && hasFlag(window, 'ACK') && window.window === 0 && seqGe(s.seq, window.ack);
}

/** The last segment other than a reset that `from` had delivered before `t`: the window it last offered. */
function lastArrived(c: Conversation, from: Side, t: number): ConversationSegment | undefined {
  return c.segments.filter((x) => x.from === from && x.arrival !== null && x.arrival < t && !hasFlag(x, 'RST')).pop();
}

/**
 * The peer's FIN, when this FIN answered it at once (within BACK_TO_BACK_MS of its arrival, nothing
 * sent in between) and carries its ACK: the application closed on end of file, before the delayed ACK
 * of the peer's FIN (tcp_fin: ping-pong mode) left on its own. Written as a wait for CLOSE-WAIT, the
 * close follows the FIN's arrival in the replay whatever side of a timer tick the capture's times fall.
 */
function closeOnEof(c: Conversation, side: Side, fin: ConversationSegment): ConversationSegment | undefined {
  const peerFin = c.segments.find((s) => s.from === other(side) && hasFlag(s, 'FIN') && s.arrival !== null && !s.lost);
  if (!peerFin || peerFin.arrival! > fin.t || fin.t - peerFin.arrival! > BACK_TO_BACK_MS || !hasFlag(fin, 'ACK')) return undefined;
  if (fin.ack !== seqEnd(peerFin)) return undefined;
  if (c.segments.some((s) => s.from === side && s.t >= peerFin.arrival! && s.t < fin.t)) return undefined;
  return peerFin;
}

/**
 * A FIN the peer's zero window held back: with everything acknowledged, the endpoint probed the window
 * (SEQ = SND.UNA - 1) before its FIN, so the close came first: tcp_output.c tcp_send_fin queues the
 * FIN and, as nothing is in flight, tcp_check_probe_timer arms the probe timer for max(RTO, 200 ms)
 * (tcp_probe0_base). The close is placed that long before the first probe, the RTO from the wire's
 * round trips (wireRto.ts), on the profile's timer wheel (not before the endpoint's last data).
 */
function heldFin(c: Conversation, side: Side, fin: ConversationSegment): { t: number; probe: ConversationSegment; rto: number } | undefined {
  const before = c.segments.filter((s) => s.t < fin.t);
  const probe = before.find((s) => {
    if (s.from !== side || s.len !== 0 || s.flags.length !== 1 || !hasFlag(s, 'ACK') || ((s.seq + 1) >>> 0) !== fin.seq) return false;
    const window = lastArrived(c, other(side), s.t);
    return window !== undefined && window.window === 0;
  });
  if (!probe) return undefined;
  const rto = wireRto(c, side, probe.t);
  const length = Math.max(rto, PROFILES.linux.rtoMin / 1000) * 1000;
  const target = Math.round(probe.t * 1000);
  const lastData = before.filter((s) => s.from === side && s.len > 0).reduce((t, s) => Math.max(t, s.t), 0) * 1000;
  // The latest time whose timer fires at the profile's tick nearest the probe (ticks are a jiffy apart).
  for (let x = target - length; x >= target - length - 3 * JIFFY; x -= 100) {
    if (Math.abs(x + timerDelay(x, length) - target) <= JIFFY / 2) return { t: Math.max(x, lastData) / 1000, probe, rto };
  }
  return undefined;
}

/** A reset the endpoint started (an abort), not one its stack sent in answer to a segment that had
 *  just arrived (connection refused, data after close, a segment for a connection it no longer has). */
function startsReset(c: Conversation, rst: ConversationSegment): boolean {
  return !c.segments.some((s) => s.to === rst.from && s.arrival !== null && s.arrival <= rst.t && s.arrival >= rst.t - BACK_TO_BACK_MS);
}

/** Reads by an application that stopped reading: a window update (a larger window, no new data
 *  acknowledged) after the endpoint advertised a zero window. */
function reads(c: Conversation, side: Side): ImportedCall[] {
  const mine = c.segments.filter((s) => s.from === side && !hasFlag(s, 'SYN') && !hasFlag(s, 'RST'));
  if (!mine.some((s) => s.window === 0)) return [];
  const out: ImportedCall[] = [];
  let previous: ConversationSegment | undefined;
  for (const s of mine) {
    if (previous && s.len === 0 && !hasFlag(s, 'FIN') && s.ack === previous.ack && s.window > previous.window) {
      out.push({ t: s.t, endpoint: side, call: 'receive', frame: frameOf(s), why: `a window update (${previous.window} -> ${s.window}) with no new data: the application read` });
    }
    previous = s;
  }
  return out;
}

/** Losses, corruptions and long delays a capture on both sides shows, each as a rule in force just
 *  before the segment leaves (and after any earlier segment its pattern would also match). */
function faults(c: Conversation): Fault[] {
  const out: Fault[] = [];
  // A segment that took more than twice the link's delay (and 5 ms more) was held back on the way.
  const late = (s: ConversationSegment) => s.arrival !== null && s.arrival - s.t - c.delay > Math.max(5, c.delay);
  const kindOf = (s: ConversationSegment): Fault['kind'] => (s.lost ? 'drop' : s.corrupted ? 'corrupt' : 'delay');
  const bad = c.segments.filter((s) => s.lost || s.corrupted || late(s));
  const faulty = (x: ConversationSegment) => x.lost || x.corrupted || late(x);
  for (const s of bad) {
    const kind = kindOf(s);
    const pattern = patternOf(s);
    const earlier = c.segments.filter((x) => x.t < s.t && x.from === s.from && patternOf(x) === pattern);
    const previousFault = out[out.length - 1];
    const lastEarlier = earlier[earlier.length - 1];
    // Consecutive losses of the same segment (a SYN lost every time) make one rule with a count.
    if (kind !== 'delay' && previousFault && previousFault.kind === kind && patternOf(previousFault.segment) === pattern && lastEarlier && faulty(lastEarlier) && earlier.filter((x) => !faulty(x)).every((x) => x.t < previousFault.segment.t)) {
      previousFault.count++;
      previousFault.frames.push(frameOf(s));
      continue;
    }
    const after = earlier.length > 0 ? earlier[earlier.length - 1].t : undefined;
    const fault: Fault = { t: after === undefined ? 0 : (after + s.t) / 2, kind, segment: s, count: 1, frames: [frameOf(s)] };
    if (kind === 'delay') fault.by = s.arrival! - s.t - c.delay;
    out.push(fault);
  }
  return out;
}

/** The rule's pattern: data by its sequence range (whatever its flags: Linux adds PSH), else the exact
 *  flags and numbers. */
function patternOf(s: ConversationSegment): string {
  const from = `${s.from} -> ${s.to}`;
  if (s.len > 0) return `${from} data seq=${s.seq} len=${s.len}`;
  const ack = hasFlag(s, 'ACK') ? ` ack=${s.ack}` : '';
  return `${from} ${flagWords(s)} seq=${s.seq}${ack}`;
}

function countWord(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}

/**
 * The SO_RCVBUF behind a SYN's window in the linux profile: tcp_select_initial_window gives data half
 * of twice SO_RCVBUF, rounded down to whole segments, so any buffer in [window, window + segment)
 * gives it; a power of two there when one fits (what programs set), else the window itself.
 */
function rcvbufFor(window: number, segment: number): number {
  for (let size = 1024; size < window + segment; size *= 2) if (size >= window) return size;
  return window;
}

/** Linux's SYN,ACK and SYN windows are the receive buffer the endpoint starts with; a zero window later
 *  means its application stopped reading. */
function endpointOptions(c: Conversation, side: Side, calls: ImportedCall[]): string {
  const parts: string[] = [];
  const isn = side === 'client' ? c.client.isn : c.server.isn;
  if (isn !== undefined) parts.push(`isn=${isn}`);
  // The first window is the receive buffer when it is all there is to it: an application that stopped
  // reading (a zero window later), or a SYN without window scaling whose window is not the profile's.
  const syn = c.segments.find((s) => s.from === side && hasFlag(s, 'SYN'));
  const peerSyn = c.segments.find((s) => s.from === other(side) && hasFlag(s, 'SYN'));
  const stopped = calls.some((k) => k.endpoint === side && k.call === 'receive') || c.segments.some((s) => s.from === side && !hasFlag(s, 'SYN') && !hasFlag(s, 'RST') && s.window === 0);
  // tcp_select_initial_window: a SYN,ACK agreeing to timestamps counts segments 12 bytes shorter (RFC 7323 3.2).
  const segment = (syn?.options.mss ?? 1460) - (syn && hasFlag(syn, 'ACK') && syn.options.ts && peerSyn?.options.ts ? 12 : 0);
  // A window other than the default buffer's was set (SO_RCVBUF).
  if (syn && (stopped || syn.window !== Math.floor(DEFAULT_WINDOW / segment) * segment)) parts.push(`rcvbuf=${rcvbufFor(syn.window, segment)}`);
  if (stopped) parts.push('autoread=off');
  // An endpoint whose own SYN offered no timestamps had them off (the other side only answers in kind).
  if (syn && syn.options.ts === undefined && (!hasFlag(syn, 'ACK') || peerSyn?.options.ts !== undefined)) parts.push('timestamps=off');
  const mss = [c.segments.find((s) => s.from === side && hasFlag(s, 'SYN'))?.options.mss, c.segments.find((s) => s.from === other(side) && hasFlag(s, 'SYN'))?.options.mss].filter((x): x is number => x !== undefined);
  if (mss.length > 0 && Math.min(...mss) < 1460) parts.push(`mss=${Math.min(...mss)}`);
  return parts.join(' ');
}

/** Builds the scenario. Throws InteropError (messages.ts) when the capture holds no connection to import. */
export function importCapture(read: CaptureRead, options: ImportOptions = {}): ImportedCapture {
  const c = readConversation(read);
  // What the endpoints' stacks sent; crafted segments become `inject` statements.
  const crafted = new Set(c.segments.filter((s) => s.crafted || finIntoZeroWindow(c, s)));
  const sent: Conversation = { ...c, segments: c.segments.filter((s) => !crafted.has(s)) };
  const calls = inferCalls(sent);
  const rules = faults(sent);
  const name = options.name ?? 'capture';
  const lines: string[] = [];
  const pad = (statement: string, comment: string) => `${statement.padEnd(40)}  # ${comment}`;
  const where = c.point === 'both' ? 'a capture on both sides (each delivered segment seen leaving and arriving)' : `a capture at the ${c.point} (the ${other(c.point)}'s send times are its arrival times less the link delay)`;
  lines.push(`# Imported from ${name}${options.tool ? ` by ${options.tool}` : ''} (docs/import.md): ${where}.`);
  lines.push(`# ${c.segments.length} segments of ${c.client.address}:${c.client.port} <-> ${c.server.address}:${c.server.port}; times in ms from the first segment sent.`);
  if (c.others.length > 0) lines.push(`# Left out: ${c.others.length === 1 ? 'another conversation' : `${c.others.length} other conversations`} (${c.others.slice(0, 3).join('; ')}${c.others.length > 3 ? '; ...' : ''}).`);
  lines.push(`# Run it in the linux profile; \`tcpscenario import\` also says where the simulation departs from the capture.`);
  lines.push('');
  lines.push(`scenario "Imported: ${name.replace(/["\\]/g, '')}"`);
  lines.push('profile linux');
  lines.push('');
  const clientSyn = c.segments.find((s) => s.from === 'client' && hasFlag(s, 'SYN'));
  const serverSyn = c.segments.find((s) => s.from === 'server' && hasFlag(s, 'SYN'));
  lines.push(pad(`endpoint client ${c.client.address}:${c.client.port} ${endpointOptions(c, 'client', calls)}`.trimEnd(), clientSyn ? `frame ${frameOf(clientSyn)}: the client's SYN` : 'the first SYN is the client'));
  lines.push(pad(`endpoint server ${c.server.address}:${c.server.port} ${endpointOptions(c, 'server', calls)}`.trimEnd(), serverSyn ? `frame ${frameOf(serverSyn)}: the server's ${flagWords(serverSyn)}` : 'the server sent no SYN: its ISN is not known'));
  const delayWhy = {
    handshake: `half the handshake's round trip (${time(2 * c.delay)})`,
    'handshake-both': `the handshake's segments took a median ${time(c.delay)} from leaving to arriving`,
    reply: `half the round trip from the SYN to its answer (${time(2 * c.delay)})`,
    paired: 'the median time between a segment leaving and arriving',
    default: 'no round trip to measure in the capture: 10 ms',
  }[c.delaySource];
  lines.push(pad(`link client <-> server delay=${time(c.delay) === '0' ? '0' : time(c.delay)}`, delayWhy));
  lines.push('');
  type Entry = { t: number; text: string; comment: string; rank: number; wait?: boolean; after?: boolean };
  const entries: Entry[] = [];
  for (const f of rules) {
    const s = f.segment;
    const seen = f.frames.length === 1 ? `frame ${f.frames[0]}` : `frames ${f.frames.join(', ')}`;
    const fate = { drop: 'seen leaving, never arriving', corrupt: 'arrives with a bad TCP checksum', delay: `arrives ${time(s.arrival! - s.t)} after it left` }[f.kind];
    const text = f.kind === 'delay' ? `delay ${patternOf(s)} by ${time(f.by!)} ${countWord(f.count)}` : `${f.kind} ${patternOf(s)} ${countWord(f.count)}`;
    entries.push({ t: f.t, text, comment: `${seen}: ${describe(c, s)}, ${fate}`, rank: -1 });
  }
  // The window a crafted segment offers, as `inject wnd=` takes it: in bytes (windowScale.ts).
  const shifts = windowShifts(c.segments);
  for (const s of crafted) {
    const ack = hasFlag(s, 'ACK') ? ` ack=${s.ack}` : '';
    const len = s.len > 0 ? ` len=${s.len}` : '';
    const why = s.crafted ? `seen only arriving: ${s.from} never sent it` : `into the ${s.to}'s zero window, where Linux holds a FIN (tcp_snd_wnd_test): ${s.from}'s stack did not send it`;
    entries.push({ t: s.t, text: `inject ${s.from} -> ${s.to} ${flagWords(s)} seq=${s.seq}${ack}${len} wnd=${s.window * 2 ** shifts.get(s)!}`, comment: `frame ${frameOf(s)}: ${describe(c, s)}, ${why}`, rank: 10 });
  }
  for (const call of calls) {
    const bytes = call.call === 'send' ? ` ${call.bytes}` : '';
    const peer = call.call === 'connect' ? ` ${other(call.endpoint)}` : '';
    const from = call.frame !== undefined ? `frame ${call.frame}: ` : '';
    const text = `${call.endpoint} ${call.call}${peer}${bytes}`;
    if (call.onEof !== undefined) {
      entries.push({ t: call.t, text: `wait until ${call.endpoint} is CLOSE-WAIT`, comment: `frame ${call.onEof}: the ${other(call.endpoint)}'s FIN arrives`, rank: order(call), wait: true });
      entries.push({ t: call.t, text, comment: `${from}${call.why}`, rank: order(call), after: true });
    } else {
      entries.push({ t: call.t, text, comment: `${from}${call.why}`, rank: order(call) });
    }
  }
  entries.sort((a, b) => a.t - b.t || a.rank - b.rank || Number(a.after ?? false) - Number(b.after ?? false));
  let previous: number | undefined;
  for (const e of entries) {
    const at = time(e.t);
    // A wait begins when the statement before it ran; what follows it counts from when it finished.
    const prefix = e.after ? '+0' : e.wait || (previous !== undefined && time(previous) === at) ? ''.padEnd(at.length + 1) : `@${at}`;
    lines.push(pad(`${prefix} ${e.text}`, e.comment));
    previous = e.after ? undefined : e.t;
  }
  lines.push('');
  const last = c.segments[c.segments.length - 1];
  lines.push(pad(`end @${time(c.duration + 1000)}`, `a second after the last packet (frame ${last ? ((last.arrived ?? last.sent)!.frame) : 0})`));
  const app: CaptureAppCall[] = calls.map((k) => ({ t: k.t, endpoint: k.endpoint, call: k.call, result: 'ok', ...(k.bytes !== undefined ? { bytes: k.bytes } : {}) }));
  const summary = conversationSummary(c, name, app);
  return { text: `${lines.join('\n')}\n`, conversation: c, summary, calls };
}
