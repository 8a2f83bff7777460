// The language's speed: the parser alone on a generated 100,000-line scenario (lines/s), and
// what `tcpscenario check` does (scan, parse, check) with a 300,000-line scenario against a pass
// that only splits it into lines and runs one regex over each. Figures only, no assertions.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import type * as Language from '../src/language';
import { detail, figure, row, timed, type Row } from './report';

/**
 * The language as it ships: one esbuild bundle, as in dist/ (scripts/build.mjs). Loaded through
 * tsx instead, each module's exports are getters, and every T_IDENT or T.S_LINE the parser reads
 * becomes a call: four times the CPU time, which would measure the loader, not the parser.
 */
async function shippedLanguage(): Promise<typeof Language> {
  const entry = fileURLToPath(new URL('../src/language/index.ts', import.meta.url));
  const result = await build({ entryPoints: [entry], bundle: true, write: false, platform: 'node', target: 'node18', format: 'esm', logLevel: 'warning' });
  return (await import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`)) as typeof Language;
}

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
/** Runs `fn` once; its wall time in ms, and its CPU time (ms, incl. GC threads) pushed to `cpu`. */
function cpuTimed(fn: () => unknown, cpu: number[]): number {
  const startCpu = process.cpuUsage();
  const start = performance.now();
  fn();
  const wall = performance.now() - start;
  const used = process.cpuUsage(startCpu);
  cpu.push((used.user + used.system) / 1000);
  return wall;
}

/** The reference pass: lines, one regex each. */
function regexPass(text: string): number {
  let n = 0;
  for (const line of text.split('\n')) if (LINE.exec(line)) n++;
  return n;
}

/**
 * Passes of the check and of its reference: 15 of each after 3 of each to warm up (the row's
 * medians), 9 after 1 for the detail line with `end`. With one warm-up the first measured check took
 * 2-3 times the later ones, and with 5 passes that one moved the median.
 */
const CHECK_PASSES = 15;
const CHECK_WARM_UP = 3;
const END_PASSES = 9;

/**
 * Runs `first` and `second` `passes` times each, pass by pass, taking turns at going first: the
 * machine's load and the garbage one pass leaves for the collector fall on both alike; `warm` passes
 * of each before. Their wall times (ms); their CPU times go to `firstCpu` and `secondCpu`.
 */
function interleaved(passes: number, warm: number, first: () => unknown, second: () => unknown, firstCpu: number[], secondCpu: number[]): { first: number[]; second: number[] } {
  const walls = { first: [] as number[], second: [] as number[] };
  for (let i = 0; i < warm; i++) {
    first();
    second();
  }
  for (let i = 0; i < passes; i++) {
    if (i % 2 === 0) {
      walls.first.push(cpuTimed(first, firstCpu));
      walls.second.push(cpuTimed(second, secondCpu));
    } else {
      walls.second.push(cpuTimed(second, secondCpu));
      walls.first.push(cpuTimed(first, firstCpu));
    }
  }
  return walls;
}

/** The spread of `a[i] / b[i]`, as `median (min-max)`. */
function spreadOfRatios(a: readonly number[], b: readonly number[]): string {
  const ratios = figure(a.map((value, i) => value / b[i]));
  return `${ratios.median.toFixed(2)} (${ratios.spread[0].toFixed(2)}-${ratios.spread[1].toFixed(2)})`;
}

export async function main(): Promise<Row[]> {
  const rows: Row[] = [];
  const { diagnose, parse, Scanner } = await shippedLanguage();
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
    `parser: ${lines.toLocaleString('en-US')} lines in ${figure(wall).median.toFixed(0)} ms wall, ${figure(cpu).median.toFixed(0)} ms CPU (incl. GC threads: ` +
      `${Math.round(rate(figure(cpu).median)).toLocaleString('en-US')} lines/s of CPU); ` +
      `the scanner alone ${Math.round(rate(figure(scanTimes).median)).toLocaleString('en-US')} lines/s`,
  );
  const rates = wall.map(rate);
  rows.push(row({ id: 'language.parse', goal: 'Parser alone (generated scenario, 100,000 lines)', unit: 'lines/s', measured: figure(rates), target: { compare: 'value', above: 1_000_000 } }));

  // What `tcpscenario check` does with a 300,000-line text (scan, parse, check: `diagnose`) against a
  // pass that splits it into lines and runs one regex over each, in this process (300,000 lines of
  // this mix are 9 MB; the CLI reads up to 16 MiB, src/run/read.ts). CPU time too: on a busy machine
  // the wall-clock ratio says more about the neighbours than about the parser.
  const big = generateScenario(300_000);
  const checkCpu: number[] = [];
  const referenceCpu: number[] = [];
  const { first: check, second: reference } = interleaved(CHECK_PASSES, CHECK_WARM_UP, () => diagnose(big), () => regexPass(big), checkCpu, referenceCpu);
  const cpuCheck = figure(checkCpu).median;
  const cpuReference = figure(referenceCpu).median;
  detail(
    `check: ${cpuCheck.toFixed(0)} ms CPU against ${cpuReference.toFixed(0)} ms CPU for split-and-regex (ratio ${(cpuCheck / cpuReference).toFixed(2)}, medians of ${CHECK_PASSES}, ` +
      `interleaved; wall ratio of each pair ${spreadOfRatios(check, reference)})`,
  );
  // The same text ending with `end`: the `runs after end` warning needs every statement's time
  // (afterEnd.ts reads them from the tree; through the objects' timeline it cost 4-5 times the check).
  const ended = `${big}\nend +1ms\n`;
  const endCpu: number[] = [];
  const endReferenceCpu: number[] = [];
  interleaved(END_PASSES, 1, () => diagnose(ended), () => regexPass(ended), endCpu, endReferenceCpu);
  const cpuEnd = figure(endCpu).median;
  const cpuEndReference = figure(endReferenceCpu).median;
  detail(`check with \`end\`: ${cpuEnd.toFixed(0)} ms CPU against ${cpuEndReference.toFixed(0)} ms CPU for split-and-regex (ratio ${(cpuEnd / cpuEndReference).toFixed(2)}, medians of ${END_PASSES})`);
  rows.push(
    row({
      id: 'language.check',
      goal: 'check (scan, parse, check) of a 300,000-line scenario',
      unit: 'ms',
      measured: figure(check),
      reference: { what: 'split into lines + one regex per line', measured: figure(reference) },
      target: { compare: 'ratio', below: 1.5 },
    }),
  );
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
