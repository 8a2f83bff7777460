// The checker: what the grammar cannot see. Names that are not declared (or declared
// twice), time going backwards, values out of range, unknown states, flags and settings,
// and expectations that can never be checked. The declarations' checks are in
// checkDeclarations.ts, a segment pattern's in checkSegments.ts, what they share in
// checkContext.ts; this file walks the statements and checks actions, conditions and time.

import type { CallExpectation, Name, OptionNode, ReceivedExpectation, ScenarioFile, StateExpectation, Statement, Value } from './ast';
import { lateStatements } from './afterEnd';
import { CheckContext } from './checkContext';
import { checkDeclarations } from './checkDeclarations';
import { checkExpectNext, checkPattern } from './checkSegments';
import type { Diagnostic } from './diagnostic';
import { MESSAGES } from './messages';
import { QuickCheck } from './quickCheck';
import { MAX_TIME_US, readInteger, readSetting } from './semantics';
import { closest } from './suggest';
import { T_AT } from './tokens';
import * as T from './tree';
import { formatDuration, parseDuration, parseInteger } from './values';
import { declarationStatements, forEachListenOrConnect, overview, packedTree, statementObject } from './view';
import { ACTION_VERBS, ERRNO_NAMES, ERROR_TEXTS, SHUTDOWN_MODES, SOCKET_OPTIONS, STATES, findSetting, normalizeState, runtimeSettings } from './vocabulary';

const RUNTIME_KEYS = runtimeSettings().map((s) => s.key);
/** Calls an application makes only through a statement of its own (connect, send and receive also get results TCP reports by itself). */
const STATEMENT_ONLY_CALLS: ReadonlySet<string> = new Set(['listen', 'close', 'shutdown', 'abort']);

type ActiveEndpoints = { endpoints: Set<string>; pairs: Set<string> };
/** `quickTime`: the statement has no time (or none that counts), or the checker must look at it. */
const NO_TIME = -1;
const NEEDS_CHECK = -2;

export function check(ast: ScenarioFile): Diagnostic[] {
  return new Checker(ast).run();
}

class Checker extends CheckContext {
  /** `NAME VERB` pairs of the action statements so far (for `expect NAME CALL`). */
  private readonly calls = new Set<string>();
  private readonly timeDiagnostics: Diagnostic[] = [];
  /** Time so far (µs), the line that set it, and whether an `end` was seen. */
  private now = 0;
  private nowLine = 0;
  private hasEnd = false;

  constructor(private readonly ast: ScenarioFile) {
    super();
  }

  run(): Diagnostic[] {
    const { count, first, beyondSettings } = overview(this.ast);
    if (count === 0) {
      this.report('warning', MESSAGES.emptyScenario, [], { line: 1, column: 1, length: 1 });
      return this.diagnostics;
    }
    // Declarations are few and kept; the other statements are visited once (packedStatements).
    const declared = declarationStatements(this.ast);
    checkDeclarations(this, declared);
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
        checkPattern(this, statement.pattern, 'pattern');
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
        checkPattern(this, pattern, 'inject');
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
          if (expectation.next) checkExpectNext(this, expectation);
          else checkPattern(this, expectation.pattern, 'pattern');
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
