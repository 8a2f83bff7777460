// Builds engine Programs directly (no parser), and reads traces back in the RFC's notation.
import type { Action, EndpointDecl, FaultRule, LinkDecl, Program, ProfileName, SegmentPattern, Settings } from '../../src/engine/program';
import { RULES } from '../../src/engine/rules';
import { Simulation } from '../../src/engine/simulation';
import { compile } from '../../src/language';
import assert from 'node:assert/strict';
import type { SendEvent, InjectEvent, TcpFlag, TcpState, TraceEvent, TransitionEvent } from '../../src/engine/trace';

export const ms = (n: number): number => Math.round(n * 1000);
export const s = (n: number): number => Math.round(n * 1_000_000);

export class Scenario {
  readonly program: Program;
  private time = 0;
  private line = 1;

  constructor(profile: ProfileName = 'rfc', settings: Partial<Settings> = {}) {
    this.program = { profile, settings, endpoints: [], links: [], statements: [] };
  }

  endpoint(name: string, options: EndpointOptions = {}): this {
    const { isn, port, address, ...settings } = options;
    const index = this.program.endpoints.length;
    const decl: EndpointDecl = {
      name,
      address: address ?? `10.0.0.${index + 1}`,
      port: port ?? (index === 0 ? 49152 : 80),
      settings,
      line: this.line++,
    };
    if (isn !== undefined) decl.isn = isn;
    this.program.endpoints.push(decl);
    return this;
  }

  link(a: string, b: string, options: LinkOptions = {}): this {
    this.program.links.push({ a, b, delay: ms(10), jitter: 0, loss: 0, duplicate: 0, reorder: 0, corrupt: 0, seed: 1, ...options, line: this.line++ });
    return this;
  }

  /** Absolute time of the following statements, in microseconds. */
  at(us: number): this {
    this.time = us;
    return this;
  }

  after(us: number): this {
    this.time += us;
    return this;
  }

  get now(): number {
    return this.time;
  }

  do(action: Action): this {
    this.program.statements.push({ at: this.time, line: this.line++, action });
    return this;
  }

  listen(endpoint: string): this {
    return this.do({ kind: 'listen', endpoint });
  }
  connect(endpoint: string, peer: string): this {
    return this.do({ kind: 'connect', endpoint, peer });
  }
  send(endpoint: string, bytes: number, conn?: string): this {
    return this.do(conn === undefined ? { kind: 'send', endpoint, bytes } : { kind: 'send', endpoint, bytes, conn });
  }
  receive(endpoint: string, bytes?: number): this {
    return this.do(bytes === undefined ? { kind: 'receive', endpoint } : { kind: 'receive', endpoint, bytes });
  }
  close(endpoint: string, conn?: string): this {
    return this.do(conn === undefined ? { kind: 'close', endpoint } : { kind: 'close', endpoint, conn });
  }
  shutdown(endpoint: string): this {
    return this.do({ kind: 'shutdown', endpoint });
  }
  abort(endpoint: string): this {
    return this.do({ kind: 'abort', endpoint });
  }
  crash(endpoint: string): this {
    return this.do({ kind: 'crash', endpoint });
  }
  restart(endpoint: string): this {
    return this.do({ kind: 'restart', endpoint });
  }
  fault(kind: FaultRule['kind'], pattern: SegmentPattern, count = 1, by?: number): this {
    const flags = pattern.flags ? ' ' + pattern.flags.join(',') : pattern.data ? ' data' : '';
    const rule: FaultRule = { kind, pattern, count, text: `${kind} ${pattern.from} -> ${pattern.to}${flags} ${count === Infinity ? 'always' : count === 1 ? 'once' : `${count} times`}` };
    if (by !== undefined) rule.by = by;
    return this.do({ kind: 'fault', rule });
  }
  inject(from: string, to: string, flags: TcpFlag[], seq: number, ack = 0, len = 0): this {
    return this.do({ kind: 'inject', from, to, flags, seq, ack, len });
  }
  expectState(endpoint: string, state: TcpState): this {
    return this.do({ kind: 'expect-state', endpoint, state });
  }
  expectSegment(pattern: SegmentPattern): this {
    return this.do({ kind: 'expect-segment', pattern });
  }
  expectReceived(endpoint: string, bytes: number): this {
    return this.do({ kind: 'expect-received', endpoint, bytes });
  }
  end(us: number): this {
    this.program.end = us;
    return this;
  }

  /** Run to the end; every event TCP made must name its rule (see `unexplained`). */
  run(): Simulation {
    const sim = new Simulation(this.program);
    sim.run();
    const missing = unexplained(sim.trace);
    if (missing.length > 0) throw new Error(`events without a rule:\n${missing.slice(0, 10).join('\n')}`);
    return sim;
  }
}

/** What `Scenario.link` takes besides the two names. */
export type LinkOptions = Partial<Omit<LinkDecl, 'a' | 'b' | 'line'>>;

/** What `Scenario.endpoint` takes besides the name. */
export type EndpointOptions = { isn?: number; port?: number; address?: string } & Partial<Settings>;

/**
 * The start most tests share: `client` (ISN 100) connects at 0 to `server` (ISN 300), which
 * listens; `client` and `server` add to each side (a buffer, keep-alive...), `link` sets their link
 * (else the default 10 ms one). Statements follow at 0.
 */
export function connected(options: { profile?: ProfileName; settings?: Partial<Settings>; client?: EndpointOptions; server?: EndpointOptions; link?: LinkOptions } = {}): Scenario {
  const sc = new Scenario(options.profile, options.settings).endpoint('client', { isn: 100, ...options.client }).endpoint('server', { isn: 300, ...options.server });
  if (options.link) sc.link('client', 'server', options.link);
  return sc
    .at(0)
    .listen('server')
    .connect('client', 'server');
}

/**
 * RFC 9293 Figure 8, recovery from an old duplicate SYN: 100 us links; A's own SYN (ISN 100) is held
 * 400 us in the network so that an old duplicate (seq 90) reaches B (ISN 300) first.
 */
export function oldDuplicateSyn(): Scenario {
  return new Scenario()
    .endpoint('A', { isn: 100 })
    .endpoint('B', { isn: 300 })
    .link('A', 'B', { delay: 100 })
    .at(0)
    .listen('B')
    .fault('delay', { from: 'A', to: 'B', flags: ['SYN'], seq: 100 }, 1, 400)
    .connect('A', 'B')
    .inject('A', 'B', ['SYN'], 90);
}

/** `connected()` in the scenario language: the head of a scenario written as text. */
export const CONNECTED_TEXT = 'endpoint client 10.0.0.1:49152 isn=100\nendpoint server 10.0.0.2:80 isn=300\nlink client <-> server delay=10ms\n@0 server listen\n@0 client connect server\n';

/** Compiles `head` and `body` in `profile` (no error allowed) and runs it; every event must name its rule. */
export function simulateText(body: string, profile = 'rfc', head = CONNECTED_TEXT): Simulation {
  const { program, diagnostics } = compile(`profile ${profile}\n${head}${body}`);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.range.line}: ${d.message}`), []);
  const sim = new Simulation(program!);
  sim.run();
  assert.deepEqual(unexplained(sim.trace), []);
  return sim;
}

/** RFC 9293 Figure 7, simultaneous open: A's SYN is held 5 ms in the network so that B's SYN reaches A first, as drawn. */
export function simultaneousOpen(): Scenario {
  return new Scenario()
    .endpoint('A', { isn: 100 })
    .endpoint('B', { isn: 300 })
    .at(0)
    .fault('delay', { from: 'A', to: 'B', flags: ['SYN'] }, 1, 5000)
    .connect('A', 'B')
    .connect('B', 'A');
}

export type Wire = SendEvent | InjectEvent;

export function wire(trace: readonly TraceEvent[]): Wire[] {
  return trace.filter((e): e is Wire => e.kind === 'send' || e.kind === 'inject');
}

/** A segment in the RFC's figure notation: "A -> B <SEQ=100><ACK=301><CTL=SYN,ACK>" (plus <DATA=n>). */
export function rfc(e: Wire): string {
  const ack = e.flags.includes('ACK') ? `<ACK=${e.ack}>` : '';
  const data = e.len > 0 ? `<DATA=${e.len}>` : '';
  return `${e.from} -> ${e.to} <SEQ=${e.seq}>${ack}<CTL=${e.flags.join(',')}>${data}`;
}

export function segments(sim: Simulation): string[] {
  return wire(sim.trace).map(rfc);
}

export function transitions(sim: Simulation, endpoint?: string): string[] {
  return sim.trace
    .filter((e): e is TransitionEvent => e.kind === 'transition' && (endpoint === undefined || e.endpoint === endpoint))
    .map((e) => `${e.endpoint}${e.conn ? '/' + e.conn : ''}: ${e.from} -> ${e.to}`);
}

/** The fate of a segment id: "deliver", "drop:<reason>", or undefined while in flight. */
export function fate(sim: Simulation, id: string): string | undefined {
  for (const e of sim.trace) {
    if (e.kind === 'deliver' && e.id === id) return 'deliver';
    if (e.kind === 'drop' && e.id === id) return `drop:${e.reason}`;
  }
  return undefined;
}

export function expectations(sim: Simulation): { ok: boolean; message: string; line?: number }[] {
  return sim.trace.flatMap((e) => (e.kind === 'expect' ? [{ ok: e.ok, message: e.message, line: e.line }] : []));
}

/** Errors the engine returned to applications, as `endpoint call: error`. */
export function appErrors(trace: readonly TraceEvent[]): string[] {
  return trace.flatMap((e) => (e.kind === 'app' && e.error ? [`${e.endpoint} ${e.call}: ${e.error}`] : []));
}

/** The messages of `note` events. */
export function notes(trace: readonly TraceEvent[]): string[] {
  return trace.flatMap((e) => (e.kind === 'note' ? [e.message] : []));
}

/** Drop reasons of the network and the scenario (fault rules, loss, the debug console); the others are the receiver's. */
function networkDrop(reason: string): boolean {
  return reason !== 'corrupt' && reason !== 'crashed';
}

/**
 * Events TCP made (a send that is not an inject, a transition, a timer event, a drop by the
 * receiver) without a rule, or with a rule the registry does not know: one line each.
 */
export function unexplained(trace: readonly TraceEvent[]): string[] {
  const out: string[] = [];
  trace.forEach((e, i) => {
    const needs = e.kind === 'send' || e.kind === 'transition' || e.kind === 'timer' || (e.kind === 'drop' && !networkDrop(e.reason));
    if (e.rule !== undefined && !(e.rule in RULES)) out.push(`#${i} ${JSON.stringify(e)}: unknown rule`);
    else if (needs && e.rule === undefined) out.push(`#${i} ${JSON.stringify(e)}`);
  });
  return out;
}

/** Sends, transitions and timer events with their rules, in a compact form: "A: SYN-SENT -> ESTABLISHED  rfc9293.3.10.7.3.syn-ack". */
export function explained(trace: readonly TraceEvent[]): string[] {
  return trace.flatMap((e) => {
    const rule = e.rule ?? '(none)';
    switch (e.kind) {
      case 'send':
        return [`${e.from} -> ${e.to} ${e.flags.join(',')}${e.len > 0 ? ` len=${e.len}` : ''}${e.retransmission ? ' (retransmission)' : ''}  ${rule}`];
      case 'transition':
        return [`${e.endpoint}: ${e.from} -> ${e.to}  ${rule}`];
      case 'timer':
        return [`${e.endpoint} ${e.name} ${e.action}  ${rule}`];
      case 'note':
        return e.rule === undefined ? [] : [`${e.endpoint ?? ''} note  ${rule}`];
      default:
        return [];
    }
  });
}
