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

  const errors: [string, RegExp][] = [
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
