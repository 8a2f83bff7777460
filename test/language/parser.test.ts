import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, scan } from '../../src/language';
import { assertShape, brief } from './helpers';

interface Row {
  name: string;
  input: string;
  /** Partial shape of `ast.statements`. */
  statements?: unknown[];
  /** `LINE:COL code` of each parse diagnostic, in order. */
  diagnostics: string[];
}

const rows: Row[] = [
  {
    name: 'scenario title',
    input: 'scenario "Lost final ACK"',
    statements: [{ kind: 'scenario', line: 1, title: { kind: 'string', string: 'Lost final ACK', range: { line: 1, column: 10, length: 16 } } }],
    diagnostics: [],
  },
  {
    name: 'endpoint with address, port and isn',
    input: 'endpoint client 10.0.0.1:49152 isn=100',
    statements: [
      {
        kind: 'endpoint',
        name: { text: 'client', range: { line: 1, column: 10, length: 6 } },
        address: { host: '10.0.0.1', port: 49152, octets: [10, 0, 0, 1], range: { line: 1, column: 17, length: 14 } },
        options: [{ key: { text: 'isn' }, value: { kind: 'number', text: '100' } }],
        range: { line: 1, column: 1, length: 38 },
      },
    ],
    diagnostics: [],
  },
  {
    name: 'endpoint with only a port and a setting',
    input: 'endpoint server :8080 rcvbuf=1000',
    statements: [{ kind: 'endpoint', name: { text: 'server' }, address: { port: 8080, host: undefined }, options: [{ key: { text: 'rcvbuf' } }] }],
    diagnostics: [],
  },
  {
    name: 'Unicode names; columns in UTF-16 code units',
    input: 'endpoint 客戶端\n@0 客戶端 connect 服務器 # 連接',
    statements: [
      { kind: 'endpoint', name: { text: '客戶端', range: { line: 1, column: 10, length: 3 } } },
      {
        kind: 'action',
        endpoint: { text: '客戶端', range: { line: 2, column: 4, length: 3 } },
        verb: { text: 'connect', range: { line: 2, column: 8, length: 7 } },
        peer: { text: '服務器', range: { line: 2, column: 16, length: 3 } },
      },
    ],
    diagnostics: [],
  },
  {
    name: 'a name outside the BMP counts two columns',
    input: 'endpoint 𝒳y\n𝒳y listen',
    statements: [{ name: { text: '𝒳y', range: { length: 3 } } }, { endpoint: { text: '𝒳y' }, verb: { range: { column: 5 } } }],
    diagnostics: [],
  },
  {
    name: 'link with options',
    input: 'link client <-> server delay=10ms loss=5% seed=7',
    statements: [
      {
        kind: 'link',
        a: { text: 'client' },
        b: { text: 'server' },
        options: [{ key: { text: 'delay' }, value: { text: '10ms' } }, { key: { text: 'loss' }, value: { text: '5%' } }, { key: { text: 'seed' } }],
      },
    ],
    diagnostics: [],
  },
  {
    name: 'times: absolute, relative, none',
    input: '@0 server listen\n+50ms client send 100\n      client close\n@1.5s client abort',
    statements: [
      { time: { mode: 'absolute', us: 0 }, verb: { text: 'listen' } },
      { time: { mode: 'relative', us: 50_000 }, verb: { text: 'send' }, argument: { kind: 'number', text: '100' } },
      { time: undefined, verb: { text: 'close' } },
      { time: { mode: 'absolute', us: 1_500_000 }, verb: { text: 'abort' } },
    ],
    diagnostics: [],
  },
  {
    name: 'send text with escapes; receive with and without a count',
    input: 'client send "GET / HTTP/1.1\\r\\n"\nserver receive 10\nserver receive',
    statements: [
      { verb: { text: 'send' }, argument: { kind: 'string', string: 'GET / HTTP/1.1\r\n' } },
      { verb: { text: 'receive' }, argument: { text: '10' } },
      { verb: { text: 'receive' }, argument: undefined },
    ],
    diagnostics: [],
  },
  {
    name: 'actions on one connection: with PEER',
    input: 'server send 5 with bob\nserver close with alice\nserver receive with bob',
    statements: [
      { verb: { text: 'send' }, argument: { text: '5' }, conn: { text: 'bob', range: { column: 20 } } },
      { verb: { text: 'close' }, conn: { text: 'alice' } },
      { verb: { text: 'receive' }, argument: undefined, conn: { text: 'bob' } },
    ],
    diagnostics: [],
  },
  {
    name: 'with is not for listen',
    input: 'server listen with bob',
    diagnostics: ['1:15 unexpected-token'],
  },
  {
    name: 'faults with flags, fields and counts',
    input: 'drop client -> server FIN,ACK once\nduplicate a -> b data 3 times\ndelay a -> b SYN by 50ms always\ncorrupt a -> b seq=100',
    statements: [
      { kind: 'fault', fault: 'drop', pattern: { from: { text: 'client' }, to: { text: 'server' }, flags: [{ text: 'FIN' }, { text: 'ACK' }] }, count: { kind: 'once' } },
      { fault: 'duplicate', pattern: { flags: [{ text: 'data' }] }, count: { kind: 'times', n: 3 } },
      { fault: 'delay', byUs: 50_000, count: { kind: 'always' } },
      { fault: 'corrupt', pattern: { flags: [], fields: [{ key: { text: 'seq' }, value: { text: '100' } }] }, count: undefined },
    ],
    diagnostics: [],
  },
  {
    name: 'inject',
    input: 'inject client -> server SYN seq=1000',
    statements: [{ kind: 'inject', pattern: { flags: [{ text: 'SYN' }], fields: [{ key: { text: 'seq' } }] } }],
    diagnostics: [],
  },
  {
    name: 'the three expectations',
    input: 'expect client is TIME-WAIT\nexpect server is ESTABLISHED with c2\nexpect client -> server FIN,ACK seq=101\nexpect server received 100',
    statements: [
      { kind: 'expect', expectation: { kind: 'state', endpoint: { text: 'client' }, state: { text: 'TIME-WAIT' } } },
      { expectation: { kind: 'state', peer: { text: 'c2' } } },
      { expectation: { kind: 'segment', pattern: { from: { text: 'client' }, flags: [{ text: 'FIN' }, { text: 'ACK' }] } } },
      { expectation: { kind: 'received', endpoint: { text: 'server' }, bytes: { text: '100' } } },
    ],
    diagnostics: [],
  },
  {
    name: 'end, profile, set',
    input: 'profile linux\nset msl=30s rto-min=200ms\nend @4min',
    statements: [
      { kind: 'profile', profile: { text: 'linux' } },
      { kind: 'set', options: [{ key: { text: 'msl' } }, { key: { text: 'rto-min' } }] },
      { kind: 'end', at: { mode: 'absolute', us: 240_000_000 } },
    ],
    diagnostics: [],
  },
  {
    name: 'comments and blank lines make no statements',
    input: '# a comment\n\n   # another\r\nendpoint a # trailing\r\n',
    statements: [{ kind: 'endpoint', line: 4 }],
    diagnostics: [],
  },
  // ---- errors: partial trees ----
  {
    name: 'connect without a peer keeps the partial action',
    input: 'client connect',
    statements: [{ kind: 'action', endpoint: { text: 'client' }, verb: { text: 'connect' }, peer: undefined }],
    diagnostics: ['1:15 expected'],
  },
  {
    name: 'misspelled verb suggests the right one',
    input: 'client conect server',
    statements: [{ kind: 'action', endpoint: { text: 'client' }, verb: undefined }],
    diagnostics: ['1:8 unknown-action'],
  },
  {
    name: 'misspelled keyword suggests the right one',
    input: 'expcet client is CLOSED',
    diagnostics: ['1:1 unknown-keyword'],
  },
  {
    name: 'a time without a unit',
    input: '@5 client close',
    statements: [{ time: { us: undefined }, verb: { text: 'close' } }],
    diagnostics: ['1:2 missing-unit'],
  },
  {
    name: 'unknown unit',
    input: '+5sec client close',
    diagnostics: ['1:2 unknown-unit'],
  },
  {
    name: 'a negative time',
    input: '@-1s client close',
    diagnostics: ['1:3 negative-time'],
  },
  {
    name: 'a time before a declaration',
    input: '@1s endpoint a',
    statements: [{ kind: 'endpoint', name: { text: 'a' } }],
    diagnostics: ['1:1 time-on-declaration'],
  },
  {
    name: 'a time and nothing else',
    input: '@1s',
    statements: [],
    diagnostics: ['1:4 expected-statement'],
  },
  {
    name: 'unterminated string keeps its text',
    input: 'client send "abc',
    statements: [{ argument: { string: 'abc' } }],
    diagnostics: ['1:13 unterminated-string'],
  },
  {
    name: 'full-width comma is reported once, with a fix',
    input: 'drop a -> b FIN，ACK',
    statements: [{ kind: 'fault', pattern: { flags: [{ text: 'FIN' }] } }],
    diagnostics: ['1:16 full-width-character'],
  },
  {
    name: 'invalid character',
    input: 'client $ close',
    diagnostics: ['1:8 invalid-character'],
  },
  {
    name: 'link with a one-way arrow',
    input: 'link a -> b',
    statements: [{ kind: 'link', a: { text: 'a' }, b: undefined }],
    diagnostics: ['1:8 expected'],
  },
  {
    name: 'trailing tokens',
    input: 'client close now',
    statements: [{ verb: { text: 'close' } }],
    diagnostics: ['1:14 unexpected-token'],
  },
  {
    name: 'a keyword as an endpoint name',
    input: 'endpoint link',
    diagnostics: ['1:10 keyword-as-name'],
  },
  {
    name: 'bad address',
    input: 'endpoint a 10.0.1',
    diagnostics: ['1:12 invalid-address'],
  },
  {
    name: 'expect with neither is, received nor arrow',
    input: 'expect client in CLOSED',
    statements: [{ kind: 'expect', expectation: undefined }],
    diagnostics: ['1:15 expected'],
  },
  {
    name: 'a number without times',
    input: 'drop a -> b SYN 3',
    diagnostics: ['1:18 expected'],
  },
  {
    name: 'end without a time',
    input: 'end 5s',
    diagnostics: ['1:5 expected'],
  },
  {
    name: 'five mistakes, five diagnostics, good lines between them parsed',
    input: 'endpoint\nclient conect server\nendpoint server\n@5 server listen\nclient send\nserver listen\nexpect server is',
    statements: [
      { kind: 'endpoint', name: undefined },
      { kind: 'action', verb: undefined },
      { kind: 'endpoint', name: { text: 'server' } },
      { kind: 'action', verb: { text: 'listen' } },
      { kind: 'action', verb: { text: 'send' } },
      { kind: 'action', verb: { text: 'listen' }, line: 6 },
      { kind: 'expect' },
    ],
    diagnostics: ['1:9 expected', '2:8 unknown-action', '4:2 missing-unit', '5:12 expected', '7:17 expected'],
  },
];

describe('parser', () => {
  for (const row of rows) {
    test(row.name, () => {
      const { ast, diagnostics } = parse(row.input);
      assert.deepEqual(brief(diagnostics), row.diagnostics, JSON.stringify(diagnostics.map((d) => d.message)));
      if (row.statements) assertShape(ast.statements, row.statements);
    });
  }

  test('messages say what was expected and suggest a fix', () => {
    const { diagnostics } = parse('client conect server\n@5 client close\nlink a -> b');
    assert.equal(diagnostics[0].message, "unknown action 'conect'; did you mean connect?");
    assert.deepEqual(diagnostics[0].fixes, [
      { title: "Change to 'connect'", template: "Change to '{0}'", args: ['connect'], range: { line: 1, column: 8, length: 6 }, replacement: 'connect' },
    ]);
    assert.equal(diagnostics[1].message, "'5' has no time unit; did you mean 5ms?");
    assert.equal(diagnostics[1].fixes?.[0].replacement, '5ms');
    assert.match(diagnostics[2].message, /expected '<->'/);
    assert.equal(diagnostics[2].fixes?.[0].replacement, '<->');
  });

  test('every diagnostic carries its template and arguments', () => {
    const { diagnostics } = parse('client conect server');
    const [d] = diagnostics;
    assert.equal(d.template, "unknown action '{0}'; did you mean {1}?");
    assert.deepEqual(d.args, ['conect', 'connect']);
  });

  test('comments are kept with their ranges', () => {
    const { ast } = parse('endpoint a # 客戶端\n# whole line');
    assert.deepEqual(
      ast.comments.map((c) => [c.text, c.range.line, c.range.column]),
      [
        ['# 客戶端', 1, 12],
        ['# whole line', 2, 1],
      ],
    );
  });

  test('never throws on arbitrary input', () => {
    const samples = ['\u0000\u0001', '"', '@', '+', '->', '<->', '=', ':', 'a =', 'a b=', '\uFEFFendpoint a', 'x'.repeat(10_000), '1'.repeat(400), '\ud800'];
    for (const text of samples) {
      const result = parse(text);
      assert.ok(Array.isArray(result.diagnostics));
    }
  });
});

describe('scanner', () => {
  test('tokens carry offset, line, column and length', () => {
    const { tokens } = scan('@0 a\n  b -> c FIN,ACK');
    assert.deepEqual(
      tokens.map((t) => [t.kind, t.text, t.offset, t.line, t.column, t.length]),
      [
        ['@', '@', 0, 1, 1, 1],
        ['number', '0', 1, 1, 2, 1],
        ['ident', 'a', 3, 1, 4, 1],
        ['newline', '\n', 4, 1, 5, 1],
        ['ident', 'b', 7, 2, 3, 1],
        ['->', '->', 9, 2, 5, 2],
        ['ident', 'c', 12, 2, 8, 1],
        ['ident', 'FIN', 14, 2, 10, 3],
        [',', ',', 17, 2, 13, 1],
        ['ident', 'ACK', 18, 2, 14, 3],
        ['eof', '', 21, 2, 17, 0],
      ],
    );
  });

  test('hyphens join names but not arrows', () => {
    const { tokens } = scan('TIME-WAIT client->server rto-min');
    assert.deepEqual(
      tokens.filter((t) => t.kind !== 'eof').map((t) => t.text),
      ['TIME-WAIT', 'client', '->', 'server', 'rto-min'],
    );
  });

  test('numbers keep their unit, percent sign and address parts', () => {
    const { tokens } = scan('10ms 5% 10.0.0.1:80 0x1F 1.5s');
    assert.deepEqual(
      tokens.filter((t) => t.kind === 'number').map((t) => t.text),
      ['10ms', '5%', '10.0.0.1:80', '0x1F', '1.5s'],
    );
  });
});
