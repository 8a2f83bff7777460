// The diagram panel's "Export pcapng" (src/interop/traceCapture.ts exportCapture): the trace the panel
// holds, as the host's TraceStore keeps it, becomes the same capture `trace --pcap` writes of the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { TraceStore } from '../../src/diagram/traceStore';
import { writePcapng } from '../../src/interop/pcapng';
import { readCapture } from '../../src/interop/pcapRead';
import { exportCapture } from '../../src/interop/traceCapture';
import { ROOT, runFile } from './helpers';

test("the panel's trace exports as the capture of the run, and the run so far as the capture so far", () => {
  const { program, trace } = runFile(join(ROOT, 'examples', '03-time-wait-lost-ack.tcpscenario'));
  const store = new TraceStore();
  store.apply({ from: 0, events: trace.events, current: trace.events.length - 1, endpoints: trace.endpoints, scenario: trace.scenario, profile: trace.profile });
  const bytes = exportCapture(store, program, 'test');
  const writtenBytes = writePcapng(trace, program, { application: 'test' });
  assert.ok(Buffer.from(bytes).equals(Buffer.from(writtenBytes)), 'the same bytes as trace --pcap');
  const exported = readCapture(bytes);
  const written = readCapture(writtenBytes);
  assert.deepEqual(
    exported.packets.map((p) => [p.interface, p.timeNs, p.flags, p.seq, p.ack, p.payloadLength, p.comments]),
    written.packets.map((p) => [p.interface, p.timeNs, p.flags, p.seq, p.ack, p.payloadLength, p.comments]),
  );
  // Stopped half-way (the debugger's store holds the events up to the stop): what has happened so far.
  const half = Math.floor(trace.events.length / 2);
  const partial = new TraceStore();
  partial.apply({ from: 0, events: trace.events.slice(0, half), current: half - 1, endpoints: trace.endpoints, scenario: trace.scenario, profile: trace.profile });
  const sofar = readCapture(exportCapture(partial, program, 'test'));
  const upTo = trace.events.slice(0, half);
  const sofarWritten = readCapture(writePcapng({ ...trace, events: upTo }, program, { application: 'test' }));
  assert.ok(sofar.packets.length > 0 && sofar.packets.length < exported.packets.length);
  assert.deepEqual(
    sofar.packets.map((p) => [p.interface, p.timeNs, p.flags, p.seq, p.ack, p.payloadLength]),
    sofarWritten.packets.map((p) => [p.interface, p.timeNs, p.flags, p.seq, p.ack, p.payloadLength]),
  );
  // Every packet is one the full capture holds too (the run so far is a prefix of the run).
  assert.deepEqual(
    sofar.packets.map((p) => [p.interface, p.timeNs, p.seq, p.ack]),
    exported.packets.slice(0, sofar.packets.length).map((p) => [p.interface, p.timeNs, p.seq, p.ack]),
  );
});
