// Help text for hover and completion, in English. Every string here is an l10n key: the
// editor shows `l10n.t(text)` (zh-cn and zh-tw bundles in l10n/), so keep each one a whole
// sentence and change the bundles when you change a string.

import type { Errno } from '../../engine/errno';
import type { TcpFlag, TcpState } from '../../engine/trace';
import { SETTINGS } from '../vocabulary';

export interface StateHelp {
  /** What the state means, in one or two sentences. */
  meaning: string;
  /** Events (segment or call) that move an endpoint into this state. */
  entered: string[];
  /** Events that move it out. */
  left: string[];
  /** RFC 9293 sections that define it. */
  sections: string[];
}

export const STATE_HELP: Readonly<Record<TcpState, StateHelp>> = {
  CLOSED: {
    meaning: 'No connection exists: there is no TCB at all. Every connection starts and ends here.',
    entered: [
      'LAST-ACK: the ACK of its FIN arrives',
      'TIME-WAIT: the 2*MSL timer expires',
      'any synchronized state: a valid RST arrives, or the application aborts',
      'any state: retransmissions or the user timeout give up',
    ],
    left: ['active open (connect): sends SYN, goes to SYN-SENT', 'passive open (listen): goes to LISTEN'],
    sections: ['3.3.2', '3.10.7.1'],
  },
  LISTEN: {
    meaning: 'A server waits for a connection request (a SYN) from any remote endpoint.',
    entered: ['CLOSED: passive open (listen)', 'SYN-RECEIVED: a RST arrives on a connection that came from a passive open'],
    left: ['a SYN arrives: replies SYN,ACK, goes to SYN-RECEIVED', 'close: goes to CLOSED'],
    sections: ['3.3.2', '3.10.7.2'],
  },
  'SYN-SENT': {
    meaning: 'The endpoint has sent its SYN (the first step of the three-way handshake) and waits for the peer\'s SYN and ACK.',
    entered: ['CLOSED: active open (connect) sends SYN'],
    left: [
      'SYN,ACK acknowledging its SYN: replies ACK, goes to ESTABLISHED',
      'a SYN without ACK (simultaneous open): replies SYN,ACK, goes to SYN-RECEIVED',
      'RST acknowledging its SYN (connection refused): goes to CLOSED',
      'the SYN retransmissions give up, or close: goes to CLOSED',
    ],
    sections: ['3.3.2', '3.5', '3.10.7.3'],
  },
  'SYN-RECEIVED': {
    meaning: 'The endpoint has received a SYN and sent its own; it waits for the ACK of its SYN (the third step of the handshake).',
    entered: ['LISTEN: a SYN arrives, SYN,ACK is sent', 'SYN-SENT: a SYN arrives (simultaneous open)'],
    left: [
      'the ACK of its SYN: goes to ESTABLISHED',
      'close: sends FIN, goes to FIN-WAIT-1',
      'RST: back to LISTEN after a passive open, else CLOSED',
    ],
    sections: ['3.3.2', '3.5', '3.10.7.4'],
  },
  ESTABLISHED: {
    meaning: 'The connection is open: the handshake is done and data flows in both directions.',
    entered: ['SYN-SENT: SYN,ACK arrives and the ACK is sent', 'SYN-RECEIVED: the ACK of its SYN arrives'],
    left: [
      'close: sends FIN, goes to FIN-WAIT-1 (active close)',
      'a FIN arrives: replies ACK, goes to CLOSE-WAIT (passive close)',
      'a valid RST arrives, or abort: goes to CLOSED',
    ],
    sections: ['3.3.2', '3.8', '3.10.7.4'],
  },
  'FIN-WAIT-1': {
    meaning: 'The application has closed: the endpoint has sent its FIN and waits for it to be acknowledged. It can still receive data.',
    entered: ['ESTABLISHED or SYN-RECEIVED: close sends FIN'],
    left: [
      'the ACK of its FIN: goes to FIN-WAIT-2',
      'a FIN that does not acknowledge its own (simultaneous close): replies ACK, goes to CLOSING',
      'a FIN that also acknowledges its own: replies ACK, goes to TIME-WAIT',
    ],
    sections: ['3.3.2', '3.6', '3.10.7.4'],
  },
  'FIN-WAIT-2': {
    meaning: 'Its FIN has been acknowledged: this direction is closed (half-close). The endpoint waits for the peer\'s FIN and can still receive data.',
    entered: ['FIN-WAIT-1: the ACK of its FIN arrives'],
    left: ['the peer\'s FIN arrives: replies ACK, goes to TIME-WAIT'],
    sections: ['3.3.2', '3.6', '3.6.1', '3.10.7.4'],
  },
  'CLOSE-WAIT': {
    meaning: 'The peer has closed its direction (its FIN arrived). The endpoint may still send; it waits for its own application to close.',
    entered: ['ESTABLISHED: a FIN arrives and is acknowledged'],
    left: ['close: sends FIN, goes to LAST-ACK', 'a valid RST arrives, or abort: goes to CLOSED'],
    sections: ['3.3.2', '3.6', '3.10.4'],
  },
  CLOSING: {
    meaning: 'Both ends sent a FIN at the same time (simultaneous close). The endpoint waits for the ACK of its own FIN.',
    entered: ['FIN-WAIT-1: the peer\'s FIN arrives before the ACK of its own FIN'],
    left: ['the ACK of its FIN: goes to TIME-WAIT'],
    sections: ['3.3.2', '3.6', '3.10.7.4'],
  },
  'LAST-ACK': {
    meaning: 'The passive closer has sent its FIN after the peer\'s and waits for the last ACK. The FIN is retransmitted until it is acknowledged.',
    entered: ['CLOSE-WAIT: close sends FIN'],
    left: ['the ACK of its FIN: goes to CLOSED', 'a valid RST arrives: goes to CLOSED'],
    sections: ['3.3.2', '3.6', '3.10.7.4'],
  },
  'TIME-WAIT': {
    meaning:
      'The active closer waits 2*MSL before it forgets the connection: if its last ACK is lost, the peer retransmits its FIN and the ACK can be sent again; and old duplicate segments die out before the same pair of ports is used again.',
    entered: [
      'FIN-WAIT-2: the peer\'s FIN arrives and is acknowledged',
      'CLOSING: the ACK of its FIN arrives',
      'FIN-WAIT-1: a FIN that also acknowledges its own',
    ],
    left: ['the 2*MSL timer expires: goes to CLOSED', 'a retransmitted FIN: the ACK is sent again and the timer restarts'],
    sections: ['3.3.2', '3.6', '3.10.7.4', '3.10.8'],
  },
};

export const FLAG_HELP: Readonly<Record<TcpFlag | 'data' | 'none', string>> = {
  SYN: 'SYN: synchronize sequence numbers. Opens a connection and carries the initial sequence number (ISN); it uses one sequence number.',
  ACK: 'ACK: the acknowledgment number is valid; it names the next byte the sender expects. Every segment after the first SYN carries it.',
  FIN: 'FIN: the sender has no more data; it closes one direction of the connection and uses one sequence number.',
  RST: 'RST: reset. Aborts the connection at once, or refuses a segment that belongs to no connection.',
  PSH: 'PSH: push. Asks the receiver to hand the data to the application without waiting.',
  URG: 'URG: the urgent pointer is valid (rarely used; the engine ignores it as RFC 9293 allows).',
  data: 'data: any segment that carries payload bytes (len > 0), whatever its flags.',
  none: 'none: a segment with no flag at all (not even ACK), such as a crafted probe.',
};

/** What each statement or action word does. Keys are the words as written (lower case). */
export const STATEMENT_HELP: Readonly<Record<string, string>> = {
  scenario: 'scenario "title": names the scenario; the title is shown in the diagram and in reports.',
  profile: 'profile rfc|linux: which TCP behaviour to simulate. rfc follows RFC 9293 as written; linux behaves like the Linux stack.',
  set: 'set key=value ...: changes a setting for every endpoint, such as msl=30s or rto=200ms.',
  endpoint: 'endpoint NAME [ADDRESS[:PORT]] [isn=N] [setting=value ...]: declares a TCP endpoint (a host with a port).',
  link: 'link A <-> B [delay=D] [loss=P%] ...: the network path between two endpoints: its delay and random faults.',
  listen: 'listen: passive open. The endpoint waits for connection requests (CLOSED -> LISTEN).',
  connect: 'connect PEER: active open. Sends a SYN to the peer, the first step of the three-way handshake (CLOSED -> SYN-SENT).',
  send: 'send N | send "text": the application queues N bytes (or the text) for sending; TCP sends them as the window allows.',
  receive: 'receive [N]: the application reads N bytes, waiting until N have arrived or the data ends (without N: everything available); reading opens the window again.',
  close: 'close: orderly close. A FIN is sent after all queued data; the other direction stays open until the peer closes too.',
  shutdown: 'shutdown [read|write|both]: half-close. shutdown (or shutdown write, SHUT_WR) sends FIN for this direction only and keeps receiving; shutdown read (SHUT_RD) sends nothing but stops the application reading; shutdown both does both.',
  abort: 'abort: sends a RST and discards the connection at once (CLOSED), dropping any queued data.',
  crash: 'crash: the host goes down and silently loses all its connections; nothing is sent and segments to it are lost. The peer finds out only through its own timers (keep-alive, retransmission).',
  restart: 'restart: a crashed host comes back up with no connections; it answers segments of its old connections with RST (half-open discovery).',
  drop: 'drop PATTERN [COUNT]: the network loses matching segments.',
  duplicate: 'duplicate PATTERN [COUNT]: the network delivers matching segments twice.',
  corrupt: 'corrupt PATTERN [COUNT]: matching segments arrive with a bad checksum and the receiver discards them.',
  delay: 'delay PATTERN by D [COUNT]: matching segments arrive D later than the link delay.',
  reorder: 'reorder PATTERN [COUNT]: a matching segment is held back by one more link delay, so segments sent after it overtake it.',
  inject: 'inject A -> B FLAGS seq=N [ack=N] [len=N]: sends a crafted segment, such as an old duplicate SYN.',
  expect: 'expect ...: checks the simulation at this time; a failed expectation is reported at its line and stops the debugger.',
  end: 'end @T: stops the run at time T, even if timers are still pending.',
  wait: 'wait until NAME is STATE [with PEER] | wait until NAME received N: the timeline holds here until it is so; +D after it counts from that moment. A wait that never comes true ends the run as a failed expectation.',
  until: 'until: what the wait waits for: NAME is STATE, or NAME received N (bytes in all).',
  next: 'expect next A -> B FLAGS [seq=N ack=N len=N wnd=N] [options|nooptions] [joined] [within D | within -D +D | anytime]: the next segment A sends B (after the one the previous expect next took) is this one, sent within the window around this line\'s time; the timeline holds until it is sent, and +D after it counts from then (packetdrill\'s > lines).',
  within: 'within D: the segment may leave up to D before or after the line\'s time; within -D1 +D2: up to D1 before and D2 after.',
  anytime: 'anytime: the segment may leave at any time (packetdrill\'s *).',
  joined: 'joined: consecutive data segments may make up the one expected, as a NIC splits what TSO or GSO hands it (packetdrill joins them unless --strict_segments).',
  nooptions: 'nooptions: the segment carries no TCP option at all.',
  raw: 'raw: an endpoint with no TCP of its own (like packetdrill\'s script side): it sends only what inject lines say, and segments that reach it are recorded, never answered.',
  ok: 'expect NAME CALL ok: the latest CALL of the endpoint (connect, send, receive, close, shutdown, listen, abort) succeeded, and no error was reported for it since.',
  failed: 'expect NAME CALL failed [ERR]: the latest CALL of the endpoint failed; ERR is the errno Linux returns (ECONNRESET) or RFC 9293\'s words in quotes ("connection reset").',
  read: 'shutdown read (SHUT_RD): nothing is sent; data still arrives and is acknowledged, and a read returns the end of the data instead of waiting. Once the FIN is out too, Linux answers new data with a RST.',
  write: 'shutdown write (SHUT_WR, the same as shutdown): sends FIN after the queued data; the endpoint keeps receiving.',
  both: 'shutdown both (SHUT_RDWR): shutdown read and shutdown write at once: the FIN goes out, and data that arrives after it gets a RST (Linux).',
  is: 'expect NAME is STATE: the endpoint is in this state at this time.',
  received: 'expect NAME received N: the application of this endpoint has been delivered N bytes so far.',
  cwnd: 'expect NAME cwnd is N [with PEER]: the congestion window (RFC 5681) of the endpoint\'s connection is N bytes at this time.',
  ssthresh: 'expect NAME ssthresh is N [with PEER]: the slow-start threshold (RFC 5681) of the endpoint\'s connection is N bytes at this time.',
  with: 'with PEER: which of the endpoint\'s connections, when it has several.',
  by: 'by D: how much later a delayed segment arrives.',
  once: 'once: the fault applies to the first matching segment only.',
  twice: 'twice: the fault applies to the first two matching segments.',
  always: 'always: the fault applies to every matching segment.',
  times: 'N times: the fault applies to the first N matching segments.',
};

/** Action verbs whose help differs from a statement keyword spelled the same (`NAME set` against `set`). */
export const VERB_HELP: Readonly<Record<string, string>> = {
  set: 'NAME set key=value ...: the application changes its socket options from now on (setsockopt): linger, nodelay, user-timeout, rcvbuf, sndbuf, keepalive and its idle, interval and probes, syn-retries, autoread. For every connection of the endpoint, open or to come.',
};

/** What each errno means when a call fails with it (Linux's cases). */
export const ERRNO_HELP: Readonly<Record<Errno, string>> = {
  ECONNREFUSED: 'ECONNREFUSED (connection refused): a RST answered the SYN; nobody listens on that port.',
  ECONNRESET: 'ECONNRESET (connection reset by peer): a RST arrived on an open connection.',
  ETIMEDOUT: 'ETIMEDOUT (connection timed out): the retransmissions, the user timeout or keep-alive gave up.',
  EPIPE: 'EPIPE (broken pipe): sending on a connection whose sending side is closed or that no longer exists; also a RST in CLOSE-WAIT.',
  ENOTCONN: 'ENOTCONN (not connected): the call needs a connection and there is none.',
  EISCONN: 'EISCONN (already connected): connect on a socket that is connected.',
  EALREADY: 'EALREADY (already in progress): connect while the SYN is still out.',
  EADDRINUSE: 'EADDRINUSE (address in use): the port already has a listener.',
  EADDRNOTAVAIL: 'EADDRNOTAVAIL (cannot assign address): the same four-tuple is still in TIME-WAIT.',
  EBADF: 'EBADF (bad descriptor): close on a socket already closed.',
  EINVAL: 'EINVAL (invalid argument): the call makes no sense here, such as connecting to itself.',
};

export const PROFILE_HELP: Readonly<Record<string, string>> = {
  rfc: 'rfc: RFC 9293 as written: no delayed ACK, MSL of 2 minutes (TIME-WAIT lasts 4 minutes).',
  linux: 'linux: like the Linux stack: 60 s TIME-WAIT, delayed ACK (a prompt close merges ACK and FIN), RST when closing with unread data.',
};

/** Options of `link`, `endpoint` and segment patterns that are not settings. */
export const OPTION_HELP: Readonly<Record<string, string>> = {
  delay: 'delay=D: one-way delay of the link (default 10ms).',
  jitter: 'jitter=D: random extra delay of up to D per segment, drawn from the seeded generator.',
  loss: 'loss=P%: probability that a segment is lost.',
  dup: 'dup=P%: probability that a segment is duplicated.',
  reorder: 'reorder=P%: probability that a segment is held back by one more link delay, so later ones overtake it.',
  corrupt: 'corrupt=P%: probability that a segment arrives with a bad checksum.',
  seed: 'seed=N: seed of the random generator, so that a lossy run is the same every time.',
  isn: 'isn=N: initial sequence number (ISS) of the endpoint\'s first connection; later ones follow the RFC 9293 clock.',
  seq: 'seq=N: the segment\'s sequence number (absolute).',
  ack: 'ack=N: the segment\'s acknowledgment number (absolute).',
  len: 'len=N: the number of payload bytes in the segment.',
  wnd: 'wnd=N: the window the crafted segment advertises.',
  mss: 'mss=N: TCP option Maximum Segment Size (kind 2) of the crafted segment, usually on a SYN.',
  wscale: 'wscale=N: TCP option Window Scale (kind 3), a shift count from 0 to 14 (RFC 7323).',
  sackok: 'sackok: TCP option SACK-Permitted (kind 4), on a SYN (RFC 2018).',
  ts: 'ts=VAL:ECR: TCP option Timestamps (kind 8): the sender\'s clock value and the echoed one (RFC 7323).',
  sack: 'sack=LEFT:RIGHT[,LEFT:RIGHT...]: TCP option SACK (kind 5): up to 4 blocks of data received, as absolute sequence numbers (RFC 2018).',
};

/** Section headings and phrases the hover composes around the tables above. */
export const HOVER_PHRASES = {
  entered: 'Entered from',
  left: 'Left by',
  rfc: 'RFC 9293 section {0}',
  breakOnState: 'Break on this state',
  breakOnStateTooltip: 'Add a function breakpoint on {0}',
  endpointAddress: 'Address: {0}',
  endpointIsn: 'Initial sequence number: {0}',
  endpointDeclared: 'Declared on line {0}',
  endpointUses: 'Used on {0} lines',
  undeclaredEndpoint: 'Not declared: add a line like endpoint {0} 10.0.0.1',
  timeAbsolute: 'Runs at {0}',
  timeRelative: 'Runs at {0}: {1} after the previous statement',
  timeAfterWait: 'Runs {0} after the wait of line {1} finishes',
  timeAbsoluteAfterWait: 'Runs at {0}, or when the statements before it have run if that is later (the wait of line {1} ends when the run gets there)',
  timeLaterThan: 'Runs at {0} at the earliest: after the wait of line {1}, its time is known only when the run gets there',
  hintAfterWait: 'wait (line {0}) + {1}',
  hintOrLater: '@{0} or later',
  socketOption: 'Socket option: {0}',
} as const;

/** Every English string of this module, for the l10n completeness test and the bundle. */
export function allHelpStrings(): string[] {
  const strings = new Set<string>();
  for (const help of Object.values(STATE_HELP)) {
    strings.add(help.meaning);
    for (const line of [...help.entered, ...help.left]) strings.add(line);
  }
  for (const table of [FLAG_HELP, STATEMENT_HELP, VERB_HELP, ERRNO_HELP, PROFILE_HELP, OPTION_HELP, HOVER_PHRASES]) {
    for (const text of Object.values(table)) strings.add(text);
  }
  for (const setting of SETTINGS) strings.add(setting.doc);
  return [...strings];
}
