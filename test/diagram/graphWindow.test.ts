// The time–sequence graph's receive-window line (pure layout): held inside the plot while the
// window lies far above the data, with chevrons where it runs above and its value where it ends,
// and the sequence axis kept at the scale the data needs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceDocument } from '../../src/engine/trace';
import { GraphData, type GraphDirection } from '../../src/diagram/graphData';
import { formatBytesShort } from '../../src/diagram/graphAxes';
import { chunkCount, chunkShape, graphFrame, tailPaths, windowEdgeLabel, type ChunkPath, type GraphFrame } from '../../src/diagram/graphLayout';
import { renderGraphSvg } from '../../src/diagram/graphSvg';
import { runScenario } from '../../src/diagram/scenario';
import { xmlProblems } from './xml';

const root = join(import.meta.dirname, '..', '..');

function directionOf(file: string): { data: GraphData; d: GraphDirection } {
  const doc: TraceDocument | undefined = runScenario(readFileSync(join(root, 'examples', file), 'utf8')).doc;
  assert.ok(doc, file);
  const data = new GraphData();
  data.update(doc, 0);
  const d = data.busiest();
  assert.ok(d, file);
  return { data, d };
}

/** Every path of the ACK series and of the tail, by class. */
function ackPaths(f: GraphFrame, d: GraphDirection, now: number): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (p: ChunkPath) => out.set(p.cls, [...(out.get(p.cls) ?? []), p.d]);
  for (let k = 0; k < chunkCount(d.acks.length); k++) chunkShape(f, d, 'acks', k).paths.forEach(add);
  tailPaths(f, d, now).forEach(add);
  return out;
}

/** The y of every point a path of M, H, V and l commands reaches (l relative). */
function ys(path: string): number[] {
  const out: number[] = [];
  let y = 0;
  for (const m of path.matchAll(/([MHVl])(-?[\d.]+)(?:[ ,](-?[\d.]+))?/g)) {
    if (m[1] === 'M') y = Number(m[3]);
    else if (m[1] === 'V') y = Number(m[2]);
    else if (m[1] === 'l') y += Number(m[3]);
    else continue;
    out.push(y);
  }
  return out;
}

describe('time–sequence graph: the receive-window line', () => {
  const { data, d } = directionOf('20-slow-start-fast-recovery.tcpscenario');
  const now = data.endTime!;
  const f = graphFrame(d, { width: 900, height: 560 });

  test('the window lies far above the data here, and the sequence axis keeps the data\'s scale', () => {
    assert.ok(d.acks.some((a) => a.edge > f.seqDomain.max), 'an edge above the plot');
    // The same direction with every window at zero (edge = ack): the same axis.
    const closed: GraphDirection = { ...d, acks: d.acks.map((a) => ({ ...a, wnd: 0, edge: a.ack })) };
    assert.deepEqual(graphFrame(closed, { width: 900, height: 560 }).seqDomain, f.seqDomain);
  });

  test('the line stays inside the plot: what lies above runs along its top', () => {
    const paths = ackPaths(f, d, now);
    const win = (paths.get('tsg-win') ?? []).flatMap(ys);
    assert.ok(win.length > d.acks.length);
    for (const y of win) assert.ok(y >= f.seq.y && y <= f.seq.y + f.seq.height, `y ${y} inside [${f.seq.y}, ${f.seq.y + f.seq.height}]`);
    assert.ok(win.includes(f.seq.y), 'held at the top');
  });

  test('a chevron at the top where the edge goes above or moves while there; its value where the line ends', () => {
    const above = (v: number) => v > f.seqDomain.max;
    let expected = 0;
    d.acks.forEach((a, i) => {
      const before = d.acks[i - 1];
      if (above(a.edge) && (!before || !above(before.edge) || before.edge !== a.edge)) expected++;
    });
    const chevrons = (ackPaths(f, d, now).get('tsg-win-above') ?? []).join('');
    assert.equal((chevrons.match(/M/g) ?? []).length, expected);
    for (const y of ys(chevrons)) assert.ok(y >= f.seq.y && y <= f.seq.y + 6);
    const last = d.acks[d.acks.length - 1];
    const label = windowEdgeLabel(f, d, now);
    assert.equal(above(last.edge), label !== undefined);
    if (label) {
      assert.equal(label.text, `↑ ${formatBytesShort(last.edge)}`);
      assert.ok(label.x > f.seq.x && label.x <= f.seq.x + f.seq.width && label.y > f.seq.y);
    }
    const svg = renderGraphSvg(data)!;
    assert.deepEqual(xmlProblems(svg), []);
    assert.match(svg, /class="tsg-win-above"/);
    if (label) assert.ok(svg.includes(`>${label.text}</text>`));
  });

  test('a receiver that limits the sender: its edge stays in the plot, no chevron, no label', () => {
    const small = directionOf('23-receive-window-vs-cwnd.tcpscenario');
    const g = graphFrame(small.d, { width: 900, height: 560 });
    const late = small.d.acks.filter((a) => a.t > small.d.segments[small.d.segments.length - 1].t / 2);
    assert.ok(late.length > 0 && late.every((a) => a.edge <= g.seqDomain.max), 'example 23 keeps its edge in view');
    assert.equal(windowEdgeLabel(g, small.d, small.data.endTime!), undefined);
  });
});
