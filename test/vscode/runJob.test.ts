// The run worker's jobs without a thread (src/vscode/runJob.ts): the "Why?" index and the report's numbering.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../src/engine/rules';
import { runJob } from '../../src/vscode/runJob';

const ROOT = join(import.meta.dirname, '..', '..');
const TEARDOWN = readFileSync(join(ROOT, 'examples', '02-four-way-teardown.tcpscenario'), 'utf8');
const limits = { maxEvents: 100_000, maxSeconds: 30 };

describe('run worker jobs', () => {
  test('rules: every rule the run used, in order of first use, each once, with a count and a line', () => {
    const result = runJob({ kind: 'rules', text: TEARDOWN, ...limits });
    const uses = result.rules ?? [];
    assert.ok(uses.length >= 8, uses.map((u) => u.id).join(', '));
    assert.deepEqual(new Set(uses.map((u) => u.id)).size, uses.length, 'each rule once');
    for (const use of uses) assert.deepEqual(use.rule, RULES[use.id as keyof typeof RULES]);
    const firsts = uses.map((u) => u.first);
    assert.deepEqual(firsts, [...firsts].sort((a, b) => a - b), 'in order of first use');
    const timeWait = uses.find((u) => u.id === 'rfc9293.3.10.7.4.fin.time-wait');
    assert.ok(timeWait?.line !== undefined && timeWait.line > 0, 'a line to reveal without a debugger');
    assert.ok(uses.every((u) => u.count >= 1));
  });

  test('rules: the profile of a debug session overrides the file\'s', () => {
    const rfc = runJob({ kind: 'rules', text: TEARDOWN, ...limits }).rules!.map((u) => u.id);
    const linux = runJob({ kind: 'rules', text: TEARDOWN, profile: 'linux', ...limits }).rules!.map((u) => u.id);
    // The linux profile's own decisions name kernel functions; the rfc profile never does.
    assert.ok(linux.some((id) => id.startsWith('linux.')) && !rfc.some((id) => id.startsWith('linux.')), `${rfc}\n${linux}`);
  });

  test('report: sequence numbers follow the numbering it is given', () => {
    const relative = runJob({ kind: 'report', text: TEARDOWN, numbering: 'relative', ...limits }).lines!.join('\n');
    const absolute = runJob({ kind: 'report', text: TEARDOWN, numbering: 'absolute', ...limits }).lines!.join('\n');
    assert.match(relative, /SYN,ACK seq=0 ack=1 len=0/);
    assert.doesNotMatch(absolute, /SYN,ACK seq=0 ack=1 len=0/);
  });
});
