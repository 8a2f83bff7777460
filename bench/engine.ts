// Engine figures: the goal on the cost of an event with many segments in flight (a row of
// the table), events per second on a long lossy transfer, the cost of snapshot and restore, and
// the overhead of a snapshot every 1,000 events (what the debugger's step back relies on).
import type { Program } from '../src/engine/program';
import { Simulation } from '../src/engine/index';
import { figure, median, row, type Row } from './report';

const MB = 1_000_000;

function transfer(bytes: number, loss: number, mss?: number, profile: 'rfc' | 'linux' = 'rfc'): Program {
  return {
    profile,
    settings: mss === undefined ? {} : { mss },
    endpoints: [
      { name: 'client', address: '10.0.0.1', port: 49152, isn: 100, settings: {}, line: 1 },
      { name: 'server', address: '10.0.0.2', port: 80, isn: 300, settings: {}, line: 2 },
    ],
    links: [{ a: 'client', b: 'server', delay: 10_000, jitter: 0, loss, duplicate: 0, reorder: 0, corrupt: 0, seed: 7, line: 3 }],
    statements: [
      { at: 0, line: 4, action: { kind: 'listen', endpoint: 'server' } },
      { at: 0, line: 5, action: { kind: 'connect', endpoint: 'client', peer: 'server' } },
      { at: 100_000, line: 6, action: { kind: 'send', endpoint: 'client', bytes } },
      { at: 100_000, line: 7, action: { kind: 'close', endpoint: 'client' } },
    ],
  };
}

/** CPU time of this process in ms (less disturbed than wall time when the machine is busy). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function timeRun(program: Program, snapshotEvery: number): { ms: number; wall: number; events: number; snapshots: number } {
  const sim = new Simulation(program);
  let snapshots = 0;
  const start = cpuMs();
  const wallStart = performance.now();
  if (snapshotEvery > 0) {
    while (!sim.done) {
      sim.run(snapshotEvery);
      sim.snapshot();
      snapshots++;
    }
  } else {
    sim.run();
  }
  return { ms: cpuMs() - start, wall: performance.now() - wallStart, events: sim.trace.length, snapshots };
}

/**
 * Issue 13: the cost of an event must not depend on how many segments are in flight. With
 * `mss=1` about 65,000 one-byte segments fill the window; with the default MSS about 45 do. The
 * row: CPU µs per event of the mss=1 run against the default-MSS run (the reference), the goal
 * "within 2x the events/s" being a ratio of costs below 2.
 */
function perEventCost(profile: 'rfc' | 'linux'): Row {
  const rates = (program: Program): { rate: number; usPerEvent: number[]; events: number; inFlight: number; snapshotUs: number } => {
    const runs: number[] = [];
    const usPerEvent: number[] = [];
    let events = 0;
    for (let i = 0; i < 5; i++) {
      const r = timeRun(program, 0);
      events = r.events;
      runs.push(r.events / (r.ms / 1000));
      usPerEvent.push((r.ms * 1000) / r.events);
    }
    const sim = new Simulation(program);
    sim.run(Math.floor(events / 2));
    const t0 = cpuMs();
    for (let i = 0; i < 200; i++) sim.snapshot();
    const snapshotUs = ((cpuMs() - t0) / 200) * 1000;
    return { rate: median(runs), usPerEvent, events, inFlight: sim.view().inFlight.length, snapshotUs };
  };
  const big = rates(transfer(300 * MB, 0, undefined, profile));
  const small = rates(transfer(300_000, 0, 1, profile));
  const m = (x: number): string => `${(x / 1e6).toFixed(2)} M events/s`;
  console.log(`per-event cost vs segments in flight (${profile} profile, median of 5, no loss):`);
  console.log(`  default MSS, send 300 MB: ${big.events} events, ${m(big.rate)} (${big.inFlight} segments in flight mid-run, snapshot ${big.snapshotUs.toFixed(1)} us)`);
  console.log(`  mss=1, send 300,000 B:    ${small.events} events, ${m(small.rate)} (${small.inFlight} segments in flight mid-run, snapshot ${small.snapshotUs.toFixed(1)} us)`);
  console.log(`  ratio default/mss=1: ${(big.rate / small.rate).toFixed(2)} (goal: at most 2)`);
  return row({
    id: `engine.perEvent.${profile}`,
    goal: `Engine (${profile} profile): CPU per event with ~${small.inFlight.toLocaleString('en-US')} one-byte segments in flight (\`mss=1\`, send 300,000 B)`,
    unit: 'µs',
    measured: figure(small.usPerEvent),
    reference: { what: `the default-MSS run (send 300 MB, ${big.inFlight} in flight)`, measured: figure(big.usPerEvent) },
    target: { compare: 'ratio', below: 2 },
  });
}

export function main(): Row[] {
  const rows = [perEventCost('rfc'), perEventCost('linux')];
  const program = transfer(100 * MB, 0.01);
  const linuxProgram = transfer(100 * MB, 0.01, undefined, 'linux');
  timeRun(program, 0); // warm up
  timeRun(linuxProgram, 0);
  // Alternate the kinds of run so that all see the same machine and heap conditions; the
  // median of 7 each (the best would flatter a busy machine's luckiest run).
  const plains: ReturnType<typeof timeRun>[] = [];
  const snaps: ReturnType<typeof timeRun>[] = [];
  const linuxes: ReturnType<typeof timeRun>[] = [];
  for (let i = 0; i < 7; i++) {
    plains.push(timeRun(program, 0));
    snaps.push(timeRun(program, 1000));
    linuxes.push(timeRun(linuxProgram, 0));
  }
  const medianRun = (runs: ReturnType<typeof timeRun>[]) => [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)];
  const plain = medianRun(plains);
  const snap = medianRun(snaps);
  const lx = medianRun(linuxes);
  const rate = plain.events / (plain.ms / 1000);
  const lxRate = lx.events / (lx.ms / 1000);
  console.log(`100 MB transfer, 1% loss: ${plain.events} events in ${plain.ms.toFixed(1)} ms CPU (${plain.wall.toFixed(1)} ms wall) = ${(rate / 1e6).toFixed(2)} M events/s (median of 7)`);
  console.log(`  with a snapshot every 1,000 events (${snap.snapshots} snapshots): ${snap.ms.toFixed(1)} ms CPU, overhead ${(((snap.ms - plain.ms) / plain.ms) * 100).toFixed(1)}% (median of 7 each, alternated; GC noise moves this by a few %)`);
  // The linux profile (SACK, RACK, PRR, the kernel's ACK policy and window) on the same transfer:
  // its events differ (1448-byte segments, other ACKs), so both the rate and the CPU per MB.
  console.log(`  linux profile: ${lx.events} events in ${lx.ms.toFixed(1)} ms CPU = ${(lxRate / 1e6).toFixed(2)} M events/s; rfc/linux: ${(rate / lxRate).toFixed(2)} per event, ${(lx.ms / plain.ms).toFixed(2)} x the CPU for the same 100 MB (median of 7, alternated)`);

  // Cost of one snapshot and one restore, in the middle of the transfer.
  const sim = new Simulation(program);
  sim.run(Math.floor(plain.events / 2));
  const n = 20_000;
  let t0 = cpuMs();
  let snapshot = sim.snapshot();
  for (let i = 0; i < n; i++) snapshot = sim.snapshot();
  const snapshotUs = ((cpuMs() - t0) / n) * 1000;
  t0 = cpuMs();
  for (let i = 0; i < n; i++) sim.restore(snapshot);
  const restoreUs = ((cpuMs() - t0) / n) * 1000;
  console.log(`  snapshot: ${snapshotUs.toFixed(2)} us, restore: ${restoreUs.toFixed(2)} us (mid-transfer, ${sim.view().inFlight.length} segments in flight)`);
  const perThousand = (snapshotUs / 1000 / (plain.ms / plain.events) / 1000) * 100;
  console.log(`  one snapshot per 1,000 events costs ${perThousand.toFixed(2)}% of the time those events take`);

  // Step back as the debugger does it: restore the last snapshot and replay up to the event before.
  const target = Math.floor(plain.events / 2) + 999;
  const steps = new Simulation(program);
  steps.run(Math.floor(plain.events / 2));
  const base = steps.snapshot();
  steps.run(999);
  t0 = cpuMs();
  const rounds = 200;
  for (let i = 0; i < rounds; i++) {
    steps.restore(base);
    steps.run(target - 1 - base.traceLength);
  }
  console.log(`  step back (restore + replay of up to 1,000 events): ${((cpuMs() - t0) / rounds).toFixed(3)} ms CPU`);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) main();
