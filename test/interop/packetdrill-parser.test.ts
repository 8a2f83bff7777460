// The packetdrill lexer and parser (src/interop/packetdrill): packetdrill's grammar (parser.y) read
// into a tree with a position for every node, its own checks (times, ranges, numbers, flags), error
// recovery (one diagnostic per broken line, the rest still read), and no throw on any input.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { lex } from '../../src/interop/packetdrill/lexer';
import { parsePacketdrill } from '../../src/interop/packetdrill/parser';
import type { PktPacket, PktSyscall } from '../../src/interop/packetdrill/ast';
import { ROOT } from './helpers';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'packetdrill');

function parseClean(text: string) {
  const result = parsePacketdrill(text);
  assert.deepEqual(result.diagnostics.map((d) => `${d.range.line}:${d.range.column} ${d.message}`), []);
  return result.script;
}

function errors(text: string): string[] {
  return parsePacketdrill(text).diagnostics.map((d) => `${d.range.line}:${d.range.column} ${d.code} ${d.message}`);
}

describe('packetdrill lexer', () => {
  test('longest match, as flex: addresses, floats, sequence ranges, ellipses, options', () => {
    const kinds = (text: string) => lex(text).tokens.filter((t) => t.kind !== 'eof').map((t) => `${t.kind}:${t.text}`);
    assert.deepEqual(kinds('192.0.2.1 1.5 .1 1:1001(1000)'), ['ipv4:192.0.2.1', 'float:1.5', 'float:.1', 'int:1', 'punct::', 'int:1001', 'punct:(', 'int:1000', 'punct:)']);
    assert.deepEqual(kinds('0...0.1 read'), ['int:0', 'ellipsis:...', 'float:0.1', 'word:read']);
    assert.deepEqual(kinds('--tolerance_usecs=10000 0x1F -1 fe80::1'), ['option:--tolerance_usecs', 'punct:=', 'int:10000', 'hex:0x1F', 'int:-1', 'ipv6:fe80::1']);
    assert.deepEqual(kinds('S. P. F. - . <...>'), ['word:S', 'punct:.', 'word:P', 'punct:.', 'word:F', 'punct:.', 'punct:-', 'punct:.', 'punct:<', 'ellipsis:...', 'punct:>']);
  });

  test('positions: 1-based lines and UTF-16 columns; comments kept, code blocks and strings whole', () => {
    const { tokens, comments } = lex('// héllo 𝄞\n  +0 write(4, "a\\"b", 3) = 3 /* c\n d */ %{ x = 1 }%\r\n`cmd`');
    const word = tokens.find((t) => t.text === 'write')!;
    assert.deepEqual([word.line, word.column, word.offset], [2, 6, 17]);
    const string = tokens.find((t) => t.kind === 'string')!;
    assert.equal(string.value, 'a\\"b');
    assert.deepEqual(comments.map((c) => [c.line, c.column, c.text]), [
      [1, 1, '// héllo 𝄞'],
      [2, 30, '/* c\n d */'],
    ]);
    const code = tokens.find((t) => t.kind === 'code')!;
    assert.deepEqual([code.line, code.column, code.value], [3, 7, 'x = 1']);
    const command = tokens.find((t) => t.kind === 'backquoted')!;
    assert.deepEqual([command.line, command.column, command.value], [4, 1, 'cmd']);
  });
});

describe('packetdrill parser', () => {
  test('a passive open: system calls, packets, options, every field and its position', () => {
    const script = parseClean(
      [
        '--tolerance_usecs=10000',
        '`../common/defaults.sh`',
        '0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3',
        '+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0',
        '+0 bind(3, ..., ...) = 0',
        '+0 listen(3, 1) = 0',
        '+0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>',
        '+0 > S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,nop,wscale 8>',
        '+.1 < . 1:1(0) ack 1 win 257',
        '+0 accept(3, ..., ...) = 4',
        '+0 write(4, ..., 1000) = 1000',
        '+0 > P. 1:1001(1000) ack 1',
        '+.1 < . 1:1(0) ack 1001 win 257 <sack 1:1001 2001:3001,TS val 1 ecr 2>',
        '+0 connect(4, ..., ...) = -1 ECONNREFUSED (Connection refused)',
        '`echo done`',
      ].join('\n'),
    );
    assert.deepEqual(script.options.map((o) => [o.name, o.value]), [['tolerance_usecs', '10000']]);
    assert.equal(script.initCommand?.command, '../common/defaults.sh');
    assert.equal(script.cleanupCommand?.command, 'echo done');
    assert.equal(script.events.length, 12);
    assert.deepEqual(script.events.map((e) => [e.line, e.time.kind, e.time.start]).slice(0, 3), [
      [3, 'absolute', 0],
      [4, 'relative', 0],
      [5, 'relative', 0],
    ]);
    const syn = script.events[4].action as PktPacket;
    assert.equal(syn.direction, '<');
    assert.equal(syn.flags, 'S');
    assert.deepEqual(syn.seq, { start: 0, end: 0, length: 0, range: { line: 7, column: 8, length: 6 } });
    assert.equal(syn.win?.value, 32792);
    assert.deepEqual(
      (syn.options as { name: string; value?: number }[]).map((o) => [o.name, o.value]),
      [['mss', 1000], ['sackOK', undefined], ['nop', undefined], ['nop', undefined], ['nop', undefined], ['wscale', 7]],
    );
    const synack = script.events[5].action as PktPacket;
    assert.deepEqual([synack.direction, synack.flags, synack.ack?.value, synack.ack?.range], ['>', 'S.', 1, { line: 8, column: 16, length: 5 }]);
    assert.deepEqual([script.events[6].time.kind, script.events[6].time.start], ['relative', 100_000]);
    const sack = script.events[10].action as PktPacket;
    const options = sack.options as { name: string; blocks?: unknown; val?: number; ecr?: number }[];
    assert.deepEqual(options[0].blocks, [{ left: 1, right: 1001 }, { left: 2001, right: 3001 }]);
    assert.deepEqual([options[1].name, options[1].val, options[1].ecr], ['TS', 1, 2]);
    const refused = script.events[11].action as PktSyscall;
    assert.equal(refused.name, 'connect');
    assert.deepEqual(refused.result, { kind: 'int', value: -1, text: '-1', offset: refused.result!.offset, end: refused.result!.end, range: refused.result!.range });
    assert.deepEqual([refused.errno?.name, refused.errno?.note, refused.errno?.range], ['ECONNREFUSED', 'Connection refused', { line: 14, column: 30, length: 12 }]);
  });

  test('timing: absolute, relative, any, both kinds of range, blocking calls', () => {
    const script = parseClean(['0.5 > S 0:0(0) <...>', '* > . 1:1(0) ack 1', '1.0~1.25 > F. 1:1(0) ack 1', '+0~+0.3 > . 2:2(0) ack 2', '+0...0.2 read(4, ..., 10) = 10'].join('\n'));
    assert.deepEqual(
      script.events.map((e) => [e.time.kind, e.time.start, e.time.rangeEnd]),
      [
        ['absolute', 500_000, undefined],
        ['any', 0, undefined],
        ['absolute-range', 1_000_000, 1_250_000],
        ['relative-range', 0, 300_000],
        ['relative', 0, undefined],
      ],
    );
    assert.equal((script.events[0].action as PktPacket).options, 'any');
    assert.equal((script.events[4].action as PktSyscall).endTime?.value, 200_000);
  });

  test('system call arguments: structs, lists, assignments, calls, or-ed flags, strings', () => {
    const script = parseClean(
      [
        '0 connect(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("192.0.2.1")}, 16) = 0',
        '+0 setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0',
        '+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0',
        '+0 write(3, "abc" "def"..., 6) = 6',
        '+0 poll([{fd=3, events=POLLIN, revents=POLLIN}], 1, 0) = 1',
      ].join('\n'),
    );
    const connect = script.events[0].action as PktSyscall;
    assert.equal(connect.args[1].kind, 'struct');
    const fields = (connect.args[1] as { items: { kind: string; name?: string; value?: { kind: string; name?: string } }[] }).items;
    assert.deepEqual(fields.map((f) => [f.kind, f.name, f.value?.kind]), [['assign', 'sa_family', 'word'], ['assign', 'sin_port', 'call'], ['assign', 'sin_addr', 'call']]);
    const fcntl = script.events[2].action as PktSyscall;
    assert.deepEqual(fcntl.args[2].kind, 'or');
    const write = script.events[3].action as PktSyscall;
    assert.deepEqual(write.args[1], { ...write.args[1], kind: 'string', value: 'abcdef', ellipsis: true });
  });

  test("parser.y's own checks: negative times, backwards ranges, sequence arithmetic, value ranges, flags, * and ranges only outbound", () => {
    assert.deepEqual(errors('0 > S 0:10(5)'), ['1:7 pkt-sequence inconsistent TCP sequence numbers and payload size: 0 + 5 is not 10']);
    assert.deepEqual(errors('0.3~0.1 > S 0:0(0)'), ['1:1 pkt-time-range the time range 0.3~0.1 ends before it starts']);
    assert.deepEqual(errors('* < S 0:0(0)'), ["1:1 pkt-time-star the time '*' can only be used with outbound packets (>)"]);
    assert.deepEqual(errors('0~1 close(3) = 0'), ['1:1 pkt-time-range a time range can only be used with outbound packets (>)']);
    assert.deepEqual(errors('0 < S 0:0(0) win 70000'), ['1:18 pkt-out-of-range TCP window value 70000 is out of range: expected 0 to 65535']);
    assert.deepEqual(errors('0 < X 0:0(0)'), ["1:5 pkt-unknown-flag unknown TCP flag 'X'; packetdrill's flags are S F R P . (ACK) U E W, or - for none"]);
    assert.deepEqual(errors('0 < S 0:0(0) <...>'), ['1:14 pkt-options <...> (any TCP options) can only be used with outbound packets (>)']);
    assert.deepEqual(errors('0 < S 0:0(0) <mss MSS>'), ["1:19 pkt-symbol 'MSS' is not defined: give it a value with --define=MSS=N at the top of the script (packetdrill takes it from its command line)"]);
    parseClean('--define=MSS=1460\n0 < S 0:0(0) <mss MSS>');
  });

  test("options where parser.y reads them: at the top, before the init command and the first event; elsewhere one error over the whole option", () => {
    // parser.y: `script: opt_options opt_init_command events opt_cleanup_command`.
    const top = parseClean('// comments and blank lines first\n\n--tolerance_usecs=10000\n--define=MSS=1460\n`echo init`\n0 < S 0:0(0) win 1 <mss MSS>');
    assert.deepEqual(top.options.map((o) => [o.name, o.value]), [['tolerance_usecs', '10000'], ['define', 'MSS=1460']]);
    const script = ['`echo init`', '--tolerance_usecs=10000', '0 close(3) = 0', '--define=MSS=1460', '+0 close(3) = 0', '  --ip_version=ipv4 +0 close(3) = 0'].join('\n');
    const { diagnostics, script: read } = parsePacketdrill(script);
    assert.deepEqual(
      diagnostics.map((d) => `${d.range.line}:${d.range.column}-${d.range.column + d.range.length} ${d.code} ${d.message}`),
      [
        "2:1-24 pkt-syntax the option '--tolerance_usecs' must come before the init command (the `command` on the first line): packetdrill reads options only at the top of the script",
        "4:1-18 pkt-syntax the option '--define' must come before the first event: packetdrill reads options only at the top of the script",
        "6:3-20 pkt-syntax the option '--ip_version' must come before the first event: packetdrill reads options only at the top of the script",
      ],
    );
    // The misplaced options are not taken (packetdrill would not run the script), the events around them are.
    assert.deepEqual(read.options, []);
    assert.deepEqual(read.events.map((e) => e.line), [3, 5, 6]);
  });

  test('recovery: each broken line gets one diagnostic at the token at fault, and the next lines are still read', () => {
    const text = ['0 socket(..., SOCK_STREAM IPPROTO_TCP) = 3', '+0 listen(3, 1) = 0', '+0 < S 0:0 win 100', '+0 > S. 0:0(0) ack 1', 'hello world', '+1 close(3) = 0 # no'].join('\n');
    const result = parsePacketdrill(text);
    assert.deepEqual(
      result.diagnostics.map((d) => `${d.range.line}:${d.range.column} ${d.message}`),
      [
        "1:27 expected ',' or ')' to end the arguments; found 'IPPROTO_TCP'",
        "3:12 expected '(' and the payload length after '0'; found 'win'",
        "5:1 expected a time (like 0, +0.1, * or 0.1~0.2) to start an event; found 'hello'",
        "6:17 unexpected character '#'",
      ],
    );
    assert.deepEqual(result.script.events.map((e) => e.line), [2, 4]);
  });

  test('never throws, and every diagnostic points into the text (random scripts made of its tokens)', () => {
    const pieces = ['0', '+0', '+.1', '*', '0.1~0.2', '<', '>', 'S', 'S.', '.', 'P.', 'F.', 'R', '-', '0:0(0)', '1:1001(1000)', 'ack', '1', 'win', '257', '<mss 1460,sackOK,nop,wscale 7>', '<...>', 'socket(..., SOCK_STREAM, IPPROTO_TCP)', '= 3', '= -1 ECONNRESET (Connection reset by peer)', 'close(3)', '...', '`cmd`', '%{ x }%', '"str', '/* c', '\n', '//x\n', '{', '}', '[', ']', '(', ')', ',', '=', '|', '#', 'é', '𝄞'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }), fc.array(fc.constantFrom(' ', '', '\n'), { minLength: 60, maxLength: 60 }), (parts, seps) => {
        const text = parts.map((p, i) => p + seps[i]).join('');
        const lines = text.split('\n');
        const { diagnostics, script } = parsePacketdrill(text);
        for (const d of diagnostics) {
          assert.ok(d.range.line >= 1 && d.range.line <= lines.length, `line ${d.range.line} in ${JSON.stringify(text)}`);
          assert.ok(d.range.column >= 1 && d.range.column <= lines[d.range.line - 1].length + 1, `column ${d.range.column} in ${JSON.stringify(text)}`);
          assert.ok(d.range.length >= 1);
        }
        for (const e of script.events) assert.ok(e.offset >= 0 && e.end <= text.length && e.offset < e.end);
      }),
      { numRuns: 400, seed: 11 },
    );
  });

  test('every packetdrill fixture of this project parses without a diagnostic', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.pkt'));
    assert.ok(files.length >= 8, `fixtures: ${files.join(', ')}`);
    for (const file of files) {
      const { diagnostics } = parsePacketdrill(readFileSync(join(FIXTURES, file), 'utf8'));
      assert.deepEqual(diagnostics.map((d) => `${file}:${d.range.line}:${d.range.column} ${d.message}`), []);
    }
  });
});
