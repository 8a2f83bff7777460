// The objects of ast.ts, made from the packed tree (tree.ts) when someone asks for them: the
// compiler and the editor's services read `ast.statements`; parsing and checking do not, so a
// `tcpscenario check` of a long file never makes them. Made once per tree, then kept.

import type {
  AddressNode,
  CommentNode,
  CountNode,
  Expectation,
  Name,
  OptionNode,
  Pattern,
  ScenarioFile,
  SegmentExpectation,
  Statement,
  TimeSpec,
  Value,
  WithinNode,
} from './ast';
import type { Range } from './diagnostic';
import { stringValue } from './strings';
import { T_AT, T_COLON, T_NUMBER, T_STRING } from './tokens';
import { V_LISTEN, V_SET } from './spellings';
import * as T from './tree';
import { parseAddress } from './values';
import { FAULT_KINDS } from './vocabulary';

/** Shared by every node without options, flags or fields (nothing mutates the tree's lists). */
const NO_OPTIONS: OptionNode[] = Object.freeze([]) as unknown as OptionNode[];
const NO_NAMES: Name[] = Object.freeze([]) as unknown as Name[];

/** A parsed file: the packed tree, and its statements and comments as objects on first use. */
export class ParsedScenario implements ScenarioFile {
  readonly kind = 'file';
  readonly lineCount: number;
  #statements: Statement[] | undefined;
  #comments: CommentNode[] | undefined;

  constructor(readonly tree: T.Tree) {
    this.lineCount = tree.lineCount;
  }

  /** Whether `statements` has made the objects (then they are kept, and read from there). */
  get made(): boolean {
    return this.#statements !== undefined;
  }

  get statements(): Statement[] {
    if (this.#statements === undefined) {
      const tree = this.tree;
      const statements: Statement[] = new Array<Statement>(tree.statementCount);
      const view = new StatementView(tree);
      for (let i = 0; i < tree.statementCount; i++) statements[i] = view.statement(tree.statements[i]);
      this.#statements = statements;
    }
    return this.#statements;
  }

  get comments(): CommentNode[] {
    if (this.#comments === undefined) {
      const data = this.tree.comments;
      const text = this.tree.text;
      const comments: CommentNode[] = [];
      for (let i = 0; i < data.length; i += 4) {
        comments.push({ text: text.slice(data[i], data[i + 1]), offset: data[i], range: { line: data[i + 2], column: data[i + 3], length: data[i + 1] - data[i] } });
      }
      this.#comments = comments;
    }
    return this.#comments;
  }

  /** What JSON.stringify writes: the objects of ast.ts. */
  toJSON(): { kind: 'file'; statements: Statement[]; comments: CommentNode[]; lineCount: number } {
    return { kind: this.kind, statements: this.statements, comments: this.comments, lineCount: this.lineCount };
  }
}

/** The packed tree of `ast` while it has no statement objects (then checking reads the tree), else undefined. */
export function packedTree(ast: ScenarioFile): T.Tree | undefined {
  return ast instanceof ParsedScenario && !ast.made ? ast.tree : undefined;
}

/** How many statements, the first one's range, and whether any is more than scenario, profile and set. */
export function overview(ast: ScenarioFile): { count: number; first?: Range; beyondSettings: boolean } {
  if (!(ast instanceof ParsedScenario) || ast.made) {
    const statements = ast.statements;
    return { count: statements.length, first: statements[0]?.range, beyondSettings: statements.some((s) => s.kind !== 'scenario' && s.kind !== 'profile' && s.kind !== 'set') };
  }
  const tree = ast.tree;
  let beyondSettings = false;
  for (let i = 0; i < tree.statementCount && !beyondSettings; i++) beyondSettings = tree.nodes[tree.statements[i] + T.S_KIND] > T.ST_SET;
  return { count: tree.statementCount, first: tree.statementCount > 0 ? tree.statementRange(tree.statements[0]) : undefined, beyondSettings };
}

/** The statements of the declaration kinds (scenario, profile, set, endpoint, link): few, kept. */
export function declarationStatements(ast: ScenarioFile): Statement[] {
  if (!(ast instanceof ParsedScenario) || ast.made) return ast.statements.filter((s) => DECLARATIONS.has(s.kind));
  const view = new StatementView(ast.tree);
  return ast.tree.declarations.map((at) => view.statement(at));
}
const DECLARATIONS: ReadonlySet<string> = new Set(T.STATEMENT_KINDS.slice(0, T.ST_LINK + 1));

/** Visits each `listen` and `connect` action's endpoint, verb and peer names, read from the packed tree when it has no objects. */
export function forEachListenOrConnect(ast: ScenarioFile, visit: (endpoint: string, verb: 'listen' | 'connect', peer: string | undefined) => void): void {
  if (!(ast instanceof ParsedScenario) || ast.made) {
    for (const s of ast.statements) {
      if (s.kind === 'action' && (s.verb?.text === 'listen' || s.verb?.text === 'connect')) visit(s.endpoint.text, s.verb.text, s.peer?.text);
    }
    return;
  }
  const tree = ast.tree;
  const n = tree.nodes;
  for (const at of tree.listenOrConnect) {
    const code = tree.spellings.verb(tree.tokenId[n[at + T.ACTION_VERB]]);
    const peer = n[at + T.ACTION_PEER];
    visit(tree.tokenText(n[at + T.ACTION_ENDPOINT]), code === V_LISTEN ? 'listen' : 'connect', peer < 0 ? undefined : tree.tokenText(peer));
  }
}

/** The object of statement node `statement`. */
export function statementObject(tree: T.Tree, statement: number): Statement {
  return new StatementView(tree).statement(statement);
}

/** Makes the objects of a tree's statements, one at a time (every node of a statement is on its line). */
class StatementView {
  private readonly nodes: Int32Array;
  /** The statement being made: its node, line, and where its line starts. */
  private at = 0;
  private line = 0;
  private lineStart = 0;

  constructor(private readonly tree: T.Tree) {
    this.nodes = tree.nodes;
  }

  statement(at: number): Statement {
    const n = this.nodes;
    this.at = at;
    this.line = n[at + T.S_LINE];
    this.lineStart = n[at + T.S_LINE_START];
    const s = at;
    const line = this.line;
    const time = this.time(n[s + T.S_TIME]);
    const offset = n[s + T.S_OFFSET];
    const range = this.tree.statementRange(s);
    const kind = n[s + T.S_KIND];
    if (kind === T.ST_ACTION) return this.action(time, range);
    const keyword = this.name(n[s + T.S_KEYWORD])!;
    switch (kind) {
      case T.ST_SCENARIO:
        return { kind: 'scenario', line, time, offset, range, keyword, title: this.value(n[s + T.SCENARIO_TITLE]) };
      case T.ST_PROFILE:
        return { kind: 'profile', line, time, offset, range, keyword, profile: this.name(n[s + T.PROFILE_NAME]) };
      case T.ST_SET:
        return { kind: 'set', line, time, offset, range, keyword, options: this.options(s + T.SET_OPTIONS) };
      case T.ST_ENDPOINT: {
        const node: Statement = {
          kind: 'endpoint',
          line,
          time,
          offset,
          range,
          keyword,
          name: this.name(n[s + T.ENDPOINT_NAME]),
          address: this.address(n[s + T.ENDPOINT_ADDRESS]),
          options: this.options(s + T.ENDPOINT_OPTIONS),
        };
        // The key is there only when `raw` is written.
        if (n[s + T.ENDPOINT_RAW] >= 0) node.raw = this.name(n[s + T.ENDPOINT_RAW]);
        return node;
      }
      case T.ST_LINK:
        return { kind: 'link', line, time, offset, range, keyword, a: this.name(n[s + T.LINK_A]), b: this.name(n[s + T.LINK_B]), options: this.options(s + T.LINK_OPTIONS) };
      case T.ST_FAULT: {
        const by = n[s + T.FAULT_BY];
        return {
          kind: 'fault',
          line,
          time,
          offset,
          range,
          keyword,
          fault: FAULT_KINDS[n[s + T.FAULT_KIND]],
          pattern: this.pattern(n[s + T.FAULT_PATTERN]),
          by: this.value(by),
          byUs: by >= 0 ? this.tree.durationOf(by) : undefined,
          count: this.count(n[s + T.FAULT_COUNT]),
        };
      }
      case T.ST_INJECT:
        return { kind: 'inject', line, time, offset, range, keyword, pattern: this.pattern(n[s + T.INJECT_PATTERN]) };
      case T.ST_EXPECT:
        return { kind: 'expect', line, time, offset, range, keyword, expectation: this.expectation(n[s + T.EXPECT_EXPECTATION]) };
      case T.ST_WAIT:
        return {
          kind: 'wait',
          line,
          time,
          offset,
          range,
          keyword,
          until: this.name(n[s + T.WAIT_UNTIL]),
          condition: this.expectation(n[s + T.WAIT_CONDITION]) as Extract<Expectation, { kind: 'state' | 'received' }> | undefined,
        };
      default:
        return { kind: 'end', line, time, offset, range, keyword, at: this.time(n[s + T.END_AT]) };
    }
  }

  private action(time: TimeSpec | undefined, range: Range): Statement {
    const n = this.nodes;
    const s = this.at;
    const verb = n[s + T.ACTION_VERB];
    const node: Statement = {
      kind: 'action',
      line: this.line,
      time,
      offset: n[s + T.S_OFFSET],
      range,
      endpoint: this.name(n[s + T.ACTION_ENDPOINT])!,
      verb: this.name(verb),
      peer: this.name(n[s + T.ACTION_PEER]),
      argument: this.value(n[s + T.ACTION_ARGUMENT]),
      conn: this.name(n[s + T.ACTION_CONN]),
    };
    // The key is there on `set` lines only.
    if (verb >= 0 && this.tree.spellings.verb(this.tree.tokenId[verb]) === V_SET) node.options = this.options(s + T.ACTION_OPTIONS);
    return node;
  }

  private tokenRange(token: number, length = this.tree.end(token) - this.tree.tokenStart[token]): Range {
    return { line: this.line, column: this.tree.tokenStart[token] - this.lineStart + 1, length };
  }

  private nodeRange(node: number): Range {
    return { line: this.line, column: this.nodes[node + T.N_OFFSET] - this.lineStart + 1, length: this.nodes[node + T.N_LENGTH] };
  }

  private name(token: number): Name | undefined {
    if (token < 0) return undefined;
    return { offset: this.tree.tokenStart[token], range: this.tokenRange(token), text: this.tree.tokenText(token) };
  }

  /** A value token; `end` >= 0 stretches it (`sack=1:2,3:4` is one value). */
  private value(token: number, end = -1): Value | undefined {
    if (token < 0) return undefined;
    const tree = this.tree;
    const kind = tree.tokenKind[token];
    const offset = tree.tokenStart[token];
    return {
      offset,
      range: this.tokenRange(token, end >= 0 ? end - offset : undefined),
      kind: kind === T_STRING ? 'string' : kind === T_NUMBER ? 'number' : 'ident',
      text: end >= 0 ? tree.text.slice(offset, end) : tree.tokenText(token),
      string: kind === T_STRING ? stringValue(tree.text, offset, tree.end(token)) : undefined,
    };
  }

  /** The time whose sign token is `sign` (tree.ts: the number follows it). */
  private time(sign: number): TimeSpec | undefined {
    if (sign < 0) return undefined;
    const tree = this.tree;
    return {
      offset: tree.tokenStart[sign],
      range: this.tokenRange(sign, tree.timeLength(sign)),
      mode: tree.tokenKind[sign] === T_AT ? 'absolute' : 'relative',
      value: this.value(sign + 1),
      us: tree.durationOf(sign + 1),
    };
  }

  private options(slot: number): OptionNode[] {
    const count = this.nodes[slot + 1];
    if (count === 0) return NO_OPTIONS;
    const first = this.nodes[slot];
    const options: OptionNode[] = new Array<OptionNode>(count);
    for (let i = 0; i < count; i++) options[i] = this.option(this.tree.lists[first + i]);
    return options;
  }

  private option(node: number): OptionNode {
    const n = this.nodes;
    return {
      offset: n[node + T.N_OFFSET],
      range: this.nodeRange(node),
      key: this.name(n[node + T.OPTION_KEY])!,
      value: this.value(n[node + T.OPTION_VALUE], n[node + T.OPTION_VALUE_END]),
    };
  }

  private address(node: number): AddressNode | undefined {
    if (node < 0) return undefined;
    const tree = this.tree;
    const start = this.nodes[node + T.ADDRESS_START];
    const address: AddressNode = { offset: this.nodes[node + T.N_OFFSET], range: this.nodeRange(node), text: '', host: undefined, octets: undefined, port: undefined };
    if (tree.tokenKind[start] === T_COLON) {
      const port = this.nodes[node + T.ADDRESS_PORT];
      address.text = `:${tree.tokenText(port)}`;
      address.port = tree.integerOf(port);
    } else {
      address.text = tree.tokenText(start);
      const parsed = parseAddress(address.text);
      address.host = parsed?.host;
      address.octets = parsed?.octets;
      address.port = parsed?.port;
    }
    return address;
  }

  private pattern(node: number): Pattern | undefined {
    if (node < 0) return undefined;
    const n = this.nodes;
    const flagCount = n[node + T.PATTERN_FLAGS + 1];
    let flags = NO_NAMES;
    if (flagCount > 0) {
      flags = new Array<Name>(flagCount);
      for (let i = 0; i < flagCount; i++) flags[i] = this.name(this.tree.lists[n[node + T.PATTERN_FLAGS] + i])!;
    }
    return {
      offset: n[node + T.N_OFFSET],
      range: this.nodeRange(node),
      from: this.name(n[node + T.PATTERN_FROM]),
      to: this.name(n[node + T.PATTERN_TO]),
      flags,
      fields: this.options(node + T.PATTERN_FIELDS),
    };
  }

  private count(node: number): CountNode | undefined {
    if (node < 0) return undefined;
    const n = this.nodes;
    const kind = n[node + T.COUNT_KIND];
    const number = n[node + T.COUNT_NUMBER];
    return {
      offset: n[node + T.N_OFFSET],
      range: this.nodeRange(node),
      kind: T.COUNT_KINDS[kind],
      n: number >= 0 ? this.tree.integerOf(number) : undefined,
    };
  }

  /** `within D`, `within -D1 +D2` or `anytime` (no durations). */
  private within(node: number): WithinNode {
    const n = this.nodes;
    const within: WithinNode = { offset: n[node + T.N_OFFSET], range: this.nodeRange(node), keyword: this.name(n[node + T.WITHIN_KEYWORD])! };
    const early = n[node + T.WITHIN_EARLY];
    const late = n[node + T.WITHIN_LATE];
    if (early >= 0) {
      within.early = this.value(early);
      within.earlyUs = this.tree.durationOf(early);
    }
    if (late >= 0) {
      within.late = this.value(late);
      within.lateUs = this.tree.durationOf(late);
    }
    return within;
  }

  private expectation(node: number): Expectation | undefined {
    if (node < 0) return undefined;
    const n = this.nodes;
    const offset = n[node + T.N_OFFSET];
    const range = this.nodeRange(node);
    switch (n[node + T.X_KIND]) {
      case T.X_SEGMENT: {
        const segment: SegmentExpectation = { kind: 'segment', offset, range, pattern: this.pattern(n[node + T.X_PATTERN])! };
        // The keys are there only on `expect next` lines (and `within` only when written).
        if (n[node + T.SEGMENT_NEXT] >= 0) segment.next = this.name(n[node + T.SEGMENT_NEXT]);
        if (n[node + T.SEGMENT_WITHIN] >= 0) segment.within = this.within(n[node + T.SEGMENT_WITHIN]);
        return segment;
      }
      case T.X_STATE:
        return { kind: 'state', offset, range, endpoint: this.name(n[node + T.X_ENDPOINT])!, state: this.name(n[node + T.STATE_STATE]), peer: this.name(n[node + T.STATE_PEER]) };
      case T.X_RECEIVED:
        return { kind: 'received', offset, range, endpoint: this.name(n[node + T.X_ENDPOINT])!, bytes: this.value(n[node + T.RECEIVED_BYTES]) };
      case T.X_WINDOW:
        return {
          kind: 'window',
          offset,
          range,
          endpoint: this.name(n[node + T.X_ENDPOINT])!,
          variable: this.name(n[node + T.WINDOW_VARIABLE])!,
          bytes: this.value(n[node + T.WINDOW_BYTES]),
          peer: this.name(n[node + T.WINDOW_PEER]),
        };
      default:
        return {
          kind: 'call',
          offset,
          range,
          endpoint: this.name(n[node + T.X_ENDPOINT])!,
          call: this.name(n[node + T.CALL_CALL])!,
          result: this.name(n[node + T.CALL_RESULT]),
          error: this.value(n[node + T.CALL_ERROR]),
        };
    }
  }
}
