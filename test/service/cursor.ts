// Test helper: a text with one `|` marking the cursor -> the text and the 1-based position.
export function atCursor(marked: string): { text: string; position: { line: number; column: number } } {
  const offset = marked.indexOf('|');
  if (offset < 0) throw new Error('no | in the text');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const before = marked.slice(0, offset).split('\n');
  return { text, position: { line: before.length, column: before[before.length - 1].length + 1 } };
}

export const DECLARATIONS = [
  'scenario "Lost final ACK"',
  'endpoint client 10.0.0.1:49152 isn=100',
  'endpoint server 10.0.0.2:80 isn=300',
  'link client <-> server delay=10ms',
  '',
].join('\n');

/** The DESIGN.md example. */
export { DESIGN_EXAMPLE } from '../fixtures/designExample';
