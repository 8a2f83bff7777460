// Test helpers: compare a tree against a partial expectation (only the fields written).

import assert from 'node:assert/strict';
import type { Diagnostic } from '../../src/language';

/** Asserts that every field in `expected` is in `actual` with the same value (recursively; arrays by index and length). */
export function assertShape(actual: unknown, expected: unknown, path = '$'): void {
  if (expected === null || typeof expected !== 'object') {
    assert.deepEqual(actual, expected, `at ${path}`);
    return;
  }
  assert.ok(actual !== null && typeof actual === 'object', `at ${path}: expected an object, got ${JSON.stringify(actual)}`);
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `at ${path}: expected an array`);
    assert.equal(actual.length, expected.length, `at ${path}: length (got ${JSON.stringify(actual)})`);
    expected.forEach((item, i) => assertShape(actual[i], item, `${path}[${i}]`));
    return;
  }
  for (const [key, value] of Object.entries(expected)) {
    if (value === undefined) {
      assert.equal((actual as Record<string, unknown>)[key], undefined, `at ${path}.${key}: expected undefined`);
    } else {
      assertShape((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
  }
}

/** `LINE:COL code` for each diagnostic: compact and readable in a table. */
export function brief(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.range.line}:${d.range.column} ${d.code}`);
}
