// Debugging a packetdrill script (docs/packetdrill.md) through the built adapter, as VS Code does with
// F5 on a .pkt: breakpoints on the script's lines, stops and frames at its lines, a `>` line that the
// stack does not satisfy stops as a failed expectation there, state breakpoints as for a scenario.
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Harness } from './harness';

const SCRIPT = join(import.meta.dirname, '..', 'fixtures', 'packetdrill', 'passive-close.pkt');

let h: Harness;
beforeEach(async () => {
  h = new Harness();
  await h.start();
});
afterEach(async () => {
  await h.stop();
});

describe('debugging a .pkt', () => {
  test('a breakpoint on a script line stops there; lines without a statement do not take one', async () => {
    let verified: { verified: boolean; line?: number }[] = [];
    await h.launch(SCRIPT, {}, async () => {
      await h.dc.setExceptionBreakpointsRequest({ filters: [] });
      verified = (await h.dc.setBreakpointsRequest({ source: { path: SCRIPT }, breakpoints: [{ line: 4 }, { line: 12 }] })).body.breakpoints;
    });
    // Line 4 is socket(): no statement (nothing for the simulation to do), so the breakpoint moves to
    // the next line that has one, listen() on line 7; line 12 injects the handshake's ACK.
    assert.deepEqual(verified.map((b) => [b.verified, b.line]), [[true, 7], [true, 12]]);
    assert.equal((await h.stopped()).reason, 'breakpoint');
    assert.equal((await h.frames())[0].line, 7);
    await h.dc.continueRequest({ threadId: 1 });
    const stop = await h.stopped();
    assert.equal(stop.reason, 'breakpoint');
    const [frame] = await h.frames();
    assert.equal(frame.line, 12);
    assert.equal(frame.source?.path, SCRIPT);
    assert.equal(await h.evaluate('server.state'), 'SYN-RECEIVED');
  });

  test('a > line the stack does not satisfy is a failed expectation, stopped at its line', async () => {
    // passive-close.pkt, its SYN,ACK expected with an MSS the stack does not send (line 11).
    const wrong = join(mkdtempSync(join(tmpdir(), 'tcpscenario-pkt-')), 'wrong-mss.pkt');
    const text = readFileSync(SCRIPT, 'utf8');
    assert.ok(text.split('\n')[10].includes('> S. 0:0(0) ack 1 <mss 1460>'));
    writeFileSync(wrong, text.replace('> S. 0:0(0) ack 1 <mss 1460>', '> S. 0:0(0) ack 1 <mss 1000>'));
    await h.launch(wrong, {}, () => h.dc.setExceptionBreakpointsRequest({ filters: ['expect-failed'] }));
    const stop = await h.stopped();
    assert.equal(stop.reason, 'exception');
    const [frame] = await h.frames();
    const event = h.currentEvent();
    assert.ok(event?.kind === 'expect' && !event.ok, JSON.stringify(event));
    assert.equal(frame.line, 11);
    assert.equal(event.line, 11);
    assert.match(event.message, /^expected server -> client SYN,ACK .*options mss 1460, not mss 1000/);
    rmSync(dirname(wrong), { recursive: true, force: true });
  });

  test('a state breakpoint works as for a scenario', async () => {
    await h.launch(SCRIPT, {}, async () => {
      await h.dc.setExceptionBreakpointsRequest({ filters: [] });
      await h.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'server:CLOSE-WAIT' }] });
    });
    await h.stopped();
    assert.equal(await h.evaluate('server.state'), 'CLOSE-WAIT');
    const [frame] = await h.frames();
    assert.equal(frame.line, 27, 'the FIN that brought it comes from line 27');
  });
});
