import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compile } from '../../src/language';
import { applyEdits, definitionAt, referencesAt, rename, RENAME_MESSAGES, renameTarget } from '../../src/language/service';
import { atCursor, DESIGN_EXAMPLE } from './cursor';

const at = (line: number, column: number) => ({ line, column });

describe('definition and references', () => {
  const CASES: [string, { line: number; column: number }, { line: number; column: number } | undefined][] = [
    ['use in an action', at(10, 9), at(7, 10)],
    ['the peer of connect', at(11, 24), at(7, 10)],
    ['a fault pattern', at(14, 24), at(7, 10)],
    ['an expectation', at(16, 17), at(6, 10)],
    ['the link', at(8, 7), at(6, 10)],
    ['the declaration itself', at(6, 12), at(6, 10)],
    ['a state is not a name', at(16, 28), undefined],
    ['a comment is not a name', at(1, 5), undefined],
  ];
  for (const [name, position, expected] of CASES) {
    test(name, () => {
      const range = definitionAt(DESIGN_EXAMPLE, position);
      assert.deepEqual(range && { line: range.line, column: range.column }, expected);
    });
  }

  test('references of client: declaration, link, actions, fault, expectations', () => {
    const lines = referencesAt(DESIGN_EXAMPLE, at(6, 10), true).map((range) => range.line);
    assert.deepEqual(lines, [6, 8, 11, 12, 13, 14, 16, 17]);
    assert.deepEqual(referencesAt(DESIGN_EXAMPLE, at(6, 10), false).map((range) => range.line), [8, 11, 12, 13, 14, 16, 17]);
  });

  test('the word client inside the title is not a reference', () => {
    const text = 'scenario "client story"\nendpoint client\n@0 client listen';
    assert.deepEqual(referencesAt(text, at(2, 10), true).map((range) => range.line), [2, 3]);
  });
});

describe('rename', () => {
  test('renaming an endpoint changes every use and nothing else; the program is the same but for the name', () => {
    const result = rename(DESIGN_EXAMPLE, at(11, 9), 'browser');
    assert.ok(result.ok);
    const renamed = applyEdits(DESIGN_EXAMPLE, result.edits);
    assert.ok(renamed.includes('endpoint browser 10.0.0.1:49152'));
    assert.ok(renamed.includes('# comment to end of line'));
    assert.ok(!/\bclient\b/.test(renamed.split('\n').slice(4).join('\n').replace(/#.*$/gm, '')));
    const before = JSON.stringify(compile(DESIGN_EXAMPLE).program).replace(/"client"/g, '"browser"').replace(/client ->/g, 'browser ->');
    assert.equal(JSON.stringify(compile(renamed).program), before);
  });

  const ERRORS: [string, string][] = [
    ['2bad', RENAME_MESSAGES.invalidName],
    ['has space', RENAME_MESSAGES.invalidName],
    ['expect', RENAME_MESSAGES.keyword],
    ['server', RENAME_MESSAGES.taken],
  ];
  for (const [name, template] of ERRORS) {
    test(`refuses ${JSON.stringify(name)}`, () => {
      const result = rename(DESIGN_EXAMPLE, at(11, 9), name);
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.template, template);
    });
  }

  test('only names can be renamed', () => {
    const { text, position } = atCursor('endpoint a\n@0 a li|sten');
    assert.equal(renameTarget(text, position), undefined);
    const result = rename(text, position, 'b');
    assert.equal(!result.ok && result.template, RENAME_MESSAGES.noName);
  });
});
