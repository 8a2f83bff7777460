// What the interop layer says to a user when a capture or a packetdrill script cannot be read or
// imported, or a trace cannot be encoded: English templates with {0} placeholders, filled by `InteropError`, translated above the
// pure layer (the CLI prints the English; VS Code passes the template through l10n).

export const IMPORT_MESSAGES = {
  noTcp: 'the capture holds no IPv4 TCP packet ({0} other frames)',
  noTimestamps: 'the capture has no timestamps (simple packet blocks only): times cannot be read',
  noHandshake: 'the capture holds no SYN: import needs the start of a connection (its three-way handshake or at least its first SYN)',
} as const;

/** Why a segment's TCP options or frame cannot be encoded (tcpOptions.ts, tcpip.ts): English templates, the l10n keys. */
export const ENCODE_MESSAGES = {
  notU32: '{0} {1} is not a 32-bit unsigned integer',
  mssRange: 'MSS option {0} does not fit in 16 bits',
  wscaleRange: 'window scale option {0} does not fit in 8 bits',
  optionsTooLong: 'TCP options need {0} bytes, more than the {1} a header can hold',
  optionsInvalid: 'TCP options of {0} bytes do not make a valid header',
  payloadTooLarge: 'a segment of {0} payload bytes does not fit in one IPv4 packet',
  timestampValue: 'timestamp value',
  timestampEcho: 'timestamp echo reply',
  sackLeft: 'SACK left edge',
  sackRight: 'SACK right edge',
} as const;

/** A template's argument: a name or number as text, or a phrase that is itself a template (said in the reader's language too). */
export type InteropArgument = string | InteropMessage;

export interface InteropMessage {
  readonly template: string;
  readonly args: readonly InteropArgument[];
}

/** Fills {0}, {1}... in English, a nested message filled in turn. */
export function fillInterop(template: string, args: readonly InteropArgument[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, i: string) => {
    const arg = args[Number(i)];
    if (arg === undefined) return whole;
    return typeof arg === 'string' ? arg : fillInterop(arg.template, arg.args);
  });
}

/** A capture or script that cannot be imported: the template and its arguments, and the English text. */
export class InteropError extends Error {
  readonly args: readonly InteropArgument[];
  constructor(
    readonly template: string,
    ...args: InteropArgument[]
  ) {
    super(fillInterop(template, args));
    this.args = args;
  }
}

/** A value a TCP option or a frame cannot carry: its template and arguments (ENCODE_MESSAGES). */
export class EncodeError extends InteropError {}
