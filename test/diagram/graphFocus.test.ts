// The graph's keyboard moves (src/diagram/graphFocus.ts) on a real run's points: every move lands
// on a point that exists, Left/Right walk a series in order, Up/Down change series at the point
// nearest in time, skipping a series the direction does not have.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphData, type GraphDirection, type SeriesName } from '../../src/diagram/graphData';
import { FOCUS_ORDER, moveFocus, startFocus, type FocusMove, type GraphFocus } from '../../src/diagram/graphFocus';
import { runScenario } from '../../src/diagram/scenario';

const root = join(import.meta.dirname, '..', '..');

function busiest(file: string): GraphDirection {
  const doc = runScenario(readFileSync(join(root, 'examples', file), 'utf8')).doc;
  assert.ok(doc, file);
  const data = new GraphData();
  data.update(doc, 0);
  return data.busiest()!;
}

describe('graph focus', () => {
  const d = busiest('20-slow-start-fast-recovery.tcpscenario');

  test('Left/Right walk a series and stop at its ends; Home/End go to them', () => {
    let f: GraphFocus = { series: 'segments', at: 0 };
    assert.deepEqual(moveFocus(d, f, 'previous'), f);
    for (let i = 1; i < d.segments.length; i++) {
      f = moveFocus(d, f, 'next');
      assert.deepEqual(f, { series: 'segments', at: i });
      assert.ok(d.segments[i].t >= d.segments[i - 1].t, 'in time order');
    }
    assert.deepEqual(moveFocus(d, f, 'next'), f);
    assert.deepEqual(moveFocus(d, f, 'first'), { series: 'segments', at: 0 });
    assert.deepEqual(moveFocus(d, { series: 'acks', at: 3 }, 'last'), { series: 'acks', at: d.acks.length - 1 });
  });

  test('Up/Down: the next series that has points, at the point nearest in time; at the ends they stay', () => {
    const present = FOCUS_ORDER.filter((s) => d[s].length > 0);
    assert.ok(present.length >= 3, present.join());
    for (const series of present) {
      for (const at of [0, Math.floor(d[series].length / 2), d[series].length - 1]) {
        const from = { series, at };
        const t = d[series][at].t;
        for (const move of ['up', 'down'] as FocusMove[]) {
          const to = moveFocus(d, from, move);
          const i = present.indexOf(series) + (move === 'down' ? 1 : -1);
          if (i < 0 || i >= present.length) {
            assert.deepEqual(to, from);
            continue;
          }
          assert.equal(to.series, present[i]);
          const distance = Math.abs(d[to.series][to.at].t - t);
          assert.ok(d[to.series].every((p) => Math.abs(p.t - t) >= distance), `${series}:${at} ${move}`);
        }
      }
    }
  });

  test('the first move starts at the current point, else at the first point at or after the view\'s start', () => {
    assert.deepEqual(startFocus(d, { series: 'acks', at: 2 }, 0), { series: 'acks', at: 2 });
    const t = d.segments[5].t;
    const start = startFocus(d, undefined, t)!;
    assert.equal(start.series, 'segments' as SeriesName);
    assert.ok(d.segments[start.at].t >= t && (start.at === 0 || d.segments[start.at - 1].t < t));
    // Past every point: the last segment.
    assert.deepEqual(startFocus(d, undefined, Infinity), { series: 'segments', at: d.segments.length - 1 });
  });
});
