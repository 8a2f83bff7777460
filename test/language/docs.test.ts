// Every scenario snippet in the language reference parses (the checker may still want
// declarations a snippet leaves out).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../src/language';

test('the snippets of docs/language.md parse without errors', () => {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'language.md'), 'utf8');
  const blocks = [...doc.matchAll(/^```\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  const snippets = blocks.filter((block) => !/tcpscenario (check|run)|\.tcpscenario:\d|PATTERN/.test(block));
  assert.ok(snippets.length >= 10, `found ${snippets.length} snippets`);
  for (const snippet of snippets) {
    const { diagnostics } = parse(snippet);
    assert.deepEqual(diagnostics.map((d) => `${d.range.line}:${d.range.column} ${d.message}`), [], snippet);
  }
});
