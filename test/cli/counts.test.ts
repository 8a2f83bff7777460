// Counts are written in the right number everywhere a count is printed: the CLI's summaries and
// ladder, the editor's run report, the debugger's event descriptions ("1 expectation held", never
// "1 expectations"). The rule is one function, src/engine/plural.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { count, plural } from '../../src/engine/plural';
import { compile, formatTemplate } from '../../src/language';
import { describeEvent } from '../../src/debug/describe';
import { SequenceBases } from '../../src/text/format';
import { formatEvent, formatReport } from '../../src/vscode/report';
import { cli, scratch } from './run-cli';

/** "1 bytes", "1 expectations"...: a count of one with a plural noun. */
const ONE_PLURAL = /\b1 (bytes|expectations|events|files|errors|warnings|retransmissions|segments)\b/;

const ONE_OF_EACH = `scenario "One of each"
endpoint client 10.0.0.1:49152 isn=100
endpoint server 10.0.0.2:80 isn=300
@0      server listen
@0      client connect server
@1s     client send 1
@2s     expect server received 1
`;

describe('counts in the right number', () => {
  test('count and plural', () => {
    assert.equal(count(1, 'expectation'), '1 expectation');
    assert.equal(count(0, 'expectation'), '0 expectations');
    assert.equal(count(2, 'byte'), '2 bytes');
    assert.equal(count(1, 'retry', 'retries'), '1 retry');
    assert.equal(count(3, 'retry', 'retries'), '3 retries');
    assert.equal(plural(1, 'one', 'other'), 'one');
    assert.equal(plural(7, 'one', 'other'), 'other');
  });

  test('the CLI: one expectation, one byte, one error', () => {
    const dir = scratch({ 'one.tcpscenario': ONE_OF_EACH, 'broken.tcpscenario': 'endpoint client\n@0 client conect server\n' });
    const run = cli(['run', join(dir, 'one.tcpscenario')]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^PASS .*one\.tcpscenario: 1 expectation held$/m);
    const ladder = cli(['run', '--ladder', join(dir, 'one.tcpscenario')]);
    assert.match(ladder.stdout, /1 byte to the application/);
    const check = cli(['check', join(dir, 'broken.tcpscenario')]);
    assert.match(check.stderr, /^1 error, 0 warnings$/m);
    for (const output of [run, ladder, check]) assert.doesNotMatch(output.stdout + output.stderr, ONE_PLURAL);
  });

  test('the run report and the debugger\'s descriptions', () => {
    const { program } = compile(ONE_OF_EACH);
    assert.ok(program);
    const english = (template: string, args: readonly string[] = []) => formatTemplate(template, args);
    const report = formatReport(program, [{ t: 5, kind: 'app', endpoint: 'server', call: 'listen' }], english);
    assert.ok(report.includes('One event, virtual time 5 ms'), report.join('\n'));
    assert.match(formatEvent({ t: 1, kind: 'data', endpoint: 'server', bytes: 1 }), /server received 1 byte\b/);
    const description = describeEvent({ t: 1, kind: 'data', endpoint: 'server', bytes: 1 }, 0, { segment: () => undefined, stateBefore: () => 'ESTABLISHED', basesAt: () => new SequenceBases() });
    assert.match(description, /1 byte delivered/);
    for (const line of [...report, description]) assert.doesNotMatch(line, ONE_PLURAL);
  });
});
