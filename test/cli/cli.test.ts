import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, hasStackTrace, ROOT, scratch } from './run-cli';

const GOOD = `scenario "handshake"
endpoint client 10.0.0.1:49152 isn=100
endpoint server 10.0.0.2:80 isn=300
@0 server listen
@0 client connect server
@20ms expect client is ESTABLISHED
@30ms expect server is ESTABLISHED
`;

// One expectation that holds and one that cannot (the server is not ESTABLISHED at 20 ms).
const FAILING = `endpoint client 10.0.0.1:49152 isn=100
endpoint server 10.0.0.2:80 isn=300
@0 server listen
@0 client connect server
@20ms expect client is ESTABLISHED
      expect server is ESTABLISHED
`;

// Five mistakes on five lines, with good lines between them.
const MANY_ERRORS = `endpoint client 10.0.0.1:49152
endpoint server 10.0.0.2:80
@0 server lisen
@0 sever listen
@5 client connect server
expect client is TIME_WAITING
drop client -> server FIN,AKC once
`;

const CHINESE = `# 中文場景
endpoint 客戶端 10.0.0.1:50000 isn=1000
endpoint 服務器 10.0.0.2:80 isn=5000
@0 服務器 listen
@0 客戶端 connect 服務器
@20ms expect 客戶端 is ESTABLISHED
@30ms expect 服務器 is ESTABLISHD
`;

describe('tcpscenario command line', () => {
  test('--help and --version', () => {
    const help = cli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: tcpscenario <command>/);
    assert.match(help.stdout, /check FILE/);
    const version = cli(['--version']);
    assert.equal(version.code, 0);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(version.stdout.trim(), `tcpscenario ${pkg.version}`);
  });

  for (const [args, pattern] of [
    [[], /missing command/],
    [['frobnicate', 'x'], /unknown command 'frobnicate'/],
    [['check'], /check needs a FILE/],
    [['run', '--bogus', 'x'], /unknown option '--bogus'/],
    [['run', '--profile', 'bsd', 'x'], /--profile expects rfc or linux, not 'bsd'/],
    [['trace', 'a', 'b'], /trace takes one FILE/],
  ] as [string[], RegExp][]) {
    test(`bad command line: ${JSON.stringify(args)} exits 2 with a message`, () => {
      const result = cli(args);
      assert.equal(result.code, 2);
      assert.match(result.stderr, pattern);
      assert.ok(!hasStackTrace(result.stderr), result.stderr);
    });
  }

  test('check: a good file prints nothing and exits 0', () => {
    const dir = scratch({ 'good.tcpscenario': GOOD });
    const result = cli(['check', join(dir, 'good.tcpscenario')]);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, '');
  });

  test('check: every mistake of a file is reported at once, as FILE:LINE:COL: error: message', () => {
    const dir = scratch({ 'bad.tcpscenario': MANY_ERRORS });
    const file = join(dir, 'bad.tcpscenario');
    const result = cli(['check', file]);
    assert.equal(result.code, 2);
    assert.deepEqual(result.stdout.trim().split('\n'), [
      `${file}:3:11: error: unknown action 'lisen'; did you mean listen? [unknown-action]`,
      `${file}:4:4: error: unknown endpoint 'sever'; did you mean server? [undeclared-endpoint]`,
      `${file}:5:2: error: '5' has no time unit; did you mean 5ms? [missing-unit]`,
      `${file}:6:18: error: unknown state 'TIME_WAITING'; did you mean TIME-WAIT? [unknown-state]`,
      `${file}:7:27: error: unknown flag 'AKC'; did you mean ACK? [unknown-flag]`,
    ]);
    assert.match(result.stderr, /5 errors, 0 warnings/);
  });

  test('check: a file written in Chinese gets columns in UTF-16 code units', () => {
    const dir = scratch({ '中文.tcpscenario': CHINESE });
    const file = join(dir, '中文.tcpscenario');
    const result = cli(['check', file]);
    assert.equal(result.code, 2);
    assert.equal(result.stdout.trim(), `${file}:7:21: error: unknown state 'ESTABLISHD'; did you mean ESTABLISHED? [unknown-state]`);
  });

  test('check: several files, warnings alone exit 0', () => {
    const dir = scratch({ 'a.tcpscenario': GOOD, 'w.tcpscenario': 'endpoint a\nendpoint b\nexpect a is ESTABLISHED\n' });
    const result = cli(['check', join(dir, 'a.tcpscenario'), join(dir, 'w.tcpscenario')]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /w\.tcpscenario:3:8: warning: 'a' never listens, connects or sends/);
  });

  test('bad input is a clear message, never a stack trace', () => {
    const dir = scratch({
      'binary.tcpscenario': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02]),
      'latin1.tcpscenario': Buffer.from([0x65, 0x6e, 0x64, 0x70, 0x6f, 0x69, 0x6e, 0x74, 0x20, 0xe9, 0x0a]),
      'empty.tcpscenario': '',
    });
    const cases: [string, RegExp, number][] = [
      [join(dir, 'missing.tcpscenario'), /missing\.tcpscenario: error: no such file/, 2],
      [join(dir, 'binary.tcpscenario'), /binary\.tcpscenario:1:5: error: a NUL byte: this is a binary file/, 2],
      [join(dir, 'latin1.tcpscenario'), /latin1\.tcpscenario:1:10: error: byte 0xE9 is not valid UTF-8/, 2],
      [join(dir, 'empty.tcpscenario'), /empty\.tcpscenario:1:1: warning: the scenario has no statements/, 0],
    ];
    for (const [file, pattern, code] of cases) {
      for (const command of ['check', 'run', 'trace']) {
        const result = cli([command, file]);
        const output = result.stdout + result.stderr;
        assert.equal(result.code, command === 'check' || code === 2 ? code : 0, `${command} ${file}: ${output}`);
        assert.match(output, pattern, `${command} ${file}`);
        assert.ok(!hasStackTrace(output), output);
      }
    }
  });

  test('run: every expectation held exits 0', () => {
    const dir = scratch({ 'good.tcpscenario': GOOD });
    const result = cli(['run', join(dir, 'good.tcpscenario')]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^PASS .*good\.tcpscenario: 2 expectations held$/m);
  });

  test('run: a failed expectation exits 1 and says where, what was expected and what happened', () => {
    const dir = scratch({ 'fail.tcpscenario': FAILING });
    const file = join(dir, 'fail.tcpscenario');
    const result = cli(['run', file]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^FAIL .*fail\.tcpscenario: 1 of 2 expectations failed$/m);
    assert.ok(result.stdout.includes(`${file}:6: expect server is ESTABLISHED (at 20 ms)`), result.stdout);
    assert.match(result.stdout, /expected: ESTABLISHED\n\s+actual:\s+SYN-RECEIVED/);
  });

  test('run and check of a folder: its .tcpscenario files and its subfolders\' in path order, not hidden folders or other files', () => {
    const dir = scratch({ 'b.tcpscenario': GOOD, 'a/failing.tcpscenario': FAILING, '.git/x.tcpscenario': MANY_ERRORS, 'node_modules/y.tcpscenario': MANY_ERRORS, 'notes.txt': 'not a scenario' });
    const run = cli(['run', dir]);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const results = run.stdout.split('\n').filter((line) => /^(PASS|FAIL|ERROR) /.test(line));
    assert.deepEqual(results.map((line) => line.slice(0, line.indexOf(':'))), [`FAIL ${join(dir, 'a', 'failing.tcpscenario')}`, `PASS ${join(dir, 'b.tcpscenario')}`]);
    assert.match(run.stdout, /1 passed, 1 failed \(2 files/);
    const check = cli(['check', dir, join(dir, 'notes.txt')]);
    assert.equal(check.code, 2, 'a file named on the command line is read whatever its name');
    assert.doesNotMatch(check.stdout + check.stderr, /x\.tcpscenario|y\.tcpscenario/);
    const empty = scratch({ 'notes.txt': 'x' });
    const none = cli(['run', empty]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no \.tcpscenario file in this folder or its subfolders/);
    assert.match(cli(['trace', dir]).stderr, /error: is a directory/);
  });

  test('run: a file with errors exits 2 and the others still run', () => {
    const dir = scratch({ 'good.tcpscenario': GOOD, 'bad.tcpscenario': MANY_ERRORS });
    const result = cli(['run', join(dir, 'bad.tcpscenario'), join(dir, 'good.tcpscenario')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /bad\.tcpscenario:3:11: error: unknown action 'lisen'/);
    assert.match(result.stdout, /^ERROR .*bad\.tcpscenario: not run/m);
    assert.match(result.stdout, /^PASS .*good\.tcpscenario/m);
  });

  test('run and check of many files: on the main thread and worker threads, one per core; the output in the order of the files; it says how many ran where', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 9; i++) files[`f${i}.tcpscenario`] = i === 4 ? MANY_ERRORS : i === 6 ? FAILING : GOOD;
    const dir = scratch(files);
    const paths = Object.keys(files).map((name) => join(dir, name));
    const run = cli(['run', ...paths]);
    assert.equal(run.code, 2);
    const reported = run.stdout.split('\n').filter((line) => /^(PASS|FAIL|ERROR) /.test(line)).map((line) => /f(\d)\.tcpscenario/.exec(line)?.[1]);
    assert.deepEqual(reported, ['0', '1', '2', '3', '4', '5', '6', '7', '8'], 'one report per file, in order');
    assert.match(run.stdout, /^ERROR .*f4\.tcpscenario: not run/m);
    assert.match(run.stdout, /^FAIL .*f6\.tcpscenario/m);
    const summary = /^7 passed, 1 failed, 1 with errors \(9 files(?:; the main thread and (\d+) worker threads?: ([\d +]+) files)?\)$/m.exec(run.stdout);
    assert.ok(summary, run.stdout);
    if (summary[1] !== undefined) {
      // More than one core and a worker ready in time: the files were shared out, and every one ran once.
      const counts = summary[2].split(' + ').map(Number);
      assert.equal(counts.length, Number(summary[1]) + 1);
      assert.equal(counts.reduce((a, b) => a + b, 0), 9);
    }
    const check = cli(['check', ...paths]);
    assert.equal(check.code, 2);
    assert.match(check.stdout, /f4\.tcpscenario:3:11: error: unknown action 'lisen'/);
  });

  test('run --ladder draws arrows with flags, seq, ack and len, and the states', () => {
    const dir = scratch({ 'good.tcpscenario': GOOD });
    const result = cli(['run', '--ladder', join(dir, 'good.tcpscenario')]);
    assert.equal(result.code, 0);
    const lines = result.stdout.split('\n');
    assert.match(lines[1], /^\s+client\s+server$/);
    assert.ok(lines.some((l) => /\|-+ SYN seq=0 len=0 -+>\s*\|/.test(l)), result.stdout);
    assert.ok(lines.some((l) => /\|<-+ SYN,ACK seq=0 ack=1 len=0 -+\s*\|/.test(l)), result.stdout);
    assert.ok(lines.some((l) => /\* SYN-SENT/.test(l)));
    assert.ok(lines.some((l) => /\* ESTABLISHED/.test(l)));
    const absolute = cli(['run', '--ladder', '--absolute', join(dir, 'good.tcpscenario')]);
    assert.ok(absolute.stdout.includes('SYN,ACK seq=300 ack=101 len=0'), absolute.stdout);
  });

  test('run --ladder marks lost segments', () => {
    const dir = scratch({ 'lost.tcpscenario': `${GOOD}@1s drop client -> server data once\nclient send 10\n` });
    const result = cli(['run', '--ladder', join(dir, 'lost.tcpscenario')]);
    assert.ok(/seq=1 ack=1 len=10 -*X\s+\|\s+lost: drop client -> server data once/.test(result.stdout), result.stdout);
  });

  test('colours only when wanted: FORCE_COLOR on, NO_COLOR off, plain when piped', () => {
    const dir = scratch({ 'good.tcpscenario': GOOD });
    const file = join(dir, 'good.tcpscenario');
    assert.ok(cli(['run', file], { FORCE_COLOR: '1' }).stdout.includes('\u001b[32mPASS'));
    assert.ok(!cli(['run', file], { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout.includes('\u001b['));
    assert.ok(!cli(['run', '--ladder', file]).stdout.includes('\u001b['));
  });

  test('--profile overrides the file: the Linux close example fails under the RFC profile', () => {
    const file = join(ROOT, 'examples', '06-linux-merged-close.tcpscenario');
    const rfc = cli(['run', '--profile', 'rfc', file]);
    assert.equal(rfc.code, 1, rfc.stdout);
    assert.match(rfc.stdout, /\(profile rfc\)|FAIL/);
  });

  test('trace prints the trace document as JSON', () => {
    const dir = scratch({ 'good.tcpscenario': GOOD });
    const result = cli(['trace', join(dir, 'good.tcpscenario')]);
    assert.equal(result.code, 0, result.stderr);
    const doc = JSON.parse(result.stdout) as Record<string, unknown> & { events: Record<string, unknown>[] };
    assert.equal(doc.version, 1);
    assert.equal(doc.scenario, 'handshake');
    assert.equal(doc.profile, 'rfc');
    assert.deepEqual(doc.endpoints, [
      { name: 'client', address: '10.0.0.1', port: 49152, isn: 100 },
      { name: 'server', address: '10.0.0.2', port: 80, isn: 300 },
    ]);
    for (const event of doc.events) {
      assert.equal(typeof event.t, 'number');
      assert.equal(typeof event.kind, 'string');
    }
    const syn = doc.events.find((e) => e.kind === 'send');
    assert.deepEqual(
      { from: syn?.from, to: syn?.to, flags: syn?.flags, seq: syn?.seq, len: syn?.len, retransmission: syn?.retransmission, line: syn?.line },
      { from: 'client', to: 'server', flags: ['SYN'], seq: 100, len: 0, retransmission: false, line: 5 },
    );
    assert.ok(doc.events.some((e) => e.kind === 'transition' && e.endpoint === 'server' && e.to === 'ESTABLISHED'));
    assert.deepEqual(
      doc.events.filter((e) => e.kind === 'expect').map((e) => [e.ok, e.line]),
      [
        [true, 6],
        [true, 7],
      ],
    );
  });

  test('trace --profile linux records the profile', () => {
    const dir = scratch({ 'good.tcpscenario': GOOD });
    const doc = JSON.parse(cli(['trace', '--profile', 'linux', join(dir, 'good.tcpscenario')]).stdout) as { profile: string };
    assert.equal(doc.profile, 'linux');
  });

  test('render without arguments fails cleanly', () => {
    const result = cli(['render']);
    assert.equal(result.code, 2);
    assert.ok(!hasStackTrace(result.stderr), result.stderr);
  });
});
