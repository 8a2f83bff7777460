// How the debugger speaks (issues 14 and 15), through a real DAP client against dist/debugAdapter.js:
// every stop says what happened and why (the rule the engine applied, or the line), the Variables
// view has a "why" node, the "Why?" index jumps to a rule's first event, numbers follow one setting,
// and everything is said in the language DAP's `initialize` gives.
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { RULES } from '../../src/engine/rules';
import { Harness, fixture } from './harness';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEBUG_MESSAGES as M } from '../../src/debug/messages';
import { CAPTURE_FILE_MESSAGES } from '../../src/run/captureFile';
import { CAPTURE_WRITE_MESSAGES } from '../../src/interop/traceCapture';
import { translatorFor } from '../../src/text/bundles';

const TEARDOWN = fixture('teardown.tcpscenario');

let h: Harness;
beforeEach(async () => {
  h = new Harness();
  await h.start();
});
afterEach(async () => {
  await h.stop();
});

/** Steps into events until `found` says so (at most `limit` steps). */
async function stepUntil(found: (event: NonNullable<ReturnType<Harness['currentEvent']>>) => boolean, limit = 200): Promise<DebugProtocol.StoppedEvent['body']> {
  for (let i = 0; i < limit; i++) {
    await h.dc.stepInRequest({ threadId: 1 });
    const stop = await h.stopped();
    const event = h.currentEvent();
    if (event && found(event)) return stop;
  }
  throw new Error('no such event');
}

async function whyChildren(scope: string, why: string): Promise<Map<string, string>> {
  const node = (await h.variables(scope)).get(why);
  assert.ok(node && node.variablesReference > 0, `a "${why}" node that opens`);
  const children = (await h.dc.variablesRequest({ variablesReference: node.variablesReference })).body.variables;
  return new Map(children.map((v) => [v.name, v.value]));
}

describe('every stop explains itself', () => {
  test('a stop on TIME-WAIT names the rule, where it is written and the case', async () => {
    await h.launch(TEARDOWN, {}, () => h.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'client:TIME-WAIT' }] }));
    const stop = await h.stopped();
    assert.equal(stop.reason, 'function breakpoint');
    assert.equal(stop.description, 'client entered TIME-WAIT: RFC 9293 3.10.7.4, FIN,ACK in FIN-WAIT-2');
    assert.equal(h.currentEvent()?.rule, 'rfc9293.3.10.7.4.fin.time-wait');
  });

  test('the Variables view has a "why" node with the summary, the source and the link', async () => {
    await h.launch(TEARDOWN, {}, () => h.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'client:TIME-WAIT' }] }));
    await h.stopped();
    const rule = RULES['rfc9293.3.10.7.4.fin.time-wait'];
    const why = (await h.variables('Current event')).get('why');
    assert.equal(why?.value, `RFC 9293 3.10.7.4: ${rule.summary}`);
    const children = await whyChildren('Current event', 'why');
    assert.equal(children.get('what it says'), rule.summary);
    assert.equal(children.get('where it is written'), 'RFC 9293 3.10.7.4');
    assert.equal(children.get('link'), 'https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4');
    assert.equal(children.get('rule'), 'rfc9293.3.10.7.4.fin.time-wait');
  });

  test('an event the scenario caused names its line, and its "why" is the statement', async () => {
    await h.launch(TEARDOWN, { stopOnEntry: true });
    await h.stopped();
    await h.dc.stepInRequest({ threadId: 1 });
    const stop = await h.stopped();
    const event = h.currentEvent();
    assert.equal(event?.kind, 'app');
    assert.equal(event?.rule, undefined);
    assert.equal(stop.description, 'server: OPEN, passive (RFC 9293 3.10.1): line 10');
    const children = await whyChildren('Current event', 'why');
    assert.equal(children.get('line'), '10');
    assert.equal(children.get('statement'), '@0      server listen');
  });

  test('every step stop of a run names a rule or a line', async () => {
    await h.launch(TEARDOWN, { stopOnEntry: true });
    await h.stopped();
    for (let i = 0; i < 40; i++) {
      await h.dc.stepInRequest({ threadId: 1 });
      const stop = await h.stopped();
      const event = h.currentEvent()!;
      const source = event.rule !== undefined ? RULES[event.rule as keyof typeof RULES]?.source : undefined;
      if (source) assert.ok(stop.description!.includes(`: ${source}`), `${stop.description} names ${source}`);
      else if (event.line !== undefined) assert.ok(stop.description!.endsWith(`: line ${event.line}`), stop.description);
    }
  });

  test('the Call Stack names the rule of the current event', async () => {
    await h.launch(TEARDOWN, {}, () => h.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'client:TIME-WAIT' }] }));
    await h.stopped();
    const [top] = await h.frames();
    assert.match(top.name, /client: FIN-WAIT-2 -> TIME-WAIT \(cause: s\d+\) \(RFC 9293 3\.10\.7\.4\)$/);
  });
});

describe('the "Why?" index (tcpGoToRule)', () => {
  test('goes forward to the first event of a rule, then back to an earlier rule', async () => {
    await h.launch(TEARDOWN, { stopOnEntry: true });
    await h.stopped();
    await h.dc.customRequest('tcpGoToRule', { rule: 'rfc9293.3.10.8.time-wait' });
    let stop = await h.stopped();
    assert.equal(stop.reason, 'goto');
    assert.equal(h.currentEvent()?.rule, 'rfc9293.3.10.8.time-wait');
    assert.equal(h.trace.findIndex((e) => e.rule === 'rfc9293.3.10.8.time-wait'), h.current, 'the first such event');
    assert.match(stop.description!, /: RFC 9293 3\.10\.8/);

    await h.dc.customRequest('tcpGoToRule', { rule: 'rfc9293.3.10.7.3.syn-ack' });
    stop = await h.stopped();
    assert.equal(stop.reason, 'goto');
    assert.equal(h.currentEvent()?.rule, 'rfc9293.3.10.7.3.syn-ack');
    assert.equal(h.trace.findIndex((e) => e.rule === 'rfc9293.3.10.7.3.syn-ack'), h.current);
  });

  test('a rule the run never uses: back where it was, and the stop says so', async () => {
    await h.launch(TEARDOWN, { stopOnEntry: true });
    await h.stopped();
    await stepUntil((e) => e.kind === 'transition' && e.to === 'ESTABLISHED');
    const here = h.current;
    await h.dc.customRequest('tcpGoToRule', { rule: 'rfc5961.4.2.challenge-ack' });
    const stop = await h.stopped();
    assert.equal(stop.description, 'the run names rfc5961.4.2.challenge-ack nowhere; back where it was');
    assert.equal(h.current, here);
  });

  test('bad arguments are refused with what is wrong', async () => {
    await h.launch(TEARDOWN, { stopOnEntry: true });
    await h.stopped();
    await assert.rejects(h.dc.customRequest('tcpGoToRule', {}), /"rule" is missing/);
    await assert.rejects(h.dc.customRequest('tcpNumbering', { sequenceNumbers: 'both' }), /"sequenceNumbers" must be "absolute" or "relative", not "both"/);
  });
});

describe('one numbering everywhere', () => {
  async function ackOfHandshake(): Promise<DebugProtocol.StackFrame> {
    await stepUntil((e) => e.kind === 'send' && e.from === 'client' && e.flags.join(',') === 'ACK');
    return (await h.frames())[0];
  }

  test('relative numbers in the Call Stack, the stop description and Variables agree', async () => {
    await h.launch(TEARDOWN, { stopOnEntry: true, sequenceNumbers: 'relative' });
    await h.stopped();
    const top = await ackOfHandshake();
    assert.match(top.name, /client: SEND ACK seq=1 ack=1 len=0 to server/);
    const vars = await h.variables('client');
    assert.equal(vars.get('SND.NXT')?.value, '1 (absolute 101)');
    assert.equal(vars.get('RCV.NXT')?.value, '1 (absolute 301)');
  });

  test('absolute numbers by default, and a switch mid-session (tcpNumbering) invalidates the views', async () => {
    h.initialize = { supportsInvalidatedEvent: true };
    await h.launch(TEARDOWN, { stopOnEntry: true });
    await h.stopped();
    let top = await ackOfHandshake();
    assert.match(top.name, /client: SEND ACK seq=101 ack=301 len=0 to server/);
    const invalidated = h.dc.waitForEvent('invalidated');
    await h.dc.customRequest('tcpNumbering', { sequenceNumbers: 'relative' });
    await invalidated;
    top = (await h.frames())[0];
    assert.match(top.name, /client: SEND ACK seq=1 ack=1 len=0 to server/);
    assert.equal((await h.variables('client')).get('SND.NXT')?.value, '1 (absolute 101)');
  });
});

describe('the adapter speaks the client\'s language', () => {
  test('zh-cn: stop descriptions, the "why" node, scopes and Debug Console lines in Simplified Chinese', async () => {
    h.initialize = { locale: 'zh-cn' };
    await h.launch(TEARDOWN, {}, () => h.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'client:TIME-WAIT' }] }));
    const stop = await h.stopped();
    assert.equal(stop.description, 'client 进入 TIME-WAIT：RFC 9293 3.10.7.4，FIN-WAIT-2 状态下收到 FIN,ACK');
    const scopes = (await h.dc.scopesRequest({ frameId: (await h.frames())[0].id })).body.scopes.map((s) => s.name);
    assert.ok(scopes.some((name) => /^网络（\d+ 个在途）$/.test(name)), scopes.join(' | '));
    const why = (await h.variables('当前事件')).get('为什么');
    assert.match(why?.value ?? '', /^RFC 9293 3\.10\.7\.4：在 FIN-WAIT-2/);
    await h.dc.continueRequest({ threadId: 1 });
    await h.next('terminated');
    assert.match(h.output, /✔ 第 17 行：/);
    assert.match(h.output, /场景在 .* 结束（共 \d+ 个事件）：全部 2 个期望均成立。/);
  });

  test('zh-cn: the Debug Console\'s save capture, what it wrote and what it refuses', async () => {
    const cn = translatorFor('zh-cn');
    const dir = mkdtempSync(join(tmpdir(), 'tcpscenario-save-'));
    try {
      const program = join(dir, 'teardown.tcpscenario');
      writeFileSync(program, readFileSync(TEARDOWN, 'utf8'));
      writeFileSync(join(dir, 'notes.txt'), 'keep me');
      h.initialize = { locale: 'zh-cn' };
      await h.launch(program, {}, () => h.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'client:FIN-WAIT-2' }] }));
      await h.stopped();
      const wrote = await h.evaluate('save capture so-far.pcapng at client', 'repl');
      // The message said, its numbers left open: {n} in the expected text matches any.
      const expected = cn.t(M.saveWrote, join(dir, 'so-far.pcapng'), cn.t(M.savePacketsOther, '{0}'), '{1}', '{2}', cn.t(M.saveAt, 'client'));
      assert.match(wrote, new RegExp(`^${expected.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\d\}/g, '[\\d.,]+')}$`));
      const refused = async (command: string, expected: string) => {
        const error = await h.evaluate(command, 'repl').then(
          () => undefined,
          (e: Error) => e.message,
        );
        assert.ok(error?.includes(expected), `${command}: ${error}`);
      };
      await refused('save capture notes.txt', cn.t(CAPTURE_FILE_MESSAGES.notCapture, join(dir, 'notes.txt')));
      await refused(`save capture ${dir}`, cn.t(CAPTURE_FILE_MESSAGES.isDirectory, dir));
      await refused('save capture x.pcapng at sever', cn.t(CAPTURE_WRITE_MESSAGES.noEndpointAt, 'sever', 'client, server'));
      await refused('save x.pcapng', cn.t(M.saveExpectedCapture));
      await refused('save capture', cn.t(M.saveExpectedFile));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('zh-TW (any spelling of the tag): Traditional Chinese, error responses too', async () => {
    h.initialize = { locale: 'zh-TW' };
    await h.dc.initializeRequest({ adapterID: 'tcpscenario', pathFormat: 'path', locale: 'zh-TW' });
    await assert.rejects(h.dc.launchRequest({ program: TEARDOWN, maxEvents: 0 } as DebugProtocol.LaunchRequestArguments), /"maxEvents" 必須是大於或等於 1 的整數，而不是 0/);
    await assert.rejects(h.dc.evaluateRequest({ expression: 'client.state', context: 'repl' }), /沒有正在執行的情境/);
  });

  test('the exception filters are labelled in the client\'s language', async () => {
    const response = await h.dc.initializeRequest({ adapterID: 'tcpscenario', pathFormat: 'path', locale: 'zh-cn' });
    const labels = response.body!.exceptionBreakpointFilters!.map((f) => f.label);
    assert.deepEqual(labels, ['发送或收到 RST', '重传', '报文段因故障被丢弃', '期望不成立']);
  });

  test('zh-cn: every Variables label is translated but the names of fields (RFC names, event fields, identifiers)', async () => {
    /** Scope and variable names at the stop, depth first, three levels down. */
    const names = async (harness: Harness): Promise<string[]> => {
      const out: string[] = [];
      const walk = async (reference: number, depth: number): Promise<void> => {
        for (const v of (await harness.dc.variablesRequest({ variablesReference: reference })).body.variables) {
          out.push(v.name);
          if (v.variablesReference > 0 && depth < 3) await walk(v.variablesReference, depth + 1);
        }
      };
      for (const scope of (await harness.dc.scopesRequest({ frameId: (await harness.frames())[0].id })).body.scopes) {
        out.push(scope.name);
        await walk(scope.variablesReference, 0);
      }
      return out;
    };
    const stopAtTimeWait = async (harness: Harness) => {
      await harness.launch(TEARDOWN, {}, () => harness.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'client:TIME-WAIT' }] }));
      await harness.stopped();
      return names(harness);
    };
    h.initialize = { locale: 'zh-cn' };
    const chinese = await stopAtTimeWait(h);
    const english = await (async () => {
      const other = new Harness();
      await other.start();
      try {
        return await stopAtTimeWait(other);
      } finally {
        await other.stop();
      }
    })();
    assert.equal(chinese.length, english.length, 'the same tree in both languages');
    // A label the same in both languages is a name a reader of the RFC or of the trace knows as it is.
    const unchanged = english.filter((name, i) => name === chinese[i]);
    const words = unchanged.filter((name) => /\b[a-z]{2,} [a-z]{2,}\b/.test(name.replace(/\b(client|server)\b/g, 'X')));
    assert.deepEqual(words, [], `English phrases left in zh-cn: ${words.join(' | ')}`);
    assert.ok(english.length - unchanged.length >= 10, `${english.length - unchanged.length} labels translated`);
  });

  test('English stays the default, and an unknown locale falls back to it', async () => {
    h.initialize = { locale: 'fr-FR' };
    await h.launch(TEARDOWN, {}, () => h.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'client:TIME-WAIT' }] }));
    const stop = await h.stopped();
    assert.equal(stop.description, 'client entered TIME-WAIT: RFC 9293 3.10.7.4, FIN,ACK in FIN-WAIT-2');
  });

  test('expression errors are translated, with their column', async () => {
    h.initialize = { locale: 'zh-cn' };
    await h.launch(TEARDOWN, { stopOnEntry: true });
    await h.stopped();
    await assert.rejects(h.dc.evaluateRequest({ expression: 'client.SND.NX', context: 'repl' }), /'client' 没有字段 'SND\.NX'；你是想写 client\.SND\.NXT 吗？/);
    await assert.rejects(h.dc.evaluateRequest({ expression: '1 +', context: 'repl' }), /应为数字、字符串、名称或 '\('，实际为 '表达式结尾'（第 4 列）/);
  });
});
