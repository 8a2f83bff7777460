// `tcpscenario trace` streams its JSON (a batch of events at a time, through one reused buffer),
// and the bytes are a contract: exactly `JSON.stringify(document, null, 2)` and a newline, for
// every example, a run cut by a limit, into a pipe and into a file.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Utf8Output } from '../../src/cli/output';
import { runScenarioText } from '../../src/run/run';
import { RUNAWAY } from '../fixtures/runaway';
import { cli, CLI, ROOT, scratch } from './run-cli';

/** The document as one JSON.stringify, the way a program holding the whole trace would write it. */
function expected(text: string, file: string, args: { maxEvents?: number } = {}): string {
  const result = runScenarioText(text, { file, ...args });
  assert.ok(result.run, `${file} compiles`);
  return `${JSON.stringify(result.run.document(), null, 2)}\n`;
}

describe('trace output is byte for byte JSON.stringify of the document', () => {
  const examples = readdirSync(join(ROOT, 'examples')).filter((name) => name.endsWith('.tcpscenario'));
  for (const name of examples) {
    test(name, () => {
      const file = join(ROOT, 'examples', name);
      const result = cli(['trace', file]);
      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.stdout === expected(readFileSync(file, 'utf8'), file), 'the streamed trace differs from JSON.stringify of the document');
    });
  }

  const dir = scratch({
    'runaway.tcpscenario': RUNAWAY,
    'empty.tcpscenario': 'scenario "nothing happens 🙂"\nendpoint a 10.0.0.1:1\nendpoint b 10.0.0.2:2\n',
  });

  test('a run cut by --max-events, over several batches: the events, then `rules` and `limit`', () => {
    const file = join(dir, 'runaway.tcpscenario');
    const result = cli(['trace', '--max-events', '45000', file]);
    assert.equal(result.code, 3, result.stderr);
    const want = expected(RUNAWAY, file, { maxEvents: 45_000 });
    assert.ok(result.stdout === want, 'the streamed trace differs from JSON.stringify of the document');
    assert.match(want, /"limit": \{/);
  });

  test('no events, a title outside the BMP', () => {
    const file = join(dir, 'empty.tcpscenario');
    const result = cli(['trace', file]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, expected(readFileSync(file, 'utf8'), file));
    assert.match(result.stdout, /"events": \[\],/);
  });

  test('into a file (a synchronous stream) as into a pipe', () => {
    const file = join(dir, 'runaway.tcpscenario');
    const out = join(dir, 'trace.json');
    const fd = openSync(out, 'w');
    try {
      const result = spawnSync(process.execPath, [CLI, 'trace', '--max-events', '25000', file], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
      assert.equal(result.status, 3, result.stderr);
    } finally {
      closeSync(fd);
    }
    assert.ok(readFileSync(out, 'utf8') === expected(RUNAWAY, file, { maxEvents: 25_000 }), 'the trace in the file differs from JSON.stringify of the document');
  });
});

describe('Utf8Output', () => {
  async function written(parts: [string, boolean?][], size: number): Promise<{ bytes: Buffer; writes: number[] }> {
    const chunks: Buffer[] = [];
    const output = new Utf8Output(async (bytes) => {
      // Copied: the buffer is reused once this resolves.
      chunks.push(Buffer.from(bytes));
    }, size);
    for (const [text, more] of parts) await output.write(text, more);
    return { bytes: Buffer.concat(chunks), writes: chunks.map((c) => c.length) };
  }

  test('the same UTF-8 as Buffer.from, whatever the buffer size: surrogate pairs are never split', async () => {
    const text = 'a🙂b三次握手 "x"\n🙂🙂é'.repeat(7);
    for (const size of [1, 4, 5, 6, 7, 16, 1000]) {
      const { bytes, writes } = await written([[text]], size);
      assert.ok(bytes.equals(Buffer.from(text)), `buffer of ${size} bytes`);
      assert.ok(writes.every((n) => n <= Math.max(4, size)), `writes of at most ${size} bytes`);
    }
  });

  test('`more` keeps a small text for the next write; without it everything is written', async () => {
    const { bytes, writes } = await written([[',', true], ['{"a": 1}'], ['x']], 1024);
    assert.equal(bytes.toString(), ',{"a": 1}x');
    assert.deepEqual(writes, [9, 1]);
  });
});
