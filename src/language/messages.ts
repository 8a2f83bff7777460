// Every diagnostic the language reports: a stable code and an English template with {0}
// placeholders. The template is the l10n key: the editor translates it with
// `l10n.t(template, ...args)`, the CLI prints it as is. Keep codes stable; add, don't rename.

export interface MessageSpec {
  readonly code: string;
  readonly template: string;
}

function m(code: string, template: string): MessageSpec {
  return { code, template };
}

export const MESSAGES = {
  // Scanner
  invalidCharacter: m('invalid-character', "unexpected character '{0}'"),
  fullWidthCharacter: m('full-width-character', "full-width '{0}' is not allowed here; use '{1}'"),
  unterminatedString: m('unterminated-string', 'unterminated string; add a closing \'"\' before the end of the line'),
  invalidEscape: m('invalid-escape', "unknown escape '\\{0}' in a string; use \\\\, \\\", \\n, \\t, \\xHH or \\u{HHHH}"),

  // Parser
  expectedStatement: m('expected-statement', 'expected a statement (an endpoint name and an action, or {0}); found {1}'),
  unknownKeyword: m('unknown-keyword', "unknown statement '{0}'; did you mean {1}?"),
  expectedAction: m('expected-action', "expected an action after '{0}' ({1}); found {2}"),
  unknownAction: m('unknown-action', "unknown action '{0}'; did you mean {1}?"),
  unknownActionNoSuggestion: m('unknown-action', "unknown action '{0}'; expected one of {1}"),
  expected: m('expected', 'expected {0}; found {1}'),
  expectedAfter: m('expected', "expected {0} after '{1}'; found {2}"),
  unexpectedToken: m('unexpected-token', "unexpected {0}; expected the end of the line after '{1}'"),
  timeOnDeclaration: m('time-on-declaration', "'{0}' is a declaration and takes no time; remove '{1}'"),
  statementAfterTime: m('expected-statement', "expected a statement after the time '{0}'"),
  endNeedsTime: m('expected', "expected a time after 'end', like 'end @5s'; found {0}"),
  invalidNumber: m('invalid-number', "'{0}' is not a number; expected {1}"),
  invalidDuration: m('invalid-duration', "'{0}' is not a duration; write a number and a unit ({1}), like 10ms"),
  missingUnit: m('missing-unit', "'{0}' has no time unit; did you mean {0}ms?"),
  unknownUnit: m('unknown-unit', "unknown time unit '{0}' in '{1}'; use one of {2}"),
  invalidAddress: m('invalid-address', "'{0}' is not an address; expected an IPv4 address with an optional port, like 10.0.0.1:80"),
  keywordAsName: m('keyword-as-name', "'{0}' is a keyword and cannot name an endpoint; choose another name"),
  negativeTime: m('negative-time', "a time cannot be negative; write '+{0}' or '@{0}'"),
  expectedCount: m('expected', "expected 'once', 'twice', 'always' or 'N times' after the pattern; found {0}"),
  expectedTimesAfterNumber: m('expected', "expected 'times' after '{0}', as in '{0} times'; found {1}"),

  // expect next (packetdrill's `>` lines)
  nextNeedsFlags: m('next-needs-flags', "expect next needs the segment's exact flags, like SYN,ACK or ACK (none for a segment without any)"),
  nextExactFlags: m('next-exact-flags', "expect next checks the exact flags; 'data' is for patterns: write the flags and len=N"),
  nooptionsWithOptions: m('nooptions-with-options', "'nooptions' says the segment carries no TCP option; remove it or the options"),

  // Checker
  undeclaredEndpoint: m('undeclared-endpoint', "unknown endpoint '{0}'; did you mean {1}?"),
  undeclaredEndpointNoSuggestion: m('undeclared-endpoint', "unknown endpoint '{0}'; declare it first with 'endpoint {0}'"),
  duplicateEndpoint: m('duplicate-endpoint', "endpoint '{0}' is already declared at line {1}"),
  duplicateAddress: m('duplicate-address', "endpoints '{0}' and '{1}' have the same address {2}"),
  timeBackwards: m('time-backwards', 'time goes backwards: {0} is before {1}, the time of line {2}'),
  addressOutOfRange: m('address-out-of-range', "address '{0}' is out of range: each of its four numbers must be 0 to 255"),
  portOutOfRange: m('port-out-of-range', 'port {0} is out of range: expected 1 to 65535'),
  sequenceOutOfRange: m('sequence-out-of-range', '{0}={1} is out of range: expected 0 to 4294967295 (32 bits)'),
  valueOutOfRange: m('value-out-of-range', '{0}={1} is out of range: expected {2} to {3}'),
  durationOutOfRange: m('duration-out-of-range', 'duration {0} is out of range: expected at most {1}'),
  invalidValue: m('invalid-value', "{0} expects {1}; found '{2}'"),
  unknownState: m('unknown-state', "unknown state '{0}'; did you mean {1}?"),
  unknownStateNoSuggestion: m('unknown-state', "unknown state '{0}'; expected one of {1}"),
  unknownFlag: m('unknown-flag', "unknown flag '{0}'; did you mean {1}?"),
  unknownFlagNoSuggestion: m('unknown-flag', "unknown flag '{0}'; expected SYN, ACK, FIN, RST, PSH, URG or data"),
  duplicateFlag: m('duplicate-flag', "flag '{0}' is listed twice"),
  connectToSelf: m('connect-to-self', "'{0}' cannot connect to itself; connect to another endpoint"),
  linkToSelf: m('link-to-self', "a link joins two different endpoints; '{0}' is on both ends"),
  segmentToSelf: m('segment-to-self', "a segment goes from one endpoint to another; '{0}' is on both ends"),
  unknownSetting: m('unknown-setting', "unknown setting '{0}'; did you mean {1}?"),
  unknownSettingNoSuggestion: m('unknown-setting', "unknown setting '{0}'; expected one of {1}"),
  unknownOption: m('unknown-option', "unknown option '{0}' for {1}; did you mean {2}?"),
  unknownOptionNoSuggestion: m('unknown-option', "unknown option '{0}' for {1}; expected one of {2}"),
  unknownProfile: m('unknown-profile', "unknown profile '{0}'; expected rfc or linux"),
  duplicateOption: m('duplicate-option', "'{0}' is given twice; the last value counts"),
  duplicateLink: m('duplicate-link', "a link between '{0}' and '{1}' is already declared at line {2}"),
  repeatedDeclaration: m('repeated-declaration', "'{0}' is given again; line {1} already set it, the last one counts"),
  injectNeedsSeq: m('inject-needs-seq', 'inject needs seq=N, the sequence number of the crafted segment'),
  injectNeedsFlags: m('inject-needs-flags', 'inject needs flags, like SYN or RST,ACK'),
  delayNeedsBy: m('delay-needs-by', "delay needs 'by D', how much later the segment arrives, like 'by 50ms'"),
  byOnlyForDelay: m('by-only-for-delay', "'by' belongs to 'delay' only; remove it"),
  zeroCount: m('zero-count', "'0 times' never applies; give a count of at least 1"),
  fieldNotAllowed: m('field-not-allowed', "'{0}' is not allowed in {1}; use seq, ack or len"),
  runsAfterEnd: m('runs-after-end', "this statement runs at {0}, after 'end' at {1} (line {2}), so it never runs"),
  neverActive: m('never-checked', "'{0}' never listens, connects or sends, so this expectation can never hold"),
  stateWithNeverChecked: m('never-checked', "'{0}' never talks to '{1}', so this expectation can never hold"),
  connectionNeverOpened: m('never-connected', "'{0}' never connects with '{1}', so there is no such connection"),
  receiveOnSilent: m('never-checked', "'{0}' never listens or connects, so it can never receive data"),
  emptyScenario: m('empty-scenario', 'the scenario has no statements; start with an endpoint, e.g. endpoint client 10.0.0.1'),
  noEndpoints: m('no-endpoints', "the scenario declares no endpoint; add e.g. 'endpoint client 10.0.0.1'"),
  fractionalMicroseconds: m('fractional-microseconds', 'duration {0} is rounded to {1}us: times are whole microseconds'),
  unknownShutdownMode: m('unknown-shutdown-mode', "unknown shutdown '{0}'; did you mean {1}?"),
  unknownShutdownModeNoSuggestion: m('unknown-shutdown-mode', "unknown shutdown '{0}'; expected read, write or both"),
  notSocketOption: m('not-a-socket-option', "'{0}' cannot change during a run (it is not a socket option): give it with 'set' or on the endpoint; a running endpoint can set {1}"),
  unknownSocketOption: m('unknown-setting', "unknown socket option '{0}'; did you mean {1}?"),
  unknownSocketOptionNoSuggestion: m('unknown-setting', "unknown socket option '{0}'; expected one of {1}"),
  rawEndpointAction: m('raw-endpoint', "'{0}' is a raw endpoint with no TCP of its own, so it cannot {1}; make it send with inject"),
  rawNeverHolds: m('never-checked', "'{0}' is a raw endpoint with no connection, so this can never hold"),
  unknownErrno: m('unknown-errno', "unknown error '{0}'; did you mean {1}?"),
  unknownErrnoNoSuggestion: m('unknown-errno', "unknown error '{0}'; expected one of {1}, or RFC 9293's words in quotes"),
  unknownErrorText: m('unknown-error-text', 'the engine never reports "{0}"; did you mean "{1}"?'),
  unknownErrorTextNoSuggestion: m('unknown-error-text', 'the engine never reports "{0}"; it reports {1}'),
  neverCalled: m('never-checked', "'{0}' makes no {1} call before this line, so this expectation can never hold"),
  waitNeverActive: m('never-checked', "'{0}' never listens, connects or sends, so this wait can never finish"),
  waitWithNeverTalks: m('never-checked', "'{0}' never talks to '{1}', so this wait can never finish"),
  noneWithFlags: m('none-with-flags', "'none' stands for a segment with no flag at all; it cannot go with {0}"),
  tcpOptionOutsideInject: m('field-not-allowed', "TCP option '{0}' can only be given to a crafted segment (inject)"),
  optionTakesNoValue: m('invalid-value', "'{0}' takes no value; write just {0}"),
  invalidTimestamps: m('invalid-value', "ts expects VAL:ECR, two 32-bit numbers like ts=100:0; found '{0}'"),
  invalidSackBlocks: m('invalid-value', "sack expects 1 to 4 blocks LEFT:RIGHT (32-bit sequence numbers) separated by commas, like sack=1001:2001; found '{0}'"),
} as const satisfies Record<string, MessageSpec>;

export type MessageId = keyof typeof MESSAGES;

/** Titles of quick fixes (see `replaceFix` in diagnostic.ts). */
export const FIX_TEMPLATES = ["Change to '{0}'", "Remove '{0}'"] as const;

/** Every template, for building l10n bundles (quick-fix titles included, with code "fix"). */
export const ALL_MESSAGES: readonly MessageSpec[] = [...Object.values(MESSAGES), ...FIX_TEMPLATES.map((template) => ({ code: 'fix', template }))];
