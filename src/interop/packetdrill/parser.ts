// The packetdrill parser: tokens -> PktScript, following google/packetdrill's parser.y (options,
// an optional init command, events "TIME ACTION", an optional cleanup command). It checks what
// parser.y checks (times, ranges, sequence numbers, value ranges, flags) and never throws: a line
// it cannot read gets one diagnostic at the token at fault, and parsing goes on at the next line
// that starts an event. Pure.

import type { Diagnostic, Range } from '../../language/diagnostic';
import type {
  PktAction,
  PktCode,
  PktCommand,
  PktEvent,
  PktExpr,
  PktNode,
  PktOption,
  PktPacket,
  PktPacketExtra,
  PktScript,
  PktSyscall,
  PktTcpOption,
  PktTime,
} from './ast';
import { LineFailure, TokenCursor } from './cursor';
import { integerValue, type PktComment, type PktToken } from './lexer';
import { PKT_MESSAGES, PKT_PHRASES as P } from './messages';

export interface PktParseResult {
  script: PktScript;
  comments: PktComment[];
  diagnostics: Diagnostic[];
}

const U16 = 0xffff;
const U32 = 0xffffffff;
/** packetdrill's flag letters (tcp_packet.c): FIN SYN RST PSH ACK URG ECE CWR, and AE. */
const FLAG_LETTERS = 'FSRP.UEWA';

export function parsePacketdrill(text: string): PktParseResult {
  return new Parser(text).parse();
}

class Parser extends TokenCursor {
  /** `--define=NAME=VALUE`: words the script uses for numbers (lexer.l's symbol table). */
  private readonly defines = new Map<string, number>();

  parse(): PktParseResult {
    const script: PktScript = { options: [], events: [] };
    for (const token of this.tokens) this.lexError(token);
    for (const comment of this.comments) {
      if (comment.unterminated) this.report(PKT_MESSAGES.unterminatedString, ['comment', '*/'], { line: comment.line, column: comment.column, length: 2 });
    }
    // Options, then the init command, then events; a command without a time is the init command
    // before the first event and the cleanup command after the last.
    while (this.peek().kind === 'option') this.attempt(() => script.options.push(this.option()));
    for (const option of script.options) {
      const match = option.name === 'define' ? /^([A-Za-z_][A-Za-z0-9_]*)=(-?(?:0x[0-9a-fA-F]+|[0-9]+))$/.exec(option.value ?? '') : null;
      if (match) this.defines.set(match[1], Number(match[2]));
    }
    if (this.peek().kind === 'backquoted') script.initCommand = this.command();
    let eventsBegun = false;
    while (this.peek().kind !== 'eof') {
      const token = this.peek();
      if (token.kind === 'backquoted') {
        const command = this.command();
        if (this.peek().kind === 'eof') script.cleanupCommand = command;
        else this.report(PKT_MESSAGES.commandWithoutTime, [], this.rangeOfToken(token));
        continue;
      }
      if (token.kind === 'option') {
        // parser.y `script: opt_options opt_init_command events ...`: read whole (its value too), refused where it is.
        const where = eventsBegun ? PKT_MESSAGES.optionAfterEvents : PKT_MESSAGES.optionAfterInit;
        this.attempt(() => this.report(where, [token.value ?? ''], this.option().range));
        continue;
      }
      eventsBegun = true;
      this.attempt(() => script.events.push(this.event()));
    }
    return { script, comments: this.comments, diagnostics: this.diagnostics };
  }

  // ---- options and commands ------------------------------------------------------------------------

  private option(): PktOption {
    const first = this.advance();
    const name = first.value ?? '';
    let value: string | undefined;
    if (this.isPunct('=')) {
      this.advance();
      const token = this.peek();
      if (!['int', 'hex', 'float', 'word', 'string', 'ipv4', 'ipv6'].includes(token.kind)) this.failExpected(P.aValue, `--${name}=`);
      this.advance();
      value = token.kind === 'string' ? (token.value ?? '') : token.text;
      // --define=NAME=VALUE
      if (token.kind === 'word' && this.isPunct('=')) {
        this.advance();
        const rhs = this.advance();
        value = `${value}=${rhs.text}`;
      }
    }
    return this.node<PktOption>(first, value === undefined ? { name } : { name, value });
  }

  private command(): PktCommand {
    const first = this.advance();
    return this.node<PktCommand>(first, { kind: 'command', command: first.value ?? '' });
  }

  // ---- events ------------------------------------------------------------------------------------

  private event(): PktEvent {
    const first = this.peek();
    const time = this.time();
    const action = this.action();
    const event = this.node<PktEvent>(first, { time, action, line: first.line });
    const outbound = action.kind === 'packet' && action.direction === '>';
    if (time.kind === 'any' && !outbound) this.report(PKT_MESSAGES.anyTimeOutbound, [], time.range);
    if ((time.kind === 'absolute-range' || time.kind === 'relative-range') && !outbound) this.report(PKT_MESSAGES.rangeOutbound, [], time.range);
    return event;
  }

  private time(): PktTime {
    const first = this.peek();
    if (this.isPunct('*')) {
      this.advance();
      return this.node<PktTime>(first, { kind: 'any', start: 0 });
    }
    const relative = this.isPunct('+');
    if (relative) this.advance();
    const start = this.timeValue(relative ? '+' : undefined);
    if (!this.isPunct('~')) return this.node<PktTime>(first, { kind: relative ? 'relative' : 'absolute', start });
    this.advance();
    if (relative) this.expectPunct('+', P.relativeRange, '~');
    const rangeEnd = this.timeValue('~');
    const time = this.node<PktTime>(first, { kind: relative ? 'relative-range' : 'absolute-range', start, rangeEnd });
    if (rangeEnd < start) this.report(PKT_MESSAGES.rangeBackwards, [this.text.slice(time.offset, time.end)], time.range);
    return time;
  }

  /** A time in seconds (integer or float) -> microseconds, as parser.y converts it. */
  private timeValue(after?: string): number {
    const token = this.peek();
    if (token.kind !== 'int' && token.kind !== 'float') {
      if (after === undefined) this.failExpected(P.aTimeToStart);
      this.failExpected(P.aTime, after);
    }
    this.advance();
    const seconds = Number(token.text);
    if (seconds < 0) this.report(PKT_MESSAGES.negativeTime, [token.text], this.rangeOfToken(token));
    return Math.round(Math.abs(seconds) * 1e6);
  }

  private action(): PktAction {
    const token = this.peek();
    if (token.kind === 'punct' && (token.text === '<' || token.text === '>')) return this.packet();
    if (token.kind === 'ellipsis' || (token.kind === 'word' && this.isPunct('(', 1))) return this.syscall();
    if (token.kind === 'backquoted') return this.command();
    if (token.kind === 'code') {
      this.advance();
      return this.node<PktCode>(token, { kind: 'code', code: token.value ?? '' });
    }
    return this.failExpected(P.anAction, this.previous().text);
  }

  // ---- packets -------------------------------------------------------------------------------------

  private packet(): PktPacket {
    const first = this.advance();
    const direction = first.text as '<' | '>';
    const extras = this.packetPrefix();
    const ports = this.ports();
    if (this.isWord('udp') || this.isWord('icmp')) return this.otherProtocol(first, direction, extras, ports);
    const { flags, flagsRange, ace } = this.flags();
    const seq = this.sequence();
    const packet = this.node<PktPacket>(first, { kind: 'packet', direction, directionRange: this.rangeOfToken(first), protocol: 'tcp', extras, flags, flagsRange, seq });
    if (ports) packet.ports = ports;
    if (ace) packet.ace = ace;
    this.headerFields(packet);
    if (this.isPunct('<')) this.optionList(packet);
    const last = this.previous();
    packet.end = last.offset + last.length;
    packet.range = this.rangeFrom(first, packet.end);
    this.endOfEvent(first);
    return packet;
  }

  /** packet_prefix: explicit IP headers, GRE, MPLS, each ending with ':'; the IP info; `encap psp spi N`. */
  private packetPrefix(): PktPacketExtra[] {
    const extras: PktPacketExtra[] = [];
    while (this.isWord('ipv4') || this.isWord('ipv6') || this.isWord('gre') || this.isWord('GREv0') || this.isWord('mpls')) {
      const start = this.advance();
      while (!this.isPunct(':') && this.peek().kind !== 'eof' && this.peek().line === start.line) this.advance();
      this.expectPunct(':', P.colonAfterHeader, start.text);
      extras.push(this.node<PktPacketExtra>(start, { what: start.text === 'ipv6' ? 'ipv6' : start.text === 'ipv4' ? 'ipv4' : start.text.toLowerCase().startsWith('gre') ? 'gre' : 'mpls', text: this.text.slice(start.offset, this.previous().offset + 1) }));
    }
    this.ipInfo(extras);
    if (this.isWord('encap')) {
      // `encap psp spi N`
      const start = this.advance();
      for (const word of ['psp', 'spi']) {
        if (!this.isWord(word)) this.failExpected(`'${word}'`, this.previous().text);
        this.advance();
      }
      const spi = this.peek();
      if (spi.kind !== 'int' && spi.kind !== 'hex') this.failExpected(P.aNumber, 'spi');
      this.advance();
      extras.push(this.node<PktPacketExtra>(start, { what: 'encap', text: this.text.slice(start.offset, spi.offset + spi.length) }));
    }
    return extras;
  }

  /** `SRC > DST` ports, when the packet names them. */
  private ports(): PktPacket['ports'] {
    if (!(this.peek().kind === 'int' && this.isPunct('>', 1) && this.peek(2).kind === 'int')) return undefined;
    const src = this.advance();
    this.advance();
    const dst = this.advance();
    return { src: this.bounded(src, P.sourcePort, U16), dst: this.bounded(dst, P.destinationPort, U16), range: this.rangeFrom(src, dst.offset + dst.length) };
  }

  /** A udp or icmp packet: not modelled (check.ts says so), read to the end of the line. */
  private otherProtocol(first: PktToken, direction: '<' | '>', extras: PktPacketExtra[], ports: PktPacket['ports']): PktPacket {
    const protocol = this.advance();
    while (this.peek().kind !== 'eof' && this.peek().line === protocol.line) this.advance();
    const packet = this.node<PktPacket>(first, {
      kind: 'packet',
      direction,
      directionRange: this.rangeOfToken(first),
      protocol: protocol.text as 'udp' | 'icmp',
      protocolRange: this.rangeOfToken(protocol),
      extras,
      flags: '',
      flagsRange: this.rangeOfToken(protocol),
      seq: { start: 0, end: 0, length: 0, range: this.rangeOfToken(protocol) },
    });
    if (ports) packet.ports = ports;
    return packet;
  }

  /** `ack N`, `win N`, `urg N`, in that order, each optional. */
  private headerFields(packet: PktPacket): void {
    for (const [word, key, max, what] of [
      ['ack', 'ack', U32, P.ackValue],
      ['win', 'win', U16, P.winValue],
      ['urg', 'urg', U16, P.urgValue],
    ] as const) {
      if (!this.isWord(word)) continue;
      const keyword = this.advance();
      const value = this.peek();
      if (!this.atNumber()) this.failExpected(P.aNumber, word);
      this.advance();
      packet[key] = { value: this.bounded(value, what, max), range: this.rangeFrom(keyword, value.offset + value.length) };
    }
  }

  /** `<OPTION, ...>` or `<...>` (any options: outbound packets only). */
  private optionList(packet: PktPacket): void {
    const open = this.advance();
    if (this.peek().kind === 'ellipsis') {
      this.advance();
      packet.options = 'any';
    } else {
      packet.options = this.tcpOptions();
    }
    const close = this.expectPunct('>', P.endOfOptions);
    packet.optionsRange = this.rangeFrom(open, close.offset + 1);
    if (packet.options === 'any' && packet.direction === '<') this.report(PKT_MESSAGES.anyOptionsInbound, [], packet.optionsRange);
  }

  /** Nothing more may follow on the event's line (a new event starts on a later line, or after this one). */
  private endOfEvent(first: PktToken): void {
    const next = this.peek();
    if (next.kind === 'eof' || next.line > first.line || this.startsEvent(next)) return;
    this.failExpected(P.endOfEvent, this.previous().text);
  }

  private ipInfo(extras: PktPacketExtra[]): void {
    const open = this.peek();
    if (!(this.isPunct('(') || this.isPunct('['))) return;
    // `(tos 0x1)`, `[ect0]`, `[ce]`, `(flowlabel 0x1)`, `[ttl 255]`: before the ports and flags.
    const close = open.text === '(' ? ')' : ']';
    let k = 1;
    while (this.peek(k).kind !== 'eof' && !(this.peek(k).kind === 'punct' && this.peek(k).text === close) && this.peek(k).line === open.line) k++;
    if (!(this.peek(k).kind === 'punct' && this.peek(k).text === close)) return;
    for (let j = 0; j <= k; j++) this.advance();
    extras.push(this.node<PktPacketExtra>(open, { what: 'ip-info', text: this.text.slice(open.offset, this.previous().offset + 1) }));
  }

  private flags(): { flags: string; flagsRange: Range; ace?: { text: string; range: Range } } {
    const first = this.peek();
    let flags: string;
    let ace: { text: string; range: Range } | undefined;
    if (first.kind === 'punct' && first.text === '-') {
      this.advance();
      flags = '';
    } else if (first.kind === 'punct' && first.text === '.') {
      this.advance();
      flags = '.';
    } else if (first.kind === 'word' || first.kind === 'float') {
      flags = '';
      if (first.kind === 'word') {
        flags = this.advance().text;
        if (this.isPunct('.') && this.peek().offset === first.offset + first.length) flags += this.advance().text;
        else if (this.isPunct('.') && this.peek(1).kind === 'int' && this.isPunct(':', 2)) flags += this.advance().text;
      }
      // `S.1`: the word and a float glued to it, the AccECN ACE field.
      if (this.peek().kind === 'float' && (first.kind === 'float' || this.peek().offset === this.previous().offset + this.previous().length)) {
        const float = this.advance();
        ace = { text: float.text, range: this.rangeOfToken(float) };
        flags += '.';
      }
    } else {
      return this.failExpected(P.theFlags, this.previous().text);
    }
    const flagsRange = this.rangeFrom(first, this.previous().offset + this.previous().length);
    for (const letter of flags) {
      if (!FLAG_LETTERS.includes(letter)) {
        const offset = flags.indexOf(letter);
        this.report(PKT_MESSAGES.unknownFlag, [letter], { line: first.line, column: first.column + offset, length: 1 });
        throw new LineFailure(first);
      }
    }
    return ace ? { flags, flagsRange, ace } : { flags, flagsRange };
  }

  private sequence(): PktPacket['seq'] {
    const first = this.peek();
    if (!this.atNumber()) this.failExpected(P.theSequence, P.afterFlags);
    this.advance();
    this.expectPunct(':', P.sequenceColon, first.text);
    const endToken = this.peek();
    if (!this.atNumber()) this.failExpected(P.theEndSequence, ':');
    this.advance();
    this.expectPunct('(', P.lengthParen, endToken.text);
    const lengthToken = this.peek();
    if (!this.atNumber()) this.failExpected(P.theLength, '(');
    this.advance();
    const close = this.expectPunct(')', "')'", lengthToken.text);
    const range = this.rangeFrom(first, close.offset + 1);
    const start = this.bounded(first, P.startSeq, U32);
    const end = this.bounded(endToken, P.endSeq, U32);
    const length = this.bounded(lengthToken, P.payloadSize, U16);
    if (end !== start + length) this.report(PKT_MESSAGES.seqInconsistent, [String(start), String(length), String(end)], range);
    return { start, end, length, range };
  }

  /** The current token is a number, or a word `--define` made one. */
  private atNumber(ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'int' || token.kind === 'hex' || (token.kind === 'word' && this.defines.has(token.text));
  }

  /** A number within 0..max (parser.y's is_valid_u16/u32); reports and clamps otherwise. */
  private bounded(token: PktToken, what: string, max: number): number {
    const value = token.kind === 'word' ? (this.defines.get(token.text) ?? NaN) : integerValue(token);
    if (!(value >= 0 && value <= max)) {
      this.report(PKT_MESSAGES.outOfRange, [what, token.text, String(max)], this.rangeOfToken(token));
      return Math.min(Math.max(0, value), max);
    }
    return value;
  }

  private tcpOptions(): PktTcpOption[] {
    const options: PktTcpOption[] = [this.tcpOption()];
    while (this.isPunct(',')) {
      this.advance();
      options.push(this.tcpOption());
    }
    return options;
  }

  private tcpOption(): PktTcpOption {
    const first = this.peek();
    if (first.kind !== 'word') this.failExpected(P.aTcpOption);
    this.advance();
    const number = (what: string, max: number): number => {
      const token = this.peek();
      if (!this.atNumber()) this.failExpected(P.aNumber, this.previous().text);
      this.advance();
      return this.bounded(token, what, max);
    };
    switch (first.text) {
      case 'nop':
      case 'eol':
      case 'sackOK':
        return this.node<PktTcpOption>(first, { name: first.text });
      case 'mss':
        return this.node<PktTcpOption>(first, { name: 'mss', value: number(P.mssValue, U16) });
      case 'wscale':
        return this.node<PktTcpOption>(first, { name: 'wscale', value: number(P.wscaleValue, 0xff) });
      case 'sack': {
        const blocks: { left: number; right: number }[] = [];
        do {
          const left = number(P.sackLeft, U32);
          this.expectPunct(':', P.sackColon, String(left));
          blocks.push({ left, right: number(P.sackRight, U32) });
        } while (this.atNumber());
        return this.node<PktTcpOption>(first, { name: 'sack', blocks });
      }
      case 'TS': {
        if (!this.isWord('val')) this.failExpected("'val'", 'TS');
        this.advance();
        const val = number(P.tsVal, U32);
        if (!this.isWord('ecr')) this.failExpected("'ecr'", String(val));
        this.advance();
        return this.node<PktTcpOption>(first, { name: 'TS', val, ecr: number(P.ecrVal, U32) });
      }
      case 'md5':
      case 'FO':
      case 'FOEXP':
      case 'ECN':
        // Not modelled (check.ts reports them): read what belongs to them.
        while (!this.isPunct(',') && !this.isPunct('>') && this.peek().kind !== 'eof' && this.peek().line === first.line) this.advance();
        return this.node<PktTcpOption>(first, { name: first.text });
      default:
        return this.failExpected(P.aKnownTcpOption);
    }
  }

  // ---- system calls ----------------------------------------------------------------------------------

  private syscall(): PktSyscall {
    const first = this.peek();
    let endTime: PktSyscall['endTime'];
    if (first.kind === 'ellipsis') {
      this.advance();
      const token = this.peek();
      const value = this.timeValue('...');
      endTime = { value, range: this.rangeFrom(first, token.offset + token.length) };
      if (this.peek().kind !== 'word') this.failExpected(P.aCallName, this.previous().text);
    }
    const nameToken = this.advance();
    const args: PktExpr[] = [];
    this.expectPunct('(', "'('", nameToken.text);
    if (!this.isPunct(')')) {
      args.push(this.expression());
      while (this.isPunct(',')) {
        this.advance();
        args.push(this.expression());
      }
    }
    this.expectPunct(')', P.endOfArguments);
    this.expectPunct('=', P.theResult, ')');
    const call = this.node<PktSyscall>(first, { kind: 'syscall', name: nameToken.text, nameRange: this.rangeOfToken(nameToken), args });
    if (endTime) call.endTime = endTime;
    call.result = this.expression();
    if (this.peek().kind === 'word' && this.peek().line === this.previous().line) {
      const errno = this.advance();
      call.errno = { name: errno.text, range: this.rangeOfToken(errno) };
      const note = this.note();
      if (note !== undefined) call.errno.note = note;
    } else {
      const note = this.note();
      if (note !== undefined) call.note = note;
    }
    const last = this.previous();
    call.end = last.offset + last.length;
    call.range = this.rangeFrom(first, call.end);
    this.endOfEvent(first);
    return call;
  }

  /** `(words...)` after a result: packetdrill's note, the errno's text. */
  private note(): string | undefined {
    if (!this.isPunct('(') || this.peek().line !== this.previous().line) return undefined;
    const open = this.advance();
    const words: string[] = [];
    while (!this.isPunct(')') && this.peek().kind !== 'eof' && this.peek().line === open.line) words.push(this.advance().text);
    this.expectPunct(')', P.endOfNote, open.text);
    return words.join(' ');
  }

  private expression(): PktExpr {
    const first = this.peek();
    const item = this.unary();
    if (!this.isPunct('|')) return item;
    const items = [item];
    while (this.isPunct('|')) {
      this.advance();
      items.push(this.unary());
    }
    return this.node<PktExpr>(first, { kind: 'or', items } as Omit<PktExpr, keyof PktNode>);
  }

  private unary(): PktExpr {
    const first = this.peek();
    const primary = this.primary();
    // `NAME = value` (struct fields, `msg_name(...)=...`).
    if (this.isPunct('=') && (primary.kind === 'word' || primary.kind === 'call')) {
      this.advance();
      const value = this.expression();
      const name = primary.kind === 'word' ? primary.text : primary.name;
      return this.node<PktExpr>(first, { kind: 'assign', name, nameRange: primary.kind === 'word' ? primary.range : primary.nameRange, value } as Omit<PktExpr, keyof PktNode>);
    }
    return primary;
  }

  private primary(): PktExpr {
    const first = this.peek();
    switch (first.kind) {
      case 'int':
      case 'hex':
        this.advance();
        return this.node<PktExpr>(first, { kind: 'int', value: integerValue(first), text: first.text } as Omit<PktExpr, keyof PktNode>);
      case 'float':
        this.advance();
        return this.node<PktExpr>(first, { kind: 'float', value: Number(first.text), text: first.text } as Omit<PktExpr, keyof PktNode>);
      case 'ellipsis':
        this.advance();
        return this.node<PktExpr>(first, { kind: 'ellipsis' } as Omit<PktExpr, keyof PktNode>);
      case 'string': {
        let value = '';
        while (this.peek().kind === 'string') value += this.advance().value ?? '';
        const ellipsis = this.peek().kind === 'ellipsis';
        if (ellipsis) this.advance();
        return this.node<PktExpr>(first, { kind: 'string', value, ellipsis } as Omit<PktExpr, keyof PktNode>);
      }
      case 'word': {
        this.advance();
        if (!this.isPunct('(')) return this.node<PktExpr>(first, { kind: 'word', text: first.text } as Omit<PktExpr, keyof PktNode>);
        this.advance();
        const args: PktExpr[] = [];
        if (!this.isPunct(')')) {
          args.push(this.expression());
          while (this.isPunct(',')) {
            this.advance();
            args.push(this.expression());
          }
        }
        this.expectPunct(')', P.commaOrParen, first.text);
        return this.node<PktExpr>(first, { kind: 'call', name: first.text, nameRange: this.rangeOfToken(first), args } as Omit<PktExpr, keyof PktNode>);
      }
      case 'punct':
        if (first.text === '[' || first.text === '{') {
          this.advance();
          const close = first.text === '[' ? ']' : '}';
          const items: PktExpr[] = [];
          if (!this.isPunct(close)) {
            items.push(this.expression());
            while (this.isPunct(',')) {
              this.advance();
              items.push(this.expression());
            }
          }
          this.expectPunct(close, close === ']' ? P.commaOrBracket : P.commaOrBrace);
          return this.node<PktExpr>(first, { kind: first.text === '[' ? 'list' : 'struct', items } as Omit<PktExpr, keyof PktNode>);
        }
        return this.failExpected(P.anExpression);
      default:
        return this.failExpected(P.anExpression);
    }
  }
}
