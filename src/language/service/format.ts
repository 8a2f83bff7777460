// The formatter: aligns the time column of the timeline, lines up consecutive endpoint
// declarations as a table, and puts one space between words (none around `=` and after `,`).
// It only ever changes whitespace between tokens, never the tokens themselves, and never
// glues two tokens that the scanner would read as one, so the scenario means the same
// afterwards. Lines the parser cannot read are left as they are (only trailing blanks go).
// It never adds or removes lines, so line numbers (breakpoints, the trace) stay valid.

import type { Statement } from '../ast';
import { parse } from '../parser';
import { scan } from '../scanner';
import type { Comment, Token } from '../tokens';

export interface FormatOptions {
  /** Width of the time column, at least. */
  minTimeColumn?: number;
}

export interface LineEdit {
  /** 1-based line to replace entirely (without its line break). */
  line: number;
  newText: string;
}

const TIMED_KINDS = new Set<Statement['kind']>(['action', 'fault', 'inject', 'expect', 'wait']);

export function formatEdits(text: string, options: FormatOptions = {}): LineEdit[] {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  const { ast, diagnostics } = parse(text);
  const brokenLines = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.range.line));
  const { tokens, comments } = scan(text);
  const tokensByLine = new Map<number, Token[]>();
  for (const token of tokens) {
    if (token.kind === 'newline' || token.kind === 'eof') continue;
    const list = tokensByLine.get(token.line) ?? [];
    list.push(token);
    tokensByLine.set(token.line, list);
  }
  const commentByLine = new Map<number, Comment>(comments.map((comment) => [comment.range.line, comment]));
  const statementByLine = new Map<number, Statement>(ast.statements.map((statement) => [statement.line, statement]));
  const formattable = (line: number) => statementByLine.has(line) && !brokenLines.has(line) && tokensByLine.has(line);

  // Chunks: runs of tokens written without a space between them.
  const chunksByLine = new Map<number, string[]>();
  for (const line of statementByLine.keys()) {
    if (formattable(line)) chunksByLine.set(line, chunks(tokensByLine.get(line) ?? []));
  }

  // The time column: wide enough for the longest time, plus two spaces.
  let timeWidth = options.minTimeColumn ?? 8;
  for (const [line, statement] of statementByLine) {
    if (statement.time && TIMED_KINDS.has(statement.kind) && chunksByLine.has(line)) {
      timeWidth = Math.max(timeWidth, (chunksByLine.get(line)?.[0].length ?? 0) + 2);
    }
  }

  const endpointWidths = endpointColumns(statementByLine, chunksByLine);

  const edits: LineEdit[] = [];
  for (const [index, original] of lines.entries()) {
    const line = index + 1;
    const source = index === 0 ? original.slice(bom.length) : original;
    let formatted: string;
    const statement = statementByLine.get(line);
    const lineChunks = chunksByLine.get(line);
    if (!statement || !lineChunks) {
      formatted = source.trimEnd();
    } else {
      let code: string;
      if (TIMED_KINDS.has(statement.kind)) {
        const time = statement.time ? lineChunks[0] : '';
        const rest = statement.time ? lineChunks.slice(1) : lineChunks;
        code = time.padEnd(timeWidth) + rest.join(' ');
      } else if (statement.kind === 'endpoint' && endpointWidths.has(line)) {
        const widths = endpointWidths.get(line) ?? [];
        code = lineChunks.map((chunk, i) => (i < widths.length ? chunk.padEnd(widths[i]) : chunk)).join(' ').trimEnd();
      } else {
        code = lineChunks.join(' ');
      }
      const comment = commentByLine.get(line);
      if (comment) {
        const column = Math.max(comment.range.column - 1 - (index === 0 ? bom.length : 0), code.length + 2);
        formatted = code.padEnd(column) + comment.text.trimEnd();
      } else {
        formatted = code;
      }
    }
    if (formatted !== source) edits.push({ line, newText: (index === 0 ? bom : '') + formatted });
  }
  return edits;
}

export function formatText(text: string, options: FormatOptions = {}): string {
  const lines = text.split('\n');
  for (const edit of formatEdits(text, options)) {
    const carriageReturn = lines[edit.line - 1].endsWith('\r') ? '\r' : '';
    lines[edit.line - 1] = edit.newText + carriageReturn;
  }
  return lines.join('\n');
}

/** Groups a line's tokens into words: `isn=100`, `FIN,ACK`, `@2s` stay together; `->` stands apart. */
function chunks(tokens: readonly Token[]): string[] {
  const out: string[] = [];
  let previous: Token | undefined;
  for (const [index, token] of tokens.entries()) {
    if (previous && glue(previous, token, index === 1)) out[out.length - 1] += token.text;
    else out.push(token.text);
    previous = token;
  }
  return out;
}

function glue(before: Token, after: Token, secondToken: boolean): boolean {
  if (before.kind === '->' || before.kind === '<->' || after.kind === '->' || after.kind === '<->') return false;
  // Spaces around these never matter to the scanner, and reading is easier without them.
  if (before.kind === '=' || after.kind === '=' || before.kind === ',' || after.kind === ',') return true;
  if (secondToken && (before.kind === '@' || before.kind === '+')) return true;
  // Otherwise keep what was written: tokens that touched keep touching, spaced ones get one space.
  return before.offset + before.length === after.offset;
}

/** Column widths (name, address) for runs of consecutive endpoint declarations. */
function endpointColumns(statementByLine: Map<number, Statement>, chunksByLine: Map<number, string[]>): Map<number, number[]> {
  const widths = new Map<number, number[]>();
  const lines = [...statementByLine.keys()].sort((a, b) => a - b);
  let run: number[] = [];
  const flush = () => {
    if (run.length > 1) {
      const columns = [0, 0, 0];
      const rows = run.map((line) => chunksByLine.get(line) ?? []);
      // Only align the address column when every row has one (`endpoint NAME ADDRESS ...`).
      const alignAddress = run.every((line) => {
        const statement = statementByLine.get(line);
        return statement?.kind === 'endpoint' && statement.address !== undefined;
      });
      const count = alignAddress ? 3 : 2;
      for (const row of rows) for (let i = 0; i < count; i++) columns[i] = Math.max(columns[i], row[i]?.length ?? 0);
      for (const line of run) widths.set(line, columns.slice(0, count));
    }
    run = [];
  };
  for (const line of lines) {
    const statement = statementByLine.get(line);
    const aligned = statement?.kind === 'endpoint' && chunksByLine.has(line) && statement.name !== undefined;
    if (aligned && (run.length === 0 || run[run.length - 1] === line - 1)) {
      run.push(line);
    } else {
      flush();
      if (aligned) run.push(line);
    }
  }
  flush();
  return widths;
}
