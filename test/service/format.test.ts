import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { compile, scan } from '../../src/language';
import { formatEdits, formatText } from '../../src/language/service';
import { DESIGN_EXAMPLE } from './cursor';

/** [name, input, expected output]. */
const CASES: [string, string, string][] = [
  [
    'aligns the time column and indents untimed timeline statements',
    '@0 server listen\n@0 client connect server\n+50ms client close\nexpect client is FIN-WAIT-1',
    '@0      server listen\n@0      client connect server\n+50ms   client close\n        expect client is FIN-WAIT-1',
  ],
  [
    'the column widens for a long time',
    '@1.5min client close\n+0 server close',
    '@1.5min  client close\n+0       server close',
  ],
  [
    'one space between words, none around = and after commas, spaces around arrows',
    'drop   client->server  FIN , ACK   seq = 5  once',
    '        drop client -> server FIN,ACK seq=5 once',
  ],
  [
    'declarations start at column 1',
    '   set msl = 30s\n  link a <-> b   delay=10ms',
    'set msl=30s\nlink a <-> b delay=10ms',
  ],
  [
    'consecutive endpoints line up as a table',
    'endpoint client 10.0.0.1:49152 isn=100\nendpoint s 10.0.0.2:80 isn=300',
    'endpoint client 10.0.0.1:49152 isn=100\nendpoint s      10.0.0.2:80    isn=300',
  ],
  [
    'a trailing comment keeps its column when there is room, else moves two spaces past the code',
    '@0 a listen        # wait\n@0 a connect bbbbbbbbbbbbbbbb # go',
    '@0      a listen   # wait\n@0      a connect bbbbbbbbbbbbbbbb  # go',
  ],
  ['comment lines, blank lines and strings are kept', '# Title\n\n  # indented note\n@0 a send "x  =  y"', '# Title\n\n  # indented note\n@0      a send "x  =  y"'],
  ['trailing blanks go', 'endpoint a   \n\t\n', 'endpoint a\n\n'],
  ['a line with a syntax error is left alone', '@0 a   frobnicate  now\n@0 b listen', '@0 a   frobnicate  now\n@0      b listen'],
  ['CRLF line ends are kept', 'endpoint a\r\n@0 a listen\r\n', 'endpoint a\r\n@0      a listen\r\n'],
];

function examples(): [string, string][] {
  const out: [string, string][] = [['DESIGN.md example', DESIGN_EXAMPLE]];
  for (const dir of ['examples', 'test/fixtures']) {
    let names: string[] = [];
    try {
      names = readdirSync(dir, { recursive: true }) as string[];
    } catch {
      continue;
    }
    for (const name of names.filter((n) => n.endsWith('.tcpscenario'))) out.push([`${dir}/${name}`, readFileSync(`${dir}/${name}`, 'utf8')]);
  }
  for (const [name, input] of CASES) out.push([name, input]);
  return out;
}

function tokensOf(text: string): string[] {
  return scan(text).tokens.map((token) => `${token.kind}:${token.text}:${token.line}`);
}

describe('formatter', () => {
  for (const [name, input, expected] of CASES) {
    test(name, () => assert.equal(formatText(input), expected));
  }

  test('the DESIGN.md example is already formatted', () => {
    assert.deepEqual(formatEdits(DESIGN_EXAMPLE), []);
  });

  for (const [name, input] of examples()) {
    test(`${name}: idempotent, same tokens on the same lines, same program`, () => {
      const once = formatText(input);
      assert.equal(formatText(once), once);
      assert.deepEqual(tokensOf(once), tokensOf(input));
      const before = compile(input);
      const after = compile(once);
      assert.deepEqual(after.program, before.program);
      assert.deepEqual(
        after.diagnostics.map((d) => [d.code, d.range.line]),
        before.diagnostics.map((d) => [d.code, d.range.line]),
      );
    });
  }

  test('a messy version of the DESIGN example formats back to it', () => {
    const messy = DESIGN_EXAMPLE.split('\n')
      .map((line) => (line.startsWith('#') ? line : line.replace(/ +/g, ' ').replace(/=/g, ' = ')))
      .join('\n');
    const formatted = formatText(messy);
    assert.deepEqual(compile(formatted).program, compile(DESIGN_EXAMPLE).program);
    // Comments that lost their column come back two spaces after the code.
    assert.ok(formatted.includes('@0      server listen\n'), formatted);
    assert.ok(formatted.includes('endpoint server 10.0.0.2:80    isn=300\n'), formatted);
  });
});
