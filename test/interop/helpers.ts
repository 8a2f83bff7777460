// Shared by the interop tests: scenarios run through the same compile-and-run path as the CLI,
// and small builders for hand-made traces.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runProgram, traceDocumentOf } from '../../src/engine/index';
import type { Program } from '../../src/engine/program';
import type { InjectEvent, SendEvent, TcpFlag, TraceDocument, TraceEvent } from '../../src/engine/trace';
import { compile } from '../../src/language/index';
import { prepareScenario } from '../../src/run/run';

export const ROOT = resolve(__dirname, '..', '..');

/** Every example, then the fixtures that exercise what the examples do not (faults, windows, probes). */
export const SCENARIO_FILES: string[] = [
  ...readdirSync(join(ROOT, 'examples'))
    .filter((f) => f.endsWith('.tcpscenario'))
    .sort()
    .map((f) => join(ROOT, 'examples', f)),
  ...readdirSync(join(ROOT, 'test', 'fixtures', 'pcap'))
    .filter((f) => f.endsWith('.tcpscenario'))
    .sort()
    .map((f) => join(ROOT, 'test', 'fixtures', 'pcap', f)),
];

/** The packetdrill scripts that run (docs/packetdrill.md); unsupported.pkt is for the checker. */
export const PKT_FILES: string[] = readdirSync(join(ROOT, 'test', 'fixtures', 'packetdrill'))
  .filter((f) => f.endsWith('.pkt') && f !== 'unsupported.pkt')
  .sort()
  .map((f) => join(ROOT, 'test', 'fixtures', 'packetdrill', f));

export interface Run {
  program: Program;
  trace: TraceDocument;
}

export function runText(text: string): Run {
  const { program, diagnostics } = compile(text);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!program || errors.length > 0) throw new Error(`scenario has errors: ${errors.map((d) => d.message).join('; ')}`);
  return { program, trace: traceDocumentOf(program, runProgram(program, 2_000_000).trace) };
}

/** A scenario, or a packetdrill script run as the CLI runs it (the scenario it translates to). */
export function runFile(path: string): Run {
  const text = readFileSync(path, 'utf8');
  if (!path.endsWith('.pkt')) return runText(text);
  const { program, diagnostics } = prepareScenario(text, { file: path });
  if (!program) throw new Error(`script has errors: ${diagnostics.map((d) => d.message).join('; ')}`);
  return { program, trace: traceDocumentOf(program, runProgram(program, 2_000_000).trace) };
}

export type Segment = SendEvent | InjectEvent;

/** The sent segments of a trace by id, and which copy came from which original. */
export function segmentsOf(trace: TraceDocument): { segments: Map<string, Segment>; copyOf: Map<string, string> } {
  const segments = new Map<string, Segment>();
  const copyOf = new Map<string, string>();
  for (const e of trace.events) {
    if (e.kind === 'send' || e.kind === 'inject') segments.set(e.id, e);
    else if (e.kind === 'duplicate') copyOf.set(e.copy, e.id);
  }
  return { segments, copyOf };
}

export const ENDPOINTS: TraceDocument['endpoints'] = [
  { name: 'client', address: '192.0.2.1', port: 40000 },
  { name: 'server', address: '198.51.100.7', port: 443 },
];

/** A hand-made trace (for what the engine does not produce yet, such as options). */
export function trace(events: TraceEvent[], endpoints = ENDPOINTS): TraceDocument {
  return { version: 1, profile: 'rfc', endpoints, events };
}

let counter = 0;
export function resetIds(): void {
  counter = 0;
}

/** A send event; `id` defaults to the next s<N>. */
export function send(t: number, from: string, to: string, flags: TcpFlag[], seq: number, ack: number, len: number, extra: Partial<Segment> = {}): Segment {
  return { t, kind: 'send', id: `s${++counter}`, from, to, flags, seq, ack, len, wnd: 65535, retransmission: false, ...extra } as Segment;
}

export function deliver(t: number, id: string, to: string): TraceEvent {
  return { t, kind: 'deliver', id, to };
}
