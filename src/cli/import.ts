// `tcpscenario import FILE`: a capture (pcap or pcapng) or a packetdrill script (.pkt) as a
// .tcpscenario on stdout (docs/import.md, docs/packetdrill.md). A capture's scenario is then replayed
// in the linux profile through the one run path, and stderr says where the simulation first departs
// from what was captured (compareCapture), with the frame it is in.

import { compareCapture, type CaptureDifference } from '../interop/compareCapture';
import { CaptureFormatError, readCapture } from '../interop/pcapRead';
import { importCapture, type ImportedCapture } from '../interop/importCapture';
import { InteropError } from '../interop/messages';
import { format, formatCount } from '../run/messages';
import { isPacketdrillFile, preparePacketdrill } from '../run/packetdrill';
import { decodeScenario, ReadError, readCaptureFile } from '../run/read';
import { CLI_HINTS, DEFAULT_MAX_EVENTS, DEFAULT_MAX_SECONDS, prepareScenario, ScenarioRun, type Limits } from '../run/run';
import { INTEROP_CLI_MESSAGES as M } from './interopMessages';
import type { Io } from './main';
import { painter } from './terminal';

const EXIT_OK = 0;
const EXIT_DIFFERS = 1;
const EXIT_ERROR = 2;
const EXIT_LIMIT = 3;

const CAPTURE_MAGICS = [0x0a0d0d0a, 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1];

class UsageError extends Error {}

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
      if (value === undefined) throw new UsageError(format(M.needsValue, [name]));
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0 || (name === '--max-events' && !Number.isInteger(n))) {
        throw new UsageError(`${name} expects a positive ${name === '--max-events' ? 'whole number' : 'number'}, not '${value}'`);
      }
      if (name === '--max-events') limits.maxEvents = n;
      else limits.maxSeconds = n;
    } else if (arg === '--') {
      files.push(...args.slice(i + 1));
      break;
    } else if (arg.startsWith('-') && arg !== '-') throw new UsageError(format(M.unknownOption, [arg]));
    else files.push(arg);
  }
  if (files.length === 0) throw new UsageError(M.importNeedsFile);
  if (files.length > 1) throw new UsageError(M.importOneFile);
  return { file: files[0], limits, colour };
}

function isCapture(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && CAPTURE_MAGICS.includes(new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, false));
}

export async function importCommand(args: string[], io: Io): Promise<number> {
  let options: ImportArgs | 'help';
  try {
    options = parseArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`tcpscenario: ${error.message}\nRun 'tcpscenario import --help' for usage.`);
    return EXIT_ERROR;
  }
  if (options === 'help') {
    io.stdout(M.importUsage);
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
    return fail(error instanceof Error ? error.message : String(error), error instanceof ReadError ? error.where(file) : file);
  }
  if (!isCapture(bytes)) {
    if (isPacketdrillFile(file)) return importPacketdrill(file, bytes, io, paint);
    return fail(M.notCapture);
  }
  let imported: ImportedCapture;
  try {
    imported = importCapture(readCapture(bytes), { name: file.split(/[\\/]/).pop() ?? file, tool: 'tcpscenario import' });
  } catch (error) {
    if (error instanceof CaptureFormatError || error instanceof InteropError) return fail(error.message);
    throw error;
  }
  await io.write(imported.text);
  return replay(file, imported, options.limits, io, paint);
}

/** A packetdrill script's translation on stdout (the scenario `run SCRIPT.pkt` runs); its errors on stderr. */
async function importPacketdrill(file: string, bytes: Uint8Array, io: Io, paint: ReturnType<typeof painter>): Promise<number> {
  let text: string;
  try {
    text = decodeScenario(bytes);
  } catch (error) {
    const where = error instanceof ReadError ? error.where(file) : file;
    io.stderr(`${paint('bold', where)}: ${paint('red', 'error')}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_ERROR;
  }
  const prepared = preparePacketdrill(text, { name: file.split(/[\\/]/).pop() ?? file });
  for (const d of prepared.diagnostics) {
    const severity = d.severity === 'error' ? paint('red', 'error') : paint('yellow', d.severity);
    io.stderr(`${paint('bold', `${file}:${d.range.line}:${d.range.column}`)}: ${severity}: ${d.message} [${d.code}]`);
  }
  if (!prepared.translation || prepared.diagnostics.some((d) => d.severity === 'error')) return EXIT_ERROR;
  await io.write(prepared.translation.text);
  return EXIT_OK;
}

/** Runs the imported scenario and says where it first departs from the capture. */
function replay(file: string, imported: ImportedCapture, limits: Limits, io: Io, paint: ReturnType<typeof painter>): number {
  const c = imported.conversation;
  const where = c.point === 'both' ? M.capturedBoth : format(M.capturedAt, [c.point]);
  const segments = `${formatCount(c.segments.length)} segment${c.segments.length === 1 ? '' : 's'}`;
  io.stderr(format(M.imported, [file, segments, `${c.client.address}:${c.client.port}`, `${c.server.address}:${c.server.port}`, where, String(c.delay)]));
  if (c.others.length > 0) io.stderr(format(M.leftOut, [file, c.others.join('; ')]));
  const prepared = prepareScenario(imported.text);
  if (!prepared.program) {
    io.stderr(format(M.replayFailed, [file, prepared.diagnostics.map((d) => `${d.range.line}:${d.range.column} ${d.message}`).join('; ')]));
    return EXIT_ERROR;
  }
  const run = new ScenarioRun(prepared.program, { ...limits, hints: CLI_HINTS }).runToEnd();
  if (run.engineError !== undefined) {
    io.stderr(format(M.replayFailed, [file, run.errorMessage() ?? '']));
    return EXIT_ERROR;
  }
  const doc = run.document();
  const full = compareCapture(doc, imported.summary, { states: false });
  if (run.limit) io.stderr(`${file}: ${paint('red', 'error')}: ${run.limit.message}`);
  if (!full.first) {
    io.stderr(format(M.replayMatches, [file, segments]));
    return run.limit ? EXIT_LIMIT : EXIT_OK;
  }
  io.stderr(describeDifference(file, imported, full.first));
  const noPsh = (text: string) => text.replace(/PSH,?/g, '');
  if (full.first.kind === 'segment' && noPsh(full.first.expected) === noPsh(full.first.actual.replace(/ at [\d.]+ ms$/, ''))) {
    const withoutPsh = compareCapture(doc, imported.summary, { states: false, psh: false });
    if (withoutPsh.first) io.stderr(format(M.withoutPsh, [file, withFrame(imported, withoutPsh.first)]));
  }
  return run.limit ? EXIT_LIMIT : EXIT_DIFFERS;
}

/** The capture's frame of the segment a difference is about (where it left its sender). */
function frameOf(imported: ImportedCapture, d: CaptureDifference): number | undefined {
  const [from, to] = d.where.split(' -> ');
  const segment = imported.conversation.segments.filter((s) => s.from === from && s.to === to)[d.index - 1];
  return segment ? (segment.sent ?? segment.arrived)?.frame : undefined;
}

function withFrame(imported: ImportedCapture, d: CaptureDifference): string {
  const frame = frameOf(imported, d);
  return frame === undefined ? d.message : `frame ${frame}: ${d.message}`;
}

function describeDifference(file: string, imported: ImportedCapture, d: CaptureDifference): string {
  const frame = frameOf(imported, d);
  return frame === undefined ? format(M.replayDiffersNoFrame, [file, d.message]) : format(M.replayDiffers, [file, String(frame), d.message]);
}
