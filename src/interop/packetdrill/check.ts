// What of a packetdrill script the simulation can run (docs/packetdrill.md): it walks the parsed script,
// reports each construct the engine does not model as an error at its line and column (python blocks,
// ioctls, tcp_info, TCP Fast Open, ECN, GSO, UDP and ICMP, IPv6, explicit IP headers, tunnels...) and
// each shell command as a warning (not run), and builds the model (model.ts) of what it can run: one
// local socket (and the one it accepts), its calls with the results the script expects, and the
// segments in and out. Pure.

import type { TcpFlag, TcpOptions } from '../../engine/trace';
import { diagnostic, type Diagnostic, type Range } from '../../language/diagnostic';
import type { MessageSpec } from '../../language/messages';
import type { PktEvent, PktExpr, PktOption, PktPacket, PktScript, PktSyscall, PktTcpOption } from './ast';
import { PKT_MESSAGES, PKT_PHRASES as P } from './messages';
import { PKT_DEFAULTS, type PktCallStep, type PktModel, type PktPacketStep, type PktResult, type PktSetting, type PktStep } from './model';

export interface PktCheckResult {
  model: PktModel;
  diagnostics: Diagnostic[];
}

/** Errnos a call's result may name: those the simulation reports, and what a non-blocking socket says. */
export const PKT_ERRNOS = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTCONN', 'EISCONN', 'EALREADY', 'EINPROGRESS', 'EAGAIN', 'EWOULDBLOCK', 'EBADF', 'EINVAL', 'EADDRINUSE'];

/** The system calls the simulation runs (and the names packetdrill scripts use for them). */
const CALLS: Record<string, PktCallStep['call']> = {
  socket: 'socket',
  bind: 'bind',
  listen: 'listen',
  accept: 'accept',
  accept4: 'accept',
  connect: 'connect',
  read: 'read',
  recv: 'read',
  recvfrom: 'read',
  write: 'write',
  send: 'write',
  sendto: 'write',
  shutdown: 'shutdown',
  close: 'close',
  setsockopt: 'setsockopt',
  getsockopt: 'getsockopt',
  fcntl: 'fcntl',
};

/** Why some calls are not modelled, for the message. */
const NOT_MODELLED: Record<string, string> = {
  ioctl: P.ioctlWhy,
  poll: P.pollWhy,
  epoll_create: P.pollWhy,
  epoll_create1: P.pollWhy,
  epoll_ctl: P.pollWhy,
  epoll_wait: P.pollWhy,
  select: P.selectWhy,
  sendmsg: P.sendmsgWhy,
  recvmsg: P.recvmsgWhy,
  sendfile: P.sendfileWhy,
  splice: P.spliceWhy,
};

/** setsockopt options and the scenario's setting each becomes ('' = no effect here). */
const SOCKET_OPTIONS: Record<string, { key: string; kind: 'flag' | 'bytes' | 'seconds' | 'ms' | 'count' | 'linger' | 'name' | 'none' }> = {
  SO_REUSEADDR: { key: '', kind: 'none' },
  SO_REUSEPORT: { key: '', kind: 'none' },
  SO_LINGER: { key: 'linger', kind: 'linger' },
  SO_RCVBUF: { key: 'rcvbuf', kind: 'bytes' },
  SO_SNDBUF: { key: 'sndbuf', kind: 'bytes' },
  SO_KEEPALIVE: { key: 'keepalive', kind: 'flag' },
  TCP_NODELAY: { key: 'nodelay', kind: 'flag' },
  TCP_KEEPIDLE: { key: 'keepalive-idle', kind: 'seconds' },
  TCP_KEEPINTVL: { key: 'keepalive-interval', kind: 'seconds' },
  TCP_KEEPCNT: { key: 'keepalive-probes', kind: 'count' },
  TCP_USER_TIMEOUT: { key: 'user-timeout', kind: 'ms' },
  TCP_SYNCNT: { key: 'syn-retries', kind: 'count' },
  TCP_CONGESTION: { key: 'cc', kind: 'name' },
};

const FLAG_OF: Record<string, TcpFlag> = { S: 'SYN', F: 'FIN', R: 'RST', P: 'PSH', '.': 'ACK', U: 'URG' };

/** Script options that change nothing here. */
const HARMLESS_OPTIONS = ['verbose', 'dry_run', 'debug'];

/** A command's first line, and "..." when there is more. */
function firstLine(command: string): string {
  const lines = command.trim().split('\n');
  return lines.length > 1 ? `${lines[0].trim()} ...` : lines[0];
}

class Checker {
  readonly diagnostics: Diagnostic[] = [];
  readonly steps: PktStep[] = [];
  private listenFd?: number;
  private socketFd?: number;
  private connFd?: number;
  private role?: 'server' | 'client';
  /** File descriptors a call the model refused gave (a second socket...): their later uses are not
   *  reported again (the refusal said what is wrong). */
  private readonly refusedFds = new Set<number>();
  readonly model: PktModel = {
    role: 'server',
    local: { address: PKT_DEFAULTS.localAddress, port: PKT_DEFAULTS.port },
    remote: { address: PKT_DEFAULTS.remoteAddress, port: PKT_DEFAULTS.ephemeralPort },
    toleranceUs: PKT_DEFAULTS.toleranceUs,
    tolerancePercent: PKT_DEFAULTS.tolerancePercent,
    strictSegments: false,
    steps: this.steps,
  };
  private bindPort?: number;
  private connectPort?: number;
  private connectAddress?: string;

  report(spec: MessageSpec, args: string[], range: Range, severity: 'error' | 'warning' = 'error'): void {
    this.diagnostics.push(diagnostic(range, severity, spec.code, spec.template, args));
  }

  unsupported(what: string, range: Range, why?: string): false {
    if (why) this.report(PKT_MESSAGES.unsupportedWhy, [what, why], range);
    else this.report(PKT_MESSAGES.unsupported, [what], range);
    return false;
  }

  /** Reports and answers false (an argument or a call the model cannot take). */
  refuse(spec: MessageSpec, args: string[], range: Range): false {
    this.report(spec, args, range);
    return false;
  }

  run(script: PktScript): PktModel {
    for (const option of script.options) this.option(option);
    for (const command of [script.initCommand, script.cleanupCommand]) {
      if (command) this.report(PKT_MESSAGES.commandNotRun, [firstLine(command.command)], command.range, 'warning');
    }
    for (const event of script.events) this.event(event);
    this.model.role = this.role ?? 'server';
    const [local, remote] = [this.model.local, this.model.remote];
    if (this.model.role === 'client') {
      local.port = PKT_DEFAULTS.ephemeralPort;
      remote.port = this.connectPort ?? remote.port;
      if (this.connectAddress) remote.address = this.connectAddress;
      if (remote.port === PKT_DEFAULTS.ephemeralPort) remote.port = PKT_DEFAULTS.port;
    } else {
      local.port = this.bindPort ?? local.port;
    }
    return this.model;
  }

  private option(option: PktOption): void {
    const value = option.value ?? '';
    const bad = (expected: string) => this.report(PKT_MESSAGES.badScriptOption, [option.name, expected, value], option.range);
    switch (option.name) {
      case 'tolerance_usecs': {
        const n = Number(value);
        if (!Number.isInteger(n) || n <= 0) return bad(P.microseconds);
        this.model.toleranceUs = n;
        return;
      }
      case 'tolerance_percent': {
        const n = Number(value);
        if (!Number.isFinite(n) || n < 0 || n > 100) return bad(P.percentage);
        this.model.tolerancePercent = n;
        return;
      }
      case 'strict_segments':
        this.model.strictSegments = true;
        return;
      case 'local_ip':
      case 'remote_ip':
        if (!/^\d+\.\d+\.\d+\.\d+$/.test(value)) return bad(P.anAddress);
        this.model[option.name === 'local_ip' ? 'local' : 'remote'].address = value;
        return;
      case 'bind_port':
      case 'connect_port': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1 || n > 65535) return bad(P.aPort);
        if (option.name === 'bind_port') this.bindPort = n;
        else this.connectPort = n;
        return;
      }
      case 'ip_version':
        if (value !== 'ipv4') this.report(PKT_MESSAGES.unsupportedIpVersion, [value], option.range);
        return;
      case 'define':
        return;
      default:
        if (HARMLESS_OPTIONS.includes(option.name)) return;
        this.report(PKT_MESSAGES.unsupportedScriptOption, [option.name], option.range);
    }
  }

  private event(event: PktEvent): void {
    const action = event.action;
    switch (action.kind) {
      case 'command':
        this.report(PKT_MESSAGES.commandNotRun, [firstLine(action.command)], action.range, 'warning');
        return;
      case 'code':
        this.unsupported(P.python, action.range, P.pythonWhy);
        return;
      case 'packet':
        return this.packet(event, action);
      case 'syscall':
        return this.syscall(event, action);
    }
  }

  // ---- packets ---------------------------------------------------------------------------------

  private packet(event: PktEvent, p: PktPacket): void {
    let ok = true;
    const no = (what: string, range: Range, why?: string) => {
      this.unsupported(what, range, why);
      ok = false;
    };
    if (p.protocol !== 'tcp') no(p.protocol === 'udp' ? 'UDP' : 'ICMP', p.protocolRange ?? p.range, P.onlyTcp);
    for (const extra of p.extras) {
      if (extra.what === 'ipv6') no('IPv6', extra.range, P.ipv4Only);
      else if (extra.what === 'ipv4') no(P.explicitIpHeader, extra.range, P.addressesFromOptions);
      else if (extra.what === 'ip-info') no(/ect|ce\b/i.test(extra.text) ? 'ECN' : P.ipInfo, extra.range);
      else {
        this.report(PKT_MESSAGES.unsupportedEncapsulation, [extra.what === 'encap' ? 'PSP' : extra.what.toUpperCase()], extra.range);
        ok = false;
      }
    }
    if (p.protocol !== 'tcp') return;
    if (p.ports) no(P.explicitPorts, p.ports.range, P.portsWhy);
    if (p.ace) no('AccECN', p.ace.range);
    const flags: TcpFlag[] = [];
    for (const letter of p.flags) {
      const flag = FLAG_OF[letter];
      if (flag) {
        if (!flags.includes(flag)) flags.push(flag);
      } else if (ok) no('ECN', p.flagsRange, P.ecnFlags);
    }
    if (p.urg && p.urg.value !== 0) no(P.urgentPointer, p.urg.range);
    let options: TcpOptions | 'any' | undefined;
    if (p.options === 'any') options = 'any';
    else if (p.options) {
      options = {};
      for (const o of p.options) if (!this.tcpOption(o, options)) ok = false;
    }
    if (p.direction === '<' && p.win === undefined) {
      this.report(PKT_MESSAGES.windowRequired, [], p.flagsRange);
      ok = false;
    }
    if (Array.isArray(p.options)) {
      // tcp_packet.c: the options must fill whole 32-bit words.
      const size: Record<string, number> = { nop: 1, eol: 1, mss: 4, wscale: 3, sackOK: 2, TS: 10 };
      const bytes = p.options.reduce((sum, o) => sum + (o.name === 'sack' ? 2 + 8 * (o.blocks?.length ?? 0) : (size[o.name] ?? 0)), 0);
      if (ok && bytes % 4 !== 0 && p.options.every((o) => o.name in size || o.name === 'sack')) {
        this.report(PKT_MESSAGES.optionPadding, [String(bytes)], p.optionsRange ?? p.range);
        ok = false;
      }
    }
    if (this.socketFd === undefined && this.listenFd === undefined) {
      this.report(PKT_MESSAGES.packetBeforeSocket, [], p.directionRange);
      ok = false;
    }
    if (!ok) return;
    const step: PktPacketStep = { kind: p.direction === '<' ? 'inbound' : 'outbound', line: event.line, time: event.time, range: p.range, flags, seq: p.seq.start, len: p.seq.length };
    if (p.ack !== undefined && flags.includes('ACK')) step.ack = p.ack.value;
    if (p.win !== undefined) step.win = p.win.value;
    if (options !== undefined) step.options = options;
    this.steps.push(step);
  }

  private tcpOption(o: PktTcpOption, into: TcpOptions): boolean {
    switch (o.name) {
      case 'nop':
      case 'eol':
        return true;
      case 'mss':
        into.mss = o.value;
        return true;
      case 'wscale':
        into.wscale = o.value;
        return true;
      case 'sackOK':
        into.sackPermitted = true;
        return true;
      case 'TS':
        into.ts = { val: o.val ?? 0, ecr: o.ecr ?? 0 };
        return true;
      case 'sack':
        into.sack = [...(into.sack ?? []), ...(o.blocks ?? [])];
        return true;
      case 'md5':
        this.unsupported(P.md5, o.range);
        return false;
      case 'FO':
      case 'FOEXP':
        this.unsupported(P.fastOpen, o.range);
        return false;
      default:
        this.unsupported('AccECN', o.range);
        return false;
    }
  }

  // ---- system calls ----------------------------------------------------------------------------

  private syscall(event: PktEvent, s: PktSyscall): void {
    const call = CALLS[s.name];
    if (!call) {
      const why = NOT_MODELLED[s.name];
      if (why) this.report(PKT_MESSAGES.unsupportedCall, [s.name, why], s.nameRange);
      else this.report(PKT_MESSAGES.unsupportedSyscall, [s.name], s.nameRange);
      return;
    }
    const result = this.result(s);
    if (result === undefined) return;
    const step: PktCallStep = { kind: 'call', line: event.line, time: event.time, range: s.range, call, name: s.name, result };
    if (s.endTime) {
      // A blocking call runs while the script goes on: the simulation's calls never block, so only a
      // call whose effect begins at once (connect, write...) can run, at its start.
      if (call === 'read') {
        this.report(PKT_MESSAGES.unsupportedWhy, [`${s.name}(...)`, P.blockingRead], s.endTime.range);
        return;
      }
      step.returnsAt = s.endTime.value;
    }
    if (call !== 'socket') {
      const fd = this.fd(s, 0);
      if (fd === undefined) return;
      step.fd = fd;
    }
    if (!this.callArguments(s, step)) {
      // The descriptor it would have given is unknown to the model from now on, silently.
      if ((call === 'socket' || call === 'accept') && result.value !== undefined && result.value >= 0) this.refusedFds.add(result.value);
      return;
    }
    this.steps.push(step);
  }

  /** The result the script expects: a number, or -1 and an errno. */
  private result(s: PktSyscall): PktResult | undefined {
    const r = s.result;
    if (!r) return undefined;
    const range = s.errno ? { ...r.range, length: s.errno.range.column + s.errno.range.length - r.range.column } : r.range;
    if (r.kind === 'ellipsis') return { range };
    if (r.kind !== 'int') {
      this.report(PKT_MESSAGES.resultNotNumber, [s.name, P.aNumberOrErrno, this.textOf(r)], r.range);
      return undefined;
    }
    const result: PktResult = { value: r.value, range };
    if (s.errno) {
      if (!PKT_ERRNOS.includes(s.errno.name)) {
        this.report(PKT_MESSAGES.unknownErrno, [s.errno.name], s.errno.range);
        return undefined;
      }
      result.errno = s.errno.name === 'EWOULDBLOCK' ? 'EAGAIN' : s.errno.name;
    }
    return result;
  }

  private textOf(e: PktExpr): string {
    switch (e.kind) {
      case 'int':
      case 'float':
      case 'word':
        return e.text;
      case 'string':
        return `"${e.value}"`;
      case 'ellipsis':
        return '...';
      case 'list':
        return P.aList;
      case 'struct':
        return P.aStruct;
      case 'or':
        return P.anOr;
      case 'assign':
        return P.anAssignment;
      case 'call':
        return P.aCall;
    }
  }

  /** The file descriptor argument `index`: open here, or an error. */
  private fd(s: PktSyscall, index: number): number | undefined {
    const arg = s.args[index];
    if (!arg || arg.kind !== 'int') {
      this.report(PKT_MESSAGES.expectedArg, [String(index + 1), s.name, P.aFileDescriptor, arg ? this.textOf(arg) : P.nothing], arg?.range ?? s.nameRange);
      return undefined;
    }
    if (![this.socketFd, this.listenFd, this.connFd].includes(arg.value)) {
      if (!this.refusedFds.has(arg.value)) this.report(PKT_MESSAGES.unknownFd, [String(arg.value)], arg.range);
      return undefined;
    }
    return arg.value;
  }

  private args(s: PktSyscall, counts: number[]): boolean {
    if (counts.includes(s.args.length)) return true;
    this.report(PKT_MESSAGES.expectedArgs, [s.name, counts.join(' or '), String(s.args.length)], s.nameRange);
    return false;
  }

  private word(e: PktExpr | undefined): string | undefined {
    return e?.kind === 'word' ? e.text : undefined;
  }

  private int(e: PktExpr | undefined): number | undefined {
    if (e?.kind === 'int') return e.value;
    if (e?.kind === 'list' && e.items.length === 1 && e.items[0].kind === 'int') return e.items[0].value;
    return undefined;
  }

  private callArguments(s: PktSyscall, step: PktCallStep): boolean {
    const a = s.args;
    switch (step.call) {
      case 'socket': {
        if (!this.args(s, [3])) return false;
        const family = this.word(a[0]);
        if (family === 'AF_INET6' || family === 'PF_INET6') return this.unsupported('IPv6', a[0].range, P.ipv4Only);
        const type = this.word(a[1]);
        if (type !== undefined && !/^SOCK_STREAM/.test(type)) return this.refuse(PKT_MESSAGES.unsupportedSocketType, [type], a[1].range);
        if (this.socketFd !== undefined) return this.refuse(PKT_MESSAGES.secondSocket, [], s.nameRange);
        if (step.result.value === undefined || step.result.value < 0) return this.refuse(PKT_MESSAGES.resultNotNumber, [s.name, P.aFileDescriptor, String(step.result.value ?? '...')], step.result.range);
        this.socketFd = step.result.value;
        return true;
      }
      case 'bind':
        if (!this.args(s, [3])) return false;
        this.address(a[1], 'bind');
        return true;
      case 'listen':
        if (!this.args(s, [2])) return false;
        this.role = 'server';
        this.listenFd = step.fd;
        return true;
      case 'accept':
        if (!this.args(s, [3, 4])) return false;
        if (step.result.value !== undefined && step.result.value >= 0) {
          if (this.connFd !== undefined && this.connFd !== step.result.value) return this.refuse(PKT_MESSAGES.secondSocket, [], s.nameRange);
          this.connFd = step.result.value;
        }
        return true;
      case 'connect':
        if (!this.args(s, [3])) return false;
        this.role = 'client';
        this.connFd = step.fd;
        this.address(a[1], 'connect');
        return true;
      case 'read':
      case 'write': {
        const counts = s.name === 'read' || s.name === 'write' ? [3] : s.name === 'recvfrom' || s.name === 'sendto' ? [6] : [4];
        if (!this.args(s, counts)) return false;
        const bytes = this.int(a[2]);
        if (bytes === undefined || bytes < 0) return this.refuse(PKT_MESSAGES.expectedArg, ['3', s.name, P.aNumberOfBytes, this.textOf(a[2])], a[2].range);
        step.bytes = bytes;
        const flags = a[3];
        if (flags && !(flags.kind === 'int' && flags.value === 0) && this.word(flags) !== 'MSG_NOSIGNAL') {
          return this.refuse(PKT_MESSAGES.unsupportedFlags, [this.textOf(flags), s.name], flags.range);
        }
        return true;
      }
      case 'shutdown': {
        if (!this.args(s, [2])) return false;
        const how = { SHUT_RD: 'read', SHUT_WR: 'write', SHUT_RDWR: 'both' }[this.word(a[1]) ?? ''] as PktCallStep['how'];
        if (!how) return this.refuse(PKT_MESSAGES.expectedArg, ['2', s.name, P.shutHow, this.textOf(a[1])], a[1].range);
        step.how = how;
        return true;
      }
      case 'close':
        return this.args(s, [1]);
      case 'fcntl': {
        if (!this.args(s, [2, 3])) return false;
        const command = this.word(a[1]);
        if (command === 'F_GETFL') return true;
        if (command !== 'F_SETFL') return this.refuse(PKT_MESSAGES.unsupportedFcntl, [command ?? this.textOf(a[1])], a[1].range);
        step.nonblocking = JSON.stringify(a[2] ?? '').includes('"O_NONBLOCK"');
        return true;
      }
      case 'setsockopt':
        return this.setsockopt(s, step);
      case 'getsockopt':
        return this.getsockopt(s, step);
    }
  }

  /** A sockaddr's port and address, when the script spells them out. */
  private address(e: PktExpr | undefined, call: 'bind' | 'connect'): void {
    if (e?.kind !== 'struct') return;
    for (const field of e.items) {
      if (field.kind !== 'assign') continue;
      if (field.name === 'sa_family' && field.value.kind === 'word' && field.value.text === 'AF_INET6') this.unsupported('IPv6', field.value.range, P.ipv4Only);
      if (field.name === 'sin_port' && field.value.kind === 'call' && field.value.args[0]?.kind === 'int') {
        if (call === 'bind') this.bindPort = field.value.args[0].value;
        else this.connectPort = field.value.args[0].value;
      }
      if (field.name === 'sin_addr' && field.value.kind === 'call' && field.value.args[0]?.kind === 'string' && call === 'connect') {
        this.connectAddress = field.value.args[0].value;
      }
    }
  }

  private setsockopt(s: PktSyscall, step: PktCallStep): boolean {
    if (!this.args(s, [5])) return false;
    const name = this.word(s.args[2]) ?? this.textOf(s.args[2]);
    const spec = SOCKET_OPTIONS[name];
    if (!spec) {
      if (/^TCP_FASTOPEN/.test(name)) return this.refuse(PKT_MESSAGES.unsupportedFastOpen, [name], s.args[2].range);
      return this.refuse(PKT_MESSAGES.unsupportedSockopt, [name], s.args[2].range);
    }
    const value = s.args[3];
    const settings: PktSetting[] = [];
    const int = this.int(value);
    const bad = (expected: string) => this.refuse(PKT_MESSAGES.expectedArg, ['4', s.name, expected, this.textOf(value)], value.range);
    switch (spec.kind) {
      case 'none':
        break;
      case 'flag':
        if (int === undefined) return bad(P.flag01);
        settings.push({ key: spec.key, value: int === 0 ? 'off' : 'on', option: name });
        break;
      case 'bytes':
      case 'count':
        if (int === undefined || int < 0) return bad(P.count);
        settings.push({ key: spec.key, value: String(int), option: name });
        break;
      case 'seconds':
        if (int === undefined || int < 0) return bad(P.seconds);
        settings.push({ key: spec.key, value: `${int}s`, option: name });
        break;
      case 'ms':
        if (int === undefined || int < 0) return bad(P.milliseconds);
        settings.push({ key: spec.key, value: int === 0 ? 'off' : `${int}ms`, option: name });
        break;
      case 'name': {
        if (value?.kind !== 'string') return bad(P.aName);
        // TCP_CONGESTION: Linux's reno is the engine's newreno (RFC 5681 and 6582), cubic is cubic.
        const cc = { reno: 'newreno', cubic: 'cubic' }[value.value];
        if (cc === undefined) return this.refuse(PKT_MESSAGES.unsupportedCongestion, [value.value], value.range);
        settings.push({ key: spec.key, value: cc, option: name });
        break;
      }
      case 'linger': {
        const fields = value?.kind === 'struct' ? value.items : [];
        const get = (n: string) => fields.find((f): f is Extract<PktExpr, { kind: 'assign' }> => f.kind === 'assign' && f.name === n)?.value;
        const onoff = this.int(get('onoff'));
        const seconds = this.int(get('linger'));
        if (onoff === undefined || seconds === undefined) return bad(P.linger);
        settings.push({ key: 'linger', value: onoff === 0 ? 'off' : seconds === 0 ? '0' : `${seconds}s`, option: name });
        break;
      }
    }
    step.settings = settings;
    return true;
  }

  private getsockopt(s: PktSyscall, step: PktCallStep): boolean {
    if (!this.args(s, [5])) return false;
    const name = this.word(s.args[2]) ?? this.textOf(s.args[2]);
    if (name === 'TCP_INFO') return this.unsupported('tcp_info', s.args[2].range, P.tcpInfoWhy);
    if (name !== 'SO_ERROR') return this.refuse(PKT_MESSAGES.unsupportedGetsockopt, [name], s.args[2].range);
    const value = s.args[3];
    const inner = value?.kind === 'list' && value.items.length === 1 ? value.items[0] : value;
    if (inner?.kind === 'int') step.soError = inner.value;
    else if (inner?.kind === 'word' && PKT_ERRNOS.includes(inner.text)) step.soError = inner.text;
    else if (inner?.kind !== 'ellipsis') return this.refuse(PKT_MESSAGES.expectedArg, ['4', s.name, P.soError, this.textOf(value)], value.range);
    return true;
  }
}

/** Checks a parsed script; the model holds what the simulation can run of it. */
export function checkPacketdrill(script: PktScript): PktCheckResult {
  const checker = new Checker();
  const model = checker.run(script);
  return { model, diagnostics: checker.diagnostics };
}
