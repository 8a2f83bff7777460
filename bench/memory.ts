// Peak memory and time of a million-event run, as the user meets it: the run path in a process
// of its own (what the CLI and the run worker do), and `tcpscenario trace` streaming its JSON to
// /dev/null. Medians of 3 runs, run and trace alternated (so a change of load touches both);
// peak = the process's maximum resident set (getrusage). The goal is on wall time; the CPU time
// of each process (all its threads) is printed too, as it moves less with the load.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detail, exitFigures, exitFiguresPreload, figure, median, row, type Row } from './report';

const ROOT = join(import.meta.dirname, '..');
const EVENTS = 1_000_000;
// A gigabyte in full-size segments: a million events in a few seconds.
const BULK = 'scenario "bulk"\nendpoint client 10.0.0.1:1000\nendpoint server 10.0.0.2:80\n@0 server listen\n@0 client connect server\n@1s client send 1000000000\n';

/** Runs `args` with the preload of exit figures: peak RSS, wall ms and CPU ms. */
function measure(args: string[], preload: string): { ms: number; cpuMs: number; peakMb: number } {
  const result = spawnSync(process.execPath, ['--require', preload, ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const figures = exitFigures(result.stderr);
  if (!figures) throw new Error(`no figures from ${args.join(' ')}: ${result.stderr.slice(-500)}`);
  return figures;
}

export function main(): Row[] {
  const dir = mkdtempSync(join(tmpdir(), 'tcpscenario-bench-'));
  const preload = exitFiguresPreload(dir);
  const file = join(dir, 'bulk.tcpscenario');
  writeFileSync(file, BULK);
  const cases: [string, string[]][] = [
    [`run (${EVENTS.toLocaleString('en-US')} events, then the limit)`, [join(ROOT, 'dist', 'cli.js'), 'run', '--max-events', String(EVENTS), '--max-seconds', '600', file]],
    [`trace, streamed to /dev/null`, [join(ROOT, 'dist', 'cli.js'), 'trace', '--max-events', String(EVENTS), '--max-seconds', '600', file]],
  ];
  const runs: ReturnType<typeof measure>[][] = cases.map(() => []);
  try {
    for (let i = 0; i < 3; i++) for (const [c, [, args]] of cases.entries()) runs[c].push(measure(args, preload));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const measured = runs.map((r) => ({ ms: r.map((x) => x.ms), cpuMs: r.map((x) => x.cpuMs), peakMb: r.map((x) => x.peakMb) }));
  for (const [c, [label]] of cases.entries()) {
    const { ms, cpuMs, peakMb } = measured[c];
    detail(`${label.padEnd(44)} median ${median(ms).toFixed(0).padStart(6)} ms (CPU ${median(cpuMs).toFixed(0)} ms)   peak RSS median ${median(peakMb).toFixed(0)} MB (max ${Math.max(...peakMb).toFixed(0)} MB)`);
  }
  const [run, trace] = measured;
  detail(`trace/run: ${(median(trace.ms) / median(run.ms)).toFixed(2)} in wall time, ${(median(trace.cpuMs) / median(run.cpuMs)).toFixed(2)} in CPU time`);
  return [
    row({
      id: 'cli.trace.time',
      goal: `\`tcpscenario trace\` of ${EVENTS.toLocaleString('en-US')} events (a process, JSON to /dev/null)`,
      unit: 'ms',
      measured: figure(trace.ms),
      reference: { what: '`tcpscenario run` of the same', measured: figure(run.ms) },
      target: { compare: 'ratio', below: 2 },
    }),
    row({ id: 'cli.trace.memory', goal: `\`tcpscenario trace\` of ${EVENTS.toLocaleString('en-US')} events: peak memory (RSS)`, unit: 'MB', measured: figure(trace.peakMb), target: { compare: 'value', below: 400 } }),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(main(), null, 2));
