// The CLI with many files: `tcpscenario run` of 900 scenarios (the examples, many times over) on
// the main thread and worker threads, one per core, against the same on one thread
// (TCPSCENARIO_WORKERS=1), alternated. Each a process of its own, as a user runs it. The goal is
// on wall time; the CPU time of each process (all its threads) is printed too: workers cost CPU
// (start-up, code optimised again in each V8 isolate) that pays only where a core is free.
// Figures, never assertions.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { detail, exitFigures, exitFiguresPreload, figure, median, row, type Row } from './report';

const ROOT = join(import.meta.dirname, '..');
const FILES = 900;

function runMs(files: string[], env: Record<string, string>, preload: string): { ms: number; cpuMs: number; summary: string } {
  const start = performance.now();
  const result = spawnSync(process.execPath, ['--require', preload, join(ROOT, 'dist', 'cli.js'), 'run', ...files], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - start;
  const summary = result.stdout.trim().split('\n').at(-1) ?? '';
  if (!/passed/.test(summary)) throw new Error(`tcpscenario run failed: ${result.stderr.slice(-300)}`);
  return { ms, cpuMs: exitFigures(result.stderr)?.cpuMs ?? NaN, summary };
}

export async function main(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tcpscenario-bench-'));
  try {
    const examples = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.tcpscenario'));
    const files: string[] = [];
    for (let i = 0; i < FILES; i++) {
      const file = join(dir, `${String(i).padStart(3, '0')}-${examples[i % examples.length]}`);
      copyFileSync(join(ROOT, 'examples', examples[i % examples.length]), file);
      files.push(file);
    }
    // The process's CPU time (all its threads), printed at exit.
    const preload = exitFiguresPreload(dir);
    const parallel: number[] = [];
    const single: number[] = [];
    const parallelCpu: number[] = [];
    const singleCpu: number[] = [];
    let summary = '';
    for (let i = 0; i < 3; i++) {
      const p = runMs(files, {}, preload);
      parallel.push(p.ms);
      parallelCpu.push(p.cpuMs);
      summary = p.summary;
      const one = runMs(files, { TCPSCENARIO_WORKERS: '1' }, preload);
      single.push(one.ms);
      singleCpu.push(one.cpuMs);
    }
    detail(`run of ${FILES} files: "${summary}"`);
    detail(`  wall median ${median(parallel).toFixed(0)} ms against ${median(single).toFixed(0)} ms on one thread; CPU median ${median(parallelCpu).toFixed(0)} ms against ${median(singleCpu).toFixed(0)} ms`);
    return [
      row({
        id: 'cli.manyFiles',
        goal: `\`tcpscenario run\` of ${FILES} files on worker threads (${availableParallelism()} cores)`,
        unit: 'ms',
        measured: figure(parallel),
        reference: { what: 'the same on one thread', measured: figure(single) },
        target: { compare: 'ratio', below: 1 },
      }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    (rows) => console.log(JSON.stringify(rows, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
