// The language's speed: the parser alone on a generated 100,000-line scenario (lines/s), and
// what `tcpscenario check` does (scan, parse, check) with a 300,000-line scenario against a pass
// that only splits it into lines and runs one regex over each. Figures only, no assertions.
import { diagnose, parse, Scanner } from '../src/language';
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
/** The reference pass: lines, one regex each. */
function regexPass(text: string): number {
  let n = 0;
  for (const line of text.split('\n')) if (LINE.exec(line)) n++;
  return n;
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

  // What `tcpscenario check` does with a 300,000-line text (scan, parse, check: `diagnose`) against a
  // pass that splits it into lines and runs one regex over each, in this process. (The CLI itself
  // refuses files over 4 MB, src/run/read.ts; 300,000 lines of this mix are 10 MB.)
  const big = generateScenario(300_000);
  const check: number[] = [];
  const reference: number[] = [];
  diagnose(big);
  regexPass(big);
  for (let i = 0; i < 5; i++) {
    check.push((await timed(1, () => diagnose(big), 0))[0]);
    reference.push((await timed(1, () => regexPass(big), 0))[0]);
  }
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
