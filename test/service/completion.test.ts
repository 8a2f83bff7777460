import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compile } from '../../src/language';
import { complete, snippetEntries, snippetPreview } from '../../src/language/service';
import { SETTINGS, STATES } from '../../src/language/vocabulary';
import { atCursor, DECLARATIONS } from './cursor';

/** [text after the declarations with | at the cursor, labels that must be offered, labels that must not]. */
const CASES: [string, string[], string[]][] = [
  ['@0 client |', ['listen', 'connect', 'send', 'receive', 'close', 'shutdown', 'abort', 'crash'], ['client', 'ESTABLISHED']],
  ['@0 client cl|', ['close'], []],
  ['@0 client connect |', ['server'], ['client', 'listen']],
  ['@0 |', ['client', 'server', 'drop', 'expect', 'inject'], ['endpoint', 'scenario', 'listen']],
  ['|', ['client', 'endpoint', 'link', 'set', 'profile', 'expect', 'scenario'], ['listen']],
  ['expect |', ['client', 'server'], ['TIME-WAIT']],
  ['expect client |', ['is', 'received', 'cwnd', 'ssthresh', '->'], ['client']],
  ['expect client cwnd |', ['is'], ['client', 'ESTABLISHED']],
  ['expect client ssthresh is 7300 |', ['with'], ['client']],
  ['expect client cwnd is 4380 with |', ['server'], ['client']],
  ['set cc=|', ['newreno', 'cubic'], ['on']],
  ['set nodelay=|', ['on', 'off'], []],
  ['expect client is |', [...STATES], ['client', 'listen']],
  ['expect client is TIME-W|', ['TIME-WAIT'], []],
  ['expect client is not |', ['CLOSED'], []],
  ['expect client is ESTABLISHED |', ['with'], ['CLOSED']],
  ['expect client is ESTABLISHED with |', ['server'], ['client']],
  ['drop |', ['client', 'server'], ['SYN']],
  ['drop client |', ['->'], ['server']],
  ['drop client -> |', ['server'], ['client']],
  ['drop client -> server |', ['SYN', 'ACK', 'FIN', 'RST', 'data', 'seq', 'once', 'always', 'twice'], ['by', 'wnd']],
  ['drop client -> server FIN,|', ['ACK', 'SYN'], ['once', 'seq']],
  ['drop client -> server ACK 3 |', ['times'], ['once']],
  ['delay client -> server data |', ['by', 'once'], []],
  ['inject client -> server SYN |', ['seq', 'ack', 'len', 'wnd', 'RST'], ['once']],
  ['expect client -> server FIN |', ['seq', 'ack', 'ACK'], ['once']],
  ['profile |', ['rfc', 'linux'], ['client']],
  ['set |', SETTINGS.map((s) => s.key), ['isn', 'client']],
  ['set keepalive=|', ['on', 'off'], ['msl']],
  ['set delayed-ack=|', ['off'], []],
  ['endpoint other 10.0.0.3 |', ['isn', 'msl', 'rcvbuf'], ['client']],
  ['link |', ['client', 'server'], []],
  ['link client |', ['<->'], []],
  ['link client <-> |', ['server'], ['client']],
  ['link client <-> server |', ['delay', 'loss', 'dup', 'seed', 'jitter'], ['msl']],
  ['@0 client send "text |', [], ['client']],
  ['@0 client listen # a comment |', [], ['client', 'listen']],
  ['@|', [], ['client', 'drop']],
  ['+5|', [], ['client', 'drop']],
  ['endpoint c 10.0.0.3:|', [], ['isn']],
];

describe('completion', () => {
  for (const [marked, offered, absent] of CASES) {
    test(JSON.stringify(marked), () => {
      const { text, position } = atCursor(DECLARATIONS + marked);
      const labels = complete(text, position).items.map((item) => item.label);
      for (const label of offered) assert.ok(labels.includes(label), `${label} missing from ${labels.join(' ')}`);
      for (const label of absent) assert.ok(!labels.includes(label), `${label} offered in ${labels.join(' ')}`);
    });
  }

  test('a partial word is replaced from its first character', () => {
    const { text, position } = atCursor(DECLARATIONS + 'expect client is TIME-W|');
    const result = complete(text, position);
    assert.equal(result.replaceFrom, 'expect client is '.length + 1);
  });

  test('settings and options insert key= and ask for the value next', () => {
    const { text, position } = atCursor(DECLARATIONS + 'set |');
    const msl = complete(text, position).items.find((item) => item.label === 'msl');
    assert.equal(msl?.insertText, 'msl=');
    assert.equal(msl?.retrigger, true);
    assert.ok(msl?.documentation?.includes('TIME-WAIT'));
  });

  test('snippets are offered on an empty line, with a description and a snippet body', () => {
    const { text, position } = atCursor(DECLARATIONS + '|');
    const snippets = complete(text, position).items.filter((item) => item.kind === 'snippet');
    const labels = snippets.map((item) => item.label);
    for (const label of ['scenario', 'handshake', 'teardown', 'fault', 'link']) assert.ok(labels.includes(label), labels.join(' '));
    for (const snippet of snippets) {
      assert.ok(snippet.snippet && snippet.insertText && snippet.detail, snippet.label);
    }
  });

  test('endpoint names come from the declarations of the file being edited', () => {
    const { text, position } = atCursor('endpoint alice\nendpoint bob\n@0 |');
    const endpoints = complete(text, position).items.filter((item) => item.kind === 'endpoint').map((item) => item.label);
    assert.deepEqual(endpoints, ['alice', 'bob']);
  });
});

describe('snippets', () => {
  test('every snippet, inserted with its defaults, is a scenario without errors', () => {
    const header = 'endpoint client 10.0.0.1\nendpoint server 10.0.0.2\n';
    for (const entry of snippetEntries()) {
      const preview = entry.preview ?? '';
      assert.ok(!preview.includes('$'), `${entry.label}: ${preview}`);
      const text = entry.label === 'scenario' ? preview : header + preview;
      const errors = compile(text).diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(errors.map((d) => d.message), [], `${entry.label}:\n${text}`);
    }
  });

  test('a choice with an escaped comma keeps the comma', () => {
    assert.equal(snippetPreview('drop ${1|SYN\\,ACK,FIN|} ${2:once}$0'), 'drop SYN,ACK once');
  });
});
