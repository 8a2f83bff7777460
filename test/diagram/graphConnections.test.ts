// The time–sequence graph keeps connections apart: one client that opens a second connection to
// the same server (after the first is gone) gets a second direction of its own, with its own ISN
// and a title that says which connection it is; a retransmitted SYN or the peer's SYN does not
// open another.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SendEvent, TraceDocument } from '../../src/engine/trace';
import { GraphData } from '../../src/diagram/graphData';
import { formatTimeTick } from '../../src/diagram/graphAxes';
import { graphFrame } from '../../src/diagram/graphLayout';
import { renderGraphSvg } from '../../src/diagram/graphSvg';
import { GRAPH_WORDS } from '../../src/diagram/words';
import { runScenario } from '../../src/diagram/scenario';
import { TWO_CONNECTIONS } from './twoConnections';


const root = join(import.meta.dirname, '..', '..');

function run(text: string): TraceDocument {
  const doc = runScenario(text).doc;
  assert.ok(doc);
  return doc;
}

function whole(doc: TraceDocument): GraphData {
  const data = new GraphData();
  data.update(doc, 0);
  return data;
}

const takesSpace = (s: SendEvent) => s.len > 0 || s.flags.includes('SYN') || s.flags.includes('FIN');

describe('time–sequence graph: several connections between two endpoints', () => {
  const doc = run(TWO_CONNECTIONS);
  const data = whole(doc);
  const sends = doc.events.filter((e): e is SendEvent => e.kind === 'send' && e.from === 'client');
  const syns = sends.filter((s) => s.flags.includes('SYN'));

  test('each connection is its own direction, relative to its own ISN', () => {
    assert.equal(syns.length, 2);
    assert.notEqual(syns[0].seq, syns[1].seq);
    const first = data.direction('client>server')!;
    const second = data.direction('client>server#2')!;
    assert.ok(first && second);
    assert.deepEqual([first.connection, second.connection], [1, 2]);
    assert.equal(second.since, syns[1].t);
    // Each direction holds exactly the sends of its connection (split at the second SYN).
    const before = sends.filter((s) => s.t < syns[1].t && takesSpace(s));
    const after = sends.filter((s) => s.t >= syns[1].t && takesSpace(s));
    assert.deepEqual(first.segments.map((p) => p.index), before.map((s) => doc.events.indexOf(s)));
    assert.deepEqual(second.segments.map((p) => p.index), after.map((s) => doc.events.indexOf(s)));
    // Both start at 0 (the SYN) and their data at 1; each sent its own byte count.
    for (const [d, bytes] of [[first, 5000], [second, 3000]] as const) {
      assert.equal(d.segments[0].lo, 0);
      assert.equal(d.segments[1].lo, 1);
      assert.equal(d.bytes, bytes);
      assert.equal(d.acks[d.acks.length - 1].ack, bytes + 1);
    }
    // The server's directions are kept apart the same way.
    assert.ok(data.direction('server>client') && data.direction('server>client#2'));
    assert.equal(data.directions.length, 4);
  });

  test('the title tells them apart (and says when the later one began)', () => {
    const first = graphFrame(data.direction('client>server')!, { width: 800, height: 500 });
    const second = graphFrame(data.direction('client>server#2')!, { width: 800, height: 500 });
    assert.equal(first.title, 'client → server');
    assert.equal(second.title, `client → server (connection 2, from ${formatTimeTick(syns[1].t)})`);
    const said = graphFrame(data.direction('client>server#2')!, { width: 800, height: 500, say: (template, ...args) => (template === GRAPH_WORDS.connection ? `#${args[0]} @${args[1]}` : template) });
    assert.equal(said.title, `client → server (#2 @${formatTimeTick(syns[1].t)})`);
    const svg = renderGraphSvg(data, { direction: 'client>server#2' })!;
    assert.ok(svg.includes('client → server (connection 2, from'));
  });

  test('stepping back over the second SYN takes the second connection away; forward again gives the same', () => {
    const at = doc.events.indexOf(syns[1]);
    const stepped = new GraphData();
    stepped.update(doc, 0, at + 3);
    assert.ok(stepped.direction('client>server#2'));
    stepped.update(doc, at + 3, at);
    assert.equal(stepped.direction('client>server#2'), undefined);
    assert.equal(stepped.directions.length, 2);
    stepped.update(doc, at);
    const strip = (g: GraphData) => g.directions.map((d) => ({ ...d, revision: 0, segments: d.segments.map((p) => ({ ...p, serial: 0 })), acks: d.acks.map((p) => ({ ...p, serial: 0 })), losses: [], windows: d.windows.map((p) => ({ ...p, serial: 0 })), extents: [] }));
    assert.deepEqual(strip(stepped), strip(data));
  });

  test('retransmitted SYNs and a simultaneous open stay one connection; example 19 opens a second', () => {
    for (const file of readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.tcpscenario'))) {
      const keys = whole(run(readFileSync(join(root, 'examples', file), 'utf8'))).directions.map((d) => d.key);
      const later = keys.filter((k) => k.includes('#'));
      if (file.startsWith('19-')) assert.deepEqual(later.sort(), ['client>server#2', 'server>client#2'], file);
      else assert.deepEqual(later, [], file);
    }
  });
});
