// Records test/fixtures/parser-golden/golden.json from the current parser. Run it only
// when the language's output is meant to change, and review the diff:
//   node --import tsx test/language/record-golden.ts
import { writeFileSync } from 'node:fs';
import { GOLDEN_PATH, goldenInputs, outputOf, type GoldenCase } from './golden';

const cases: GoldenCase[] = goldenInputs().map(({ name, text }) => ({ name, text, output: outputOf(text) }));
// One case per line: a changed case shows as one changed line in a diff.
writeFileSync(GOLDEN_PATH, `[\n${cases.map((c) => JSON.stringify(c)).join(',\n')}\n]\n`);
const lines = cases.reduce((sum, c) => sum + c.text.split('\n').length, 0);
console.log(`${cases.length} cases, ${lines} lines -> ${GOLDEN_PATH}`);
