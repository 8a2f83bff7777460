import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ExpressionError,
  canonicalState,
  evaluateText,
  interpolate,
  parseHitCondition,
  type NameResolver,
  type Value,
} from '../../src/debug/expression';
import { WorldNames } from '../../src/debug/names';
import type { TcbView, WorldView } from '../../src/engine/api';

/** A resolver over a plain table: 'client.SND.NXT' -> 201. */
function table(values: Record<string, Value>): NameResolver {
  return {
    resolve(path) {
      const key = path.join('.');
      if (!(key in values)) throw new ExpressionError(`unknown name '${key}'`);
      return values[key];
    },
  };
}

const names = table({ 'client.SND.NXT': 201, 'client.SND.UNA': 101, 'server.RCV.WND': 0, 'server.state': 'CLOSE-WAIT', 客戶端: 'ESTABLISHED' });

describe('expression evaluator', () => {
  const cases: [string, Value][] = [
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['17 % 5', 2],
    ['9 / 2', 4.5],
    ['-3 + 5', 2],
    ['0x10', 16],
    ['client.SND.NXT - client.SND.UNA', 100],
    ['client.SND.NXT > client.SND.UNA', true],
    ['server.RCV.WND == 0', true],
    ['server.RCV.WND != 0', false],
    ['server.state == CLOSE-WAIT', true],
    ['server.state == CLOSE_WAIT', true],
    ['server.state == "CLOSE-WAIT" && client.SND.NXT >= 201', true],
    ['server.state == TIME-WAIT || server.RCV.WND > 0', false],
    ['!(server.RCV.WND == 0)', false],
    ['客戶端', 'ESTABLISHED'],
    ["'a' + 1", 'a1'],
    ['FIN-WAIT-1 != FIN-WAIT-2', true],
  ];
  for (const [text, expected] of cases) {
    test(`${text} = ${String(expected)}`, () => assert.equal(evaluateText(text, names), expected));
  }

  const errors: [string, RegExp][] = [
    ['', /empty expression/],
    ['1 +', /expected a number, a string, a name or '\(', found 'end of expression' \(column 4\)/],
    ['(1 + 2', /expected '\)' to close the '\(' at column 1/],
    ['server.RCV.WND = 0', /use '==' to compare/],
    ['1 / 0', /division by zero/],
    ['server.state - 1', /'-' needs numbers, got the string "CLOSE-WAIT"/],
    ['sever.state', /unknown name 'sever.state'/],
    ['1 < 2 < 3', /comparisons do not chain/],
    ['"open', /unterminated string/],
    ['client.SND.NXT @ 2', /unexpected character '@' \(column 16\)/],
    ['12abc', /malformed number/],
  ];
  for (const [text, pattern] of errors) {
    test(`error: ${JSON.stringify(text)}`, () => {
      assert.throws(() => evaluateText(text, names), (error: unknown) => error instanceof ExpressionError && pattern.test(error.message));
    });
  }

  test('never runs JavaScript', () => {
    assert.throws(() => evaluateText('process.exit(1)', names), ExpressionError);
    assert.throws(() => evaluateText('constructor.constructor', names), ExpressionError);
  });
});

describe('logpoint interpolation', () => {
  test('fills holes and keeps literal braces', () => {
    assert.equal(interpolate('nxt={client.SND.NXT} in flight={client.SND.NXT - client.SND.UNA} {{x}}', names), 'nxt=201 in flight=100 {x}');
  });
  test('an error shows in place instead of failing the whole message', () => {
    assert.match(interpolate('wnd={sever.RCV.WND}', names), /^wnd=<unknown name 'sever.RCV.WND'>$/);
  });
});

describe('hit conditions', () => {
  test('a bare number means exactly that hit', () => {
    const hit = parseHitCondition('3');
    assert.deepEqual([1, 2, 3, 4].map(hit), [false, false, true, false]);
  });
  test('>=, > and %', () => {
    assert.deepEqual([1, 2, 3].map(parseHitCondition('>= 2')), [false, true, true]);
    assert.deepEqual([1, 2, 3].map(parseHitCondition('>2')), [false, false, true]);
    assert.deepEqual([1, 2, 3, 4].map(parseHitCondition('% 2')), [false, true, false, true]);
  });
  test('nonsense is refused with what was expected', () => {
    assert.throws(() => parseHitCondition('often'), /expected a number, or '>= N'/);
  });
});

describe('state names', () => {
  test('TIME_WAIT and time-wait mean TIME-WAIT', () => {
    assert.equal(canonicalState('TIME_WAIT'), 'TIME-WAIT');
    assert.equal(canonicalState('time-wait'), 'TIME-WAIT');
    assert.equal(canonicalState('TIME-WAITING'), undefined);
  });
});

describe('names over a world view', () => {
  const tcb = (over: Partial<TcbView>): TcbView => ({
    endpoint: 'server',
    state: 'ESTABLISHED',
    local: '10.0.0.2:80',
    remote: '10.0.0.1:49152',
    ISS: 300,
    IRS: 100,
    'SND.UNA': 301,
    'SND.NXT': 301,
    'SND.WND': 65535,
    'SND.WL1': 101,
    'SND.WL2': 301,
    'RCV.NXT': 201,
    'RCV.WND': 0,
    sendQueue: 0,
    unacked: 0,
    receiveQueue: 100,
    outOfOrder: 0,
    cwnd: 4380,
    ssthresh: 1 << 30,
    flightSize: 0,
    recovery: 'open',
    rto: 1000,
    timers: [],
    ...over,
  });
  const world: WorldView = {
    now: 120,
    done: false,
    inFlight: [],
    endpoints: [
      { name: 'client', address: '10.0.0.1', port: 49152, listening: false, crashed: false, state: 'CLOSED', connections: [], received: 0 },
      {
        name: 'server',
        address: '10.0.0.2',
        port: 80,
        listening: true,
        crashed: false,
        state: 'ESTABLISHED',
        received: 100,
        connections: [tcb({ conn: 'a', 'RCV.WND': 500 }), tcb({ conn: 'b', 'RCV.WND': 0 })],
      },
    ],
  };
  const worldNames = new WorldNames(world, { kind: 'app', t: 120, endpoint: 'server', call: 'close', line: 16 });

  test('ENDPOINT.FIELD reads the newest connection; HOST.CONN.FIELD one by name', () => {
    assert.equal(evaluateText('server.RCV.WND == 0', worldNames), true);
    assert.equal(evaluateText('server.a.RCV.WND', worldNames), 500);
    assert.equal(evaluateText('server.connections', worldNames), 2);
  });
  test('state, now and event fields', () => {
    assert.equal(evaluateText('client.state == CLOSED && server == ESTABLISHED', worldNames), true);
    assert.equal(evaluateText('now', worldNames), 120);
    assert.equal(evaluateText('event.call', worldNames), 'close');
  });
  test('errors say what is there', () => {
    assert.throws(() => evaluateText('client.SND.NXT', worldNames), /'client' has no connection \(it is CLOSED\), so no SND.NXT/);
    assert.throws(() => evaluateText('server.SND.NX', worldNames), /did you mean server.SND.NXT\?/);
    assert.throws(() => evaluateText('sever.state', worldNames), /endpoints are client, server/);
    assert.throws(() => evaluateText('event.seq', worldNames), /the current app event has no field 'seq'/);
  });
});
