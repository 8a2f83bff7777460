// The compiler: a checked tree -> the engine's `Program` (times in integer microseconds),
// each statement keeping its source line for the trace and the debugger.

import type { Action, EndpointDecl, FaultRule, LinkDecl, NextPattern, Program, ProfileName, SegmentPattern, Settings } from '../engine/program';
import type { AppCall, TcpFlag, TcpOptions, TcpState } from '../engine/trace';
import type { ActionStatement, CountNode, EndpointStatement, Expectation, FaultStatement, OptionNode, Pattern, ReceivedExpectation, ScenarioFile, SegmentExpectation, StateExpectation, Statement } from './ast';
import { check } from './checker';
import { tcpPairs } from './checkSegments';
import type { Diagnostic } from './diagnostic';
import { parse } from './parser';
import { LINK_DEFAULT_DELAY_US, readSetting, timeline } from './semantics';
import { parseInteger, parseProbability, parseDuration } from './values';
import { DATA_FLAG, FLAGS, SACK_PERMITTED, findSetting, isWord, normalizeFlag, normalizeState } from './vocabulary';

export interface CompileResult {
  /** Undefined when any diagnostic is an error. */
  program?: Program;
  diagnostics: Diagnostic[];
  ast: ScenarioFile;
}

/** Parse and check a scenario's text: its tree and every diagnostic, in text order (no program: `tcpscenario check`). */
export function diagnose(text: string): { diagnostics: Diagnostic[]; ast: ScenarioFile } {
  return diagnoseParsed(parse(text));
}

function diagnoseParsed({ ast, diagnostics }: { ast: ScenarioFile; diagnostics: Diagnostic[] }): { diagnostics: Diagnostic[]; ast: ScenarioFile } {
  diagnostics.push(...check(ast));
  diagnostics.sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column);
  return { diagnostics, ast };
}

/** Parse, check and compile a scenario's text. */
export function compile(text: string): CompileResult {
  const parsed = parse(text);
  // The compiler reads the objects: made now, the checker reads them too instead of making its own.
  void parsed.ast.statements;
  const { ast, diagnostics } = diagnoseParsed(parsed);
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics, ast };
  return { program: compileAst(ast), diagnostics, ast };
}

/** Compiles a tree that `parse` and `check` found free of errors. */
export function compileAst(ast: ScenarioFile): Program {
  const program: Program = { profile: 'rfc', settings: {}, endpoints: [], links: [], statements: [] };
  const times = timeline(ast);
  const listeners = new Set<string>();
  const takenHosts = new Set<string>();
  for (const s of ast.statements) {
    if (s.kind === 'action') {
      if (s.verb?.text === 'listen') listeners.add(s.endpoint.text);
    } else if (s.kind === 'endpoint' && s.address?.host) {
      takenHosts.add(s.address.host);
    }
  }
  let nextHost = 0;
  let serverPort = 80;
  let clientPort = 49152;
  const statements = ast.statements;
  for (let index = 0; index < statements.length; index++) {
    const statement = statements[index];
    switch (statement.kind) {
      case 'scenario':
        program.title = statement.title?.string;
        break;
      case 'profile':
        if (statement.profile) program.profile = statement.profile.text.toLowerCase() as ProfileName;
        break;
      case 'set':
        Object.assign(program.settings, settingsOf(statement.options));
        break;
      case 'endpoint': {
        const name = statement.name!.text;
        // Made-up defaults: 10.0.0.N; a listener gets a well-known port, anyone else an ephemeral one.
        const port = statement.address?.port ?? (listeners.has(name) ? serverPort++ : clientPort++);
        let host = statement.address?.host;
        while (!host || (!statement.address?.host && takenHosts.has(host))) {
          host = `10.0.${Math.floor(nextHost / 250)}.${(nextHost % 250) + 1}`;
          nextHost++;
        }
        takenHosts.add(host);
        program.endpoints.push(endpointOf(statement, host, port));
        break;
      }
      case 'link':
        program.links.push(linkOf(statement.a!.text, statement.b!.text, statement.options, statement.line));
        break;
      case 'end':
        // `end +D` after a wait counts from when the statement before it ran.
        if (times.end?.afterWait && program.statements.length > 0) {
          program.endFrom = { index: program.statements.length - 1, after: times.end.afterWait.relative ?? 0 };
        }
        break;
      default: {
        const action = actionOf(statement);
        const compiled: Program['statements'][number] = { at: times.at[index] ?? 0, line: statement.line, action };
        const relative = times.afterWait[index]?.relative;
        if (relative !== undefined) compiled.after = relative;
        program.statements.push(compiled);
      }
    }
  }
  if (times.end) program.end = times.end.us;
  return program;
}

function settingsOf(options: OptionNode[]): Partial<Settings> {
  const settings: Partial<Settings> = {};
  for (const option of options) {
    const spec = findSetting(option.key.text);
    if (!spec || !option.value) continue;
    const read = readSetting(spec, option.value);
    if (read.ok) (settings as Record<string, number | boolean | string>)[spec.field] = read.value;
  }
  return settings;
}

function endpointOf(statement: EndpointStatement, defaultHost: string, port: number): EndpointDecl {
  const isnOption = statement.options.find((o) => o.key.text.toLowerCase() === 'isn');
  const decl: EndpointDecl = {
    name: statement.name!.text,
    address: statement.address?.host ?? defaultHost,
    port,
    settings: settingsOf(statement.options.filter((o) => o !== isnOption)),
    line: statement.line,
  };
  if (isnOption?.value) decl.isn = parseInteger(isnOption.value.text);
  if (statement.raw) decl.raw = true;
  return decl;
}

function linkOf(a: string, b: string, options: OptionNode[], line: number): LinkDecl {
  const link: LinkDecl = { a, b, delay: LINK_DEFAULT_DELAY_US, jitter: 0, loss: 0, duplicate: 0, reorder: 0, corrupt: 0, seed: 1, line };
  for (const option of options) {
    const text = option.value?.text ?? '';
    const duration = parseDuration(text);
    switch (option.key.text.toLowerCase()) {
      case 'delay':
        if (duration.ok) link.delay = duration.us;
        break;
      case 'jitter':
        if (duration.ok) link.jitter = duration.us;
        break;
      case 'loss':
        link.loss = parseProbability(text) ?? 0;
        break;
      case 'dup':
      case 'duplicate':
        link.duplicate = parseProbability(text) ?? 0;
        break;
      case 'reorder':
        link.reorder = parseProbability(text) ?? 0;
        break;
      case 'corrupt':
        link.corrupt = parseProbability(text) ?? 0;
        break;
      case 'seed':
        link.seed = parseInteger(text) ?? 1;
        break;
    }
  }
  return link;
}

function flagsOf(pattern: Pattern): { flags?: TcpFlag[]; data?: boolean } {
  const written = pattern.flags;
  if (written.length === 0) return {};
  let data = false;
  for (const f of written) if (isWord(f.text, DATA_FLAG)) data = true;
  let flags: TcpFlag[];
  if (written.length === 1) {
    // One flag (the common case): no set needed to put the flags in FLAGS order.
    const flag = normalizeFlag(written[0].text);
    flags = flag === undefined ? [] : [flag];
  } else {
    const set = new Set(written.map((f) => normalizeFlag(f.text)).filter((f): f is TcpFlag => f !== undefined));
    flags = FLAGS.filter((f) => set.has(f));
  }
  // `data` alone matches any segment with payload, whatever its flags.
  if (data && flags.length === 0) return { data: true };
  return data ? { flags, data: true } : { flags };
}

function field(pattern: Pattern, key: string): number | undefined {
  for (const option of pattern.fields) {
    if (isWord(option.key.text, key)) return option.value ? parseInteger(option.value.text) : undefined;
  }
  return undefined;
}

function segmentPatternOf(pattern: Pattern): SegmentPattern {
  const result: SegmentPattern = { from: pattern.from!.text, to: pattern.to!.text };
  const { flags, data } = flagsOf(pattern);
  if (flags !== undefined) result.flags = flags;
  if (data !== undefined) result.data = data;
  const seq = field(pattern, 'seq');
  const ack = field(pattern, 'ack');
  const len = field(pattern, 'len');
  if (seq !== undefined) result.seq = seq;
  if (ack !== undefined) result.ack = ack;
  if (len !== undefined) result.len = len;
  return result;
}

function countOf(count: CountNode | undefined): number {
  if (!count) return 1;
  switch (count.kind) {
    case 'once':
      return 1;
    case 'twice':
      return 2;
    case 'always':
      return Infinity;
    case 'times':
      return count.n ?? 1;
  }
}

function faultOf(statement: FaultStatement, text: string): FaultRule {
  const rule: FaultRule = { kind: statement.fault, pattern: segmentPatternOf(statement.pattern!), count: countOf(statement.count), text };
  if (statement.fault === 'delay') rule.by = statement.byUs ?? 0;
  return rule;
}

function actionOf(statement: Statement): Action {
  switch (statement.kind) {
    case 'action':
      return endpointAction(statement);
    case 'fault':
      return { kind: 'fault', rule: faultOf(statement, faultText(statement)) };
    case 'inject': {
      const pattern = statement.pattern!;
      const { flags = [] } = flagsOf(pattern);
      const action: Action = {
        kind: 'inject',
        from: pattern.from!.text,
        to: pattern.to!.text,
        flags,
        seq: field(pattern, 'seq') ?? 0,
        ack: field(pattern, 'ack') ?? 0,
        len: field(pattern, 'len') ?? 0,
      };
      const wnd = field(pattern, 'wnd');
      if (wnd !== undefined) action.wnd = wnd;
      const options = tcpOptionsOf(pattern);
      if (options !== undefined) action.options = options;
      return action;
    }
    case 'expect':
      return expectation(statement.expectation!);
    case 'wait':
      return condition(statement.condition!, 'wait');
    default:
      throw new Error(`not a timed statement: ${statement.kind}`);
  }
}

function endpointAction(statement: ActionStatement): Action {
  const action = plainAction(statement);
  switch (action.kind) {
    case 'send':
    case 'receive':
    case 'close':
    case 'shutdown':
    case 'abort':
      if (statement.conn) action.conn = statement.conn.text;
  }
  return action;
}

function plainAction(statement: ActionStatement): Action {
  const endpoint = statement.endpoint.text;
  const argument = statement.argument;
  switch (statement.verb!.text) {
    case 'listen':
      return { kind: 'listen', endpoint };
    case 'connect':
      return { kind: 'connect', endpoint, peer: statement.peer!.text };
    case 'send':
      if (argument?.kind === 'string') {
        const text = argument.string ?? '';
        return { kind: 'send', endpoint, bytes: utf8Length(text), text };
      }
      return { kind: 'send', endpoint, bytes: parseInteger(argument?.text ?? '0') ?? 0 };
    case 'receive':
      return argument ? { kind: 'receive', endpoint, bytes: parseInteger(argument.text) } : { kind: 'receive', endpoint };
    case 'close':
      return { kind: 'close', endpoint };
    case 'shutdown': {
      const how = argument?.text.toLowerCase();
      return how === 'read' || how === 'both' ? { kind: 'shutdown', endpoint, how } : { kind: 'shutdown', endpoint };
    }
    case 'set': {
      const options = statement.options ?? [];
      return { kind: 'set', endpoint, settings: settingsOf(options), text: options.map((o) => `${o.key.text}=${o.value?.text ?? ''}`).join(' ') };
    }
    case 'abort':
      return { kind: 'abort', endpoint };
    case 'restart':
      return { kind: 'restart', endpoint };
    default:
      return { kind: 'crash', endpoint };
  }
}

function expectation(expectation: Expectation): Action {
  switch (expectation.kind) {
    case 'state':
    case 'received':
      return condition(expectation, 'expect');
    case 'segment':
      if (expectation.next) return expectNextOf(expectation);
      return { kind: 'expect-segment', pattern: segmentPatternOf(expectation.pattern) };
    case 'window': {
      const variable = expectation.variable.text.toLowerCase() === 'ssthresh' ? 'ssthresh' : 'cwnd';
      const action: Action = { kind: 'expect-window', endpoint: expectation.endpoint.text, variable, bytes: parseInteger(expectation.bytes!.text) ?? 0 };
      if (expectation.peer) action.conn = expectation.peer.text;
      return action;
    }
    case 'call': {
      const action: Action = { kind: 'expect-call', endpoint: expectation.endpoint.text, call: expectation.call.text.toLowerCase() as AppCall, ok: isWord(expectation.result!.text, 'ok') };
      const error = expectation.error;
      if (error?.kind === 'string') action.error = error.string ?? '';
      else if (error) action.errno = error.text.toUpperCase();
      return action;
    }
  }
}

/** `expect next A -> B FLAGS ...`: what the next segment must be, and when (µs either side; anytime: Infinity). */
function expectNextOf(expectation: SegmentExpectation): Action {
  const p = expectation.pattern;
  const { flags = [] } = flagsOf(p);
  const pattern: NextPattern = { from: p.from!.text, to: p.to!.text, flags };
  for (const key of ['seq', 'ack', 'len', 'wnd'] as const) {
    const value = field(p, key);
    if (value !== undefined) pattern[key] = value;
  }
  const options = tcpOptionsOf(p);
  if (options !== undefined) pattern.options = options;
  else if (p.fields.some((f) => isWord(f.key.text, 'nooptions'))) pattern.options = 'none';
  if (p.fields.some((f) => isWord(f.key.text, 'joined'))) pattern.joined = true;
  const within = expectation.within;
  const anytime = within !== undefined && isWord(within.keyword.text, 'anytime');
  return { kind: 'expect-next', pattern, early: anytime ? Infinity : (within?.earlyUs ?? 0), late: anytime ? Infinity : (within?.lateUs ?? 0) };
}

/** `NAME is STATE [with PEER]` or `NAME received N`, as an expectation or a wait. */
function condition(condition: StateExpectation | ReceivedExpectation, as: 'expect' | 'wait'): Action {
  const endpoint = condition.endpoint.text;
  if (condition.kind === 'received') {
    const bytes = parseInteger(condition.bytes!.text) ?? 0;
    return as === 'expect' ? { kind: 'expect-received', endpoint, bytes } : { kind: 'wait-received', endpoint, bytes };
  }
  const state = normalizeState(condition.state!.text) as TcpState;
  const action: Action = as === 'expect' ? { kind: 'expect-state', endpoint, state } : { kind: 'wait-state', endpoint, state };
  if (condition.peer) action.conn = condition.peer.text;
  return action;
}

/** An inject's TCP options, or undefined when it gives none. */
function tcpOptionsOf(pattern: Pattern): TcpOptions | undefined {
  let options: TcpOptions | undefined;
  for (const f of pattern.fields) {
    const key = f.key.text.toLowerCase();
    const text = f.value?.text ?? '';
    switch (key) {
      case 'mss':
        (options ??= {}).mss = parseInteger(text);
        break;
      case 'wscale':
        (options ??= {}).wscale = parseInteger(text);
        break;
      case SACK_PERMITTED:
        (options ??= {}).sackPermitted = true;
        break;
      case 'ts': {
        const [[val, ecr]] = tcpPairs(text, 1)!;
        (options ??= {}).ts = { val, ecr };
        break;
      }
      case 'sack':
        (options ??= {}).sack = tcpPairs(text, 4)!.map(([left, right]) => ({ left, right }));
        break;
    }
  }
  return options;
}

/** The rule as written, without its time: the drop reason in the trace ("drop client -> server ACK once"). */
function faultText(statement: FaultStatement): string {
  const parts: string[] = [statement.fault];
  const pattern = statement.pattern!;
  parts.push(`${pattern.from!.text} -> ${pattern.to!.text}`);
  if (pattern.flags.length > 0) parts.push(pattern.flags.map((f) => normalizeFlag(f.text) ?? f.text.toLowerCase()).join(','));
  for (const f of pattern.fields) parts.push(`${f.key.text.toLowerCase()}=${f.value?.text ?? ''}`);
  if (statement.by) parts.push(`by ${statement.by.text}`);
  const count = statement.count;
  if (count) parts.push(count.kind === 'times' ? `${count.n} times` : count.kind);
  return parts.join(' ');
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4; // a surrogate pair: one code point above U+FFFF
      i++;
    } else bytes += 3;
  }
  return bytes;
}
