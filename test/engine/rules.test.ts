// Rule ids (issue 15): every event TCP makes names the rule its code path took. The ids are checked
// against the section a reader of RFC 9293 (and RFC 5681, 5961, 6298, 1122) would name, for the
// RFC's figures and the classic cases; every example and test scenario is checked for coverage;
// docs/engine.md's table is the registry's.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { RULES, runProgram, traceDocumentOf } from '../../src/engine/index';
import type { Program } from '../../src/engine/program';
import type { TraceEvent } from '../../src/engine/trace';
import { compile } from '../../src/language';
import { BEGIN, DOC, END, rulesTable } from '../../scripts/rules-doc';
import { connected, explained, ms, oldDuplicateSyn, s, Scenario, simultaneousOpen, unexplained, wire } from './helpers';

const ROOT = join(import.meta.dirname, '..', '..');

/** The rule of the first event that matches. */
function ruleOf(trace: readonly TraceEvent[], match: (e: TraceEvent) => boolean): string | undefined {
  const e = trace.find(match);
  assert.ok(e, 'the event exists');
  return e.rule;
}

describe('rules named for the RFC figures and the classic cases', () => {
  test('Figures 6 and 12: the handshake and the close, event by event', () => {
    const sim = new Scenario().endpoint('A', { isn: 100 }).endpoint('B', { isn: 300 }).at(0).listen('B').connect('A', 'B').at(ms(100)).close('A').at(ms(200)).close('B').run();
    assert.deepEqual(explained(sim.trace), [
      'B: CLOSED -> LISTEN  rfc9293.3.10.1.open.passive', // OPEN call, passive
      'A: CLOSED -> SYN-SENT  rfc9293.3.10.1.open.active', // OPEN call, active: send SYN, enter SYN-SENT
      'A -> B SYN  rfc9293.3.10.1.open.active',
      'A retransmission start  rfc6298.5.1', // a segment with sequence space: start the timer
      'B: LISTEN -> SYN-RECEIVED  rfc9293.3.10.7.2.syn', // SEGMENT ARRIVES, LISTEN, third: SYN
      'B -> A SYN,ACK  rfc9293.3.10.7.2.syn',
      'B retransmission start  rfc6298.5.1',
      'A retransmission cancel  rfc6298.5.2', // everything acknowledged: timer off
      'A: SYN-SENT -> ESTABLISHED  rfc9293.3.10.7.3.syn-ack', // SYN-SENT, fourth: our SYN is ACKed
      'A -> B ACK  rfc9293.3.10.7.3.syn-ack',
      'B retransmission cancel  rfc6298.5.2',
      'B: SYN-RECEIVED -> ESTABLISHED  rfc9293.3.10.7.4.ack.syn-received', // fifth: the ACK field in SYN-RECEIVED
      'A: ESTABLISHED -> FIN-WAIT-1  rfc9293.3.10.4.close', // CLOSE call
      'A -> B ACK,FIN  rfc9293.3.10.4.close',
      'A retransmission start  rfc6298.5.1',
      'B: ESTABLISHED -> CLOSE-WAIT  rfc9293.3.10.7.4.fin.close-wait', // eighth: FIN in ESTABLISHED
      'B -> A ACK  rfc9293.3.10.7.4.fin.close-wait',
      'A retransmission cancel  rfc6298.5.2',
      'A: FIN-WAIT-1 -> FIN-WAIT-2  rfc9293.3.10.7.4.ack.fin-wait-1', // fifth: our FIN is ACKed
      'B: CLOSE-WAIT -> LAST-ACK  rfc9293.3.10.4.close',
      'B -> A ACK,FIN  rfc9293.3.10.4.close',
      'B retransmission start  rfc6298.5.1',
      'A: FIN-WAIT-2 -> TIME-WAIT  rfc9293.3.10.7.4.fin.time-wait', // eighth: FIN in FIN-WAIT-2
      'A time-wait start  rfc9293.3.10.7.4.fin.time-wait',
      'A -> B ACK  rfc9293.3.10.7.4.fin.time-wait',
      'B retransmission cancel  rfc6298.5.2',
      'B: LAST-ACK -> CLOSED  rfc9293.3.10.7.4.ack.last-ack', // fifth: LAST-ACK
      'A time-wait fire  rfc9293.3.10.8.time-wait', // timeouts: time-wait timeout
      'A: TIME-WAIT -> CLOSED  rfc9293.3.10.8.time-wait',
    ]);
  });

  test('Figure 13: simultaneous close goes through CLOSING', () => {
    const sim = new Scenario().endpoint('A', { isn: 100 }).endpoint('B', { isn: 300 }).at(0).listen('B').connect('A', 'B').at(ms(100)).close('A').close('B').run();
    const lines = explained(sim.trace);
    assert.ok(lines.includes('A: FIN-WAIT-1 -> CLOSING  rfc9293.3.10.7.4.fin.closing'), lines.join('\n'));
    assert.ok(lines.includes('A: CLOSING -> TIME-WAIT  rfc9293.3.10.7.4.ack.closing'), lines.join('\n'));
    assert.ok(lines.includes('B time-wait start  rfc9293.3.10.7.4.ack.closing'), lines.join('\n'));
  });

  test('Figure 7: simultaneous open', () => {
    const sim = simultaneousOpen().run();
    const lines = explained(sim.trace);
    assert.ok(lines.includes('B: SYN-SENT -> SYN-RECEIVED  rfc9293.3.10.7.3.simultaneous-open'), lines.join('\n'));
    assert.ok(lines.includes('B -> A SYN,ACK  rfc9293.3.10.7.3.simultaneous-open'), lines.join('\n'));
    assert.ok(lines.includes('A: SYN-RECEIVED -> ESTABLISHED  rfc9293.3.5.figure-7'), lines.join('\n'));
  });

  test('Figure 8: an old duplicate SYN is reset, the listener goes back to LISTEN', () => {
    const sim = oldDuplicateSyn().run();
    assert.equal(ruleOf(sim.trace, (e) => e.kind === 'send' && e.flags.includes('RST')), 'rfc9293.3.10.7.3.bad-ack');
    assert.equal(ruleOf(sim.trace, (e) => e.kind === 'transition' && e.from === 'SYN-RECEIVED' && e.to === 'LISTEN'), 'rfc9293.3.10.7.4.rst');
    assert.equal(wire(sim.trace).find((e) => e.kind === 'inject')!.rule, undefined, 'an injected segment is the scenario\'s');
  });

  test('the final ACK lost: the timer resends the FIN (RFC 6298 (5.4)), TIME-WAIT acknowledges it and restarts', () => {
    const sim = connected()
      .at(ms(100))
      .close('client')
      .at(ms(200))
      .close('server')
      .fault('drop', { from: 'client', to: 'server', flags: ['ACK'] })
      .run();
    const lines = explained(sim.trace).filter((l) => !l.includes('cancel'));
    const at = lines.indexOf('server retransmission fire  rfc6298.5.4');
    assert.ok(at > 0, lines.join('\n'));
    assert.deepEqual(lines.slice(at, at + 6), [
      'server retransmission fire  rfc6298.5.4',
      'server -> client ACK,FIN (retransmission)  rfc6298.5.4',
      'server retransmission start  rfc6298.5.6',
      'client -> server ACK  rfc9293.3.10.7.4.fin.time-wait',
      'client time-wait start  rfc9293.3.10.7.4.fin.time-wait',
      'server: LAST-ACK -> CLOSED  rfc9293.3.10.7.4.ack.last-ack',
    ]);
  });

  test('connection refused: RST,ACK from CLOSED (3.10.7.1), SYN-SENT closes (3.10.7.3)', () => {
    const sim = new Scenario().endpoint('client', { isn: 100 }).endpoint('server').at(0).connect('client', 'server').run();
    const lines = explained(sim.trace);
    assert.ok(lines.includes('server -> client ACK,RST  rfc9293.3.10.7.1.closed'), lines.join('\n'));
    assert.ok(lines.includes('client: SYN-SENT -> CLOSED  rfc9293.3.10.7.3.rst'), lines.join('\n'));
    assert.equal(ruleOf(sim.trace, (e) => e.kind === 'app' && e.error === 'connection refused'), 'rfc9293.3.10.7.3.rst');
  });

  test('losses: out-of-order data gets a duplicate ACK (RFC 5681 4.2), the third one a fast retransmit, a partial ACK the next hole', () => {
    const sc = connected({ settings: { initCwnd: 10 } }).at(ms(100));
    for (const seq of [101 + 1460, 101 + 4 * 1460]) sc.fault('drop', { from: 'client', to: 'server', data: true, seq });
    const sim = sc.send('client', 10 * 1460).run();
    const again = wire(sim.trace).filter((e) => e.kind === 'send' && e.retransmission);
    assert.deepEqual(
      again.map((e) => e.rule),
      ['rfc5681.3.2.fast-retransmit', 'rfc6582.3.2.partial-ack'],
    );
    assert.equal(ruleOf(sim.trace, (e) => e.kind === 'note' && e.message.startsWith('fast retransmit')), 'rfc5681.3.2.fast-retransmit');
    // The first segment is acknowledged as in-order text; the ones after the hole get duplicates.
    const acks = wire(sim.trace).filter((e) => e.from === 'server' && e.ack === 101 + 1460);
    assert.deepEqual(
      acks.map((e) => e.rule),
      ['rfc9293.3.10.7.4.text', ...acks.slice(1).map(() => 'rfc5681.4.2.out-of-order')],
    );
    assert.ok(acks.length >= 4);
  });

  test('a zero window: the persist timer probes (3.8.6.1), reading sends a window update (RFC 1122 4.2.3.3)', () => {
    const sim = connected({ server: { rcvBuf: 4000 } })
      .at(ms(100))
      .send('client', 10_000)
      .at(ms(5000))
      .receive('server')
      .run();
    const probe = wire(sim.trace).find((e) => e.kind === 'send' && e.probe === 'zero-window')!;
    assert.equal(probe.rule, 'rfc9293.3.8.6.1.zero-window-probe');
    assert.equal(ruleOf(sim.trace, (e) => e.kind === 'timer' && e.name === 'zero-window-probe' && e.action === 'fire'), 'rfc9293.3.8.6.1.zero-window-probe');
    assert.equal(ruleOf(sim.trace, (e) => e.kind === 'send' && e.from === 'server' && e.t === 5000), 'rfc1122.4.2.3.3.window-update');
  });

  test('RFC 5961: a RST in the window but not exact, and a SYN on an open connection, get a challenge ACK', () => {
    const sim = connected()
      .at(ms(100))
      .inject('client', 'server', ['RST'], 200)
      .at(ms(200))
      .inject('client', 'server', ['SYN'], 5000)
      .run();
    const answers = wire(sim.trace).filter((e) => e.from === 'server' && e.t > 100);
    assert.deepEqual(
      answers.map((e) => e.rule),
      ['rfc5961.3.2.challenge-ack', 'rfc5961.4.2.challenge-ack'],
    );
  });

  test('a segment discarded without an answer: its deliver event names the rule', () => {
    const sim = new Scenario().endpoint('client', { isn: 100 }).endpoint('server').at(0).listen('server').inject('client', 'server', ['RST'], 5).run();
    assert.equal(ruleOf(sim.trace, (e) => e.kind === 'deliver'), 'rfc9293.3.10.7.2.rst');
  });

  test('linux: quick-ACK for the first data, the delayed ACK of a FIN (ping-pong), the RST of a close with unread data', () => {
    const sim = connected({ profile: 'linux' })
      .at(ms(100))
      .send('client', 100)
      .receive('server', 10)
      .at(ms(200))
      .shutdown('client')
      .at(ms(300))
      .close('server')
      .run();
    assert.equal(ruleOf(sim.trace, (e) => e.kind === 'send' && e.from === 'server' && e.t === 110), 'linux.tcp_ack_snd_check.quickack');
    assert.equal(ruleOf(sim.trace, (e) => e.kind === 'timer' && e.name === 'delayed-ack' && e.action === 'start'), 'linux.tcp_fin.pingpong');
    assert.equal(ruleOf(sim.trace, (e) => e.kind === 'timer' && e.name === 'delayed-ack' && e.action === 'fire'), 'linux.tcp_delack_timer_handler.fire');
    assert.equal(ruleOf(sim.trace, (e) => e.kind === 'send' && e.from === 'server' && e.flags.includes('RST')), 'rfc1122.4.2.2.13');
  });

  test('a crash: the connections vanish (RFC 9293 3.5.2), segments to the host that is down are dropped by it', () => {
    const sim = connected()
      .at(ms(100))
      .crash('server')
      .send('client', 10)
      .end(s(2))
      .run();
    assert.equal(ruleOf(sim.trace, (e) => e.kind === 'transition' && e.endpoint === 'server' && e.cause === 'crash'), 'rfc9293.3.5.2.crash');
    assert.equal(ruleOf(sim.trace, (e) => e.kind === 'drop' && e.reason === 'crashed'), 'rfc9293.3.5.2.crash');
    assert.equal(ruleOf(sim.trace, (e) => e.kind === 'send' && e.retransmission), 'rfc6298.5.4');
  });

  test('giving up after the retries (RFC 9293 3.8.3): the note, the error and the transition name R2', () => {
    const sim = new Scenario('rfc', { synRetries: 1 }).endpoint('client', { isn: 100 }).endpoint('server').at(0).fault('drop', { from: 'client', to: 'server' }, Infinity).connect('client', 'server').run();
    for (const kind of ['note', 'app', 'transition'] as const) {
      assert.equal(ruleOf(sim.trace, (e) => e.kind === kind && e.t > 0), 'rfc9293.3.8.3.r2', kind);
    }
  });
});

describe('every event TCP makes names a rule', () => {
  const files = [
    ...readdirSync(join(ROOT, 'examples')).map((name) => join('examples', name)),
    ...readdirSync(join(ROOT, 'test', 'fixtures', 'debug')).map((name) => join('test', 'fixtures', 'debug', name)),
    ...readdirSync(join(ROOT, 'test', 'e2e', 'workspace')).map((name) => join('test', 'e2e', 'workspace', name)),
  ].filter((path) => path.endsWith('.tcpscenario'));

  for (const path of files) {
    test(path, (t) => {
      const { program, diagnostics } = compile(readFileSync(join(ROOT, path), 'utf8'));
      if (!program || diagnostics.some((d) => d.severity === 'error')) return t.skip('does not compile (a fixture of errors)');
      for (const profile of ['rfc', 'linux'] as const) {
        const variant: Program = { ...program, profile };
        const trace: readonly TraceEvent[] = runProgram(variant, 2_000_000).trace;
        assert.deepEqual(unexplained(trace), [], `${profile}`);
      }
    });
  }

  test('the check can fail: a transition without a rule, a send with an unknown one', () => {
    const trace: TraceEvent[] = [
      { t: 0, kind: 'transition', endpoint: 'a', from: 'CLOSED', to: 'LISTEN', cause: 'listen' },
      { t: 0, kind: 'send', id: 's1', from: 'a', to: 'b', flags: ['SYN'], seq: 1, ack: 0, len: 0, wnd: 1, retransmission: false, rule: 'rfc0.made-up' },
      { t: 0, kind: 'inject', id: 's2', from: 'a', to: 'b', flags: ['SYN'], seq: 1, ack: 0, len: 0, wnd: 1, retransmission: false, injected: true },
      { t: 0, kind: 'drop', id: 's2', reason: 'loss' },
    ];
    assert.equal(unexplained(trace).length, 2);
  });
});

describe('the registry', () => {
  test('each rule: a source, one sentence in English, a link to the section', () => {
    for (const [id, r] of Object.entries(RULES)) {
      if (id.startsWith('linux.')) {
        // A kernel function: `linux.<function>.<case>`, its file and name, the file at elixir.bootlin.com.
        assert.match(id, /^linux\.[a-z0-9_]+\.[a-z0-9.-]+$/, id);
        assert.match(r.source, /^[a-z0-9_]+\.c [a-z0-9_]+$/, id);
        assert.equal(r.source.split(' ')[1].replace(/^_+/, ''), id.split('.')[1], `${id}: the id names the function`);
        assert.ok(r.url.startsWith('https://elixir.bootlin.com/linux/') && r.url.endsWith(`/${r.source.split(' ')[0]}`), id);
      } else {
        assert.match(id, /^(rfc\d+)\.[a-z0-9.-]+$/, id);
        assert.match(r.source, /^RFC \d+( |$)/, id);
        assert.ok(r.url.startsWith(`https://www.rfc-editor.org/rfc/${id.split('.')[0]}#section-`), id);
      }
      assert.match(r.summary, /^[A-Z(].*[.]$/, id);
      assert.doesNotMatch(r.summary.slice(0, -1), /[.!?] [A-Z]/, `${id}: one sentence`);
      assert.doesNotMatch(r.summary, /[^\x20-\x7e]/, `${id}: English, printable ASCII`);
    }
  });

  test('the trace document lists exactly the rules its events use', () => {
    const program = compile(readFileSync(join(ROOT, 'examples', '03-time-wait-lost-ack.tcpscenario'), 'utf8')).program!;
    const events = runProgram(program).trace;
    const doc = traceDocumentOf(program, events);
    const used = [...new Set(events.flatMap((e) => (e.rule ? [e.rule] : [])))].sort();
    assert.deepEqual(Object.keys(doc.rules ?? {}).sort(), used);
    assert.ok(used.includes('rfc9293.3.10.7.4.fin.time-wait'));
    assert.deepEqual(doc.rules!['rfc6298.5.4'], RULES['rfc6298.5.4']);
  });

  test('docs/engine.md shows the registry (npm run docs:rules rewrites it)', () => {
    const doc = readFileSync(DOC, 'utf8');
    const table = doc.slice(doc.indexOf(BEGIN) + BEGIN.length, doc.indexOf(END)).trim();
    assert.equal(table, rulesTable(), 'run `npm run docs:rules`');
  });
});
