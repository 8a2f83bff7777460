// Preparing a packetdrill script for the run path (docs/packetdrill.md): read it (parse, what the
// simulation models), translate it into a scenario (src/interop/packetdrill/translate.ts) and compile
// that, so a .pkt runs exactly as the .tcpscenario `tcpscenario import` prints. The program's
// statements carry the script's lines (the debugger's breakpoints, its stops, the expectations'
// reports all point into the .pkt). Pure.

import type { Program, ProfileName } from '../engine/program';
import { checkPacketdrill, parsePacketdrill, translatePacketdrill, type PktTranslation } from '../interop/packetdrill/index';
import { compile, diagnostic, type Diagnostic } from '../language/index';

export interface PreparedPacketdrill {
  /** Undefined when the script has errors (its own, or what it cannot run). */
  program?: Program;
  /** At the script's lines and columns. */
  diagnostics: Diagnostic[];
  translation?: PktTranslation;
}

/** The scenario's messages are about the translation, not the script: they are bugs of ours, shown at the script's line. */
const TRANSLATION_PROBLEM = { code: 'pkt-translation', template: 'the scenario this line becomes does not compile: {0}' };

export function preparePacketdrill(text: string, options: { name?: string; profile?: ProfileName } = {}): PreparedPacketdrill {
  const parsed = parsePacketdrill(text);
  const checked = checkPacketdrill(parsed.script);
  const diagnostics = [...parsed.diagnostics, ...checked.diagnostics];
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const translation = translatePacketdrill(checked.model, { name: options.name ?? 'script.pkt', source: text });
  const compiled = compile(translation.text);
  const lineOf = (line: number) => translation.lineOf[line - 1] || 1;
  for (const d of compiled.diagnostics) {
    diagnostics.push(diagnostic({ line: lineOf(d.range.line), column: 1, length: 1 }, d.severity, TRANSLATION_PROBLEM.code, TRANSLATION_PROBLEM.template, [d.message]));
  }
  if (!compiled.program || compiled.diagnostics.some((d) => d.severity === 'error')) return { diagnostics, translation };
  const program: Program = {
    ...compiled.program,
    profile: options.profile ?? compiled.program.profile,
    statements: compiled.program.statements.map((s) => ({ ...s, line: lineOf(s.line) })),
    endpoints: compiled.program.endpoints.map((e) => ({ ...e, line: 1 })),
    links: compiled.program.links.map((l) => ({ ...l, line: 1 })),
  };
  return { program, diagnostics, translation };
}

export const PACKETDRILL_TEMPLATES = [TRANSLATION_PROBLEM.template];

/** Whether a file is a packetdrill script (by its name: *.pkt). */
export function isPacketdrillFile(path: string): boolean {
  return /\.pkt$/i.test(path);
}
