// `tcpscenario render --graph`: the time–sequence graph from the command line, as the panel
// exports it; its marks counted against the trace's own send events.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, ROOT, scratch } from './run-cli';
import { runScenario } from '../../src/diagram/scenario';
import type { SendEvent, TraceDocument } from '../../src/engine/trace';
import { xmlProblems } from '../diagram/xml';
import { TWO_CONNECTIONS } from '../diagram/twoConnections';
import { diagramTemplates, GRAPH_WORDS, type Say } from '../../src/diagram/words';
import { GraphData } from '../../src/diagram/graphData';
import { pointFields } from '../../src/diagram/graphLayout';
import { renderGraphSvg } from '../../src/diagram/graphSvg';
import { pageVoice } from '../../src/diagram/host';
import { LADDER_TEMPLATES, LEGEND_TEXT } from '../../src/diagram/labels';
import { translatorFor } from '../../src/text/bundles';
import { LOCALES, translator, type Locale } from '../../src/text/translate';

const SLOW_START = join(ROOT, 'examples', '20-slow-start-fast-recovery.tcpscenario');

function trace(file: string): TraceDocument {
  const doc = runScenario(readFileSync(file, 'utf8')).doc;
  assert.ok(doc, file);
  return doc;
}

/** Sends of `from` to `to` that take sequence space (data, SYN, FIN): each is one bar in the graph. */
function bars(doc: TraceDocument, from: string, to: string): { first: number; retx: number } {
  const sends = doc.events.filter((e): e is SendEvent => e.kind === 'send' && e.from === from && e.to === to);
  const space = sends.filter((s) => s.len > 0 || s.flags.includes('SYN') || s.flags.includes('FIN'));
  return { first: space.filter((s) => !s.retransmission).length, retx: space.filter((s) => s.retransmission).length };
}

/** The bars drawn with `cls`: each segment's path starts with a vertical stroke (M x y V y). */
function marks(svg: string, cls: string): number {
  let n = 0;
  // The series only (the legend draws a sample of each).
  const series = svg.slice(svg.indexOf('tsg-series-seq'));
  for (const m of series.matchAll(new RegExp(`<path class="${cls}" d="([^"]*)"`, 'g'))) n += (m[1].match(/V/g) ?? []).length;
  return n;
}

describe('tcpscenario render --graph', () => {
  const doc = trace(SLOW_START);
  const [client, server] = doc.endpoints.map((e) => e.name);

  test('writes a well-formed SVG with one bar per segment the data sender sent (retransmissions apart)', () => {
    const dir = scratch({});
    const out = join(dir, 'graph.svg');
    const result = cli(['render', SLOW_START, '--graph', out]);
    assert.equal(result.code, 0, result.stderr);
    const svg = readFileSync(out, 'utf8');
    assert.deepEqual(xmlProblems(svg), []);
    const expected = bars(doc, client, server);
    assert.ok(expected.retx > 0, 'the example retransmits');
    assert.equal(marks(svg, 'tsg-seg'), expected.first);
    assert.equal(marks(svg, 'tsg-retx'), expected.retx);
    for (const cls of ['tsg-ack', 'tsg-win', 'tsg-cwnd', 'tsg-lost']) assert.match(svg, new RegExp(`class="${cls}"`), cls);
    assert.ok(svg.includes(`${client} → ${server}`));
  });

  test('--graph - writes to standard output; --graph-direction picks the other direction', () => {
    const result = cli(['render', SLOW_START, '--graph', '-', '--graph-direction', `${server}->${client}`, '--theme', 'dark']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(xmlProblems(result.stdout), []);
    assert.ok(result.stdout.includes(`${server} → ${client}`));
    assert.equal(marks(result.stdout, 'tsg-seg') + marks(result.stdout, 'tsg-retx'), bars(doc, server, client).first + bars(doc, server, client).retx);
  });

  test('bad directions, a direction without --graph, a run without data and two standard outputs are usage errors', () => {
    const wrong = cli(['render', SLOW_START, '--graph', '-', '--graph-direction', 'nobody->server']);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, new RegExp(`no segment goes nobody->server; the graph can show ${client}->${server}, ${server}->${client}`));
    assert.match(cli(['render', SLOW_START, '--graph', '-', '--graph-direction', `${client}->${server}#2`]).stderr, /no segment goes client->server#2/);
    assert.match(cli(['render', SLOW_START, '--graph', '-', '--graph-direction', 'client']).stderr, /--graph-direction expects FROM->TO/);
    assert.match(cli(['render', SLOW_START, '--svg', '-', '--graph-direction', 'a->b']).stderr, /--graph-direction goes with --graph OUT/);
    assert.match(cli(['render', SLOW_START, '--svg', '-', '--graph', '-']).stderr, /only one of --svg, --mermaid and --graph/);
    const dir = scratch({ 'quiet.tcpscenario': 'endpoint server\nendpoint client\n@0 server listen\n' });
    const quiet = cli(['render', join(dir, 'quiet.tcpscenario'), '--graph', '-']);
    assert.equal(quiet.code, 2, quiet.stderr);
    assert.match(quiet.stderr, /the run sends no segment/);
  });

  test('--graph-direction FROM->TO#N: the Nth connection between the two endpoints, its title saying so', () => {
    const dir = scratch({ 'two.tcpscenario': TWO_CONNECTIONS });
    const file = join(dir, 'two.tcpscenario');
    const two = trace(file);
    const syns = two.events.filter((e): e is SendEvent => e.kind === 'send' && e.from === 'client' && e.flags.includes('SYN'));
    const result = cli(['render', file, '--graph', '-', '--graph-direction', 'client->server#2']);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.includes('client → server (connection 2, from '));
    const later = two.events.filter((e): e is SendEvent => e.kind === 'send' && e.from === 'client' && e.t >= syns[1].t && (e.len > 0 || e.flags.includes('SYN') || e.flags.includes('FIN')));
    assert.equal(marks(result.stdout, 'tsg-seg') + marks(result.stdout, 'tsg-retx'), later.length);
    const first = cli(['render', file, '--graph', '-', '--graph-direction', 'client->server']);
    assert.ok(first.stdout.includes('client → server') && !first.stdout.includes('connection 2'));
    assert.match(cli(['render', file, '--graph', '-', '--graph-direction', 'client->server#3']).stderr, /the graph can show client->server, server->client, client->server#2, server->client#2/);
  });

  test('the legend in the locale of the messages', () => {
    const result = cli(['render', SLOW_START, '--graph', '-'], { LC_ALL: 'zh_TW.UTF-8' });
    assert.equal(result.code, 0, result.stderr);
    const bundle = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.zh-tw.json'), 'utf8')) as Record<string, string>;
    assert.ok(result.stdout.includes(bundle['segment sent']));
    assert.ok(!result.stdout.includes('>segment sent<'));
    // The title line too (GRAPH_WORDS), as the panel's export says it.
    assert.ok(bundle[GRAPH_WORDS.subtitleProfile] && !result.stdout.includes('time–sequence graph ·'), 'the title line in the locale');
  });

  test('says the graph as the panel does: the same words from the same templates (en, zh-cn, zh-tw)', () => {
    const env: Record<Locale, string> = { en: 'C', 'zh-cn': 'zh_CN.UTF-8', 'zh-tw': 'zh_TW.UTF-8' };
    const two = join(scratch({ 'two.tcpscenario': TWO_CONNECTIONS }), 'two.tcpscenario');
    for (const [file, direction] of [
      [SLOW_START, undefined],
      [two, 'client->server#2'],
    ] as const) {
      const doc = trace(file);
      const data = new GraphData();
      data.update(doc, 0);
      const key = direction?.replace('->', '>');
      for (const locale of LOCALES) {
        // The panel's say (media/page.ts): the host's translations of the diagram's templates (host.ts pageVoice).
        const bundle = translatorFor(locale);
        const holes = Array.from({ length: 10 }, (_, i) => `{${i}}`);
        const panel = translator(locale, pageVoice((english) => bundle.t(english, ...holes)).words);
        const said = new Set<string>();
        const recording: Say = (template, ...args) => (said.add(template), panel.t(template, ...args));
        const expected = renderGraphSvg(data, { theme: 'light', direction: key, scenario: doc.scenario, profile: doc.profile, say: recording })!;
        const d = data.direction(key ?? data.busiest()!.key)!;
        for (const series of ['segments', 'acks', 'windows', 'losses'] as const) if (d[series].length) pointFields(d, series, 0, recording);
        const result = cli(['render', file, '--graph', '-', ...(direction ? ['--graph-direction', direction] : [])], { LC_ALL: env[locale], LANGUAGE: '' });
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stdout, expected, `${locale} ${file}: the CLI's graph differs from the panel's`);
        // Every word the graph says is one the host sends the panel (else the panel says it in English).
        const sent = new Set(diagramTemplates([...Object.values(LEGEND_TEXT), ...LADDER_TEMPLATES]));
        for (const template of said) assert.ok(sent.has(template), `${template}: said by the graph, not among the diagram's templates`);
        if (locale !== 'en') assert.ok(!result.stdout.includes('>segment sent<'), `${locale}: the legend is said`);
      }
    }
  });

  test('the helps list --graph and --graph-direction', () => {
    assert.ok(cli(['--help']).stdout.includes('--graph OUT'));
    const render = cli(['render', '--help']).stdout;
    assert.ok(render.includes('--graph OUT') && render.includes('--graph-direction FROM->TO'));
  });
});
