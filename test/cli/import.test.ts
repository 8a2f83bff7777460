// `tcpscenario import` as a user runs it (the built dist/cli.js): the scenario on stdout, what the
// replay shows on stderr, the exit codes, and files it refuses.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runScenarioText } from '../../src/run/run';
import { cli, hasStackTrace, ROOT, scratch } from './run-cli';

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
