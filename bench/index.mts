// `npm run bench`: measures each goal of issue 13 on real engine traces (and generated
// scenarios for the language) and prints a table: the median of repeated measurements with
// their spread, the reference measured in the same run, the goal, and whether it is met. Details
// (and the figures without a goal) go to stderr as they are measured.
// `npm run bench -- --json` writes the same as JSON to bench-results.json (`--json=FILE`: there);
// `--only=diagram,debugger` runs some parts. Figures, never assertions.
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { detail, machine, table, type Row } from './report';

const args = process.argv.slice(2);
const jsonArg = args.find((a) => a === '--json' || a.startsWith('--json='));
const jsonFile = jsonArg === undefined ? undefined : jsonArg.includes('=') ? jsonArg.slice('--json='.length) : join(import.meta.dirname, '..', 'bench-results.json');
// The parts' own lines are details: stderr, so that stdout is the table.
console.log = (...values: unknown[]) => detail(values.map(String).join(' '));
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const parts = ['parse', 'diagram', 'debugger', 'memory', 'cli', 'engine', 'editor'];

const m = machine();
try {
  m.chromium = execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
} catch {
  // no Chromium: the webview parts say so
}
const rows: Row[] = [];
for (const part of parts) {
  if (only && !only.includes(part)) continue;
  const file = join(import.meta.dirname, `${part}.ts`);
  if (!existsSync(file)) continue;
  detail(`\n== ${part} (load average ${loadavg()[0].toFixed(1)}) ==`);
  const mod = (await import(pathToFileURL(file).href)) as { main: () => Promise<Row[] | void> | Row[] | void };
  const result = await mod.main();
  if (Array.isArray(result)) rows.push(...result);
}
m.loadAfter = loadavg()[0];
if (jsonFile) {
  writeFileSync(jsonFile, `${JSON.stringify({ machine: m, rows }, null, 2)}\n`);
  detail(`written to ${jsonFile}`);
}
process.stdout.write(`\n${table(rows, m)}\n`);
