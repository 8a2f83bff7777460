// The editor's services on the constructs of application behaviour: completion, hover, inlay hints
// and the outline after a `wait` (whose end is known only at run time), formatting, navigation.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { absoluteTimeHints, complete, documentSymbols, formatText, hover, HOVER_PHRASES, referencesAt, type ScenarioSymbol } from '../../src/language/service';
import { runtimeSettings, SETTINGS } from '../../src/language/vocabulary';
import { atCursor, DECLARATIONS } from './cursor';

function labels(marked: string): string[] {
  const { text, position } = atCursor(DECLARATIONS + marked);
  return complete(text, position).items.map((item) => item.label);
}

describe('completion', () => {
  const CASES: [string, string[], string[]][] = [
    ['@0 |', ['wait', 'expect'], ['until']],
    ['wait |', ['until'], ['client']],
    ['wait until |', ['client', 'server'], ['is']],
    ['wait until server |', ['is', 'received'], ['->', 'ok']],
    ['wait until server is |', ['CLOSE-WAIT', 'TIME-WAIT'], ['client']],
    ['wait until server is CLOSE-WAIT |', ['with'], []],
    ['wait until server is CLOSE-WAIT with |', ['client'], ['server']],
    ['expect client |', ['is', 'received', 'connect', 'send', 'receive', 'close', 'shutdown', '->'], []],
    ['expect client connect |', ['ok', 'failed'], ['ECONNREFUSED']],
    ['expect client connect failed |', ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'], ['ok']],
    ['@1s client |', ['set', 'shutdown'], []],
    ['@1s client shutdown |', ['read', 'write', 'both', 'with'], []],
    ['@1s client set |', ['linger', 'keepalive', 'user-timeout', 'rcvbuf', 'autoread'], ['msl', 'rto', 'mss']],
    ['@1s client set keepalive=|', ['on', 'off'], []],
    ['@1s client set linger=|', ['off'], []],
    ['endpoint peer 10.0.0.9 |', ['raw', 'isn'], []],
    ['endpoint peer 10.0.0.9 raw |', ['isn'], ['raw']],
    ['inject client -> server SYN |', ['mss', 'wscale', 'sackok', 'ts', 'sack', 'seq', 'none'], []],
    ['drop client -> server |', ['none'], ['mss', 'sackok']],
  ];
  for (const [marked, present, absent] of CASES) {
    test(marked, () => {
      const got = labels(marked);
      for (const label of present) assert.ok(got.includes(label), `${label} in ${got.join(' ')}`);
      for (const label of absent) assert.ok(!got.includes(label), `${label} not in ${got.join(' ')}`);
    });
  }

  test('NAME set offers exactly the socket options the settings table has', () => {
    const offered = labels('@1s client set |');
    assert.deepEqual(offered, runtimeSettings().map((s) => s.key));
    assert.ok(offered.length < SETTINGS.length);
  });

  test('sackok is inserted bare; the other options with =', () => {
    const { text, position } = atCursor(DECLARATIONS + 'inject client -> server SYN |');
    const items = complete(text, position).items;
    assert.equal(items.find((i) => i.label === 'sackok')?.insertText, undefined);
    assert.equal(items.find((i) => i.label === 'mss')?.insertText, 'mss=');
  });
});

describe('hover', () => {
  const at = (marked: string) => {
    const { text, position } = atCursor(DECLARATIONS + marked);
    return hover(text, position);
  };

  test('wait, until, and the state in a wait', () => {
    assert.equal(at('wa|it until server is CLOSE-WAIT')?.heading, 'wait');
    assert.equal(at('wait un|til server is CLOSE-WAIT')?.heading, 'until');
    const state = at('wait until server is CLOSE-W|AIT');
    assert.equal(state?.kind, 'state');
    assert.deepEqual(state?.breakOnState, { state: 'CLOSE-WAIT', endpoint: 'server' });
  });

  test('NAME set: the verb\'s own help, and each option with its socket option', () => {
    assert.match(at('@1s client s|et linger=0')?.paragraphs[0].template ?? '', /^NAME set key=value/);
    const option = at('@1s client set lin|ger=0');
    assert.equal(option?.heading, 'linger');
    assert.deepEqual(option?.paragraphs[1], { template: HOVER_PHRASES.socketOption, args: ['SO_LINGER'] });
  });

  test('an errno, a shutdown word, raw, a TCP option', () => {
    assert.equal(at('expect client connect failed ECONNREF|USED')?.heading, 'ECONNREFUSED');
    assert.equal(at('client shutdown re|ad')?.heading, 'read');
    assert.equal(at('endpoint peer 10.0.0.9 r|aw')?.heading, 'raw');
    assert.equal(at('inject client -> server SYN seq=0 sac|kok')?.heading, 'sackok');
    assert.equal(at('inject client -> server no|ne seq=0')?.heading, 'none');
  });

  test('the time of a statement after a wait says it counts from the wait', () => {
    const text = ['@1s client close', 'wait until server is CLOSE-WAIT', '+50ms server close', '@3s client send 1', '+1s client send 2'].join('\n');
    const relative = at(text.replace('+50ms', '+5|0ms'));
    assert.deepEqual(relative?.paragraphs[0], { template: HOVER_PHRASES.timeAfterWait, args: ['50ms', '6'] });
    const absolute = at(text.replace('@3s', '@|3s'));
    assert.deepEqual(absolute?.paragraphs[0], { template: HOVER_PHRASES.timeAbsoluteAfterWait, args: ['3s', '6'] });
    const later = at(text.replace('+1s', '+|1s'));
    assert.deepEqual(later?.paragraphs[0], { template: HOVER_PHRASES.timeLaterThan, args: ['4s', '6'] });
  });
});

describe('inlay hints and the outline after a wait', () => {
  const TEXT = [
    'endpoint client',
    'endpoint server',
    '@0   server listen',
    '+0   client connect server',
    '@1s  client close',
    'wait until server is CLOSE-WAIT',
    '+0   server close',
    '+50ms expect server is LAST-ACK',
    '@3s  client send 1',
    '+1s  client send 2',
  ].join('\n');

  test('+D after a wait: "wait (line N) + D"; after an @T that came after it: "@T or later"', () => {
    assert.deepEqual(
      absoluteTimeHints(TEXT).map((hint) => [hint.position.line, hint.label, hint.text?.template, hint.waitLine]),
      [
        [4, '@0', undefined, undefined],
        [7, 'wait (line 6) + 0', HOVER_PHRASES.hintAfterWait, 6],
        [8, 'wait (line 6) + 50ms', HOVER_PHRASES.hintAfterWait, 6],
        [10, '@4s or later', HOVER_PHRASES.hintOrLater, 6],
      ],
    );
  });

  test('the outline groups the statements after a wait by their time after it', () => {
    const outline = (symbols: ScenarioSymbol[]): unknown[] => symbols.map((s) => (s.children.length ? [s.name, outline(s.children)] : s.name));
    assert.deepEqual(outline(documentSymbols(TEXT)).slice(2), [
      ['@0', ['server listen', 'client connect server']],
      ['@1s', ['client close', 'wait until server is CLOSE-WAIT']],
      ['wait (line 6) + 0', ['server close']],
      ['wait (line 6) + 50ms', ['expect server is LAST-ACK']],
      ['@3s or later', ['client send 1']],
      ['@4s or later', ['client send 2']],
    ]);
  });
});

describe('formatting and navigation', () => {
  test('a wait takes its place in the time column; options and sack blocks stay glued', () => {
    const input = ['@1s client close', 'wait   until server is   CLOSE-WAIT', '+0 server   close', '@2s inject client -> server none seq=1 sack=1:2 , 3:4', '@3s client set  linger=0'].join('\n');
    assert.equal(
      formatText(input),
      [
        '@1s     client close',
        '        wait until server is CLOSE-WAIT',
        '+0      server close',
        '@2s     inject client -> server none seq=1 sack=1:2,3:4',
        '@3s     client set linger=0',
      ].join('\n'),
    );
  });

  test('names in waits, call expectations and `with PEER` are references (rename finds them)', () => {
    const text = 'endpoint client\nendpoint server\nwait until server is CLOSED with client\nexpect client connect ok\nserver close with client';
    const refs = referencesAt(text, { line: 1, column: 10 }, true).map((r) => r.line);
    assert.deepEqual(refs, [1, 3, 4, 5]);
  });
});
