// The checker's quick pass over the packed tree (tree.ts): it proves that a statement has
// nothing to report, reading token ids and per-spelling answers (is the name declared? which
// flag, state or field does the word spell?) instead of making the statement's objects. It never
// reports: when anything could be wrong it answers false, and the checker makes the statement's
// objects and checks them the one way that reports (checker.ts). So there is one decision per
// diagnostic; this module only knows when none of them can fire, and test/language/quickCheck.test.ts
// compares both on generated, nearly well-formed text (the golden record covers the examples).

import { T_IDENT, T_NUMBER } from './tokens';
import { V_CONNECT, V_CRASH, V_RESTART, V_SET, V_SHUTDOWN } from './spellings';
import * as T from './tree';
import { MAX_U32 } from './values';
import { DATA_FLAG, FAULT_KINDS, FLAGS, NEXT_BARE_FIELDS, NO_FLAGS, normalizeFlag, normalizeState, STATES, TCP_OPTION_KEYS } from './vocabulary';

/** What the checker knows of the endpoints when statements are checked (names as written). */
export interface EndpointFacts {
  declared: ReadonlyMap<string, unknown>;
  raw: ReadonlySet<string>;
  active: { endpoints: ReadonlySet<string>; pairs: ReadonlySet<string> };
  /** `NAME\0VERB` of the actions so far (the checker's set: the quick pass adds to it). */
  calls: Set<string>;
}

/** Field keys by code (the lowercase spelling): a segment pattern's, an inject's, `expect next`'s. */
const FIELD_KEYS: readonly string[] = ['seq', 'ack', 'len', 'wnd', ...TCP_OPTION_KEYS, ...NEXT_BARE_FIELDS];
const F_SEQ = 0;
const F_ACK = 1;
const F_LEN = 2;
const F_WND = 3;
const F_MSS = FIELD_KEYS.indexOf('mss');
const F_WSCALE = FIELD_KEYS.indexOf('wscale');
/** Codes below: seq, ack, len (any pattern); below F_OPTIONS_END: an inject's too; the rest: `expect next` only. */
const F_PATTERN_END = 3;
const F_OPTIONS_END = 4 + TCP_OPTION_KEYS.length;
const FAULT_KIND_DELAY = FAULT_KINDS.indexOf('delay');
const FLAG_DATA = FLAGS.length;
const FLAG_NONE = FLAGS.length + 1;
const STATE_CLOSED = STATES.indexOf('CLOSED');
/** The largest byte count a send, receive or `received N` may give. */
const MAX_BYTES = 1_000_000_000;
const MAX_FAULT_DELAY_US = 3_600_000_000;

const UNKNOWN = -2;
/** Per-endpoint-name bits. */
const KNOWN = 1;
const DECLARED = 2;
const RAW = 4;
const ACTIVE = 8;

export class QuickCheck {
  private readonly tree: T.Tree;
  private readonly n: Int32Array;
  private readonly ids: Int32Array;
  private readonly strings: readonly string[];
  /** Per spelling id, computed on first use. */
  private readonly endpointBits: Uint8Array;
  private readonly flagCodes: Int8Array;
  private readonly fieldCodes: Int8Array;
  private readonly stateCodes: Int8Array;
  /** Per endpoint name id: a bit per action verb already in `facts.calls`. */
  private readonly verbsCalled: Uint16Array;

  constructor(
    tree: T.Tree,
    private readonly facts: EndpointFacts,
  ) {
    this.tree = tree;
    this.n = tree.nodes;
    this.ids = tree.tokenId;
    this.strings = tree.spellings.strings;
    const count = tree.spellings.count;
    this.endpointBits = new Uint8Array(count);
    this.flagCodes = new Int8Array(count).fill(UNKNOWN);
    this.fieldCodes = new Int8Array(count).fill(UNKNOWN);
    this.stateCodes = new Int8Array(count).fill(UNKNOWN);
    this.verbsCalled = new Uint16Array(count);
  }

  /** Whether statement node `at` has nothing to report (its time aside); true means its effects (calls) are recorded. */
  statement(at: number): boolean {
    const n = this.n;
    switch (n[at + T.S_KIND]) {
      case T.ST_SCENARIO:
      case T.ST_PROFILE:
      case T.ST_SET:
      case T.ST_ENDPOINT:
        return true; // checked with the declarations
      case T.ST_LINK:
        return this.declared(n[at + T.LINK_A]) && this.declared(n[at + T.LINK_B]);
      case T.ST_ACTION:
        return this.action(at);
      case T.ST_FAULT:
        return this.fault(at);
      case T.ST_INJECT:
        return this.inject(n[at + T.INJECT_PATTERN]);
      case T.ST_EXPECT:
        return this.expectation(n[at + T.EXPECT_EXPECTATION]);
      case T.ST_WAIT:
        return this.condition(n[at + T.WAIT_CONDITION]);
      default:
        return false;
    }
  }

  private action(at: number): boolean {
    const n = this.n;
    const ids = this.ids;
    const endpoint = n[at + T.ACTION_ENDPOINT];
    const verbToken = n[at + T.ACTION_VERB];
    if (verbToken < 0 || !this.declared(endpoint)) return false;
    const name = ids[endpoint];
    const verb = this.tree.spellings.verb(ids[verbToken]);
    if (verb < 0) return false;
    if ((this.verbsCalled[name] & (1 << verb)) === 0) {
      this.verbsCalled[name] |= 1 << verb;
      this.facts.calls.add(`${this.strings[name]}\u0000${this.strings[ids[verbToken]]}`);
    }
    if (verb !== V_CRASH && verb !== V_RESTART && (this.endpointBits[name] & RAW) !== 0) return false;
    const argument = n[at + T.ACTION_ARGUMENT];
    if (verb === V_SHUTDOWN && argument >= 0) return false;
    if (verb === V_SET && n[at + T.ACTION_OPTIONS + 1] > 0) return false;
    const peer = n[at + T.ACTION_PEER];
    if (verb === V_CONNECT && peer >= 0 && (ids[peer] === name || !this.declared(peer))) return false;
    const conn = n[at + T.ACTION_CONN];
    if (conn >= 0 && (!this.declared(conn) || !this.pair(endpoint, conn))) return false;
    return argument < 0 || this.tree.tokenKind[argument] !== T_NUMBER || this.integerAtMost(argument, MAX_BYTES);
  }

  private fault(at: number): boolean {
    const n = this.n;
    const by = n[at + T.FAULT_BY];
    if (FAULT_KIND_DELAY === n[at + T.FAULT_KIND]) {
      if (by < 0) return false;
      const us = this.tree.durationOf(by);
      if (us !== undefined && us > MAX_FAULT_DELAY_US) return false;
    } else if (by >= 0) {
      return false;
    }
    const count = n[at + T.FAULT_COUNT];
    if (count >= 0 && n[count + T.COUNT_KIND] === T.COUNT_TIMES && this.tree.integerOf(n[count + T.COUNT_NUMBER]) === 0) return false;
    return this.pattern(n[at + T.FAULT_PATTERN], F_PATTERN_END, 0);
  }

  private inject(pattern: number): boolean {
    return pattern >= 0 && this.pattern(pattern, F_OPTIONS_END, 65_535) && this.n[pattern + T.PATTERN_FLAGS + 1] > 0 && this.hasSeq(pattern);
  }

  private expectation(x: number): boolean {
    if (x < 0) return true;
    const n = this.n;
    switch (n[x + T.X_KIND]) {
      case T.X_SEGMENT:
        // `expect next` checks more (flags, options against nooptions, its window): the checker does it.
        return n[x + T.SEGMENT_NEXT] < 0 && this.pattern(n[x + T.X_PATTERN], F_PATTERN_END, 0);
      case T.X_STATE:
      case T.X_RECEIVED:
        return this.condition(x);
      default:
        return false;
    }
  }

  /** `NAME is STATE [with PEER]` or `NAME received N`, in an expect or a wait (-1: none). */
  private condition(x: number): boolean {
    if (x < 0) return true;
    const n = this.n;
    const endpoint = n[x + T.X_ENDPOINT];
    if (!this.declared(endpoint)) return false;
    const bits = this.endpointBits[this.ids[endpoint]];
    if (n[x + T.X_KIND] === T.X_STATE) {
      const stateToken = n[x + T.STATE_STATE];
      if (stateToken < 0) return false;
      const state = this.state(stateToken);
      if (state < 0) return false;
      const peer = n[x + T.STATE_PEER];
      if (peer >= 0 && (!this.declared(peer) || !this.pair(endpoint, peer))) return false;
      return state === STATE_CLOSED || ((bits & ACTIVE) !== 0 && (bits & RAW) === 0);
    }
    if (n[x + T.X_KIND] !== T.X_RECEIVED) return false;
    const bytes = n[x + T.RECEIVED_BYTES];
    if (bytes < 0 || !this.integerAtMost(bytes, MAX_BYTES)) return false;
    return (bits & ACTIVE) !== 0 || this.tree.integerOf(bytes) === 0;
  }

  /**
   * `A -> B FLAGS fields`: both ends declared and different, known flags without repeats, and
   * known fields (codes below `fieldsEnd`) with a whole number in range each; `wnd` up to `maxWindow`.
   */
  private pattern(pattern: number, fieldsEnd: number, maxWindow: number): boolean {
    if (pattern < 0) return true;
    const n = this.n;
    const ids = this.ids;
    const from = n[pattern + T.PATTERN_FROM];
    const to = n[pattern + T.PATTERN_TO];
    if (to < 0 || !this.declared(from) || !this.declared(to) || ids[from] === ids[to]) return false;
    const lists = this.tree.lists;
    const flagCount = n[pattern + T.PATTERN_FLAGS + 1];
    let seen = 0;
    for (let i = 0, at = n[pattern + T.PATTERN_FLAGS]; i < flagCount; i++, at++) {
      const flag = this.flag(lists[at]);
      if (flag < 0 || (flag === FLAG_NONE && flagCount > 1) || (seen & (1 << flag)) !== 0) return false;
      seen |= 1 << flag;
    }
    const fieldCount = n[pattern + T.PATTERN_FIELDS + 1];
    seen = 0;
    for (let i = 0, at = n[pattern + T.PATTERN_FIELDS]; i < fieldCount; i++, at++) {
      const option = lists[at];
      const field = this.field(n[option + T.OPTION_KEY]);
      if (field < 0 || field >= fieldsEnd || (seen & (1 << field)) !== 0) return false;
      seen |= 1 << field;
      const value = n[option + T.OPTION_VALUE];
      // A TCP option or a bare word: the checker reads those (sackok, ts and sack pairs).
      if (value < 0 || n[option + T.OPTION_VALUE_END] >= 0) return false;
      const max = maxOfField(field, maxWindow);
      if (max < 0 || !this.integerAtMost(value, max)) return false;
      if (field === F_MSS && this.tree.integerOf(value) === 0) return false;
    }
    return true;
  }

  private hasSeq(pattern: number): boolean {
    const n = this.n;
    const count = n[pattern + T.PATTERN_FIELDS + 1];
    for (let i = 0, at = n[pattern + T.PATTERN_FIELDS]; i < count; i++, at++) if (this.field(n[this.tree.lists[at] + T.OPTION_KEY]) === F_SEQ) return true;
    return false;
  }

  /** Whether number token `token` is a whole number up to `max` (readInteger's test). */
  private integerAtMost(token: number, max: number): boolean {
    if (this.tree.tokenKind[token] !== T_NUMBER) return false;
    const value = this.tree.integerOf(token);
    return value !== undefined && value <= max;
  }

  /** Whether name token `token` is a declared endpoint (-1: no token). */
  private declared(token: number): boolean {
    if (token < 0 || this.tree.tokenKind[token] !== T_IDENT) return false;
    return (this.endpoint(this.ids[token]) & DECLARED) !== 0;
  }

  private endpoint(id: number): number {
    let bits = this.endpointBits[id];
    if (bits === 0) {
      const name = this.strings[id];
      const facts = this.facts;
      bits = KNOWN | (facts.declared.has(name) ? DECLARED : 0) | (facts.raw.has(name) ? RAW : 0) | (facts.active.endpoints.has(name) ? ACTIVE : 0);
      this.endpointBits[id] = bits;
    }
    return bits;
  }

  private pair(a: number, b: number): boolean {
    return this.facts.active.pairs.has(`${this.strings[this.ids[a]]}\u0000${this.strings[this.ids[b]]}`);
  }

  private flag(token: number): number {
    return this.code(this.flagCodes, token, flagCode);
  }

  private field(token: number): number {
    return this.code(this.fieldCodes, token, fieldCode);
  }

  private state(token: number): number {
    return this.code(this.stateCodes, token, stateCode);
  }

  /** What `decide` makes of name token `token`'s spelling, decided once per spelling (kept in `codes`). */
  private code(codes: Int8Array, token: number, decide: (text: string) => number): number {
    const id = this.ids[token];
    let code = codes[id];
    if (code === UNKNOWN) codes[id] = code = decide(this.strings[id]);
    return code;
  }
}

/** A flag's code (FLAGS index, FLAG_DATA or FLAG_NONE), or -1 for an unknown word: what checker.ts `pattern` decides. */
function flagCode(text: string): number {
  const lower = text.toLowerCase();
  if (lower === NO_FLAGS) return FLAG_NONE;
  if (lower === DATA_FLAG) return FLAG_DATA;
  const normal = normalizeFlag(text);
  return normal === undefined ? -1 : FLAGS.indexOf(normal);
}

/** A field key's code (index in FIELD_KEYS of its lowercase spelling), or -1. */
function fieldCode(text: string): number {
  return FIELD_KEYS.indexOf(text.toLowerCase());
}

/** A state's index in STATES (as normalizeState reads it), or -1. */
function stateCode(text: string): number {
  const state = normalizeState(text);
  return state === undefined ? -1 : STATES.indexOf(state);
}

/** The largest value of field `field` the checker accepts (-1: one it reads itself: sackok, ts, sack, the bare words). */
function maxOfField(field: number, maxWindow: number): number {
  switch (field) {
    case F_SEQ:
    case F_ACK:
      return MAX_U32;
    case F_LEN:
    case F_MSS:
      return 65_535;
    case F_WND:
      return maxWindow;
    case F_WSCALE:
      return 14;
    default:
      return -1;
  }
}
