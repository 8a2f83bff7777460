// `tcpscenario render FILE --svg OUT [--png OUT] [--relative|--absolute] [--theme light|dark]`:
// runs a scenario and draws its ladder diagram as a standalone SVG (for docs and slides).
// PNG goes through a headless Chromium when one is installed (no heavy dependency).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildModel } from '../diagram/model';
import { runScenario } from '../diagram/scenario';
import { renderSvg, type Theme } from '../diagram/svg';

const EXIT_OK = 0;
const EXIT_ERROR = 2;

const USAGE = `Usage: tcpscenario render FILE --svg OUT [--png OUT] [--relative|--absolute] [--theme light|dark]

Runs FILE and draws its ladder diagram: lifelines per endpoint, arrows slanted by flight time,
state changes, timers, lost and retransmitted segments. Sequence numbers are relative to each
side's ISN unless --absolute. --png needs Chromium (set TCPSCENARIO_CHROMIUM to its path).`;

interface RenderOptions {
  file?: string;
  svg?: string;
  png?: string;
  relative: boolean;
  theme: Theme;
}

class UsageError extends Error {}

function parseArgs(args: string[]): RenderOptions | 'help' {
  const options: RenderOptions = { relative: true, theme: 'light' };
  const value = (i: number, name: string) => {
    const v = args[i];
    if (v === undefined || (v.startsWith('-') && v !== '-')) throw new UsageError(`${name} needs a value`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    switch (name) {
      case '-h':
      case '--help':
        return 'help';
      case '--svg':
        options.svg = inline ?? value(++i, '--svg');
        break;
      case '--png':
        options.png = inline ?? value(++i, '--png');
        break;
      case '--relative':
        options.relative = true;
        break;
      case '--absolute':
        options.relative = false;
        break;
      case '--theme': {
        const theme = inline ?? value(++i, '--theme');
        if (theme !== 'light' && theme !== 'dark') throw new UsageError(`--theme expects light or dark, not '${theme}'`);
        options.theme = theme;
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}' for render`);
        if (options.file !== undefined) throw new UsageError('render takes one FILE');
        options.file = arg;
    }
  }
  if (options.file === undefined) throw new UsageError('render needs a FILE');
  if (options.svg === undefined && options.png === undefined) throw new UsageError('render needs --svg OUT (and/or --png OUT)');
  return options;
}

function readText(path: string): string {
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new Error('is a directory, not a scenario file');
    size = stat.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : error instanceof Error ? error.message : String(error));
  }
  if (size > 64 * 1024 * 1024) throw new Error('is too large for a scenario (over 64 MB)');
  const bytes = readFileSync(path);
  if (bytes.includes(0)) throw new Error('is a binary file, not a scenario');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error('is not UTF-8 text; save it as UTF-8');
  }
}

function write(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${path}: cannot write (${code === 'ENOENT' ? 'no such directory' : code === 'EACCES' ? 'permission denied' : (code ?? 'unknown error')})`);
  }
}

/** Headless Chromium on a machine with no network: no background traffic, no sandbox (root in CI). */
export const HEADLESS_CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Chromium for --png: $TCPSCENARIO_CHROMIUM, else the usual install paths. */
function findChromium(): string | undefined {
  const candidates = [process.env.TCPSCENARIO_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

/** Screenshots the SVG at its own size with headless Chromium. */
function svgToPng(svg: string, width: number, height: number, out: string): void {
  const chromium = findChromium();
  if (!chromium) throw new Error('--png needs Chromium, which was not found (install chromium or set TCPSCENARIO_CHROMIUM)');
  // Chromium cannot screenshot beyond 16,384 px a side.
  const maxSide = 16_384;
  if (width > maxSide || height > maxSide) throw new Error(`--png: the diagram is ${width}x${height} px, over Chromium's ${maxSide} px limit; use the SVG`);
  const dir = mkdtempSync(join(tmpdir(), 'tcpscenario-render-'));
  try {
    const page = join(dir, 'diagram.svg');
    writeFileSync(page, svg);
    const result = spawnSync(
      chromium,
      [
        ...HEADLESS_CHROMIUM_ARGS,
        '--hide-scrollbars',
        `--user-data-dir=${join(dir, 'profile')}`,
        `--window-size=${width},${height}`,
        `--screenshot=${resolve(out)}`,
        pathToFileURL(page).href,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (result.error || result.status !== 0 || !existsSync(resolve(out))) {
      const why = result.error?.message ?? (result.stderr.trim().split('\n').pop() || `exit ${result.status}`);
      throw new Error(`--png: Chromium failed: ${why}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function renderCommand(args: string[]): Promise<number> {
  let options: RenderOptions | 'help';
  try {
    options = parseArgs(args);
  } catch (error) {
    process.stderr.write(`tcpscenario render: ${(error as Error).message}\n${USAGE}\n`);
    return EXIT_ERROR;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  const file = options.file!;
  let text: string;
  try {
    text = readText(file);
  } catch (error) {
    process.stderr.write(`${file}: error: ${(error as Error).message}\n`);
    return EXIT_ERROR;
  }
  const run = runScenario(text);
  for (const d of run.diagnostics) process.stderr.write(`${file}:${d.range.line}:${d.range.column}: ${d.severity}: ${d.message} [${d.code}]\n`);
  if (run.engineError) {
    process.stderr.write(`${file}: error: the engine failed on this scenario: ${run.engineError}\n`);
    return EXIT_ERROR;
  }
  if (!run.doc) return EXIT_ERROR;
  if (run.capped) process.stderr.write(`${file}: warning: the run was cut short; the diagram shows its beginning\n`);
  const model = buildModel(run.doc, { relative: options.relative });
  const svg = renderSvg(model, { theme: options.theme });
  try {
    if (options.svg !== undefined) {
      if (options.svg === '-') process.stdout.write(svg);
      else write(options.svg, svg);
    }
    if (options.png !== undefined) {
      const size = /<svg[^>]*\swidth="(\d+)" height="(\d+)"/.exec(svg);
      svgToPng(svg, Number(size?.[1] ?? model.width), Number(size?.[2] ?? model.height), options.png);
    }
  } catch (error) {
    process.stderr.write(`tcpscenario render: ${(error as Error).message}\n`);
    return EXIT_ERROR;
  }
  return EXIT_OK;
}
