// `tcpscenario`: check, run, trace and render .tcpscenario files from a terminal or CI.
// Exit codes: 0 every expectation held, 1 an expectation failed, 2 a file has errors or
// the command line is wrong. Bad input never ends in a stack trace.

import { version } from '../../package.json';
import { traceDocumentOf } from '../engine/index';
import { count } from '../engine/plural';
import type { Program, ProfileName } from '../engine/program';
import type { ExpectEvent } from '../engine/trace';
import { CaptureWriteError } from '../interop/index';
import { compile, type Diagnostic } from '../language/index';
import { CaptureFile } from './capture';
import { renderLadder } from './ladder';
import { renderCommand } from './render';
import { InputError, MAX_EVENTS, readScenario, runToEnd } from './scenario';
import { colourWanted, painter, type Paint } from './terminal';

export const EXIT_OK = 0;
export const EXIT_EXPECTATION_FAILED = 1;
export const EXIT_ERROR = 2;


const HELP = `Usage: tcpscenario <command> [options] FILE...

Runs .tcpscenario files: TCP endpoints, network faults and expectations, simulated as RFC 9293 says.

Commands:
  check FILE...          Report errors and warnings as FILE:LINE:COL: error|warning: message
  run FILE...            Run each scenario to the end; report whether every expect held
  trace FILE [--pcap OUT [--pcap-at NAME]]
                         Print the run's trace as JSON on stdout; with --pcap, also write
                         it as a pcapng capture for Wireshark (docs/wireshark.md)
  render FILE --svg OUT [--png OUT]
                         Draw the ladder diagram of a run to SVG (and PNG)

Options:
  --ladder               (run) Print a text sequence diagram of each run
  --absolute             (run --ladder) Absolute sequence numbers instead of relative to the ISN
  --profile rfc|linux    (run, trace) Use this profile instead of the file's
  --pcap OUT             (trace) Write a pcapng capture: one interface per endpoint
  --pcap-at NAME         (trace --pcap) Only what a capture on endpoint NAME would record
  --color, --no-color    Force colours on or off (default: on a terminal, unless NO_COLOR is set)
  -h, --help             Show this help
  -v, --version          Show the version

Exit codes: 0 every expectation held, 1 an expectation failed, 2 a file has errors or the command line is wrong.`;

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readFile: (path: string) => string;
  colour: { stdout: boolean; stderr: boolean };
}

interface Options {
  command: string;
  files: string[];
  ladder: boolean;
  absolute: boolean;
  profile?: ProfileName;
  colour?: boolean;
  pcap?: string;
  pcapAt?: string;
}

class UsageError extends Error {}

function parseArgs(args: string[]): Options | 'help' | 'version' {
  const options: Options = { command: '', files: [], ladder: false, absolute: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '-v' || arg === '--version') return 'version';
    if (arg === '--ladder') options.ladder = true;
    else if (arg === '--absolute') options.absolute = true;
    else if (arg === '--color' || arg === '--colour') options.colour = true;
    else if (arg === '--no-color' || arg === '--no-colour') options.colour = false;
    else if (arg === '--pcap' || arg.startsWith('--pcap=') || arg === '--pcap-at' || arg.startsWith('--pcap-at=')) {
      const name = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i];
      if (value === undefined || value === '' || (value.startsWith('-') && value !== '-')) throw new UsageError(`${name} needs a value`);
      if (name === '--pcap') options.pcap = value;
      else options.pcapAt = value;
    } else if (arg === '--profile' || arg.startsWith('--profile=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i];
      if (value !== 'rfc' && value !== 'linux') throw new UsageError(`--profile expects rfc or linux${value === undefined ? '' : `, not '${value}'`}`);
      options.profile = value;
    } else if (arg === '--') {
      options.files.push(...args.slice(i + 1));
      break;
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option '${arg}'`);
    } else if (!options.command) options.command = arg;
    else options.files.push(arg);
  }
  if (!options.command) throw new UsageError('missing command (check, run, trace or render)');
  if (!['check', 'run', 'trace'].includes(options.command)) throw new UsageError(`unknown command '${options.command}'; expected check, run, trace or render`);
  if (options.files.length === 0) throw new UsageError(`${options.command} needs a FILE`);
  if (options.command === 'trace' && options.files.length > 1) throw new UsageError('trace takes one FILE');
  if (options.ladder && options.command !== 'run') throw new UsageError('--ladder goes with run');
  if (options.pcap !== undefined && options.command !== 'trace') throw new UsageError('--pcap goes with trace');
  if (options.pcapAt !== undefined && options.pcap === undefined) throw new UsageError('--pcap-at goes with --pcap OUT');
  return options;
}

export function formatDiagnostic(file: string, d: Diagnostic, paint: Paint): string {
  const severity = d.severity === 'error' ? paint('red', 'error') : d.severity === 'warning' ? paint('yellow', 'warning') : paint('cyan', 'info');
  return `${paint('bold', `${file}:${d.range.line}:${d.range.column}`)}: ${severity}: ${d.message} [${d.code}]`;
}

interface Loaded {
  program?: Program;
  diagnostics: Diagnostic[];
  text: string;
}

/** Reads and compiles a file, printing its diagnostics; undefined when it cannot run. */
function load(file: string, io: Io, print: (text: string) => void, paint: Paint): Loaded | undefined {
  let text: string;
  try {
    text = io.readFile(file);
  } catch (error) {
    print(`${paint('bold', file)}: ${paint('red', 'error')}: ${error instanceof InputError ? error.message : String(error)}`);
    return undefined;
  }
  const result = compile(text);
  for (const d of result.diagnostics) print(formatDiagnostic(file, d, paint));
  return { program: result.program, diagnostics: result.diagnostics, text };
}

function sourceLine(text: string, line: number): string {
  return (text.split(/\r?\n/)[line - 1] ?? '').trim();
}

function runCommand(options: Options, io: Io): number {
  const paint = painter(options.colour ?? io.colour.stdout);
  const errPaint = painter(options.colour ?? io.colour.stderr);
  let exit = EXIT_OK;
  let passed = 0;
  let failed = 0;
  let broken = 0;
  for (const file of options.files) {
    const loaded = load(file, io, io.stderr, errPaint);
    if (!loaded?.program) {
      broken++;
      exit = EXIT_ERROR;
      io.stdout(`${paint('red', 'ERROR')} ${file}: not run (errors above)`);
      continue;
    }
    const program = options.profile ? { ...loaded.program, profile: options.profile } : loaded.program;
    let run;
    try {
      run = runToEnd(program);
    } catch (error) {
      broken++;
      exit = EXIT_ERROR;
      io.stderr(`${file}: ${errPaint('red', 'error')}: the engine failed on this scenario: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const doc = traceDocumentOf(program, run.simulation.trace);
    if (options.ladder) {
      io.stdout(paint('bold', `${file}${program.title ? `: ${program.title}` : ''} (profile ${program.profile})`));
      io.stdout(renderLadder(doc, { absolute: options.absolute, paint }));
      io.stdout('');
    }
    const expects = doc.events.filter((e): e is ExpectEvent => e.kind === 'expect');
    const failures = expects.filter((e) => !e.ok);
    const expectStatements = program.statements.filter((s) => s.action.kind.startsWith('expect')).length;
    const cap = run.capped ? ` (stopped after ${MAX_EVENTS.toLocaleString('en-US')} events)` : '';
    if (failures.length === 0 && expects.length >= expectStatements) {
      passed++;
      io.stdout(`${paint('green', 'PASS')} ${file}: ${count(expects.length, 'expectation')} held${cap}`);
      continue;
    }
    failed++;
    exit = Math.max(exit, EXIT_EXPECTATION_FAILED);
    io.stdout(`${paint('red', 'FAIL')} ${file}: ${failures.length} of ${count(expectStatements, 'expectation')} failed${cap}`);
    for (const failure of failures) {
      const line = failure.line ?? 0;
      io.stdout(`  ${paint('bold', `${file}:${line}`)}: ${sourceLine(loaded.text, line) || failure.message} (at ${failure.t}ms)`);
      io.stdout(`    expected: ${failure.expected ?? failure.message}`);
      io.stdout(`    actual:   ${failure.actual ?? '(not reported)'}`);
    }
    const checkedLines = new Set(expects.map((e) => e.line));
    for (const s of program.statements) {
      if (s.action.kind.startsWith('expect') && !checkedLines.has(s.line)) {
        io.stdout(`  ${paint('bold', `${file}:${s.line}`)}: ${sourceLine(loaded.text, s.line)}`);
        io.stdout('    never checked: the run ended before this line');
      }
    }
  }
  if (options.files.length > 1) {
    io.stdout(`${passed} passed, ${failed} failed${broken ? `, ${broken} with errors` : ''} (${count(options.files.length, 'file')})`);
  }
  return exit;
}

function checkCommand(options: Options, io: Io): number {
  const paint = painter(options.colour ?? io.colour.stdout);
  let errors = 0;
  let warnings = 0;
  for (const file of options.files) {
    const loaded = load(file, io, io.stdout, paint);
    if (!loaded) {
      errors++;
      continue;
    }
    errors += loaded.diagnostics.filter((d) => d.severity === 'error').length;
    warnings += loaded.diagnostics.filter((d) => d.severity === 'warning').length;
  }
  if (errors + warnings > 0) io.stderr(`${count(errors, 'error')}, ${count(warnings, 'warning')}`);
  return errors > 0 ? EXIT_ERROR : EXIT_OK;
}

function traceCommand(options: Options, io: Io): number {
  const paint = painter(options.colour ?? io.colour.stderr);
  const [file] = options.files;
  const loaded = load(file, io, io.stderr, paint);
  if (!loaded?.program) return EXIT_ERROR;
  const program = options.profile ? { ...loaded.program, profile: options.profile } : loaded.program;
  let capture: CaptureFile | undefined;
  try {
    if (options.pcap !== undefined) capture = new CaptureFile(options.pcap, options.pcapAt, program, [file], `tcpscenario ${version}`);
  } catch (error) {
    io.stderr(`tcpscenario: ${paint('red', 'error')}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_ERROR;
  }
  if (capture?.note) io.stderr(`${paint('cyan', 'note')}: ${capture.note}`);
  let doc;
  try {
    const { simulation } = runToEnd(program);
    doc = traceDocumentOf(program, simulation.trace);
  } catch (error) {
    io.stderr(`${file}: ${paint('red', 'error')}: the engine failed on this scenario: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_ERROR;
  }
  io.stdout(JSON.stringify(doc, null, 2));
  if (!capture) return EXIT_OK;
  try {
    capture.begin(doc);
    for (const event of doc.events) capture.add(event);
    io.stderr(capture.save());
  } catch (error) {
    const where = error instanceof CaptureWriteError ? `${file}: ` : 'tcpscenario: ';
    io.stderr(`${where}${paint('red', 'error')}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_ERROR;
  }
  return EXIT_OK;
}

export async function main(args: string[], io: Io): Promise<number> {
  if (args[0] === 'render') return renderCommand(args.slice(1));
  let options: Options | 'help' | 'version';
  try {
    options = parseArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`tcpscenario: ${error.message}\nRun 'tcpscenario --help' for usage.`);
    return EXIT_ERROR;
  }
  if (options === 'help') {
    io.stdout(HELP);
    return EXIT_OK;
  }
  if (options === 'version') {
    io.stdout(`tcpscenario ${version}`);
    return EXIT_OK;
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

function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
    readFile: readScenario,
    colour: { stdout: colourWanted(process.stdout, process.env), stderr: colourWanted(process.stderr, process.env) },
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
      process.stderr.write(`tcpscenario: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
      if (process.env.TCPSCENARIO_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
      process.exitCode = EXIT_ERROR;
    },
  );
}
