// Every example runs green: the CLI exits 0 and each expect held.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from '../../src/language';
import { cli, ROOT } from './run-cli';

const dir = join(ROOT, 'examples');
const examples = readdirSync(dir).filter((name) => name.endsWith('.tcpscenario')).sort();

describe('examples', () => {
  test('there are at least a dozen, one of them written in Chinese', () => {
    assert.ok(examples.length >= 12, examples.join(', '));
    assert.ok(examples.some((name) => /\p{Script=Han}/u.test(readFileSync(join(dir, name), 'utf8'))));
  });

  test('examples/README.md lists every example', () => {
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    assert.deepEqual(examples.filter((name) => !readme.includes(`\`${name.replace(/\.tcpscenario$/, '')}\``)), []);
  });

  for (const name of examples) {
    test(name, () => {
      const text = readFileSync(join(dir, name), 'utf8');
      const { diagnostics } = compile(text);
      assert.deepEqual(diagnostics.map((d) => `${d.range.line}:${d.range.column} ${d.message}`), [], 'an example has no warnings');
      assert.ok(/^# /m.test(text), 'an example is commented');
      assert.ok(/^\S*\s*expect /m.test(text) || /\bexpect /.test(text), 'an example states what the RFC says happens');
      const result = cli(['run', join('examples', name)]);
      assert.equal(result.code, 0, result.stdout + result.stderr);
    });
  }
});
