// `tcpscenario import` as a user runs it (the built dist/cli.js): the scenario on stdout, what the
// replay shows on stderr, the exit codes, and files it refuses.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runScenarioText } from '../../src/run/run';
import { cli, hasStackTrace, ROOT, scratch } from './run-cli';
import { IMPORT_USAGE_LINES, INTEROP_CLI_MESSAGES as M } from '../../src/cli/interopMessages';
import { CLI_MESSAGES } from '../../src/cli/messages';
import { DIFFERENCE_TEMPLATES } from '../../src/interop/compareCapture';
import { CAPTURE_FORMAT_MESSAGES as F, CaptureFormatError, readCapture } from '../../src/interop/pcapRead';
import { readFileSync } from 'node:fs';
import { translatorFor } from '../../src/text/bundles';

const CAPTURES = join(ROOT, 'test', 'fixtures', 'captures');

describe('tcpscenario import CAPTURE', () => {
  test('a capture the linux profile replays: the scenario on stdout, exit 0', () => {
    const result = cli(['import', join(CAPTURES, 'close-on-eof', 'capture.pcap')]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^scenario "Imported: capture.pcap"$/m);
    assert.match(result.stdout, /^endpoint client 10\.0\.1\.1:49152 isn=\d+/m);
    assert.match(result.stderr, /imported 6 segments of 10\.0\.1\.1:49152 <-> 10\.0\.2\.1:80 \(captured on both sides; link delay [\d.]+ ms\)/);
    assert.match(result.stderr, /the linux profile replays the capture: 6 segments compared, no difference/);
    const replay = runScenarioText(result.stdout);
    assert.ok(replay.program, 'stdout is a scenario that compiles');
  });

  test('a capture it departs from: exit 1, and the first difference with its frame', () => {
    const result = cli(['import', join(CAPTURES, 'late-close', 'capture.pcap')]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /departs from the capture first at frame \d+: server -> client, segment 2 \(ACK seq=1 ack=2 len=0\): the kernel sent it at/);
    assert.ok(!hasStackTrace(result.stderr));
  });

  test('a difference in PSH alone is followed by the first one without it', () => {
    // A capture without PSH (this tool's export of an rfc-profile run): the linux profile's replay sets it.
    const dir = scratch({});
    const capture = join(dir, 'keepalive.pcapng');
    assert.equal(cli(['trace', join(ROOT, 'examples', '12-keepalive-crashed-client.tcpscenario'), '--pcap', capture]).code, 0);
    const result = cli(['import', capture]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /departs from the capture first at frame \d+: client -> server, segment 3: the kernel sent ACK seq=1 ack=1 len=5 at [\d.]+ ms; the simulation sent PSH,ACK seq=1 ack=1 len=5/);
    assert.match(result.stderr, /leaving PSH aside \(the first difference is PSH alone\): frame \d+: /);
  });

  test('what it refuses: no file, a directory, a text file, a broken capture, two files, an unknown option', () => {
    const dir = scratch({ 'notes.txt': 'hello\n', 'broken.pcap': Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0]) });
    const cases: [string[], RegExp][] = [
      [['import'], /import needs a FILE/],
      [['import', dir], /is a directory/],
      [['import', join(dir, 'notes.txt')], /not a pcap or pcapng capture, and not a packetdrill script/],
      [['import', join(dir, 'broken.pcap')], /pcap file header is cut short/],
      [['import', join(dir, 'missing.pcap')], /no such file/],
      [['import', 'a.pcap', 'b.pcap'], /import takes one FILE/],
      [['import', '--frob', 'a.pcap'], /unknown option '--frob'/],
    ];
    for (const [args, message] of cases) {
      const result = cli(args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
      assert.ok(!hasStackTrace(result.stderr));
    }
  });

  test('--help', () => {
    const result = cli(['import', '--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /Usage: tcpscenario import FILE/);
  });
});

/** A template said in a locale as a pattern: its placeholders match anything. */
function said(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\d+\}/g, '.+'));
}

describe('tcpscenario import in the locale of the messages', () => {
  const cn = translatorFor('zh-cn');
  const tw = translatorFor('zh-tw');
  const env = { LC_ALL: 'zh_CN.UTF-8', LANGUAGE: '' };

  test('zh_CN: what the replay shows, the first difference and the PSH note', () => {
    const same = join(CAPTURES, 'close-on-eof', 'capture.pcap');
    let result = cli(['import', same], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, said(cn.t(M.imported, same, cn.t(M.segmentsOther, 6), '{2}', '{3}', cn.t(M.capturedBoth), '{5}')));
    assert.ok(result.stderr.includes(cn.t(M.replayMatches, same, cn.t(M.segmentsOther, 6))), result.stderr);
    const late = join(CAPTURES, 'late-close', 'capture.pcap');
    result = cli(['import', late], env);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, said(cn.t(M.replayDiffers, late, '{1}', cn.t(DIFFERENCE_TEMPLATES['segment-time']))));
    // The segment as it is written in the scenario language, whatever the locale.
    assert.ok(result.stderr.includes('ACK seq=1 ack=2 len=0'), result.stderr);
    const dir = scratch({});
    const capture = join(dir, 'keepalive.pcapng');
    assert.equal(cli(['trace', join(ROOT, 'examples', '12-keepalive-crashed-client.tcpscenario'), '--pcap', capture]).code, 0);
    result = cli(['import', capture], env);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, said(cn.t(M.replayDiffers, capture, '{1}', cn.t(DIFFERENCE_TEMPLATES.segment))));
    assert.match(result.stderr, said(cn.t(M.withoutPshFrame, capture, '{1}', '{2}')));
    for (const english of ['imported', 'departs', 'the kernel', 'the simulation', 'leaving PSH', 'segment', 'frame']) assert.ok(!result.stderr.includes(english), `${english}: ${result.stderr}`);
  });

  test('zh_CN, zh_TW: a capture cut short, said in the locale with the byte at fault', () => {
    const whole = readFileSync(join(CAPTURES, 'close-on-eof', 'capture.pcap'));
    const dir = scratch({ 'cut.pcap': whole.subarray(0, whole.length - 3), 'header.pcap': whole.subarray(0, 20) });
    for (const [name, template] of [['cut.pcap', F.recordDataShort], ['header.pcap', F.pcapHeaderShort]] as const) {
      const file = join(dir, name);
      // The reader's own error (its arguments and offset), said through the bundles.
      let error: CaptureFormatError | undefined;
      try {
        readCapture(readFileSync(file));
      } catch (e) {
        if (e instanceof CaptureFormatError) error = e;
      }
      assert.equal(error?.template, template);
      for (const [locale, tr] of [[env, cn], [{ LC_ALL: 'zh_TW.UTF-8', LANGUAGE: '' }, tw]] as const) {
        const result = cli(['import', file], locale);
        assert.equal(result.code, 2, result.stderr);
        const expected = tr.t(F.atByte, tr.t(template, ...error!.args), error!.offset);
        assert.notEqual(tr.t(template), template, `${tr.locale} lacks ${template}`);
        assert.ok(result.stderr.includes(`${file}: error: ${expected}`), `${tr.locale}: ${result.stderr}`);
        assert.ok(!/cut short|at byte/.test(result.stderr), result.stderr);
      }
    }
  });

  test('zh_CN: refusals and usage errors; zh_TW: --help', () => {
    const dir = scratch({ 'notes.txt': 'hello\n' });
    const cases: [string[], string][] = [
      [['import'], cn.t(M.importUsageError, cn.t(M.importNeedsFile))],
      [['import', join(dir, 'notes.txt')], cn.t(M.notCapture)],
      [['import', 'a.pcap', 'b.pcap'], cn.t(M.importUsageError, cn.t(M.importOneFile))],
      [['import', '--frob', 'a.pcap'], cn.t(M.importUsageError, cn.t(CLI_MESSAGES.unknownOption, '--frob'))],
      [['import', '--max-events', '1.5', 'a.pcap'], cn.t(M.importUsageError, cn.t(CLI_MESSAGES.positiveWholeNot, '--max-events', '1.5'))],
    ];
    for (const [args, message] of cases) {
      const result = cli(args, env);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.ok(result.stderr.includes(message), `${args.join(' ')}: ${result.stderr}`);
    }
    const help = cli(['import', '--help'], { LC_ALL: 'zh_TW.UTF-8', LANGUAGE: '' });
    assert.equal(help.code, 0);
    for (const line of IMPORT_USAGE_LINES) assert.ok(help.stdout.includes(tw.t(line)), line);
    assert.ok(!help.stdout.includes('Prints a .tcpscenario'));
  });
});
