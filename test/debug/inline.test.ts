// The session inline, as VS Code runs it (DebugAdapterInlineImplementation): no stdio, the file
// read through an injected reader that returns bytes (workspace.fs.readFile does).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { TcpScenarioDebugSession } from '../../src/debug/session';

const SCENARIO = `scenario "握手"
scenario "再一次"
endpoint 客戶端 10.0.0.1:49152 isn=100
endpoint 服務器 10.0.0.2:80 isn=300
@0 服務器 listen
@0 客戶端 connect 服務器
+100ms expect 客戶端 is ESTABLISHED
`;

test('runs inline with an injected reader: launch, stop on entry, step, evaluate, run to the end', async () => {
  const reads: string[] = [];
  const session = new TcpScenarioDebugSession(async (path) => {
    reads.push(path);
    if (path !== 'untitled:/握手.tcpscenario') throw new Error('no such file');
    return new TextEncoder().encode(SCENARIO);
  });
  const messages: DebugProtocol.ProtocolMessage[] = [];
  const waiters: { match: (m: DebugProtocol.ProtocolMessage) => boolean; resolve: (m: DebugProtocol.ProtocolMessage) => void }[] = [];
  session.onDidSendMessage((message) => {
    const m = message as DebugProtocol.ProtocolMessage;
    const waiter = waiters.findIndex((w) => w.match(m));
    if (waiter >= 0) waiters.splice(waiter, 1)[0].resolve(m);
    else messages.push(m);
  });
  const wait = (match: (m: DebugProtocol.ProtocolMessage) => boolean) => {
    const queued = messages.findIndex(match);
    if (queued >= 0) return Promise.resolve(messages.splice(queued, 1)[0]);
    return new Promise<DebugProtocol.ProtocolMessage>((resolve) => waiters.push({ match, resolve }));
  };
  const event = (name: string) => wait((m) => m.type === 'event' && (m as DebugProtocol.Event).event === name) as Promise<DebugProtocol.Event>;
  let seq = 1;
  const request = (command: string, args?: unknown) => {
    const id = seq++;
    session.handleMessage({ seq: id, type: 'request', command, arguments: args } as DebugProtocol.Request);
    return wait((m) => m.type === 'response' && (m as DebugProtocol.Response).request_seq === id) as Promise<DebugProtocol.Response>;
  };

  try {
    await request('initialize', { adapterID: 'tcpscenario', pathFormat: 'path' });
    const launched = request('launch', { program: 'untitled:/握手.tcpscenario', stopOnEntry: true });
    await event('initialized');
    await request('configurationDone');
    assert.equal((await launched).success, true);
    assert.equal(((await event('stopped')) as DebugProtocol.StoppedEvent).body.reason, 'entry');
    assert.deepEqual(reads, ['untitled:/握手.tcpscenario']);
    // Warnings do not stop a run; they are shown in the Debug Console as FILE:LINE:COL.
    const warning = messages.find((m) => m.type === 'event' && (m as DebugProtocol.OutputEvent).body?.output?.includes('warning'));
    assert.match((warning as DebugProtocol.OutputEvent | undefined)?.body.output ?? '', /^untitled:\/握手\.tcpscenario:2:1: warning: /);

    const threads = (await request('threads')) as DebugProtocol.ThreadsResponse;
    assert.deepEqual(threads.body.threads.map((t) => t.name), ['客戶端 (CLOSED)', '服務器 (CLOSED)']);
    await request('continue', { threadId: 1 });
    assert.equal(((await event('exited')) as DebugProtocol.ExitedEvent).body.exitCode, 0);
    await event('terminated');
    const evaluated = (await request('evaluate', { expression: '客戶端.SND.NXT - 客戶端.ISS', context: 'watch' })) as DebugProtocol.EvaluateResponse;
    assert.equal(evaluated.body.result, '1');
  } finally {
    session.dispose();
  }
});
