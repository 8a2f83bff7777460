import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConsoleError, isConsoleCommand, parseConsoleCommand } from '../../src/debug/console';

const endpoints = ['client', 'server'];

describe('debug console commands', () => {
  test('commands are told apart from expressions', () => {
    assert.equal(isConsoleCommand('help'), true);
    assert.equal(isConsoleCommand('drop s12'), true);
    assert.equal(isConsoleCommand('drop next client -> server FIN'), true);
    assert.equal(isConsoleCommand('client.SND.NXT'), false);
    assert.equal(isConsoleCommand('drop'), false, 'a bare word stays an expression');
  });

  test('drop sN drops a segment in flight', () => {
    assert.deepEqual(parseConsoleCommand('drop s12', endpoints), { kind: 'drop-in-flight', id: 's12' });
  });

  test('drop next PATTERN is a one-shot fault rule, noted as coming from the console', () => {
    const command = parseConsoleCommand('drop next client -> server FIN,ACK seq=201', endpoints);
    assert.equal(command.kind, 'fault');
    assert.ok(command.kind === 'fault');
    assert.deepEqual(command.rule.pattern, { from: 'client', to: 'server', flags: ['FIN', 'ACK'], seq: 201 });
    assert.equal(command.rule.count, 1);
    assert.equal(command.rule.kind, 'drop');
    assert.match(command.rule.text, /debug console/);
  });

  test('duplicate all with data', () => {
    const command = parseConsoleCommand('duplicate all server -> client data', endpoints);
    assert.ok(command.kind === 'fault');
    assert.equal(command.rule.count, Infinity);
    assert.equal(command.rule.pattern.data, true);
  });

  test('delay next PATTERN by D: a fault rule with the extra delay in microseconds', () => {
    const command = parseConsoleCommand('delay next server -> client FIN,ACK by 1.5s', endpoints);
    assert.ok(command.kind === 'fault');
    assert.equal(command.rule.kind, 'delay');
    assert.equal(command.rule.by, 1_500_000);
    assert.deepEqual(command.rule.pattern, { from: 'server', to: 'client', flags: ['FIN', 'ACK'] });
    assert.equal(command.rule.count, 1);
  });

  test('reorder next PATTERN holds one segment back', () => {
    const command = parseConsoleCommand('reorder next client -> server data', endpoints);
    assert.ok(command.kind === 'fault');
    assert.equal(command.rule.kind, 'reorder');
    assert.equal(command.rule.pattern.data, true);
  });

  test('inject A -> B FLAGS seq=N ...: the language\'s crafted segment (none: no flags)', () => {
    assert.equal(isConsoleCommand('inject client -> server RST seq=5'), true);
    const command = parseConsoleCommand('inject server -> client RST,ACK seq=301 ack=0x65 wnd=0', endpoints);
    assert.ok(command.kind === 'inject');
    assert.deepEqual(command.action, { kind: 'inject', from: 'server', to: 'client', flags: ['RST', 'ACK'], seq: 301, ack: 101, len: 0, wnd: 0 });
    assert.match(command.text, /debug console/);
    const bare = parseConsoleCommand('inject client -> server none seq=7 len=10', endpoints);
    assert.ok(bare.kind === 'inject');
    assert.deepEqual(bare.action.flags, []);
    assert.equal(bare.action.len, 10);
  });

  test('save capture FILE [at NAME]: a name in quotes may hold spaces', () => {
    assert.equal(isConsoleCommand('save capture run.pcapng'), true);
    assert.equal(isConsoleCommand('save'), false, 'a bare word stays an expression');
    assert.deepEqual(parseConsoleCommand('save capture run.pcapng', endpoints), { kind: 'save-capture', file: 'run.pcapng' });
    assert.deepEqual(parseConsoleCommand('save capture "my run.pcapng" at server', endpoints), { kind: 'save-capture', file: 'my run.pcapng', at: 'server' });
    assert.throws(() => parseConsoleCommand('save capture', endpoints), /expected a file name after 'save capture'/);
  });

  const errors: [string, RegExp][] = [
    ['delay next client -> server FIN', /expected 'by' and a duration like 50ms at the end/],
    ['delay next client -> server by 10', /expected 'by' and a duration/],
    ['inject client -> server RST', /inject needs seq=N/],
    ['inject client server RST seq=1', /expected 'inject A -> B FLAGS seq=N'/],
    ['inject client -> server RTS seq=1', /expected flags like SYN or RST,ACK \(or none\)/],
    ['inject client -> server RST seq=1 mss=1460', /'mss=1460' is not seq=N, ack=N, len=N or wnd=N/],
    ['inject client -> server RST seq=4294967296', /'seq=4294967296' is not/],
    ['drop sometimes client -> server', /expected 'next', 'all' or a segment id like s12 after 'drop', found 'sometimes'/],
    ['drop next client server', /expected a pattern like 'client -> server FIN'/],
    ['drop next client -> sever FIN', /unknown endpoint 'sever'; this scenario has client, server/],
    ['corrupt next client -> server FNI', /'FNI' is not a flag list/],
  ];
  for (const [text, pattern] of errors) {
    test(`refused: ${text}`, () => {
      assert.throws(() => parseConsoleCommand(text, endpoints), (e: unknown) => e instanceof ConsoleError && pattern.test(e.message));
    });
  }
});
