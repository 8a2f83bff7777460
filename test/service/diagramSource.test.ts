import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { diagramSourceOf } from '../../src/vscode/diagramSource';
import { DESIGN_EXAMPLE } from './cursor';

describe('diagram source', () => {
  test('the whole run of the file, from the first event, nothing highlighted', () => {
    const source = diagramSourceOf(DESIGN_EXAMPLE);
    assert.ok(source.ok);
    assert.equal(source.body.from, 0);
    assert.equal(source.body.current, -1);
    assert.equal(source.body.scenario, 'Lost final ACK: why TIME-WAIT lasts 2*MSL');
    assert.deepEqual(source.body.endpoints.map((e) => [e.name, e.address, e.port, e.isn]), [
      ['client', '10.0.0.1', 49152, 100],
      ['server', '10.0.0.2', 80, 300],
    ]);
    const firstSyn = source.body.events.find((event) => event.kind === 'send');
    assert.ok(firstSyn?.kind === 'send' && firstSyn.flags.join() === 'SYN' && firstSyn.seq === 100);
  });

  test('the default profile applies only when the file has no profile line', () => {
    const bare = 'endpoint a\nendpoint b\n@0 b listen\n@0 a connect b';
    const linux = diagramSourceOf(bare, 'linux');
    assert.ok(linux.ok && linux.body.profile === 'linux');
    const explicit = diagramSourceOf(`profile rfc\n${bare}`, 'linux');
    assert.ok(explicit.ok && explicit.body.profile === 'rfc');
  });

  test('a file with errors gives its errors instead of a run', () => {
    const source = diagramSourceOf('endpoint a\n@0 a lisen');
    assert.equal(source.ok, false);
    assert.deepEqual(!source.ok && source.errors.map((d) => [d.code, d.range.line]), [['unknown-action', 2]]);
  });
});
