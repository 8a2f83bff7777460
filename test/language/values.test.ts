import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { closest, editDistance } from '../../src/language/suggest';
import { formatDuration, parseAddress, parseDuration, parseInteger, parseProbability } from '../../src/language/values';
import { findSetting, normalizeState } from '../../src/language/vocabulary';

describe('values', () => {
  test('durations in microseconds', () => {
    const rows: [string, ReturnType<typeof parseDuration>][] = [
      ['0', { ok: true, us: 0, exact: true }],
      ['250us', { ok: true, us: 250, exact: true }],
      ['10ms', { ok: true, us: 10_000, exact: true }],
      ['1.5s', { ok: true, us: 1_500_000, exact: true }],
      ['2min', { ok: true, us: 120_000_000, exact: true }],
      ['2h', { ok: true, us: 7_200_000_000, exact: true }],
      ['0.0005ms', { ok: true, us: 1, exact: false }],
      ['10', { ok: false, reason: 'missing-unit' }],
      ['10sec', { ok: false, reason: 'unknown-unit', unit: 'sec' }],
      ['1.s', { ok: false, reason: 'invalid' }],
      ['ms', { ok: false, reason: 'invalid' }],
      ['10ms5', { ok: false, reason: 'invalid' }],
    ];
    for (const [text, expected] of rows) assert.deepEqual(parseDuration(text), expected, text);
  });

  test('integers, probabilities, addresses', () => {
    assert.equal(parseInteger('4294967295'), 4294967295);
    assert.equal(parseInteger('0xFFFFFFFF'), 4294967295);
    assert.equal(parseInteger('12a'), undefined);
    assert.equal(parseProbability('5%'), 0.05);
    assert.equal(parseProbability('0.25'), 0.25);
    assert.equal(parseProbability('5%%'), undefined);
    assert.deepEqual(parseAddress('10.0.0.1:80'), { host: '10.0.0.1', octets: [10, 0, 0, 1], port: 80 });
    assert.deepEqual(parseAddress('10.0.0.1'), { host: '10.0.0.1', octets: [10, 0, 0, 1], port: undefined });
    assert.equal(parseAddress('10.0.1'), undefined);
  });

  test('durations print back in the largest exact unit', () => {
    assert.deepEqual([0, 1, 1500, 2_000_000, 61_000_000, 120_000_000, 7_200_000_000].map(formatDuration), ['0', '1us', '1.5ms', '2s', '61s', '2min', '2h']);
  });
});

describe('suggestions', () => {
  test('edit distance counts a swap of neighbours as one edit', () => {
    assert.equal(editDistance('expect', 'expcet'), 1);
    assert.equal(editDistance('sever', 'server'), 1);
    assert.equal(editDistance('', 'abc'), 3);
  });

  test('closest candidate, or none when nothing is close', () => {
    assert.equal(closest('sever', ['client', 'server']), 'server');
    assert.equal(closest('TIME_WAITING', ['CLOSED', 'TIME-WAIT', 'FIN-WAIT-1']), 'TIME-WAIT');
    assert.equal(closest('established', ['ESTABLISHED', 'CLOSED']), 'ESTABLISHED');
    assert.equal(closest('client', ['link', 'end']), undefined);
    assert.equal(closest('客戶', ['客戶端', '服務器']), '客戶端');
  });

  test('settings and states in other spellings', () => {
    assert.equal(findSetting('rto_min')?.field, 'rtoMin');
    assert.equal(findSetting('keepaliveIdle')?.field, 'keepaliveIdle');
    assert.equal(findSetting('RCV-BUF')?.field, 'rcvBuf');
    assert.equal(findSetting('nope'), undefined);
    assert.equal(normalizeState('time_wait'), 'TIME-WAIT');
    assert.equal(normalizeState('SYN-RCVD'), 'SYN-RECEIVED');
    assert.equal(normalizeState('TIME-WAITING'), undefined);
  });
});
