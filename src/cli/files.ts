// One file of `tcpscenario run` or `check`: read, compile, run, report. The main thread
// (main.ts) and the file workers (fileWorker.ts, a bundle of their own: dist/cliWorker.js) both
// handle files through this module, so it imports only what a run needs (no render, import,
// capture or bundled translations).

import type { Program, ProfileName } from '../engine/program';
import type { ExpectEvent } from '../engine/trace';
import { diagnose, type Diagnostic } from '../language/index';
import { isPacketdrillFile } from '../run/packetdrill';
import { ReadError } from '../run/read';
import { CLI_HINTS, prepareScenario, ScenarioRun, type LimitHints, type Limits, type Translate } from '../run/run';
import { formatTime } from '../text/format';
import { ENGLISH, type Translator } from '../text/translate';
import { formatDiagnostic } from './diagnostic';
import { renderLadder } from './ladder';
import type { Io } from './main';
import { CLI_MESSAGES as C } from './messages';
import type { Printed } from './parallel';
import { painter, type Paint } from './terminal';

export const EXIT_OK = 0;
export const EXIT_EXPECTATION_FAILED = 1;
export const EXIT_ERROR = 2;
/** A run was cut by --max-events or --max-seconds. */
export const EXIT_LIMIT = 3;


/** What handling a file of `run` or `check` needs of the command line (plain data: it goes to the workers). */
export interface FileOptions {
  command: string;
  ladder: boolean;
  explain: boolean;
  absolute: boolean;
  profile?: ProfileName;
  colour?: boolean;
  limits: Limits;
}

/** A file that cannot be read, in the CLI's language. */
export function readErrorText(error: unknown, tr: Translator): string {
  if (error instanceof ReadError) return tr.t(error.template, ...error.args);
  return error instanceof Error ? error.message : String(error);
}

/** The run path's translation hook, for limits and engine failures. */
export function runTranslate(tr: Translator): Translate {
  return (template, args = []) => tr.t(template, ...args);
}

export function hints(tr: Translator): LimitHints {
  return { events: tr.t(CLI_HINTS.events), seconds: tr.t(CLI_HINTS.seconds) };
}


interface Loaded {
  program?: Program;
  diagnostics: Diagnostic[];
  text: string;
}

/**
 * Reads and compiles a file (the profile settled), printing its diagnostics; undefined when it
 * cannot be read. `check` (no `run`) needs no program: parsed and checked only.
 */
export function load(file: string, io: Io, print: (text: string) => void, paint: Paint, profile?: ProfileName, check = false): Loaded | undefined {
  const tr = io.tr ?? ENGLISH;
  let text: string;
  try {
    text = io.readFile(file);
  } catch (error) {
    const where = error instanceof ReadError ? error.where(file) : file;
    print(`${paint('bold', where)}: ${paint('red', 'error')}: ${readErrorText(error, tr)}`);
    return undefined;
  }
  // A packetdrill script is always translated (src/run/packetdrill.ts): its check is the run path's.
  const result = check && !isPacketdrillFile(file) ? diagnose(text) : prepareScenario(text, { profile, file });
  for (const d of result.diagnostics) print(formatDiagnostic(file, d, paint, tr));
  return { program: (result as { program?: Program }).program, diagnostics: result.diagnostics, text };
}

function sourceLine(text: string, line: number): string {
  return (text.split(/\r?\n/)[line - 1] ?? '').trim();
}

/** Exit code of several files: an error beats a limit, which beats a failed expectation. */
export function worse(a: number, b: number): number {
  const rank = (code: number) => [EXIT_OK, EXIT_EXPECTATION_FAILED, EXIT_LIMIT, EXIT_ERROR].indexOf(code);
  return rank(a) >= rank(b) ? a : b;
}

export type RunOutcome = 'passed' | 'failed' | 'cut' | 'broken';

/** One file of `run`: its report, and how it ended. `tick` is called now and then during the run (forEachFile). */
export function runFile(file: string, options: FileOptions, io: Io, tick?: () => void): { exit: number; outcome: RunOutcome } {
  const tr = io.tr ?? ENGLISH;
  const paint = painter(options.colour ?? io.colour.stdout);
  const errPaint = painter(options.colour ?? io.colour.stderr);
  // The result word (PASS, FAIL, CUT, ERROR) begins the line in every language, coloured.
  const result = (colour: 'red' | 'green' | 'yellow', line: string) => {
    const space = line.indexOf(' ');
    return `${paint(colour, line.slice(0, space))}${line.slice(space)}`;
  };
  const loaded = load(file, io, io.stderr, errPaint, options.profile);
  if (!loaded?.program) {
    io.stdout(result('red', tr.t(C.notRun, file)));
    return { exit: EXIT_ERROR, outcome: 'broken' };
  }
  const program = loaded.program;
  const run = new ScenarioRun(program, { ...options.limits, hints: hints(tr), translate: runTranslate(tr), onClock: tick }).runToEnd();
  if (run.engineError !== undefined) {
    io.stderr(`${file}: ${errPaint('red', 'error')}: ${run.errorMessage()}`);
    return { exit: EXIT_ERROR, outcome: 'broken' };
  }
  const doc = run.document();
  if (options.ladder) {
    const title = program.title ? tr.t(C.ladderTitleNamed, file, program.title, program.profile) : tr.t(C.ladderTitle, file, program.profile);
    io.stdout(paint('bold', title));
    io.stdout(renderLadder(doc, { absolute: options.absolute, paint, explain: options.explain, tr }));
    io.stdout('');
  }
  const expects = doc.events.filter((e): e is ExpectEvent => e.kind === 'expect');
  const failures = expects.filter((e) => !e.ok);
  // A `wait` that never finished is reported as a failed expectation at its line: count it as one.
  const waitLines = new Set(program.statements.filter((s) => s.action.kind.startsWith('wait')).map((s) => s.line));
  const expectStatements = program.statements.filter((s) => s.action.kind.startsWith('expect')).length + failures.filter((f) => f.line !== undefined && waitLines.has(f.line)).length;
  let outcome: { exit: number; outcome: RunOutcome };
  if (run.limit) {
    // Cut short: not a pass, whatever the expectations checked so far say.
    outcome = { exit: EXIT_LIMIT, outcome: 'cut' };
    io.stderr(`${file}: ${errPaint('red', 'error')}: ${run.limit.message}`);
    const held = expects.length - failures.length;
    const line =
      expectStatements === 0
        ? tr.t(C.cut, file, run.limit.message)
        : expectStatements === 1
          ? tr.t(C.cutHeldOne, file, run.limit.message, held)
          : tr.t(C.cutHeldOther, file, run.limit.message, held, expectStatements);
    io.stdout(result('yellow', line));
  } else if (failures.length === 0 && expects.length >= expectStatements) {
    io.stdout(result('green', expects.length === 1 ? tr.t(C.passOne, file) : tr.t(C.passOther, file, expects.length)));
    return { exit: EXIT_OK, outcome: 'passed' };
  } else {
    outcome = { exit: EXIT_EXPECTATION_FAILED, outcome: 'failed' };
    io.stdout(result('red', expectStatements === 1 ? tr.t(C.failOne, file, failures.length) : tr.t(C.failOther, file, failures.length, expectStatements)));
  }
  for (const failure of failures) {
    const line = failure.line ?? 0;
    io.stdout(`  ${tr.t(C.failedAt, paint('bold', `${file}:${line}`), sourceLine(loaded.text, line) || failure.message, formatTime(failure.t))}`);
    io.stdout(tr.t(C.expected, failure.expected ?? failure.message));
    io.stdout(tr.t(C.actual, failure.actual ?? tr.t(C.notReported)));
  }
  const checkedLines = new Set(expects.map((e) => e.line));
  for (const s of program.statements) {
    if (s.action.kind.startsWith('expect') && !checkedLines.has(s.line)) {
      io.stdout(`  ${paint('bold', `${file}:${s.line}`)}: ${sourceLine(loaded.text, s.line)}`);
      io.stdout(tr.t(run.limit ? C.neverCheckedCut : C.neverCheckedEnded));
    }
  }
  return outcome;
}


/** One file of `check`: its diagnostics printed, and counted. */
export function checkFile(file: string, options: FileOptions, io: Io): { errors: number; warnings: number } {
  const paint = painter(options.colour ?? io.colour.stdout);
  const loaded = load(file, io, io.stdout, paint, undefined, true);
  if (!loaded) return { errors: 1, warnings: 0 };
  return { errors: loaded.diagnostics.filter((d) => d.severity === 'error').length, warnings: loaded.diagnostics.filter((d) => d.severity === 'warning').length };
}


/** An Io that keeps what a file prints (for the order of the files, whichever thread ran it). */
export function keepingIo(io: Pick<Io, 'readFile' | 'colour' | 'tr'>, printed: Printed): Io {
  return {
    stdout: (text) => printed.push([0, text]),
    stderr: (text) => printed.push([1, text]),
    write: (chunk) => void printed.push([0, typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk)]),
    readFile: io.readFile,
    colour: io.colour,
    tr: io.tr,
  };
}
