// The diagram on real runs of the examples (language + engine), and `tcpscenario render` run as
// a user would (the built dist/cli.js).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceDocument, TraceEvent } from '../../src/engine/trace';
import { buildModel, type ArrowItem, type GapItem } from '../../src/diagram/model';
import { runScenario } from '../../src/diagram/scenario';
import { renderSvg } from '../../src/diagram/svg';
import { cli, ROOT, scratch } from '../cli/run-cli';
import { xmlProblems } from './xml';

const examples = join(ROOT, 'examples');
const exampleFiles = readdirSync(examples).filter((f) => f.endsWith('.tcpscenario')).sort();
const run = (file: string) => {
  const result = runScenario(readFileSync(join(examples, file), 'utf8'));
  assert.ok(result.doc, `${file}: ${result.diagnostics.map((d) => d.message).join('; ')}${result.engineError ?? ''}`);
  return result.doc;
};
const segments = (doc: TraceDocument) => doc.events.filter((e) => e.kind === 'send' || e.kind === 'inject' || e.kind === 'duplicate').length;

function crossing(a: ArrowItem, b: ArrowItem): boolean {
  const d = (a.x2 - a.x1) * (b.yb - b.ya) - (a.yb - a.ya) * (b.x2 - b.x1);
  if (d === 0) return false;
  const s = ((b.x1 - a.x1) * (b.yb - b.ya) - (b.ya - a.ya) * (b.x2 - b.x1)) / d;
  const u = ((b.x1 - a.x1) * (a.yb - a.ya) - (b.ya - a.ya) * (a.x2 - a.x1)) / d;
  return s > 0 && s < 1 && u > 0 && u < 1;
}

describe('diagram of real runs', () => {
  test('every example: one arrow per segment, well-formed SVG', () => {
    assert.ok(exampleFiles.length >= 12);
    for (const file of exampleFiles) {
      const doc = run(file);
      const model = buildModel(doc, { relative: true });
      assert.equal(model.items.filter((i) => i.kind === 'arrow').length, segments(doc), file);
      assert.deepEqual(xmlProblems(renderSvg(model)), [], file);
    }
  });

  test('simultaneous open: the SYNs cross', () => {
    const file = exampleFiles.find((f) => /simultaneous-open/.test(f));
    assert.ok(file);
    const model = buildModel(run(file));
    const syns = model.items.filter((i): i is ArrowItem => i.kind === 'arrow' && i.segment.flags.join(',') === 'SYN');
    assert.equal(syns.length, 2);
    assert.ok(crossing(syns[0], syns[1]));
  });

  test('lost final ACK: TIME-WAIT is the longest gap and the lost ACK ends halfway', () => {
    const file = exampleFiles.find((f) => /time-wait-lost-ack/.test(f));
    assert.ok(file);
    const doc = run(file);
    const model = buildModel(doc);
    const gaps = model.items.filter((i): i is GapItem => i.kind === 'gap');
    const longest = gaps.reduce((a, b) => (b.to - b.from > a.to - a.from ? b : a));
    assert.ok(gaps.every((g) => g === longest || g.y1 - g.y0 < longest.y1 - longest.y0), 'longest wait, tallest gap');
    const enter = doc.events.find((e): e is Extract<TraceEvent, { kind: 'transition' }> => e.kind === 'transition' && e.to === 'TIME-WAIT');
    const leave = doc.events.find((e): e is Extract<TraceEvent, { kind: 'transition' }> => e.kind === 'transition' && e.from === 'TIME-WAIT');
    assert.ok(enter && leave && longest.from >= enter.t && longest.to <= leave.t);
    const lost = model.items.filter((i): i is ArrowItem => i.kind === 'arrow' && i.end === 'lost');
    assert.ok(lost.length >= 1);
    for (const a of lost) assert.equal(a.cross?.x, (model.lifelines[0].x + model.lifelines[1].x) / 2);
  });
});

describe('tcpscenario render', () => {
  const file = exampleFiles.find((f) => /time-wait-lost-ack/.test(f))!;
  const path = join(examples, file);

  test('writes the SVG of the run: relative numbers by default, --absolute on request', () => {
    const dir = scratch({});
    const traced = cli(['trace', path]);
    assert.equal(traced.code, 0, traced.stderr);
    const doc = JSON.parse(traced.stdout) as TraceDocument;
    const syn = doc.events.find((e): e is Extract<TraceEvent, { kind: 'send' }> => e.kind === 'send' && e.flags.join(',') === 'SYN')!;

    const rel = cli(['render', path, '--svg', join(dir, 'rel.svg')]);
    assert.equal(rel.code, 0, rel.stderr);
    const relSvg = readFileSync(join(dir, 'rel.svg'), 'utf8');
    assert.deepEqual(xmlProblems(relSvg), []);
    assert.equal((relSvg.match(/<g class="item arrow /g) ?? []).length, segments(doc));
    assert.ok(relSvg.includes('>SYN seq=0 len=0<'));

    const abs = cli(['render', path, '--svg', join(dir, 'abs.svg'), '--absolute', '--theme', 'dark']);
    assert.equal(abs.code, 0, abs.stderr);
    const absSvg = readFileSync(join(dir, 'abs.svg'), 'utf8');
    assert.ok(absSvg.includes(`>SYN seq=${syn.seq} len=0<`));
    assert.notEqual(/editor-background, (#\w+)/.exec(absSvg)?.[1], /editor-background, (#\w+)/.exec(relSvg)?.[1], 'dark theme');
  });

  test('errors: FILE:LINE:COL for a broken scenario, exit 2; bad arguments, exit 2', () => {
    const dir = scratch({ 'broken.tcpscenario': 'endpoint a\nendpoint b\n@0 a lisen\n' });
    const broken = cli(['render', join(dir, 'broken.tcpscenario'), '--svg', join(dir, 'out.svg')]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, new RegExp(`^${join(dir, 'broken.tcpscenario').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+: error: `, 'm'));
    assert.equal(existsSync(join(dir, 'out.svg')), false);
    for (const args of [['render'], ['render', path], ['render', path, '--svg'], ['render', path, '--svg', 'x.svg', '--theme', 'blue'], ['render', path, '--svg', 'x.svg', '--bogus']]) {
      const result = cli(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /render/);
      assert.doesNotMatch(result.stderr, /at .*\.js:\d+/, 'no stack trace');
    }
    const missing = cli(['render', join(dir, 'nope.tcpscenario'), '--svg', join(dir, 'x.svg')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.tcpscenario: error: no such file/);
  });

  test('scenario titles and names are escaped in the file', () => {
    const dir = scratch({
      'evil.tcpscenario': 'scenario "</svg><script>alert(1)</script> & \'q\'"\nendpoint a\nendpoint b\n@0 b listen\n@0 a connect b\n',
    });
    const result = cli(['render', join(dir, 'evil.tcpscenario'), '--svg', join(dir, 'evil.svg')]);
    assert.equal(result.code, 0, result.stderr);
    const svg = readFileSync(join(dir, 'evil.svg'), 'utf8');
    assert.doesNotMatch(svg, /<script/i);
    assert.ok(svg.includes('&lt;/svg&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;q&#39;'));
    assert.deepEqual(xmlProblems(svg), []);
  });
});
