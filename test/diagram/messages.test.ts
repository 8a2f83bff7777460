import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceDocument } from '../../src/engine/trace';
import { compactTraceMessage, EVENTS_AS_JSON_FROM, isHostMessage, isTraceBody, isTraceEvent, isWebviewMessage, pngBytes, traceMessageEvents, type ExportMessage, type TraceMessage } from '../../src/diagram/messages';
import { buildHtml, contentSecurityPolicy, isPanelState, makeNonce, TraceStore } from '../../src/diagram/host';
import { syntheticTrace } from './synthetic';

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'traces', `${name}.json`), 'utf8')) as TraceDocument;

describe('webview -> host messages are validated', () => {
  const valid: unknown[] = [
    { type: 'ready' },
    { type: 'reveal', line: 12 },
    { type: 'reveal', line: 1, index: 0 },
    { type: 'export', format: 'svg', data: '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>' },
    { type: 'export', format: 'png', data: 'data:image/png;base64,iVBORw0KGgo=' },
    { type: 'copy', text: 'sequenceDiagram' },
    { type: 'state', relative: true, zoom: 1.5 },
  ];
  const invalid: unknown[] = [
    null,
    'ready',
    [],
    {},
    { type: 'eval', code: '1' },
    { type: 'reveal' },
    { type: 'reveal', line: 0 },
    { type: 'reveal', line: 1.5 },
    { type: 'reveal', line: '3' },
    { type: 'reveal', line: 3, index: -1 },
    { type: 'export', format: 'svg', data: '<svg><script>alert(1)</script></svg>' },
    { type: 'export', format: 'svg', data: '<html></html>' },
    { type: 'export', format: 'png', data: 'data:text/html;base64,PGI+' },
    { type: 'export', format: 'png', data: 'data:image/png;base64,<script>' },
    { type: 'export', format: 'pdf', data: '%PDF' },
    { type: 'copy', text: 42 },
    { type: 'state', relative: 'yes', zoom: 1 },
    { type: 'state', relative: true, zoom: Number.NaN },
    { type: 'state', relative: true, zoom: -1 },
  ];
  for (const message of valid) test(`accepts ${JSON.stringify(message).slice(0, 60)}`, () => assert.equal(isWebviewMessage(message), true));
  for (const message of invalid) test(`rejects ${JSON.stringify(message)?.slice(0, 60)}`, () => assert.equal(isWebviewMessage(message), false));

  test('png bytes decode from the data URL', () => {
    const message: ExportMessage = { type: 'export', format: 'png', data: `data:image/png;base64,${Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString('base64')}` };
    assert.deepEqual([...pngBytes(message)], [0x89, 0x50, 0x4e, 0x47]);
  });
});

describe('host -> webview messages', () => {
  test('every fixture event passes isTraceEvent; a tcpTrace body of it passes isTraceBody', () => {
    for (const name of ['lost-final-ack', 'simultaneous-open', 'hostile-names']) {
      const doc = fixture(name);
      for (const event of doc.events) assert.ok(isTraceEvent(event), JSON.stringify(event));
      const body = { from: 0, events: doc.events, current: -1, endpoints: doc.endpoints, scenario: doc.scenario, profile: doc.profile };
      assert.ok(isTraceBody(body));
      assert.ok(isHostMessage({ type: 'trace', ...body }));
    }
  });

  test('malformed events and bodies are refused', () => {
    const good = fixture('simultaneous-open').events[2];
    assert.ok(isTraceEvent(good));
    assert.equal(isTraceEvent({ ...good, seq: 'x' }), false);
    assert.equal(isTraceEvent({ ...good, t: Number.POSITIVE_INFINITY }), false);
    assert.equal(isTraceEvent({ t: 0, kind: 'transition', endpoint: 'a', from: 'CLOSED', to: 'TIME_WAITING', cause: 'x' }), false);
    assert.equal(isTraceEvent({ t: 0, kind: 'mystery' }), false);
    assert.equal(isTraceBody({ from: -1, events: [], current: -1, endpoints: [], profile: 'rfc' }), false);
    assert.equal(isTraceBody({ from: 0, events: [], current: -2, endpoints: [], profile: 'rfc' }), false);
    assert.equal(isHostMessage({ type: 'command', command: 'rm -rf' }), false);
    assert.ok(isHostMessage({ type: 'command', command: 'fit' }));
    assert.ok(isHostMessage({ type: 'options', relative: false }));
    assert.ok(isHostMessage({ type: 'current', current: -1 }));
  });
});

describe('host page and trace copy', () => {
  test('the page has a strict CSP; scripts only by nonce; no inline style; values escaped', () => {
    const nonce = makeNonce();
    const html = buildHtml({
      cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
      nonce,
      scriptUri: 'https://x/dist/webview.js?a=1&b="2"',
      styleUri: 'https://x/media/webview.css',
      title: '<b>Diagram</b>',
      strings: { empty: '</div><script>alert(1)</script>' },
    });
    const csp = contentSecurityPolicy('https://file+.vscode-resource.vscode-cdn.net', nonce);
    assert.ok(html.includes(`content="${csp.replace(/'/g, '&#39;')}"`));
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, new RegExp(`script-src 'nonce-${nonce}'$`));
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    for (const [, attrs, body] of scripts) {
      assert.ok(attrs.includes(`nonce="${nonce}"`));
      assert.equal(body, '', 'no inline script');
    }
    assert.doesNotMatch(html, /<style|style="/);
    assert.ok(html.includes('&lt;b&gt;Diagram&lt;/b&gt;'));
    assert.ok(html.includes('b=&quot;2&quot;'));
    assert.doesNotMatch(html, /<script>alert/);
  });

  test('nonces are long and differ', () => {
    const a = makeNonce();
    const b = makeNonce();
    assert.match(a, /^[A-Za-z0-9]{32}$/);
    assert.notEqual(a, b);
  });

  test('TraceStore follows tcpTrace: truncate to from, append, keep current', () => {
    const doc = fixture('lost-final-ack');
    const store = new TraceStore();
    const body = (from: number, to: number, current: number) => ({ from, events: doc.events.slice(from, to), current, endpoints: doc.endpoints, profile: doc.profile, scenario: doc.scenario });
    store.apply(body(0, 10, 9));
    store.apply(body(10, 20, 19));
    assert.deepEqual(store.all, doc.events.slice(0, 20));
    // Step back: truncated and re-sent from 15.
    store.apply(body(15, 18, 17));
    assert.deepEqual(store.all, doc.events.slice(0, 18));
    assert.equal(store.current, 17);
    // `from` beyond what the store holds appends at its end rather than leaving holes.
    store.apply({ ...body(18, 19, 18), from: 99 });
    assert.equal(store.length, 19);
    const full = store.full();
    assert.equal(full.from, 0);
    assert.deepEqual(full.events, doc.events.slice(0, 19));
    assert.ok(isTraceBody(full));
  });

  test('panel state check', () => {
    assert.ok(isPanelState({ relative: true, zoom: 2, documentUri: 'file:///a.tcpscenario' }));
    assert.equal(isPanelState({ relative: 'no' }), false);
    assert.equal(isPanelState(null), false);
  });
});

describe('long traces posted as JSON text', () => {
  const message = (events: TraceMessage['events']): TraceMessage => ({ type: 'trace', from: 0, events, current: -1, endpoints: [], profile: 'rfc' });

  test('a long trace goes as eventsJson and comes back as the same events; a short one as objects', () => {
    const doc = syntheticTrace(EVENTS_AS_JSON_FROM);
    const compact = compactTraceMessage(message(doc.events));
    assert.deepEqual(compact.events, []);
    assert.equal(typeof compact.eventsJson, 'string');
    assert.ok(isHostMessage(compact));
    assert.deepEqual(traceMessageEvents(compact), doc.events);
    const short = message(doc.events.slice(0, 10));
    assert.equal(compactTraceMessage(short), short);
    assert.deepEqual(traceMessageEvents(short), short.events);
  });

  test('eventsJson that is not JSON, not an array of trace events, or comes with events is refused', () => {
    const good = syntheticTrace(3).events;
    assert.equal(traceMessageEvents({ ...message([]), eventsJson: '[{"t":0,' }), undefined);
    assert.equal(traceMessageEvents({ ...message([]), eventsJson: '{"t":0}' }), undefined);
    assert.equal(traceMessageEvents({ ...message([]), eventsJson: JSON.stringify([...good, { t: 1, kind: 'mystery' }]) }), undefined);
    assert.equal(isHostMessage({ ...message(good), eventsJson: JSON.stringify(good) }), false);
    assert.equal(isHostMessage({ ...message([]), eventsJson: 42 }), false);
  });
});
