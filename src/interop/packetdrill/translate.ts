// A packetdrill script as a .tcpscenario (docs/packetdrill.md): what `tcpscenario import SCRIPT.pkt`
// prints, and what run, check, trace, render and the debugger compile (src/run/packetdrill.ts), so a
// script runs exactly as its translation does. The stack under test is packetdrill's local side; the
// script's own side is a raw endpoint (`endpoint NAME raw`): it sends what the `<` lines say and never
// answers by itself. The link has no delay: packetdrill injects and reads packets at the local
// interface. Every statement's comment gives its line in the script, and `lineOf` maps each line of
// the translation back to it.
//
//   socket, bind, fcntl, accept     no statement (the listener accepts by itself; descriptors are the script's)
//   listen, connect, close          listen, connect, close
//   shutdown(SHUT_WR|RD|RDWR)       shutdown [read|both]
//   setsockopt(... OPT ...)         NAME set key=value
//   write/send(N) = R               send N, and expect NAME send ok | failed ERR
//   read/recv(N) = R                receive R (N when it fails), and expect NAME received (bytes so far) | receive failed ERR
//   getsockopt(SO_ERROR) [E]        expect NAME connect ok | failed E
//   connect = 0 on a blocking socket  connect, wait until ESTABLISHED, expect connect ok (the call blocks the script)
//   < segment                       inject REMOTE -> LOCAL FLAGS seq= ack= len= wnd= options
//   > segment                       expect next LOCAL -> REMOTE FLAGS ... within the script's tolerance
//
// Times: `T` is `@T`, `+T` is `+T` (after a `>` line, from when its segment left: statements after an
// `expect next` count from there, as packetdrill's do), `*` is `anytime`, and a range `a~b` or `+a~+b`
// is `@a`/`+a` with `within -tol +(b-a+tol)`. The tolerance is packetdrill's: --tolerance_usecs (4 ms)
// or --tolerance_percent (12.5 %) of the time since the previous event, whichever is larger.

import type { TcpFlag, TcpOptions } from '../../engine/trace';
import type { PktTime } from './ast';
import type { PktCallStep, PktModel, PktPacketStep } from './model';

export interface PktTranslation {
  /** The .tcpscenario. */
  text: string;
  /** For each line of `text` (index 0 is line 1), the script's line it comes from (0: none). */
  lineOf: number[];
  /** The names of the stack under test and of the script's side in the scenario. */
  local: string;
  remote: string;
}

export interface TranslateOptions {
  /** The script's file name, for the title and the comments. */
  name: string;
  /** The script's text, to quote each line in the comment of what it became. */
  source: string;
}

const FLAG_WORDS: TcpFlag[] = ['SYN', 'FIN', 'RST', 'PSH', 'URG', 'ACK'];
/** errno values getsockopt(SO_ERROR) may give as numbers (Linux's). */
const ERRNO_NUMBERS: Record<number, string> = { 104: 'ECONNRESET', 110: 'ETIMEDOUT', 111: 'ECONNREFUSED', 32: 'EPIPE', 107: 'ENOTCONN' };

/** µs as the language writes a duration: `0`, `250ms`, `1500us`. */
export function duration(us: number): string {
  const rounded = Math.max(0, Math.round(us));
  if (rounded === 0) return '0';
  return rounded % 1000 === 0 ? `${rounded / 1000}ms` : `${rounded}us`;
}

function flagsText(flags: readonly TcpFlag[]): string {
  const words = FLAG_WORDS.filter((f) => flags.includes(f));
  return words.length > 0 ? words.join(',') : 'none';
}

function optionFields(options: TcpOptions): string[] {
  const out: string[] = [];
  if (options.mss !== undefined) out.push(`mss=${options.mss}`);
  if (options.wscale !== undefined) out.push(`wscale=${options.wscale}`);
  if (options.sackPermitted) out.push('sackok');
  if (options.ts) out.push(`ts=${options.ts.val}:${options.ts.ecr}`);
  if (options.sack && options.sack.length > 0) out.push(`sack=${options.sack.map((b) => `${b.left}:${b.right}`).join(',')}`);
  return out;
}

class Writer {
  readonly lines: string[] = [];
  readonly lineOf: number[] = [];
  /** What was left of a step that made no statement: its time, for the next statement. */
  private carry: { absolute?: number; relative: number } = { relative: 0 };
  /** The nominal time of the previous event (µs), for the tolerance of a `>` line. */
  private previousNominal = 0;

  constructor(private readonly source: string[]) {}

  raw(text: string, line = 0): void {
    this.lines.push(text);
    this.lineOf.push(line);
  }

  private comment(line: number): string {
    const text = (this.source[line - 1] ?? '').trim().replace(/\s+/g, ' ');
    return `# line ${line}: ${text.length > 90 ? `${text.slice(0, 87)}...` : text}`;
  }

  /** A step's nominal time (µs, as if every `>` came on time) and its time prefix in the scenario. */
  private timeOf(time: PktTime): { prefix: string; nominal: number; delta: number } {
    const carry = this.carry;
    this.carry = { relative: 0 };
    if (time.kind === 'absolute' || time.kind === 'absolute-range') {
      const nominal = time.start;
      return { prefix: `@${duration(nominal)}`, nominal, delta: nominal - this.previousNominal };
    }
    const d = time.kind === 'any' ? 0 : time.start;
    if (carry.absolute !== undefined) {
      const nominal = carry.absolute + carry.relative + d;
      return { prefix: `@${duration(nominal)}`, nominal, delta: nominal - this.previousNominal };
    }
    const relative = carry.relative + d;
    return { prefix: `+${duration(relative)}`, nominal: this.previousNominal + relative, delta: relative };
  }

  /** A step that makes no statement: its time still counts for the next one. */
  skip(time: PktTime): void {
    if (time.kind === 'absolute') this.carry = { absolute: time.start, relative: 0 };
    else if (time.kind === 'relative') this.carry.relative += time.start;
    if (time.kind === 'absolute') this.previousNominal = time.start;
    else if (time.kind === 'relative') this.previousNominal += time.start;
  }

  /** The statements of one step: the first gets its time, the rest run at the same moment. */
  step(time: PktTime, line: number, statements: string[], within?: (delta: number) => string): void {
    const { prefix, nominal, delta } = this.timeOf(time);
    statements.forEach((statement, i) => {
      const timed = i === 0 ? prefix : '';
      const tail = i === 0 && within ? ` ${within(delta)}` : '';
      const text = `${timed.padEnd(10)} ${statement}${tail}`;
      this.raw(`${text.padEnd(64)}  ${this.comment(line)}`, line);
    });
    this.previousNominal = nominal;
  }
}

export function translatePacketdrill(model: PktModel, options: TranslateOptions): PktTranslation {
  const local = model.role;
  const remote = model.role === 'server' ? 'client' : 'server';
  const w = new Writer(options.source.split(/\r?\n/));
  const steps = model.steps;
  const outbound = steps.filter((s): s is PktPacketStep => s.kind === 'outbound');
  const inbound = steps.filter((s): s is PktPacketStep => s.kind === 'inbound');
  const localSyn = outbound.find((s) => s.flags.includes('SYN'));
  const remoteSyn = inbound.find((s) => s.flags.includes('SYN'));
  // Window scaling (RFC 7323) once both SYNs carry it: the script writes the raw field, the scenario
  // the window the sender means. The stack's own SYN is taken to offer it unless the script's line says not.
  const localOffersScale = localSyn === undefined || localSyn.options === 'any' || localSyn.options?.wscale !== undefined;
  const remoteShift = remoteSyn && typeof remoteSyn.options === 'object' && remoteSyn.options.wscale !== undefined && localOffersScale ? remoteSyn.options.wscale : undefined;
  const localShift = localSyn && typeof localSyn.options === 'object' ? localSyn.options.wscale : undefined;
  const scaled = (win: number, shift: number | undefined, syn: boolean) => (syn || shift === undefined || remoteShift === undefined ? win : win * 2 ** shift);

  w.raw(`# The packetdrill script ${options.name}, as a scenario (tcpscenario, docs/packetdrill.md).`);
  w.raw(`# ${local} is the stack under test (packetdrill's local side); ${remote} is the script's own side:`);
  w.raw(`# raw, it sends only what the < lines say and never answers by itself. Each statement's`);
  w.raw(`# comment is the line of ${options.name} it comes from.`);
  w.raw('');
  w.raw(`scenario "packetdrill: ${options.name.replace(/["\\]/g, '')}"`);
  w.raw('profile linux');
  w.raw('');
  const isn = localSyn ? ` isn=${localSyn.seq}` : '';
  w.raw(`endpoint ${local} ${model.local.address}:${model.local.port}${isn} autoread=off`.padEnd(66) + '  # the stack under test: it reads only when the script does');
  w.raw(`endpoint ${remote} ${model.remote.address}:${model.remote.port} raw`.padEnd(66) + "  # the script's side of the connection");
  w.raw(`link ${local} <-> ${remote} delay=0`.padEnd(66) + '  # packetdrill injects and reads packets at the local interface');
  w.raw('');

  const tolerance = (delta: number) => Math.max(model.toleranceUs, Math.round((model.tolerancePercent / 100) * Math.max(0, delta)));
  let nonblocking = false;
  const read = { bytes: 0 };

  for (const step of steps) {
    if (step.kind === 'inbound') {
      const fields = [`seq=${step.seq}`];
      if (step.ack !== undefined) fields.push(`ack=${step.ack}`);
      if (step.len > 0) fields.push(`len=${step.len}`);
      if (step.win !== undefined) fields.push(`wnd=${scaled(step.win, remoteSyn && typeof remoteSyn.options === 'object' ? remoteSyn.options.wscale : undefined, step.flags.includes('SYN'))}`);
      if (typeof step.options === 'object') fields.push(...optionFields(step.options));
      w.step(step.time, step.line, [`inject ${remote} -> ${local} ${flagsText(step.flags)} ${fields.join(' ')}`]);
      continue;
    }
    if (step.kind === 'outbound') {
      const fields = [`seq=${step.seq}`];
      if (step.ack !== undefined) fields.push(`ack=${step.ack}`);
      fields.push(`len=${step.len}`);
      if (step.win !== undefined) fields.push(`wnd=${scaled(step.win, localShift, step.flags.includes('SYN'))}`);
      if (step.options === undefined) fields.push('nooptions');
      else if (step.options !== 'any') fields.push(...optionFields(step.options));
      if (!model.strictSegments && step.len > 0) fields.push('joined');
      const time = step.time;
      w.step(time, step.line, [`expect next ${local} -> ${remote} ${flagsText(step.flags)} ${fields.join(' ')}`], (delta) => {
        if (time.kind === 'any') return 'anytime';
        const tol = tolerance(delta);
        const range = time.rangeEnd === undefined ? 0 : time.rangeEnd - time.start;
        return range === 0 ? `within ${duration(tol)}` : `within -${duration(tol)} +${duration(range + tol)}`;
      });
      continue;
    }
    const call = step as PktCallStep;
    if (call.call === 'fcntl' && call.nonblocking !== undefined) nonblocking = call.nonblocking;
    const statements = callStatements(call, local, remote, nonblocking, read);
    if (statements.length === 0) w.skip(call.time);
    else w.step(call.time, call.line, statements);
  }
  w.raw('');
  w.raw('end +1s'.padEnd(66) + "  # packetdrill stops at its last line; a second more shows what follows");
  return { text: `${w.lines.join('\n')}\n`, lineOf: w.lineOf, local, remote };
}

/** The statements a system call becomes (none for those with no effect here). */
function callStatements(c: PktCallStep, local: string, remote: string, nonblocking: boolean, read: { bytes: number }): string[] {
  const r = c.result;
  const failed = r.errno !== undefined && r.errno !== 'EINPROGRESS' && r.errno !== 'EAGAIN';
  switch (c.call) {
    case 'socket':
    case 'bind':
    case 'fcntl':
    case 'accept':
      return [];
    case 'listen':
      return [`${local} listen`];
    case 'connect': {
      const out = [`${local} connect ${remote}`];
      if (c.returnsAt !== undefined || nonblocking) return out;
      // A blocking connect holds the script until it returns: the handshake, or its failure.
      if (failed) return [...out, `wait until ${local} is CLOSED`, `expect ${local} connect failed ${r.errno}`];
      if (r.value === 0) return [...out, `wait until ${local} is ESTABLISHED`, `expect ${local} connect ok`];
      return out;
    }
    case 'write': {
      const out = [`${local} send ${c.bytes ?? 0}`];
      if (failed) out.push(`expect ${local} send failed ${r.errno}`);
      else if (r.value !== undefined && r.value >= 0) out.push(`expect ${local} send ok`);
      return out;
    }
    case 'read': {
      // A read returns what has arrived, up to N; `receive N` waits for all N (MSG_WAITALL), so
      // the scenario reads the R bytes the script says the call returns.
      const bytes = !failed && r.value !== undefined && r.value >= 0 ? r.value : (c.bytes ?? 0);
      const out = [`${local} receive ${bytes}`];
      if (failed) out.push(`expect ${local} receive failed ${r.errno}`);
      else if (r.value !== undefined) {
        // What the application has read in all: the script's count of this read adds to it.
        read.bytes += Math.max(0, r.value);
        out.push(`expect ${local} received ${read.bytes}`);
      }
      return out;
    }
    case 'close':
      return failed ? [`${local} close`, `expect ${local} close failed ${r.errno}`] : [`${local} close`];
    case 'shutdown': {
      const how = c.how === 'read' ? ' read' : c.how === 'both' ? ' both' : '';
      return failed ? [`${local} shutdown${how}`, `expect ${local} shutdown failed ${r.errno}`] : [`${local} shutdown${how}`];
    }
    case 'setsockopt': {
      const settings = c.settings ?? [];
      return settings.length === 0 ? [] : [`${local} set ${settings.map((s) => `${s.key}=${s.value}`).join(' ')}`];
    }
    case 'getsockopt': {
      const e = c.soError;
      if (e === undefined) return [];
      const errno = typeof e === 'number' ? (e === 0 ? undefined : (ERRNO_NUMBERS[e] ?? String(e))) : e;
      return errno === undefined ? [`expect ${local} connect ok`] : [`expect ${local} connect failed ${errno}`];
    }
  }
}
