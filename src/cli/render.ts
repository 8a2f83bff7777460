// `tcpscenario render FILE --svg OUT [--png OUT] [--mermaid OUT] [--graph OUT] [--relative|--absolute] [--theme light|dark]`:
// runs a scenario and draws its ladder diagram as a standalone SVG (for docs and slides), and its
// time–sequence graph as the panel exports it (graphSvg.ts).
// PNG goes through a headless Chromium when one is installed (no heavy dependency; png.ts).

import { writeFileSync } from 'node:fs';
import { DIAGRAM_MAX_EVENTS, DIAGRAM_TRUNCATED, drawableEvents } from '../diagram/degrade';
import { toMermaid } from '../diagram/mermaid';
import { GraphData } from '../diagram/graphData';
import { renderGraphSvg } from '../diagram/graphSvg';
import { buildModel } from '../diagram/model';
import { renderSvg, type Theme } from '../diagram/svg';
import { formatCount } from '../run/messages';
import { ReadError } from '../run/read';
import { CLI_HINTS, DEFAULT_MAX_EVENTS, DEFAULT_MAX_SECONDS, prepareScenario, ScenarioRun, type Limits } from '../run/run';
import { ENGLISH, message, type Translator } from '../text/translate';
import type { TraceDocument } from '../engine/trace';
import type { Io } from './main';
import { CLI_MESSAGES as C, RENDER_USAGE_LINES } from './messages';
import { pngOfSvg } from './png';
import { CliProblem, limitArgument, problem } from './problem';
import { EXIT_ERROR, EXIT_LIMIT, EXIT_OK } from './files';

function usage(tr: Translator): string {
  return RENDER_USAGE_LINES.map((line) => (line === '' ? '' : tr.t(line, formatCount(DIAGRAM_MAX_EVENTS), DEFAULT_MAX_EVENTS, DEFAULT_MAX_SECONDS))).join('\n');
}

interface RenderOptions {
  file?: string;
  svg?: string;
  png?: string;
  mermaid?: string;
  graph?: string;
  /** --graph-direction FROM->TO[#N]: endpoint names, and which connection between them. */
  direction?: { from: string; to: string; connection?: number };
  relative: boolean;
  theme: Theme;
  limits: Limits;
}

function parseArgs(args: string[]): RenderOptions | 'help' {
  const options: RenderOptions = { relative: true, theme: 'light', limits: { maxEvents: DEFAULT_MAX_EVENTS, maxSeconds: DEFAULT_MAX_SECONDS } };
  const value = (i: number, name: string) => {
    const v = args[i];
    if (v === undefined || (v.startsWith('-') && v !== '-')) throw problem(C.needsValue, name);
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
      case '--mermaid':
        options.mermaid = inline ?? value(++i, '--mermaid');
        break;
      case '--graph':
        options.graph = inline ?? value(++i, '--graph');
        break;
      case '--graph-direction': {
        const text = inline ?? value(++i, '--graph-direction');
        const m = /^\s*(.+?)\s*->\s*(.+?)\s*(?:#([1-9]\d*))?\s*$/.exec(text);
        if (!m || m[1].includes('->') || m[2].includes('->')) throw problem(C.graphDirectionExpects, text);
        options.direction = { from: m[1], to: m[2], connection: m[3] === undefined ? undefined : Number(m[3]) };
        break;
      }
      case '--relative':
        options.relative = true;
        break;
      case '--absolute':
        options.relative = false;
        break;
      case '--max-events':
        options.limits.maxEvents = limitArgument('--max-events', inline ?? value(++i, '--max-events'), true);
        break;
      case '--max-seconds':
        options.limits.maxSeconds = limitArgument('--max-seconds', inline ?? value(++i, '--max-seconds'), false);
        break;
      case '--theme': {
        const theme = inline ?? value(++i, '--theme');
        if (theme !== 'light' && theme !== 'dark') throw problem(C.themeExpects, theme);
        options.theme = theme;
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw problem(C.renderUnknownOption, arg);
        if (options.file !== undefined) throw problem(C.renderOneFile);
        options.file = arg;
    }
  }
  if (options.file === undefined) throw problem(C.renderNeedsFile);
  if (options.svg === undefined && options.png === undefined && options.mermaid === undefined && options.graph === undefined) throw problem(C.renderNeedsOutput);
  if ([options.svg, options.mermaid, options.graph].filter((o) => o === '-').length > 1) throw problem(C.renderOneStdout);
  if (options.direction && options.graph === undefined) throw problem(C.graphDirectionWithGraph);
  return options;
}

function write(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw problem(C.cannotWrite, path, code === 'ENOENT' ? message(C.noSuchDirectory) : code === 'EACCES' ? message(C.permissionDenied) : (code ?? 'unknown error'));
  }
}


function messageOf(error: unknown, tr: Translator): string {
  if (error instanceof CliProblem) return tr.message(error.problem);
  if (error instanceof ReadError) return tr.t(error.template, ...error.args);
  return error instanceof Error ? error.message : String(error);
}

/** Writes the SVG and the PNG the options ask for. */
async function drawn(svg: string, model: { width: number; height: number }, options: RenderOptions, io: Io): Promise<void> {
  if (options.svg !== undefined) {
    if (options.svg === '-') await io.write(svg);
    else write(options.svg, svg);
  }
  if (options.png !== undefined) {
    const size = /<svg[^>]*\swidth="(\d+)" height="(\d+)"/.exec(svg);
    write(options.png, await pngOfSvg(svg, Number(size?.[1] ?? model.width), Number(size?.[2] ?? model.height)));
  }
}

/** The time–sequence graph of the direction asked for (else the one carrying the most data), as the panel exports it. */
function graphSvg(doc: TraceDocument, options: RenderOptions, tr: Translator): string {
  const data = new GraphData();
  data.update(doc, 0);
  // As the panel: a direction is drawn once it sends sequence space (SYN, data or FIN).
  const withData = data.directions.filter((d) => d.segments.length > 0);
  if (!withData.length) throw problem(C.graphNoData);
  let direction: string | undefined;
  if (options.direction) {
    const { from, to, connection } = options.direction;
    const found = withData.find((d) => d.from === from && d.to === to && (connection === undefined || d.connection === connection));
    const name = (d: { from: string; to: string; connection?: number }) => `${d.from}->${d.to}${d.connection && d.connection > 1 ? `#${d.connection}` : ''}`;
    if (!found) throw problem(C.graphNoDirection, name(options.direction), withData.map(name).join(', '));
    direction = found.key;
  }
  const svg = renderGraphSvg(data, { theme: options.theme, direction, scenario: doc.scenario, profile: doc.profile, say: tr.t });
  if (svg === undefined) throw problem(C.graphNoData);
  return svg;
}

export async function renderCommand(args: string[], io: Io): Promise<number> {
  const tr = io.tr ?? ENGLISH;
  let options: RenderOptions | 'help';
  try {
    options = parseArgs(args);
  } catch (error) {
    if (!(error instanceof CliProblem)) throw error;
    io.stderr(`tcpscenario render: ${messageOf(error, tr)}\n${usage(tr)}`);
    return EXIT_ERROR;
  }
  if (options === 'help') {
    io.stdout(usage(tr));
    return EXIT_OK;
  }
  const file = options.file!;
  let text: string;
  try {
    text = io.readFile(file);
  } catch (error) {
    const where = error instanceof ReadError ? error.where(file) : file;
    io.stderr(`${where}: error: ${messageOf(error, tr)}`);
    return EXIT_ERROR;
  }
  const prepared = prepareScenario(text, { file });
  for (const d of prepared.diagnostics) io.stderr(`${file}:${d.range.line}:${d.range.column}: ${d.severity}: ${tr.message({ template: d.template, args: d.args })} [${d.code}]`);
  if (!prepared.program) return EXIT_ERROR;
  const translate = (template: string, args: readonly (string | number)[] = []) => tr.t(template, ...args);
  const hints = { events: tr.t(CLI_HINTS.events), seconds: tr.t(CLI_HINTS.seconds) };
  const run = new ScenarioRun(prepared.program, { ...options.limits, hints, translate }).runToEnd();
  if (run.engineError !== undefined) {
    io.stderr(`${file}: error: ${run.errorMessage()}`);
    return EXIT_ERROR;
  }
  const doc = run.document();
  const drawable = drawableEvents(doc.events, doc.limit, undefined, translate);
  // The SVG ends with the same words as a note.
  if (doc.limit) io.stderr(`${file}: error: ${tr.t(C.renderLimit, doc.limit.message)}`);
  if (doc.events.length > DIAGRAM_MAX_EVENTS) io.stderr(`${file}: warning: ${tr.t(DIAGRAM_TRUNCATED, formatCount(DIAGRAM_MAX_EVENTS), formatCount(doc.events.length))}`);
  try {
    if (options.svg !== undefined || options.png !== undefined) {
      const model = buildModel({ ...doc, events: drawable.events }, { relative: options.relative, say: tr.t });
      // The legend, the title line and the tooltips in the locale's language.
      await drawn(renderSvg(model, { theme: options.theme, say: tr.t }), model, options, io);
    }
    if (options.mermaid !== undefined) {
      // The panel's Mermaid text (its notes in the locale's language).
      const text = `${toMermaid({ ...doc, events: drawable.events }, { relative: options.relative, say: tr.t })}\n`;
      if (options.mermaid === '-') await io.write(text);
      else write(options.mermaid, text);
    }
    if (options.graph !== undefined) {
      const svg = graphSvg({ ...doc, events: drawable.events }, options, tr);
      if (options.graph === '-') await io.write(svg);
      else write(options.graph, svg);
    }
  } catch (error) {
    io.stderr(`tcpscenario render: ${messageOf(error, tr)}`);
    return EXIT_ERROR;
  }
  return doc.limit ? EXIT_LIMIT : EXIT_OK;
}
