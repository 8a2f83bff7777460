// The packetdrill TextMate grammar (syntaxes/packetdrill.tmLanguage.json), through the engine VS Code
// uses: each part of a script gets its own scope, so a theme colours them.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { scopeOf, tokenizeLines } from './tokenize';

/** [line, token text, expected innermost scope (without the .packetdrill suffix)]. */
const CASES: [string, string, string][] = [
  ['// a comment', '//', 'punctuation.definition.comment'],
  ['--tolerance_usecs=10000', 'tolerance_usecs', 'variable.parameter.option'],
  ['--tolerance_usecs=10000', '10000', 'string.unquoted.option-value'],
  ['`../common/defaults.sh`', '../common/defaults.sh', 'string.interpolated.backtick'],
  ['    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3', '0', 'constant.numeric.time'],
  ['    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3', 'socket', 'support.function.syscall'],
  ['    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3', 'SOCK_STREAM', 'support.constant'],
  ['    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3', '...', 'keyword.operator.ellipsis'],
  ['    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3', '=', 'keyword.operator.result'],
  ['   +0 connect(3, ..., ...) = -1 ECONNREFUSED (Connection refused)', 'ECONNREFUSED', 'constant.language.errno'],
  ['   +0 connect(3, ..., ...) = -1 ECONNREFUSED (Connection refused)', '+', 'punctuation.definition.time.relative'],
  ['   +0 setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0', 'onoff', 'variable.other.member'],
  ['  +.1 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>', '<', 'keyword.control.direction.inbound'],
  ['  +.1 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>', 'S', 'constant.language.flags'],
  ['  +.1 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>', 'win', 'keyword.other.field'],
  ['  +.1 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>', 'mss', 'support.type.option'],
  ['  +.1 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>', 'sackOK', 'support.type.option'],
  ['   +0 > S. 0:0(0) ack 1 <...>', '>', 'keyword.control.direction.outbound'],
  ['   +0 > S. 0:0(0) ack 1 <...>', 'S.', 'constant.language.flags'],
  ['   +0 > S. 0:0(0) ack 1 <...>', 'ack', 'keyword.other.field'],
  ['   +0 > P. 1:1001(1000) ack 1', '1001', 'constant.numeric.sequence'],
  ['   +0 > P. 1:1001(1000) ack 1', '1000', 'constant.numeric.length'],
  ['+0~+0.3 > . 2:2(0) ack 2', '~', 'keyword.operator.range'],
  ['* > . 2:2(0) ack 2', '*', 'constant.numeric.time.any'],
  ['   +0 %{ assert tcpi_rto == 200000 }%', '%{', 'punctuation.section.embedded.begin'],
];

describe('packetdrill TextMate grammar', () => {
  for (const [line, text, scope] of CASES) {
    test(`${JSON.stringify(text)} in ${JSON.stringify(line)} is ${scope}`, async () => {
      const [tokens] = await tokenizeLines(line, 'source.packetdrill');
      assert.equal(scopeOf(tokens, text), `${scope}.packetdrill`, JSON.stringify(tokens));
    });
  }

  test('a C comment spans lines; a comment ends a packet line', async () => {
    const lines = await tokenizeLines('/* one\ntwo */\n+0 > . 1:1(0) ack 1 // the ACK', 'source.packetdrill');
    assert.ok(lines[1][0].scopes.some((s) => s.startsWith('comment.block')));
    assert.equal(scopeOf(lines[2], 'the ACK'), 'comment.line.double-slash.packetdrill');
  });

  test('every line of the fixtures that holds an event gets a scope beyond the script\'s', async () => {
    const dir = join(import.meta.dirname, '..', 'fixtures', 'packetdrill');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.pkt'))) {
      const lines = await tokenizeLines(readFileSync(join(dir, file), 'utf8'), 'source.packetdrill');
      lines.forEach((tokens, i) => {
        if (tokens.every((t) => t.text.trim() === '')) return;
        assert.ok(tokens.some((t) => t.scopes.length > 1), `${file}:${i + 1} has no scope`);
      });
    }
  });
});
