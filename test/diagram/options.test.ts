// TCP options in the diagram's hover fields and in text (src/text/format.ts optionsText): the linux
// profile's SYN options and SACK blocks, the blocks in the same numbering as the ack.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel, itemFields } from '../../src/diagram/model';
import { runScenario } from '../../src/diagram/scenario';
import type { TcpOptions } from '../../src/engine/trace';
import { optionsText } from '../../src/text/format';
import { renderLadder } from '../../src/cli/ladder';
import { painter } from '../../src/cli/terminal';

const root = join(import.meta.dirname, '..', '..');

describe('TCP options shown', () => {
  test('hover fields: the SYN options, and SACK blocks relative when the ack is', () => {
    const text = readFileSync(join(root, 'test', 'fixtures', 'captures', 'request-response-loss', 'scenario.tcpscenario'), 'utf8');
    const { doc } = runScenario(text);
    assert.ok(doc);
    const options = (relative: boolean): string[] =>
      buildModel(doc, { relative })
        .items.filter((item) => item.kind === 'arrow')
        .map((item) => itemFields(item, { relative }).find(([name]) => name === 'options')?.[1] ?? '');
    const relative = options(true);
    assert.match(relative[0], /^mss 1460, sackOK, TS val \d+ ecr 0, wscale 10$/);
    // The kernel's first SACKed duplicate ACK (docs/captures.md, request-response-loss #12).
    const sacks = relative.filter((o) => o.includes('sack '));
    assert.match(sacks[0], /, sack 2897-4345$/);
    assert.match(sacks[2], /, sack 2897-6001$/);
    const absolute = options(false).filter((o) => o.includes('sack '));
    assert.match(absolute[0], /, sack 1458371816-1458373264$/);
  });

  test('optionsText writes only well-formed options (a trace read from a file may hold anything)', () => {
    assert.equal(optionsText(undefined), '');
    assert.equal(optionsText({ mss: 1460, sackPermitted: true, wscale: 7 }), 'mss 1460, sackOK, wscale 7');
    const odd = { mss: 'x', ts: { val: 1 }, sack: [{ left: 5, right: 9 }, 'y'] } as unknown as TcpOptions;
    assert.equal(optionsText(odd, 4), 'sack 1-5');
  });
});

describe('TCP options in the ladder', () => {
  test('a SYN shows what it offers, an ACK its SACK blocks, relative as the numbers are', () => {
    const text = readFileSync(join(root, 'test', 'fixtures', 'captures', 'request-response-loss', 'scenario.tcpscenario'), 'utf8');
    const { doc } = runScenario(text);
    assert.ok(doc);
    const lines = renderLadder(doc, { paint: painter(false), absolute: false }).split('\n');
    assert.ok(lines.some((l) => l.includes(' SYN seq=0 len=0 ') && l.trimEnd().endsWith('|  <mss 1460, sackOK, TS, wscale 10>')), lines.join('\n'));
    assert.deepEqual(lines.filter((l) => l.includes('<sack')).map((l) => l.trim().split(/\s+/).pop()), ['2897-4345>', '2897-5793>', '2897-6001>']);
  });
});
