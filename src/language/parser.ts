// Recursive-descent parser, one statement per line. An error ends the statement it is in
// and parsing resumes on the next line, so every broken line gets its own diagnostic and
// the tree keeps whatever could be read (editor features work on broken files).
// It writes the packed tree of tree.ts: tokens and nodes are numbers in typed arrays (no
// object per token or node); `ast.statements` makes the objects of ast.ts when asked.
// One class, built in layers by what each decides: lineParser.ts reads lines and tokens,
// patternParser.ts segment patterns, options and counts, expectParser.ts expectations and
// waits' conditions, and this file the statements (one instance, so every call stays monomorphic).

import { replaceFix } from './diagnostic';
import { ExpectParser } from './expectParser';
import { LINE_ERROR, type ParseResult } from './lineParser';
import { MESSAGES } from './messages';
import { countOfWord } from './patternParser';
import { T_ARROW, T_AT, T_COLON, T_EQUALS, T_IDENT, T_INVALID, T_LINK, T_NUMBER, T_PLUS, T_STRING } from './tokens';
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
  W_BY,
  W_BYTES,
  W_RAW,
  W_WITH,
} from './spellings';
import { closest } from './suggest';
import * as T from './tree';
import { parseAddress } from './values';
import { ACTION_VERBS, FAULT_KINDS, STATEMENT_KEYWORDS, isStatementKeyword } from './vocabulary';

export type { ParseResult } from './lineParser';

/** Actions on one connection, which `with PEER` can pick (by verb code). */
const CONNECTION_VERBS: readonly boolean[] = ACTION_VERBS.map((verb) => ['send', 'receive', 'close', 'shutdown', 'abort'].includes(verb));
/** Keywords whose statements take a time (by keyword code). */
const TIMED_KEYWORDS: readonly boolean[] = STATEMENT_KEYWORDS.map((word) => ['expect', 'inject', 'wait', ...FAULT_KINDS].includes(word));
const VERB_LIST = ACTION_VERBS.join(', ');

export function parse(text: string): ParseResult {
  return new Parser(text).parseFile();
}

class Parser extends ExpectParser {
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
