// The spellings of one text: every distinct name or number gets a small integer id and one
// string, made the first time it is seen. The parser compares ids instead of
// strings (`client` on line 9 and on line 9,000 are the same id), and keep per-id answers
// (is it a keyword? which integer, which duration?) so that a word repeated on 100,000 lines
// is classified once.

import { parseDuration, parseInteger } from './values';
import { ACTION_VERBS, ANYTIME_WORD, CALL_WORDS, FAULT_KINDS, NEXT_BARE_FIELDS, NEXT_WORD, STATEMENT_KEYWORDS, WITHIN_WORD } from './vocabulary';

/**
 * The words the parser tests case-insensitively (`text.toLowerCase() === word`), with a code each.
 * The order is the codes' order (W_* below).
 */
const WORDS = ['with', 'is', 'received', 'bytes', 'by', 'until', 'raw', 'ok', 'failed', 'once', 'twice', 'always', 'times', 'cwnd', 'ssthresh', 'sack', 'sackok', NEXT_WORD, WITHIN_WORD, ANYTIME_WORD, ...NEXT_BARE_FIELDS, ...CALL_WORDS] as const;
export const W_WITH = 0;
export const W_IS = 1;
export const W_RECEIVED = 2;
export const W_BYTES = 3;
export const W_BY = 4;
export const W_UNTIL = 5;
export const W_RAW = 6;
export const W_OK = 7;
export const W_FAILED = 8;
export const W_ONCE = 9;
export const W_TWICE = 10;
export const W_ALWAYS = 11;
export const W_TIMES = 12;
export const W_CWND = 13;
export const W_SSTHRESH = 14;
export const W_SACK = 15;
export const W_SACKOK = 16;
/** `expect next A -> B ... [joined] [nooptions] [within D | anytime]`. */
export const W_NEXT = 17;
export const W_WITHIN = 18;
export const W_ANYTIME = 19;
export const W_JOINED = 20;
export const W_NOOPTIONS = 21;
/** Codes from here on are CALL_WORDS (lowercase): `expect NAME CALL ok`. */
export const W_FIRST_CALL = 22;
const WORD_CODES = new Map<string, number>(WORDS.map((word, i) => [word, i]));
const KEYWORD_CODES = new Map<string, number>(STATEMENT_KEYWORDS.map((word, i) => [word, i]));
const VERB_CODES = new Map<string, number>(ACTION_VERBS.map((word, i) => [word, i]));

/** Statement keyword codes (index in STATEMENT_KEYWORDS). */
export const K_SCENARIO = STATEMENT_KEYWORDS.indexOf('scenario');
export const K_PROFILE = STATEMENT_KEYWORDS.indexOf('profile');
export const K_SET = STATEMENT_KEYWORDS.indexOf('set');
export const K_ENDPOINT = STATEMENT_KEYWORDS.indexOf('endpoint');
export const K_LINK = STATEMENT_KEYWORDS.indexOf('link');
export const K_INJECT = STATEMENT_KEYWORDS.indexOf('inject');
export const K_EXPECT = STATEMENT_KEYWORDS.indexOf('expect');
export const K_WAIT = STATEMENT_KEYWORDS.indexOf('wait');
export const K_END = STATEMENT_KEYWORDS.indexOf('end');
/** Fault keywords are the statement keywords listed in FAULT_KINDS. */
export const FAULT_CODE_OF_KEYWORD: readonly number[] = STATEMENT_KEYWORDS.map((word) => (FAULT_KINDS as readonly string[]).indexOf(word));

/** Action verb codes (index in ACTION_VERBS; the parser matches verbs case-sensitively). */
export const V_LISTEN = ACTION_VERBS.indexOf('listen');
export const V_CONNECT = ACTION_VERBS.indexOf('connect');
export const V_SEND = ACTION_VERBS.indexOf('send');
export const V_RECEIVE = ACTION_VERBS.indexOf('receive');
export const V_SHUTDOWN = ACTION_VERBS.indexOf('shutdown');
export const V_CRASH = ACTION_VERBS.indexOf('crash');
export const V_RESTART = ACTION_VERBS.indexOf('restart');
export const V_SET = ACTION_VERBS.indexOf('set');

/** The statement keyword a word spells: lowercase, or starting with an uppercase ASCII letter and lowercased (`Expect`). */
function keywordOf(word: string): number {
  const exact = KEYWORD_CODES.get(word);
  if (exact !== undefined) return exact;
  const c = word.charCodeAt(0);
  if (c >= 65 && c <= 90) return KEYWORD_CODES.get(word.toLowerCase()) ?? -1;
  return -1;
}

const UNKNOWN = 0;
const YES = 1;
const NO = 2;
/** A duration whose fraction falls between microseconds (rounded; the checker warns). */
const INEXACT = 3;

export class Spellings {
  /** The string of each id. */
  readonly strings: string[] = [];
  /** Where each id was first read in the text (comparing two places of one string is fast). */
  #at: Int32Array;
  /** Each id's length (a typed array: no string to load to compare lengths). */
  #lengths: Int32Array;
  #hashes: Int32Array;
  /** Each short ASCII spelling's key (see `shortId`), NaN for the others. */
  #keys: Float64Array;
  /** Open-addressing table of ids + 1 (0: empty). */
  #slots: Int32Array;
  #mask: number;
  /** Per id, computed on first use: word code + 1, keyword code + 1 and verb code + 1 in three bytes, or -1. */
  #words: Int32Array;
  #integerState: Uint8Array;
  #integers: Float64Array;
  #durationState: Uint8Array;
  #durations: Float64Array;

  constructor(private readonly text: string) {
    const capacity = 256;
    this.#at = new Int32Array(capacity);
    this.#lengths = new Int32Array(capacity);
    this.#hashes = new Int32Array(capacity);
    this.#keys = new Float64Array(capacity).fill(NaN);
    this.#words = new Int32Array(capacity).fill(-1);
    this.#integerState = new Uint8Array(capacity);
    this.#integers = new Float64Array(capacity);
    this.#durationState = new Uint8Array(capacity);
    this.#durations = new Float64Array(capacity);
    this.#slots = new Int32Array(capacity * 2);
    this.#mask = capacity * 2 - 1;
  }

  get count(): number {
    return this.strings.length;
  }

  /** The length of spelling `id` (UTF-16 units). */
  length(id: number): number {
    return this.#lengths[id];
  }

  /** The id of `text[start, end)`, whose hash (`h = h * 31 + c` over its UTF-16 units) is `hash`. */
  id(start: number, end: number, hash: number): number {
    const text = this.text;
    const length = end - start;
    const slots = this.#slots;
    const mask = this.#mask;
    const lengths = this.#lengths;
    const at = this.#at;
    let slot = mix(hash) & mask;
    for (;;) {
      const entry = slots[slot];
      if (entry === 0) break;
      const id = entry - 1;
      if (lengths[id] === length) {
        const from = at[id];
        let i = 0;
        while (i < length && text.charCodeAt(from + i) === text.charCodeAt(start + i)) i++;
        if (i === length) return id;
      }
      slot = (slot + 1) & mask;
    }
    return this.add(start, end, hash, slot);
  }

  /**
   * `id` of a spelling of at most SHORT_KEY_LENGTH ASCII characters, given its key (`k = k * 128 + c`
   * over its characters, exact in a double) as well as its hash: equal keys are equal spellings
   * (characters are 1 to 127), so no character is read again (comparing them was a third of
   * scanning a long file). The same for up to WIDE_KEY_LENGTH characters outside ASCII (`wideKey`).
   */
  shortId(start: number, end: number, hash: number, key: number): number {
    const slots = this.#slots;
    const mask = this.#mask;
    const keys = this.#keys;
    let slot = mix(hash) & mask;
    for (;;) {
      const entry = slots[slot];
      if (entry === 0) break;
      if (keys[entry - 1] === key) return entry - 1;
      slot = (slot + 1) & mask;
    }
    return this.add(start, end, hash, slot);
  }

  /** A new id for `text[start, end)`, in the free slot `slot`. */
  private add(start: number, end: number, hash: number, slot: number): number {
    const strings = this.strings;
    const id = strings.length;
    if (id === this.#at.length) {
      this.grow();
      return this.id(start, end, hash);
    }
    strings.push(this.text.slice(start, end));
    this.#at[id] = start;
    this.#lengths[id] = end - start;
    this.#hashes[id] = hash;
    this.#keys[id] = shortKey(this.text, start, end);
    this.#slots[slot] = id + 1;
    return id;
  }

  private grow(): void {
    const capacity = this.#at.length * 2;
    this.#at = resized(this.#at, capacity);
    this.#lengths = resized(this.#lengths, capacity);
    this.#hashes = resized(this.#hashes, capacity);
    const keys = new Float64Array(capacity).fill(NaN);
    keys.set(this.#keys);
    this.#keys = keys;
    const words = new Int32Array(capacity).fill(-1);
    words.set(this.#words);
    this.#words = words;
    this.#integerState = resized(this.#integerState, capacity);
    this.#integers = resized(this.#integers, capacity);
    this.#durationState = resized(this.#durationState, capacity);
    this.#durations = resized(this.#durations, capacity);
    // Half full at most: probes stay short.
    const slots = new Int32Array(capacity * 2);
    const mask = capacity * 2 - 1;
    for (let id = 0; id < this.strings.length; id++) {
      let slot = mix(this.#hashes[id]) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.#slots = slots;
    this.#mask = mask;
  }

  private words(id: number): number {
    let packed = this.#words[id];
    if (packed < 0) {
      const text = this.strings[id];
      const word = WORD_CODES.get(text.toLowerCase()) ?? -1;
      const keyword = keywordOf(text);
      const verb = VERB_CODES.get(text) ?? -1;
      packed = (word + 1) | ((keyword + 1) << 8) | ((verb + 1) << 16);
      this.#words[id] = packed;
    }
    return packed;
  }

  /** The W_* code of the word's lowercase form, or -1. */
  word(id: number): number {
    return (this.words(id) & 0xff) - 1;
  }

  /** The statement keyword (index in STATEMENT_KEYWORDS) the word spells, or -1. */
  keyword(id: number): number {
    return ((this.words(id) >> 8) & 0xff) - 1;
  }

  /** The action verb (index in ACTION_VERBS) the word is, exactly, or -1. */
  verb(id: number): number {
    return ((this.words(id) >> 16) & 0xff) - 1;
  }

  /** `parseInteger` of the spelling. */
  integer(id: number): number | undefined {
    const state = this.#integerState[id];
    if (state === YES) return this.#integers[id];
    if (state === NO) return undefined;
    const n = parseInteger(this.strings[id]);
    this.#integerState[id] = n === undefined ? NO : YES;
    if (n !== undefined) this.#integers[id] = n;
    return n;
  }

  /** The microseconds `parseDuration` reads in the spelling, or undefined when it is not a duration. */
  duration(id: number): number | undefined {
    if (this.#durationState[id] === UNKNOWN) this.readDuration(id);
    return this.#durationState[id] === NO ? undefined : this.#durations[id];
  }

  /** Whether the spelling is a duration with a fraction of a microsecond (rounded). */
  inexactDuration(id: number): boolean {
    if (this.#durationState[id] === UNKNOWN) this.readDuration(id);
    return this.#durationState[id] === INEXACT;
  }

  private readDuration(id: number): void {
    const result = parseDuration(this.strings[id]);
    this.#durationState[id] = !result.ok ? NO : result.exact ? YES : INEXACT;
    if (result.ok) this.#durations[id] = result.us;
  }
}

/** The longest spelling `shortId` takes: 128^7 = 2^49, exact in a double. */
export const SHORT_KEY_LENGTH = 7;
/** The longest spelling outside ASCII `shortId` takes (`wideKey`): 65536^3 = 2^48. */
export const WIDE_KEY_LENGTH = 3;

/**
 * The key of `text[start, end)`: `k = k * 128 + c` when it is at most SHORT_KEY_LENGTH ASCII
 * characters, `wideKey` when it is at most WIDE_KEY_LENGTH characters and one is not ASCII, else NaN.
 */
function shortKey(text: string, start: number, end: number): number {
  if (end - start > SHORT_KEY_LENGTH) return NaN;
  let key = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128) return end - start <= WIDE_KEY_LENGTH ? wideKey(text, start, end) : NaN;
    key = key * 128 + c;
  }
  return key;
}

/**
 * The key of a spelling of at most WIDE_KEY_LENGTH UTF-16 units, one of them outside ASCII (a CJK
 * name like 服務器): `-1 - k`, `k = k * 65536 + c`, exact in a double and negative, so never an
 * ASCII spelling's key.
 */
export function wideKey(text: string, start: number, end: number): number {
  let key = 0;
  for (let i = start; i < end; i++) key = key * 65536 + text.charCodeAt(i);
  return -1 - key;
}

function mix(hash: number): number {
  let h = Math.imul(hash ^ (hash >>> 16), 0x45d9f3b);
  h ^= h >>> 16;
  return h;
}

function resized<T extends Int32Array | Uint8Array | Float64Array>(array: T, capacity: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(capacity);
  bigger.set(array);
  return bigger;
}
