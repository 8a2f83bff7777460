// What names mean in debugger expressions: `client.SND.NXT`, `server.state`, `server.client.RCV.WND`
// (one connection of a host with several), `event.kind`, `now`. Built over one WorldView.

import type { EndpointView, TcbView, WorldView } from '../engine/api';
import type { TraceEvent } from '../engine/trace';
import { EXPRESSION_MESSAGES as M, ExpressionError, type NameResolver, type Value } from './expression';

/** TCB fields a name may end in, as the Variables view shows them. */
export const TCB_FIELDS = [
  'state',
  'ISS',
  'IRS',
  'SND.UNA',
  'SND.NXT',
  'SND.WND',
  'SND.WL1',
  'SND.WL2',
  'RCV.NXT',
  'RCV.WND',
  'sendQueue',
  'unacked',
  'receiveQueue',
  'outOfOrder',
  'cwnd',
  'ssthresh',
  'flightSize',
  'recovery',
  'srtt',
  'rttvar',
  'rto',
  'local',
  'remote',
] as const;

const ENDPOINT_FIELDS = ['address', 'port', 'listening', 'crashed', 'received', 'connections'] as const;

export class WorldNames implements NameResolver {
  constructor(
    private readonly world: WorldView,
    private readonly event?: TraceEvent,
  ) {}

  resolve(path: readonly string[]): Value {
    const [head, ...rest] = path;
    if (rest.length === 0 && (head === 'now' || head === 'time')) return this.world.now;
    if (head === 'event') return this.eventField(rest);
    const endpoint = this.world.endpoints.find((e) => e.name === head);
    if (!endpoint) {
      const names = this.world.endpoints.map((e) => e.name).join(', ');
      throw new ExpressionError(M.unknownName, [path.join('.'), names]);
    }
    if (rest.length === 0) return endpoint.state;
    return endpointField(endpoint, rest);
  }

  private eventField(rest: readonly string[]): Value {
    if (!this.event) throw new ExpressionError(M.noCurrentEvent);
    const field = rest.join('.');
    const value = (this.event as unknown as Record<string, unknown>)[field];
    if (Array.isArray(value)) return value.join(',');
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
    const fields = Object.keys(this.event).join(', ');
    throw new ExpressionError(M.noEventField, [this.event.kind, field, fields]);
  }
}

function endpointField(endpoint: EndpointView, rest: readonly string[]): Value {
  const first = rest.join('.');
  if ((ENDPOINT_FIELDS as readonly string[]).includes(first)) {
    if (first === 'connections') return endpoint.connections.length;
    return endpoint[first as Exclude<(typeof ENDPOINT_FIELDS)[number], 'connections'>];
  }
  if (first === 'state') return endpoint.state;
  // `server.client.SND.NXT`: a named connection of a host with several.
  const conn = endpoint.connections.find((c) => c.conn !== undefined && c.conn === rest[0]);
  if (conn && rest.length > 1) return tcbField(endpoint, conn, rest.slice(1).join('.'));
  return tcbField(endpoint, newestConnection(endpoint), first);
}

/** The connection `client.X` refers to: the newest one, as `expect NAME is STATE` does. */
export function newestConnection(endpoint: EndpointView): TcbView | undefined {
  return endpoint.connections[endpoint.connections.length - 1];
}

function tcbField(endpoint: EndpointView, tcb: TcbView | undefined, field: string): Value {
  const known = (TCB_FIELDS as readonly string[]).includes(field);
  if (!known) {
    const suggestion = suggest(field, [...TCB_FIELDS, ...ENDPOINT_FIELDS]);
    if (suggestion) throw new ExpressionError(M.noFieldSuggest, [endpoint.name, field, `${endpoint.name}.${suggestion}`]);
    throw new ExpressionError(M.noField, [endpoint.name, field]);
  }
  if (!tcb) {
    throw new ExpressionError(M.noConnection, [endpoint.name, endpoint.state, field]);
  }
  const value = tcb[field as keyof TcbView];
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  throw new ExpressionError(M.noValueNow, [`${endpoint.name}.${field}`]);
}

function suggest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase().replace(/_/g, '.');
  const exact = candidates.find((c) => c.toLowerCase() === lower);
  if (exact) return exact;
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}
