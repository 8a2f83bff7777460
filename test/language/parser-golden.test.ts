// Differential test: the scanner, parser, checker and compiler give exactly the output
// recorded in test/fixtures/parser-golden/golden.json (examples, fixtures, doc snippets and
// a few thousand generated, mangled and random lines). Guards speed work on the language:
// same tree, same ranges and offsets, same diagnostics, same program.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compile, parse, type Diagnostic } from '../../src/language';
import { GOLDEN_PATH, mergeDiagnostics, outputOf, serialize, type GoldenCase } from './golden';

const cases = JSON.parse(readFileSync(GOLDEN_PATH, 'utf8')) as GoldenCase[];

describe('language output matches the golden record', () => {
  test('the record covers examples, fixtures and generated lines', () => {
    assert.ok(cases.filter((c) => c.name.startsWith('examples/')).length >= 18);
    assert.ok(cases.filter((c) => c.name.startsWith('generated ')).length >= 400);
    assert.ok(cases.reduce((sum, c) => sum + c.text.split('\n').length, 0) >= 4000);
  });

  test('scan, parse, check and compile give the recorded output', () => {
    for (const golden of cases) {
      assert.deepStrictEqual(outputOf(golden.text), golden.output, golden.name);
    }
  });

  test("compile's tree and diagnostics are parse's plus check's", () => {
    for (const golden of cases) {
      const recorded = golden.output as { ast: unknown; parseDiagnostics: Diagnostic[]; checkDiagnostics: Diagnostic[] };
      const compiled = compile(golden.text);
      assert.deepStrictEqual(serialize(compiled.ast), recorded.ast, golden.name);
      assert.deepStrictEqual(serialize(compiled.diagnostics), mergeDiagnostics(recorded.parseDiagnostics, recorded.checkDiagnostics), golden.name);
    }
  });

  test('parsing twice gives equal, independent trees', () => {
    // Shared objects (interned strings, frozen empty lists) must not leak state between parses.
    for (const golden of cases.slice(0, 60)) {
      const first = parse(golden.text);
      const second = parse(golden.text);
      assert.deepStrictEqual(first, second, golden.name);
      assert.notEqual(first.ast.statements, second.ast.statements);
    }
  });
});
