// Editor services on a generated scenario: what one keystroke costs (diagnostics, outline,
// inlay hints) and what completion, hover and formatting cost. Figures only, no assertions.
import { compile } from '../src/language';
import { absoluteTimeHints, complete, documentSymbols, formatText, hover } from '../src/language/service';
import { generateScenario } from './parse';

function measure(name: string, action: () => unknown): void {
  action();
  const runs: number[] = [];
  for (let i = 0; i < 10; i++) {
    const start = performance.now();
    action();
    runs.push(performance.now() - start);
  }
  runs.sort((a, b) => a - b);
  console.log(`${name.padEnd(28)} median ${runs[5].toFixed(1).padStart(7)} ms   min ${runs[0].toFixed(1).padStart(7)} ms`);
}

export function main(): void {
  for (const size of [1_000, 10_000]) {
    const text = generateScenario(size);
    const lines = text.split('\n');
    console.log(`${lines.length} lines, ${(text.length / 1024).toFixed(0)} KiB`);
    measure('diagnostics (compile)', () => compile(text));
    measure('document symbols', () => documentSymbols(text));
    measure('inlay hints', () => absoluteTimeHints(text));
    measure('completion at the end', () => complete(text, { line: lines.length, column: lines[lines.length - 1].length + 1 }));
    measure('hover on an endpoint', () => hover(text, { line: 4, column: 11 }));
    measure('format document', () => formatText(text));
  }
}
