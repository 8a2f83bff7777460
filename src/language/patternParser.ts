// Segment patterns and what follows them: `A -> B FLAGS field=N`, an inject's fields and TCP
// options, `key=value` lists, and fault counts (`once`, `3 times`). The statements' parsers
// (parser.ts, expectParser.ts) build on these.

import { MESSAGES } from './messages';
import { T_ARROW, T_COMMA, T_EQUALS, T_IDENT, T_NUMBER, T_STRING } from './tokens';
import { W_ALWAYS, W_BY, W_JOINED, W_NOOPTIONS, W_ONCE, W_SACK, W_SACKOK, W_TIMES, W_TWICE } from './spellings';
import { LineParser } from './lineParser';
import * as T from './tree';

/** The count (index in COUNT_KINDS) a word code spells, or -1. */
export function countOfWord(word: number): number {
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

export abstract class PatternParser extends LineParser {
  /** `A -> B [FLAGS] [field=N ...]`, stored in `slot` as soon as it exists (a failing line keeps the partial pattern). */
  protected parsePattern(after: string, slot: number): void {
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
  protected parseOptions(slot: number, what: string): void {
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

  protected parseCount(): number {
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
}
