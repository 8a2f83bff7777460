// The language's speed: the parser alone on a generated 100,000-line scenario (lines/s), and
// `tcpscenario check` on a 300,000-line file against a pass that only splits it into lines and
// runs one regex over each. Figures only, no assertions.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, Scanner } from '../src/language';
import { detail, figure, row, timed, type Row } from './report';

/** A realistic mix: declarations, every kind of statement, comments, Unicode names. */
export function generateScenario(lines: number): string {
  const head = [
    'scenario "bench"',
    'profile rfc',
    'set msl=30s rto=1s',
    'endpoint client 10.0.0.1:49152 isn=100',
    'endpoint 服務器 10.0.0.2:80 isn=300',
    'link client <-> 服務器 delay=10ms loss=1% seed=7',
    '@0 服務器 listen',
    '@0 client connect 服務器',
  ];
  const body = [
    '+1ms client send 100            # some data',
    '+1ms 服務器 receive 100',
    '+2ms drop client -> 服務器 FIN,ACK once',
    '     expect client -> 服務器 ACK seq=101 ack=301',
    '+1ms expect 服務器 received 100',
    '# a comment line',
    '+1ms client send "GET / HTTP/1.1"',
    '     expect client is ESTABLISHED',
    '',
    '+5us duplicate 服務器 -> client data 2 times',
  ];
  const out = head.slice();
  for (let i = 0; out.length < lines; i++) out.push(body[i % body.length]);
  return out.join('\n');
}

/** A pass over the text that is not a parser: split into lines, one regex over each (time, subject, the rest, a comment). */
const LINE = /^\s*(?:([@+])(\S+)\s+)?([^\s#]+)(?:\s+([^#]*?))?\s*(?:#.*)?$/;
export const REGEX_PASS = `const text = require('fs').readFileSync(process.argv[2], 'utf8');
const LINE = ${LINE.toString()};
let n = 0;
for (const line of text.split('\\n')) if (LINE.exec(line)) n++;
if (n === 0) process.exitCode = 1;`;

/** Wall ms of `node args...` (a process of its own, as a user runs it), from spawn to exit. */
function processMs(args: string[]): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (result.status !== 0 && !(result.status === 1 && args[1] === 'check')) throw new Error(`node ${args.join(' ')} failed: ${result.stderr.slice(-300)}`);
  return ms;
}

export async function main(): Promise<Row[]> {
  const rows: Row[] = [];
  // The parser alone, in this process: lines per second (wall; CPU time too, steadier on a busy machine).
  const lines = 100_000;
  const text = generateScenario(lines);
  for (let i = 0; i < 3; i++) parse(text);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 9; i++) {
    const startCpu = process.cpuUsage();
    const start = performance.now();
    const { diagnostics } = parse(text);
    wall.push(performance.now() - start);
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1000);
    if (diagnostics.length > 0) throw new Error(diagnostics[0].message);
  }
  const scanTimes = await timed(7, () => {
    const scanner = new Scanner(text);
    while (scanner.next().kind !== 'eof');
  });
  const rate = (ms: number) => (lines / ms) * 1000;
  detail(
    `parser: ${lines.toLocaleString('en-US')} lines in ${figure(wall).median.toFixed(0)} ms wall, ${figure(cpu).median.toFixed(0)} ms CPU (incl. GC threads); ` +
      `the scanner alone ${Math.round(rate(figure(scanTimes).median)).toLocaleString('en-US')} lines/s`,
  );
  const rates = wall.map(rate);
  rows.push(row({ id: 'language.parse', goal: 'Parser alone (generated scenario, 100,000 lines)', unit: 'lines/s', measured: figure(rates), target: { compare: 'value', above: 1_000_000 } }));

  // `tcpscenario check` on a 300,000-line file against a split-and-regex pass over it, each a process.
  const dir = mkdtempSync(join(tmpdir(), 'tcpscenario-bench-'));
  try {
    const file = join(dir, 'big.tcpscenario');
    writeFileSync(file, generateScenario(300_000));
    const regex = join(dir, 'regex.js');
    writeFileSync(regex, REGEX_PASS);
    const cli = join(import.meta.dirname, '..', 'dist', 'cli.js');
    const check: number[] = [];
    const reference: number[] = [];
    for (let i = 0; i < 5; i++) {
      check.push(processMs([cli, 'check', file]));
      reference.push(processMs([regex, file]));
    }
    rows.push(
      row({
        id: 'language.check',
        goal: '`tcpscenario check` on a 300,000-line file (a process)',
        unit: 'ms',
        measured: figure(check),
        reference: { what: 'split + one regex per line (a process)', measured: figure(reference) },
        target: { compare: 'ratio', below: 1.5 },
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
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
