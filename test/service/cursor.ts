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
export const DESIGN_EXAMPLE = `# comment to end of line
scenario "Lost final ACK: why TIME-WAIT lasts 2*MSL"
profile rfc                          # or linux; default rfc
set msl=30s                          # other knobs: rto, keepalive, delayed-ack ...

endpoint client 10.0.0.1:49152 isn=100
endpoint server 10.0.0.2:80    isn=300
link client <-> server delay=10ms   # optional: loss=5% dup=1% reorder=2% seed=7

@0      server listen
@0      client connect server
+50ms   client send 100             # 100 bytes; or: client send "GET / HTTP/1.1"
+50ms   client close                # orderly close: FIN after queued data
+5ms    drop client -> server ACK once
+0      server close
        expect client is TIME-WAIT
@2s     expect client is CLOSED
`;
