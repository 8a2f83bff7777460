// packetdrill scripts run as a user runs them (the built CLI): `tcpscenario check|run|trace|render
// SCRIPT.pkt` and `tcpscenario import SCRIPT.pkt`. Every script of test/fixtures/packetdrill passes
// google/packetdrill on this machine's Linux kernel (test/interop/packetdrill-kernel.test.ts checks
// that where packetdrill is built); where the linux profile fails one, EXPECTED records the lines,
// and docs/packetdrill.md says why. When the profile gets closer to the kernel, this test fails and
// names the line that now holds: update EXPECTED and the doc's table.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScenarioText } from '../../src/run/run';
import { cli, hasStackTrace, ROOT, scratch } from './run-cli';

const DIR = join(ROOT, 'test', 'fixtures', 'packetdrill');
const SCRIPTS = readdirSync(DIR).filter((f) => f.endsWith('.pkt') && f !== 'unsupported.pkt').sort();

/** Each script: the lines whose expectation the linux profile fails today (docs/packetdrill.md, "The linux profile against the kernel"). */
const EXPECTED: Record<string, number[]> = {
  'active-open.pkt': [],
  'blocking-connect.pkt': [],
  'keepalive.pkt': [],
  'linger-abort.pkt': [],
  'options.pkt': [],
  'passive-close.pkt': [],
  'refused.pkt': [],
  'reset.pkt': [14],
  'timing.pkt': [],
};

/** The lines `run` reports as failed ("  FILE:LINE: ..."). */
function failedLines(stdout: string, file: string): number[] {
  return [...stdout.matchAll(new RegExp(`^  ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+): `, 'gm'))].map((m) => Number(m[1]));
}

describe('tcpscenario with packetdrill scripts', () => {
  test('every script has an expected result, and every expected result a script', () => {
    assert.deepEqual(SCRIPTS, Object.keys(EXPECTED).sort());
  });

  for (const name of SCRIPTS) {
    test(`run ${name}: the expectations the linux profile fails are the recorded ones`, () => {
      const file = join('test', 'fixtures', 'packetdrill', name);
      const result = cli(['run', file]);
      assert.ok(!hasStackTrace(result.stderr), result.stderr);
      assert.deepEqual(failedLines(result.stdout, file), EXPECTED[name], result.stdout);
      assert.equal(result.code, EXPECTED[name].length > 0 ? 1 : 0, result.stdout + result.stderr);
    });
  }

  test('check: a script the simulation runs has no error; the unsupported one, each error at its place and exit 2', () => {
    for (const name of SCRIPTS) {
      const result = cli(['check', join(DIR, name)]);
      assert.equal(result.code, 0, `${name}: ${result.stdout}`);
    }
    const result = cli(['check', join(DIR, 'unsupported.pkt')]);
    assert.equal(result.code, 2);
    assert.match(result.stdout, /unsupported\.pkt:17:7: error: ioctl\(\) is not modelled by the simulation/);
    assert.match(result.stdout, /unsupported\.pkt:19:7: error: python \(%\{ \}%\) is not modelled/);
    assert.match(result.stdout, /unsupported\.pkt:5:1: warning: shell commands are not run/);
    const run = cli(['run', join(DIR, 'unsupported.pkt')]);
    assert.equal(run.code, 2);
    assert.match(run.stdout, /ERROR .*unsupported\.pkt: not run \(errors above\)/);
  });

  test('import prints the scenario the script runs as: the same expectations fail at the same script lines', () => {
    for (const name of SCRIPTS) {
      const imported = cli(['import', join(DIR, name)]);
      assert.equal(imported.code, 0, imported.stderr);
      // Every statement names its line of the script.
      const statements = imported.stdout.split('\n').filter((line) => /^(@|\+|\s{10} \S)/.test(line));
      assert.ok(statements.length > 0);
      for (const line of statements) assert.match(line, /# line \d+: /, line);
      const run = runScenarioText(imported.stdout);
      assert.deepEqual(run.diagnostics.filter((d) => d.severity === 'error'), []);
      const lines = imported.stdout.split('\n');
      const failed = run.run!.events.filter((e) => e.kind === 'expect' && !e.ok).map((e) => Number(/# line (\d+):/.exec(lines[(e.line ?? 0) - 1])?.[1]));
      assert.deepEqual([...new Set(failed)], EXPECTED[name], name);
    }
  });

  test('trace and render take a script too', () => {
    const trace = cli(['trace', join(DIR, 'refused.pkt')]);
    assert.equal(trace.code, 0, trace.stderr);
    const doc = JSON.parse(trace.stdout) as { profile: string; endpoints: { name: string; raw?: boolean }[]; events: { kind: string; ok?: boolean }[] };
    assert.equal(doc.profile, 'linux');
    assert.deepEqual(doc.endpoints.map((e) => [e.name, e.raw === true]), [['client', false], ['server', true]]);
    assert.ok(doc.events.some((e) => e.kind === 'expect' && e.ok));
    const dir = scratch({});
    const render = cli(['render', join(DIR, 'passive-close.pkt'), '--svg', join(dir, 'p.svg')]);
    assert.equal(render.code, 0, render.stderr);
    assert.match(readFileSync(join(dir, 'p.svg'), 'utf8'), /<svg [^>]*aria-label="packetdrill: passive-close.pkt"/);
  });

  test('every socket option the simulation models becomes a setting the scenario takes', () => {
    const options = ['SOL_SOCKET, SO_LINGER, {onoff=1, linger=5}, 8', 'SOL_SOCKET, SO_RCVBUF, [4096], 4', 'SOL_SOCKET, SO_SNDBUF, [8192], 4', 'SOL_SOCKET, SO_KEEPALIVE, [1], 4', 'SOL_TCP, TCP_NODELAY, [1], 4', 'SOL_TCP, TCP_KEEPIDLE, [10], 4', 'SOL_TCP, TCP_KEEPINTVL, [5], 4', 'SOL_TCP, TCP_KEEPCNT, [3], 4', 'SOL_TCP, TCP_USER_TIMEOUT, [3000], 4', 'SOL_TCP, TCP_SYNCNT, [2], 4', 'SOL_TCP, TCP_CONGESTION, "reno", 5'];
    const script = ['0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3', ...options.map((o) => `+0 setsockopt(3, ${o}) = 0`), '+0 listen(3, 1) = 0'].join('\n');
    const dir = scratch({ 'options.pkt': `${script}\n` });
    const result = cli(['import', join(dir, 'options.pkt')]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      [...result.stdout.matchAll(/ server set (\S+)/g)].map((m) => m[1]),
      ['linger=5s', 'rcvbuf=4096', 'sndbuf=8192', 'keepalive=on', 'nodelay=on', 'keepalive-idle=10s', 'keepalive-interval=5s', 'keepalive-probes=3', 'user-timeout=3000ms', 'syn-retries=2', 'cc=newreno'],
    );
    assert.equal(cli(['check', join(dir, 'options.pkt')]).code, 0);
  });

  test('a script that does not parse: its errors at their places, exit 2, no stack trace', () => {
    const dir = scratch({ 'bad.pkt': '0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 listen(3, 1) = 0\n+0 < S 0:0(0)\n+0 > Q 0:0(0)\n' });
    const result = cli(['run', join(dir, 'bad.pkt')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /bad\.pkt:3:6: error: an inbound packet needs its window/);
    assert.match(result.stderr, /bad\.pkt:4:6: error: unknown TCP flag 'Q'/);
    assert.ok(!hasStackTrace(result.stderr));
  });
});
