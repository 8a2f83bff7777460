// A synthetic long trace (a bulk transfer with periodic loss and retransmission) for the
// virtualization test and bench/diagram.ts. Shaped like the engine's traces; not a TCP run.
import type { TraceDocument, TraceEvent } from '../../src/engine/trace';

export function syntheticTrace(segments: number, options: { lossEvery?: number; delay?: number } = {}): TraceDocument {
  const lossEvery = options.lossEvery ?? 97;
  const delay = options.delay ?? 10;
  const events: TraceEvent[] = [];
  let id = 0;
  const nextId = () => `s${++id}`;
  const C = 'client';
  const S = 'server';
  const iss = 1000;
  const irs = 5000;
  events.push({ t: 0, kind: 'app', endpoint: S, call: 'listen', line: 5 });
  events.push({ t: 0, kind: 'transition', endpoint: S, from: 'CLOSED', to: 'LISTEN', cause: 'listen', line: 5 });
  events.push({ t: 0, kind: 'app', endpoint: C, call: 'connect', line: 6 });
  events.push({ t: 0, kind: 'transition', endpoint: C, from: 'CLOSED', to: 'SYN-SENT', cause: 'connect', line: 6 });
  const syn = nextId();
  events.push({ t: 0, kind: 'send', id: syn, from: C, to: S, flags: ['SYN'], seq: iss, ack: 0, len: 0, wnd: 65535, retransmission: false, line: 6 });
  events.push({ t: delay, kind: 'deliver', id: syn, to: S, line: 6 });
  events.push({ t: delay, kind: 'transition', endpoint: S, from: 'LISTEN', to: 'SYN-RECEIVED', cause: syn, line: 6 });
  const synAck = nextId();
  events.push({ t: delay, kind: 'send', id: synAck, from: S, to: C, flags: ['SYN', 'ACK'], seq: irs, ack: iss + 1, len: 0, wnd: 65535, retransmission: false, line: 6 });
  events.push({ t: 2 * delay, kind: 'deliver', id: synAck, to: C, line: 6 });
  events.push({ t: 2 * delay, kind: 'transition', endpoint: C, from: 'SYN-SENT', to: 'ESTABLISHED', cause: synAck, line: 6 });
  const later: TraceEvent[] = [];
  let t = 2 * delay;
  let seq = iss + 1;
  let count = 2;
  let i = 0;
  while (count < segments) {
    t += 1;
    const data = nextId();
    const line = 7 + (i % 50);
    events.push({ t, kind: 'send', id: data, from: C, to: S, flags: ['ACK', 'PSH'], seq, ack: irs + 1, len: 1000, wnd: 65535, retransmission: false, line });
    count++;
    if (i % lossEvery === lossEvery - 1) {
      events.push({ t, kind: 'drop', id: data, reason: 'loss', line });
      const again = nextId();
      later.push({ t: t + 200, kind: 'send', id: again, from: C, to: S, flags: ['ACK', 'PSH'], seq, ack: irs + 1, len: 1000, wnd: 65535, retransmission: true, line });
      later.push({ t: t + 200 + delay, kind: 'deliver', id: again, to: S, line });
      count++;
    } else {
      later.push({ t: t + delay, kind: 'deliver', id: data, to: S, line });
      const ack = nextId();
      later.push({ t: t + delay, kind: 'send', id: ack, from: S, to: C, flags: ['ACK'], seq: irs + 1, ack: seq + 1000, len: 0, wnd: 65535, retransmission: false, line });
      later.push({ t: t + 2 * delay, kind: 'deliver', id: ack, to: C, line });
      count++;
    }
    seq += 1000;
    i++;
  }
  const all = [...events, ...later].map((e, order) => ({ e, order }));
  all.sort((a, b) => a.e.t - b.e.t || a.order - b.order);
  return {
    version: 1,
    scenario: `Synthetic bulk transfer, ${segments} segments`,
    profile: 'rfc',
    endpoints: [
      { name: C, address: '10.0.0.1', port: 49152, isn: iss },
      { name: S, address: '10.0.0.2', port: 80, isn: irs },
    ],
    events: all.map(({ e }) => e),
  };
}
