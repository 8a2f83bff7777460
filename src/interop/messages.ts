// What the interop layer says to a user when a capture or a packetdrill script cannot be read or
// imported: English templates with {0} placeholders, filled by `InteropError`, translated above the
// pure layer (the CLI prints the English; VS Code passes the template through l10n).

export const IMPORT_MESSAGES = {
  noTcp: 'the capture holds no IPv4 TCP packet ({0} other frames)',
  noTimestamps: 'the capture has no timestamps (simple packet blocks only): times cannot be read',
  noHandshake: 'the capture holds no SYN: import needs the start of a connection (its three-way handshake or at least its first SYN)',
} as const;

/** A capture or script that cannot be imported: the template and its arguments, and the English text. */
export class InteropError extends Error {
  constructor(
    readonly template: string,
    readonly args: readonly string[] = [],
  ) {
    super(template.replace(/\{(\d+)\}/g, (whole, i: string) => args[Number(i)] ?? whole));
  }
}
