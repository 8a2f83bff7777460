// The parser's golden record: scanner tokens, parse tree, parse diagnostics and the
// compiler's result for every example, every fixture and a few thousand generated lines
// (valid, mangled and random). Recorded once from a trusted parser
// (`node --import tsx test/language/record-golden.ts`); parser-golden.test.ts checks that
// a faster parser still gives exactly the same output.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, compile, parse, scan, type Diagnostic } from '../../src/language';
import { generateScenario } from '../../bench/parse';

export const GOLDEN_PATH = join(__dirname, '..', 'fixtures', 'parser-golden', 'golden.json');
const ROOT = join(__dirname, '..', '..');

export interface GoldenCase {
  name: string;
  text: string;
  /** The serialized output (see `serialize`). */
  output: unknown;
}

/** JSON that keeps what plain JSON loses: undefined fields (key present) and Infinity. */
export function serialize(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => {
      if (v === undefined) return '$undefined';
      if (typeof v === 'number' && !Number.isFinite(v)) return `$number:${String(v)}`;
      return v;
    }),
  );
}

/** Everything the language hands to its users for one text (compile's diagnostics are parse's plus check's, see `mergeDiagnostics`). */
export function outputOf(text: string): unknown {
  const scanned = scan(text);
  const parsed = parse(text);
  const compiled = compile(text);
  return serialize({
    // Tokens as tuples: the same facts in a third of the space.
    tokens: scanned.tokens.map((t) => [t.kind, t.text, t.offset, t.line, t.column, t.length, t.value, t.error]),
    comments: scanned.comments,
    ast: parsed.ast,
    parseDiagnostics: parsed.diagnostics,
    checkDiagnostics: check(parsed.ast),
    program: compiled.program,
  });
}

/** What `compile` reports: the parser's and the checker's diagnostics in text order (a stable sort). */
export function mergeDiagnostics(parseDiagnostics: Diagnostic[], checkDiagnostics: Diagnostic[]): Diagnostic[] {
  return [...parseDiagnostics, ...checkDiagnostics].sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column);
}

/** Small seeded generator (mulberry32): the same inputs on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEADER = [
  'scenario "golden"',
  'profile rfc',
  'set msl=30s rto=1s',
  'endpoint client 10.0.0.1:49152 isn=100',
  'endpoint server 10.0.0.2:80 isn=300',
  'endpoint 服務器 :8080 rto-min=200ms',
  'link client <-> server delay=10ms loss=1% seed=7',
  '@0 server listen',
  '@0 client connect server',
];

/** Well-formed lines of every kind (with time prefixes, options, Unicode and odd spacing). */
const TEMPLATES = [
  '+1ms client send 100            # some data',
  '+1ms server receive 100',
  '+1ms server receive',
  '+2ms drop client -> server FIN,ACK once',
  '     expect client -> server ACK seq=101 ack=301',
  '+1ms expect server received 100 bytes',
  '# a comment line',
  '+1ms client send "GET / HTTP/1.1\\r\\n"',
  '     expect client is ESTABLISHED',
  '     expect client is TIME_WAIT with server',
  '',
  '+5us duplicate server -> client data 2 times',
  '@2s delay client -> server SYN by 50ms twice',
  '@2.5s reorder server -> client ACK always',
  '@3s corrupt client -> server data',
  '+1s inject client -> server RST seq=100 ack=0 wnd=0',
  'end +10s',
  'end @1min',
  '@0x1F client close with server',
  '\t+1ms\tclient shutdown',
  '+1ms client abort with server',
  '+1ms server crash',
  '+1ms server restart',
  'set time-wait=1s delayed-ack=off keepalive=on rcvbuf=1000',
  'endpoint third 10.0.0.3 rto_min=1s',
  'link client <-> third',
  '+1ms client send "\\x41\\u{1F600}\\t\\"quoted\\""',
  'SCENARIO "upper case"',
  'Endpoint Upper 10.0.0.9:99',
  '@1.0000005s expect server is closed',
  '+100ms 服務器 send 5',
  '\uFEFF@0 client listen',
  '@0 client listen\r',
];

/** Well-formed lines of application behaviour (issue 9): waits, shutdown modes, socket options, call results, raw endpoints, TCP options. */
const APPLICATION_TEMPLATES = [
  'wait until server is CLOSE-WAIT',
  '+0 server close   # on EOF',
  '+10ms wait until client is TIME-WAIT with server',
  '@2s wait until server received 100 bytes',
  '+1ms client shutdown read',
  '+1ms client shutdown both with server',
  '@3s client set linger=0 keepalive=on keepalive-idle=10s',
  '+1ms server set rcvbuf=1000 autoread=on',
  '     expect client connect failed ECONNREFUSED',
  '     expect server receive failed "connection reset"',
  '     expect client send ok',
  'endpoint peer 10.0.0.9:4000 raw isn=5',
  '+1ms inject peer -> server SYN seq=0 mss=1460 sackok ts=100:0 wscale=7',
  '+1ms inject peer -> server none seq=1 sack=1001:2001,3001:4001',
  'end +2s',
];

/** Pieces of the application lines, to break them. */
const APPLICATION_PIECES = [
  'wait', 'until', 'untill', 'wiat', 'raw', 'ok', 'failed', 'fialed', 'ECONNRESET', 'ECONRESET', 'EPIPE', '"connection reset"', '"conection"',
  'read', 'both', 'write', 'reed', 'set', 'linger=0', 'lingr=1', 'msl=3s', 'nodelay=on', 'none', 'none,ACK', 'sackok', 'sackok=1',
  'mss=1460', 'wscale=15', 'ts=1:2', 'ts=1', 'sack=1:2,3:4', 'sack=1:2,', 'connect', 'receive', 'close',
];

/** Words and characters that break lines in every way the parser must survive. */
const PIECES = [
  'endpoint', 'link', 'set', 'profile', 'scenario', 'expect', 'drop', 'duplicate', 'corrupt', 'reorder', 'delay', 'inject', 'end',
  'client', 'server', '服務器', 'Client', 'clinet', 'sever', 'ENDPOINT', 'endpiont', 'expcet', 'dorp',
  'listen', 'connect', 'send', 'receive', 'close', 'shutdown', 'abort', 'crash', 'restart', 'sned', 'recieve', 'lisen',
  'is', 'isnt', 'with', 'received', 'recived', 'by', 'once', 'twice', 'times', 'always', 'bytes', 'not',
  'SYN', 'ACK', 'FIN,ACK', 'SYN,', 'SNY', 'data', 'PSH', 'URG', 'RST', 'syn',
  'TIME-WAIT', 'TIME_WAIT', 'TIME_WAITING', 'ESTABLISHED', 'SYN-RCVD', 'CLOSED', 'LISTEN',
  'seq=100', 'ack=', 'len=5', 'wnd=9', 'foo=1', 'msl=30s', 'msl=30', 'rto=1x', 'loss=5%', 'loss=150%', 'isn=7', 'isn=99999999999',
  'delay=10ms', 'jitter=1', 'seed=x', 'keepalive=maybe', 'rcvbuf=0',
  '10.0.0.1:80', '10.0.0.1', '10.0.0.300:70000', ':8080', ':', ':x', '1.2.3',
  '@0', '@1s', '+50ms', '@-1s', '+-', '+5', '@1.5', '@2x', '@1e3s', '+0', '@10h', '@9999999h', '100', '0x1f', '0xZ', '3', '0',
  '"text"', '"open', '"bad \\q escape"', '"\\u{110000}"', '"\\x4"', '""', '"tab\\there"',
  '->', '<->', '<-', '-', ',', '=', '#', '# comment', '，', '＝', '：', '＠', '“', '$', '%', '\t', '\r', '\u00a0', '\u3000', '\u200b', '😀', 'é', 'a-b', 'a-', '_x',
];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)];
}

function randomLine(next: () => number, templates: readonly string[] = TEMPLATES, pieces: readonly string[] = PIECES): string {
  const r = next();
  if (r < 0.35) {
    // A good line with one piece changed, removed or added.
    const words = pick(next, templates).split(' ');
    const at = Math.floor(next() * words.length);
    const edit = next();
    if (edit < 0.33) words[at] = pick(next, pieces);
    else if (edit < 0.66) words.splice(at, 1);
    else words.splice(at, 0, pick(next, pieces));
    return words.join(next() < 0.8 ? ' ' : '');
  }
  if (r < 0.55) return pick(next, templates);
  if (r < 0.9) {
    const n = Math.floor(next() * 9);
    const words: string[] = [];
    for (let i = 0; i < n; i++) words.push(pick(next, pieces));
    return words.join(next() < 0.9 ? ' ' : '');
  }
  // Random characters, some outside ASCII.
  const n = Math.floor(next() * 24);
  let line = '';
  for (let i = 0; i < n; i++) {
    const k = next();
    line += k < 0.7 ? String.fromCharCode(32 + Math.floor(next() * 95)) : k < 0.9 ? String.fromCharCode(0x80 + Math.floor(next() * 0x3000)) : String.fromCharCode(Math.floor(next() * 32));
  }
  return line.replace(/\n/g, ' ');
}

/** The texts of the golden record: examples, fixtures, doc snippets, the bench's file and generated files. */
export function goldenInputs(): { name: string; text: string }[] {
  const inputs: { name: string; text: string }[] = [];
  const folders = ['examples', 'test/fixtures/debug', 'test/e2e/workspace'];
  for (const folder of folders) {
    const dir = join(ROOT, folder);
    for (const file of readdirSync(dir).sort()) {
      if (file.endsWith('.tcpscenario')) inputs.push({ name: `${folder}/${file}`, text: readFileSync(join(dir, file), 'utf8') });
    }
  }
  const doc = readFileSync(join(ROOT, 'docs', 'language.md'), 'utf8');
  [...doc.matchAll(/^```\n([\s\S]*?)^```$/gm)].forEach((m, i) => inputs.push({ name: `docs/language.md block ${i}`, text: m[1] }));
  inputs.push({ name: 'bench scenario (300 lines)', text: generateScenario(300) });
  inputs.push({ name: 'templates', text: [...HEADER, ...TEMPLATES].join('\n') });
  inputs.push({ name: 'empty', text: '' }, { name: 'only a newline', text: '\n' }, { name: 'CRLF', text: HEADER.join('\r\n') + '\r\n' });
  const next = random(20261126);
  for (let i = 0; i < 400; i++) {
    const lines: string[] = next() < 0.6 ? HEADER.slice(0, Math.floor(next() * (HEADER.length + 1))) : [];
    const n = 1 + Math.floor(next() * 10);
    for (let j = 0; j < n; j++) lines.push(randomLine(next));
    inputs.push({ name: `generated ${i}`, text: lines.join(next() < 0.9 ? '\n' : '\r\n') });
  }
  // The application constructs, whole and broken (their own seed: the cases above stay as they were).
  inputs.push({ name: 'templates (application)', text: [...HEADER, ...APPLICATION_TEMPLATES].join('\n') });
  const templates = [...TEMPLATES, ...APPLICATION_TEMPLATES];
  const pieces = [...PIECES, ...APPLICATION_PIECES];
  const nextApplication = random(20261201);
  for (let i = 0; i < 120; i++) {
    const lines: string[] = nextApplication() < 0.6 ? HEADER.slice(0, Math.floor(nextApplication() * (HEADER.length + 1))) : [];
    const n = 1 + Math.floor(nextApplication() * 10);
    for (let j = 0; j < n; j++) lines.push(randomLine(nextApplication, templates, pieces));
    inputs.push({ name: `generated application ${i}`, text: lines.join('\n') });
  }
  return inputs;
}
