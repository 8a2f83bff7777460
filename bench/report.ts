// What `npm run bench` reports: one row per goal of issue 13, each the median of repeated
// measurements with their spread, the reference it is compared with (measured in the same
// run) and the goal; printed as a table, or as JSON with `--json`. Details that are not goals
// go to stderr as they are measured.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

export interface Figure {
  /** The median of the measurements (or, for a latency distribution, the percentile asked for). */
  median: number;
  /** Lowest and highest of the measurements (or, for a latency distribution, its p10 and p90). */
  spread: [number, number];
  /** What `spread` is. */
  spreadOf: 'min-max' | 'p10-p90';
  /** How many measurements. */
  n: number;
}

export interface Row {
  /** Stable id, e.g. `step.p50`. */
  id: string;
  goal: string;
  unit: string;
  measured: Figure;
  /** What the figure is compared with, measured in the same run. */
  reference?: { what: string; measured: Figure };
  /** The figure (or its ratio to the reference) must be below / above `value`. */
  target: { compare: 'ratio' | 'value'; below?: number; above?: number };
  met: boolean;
  note?: string;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGB: number;
  node: string;
  chromium?: string;
  /** 1-minute load average before and after (other work on the machine slows every figure). */
  loadBefore: number;
  loadAfter?: number;
  date: string;
}

export function machine(): Machine {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadBefore: loadavg()[0],
    date: new Date().toISOString(),
  };
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/** The median of repeated measurements (figure's, without the spread). */
export function median(values: readonly number[]): number {
  return figure(values).median;
}

/**
 * Writes into `dir` a preload (`node --require`) that prints, as the process exits, its peak RSS
 * (KB), its wall ms since the preload ran and its CPU ms (all its threads) on stderr; its path.
 * `exitFigures` reads them back.
 */
export function exitFiguresPreload(dir: string): string {
  const preload = join(dir, 'exit-figures.cjs');
  writeFileSync(
    preload,
    `const t0 = Date.now(); process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write('\\nBENCH ' + u.maxRSS + ' ' + (Date.now() - t0) + ' ' + Math.round((u.userCPUTime + u.systemCPUTime) / 1000) + '\\n'); });\n`,
  );
  return preload;
}

/** What `exitFiguresPreload`'s preload printed on a process's stderr. */
export function exitFigures(stderr: string): { peakMb: number; ms: number; cpuMs: number } | undefined {
  const match = /BENCH (\d+) (\d+) (\d+)/.exec(stderr);
  return match ? { peakMb: Number(match[1]) / 1024, ms: Number(match[2]), cpuMs: Number(match[3]) } : undefined;
}

/** Median and min..max of repeated measurements. */
export function figure(values: readonly number[]): Figure {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), spread: [sorted[0], sorted[sorted.length - 1]], spreadOf: 'min-max', n: values.length };
}

/** A percentile of a latency distribution, with its p10..p90 as the spread. */
export function percentile(values: readonly number[], p: number): Figure {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: quantile(sorted, p / 100), spread: [quantile(sorted, 0.1), quantile(sorted, 0.9)], spreadOf: 'p10-p90', n: values.length };
}

/** A row; `met` from the target. */
export function row(r: Omit<Row, 'met'>): Row {
  const value = r.target.compare === 'ratio' && r.reference ? r.measured.median / r.reference.measured.median : r.measured.median;
  const met = (r.target.below === undefined || value < r.target.below) && (r.target.above === undefined || value > r.target.above);
  return { ...r, met };
}

/** Runs `fn` `runs` times after `warm` warm-up runs; its wall times (ms). */
export async function timed(runs: number, fn: () => unknown, warm = 1): Promise<number[]> {
  for (let i = 0; i < warm; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    out.push(performance.now() - start);
  }
  return out;
}

/** Details go to stderr, so that `--json` keeps stdout for the JSON. */
export function detail(text: string): void {
  process.stderr.write(`${text}\n`);
}

function num(n: number, unit: string): string {
  const abs = Math.abs(n);
  const text = abs >= 1000 ? Math.round(n).toLocaleString('en-US') : abs >= 100 ? n.toFixed(0) : abs >= 10 ? n.toFixed(1) : n.toFixed(2);
  return unit === 'x' ? `${text}x` : `${text} ${unit}`;
}

function target(r: Row): string {
  const of = r.target.compare === 'ratio' ? 'x the reference' : r.unit;
  if (r.target.below !== undefined) return `< ${r.target.below} ${of}`;
  return `> ${(r.target.above ?? 0).toLocaleString('en-US')} ${of}`;
}

/** The rows as a Markdown table (what README's performance table is). */
export function table(rows: readonly Row[], m: Machine): string {
  const lines = [
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGB} GB, Node ${m.node}${m.chromium ? `, Chromium ${m.chromium}` : ''}; load average ${m.loadBefore.toFixed(1)} before, ${m.loadAfter?.toFixed(1) ?? '?'} after (${m.date.slice(0, 10)}).`,
    '',
    '| Goal | Measured: median (spread: min–max, or p10–p90 of a distribution) | Reference | Goal | Met |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const m = r.measured;
    const measured = `${num(m.median, r.unit)} (${m.spreadOf === 'p10-p90' ? 'p10–p90 ' : ''}${num(m.spread[0], r.unit)}–${num(m.spread[1], r.unit)}, n=${m.n})`;
    const ratio = r.reference ? r.measured.median / r.reference.measured.median : undefined;
    const reference = r.reference ? `${r.reference.what}: ${num(r.reference.measured.median, r.unit)}; ratio ${ratio!.toFixed(2)}` : '';
    lines.push(`| ${r.goal}${r.note ? ` (${r.note})` : ''} | ${measured} | ${reference} | ${target(r)} | ${r.met ? 'yes' : 'no'} |`);
  }
  return lines.join('\n');
}
