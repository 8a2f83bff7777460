// The diagram's words in the user's language (issue 14): every hover field name and fixed value of
// every example's items, the legend, the SVG's title line and the Mermaid notes are templates of
// src/diagram/words.ts / labels.ts that the bundles translate. A field added in English only fails here.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel, itemFields } from '../../src/diagram/model';
import { ruleFields } from '../../src/diagram/fields';
import { LEGEND_TEXT } from '../../src/diagram/labels';
import { toMermaid } from '../../src/diagram/mermaid';
import { runScenario } from '../../src/diagram/scenario';
import { renderSvg } from '../../src/diagram/svg';
import { diagramTemplates, DRAWING_WORDS, ENGLISH_SAY } from '../../src/diagram/words';
import { RULES } from '../../src/engine/rules';
import { translatorFor } from '../../src/text/bundles';

const root = join(import.meta.dirname, '..', '..');
const examples = readdirSync(join(root, 'examples')).filter((name) => name.endsWith('.tcpscenario'));
const tw = translatorFor('zh-tw');
/** Technical names a Chinese reader meets as they are. */
const SAME_IN_EVERY_LANGUAGE = new Set(['seq', 'ack']);

describe('the diagram in the user\'s language', () => {
  test('every hover field of every example is a template with a translation', () => {
    const templates = new Set(diagramTemplates(Object.values(LEGEND_TEXT)));
    let rows = 0;
    for (const name of examples) {
      const { doc } = runScenario(readFileSync(join(root, 'examples', name), 'utf8'));
      assert.ok(doc, name);
      for (const relative of [false, true]) {
        const model = buildModel(doc, { relative });
        for (const item of model.items) {
          const english = itemFields(item, model);
          const said = itemFields(item, model, tw.t);
          assert.equal(said.length, english.length);
          english.forEach(([field], i) => {
            rows++;
            assert.ok(templates.has(field), `${name}: field "${field}" is not in src/diagram/words.ts`);
            if (!SAME_IN_EVERY_LANGUAGE.has(field)) assert.notEqual(said[i][0], field, `${name}: "${field}" untranslated`);
          });
        }
      }
    }
    assert.ok(rows > 1000, `${rows} rows`);
  });

  test('a rule as hover rows: where it is written and its summary, then the link', () => {
    const rule = RULES['rfc9293.3.10.7.4.fin.time-wait'];
    assert.deepEqual(ruleFields([rule]), [
      ['why', `${rule.source}: ${rule.summary}`],
      ['link', rule.url],
    ]);
    const said = ruleFields([{ ...rule, summary: tw.t(rule.summary) }], tw.t);
    assert.equal(said[0][0], tw.t('why'));
    assert.ok(said[0][1].startsWith(rule.source) && said[0][1].endsWith(tw.t(rule.summary)));
  });

  test('the SVG\'s legend and title line, and Mermaid\'s notes, said in Traditional Chinese', () => {
    const { doc } = runScenario(readFileSync(join(root, 'examples', '03-time-wait-lost-ack.tcpscenario'), 'utf8'));
    assert.ok(doc);
    const model = buildModel(doc);
    const svg = renderSvg(model, { say: tw.t });
    assert.ok(model.legend.length > 2);
    for (const entry of model.legend) {
      assert.ok(svg.includes(`>${tw.t(entry.label)}</text>`), entry.label);
      assert.ok(!svg.includes(`>${entry.label}</text>`), `${entry.label} left in English`);
    }
    assert.ok(svg.includes(tw.t(DRAWING_WORDS.subtitleAbsolute, doc.profile)));
    const mermaid = toMermaid(doc, { say: tw.t });
    const english = toMermaid(doc);
    assert.match(english, /TIME-WAIT timer /);
    assert.ok(!mermaid.includes('TIME-WAIT timer '), 'the note is said');
    assert.ok(mermaid.includes(tw.t(DRAWING_WORDS.timeWaitTimer, '').trim()), mermaid);
    // English is the default: the same text as before any translation.
    assert.equal(renderSvg(model), renderSvg(model, { say: ENGLISH_SAY }));
  });
});
