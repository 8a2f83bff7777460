// Scenario text that reaches SVG, PNG, Mermaid or the webview is cleaned: no character XML
// forbids (a NUL in a title used to make the SVG ill-formed), no bidirectional override.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceDocument } from '../../src/engine/trace';
import { cleanText } from '../../src/diagram/format';
import { toMermaid } from '../../src/diagram/mermaid';
import { buildModel } from '../../src/diagram/model';
import { renderSvg } from '../../src/diagram/svg';
import { runScenario } from '../../src/diagram/scenario';
import { xmlProblems } from './xml';

const BIDI = /[\u202a-\u202e\u2066-\u2069]/;

/** hostile-names.json, made worse: NUL, escape, bell, DEL, C1, a lone surrogate and overrides in every name. */
function hostile(): TraceDocument {
  const text = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'traces', 'hostile-names.json'), 'utf8');
  const nasty = '\u0000\u001b[31m\u0007\u007f\u0085\ud800\u202eevil\u202c\u2066x\u2069';
  // eslint-disable-next-line no-control-regex -- control characters are what is escaped
  const renamed = text.replaceAll('<script>alert(1)</script>', `<script>${nasty.replace(/[\u0000-\u001f\u007f-\u009f\ud800]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}</script>`);
  const doc = JSON.parse(renamed) as TraceDocument;
  doc.scenario = `title${nasty}`;
  return doc;
}

describe('cleaning scenario text', () => {
  test('controls become visible symbols, bidi controls go, pairs stay', () => {
    assert.equal(cleanText('a\u0000b\u001bc'), 'a\u2400b\u241bc');
    assert.equal(cleanText('\u202eabc\u202c'), 'abc');
    assert.equal(cleanText('\u2067x\u2069'), 'x');
    assert.equal(cleanText('😀 客户 tab\there'), '😀 客户 tab\there');
    assert.equal(cleanText('\ud800x\udc00'), '\ufffdx\ufffd');
    assert.equal(cleanText('\u0085\u007f'), '\ufffd\ufffd');
  });

  test('an SVG of hostile names and title is well-formed XML with no override left', () => {
    const doc = hostile();
    for (const relative of [true, false]) {
      const svg = renderSvg(buildModel(doc, { relative }), { theme: 'dark' });
      assert.deepEqual(xmlProblems(svg), []);
      assert.ok(!BIDI.test(svg), 'no bidirectional control in the SVG');
      assert.ok(svg.includes('title\u2400\u241b[31m\u2407'), 'the controls of the title show as symbols');
      assert.ok(!/<script/i.test(svg));
    }
  });

  test('Mermaid text of hostile names has no control or override', () => {
    const text = toMermaid(hostile(), { relative: true });
    // eslint-disable-next-line no-control-regex -- control characters are what is checked
    assert.ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(text));
    assert.ok(!BIDI.test(text));
  });

  test('a scenario whose title holds a NUL (a string escape) renders to well-formed XML', () => {
    const run = runScenario('scenario "nul\\0 and \u202egnp.exe"\nendpoint a\nendpoint b\n@0 b listen\n@0 a connect b\n');
    assert.ok(run.doc, JSON.stringify(run.diagnostics));
    assert.ok(run.doc.scenario?.includes('\u0000'));
    const svg = renderSvg(buildModel(run.doc, {}));
    assert.deepEqual(xmlProblems(svg), []);
    assert.ok(svg.includes('nul\u2400 and gnp.exe'));
  });
});
