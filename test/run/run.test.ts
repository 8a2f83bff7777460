import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { drawableEvents } from '../../src/diagram/degrade';
import { prepareScenario, ScenarioRun, runScenarioText, SETTING_HINTS } from '../../src/run/run';
import { RUNAWAY } from '../fixtures/runaway';

const GOOD = `endpoint client 10.0.0.1:49152
endpoint server 10.0.0.2:80
@0 server listen
@0 client connect server
@1s expect client is ESTABLISHED
`;

describe('the run path', () => {
  test('profile: an override beats the file, the default applies only without a profile line', () => {
    assert.equal(prepareScenario(GOOD, { defaultProfile: 'linux' }).program?.profile, 'linux');
    assert.equal(prepareScenario(`profile rfc\n${GOOD}`, { defaultProfile: 'linux' }).program?.profile, 'rfc');
    assert.equal(prepareScenario(`profile rfc\n${GOOD}`, { profile: 'linux' }).program?.profile, 'linux');
  });

  test('a complete run has no limit', () => {
    const { run } = runScenarioText(GOOD);
    assert.ok(run?.complete);
    assert.equal(run.document().limit, undefined);
  });

  test('the event cap cuts at exactly maxEvents and names how to raise it', () => {
    const { run } = runScenarioText(RUNAWAY, { maxEvents: 777, hints: SETTING_HINTS });
    assert.equal(run?.events.length, 777);
    assert.deepEqual(run.document().limit, {
      kind: 'events',
      value: 777,
      message: 'the run was stopped after 777 events, its limit; raise it with the setting tcpscenario.run.maxEvents',
    });
  });

  test('keepEvents false: the same events reach onEvent, the cap counts them all, the run holds only the latest', () => {
    const streamed = (keepEvents: boolean) => {
      const seen: string[] = [];
      const run = new ScenarioRun(prepareScenario(RUNAWAY).program!, { maxEvents: 20_000, keepEvents, onEvent: (event, index) => seen.push(`${index} ${JSON.stringify(event)}`) }).runToEnd();
      return { seen, run };
    };
    const kept = streamed(true);
    const dropped = streamed(false);
    assert.equal(dropped.seen.length, 20_000);
    assert.ok(dropped.seen.join('\n') === kept.seen.join('\n'), 'the streamed events differ');
    assert.equal(dropped.run.eventCount, 20_000);
    assert.equal(dropped.run.limit?.message, kept.run.limit?.message);
    // It holds the events of the last instant only (RUNAWAY's ACK war makes many at one instant).
    const last = kept.run.events[kept.run.events.length - 1];
    assert.ok(dropped.run.events.length < 20_000);
    assert.ok(dropped.run.events.every((event) => event.t === last.t));
    assert.equal(kept.run.events.length, 20_000);
  });

  test('keepEvents false with `expect next`, which looks back at the segments of its instant: the same expectations', () => {
    const text = `profile linux
endpoint server 10.0.0.2:80 isn=0 autoread=off
endpoint client 10.0.0.1:40000 raw
link server <-> client delay=0
@0 server listen
   inject client -> server SYN seq=100 wnd=65535
+5ms expect next server -> client SYN,ACK seq=0 ack=101 within -10ms +0
+1ms inject client -> server ACK seq=101 ack=1 wnd=65535
+0 server send 5
+0 expect next server -> client PSH,ACK seq=1 ack=101 len=5 within 0
+0 expect next server -> client PSH,ACK seq=1 ack=101 len=5 anytime
`;
    const expects = (keepEvents: boolean) => {
      const seen: string[] = [];
      new ScenarioRun(prepareScenario(text).program!, { keepEvents, onEvent: (event) => void (event.kind === 'expect' && seen.push(JSON.stringify(event))) }).runToEnd();
      return seen;
    };
    assert.equal(expects(true).length, 3);
    assert.deepEqual(expects(false), expects(true));
  });

  test('the wall-time cap, with a clock that moves one ms per look', () => {
    let now = 0;
    const { program } = prepareScenario(RUNAWAY);
    const run = new ScenarioRun(program!, { maxSeconds: 0.5, maxEvents: 1e9, clock: () => now++ });
    let slices = 0;
    while (!run.advance(10)) slices++;
    assert.equal(run.limit?.kind, 'seconds');
    // A look at the clock every 64 events (and one per slice): fewer than 500 looks of 64 events, in slices.
    assert.equal(run.events.length % 64, 0);
    assert.ok(run.events.length > 64 * 400 && run.events.length < 64 * 500, String(run.events.length));
    assert.ok(slices >= 40, String(slices));
  });

  test('an engine error is caught and said in a sentence', () => {
    const { program } = prepareScenario(GOOD);
    const run = new ScenarioRun(program!);
    (run.simulation as unknown as { step: () => never }).step = () => {
      throw new Error('boom');
    };
    assert.ok(run.advance());
    assert.equal(run.errorMessage(), 'the engine failed on this scenario: boom');
  });
});

describe('what a diagram draws', () => {
  const events = Array.from({ length: 10 }, (_, i) => ({ t: i, kind: 'note' as const, message: `e${i}` }));
  test('a short complete trace is drawn whole', () => {
    assert.equal(drawableEvents(events, undefined, 10).events.length, 10);
  });
  test('a long one: the first events, then a note saying how many are not drawn', () => {
    const drawn = drawableEvents(events, undefined, 4);
    assert.equal(drawn.events.length, 5);
    assert.deepEqual(drawn.events[4], { t: 3, kind: 'note', message: 'the diagram shows the first 4 of 10 events; the rest is not drawn' });
  });
  test('a run cut by a limit ends with the limit\'s message', () => {
    const drawn = drawableEvents(events, { kind: 'events', value: 10, message: 'cut' });
    assert.equal(drawn.events.length, 11);
    assert.equal(drawn.note, 'cut');
  });
});
