import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceDocument } from '../../src/engine/trace';
import { buildModel } from '../../src/diagram/model';
import { itemNode, legendNodes, renderSvg, serialize, headerNodes, lifelineNodes, type SvgNode } from '../../src/diagram/svg';
import { escapeXml } from '../../src/diagram/format';
import { toMermaid, mermaidText } from '../../src/diagram/mermaid';
import { xmlProblems } from './xml';

const root = join(import.meta.dirname, '..', '..');
const fixture = (name: string) => JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'traces', `${name}.json`), 'utf8')) as TraceDocument;
const FIXTURES = ['lost-final-ack', 'simultaneous-open', 'hostile-names'];

describe('SVG', () => {
  test('is well-formed XML with one root, for every fixture, both themes, absolute and relative', () => {
    for (const name of FIXTURES) {
      for (const relative of [false, true]) {
        for (const theme of ['light', 'dark'] as const) {
          const svg = renderSvg(buildModel(fixture(name), { relative }), { theme, current: 3 });
          assert.deepEqual(xmlProblems(svg), [], `${name} ${theme} relative=${relative}`);
          assert.match(svg, /^<\?xml[^>]*\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
        }
      }
    }
  });

  test('the xml check itself catches broken markup', () => {
    assert.notDeepEqual(xmlProblems('<svg><g></svg>'), []);
    assert.notDeepEqual(xmlProblems('<svg><text>a < b</text></svg>'), []);
    assert.notDeepEqual(xmlProblems('<svg><text>AT&T</text></svg>'), []);
    assert.notDeepEqual(xmlProblems('<svg a="1" a="2"/>'), []);
    assert.deepEqual(xmlProblems('<svg><text>a &lt; b &amp; c</text></svg>'), []);
  });

  test('scenario strings are escaped; no script, no event handler attributes, no external references', () => {
    const doc = fixture('hostile-names');
    const svg = renderSvg(buildModel(doc), { theme: 'light' });
    assert.doesNotMatch(svg, /<script/i);
    assert.doesNotMatch(svg, /<[a-zA-Z][^>]*\son[a-z]+=/i);
    assert.doesNotMatch(svg, /<img|<foreignObject|href=/i);
    for (const endpoint of doc.endpoints) assert.ok(svg.includes(escapeXml(endpoint.name)), endpoint.name);
    assert.ok(svg.includes(escapeXml(doc.scenario!)));
    const note = doc.events.find((e) => e.kind === 'note');
    assert.ok(note?.kind === 'note' && svg.includes(escapeXml(note.message)));
  });

  test('theme through VS Code CSS variables with a fallback each; dark and light fallbacks differ', () => {
    const model = buildModel(fixture('lost-final-ack'));
    const light = renderSvg(model, { theme: 'light' });
    const dark = renderSvg(model, { theme: 'dark' });
    const vars = [...light.matchAll(/var\((--vscode-[\w-]+)(,[^)]*)?\)/g)];
    assert.ok(vars.length > 10);
    for (const v of vars) assert.ok(v[2] && v[2].length > 2, `fallback for ${v[1]}`);
    const background = (s: string) => /\.bg\{fill:var\(--vscode-editor-background, (#[0-9a-f]+)\)/.exec(s)?.[1];
    assert.ok(background(light) && background(dark) && background(light) !== background(dark));
  });

  test('one arrow group per segment, the current one highlighted, the legend drawn', () => {
    const doc = fixture('lost-final-ack');
    const model = buildModel(doc);
    const current = doc.events.findIndex((e) => e.kind === 'drop');
    const svg = renderSvg(model, { current });
    const segments = doc.events.filter((e) => e.kind === 'send' || e.kind === 'inject').length + doc.events.filter((e) => e.kind === 'duplicate').length;
    assert.equal((svg.match(/<g class="item arrow /g) ?? []).length, segments);
    const highlighted = [...svg.matchAll(/<g class="([^"]*\bcurrent\b[^"]*)" data-key="([^"]+)"/g)];
    assert.equal(highlighted.length, 1);
    assert.equal(highlighted[0][2], model.items[model.eventToItem[current]].key);
    assert.equal((svg.match(/class="legend-entry"/g) ?? []).length, model.legend.length);
    for (const entry of model.legend) assert.ok(svg.includes(escapeXml(entry.label)));
  });

  test('every class the diagram draws is styled in media/webview.css', () => {
    const css = readFileSync(join(root, 'media', 'webview.css'), 'utf8');
    const classes = new Set<string>();
    const collect = (node: SvgNode) => {
      for (const c of String(node.attrs.class ?? '').split(/\s+/)) if (c) classes.add(c);
      node.children?.forEach(collect);
    };
    for (const name of FIXTURES) {
      const model = buildModel(fixture(name));
      model.items.forEach((item) => collect(itemNode(item, model)));
      headerNodes(model, 0).forEach(collect);
      lifelineNodes(model, 0, model.height).forEach(collect);
      legendNodes(model.legend, 0, 0).forEach(collect);
    }
    // Structural classes that only group things need no rule of their own.
    const structural = new Set(['item', 'header', 'legend-entry', 'note-item', 'tick-item', 'note-app', 'note-data', 'note-note', 'end-arrive', 'end-lost', 'end-discarded', 'end-inflight', 'end-fire', 'end-cancel', 'end-restart', 'end-pending', 'timer', 'timer-keepalive', 'label', 'gap', 'expect', 'm-rst']);
    const missing = [...classes].filter((c) => !structural.has(c) && !new RegExp(`\\.${c}(?![\\w-])`).test(css));
    assert.deepEqual(missing, []);
  });

  test('serialize drops event-handler attributes even if a node carried one', () => {
    const out = serialize({ tag: 'g', attrs: { onclick: 'alert(1)', class: 'x"y' }, children: [{ tag: 'text', attrs: {}, text: '<b>' }] });
    assert.equal(out, '<g class="x&quot;y"><text>&lt;b&gt;</text></g>');
  });
});

describe('Mermaid', () => {
  test('one message per segment, lost ones as -x, the lost slant said in a comment', () => {
    const doc = fixture('lost-final-ack');
    const text = toMermaid(doc);
    assert.match(text, /^%%.*slant/m);
    assert.match(text, /^sequenceDiagram$/m);
    const sends = doc.events.filter((e) => e.kind === 'send');
    const drops = new Set(doc.events.filter((e) => e.kind === 'drop').map((e) => (e.kind === 'drop' ? e.id : '')));
    assert.equal((text.match(/^ {4}p\d+->>p\d+: /gm) ?? []).length, sends.filter((s) => s.kind === 'send' && !drops.has(s.id)).length);
    assert.equal((text.match(/^ {4}p\d+-xp\d+: /gm) ?? []).length, drops.size);
    const retx = sends.filter((s) => s.kind === 'send' && s.retransmission).length;
    assert.equal((text.match(/\[retransmission\]/g) ?? []).length, retx);
  });

  test('relative numbers and hostile names', () => {
    const doc = fixture('hostile-names');
    const text = toMermaid(doc, { relative: true });
    for (const endpoint of doc.endpoints) assert.ok(text.includes(`as ${mermaidText(endpoint.name)}`));
    assert.doesNotMatch(text, /<script/);
    for (const line of text.split('\n').filter((l) => l.startsWith('    '))) {
      const message = line.split(': ').slice(1).join(': ');
      assert.doesNotMatch(message.replace(/#\d+;/g, ''), /[;#<>"]/, line);
    }
    assert.match(toMermaid(fixture('lost-final-ack'), { relative: true }), /SYN,ACK seq=0 ack=1 len=0/);
  });
});

describe('a step that lands on an expectation, in the exported SVG', () => {
  test('a band across its row, in the colour of its outcome; none on other steps', () => {
    const build = buildModel;
    const render = renderSvg;
    const trace = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'traces', 'lost-final-ack.json'), 'utf8')) as TraceDocument;
    for (const width of [undefined, 484]) {
      const model = build(trace, { width });
      for (const ok of [true, false]) {
        const current = trace.events.findIndex((e) => e.kind === 'expect' && e.ok === ok);
        const item = model.items[model.eventToItem[current]];
        assert.equal(item.kind, 'expect');
        const svg = render(model, { current });
        const band = new RegExp(`<rect class="now-band expect-${ok ? 'ok' : 'failed'}" x="([\\d.]+)" y="([\\d.-]+)" width="([\\d.]+)" height="([\\d.]+)"`).exec(svg);
        assert.ok(band, `a band for the ${ok ? 'held' : 'failed'} expectation`);
        const [x, y, w, h] = band.slice(1).map(Number);
        assert.ok(x <= model.lifelines[0].x && x + w >= model.width - 1, `across the picture: ${x}..${x + w} of ${model.width}`);
        if (item.kind === 'expect') assert.ok(y <= item.y - 5 && y + h >= item.y + 6, `at its row (${y}..${y + h} around ${item.y})`);
        // Behind the items: before the first arrow.
        assert.ok(svg.indexOf('now-band') < svg.indexOf('class="item arrow'));
      }
      const send = trace.events.findIndex((e) => e.kind === 'send');
      assert.ok(!/<rect class="now-band/.test(render(model, { current: send })));
    }
  });
});
