import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { scopeOf, tokenizeLines } from './tokenize';

/** [line, token text, expected innermost scope (without the .tcpscenario suffix)]. */
const CASES: [string, string, string][] = [
  ['# a comment', '#', 'punctuation.definition.comment'],
  ['# a comment', 'a comment', 'comment.line.number-sign'],
  ['scenario "Lost final ACK"', 'scenario', 'keyword.other.scenario'],
  ['scenario "Lost final ACK"', 'Lost final ACK', 'string.quoted.double'],
  ['scenario "a \\" b"', '\\"', 'constant.character.escape'],
  ['profile linux', 'profile', 'keyword.other.profile'],
  ['profile linux', 'linux', 'support.constant.profile'],
  ['set msl=30s keepalive=on', 'set', 'keyword.other.set'],
  ['set msl=30s keepalive=on', 'msl', 'entity.other.attribute-name'],
  ['set msl=30s keepalive=on', '=', 'keyword.operator.assignment'],
  ['set msl=30s keepalive=on', '30', 'constant.numeric.duration'],
  ['set msl=30s keepalive=on', 's', 'keyword.other.unit'],
  ['set msl=30s keepalive=on', 'on', 'constant.language.boolean'],
  ['set delayed-ack=40ms', 'delayed-ack', 'entity.other.attribute-name'],
  ['endpoint client 10.0.0.1:49152 isn=100', 'endpoint', 'keyword.other.endpoint'],
  ['endpoint client 10.0.0.1:49152 isn=100', 'client', 'entity.name.variable.endpoint'],
  ['endpoint client 10.0.0.1:49152 isn=100', '10.0.0.1', 'constant.other.address.ipv4'],
  ['endpoint client 10.0.0.1:49152 isn=100', ':', 'punctuation.separator.port'],
  ['endpoint client 10.0.0.1:49152 isn=100', '49152', 'constant.numeric.port'],
  ['endpoint client 10.0.0.1:49152 isn=100', 'isn', 'entity.other.attribute-name'],
  ['endpoint client 10.0.0.1:49152 isn=100', '100', 'constant.numeric.integer'],
  ['endpoint 客户端 10.0.0.1', '客户端', 'entity.name.variable.endpoint'],
  ['link client <-> server delay=10ms loss=5% seed=7', 'link', 'keyword.other.link'],
  ['link client <-> server delay=10ms loss=5% seed=7', '<->', 'keyword.operator.arrow'],
  ['link client <-> server delay=10ms loss=5% seed=7', 'server', 'variable.other.endpoint'],
  ['link client <-> server delay=10ms loss=5% seed=7', 'delay', 'entity.other.attribute-name'],
  ['link client <-> server delay=10ms loss=5% seed=7', '5', 'constant.numeric.percentage'],
  ['link client <-> server delay=10ms loss=5% seed=7', '%', 'keyword.other.unit'],
  ['@0      server listen', '@', 'punctuation.definition.time.absolute'],
  ['@0      server listen', '0', 'constant.numeric.time.absolute'],
  ['@0      server listen', 'server', 'variable.other.endpoint'],
  ['@0      server listen', 'listen', 'support.function.action'],
  ['@2s     expect client is CLOSED', '2', 'constant.numeric.time.absolute'],
  ['@2s     expect client is CLOSED', 's', 'keyword.other.unit'],
  ['+50ms   client send 100', '+', 'punctuation.definition.time.relative'],
  ['+50ms   client send 100', 'ms', 'keyword.other.unit'],
  ['+50ms   client send 100', 'send', 'support.function.action'],
  ['+50ms   client send 100', '100', 'constant.numeric.integer'],
  ['@0 client connect server', 'connect', 'support.function.action'],
  ['@0 client connect server', 'server', 'variable.other.endpoint'],
  ['+1s client send "GET / HTTP/1.1"', 'GET / HTTP/1.1', 'string.quoted.double'],
  ['+5ms    drop client -> server ACK once', 'drop', 'keyword.control.fault'],
  ['+5ms    drop client -> server ACK once', '->', 'keyword.operator.arrow'],
  ['+5ms    drop client -> server ACK once', 'client', 'variable.other.endpoint'],
  ['+5ms    drop client -> server ACK once', 'ACK', 'constant.language.flag'],
  ['+5ms    drop client -> server ACK once', 'once', 'keyword.other.repeat'],
  ['duplicate server -> client FIN,ACK 2 times', ',', 'punctuation.separator.comma'],
  ['duplicate server -> client FIN,ACK 2 times', 'FIN', 'constant.language.flag'],
  ['duplicate server -> client FIN,ACK 2 times', 'times', 'keyword.other.repeat'],
  ['delay client -> server data by 200ms always', 'delay', 'keyword.control.fault'],
  ['delay client -> server data by 200ms always', 'data', 'constant.language.flag'],
  ['delay client -> server data by 200ms always', 'by', 'keyword.operator.word'],
  ['delay client -> server data by 200ms always', '200', 'constant.numeric.duration'],
  ['delay client -> server data by 200ms always', 'always', 'keyword.other.repeat'],
  ['inject client -> server SYN seq=90', 'inject', 'keyword.control.inject'],
  ['inject client -> server SYN seq=90', 'seq', 'entity.other.attribute-name'],
  ['        expect client is TIME-WAIT', 'expect', 'keyword.control.expect'],
  ['        expect client is TIME-WAIT', 'client', 'variable.other.endpoint'],
  ['        expect client is TIME-WAIT', 'is', 'keyword.operator.word'],
  ['        expect client is TIME-WAIT', 'TIME-WAIT', 'constant.language.state'],
  ['expect server is SYN-RECEIVED', 'SYN-RECEIVED', 'constant.language.state'],
  ['expect server received 100', 'received', 'keyword.operator.word'],
  ['expect client cwnd is 4380', 'cwnd is', 'keyword.operator.word'],
  ['expect server is ESTABLISHED with client', 'with', 'keyword.operator.word'],
  ['expect server is ESTABLISHED with client', 'client', 'variable.other.endpoint'],
  ['expect client is not CLOSED', 'is not', 'keyword.operator.word'],
  ['expect client -> server FIN,ACK seq=300 ack=101', 'expect', 'keyword.control.expect'],
  ['end @4min', 'end', 'keyword.control.end'],
  ['end @4min', 'min', 'keyword.other.unit'],
  ['server listen   # comment after code', '#', 'punctuation.definition.comment'],
  ['wait until server is CLOSE-WAIT', 'wait', 'keyword.control.wait'],
  ['wait until server is CLOSE-WAIT', 'until', 'keyword.operator.word'],
  ['wait until server is CLOSE-WAIT', 'server', 'variable.other.endpoint'],
  ['wait until server is CLOSE-WAIT', 'is', 'keyword.operator.word'],
  ['wait until server is CLOSE-WAIT', 'CLOSE-WAIT', 'constant.language.state'],
  ['+10ms wait until server received 100 bytes', 'received', 'keyword.operator.word'],
  ['+10ms wait until server received 100 bytes', 'wait', 'keyword.control.wait'],
  ['expect client connect failed ECONNREFUSED', 'expect', 'keyword.control.expect'],
  ['expect client connect failed ECONNREFUSED', 'client', 'variable.other.endpoint'],
  ['expect client connect failed ECONNREFUSED', 'connect', 'support.function.action'],
  ['expect client connect failed ECONNREFUSED', 'failed', 'keyword.operator.word'],
  ['expect client connect failed ECONNREFUSED', 'ECONNREFUSED', 'constant.other.errno'],
  ['expect server send ok', 'ok', 'keyword.operator.word'],
  ['expect server receive failed "connection reset"', 'connection reset', 'string.quoted.double'],
  ['@500ms client set linger=0', 'set', 'support.function.action'],
  ['@500ms client set linger=0', 'linger', 'entity.other.attribute-name'],
  ['@1s client shutdown read', 'shutdown', 'support.function.action'],
  ['@1s client shutdown read', 'read', 'keyword.operator.word'],
  ['endpoint peer 10.0.0.9:4000 raw', 'raw', 'storage.modifier.raw'],
  ['endpoint peer 10.0.0.9:4000 raw', 'peer', 'entity.name.variable.endpoint'],
  ['endpoint peer 10.0.0.9:4000 raw', '10.0.0.9', 'constant.other.address.ipv4'],
  ['endpoint peer 10.0.0.9:4000 raw', '4000', 'constant.numeric.port'],
  ['endpoint peer raw', 'raw', 'storage.modifier.raw'],
  ['inject peer -> server SYN seq=0 mss=1460 sackok ts=100:0 wscale=7', 'sackok', 'entity.other.attribute-name'],
  ['inject peer -> server SYN seq=0 mss=1460 sackok ts=100:0 wscale=7', 'wscale', 'entity.other.attribute-name'],
  ['inject peer -> server none seq=1 sack=1001:2001', 'none', 'constant.language.flag'],
];

describe('TextMate grammar', () => {
  for (const [line, text, scope] of CASES) {
    test(`${JSON.stringify(text)} in ${JSON.stringify(line)} is ${scope}`, async () => {
      const [tokens] = await tokenizeLines(line);
      assert.equal(scopeOf(tokens, text), `${scope}.tcpscenario`, JSON.stringify(tokens));
    });
  }

  test('a state name is not a verb and a verb is not a state', async () => {
    const [listenVerb] = await tokenizeLines('@0 server listen');
    const [listenState] = await tokenizeLines('expect server is LISTEN');
    assert.equal(scopeOf(listenVerb, 'listen'), 'support.function.action.tcpscenario');
    assert.equal(scopeOf(listenState, 'LISTEN'), 'constant.language.state.tcpscenario');
  });

  test('set as an endpoint\'s verb is an action, set at the start of a line a declaration', async () => {
    const [action] = await tokenizeLines('+1s client set nodelay=on');
    const [declaration] = await tokenizeLines('set msl=30s');
    assert.equal(scopeOf(action, 'set'), 'support.function.action.tcpscenario');
    assert.equal(scopeOf(declaration, 'set'), 'keyword.other.set.tcpscenario');
  });

  test('an endpoint named raw is a name, the word raw after it a modifier', async () => {
    const [named] = await tokenizeLines('endpoint raw 10.0.0.1');
    assert.equal(scopeOf(named, 'raw'), 'entity.name.variable.endpoint.tcpscenario');
  });

  test('delay as a link option is not the delay fault', async () => {
    const [tokens] = await tokenizeLines('link a <-> b delay=10ms');
    assert.equal(scopeOf(tokens, 'delay'), 'entity.other.attribute-name.tcpscenario');
  });

  test('a # inside a string does not start a comment', async () => {
    const [tokens] = await tokenizeLines('client send "a # b"');
    assert.ok(tokens.every((token) => !token.scopes.some((scope) => scope.startsWith('comment'))), JSON.stringify(tokens));
  });

  test('an unterminated string ends at the end of its line', async () => {
    const lines = await tokenizeLines('client send "oops\nserver listen');
    assert.equal(scopeOf(lines[1], 'listen'), 'support.function.action.tcpscenario');
  });

  test('every line of the examples and fixtures gets at least one non-default scope', async () => {
    const sample = [
      'scenario "Lost final ACK: why TIME-WAIT lasts 2*MSL"',
      'profile rfc',
      'set msl=30s',
      'endpoint client 10.0.0.1:49152 isn=100',
      'endpoint server 10.0.0.2:80    isn=300',
      'link client <-> server delay=10ms',
      '@0      server listen',
      '@0      client connect server',
      '+50ms   client send 100',
      '+50ms   client close',
      '+5ms    drop client -> server ACK once',
      '+0      server close',
      '        expect client is TIME-WAIT',
      '@2s     expect client is CLOSED',
    ].join('\n');
    const lines = await tokenizeLines(sample);
    for (const [index, tokens] of lines.entries()) {
      assert.ok(tokens.some((token) => token.scopes.length > 1), `line ${index + 1} has no scope`);
    }
  });

  test('top-level patterns only include repository rules', () => {
    const grammar = JSON.parse(readFileSync(new URL('../../syntaxes/tcpscenario.tmLanguage.json', import.meta.url), 'utf8')) as {
      patterns: { include?: string }[];
      repository: Record<string, unknown>;
    };
    for (const pattern of grammar.patterns) {
      assert.ok(pattern.include?.startsWith('#'), JSON.stringify(pattern));
      assert.ok((pattern.include ?? '').slice(1) in grammar.repository, pattern.include);
    }
  });
});
