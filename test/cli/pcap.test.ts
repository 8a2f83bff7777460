// `tcpscenario trace FILE --pcap OUT [--pcap-at NAME]`, run as a user runs it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCapture } from '../../src/interop/pcapRead';
import { cli, hasStackTrace, scratch } from './run-cli';
import { CAPTURE_FILE_MESSAGES as M } from '../../src/run/captureFile';
import { translatorFor } from '../../src/text/bundles';
import { ENGLISH, message } from '../../src/text/translate';
import { CAPTURE_WRITE_MESSAGES } from '../../src/interop/traceCapture';
import { ENCODE_MESSAGES } from '../../src/interop/messages';

const SCENARIO = `scenario "handshake and data"
endpoint client 10.0.0.1:49152 isn=100
endpoint server 10.0.0.2:80 isn=300
@0 server listen
@0 client connect server
@100ms client send "hello"
@1s client close
`;

describe('tcpscenario trace --pcap', () => {
  test('writes the capture beside the JSON trace on stdout', () => {
    const dir = scratch({ 'a.tcpscenario': SCENARIO });
    const out = join(dir, 'a.pcapng');
    const result = cli(['trace', join(dir, 'a.tcpscenario'), '--pcap', out]);
    assert.equal(result.code, 0, result.stderr);
    const doc = JSON.parse(result.stdout) as { events: { kind: string }[] };
    assert.ok(doc.events.length > 0);
    assert.match(result.stderr, /^wrote .*a\.pcapng \([\d,]+ bytes, pcapng; one interface per endpoint\)$/m);
    const read = readCapture(readFileSync(out));
    assert.deepEqual(read.interfaces.map((i) => i.name), ['client', 'server']);
    const sends = doc.events.filter((e) => e.kind === 'send').length;
    const delivers = doc.events.filter((e) => e.kind === 'deliver').length;
    assert.equal(read.packets.length, sends + delivers);
    assert.ok(read.packets.some((p) => new TextDecoder().decode(p.payload) === 'hello'));
    assert.match(read.comments[0], /"handshake and data"/);
  });

  test('--pcap-at NAME keeps one endpoint\'s view; --pcap=OUT and --pcap-at=NAME work too', () => {
    const dir = scratch({ 'a.tcpscenario': SCENARIO });
    const out = join(dir, 'server.pcapng');
    const result = cli(['trace', `--pcap=${out}`, '--pcap-at=server', join(dir, 'a.tcpscenario')]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /captured at server/);
    const read = readCapture(readFileSync(out));
    assert.deepEqual(read.interfaces.map((i) => i.name), ['server']);
  });

  test('replaces an earlier capture, and nothing else', () => {
    const dir = scratch({ 'a.tcpscenario': SCENARIO, 'notes.txt': 'my notes\n', 'old.pcapng': '' });
    mkdirSync(join(dir, 'folder'));
    const first = cli(['trace', join(dir, 'a.tcpscenario'), '--pcap', join(dir, 'old.pcapng')]);
    assert.equal(first.code, 0, first.stderr);
    const again = cli(['trace', join(dir, 'a.tcpscenario'), '--pcap', join(dir, 'old.pcapng')]);
    assert.equal(again.code, 0, 'an existing capture is replaced');

    const cases: [string, RegExp][] = [
      [join(dir, 'notes.txt'), /notes\.txt exists and is not a pcap or pcapng capture; not overwriting it/],
      [join(dir, 'a.tcpscenario'), /is the scenario itself; choose another name/],
      [join(dir, 'folder'), /folder is a directory; give a file name/],
      [join(dir, 'missing', 'x.pcapng'), /the folder .*missing does not exist/],
      ['-', /--pcap needs a file name; the capture is binary and stdout carries the JSON trace/],
    ];
    for (const [out, message] of cases) {
      const result = cli(['trace', join(dir, 'a.tcpscenario'), '--pcap', out]);
      assert.equal(result.code, 2, out);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '', 'nothing runs when the capture cannot be written');
      assert.ok(!hasStackTrace(result.stderr));
    }
    assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'my notes\n');
    assert.equal(readFileSync(join(dir, 'a.tcpscenario'), 'utf8'), SCENARIO);
  });

  test('a .pcap name gets a note: the file is pcapng whatever its extension', () => {
    const dir = scratch({ 'a.tcpscenario': SCENARIO });
    const result = cli(['trace', join(dir, 'a.tcpscenario'), '--pcap', join(dir, 'a.pcap')]);
    assert.equal(result.code, 0);
    assert.match(result.stderr, /note: .*a\.pcap is written in pcapng format/);
    assert.equal(readCapture(readFileSync(join(dir, 'a.pcap'))).format, 'pcapng');
  });

  test('command-line mistakes are usage errors', () => {
    const dir = scratch({ 'a.tcpscenario': SCENARIO });
    const file = join(dir, 'a.tcpscenario');
    const cases: [string[], RegExp][] = [
      [['trace', file, '--pcap'], /--pcap needs a value/],
      [['trace', file, '--pcap', '--pcap-at', 'server'], /--pcap needs a value/],
      [['run', file, '--pcap', join(dir, 'x.pcapng')], /--pcap goes with trace/],
      [['trace', file, '--pcap-at', 'server'], /--pcap-at goes with --pcap OUT/],
      [['trace', file, '--pcap', join(dir, 'x.pcapng'), '--pcap-at', 'router'], /no endpoint named 'router' to capture at; the endpoints are client, server/],
    ];
    for (const [args, message] of cases) {
      const result = cli(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, message);
      assert.ok(!hasStackTrace(result.stderr));
    }
    assert.ok(!existsSync(join(dir, 'x.pcapng')));
  });

  test('zh_CN: its refusals in the locale', () => {
    const dir = scratch({ 'a.tcpscenario': SCENARIO, 'notes.txt': 'keep me\n' });
    const file = join(dir, 'a.tcpscenario');
    const cn = translatorFor('zh-cn');
    const env = { LC_ALL: 'zh_CN.UTF-8', LANGUAGE: '' };
    const cases: [string[], string, string[]][] = [
      [['trace', file, '--pcap', join(dir, 'x.pcapng'), '--pcap-at', 'router'], CAPTURE_WRITE_MESSAGES.noEndpointAt, ['router', 'client, server']],
      [['trace', file, '--pcap', join(dir, 'notes.txt')], M.notCapture, [join(dir, 'notes.txt')]],
      [['trace', file, '--pcap', dir], M.isDirectory, [dir]],
      [['trace', file, '--pcap', file], M.isScenario, [file]],
      [['trace', file, '--pcap', '-'], M.needsName, []],
    ];
    for (const [args, template, values] of cases) {
      const result = cli(args, env);
      assert.equal(result.code, 2, args.join(' '));
      assert.ok(result.stderr.includes(`error: ${cn.t(template, ...values)}`), `${args.join(' ')}: ${result.stderr}`);
      assert.ok(!result.stderr.includes(ENGLISH.t(template, ...values)), `${args.join(' ')}: ${result.stderr}`);
      assert.equal(result.stdout, '', args.join(' '));
    }
    assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'keep me\n');
    assert.ok(!existsSync(join(dir, 'x.pcapng')));
  });

  test('zh_CN, zh_TW: the wrote line, the .pcap note and an encoder\'s refusal in the locale', () => {
    // Its first segment is 65,535 bytes of data: more than an IPv4 packet holds (RFC 791: 16-bit total length).
    const big = SCENARIO.replace('@0 server listen', '@0 server listen\n@0 inject client -> server ACK seq=101 ack=301 len=65535 wnd=1000');
    const dir = scratch({ 'a.tcpscenario': SCENARIO, 'big.tcpscenario': big });
    for (const locale of ['zh-cn', 'zh-tw'] as const) {
      const tr = translatorFor(locale);
      const env = { LC_ALL: locale === 'zh-cn' ? 'zh_CN.UTF-8' : 'zh_TW.UTF-8', LANGUAGE: '' };
      const out = join(dir, `${locale}.pcap`);
      const ok = cli(['trace', join(dir, 'a.tcpscenario'), '--pcap', out, '--pcap-at', 'server'], env);
      assert.equal(ok.code, 0, ok.stderr);
      const size = readFileSync(out).length.toLocaleString('en-US');
      assert.ok(ok.stderr.includes(`note: ${tr.t(M.pcapExtension, out)}`), ok.stderr);
      assert.ok(ok.stderr.split('\n').includes(tr.t(M.wroteAt, out, size, 'server')), ok.stderr);
      const both = cli(['trace', join(dir, 'a.tcpscenario'), '--pcap', join(dir, 'both.pcapng')], env);
      assert.ok(both.stderr.split('\n').includes(tr.t(M.wroteEveryEndpoint, join(dir, 'both.pcapng'), readFileSync(join(dir, 'both.pcapng')).length.toLocaleString('en-US'))), both.stderr);
      // The frame encoder's own template, inside the capture's `segment {0}: {1}`.
      const refused = cli(['trace', join(dir, 'big.tcpscenario'), '--pcap', join(dir, 'big.pcapng')], env);
      assert.equal(refused.code, 2, refused.stderr);
      const why = tr.t(CAPTURE_WRITE_MESSAGES.cannotEncode, 's1', message(ENCODE_MESSAGES.payloadTooLarge, '65535'));
      assert.ok(refused.stderr.includes(`big.tcpscenario: error: ${why}`), refused.stderr);
      assert.ok(!/[a-z]{4,} payload bytes|pcapng format|bytes, pcapng/.test(refused.stderr + ok.stderr + both.stderr), `English left: ${refused.stderr}${ok.stderr}`);
      assert.ok(!existsSync(join(dir, 'big.pcapng')));
    }
  });

  test('--help documents it', () => {
    assert.match(cli(['--help']).stdout, /--pcap OUT .*pcapng capture/);
  });
});

