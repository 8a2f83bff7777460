import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compile } from '../../src/language';
import { applyEdits, FIX_TITLES, quickFixes } from '../../src/language/service';

const HEADER = 'endpoint client 10.0.0.1\nendpoint server 10.0.0.2\n';

/** [broken line, diagnostic code, fix title template, the line after the fix]. */
const CASES: [string, string, string, string][] = [
  ['@0 server lisen', 'unknown-action', FIX_TITLES.change, '@0 server listen'],
  ['@0 client conect server', 'unknown-action', FIX_TITLES.change, '@0 client connect server'],
  ['@0 clinet listen', 'undeclared-endpoint', FIX_TITLES.change, '@0 client listen'],
  ['expect client is TIME_WAITING', 'unknown-state', FIX_TITLES.change, 'expect client is TIME-WAIT'],
  ['drop client -> server FNI once', 'unknown-flag', FIX_TITLES.change, 'drop client -> server FIN once'],
  ['+50 client close', 'missing-unit', FIX_TITLES.change, '+50ms client close'],
  ['expcet client is CLOSED', 'unknown-keyword', FIX_TITLES.change, 'expect client is CLOSED'],
  ['link client -> server', 'expected', FIX_TITLES.change, 'link client <-> server'],
  ['@1s endpoint other', 'time-on-declaration', FIX_TITLES.remove, ' endpoint other'],
];

describe('quick fixes', () => {
  for (const [line, code, title, fixed] of CASES) {
    test(`${code}: ${line}`, () => {
      const text = HEADER + line;
      const diagnostic = compile(text).diagnostics.find((d) => d.code === code);
      assert.ok(diagnostic, `no ${code} in ${JSON.stringify(compile(text).diagnostics.map((d) => d.code))}`);
      const [fix] = quickFixes(text, diagnostic);
      assert.ok(fix, 'no fix');
      assert.equal(fix.title.template, title);
      assert.equal(applyEdits(text, [fix]).split('\n')[2], fixed);
    });
  }

  test('an unknown endpoint can be declared after the last endpoint declaration', () => {
    const text = 'scenario "x"\nendpoint client 10.0.0.1\n\n@0 client connect web';
    const diagnostic = compile(text).diagnostics.find((d) => d.code === 'undeclared-endpoint');
    assert.ok(diagnostic);
    const declare = quickFixes(text, diagnostic).find((fix) => fix.title.template === FIX_TITLES.declare);
    assert.ok(declare && !declare.preferred);
    const fixed = applyEdits(text, [declare]);
    assert.equal(fixed, 'scenario "x"\nendpoint client 10.0.0.1\nendpoint web\n\n@0 client connect web');
    assert.ok(!compile(fixed).diagnostics.some((d) => d.code === 'undeclared-endpoint'));
  });

  test('declaring after a declaration on the last line starts a new line', () => {
    const text = 'link a <-> b\nendpoint a';
    const diagnostic = compile(text).diagnostics.find((d) => d.code === 'undeclared-endpoint');
    assert.ok(diagnostic);
    const declare = quickFixes(text, diagnostic).find((fix) => fix.title.template === FIX_TITLES.declare);
    assert.ok(declare);
    assert.equal(applyEdits(text, [declare]), 'link a <-> b\nendpoint a\nendpoint b');
  });

  test('a fix title names the replacement, or what is removed', () => {
    const text = HEADER + '@0 server lisen';
    const diagnostic = compile(text).diagnostics[0];
    assert.deepEqual(quickFixes(text, diagnostic)[0].title, { template: FIX_TITLES.change, args: ['listen'] });
  });
});
