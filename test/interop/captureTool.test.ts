// The capture tool itself (scripts/capture): its case list matches the stored fixtures, its Python
// parses, and, where this machine allows it (root, network namespaces, nftables, iptables, tcpdump),
// one short case captured afresh behaves as the stored capture says. Skips with the reason elsewhere.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCaptureSummary, type CaptureSummary } from '../../src/interop/capture';

const ROOT = join(__dirname, '..', '..');
const TOOL = join(ROOT, 'scripts', 'capture');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'captures');

function which(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}

function python(): string | undefined {
  return ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['--version'], { encoding: 'utf8' }).status === 0);
}

/** Why the live capture cannot run here, or undefined when it can. */
function cannotCapture(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'needs root (network namespaces)';
  const missing = ['ip', 'nft', 'iptables-nft', 'tcpdump', 'unshare'].filter((c) => !which(c));
  if (missing.length > 0) return `missing ${missing.join(', ')} (Debian: iproute2 nftables iptables tcpdump util-linux)`;
  const probe = `tcpcap-probe-${process.pid}`;
  const added = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (added.status !== 0) return `cannot create a network namespace: ${added.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', probe]);
  return undefined;
}

function segments(capture: CaptureSummary): string[] {
  return capture.packets.map((p) => `${p.from}>${p.to} ${p.flags.join(',')} ${p.relSeq} ${p.relAck} ${p.len}${p.dropped ? ' dropped' : ''}`);
}

describe('the capture tool', () => {
  const py = python();

  test('its Python parses, and its cases are the stored fixtures', { skip: py ? false : 'no python3' }, () => {
    const files = readdirSync(TOOL).filter((f) => f.endsWith('.py')).map((f) => join(TOOL, f));
    const parsed = spawnSync(py!, ['-c', 'import ast, sys\nfor f in sys.argv[1:]: ast.parse(open(f).read(), f)', ...files], { encoding: 'utf8' });
    assert.equal(parsed.status, 0, parsed.stderr);
    const listed = spawnSync(py!, [join(TOOL, 'capture.py'), '--list'], { encoding: 'utf8' });
    assert.equal(listed.status, 0, listed.stderr);
    const names = listed.stdout.split('\n').filter(Boolean).map((line) => line.split(/\s+/)[0]).sort();
    const stored = readdirSync(FIXTURES).filter((d) => existsSync(join(FIXTURES, d, 'capture.json'))).sort();
    assert.deepEqual(names, stored);
  });

  const reason = py ? cannotCapture() : 'no python3';
  test('a fresh capture of "refused" behaves as the stored one, and leaves no namespace behind', { skip: reason ?? false, timeout: 180_000 }, () => {
    const out = mkdtempSync(join(tmpdir(), 'tcpcap-test-'));
    try {
      const run = spawnSync(py!, [join(TOOL, 'capture.py'), 'refused', '--repeat', '1', '--out', out], { encoding: 'utf8', timeout: 150_000 });
      assert.equal(run.status, 0, run.stdout + run.stderr);
      const fresh = parseCaptureSummary(JSON.parse(readFileSync(join(out, 'refused', 'capture.json'), 'utf8')));
      const stored = parseCaptureSummary(JSON.parse(readFileSync(join(FIXTURES, 'refused', 'capture.json'), 'utf8')));
      assert.deepEqual(segments(fresh), segments(stored));
      assert.ok(fresh.app.some((c) => c.call === 'connect-done' && c.result === 'ECONNREFUSED'));
      assert.ok(existsSync(join(out, 'refused', 'scenario.tcpscenario')));
      const left = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
      assert.doesNotMatch(left, new RegExp(`tcpcap-${run.pid}-`));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
