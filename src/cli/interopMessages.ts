// What `tcpscenario import` (and the packetdrill paths of run, check, trace and render) print: English
// templates with {0} placeholders in one place, so the command line's messages can be translated as
// a whole. `format` (src/run/messages.ts) fills them.

export const INTEROP_CLI_MESSAGES = {
  importUsage: `Usage: tcpscenario import FILE [--max-events N] [--max-seconds S]

Prints a .tcpscenario on stdout:
  FILE.pcap, FILE.pcapng  a captured TCP conversation: endpoints, link delay, the applications'
                          calls and the losses the capture shows; then replays it in the linux
                          profile and says on stderr where the simulation departs from the capture
  FILE.pkt                a packetdrill script, translated statement by statement (docs/packetdrill.md)

Exit codes: 0 imported (and, for a capture, the replay matches it), 1 the replay departs from the
capture, 2 the file cannot be read or imported, 3 the replay was stopped by a limit.`,
  importNeedsFile: 'import needs a FILE (a .pcap, .pcapng or .pkt)',
  importOneFile: 'import takes one FILE',
  unknownOption: "unknown option '{0}'",
  needsValue: '{0} needs a value',
  notCapture: 'not a pcap or pcapng capture, and not a packetdrill script (.pkt)',
  imported: '{0}: imported {1} of {2} <-> {3} ({4}; link delay {5} ms)',
  capturedBoth: 'captured on both sides',
  capturedAt: 'captured at the {0}',
  leftOut: '{0}: left out {1} (import reads the first conversation that starts with a SYN)',
  replayMatches: '{0}: the linux profile replays the capture: {1} compared, no difference',
  replayDiffers: '{0}: the linux profile departs from the capture first at frame {1}: {2}',
  replayDiffersNoFrame: '{0}: the linux profile departs from the capture: {1}',
  withoutPsh: '{0}: leaving PSH aside (the first difference is PSH alone): {1}',
  replayFailed: '{0}: the imported scenario does not run: {1}',
} as const;
