// The debug adapter through a real DAP client (DebugClient) against the built `dist/debugAdapter.js`.
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { TcpTraceEventBody } from '../../src/debug/session';
import { isTraceBody } from '../../src/diagram/messages';
import { readCapture } from '../../src/interop/pcapRead';
import { Harness, fixture } from './harness';

const TEARDOWN = fixture('teardown.tcpscenario');

let h: Harness;
beforeEach(async () => {
  h = new Harness();
  await h.start();
});
afterEach(async () => {
  await h.stop();
});

describe('launch', () => {
  test('declares its capabilities truthfully', async () => {
    const response = await h.dc.initializeRequest({ adapterID: 'tcpscenario', pathFormat: 'path' });
    const caps = response.body!;
    for (const key of [
      'supportsConfigurationDoneRequest',
      'supportsFunctionBreakpoints',
      'supportsConditionalBreakpoints',
      'supportsHitConditionalBreakpoints',
      'supportsLogPoints',
      'supportsStepBack',
      'supportsDataBreakpoints',
      'supportsEvaluateForHovers',
      'supportsRestartRequest',
      'supportsExceptionInfoRequest',
      'supportsTerminateRequest',
      'supportsCompletionsRequest',
      'supportsGotoTargetsRequest',
    ] as const) {
      assert.equal(caps[key], true, key);
    }
    assert.equal(caps.supportsSteppingGranularity, false);
    const filters = caps.exceptionBreakpointFilters!;
    assert.deepEqual(filters.map((f) => f.filter), ['rst', 'retransmission', 'drop', 'expect-failed']);
    assert.deepEqual(filters.filter((f) => f.default).map((f) => f.filter), ['expect-failed']);
  });

  test('stops on entry, before the first event, at the first statement', async () => {
    await h.launch(TEARDOWN, { stopOnEntry: true });
    const stop = await h.stopped();
    assert.equal(stop.reason, 'entry');
    assert.equal(stop.allThreadsStopped, true);
    const threads = (await h.dc.threadsRequest()).body.threads;
    assert.deepEqual(threads.map((t) => t.name), ['client (CLOSED)', 'server (CLOSED)']);
    const frames = await h.frames();
    assert.equal(frames[0].line, 10);
    assert.equal(h.current, -1);
    assert.equal(h.lastTrace?.from, 0);
    assert.deepEqual(h.lastTrace?.endpoints.map((e) => [e.name, e.port, e.isn]), [
      ['client', 49152, 100],
      ['server', 80, 300],
    ]);
    assert.equal(h.lastTrace?.scenario, 'Teardown: the client waits in TIME-WAIT');
  });

  test('a broken scenario does not start: the error names FILE:LINE:COL and the message', async () => {
    await h.dc.initializeRequest({ adapterID: 'tcpscenario', pathFormat: 'path' });
    const program = fixture('broken.tcpscenario');
    await assert.rejects(h.dc.launchRequest({ program } as never), (error: Error) => {
      assert.match(error.message, new RegExp(`${program.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6:24: unknown endpoint 'sever'; did you mean server\\?`));
      assert.match(error.message, /:7:26: unknown state 'TIME_WAITING'; did you mean TIME-WAIT\?/);
      return true;
    });
  });

  test('a missing file is refused with a clear message', async () => {
    await h.dc.initializeRequest({ adapterID: 'tcpscenario', pathFormat: 'path' });
    await assert.rejects(h.dc.launchRequest({ program: fixture('nope.tcpscenario') } as never), /cannot read .*nope\.tcpscenario/);
  });

  test('runs to the end: expectation lines, a summary, exited 0 and terminated', async () => {
    await h.launch(TEARDOWN);
    const exited = await h.next('exited');
    assert.equal(exited.body.exitCode, 0);
    await h.next('terminated');
    assert.match(h.output, /✔ line 17: .*TIME-WAIT/);
    assert.match(h.output, /✔ line 18: .*CLOSED/);
    assert.match(h.output, /all 2 expectations held/);
    // The diagram got the whole run.
    assert.equal(h.trace.filter((e) => e.kind === 'expect').length, 2);
  });

  test('a scenario with one expectation: "its expectation held", never "all 1 expectations"', async () => {
    await h.launch(fixture('refused.tcpscenario'), {}, () => h.dc.setExceptionBreakpointsRequest({ filters: [] }));
    await h.next('terminated');
    assert.equal(h.trace.filter((e) => e.kind === 'expect').length, 1);
    assert.match(h.output, /Scenario finished at .* events?\): its expectation held\./);
    assert.doesNotMatch(h.output, /\b1 (expectations|events)\b/);
  });

  for (const name of ['teardown', 'refused', 'lost-syn', 'failing-expect', 'transfer', 'two-clients']) {
    test(`${name}: every tcpTrace body is one the diagram accepts`, async () => {
      await h.launch(fixture(`${name}.tcpscenario`), {}, () => h.dc.setExceptionBreakpointsRequest({ filters: [] }));
      await h.next('terminated');
      assert.ok(h.lastTrace && isTraceBody(h.lastTrace));
      const whole = (await h.dc.customRequest('tcpTrace')).body;
      assert.ok(isTraceBody(whole), 'the whole trace validates');
      assert.deepEqual((whole as TcpTraceEventBody).events, h.trace);
    });
  }

  test('a failed expectation makes exit code 1 when not stopping on it', async () => {
    await h.launch(fixture('failing-expect.tcpscenario'), {}, () => h.dc.setExceptionBreakpointsRequest({ filters: [] }));
    const exited = await h.next('exited');
    assert.equal(exited.body.exitCode, 1);
    assert.match(h.output, /✘ line 10: /);
    assert.match(h.output, /1 of 3 expectations failed/);
  });
});

describe('stepping', () => {
  test('Step Over goes statement by statement, then to the end', async () => {
    await h.launch(TEARDOWN, { stopOnEntry: true });
    await h.stopped();
    const lines: number[] = [];
    for (;;) {
      await h.dc.nextRequest({ threadId: 1 });
      const next = await h.nextOf(['stopped', 'terminated']);
      if (next.event === 'terminated') break;
      const frames = await h.frames();
      lines.push(frames[frames.length - 1].line);
    }
    assert.deepEqual(lines, [10, 11, 14, 15, 16, 17, 18]);
  });

  test('Step Into is one event; the tcpTrace event is incremental and names the current one', async () => {
    await h.launch(TEARDOWN, { stopOnEntry: true });
    await h.stopped();
    for (let i = 0; i < 5; i++) {
      await h.dc.stepInRequest({ threadId: 1 });
      await h.stopped();
      assert.equal(h.current, i);
      assert.equal(h.trace.length, i + 1);
      assert.equal(h.lastTrace?.from, i);
      assert.equal(h.lastTrace?.events.length, 1);
    }
    // A view that opens late asks for the whole trace.
    const whole = (await h.dc.customRequest('tcpTrace')).body as TcpTraceEventBody;
    assert.equal(whole.from, 0);
    assert.equal(whole.current, 4);
    assert.deepEqual(whole.events, h.trace);
  });

  test('a stop deep in a long run sends the events before the current one; earlier ones on request; a step back before them, a new window', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcpscenario-window-'));
    const program = join(dir, 'long.tcpscenario');
    const lines = ['endpoint client 10.0.0.1:49152', 'endpoint server 10.0.0.2:80', 'link client <-> server delay=2ms', '@0 server listen', '@0 client connect server'];
    for (let i = 0; i < 1500; i++) lines.push('+10ms client send 10');
    lines.push('+1s client close');
    writeFileSync(program, `${lines.join('\n')}\n`);
    try {
      await h.launch(program, {}, () => h.dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: 1405 }] }));
      await h.stopped();
      const first = h.lastTrace!;
      assert.ok(isTraceBody(first));
      assert.ok(first.start !== undefined && first.start > 0 && first.start === first.from, `a window from ${first.start}`);
      assert.ok(first.current - first.start < 2500 && first.current < first.start + first.events.length, 'the current event and those before it');
      // Earlier events on request, the same as the whole trace's.
      const whole = (await h.dc.customRequest('tcpTrace')).body as TcpTraceEventBody;
      assert.deepEqual(whole.events.slice(first.start), h.trace);
      const part = (await h.dc.customRequest('tcpTrace', { from: 100, to: 250 })).body as TcpTraceEventBody;
      assert.equal(part.from, 100);
      assert.deepEqual(part.events, whole.events.slice(100, 250));
      // Steps go as they come.
      await h.dc.stepInRequest({ threadId: 1 });
      await h.stopped();
      assert.equal(h.lastTrace?.start, undefined);
      assert.equal(h.lastTrace?.events.length, 1);
      // Back near the start (a breakpoint behind): the receiver's window no longer holds it, a new one comes.
      await h.dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: 10 }] });
      await h.dc.reverseContinueRequest({ threadId: 1 });
      await h.stopped();
      assert.ok(h.lastTrace && isTraceBody(h.lastTrace));
      assert.ok(h.traceStart < first.start!, 'a new window before the first one');
      assert.deepEqual(h.trace, whole.events.slice(h.traceStart, h.traceStart + h.trace.length));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('Step Out stops where the statement settled, before the next one begins', async () => {
    await h.launch(TEARDOWN, {}, () => h.dc.setBreakpointsRequest({ source: { path: TEARDOWN }, breakpoints: [{ line: 15 }] }));
    await h.stopped();
    assert.equal(await h.evaluate('event.call'), 'close');
    await h.dc.stepOutRequest({ threadId: 1 });
    await h.stopped();
    // The FIN went out and its ACK came back: the client waits in FIN-WAIT-2, still within line 15.
    assert.equal(await h.evaluate('client.state'), 'FIN-WAIT-2');
    const frames = await h.frames();
    assert.equal(frames[frames.length - 1].line, 15);
    await h.dc.stepInRequest({ threadId: 1 });
    await h.stopped();
    const after = await h.frames();
    assert.equal(after[after.length - 1].line, 16, 'the next event begins line 16');
  });

  test('client:TIME-WAIT function breakpoint, Variables, step back to FIN-WAIT-2 and forward again', async () => {
    await h.launch(TEARDOWN, {}, async () => {
      const response = await h.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'client:TIME-WAIT' }] });
      assert.equal(response.body.breakpoints[0].verified, true);
    });
    const stop = await h.stopped();
    assert.equal(stop.reason, 'function breakpoint');
    assert.equal(stop.threadId, 1);
    const event = h.currentEvent();
    assert.equal(event?.kind, 'transition');
    assert.equal(event?.kind === 'transition' && event.to, 'TIME-WAIT');
    const client = await h.variables('client');
    assert.equal(client.get('state')?.value, 'TIME-WAIT');
    // ISS 100 + SYN + 100 bytes + FIN.
    assert.equal(client.get('SND.NXT')?.value, '202');
    assert.equal(client.get('SND.NXT')?.evaluateName, 'client.SND.NXT');
    const frames = await h.frames(1);
    assert.match(frames[0].name, /client: FIN-WAIT-2 -> TIME-WAIT/);

    // Back, event by event, to where the client is still in FIN-WAIT-2: the state follows the trace,
    // so one step back (before the transition event) shows it.
    const atStop = h.current;
    const before = JSON.stringify(h.trace.slice(0, atStop + 1));
    let back = 0;
    while ((await h.evaluate('client.state')) !== 'FIN-WAIT-2') {
      assert.ok(back < 5, 'FIN-WAIT-2 within 5 steps back');
      await h.dc.stepBackRequest({ threadId: 1 });
      await h.stopped();
      back++;
      assert.equal(h.current, atStop - back);
      assert.equal(h.trace.length, atStop - back + 1);
    }
    assert.equal((await h.variables('client')).get('state')?.value, 'FIN-WAIT-2');
    assert.equal(back, 1);

    for (let i = 0; i < back; i++) {
      await h.dc.stepInRequest({ threadId: 1 });
      await h.stopped();
    }
    assert.equal(h.current, atStop);
    assert.equal(JSON.stringify(h.trace), before, 'the same events, replayed');
    assert.equal(await h.evaluate('client.state'), 'TIME-WAIT');
  });

  test('Reverse Continue lands on the earlier hit', async () => {
    await h.launch(TEARDOWN, {}, () => h.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ESTABLISHED' }, { name: 'TIME_WAIT' }] }));
    const hits: number[] = [];
    for (let i = 0; i < 3; i++) {
      const stop = await h.stopped();
      assert.equal(stop.reason, 'function breakpoint');
      hits.push(h.current);
      if (i < 2) await h.dc.continueRequest({ threadId: 1 });
    }
    await h.dc.reverseContinueRequest({ threadId: 1 });
    assert.equal((await h.stopped()).reason, 'function breakpoint');
    assert.equal(h.current, hits[1]);
    await h.dc.reverseContinueRequest({ threadId: 1 });
    await h.stopped();
    assert.equal(h.current, hits[0]);
    await h.dc.reverseContinueRequest({ threadId: 1 });
    assert.equal((await h.stopped()).reason, 'entry');
    assert.equal(h.current, -1);
    assert.equal(h.trace.length, 0);
  });

  test('Jump to Cursor moves forward and back to where a statement began, without stopping on the way', async () => {
    await h.launch(TEARDOWN, { stopOnEntry: true }, () => h.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ESTABLISHED' }] }));
    await h.stopped();
    const targets = (await h.dc.gotoTargetsRequest({ source: { path: TEARDOWN }, line: 13 })).body.targets;
    assert.deepEqual(targets.map((t) => [t.id, t.line]), [[14, 14]]);
    await h.dc.gotoRequest({ threadId: 1, targetId: 16 });
    assert.equal((await h.stopped()).reason, 'goto');
    assert.equal(await h.evaluate('event.call'), 'close');
    assert.equal(await h.evaluate('event.endpoint'), 'server');
    const at16 = h.current;
    await h.dc.gotoRequest({ threadId: 1, targetId: 14 });
    await h.stopped();
    assert.ok(h.current < at16);
    assert.equal(await h.evaluate('event.call'), 'send');
    await h.dc.gotoRequest({ threadId: 1, targetId: 16 });
    await h.stopped();
    assert.equal(h.current, at16);
  });

  test('Restart begins again from the first event', async () => {
    await h.launch(TEARDOWN, { stopOnEntry: true });
    await h.stopped();
    for (let i = 0; i < 3; i++) {
      await h.dc.stepInRequest({ threadId: 1 });
      await h.stopped();
    }
    await h.dc.restartRequest({ arguments: { program: TEARDOWN, stopOnEntry: true } as never });
    assert.equal((await h.stopped()).reason, 'entry');
    assert.equal(h.current, -1);
    assert.equal(h.trace.length, 0);
  });
});

describe('breakpoints', () => {
  test('a line breakpoint is verified and moved to the nearest statement', async () => {
    let verified: { verified: boolean; line?: number }[] = [];
    await h.launch(TEARDOWN, {}, async () => {
      verified = (await h.dc.setBreakpointsRequest({ source: { path: TEARDOWN }, breakpoints: [{ line: 13 }] })).body.breakpoints;
    });
    assert.deepEqual(verified.map((b) => [b.verified, b.line]), [[true, 14]]);
    const stop = await h.stopped();
    assert.equal(stop.reason, 'breakpoint');
    const frames = await h.frames(stop.threadId);
    assert.equal(frames[0].line, 14);
    assert.equal(await h.evaluate('event.call'), 'send');
    assert.equal(await h.evaluate('now'), '50');
  });

  test('conditions skip a breakpoint whose condition is false; a logpoint prints without stopping', async () => {
    await h.launch(TEARDOWN, {}, () =>
      h.dc.setBreakpointsRequest({
        source: { path: TEARDOWN },
        breakpoints: [
          { line: 14, condition: 'client.SND.NXT > 500' },
          { line: 15, logMessage: 'closing: {client.SND.NXT - client.SND.UNA} unacknowledged, state {client.state}' },
          { line: 16, condition: 'client.SND.UNA - client.ISS > 100' },
        ],
      }),
    );
    const stop = await h.stopped();
    assert.equal(stop.reason, 'breakpoint');
    assert.equal((await h.frames(stop.threadId))[0].line, 16);
    // The CLOSE call and the FIN it sends are one engine step: the FIN is out, not yet acknowledged,
    // while the state follows the trace: at the call's own event the transition has not been shown yet.
    assert.match(h.output, /closing: 1 unacknowledged, state ESTABLISHED/);
  });

  test('a hit count stops on the Nth hit only', async () => {
    await h.launch(TEARDOWN, {}, () => h.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ESTABLISHED', hitCondition: '2' }] }));
    const stop = await h.stopped();
    assert.equal(stop.reason, 'function breakpoint');
    // The client gets there first (on the SYN,ACK), the server second (on the ACK).
    assert.equal(stop.threadId, 2);
    const event = h.currentEvent();
    assert.equal(event?.kind === 'transition' && event.endpoint, 'server');
  });

  test('an unknown state or endpoint in a function breakpoint is not verified, with a reason', async () => {
    await h.launch(TEARDOWN, { stopOnEntry: true }, async () => {
      const response = await h.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'TIME-WAITING' }, { name: 'sever:CLOSED' }, { name: 'client:time_wait' }] });
      const [state, endpoint, lower] = response.body.breakpoints;
      assert.equal(state.verified, false);
      assert.match(state.message ?? '', /not a TCP state/);
      assert.equal(endpoint.verified, false);
      assert.match(endpoint.message ?? '', /unknown endpoint 'sever'/);
      assert.equal(lower.verified, true);
    });
    await h.stopped();
  });

  test('a data breakpoint on client.SND.UNA stops each time it changes', async () => {
    await h.launch(TEARDOWN, { stopOnEntry: true });
    await h.stopped();
    // Run to the client's connection first so SND.UNA exists.
    await h.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'client:SYN-SENT' }] });
    await h.dc.continueRequest({ threadId: 1 });
    await h.stopped();
    const reference = await h.scopeReference('client');
    const info = await h.dc.dataBreakpointInfoRequest({ name: 'SND.UNA', variablesReference: reference });
    assert.equal(info.body.dataId, 'client.SND.UNA');
    const set = await h.dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId! }] });
    assert.equal(set.body.breakpoints[0].verified, true);
    await h.dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    await h.dc.continueRequest({ threadId: 1 });
    assert.equal((await h.stopped()).reason, 'data breakpoint');
    assert.equal(await h.evaluate('client.SND.UNA'), '101'); // the SYN is acknowledged
    await h.dc.continueRequest({ threadId: 1 });
    assert.equal((await h.stopped()).reason, 'data breakpoint');
    assert.equal(await h.evaluate('client.SND.UNA'), '201'); // the 100 bytes are
  });
});

describe('TCP options in the Variables view', () => {
  test('a linux-profile connection shows its MSS and what both SYNs agreed', async () => {
    await h.launch(fixture('../captures/close-on-eof/scenario.tcpscenario'), { stopOnEntry: true });
    await h.stopped();
    await h.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'client:ESTABLISHED' }] });
    await h.dc.continueRequest({ threadId: 1 });
    await h.stopped();
    const vars = await h.variables('client');
    assert.equal(vars.get('MSS')?.value, '1448'); // 1460 less the timestamps option
    assert.equal(vars.get('options')?.value, 'sackOK, TS, wscale snd 10 rcv 10, peer mss 1460');
  });
});

describe('congestion control in the Variables view', () => {
  test('cwnd, ssthresh, flight size and recovery are shown; a data breakpoint on client.cwnd stops when the window grows', async () => {
    await h.launch(fixture('transfer.tcpscenario'), { stopOnEntry: true });
    await h.stopped();
    await h.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'client:ESTABLISHED' }] });
    await h.dc.continueRequest({ threadId: 1 });
    await h.stopped();
    const vars = await h.variables('client');
    // RFC 5681 3.1: an initial window of three segments for SMSS 1460; ssthresh "arbitrarily high" (2^30).
    assert.equal(vars.get('cwnd (bytes)')?.value, String(3 * 1460));
    assert.equal(vars.get('cwnd (bytes)')?.evaluateName, 'client.cwnd');
    assert.equal(vars.get('ssthresh (bytes)')?.value, String(2 ** 30));
    assert.equal(vars.get('flight size (bytes)')?.value, '0');
    assert.equal(vars.get('recovery')?.value, 'open');
    const info = await h.dc.dataBreakpointInfoRequest({ name: 'cwnd (bytes)', variablesReference: await h.scopeReference('client') });
    assert.equal(info.body.dataId, 'client.cwnd');
    const set = await h.dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId! }] });
    assert.equal(set.body.breakpoints[0].verified, true);
    await h.dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    await h.dc.continueRequest({ threadId: 1 });
    assert.equal((await h.stopped()).reason, 'data breakpoint');
    // The ACK of the first 100 bytes: slow start adds min(N, SMSS) = 100.
    assert.equal(await h.evaluate('client.cwnd'), String(3 * 1460 + 100));
    assert.equal(await h.evaluate('client.recovery'), 'open');
  });
});

describe('data breakpoints on expressions', () => {
  test('a watched expression can be a data breakpoint; a nonsense one is refused', async () => {
    await h.launch(TEARDOWN, { stopOnEntry: true });
    await h.stopped();
    const bad = await h.dc.dataBreakpointInfoRequest({ name: 'client.SND.NX' });
    assert.equal(bad.body.dataId, null);
    const info = await h.dc.dataBreakpointInfoRequest({ name: 'server.state' });
    assert.equal(info.body.dataId, 'server.state');
    await h.dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: 'server.state' }] });
    await h.dc.continueRequest({ threadId: 1 });
    assert.equal((await h.stopped()).reason, 'data breakpoint');
    assert.equal(await h.evaluate('server.state'), 'LISTEN');
    await h.dc.continueRequest({ threadId: 1 });
    await h.stopped();
    assert.equal(await h.evaluate('server.state'), 'SYN-RECEIVED');
  });
});

describe('exception filters', () => {
  test('rst: the refused connection stops on the RST, exceptionInfo says so', async () => {
    await h.launch(fixture('refused.tcpscenario'), {}, () => h.dc.setExceptionBreakpointsRequest({ filters: ['rst'] }));
    const stop = await h.stopped();
    assert.equal(stop.reason, 'exception');
    const info = await h.dc.exceptionInfoRequest({ threadId: stop.threadId! });
    assert.equal(info.body.exceptionId, 'rst');
    assert.match(info.body.description ?? '', /server sent RST to client/);
    const event = h.currentEvent();
    assert.ok(event && (event.kind === 'send' || event.kind === 'inject') && event.flags.includes('RST'));
  });

  test('retransmission: the lost SYN is sent again', async () => {
    await h.launch(fixture('lost-syn.tcpscenario'), {}, () => h.dc.setExceptionBreakpointsRequest({ filters: ['retransmission'] }));
    const stop = await h.stopped();
    assert.equal(stop.reason, 'exception');
    const event = h.currentEvent();
    assert.ok(event?.kind === 'send' && event.retransmission && event.flags.includes('SYN'));
    assert.equal(event.t, 1000, 'after the initial RTO of 1 s');
    assert.equal((await h.dc.exceptionInfoRequest({ threadId: 1 })).body.exceptionId, 'retransmission');
  });

  test('drop: the fault rule drops the SYN', async () => {
    await h.launch(fixture('lost-syn.tcpscenario'), {}, () => h.dc.setExceptionBreakpointsRequest({ filters: ['drop'] }));
    const stop = await h.stopped();
    assert.equal(stop.reason, 'exception');
    const event = h.currentEvent();
    assert.equal(event?.kind, 'drop');
    assert.equal((await h.dc.exceptionInfoRequest({ threadId: 1 })).body.exceptionId, 'drop');
  });

  test('expect-failed is on by default; exceptionInfo gives expected and actual', async () => {
    await h.launch(fixture('failing-expect.tcpscenario'));
    const stop = await h.stopped();
    assert.equal(stop.reason, 'exception');
    const info = await h.dc.exceptionInfoRequest({ threadId: stop.threadId! });
    assert.equal(info.body.exceptionId, 'expect-failed');
    assert.match(info.body.details?.message ?? '', /expected: .*TIME-WAIT/);
    assert.match(info.body.details?.message ?? '', /actual: .*ESTABLISHED/);
    const frames = await h.frames(stop.threadId);
    assert.equal(frames[frames.length - 1].line, 10);
  });
});

describe('evaluate and the console', () => {
  test('arithmetic over TCB fields, comparisons, hovers, clear errors', async () => {
    await h.launch(TEARDOWN, {}, () => h.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'client:TIME-WAIT' }] }));
    await h.stopped();
    assert.equal(await h.evaluate('client.SND.NXT - client.ISS'), '102');
    assert.equal(await h.evaluate('server.SND.NXT - server.ISS'), '2');
    assert.equal(await h.evaluate('client.state == TIME-WAIT && server.state == LAST-ACK'), 'true');
    assert.match(await h.evaluate('client', 'hover'), /client: TIME-WAIT/);
    assert.match(await h.evaluate('TIME-WAIT', 'hover'), /client is in TIME-WAIT now/);
    assert.match(await h.evaluate('client.SND.NXT', 'hover'), /^202$/);
    await assert.rejects(h.evaluate('sever.state', 'repl'), /unknown name 'sever.state': endpoints are client, server/);
    assert.match(await h.evaluate('help', 'repl'), /drop next client -> server FIN,ACK/);
    const complete = async (text: string) => (await h.dc.completionsRequest({ text, column: text.length + 1 })).body.targets.map((t) => t.label);
    assert.deepEqual(await complete('cl'), ['client', 'CLOSED', 'CLOSE-WAIT', 'CLOSING'].filter((l) => l.startsWith('cl')));
    assert.ok((await complete('client.SND.N')).includes('SND.NXT'));
    assert.ok((await complete('server.st')).includes('state'));
    assert.match(await h.evaluate('drop next server -> client FIN', 'repl'), /you may mean FIN,ACK/);
  });

  test('drop s<N> from the console drops the segment in flight, the trace says so, replay keeps it', async () => {
    await h.launch(TEARDOWN, {}, () =>
      h.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'client:FIN-WAIT-1' }] }),
    );
    await h.stopped();
    const list = await h.evaluate('segments', 'repl');
    const fin = /^(s\d+) client -> server \S*FIN/m.exec(list);
    assert.ok(fin, `the FIN is in flight: ${list}`);
    assert.match(await h.evaluate(`drop ${fin[1]}`, 'repl'), new RegExp(`dropping ${fin[1]}`));
    await h.stopped();
    const drop = h.currentEvent();
    assert.ok(drop?.kind === 'drop' && drop.id === fin[1] && /debug console/.test(drop.reason), JSON.stringify(drop));
    const at = h.current;
    // Step back over the drop and forward again: the drop is replayed.
    await h.dc.stepBackRequest({ threadId: 1 });
    await h.stopped();
    await h.dc.stepInRequest({ threadId: 1 });
    await h.stopped();
    assert.equal(h.current, at);
    assert.deepEqual(h.currentEvent(), drop);
    // The lost FIN is retransmitted.
    await h.dc.setExceptionBreakpointsRequest({ filters: ['retransmission'] });
    await h.dc.continueRequest({ threadId: 1 });
    await h.stopped();
    const again = h.currentEvent();
    assert.ok(again?.kind === 'send' && again.retransmission && again.flags.includes('FIN'));
  });

  test('save capture FILE writes the run so far as pcapng, only to a file it may replace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcpscenario-save-'));
    try {
      const program = join(dir, 'teardown.tcpscenario');
      writeFileSync(program, readFileSync(TEARDOWN, 'utf8'));
      await h.launch(program, {}, () => h.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'client:FIN-WAIT-2' }] }));
      await h.stopped();
      // A relative name is the scenario's folder's; the capture holds what has run up to here.
      assert.match(await h.evaluate('save capture so-far.pcapng', 'repl'), /^wrote .*so-far\.pcapng \(\d+ packets up to [\d.]+ ms, [\d,]+ bytes, pcapng; one interface per endpoint\)$/);
      const read = readCapture(readFileSync(join(dir, 'so-far.pcapng')));
      const upTo = h.trace.slice(0, h.current + 1);
      assert.equal(read.packets.length, upTo.filter((e) => e.kind === 'send').length + upTo.filter((e) => e.kind === 'deliver').length);
      assert.match(await h.evaluate(`save capture "${join(dir, 'client side.pcapng')}" at client`, 'repl'), /captured at client\)$/);
      assert.deepEqual(readCapture(readFileSync(join(dir, 'client side.pcapng'))).interfaces.map((i) => i.name), ['client']);
      // Refused: the scenario itself, a folder, a file that is not a capture, a device, an unknown endpoint.
      writeFileSync(join(dir, 'notes.txt'), 'keep me');
      await assert.rejects(h.evaluate(`save capture ${program}`, 'repl'), /is the scenario itself/);
      await assert.rejects(h.evaluate(`save capture ${dir}`, 'repl'), /is a directory/);
      await assert.rejects(h.evaluate('save capture notes.txt', 'repl'), /exists and is not a pcap or pcapng capture; not overwriting it/);
      await assert.rejects(h.evaluate('save capture /dev/null', 'repl'), /is not a regular file/);
      await assert.rejects(h.evaluate('save capture x.pcapng at sever', 'repl'), /no endpoint named 'sever'/);
      await assert.rejects(h.evaluate('save x.pcapng', 'repl'), /expected 'capture' after 'save'/);
      assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'keep me');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('drop next A -> B FLAGS adds a one-shot fault', async () => {
    await h.launch(TEARDOWN, { stopOnEntry: true });
    await h.stopped();
    assert.match(await h.evaluate('drop next server -> client FIN,ACK', 'repl'), /fault added/);
    await h.stopped();
    await h.dc.setExceptionBreakpointsRequest({ filters: ['drop'] });
    await h.dc.continueRequest({ threadId: 1 });
    await h.stopped();
    const drop = h.currentEvent();
    assert.equal(drop?.kind, 'drop');
    const segment = h.trace.find((e) => (e.kind === 'send' || e.kind === 'inject') && drop?.kind === 'drop' && e.id === drop.id);
    assert.ok(segment?.kind === 'send' && segment.from === 'server' && segment.flags.includes('FIN'));
    await assert.rejects(h.evaluate('drop next sever -> client FIN', 'repl'), /unknown endpoint 'sever'/);
  });

  test('delay next A -> B FLAGS by D: the segment arrives D later than the link delivers', async () => {
    await h.launch(TEARDOWN, { stopOnEntry: true });
    await h.stopped();
    assert.match(await h.evaluate('delay next server -> client FIN,ACK by 500ms', 'repl'), /fault added/);
    await h.stopped();
    // The late FIN makes `expect client is TIME-WAIT` fail: run through.
    await h.dc.setExceptionBreakpointsRequest({ filters: [] });
    await h.dc.continueRequest({ threadId: 1 });
    assert.equal((await h.next('exited')).body.exitCode, 1, 'the expectation on line 17 failed');
    const fin = h.trace.find((e) => e.kind === 'send' && e.from === 'server' && e.flags.includes('FIN'));
    const arrival = h.trace.find((e) => e.kind === 'deliver' && fin?.kind === 'send' && e.id === fin.id);
    assert.ok(fin && arrival, 'the FIN and its arrival');
    // The link's 10 ms and the console's 500 ms.
    assert.equal(arrival.t - fin.t, 510);
    const ack = h.trace.find((e) => e.kind === 'send' && e.from === 'server' && e.flags.join() === 'ACK');
    const ackArrival = h.trace.find((e) => e.kind === 'deliver' && ack?.kind === 'send' && e.id === ack.id);
    assert.equal(ackArrival && ack ? ackArrival.t - ack.t : undefined, 10, 'once: other segments keep the link delay');
  });

  test('reorder next A -> B data: the first of three segments sent at once arrives after the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcpscenario-reorder-'));
    const file = join(dir, 'bulk.tcpscenario');
    writeFileSync(file, 'endpoint client 10.0.0.1:49152 isn=100\nendpoint server 10.0.0.2:80 isn=300\nlink client <-> server delay=10ms\n@0 server listen\n@0 client connect server\n@50ms client send 3000\n');
    await h.launch(file, { stopOnEntry: true });
    await h.stopped();
    assert.match(await h.evaluate('reorder next client -> server data', 'repl'), /fault added/);
    await h.stopped();
    await h.dc.continueRequest({ threadId: 1 });
    await h.next('exited');
    const sends = new Map(h.trace.flatMap((e) => (e.kind === 'send' && e.len > 0 ? [[e.id, e] as const] : [])));
    const sent = [...sends.values()].filter((e) => e.from === 'client' && !e.retransmission).map((e) => e.id);
    const arrived = h.trace.flatMap((e) => (e.kind === 'deliver' && sent.includes(e.id) ? [e.id] : []));
    assert.equal(sent.length, 3);
    assert.deepEqual(arrived, [sent[1], sent[2], sent[0]]);
  });

  test('inject A -> B RST: a crafted segment now, noted in the trace, replayed after Step Back', async () => {
    await h.launch(TEARDOWN, {}, () => h.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'client:ESTABLISHED' }] }));
    await h.stopped();
    // The server's next sequence number (ISN 300 + 1 for its SYN): a RST in the window.
    assert.match(await h.evaluate('inject server -> client RST seq=301', 'repl'), /injecting: inject server -> client RST seq=301 \(debug console\)/);
    await h.stopped();
    const note = h.currentEvent();
    assert.ok(note?.kind === 'note' && /segment injected from the debug console/.test(note.message), JSON.stringify(note));
    const at = h.current;
    await h.dc.stepInRequest({ threadId: 1 });
    await h.stopped();
    const injected = h.currentEvent();
    assert.ok(injected?.kind === 'inject' && injected.from === 'server' && injected.flags.join() === 'RST' && injected.seq === 301, JSON.stringify(injected));
    await h.dc.stepBackRequest({ threadId: 1 });
    await h.stopped();
    await h.dc.stepBackRequest({ threadId: 1 });
    await h.stopped();
    await h.dc.stepInRequest({ threadId: 1 });
    await h.stopped();
    assert.equal(h.current, at);
    await h.dc.setExceptionBreakpointsRequest({ filters: [] });
    await h.dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    await h.dc.continueRequest({ threadId: 1 });
    await h.next('exited');
    // The RST in the window resets the client's connection (RFC 9293 3.10.7.4).
    assert.ok(h.trace.some((e) => e.kind === 'transition' && e.endpoint === 'client' && e.to === 'CLOSED' && e.t < 100), 'the client is reset');
  });
});

describe('variables', () => {
  test('scopes: each endpoint, the network with arrival times, the current event; relative sequence numbers', async () => {
    await h.launch(TEARDOWN, { sequenceNumbers: 'relative' }, () => h.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'client:FIN-WAIT-1' }] }));
    await h.stopped();
    const frames = await h.frames();
    const scopes = (await h.dc.scopesRequest({ frameId: frames[0].id })).body.scopes.map((s) => s.name);
    assert.deepEqual(scopes.map((s) => s.replace(/ \(.*$/, '')), ['client', 'server', 'Network', 'Current event #' + h.current]);
    const client = await h.variables('client');
    assert.equal(client.get('SND.NXT')?.value, '102 (absolute 202)');
    const network = await h.variables('Network');
    assert.ok([...network.values()].some((v) => /FIN.*arrives at 110 ms/.test(v.value)), [...network.values()].map((v) => v.value).join('; '));
    const event = await h.variables('Current event');
    assert.equal(event.get('kind')?.value, 'transition');
    assert.equal(event.get('to')?.value, 'FIN-WAIT-1');
  });

  test('calls: each call\'s latest result, what expect NAME CALL checks', async () => {
    await h.launch(TEARDOWN, {}, () => h.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'client:FIN-WAIT-1' }] }));
    await h.stopped();
    const calls = (await h.variables('client')).get('calls');
    assert.equal(calls?.value, 'all ok');
    const results = (await h.dc.variablesRequest({ variablesReference: calls!.variablesReference })).body.variables.map((v) => `${v.name}: ${v.value}`);
    assert.deepEqual(results, ['connect: ok at 0 ms', 'send: ok at 50 ms', 'close: ok at 100 ms']);
  });

  test('a host with several connections shows one entry per connection, each with its own evaluateName', async () => {
    const program = fixture('two-clients.tcpscenario');
    await h.launch(program, {}, () => h.dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: 13 }] }));
    await h.stopped();
    const server = await h.variables('server', 3);
    assert.equal(server.get('state')?.value, 'ESTABLISHED');
    const bob = server.get('connection bob');
    assert.ok(bob && bob.variablesReference > 0, [...server.keys()].join(', '));
    assert.match(bob.value, /ESTABLISHED 10\.0\.0\.2:80 <-> 10\.0\.0\.3:49153/);
    const fields = (await h.dc.variablesRequest({ variablesReference: bob.variablesReference })).body.variables;
    const rcvNxt = fields.find((v) => v.name === 'RCV.NXT');
    assert.equal(rcvNxt?.evaluateName, 'server.bob.RCV.NXT');
    assert.equal(await h.evaluate('server.bob.RCV.NXT - server.bob.IRS'), '31');
    assert.equal(await h.evaluate('server.alice.RCV.NXT - server.alice.IRS'), '101');
    assert.equal(await h.evaluate('server.received'), '130');
  });
});

describe('launch options and pause', () => {
  test('profile overrides the file and reaches the diagram', async () => {
    await h.launch(TEARDOWN, { stopOnEntry: true, profile: 'linux' });
    await h.stopped();
    assert.equal(h.lastTrace?.profile, 'linux');
  });

  test('a bad profile is refused', async () => {
    await h.dc.initializeRequest({ adapterID: 'tcpscenario', pathFormat: 'path' });
    await assert.rejects(h.dc.launchRequest({ program: TEARDOWN, profile: 'bsd' } as never), /"profile" must be "rfc" or "linux"/);
  });

  test('Pause stops a long Continue', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcpscenario-pause-'));
    const program = join(dir, 'long.tcpscenario');
    const lines = ['endpoint client 10.0.0.1:49152', 'endpoint server 10.0.0.2:80', '@0 server listen', '@0 client connect server', '+50ms client send 10'];
    for (let i = 0; i < 30_000; i++) lines.push('+10ms client send 10');
    writeFileSync(program, lines.join('\n'));
    try {
      await h.launch(program, { stopOnEntry: true });
      await h.stopped();
      await h.dc.continueRequest({ threadId: 1 });
      await h.dc.pauseRequest({ threadId: 1 });
      const next = await h.nextOf(['stopped', 'terminated']);
      assert.equal(next.event, 'stopped');
      assert.equal((next as DebugProtocol.StoppedEvent).body.reason, 'pause');
      assert.ok(h.current > 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
