// The diagram's words in the user's language (issue 14): every hover field name and fixed value of
// every example's items, the legend, the SVG's title line and the Mermaid notes are templates of
// src/diagram/words.ts / labels.ts that the bundles translate. A field added in English only fails here.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel, itemFields, type DiagramItem, type DiagramModel } from '../../src/diagram/model';
import { ruleFields } from '../../src/diagram/fields';
import { BADGE, DELIVERED_TEXT, LADDER_TEMPLATES, LEGEND_TEXT, TIMER_LABEL } from '../../src/diagram/labels';
import { toMermaid } from '../../src/diagram/mermaid';
import { runScenario } from '../../src/diagram/scenario';
import { renderSvg } from '../../src/diagram/svg';
import { diagramTemplates, DRAWING_WORDS, ENGLISH_SAY } from '../../src/diagram/words';
import { RULES } from '../../src/engine/rules';
import type { TraceDocument } from '../../src/engine/trace';
import { translatorFor } from '../../src/text/bundles';
import { fill } from '../../src/text/translate';

const root = join(import.meta.dirname, '..', '..');
const examples = readdirSync(join(root, 'examples')).filter((name) => name.endsWith('.tcpscenario'));
const tw = translatorFor('zh-tw');
const cn = translatorFor('zh-cn');
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

/** The words the layout writes inside the ladder, per item key: badges, timer labels, delivered notes. */
function ladderTexts(model: DiagramModel, doc: TraceDocument): Map<string, { kind: DiagramItem['kind']; template: string; text: string }[]> {
  const out = new Map<string, { kind: DiagramItem['kind']; template: string; text: string }[]>();
  for (const item of model.items) {
    const texts: { kind: DiagramItem['kind']; template: string; text: string }[] = [];
    if (item.kind === 'arrow') {
      for (const badge of item.badges) texts.push({ kind: 'arrow', template: badge, text: badge });
    } else if (item.kind === 'timer') {
      texts.push({ kind: 'timer', template: item.name, text: item.label });
    } else if (item.kind === 'note' && item.noteKind === 'data') {
      const event = doc.events[item.events[0]];
      assert.equal(event.kind, 'data');
      texts.push({ kind: 'note', template: String(event.kind === 'data' ? event.bytes : ''), text: item.text });
    }
    if (texts.length) out.set(item.key, texts);
  }
  return out;
}

/** Names a Chinese reader of TCP meets as they are (RFC 9293's state, RFC 8985's abbreviation). */
const LADDER_SAME = new Set([TIMER_LABEL['time-wait'], TIMER_LABEL['loss-probe']]);

describe('the words inside the ladder in the user\'s language', () => {
  test('every badge, timer label and delivered note of every example, in both numbering modes and both layouts, is a template said in zh-CN and zh-TW', () => {
    const templates = new Set(LADDER_TEMPLATES);
    const seen = new Set<string>();
    let words = 0;
    for (const name of examples) {
      const { doc } = runScenario(readFileSync(join(root, 'examples', name), 'utf8'));
      assert.ok(doc, name);
      for (const relative of [false, true]) {
        for (const width of [undefined, 484]) {
          const english = ladderTexts(buildModel(doc, { relative, width }), doc);
          for (const tr of [cn, tw]) {
            const said = ladderTexts(buildModel(doc, { relative, width, say: tr.t }), doc);
            assert.deepEqual([...said.keys()], [...english.keys()], `${name}: the same items carry words`);
            for (const [key, texts] of english) {
              texts.forEach((word, i) => {
                words++;
                const got = said.get(key)![i].text;
                if (word.kind === 'arrow') {
                  assert.ok(templates.has(word.text), `${name}: badge "${word.text}" is not in labels.ts BADGE`);
                  seen.add(word.text);
                  assert.equal(got, tr.t(word.text));
                } else if (word.kind === 'timer') {
                  // The name, then the duration (numbers and units, as everywhere).
                  const template = TIMER_LABEL[word.template];
                  assert.ok(template, `${name}: timer "${word.template}" has no label in labels.ts TIMER_LABEL`);
                  seen.add(template);
                  assert.ok(word.text.startsWith(`${template} `), word.text);
                  assert.equal(got, `${tr.t(template)}${word.text.slice(template.length)}`, `${name}: ${key}`);
                } else {
                  seen.add(DELIVERED_TEXT);
                  assert.equal(word.text, fill(DELIVERED_TEXT, [word.template]));
                  assert.equal(got, fill(tr.t(DELIVERED_TEXT), [word.template]));
                }
              });
            }
          }
        }
      }
    }
    assert.ok(words > 500, `${words} words`);
    // The examples draw the common words: a retransmission, a loss, the usual timers, a delivery.
    for (const common of [BADGE.retransmission, BADGE.lost, TIMER_LABEL.retransmission, TIMER_LABEL['time-wait'], DELIVERED_TEXT]) assert.ok(seen.has(common), common);
  });

  test('every ladder template has its own words in both Chinese bundles, the placeholders kept', () => {
    for (const tr of [cn, tw]) {
      for (const template of LADDER_TEMPLATES) {
        const said = tr.t(template);
        if (!LADDER_SAME.has(template)) assert.notEqual(said, template, `${template} untranslated`);
        assert.equal(said.includes('{0}'), template.includes('{0}'), template);
      }
    }
  });

  test('a render in zh-TW draws the translated timer label, badges and notes, measured as drawn', () => {
    const { doc } = runScenario(readFileSync(join(root, 'examples', '03-time-wait-lost-ack.tcpscenario'), 'utf8'));
    assert.ok(doc);
    const model = buildModel(doc, { say: tw.t });
    const svg = renderSvg(model, { say: tw.t });
    const english = renderSvg(buildModel(doc));
    assert.ok(english.includes(`>${TIMER_LABEL.retransmission} 1 s</text>`), 'the English timer label');
    assert.ok(svg.includes(`>${tw.t(TIMER_LABEL.retransmission)} 1 s</text>`), 'the timer label in Traditional Chinese');
    assert.ok(!svg.includes(`>${TIMER_LABEL.retransmission} `));
    assert.ok(english.includes(`>${BADGE.retransmission}</tspan>`) && svg.includes(`>${tw.t(BADGE.retransmission)}</tspan>`), 'the RETX badge');
    assert.ok(!/>delivered \d+ bytes</.test(svg));
    // English stays the default, and the Chinese model is measured with its own (wider) words.
    assert.equal(renderSvg(buildModel(doc, { say: ENGLISH_SAY })), english);
  });
});
