// Every DAP request's arguments are checked here before the session stores or acts on them, so a
// client that sends a missing list, a string for a number or no arguments at all gets an error
// response that says what was wrong, and nothing half-stored. Unknown extra fields are allowed
// (clients add their own, such as `__restart` or `noDebug`).

import { fill, message, type Argument, type Message } from '../text/translate';

/** The validator's sentences, as l10n templates: a problem is a template and its arguments. */
export const VALIDATE_MESSAGES = {
  mustBe: '"{0}" must be {1}, not {2}',
  argumentsMustBe: 'the arguments must be {0}, not {1}',
  missing: '"{0}" is missing',
  tooMany: '"{0}" has {1} items; at most {2} are accepted',
  // What was expected.
  aString: 'a string',
  aNonEmptyString: 'a non-empty string',
  trueOrFalse: 'true or false',
  aWholeNumber: 'a whole number',
  aWholeNumber0: 'a whole number, 0 or more',
  aWholeNumber1: 'a whole number, 1 or more',
  aPositiveNumber: 'a positive number',
  anObject: 'an object',
  aList: 'a list',
  oneOf: 'one of {0}',
  eitherOr: '{0} or {1}',
  // What came instead (besides a short string or a number, shown as they are).
  aNull: 'null',
  aLongString: 'a long string',
  notFinite: 'a number that is not finite',
  aBoolean: 'a boolean',
  nothingAtAll: 'nothing',
} as const;

const V = VALIDATE_MESSAGES;

type Check = (value: unknown, path: string) => Message | undefined;

/** What came instead: a phrase (a template of its own) or the value itself. */
const DESCRIBE = (value: unknown): Argument => {
  if (value === null) return message(V.aNull);
  if (Array.isArray(value)) return message(V.aList);
  if (typeof value === 'string') return value.length > 40 ? message(V.aLongString) : JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : message(V.notFinite);
  if (typeof value === 'boolean') return message(V.aBoolean);
  return typeof value === 'object' ? message(V.anObject) : message(V.nothingAtAll);
};

const wrong = (path: string, expected: string | Message, value: unknown): Message => {
  const what = typeof expected === 'string' ? message(expected) : expected;
  return path ? message(V.mustBe, path, what, DESCRIBE(value)) : message(V.argumentsMustBe, what, DESCRIBE(value));
};

const string: Check = (v, p) => (typeof v === 'string' ? undefined : wrong(p, V.aString, v));
const nonEmptyString: Check = (v, p) => (typeof v === 'string' && v.length > 0 ? undefined : wrong(p, V.aNonEmptyString, v));
const boolean: Check = (v, p) => (typeof v === 'boolean' ? undefined : wrong(p, V.trueOrFalse, v));
/** A whole number in the safe range, at least `min`. */
const integer =
  (min = -Number.MAX_SAFE_INTEGER): Check =>
  (v, p) =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= min ? undefined : wrong(p, min === 0 ? V.aWholeNumber0 : min === 1 ? V.aWholeNumber1 : V.aWholeNumber, v);
const positive: Check = (v, p) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? undefined : wrong(p, V.aPositiveNumber, v));
const oneOf =
  (...values: string[]): Check =>
  (v, p) =>
    typeof v === 'string' && values.includes(v) ? undefined : wrong(p, quoted(values), v);

const quoted = (values: readonly string[]): Message => {
  const list = values.map((x) => `"${x}"`);
  return list.length === 2 ? message(V.eitherOr, list[0], list[1]) : message(V.oneOf, list.join(', '));
};

type Shape = Record<string, Check | [Check, 'optional']>;
const optional = (check: Check): [Check, 'optional'] => [check, 'optional'];

const object =
  (shape: Shape): Check =>
  (v, p) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return wrong(p, V.anObject, v);
    const record = v as Record<string, unknown>;
    for (const [key, spec] of Object.entries(shape)) {
      const [check, isOptional] = Array.isArray(spec) ? [spec[0], true] : [spec, false];
      const path = p ? `${p}.${key}` : key;
      if (record[key] === undefined) {
        if (!isOptional) return message(V.missing, path);
        continue;
      }
      const problem = check(record[key], path);
      if (problem) return problem;
    }
    return undefined;
  };

/** At most this many items in a list a client sends (breakpoints, filters). */
export const MAX_LIST = 10_000;

const list =
  (item: Check): Check =>
  (v, p) => {
    if (!Array.isArray(v)) return wrong(p, V.aList, v);
    if (v.length > MAX_LIST) return message(V.tooMany, p, v.length, MAX_LIST);
    for (let i = 0; i < v.length; i++) {
      const problem = item(v[i], `${p}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };

const source = object({ path: optional(string), name: optional(string), sourceReference: optional(integer()) });
const condition = { condition: optional(string), hitCondition: optional(string) };

/** The launch attributes (docs/debugger.md); the same for `restart`'s `arguments`. */
export const LAUNCH = object({
  program: nonEmptyString,
  stopOnEntry: optional(boolean),
  noDebug: optional(boolean),
  profile: optional(oneOf('rfc', 'linux')),
  sequenceNumbers: optional(oneOf('absolute', 'relative')),
  trace: optional(boolean),
  snapshotEvery: optional(integer(1)),
  maxEvents: optional(integer(1)),
  maxSeconds: optional(positive),
});

const thread = object({ threadId: integer() });
const none = object({});

const ARGUMENTS: Record<string, Check> = {
  initialize: object({
    adapterID: optional(string),
    clientID: optional(string),
    linesStartAt1: optional(boolean),
    columnsStartAt1: optional(boolean),
    pathFormat: optional(string),
    locale: optional(string),
  }),
  launch: LAUNCH,
  restart: object({ arguments: optional(LAUNCH) }),
  disconnect: object({ restart: optional(boolean), terminateDebuggee: optional(boolean), suspendDebuggee: optional(boolean) }),
  terminate: object({ restart: optional(boolean) }),
  configurationDone: none,
  setBreakpoints: object({
    source,
    breakpoints: optional(list(object({ line: integer(0), column: optional(integer(0)), logMessage: optional(string), ...condition }))),
    lines: optional(list(integer(0))),
    sourceModified: optional(boolean),
  }),
  setFunctionBreakpoints: object({ breakpoints: list(object({ name: string, ...condition })) }),
  setExceptionBreakpoints: object({
    filters: list(string),
    filterOptions: optional(list(object({ filterId: string, condition: optional(string) }))),
    exceptionOptions: optional(list(object({}))),
  }),
  dataBreakpointInfo: object({ name: string, variablesReference: optional(integer(0)), frameId: optional(integer()) }),
  setDataBreakpoints: object({ breakpoints: list(object({ dataId: string, accessType: optional(string), ...condition })) }),
  breakpointLocations: object({ source, line: integer(0), column: optional(integer(0)), endLine: optional(integer(0)), endColumn: optional(integer(0)) }),
  continue: object({ threadId: integer(), singleThread: optional(boolean) }),
  next: thread,
  stepIn: thread,
  stepOut: thread,
  stepBack: thread,
  reverseContinue: thread,
  pause: thread,
  goto: object({ threadId: integer(), targetId: integer() }),
  gotoTargets: object({ source, line: integer(0), column: optional(integer(0)) }),
  threads: none,
  stackTrace: object({ threadId: integer(), startFrame: optional(integer(0)), levels: optional(integer(0)) }),
  scopes: object({ frameId: integer() }),
  variables: object({ variablesReference: integer(0), filter: optional(oneOf('indexed', 'named')), start: optional(integer(0)), count: optional(integer(0)) }),
  evaluate: object({ expression: string, frameId: optional(integer()), context: optional(string) }),
  completions: object({ text: string, column: integer(), line: optional(integer()), frameId: optional(integer()) }),
  exceptionInfo: thread,
  cancel: object({ requestId: optional(integer()), progressId: optional(string) }),
  tcpTrace: object({ from: optional(integer(0)), to: optional(integer(0)) }),
  tcpGoToRule: object({ rule: nonEmptyString }),
  tcpNumbering: object({ sequenceNumbers: oneOf('absolute', 'relative') }),
};

/** Requests this adapter does not implement (its capabilities say so); answered with an error. */
export const UNSUPPORTED = new Set([
  'attach',
  'restartFrame',
  'setVariable',
  'setExpression',
  'source',
  'terminateThreads',
  'stepInTargets',
  'loadedSources',
  'readMemory',
  'writeMemory',
  'disassemble',
  'setInstructionBreakpoints',
  'modules',
]);

/** What is wrong with a request's arguments (a template and its arguments), or undefined when they are fine. */
export function checkArguments(command: string, args: unknown): Message | undefined {
  // Own properties only: "__proto__" or "toString" as a command is just an unknown request.
  if (!Object.hasOwn(ARGUMENTS, command)) return undefined;
  const check = ARGUMENTS[command];
  // A request with no arguments is checked as `{}`: required fields are then reported missing.
  return check(args ?? {}, '');
}

/** Whether `command` is one this adapter knows (the rest get "unknown request"). */
export function isKnownCommand(command: string): boolean {
  return Object.hasOwn(ARGUMENTS, command) || UNSUPPORTED.has(command);
}

/** A problem in English (tests, logs). */
export function problemText(problem: Message): string {
  return fill(problem.template, problem.args);
}
