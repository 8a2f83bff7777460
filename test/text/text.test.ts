// src/text: how trace facts are written (one way, everywhere), translation from the l10n bundles,
// and the rules that explain events.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RULES } from '../../src/engine/rules';
import type { TraceEvent } from '../../src/engine/trace';
import { translatorFor } from '../../src/text/bundles';
import { explain, ruleUses } from '../../src/text/explain';
import { flagLabel, flagsText, formatTime, formatTimeCompact, labelOf, NO_FLAGS, relativeSeq, SequenceBases, seqWithAbsolute } from '../../src/text/format';
import { ENGLISH, fill, localeFromEnv, localeOf, message, translator } from '../../src/text/translate';

describe('trace facts, written one way', () => {
  test('relative numbers use sequence arithmetic: just below the ISN is negative, across the wrap is small', () => {
    assert.equal(relativeSeq(90, 100), -10);
    assert.equal(relativeSeq(101, 100), 1);
    assert.equal(relativeSeq(5, 4294967290), 11, 'across 2^32');
    assert.equal(relativeSeq(4294967286, 0), -10);
    assert.equal(seqWithAbsolute(90, 100, 'relative'), '-10 (absolute 90)');
    assert.equal(seqWithAbsolute(90, 100, 'absolute'), '90');
  });

  test('ISNs are learnt from SYNs per direction; seq from the sender\'s, ack from the receiver\'s', () => {
    const bases = new SequenceBases();
    const syn = { from: 'c', to: 's', flags: ['SYN'], seq: 100, ack: 0, len: 0 } as const;
    const synAck = { from: 's', to: 'c', flags: ['SYN', 'ACK'], seq: 300, ack: 101, len: 0 } as const;
    const old = { from: 'c', to: 's', flags: ['ACK'], seq: 90, ack: 301, len: 0 } as const;
    for (const s of [syn, synAck]) bases.learn(s);
    assert.equal(labelOf(synAck, 'relative', bases), 'SYN,ACK seq=0 ack=1 len=0');
    assert.equal(labelOf(old, 'relative', bases), 'ACK seq=-10 ack=1 len=0');
    assert.equal(labelOf(old, 'absolute', bases), 'ACK seq=90 ack=301 len=0');
    assert.equal(labelOf(old), 'ACK seq=90 ack=301 len=0');
    // A direction whose SYN was not seen stays absolute.
    assert.equal(labelOf({ ...old, from: 'x' }, 'relative', bases), 'ACK seq=90 ack=301 len=0');
  });

  test('flags: ACK last, one spelling of none, the label cached by the engine\'s flag mask', () => {
    assert.equal(flagLabel(['SYN', 'ACK']), 'SYN,ACK');
    assert.equal(flagLabel(['ACK', 'FIN']), 'FIN,ACK');
    assert.equal(flagsText([]), NO_FLAGS);
    assert.equal(labelOf({ from: 'a', to: 'b', flags: [], seq: 1, ack: 0, len: 3 }), `${NO_FLAGS} seq=1 len=3`);
    assert.equal(flagLabel(['ACK', 'SYN']), flagLabel(['SYN', 'ACK']), 'same set, same label whatever the order');
    assert.equal(flagLabel(['SYN', 'XYZ']), 'SYN', 'an unknown flag is not cached as SYN');
  });

  test('times: one formatter, SI symbols', () => {
    assert.deepEqual([0, 0.5, 130, 1250, 60_000, 240_020, 241_125].map(formatTime), ['0 ms', '0.5 ms', '130 ms', '1.25 s', '1 min', '4 min 0.02 s', '4 min 1.125 s']);
    assert.equal(formatTime(-20), '-20 ms');
    assert.equal(formatTimeCompact(240_020), '4min0.02s');
  });
});

describe('translation from the l10n bundles', () => {
  test('locale tags: Simplified, Traditional, else English', () => {
    for (const tag of ['zh-cn', 'zh-CN', 'zh_CN.UTF-8', 'zh-Hans', 'zh-SG', 'zh']) assert.equal(localeOf(tag), 'zh-cn', tag);
    for (const tag of ['zh-tw', 'zh-TW', 'zh_TW.UTF-8', 'zh-Hant', 'zh-HK', 'zh_HK.Big5', 'zh-Hant-TW']) assert.equal(localeOf(tag), 'zh-tw', tag);
    for (const tag of [undefined, '', 'en', 'en-US', 'fr', 'C', 'ja-JP']) assert.equal(localeOf(tag), 'en', String(tag));
  });

  test('the environment, as gettext reads it', () => {
    assert.equal(localeFromEnv({}), 'en');
    assert.equal(localeFromEnv({ LANG: 'zh_TW.UTF-8' }), 'zh-tw');
    assert.equal(localeFromEnv({ LANG: 'en_US.UTF-8', LC_ALL: 'zh_CN.UTF-8' }), 'zh-cn', 'LC_ALL wins over LANG');
    assert.equal(localeFromEnv({ LANG: 'zh_CN.UTF-8', LC_MESSAGES: 'en_US.UTF-8' }), 'en', 'LC_MESSAGES wins over LANG');
    assert.equal(localeFromEnv({ LANG: 'en_US.UTF-8', LANGUAGE: 'zh_TW:en' }), 'zh-tw', 'LANGUAGE first');
    assert.equal(localeFromEnv({ LANG: 'zh_CN.UTF-8', LANGUAGE: 'fr:en' }), 'en', 'the first supported entry of LANGUAGE');
    assert.equal(localeFromEnv({ LANG: 'C', LANGUAGE: 'zh_TW' }), 'en', 'LANGUAGE is ignored under the C locale');
  });

  test('templates are filled; phrases and nested messages are translated; English passes through', () => {
    const tr = translator('zh-cn', { 'must be {0}': '必须是{0}', 'a string': '字符串', 'or {0}': '或{0}' });
    assert.equal(tr.t('must be {0}', 'x'), '必须是x');
    assert.equal(tr.t('must be {0}', message('a string')), '必须是字符串');
    assert.equal(tr.message(message('must be {0}', 'a string')), '必须是字符串', 'a phrase argument');
    assert.equal(tr.message(message('must be {0}', 'client')), '必须是client', 'a name is not a phrase');
    assert.equal(tr.t('not in the bundle {0}', 1), 'not in the bundle 1');
    assert.equal(ENGLISH.t('must be {0}', message('or {0}', 'x')), 'must be or x');
    assert.equal(fill('{0} {1} {2}', ['a', 2]), 'a 2 {2}');
  });

  test('the bundled translators read the same bundles VS Code reads', () => {
    assert.equal(translatorFor('zh-cn').t('Sequence Diagram'), '时序图');
    assert.equal(translatorFor('zh-tw').t('Sequence Diagram'), '時序圖');
    assert.equal(translatorFor('en').t('Sequence Diagram'), 'Sequence Diagram');
  });
});

describe('rules explain events', () => {
  const events: TraceEvent[] = [
    { t: 0, kind: 'app', endpoint: 'c', call: 'connect', line: 3 },
    { t: 0, kind: 'transition', endpoint: 'c', from: 'CLOSED', to: 'SYN-SENT', cause: 'connect', rule: 'rfc9293.3.10.1.open.active', line: 3 },
    { t: 0, kind: 'send', id: 's1', from: 'c', to: 's', flags: ['SYN'], seq: 1, ack: 0, len: 0, wnd: 100, retransmission: false, rule: 'rfc9293.3.10.1.open.active' },
    { t: 0, kind: 'timer', endpoint: 'c', name: 'retransmission', action: 'start', rule: 'rfc6298.5.1' },
    { t: 1, kind: 'timer', endpoint: 'c', name: 'retransmission', action: 'fire', rule: 'rfc6298.5.4' },
    { t: 1, kind: 'send', id: 's2', from: 'c', to: 's', flags: ['SYN'], seq: 1, ack: 0, len: 0, wnd: 100, retransmission: true, rule: 'rfc6298.5.4' },
    { t: 1, kind: 'note', message: 'a rule nobody knows', rule: 'no.such.rule' },
  ];

  test('an event is explained by its rule, else its line, else nothing', () => {
    assert.deepEqual(explain(events[1]), { kind: 'rule', id: 'rfc9293.3.10.1.open.active', rule: RULES['rfc9293.3.10.1.open.active'] });
    assert.deepEqual(explain(events[0]), { kind: 'line', line: 3 });
    assert.equal(explain(events[3])?.kind, 'rule');
    assert.equal(explain({ rule: 'no.such.rule' }), undefined);
    const own = { source: 'S', summary: 'from the document', url: 'u' };
    assert.deepEqual(explain({ rule: 'doc.only' }, { 'doc.only': own }), { kind: 'rule', id: 'doc.only', rule: own });
  });

  test('the rules a trace used, in order of first use, with counts, first events and lines', () => {
    const uses = ruleUses(events);
    assert.deepEqual(
      uses.map((u) => [u.id, u.count, u.first, u.line]),
      [
        ['rfc9293.3.10.1.open.active', 2, 1, 3],
        ['rfc6298.5.1', 1, 3, 3],
        ['rfc6298.5.4', 2, 4, 3],
      ],
    );
  });
});
