// Every user-facing sentence of the run path, the file reader and the debug adapter's argument
// checks, in English with {0} placeholders: one place, so they can be translated later (the
// VS Code layer already passes them through l10n). `format` fills the placeholders.

export const RUN_MESSAGES = {
  // Limits of a run (src/run/run.ts). {0} the limit's value, {1} how to raise it.
  eventLimit: 'the run was stopped after {0} events, its limit; raise it with {1}',
  secondsLimit: 'the run was stopped after {0} s of wall time, its limit; raise it with {1}',
  // A limit that cut a run held at a `wait`: {0} the limit's message, {1} the wait's line, {2} what it waited for.
  stillWaiting: '{0}; line {1} was still waiting until {2}',
  engineFailed: 'the engine failed on this scenario: {0}',
  cancelled: 'the run was cancelled',
  // How to raise a limit, for each place a run starts from.
  hintCliEvents: '--max-events N',
  hintCliSeconds: '--max-seconds S',
  hintSettingEvents: 'the setting tcpscenario.run.maxEvents',
  hintSettingSeconds: 'the setting tcpscenario.run.maxSeconds',
  hintLaunchEvents: 'the launch attribute "maxEvents"',
  hintLaunchSeconds: 'the launch attribute "maxSeconds"',
  // Reading a scenario file (src/run/read.ts).
  noSuchFile: 'no such file',
  permissionDenied: 'permission denied',
  cannotRead: 'cannot read ({0})',
  isDirectory: 'is a directory, not a scenario file',
  notRegularFile: 'is not a regular file (a pipe, a device or a socket); only regular files are read',
  tooLarge: 'is too large for a scenario ({0} bytes; the limit is {1} bytes)',
  tooLargeCapture: 'is too large for a capture to import ({0} bytes; the limit is {1} bytes)',
  nulByte: 'a NUL byte: this is a binary file, not a scenario',
  notUtf8: 'byte 0x{0} is not valid UTF-8; save the file as UTF-8',
  // The debug adapter (src/debug/session.ts).
  invalidArguments: '{0}: {1}',
  unsupportedRequest: 'the request "{0}" is not supported by this debug adapter',
  unknownRequest: 'unknown request "{0}"',
  requestWithoutCommand: 'a request without a "command"',
  internalError: 'internal error in the debug adapter while handling "{0}"; the details are in its log (see docs/debugger.md, "Logs")',
  malformedMessage: 'the debug adapter received {0}; the session ends',
  unknownReference: 'unknown variablesReference {0}: references last until the run moves',
  noStatementAt: 'no statement at line {0}; gotoTargets gives the lines to jump to',
  notRunning: 'no scenario is running',
  cannotReadProgram: 'cannot read {0}: {1}',
} as const;

/** The templates VS Code shows, translated through l10n (its bundles must have them). */
export const VSCODE_RUN_MESSAGES: readonly string[] = [
  RUN_MESSAGES.eventLimit,
  RUN_MESSAGES.secondsLimit,
  RUN_MESSAGES.stillWaiting,
  RUN_MESSAGES.engineFailed,
  RUN_MESSAGES.hintSettingEvents,
  RUN_MESSAGES.hintSettingSeconds,
  // A file that cannot be read (src/vscode/readScenario.ts).
  RUN_MESSAGES.noSuchFile,
  RUN_MESSAGES.permissionDenied,
  RUN_MESSAGES.cannotRead,
  RUN_MESSAGES.isDirectory,
  RUN_MESSAGES.notRegularFile,
  RUN_MESSAGES.tooLarge,
  RUN_MESSAGES.tooLargeCapture,
  RUN_MESSAGES.nulByte,
  RUN_MESSAGES.notUtf8,
];

export type RunMessage = keyof typeof RUN_MESSAGES;

/** Fills {0}, {1}... in an English template. */
export function format(template: string, args: readonly (string | number)[] = []): string {
  return template.replace(/\{(\d+)\}/g, (match, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : match));
}

/** A number as people read it in English: 1,000,000. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
