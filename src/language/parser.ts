// Recursive-descent parser, one statement per line. An error ends the statement it is in
// and parsing resumes on the next line, so every broken line gets its own diagnostic and
// the tree keeps whatever could be read (editor features work on broken files).
// It writes the packed tree of tree.ts: tokens and nodes are numbers in typed arrays (no
// object per token or node); `ast.statements` makes the objects of ast.ts when asked.

import { replaceFix, type Fix } from './diagnostic';
import { LINE_ERROR, LineParser, type ParseResult } from './lineParser';
import { MESSAGES } from './messages';
import { T_ARROW, T_AT, T_COLON, T_COMMA, T_EQUALS, T_IDENT, T_INVALID, T_LINK, T_MINUS, T_NUMBER, T_PLUS, T_STRING } from './tokens';
import {
  FAULT_CODE_OF_KEYWORD,
  K_END,
  K_ENDPOINT,
  K_EXPECT,
  K_INJECT,
  K_LINK,
  K_PROFILE,
  K_SCENARIO,
  K_SET,
  K_WAIT,
  V_CONNECT,
  V_LISTEN,
  V_RECEIVE,
  V_SEND,
  V_SET,
  V_SHUTDOWN,
  W_ALWAYS,
  W_ANYTIME,
  W_BY,
  W_BYTES,
  W_CWND,
  W_FAILED,
  W_FIRST_CALL,
  W_IS,
  W_JOINED,
  W_NEXT,
  W_NOOPTIONS,
  W_OK,
  W_ONCE,
  W_RAW,
  W_RECEIVED,
  W_SACK,
  W_SACKOK,
  W_SSTHRESH,
  W_TIMES,
  W_TWICE,
  W_UNTIL,
  W_WITH,
  W_WITHIN,
} from './spellings';
import { closest } from './suggest';
import * as T from './tree';
import { parseAddress } from './values';
import { ACTION_VERBS, CALL_WORDS, FAULT_KINDS, STATEMENT_KEYWORDS, isStatementKeyword } from './vocabulary';

export type { ParseResult } from './lineParser';

/** Actions on one connection, which `with PEER` can pick (by verb code). */
const CONNECTION_VERBS: readonly boolean[] = ACTION_VERBS.map((verb) => ['send', 'receive', 'close', 'shutdown', 'abort'].includes(verb));
/** Keywords whose statements take a time (by keyword code). */
const TIMED_KEYWORDS: readonly boolean[] = STATEMENT_KEYWORDS.map((word) => ['expect', 'inject', 'wait', ...FAULT_KINDS].includes(word));
/** What may follow `expect NAME`, for the message when something else does. */
const EXPECT_FORMS = "'is STATE', 'received N', 'cwnd is N', 'CALL ok', 'CALL failed ERR' or '-> PEER FLAGS'";
const VERB_LIST = ACTION_VERBS.join(', ');

/** The count (index in COUNT_KINDS) a word code spells, or -1. */
function countOfWord(word: number): number {
  switch (word) {
    case W_ONCE:
      return 0;
    case W_TWICE:
      return 1;
    case W_ALWAYS:
      return 2;
    case W_TIMES:
      return T.COUNT_TIMES;
    default:
      return -1;
  }
}


export function parse(text: string): ParseResult {
  return new Parser(text).parseFile();
}

class Parser extends LineParser {
  // ---- lines --------------------------------------------------------------------------

  protected parseLine(line: number): void {
    const first = this.first;
    this.statement = -1;
    try {
      const time = this.peekKind() === T_AT || this.peekKind() === T_PLUS ? this.parseTime() : -1;
      const head = this.peek();
      if (head < 0) this.fail(MESSAGES.statementAfterTime, [time >= 0 ? this.timeText(time) : ''], -1);
      if (this.kind(head) !== T_IDENT) this.fail(MESSAGES.expectedStatement, [STATEMENT_KEYWORDS.join(', '), this.describe(head)], head);
      const keyword = this.spellings.keyword(this.tree.tokenId[head]);
      if (keyword >= 0) {
        if (time >= 0 && !TIMED_KEYWORDS[keyword]) {
          const timeText = this.timeText(time);
          const range = this.timeRange(time);
          this.report(MESSAGES.timeOnDeclaration, [STATEMENT_KEYWORDS[keyword], timeText], range, [replaceFix(range, '', timeText)]);
        }
        this.parseKeywordStatement(keyword, line, first, time);
      } else {
        this.parseAction(line, first, time);
      }
      const extra = this.peek();
      if (extra >= 0) this.fail(MESSAGES.unexpectedToken, [this.describe(extra), this.textOf(this.index - 1)], extra);
    } catch (error) {
      if (error !== LINE_ERROR) throw error;
    }
    // Whole or partial, a statement's range runs from its first token to the last one read.
    if (this.statement >= 0) this.tree.nodes[this.statement + T.S_LENGTH] = this.spanLength(first);
  }


  private parseKeywordStatement(keyword: number, line: number, first: number, time: number): void {
    const keywordToken = this.advance();
    switch (keyword) {
      case K_SCENARIO: {
        const node = this.begin(T.ST_SCENARIO, line, first, time);
        this.tree.nodes[node + T.S_KEYWORD] = keywordToken;
        const title = this.peek();
        if (this.kind(title) !== T_STRING) {
          this.fail(MESSAGES.expectedAfter, ['a title in quotes, like "Lost final ACK"', 'scenario', this.describe(title)], title);
        }
        this.tree.nodes[node + T.SCENARIO_TITLE] = this.advance();
        return;
      }
      case K_PROFILE: {
        const node = this.begin(T.ST_PROFILE, line, first, time);
        this.tree.nodes[node + T.S_KEYWORD] = keywordToken;
        this.tree.nodes[node + T.PROFILE_NAME] = this.expectIdent('a profile (rfc or linux)', 'profile');
        return;
      }
      case K_SET: {
        const node = this.begin(T.ST_SET, line, first, time);
        this.tree.nodes[node + T.S_KEYWORD] = keywordToken;
        this.emptyList(node + T.SET_OPTIONS);
        if (this.peek() < 0) this.fail(MESSAGES.expectedAfter, ['a setting like msl=30s', 'set', 'the end of the line'], -1);
        this.parseOptions(node + T.SET_OPTIONS, 'a setting like msl=30s');
        return;
      }
      case K_ENDPOINT:
        return this.parseEndpoint(line, time, keywordToken, first);
      case K_LINK:
        return this.parseLink(line, time, keywordToken, first);
      case K_INJECT: {
        const node = this.begin(T.ST_INJECT, line, first, time);
        this.tree.nodes[node + T.S_KEYWORD] = keywordToken;
        this.parsePattern('inject', node + T.INJECT_PATTERN);
        return;
      }
      case K_EXPECT:
        return this.parseExpect(line, time, keywordToken, first);
      case K_WAIT:
        return this.parseWait(line, time, keywordToken, first);
      case K_END: {
        const node = this.begin(T.ST_END, line, first, time);
        this.tree.nodes[node + T.S_KEYWORD] = keywordToken;
        const at = this.peekKind();
        if (at !== T_AT && at !== T_PLUS) this.fail(MESSAGES.endNeedsTime, [this.describe(this.peek())], this.peek());
        this.tree.nodes[node + T.END_AT] = this.parseTime();
        return;
      }
      default: {
        const node = this.begin(T.ST_FAULT, line, first, time);
        this.tree.nodes[node + T.S_KEYWORD] = keywordToken;
        const fault = FAULT_CODE_OF_KEYWORD[keyword];
        this.tree.nodes[node + T.FAULT_KIND] = fault;
        this.parseFault(node, FAULT_KINDS[fault]);
      }
    }
  }

  private parseEndpoint(line: number, time: number, keyword: number, first: number): void {
    const node = this.begin(T.ST_ENDPOINT, line, first, time);
    const tree = this.tree;
    tree.nodes[node + T.S_KEYWORD] = keyword;
    this.emptyList(node + T.ENDPOINT_OPTIONS);
    const nameToken = this.expectIdent('an endpoint name', 'endpoint');
    tree.nodes[node + T.ENDPOINT_NAME] = nameToken;
    const name = this.textOf(nameToken);
    if (isStatementKeyword(name)) this.report(MESSAGES.keywordAsName, [name], tree.tokenRange(node, nameToken));
    const next = this.peekKind();
    if (next === T_NUMBER || next === T_COLON) {
      const start = this.advance();
      let text = this.textOf(start);
      let port = -1;
      if (next === T_COLON) {
        port = this.peek();
        if (this.kind(port) !== T_NUMBER) this.fail(MESSAGES.expectedAfter, ['a port number', ':', this.describe(port)], port);
        this.advance();
        text += this.textOf(port);
      }
      const address = this.node(T.ADDRESS_SIZE, start, this.spanLength(start));
      tree.nodes[address + T.ADDRESS_START] = start;
      tree.nodes[address + T.ADDRESS_PORT] = port;
      tree.nodes[node + T.ENDPOINT_ADDRESS] = address;
      if (next === T_COLON) {
        if (this.tree.integerOf(port) === undefined) this.fail(MESSAGES.invalidAddress, [text], start);
      } else if (!parseAddress(text)) {
        this.fail(MESSAGES.invalidAddress, [text], start);
      }
    }
    if (this.peekWord(W_RAW) && this.peekKind(1) !== T_EQUALS) tree.nodes[node + T.ENDPOINT_RAW] = this.advance();
    this.parseOptions(node + T.ENDPOINT_OPTIONS, 'an option like isn=100');
  }

  private parseLink(line: number, time: number, keyword: number, first: number): void {
    const node = this.begin(T.ST_LINK, line, first, time);
    const tree = this.tree;
    tree.nodes[node + T.S_KEYWORD] = keyword;
    this.emptyList(node + T.LINK_OPTIONS);
    const a = this.expectIdent('an endpoint name', 'link');
    tree.nodes[node + T.LINK_A] = a;
    const arrow = this.peek();
    if (this.kind(arrow) !== T_LINK) {
      const fixes = this.kind(arrow) === T_ARROW ? [replaceFix(this.rangeOf(arrow), '<->')] : undefined;
      this.fail(MESSAGES.expectedAfter, ["'<->' (a link carries both directions)", this.textOf(a), this.describe(arrow)], arrow, fixes);
    }
    this.advance();
    tree.nodes[node + T.LINK_B] = this.expectIdent('an endpoint name', '<->');
    this.parseOptions(node + T.LINK_OPTIONS, 'an option like delay=10ms');
  }

  private parseExpect(line: number, time: number, keyword: number, first: number): void {
    const node = this.begin(T.ST_EXPECT, line, first, time);
    this.tree.nodes[node + T.S_KEYWORD] = keyword;
    const slot = node + T.EXPECT_EXPECTATION;
    const what = "'NAME is STATE', 'NAME received N' or 'A -> B FLAGS'";
    const subject = this.peek();
    if (this.kind(subject) !== T_IDENT) this.fail(MESSAGES.expectedAfter, [what, 'expect', this.describe(subject)], subject);
    const next = this.peek(1);
    const nextKind = this.kind(next);
    if (this.word(subject) === W_NEXT && nextKind === T_IDENT && this.peekKind(2) === T_ARROW) return this.parseExpectNext(slot);
    if (nextKind === T_ARROW) {
      const expectation = this.expectation(T.X_SEGMENT, subject);
      this.tree.nodes[slot] = expectation;
      this.parsePattern('expect', expectation + T.X_PATTERN);
      this.extend(expectation, subject);
      return;
    }
    const word = this.word(next);
    if (word === W_IS) return this.parseStateCondition(subject, slot);
    if (word === W_RECEIVED) return this.parseReceivedCondition(subject, slot);
    if (word === W_CWND || word === W_SSTHRESH) {
      // `expect NAME cwnd is N [bytes] [with PEER]`
      this.advance();
      this.advance();
      const expectation = this.expectation(T.X_WINDOW, subject);
      this.tree.nodes[expectation + T.WINDOW_VARIABLE] = next;
      this.tree.nodes[slot] = expectation;
      const is = this.peek();
      if (this.word(is) !== W_IS) this.fail(MESSAGES.expectedAfter, ["'is'", this.textOf(next), this.describe(is)], is);
      this.advance();
      const bytes = this.peek();
      if (this.kind(bytes) !== T_NUMBER) this.fail(MESSAGES.expectedAfter, ['a number of bytes', 'is', this.describe(bytes)], bytes);
      this.advance();
      this.tree.nodes[expectation + T.WINDOW_BYTES] = bytes;
      if (this.peekWord(W_BYTES)) this.advance();
      if (this.peekWord(W_WITH)) {
        this.advance();
        this.tree.nodes[expectation + T.WINDOW_PEER] = this.expectIdent('the peer endpoint', 'with');
      }
      this.extend(expectation, subject);
      return;
    }
    if (word >= W_FIRST_CALL) return this.parseCallExpectation(subject, slot);
    const suggestion = nextKind === T_IDENT ? closest(this.textOf(next), ['is', 'received', 'cwnd', 'ssthresh', ...CALL_WORDS]) : undefined;
    const fixes = suggestion && next >= 0 ? [replaceFix(this.rangeOf(next), suggestion)] : undefined;
    this.fail(MESSAGES.expectedAfter, [EXPECT_FORMS, `expect ${this.textOf(subject)}`, this.describe(next)], next, fixes);
  }

  /** An expectation node of `kind` about `subject` (its first token), every slot absent, as long as the subject for now. */
  private expectation(kind: number, subject: number): number {
    const ref = this.node(T.EXPECTATION_SIZE, subject, this.tokenLength(subject));
    const nodes = this.tree.nodes;
    nodes[ref + T.X_KIND] = kind;
    for (let slot = ref + T.X_KIND + 1; slot < ref + T.EXPECTATION_SIZE; slot++) nodes[slot] = -1;
    if (kind !== T.X_SEGMENT) nodes[ref + T.X_ENDPOINT] = subject;
    return ref;
  }

  /**
   * `expect next A -> B FLAGS [fields and options] [joined] [nooptions] [within D | within -D +D | anytime]`;
   * the current token is `next`, the expectation goes into `slot`.
   */
  private parseExpectNext(slot: number): void {
    const nextToken = this.advance();
    const expectation = this.expectation(T.X_SEGMENT, nextToken);
    const nodes = this.tree.nodes;
    nodes[expectation + T.SEGMENT_NEXT] = nextToken;
    nodes[slot] = expectation;
    this.parsePattern('expect next', expectation + T.X_PATTERN);
    const word = this.word(this.peek());
    if (word === W_WITHIN || word === W_ANYTIME) {
      const keyword = this.advance();
      const within = this.node(T.WITHIN_SIZE, keyword, this.spanLength(keyword));
      nodes[within + T.WITHIN_KEYWORD] = keyword;
      nodes[within + T.WITHIN_EARLY] = -1;
      nodes[within + T.WITHIN_LATE] = -1;
      nodes[expectation + T.SEGMENT_WITHIN] = within;
      if (word === W_WITHIN) {
        // `within D`, or `within -D1 +D2` (before, after the statement's time).
        const signed = this.peekKind() === T_MINUS;
        if (signed) this.advance();
        const early = this.peek();
        if (this.kind(early) !== T_NUMBER) this.fail(MESSAGES.expectedAfter, ['a duration like 50ms', signed ? '-' : 'within', this.describe(early)], early);
        this.advance();
        this.duration(early);
        nodes[within + T.WITHIN_EARLY] = early;
        let late = early;
        if (signed) {
          const plus = this.peek();
          if (this.kind(plus) !== T_PLUS) this.fail(MESSAGES.expectedAfter, ["'+' and how late, like +104ms", this.textOf(early), this.describe(plus)], plus);
          this.advance();
          late = this.peek();
          if (this.kind(late) !== T_NUMBER) this.fail(MESSAGES.expectedAfter, ['a duration like 50ms', '+', this.describe(late)], late);
          this.advance();
          this.duration(late);
        }
        nodes[within + T.WITHIN_LATE] = late;
      }
      this.extend(within, keyword);
    }
    this.extend(expectation, nextToken);
  }

  /**
   * `NAME is STATE [with PEER]`; the current tokens are the name and `is`. The condition goes into
   * `slot` as soon as it exists (a failing line keeps it, partial).
   */
  private parseStateCondition(subject: number, slot: number): void {
    this.advance();
    this.advance();
    const condition = this.expectation(T.X_STATE, subject);
    this.tree.nodes[slot] = condition;
    this.tree.nodes[condition + T.STATE_STATE] = this.expectIdent('a state like ESTABLISHED or TIME-WAIT', 'is');
    if (this.peekWord(W_WITH)) {
      this.advance();
      this.tree.nodes[condition + T.STATE_PEER] = this.expectIdent('the peer endpoint', 'with');
    }
    this.extend(condition, subject);
  }

  /** `NAME received N [bytes]`; the current tokens are the name and `received`. */
  private parseReceivedCondition(subject: number, slot: number): void {
    this.advance();
    this.advance();
    const condition = this.expectation(T.X_RECEIVED, subject);
    this.tree.nodes[slot] = condition;
    const bytes = this.peek();
    if (this.kind(bytes) !== T_NUMBER) this.fail(MESSAGES.expectedAfter, ['a number of bytes', 'received', this.describe(bytes)], bytes);
    this.advance();
    this.tree.nodes[condition + T.RECEIVED_BYTES] = bytes;
    if (this.peekWord(W_BYTES)) this.advance();
    this.extend(condition, subject);
  }

  /** `NAME CALL ok` or `NAME CALL failed [ERRNO|"text"]`; the current tokens are the name and the call. */
  private parseCallExpectation(subject: number, slot: number): void {
    this.advance();
    const call = this.advance();
    const expectation = this.expectation(T.X_CALL, subject);
    this.tree.nodes[expectation + T.CALL_CALL] = call;
    this.tree.nodes[slot] = expectation;
    const result = this.peek();
    const resultWord = this.word(result);
    if (resultWord !== W_OK && resultWord !== W_FAILED) {
      const suggestion = this.kind(result) === T_IDENT ? closest(this.textOf(result), ['ok', 'failed']) : undefined;
      const fixes = suggestion && result >= 0 ? [replaceFix(this.rangeOf(result), suggestion)] : undefined;
      this.fail(MESSAGES.expectedAfter, ["'ok' or 'failed'", `${this.textOf(subject)} ${this.textOf(call)}`, this.describe(result)], result, fixes);
    }
    this.tree.nodes[expectation + T.CALL_RESULT] = this.advance();
    const error = this.peekKind();
    if (resultWord === W_FAILED && (error === T_IDENT || error === T_STRING)) this.tree.nodes[expectation + T.CALL_ERROR] = this.advance();
    this.extend(expectation, subject);
  }

  private parseWait(line: number, time: number, keyword: number, first: number): void {
    const node = this.begin(T.ST_WAIT, line, first, time);
    this.tree.nodes[node + T.S_KEYWORD] = keyword;
    const until = this.peek();
    if (this.word(until) !== W_UNTIL) {
      let fixes: Fix[] | undefined;
      if (this.kind(until) === T_IDENT) {
        const range = this.rangeOf(until);
        // `wait untl server ...` is a typo; `wait server is ...` lacks the word.
        fixes = closest(this.textOf(until), ['until']) ? [replaceFix(range, 'until')] : [replaceFix({ ...range, length: 0 }, 'until ')];
      }
      this.fail(MESSAGES.expectedAfter, ["'until'", 'wait', this.describe(until)], until, fixes);
    }
    this.tree.nodes[node + T.WAIT_UNTIL] = this.advance();
    const subject = this.peek();
    if (this.kind(subject) !== T_IDENT) this.fail(MESSAGES.expectedAfter, ['an endpoint name', 'until', this.describe(subject)], subject);
    const next = this.peek(1);
    const word = this.word(next);
    if (word === W_IS) {
      this.parseStateCondition(subject, node + T.WAIT_CONDITION);
    } else if (word === W_RECEIVED) {
      this.parseReceivedCondition(subject, node + T.WAIT_CONDITION);
    } else {
      const suggestion = this.kind(next) === T_IDENT ? closest(this.textOf(next), ['is', 'received']) : undefined;
      const fixes = suggestion && next >= 0 ? [replaceFix(this.rangeOf(next), suggestion)] : undefined;
      this.fail(MESSAGES.expectedAfter, ["'is STATE' or 'received N'", `until ${this.textOf(subject)}`, this.describe(next)], next, fixes);
    }
  }

  private parseFault(node: number, fault: string): void {
    this.parsePattern(fault, node + T.FAULT_PATTERN);
    for (let token = this.peek(); token >= 0; token = this.peek()) {
      const kind = this.tree.tokenKind[token];
      const word = this.word(token);
      if (word === W_BY && this.tree.nodes[node + T.FAULT_BY] < 0) {
        this.advance();
        const amount = this.peek();
        if (this.kind(amount) !== T_NUMBER) this.fail(MESSAGES.expectedAfter, ['a duration like 50ms', 'by', this.describe(amount)], amount);
        this.advance();
        this.tree.nodes[node + T.FAULT_BY] = amount;
        this.duration(amount);
      } else if (this.tree.nodes[node + T.FAULT_COUNT] < 0 && (kind === T_NUMBER || countOfWord(word) >= 0)) {
        this.tree.nodes[node + T.FAULT_COUNT] = this.parseCount();
      } else {
        break;
      }
    }
  }

  private parseCount(): number {
    const token = this.advance();
    if (this.tree.tokenKind[token] === T_NUMBER) {
      if (this.tree.integerOf(token) === undefined) this.fail(MESSAGES.invalidNumber, [this.textOf(token), 'a count, as in 3 times'], token);
      const times = this.peek();
      if (this.word(times) !== W_TIMES) this.fail(MESSAGES.expectedTimesAfterNumber, [this.textOf(token), this.describe(times)], times);
      this.advance();
      const ref = this.node(T.COUNT_SIZE, token, this.spanLength(token));
      this.tree.nodes[ref + T.COUNT_KIND] = T.COUNT_TIMES;
      this.tree.nodes[ref + T.COUNT_NUMBER] = token;
      return ref;
    }
    const count = countOfWord(this.word(token));
    if (count === T.COUNT_TIMES) this.fail(MESSAGES.expectedCount, [this.describe(token)], token);
    const ref = this.node(T.COUNT_SIZE, token, this.spanLength(token));
    this.tree.nodes[ref + T.COUNT_KIND] = count;
    this.tree.nodes[ref + T.COUNT_NUMBER] = -1;
    return ref;
  }

  /** `A -> B [FLAGS] [field=N ...]`, stored in `slot` as soon as it exists (a failing line keeps the partial pattern). */
  private parsePattern(after: string, slot: number): void {
    const from = this.expectIdent('a segment like client -> server SYN', after);
    const pattern = this.node(T.PATTERN_SIZE, from, this.tokenLength(from));
    const tree = this.tree;
    tree.nodes[pattern + T.PATTERN_FROM] = from;
    tree.nodes[pattern + T.PATTERN_TO] = -1;
    tree.nodes[slot] = pattern;
    if (this.peekKind() !== T_ARROW) this.fail(MESSAGES.expectedAfter, ["'->'", this.textOf(from), this.describe(this.peek())], this.peek());
    this.advance();
    tree.nodes[pattern + T.PATTERN_TO] = this.expectIdent('the receiving endpoint', '->');
    const head = this.peek();
    if (this.kind(head) === T_IDENT && this.peekKind(1) !== T_EQUALS && countOfWord(this.word(head)) < 0 && this.word(head) !== W_BY) {
      tree.push(pattern + T.PATTERN_FLAGS, this.advance());
      while (this.peekKind() === T_COMMA) {
        const comma = this.advance();
        const flag = this.peek();
        if (this.kind(flag) !== T_IDENT) this.fail(MESSAGES.expectedAfter, ['a flag (SYN, ACK, FIN, RST, PSH, URG or data)', this.textOf(comma), this.describe(flag)], flag);
        tree.push(pattern + T.PATTERN_FLAGS, this.advance());
      }
    }
    if (after === 'inject' || after === 'expect next') this.parseInjectFields(pattern, after === 'expect next');
    else {
      while (this.peekKind() === T_IDENT && this.peekKind(1) === T_EQUALS) tree.push(pattern + T.PATTERN_FIELDS, this.parseOption());
    }
    this.extend(pattern, from);
  }

  /**
   * An inject's fields and TCP options: `key=value`, the bare `sackok`, and `sack=L:R,L:R` (one value
   * spanning the blocks and their commas; the checker reads the blocks); after `expect next` (`next`)
   * also the bare `joined` and `nooptions`.
   */
  private parseInjectFields(pattern: number, next: boolean): void {
    const tree = this.tree;
    for (let token = this.peek(); this.kind(token) === T_IDENT; token = this.peek()) {
      if (this.peekKind(1) === T_EQUALS) {
        const option = this.parseOption();
        if (this.peekKind() === T_COMMA && this.word(tree.nodes[option + T.OPTION_KEY]) === W_SACK) {
          while (this.peekKind() === T_COMMA && this.peekKind(1) === T_NUMBER) {
            this.advance();
            this.advance();
          }
          const end = tree.end(this.index - 1);
          tree.nodes[option + T.OPTION_VALUE_END] = end;
          tree.nodes[option + T.N_LENGTH] = end - tree.nodes[option + T.N_OFFSET];
        }
        tree.push(pattern + T.PATTERN_FIELDS, option);
      } else if (this.word(token) === W_SACKOK || (next && (this.word(token) === W_JOINED || this.word(token) === W_NOOPTIONS))) {
        const key = this.advance();
        const option = this.node(T.OPTION_SIZE, key, tree.end(key) - tree.tokenStart[key]);
        tree.nodes[option + T.OPTION_KEY] = key;
        tree.nodes[option + T.OPTION_VALUE] = -1;
        tree.nodes[option + T.OPTION_VALUE_END] = -1;
        tree.push(pattern + T.PATTERN_FIELDS, option);
      } else {
        break;
      }
    }
  }

  /** Options up to the end of the line, into the list at `slot` as they are read (a failing line keeps those before). */
  private parseOptions(slot: number, what: string): void {
    for (let token = this.peek(); token >= 0; token = this.peek()) {
      if (this.tree.tokenKind[token] !== T_IDENT || this.peekKind(1) !== T_EQUALS) this.fail(MESSAGES.expected, [what, this.describe(token)], token);
      this.tree.push(slot, this.parseOption());
    }
  }

  /** `key=value`; the current tokens are a name and `=`. */
  private parseOption(): number {
    const key = this.advance();
    const equals = this.advance();
    const value = this.peek();
    const kind = this.kind(value);
    if (kind !== T_NUMBER && kind !== T_IDENT && kind !== T_STRING) {
      this.fail(MESSAGES.expectedAfter, ['a value', `${this.textOf(key)}${this.textOf(equals)}`, this.describe(value)], value);
    }
    this.advance();
    const option = this.node(T.OPTION_SIZE, key, this.spanLength(key));
    const nodes = this.tree.nodes;
    nodes[option + T.OPTION_KEY] = key;
    nodes[option + T.OPTION_VALUE] = value;
    nodes[option + T.OPTION_VALUE_END] = -1;
    return option;
  }

  private parseAction(line: number, first: number, time: number): void {
    const endpoint = this.advance();
    const node = this.begin(T.ST_ACTION, line, first, time);
    const tree = this.tree;
    tree.nodes[node + T.ACTION_ENDPOINT] = endpoint;
    const verbToken = this.peek();
    if (this.kind(verbToken) !== T_IDENT) {
      const keyword = time >= 0 || this.kind(verbToken) === T_INVALID ? undefined : closest(this.textOf(endpoint), STATEMENT_KEYWORDS);
      if (keyword && verbToken >= 0) this.failUnknownKeyword(endpoint, keyword);
      this.fail(MESSAGES.expectedAction, [this.textOf(endpoint), VERB_LIST, this.describe(verbToken)], verbToken);
    }
    const verbCode = this.spellings.verb(tree.tokenId[verbToken]);
    if (verbCode < 0) {
      const verbText = this.textOf(verbToken);
      const verb = closest(verbText, ACTION_VERBS);
      const keyword = closest(this.textOf(endpoint), STATEMENT_KEYWORDS);
      if (keyword && !verb) this.failUnknownKeyword(endpoint, keyword);
      if (verb) this.fail(MESSAGES.unknownAction, [verbText, verb], verbToken, [replaceFix(this.rangeOf(verbToken), verb)]);
      this.fail(MESSAGES.unknownActionNoSuggestion, [verbText, VERB_LIST], verbToken);
    }
    this.advance();
    tree.nodes[node + T.ACTION_VERB] = verbToken;
    if (verbCode === V_LISTEN || verbCode === V_CONNECT) tree.listenOrConnect.push(node);
    switch (verbCode) {
      case V_CONNECT:
        tree.nodes[node + T.ACTION_PEER] = this.expectIdent('the endpoint to connect to', 'connect');
        break;
      case V_SEND: {
        const argument = this.peek();
        const kind = this.kind(argument);
        if (kind !== T_NUMBER && kind !== T_STRING) {
          this.fail(MESSAGES.expectedAfter, ['a number of bytes or a "text"', 'send', this.describe(argument)], argument);
        }
        this.advance();
        tree.nodes[node + T.ACTION_ARGUMENT] = argument;
        if (kind === T_NUMBER) this.byteCount(argument);
        break;
      }
      case V_RECEIVE: {
        const argument = this.peek();
        if (this.kind(argument) === T_NUMBER) {
          this.advance();
          tree.nodes[node + T.ACTION_ARGUMENT] = argument;
          this.byteCount(argument);
        }
        break;
      }
      case V_SHUTDOWN: {
        // `shutdown read|write|both` (the checker reads the word).
        const mode = this.peek();
        if (this.kind(mode) === T_IDENT && this.word(mode) !== W_WITH) tree.nodes[node + T.ACTION_ARGUMENT] = this.advance();
        break;
      }
      case V_SET: {
        this.emptyList(node + T.ACTION_OPTIONS);
        if (this.peek() < 0) this.fail(MESSAGES.expectedAfter, ['a socket option like linger=0', 'set', 'the end of the line'], -1);
        this.parseOptions(node + T.ACTION_OPTIONS, 'a socket option like linger=0');
        break;
      }
    }
    if (CONNECTION_VERBS[verbCode] && this.peekWord(W_WITH)) {
      this.advance();
      tree.nodes[node + T.ACTION_CONN] = this.expectIdent('the peer whose connection is meant', 'with');
    }
  }

  /** The byte count of `send N` / `receive N` (read): a whole number, and the optional word `bytes`. */
  private byteCount(argument: number): void {
    if (this.tree.integerOf(argument) === undefined) this.fail(MESSAGES.invalidNumber, [this.textOf(argument), 'a number of bytes'], argument);
    if (this.peekWord(W_BYTES)) this.advance();
  }

  private failUnknownKeyword(token: number, keyword: string): never {
    this.fail(MESSAGES.unknownKeyword, [this.textOf(token), keyword], token, [replaceFix(this.rangeOf(token), keyword)]);
  }
}

