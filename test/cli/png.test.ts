// `tcpscenario render --png`: the picture from each Chromium this machine has (Debian's, the one
// @sparticuz/chromium ships, which once left the run hanging in Chromium's one-shot --screenshot
// mode), and a run that is always bounded: a Chromium that never answers or dies says so.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, ROOT, scratch } from './run-cli';
import { bundledChromium } from '../webview/bundledChromium';
import { pngOfSvg } from '../../src/cli/png';
import { CliProblem } from '../../src/cli/problem';
import { CLI_MESSAGES as C } from '../../src/cli/messages';
import { translatorFor } from '../../src/text/bundles';

const SCENARIO = join(ROOT, 'examples', '01-handshake.tcpscenario');
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const CHROMIUMS: [string, (() => Record<string, string>) | undefined][] = [
  ["Debian's /usr/bin/chromium", existsSync('/usr/bin/chromium') ? () => ({ TCPSCENARIO_CHROMIUM: '/usr/bin/chromium' }) : undefined],
  [
    'the Chromium of @sparticuz/chromium (chrome-headless-shell)',
    () => {
      const bundled = bundledChromium();
      if (!bundled) throw new Error('@sparticuz/chromium is not installed (npm ci)');
      return { TCPSCENARIO_CHROMIUM: bundled.executable, ...bundled.env };
    },
  ],
];

/** A stand-in for Chromium: a shell script. */
function fakeChromium(dir: string, body: string): string {
  const path = join(dir, 'chromium');
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

async function problemOf(run: Promise<unknown>): Promise<CliProblem> {
  try {
    await run;
  } catch (error) {
    if (error instanceof CliProblem) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('tcpscenario render --png', () => {
  const svgDir = scratch({});
  cli(['render', SCENARIO, '--svg', join(svgDir, 'out.svg')]);
  const [, width, height] = /<svg[^>]*\swidth="(\d+)" height="(\d+)"/.exec(readFileSync(join(svgDir, 'out.svg'), 'utf8'))!;

  for (const [name, envOf] of CHROMIUMS) {
    test(`the picture at the SVG's size, through ${name}`, { skip: !envOf && `no ${name}` }, () => {
      const dir = scratch({});
      const result = cli(['render', SCENARIO, '--png', join(dir, 'out.png')], envOf!());
      assert.equal(result.code, 0, result.stderr);
      const png = readFileSync(join(dir, 'out.png'));
      assert.deepEqual([...png.subarray(0, 8)], PNG_MAGIC);
      // The IHDR chunk's width and height.
      assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [Number(width), Number(height)]);
    });
  }

  test('a Chromium that never answers is stopped at the time limit, with a message saying so', async () => {
    const dir = scratch({});
    const saved = process.env.TCPSCENARIO_CHROMIUM;
    process.env.TCPSCENARIO_CHROMIUM = fakeChromium(dir, 'exec sleep 30');
    try {
      const error = await problemOf(pngOfSvg('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', 10, 10, 300));
      assert.deepEqual(error.problem, { template: C.chromiumTimeout, args: [0.3] });
      // One that dies at once: its last line on stderr.
      process.env.TCPSCENARIO_CHROMIUM = fakeChromium(dir, 'echo "cannot open display" >&2; exit 3');
      const died = await problemOf(pngOfSvg('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', 10, 10, 30_000));
      assert.deepEqual(died.problem, { template: C.chromiumFailed, args: ['cannot open display'] });
    } finally {
      if (saved === undefined) delete process.env.TCPSCENARIO_CHROMIUM;
      else process.env.TCPSCENARIO_CHROMIUM = saved;
    }
  });

  test('zh_CN: a Chromium that fails, said in the locale, and no file', () => {
    const dir = scratch({});
    const chromium = fakeChromium(dir, 'echo "boom" >&2; exit 3');
    const result = cli(['render', SCENARIO, '--png', join(dir, 'out.png')], { TCPSCENARIO_CHROMIUM: chromium, LC_ALL: 'zh_CN.UTF-8', LANGUAGE: '' });
    assert.equal(result.code, 2);
    assert.ok(result.stderr.includes(translatorFor('zh-cn').t(C.chromiumFailed, 'boom')), result.stderr);
    assert.ok(!existsSync(join(dir, 'out.png')));
  });
});
