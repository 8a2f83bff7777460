// Every sentence `tcpscenario` prints, as an English template with {0} placeholders: the l10n key
// (l10n/bundle.l10n.*.json), said in the locale LC_ALL / LC_MESSAGES / LANG / LANGUAGE give
// (src/text/translate.ts, localeFromEnv). What machines read stays as it is in every language: the
// trace JSON, exit codes, `FILE:LINE:COL: error:` and `warning:` prefixes with the [code], and the
// PASS / FAIL / CUT / ERROR words that begin a result line.

export const CLI_MESSAGES = {
  // ---- usage --------------------------------------------------------------------------------
  usage: "tcpscenario: {0}\nRun 'tcpscenario --help' for usage.",
  needsValue: '{0} needs a value',
  profileExpects: '--profile expects rfc or linux',
  profileExpectsNot: "--profile expects rfc or linux, not '{0}'",
  positiveWhole: '{0} expects a positive whole number',
  positiveWholeNot: "{0} expects a positive whole number, not '{1}'",
  positiveNumber: '{0} expects a positive number',
  positiveNumberNot: "{0} expects a positive number, not '{1}'",
  unknownOption: "unknown option '{0}'",
  missingCommand: 'missing command (check, run, trace or render)',
  unknownCommand: "unknown command '{0}'; expected check, run, trace or render",
  needsFile: '{0} needs a FILE',
  traceOneFile: 'trace takes one FILE',
  ladderWithRun: '--ladder goes with run',
  explainWithLadder: '--explain goes with --ladder',
  pcapWithTrace: '--pcap goes with trace',
  pcapAtWithPcap: '--pcap-at goes with --pcap OUT',
  // ---- run ----------------------------------------------------------------------------------
  notRun: 'ERROR {0}: not run (errors above)',
  passOne: 'PASS {0}: 1 expectation held',
  passOther: 'PASS {0}: {1} expectations held',
  cut: 'CUT {0}: {1}',
  cutHeldOne: 'CUT {0}: {1} ({2} of 1 expectation held before that)',
  cutHeldOther: 'CUT {0}: {1} ({2} of {3} expectations held before that)',
  failOne: 'FAIL {0}: {1} of 1 expectation failed',
  failOther: 'FAIL {0}: {1} of {2} expectations failed',
  failedAt: '{0}: {1} (at {2})',
  expected: '    expected: {0}',
  actual: '    actual:   {0}',
  notReported: '(not reported)',
  neverCheckedEnded: '    never checked: the run ended before this line',
  neverCheckedCut: '    never checked: the run was cut before this line',
  totals: '{0} passed, {1} failed ({2})',
  totalsCut: '{0} passed, {1} failed, {2} cut by a limit ({3})',
  totalsBroken: '{0} passed, {1} failed, {2} with errors ({3})',
  totalsCutBroken: '{0} passed, {1} failed, {2} cut by a limit, {3} with errors ({4})',
  filesOne: '1 file',
  filesOther: '{0} files',
  /** The files, then where they ran: "3 files; 2 worker threads: 2 + 1 files". */
  filesWhere: '{0}; {1}',
  placement: '{0} worker threads: {1} files',
  ladderTitle: '{0} (profile {1})',
  ladderTitleNamed: '{0}: {1} (profile {2})',
  // ---- check --------------------------------------------------------------------------------
  problems: '{0}, {1}',
  problemsWhere: '{0}, {1} ({2})',
  errorsOne: '1 error',
  errorsOther: '{0} errors',
  warningsOne: '1 warning',
  warningsOther: '{0} warnings',
  // ---- the ladder (run --ladder) -------------------------------------------------------------
  lost: 'lost: {0}',
  timerFires: '~ {0} fires',
  toApplication: '{0} to the application',
  note: 'note: {0}',
  expectOk: 'ok {0}',
  expectOkLine: 'ok line {0}: {1}',
  expectFailed: 'FAILED {0}',
  expectFailedLine: 'FAILED line {0}: {1}',
  discarded: '~ {0} discarded {1}',
  retx: 'retx',
  inject: 'inject',
  dup: 'dup',
  keepaliveProbe: 'keep-alive probe',
  zeroWindowProbe: 'zero-window probe',
  /** --explain: the rule beside a ladder line, or the line of the scenario that caused it. */
  explainRule: '{0}: {1}',
  explainLine: 'line {0}',
  // ---- errors -------------------------------------------------------------------------------
  internalError: 'tcpscenario: internal error: {0}',
  // ---- render -------------------------------------------------------------------------------
  renderNeedsFile: 'render needs a FILE',
  renderOneFile: 'render takes one FILE',
  renderNeedsOutput: 'render needs --svg OUT, --png OUT or --mermaid OUT',
  renderOneStdout: 'only one of --svg and --mermaid can write to standard output (-)',
  renderUnknownOption: "unknown option '{0}' for render",
  themeExpects: "--theme expects light or dark, not '{0}'",
  renderLimit: '{0}; the diagram shows the run up to there',
  cannotWrite: '{0}: cannot write ({1})',
  noSuchDirectory: 'no such directory',
  permissionDenied: 'permission denied',
  pngNeedsChromium: '--png needs Chromium, which was not found (install chromium or set TCPSCENARIO_CHROMIUM)',
  pngTooLarge: "--png: the diagram is {0}x{1} px, over Chromium's {2} px limit; use the SVG",
  chromiumFailed: '--png: Chromium failed: {0}',
} as const;

/** `tcpscenario --help`, line by line (each line is an l10n key; {0} and {1} are the default limits). */
export const HELP_LINES = [
  'Usage: tcpscenario <command> [options] FILE...',
  '',
  'Runs .tcpscenario files: TCP endpoints, network faults and expectations, simulated as RFC 9293 says.',
  '',
  'Commands:',
  '  check FILE...          Report errors and warnings as FILE:LINE:COL: error|warning: message',
  '  run FILE...            Run each scenario to the end; report whether every expect held',
  '  trace FILE [--pcap OUT [--pcap-at NAME]]',
  '                         Print the run\'s trace as JSON on stdout; with --pcap, also write\n                         it as a pcapng capture for Wireshark (docs/wireshark.md)',
  '  render FILE --svg OUT [--png OUT] [--mermaid OUT] [--relative|--absolute] [--theme light|dark]',
  '                         Draw the ladder diagram of a run to SVG, PNG or Mermaid text; render --help for more',
  '  import FILE            Print a .tcpscenario made from a capture (.pcap, .pcapng: then replay it\n                         and say where the simulation departs from it) or a packetdrill script (.pkt)',
  '',
  'Options:',
  '  --ladder               (run) Print a text sequence diagram of each run',
  '  --explain              (run --ladder) Beside each line, the rule that made it (where it is written, what it says) or its scenario line',
  '  --absolute             (run --ladder, render) Absolute sequence numbers instead of relative to the ISN',
  '  --theme light|dark     (render) Colours of the SVG and PNG (default light)',
  '  --profile rfc|linux    (run, trace) Use this profile instead of the file\'s',
  '  --pcap OUT             (trace) Write a pcapng capture: one interface per endpoint',
  '  --pcap-at NAME         (trace --pcap) Only what a capture on endpoint NAME would record',
  '  --max-events N         (run, trace, render) Stop a run after N events (default {0})',
  '  --max-seconds S        (run, trace, render) Stop a run after S seconds of wall time (default {1})',
  '  --color, --no-color    Force colours on or off (default: on a terminal, unless NO_COLOR is set)',
  '  -h, --help             Show this help',
  '  -v, --version          Show the version',
  '',
  'Messages follow the locale (LC_ALL, LC_MESSAGES, LANG, LANGUAGE): English, zh_CN or zh_TW.',
  'Exit codes: 0 every expectation held, 1 an expectation failed, 2 a file has errors or the command line is wrong,\n3 a run was stopped by --max-events or --max-seconds (the output says so).',
] as const;

/** `tcpscenario render --help` and its usage errors, line by line ({0} the diagram's cap, {1} and {2} the default limits). */
export const RENDER_USAGE_LINES = [
  'Usage: tcpscenario render FILE --svg OUT [--png OUT] [--mermaid OUT] [--relative|--absolute] [--theme light|dark]\n                         [--max-events N] [--max-seconds S]',
  '',
  'Runs FILE and draws its ladder diagram: lifelines per endpoint, arrows slanted by flight time,\nstate changes, timers, lost and retransmitted segments.',
  "Sequence numbers are relative to each side's ISN unless --absolute.",
  '--png needs Chromium (set TCPSCENARIO_CHROMIUM to its path).',
  '--mermaid OUT writes a Mermaid sequenceDiagram (arrows level: the flight time is lost); OUT - writes to standard output.',
  '--theme light|dark: the colours of the SVG and PNG (default light).',
  'The legend is in the locale of the messages (LC_ALL, LC_MESSAGES, LANG, LANGUAGE).',
  'The diagram draws at most the first {0} events of a run, and says so at its end.',
  'A run cut by --max-events (default {1}) or --max-seconds (default {2}) is drawn as far as it went,\nwith a note, and the exit code is 3.',
] as const;

/** Every template above, for the l10n test (an empty line is not a key). */
export function cliTemplates(): string[] {
  return [...Object.values(CLI_MESSAGES), ...HELP_LINES, ...RENDER_USAGE_LINES].filter((line) => line !== '');
}
