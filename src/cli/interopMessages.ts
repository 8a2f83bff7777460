// What `tcpscenario import` prints: English templates with {0} placeholders, the l10n keys
// (l10n/bundle.l10n.*.json), said in the locale of the CLI's messages (io.tr, as every command).
// The usage errors it shares with the other commands (unknown option, a value missing or wrong) are
// CLI_MESSAGES'.

/** `tcpscenario import --help`, line by line (each line is an l10n key). */
export const IMPORT_USAGE_LINES = [
  'Usage: tcpscenario import FILE [--max-events N] [--max-seconds S]',
  '',
  'Prints a .tcpscenario on stdout:',
  '  FILE.pcap, FILE.pcapng  a captured TCP conversation: endpoints, link delay, the applications\'\n                          calls and the losses the capture shows; then replays it in the linux\n                          profile and says on stderr where the simulation departs from the capture',
  '  FILE.pkt                a packetdrill script, translated statement by statement (docs/packetdrill.md)',
  '',
  'Exit codes: 0 imported (and, for a capture, the replay matches it), 1 the replay departs from the\ncapture, 2 the file cannot be read or imported, 3 the replay was stopped by a limit.',
] as const;

export const INTEROP_CLI_MESSAGES = {
  importUsageError: "tcpscenario: {0}\nRun 'tcpscenario import --help' for usage.",
  importNeedsFile: 'import needs a FILE (a .pcap, .pcapng or .pkt)',
  importOneFile: 'import takes one FILE',
  notCapture: 'not a pcap or pcapng capture, and not a packetdrill script (.pkt)',
  segmentsOne: '1 segment',
  segmentsOther: '{0} segments',
  imported: '{0}: imported {1} of {2} <-> {3} ({4}; link delay {5} ms)',
  capturedBoth: 'captured on both sides',
  capturedAtClient: 'captured at the client',
  capturedAtServer: 'captured at the server',
  leftOut: '{0}: left out {1} (import reads the first conversation that starts with a SYN)',
  replayMatches: '{0}: the linux profile replays the capture: {1} compared, no difference',
  replayDiffers: '{0}: the linux profile departs from the capture first at frame {1}: {2}',
  replayDiffersNoFrame: '{0}: the linux profile departs from the capture: {1}',
  withoutPsh: '{0}: leaving PSH aside (the first difference is PSH alone): {1}',
  withoutPshFrame: '{0}: leaving PSH aside (the first difference is PSH alone): frame {1}: {2}',
  replayFailed: '{0}: the imported scenario does not run: {1}',
} as const;

/** Every template above, for the l10n test (an empty line is not a key). */
export function interopCliTemplates(): string[] {
  return [...IMPORT_USAGE_LINES, ...Object.values(INTEROP_CLI_MESSAGES)].filter((line) => line !== '');
}
