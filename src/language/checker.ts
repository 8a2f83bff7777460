// The checker: what the grammar cannot see. Names that are not declared (or declared
// twice), time going backwards, values out of range, unknown states, flags and settings,
// and expectations that can never be checked.

import type { CallExpectation, EndpointStatement, Name, OptionNode, Pattern, ReceivedExpectation, ScenarioFile, SegmentExpectation, StateExpectation, Statement, Value } from './ast';
import { diagnostic, replaceFix, type Diagnostic, type Fix, type Range, type Severity } from './diagnostic';
import { MESSAGES, type MessageSpec } from './messages';
import { MAX_TIME_US, readDuration, readInteger, readProbability, readSetting, type Read } from './semantics';
import { lateStatements } from './afterEnd';
import { closest } from './suggest';
import { QuickCheck } from './quickCheck';
import { T_AT } from './tokens';
import * as T from './tree';
import { declarationStatements, forEachListenOrConnect, overview, packedTree, statementObject } from './view';
import { formatDuration, MAX_U32, parseDuration, parseInteger } from './values';
import {
  ACTION_VERBS,
  DATA_FLAG,
  ENDPOINT_OPTIONS,
  ERRNO_NAMES,
  ERROR_TEXTS,
  FLAGS,
  LINK_OPTIONS,
  NEXT_BARE_FIELDS,
  NO_FLAGS,
  PROFILES,
  SACK_PERMITTED,
  SETTINGS,
  SHUTDOWN_MODES,
  SOCKET_OPTIONS,
  STATES,
  TCP_OPTION_KEYS,
  findSetting,
  normalizeFlag,
  normalizeState,
  runtimeSettings,
} from './vocabulary';

const SETTING_KEYS = SETTINGS.map((s) => s.key);
const RUNTIME_KEYS = runtimeSettings().map((s) => s.key);
const PATTERN_FIELDS: readonly string[] = ['seq', 'ack', 'len'];
const INJECT_FIELDS: readonly string[] = ['seq', 'ack', 'len', 'wnd', ...TCP_OPTION_KEYS];
/** `expect next`: an inject's fields, and whether segments may be joined or must carry no option. */
const NEXT_FIELDS: readonly string[] = [...INJECT_FIELDS, ...NEXT_BARE_FIELDS];
/** A window `expect next` may expect, as the sender means it (scaled: up to 2^30). */
const MAX_SCALED_WINDOW = 1 << 30;
const TCP_OPTION_SET: ReadonlySet<string> = new Set(TCP_OPTION_KEYS);
/** Calls an application makes only through a statement of its own (connect, send and receive also get results TCP reports by itself). */
const STATEMENT_ONLY_CALLS: ReadonlySet<string> = new Set(['listen', 'close', 'shutdown', 'abort']);

type ActiveEndpoints = { endpoints: Set<string>; pairs: Set<string> };
/** `quickTime`: the statement has no time (or none that counts), or the checker must look at it. */
const NO_TIME = -1;
const NEEDS_CHECK = -2;

export function check(ast: ScenarioFile): Diagnostic[] {
  return new Checker(ast).run();
}

class Checker {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly endpoints = new Map<string, EndpointStatement>();
  /** Endpoints declared `raw`. */
  private readonly raw = new Set<string>();
  /** `NAME VERB` pairs of the action statements so far (for `expect NAME CALL`). */
  private readonly calls = new Set<string>();
  /** Where `report` writes: `diagnostics`, or `timeDiagnostics` while time is checked. */
  private sink: Diagnostic[] = this.diagnostics;
  private readonly timeDiagnostics: Diagnostic[] = [];
  /** Time so far (µs), the line that set it, and whether an `end` was seen. */
  private now = 0;
  private nowLine = 0;
  private hasEnd = false;

  constructor(private readonly ast: ScenarioFile) {}

  run(): Diagnostic[] {
    const { count, first, beyondSettings } = overview(this.ast);
    if (count === 0) {
      this.report('warning', MESSAGES.emptyScenario, [], { line: 1, column: 1, length: 1 });
      return this.diagnostics;
    }
    // Declarations are few and kept; the other statements are visited once (packedStatements).
    const declared = declarationStatements(this.ast);
    this.declarations(declared);
    if (this.endpoints.size === 0 && beyondSettings) {
      // Undeclared names below say the same per line; one summary helps a newcomer start.
      this.report('warning', MESSAGES.noEndpoints, [], first!);
    }
    const active = this.activeEndpoints(declared);
    const main = this.diagnostics;
    const check = (statement: Statement) => {
      this.statement(statement, active);
      // Time's diagnostics go after every statement's, as when time was a pass of its own (the sort is stable).
      this.sink = this.timeDiagnostics;
      this.timeStep(statement);
      this.sink = main;
    };
    const tree = packedTree(this.ast);
    if (tree) this.packedStatements(tree, active, check);
    else for (const statement of this.ast.statements) check(statement);
    this.sink = this.timeDiagnostics;
    this.afterEnd();
    for (const d of this.timeDiagnostics) main.push(d);
    return main.sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column);
  }

  /**
   * The statements of a tree without objects: each one the quick pass (quickCheck.ts) proves clean
   * is done; the others are made and checked as objects, one at a time and dropped (a long file's
   * check keeps none: 300,000 kept ones would be promoted, copied and traced by the collector).
   */
  private packedStatements(tree: T.Tree, active: ActiveEndpoints, check: (statement: Statement) => void): void {
    const quick = new QuickCheck(tree, { declared: this.endpoints, raw: this.raw, active, calls: this.calls });
    const nodes = tree.nodes;
    for (let i = 0; i < tree.statementCount; i++) {
      const at = tree.statements[i];
      const now = this.quickTime(tree, at);
      if (now !== NEEDS_CHECK && quick.statement(at)) {
        if (now >= 0) {
          this.now = now;
          this.nowLine = nodes[at + T.S_LINE];
        }
      } else {
        check(statementObject(tree, at));
      }
    }
  }

  /** What `timeStep` makes of statement node `at`'s time when it reports nothing: the new time, NO_TIME, or NEEDS_CHECK. */
  private quickTime(tree: T.Tree, at: number): number {
    const nodes = tree.nodes;
    const kind = nodes[at + T.S_KIND];
    if (kind === T.ST_END) return NEEDS_CHECK;
    const time = nodes[at + T.S_TIME];
    if (time < 0) return NO_TIME;
    const us = tree.durationOf(time + 1);
    if (us === undefined) return NO_TIME;
    if (us > MAX_TIME_US || tree.spellings.inexactDuration(tree.tokenId[time + 1])) return NEEDS_CHECK;
    if (tree.tokenKind[time] !== T_AT) return this.now + us;
    return us < this.now ? NEEDS_CHECK : us;
  }

  private report(severity: Severity, spec: MessageSpec, args: string[], range: Range, fixes?: Fix[]): void {
    this.sink.push(diagnostic(range, severity, spec.code, spec.template, args, fixes));
  }

  private replaceFix(range: Range, replacement: string): Fix[] {
    return [replaceFix(range, replacement)];
  }

  private reportRead<T>(read: Read<T>, range: Range): T | undefined {
    if (read.ok) return read.value;
    const fixes = read.problem.spec === MESSAGES.missingUnit ? this.replaceFix(range, `${read.problem.args[0]}ms`) : undefined;
    this.report('error', read.problem.spec, read.problem.args, range, fixes);
    return undefined;
  }

  // ---- declarations --------------------------------------------------------------------

  private declarations(statements: Statement[]): void {
    const seenAddresses = new Map<string, string>();
    const seenKeys = new Map<string, number>();
    const seenLinks = new Map<string, number>();
    let scenarioLine: number | undefined;
    let profileLine: number | undefined;
    for (const statement of statements) {
      switch (statement.kind) {
        case 'scenario':
          if (scenarioLine !== undefined) this.report('warning', MESSAGES.repeatedDeclaration, ['scenario', String(scenarioLine)], statement.keyword.range);
          scenarioLine = statement.line;
          break;
        case 'profile': {
          if (profileLine !== undefined) this.report('warning', MESSAGES.repeatedDeclaration, ['profile', String(profileLine)], statement.keyword.range);
          profileLine = statement.line;
          const name = statement.profile;
          if (name && !(PROFILES as readonly string[]).includes(name.text.toLowerCase())) {
            const suggestion = closest(name.text, PROFILES);
            this.report('error', MESSAGES.unknownProfile, [name.text], name.range, suggestion ? this.replaceFix(name.range, suggestion) : undefined);
          }
          break;
        }
        case 'set':
          for (const option of statement.options) {
            const spec = findSetting(option.key.text);
            if (!spec) {
              this.unknownKey(option.key, SETTING_KEYS, MESSAGES.unknownSetting, MESSAGES.unknownSettingNoSuggestion, []);
              continue;
            }
            const earlier = seenKeys.get(spec.key);
            if (earlier !== undefined) this.report('warning', MESSAGES.duplicateOption, [option.key.text], option.key.range);
            seenKeys.set(spec.key, statement.line);
            if (option.value) this.reportRead(readSetting(spec, option.value), option.value.range);
          }
          break;
        case 'endpoint': {
          const name = statement.name;
          if (!name) break;
          const earlier = this.endpoints.get(name.text);
          if (earlier) {
            this.report('error', MESSAGES.duplicateEndpoint, [name.text, String(earlier.line)], name.range);
          } else {
            this.endpoints.set(name.text, statement);
            if (statement.raw) this.raw.add(name.text);
          }
          const address = statement.address;
          if (address) {
            if (address.octets?.some((octet) => octet > 255)) this.report('error', MESSAGES.addressOutOfRange, [address.host ?? address.text], address.range);
            if (address.port !== undefined && (address.port < 1 || address.port > 65535)) {
              this.report('error', MESSAGES.portOutOfRange, [String(address.port)], address.range);
            }
            if (address.host && address.port !== undefined) {
              const key = `${address.host}:${address.port}`;
              const other = seenAddresses.get(key);
              if (other !== undefined && other !== name.text) this.report('warning', MESSAGES.duplicateAddress, [other, name.text, key], address.range);
              seenAddresses.set(key, name.text);
            }
          }
          this.endpointOptions(statement.options);
          break;
        }
        case 'link': {
          const { a, b } = statement;
          if (a && b) {
            if (a.text === b.text) this.report('error', MESSAGES.linkToSelf, [a.text], b.range);
            const key = [a.text, b.text].sort().join('\u0000');
            const earlier = seenLinks.get(key);
            if (earlier !== undefined) this.report('error', MESSAGES.duplicateLink, [a.text, b.text, String(earlier)], statement.keyword.range);
            else seenLinks.set(key, statement.line);
          }
          this.linkOptions(statement.options);
          break;
        }
      }
    }
  }

  private unknownKey(key: Name, candidates: readonly string[], withSuggestion: MessageSpec, without: MessageSpec, context: string[]): void {
    const suggestion = closest(key.text, candidates);
    if (suggestion) this.report('error', withSuggestion, [key.text, ...context, suggestion], key.range, this.replaceFix(key.range, suggestion));
    else this.report('error', without, [key.text, ...context, candidates.join(', ')], key.range);
  }

  private duplicateOptions(options: OptionNode[]): void {
    if (options.length < 2) return;
    const seen = new Set<string>();
    for (const option of options) {
      const key = option.key.text.toLowerCase();
      if (seen.has(key)) this.report('warning', MESSAGES.duplicateOption, [option.key.text], option.key.range);
      seen.add(key);
    }
  }

  private endpointOptions(options: OptionNode[]): void {
    this.duplicateOptions(options);
    for (const option of options) {
      if (!option.value) continue;
      if (option.key.text.toLowerCase() === 'isn') {
        this.reportRead(readInteger('isn', option.value, 0, MAX_U32), option.value.range);
        continue;
      }
      const spec = findSetting(option.key.text);
      if (!spec) {
        this.unknownKey(option.key, [...ENDPOINT_OPTIONS, ...SETTING_KEYS], MESSAGES.unknownOption, MESSAGES.unknownOptionNoSuggestion, ['an endpoint']);
        continue;
      }
      this.reportRead(readSetting(spec, option.value), option.value.range);
    }
  }

  private linkOptions(options: OptionNode[]): void {
    this.duplicateOptions(options);
    for (const option of options) {
      const value = option.value;
      if (!value) continue;
      const key = option.key.text.toLowerCase();
      switch (key) {
        case 'delay':
        case 'jitter':
          this.reportRead(readDuration(key, value, 0, 3_600_000_000), value.range);
          break;
        case 'loss':
        case 'dup':
        case 'duplicate':
        case 'reorder':
        case 'corrupt':
          this.reportRead(readProbability(key, value), value.range);
          break;
        case 'seed':
          this.reportRead(readInteger(key, value, 0, MAX_U32), value.range);
          break;
        default:
          this.unknownKey(option.key, LINK_OPTIONS, MESSAGES.unknownOption, MESSAGES.unknownOptionNoSuggestion, ['a link']);
      }
    }
  }

  // ---- statements ----------------------------------------------------------------------

  /** Endpoints that ever listen, connect or are connected to, and the pairs that talk. */
  private activeEndpoints(declared: Statement[]): ActiveEndpoints {
    const endpoints = new Set<string>();
    const pairs = new Set<string>();
    forEachListenOrConnect(this.ast, (endpoint, verb, peer) => {
      endpoints.add(endpoint);
      if (verb === 'connect' && peer !== undefined) {
        endpoints.add(peer);
        pairs.add(`${endpoint}\u0000${peer}`);
        pairs.add(`${peer}\u0000${endpoint}`);
      }
    });
    for (const s of declared) {
      if (s.kind !== 'link') continue;
      // A crafted SYN can open a connection on a listener only; injection alone does not make an endpoint active.
      if (s.a && s.b && endpoints.has(s.a.text) && endpoints.has(s.b.text)) {
        pairs.add(`${s.a.text}\u0000${s.b.text}`);
      }
    }
    return { endpoints, pairs };
  }

  private reference(name: Name | undefined): boolean {
    if (!name) return false;
    if (this.endpoints.has(name.text)) return true;
    const suggestion = closest(name.text, this.endpoints.keys());
    if (suggestion) {
      this.report('error', MESSAGES.undeclaredEndpoint, [name.text, suggestion], name.range, this.replaceFix(name.range, suggestion));
    } else {
      this.report('error', MESSAGES.undeclaredEndpointNoSuggestion, [name.text], name.range);
    }
    return false;
  }

  private statement(statement: Statement, active: { endpoints: Set<string>; pairs: Set<string> }): void {
    switch (statement.kind) {
      case 'link':
        this.reference(statement.a);
        this.reference(statement.b);
        break;
      case 'action': {
        const known = this.reference(statement.endpoint);
        const verb = statement.verb?.text;
        if (verb !== undefined) this.calls.add(`${statement.endpoint.text}\u0000${verb}`);
        if (known && verb !== undefined && verb !== 'crash' && verb !== 'restart' && this.raw.has(statement.endpoint.text)) {
          this.report('error', MESSAGES.rawEndpointAction, [statement.endpoint.text, verb], statement.verb!.range);
        }
        if (verb === 'shutdown' && statement.argument) this.shutdownMode(statement.argument);
        if (verb === 'set' && statement.options) this.socketOptions(statement.options);
        if (verb === 'connect' && statement.peer) {
          if (statement.peer.text === statement.endpoint.text) this.report('error', MESSAGES.connectToSelf, [statement.peer.text], statement.peer.range);
          else this.reference(statement.peer);
        }
        if (statement.conn && this.reference(statement.conn) && !active.pairs.has(`${statement.endpoint.text}\u0000${statement.conn.text}`)) {
          this.report('warning', MESSAGES.connectionNeverOpened, [statement.endpoint.text, statement.conn.text], statement.conn.range);
        }
        const argument = statement.argument;
        if (argument?.kind === 'number') this.reportRead(readInteger(`${verb ?? ACTION_VERBS[0]}`, argument, 0, 1_000_000_000), argument.range);
        break;
      }
      case 'wait': {
        const condition = statement.condition;
        if (condition) this.condition(condition, active, 'wait');
        break;
      }
      case 'fault': {
        this.pattern(statement.pattern, 'pattern');
        if (statement.fault === 'delay' && !statement.by && statement.pattern?.to) {
          this.report('error', MESSAGES.delayNeedsBy, [], statement.keyword.range);
        }
        if (statement.fault !== 'delay' && statement.by) this.report('error', MESSAGES.byOnlyForDelay, [], statement.by.range);
        if (statement.by && statement.byUs !== undefined && statement.byUs > 3_600_000_000) {
          this.report('error', MESSAGES.durationOutOfRange, [statement.by.text, '1h'], statement.by.range);
        }
        if (statement.count?.kind === 'times' && statement.count.n === 0) this.report('error', MESSAGES.zeroCount, [], statement.count.range);
        break;
      }
      case 'inject': {
        const pattern = statement.pattern;
        this.pattern(pattern, 'inject');
        if (pattern?.to) {
          if (pattern.flags.length === 0) this.report('error', MESSAGES.injectNeedsFlags, [], pattern.range);
          if (!pattern.fields.some((f) => f.key.text.toLowerCase() === 'seq')) this.report('error', MESSAGES.injectNeedsSeq, [], pattern.range);
        }
        break;
      }
      case 'expect': {
        const expectation = statement.expectation;
        if (!expectation) break;
        if (expectation.kind === 'segment') {
          if (expectation.next) this.expectNext(expectation);
          else this.pattern(expectation.pattern, 'pattern');
          break;
        }
        if (expectation.kind === 'call') {
          this.callExpectation(expectation);
        } else if (expectation.kind === 'window') {
          const declared = this.reference(expectation.endpoint);
          const name = expectation.endpoint.text;
          const variable = expectation.variable.text.toLowerCase();
          if (expectation.bytes) this.reportRead(readInteger(variable, expectation.bytes, 0, 1 << 30), expectation.bytes.range);
          const peer = expectation.peer;
          if (peer && this.reference(peer) && declared && !active.pairs.has(`${name}\u0000${peer.text}`)) {
            this.report('warning', MESSAGES.stateWithNeverChecked, [name, peer.text], peer.range);
          } else if (declared && !active.endpoints.has(name)) {
            this.report('warning', MESSAGES.neverActive, [name], expectation.range);
          }
        } else this.condition(expectation, active, 'expect');
        break;
      }
    }
  }

  /** `NAME is STATE [with PEER]` or `NAME received N`, in an expect or a wait. */
  private condition(condition: StateExpectation | ReceivedExpectation, active: { endpoints: Set<string>; pairs: Set<string> }, where: 'expect' | 'wait'): void {
    const declared = this.reference(condition.endpoint);
    const name = condition.endpoint.text;
    const rawNever = declared && this.raw.has(name);
    if (condition.kind === 'state') {
      const state = condition.state && this.state(condition.state);
      const peer = condition.peer;
      if (rawNever && state && state !== 'CLOSED') {
        this.report('warning', MESSAGES.rawNeverHolds, [name], condition.range);
      } else if (peer && this.reference(peer) && declared && !active.pairs.has(`${name}\u0000${peer.text}`)) {
        this.report('warning', where === 'wait' ? MESSAGES.waitWithNeverTalks : MESSAGES.stateWithNeverChecked, [name, peer.text], peer.range);
      } else if (declared && state && state !== 'CLOSED' && !active.endpoints.has(name)) {
        this.report('warning', where === 'wait' ? MESSAGES.waitNeverActive : MESSAGES.neverActive, [name], condition.range);
      }
    } else {
      if (condition.bytes) this.reportRead(readInteger('received', condition.bytes, 0, 1_000_000_000), condition.bytes.range);
      if (declared && !active.endpoints.has(name) && condition.bytes && parseInteger(condition.bytes.text) !== 0) {
        this.report('warning', rawNever ? MESSAGES.rawNeverHolds : MESSAGES.receiveOnSilent, [name], condition.range);
      }
    }
  }

  /** `expect NAME CALL ok|failed [ERR]`. */
  private callExpectation(expectation: CallExpectation): void {
    const declared = this.reference(expectation.endpoint);
    const name = expectation.endpoint.text;
    const call = expectation.call.text.toLowerCase();
    if (declared && this.raw.has(name)) {
      this.report('warning', MESSAGES.rawNeverHolds, [name], expectation.range);
    } else if (declared && STATEMENT_ONLY_CALLS.has(call) && !this.calls.has(`${name}\u0000${call}`)) {
      this.report('warning', MESSAGES.neverCalled, [name, call], expectation.call.range);
    } else if (declared && call === 'connect' && !this.calls.has(`${name}\u0000connect`)) {
      this.report('warning', MESSAGES.neverCalled, [name, call], expectation.call.range);
    }
    const error = expectation.error;
    if (!error) return;
    if (error.kind === 'string') {
      const text = (error.string ?? '').toLowerCase();
      if ((ERROR_TEXTS as readonly string[]).includes(text)) return;
      const suggestion = closest(text, ERROR_TEXTS);
      if (suggestion) this.report('warning', MESSAGES.unknownErrorText, [error.string ?? '', suggestion], error.range, this.replaceFix(error.range, `"${suggestion}"`));
      else this.report('warning', MESSAGES.unknownErrorTextNoSuggestion, [error.string ?? '', ERROR_TEXTS.map((t) => `"${t}"`).join(', ')], error.range);
      return;
    }
    const upper = error.text.toUpperCase();
    if (ERRNO_NAMES.includes(upper)) return;
    const suggestion = closest(upper, ERRNO_NAMES);
    if (suggestion) this.report('error', MESSAGES.unknownErrno, [error.text, suggestion], error.range, this.replaceFix(error.range, suggestion));
    else this.report('error', MESSAGES.unknownErrnoNoSuggestion, [error.text, ERRNO_NAMES.join(', ')], error.range);
  }

  private shutdownMode(mode: Value): void {
    if ((SHUTDOWN_MODES as readonly string[]).includes(mode.text.toLowerCase())) return;
    const suggestion = closest(mode.text, SHUTDOWN_MODES);
    if (suggestion) this.report('error', MESSAGES.unknownShutdownMode, [mode.text, suggestion], mode.range, this.replaceFix(mode.range, suggestion));
    else this.report('error', MESSAGES.unknownShutdownModeNoSuggestion, [mode.text], mode.range);
  }

  /** `NAME set key=value ...`: socket options only. */
  private socketOptions(options: OptionNode[]): void {
    this.duplicateOptions(options);
    for (const option of options) {
      const spec = findSetting(option.key.text);
      if (!spec || !(spec.key in SOCKET_OPTIONS)) {
        if (spec) this.report('error', MESSAGES.notSocketOption, [option.key.text, RUNTIME_KEYS.join(', ')], option.key.range);
        else this.unknownKey(option.key, RUNTIME_KEYS, MESSAGES.unknownSocketOption, MESSAGES.unknownSocketOptionNoSuggestion, []);
        continue;
      }
      if (option.value) this.reportRead(readSetting(spec, option.value), option.value.range);
    }
  }

  private state(name: Name): string | undefined {
    const state = normalizeState(name.text);
    if (state) return state;
    const suggestion = closest(name.text, STATES);
    if (suggestion) this.report('error', MESSAGES.unknownState, [name.text, suggestion], name.range, this.replaceFix(name.range, suggestion));
    else this.report('error', MESSAGES.unknownStateNoSuggestion, [name.text, STATES.join(', ')], name.range);
    return undefined;
  }

  /** `expect next A -> B FLAGS ... [within ...]`: flags required, options or `nooptions`, a sane window. */
  private expectNext(expectation: SegmentExpectation): void {
    const pattern = expectation.pattern;
    this.pattern(pattern, 'next');
    if (!pattern?.to) return;
    if (pattern.flags.length === 0) this.report('error', MESSAGES.nextNeedsFlags, [], pattern.range);
    const keys = pattern.fields.map((f) => f.key.text.toLowerCase());
    const nooptions = pattern.fields.find((f) => f.key.text.toLowerCase() === 'nooptions');
    if (nooptions && keys.some((k) => TCP_OPTION_SET.has(k))) this.report('error', MESSAGES.nooptionsWithOptions, [], nooptions.key.range);
    if (pattern.flags.some((f) => f.text.toLowerCase() === DATA_FLAG)) {
      const data = pattern.flags.find((f) => f.text.toLowerCase() === DATA_FLAG)!;
      this.report('error', MESSAGES.nextExactFlags, [], data.range);
    }
    const within = expectation.within;
    for (const [value, us] of [[within?.early, within?.earlyUs], [within?.late, within?.lateUs]] as const) {
      if (value && us !== undefined && us > 3_600_000_000) this.report('error', MESSAGES.durationOutOfRange, [value.text, '1h'], value.range);
    }
  }

  private pattern(pattern: Pattern | undefined, mode: 'pattern' | 'inject' | 'next'): void {
    const inject = mode !== 'pattern';
    if (!pattern) return;
    const fromOk = this.reference(pattern.from);
    const toOk = this.reference(pattern.to);
    if (fromOk && toOk && pattern.from?.text === pattern.to?.text) this.report('error', MESSAGES.segmentToSelf, [pattern.to!.text], pattern.range);
    // Most patterns have one flag: no set needed to find repeats.
    const seen = pattern.flags.length > 1 ? new Set<string>() : undefined;
    for (const flag of pattern.flags) {
      if (flag.text.toLowerCase() === NO_FLAGS) {
        if (pattern.flags.length > 1) this.report('error', MESSAGES.noneWithFlags, [pattern.flags.filter((f) => f !== flag).map((f) => f.text).join(',')], flag.range);
        continue;
      }
      const normal = flag.text.toLowerCase() === DATA_FLAG ? DATA_FLAG : normalizeFlag(flag.text);
      if (!normal) {
        const suggestion = closest(flag.text, [...FLAGS, DATA_FLAG]);
        if (suggestion) this.report('error', MESSAGES.unknownFlag, [flag.text, suggestion], flag.range, this.replaceFix(flag.range, suggestion));
        else this.report('error', MESSAGES.unknownFlagNoSuggestion, [flag.text], flag.range);
        continue;
      }
      if (seen?.has(normal)) this.report('warning', MESSAGES.duplicateFlag, [flag.text], flag.range);
      seen?.add(normal);
    }
    this.duplicateOptions(pattern.fields);
    const allowed = mode === 'next' ? NEXT_FIELDS : inject ? INJECT_FIELDS : PATTERN_FIELDS;
    for (const field of pattern.fields) {
      const key = field.key.text.toLowerCase();
      if (!inject && TCP_OPTION_SET.has(key)) {
        this.report('error', MESSAGES.tcpOptionOutsideInject, [field.key.text], field.key.range);
        continue;
      }
      if (!allowed.includes(key)) {
        const suggestion = closest(field.key.text, allowed);
        if (suggestion) this.report('error', MESSAGES.unknownOption, [field.key.text, 'a segment', suggestion], field.key.range, this.replaceFix(field.key.range, suggestion));
        else this.report('error', MESSAGES.fieldNotAllowed, [field.key.text, mode === 'next' ? 'expect next' : inject ? 'inject' : 'a segment pattern'], field.key.range);
        continue;
      }
      if (TCP_OPTION_SET.has(key)) {
        this.tcpOption(key, field);
        continue;
      }
      if ((NEXT_BARE_FIELDS as readonly string[]).includes(key)) {
        if (field.value) this.report('error', MESSAGES.optionTakesNoValue, [field.key.text], field.range, this.replaceFix(field.range, field.key.text));
        continue;
      }
      if (!field.value) continue;
      const max = key === 'len' ? 65_535 : key === 'wnd' ? (mode === 'next' ? MAX_SCALED_WINDOW : 65_535) : MAX_U32;
      this.reportRead(readInteger(key, field.value, 0, max), field.value.range);
    }
  }

  /** An inject's TCP option: `mss=N`, `wscale=N`, `sackok`, `ts=VAL:ECR`, `sack=L:R[,L:R...]`. */
  private tcpOption(key: string, field: OptionNode): void {
    const value = field.value;
    if (key === SACK_PERMITTED) {
      if (value) this.report('error', MESSAGES.optionTakesNoValue, [field.key.text], field.range, this.replaceFix(field.range, field.key.text));
      return;
    }
    if (!value) return;
    switch (key) {
      case 'mss':
        this.reportRead(readInteger(key, value, 1, 65_535), value.range);
        return;
      case 'wscale':
        this.reportRead(readInteger(key, value, 0, 14), value.range);
        return;
      case 'ts':
        if (tcpPairs(value.text, 1) === undefined) this.report('error', MESSAGES.invalidTimestamps, [value.text], value.range);
        return;
      case 'sack':
        if (tcpPairs(value.text, 4) === undefined) this.report('error', MESSAGES.invalidSackBlocks, [value.text], value.range);
        return;
    }
  }

  // ---- time ----------------------------------------------------------------------------

  /** A statement's time: its value, and whether it goes backwards. */
  private timeStep(statement: Statement): void {
    const isEnd = statement.kind === 'end';
    const spec = isEnd ? statement.at : statement.time;
    if (spec?.value) this.durationValue(spec.value, spec.us);
    if (isEnd) {
      this.hasEnd = true;
      return;
    }
    if (!spec || spec.us === undefined) return;
    if (spec.mode === 'absolute' && spec.us < this.now) {
      this.report('error', MESSAGES.timeBackwards, [`@${spec.value!.text}`, formatDuration(this.now), String(this.nowLine)], spec.range);
    }
    this.now = spec.mode === 'absolute' ? Math.max(this.now, spec.us) : this.now + spec.us;
    this.nowLine = statement.line;
  }

  /** Statements that run after `end`. */
  private afterEnd(): void {
    if (!this.hasEnd) return; // no `end`: nothing can run after it
    const found = lateStatements(this.ast.tree);
    if (!found) return;
    const end = [formatDuration(found.end.us), String(found.end.line)];
    for (const { us, range } of found.late) this.report('warning', MESSAGES.runsAfterEnd, [formatDuration(us), ...end], range);
  }

  private durationValue(value: Value, us: number | undefined): void {
    if (us === undefined) return;
    if (us > MAX_TIME_US) {
      this.report('error', MESSAGES.durationOutOfRange, [value.text, '366 days'], value.range);
      return;
    }
    if (!value.text.includes('.')) return; // only a fraction can fall between microseconds
    const parsed = parseDuration(value.text);
    if (parsed.ok && !parsed.exact) this.report('warning', MESSAGES.fractionalMicroseconds, [value.text, String(parsed.us)], value.range);
  }
}

/** `A:B[,A:B...]`, at most `max` pairs of 32-bit numbers, or undefined (shared with the compiler). */
export function tcpPairs(text: string, max: number): [number, number][] | undefined {
  const parts = text.split(',');
  if (parts.length > max) return undefined;
  const pairs: [number, number][] = [];
  for (const part of parts) {
    const halves = part.trim().split(':');
    if (halves.length !== 2) return undefined;
    const a = parseInteger(halves[0]);
    const b = parseInteger(halves[1]);
    if (a === undefined || b === undefined || a > MAX_U32 || b > MAX_U32) return undefined;
    pairs.push([a, b]);
  }
  return pairs;
}
