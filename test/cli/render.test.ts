// `tcpscenario render`: Mermaid text from the command line (as the panel's Mermaid button gives
// it), and every option of render in both helps.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, ROOT, scratch } from './run-cli';
import { runScenario } from '../../src/diagram/scenario';
import { toMermaid } from '../../src/diagram/mermaid';

const EXAMPLE = join(ROOT, 'examples', '07-simultaneous-open.tcpscenario');

describe('tcpscenario render', () => {
  test('--mermaid OUT writes the sequenceDiagram the panel copies (relative numbers unless --absolute)', () => {
    const dir = scratch({});
    const out = join(dir, 'open.mmd');
    const result = cli(['render', EXAMPLE, '--mermaid', out]);
    assert.equal(result.code, 0, result.stderr);
    const text = readFileSync(out, 'utf8');
    const doc = runScenario(readFileSync(EXAMPLE, 'utf8')).doc;
    assert.ok(doc);
    assert.equal(text, `${toMermaid(doc, { relative: true })}\n`);
    assert.match(text, /^sequenceDiagram$/m);
    assert.match(text, /SYN seq=0/);
    const absolute = cli(['render', EXAMPLE, '--mermaid', '-', '--absolute']);
    assert.equal(absolute.code, 0, absolute.stderr);
    assert.equal(absolute.stdout, `${toMermaid(doc, { relative: false })}\n`);
    assert.doesNotMatch(absolute.stdout, /SYN seq=0 /);
  });

  test('--mermaid with --svg writes both; one standard output only', () => {
    const dir = scratch({});
    const result = cli(['render', EXAMPLE, '--svg', join(dir, 'a.svg'), '--mermaid', join(dir, 'a.mmd')]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(readFileSync(join(dir, 'a.svg'), 'utf8'), /<svg /);
    assert.match(readFileSync(join(dir, 'a.mmd'), 'utf8'), /sequenceDiagram/);
    const both = cli(['render', EXAMPLE, '--svg', '-', '--mermaid', '-']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /only one of --svg, --mermaid and --graph/);
    assert.equal(cli(['render', EXAMPLE, '--mermaid']).code, 2);
  });

  test('the helps list every render option', () => {
    const main = cli(['--help']).stdout;
    const render = cli(['render', '--help']).stdout;
    for (const option of ['--svg OUT', '--png OUT', '--mermaid OUT', '--absolute', '--theme light|dark']) {
      assert.ok(main.includes(option), `tcpscenario --help: ${option}`);
      assert.ok(render.includes(option), `tcpscenario render --help: ${option}`);
    }
    assert.ok(render.includes('--relative'));
  });
});
