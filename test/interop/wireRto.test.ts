// wireRto (src/interop/wireRto.ts): the RTO a Linux endpoint had at a moment of a capture, from the
// round trips on the wire, is the one the linux profile computes from the same exchange.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { timerDelay } from '../../src/engine/tcp/linux/jiffies';
import type { TraceEvent } from '../../src/engine/trace';
import { readConversation } from '../../src/interop/conversation';
import { readCapture } from '../../src/interop/pcapRead';
import { wireRto } from '../../src/interop/wireRto';
import { runScenarioText } from '../../src/run/run';
import { ROOT } from './helpers';

const DIR = join(ROOT, 'test', 'fixtures', 'captures');
const conversation = (name: string) => readConversation(readCapture(readFileSync(join(DIR, name, 'capture.pcap'))));

describe('wireRto', () => {
  test('before any round trip, the initial 1 s; after the handshake, SRTT + 200 ms in whole jiffies', () => {
    const c = conversation('data-exchange');
    assert.equal(wireRto(c, 'client', 5), 1000);
    // A 20.3 ms handshake: 20.3 + 200 ms, rounded up to 4 ms jiffies.
    assert.equal(wireRto(c, 'client', 40), 224);
    assert.equal(wireRto(c, 'server', 40), 224);
  });

  test('the probe timer of a close into a zero window is the one the profile arms in the fixture scenario', () => {
    const c = conversation('zero-window-close');
    const doc = runScenarioText(readFileSync(join(DIR, 'zero-window-close', 'scenario.tcpscenario'), 'utf8')).run!.document();
    type TimerEvent = Extract<TraceEvent, { kind: 'timer' }>;
    const start = doc.events.find((e): e is TimerEvent => e.kind === 'timer' && e.endpoint === 'client' && e.rule === 'linux.tcp_write_wakeup.probe0' && e.action === 'start')!;
    // Its RTT samples include the 40 ms of a delayed ACK: an RTO of 236 ms, not 224.
    const rto = wireRto(c, 'client', start.t);
    assert.equal(rto, 236);
    assert.equal(start.t + timerDelay(start.t * 1000, rto * 1000) / 1000, start.expires);
  });
});
