// The command line in the user's language (issue 14): messages follow LC_ALL / LC_MESSAGES / LANG /
// LANGUAGE; what machines read (trace JSON, exit codes, FILE:LINE:COL: error: prefixes, the [code],
// the PASS / FAIL word) stays the same in every language. And `run --ladder --explain` (issue 15).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIAGRAM_TRUNCATED } from '../../src/diagram/degrade';
import { RULES } from '../../src/engine/rules';
import { BADGE, LEGEND_TEXT, TIMER_LABEL } from '../../src/diagram/labels';
import { DRAWING_WORDS } from '../../src/diagram/words';
import { translatorFor } from '../../src/text/bundles';
import { RUNAWAY } from '../fixtures/runaway';
import { cli, ROOT, scratch } from './run-cli';

const TEARDOWN = join(ROOT, 'examples', '02-four-way-teardown.tcpscenario');
const ENGLISH_ENV = { LANG: 'C', LC_ALL: undefined, LC_MESSAGES: undefined, LANGUAGE: undefined };
const TW = { ...ENGLISH_ENV, LANG: 'zh_TW.UTF-8' };
const CN = { ...ENGLISH_ENV, LC_ALL: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' };

const BROKEN = `endpoint client 10.0.0.1:49152
endpoint server 10.0.0.2:80
@0 server lisen
`;

describe('tcpscenario speaks the locale', () => {
  test('LANG=zh_TW.UTF-8: results and the ladder in Traditional Chinese, the result word kept', () => {
    const result = cli(['run', '--ladder', TEARDOWN], TW);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^PASS .*02-four-way-teardown\.tcpscenario：\d+ 個期望均成立$/m);
    assert.match(result.stdout, /（profile rfc）/);
    assert.doesNotMatch(result.stdout, /expectations held/);
  });

  test('LC_ALL=zh_CN.UTF-8 wins over LANG: a diagnostic keeps its FILE:LINE:COL: error: prefix and [code]', () => {
    const dir = scratch({ 'bad.tcpscenario': BROKEN });
    const file = join(dir, 'bad.tcpscenario');
    const result = cli(['check', file], CN);
    assert.equal(result.code, 2);
    const line = result.stdout.split('\n').find((l) => l.startsWith(`${file}:3:11: error: `));
    assert.ok(line, result.stdout);
    assert.match(line, /\[unknown-action\]$/);
    assert.doesNotMatch(line, /unknown action/, 'the message itself is translated');
    assert.match(result.stderr, /1 个错误/);
  });

  test('usage errors and --help in the locale', () => {
    const usage = cli(['run', '--frobnicate', TEARDOWN], TW);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /未知的選項 '--frobnicate'/);
    const help = cli(['--help'], CN);
    assert.match(help.stdout, /^用法：tcpscenario <命令> \[选项\] FILE\.\.\./m);
    assert.match(help.stdout, /--explain/);
  });

  test('LANGUAGE, a priority list, comes first (unless the locale is C)', () => {
    assert.match(cli(['--help'], { ...ENGLISH_ENV, LANG: 'en_US.UTF-8', LANGUAGE: 'zh_TW:en' }).stdout, /^用法：/m);
    assert.match(cli(['--help'], { ...ENGLISH_ENV, LANG: 'C', LANGUAGE: 'zh_TW' }).stdout, /^Usage: /m);
  });

  test('many files on worker threads: each file\'s lines and the summary in the locale', () => {
    const files = ['01-handshake', '02-four-way-teardown', '07-simultaneous-open', '09-half-close'].map((name) => join(ROOT, 'examples', `${name}.tcpscenario`));
    const result = cli(['run', ...files], { ...TW, TCPSCENARIO_WORKERS: '2' });
    assert.equal(result.code, 0, result.stderr);
    const passes = result.stdout.split('\n').filter((line) => line.startsWith('PASS '));
    assert.equal(passes.length, files.length, result.stdout);
    for (const line of passes) assert.match(line, /個期望均成立$/, line);
    // Where they ran is said when the worker was ready before the main thread had run them all.
    assert.match(result.stdout, /^4 個通過，0 個失敗（共 4 個檔案(；主執行緒與 1 個工作執行緒：\d+ \+ \d+ 個檔案)?）$/m);
  });

  test('files that did run on a worker (its own bundle, dist/cliWorker.js): the same report, in the locale', () => {
    // Two runaway files first, each cut after 2 s (--max-seconds): the main thread is busy for 4 s
    // at least, so the worker starts and takes files, however loaded the machine.
    const dir = scratch({ 'a-runaway.tcpscenario': RUNAWAY, 'b-runaway.tcpscenario': RUNAWAY });
    const quick = ['01-handshake', '02-four-way-teardown', '07-simultaneous-open', '09-half-close'].map((name) => join(ROOT, 'examples', `${name}.tcpscenario`));
    const files = [join(dir, 'a-runaway.tcpscenario'), join(dir, 'b-runaway.tcpscenario'), ...quick, ...quick];
    const result = cli(['run', '--max-seconds', '2', '--max-events', '1000000000', ...files], { ...TW, TCPSCENARIO_WORKERS: '2' });
    assert.equal(result.code, 3, result.stderr);
    const where = /（共 10 個檔案；主執行緒與 1 個工作執行緒：(\d+) \+ (\d+) 個檔案）$/m.exec(result.stdout);
    assert.ok(where, result.stdout);
    assert.ok(Number(where[2]) >= 1, 'a worker ran files');
    assert.equal(Number(where[1]) + Number(where[2]), 10);
    // Each file's report, in the order of the files, translated wherever it ran.
    const passes = result.stdout.split('\n').filter((line) => line.startsWith('PASS '));
    assert.deepEqual(passes.map((line) => /examples\/(\d+)/.exec(line)?.[1]), ['01', '02', '07', '09', '01', '02', '07', '09']);
    for (const line of passes) assert.match(line, /個期望均成立$/, line);
  });

  test('English stays the default', () => {
    assert.match(cli(['run', TEARDOWN], ENGLISH_ENV).stdout, /^PASS .*: \d+ expectations held$/m);
    assert.match(cli(['run', TEARDOWN], { ...ENGLISH_ENV, LANG: 'fr_FR.UTF-8' }).stdout, /expectations held/);
  });

  test('the trace JSON and the exit codes are the same in every language', () => {
    const english = cli(['trace', TEARDOWN], ENGLISH_ENV);
    const chinese = cli(['trace', TEARDOWN], TW);
    assert.equal(chinese.code, english.code);
    assert.equal(chinese.stdout, english.stdout);
    const doc = JSON.parse(chinese.stdout) as { rules: Record<string, { summary: string }> };
    for (const [id, rule] of Object.entries(doc.rules)) assert.equal(rule.summary, RULES[id as keyof typeof RULES].summary, 'rules stay English in the trace');
  });
});

describe('tcpscenario render in the locale', () => {
  const LOST = join(ROOT, 'examples', '03-time-wait-lost-ack.tcpscenario');

  test('the SVG\'s legend, title line and tooltips in Traditional Chinese; English by default', () => {
    const tw = translatorFor('zh-tw');
    const chinese = cli(['render', LOST, '--svg', '-'], TW);
    assert.equal(chinese.code, 0, chinese.stderr);
    const english = cli(['render', LOST, '--svg', '-'], ENGLISH_ENV);
    assert.equal(english.code, 0, english.stderr);
    // The run loses a segment: the legend has the lost segment's entry, said in each language.
    assert.ok(english.stdout.includes(`>${LEGEND_TEXT.lost}</text>`), 'English legend');
    assert.ok(chinese.stdout.includes(`>${tw.t(LEGEND_TEXT.lost)}</text>`), 'Chinese legend');
    assert.ok(!chinese.stdout.includes(LEGEND_TEXT.lost));
    assert.ok(chinese.stdout.includes(tw.t(DRAWING_WORDS.subtitleRelative, 'rfc')), 'title line');
    // Tooltips (<title>) name their fields in the locale.
    assert.match(chinese.stdout, new RegExp(`<title>[^<]*${tw.t('sent at')}[:：]`));
    // Inside the ladder: the timer labels and the badges (issue 14).
    assert.ok(english.stdout.includes(`>${TIMER_LABEL.retransmission} 1 s</text>`) && english.stdout.includes(`>${BADGE.retransmission}</tspan>`), 'English timer label and badge');
    assert.ok(chinese.stdout.includes(`>${tw.t(TIMER_LABEL.retransmission)} 1 s</text>`), 'the timer label in Traditional Chinese');
    assert.ok(chinese.stdout.includes(`>${tw.t(BADGE.retransmission)}</tspan>`) && !chinese.stdout.includes(`>${BADGE.retransmission}</tspan>`), 'the badge in Traditional Chinese');
  });

  test('a run too long to draw: the note drawn into the SVG in the locale, as the warning is', () => {
    const tw = translatorFor('zh-tw');
    const dir = scratch({
      'long.tcpscenario': 'scenario "long"\nendpoint client 10.0.0.1:1000\nendpoint server 10.0.0.2:80\nlink client <-> server delay=1ms\n@0 server listen\n@0 client connect server\n+10ms client send 20000000\n',
    });
    const out = join(dir, 'long.svg');
    const result = cli(['render', join(dir, 'long.tcpscenario'), '--svg', out], TW);
    assert.equal(result.code, 0, result.stderr);
    const svg = readFileSync(out, 'utf8');
    const said = /序列圖只顯示 ([\d,]+) 個事件中的前 ([\d,]+) 個/.exec(svg);
    assert.ok(said, 'the note in Traditional Chinese');
    assert.ok(svg.includes(tw.t(DIAGRAM_TRUNCATED, said[2], said[1])));
    assert.ok(!svg.includes('the rest is not drawn'), 'no English note');
  });
});

describe('tcpscenario run --ladder --explain', () => {
  test('every arrow and state change of the ladder names its rule or its line', () => {
    const result = cli(['run', '--ladder', '--explain', TEARDOWN], ENGLISH_ENV);
    assert.equal(result.code, 0);
    const rows = result.stdout.split('\n').filter((l) => /[-<]-.*-[->X]|\* [A-Z-]+/.test(l));
    assert.ok(rows.length >= 8, result.stdout);
    for (const row of rows) assert.match(row, /(RFC \d+ [\d.()]+(, Figure \d+)?: .+|line \d+)$/, row);
    assert.ok(result.stdout.includes(`RFC 9293 3.10.7.4: ${RULES['rfc9293.3.10.7.4.fin.time-wait'].summary}`), result.stdout);
  });

  test('in Traditional Chinese, the summaries too', () => {
    const result = cli(['run', '--ladder', '--explain', TEARDOWN], TW);
    const summary = translatorFor('zh-tw').t(RULES['rfc9293.3.10.7.4.fin.time-wait'].summary);
    assert.ok(result.stdout.includes(`RFC 9293 3.10.7.4：${summary}`), result.stdout);
  });

  test('--explain without --ladder is a usage error', () => {
    const result = cli(['run', '--explain', TEARDOWN], ENGLISH_ENV);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--explain goes with --ladder/);
  });
});
