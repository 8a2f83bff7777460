// Recursive-descent parser, one statement per line. An error ends the statement it is in
// and parsing resumes on the next line, so every broken line gets its own diagnostic and
// the tree keeps whatever could be read (editor features work on broken files).

import type {
  ActionStatement,
  AddressNode,
  CallExpectation,
  CountNode,
  EndStatement,
  EndpointStatement,
  ExpectStatement,
  FaultStatement,
  InjectStatement,
  LinkStatement,
  Name,
  OptionNode,
  Pattern,
  ProfileStatement,
  ReceivedExpectation,
  SegmentExpectation,
  StateExpectation,
  WindowExpectation,
  ScenarioFile,
  ScenarioStatement,
  SetStatement,
  Statement,
  TimeSpec,
  Value,
  WaitStatement,
} from './ast';
import { diagnostic, replaceFix, type Diagnostic, type Fix, type Range } from './diagnostic';
import { MESSAGES, type MessageSpec } from './messages';
import { newToken, Scanner, type Token } from './scanner';
import { closest } from './suggest';
import { parseAddress, parseDuration, parseInteger } from './values';
import {
  ACTION_VERBS,
  CALL_WORDS,
  DURATION_UNITS,
  FAULT_KINDS,
  SACK_PERMITTED,
  STATEMENT_KEYWORDS,
  isWord,
  isStatementKeyword,
  type FaultKeyword,
} from './vocabulary';

export interface ParseResult {
  ast: ScenarioFile;
  diagnostics: Diagnostic[];
}

/** Actions on one connection, which `with PEER` can pick. */
const CONNECTION_VERBS = new Set(['send', 'receive', 'close', 'shutdown', 'abort']);
const TIMED_KEYWORDS = new Set<string>(['expect', 'inject', 'wait', ...FAULT_KINDS]);
const CALL_SET = new Set<string>(CALL_WORDS);
/** What may follow `expect NAME`, for the message when something else does. */
const EXPECT_FORMS = "'is STATE', 'received N', 'cwnd is N', 'CALL ok', 'CALL failed ERR' or '-> PEER FLAGS'";
const ACTION_VERB_SET = new Set<string>(ACTION_VERBS);
/** Shared by every node without options, flags or fields (nothing mutates the tree's lists). */
const NO_OPTIONS: OptionNode[] = Object.freeze([]) as unknown as OptionNode[];
const NO_NAMES: Name[] = Object.freeze([]) as unknown as Name[];

/**
 * `list` with `item` added, as a new array of exactly that length: `push` would grow a
 * one-element array to room for 17, and the tree keeps its lists for as long as it lives.
 */
function appended<T>(list: T[], item: T): T[] {
  switch (list.length) {
    case 0:
      return [item];
    case 1:
      return [list[0], item];
    case 2:
      return [list[0], list[1], item];
    default:
      return list.concat(item); // rare, and slower: concat is a generic builtin
  }
}

/** The count word (`once`, `twice`, `always`, `times`) a word spells in any case, or undefined. */
function countWordOf(text: string): 'once' | 'twice' | 'always' | 'times' | undefined {
  if (isWord(text, 'once')) return 'once';
  if (isWord(text, 'twice')) return 'twice';
  if (isWord(text, 'always')) return 'always';
  if (isWord(text, 'times')) return 'times';
  return undefined;
}
const UNIT_LIST = Object.keys(DURATION_UNITS).join(', ');
const VERB_LIST = ACTION_VERBS.join(', ');

/** Thrown inside a statement to abandon the rest of its line (caught per line, never escapes). */
class LineError {}

export function parse(text: string): ParseResult {
  return new Parser(text).parseFile();
}

const KEYWORDS = new Set<string>(STATEMENT_KEYWORDS);
/** Placeholder range of a node under construction; `finish` (or the caller) always replaces it. */
const PENDING: Range = Object.freeze({ line: 0, column: 0, length: 0 });

/** The statement keyword a word spells (any case), or undefined. */
function keywordOf(word: string): string | undefined {
  if (KEYWORDS.has(word)) return word;
  const c = word.charCodeAt(0);
  if (c >= 65 && c <= 90) {
    const lower = word.toLowerCase();
    if (KEYWORDS.has(lower)) return lower;
  }
  return undefined;
}

class Parser {
  private readonly scanner: Scanner;
  private readonly diagnostics: Diagnostic[] = [];
  /** The current line's tokens are tokens[0 .. count); the objects are reused line after line (nodes copy what they keep). */
  private readonly tokens: Token[] = [];
  private count = 0;
  private index = 0;
  /** The newline or eof token that ends the current line. */
  private lineEnd!: Token;
  /** Offsets of tokens whose error the scanner already reported (no second diagnostic for them). */
  private readonly reported = new Set<number>();
  /** Microseconds of each duration text read so far. */
  private readonly durations = new Map<string, number>();

  constructor(private readonly text: string) {
    this.scanner = new Scanner(text);
  }

  parseFile(): ParseResult {
    const statements: Statement[] = [];
    let line = 1;
    const tokens = this.tokens;
    const scanner = this.scanner;
    for (;;) {
      let count = 0;
      this.index = 0;
      let token = scanner.nextInto(tokens[0] ?? (tokens[0] = newToken()));
      while (token.kind !== 'newline' && token.kind !== 'eof') {
        if (token.error) this.reportTokenError(token);
        count++;
        token = scanner.nextInto(tokens[count] ?? (tokens[count] = newToken()));
      }
      this.count = count;
      this.lineEnd = token;
      if (count > 0) {
        const statement = this.parseLine(line);
        if (statement) statements.push(statement);
      }
      if (token.kind === 'eof') break;
      line++;
    }
    // A line's scanner errors come before its parser errors; report them in text order.
    const diagnostics = this.diagnostics.sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column);
    return { ast: { kind: 'file', statements, comments: scanner.comments, lineCount: line }, diagnostics };
  }

  // ---- tokens -------------------------------------------------------------------------

  private peek(ahead = 0): Token | undefined {
    const at = this.index + ahead;
    return at < this.count ? this.tokens[at] : undefined;
  }

  private advance(): Token {
    return this.tokens[this.index++];
  }

  private peekIdent(word: string): boolean {
    const token = this.peek();
    return token !== undefined && token.kind === 'ident' && isWord(token.text, word);
  }

  private describe(token: Token | undefined): string {
    if (!token) return 'the end of the line';
    if (token.kind === 'string') return 'a string';
    const text = token.text.length > 24 ? `${token.text.slice(0, 24)}...` : token.text;
    return `'${text}'`;
  }

  private rangeOf(token: Token | undefined): Range {
    if (token) return { line: token.line, column: token.column, length: Math.max(1, token.length) };
    // At the end of the line: point just after the last token.
    const last = this.count > 0 ? this.tokens[this.count - 1] : undefined;
    if (last) return { line: last.line, column: last.column + last.length, length: 1 };
    return { line: this.lineEnd.line, column: this.lineEnd.column, length: 1 };
  }

  private reportTokenError(token: Token): void {
    const error = token.error!;
    const range = this.rangeOf(token);
    const fixes: Fix[] | undefined =
      error.replacement === undefined ? undefined : [replaceFix(range, error.replacement)];
    this.diagnostics.push(diagnostic(range, 'error', error.spec.code, error.spec.template, error.spec === MESSAGES.invalidEscape ? error.args : error.args, fixes));
    if (token.kind === 'invalid') this.reported.add(token.offset);
  }

  /** Reports an error at `token` (or the end of the line) and abandons the statement. */
  private fail(spec: MessageSpec, args: string[], token: Token | undefined, fixes?: Fix[]): never {
    if (!(token && this.reported.has(token.offset))) {
      this.diagnostics.push(diagnostic(this.rangeOf(token), 'error', spec.code, spec.template, args, fixes));
    }
    throw new LineError();
  }

  /** Reports an error and goes on with the statement. */
  private report(spec: MessageSpec, args: string[], range: Range, fixes?: Fix[]): void {
    this.diagnostics.push(diagnostic(range, 'error', spec.code, spec.template, args, fixes));
  }

  private name(token: Token): Name {
    return { offset: token.offset, range: { line: token.line, column: token.column, length: token.length }, text: token.text };
  }

  private value(token: Token): Value {
    return {
      offset: token.offset,
      range: { line: token.line, column: token.column, length: token.length },
      kind: token.kind === 'string' ? 'string' : token.kind === 'number' ? 'number' : 'ident',
      text: token.text,
      string: token.kind === 'string' ? (token.value ?? '') : undefined,
    };
  }

  private expectIdent(what: string, after: string): Token {
    const token = this.peek();
    if (!token || token.kind !== 'ident') this.fail(MESSAGES.expectedAfter, [what, after, this.describe(token)], token);
    return this.advance();
  }

  /** Stretches `range` (which starts at `first`) to the last consumed token: `spanRange` without a new object. */
  private extendRange(range: Range, first: Token): void {
    const last = this.tokens[Math.max(this.index - 1, 0)] ?? first;
    range.length = Math.max(1, last.offset + last.length - first.offset);
  }

  /** Range from `first` to the last consumed token. */
  private spanRange(first: Token): Range {
    const last = this.tokens[Math.max(this.index - 1, 0)] ?? first;
    const end = last.offset + last.length;
    return { line: first.line, column: first.column, length: Math.max(1, end - first.offset) };
  }

  // ---- lines --------------------------------------------------------------------------

  private parseLine(line: number): Statement | undefined {
    const first = this.tokens[0];
    let time: TimeSpec | undefined;
    let statement: Statement | undefined;
    try {
      time = this.parseTimePrefix();
      const head = this.peek();
      if (!head) {
        this.fail(MESSAGES.statementAfterTime, [time ? this.text.slice(time.offset, time.offset + time.range.length) : ''], undefined);
      }
      if (head.kind !== 'ident') {
        this.fail(MESSAGES.expectedStatement, [STATEMENT_KEYWORDS.join(', '), this.describe(head)], head);
      }
      const keyword = keywordOf(head.text);
      if (keyword !== undefined) {
        if (time && !TIMED_KEYWORDS.has(keyword)) {
          const timeText = this.text.slice(time.offset, time.offset + time.range.length);
          this.report(MESSAGES.timeOnDeclaration, [keyword, timeText], time.range, [
            replaceFix(time.range, '', timeText),
          ]);
        }
        statement = this.parseKeywordStatement(keyword, line, first, time);
      } else {
        statement = this.parseAction(line, first, time);
      }
      const extra = this.peek();
      if (extra) {
        const last = this.tokens[this.index - 1];
        this.fail(MESSAGES.unexpectedToken, [this.describe(extra), last.text], extra);
      }
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      statement = this.partial ? this.finish(this.partial, first) : statement;
    }
    this.partial = undefined;
    return statement;
  }

  /** The statement being built, so a line that fails halfway still yields its partial node. */
  private partial: Statement | undefined;

  private begin<T extends Statement>(node: T): T {
    this.partial = node;
    return node;
  }

  /** The range of a statement that failed halfway (each statement kind sets its own on success: one node shape per store is faster). */
  private finish<T extends Statement>(node: T, first: Token): T {
    node.range = this.spanRange(first);
    return node;
  }

  private parseTimePrefix(): TimeSpec | undefined {
    const token = this.peek();
    if (!token || (token.kind !== '@' && token.kind !== '+')) return undefined;
    return this.parseTime();
  }

  /** `@T` or `+D`; the current token is `@` or `+`. */
  private parseTime(): TimeSpec {
    const sign = this.advance();
    const mode = sign.kind === '@' ? 'absolute' : 'relative';
    const spec: TimeSpec = { offset: sign.offset, range: PENDING, mode, value: undefined, us: undefined };
    let token = this.peek();
    if (token?.kind === '-') {
      this.advance();
      token = this.peek();
      const shown = token?.kind === 'number' ? token.text : '1s';
      this.fail(MESSAGES.negativeTime, [shown], token ?? sign);
    }
    if (!token || token.kind !== 'number') {
      this.fail(MESSAGES.expectedAfter, ['a time like 10ms', sign.text, this.describe(token)], token);
    }
    this.advance();
    spec.value = this.value(token);
    spec.range = this.spanRange(sign);
    spec.us = this.duration(token);
    return spec;
  }

  /** Reads a duration token, reporting (without abandoning the line) when it is not one. */
  private duration(token: Token): number | undefined {
    // The same few durations (+1ms, @0) come back line after line.
    const known = this.durations.get(token.text);
    if (known !== undefined) return known;
    const result = parseDuration(token.text);
    if (result.ok) {
      this.durations.set(token.text, result.us);
      return result.us;
    }
    const range = this.rangeOf(token);
    if (result.reason === 'missing-unit') {
      this.report(MESSAGES.missingUnit, [token.text], range, [replaceFix(range, `${token.text}ms`)]);
    } else if (result.reason === 'unknown-unit') {
      const unit = result.unit ?? '';
      const suggestion = closest(unit, Object.keys(DURATION_UNITS));
      const fixes = suggestion
        ? [replaceFix(range, token.text.slice(0, -unit.length) + suggestion)]
        : undefined;
      this.report(MESSAGES.unknownUnit, [unit, token.text, UNIT_LIST], range, fixes);
    } else {
      this.report(MESSAGES.invalidDuration, [token.text, UNIT_LIST], range);
    }
    return undefined;
  }

  private parseKeywordStatement(keyword: string, line: number, first: Token, time: TimeSpec | undefined): Statement {
    const keywordToken = this.advance();
    const keywordName = this.name(keywordToken);
    switch (keyword) {
      case 'scenario': {
        const node = this.begin<ScenarioStatement>({ kind: 'scenario', line, time, offset: first.offset, range: PENDING, keyword: keywordName, title: undefined });
        const title = this.peek();
        if (!title || title.kind !== 'string') {
          this.fail(MESSAGES.expectedAfter, ['a title in quotes, like "Lost final ACK"', 'scenario', this.describe(title)], title);
        }
        node.title = this.value(this.advance());
        node.range = this.spanRange(first);
        return node;
      }
      case 'profile': {
        const node = this.begin<ProfileStatement>({ kind: 'profile', line, time, offset: first.offset, range: PENDING, keyword: keywordName, profile: undefined });
        node.profile = this.name(this.expectIdent('a profile (rfc or linux)', 'profile'));
        node.range = this.spanRange(first);
        return node;
      }
      case 'set': {
        const node = this.begin<SetStatement>({ kind: 'set', line, time, offset: first.offset, range: PENDING, keyword: keywordName, options: NO_OPTIONS });
        if (!this.peek()) this.fail(MESSAGES.expectedAfter, ['a setting like msl=30s', 'set', 'the end of the line'], undefined);
        this.parseOptions(node, 'a setting like msl=30s');
        node.range = this.spanRange(first);
        return node;
      }
      case 'endpoint':
        return this.parseEndpoint(line, time, keywordName, first);
      case 'link':
        return this.parseLink(line, time, keywordName, first);
      case 'inject': {
        const node = this.begin<InjectStatement>({ kind: 'inject', line, time, offset: first.offset, range: PENDING, keyword: keywordName, pattern: undefined });
        this.parsePattern('inject', node);
        node.range = this.spanRange(first);
        return node;
      }
      case 'expect':
        return this.parseExpect(line, time, keywordName, first);
      case 'wait':
        return this.parseWait(line, time, keywordName, first);
      case 'end': {
        const node = this.begin<EndStatement>({ kind: 'end', line, time, offset: first.offset, range: PENDING, keyword: keywordName, at: undefined });
        const at = this.peek();
        if (!at || (at.kind !== '@' && at.kind !== '+')) this.fail(MESSAGES.endNeedsTime, [this.describe(at)], at);
        node.at = this.parseTime();
        node.range = this.spanRange(first);
        return node;
      }
      default:
        return this.parseFault(line, time, keywordName, keyword as FaultKeyword, first);
    }
  }

  private parseEndpoint(line: number, time: TimeSpec | undefined, keyword: Name, first: Token): EndpointStatement {
    const node = this.begin<EndpointStatement>({ kind: 'endpoint', line, time, offset: first.offset, range: PENDING, keyword, name: undefined, address: undefined, options: NO_OPTIONS });
    const nameToken = this.expectIdent('an endpoint name', 'endpoint');
    node.name = this.name(nameToken);
    if (isStatementKeyword(nameToken.text)) this.report(MESSAGES.keywordAsName, [nameToken.text], node.name.range);
    const next = this.peek();
    if (next && (next.kind === 'number' || next.kind === ':')) {
      const start = this.advance();
      let text = start.text;
      if (start.kind === ':') {
        const port = this.peek();
        if (!port || port.kind !== 'number') this.fail(MESSAGES.expectedAfter, ['a port number', ':', this.describe(port)], port);
        this.advance();
        text += port.text;
      }
      const address: AddressNode = { offset: start.offset, range: this.spanRange(start), text, host: undefined, octets: undefined, port: undefined };
      node.address = address;
      if (start.kind === ':') {
        const port = parseInteger(text.slice(1));
        if (port === undefined) this.fail(MESSAGES.invalidAddress, [text], start);
        address.port = port;
      } else {
        const parsed = parseAddress(text);
        if (!parsed) this.fail(MESSAGES.invalidAddress, [text], start);
        address.host = parsed.host;
        address.octets = parsed.octets;
        address.port = parsed.port;
      }
    }
    if (this.peekIdent('raw') && this.peek(1)?.kind !== '=') node.raw = this.name(this.advance());
    this.parseOptions(node, 'an option like isn=100');
    node.range = this.spanRange(first);
    return node;
  }

  private parseLink(line: number, time: TimeSpec | undefined, keyword: Name, first: Token): LinkStatement {
    const node = this.begin<LinkStatement>({ kind: 'link', line, time, offset: first.offset, range: PENDING, keyword, a: undefined, b: undefined, options: NO_OPTIONS });
    node.a = this.name(this.expectIdent('an endpoint name', 'link'));
    const arrow = this.peek();
    if (!arrow || arrow.kind !== '<->') {
      const fixes = arrow?.kind === '->' ? [replaceFix(this.rangeOf(arrow), '<->')] : undefined;
      this.fail(MESSAGES.expectedAfter, ["'<->' (a link carries both directions)", node.a.text, this.describe(arrow)], arrow, fixes);
    }
    this.advance();
    node.b = this.name(this.expectIdent('an endpoint name', '<->'));
    this.parseOptions(node, 'an option like delay=10ms');
    node.range = this.spanRange(first);
    return node;
  }

  private parseExpect(line: number, time: TimeSpec | undefined, keyword: Name, first: Token): ExpectStatement {
    const node = this.begin<ExpectStatement>({ kind: 'expect', line, time, offset: first.offset, range: PENDING, keyword, expectation: undefined });
    const what = "'NAME is STATE', 'NAME received N' or 'A -> B FLAGS'";
    const subject = this.peek();
    if (!subject || subject.kind !== 'ident') this.fail(MESSAGES.expectedAfter, [what, 'expect', this.describe(subject)], subject);
    const next = this.peek(1);
    if (next?.kind === '->') {
      const expectation: SegmentExpectation = { kind: 'segment', offset: subject.offset, range: this.rangeOf(subject), pattern: undefined as unknown as Pattern };
      node.expectation = expectation;
      this.parsePattern('expect', expectation);
      this.extendRange(expectation.range, subject);
      node.range = this.spanRange(first);
      return node;
    }
    const isIdent = next?.kind === 'ident';
    if (isIdent && isWord(next.text, 'is')) {
      this.parseStateCondition(subject, node);
      node.range = this.spanRange(first);
      return node;
    }
    if (isIdent && isWord(next.text, 'received')) {
      this.parseReceivedCondition(subject, node);
      node.range = this.spanRange(first);
      return node;
    }
    if (isIdent && (isWord(next.text, 'cwnd') || isWord(next.text, 'ssthresh'))) {
      // `expect NAME cwnd is N [bytes] [with PEER]`
      this.advance();
      this.advance();
      const expectation: WindowExpectation = { kind: 'window', offset: subject.offset, range: this.rangeOf(subject), endpoint: this.name(subject), variable: this.name(next), bytes: undefined, peer: undefined };
      node.expectation = expectation;
      const is = this.peek();
      if (!is || is.kind !== 'ident' || !isWord(is.text, 'is')) this.fail(MESSAGES.expectedAfter, ["'is'", next.text, this.describe(is)], is);
      this.advance();
      const bytes = this.peek();
      if (!bytes || bytes.kind !== 'number') this.fail(MESSAGES.expectedAfter, ['a number of bytes', 'is', this.describe(bytes)], bytes);
      this.advance();
      expectation.bytes = this.value(bytes);
      if (this.peekIdent('bytes')) this.advance();
      if (this.peekIdent('with')) {
        this.advance();
        expectation.peer = this.name(this.expectIdent('the peer endpoint', 'with'));
      }
      this.extendRange(expectation.range, subject);
      node.range = this.spanRange(first);
      return node;
    }
    if (isIdent && CALL_SET.has(next.text.toLowerCase())) {
      this.parseCallExpectation(subject, node);
      node.range = this.spanRange(first);
      return node;
    }
    const suggestion = next?.kind === 'ident' ? closest(next.text, ['is', 'received', 'cwnd', 'ssthresh', ...CALL_WORDS]) : undefined;
    const fixes = suggestion && next ? [replaceFix(this.rangeOf(next), suggestion)] : undefined;
    this.fail(MESSAGES.expectedAfter, [EXPECT_FORMS, `expect ${subject.text}`, this.describe(next)], next, fixes);
  }

  /**
   * `NAME is STATE [with PEER]`; the current tokens are the name and `is`. The condition goes into
   * `owner` as soon as it exists (a failing line keeps it, partial).
   */
  private parseStateCondition(subject: Token, owner: ExpectStatement | WaitStatement): void {
    this.advance();
    this.advance();
    const condition: StateExpectation = { kind: 'state', offset: subject.offset, range: this.rangeOf(subject), endpoint: this.name(subject), state: undefined, peer: undefined };
    if (owner.kind === 'expect') owner.expectation = condition;
    else owner.condition = condition;
    condition.state = this.name(this.expectIdent('a state like ESTABLISHED or TIME-WAIT', 'is'));
    if (this.peekIdent('with')) {
      this.advance();
      condition.peer = this.name(this.expectIdent('the peer endpoint', 'with'));
    }
    this.extendRange(condition.range, subject);
  }

  /** `NAME received N [bytes]`; the current tokens are the name and `received`. */
  private parseReceivedCondition(subject: Token, owner: ExpectStatement | WaitStatement): void {
    this.advance();
    this.advance();
    const condition: ReceivedExpectation = { kind: 'received', offset: subject.offset, range: this.rangeOf(subject), endpoint: this.name(subject), bytes: undefined };
    if (owner.kind === 'expect') owner.expectation = condition;
    else owner.condition = condition;
    const bytes = this.peek();
    if (!bytes || bytes.kind !== 'number') this.fail(MESSAGES.expectedAfter, ['a number of bytes', 'received', this.describe(bytes)], bytes);
    this.advance();
    condition.bytes = this.value(bytes);
    if (this.peekIdent('bytes')) this.advance();
    this.extendRange(condition.range, subject);
  }

  /** `NAME CALL ok` or `NAME CALL failed [ERRNO|"text"]`; the current tokens are the name and the call. */
  private parseCallExpectation(subject: Token, owner: ExpectStatement): void {
    this.advance();
    const call = this.advance();
    const expectation: CallExpectation = { kind: 'call', offset: subject.offset, range: this.rangeOf(subject), endpoint: this.name(subject), call: this.name(call), result: undefined, error: undefined };
    owner.expectation = expectation;
    const result = this.peek();
    if (!result || result.kind !== 'ident' || !(isWord(result.text, 'ok') || isWord(result.text, 'failed'))) {
      const suggestion = result?.kind === 'ident' ? closest(result.text, ['ok', 'failed']) : undefined;
      const fixes = suggestion && result ? [replaceFix(this.rangeOf(result), suggestion)] : undefined;
      this.fail(MESSAGES.expectedAfter, ["'ok' or 'failed'", `${subject.text} ${call.text}`, this.describe(result)], result, fixes);
    }
    expectation.result = this.name(this.advance());
    const error = this.peek();
    if (isWord(result.text, 'failed') && error && (error.kind === 'ident' || error.kind === 'string')) {
      this.advance();
      expectation.error = this.value(error);
    }
    this.extendRange(expectation.range, subject);
  }

  private parseWait(line: number, time: TimeSpec | undefined, keyword: Name, first: Token): WaitStatement {
    const node = this.begin<WaitStatement>({ kind: 'wait', line, time, offset: first.offset, range: PENDING, keyword, until: undefined, condition: undefined });
    const until = this.peek();
    if (!until || until.kind !== 'ident' || !isWord(until.text, 'until')) {
      let fixes: Fix[] | undefined;
      if (until?.kind === 'ident') {
        const range = this.rangeOf(until);
        // `wait untl server ...` is a typo; `wait server is ...` lacks the word.
        fixes = closest(until.text, ['until']) ? [replaceFix(range, 'until')] : [replaceFix({ ...range, length: 0 }, 'until ')];
      }
      this.fail(MESSAGES.expectedAfter, ["'until'", 'wait', this.describe(until)], until, fixes);
    }
    node.until = this.name(this.advance());
    const subject = this.peek();
    if (!subject || subject.kind !== 'ident') this.fail(MESSAGES.expectedAfter, ['an endpoint name', 'until', this.describe(subject)], subject);
    const next = this.peek(1);
    if (next?.kind === 'ident' && isWord(next.text, 'is')) {
      this.parseStateCondition(subject, node);
    } else if (next?.kind === 'ident' && isWord(next.text, 'received')) {
      this.parseReceivedCondition(subject, node);
    } else {
      const suggestion = next?.kind === 'ident' ? closest(next.text, ['is', 'received']) : undefined;
      const fixes = suggestion && next ? [replaceFix(this.rangeOf(next), suggestion)] : undefined;
      this.fail(MESSAGES.expectedAfter, ["'is STATE' or 'received N'", `until ${subject.text}`, this.describe(next)], next, fixes);
    }
    node.range = this.spanRange(first);
    return node;
  }

  private parseFault(line: number, time: TimeSpec | undefined, keyword: Name, fault: FaultKeyword, first: Token): FaultStatement {
    const node = this.begin<FaultStatement>({ kind: 'fault', line, time, offset: first.offset, range: PENDING, keyword, fault, pattern: undefined, by: undefined, byUs: undefined, count: undefined });
    this.parsePattern(fault, node);
    for (let token = this.peek(); token; token = this.peek()) {
      if (token.kind === 'ident' && isWord(token.text, 'by') && !node.by) {
        this.advance();
        const amount = this.peek();
        if (!amount || amount.kind !== 'number') this.fail(MESSAGES.expectedAfter, ['a duration like 50ms', 'by', this.describe(amount)], amount);
        this.advance();
        node.by = this.value(amount);
        node.byUs = this.duration(amount);
      } else if (!node.count && (token.kind === 'number' || (token.kind === 'ident' && countWordOf(token.text) !== undefined))) {
        node.count = this.parseCount();
      } else {
        break;
      }
    }
    node.range = this.spanRange(first);
    return node;
  }

  private parseCount(): CountNode {
    const token = this.advance();
    if (token.kind === 'number') {
      const n = parseInteger(token.text);
      if (n === undefined) this.fail(MESSAGES.invalidNumber, [token.text, 'a count, as in 3 times'], token);
      const times = this.peek();
      if (!times || times.kind !== 'ident' || !isWord(times.text, 'times')) {
        this.fail(MESSAGES.expectedTimesAfterNumber, [token.text, this.describe(times)], times);
      }
      this.advance();
      return { offset: token.offset, range: this.spanRange(token), kind: 'times', n };
    }
    const word = countWordOf(token.text);
    if (word === 'times') this.fail(MESSAGES.expectedCount, [this.describe(token)], token);
    return { offset: token.offset, range: this.spanRange(token), kind: word as 'once' | 'twice' | 'always', n: undefined };
  }

  /** `A -> B [FLAGS] [field=N ...]`, stored in `owner.pattern` as soon as it exists (a failing line keeps the partial pattern). */
  private parsePattern(after: string, owner: { pattern?: Pattern }): Pattern {
    const fromToken = this.expectIdent('a segment like client -> server SYN', after);
    const pattern: Pattern = { offset: fromToken.offset, range: this.rangeOf(fromToken), from: this.name(fromToken), to: undefined, flags: NO_NAMES, fields: NO_OPTIONS };
    owner.pattern = pattern;
    const arrow = this.peek();
    if (!arrow || arrow.kind !== '->') this.fail(MESSAGES.expectedAfter, ["'->'", fromToken.text, this.describe(arrow)], arrow);
    this.advance();
    pattern.to = this.name(this.expectIdent('the receiving endpoint', '->'));
    const head = this.peek();
    if (head && head.kind === 'ident' && this.peek(1)?.kind !== '=' && countWordOf(head.text) === undefined && !isWord(head.text, 'by')) {
      pattern.flags = [this.name(this.advance())];
      while (this.peek()?.kind === ',') {
        const comma = this.advance();
        const flag = this.peek();
        if (!flag || flag.kind !== 'ident') this.fail(MESSAGES.expectedAfter, ['a flag (SYN, ACK, FIN, RST, PSH, URG or data)', comma.text, this.describe(flag)], flag);
        pattern.flags = appended(pattern.flags, this.name(this.advance()));
      }
    }
    if (after === 'inject') this.parseInjectFields(pattern);
    else {
      while (this.peek()?.kind === 'ident' && this.peek(1)?.kind === '=') {
        pattern.fields = appended(pattern.fields, this.parseOption());
      }
    }
    this.extendRange(pattern.range, fromToken);
    return pattern;
  }

  /**
   * An inject's fields and TCP options: `key=value`, the bare `sackok`, and `sack=L:R,L:R` (one value
   * spanning the blocks and their commas; the checker reads the blocks).
   */
  private parseInjectFields(pattern: Pattern): void {
    for (let token = this.peek(); token?.kind === 'ident'; token = this.peek()) {
      if (this.peek(1)?.kind === '=') {
        const option = this.parseOption();
        if (this.peek()?.kind === ',' && isWord(option.key.text, 'sack') && option.value) {
          const value = option.value;
          while (this.peek()?.kind === ',' && this.peek(1)?.kind === 'number') {
            this.advance();
            this.advance();
          }
          const last = this.tokens[this.index - 1];
          const end = last.offset + last.length;
          value.text = this.text.slice(value.offset, end);
          value.range = { ...value.range, length: end - value.offset };
          option.range = { line: option.key.range.line, column: option.key.range.column, length: end - option.offset };
        }
        pattern.fields = appended(pattern.fields, option);
      } else if (isWord(token.text, SACK_PERMITTED)) {
        const key = this.name(this.advance());
        pattern.fields = appended(pattern.fields, { offset: key.offset, range: key.range, key, value: undefined });
      } else {
        break;
      }
    }
  }

  /** Options up to the end of the line, into `node.options` as they are read (a failing line keeps those before). */
  private parseOptions(node: { options: OptionNode[] }, what: string): void {
    for (let token = this.peek(); token; token = this.peek()) {
      if (token.kind !== 'ident' || this.peek(1)?.kind !== '=') {
        this.fail(MESSAGES.expected, [what, this.describe(token)], token);
      }
      node.options = appended(node.options, this.parseOption());
    }
  }

  /** `key=value`; the current tokens are an ident and `=`. */
  private parseOption(): OptionNode {
    const keyToken = this.advance();
    const equals = this.advance();
    const value = this.peek();
    if (!value || (value.kind !== 'number' && value.kind !== 'ident' && value.kind !== 'string')) {
      this.fail(MESSAGES.expectedAfter, ['a value', `${keyToken.text}${equals.text}`, this.describe(value)], value);
    }
    this.advance();
    return { offset: keyToken.offset, range: this.spanRange(keyToken), key: this.name(keyToken), value: this.value(value) };
  }

  private parseAction(line: number, first: Token, time: TimeSpec | undefined): ActionStatement {
    const endpointToken = this.advance();
    const node = this.begin<ActionStatement>({ kind: 'action', line, time, offset: first.offset, range: PENDING, endpoint: this.name(endpointToken), verb: undefined, peer: undefined, argument: undefined, conn: undefined });
    const verbToken = this.peek();
    if (!verbToken || verbToken.kind !== 'ident') {
      const keyword = time || verbToken?.kind === 'invalid' ? undefined : closest(endpointToken.text, STATEMENT_KEYWORDS);
      if (keyword && verbToken) this.failUnknownKeyword(endpointToken, keyword);
      this.fail(MESSAGES.expectedAction, [endpointToken.text, VERB_LIST, this.describe(verbToken)], verbToken);
    }
    if (!ACTION_VERB_SET.has(verbToken.text)) {
      const verb = closest(verbToken.text, ACTION_VERBS);
      const keyword = closest(endpointToken.text, STATEMENT_KEYWORDS);
      if (keyword && !verb) this.failUnknownKeyword(endpointToken, keyword);
      if (verb) {
        const range = this.rangeOf(verbToken);
        this.fail(MESSAGES.unknownAction, [verbToken.text, verb], verbToken, [replaceFix(range, verb)]);
      }
      this.fail(MESSAGES.unknownActionNoSuggestion, [verbToken.text, VERB_LIST], verbToken);
    }
    this.advance();
    node.verb = this.name(verbToken);
    switch (verbToken.text) {
      case 'connect':
        node.peer = this.name(this.expectIdent('the endpoint to connect to', 'connect'));
        break;
      case 'send': {
        const argument = this.peek();
        if (!argument || (argument.kind !== 'number' && argument.kind !== 'string')) {
          this.fail(MESSAGES.expectedAfter, ['a number of bytes or a "text"', 'send', this.describe(argument)], argument);
        }
        this.advance();
        node.argument = this.value(argument);
        if (argument.kind === 'number') {
          if (parseInteger(argument.text) === undefined) this.fail(MESSAGES.invalidNumber, [argument.text, 'a number of bytes'], argument);
          if (this.peekIdent('bytes')) this.advance();
        }
        break;
      }
      case 'receive': {
        const argument = this.peek();
        if (argument?.kind === 'number') {
          this.advance();
          node.argument = this.value(argument);
          if (parseInteger(argument.text) === undefined) this.fail(MESSAGES.invalidNumber, [argument.text, 'a number of bytes'], argument);
          if (this.peekIdent('bytes')) this.advance();
        }
        break;
      }
      case 'shutdown': {
        // `shutdown read|write|both` (the checker reads the word).
        const mode = this.peek();
        if (mode?.kind === 'ident' && !isWord(mode.text, 'with')) node.argument = this.value(this.advance());
        break;
      }
      case 'set': {
        node.options = NO_OPTIONS;
        if (!this.peek()) this.fail(MESSAGES.expectedAfter, ['a socket option like linger=0', 'set', 'the end of the line'], undefined);
        this.parseOptions(node as { options: OptionNode[] }, 'a socket option like linger=0');
        break;
      }
    }
    if (CONNECTION_VERBS.has(verbToken.text) && this.peekIdent('with')) {
      this.advance();
      node.conn = this.name(this.expectIdent('the peer whose connection is meant', 'with'));
    }
    node.range = this.spanRange(first);
    return node;
  }

  private failUnknownKeyword(token: Token, keyword: string): never {
    const range = this.rangeOf(token);
    this.fail(MESSAGES.unknownKeyword, [token.text, keyword], token, [replaceFix(range, keyword)]);
  }
}
