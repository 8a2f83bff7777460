// The standalone adapter under pressure: a runaway scenario stopped by terminate at once, the event
// limit, special files, missing or wrong arguments, malformed frames. Raw frames (test/debug/raw.ts).
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUNAWAY } from '../fixtures/runaway';
import { fixture } from './harness';
import { RawAdapter } from './raw';

const dir = mkdtempSync(join(tmpdir(), 'tcpscenario-dap-limits-'));
const runaway = join(dir, 'runaway.tcpscenario');
writeFileSync(runaway, RUNAWAY);

let adapter: RawAdapter;
afterEach(async () => adapter?.close());

async function start(): Promise<RawAdapter> {
  adapter = new RawAdapter();
  const init = await adapter.request('initialize', { adapterID: 'tcpscenario', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  assert.equal(init.success, true);
  return adapter;
}

describe('the adapter stops a runaway scenario', () => {
  test('terminate during a long Continue: answered, terminated, and no stop after it', async (t) => {
    const a = await start();
    const launch = a.send('launch', { program: runaway, maxEvents: 1e9, maxSeconds: 600 });
    await a.until(() => a.events('initialized').length > 0, 'initialized');
    await a.request('configurationDone');
    await a.until(() => a.responses.has(launch), 'the launch response');
    // Let it run for a while: it is busy sending a gigabyte one byte at a time.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = Date.now();
    const terminate = await a.request('terminate', {});
    await a.until(() => a.events('terminated').length > 0, 'terminated');
    t.diagnostic(`terminate answered in ${Date.now() - before} ms while the run was going`);
    assert.equal(terminate.success, true);
    const terminatedAt = a.messages.indexOf(a.events('terminated')[0]);
    // A late `stopped` would mean the run went on after the session ended.
    await a.request('threads');
    assert.ok(!a.messages.slice(terminatedAt).some((m) => m.event === 'stopped'));
    await a.request('disconnect', {});
    await a.until(() => a.exit !== undefined, 'exit');
    assert.equal(a.exit?.code, 0);
  });

  test('the event limit stops Continue with a message naming the launch attribute', async () => {
    const a = await start();
    const launch = a.send('launch', { program: runaway, maxEvents: 3000 });
    await a.until(() => a.events('initialized').length > 0, 'initialized');
    await a.request('configurationDone');
    await a.until(() => a.responses.has(launch) && a.events('stopped').length > 0, 'a stop');
    const stop = a.events('stopped')[0].body as { reason: string; description: string };
    assert.equal(stop.reason, 'pause');
    assert.match(stop.description, /the run was stopped after 3,000 events, its limit; raise it with the launch attribute "maxEvents"/);
    const output = a.events('output').map((e) => (e.body as { output: string }).output).join('');
    assert.match(output, /raise it with the launch attribute "maxEvents"/);
    const trace = await a.request('tcpTrace');
    assert.equal((trace.body as { events: unknown[] }).events.length, 3000);
    // Continue again: the limit again, no further.
    await a.request('continue', { threadId: 1 });
    await a.until(() => a.events('stopped').length > 1, 'a second stop');
    assert.equal(((await a.request('tcpTrace')).body as { events: unknown[] }).events.length, 3000);
  });
});

describe('the adapter checks what it is given', () => {
  test('launch on a pipe, a device or a directory is refused at once', async () => {
    const fifo = join(dir, 'pipe.tcpscenario');
    execFileSync('mkfifo', [fifo]);
    const a = await start();
    for (const [program, pattern] of [
      [fifo, /cannot read .*pipe\.tcpscenario: is not a regular file/],
      ['/dev/zero', /cannot read \/dev\/zero: is not a regular file/],
      [dir, /is a directory/],
    ] as const) {
      const response = await a.request('launch', { program }, 5000);
      assert.equal(response.success, false);
      assert.match(response.message ?? '', pattern);
    }
  });

  test('missing or wrong arguments are answered with what is wrong, and nothing is stored', async () => {
    const a = await start();
    const cases: [string, unknown, RegExp][] = [
      ['launch', undefined, /^launch: "program" is missing$/],
      ['launch', { program: 42 }, /"program" must be a non-empty string, not 42/],
      ['launch', { program: 'x', maxEvents: -1 }, /"maxEvents" must be a whole number, 1 or more/],
      ['restart', undefined, /nothing to restart/],
      ['restart', { arguments: 'x' }, /"arguments" must be an object/],
      ['setBreakpoints', { source: {}, breakpoints: 'x' }, /"breakpoints" must be a list, not "x"/],
      ['setBreakpoints', { breakpoints: [] }, /"source" is missing/],
      ['setFunctionBreakpoints', {}, /"breakpoints" is missing/],
      ['setFunctionBreakpoints', { breakpoints: [{ name: 7 }] }, /"breakpoints\[0\]\.name" must be a string/],
      ['setDataBreakpoints', { breakpoints: null }, /must be a list, not null/],
      ['setExceptionBreakpoints', { filters: [1] }, /"filters\[0\]" must be a string/],
      ['evaluate', { expression: ['x'] }, /"expression" must be a string, not a list/],
      ['variables', { variablesReference: 'a' }, /"variablesReference" must be a whole number/],
      ['goto', { threadId: 1 }, /"targetId" is missing/],
      ['stackTrace', { threadId: 1, levels: -2 }, /"levels" must be a whole number, 0 or more/],
      ['attach', {}, /the request "attach" is not supported/],
      ['frobnicate', {}, /unknown request "frobnicate"/],
    ];
    for (const [command, args, pattern] of cases) {
      const response = await a.request(command, args);
      assert.equal(response.success, false, command);
      assert.match(response.message ?? '', pattern, `${command} ${JSON.stringify(args)}`);
    }
    // The bad breakpoint lists stored nothing: a launch now runs as usual, to its end.
    const launch = a.send('launch', { program: fixture('teardown.tcpscenario') });
    await a.request('configurationDone');
    await a.until(() => a.responses.has(launch) && a.events('terminated').length > 0, 'the end of the run');
    assert.equal(a.responses.get(launch)?.success, true);
  });

  test('a malformed frame: an error, a terminated event, and the adapter still answers', async () => {
    const a = await start();
    a.raw('{not json');
    await a.until(() => a.events('terminated').length > 0, 'terminated');
    const output = a.events('output').map((e) => (e.body as { output: string }).output).join('');
    assert.match(output, /the debug adapter received a DAP message that is not JSON; the session ends/);
    a.bytes('Content-Length: lots\r\n\r\n');
    a.raw('[1,2]');
    a.raw(JSON.stringify({ type: 'request', command: 'threads' }));
    const threads = await a.request('threads');
    assert.equal(threads.success, true);
    const all = a.events('output').map((e) => (e.body as { output: string }).output).join('');
    for (const reason of ['without a valid "Content-Length: N"', 'not a JSON object', 'without a whole-number "seq"']) assert.ok(all.includes(reason), reason);
    assert.equal(a.exit, undefined);
  });
});
