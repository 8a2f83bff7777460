// The split model (src/diagram/builder.ts and its layout modules) against the model it replaced
// (test/diagram/legacy/model.ts, kept only for this comparison): the same picture for every
// example, every fixture and a long synthetic trace, wide and compact, absolute and relative.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceDocument } from '../../src/engine/trace';
import { buildModel, type DiagramModel } from '../../src/diagram/model';
import { buildModel as legacyBuildModel, type DiagramModel as LegacyModel } from './legacy/model';
import { runScenario } from '../../src/diagram/scenario';
import { syntheticTrace } from './synthetic';

const ROOT = join(import.meta.dirname, '..', '..');

function docs(): [string, TraceDocument][] {
  const out: [string, TraceDocument][] = [];
  for (const file of readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.tcpscenario')).sort()) {
    const doc = runScenario(readFileSync(join(ROOT, 'examples', file), 'utf8')).doc;
    if (doc) out.push([file, doc]);
  }
  for (const file of readdirSync(join(ROOT, 'test', 'fixtures', 'traces')).sort()) {
    out.push([file, JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'traces', file), 'utf8')) as TraceDocument]);
  }
  out.push(['synthetic 2000', syntheticTrace(2000)]);
  return out;
}

function plainNew(model: DiagramModel): unknown {
  const items = model.items.map((item) => {
    if (item.kind !== 'arrow') return item;
    const { shownSeq: _seq, shownAck: _ack, ...rest } = item;
    return rest;
  });
  return { ...model, items, eventToItem: [...model.eventToItem], eventY: [...model.eventY] };
}

function plainOld(model: LegacyModel): unknown {
  return { ...model, eventToItem: [...model.eventToItem], eventY: [...model.eventY] };
}

describe('split model equals the model it replaced', () => {
  for (const [name, doc] of docs()) {
    test(name, () => {
      for (const relative of [false, true]) {
        for (const width of [undefined, 484, 700]) {
          // The replaced model set the scale from every delivered segment.
          const fresh = buildModel(doc, { relative, width, scaleSample: Infinity });
          const legacy = legacyBuildModel(doc, { relative, width });
          assert.deepStrictEqual(plainNew(fresh), plainOld(legacy), `relative ${relative}, width ${width}`);
        }
      }
    });
  }
});
