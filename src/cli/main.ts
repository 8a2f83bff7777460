// `tcpscenario`: check, run, trace and render .tcpscenario files from a terminal or CI.
// Exit codes: 0 every expectation held, 1 an expectation failed, 2 a file has errors or
// the command line is wrong. Bad input never ends in a stack trace.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { version } from '../../package.json';
import type { Program } from '../engine/program';
import type { TraceEvent } from '../engine/trace';
import { CaptureWriteError } from '../interop/index';
import { InteropError } from '../interop/messages';
import { readScenarioFile } from '../run/read';
import { CLI_HINTS, DEFAULT_MAX_EVENTS, DEFAULT_MAX_SECONDS, limitOf, ScenarioRun } from '../run/run';
import { bundleOf, translatorFor } from '../text/bundles';
import { ENGLISH, localeFromEnv, type Translator } from '../text/translate';
import { CaptureFile } from './capture';
import { checkFile, EXIT_ERROR, EXIT_LIMIT, EXIT_OK, hints, keepingIo, load, readErrorText, runFile, runTranslate, worse, type FileOptions, type RunOutcome } from './files';
import { importCommand } from './import';
import { Utf8Output } from './output';
import { TraceStream } from './traceStream';
import { CliProblem, limitArgument, problem } from './problem';
import { CLI_MESSAGES as C, HELP_LINES } from './messages';
import { renderCommand } from './render';
import { forEachFile, type Placement } from './parallel';
import { colourWanted, painter } from './terminal';

/** `tcpscenario --help` in the CLI's language. */
function help(tr: Translator): string {
  return HELP_LINES.map((line) => (line === '' ? '' : tr.t(line, DEFAULT_MAX_EVENTS, DEFAULT_MAX_SECONDS))).join('\n');
}

export interface Io {
  /** A line (a newline is added). */
  stdout: (text: string) => void;
  /**
   * Raw output that may be large (trace): resolves when the stream can take more. With `more`, a
   * string may wait in a buffer for the next write (which must come), e.g. a comma before a batch.
   */
  write: (chunk: string | Uint8Array, more?: boolean) => void | Promise<void>;
  stderr: (text: string) => void;
  readFile: (path: string) => string;
  /** Binary files (`import` reads captures); default: src/run/read.ts's readCaptureFile. */
  readBytes?: (path: string) => Uint8Array;
  colour: { stdout: boolean; stderr: boolean };
  /** The language of messages (from the environment's locale); English when absent. */
  tr?: Translator;
}

interface Options extends FileOptions {
  files: string[];
  pcap?: string;
  pcapAt?: string;
}

function parseArgs(args: string[]): Options | 'help' | 'version' {
  const options: Options = { command: '', files: [], ladder: false, explain: false, absolute: false, limits: { maxEvents: DEFAULT_MAX_EVENTS, maxSeconds: DEFAULT_MAX_SECONDS } };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '-v' || arg === '--version') return 'version';
    if (arg === '--ladder') options.ladder = true;
    else if (arg === '--explain') options.explain = true;
    else if (arg === '--absolute') options.absolute = true;
    else if (arg === '--color' || arg === '--colour') options.colour = true;
    else if (arg === '--no-color' || arg === '--no-colour') options.colour = false;
    else if (arg === '--pcap' || arg.startsWith('--pcap=') || arg === '--pcap-at' || arg.startsWith('--pcap-at=')) {
      const name = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i];
      if (value === undefined || value === '' || (value.startsWith('-') && value !== '-')) throw problem(C.needsValue, name);
      if (name === '--pcap') options.pcap = value;
      else options.pcapAt = value;
    } else if (arg === '--profile' || arg.startsWith('--profile=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i];
      if (value !== 'rfc' && value !== 'linux') throw value === undefined ? problem(C.profileExpects) : problem(C.profileExpectsNot, value);
      options.profile = value;
    } else if (arg === '--max-events' || arg.startsWith('--max-events=') || arg === '--max-seconds' || arg.startsWith('--max-seconds=')) {
      const [name, value] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, args[++i]];
      if (name === '--max-events') options.limits.maxEvents = limitArgument(name, value, true);
      else options.limits.maxSeconds = limitArgument(name, value, false);
    } else if (arg === '--') {
      options.files.push(...args.slice(i + 1));
      break;
    } else if (arg.startsWith('-') && arg !== '-') {
      throw problem(C.unknownOption, arg);
    } else if (!options.command) options.command = arg;
    else options.files.push(arg);
  }
  if (!options.command) throw problem(C.missingCommand);
  if (!['check', 'run', 'trace'].includes(options.command)) throw problem(C.unknownCommand, options.command);
  if (options.files.length === 0) throw problem(C.needsFile, options.command);
  if (options.command === 'trace' && options.files.length > 1) throw problem(C.traceOneFile);
  if (options.ladder && options.command !== 'run') throw problem(C.ladderWithRun);
  if (options.explain && !options.ladder) throw problem(C.explainWithLadder);
  if (options.pcap !== undefined && options.command !== 'trace') throw problem(C.pcapWithTrace);
  if (options.pcapAt !== undefined && options.pcap === undefined) throw problem(C.pcapAtWithPcap);
  return options;
}

/** An error's message in the CLI's language: a file that cannot be read, a usage error, a capture that cannot be written; else as it is. */
function errorText(error: unknown, tr: Translator): string {
  if (error instanceof CliProblem) return tr.message(error.problem);
  if (error instanceof InteropError) return tr.message({ template: error.template, args: error.args });
  return readErrorText(error, tr);
}

/** "3 files", with where they ran when worker threads ran some ("3 files; the main thread and 1 worker thread: 2 + 1 files"). */
function filesAndPlacement(files: number, placement: Placement, tr: Translator): string {
  const text = files === 1 ? tr.t(C.filesOne) : tr.t(C.filesOther, files);
  const { main, workers } = placement;
  if (workers.length === 0) return text;
  const counts = [main, ...workers].join(' + ');
  return tr.t(C.filesWhere, text, workers.length === 1 ? tr.t(C.placementOne, counts) : tr.t(C.placementOther, workers.length, counts));
}

async function runCommand(options: Options, io: Io): Promise<number> {
  const tr = io.tr ?? ENGLISH;
  const { results, placement } = await eachFile(options, io, (file, fileIo, tick) => runFile(file, options, fileIo, tick));
  let exit = EXIT_OK;
  const tally: Record<RunOutcome, number> = { passed: 0, failed: 0, cut: 0, broken: 0 };
  for (const result of results) {
    exit = worse(exit, result.exit);
    tally[result.outcome]++;
  }
  if (options.files.length > 1) {
    const { passed, failed, cut, broken } = tally;
    const files = filesAndPlacement(options.files.length, placement, tr);
    const totals =
      cut && broken
        ? tr.t(C.totalsCutBroken, passed, failed, cut, broken, files)
        : cut
          ? tr.t(C.totalsCut, passed, failed, cut, files)
          : broken
            ? tr.t(C.totalsBroken, passed, failed, broken, files)
            : tr.t(C.totals, passed, failed, files);
    io.stdout(totals);
  }
  return exit;
}

async function checkCommand(options: Options, io: Io): Promise<number> {
  const tr = io.tr ?? ENGLISH;
  const { results, placement } = await eachFile(options, io, (file, fileIo) => checkFile(file, options, fileIo));
  const errors = results.reduce((n, r) => n + r.errors, 0);
  const warnings = results.reduce((n, r) => n + r.warnings, 0);
  if (errors + warnings > 0 || placement.workers.length > 0) {
    const e = errors === 1 ? tr.t(C.errorsOne) : tr.t(C.errorsOther, errors);
    const w = warnings === 1 ? tr.t(C.warningsOne) : tr.t(C.warningsOther, warnings);
    io.stderr(placement.workers.length > 0 ? tr.t(C.problemsWhere, e, w, filesAndPlacement(options.files.length, placement, tr)) : tr.t(C.problems, e, w));
  }
  return errors > 0 ? EXIT_ERROR : EXIT_OK;
}

/** What a file worker needs of the options (plain data). */
function fileOptions({ command, ladder, explain, absolute, profile, colour, limits }: Options): FileOptions {
  return { command, ladder, explain, absolute, profile, colour, limits };
}

/** Each file of the command, on worker threads when there are many (src/cli/parallel.ts). */
function eachFile<R>(options: Options, io: Io, each: (file: string, io: Io, tick: () => void) => R) {
  return forEachFile(
    options.files,
    { options: fileOptions(options), colour: io.colour, locale: (io.tr ?? ENGLISH).locale, bundle: bundleOf((io.tr ?? ENGLISH).locale) },
    join(__dirname, 'cliWorker.js'),
    (file, printed, tick) => each(file, keepingIo(io, printed), tick),
    (stream, text) => (stream === 0 ? io.stdout(text) : io.stderr(text)),
  );
}

/**
 * Prints the trace document as `JSON.stringify(doc, null, 2)` would, but event by event as the run
 * makes them (a long run never becomes one string), with `limit` last when a limit cut it.
 */
async function traceCommand(options: Options, io: Io): Promise<number> {
  const tr = io.tr ?? ENGLISH;
  const paint = painter(options.colour ?? io.colour.stderr);
  const [file] = options.files;
  const loaded = load(file, io, io.stderr, paint, options.profile);
  if (!loaded?.program) return EXIT_ERROR;
  const program: Program = loaded.program;
  let capture: CaptureFile | undefined;
  try {
    if (options.pcap !== undefined) capture = new CaptureFile(options.pcap, options.pcapAt, program, [file], `tcpscenario ${version}`);
  } catch (error) {
    io.stderr(`tcpscenario: ${paint('red', 'error')}: ${errorText(error, tr)}`);
    return EXIT_ERROR;
  }
  if (capture?.note) io.stderr(`${paint('cyan', 'note')}: ${tr.t(capture.note.template, ...capture.note.args)}`);
  const stream = new TraceStream(io);
  const run = new ScenarioRun(program, {
    ...options.limits,
    hints: CLI_HINTS,
    // Written as they come and dropped: the run does not hold a million events.
    keepEvents: false,
    onEvent: (event: TraceEvent) => {
      stream.add(event);
      capture?.add(event);
    },
  });
  const head = run.document();
  capture?.begin(head);
  await stream.begin(head);
  // Short slices, so that the text waiting to be written stays a few MB.
  while (!run.advance(10)) await stream.flush();
  await stream.endEvents();
  if (run.engineError !== undefined) {
    // The JSON is left unfinished on purpose: a consumer must not take it for a whole trace.
    await io.write('\n');
    io.stderr(`${file}: ${paint('red', 'error')}: ${run.errorMessage()}`);
    return EXIT_ERROR;
  }
  await stream.end(run.limit);
  if (capture) {
    try {
      io.stderr(capture.save(tr));
    } catch (error) {
      const where = error instanceof CaptureWriteError ? `${file}: ` : 'tcpscenario: ';
      io.stderr(`${where}${paint('red', 'error')}: ${errorText(error, tr)}`);
      return EXIT_ERROR;
    }
  }
  if (run.limit) {
    // The document keeps the English sentence (machines read it); the terminal gets the user's language.
    io.stderr(`${file}: ${paint('red', 'error')}: ${limitOf(run.limit.kind, run.limit.value, hints(tr), runTranslate(tr)).message}`);
    return EXIT_LIMIT;
  }
  return EXIT_OK;
}

export async function main(args: string[], io: Io): Promise<number> {
  if (args[0] === 'render') return renderCommand(args.slice(1), io);
  const tr = io.tr ?? ENGLISH;
  if (args[0] === 'import') return importCommand(args.slice(1), io);
  let options: Options | 'help' | 'version';
  try {
    options = parseArgs(args);
  } catch (error) {
    if (!(error instanceof CliProblem)) throw error;
    io.stderr(tr.t(C.usage, tr.message(error.problem)));
    return EXIT_ERROR;
  }
  if (options === 'help') {
    io.stdout(help(tr));
    return EXIT_OK;
  }
  if (options === 'version') {
    io.stdout(`tcpscenario ${version}`);
    return EXIT_OK;
  }
  if (options.command !== 'trace') {
    const empty = expandFolders(options);
    if (empty !== undefined) {
      io.stderr(tr.t(C.usage, tr.t(C.noScenarioInFolder, empty)));
      return EXIT_ERROR;
    }
  }
  switch (options.command) {
    case 'check':
      return checkCommand(options, io);
    case 'run':
      return runCommand(options, io);
    default:
      return traceCommand(options, io);
  }
}

/**
 * `check` and `run` of a folder (a regression suite in CI): every .tcpscenario file in it and its
 * subfolders, in path order; hidden folders and node_modules are left out. Returns a folder that
 * holds none, which is an error (a suite that silently runs nothing would pass).
 */
function expandFolders(options: Options): string | undefined {
  const files: string[] = [];
  for (const arg of options.files) {
    let folder = false;
    try {
      folder = statSync(arg).isDirectory();
    } catch {
      // not there: reading it says so, as for any file
    }
    if (!folder) {
      files.push(arg);
      continue;
    }
    const found = scenariosIn(arg);
    if (found.length === 0) return arg;
    files.push(...found);
  }
  options.files = files;
  return undefined;
}

function scenariosIn(folder: string): string[] {
  const found: string[] = [];
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...scenariosIn(path));
    else if (entry.isFile() && entry.name.endsWith('.tcpscenario')) found.push(path);
  }
  return found;
}

function processIo(): Io {
  // A write resolves once the stream is done with the bytes: the output's buffer is then reused.
  const put = (bytes: Uint8Array) => new Promise<void>((resolve) => process.stdout.write(bytes, () => resolve()));
  const output = new Utf8Output(put);
  return {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
    write: (chunk, more) => (typeof chunk === 'string' ? output.write(chunk, more) : output.flush().then(() => put(chunk))),
    readFile: readScenarioFile,
    colour: { stdout: colourWanted(process.stdout, process.env), stderr: colourWanted(process.stderr, process.env) },
    tr: translatorFor(localeFromEnv(process.env)),
  };
}

// Run when bundled as dist/cli.js (not when a test imports this module).
if (require.main === module) {
  // A closed pipe (`tcpscenario trace x | head`) is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${translatorFor(localeFromEnv(process.env)).t(C.internalError, error instanceof Error ? error.message : String(error))}\n`);
      if (process.env.TCPSCENARIO_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
      process.exitCode = EXIT_ERROR;
    },
  );
}
