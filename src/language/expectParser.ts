// Expectations and the conditions a `wait` waits for: `expect A -> B FLAGS`, `expect next ...
// [within D]`, `NAME is STATE`, `NAME received N`, `NAME cwnd is N`, `NAME CALL ok|failed`, and
// `wait until NAME is STATE | received N`.

import { replaceFix, type Fix } from './diagnostic';
import { MESSAGES } from './messages';
import { PatternParser } from './patternParser';
import { T_ARROW, T_IDENT, T_MINUS, T_NUMBER, T_PLUS, T_STRING } from './tokens';
import { W_ANYTIME, W_BYTES, W_CWND, W_FAILED, W_FIRST_CALL, W_IS, W_NEXT, W_OK, W_RECEIVED, W_SSTHRESH, W_UNTIL, W_WITH, W_WITHIN } from './spellings';
import { closest } from './suggest';
import * as T from './tree';
import { CALL_WORDS } from './vocabulary';

/** What may follow `expect NAME`, for the message when something else does. */
const EXPECT_FORMS = "'is STATE', 'received N', 'cwnd is N', 'CALL ok', 'CALL failed ERR' or '-> PEER FLAGS'";

export abstract class ExpectParser extends PatternParser {
  protected parseExpect(line: number, time: number, keyword: number, first: number): void {
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

  protected parseWait(line: number, time: number, keyword: number, first: number): void {
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
}
