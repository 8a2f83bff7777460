// The syntax tree of a .tcpscenario file, as objects. One statement per line; every node
// carries its source range (1-based line, UTF-16 column and length) and its offset in the
// text, so the editor can offer symbols, hover, go-to-definition and formatting. The parser
// returns a partial tree for broken lines: fields it could not read are left undefined.
// The parser writes a packed form (tree.ts); these objects are made from it the first time
// `statements` is read (view.ts), for the checker, the compiler and the editor.
// The tree is read-only for its users: empty lists (options, flags, fields) may be one shared,
// frozen array.

import type { Range } from './diagnostic';
import type { Tree } from './tree';
import type { FaultKeyword } from './vocabulary';

export interface Node {
  range: Range;
  /** Offset of the node's first character in the text (UTF-16 code units). */
  offset: number;
}

/** A word: an endpoint name, a keyword, a state, a flag, an option key. */
export interface Name extends Node {
  text: string;
}

/** The value of `key=value`, a byte count, a title... as written. */
export interface Value extends Node {
  /** `number` covers everything that starts with a digit: 10, 10ms, 5%, 0x1f. */
  kind: 'number' | 'ident' | 'string';
  /** Source text (with quotes for strings). */
  text: string;
  /** Decoded text of a string. */
  string?: string;
}

/** `@2s` (absolute) or `+50ms` (relative to the previous statement). */
export interface TimeSpec extends Node {
  mode: 'absolute' | 'relative';
  value?: Value;
  /** Microseconds; undefined when the duration could not be read. */
  us?: number;
}

/** `key=value`; in `inject`, also the one TCP option written without a value (`sackok`). */
export interface OptionNode extends Node {
  key: Name;
  value?: Value;
}

/** `10.0.0.1:80` in an endpoint declaration. */
export interface AddressNode extends Node {
  text: string;
  host?: string;
  octets?: number[];
  port?: number;
}

/** `A -> B [FLAGS] [seq=N] [ack=N] [len=N]`. */
export interface Pattern extends Node {
  from?: Name;
  to?: Name;
  /** As written: SYN, FIN, ACK, data... (the checker validates them). */
  flags: Name[];
  fields: OptionNode[];
}

/** How many matching segments a fault applies to. */
export interface CountNode extends Node {
  kind: 'once' | 'twice' | 'always' | 'times';
  /** For `N times`. */
  n?: number;
}

interface StatementBase extends Node {
  /** 1-based source line. */
  line: number;
  /** The time written before the statement, if any. */
  time?: TimeSpec;
}

/** `scenario "title"`. */
export interface ScenarioStatement extends StatementBase {
  kind: 'scenario';
  keyword: Name;
  title?: Value;
}

/** `profile rfc|linux`. */
export interface ProfileStatement extends StatementBase {
  kind: 'profile';
  keyword: Name;
  profile?: Name;
}

/** `set key=value ...`. */
export interface SetStatement extends StatementBase {
  kind: 'set';
  keyword: Name;
  options: OptionNode[];
}

/** `endpoint NAME [ADDRESS[:PORT]] [raw] [isn=N] [setting=value ...]`: the declaration of a name. */
export interface EndpointStatement extends StatementBase {
  kind: 'endpoint';
  keyword: Name;
  name?: Name;
  address?: AddressNode;
  options: OptionNode[];
  /** The word `raw` (an endpoint with no TCP); the key is present only when written. */
  raw?: Name;
}

/** `link A <-> B [delay=D] [jitter=D] [loss=P] [dup=P] [reorder=P] [corrupt=P] [seed=N]`. */
export interface LinkStatement extends StatementBase {
  kind: 'link';
  keyword: Name;
  a?: Name;
  b?: Name;
  options: OptionNode[];
}

/**
 * `NAME listen|connect PEER|send N|send "text"|receive [N]|close|shutdown [read|write|both]|abort|
 * crash|restart|set key=value ...`, and for send, receive, close, shutdown and abort an optional
 * `with PEER` (which connection).
 */
export interface ActionStatement extends StatementBase {
  kind: 'action';
  endpoint: Name;
  verb?: Name;
  /** For connect. */
  peer?: Name;
  /** For send (a number or a string), receive (a number) and shutdown (the word read, write or both). */
  argument?: Value;
  /** `with PEER`: the endpoint's connection with PEER (when it has several). */
  conn?: Name;
  /** For set: the socket options; the key is present only on `set` lines. */
  options?: OptionNode[];
}

/** `drop|duplicate|corrupt|reorder PATTERN [COUNT]`, `delay PATTERN by D [COUNT]`. */
export interface FaultStatement extends StatementBase {
  kind: 'fault';
  keyword: Name;
  fault: FaultKeyword;
  pattern?: Pattern;
  /** `by D` (delay only). */
  by?: Value;
  byUs?: number;
  count?: CountNode;
}

/** `inject A -> B FLAGS seq=N [ack=N] [len=N] [wnd=N]`. */
export interface InjectStatement extends StatementBase {
  kind: 'inject';
  keyword: Name;
  pattern?: Pattern;
}

/** `expect NAME is STATE [with PEER]`. */
export interface StateExpectation extends Node {
  kind: 'state';
  endpoint: Name;
  state?: Name;
  /** Which of the endpoint's connections (the peer's name), when it has several. */
  peer?: Name;
}

/** `expect A -> B FLAGS [seq=N] [ack=N] [len=N]`: such a segment was sent at this time. */
export interface SegmentExpectation extends Node {
  kind: 'segment';
  pattern: Pattern;
  /** `expect next A -> B ...`: the word `next` (the next segment A sends B; packetdrill's `>` lines). */
  next?: Name;
  /** `within D`, `within -D +D` or `anytime` after an `expect next`. */
  within?: WithinNode;
}

/** When an `expect next` segment may leave: `within D` (D either side), `within -D1 +D2`, `anytime`. */
export interface WithinNode extends Node {
  /** `within` or `anytime`, as written. */
  keyword: Name;
  early?: Value;
  late?: Value;
  earlyUs?: number;
  lateUs?: number;
}

/** `expect NAME received N`: bytes delivered to the application so far. */
export interface ReceivedExpectation extends Node {
  kind: 'received';
  endpoint: Name;
  bytes?: Value;
}

/** `expect NAME cwnd is N [with PEER]`, `expect NAME ssthresh is N [with PEER]`: a window, bytes. */
export interface WindowExpectation extends Node {
  kind: 'window';
  endpoint: Name;
  /** `cwnd` or `ssthresh`, as written. */
  variable: Name;
  bytes?: Value;
  peer?: Name;
}

/** `expect NAME CALL ok` or `expect NAME CALL failed [ERR]`: the latest result of the call. */
export interface CallExpectation extends Node {
  kind: 'call';
  endpoint: Name;
  /** connect, send, receive, close, shutdown, listen or abort. */
  call: Name;
  /** The word ok or failed. */
  result?: Name;
  /** After failed: an errno (ident, ECONNRESET) or RFC 9293's words (string, "connection reset"). */
  error?: Value;
}

export type Expectation = StateExpectation | SegmentExpectation | ReceivedExpectation | WindowExpectation | CallExpectation;

export interface ExpectStatement extends StatementBase {
  kind: 'expect';
  keyword: Name;
  expectation?: Expectation;
}

/** `wait until NAME is STATE [with PEER]` or `wait until NAME received N`: the timeline holds until it is so. */
export interface WaitStatement extends StatementBase {
  kind: 'wait';
  keyword: Name;
  /** The word `until`. */
  until?: Name;
  /** The same conditions as `expect NAME is STATE` and `expect NAME received N`. */
  condition?: StateExpectation | ReceivedExpectation;
}

/** `end @T` (or `end +D`): stop the run at that time. */
export interface EndStatement extends StatementBase {
  kind: 'end';
  keyword: Name;
  at?: TimeSpec;
}

export type Statement =
  | ScenarioStatement
  | ProfileStatement
  | SetStatement
  | EndpointStatement
  | LinkStatement
  | ActionStatement
  | FaultStatement
  | InjectStatement
  | ExpectStatement
  | WaitStatement
  | EndStatement;

export type StatementKind = Statement['kind'];

export interface CommentNode extends Node {
  /** With the leading `#`. */
  text: string;
}

/** A whole file. */
export interface ScenarioFile {
  kind: 'file';
  /** The statements as objects (made on first use, then kept). */
  readonly statements: Statement[];
  readonly comments: CommentNode[];
  /** Number of lines in the text. */
  lineCount: number;
  /** The packed form the parser wrote (numbers in typed arrays; see tree.ts). */
  readonly tree: Tree;
}
