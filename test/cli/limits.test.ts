// Every run is bounded and says so when it is cut: --max-events, --max-seconds, exit code 3, the
// trace document's `limit`, the diagram's note. Special and oversized files are refused.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { cli, hasStackTrace, scratch } from './run-cli';
import { MAX_SCENARIO_BYTES } from '../../src/run/read';
import { RUNAWAY } from '../fixtures/runaway';

describe('limits of a run', () => {
  const dir = scratch({ 'runaway.tcpscenario': RUNAWAY });
  const runaway = join(dir, 'runaway.tcpscenario');

  test('run: cut by --max-events, exit 3, the message names the option', () => {
    const result = cli(['run', '--max-events', '5000', runaway]);
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stdout, /^CUT .*runaway\.tcpscenario: the run was stopped after 5,000 events, its limit; raise it with --max-events N/m);
    assert.match(result.stderr, /runaway\.tcpscenario: error: the run was stopped after 5,000 events/);
    assert.match(result.stdout, /never checked: the run was cut before this line/);
  });

  test('trace: the document ends with `limit`, exit 3', () => {
    const result = cli(['trace', `--max-events=4000`, runaway]);
    assert.equal(result.code, 3);
    const doc = JSON.parse(result.stdout) as { events: unknown[]; limit?: { kind: string; value: number; message: string } };
    assert.equal(doc.events.length, 4000);
    assert.deepEqual({ ...doc.limit, message: undefined }, { kind: 'events', value: 4000, message: undefined });
    assert.match(doc.limit!.message, /--max-events/);
  });

  test('trace: cut by --max-seconds names it', () => {
    const result = cli(['trace', '--max-events', '1000000000', '--max-seconds', '0.3', runaway]);
    assert.equal(result.code, 3);
    const doc = JSON.parse(result.stdout) as { events: unknown[]; limit?: { kind: string; value: number } };
    assert.equal(doc.limit?.kind, 'seconds');
    assert.equal(doc.limit?.value, 0.3);
    assert.ok(doc.events.length > 0);
    assert.match(result.stderr, /after 0\.3 s of wall time, its limit; raise it with --max-seconds S/);
  });

  test('trace streams: the output is the same JSON as the whole document', () => {
    const file = join(import.meta.dirname, '..', '..', 'examples', '01-handshake.tcpscenario');
    const result = cli(['trace', file]);
    assert.equal(result.code, 0);
    const doc = JSON.parse(result.stdout) as object;
    assert.equal(result.stdout, `${JSON.stringify(doc, null, 2)}\n`);
    assert.ok(!('limit' in doc));
  });

  test('trace into a closed pipe ends quietly', () => {
    const out = execFileSync('bash', ['-c', `node dist/cli.js trace --max-events 200000 ${runaway} | head -c 100 >/dev/null; echo "\${PIPESTATUS[0]}"`], {
      cwd: join(import.meta.dirname, '..', '..'),
      encoding: 'utf8',
    });
    assert.match(out.trim(), /^(0|3)$/);
  });

  test('render: the SVG ends with a note of the limit, exit 3', () => {
    const out = join(dir, 'runaway.svg');
    const result = cli(['render', runaway, '--svg', out, '--max-events', '1500']);
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /stopped after 1,500 events, its limit; raise it with --max-events N; the diagram shows the run up to there/);
    assert.match(readFileSync(out, 'utf8'), /the run was stopped after 1,500 events/);
  });

  test('bad limit values are usage errors', () => {
    for (const args of [['--max-events', '0'], ['--max-events', '1.5'], ['--max-seconds', '-1'], ['--max-seconds', 'x'], ['--max-events']]) {
      const result = cli(['run', ...args, runaway]);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /--max-(events|seconds) expects a positive/);
    }
    assert.equal(cli(['render', runaway, '--svg', '-', '--max-events', 'lots']).code, 2);
  });
});

describe('files that are refused', () => {
  test('pipes, devices, directories: refused at once by every command', () => {
    const dir = scratch({});
    const fifo = join(dir, 'pipe.tcpscenario');
    execFileSync('mkfifo', [fifo]);
    const cases: [string, RegExp][] = [
      [fifo, /pipe\.tcpscenario: error: is not a regular file/],
      ['/dev/zero', /\/dev\/zero: error: is not a regular file/],
      [dir, /error: is a directory/],
    ];
    for (const [file, pattern] of cases) {
      for (const args of [['check', file], ['run', file], ['trace', file], ['render', file, '--svg', join(dir, 'x.svg')]]) {
        const result = cli(args);
        assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
        // check and run take a folder's scenarios: this one has none.
        const expected = file === dir && (args[0] === 'check' || args[0] === 'run') ? /no \.tcpscenario file in this folder/ : pattern;
        assert.match(result.stdout + result.stderr, expected, args.join(' '));
        assert.ok(!hasStackTrace(result.stderr));
      }
    }
  });

  test('a file over the size limit is refused', () => {
    const dir = scratch({ 'big.tcpscenario': '' });
    // A sparse file: its size is what is refused, before a byte is read.
    truncateSync(join(dir, 'big.tcpscenario'), MAX_SCENARIO_BYTES + 1);
    assert.equal(MAX_SCENARIO_BYTES, 16 * 1024 * 1024);
    for (const args of [['check'], ['render', '--svg', '-']]) {
      const result = cli([...args, join(dir, 'big.tcpscenario')]);
      assert.equal(result.code, 2);
      assert.match(result.stdout + result.stderr, /big\.tcpscenario: error: is too large for a scenario \(16777217 bytes; the limit is 16777216 bytes\)/);
    }
  });

  test('a long generated scenario (over the former 4 MiB limit) is checked', () => {
    const head = ['scenario "long"', 'endpoint client 10.0.0.1:49152', 'endpoint server 10.0.0.2:80', 'link client <-> server delay=10ms', '@0 server listen', '@0 client connect server'];
    const body = ['+1ms client send 100            # some data', '+1ms server receive 100', '     expect client -> server ACK', '# a comment line'];
    const lines = head.slice();
    while (lines.length < 170_000) lines.push(...body);
    const text = `${lines.join('\n')}\n`;
    assert.ok(text.length > 4 * 1024 * 1024);
    const dir = scratch({ 'long.tcpscenario': text });
    const result = cli(['check', join(dir, 'long.tcpscenario')]);
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0, result.stdout);
  });

  test('not UTF-8: the line and column of the first bad byte', () => {
    const dir = scratch({ 'bad.tcpscenario': Buffer.concat([Buffer.from('scenario "x"\nendpoint 客户'), Buffer.from([0xff]), Buffer.from('\n')]) });
    const result = cli(['check', join(dir, 'bad.tcpscenario')]);
    assert.equal(result.code, 2);
    assert.match(result.stdout, /bad\.tcpscenario:2:12: error: byte 0xFF is not valid UTF-8; save the file as UTF-8/);
  });
});
