// Recursive-descent parser, one statement per line. An error ends the statement it is in
// and parsing resumes on the next line, so every broken line gets its own diagnostic and
// the tree keeps whatever could be read (editor features work on broken files).

import type {
  ActionStatement,
  AddressNode,
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
  ScenarioFile,
  ScenarioStatement,
  SetStatement,
  Statement,
  TimeSpec,
  Value,
} from './ast';
import { diagnostic, replaceFix, type Diagnostic, type Fix, type Range } from './diagnostic';
import { MESSAGES, type MessageSpec } from './messages';
import { newToken, Scanner, type Token } from './scanner';
import { closest } from './suggest';
import { parseAddress, parseDuration, parseInteger } from './values';
import {
  ACTION_VERBS,
  DURATION_UNITS,
  FAULT_KINDS,
  STATEMENT_KEYWORDS,
  isActionVerb,
  isStatementKeyword,
  type FaultKeyword,
} from './vocabulary';

export interface ParseResult {
  ast: ScenarioFile;
  diagnostics: Diagnostic[];
}

const COUNT_WORDS = new Set(['once', 'twice', 'always', 'times']);
/** Actions on one connection, which `with PEER` can pick. */
const CONNECTION_VERBS = new Set(['send', 'receive', 'close', 'shutdown', 'abort']);
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
    return token !== undefined && token.kind === 'ident' && token.text.toLowerCase() === word;
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
        if (time && keyword !== 'expect' && keyword !== 'inject' && !(FAULT_KINDS as readonly string[]).includes(keyword)) {
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

  private finish<T extends Statement>(node: T, first: Token): T {
    node.range = this.spanRange(first);
    node.offset = first.offset;
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
    const result = parseDuration(token.text);
    if (result.ok) return result.us;
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
    const base = { line, time, offset: first.offset, range: PENDING };
    switch (keyword) {
      case 'scenario': {
        const node = this.begin<ScenarioStatement>({ kind: 'scenario', line, time, offset: base.offset, range: base.range, keyword: keywordName, title: undefined });
        const title = this.peek();
        if (!title || title.kind !== 'string') {
          this.fail(MESSAGES.expectedAfter, ['a title in quotes, like "Lost final ACK"', 'scenario', this.describe(title)], title);
        }
        node.title = this.value(this.advance());
        return this.finish(node, first);
      }
      case 'profile': {
        const node = this.begin<ProfileStatement>({ kind: 'profile', line, time, offset: base.offset, range: base.range, keyword: keywordName, profile: undefined });
        node.profile = this.name(this.expectIdent('a profile (rfc or linux)', 'profile'));
        return this.finish(node, first);
      }
      case 'set': {
        const node = this.begin<SetStatement>({ kind: 'set', line, time, offset: base.offset, range: base.range, keyword: keywordName, options: [] });
        if (!this.peek()) this.fail(MESSAGES.expectedAfter, ['a setting like msl=30s', 'set', 'the end of the line'], undefined);
        this.parseOptions(node.options, 'a setting like msl=30s');
        return this.finish(node, first);
      }
      case 'endpoint':
        return this.parseEndpoint(base, keywordName, first);
      case 'link':
        return this.parseLink(base, keywordName, first);
      case 'inject': {
        const node = this.begin<InjectStatement>({ kind: 'inject', line, time, offset: base.offset, range: base.range, keyword: keywordName, pattern: undefined });
        node.pattern = this.parsePattern('inject', (pattern) => (node.pattern = pattern));
        return this.finish(node, first);
      }
      case 'expect':
        return this.parseExpect(base, keywordName, first);
      case 'end': {
        const node = this.begin<EndStatement>({ kind: 'end', line, time, offset: base.offset, range: base.range, keyword: keywordName, at: undefined });
        const at = this.peek();
        if (!at || (at.kind !== '@' && at.kind !== '+')) this.fail(MESSAGES.endNeedsTime, [this.describe(at)], at);
        node.at = this.parseTime();
        return this.finish(node, first);
      }
      default:
        return this.parseFault(base, keywordName, keyword as FaultKeyword, first);
    }
  }

  private parseEndpoint(base: Pick<Statement, 'line' | 'time' | 'offset' | 'range'>, keyword: Name, first: Token): EndpointStatement {
    const node = this.begin<EndpointStatement>({ kind: 'endpoint', line: base.line, time: base.time, offset: base.offset, range: base.range, keyword, name: undefined, address: undefined, options: [] });
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
    this.parseOptions(node.options, 'an option like isn=100');
    return this.finish(node, first);
  }

  private parseLink(base: Pick<Statement, 'line' | 'time' | 'offset' | 'range'>, keyword: Name, first: Token): LinkStatement {
    const node = this.begin<LinkStatement>({ kind: 'link', line: base.line, time: base.time, offset: base.offset, range: base.range, keyword, a: undefined, b: undefined, options: [] });
    node.a = this.name(this.expectIdent('an endpoint name', 'link'));
    const arrow = this.peek();
    if (!arrow || arrow.kind !== '<->') {
      const fixes = arrow?.kind === '->' ? [replaceFix(this.rangeOf(arrow), '<->')] : undefined;
      this.fail(MESSAGES.expectedAfter, ["'<->' (a link carries both directions)", node.a.text, this.describe(arrow)], arrow, fixes);
    }
    this.advance();
    node.b = this.name(this.expectIdent('an endpoint name', '<->'));
    this.parseOptions(node.options, 'an option like delay=10ms');
    return this.finish(node, first);
  }

  private parseExpect(base: Pick<Statement, 'line' | 'time' | 'offset' | 'range'>, keyword: Name, first: Token): ExpectStatement {
    const node = this.begin<ExpectStatement>({ kind: 'expect', line: base.line, time: base.time, offset: base.offset, range: base.range, keyword, expectation: undefined });
    const what = "'NAME is STATE', 'NAME received N' or 'A -> B FLAGS'";
    const subject = this.peek();
    if (!subject || subject.kind !== 'ident') this.fail(MESSAGES.expectedAfter, [what, 'expect', this.describe(subject)], subject);
    const next = this.peek(1);
    if (next?.kind === '->') {
      const expectation: SegmentExpectation = { kind: 'segment', offset: subject.offset, range: this.rangeOf(subject), pattern: undefined as unknown as Pattern };
      node.expectation = expectation;
      expectation.pattern = this.parsePattern('expect', (pattern) => (expectation.pattern = pattern));
      expectation.range = this.spanRange(subject);
      return this.finish(node, first);
    }
    const word = next?.kind === 'ident' ? next.text.toLowerCase() : '';
    if (word === 'is') {
      this.advance();
      this.advance();
      const expectation: StateExpectation = { kind: 'state', offset: subject.offset, range: this.rangeOf(subject), endpoint: this.name(subject), state: undefined, peer: undefined };
      node.expectation = expectation;
      expectation.state = this.name(this.expectIdent('a state like ESTABLISHED or TIME-WAIT', 'is'));
      if (this.peekIdent('with')) {
        this.advance();
        expectation.peer = this.name(this.expectIdent('the peer endpoint', 'with'));
      }
      expectation.range = this.spanRange(subject);
      return this.finish(node, first);
    }
    if (word === 'received') {
      this.advance();
      this.advance();
      const expectation: ReceivedExpectation = { kind: 'received', offset: subject.offset, range: this.rangeOf(subject), endpoint: this.name(subject), bytes: undefined };
      node.expectation = expectation;
      const bytes = this.peek();
      if (!bytes || bytes.kind !== 'number') this.fail(MESSAGES.expectedAfter, ['a number of bytes', 'received', this.describe(bytes)], bytes);
      this.advance();
      expectation.bytes = this.value(bytes);
      if (this.peekIdent('bytes')) this.advance();
      expectation.range = this.spanRange(subject);
      return this.finish(node, first);
    }
    const suggestion = next?.kind === 'ident' ? closest(next.text, ['is', 'received']) : undefined;
    const fixes = suggestion && next ? [replaceFix(this.rangeOf(next), suggestion)] : undefined;
    this.fail(MESSAGES.expectedAfter, [`'is STATE', 'received N' or '-> PEER FLAGS'`, `expect ${subject.text}`, this.describe(next)], next, fixes);
  }

  private parseFault(
    base: Pick<Statement, 'line' | 'time' | 'offset' | 'range'>,
    keyword: Name,
    fault: FaultKeyword,
    first: Token,
  ): FaultStatement {
    const node = this.begin<FaultStatement>({ kind: 'fault', line: base.line, time: base.time, offset: base.offset, range: base.range, keyword, fault, pattern: undefined, by: undefined, byUs: undefined, count: undefined });
    node.pattern = this.parsePattern(fault, (pattern) => (node.pattern = pattern));
    for (let token = this.peek(); token; token = this.peek()) {
      if (token.kind === 'ident' && token.text.toLowerCase() === 'by' && !node.by) {
        this.advance();
        const amount = this.peek();
        if (!amount || amount.kind !== 'number') this.fail(MESSAGES.expectedAfter, ['a duration like 50ms', 'by', this.describe(amount)], amount);
        this.advance();
        node.by = this.value(amount);
        node.byUs = this.duration(amount);
      } else if (!node.count && (token.kind === 'number' || (token.kind === 'ident' && COUNT_WORDS.has(token.text.toLowerCase())))) {
        node.count = this.parseCount();
      } else {
        break;
      }
    }
    return this.finish(node, first);
  }

  private parseCount(): CountNode {
    const token = this.advance();
    const word = token.text.toLowerCase();
    if (token.kind === 'number') {
      const n = parseInteger(token.text);
      if (n === undefined) this.fail(MESSAGES.invalidNumber, [token.text, 'a count, as in 3 times'], token);
      const times = this.peek();
      if (!times || times.kind !== 'ident' || times.text.toLowerCase() !== 'times') {
        this.fail(MESSAGES.expectedTimesAfterNumber, [token.text, this.describe(times)], times);
      }
      this.advance();
      return { offset: token.offset, range: this.spanRange(token), kind: 'times', n };
    }
    if (word === 'times') this.fail(MESSAGES.expectedCount, [this.describe(token)], token);
    return { offset: token.offset, range: this.spanRange(token), kind: word as 'once' | 'twice' | 'always', n: undefined };
  }

  /** `A -> B [FLAGS] [field=N ...]`; `assign` stores the partial pattern as soon as it exists. */
  private parsePattern(after: string, assign: (pattern: Pattern) => void): Pattern {
    const fromToken = this.expectIdent('a segment like client -> server SYN', after);
    const pattern: Pattern = { offset: fromToken.offset, range: this.rangeOf(fromToken), from: this.name(fromToken), to: undefined, flags: [], fields: [] };
    assign(pattern);
    const arrow = this.peek();
    if (!arrow || arrow.kind !== '->') this.fail(MESSAGES.expectedAfter, ["'->'", fromToken.text, this.describe(arrow)], arrow);
    this.advance();
    pattern.to = this.name(this.expectIdent('the receiving endpoint', '->'));
    const startsFlags = (): boolean => {
      const token = this.peek();
      if (!token || token.kind !== 'ident') return false;
      const word = token.text.toLowerCase();
      return this.peek(1)?.kind !== '=' && !COUNT_WORDS.has(word) && word !== 'by';
    };
    if (startsFlags()) {
      pattern.flags.push(this.name(this.advance()));
      while (this.peek()?.kind === ',') {
        const comma = this.advance();
        const flag = this.peek();
        if (!flag || flag.kind !== 'ident') this.fail(MESSAGES.expectedAfter, ['a flag (SYN, ACK, FIN, RST, PSH, URG or data)', comma.text, this.describe(flag)], flag);
        pattern.flags.push(this.name(this.advance()));
      }
    }
    while (this.peek()?.kind === 'ident' && this.peek(1)?.kind === '=') {
      pattern.fields.push(this.parseOption());
    }
    pattern.range = this.spanRange(fromToken);
    return pattern;
  }

  private parseOptions(into: OptionNode[], what: string): void {
    for (let token = this.peek(); token; token = this.peek()) {
      if (token.kind !== 'ident' || this.peek(1)?.kind !== '=') {
        this.fail(MESSAGES.expected, [what, this.describe(token)], token);
      }
      into.push(this.parseOption());
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
    if (!isActionVerb(verbToken.text)) {
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
    }
    if (CONNECTION_VERBS.has(verbToken.text) && this.peekIdent('with')) {
      this.advance();
      node.conn = this.name(this.expectIdent('the peer whose connection is meant', 'with'));
    }
    return this.finish(node, first);
  }

  private failUnknownKeyword(token: Token, keyword: string): never {
    const range = this.rangeOf(token);
    this.fail(MESSAGES.unknownKeyword, [token.text, keyword], token, [replaceFix(range, keyword)]);
  }
}
