// Every diagnostic the packetdrill reader reports: a stable code and an English template with {0}
// placeholders (the editor translates the template through l10n, the CLI prints it as is), as the
// .tcpscenario language does (src/language/messages.ts). Keep codes stable; add, don't rename.

import type { MessageSpec } from '../../language/messages';

function m(code: string, template: string): MessageSpec {
  return { code, template };
}

export const PKT_MESSAGES = {
  // Lexer and parser (the grammar of google/packetdrill's parser.y).
  invalidCharacter: m('pkt-invalid-character', "unexpected character '{0}'"),
  unterminatedString: m('pkt-unterminated', "unterminated {0}: add its closing {1}"),
  expected: m('pkt-syntax', 'expected {0}; found {1}'),
  expectedAfter: m('pkt-syntax', "expected {0} after '{1}'; found {2}"),
  negativeTime: m('pkt-negative-time', 'a time cannot be negative: {0}'),
  rangeBackwards: m('pkt-time-range', 'the time range {0} ends before it starts'),
  anyTimeOutbound: m('pkt-time-star', "the time '*' can only be used with outbound packets (>)"),
  rangeOutbound: m('pkt-time-range', 'a time range can only be used with outbound packets (>)'),
  seqInconsistent: m('pkt-sequence', 'inconsistent TCP sequence numbers and payload size: {0} + {1} is not {2}'),
  outOfRange: m('pkt-out-of-range', '{0} {1} is out of range: expected 0 to {2}'),
  unknownFlag: m('pkt-unknown-flag', "unknown TCP flag '{0}'; packetdrill's flags are S F R P . (ACK) U E W, or - for none"),
  anyOptionsInbound: m('pkt-options', '<...> (any TCP options) can only be used with outbound packets (>)'),
  undefinedSymbol: m('pkt-symbol', "'{0}' is not defined: give it a value with --define={0}=N at the top of the script (packetdrill takes it from its command line)"),
  commandWithoutTime: m('pkt-syntax', 'a `command` needs a time, except the first line (init) and the last (cleanup)'),
  optionAfterEvents: m('pkt-syntax', "the option '--{0}' must come before the first event: packetdrill reads options only at the top of the script"),
  optionAfterInit: m('pkt-syntax', "the option '--{0}' must come before the init command (the `command` on the first line): packetdrill reads options only at the top of the script"),

  // What the simulation does not model (check.ts): an error at the construct, never a crash.
  unsupported: m('pkt-unsupported', '{0} is not modelled by the simulation'),
  unsupportedWhy: m('pkt-unsupported', '{0} is not modelled by the simulation: {1}'),
  unsupportedCall: m('pkt-unsupported', '{0}() is not modelled by the simulation: {1}'),
  unsupportedFlags: m('pkt-unsupported', "the flags {0} of {1}() are not modelled: {1} runs here without flags (MSG_NOSIGNAL aside)"),
  unsupportedSocketType: m('pkt-unsupported', '{0} sockets are not modelled: only TCP (SOCK_STREAM) is simulated'),
  unsupportedFcntl: m('pkt-unsupported', 'fcntl {0} is not modelled: fcntl runs here as F_GETFL and F_SETFL (O_NONBLOCK)'),
  unsupportedFastOpen: m('pkt-unsupported', '{0} (TCP Fast Open) is not modelled by the simulation'),
  unsupportedEncapsulation: m('pkt-unsupported', '{0} encapsulation is not modelled by the simulation'),
  unsupportedIpVersion: m('pkt-unsupported', '--ip_version={0} is not modelled: the simulation is IPv4 only'),
  unsupportedSyscall: m(
    'pkt-unsupported-call',
    "the system call '{0}' is not modelled; the simulation runs socket, bind, listen, accept, connect, read, recv, write, send, shutdown, close, setsockopt, getsockopt (SO_ERROR) and fcntl (O_NONBLOCK)",
  ),
  unsupportedSockopt: m(
    'pkt-unsupported-option',
    'the socket option {0} is not modelled; the simulation has SO_LINGER, SO_RCVBUF, SO_SNDBUF, SO_KEEPALIVE, SO_REUSEADDR, TCP_NODELAY, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT, TCP_USER_TIMEOUT, TCP_SYNCNT and TCP_CONGESTION',
  ),
  unsupportedCongestion: m('pkt-unsupported', 'the congestion control {0} is not modelled; the simulation has reno and cubic'),
  unsupportedGetsockopt: m('pkt-unsupported-option', 'getsockopt {0} is not modelled; the simulation reads SO_ERROR'),
  unsupportedScriptOption: m(
    'pkt-unsupported-option',
    "the option '--{0}' is not modelled; the simulation reads --tolerance_usecs, --tolerance_percent, --define, --strict_segments, --local_ip, --remote_ip, --bind_port, --connect_port and --ip_version",
  ),
  commandNotRun: m('pkt-command', 'shell commands are not run (the simulation has no shell): {0}'),
  badScriptOption: m('pkt-option-value', "'--{0}' expects {1}; found '{2}'"),

  // Meaning (check.ts): what a call's arguments or a packet say.
  expectedArgs: m('pkt-arguments', "'{0}' takes {1} arguments; found {2}"),
  expectedArg: m('pkt-arguments', "argument {0} of '{1}' should be {2}; found {3}"),
  unknownFd: m('pkt-fd', 'file descriptor {0} is not open here (socket() or accept() gives one)'),
  secondSocket: m('pkt-fd', 'a second connection is not modelled: the simulation has one local socket (and one accepted from it)'),
  windowRequired: m('pkt-window', 'an inbound packet needs its window: add win N (packetdrill requires it)'),
  optionPadding: m('pkt-options', 'the TCP options take {0} bytes, not a multiple of 4: pad them with nop (packetdrill requires it)'),
  packetBeforeSocket: m('pkt-order', 'a packet before any socket: the local endpoint does not exist yet'),
  resultNotNumber: m('pkt-result', "the result of '{0}' should be {1}; found {2}"),
  unknownErrno: m(
    'pkt-errno',
    "'{0}' is not an errno the simulation reports; it reports ECONNREFUSED, ECONNRESET, ETIMEDOUT, EPIPE, ENOTCONN, EISCONN, EALREADY, EINPROGRESS, EAGAIN, EWOULDBLOCK, EBADF, EINVAL and EADDRINUSE",
  ),
} as const;

export type PktMessageId = keyof typeof PKT_MESSAGES;

/** Every template, for the localisation test and the editor. */
export const ALL_PKT_MESSAGES: readonly MessageSpec[] = Object.values(PKT_MESSAGES);

/**
 * The English phrases the reader passes as arguments of these templates (what was expected, why a
 * construct is not modelled...): each is an l10n key, translated where it is shown (VS Code).
 */
export const PKT_PHRASES = {
  // parser.ts: what was expected, what was found.
  aValue: 'a value',
  relativeRange: "'+' (a relative range is +A~+B)",
  aTimeToStart: 'a time (like 0, +0.1, * or 0.1~0.2) to start an event',
  aTime: 'a time in seconds',
  anAction: 'a packet (< or >), a system call, a `command` or a %{ code }% block',
  colonAfterHeader: "':' after the header",
  aNumber: 'a number',
  endOfOptions: "',' or '>' to end the TCP options",
  endOfEvent: 'the end of the event',
  theFlags: 'the TCP flags (like S, S., ., P., F., R, or - for none)',
  theSequence: 'the sequence numbers START:END(LENGTH), like 0:0(0) or 1:1001(1000)',
  afterFlags: 'the flags',
  sequenceColon: "':' (START:END(LENGTH))",
  theEndSequence: 'the end sequence number',
  lengthParen: "'(' and the payload length",
  theLength: 'the payload length',
  aTcpOption: 'a TCP option (nop, mss N, wscale N, sackOK, sack L:R, TS val N ecr N, ...)',
  aKnownTcpOption: 'a TCP option (nop, eol, mss, wscale, sackOK, sack, TS, md5, FO, FOEXP, ECN)',
  sackColon: "':' (a SACK block is LEFT:RIGHT)",
  aCallName: 'a system call name',
  endOfArguments: "',' or ')' to end the arguments",
  theResult: "'=' and the result the call should return (like = 0, or = -1 ECONNREFUSED (Connection refused))",
  endOfNote: "')' to end the note",
  commaOrParen: "',' or ')'",
  commaOrBracket: "',' or ']'",
  commaOrBrace: "',' or '}'",
  anExpression: 'an expression (a number, a NAME, a "string", ..., [list] or {struct})',
  endOfScript: 'the end of the script',
  aString: 'a string',
  aCommand: 'a `command`',
  aCodeBlock: 'a %{ code }% block',
  codeBlock: 'code block',
  // parser.ts: numbers out of range (parser.y's words).
  sourcePort: 'source port',
  destinationPort: 'destination port',
  startSeq: 'TCP start sequence number',
  endSeq: 'TCP end sequence number',
  payloadSize: 'TCP payload size',
  ackValue: 'TCP ack sequence number',
  winValue: 'TCP window value',
  urgValue: 'urg_ptr value',
  mssValue: 'mss value',
  wscaleValue: 'window scale shift count',
  sackLeft: 'TCP SACK left sequence number',
  sackRight: 'TCP SACK right sequence number',
  tsVal: 'ts val',
  ecrVal: 'ecr val',
  // check.ts: constructs and reasons.
  python: 'python (%{ }%)',
  pythonWhy: "such blocks read tcp_info and the socket's counters, which are not modelled",
  ipv4Only: 'the simulation is IPv4 only',
  onlyTcp: 'only TCP is simulated',
  explicitIpHeader: 'an explicit IP header',
  addressesFromOptions: "addresses come from the script's options",
  ipInfo: 'the IP TOS, TTL and flow label',
  explicitPorts: 'explicit ports',
  portsWhy: 'the script drives one connection, whose ports the simulation chooses',
  ecnFlags: 'the ECE, CWR and AE flags',
  urgentPointer: 'the urgent pointer',
  md5: 'the TCP MD5 signature option',
  fastOpen: 'TCP Fast Open',
  tcpInfoWhy: 'its counters and timers are not kept in its form',
  ioctlWhy: 'ioctls (SIOCINQ, SIOCOUTQ...) read kernel counters the simulation does not keep',
  pollWhy: 'poll and epoll wait on readiness events the simulation does not report',
  selectWhy: 'select waits on readiness events the simulation does not report',
  sendmsgWhy: 'sendmsg carries control messages (zerocopy, timestamps) that are not modelled; use write or send',
  recvmsgWhy: 'recvmsg carries control messages (timestamps, errors) that are not modelled; use read or recv',
  sendfileWhy: 'sendfile is not modelled; use write',
  spliceWhy: 'splice is not modelled; use write',
  blockingRead: "a blocking read (...T) waits while the script goes on, and the simulation's calls never block: read once the data is there",
  // check.ts: what an argument or a result should be.
  aFileDescriptor: 'a file descriptor',
  aNumberOrErrno: 'a number (or -1 with an errno)',
  aNumberOfBytes: 'a number of bytes',
  shutHow: 'SHUT_RD, SHUT_WR or SHUT_RDWR',
  flag01: '[0] or [1]',
  count: '[N]',
  seconds: '[N] (seconds)',
  milliseconds: '[N] (milliseconds)',
  aName: '"NAME"',
  linger: '{onoff=N, linger=N}',
  soError: '[0] or [ERRNO]',
  microseconds: 'a positive number of microseconds',
  percentage: 'a percentage from 0 to 100',
  anAddress: 'an IPv4 address',
  aPort: 'a port from 1 to 65535',
  nothing: 'nothing',
  aList: 'a list',
  aStruct: 'a struct',
  anOr: 'an expression with |',
  anAssignment: 'an assignment',
  aCall: 'a call',
} as const;
