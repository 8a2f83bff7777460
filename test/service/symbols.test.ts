import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { absoluteTimeHints, codeLensLine, documentSymbols, type ScenarioSymbol } from '../../src/language/service';
import { DESIGN_EXAMPLE } from './cursor';

function outline(symbols: ScenarioSymbol[]): unknown[] {
  return symbols.map((symbol) => (symbol.children.length ? [symbol.kind, symbol.name, outline(symbol.children)] : [symbol.kind, symbol.name]));
}

describe('document symbols', () => {
  test('the DESIGN example: scenario, settings, endpoints, link, and the timeline grouped by time', () => {
    assert.deepEqual(outline(documentSymbols(DESIGN_EXAMPLE)), [
      [
        'scenario',
        'Lost final ACK: why TIME-WAIT lasts 2*MSL',
        [
          ['setting', 'profile rfc'],
          ['setting', 'msl=30s'],
          ['endpoint', 'client'],
          ['endpoint', 'server'],
          ['link', 'client <-> server'],
          ['time', '@0', [['action', 'server listen'], ['action', 'client connect server']]],
          ['time', '@50ms', [['action', 'client send 100']]],
          ['time', '@100ms', [['action', 'client close']]],
          ['time', '@105ms', [['fault', 'drop client -> server ACK once'], ['action', 'server close'], ['expect', 'expect client is TIME-WAIT']]],
          ['time', '@2s', [['expect', 'expect client is CLOSED']]],
        ],
      ],
    ]);
  });

  test('ranges: the scenario spans the file, a time group spans its statements, selections sit inside', () => {
    const [scenario] = documentSymbols(DESIGN_EXAMPLE);
    assert.equal(scenario.span.start.line, 1);
    assert.equal(scenario.span.end.line, DESIGN_EXAMPLE.split('\n').length);
    const group = scenario.children.find((symbol) => symbol.name === '@105ms');
    assert.deepEqual([group?.span.start.line, group?.span.end.line], [14, 16]);
    const client = scenario.children.find((symbol) => symbol.name === 'client');
    assert.deepEqual(client?.selection, { start: { line: 6, column: 10 }, end: { line: 6, column: 16 } });
    assert.equal(client?.detail, '10.0.0.1:49152 isn=100');
  });

  test('without a scenario line, symbols are at the top level', () => {
    assert.deepEqual(outline(documentSymbols('endpoint a\nendpoint b\n@0 b listen')), [
      ['endpoint', 'a'],
      ['endpoint', 'b'],
      ['time', '@0', [['action', 'b listen']]],
    ]);
  });

  test('a broken line still yields the symbols around it', () => {
    const names = documentSymbols('endpoint a\n@0 a frobnicate\n@1s a listen')
      .flatMap((symbol) => [symbol.name, ...symbol.children.map((child) => child.name)]);
    assert.ok(names.includes('a') && names.includes('@1s'), names.join(', '));
  });
});

describe('code lens position', () => {
  const CASES: [string, number][] = [
    [DESIGN_EXAMPLE, 2],
    ['# only a comment\n\nendpoint a', 3],
    ['', 1],
  ];
  for (const [text, line] of CASES) {
    test(`line ${line}`, () => assert.equal(codeLensLine(text), line));
  }
});

describe('inlay hints', () => {
  test('each +D line shows the absolute time it runs at, at the end of the line', () => {
    const hints = absoluteTimeHints(DESIGN_EXAMPLE);
    assert.deepEqual(
      hints.map((hint) => [hint.position.line, hint.label]),
      [
        [12, '@50ms'],
        [13, '@100ms'],
        [14, '@105ms'],
        [15, '@105ms'],
      ],
    );
    assert.equal(hints[0].position.column, DESIGN_EXAMPLE.split('\n')[11].length + 1);
  });
});
