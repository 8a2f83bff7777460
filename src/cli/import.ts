// `tcpscenario import FILE`: a capture (pcap or pcapng) or a packetdrill script (.pkt) as a
// .tcpscenario on stdout (docs/import.md, docs/packetdrill.md). A capture's scenario is then replayed
// in the linux profile through the one run path, and stderr says where the simulation first departs
// from what was captured (compareCapture), with the frame it is in.

import { compareCapture, type CaptureDifference } from '../interop/compareCapture';
import { CAPTURE_FORMAT_MESSAGES, CaptureFormatError, readCapture } from '../interop/pcapRead';
import { importCapture, type ImportedCapture } from '../interop/importCapture';
import { InteropError } from '../interop/messages';
import { formatCount } from '../run/messages';
import { isPacketdrillFile, preparePacketdrill } from '../run/packetdrill';
import { decodeScenario, ReadError, readCaptureFile } from '../run/read';
import { CLI_HINTS, DEFAULT_MAX_EVENTS, DEFAULT_MAX_SECONDS, prepareScenario, ScenarioRun, type Limits } from '../run/run';
import { ENGLISH, message, type Translator } from '../text/translate';
import { IMPORT_USAGE_LINES, INTEROP_CLI_MESSAGES as M } from './interopMessages';
import { formatDiagnostic } from './diagnostic';
import type { Io } from './main';
import { CLI_MESSAGES as C } from './messages';
import { painter } from './terminal';
import { CliProblem, limitArgument, problem } from './problem';
import { EXIT_ERROR, EXIT_EXPECTATION_FAILED as EXIT_DIFFERS, EXIT_LIMIT, EXIT_OK } from './files';

const CAPTURE_MAGICS = [0x0a0d0d0a, 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1];

interface ImportArgs {
  file: string;
  limits: Limits;
  colour?: boolean;
}

function parseArgs(args: string[]): ImportArgs | 'help' {
  const limits: Limits = { maxEvents: DEFAULT_MAX_EVENTS, maxSeconds: DEFAULT_MAX_SECONDS };
  const files: string[] = [];
  let colour: boolean | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (name === '-h' || name === '--help') return 'help';
    if (name === '--color' || name === '--colour') colour = true;
    else if (name === '--no-color' || name === '--no-colour') colour = false;
    else if (name === '--max-events' || name === '--max-seconds') {
      const value = inline ?? args[++i];
      if (value === undefined) throw problem(C.needsValue, name);
      const n = limitArgument(name, value, name === '--max-events');
      if (name === '--max-events') limits.maxEvents = n;
      else limits.maxSeconds = n;
    } else if (arg === '--') {
      files.push(...args.slice(i + 1));
      break;
    } else if (arg.startsWith('-') && arg !== '-') throw problem(C.unknownOption, arg);
    else files.push(arg);
  }
  if (files.length === 0) throw problem(M.importNeedsFile);
  if (files.length > 1) throw problem(M.importOneFile);
  return { file: files[0], limits, colour };
}

function isCapture(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && CAPTURE_MAGICS.includes(new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, false));
}

/** A file's error in the user's language: the templates of the read and import layers translated. */
function errorText(error: unknown, tr: Translator): string {
  if (error instanceof ReadError) return tr.t(error.template, ...error.args);
  if (error instanceof InteropError) return tr.t(error.template, ...error.args);
  if (error instanceof CaptureFormatError) return tr.t(CAPTURE_FORMAT_MESSAGES.atByte, message(error.template, ...error.args), error.offset);
  return error instanceof Error ? error.message : String(error);
}

export async function importCommand(args: string[], io: Io): Promise<number> {
  const tr = io.tr ?? ENGLISH;
  let options: ImportArgs | 'help';
  try {
    options = parseArgs(args);
  } catch (error) {
    if (!(error instanceof CliProblem)) throw error;
    io.stderr(tr.t(M.importUsageError, tr.message(error.problem)));
    return EXIT_ERROR;
  }
  if (options === 'help') {
    io.stdout(IMPORT_USAGE_LINES.map((line) => (line === '' ? '' : tr.t(line))).join('\n'));
    return EXIT_OK;
  }
  const paint = painter(options.colour ?? io.colour.stderr);
  const { file } = options;
  const fail = (message: string, where = file) => {
    io.stderr(`${paint('bold', where)}: ${paint('red', 'error')}: ${message}`);
    return EXIT_ERROR;
  };
  let bytes: Uint8Array;
  try {
    bytes = (io.readBytes ?? readCaptureFile)(file);
  } catch (error) {
    return fail(errorText(error, tr), error instanceof ReadError ? error.where(file) : file);
  }
  if (!isCapture(bytes)) {
    if (isPacketdrillFile(file)) return importPacketdrill(file, bytes, io, paint, tr);
    return fail(tr.t(M.notCapture));
  }
  let imported: ImportedCapture;
  try {
    imported = importCapture(readCapture(bytes), { name: file.split(/[\\/]/).pop() ?? file, tool: 'tcpscenario import' });
  } catch (error) {
    if (error instanceof CaptureFormatError || error instanceof InteropError) return fail(errorText(error, tr));
    throw error;
  }
  await io.write(imported.text);
  return replay(file, imported, options.limits, io, paint, tr);
}

/** A packetdrill script's translation on stdout (the scenario `run SCRIPT.pkt` runs); its errors on stderr. */
async function importPacketdrill(file: string, bytes: Uint8Array, io: Io, paint: ReturnType<typeof painter>, tr: Translator): Promise<number> {
  let text: string;
  try {
    text = decodeScenario(bytes);
  } catch (error) {
    const where = error instanceof ReadError ? error.where(file) : file;
    io.stderr(`${paint('bold', where)}: ${paint('red', 'error')}: ${errorText(error, tr)}`);
    return EXIT_ERROR;
  }
  const prepared = preparePacketdrill(text, { name: file.split(/[\\/]/).pop() ?? file });
  for (const d of prepared.diagnostics) io.stderr(formatDiagnostic(file, d, paint, tr));
  if (!prepared.translation || prepared.diagnostics.some((d) => d.severity === 'error')) return EXIT_ERROR;
  await io.write(prepared.translation.text);
  return EXIT_OK;
}

/** Runs the imported scenario and says where it first departs from the capture. */
function replay(file: string, imported: ImportedCapture, limits: Limits, io: Io, paint: ReturnType<typeof painter>, tr: Translator): number {
  const c = imported.conversation;
  const where = tr.t(c.point === 'both' ? M.capturedBoth : c.point === 'client' ? M.capturedAtClient : M.capturedAtServer);
  const segments = c.segments.length === 1 ? tr.t(M.segmentsOne) : tr.t(M.segmentsOther, formatCount(c.segments.length));
  io.stderr(tr.t(M.imported, file, segments, `${c.client.address}:${c.client.port}`, `${c.server.address}:${c.server.port}`, where, String(c.delay)));
  if (c.others.length > 0) io.stderr(tr.t(M.leftOut, file, c.others.join('; ')));
  const prepared = prepareScenario(imported.text);
  if (!prepared.program) {
    const problems = prepared.diagnostics.map((d) => `${d.range.line}:${d.range.column} ${tr.message({ template: d.template, args: d.args })}`);
    io.stderr(tr.t(M.replayFailed, file, problems.join('; ')));
    return EXIT_ERROR;
  }
  // As `run`: the limits' hints and the run's own messages in the locale.
  const hints = { events: tr.t(CLI_HINTS.events), seconds: tr.t(CLI_HINTS.seconds) };
  const run = new ScenarioRun(prepared.program, { ...limits, hints, translate: (template, args = []) => tr.t(template, ...args) }).runToEnd();
  if (run.engineError !== undefined) {
    io.stderr(tr.t(M.replayFailed, file, run.errorMessage() ?? ''));
    return EXIT_ERROR;
  }
  const doc = run.document();
  const full = compareCapture(doc, imported.summary, { states: false });
  if (run.limit) io.stderr(`${file}: ${paint('red', 'error')}: ${run.limit.message}`);
  if (!full.first) {
    io.stderr(tr.t(M.replayMatches, file, segments));
    return run.limit ? EXIT_LIMIT : EXIT_OK;
  }
  io.stderr(describeDifference(file, imported, full.first, tr));
  const noPsh = (text: string) => text.replace(/PSH,?/g, '');
  if (full.first.kind === 'segment' && noPsh(full.first.expected) === noPsh(full.first.actual.replace(/ at [\d.]+ ms$/, ''))) {
    const withoutPsh = compareCapture(doc, imported.summary, { states: false, psh: false });
    if (withoutPsh.first) {
      const d = withoutPsh.first;
      const frame = frameOf(imported, d);
      io.stderr(frame === undefined ? tr.t(M.withoutPsh, file, said(d, tr)) : tr.t(M.withoutPshFrame, file, String(frame), said(d, tr)));
    }
  }
  return run.limit ? EXIT_LIMIT : EXIT_DIFFERS;
}

/** A difference in the locale (its template, compareCapture's, translated; the segments and states in it as they are). */
function said(d: CaptureDifference, tr: Translator): string {
  return tr.t(d.template, ...d.args);
}

/** The capture's frame of the segment a difference is about (where it left its sender). */
function frameOf(imported: ImportedCapture, d: CaptureDifference): number | undefined {
  const [from, to] = d.where.split(' -> ');
  const segment = imported.conversation.segments.filter((s) => s.from === from && s.to === to)[d.index - 1];
  return segment ? (segment.sent ?? segment.arrived)?.frame : undefined;
}

function describeDifference(file: string, imported: ImportedCapture, d: CaptureDifference, tr: Translator): string {
  const frame = frameOf(imported, d);
  return frame === undefined ? tr.t(M.replayDiffersNoFrame, file, said(d, tr)) : tr.t(M.replayDiffers, file, String(frame), said(d, tr));
}
