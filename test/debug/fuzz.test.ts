// A seeded fuzz of the standalone adapter over raw frames: thousands of random and malformed
// requests, some in a plausible order (initialize, launch, breakpoints, configurationDone, steps),
// most not. The adapter must stay alive, answer every request, and never send a stack trace or a
// path of its own. A few seconds in `npm test`; TCPSCENARIO_FUZZ_REQUESTS=100000 (and
// TCPSCENARIO_FUZZ_SEED) for a longer run.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RUNAWAY } from '../fixtures/runaway';
import { fixture } from './harness';
import { RawAdapter } from './raw';

const REQUESTS = Number(process.env.TCPSCENARIO_FUZZ_REQUESTS ?? 3000);
const SEED = Number(process.env.TCPSCENARIO_FUZZ_SEED ?? 20261201);
const SESSIONS = 4;
const ROOT = resolve(import.meta.dirname, '..', '..');

/** Mulberry32: small, seeded, good enough to pick things. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dir = mkdtempSync(join(tmpdir(), 'tcpscenario-fuzz-'));
writeFileSync(join(dir, 'runaway.tcpscenario'), RUNAWAY);
execFileSync('mkfifo', [join(dir, 'pipe.tcpscenario')]);
const PROGRAMS = [
  fixture('teardown.tcpscenario'),
  fixture('lost-syn.tcpscenario'),
  fixture('broken.tcpscenario'),
  fixture('two-clients.tcpscenario'),
  fixture('failing-expect.tcpscenario'),
  join(dir, 'runaway.tcpscenario'),
  join(dir, 'pipe.tcpscenario'),
  join(dir, 'missing.tcpscenario'),
  dir,
  '/dev/zero',
];

const COMMANDS = [
  'initialize', 'launch', 'attach', 'restart', 'disconnect', 'terminate', 'configurationDone',
  'setBreakpoints', 'setFunctionBreakpoints', 'setExceptionBreakpoints', 'dataBreakpointInfo', 'setDataBreakpoints',
  'breakpointLocations', 'continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'pause', 'goto',
  'gotoTargets', 'threads', 'stackTrace', 'scopes', 'variables', 'evaluate', 'completions', 'exceptionInfo',
  'source', 'setVariable', 'readMemory', 'cancel', 'tcpTrace', 'restartFrame', 'modules', '', 'constructor',
  '__proto__', 'toString', 'hasOwnProperty',
];

class Fuzzer {
  constructor(readonly r: () => number) {}

  int(n: number): number {
    return Math.floor(this.r() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Any JSON value, often a nasty one. */
  junk(depth = 0): unknown {
    const leaves: (() => unknown)[] = [
      () => undefined,
      () => null,
      () => this.r() < 0.5,
      () => this.pick([0, -1, 1, 2, 3, 7, 13, 1000, 2 ** 31, 2 ** 53, -(2 ** 53), 1.5, 1e308, -0]),
      () => this.pick(['', 'x', 'TIME-WAIT', 'client.SND.UNA', 'client:ESTABLISHED', '{_stack}', '{0}', '\u0000', '\u202e', 'drop s1', 'segments', 'help', '../../etc/passwd']),
      () => this.pick(PROGRAMS),
      () => 'x'.repeat(this.int(20_000)),
    ];
    if (depth < 3 && this.r() < 0.3) {
      if (this.r() < 0.5) return Array.from({ length: this.int(4) }, () => this.junk(depth + 1));
      const keys = ['line', 'name', 'dataId', 'source', 'path', 'program', 'breakpoints', 'threadId', 'condition', 'hitCondition', 'logMessage', 'filters', 'arguments', '__proto__', 'constructor'];
      const o: Record<string, unknown> = {};
      for (let i = this.int(4); i > 0; i--) o[this.pick(keys)] = this.junk(depth + 1);
      return o;
    }
    return this.pick(leaves)();
  }

  /** Sometimes junk, sometimes a value of the right type. */
  maybe<T>(good: () => T): unknown {
    return this.r() < 0.8 ? good() : this.junk();
  }

  args(command: string): unknown {
    if (this.r() < 0.25) return this.junk();
    const line = () => 1 + this.int(30);
    switch (command) {
      case 'initialize':
        return { adapterID: 'tcpscenario', linesStartAt1: this.maybe(() => true), pathFormat: this.maybe(() => 'path') };
      case 'launch':
        return {
          program: this.maybe(() => this.pick(PROGRAMS)),
          stopOnEntry: this.maybe(() => this.r() < 0.5),
          // Bounded, so a runaway launched here does not eat the test's time (the limits have their own tests).
          maxEvents: 1 + this.int(5000),
          maxSeconds: 0.5,
          snapshotEvery: this.r() < 0.3 ? this.maybe(() => 1 + this.int(50)) : undefined,
          profile: this.r() < 0.2 ? this.maybe(() => this.pick(['rfc', 'linux'])) : undefined,
        };
      case 'restart':
        return this.r() < 0.5 ? {} : { arguments: this.args('launch') };
      case 'setBreakpoints':
        return { source: this.maybe(() => ({ path: this.pick(PROGRAMS) })), breakpoints: this.maybe(() => Array.from({ length: this.int(4) }, () => ({ line: this.maybe(line), condition: this.r() < 0.2 ? this.junk() : undefined }))) };
      case 'setFunctionBreakpoints':
        return { breakpoints: this.maybe(() => [{ name: this.maybe(() => this.pick(['TIME-WAIT', 'client:ESTABLISHED', 'CLOSED', 'nope'])) }]) };
      case 'setExceptionBreakpoints':
        return { filters: this.maybe(() => [this.pick(['rst', 'drop', 'retransmission', 'expect-failed', 'nope'])]) };
      case 'dataBreakpointInfo':
        return { name: this.maybe(() => this.pick(['SND.UNA', 'client.SND.UNA', 'state'])), variablesReference: this.maybe(() => this.int(20)) };
      case 'setDataBreakpoints':
        return { breakpoints: this.maybe(() => [{ dataId: this.maybe(() => this.pick(['client.SND.UNA', 'server.state', '1 +'])) }]) };
      case 'goto':
        return { threadId: 1, targetId: this.maybe(line) };
      case 'gotoTargets':
      case 'breakpointLocations':
        return { source: this.maybe(() => ({ path: this.pick(PROGRAMS) })), line: this.maybe(line) };
      case 'stackTrace':
        return { threadId: this.maybe(() => this.int(4)), startFrame: this.maybe(() => this.int(3)), levels: this.maybe(() => this.int(3)) };
      case 'scopes':
        return { frameId: this.maybe(() => this.int(10)) };
      case 'variables':
        return { variablesReference: this.maybe(() => this.int(40)) };
      case 'evaluate':
        return { expression: this.maybe(() => this.pick(['client', 'client.SND.NXT - client.SND.UNA', 'TIME-WAIT', 'segments', 'drop next client -> server', 'help', '((', 'event.kind', 'now'])), context: this.maybe(() => this.pick(['repl', 'hover', 'watch'])) };
      case 'completions':
        return { text: this.maybe(() => this.pick(['cl', 'client.', 'event.k', ''])), column: this.maybe(() => this.int(10)) };
      default:
        return { threadId: this.maybe(() => 1 + this.int(3)) };
    }
  }
}

/** Node prints stack frames as "    at fn (file:line:col)"; paths of the adapter itself. */
function leak(text: string): string | undefined {
  if (/\n\s+at .+[:(]/.test(text) || /\bat [\w.<>]+ \(/.test(text)) return 'a stack trace';
  for (const own of [join(ROOT, 'dist'), join(ROOT, 'node_modules'), join(ROOT, 'src'), 'debugAdapter.js', 'node:internal']) if (text.includes(own)) return `a path of its own (${own})`;
  return undefined;
}

async function fuzzSession(seed: number, requests: number): Promise<{ sent: number; errors: number; adapter: RawAdapter }> {
  const f = new Fuzzer(random(seed));
  const adapter = new RawAdapter();
  const sent: { seq: number; command: string }[] = [];
  const send = (command: string, args: unknown) => sent.push({ seq: adapter.send(command, args), command });
  let batch = 0;
  while (sent.length < requests) {
    // Now and then a plausible start, so that later requests meet a running session.
    if (f.r() < 0.1) {
      send('initialize', { adapterID: 'tcpscenario', pathFormat: 'path' });
      send('launch', { program: f.pick(PROGRAMS.slice(0, 6)), stopOnEntry: f.r() < 0.7, maxEvents: 1 + f.int(5000), maxSeconds: 0.5 });
      send('configurationDone', {});
    }
    const command = f.r() < 0.9 ? f.pick(COMMANDS) : `x${f.int(1000)}`;
    // disconnect ends the process: keep it for the end.
    if (command === 'disconnect') continue;
    send(command, f.args(command));
    // In batches: enough in flight to overlap, every batch answered before the next.
    if (++batch % 25 === 0) {
      const pending = sent.slice(-25);
      await adapter.until(() => pending.every((s) => adapter.responses.has(s.seq)), `answers to ${pending.map((s) => `${s.command}#${s.seq}`).join(', ')}`, 20_000);
    }
  }
  await adapter.until(() => sent.every((s) => adapter.responses.has(s.seq)), 'every answer', 20_000);
  for (const { seq, command } of sent) {
    const response = adapter.responses.get(seq)!;
    assert.equal(response.command, command, `seq ${seq}`);
    assert.equal(typeof response.success, 'boolean');
    if (!response.success) assert.ok(typeof response.message === 'string' && response.message.length > 0, `${command}#${seq} failed without a message`);
  }
  for (const message of adapter.messages) {
    const text = JSON.stringify(message);
    const found = leak(text.replace(/\\n/g, '\n'));
    assert.equal(found, undefined, `the adapter sent ${found}: ${text.slice(0, 500)}`);
  }
  assert.equal(adapter.exit, undefined, 'the adapter is still running');
  const errors = sent.filter((s) => !adapter.responses.get(s.seq)!.success).length;
  return { sent: sent.length, errors, adapter };
}

describe('DAP fuzz', () => {
  test(`${REQUESTS} random requests over ${SESSIONS} sessions (seed ${SEED}): every one answered, no stack, no path, alive`, async (t) => {
    let total = 0;
    let errors = 0;
    const started = Date.now();
    for (let i = 0; i < SESSIONS; i++) {
      const { sent, errors: e, adapter } = await fuzzSession(SEED + i, Math.ceil(REQUESTS / SESSIONS));
      total += sent;
      errors += e;
      // Then a clean end: disconnect answers and the process exits 0.
      const bye = await adapter.request('disconnect', {});
      assert.equal(bye.success, true);
      await adapter.until(() => adapter.exit !== undefined, 'exit');
      assert.equal(adapter.exit?.code, 0);
      const log = (() => {
        try {
          return readFileSync(adapter.logFile, 'utf8');
        } catch {
          return '';
        }
      })();
      assert.ok(!/internal error/.test(log), `internal errors in the log:\n${log.slice(0, 2000)}`);
    }
    t.diagnostic(`${total} requests (${errors} answered with an error) in ${Date.now() - started} ms`);
  });

  test('malformed frames between requests: each reported, the adapter still answers', async () => {
    const f = new Fuzzer(random(SEED));
    const adapter = new RawAdapter();
    try {
      const frames: (() => void)[] = [
        () => adapter.raw('{"seq": 1, "type": "request", "command": '),
        () => adapter.raw(JSON.stringify(f.junk())),
        () => adapter.raw('null'),
        () => adapter.raw(JSON.stringify({ seq: 'one', type: 'request', command: 'threads' })),
        () => adapter.raw(JSON.stringify({ seq: 5, type: 'event', event: 'stopped' })),
        () => adapter.bytes('Content-Length: -3\r\n\r\n'),
        () => adapter.bytes('Content-Length: 99999999999\r\n\r\n'),
        () => adapter.bytes('Garbage-Header: yes\r\n\r\n'),
        () => adapter.bytes(Buffer.from([0xff, 0xfe, 0x0d, 0x0a, 0x0d, 0x0a])),
      ];
      let reported = 0;
      for (let i = 0; i < 60; i++) {
        const before = adapter.events('output').length;
        f.pick(frames)();
        const seq = adapter.send('threads', {});
        await adapter.until(() => adapter.responses.has(seq), `threads after malformed frame ${i}`);
        if (adapter.events('output').length > before) reported++;
      }
      assert.ok(reported >= 40, `${reported} of 60 malformed frames reported`);
      assert.ok(adapter.events('terminated').length >= 1);
      for (const message of adapter.messages) assert.equal(leak(JSON.stringify(message)), undefined);
      assert.equal(adapter.exit, undefined);
    } finally {
      await adapter.close();
    }
  });
});
