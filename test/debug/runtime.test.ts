// The runtime without DAP: positions, snapshots and replay, stepping, breakpoints, interventions.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compile } from '../../src/language/index';
import { Simulation } from '../../src/engine/index';
import { ScenarioRuntime, type Outcome, type RuntimeOptions } from '../../src/debug/runtime';
import { fixture } from './harness';

function runtimeFor(text: string, options: RuntimeOptions = {}): ScenarioRuntime {
  const { program, diagnostics } = compile(text);
  assert.ok(program, diagnostics.map((d) => d.message).join('\n'));
  const runtime = new ScenarioRuntime(new Simulation(program), options);
  runtime.setExceptionFilters([]);
  return runtime;
}

function teardown(options: RuntimeOptions = {}): ScenarioRuntime {
  return runtimeFor(readFileSync(fixture('teardown.tcpscenario'), 'utf8'), options);
}

function stop(outcome: Outcome | undefined) {
  assert.equal(outcome?.kind, 'stopped');
  return (outcome as Extract<Outcome, { kind: 'stopped' }>).stop;
}

/** Many small sends: enough events to span several chunks and snapshots. */
function manySends(count: number): string {
  const lines = ['endpoint client 10.0.0.1:49152 isn=1000', 'endpoint server 10.0.0.2:80 isn=5000', '@0 server listen', '@0 client connect server', '+50ms client send 10'];
  for (let i = 1; i < count; i++) lines.push('+10ms client send 10');
  return lines.join('\n');
}

describe('runtime: replay', () => {
  test('going back restores exactly the state the forward run had, at every position', async () => {
    const reference = teardown();
    // `done` says whether the run has ended, which a position reached by going back has not.
    const state = (r: ScenarioRuntime) => JSON.stringify({ ...r.view(), done: undefined });
    const views: string[] = [state(reference)];
    for (;;) {
      const outcome = await reference.stepIn();
      if (outcome.kind === 'ended') break;
      views.push(state(reference));
    }
    const events = JSON.stringify(reference.trace);
    assert.ok(reference.trace.length > 20);

    // Small snapshot interval so replays start from many different snapshots.
    const runtime = teardown({ snapshotEvery: 4 });
    assert.equal((await runtime.continue()).kind, 'ended');
    assert.equal(JSON.stringify(runtime.trace), events);
    for (let position = runtime.position; position >= -1; position--) {
      await runtime.goTo(position);
      assert.equal(runtime.position, position);
      assert.equal(state(runtime), views[position + 1], `state after event ${position}`);
    }
    // Forward again from the start: the same trace.
    assert.equal((await runtime.continue()).kind, 'ended');
    assert.equal(JSON.stringify(runtime.trace), events);
    assert.ok(runtime.snapshotCount > 5);
  });

  test('stepBack at the start stays at the start', async () => {
    const runtime = teardown();
    const result = stop(await runtime.stepBack());
    assert.equal(result.position, -1);
    assert.equal(result.reason, 'entry');
  });
});

describe('runtime: stepping', () => {
  test('Step Over stops at the first event of each statement', async () => {
    const runtime = teardown();
    const lines: (number | undefined)[] = [];
    for (let outcome = await runtime.stepOver(); outcome.kind === 'stopped'; outcome = await runtime.stepOver()) {
      lines.push(runtime.statementLine());
    }
    assert.deepEqual(lines, [10, 11, 14, 15, 16, 17, 18]);
  });

  test('Step Out from a statement stops before the next one begins', async () => {
    const runtime = teardown();
    runtime.setLineBreakpoints([{ line: 15 }]);
    assert.equal(stop(await runtime.continue()).reason, 'breakpoint');
    runtime.setLineBreakpoints([]);
    const start = runtime.position;
    stop(await runtime.stepOut());
    assert.ok(runtime.position > start);
    assert.equal(runtime.statementLine(), 15);
    assert.equal(runtime.names().resolve(['client', 'state']), 'FIN-WAIT-2');
    stop(await runtime.stepIn());
    assert.equal(runtime.statementLine(), 16);
  });

  test('goToStatement jumps to where a statement began, forward then back, and reports expectations on the way', async () => {
    const printed: string[] = [];
    const runtime = teardown({ output: (text) => printed.push(text) });
    assert.equal(await runtime.goToStatement(12), undefined, 'no statement on line 12');
    assert.equal(stop(await runtime.goToStatement(18)).reason, 'goto');
    const at18 = runtime.position;
    assert.ok(printed.some((p) => /✔ line 17: client is TIME-WAIT/.test(p)));
    stop(await runtime.goToStatement(11));
    assert.equal(runtime.statementLine(), 11);
    assert.ok(runtime.position < at18);
    stop(await runtime.goToStatement(18));
    assert.equal(runtime.position, at18);
  });

  test('pause stops a long Continue', async () => {
    // A clock that moves 1 ms per look: the run hands the thread back after 10 looks.
    let now = 0;
    const runtime = runtimeFor(manySends(2000), { clock: () => now++ });
    const running = runtime.continue();
    runtime.pause();
    const result = stop(await running);
    assert.equal(result.reason, 'pause');
    assert.ok(runtime.position > 0 && !runtime.done);
  });
});

describe('runtime: breakpoints', () => {
  test('a state breakpoint stops right after the transition, for the named endpoint only', async () => {
    const runtime = teardown();
    const [bp] = runtime.setStateBreakpoints([{ name: 'server:CLOSED' }]);
    assert.equal(bp.verified, true);
    const result = stop(await runtime.continue());
    assert.equal(result.reason, 'function breakpoint');
    assert.deepEqual(result.hitBreakpointIds, [bp.id]);
    const event = runtime.currentEvent;
    assert.ok(event?.kind === 'transition' && event.endpoint === 'server' && event.to === 'CLOSED' && event.from === 'LAST-ACK');
  });

  test('a logpoint prints at its line and never stops; a condition error is reported once', async () => {
    const printed: string[] = [];
    const runtime = teardown({ output: (text) => printed.push(text) });
    runtime.setLineBreakpoints([{ line: 14, logMessage: 'sending at {now} ms, SND.NXT={client.SND.NXT}' }, { line: 16, condition: 'nobody.state == CLOSED' }]);
    assert.equal((await runtime.continue()).kind, 'ended');
    // The SEND call and the segment it sends are one step of the engine: SND.NXT already counts the 100 bytes.
    assert.ok(printed.includes('sending at 50 ms, SND.NXT=201\n'), printed.join(''));
    assert.equal(printed.filter((p) => /condition could not be evaluated.*unknown name 'nobody.state'/.test(p)).length, 1);
  });

  test('line breakpoints move to the nearest statement; beyond the last one, to the last', () => {
    const runtime = teardown();
    const results = runtime.setLineBreakpoints([{ line: 1 }, { line: 12 }, { line: 14 }, { line: 99 }]);
    assert.deepEqual(results.map((r) => r.line), [10, 14, 14, 18]);
    assert.ok(results.every((r) => r.verified));
    const bad = runtime.setLineBreakpoints([{ line: 14, condition: 'client.SND.NXT =' }]);
    assert.equal(bad[0].verified, false);
    assert.match(bad[0].message ?? '', /use '==' to compare/);
  });

  test('reverse continue finds the previous data breakpoint change', async () => {
    const runtime = teardown({ snapshotEvery: 3 });
    runtime.setDataBreakpoints([{ expression: 'client.SND.UNA' }]);
    const values: number[] = [];
    const positions: number[] = [];
    for (let outcome = await runtime.continue(); outcome.kind === 'stopped'; outcome = await runtime.continue()) {
      assert.equal(outcome.stop.reason, 'data breakpoint');
      values.push(runtime.names().resolve(['client', 'SND', 'UNA']) as number);
      positions.push(runtime.position);
    }
    assert.deepEqual(values, [101, 201, 202]);
    await runtime.goTo(positions[2] + 1);
    assert.equal(stop(await runtime.reverseContinue()).position, positions[2]);
    assert.equal(stop(await runtime.reverseContinue()).position, positions[1]);
    assert.equal(stop(await runtime.reverseContinue()).position, positions[0]);
    assert.equal(stop(await runtime.reverseContinue()).position, -1);
  });
});

describe('runtime: the console drops a segment', () => {
  test('the drop is in the trace, kept through step back and replay, and changes the future', async () => {
    const runtime = teardown({ snapshotEvery: 5 });
    runtime.setStateBreakpoints([{ name: 'client:FIN-WAIT-1' }]);
    stop(await runtime.continue());
    runtime.setStateBreakpoints([]);
    const fin = runtime.view().inFlight.find((s) => s.from === 'client' && s.flags.includes('FIN'));
    assert.ok(fin);
    assert.equal(await runtime.dropInFlight('s999'), undefined);
    const dropped = stop(await runtime.dropInFlight(fin.id));
    assert.equal(dropped.reason, 'step');
    const drop = runtime.currentEvent;
    assert.ok(drop?.kind === 'drop' && drop.id === fin.id && drop.reason === 'debug console', JSON.stringify(drop));
    assert.ok(!runtime.isInFlight(fin.id));
    assert.equal((await runtime.continue()).kind, 'ended');
    const after = JSON.stringify(runtime.trace);
    assert.ok(runtime.trace.some((e) => e.kind === 'send' && e.retransmission && e.flags.includes('FIN')));
    await runtime.goTo(-1);
    assert.equal((await runtime.continue()).kind, 'ended');
    assert.equal(JSON.stringify(runtime.trace), after, 'the replay drops it again');
  });
});

describe('runtime: a scenario with a wait', () => {
  // Line 6: the wait; line 7 runs when it finishes (at 1010 ms), line 8 50 ms later.
  const WAIT = [
    'endpoint client 10.0.0.1:49152 isn=100',
    'endpoint server 10.0.0.2:80 isn=300',
    '@0 server listen',
    '@0 client connect server',
    '@1s client close',
    'wait until server is CLOSE-WAIT',
    '+0 server close',
    '+50ms expect server is LAST-ACK',
  ].join('\n');

  test('Step Over goes from the statement before the wait to the wait\'s end, then on', async () => {
    const runtime = runtimeFor(WAIT);
    const stops: [number | undefined, number][] = [];
    for (let outcome = await runtime.stepOver(); outcome.kind === 'stopped'; outcome = await runtime.stepOver()) {
      stops.push([runtime.statementLine(), runtime.currentEvent?.t ?? -1]);
    }
    assert.deepEqual(stops.slice(2), [
      [5, 1000],
      [6, 1010],
      [7, 1010],
      [8, 1060],
    ]);
  });

  test('a breakpoint on the wait stops where it finished, after the events it waited through', async () => {
    const runtime = runtimeFor(WAIT);
    runtime.setLineBreakpoints([{ line: 6 }]);
    stop(await runtime.continue());
    const event = runtime.currentEvent;
    assert.equal(event?.kind, 'note');
    assert.match(event?.kind === 'note' ? event.message : '', /wait until server is CLOSE-WAIT: done after 10 ms/);
    assert.equal(runtime.names().resolve(['server', 'state']), 'CLOSE-WAIT');
  });

  test('a wait that never finishes stops at the expectation filter, at its line', async () => {
    const runtime = runtimeFor(WAIT.replace('@1s client close', '@1s client send 1'));
    runtime.setExceptionFilters(['expect-failed']);
    const halt = stop(await runtime.continue());
    assert.equal(halt.reason, 'exception');
    assert.equal(halt.exception?.expected, 'server is CLOSE-WAIT');
    assert.equal(runtime.currentEvent?.line, 6);
  });
});
