// The packetdrill scripts of test/fixtures/packetdrill against the real thing: google/packetdrill on
// this machine's Linux kernel, each script in a network namespace of its own (`unshare -n`, nothing
// touches the host's network). They must all pass: the scripts say what Linux does, and the linux
// profile is held to them (test/cli/packetdrill.test.ts). Needs root, unshare and a packetdrill
// binary (TCPSCENARIO_PACKETDRILL, or packetdrill on PATH; docs/packetdrill.md says how to build it);
// skipped with the reason elsewhere.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers';

const DIR = join(ROOT, 'test', 'fixtures', 'packetdrill');

function packetdrill(): string | undefined {
  const named = process.env.TCPSCENARIO_PACKETDRILL;
  if (named) return existsSync(named) ? named : undefined;
  const found = spawnSync('sh', ['-c', 'command -v packetdrill'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

function whyNot(): string | undefined {
  if (process.platform !== 'linux') return 'packetdrill runs on Linux';
  if (process.getuid?.() !== 0) return 'packetdrill needs root (it opens a tun device)';
  if (!packetdrill()) return 'no packetdrill binary: set TCPSCENARIO_PACKETDRILL or put packetdrill on PATH';
  if (spawnSync('unshare', ['-n', 'true']).status !== 0) return 'unshare -n does not work here';
  return undefined;
}

describe('the packetdrill scripts on this kernel', () => {
  const reason = whyNot();
  const scripts = readdirSync(DIR).filter((f) => f.endsWith('.pkt') && f !== 'unsupported.pkt').sort();
  for (const name of scripts) {
    test(name, { skip: reason }, () => {
      const run = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$0" "$1"', packetdrill()!, join(DIR, name)], { encoding: 'utf8', timeout: 120_000 });
      assert.equal(run.status, 0, `${name} fails on this kernel:\n${run.stdout}${run.stderr}`);
    });
  }
});
