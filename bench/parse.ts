// Parse and compile speed on a generated 100,000-line scenario. Figures only, no assertions.
import { cpus, loadavg } from 'node:os';
import { compile, parse, Scanner } from '../src/language';

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

/**
 * Median of several rounds, in wall time and in CPU time (the latter is steadier on a busy
 * machine; it counts the garbage collector's helper threads too), and the best CPU round.
 */
function measure(label: string, lines: number, run: () => void): void {
  run(); // warm-up
  const rounds = 7;
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const startCpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    run();
    wall.push(Number(process.hrtime.bigint() - start) / 1e6);
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const rate = (ms: number) => Math.round((lines / ms) * 1000).toLocaleString('en-US');
  const best = Math.min(...cpu);
  const w = median(wall);
  const c = median(cpu);
  console.log(
    `${label.padEnd(28)} wall ${w.toFixed(1).padStart(7)} ms ${rate(w).padStart(11)} lines/s   cpu ${c.toFixed(1).padStart(7)} ms ${rate(c).padStart(11)} lines/s   best cpu ${rate(best).padStart(11)} lines/s`,
  );
}

export function main(): void {
  const lines = 100_000;
  const text = generateScenario(lines);
  console.log(`load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs (figures on a busy machine are slower)`);
  console.log(`scenario: ${lines.toLocaleString('en-US')} lines, ${(text.length / 1e6).toFixed(1)} M chars (goal: parse > 1,000,000 lines/s)`);
  measure('scan (tokens only)', lines, () => {
    const scanner = new Scanner(text);
    while (scanner.next().kind !== 'eof');
  });
  measure('parse', lines, () => {
    const { diagnostics } = parse(text);
    if (diagnostics.length > 0) throw new Error(diagnostics[0].message);
  });
  measure('compile (parse+check+emit)', lines, () => {
    const { program } = compile(text);
    if (!program) throw new Error('did not compile');
  });
}

if (import.meta.url === `file://${process.argv[1]}`) main();
