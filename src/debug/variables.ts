// The Variables view: Scopes and Variables of a stop (every endpoint's TCBs, its timers and calls,
// the segments in flight, the current event and why it happened), and the names a data breakpoint
// or the Debug Console reaches them by. Each node that opens is a handle, valid until the next stop.

import { Handles, Scope } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { EndpointView, InFlightView, TcbView, WorldView } from '../engine/api';
import type { TraceEvent } from '../engine/trace';
import { explain } from '../text/explain';
import { flagsText, formatTime, labelOf, optionsText, seqWithAbsolute, SequenceBases, type Numbering } from '../text/format';
import type { Translator } from '../text/translate';
import type { Voice } from './describe';
import { evaluateText } from './expression';
import { DEBUG_MESSAGES as M } from './messages';
import { TCB_FIELDS, newestConnection } from './names';
import type { ScenarioRuntime } from './runtime';

export type Container =
  | { kind: 'endpoint'; endpoint: string }
  | { kind: 'tcb'; endpoint: string; conn: number }
  | { kind: 'timers'; endpoint: string; conn: number }
  | { kind: 'calls'; endpoint: string }
  | { kind: 'network' }
  | { kind: 'segment'; id: string }
  | { kind: 'event' }
  | { kind: 'why' };

/** Labels of TCB fields in Variables (l10n templates); the others show their RFC name. */
const FIELD_LABELS: Partial<Record<(typeof TCB_FIELDS)[number], string>> = {
  sendQueue: M.varSendQueue,
  unacked: M.varUnacked,
  receiveQueue: M.varReceiveQueue,
  outOfOrder: M.varOutOfOrder,
  cwnd: M.varCwnd,
  ssthresh: M.varSsthresh,
  flightSize: M.varFlightSize,
  srtt: M.varSrtt,
  rttvar: M.varRttvar,
  rto: M.varRto,
};

/** A connection's agreed options: `sackOK, TS, wscale snd 7 rcv 10, peer mss 1460`, or `-` when none was agreed. */
function connectionOptionsText(o: NonNullable<TcbView['options']>): string {
  const parts: string[] = [];
  if (o.sack) parts.push('sackOK');
  if (o.timestamps) parts.push('TS');
  if (o.wscale !== undefined) parts.push(`wscale snd ${o.wscale.send} rcv ${o.wscale.receive}`);
  if (o.peerMss !== undefined) parts.push(`peer mss ${o.peerMss}`);
  return parts.length > 0 ? parts.join(', ') : '-';
}

/** What the views read from the session, at the time they read it. */
export interface Inspected {
  runtime(): ScenarioRuntime | undefined;
  voice(): Voice;
  /** The scenario's text on `line`, trimmed. */
  statementText(line: number): string;
}

export class VariablesView {
  private readonly handles = new Handles<Container>();

  constructor(private readonly session: Inspected) {}

  private get runtime(): ScenarioRuntime | undefined {
    return this.session.runtime();
  }

  private get tr(): Translator {
    return this.session.voice().tr;
  }

  private get numbering(): Numbering {
    return this.session.voice().numbering;
  }

  private statementText(line: number): string {
    return this.session.statementText(line);
  }

  /** At every stop (and a change of numbering): the handles given out so far are void. */
  reset(): void {
    this.handles.reset();
  }

  /** The node a reference names; undefined when it is not one of this stop's. */
  container(reference: number): Container | undefined {
    return this.handles.get(reference);
  }

  /** A reference to an endpoint's node (Evaluate and hover open it). */
  endpointReference(endpoint: string): number {
    return this.handles.create({ kind: 'endpoint', endpoint });
  }

  /** The Variables view's scopes: each endpoint, the network, the current event. */
  scopes(): DebugProtocol.Scope[] {
    const runtime = this.runtime;
    const scopes: DebugProtocol.Scope[] = [];
    if (runtime) {
      const view = runtime.view();
      for (const endpoint of view.endpoints) {
        scopes.push(new Scope(`${endpoint.name} (${endpoint.state})`, this.handles.create({ kind: 'endpoint', endpoint: endpoint.name }), false));
      }
      scopes.push(new Scope(this.tr.t(M.scopeNetwork, view.inFlight.length), this.handles.create({ kind: 'network' }), false));
      if (runtime.currentEvent) {
        const scope: DebugProtocol.Scope = new Scope(this.tr.t(M.scopeEvent, runtime.position, runtime.currentEvent.kind), this.handles.create({ kind: 'event' }), false);
        scope.presentationHint = 'locals';
        scopes.push(scope);
      }
    }
    return scopes;
  }

  /** A segment's label as this session numbers it (the ISNs learnt from the trace so far). */
  segmentText(segment: Parameters<typeof labelOf>[0]): string {
    const runtime = this.runtime;
    if (this.numbering === 'absolute' || !runtime) return labelOf(segment);
    return labelOf(segment, 'relative', runtime.basesAt(runtime.position));
  }

  variables(container: Container, view: WorldView): DebugProtocol.Variable[] {
    const tr = this.tr;
    switch (container.kind) {
      case 'endpoint': {
        const endpoint = view.endpoints.find((e) => e.name === container.endpoint);
        return endpoint ? this.endpointVariables(endpoint) : [];
      }
      case 'tcb': {
        const endpoint = view.endpoints.find((e) => e.name === container.endpoint);
        const tcb = endpoint?.connections[container.conn];
        return endpoint && tcb ? this.tcbVariables(endpoint, tcb, container.conn) : [];
      }
      case 'timers': {
        const tcb = view.endpoints.find((e) => e.name === container.endpoint)?.connections[container.conn];
        return (tcb?.timers ?? []).map((timer) => variable(timer.name, tr.t(M.timerExpires, formatTime(timer.expires), formatTime(timer.expires - view.now))));
      }
      case 'calls': {
        // What `expect NAME CALL ok|failed` reads: each call's latest result.
        const calls = view.endpoints.find((e) => e.name === container.endpoint)?.calls ?? [];
        return calls.map((c) => {
          const at = formatTime(c.t);
          if (c.ok) return variable(c.call, tr.t(M.callOkAt, at));
          return variable(c.call, tr.t(M.callFailedAt, c.errno ? `${c.error} (${c.errno})` : (c.error ?? ''), at));
        });
      }
      case 'network':
        return view.inFlight.map((segment) => {
          const label = this.segmentText(segment);
          const at = formatTime(segment.arrivesAt);
          const value =
            segment.drop !== undefined
              ? tr.t(segment.corrupt ? M.inFlightLostCorrupt : M.inFlightLost, label, segment.drop, at)
              : tr.t(segment.corrupt ? M.inFlightArrivesCorrupt : M.inFlightArrives, label, at);
          return { name: `${segment.id} ${segment.from} -> ${segment.to}`, value, variablesReference: this.handles.create({ kind: 'segment', id: segment.id }) };
        });
      case 'segment': {
        const segment = view.inFlight.find((s) => s.id === container.id);
        return segment ? this.segmentVariables(segment) : [];
      }
      case 'event': {
        const runtime = this.runtime;
        const event = runtime?.currentEvent;
        if (!runtime || !event) return [];
        return [
          this.whyVariable(event),
          variable(tr.t(M.varDescription), runtime.describe()),
          ...Object.entries(event).map(([key, value]) => ({ ...variable(key, Array.isArray(value) ? value.join(',') : String(value)), evaluateName: `event.${key}` })),
        ];
      }
      case 'why': {
        const event = this.runtime?.currentEvent;
        const why = event ? explain(event) : undefined;
        if (why?.kind === 'rule') {
          return [
            variable(tr.t(M.varSummary), tr.t(why.rule.summary)),
            variable(tr.t(M.varSource), why.rule.source),
            variable(tr.t(M.varLink), why.rule.url),
            variable(tr.t(M.varRule), why.id),
          ];
        }
        if (why?.kind === 'line') return [variable(tr.t(M.varLine), String(why.line)), variable(tr.t(M.varStatement), this.statementText(why.line))];
        return [];
      }
    }
  }

  /**
   * The "why" node of the current event: the rule the engine applied (where it is written, what it
   * says, a link), or the scenario line that caused it.
   */
  private whyVariable(event: TraceEvent): DebugProtocol.Variable {
    const tr = this.tr;
    const why = explain(event);
    if (!why) return variable(tr.t(M.varWhy), tr.t(M.whyNone));
    const value = why.kind === 'rule' ? tr.t(M.becauseRule, why.rule.source, tr.t(why.rule.summary)) : tr.t(M.whyLine, why.line, this.statementText(why.line));
    return { name: tr.t(M.varWhy), value, variablesReference: this.handles.create({ kind: 'why' }), presentationHint: { kind: 'virtual' } };
  }

  private endpointVariables(endpoint: EndpointView): DebugProtocol.Variable[] {
    const tr = this.tr;
    const name = endpoint.name;
    const vars: DebugProtocol.Variable[] = [
      { ...variable('state', endpoint.state), evaluateName: `${name}.state` },
      { ...variable(tr.t(M.varAddress), `${endpoint.address}:${endpoint.port}`) },
      { ...variable(tr.t(M.varListening), String(endpoint.listening)), evaluateName: `${name}.listening` },
      { ...variable(tr.t(M.varReceived), String(endpoint.received)), evaluateName: `${name}.received` },
    ];
    if (endpoint.crashed) vars.push(variable(tr.t(M.varCrashed), 'true'));
    if (endpoint.raw) vars.push(variable(tr.t(M.varRaw), tr.t(M.rawValue)));
    const calls = endpoint.calls ?? [];
    if (calls.length > 0) {
      const failed = calls.filter((c) => !c.ok).map((c) => `${c.call} ${c.errno ?? tr.t(M.callFailed)}`);
      const value = failed.length > 0 ? failed.join(tr.t(M.listSeparator)) : tr.t(M.callsAllOk);
      vars.push({ name: tr.t(M.varCalls), value, variablesReference: this.handles.create({ kind: 'calls', endpoint: name }) });
    }
    if (endpoint.connections.length === 1) return [...vars.slice(0, 1), ...this.tcbVariables(endpoint, endpoint.connections[0], 0).slice(1), ...vars.slice(1)];
    endpoint.connections.forEach((tcb, conn) => {
      vars.push({
        name: tr.t(M.varConnection, tcb.conn ?? conn + 1),
        value: `${tcb.state} ${tcb.local} <-> ${tcb.remote ?? '?'}`,
        variablesReference: this.handles.create({ kind: 'tcb', endpoint: name, conn }),
      });
    });
    return vars;
  }

  private tcbVariables(endpoint: EndpointView, tcb: TcbView, conn: number): DebugProtocol.Variable[] {
    const prefix = endpoint.connections.length > 1 && tcb.conn ? `${endpoint.name}.${tcb.conn}` : endpoint.name;
    const tr = this.tr;
    const vars: DebugProtocol.Variable[] = [];
    // Names are RFC field names (left as they are) or l10n templates (FIELD_LABELS).
    const add = (name: string, value: string, field: string) => vars.push({ ...variable(tr.t(name), value), evaluateName: `${prefix}.${field}` });
    const seq = (value: number, base: number) => seqWithAbsolute(value, base, this.numbering, tr.t(M.absolute));
    add('state', tcb.state, 'state');
    vars.push(variable(tr.t(M.varLocal), tcb.local));
    if (tcb.remote !== undefined) vars.push(variable(tr.t(M.varRemote), tcb.remote));
    add('ISS', String(tcb.ISS), 'ISS');
    add('IRS', String(tcb.IRS), 'IRS');
    add('SND.UNA', seq(tcb['SND.UNA'], tcb.ISS), 'SND.UNA');
    add('SND.NXT', seq(tcb['SND.NXT'], tcb.ISS), 'SND.NXT');
    add('SND.WND', String(tcb['SND.WND']), 'SND.WND');
    add('SND.WL1', seq(tcb['SND.WL1'], tcb.IRS), 'SND.WL1');
    add('SND.WL2', seq(tcb['SND.WL2'], tcb.ISS), 'SND.WL2');
    add('RCV.NXT', seq(tcb['RCV.NXT'], tcb.IRS), 'RCV.NXT');
    add('RCV.WND', String(tcb['RCV.WND']), 'RCV.WND');
    add(FIELD_LABELS.sendQueue!, String(tcb.sendQueue), 'sendQueue');
    add(FIELD_LABELS.unacked!, String(tcb.unacked), 'unacked');
    add(FIELD_LABELS.receiveQueue!, String(tcb.receiveQueue), 'receiveQueue');
    add(FIELD_LABELS.outOfOrder!, String(tcb.outOfOrder), 'outOfOrder');
    add(FIELD_LABELS.cwnd!, String(tcb.cwnd), 'cwnd');
    add(FIELD_LABELS.ssthresh!, String(tcb.ssthresh), 'ssthresh');
    add(FIELD_LABELS.flightSize!, String(tcb.flightSize), 'flightSize');
    add('recovery', tcb.recovery, 'recovery');
    if (tcb.srtt !== undefined) add(FIELD_LABELS.srtt!, String(tcb.srtt), 'srtt');
    if (tcb.rttvar !== undefined) add(FIELD_LABELS.rttvar!, String(tcb.rttvar), 'rttvar');
    add(FIELD_LABELS.rto!, String(tcb.rto), 'rto');
    // What both SYNs agreed on (tcp/options.ts): protocol names, the same in every language.
    if (tcb.mss !== undefined) vars.push(variable('MSS', String(tcb.mss)));
    if (tcb.options !== undefined) vars.push(variable('options', connectionOptionsText(tcb.options)));
    vars.push({
      name: tr.t(M.varTimers),
      value: tcb.timers.length === 0 ? tr.t(M.none) : tcb.timers.map((t) => tr.t(M.timerAt, t.name, formatTime(t.expires))).join(', '),
      variablesReference: tcb.timers.length === 0 ? 0 : this.handles.create({ kind: 'timers', endpoint: endpoint.name, conn }),
    });
    return vars;
  }

  private segmentVariables(segment: InFlightView): DebugProtocol.Variable[] {
    const tr = this.tr;
    const runtime = this.runtime;
    const bases = this.numbering === 'relative' && runtime ? runtime.basesAt(runtime.position) : new SequenceBases();
    const seqBase = bases.base(segment.from, segment.to);
    const ackBase = bases.base(segment.to, segment.from);
    const number = (value: number, base: number | undefined) => (base === undefined ? String(value) : seqWithAbsolute(value, base, this.numbering, tr.t(M.absolute)));
    return [
      variable('id', segment.id),
      variable('from', segment.from),
      variable('to', segment.to),
      variable('flags', flagsText(segment.flags)),
      variable('seq', number(segment.seq, seqBase)),
      variable('ack', segment.flags.includes('ACK') ? number(segment.ack, ackBase) : String(segment.ack)),
      variable('len', String(segment.len)),
      variable('wnd', String(segment.wnd)),
      variable(tr.t(M.segSentAt), formatTime(segment.sentAt)),
      variable(tr.t(M.segArrivesAt), formatTime(segment.arrivesAt)),
      variable('corrupt', String(segment.corrupt)),
      // SACK blocks count in the ack's numbers, relative to the same ISN when the ack is.
      ...(segment.options !== undefined ? [variable('options', optionsText(segment.options, ackBase))] : []),
      ...(segment.drop !== undefined ? [variable(tr.t(M.segWillBeLost), segment.drop)] : []),
    ];
  }

  endpointSummary(endpoint: EndpointView): string {
    const tcb = newestConnection(endpoint);
    if (!tcb) return endpoint.listening ? this.tr.t(M.listening, endpoint.state) : endpoint.state;
    const rel = (value: number, base: number) => (this.numbering === 'relative' ? seqWithAbsolute(value, base, 'relative', this.tr.t(M.absolute)) : String(value));
    return `${tcb.state} SND.UNA=${rel(tcb['SND.UNA'], tcb.ISS)} SND.NXT=${rel(tcb['SND.NXT'], tcb.ISS)} RCV.NXT=${rel(tcb['RCV.NXT'], tcb.IRS)} RCV.WND=${tcb['RCV.WND']}`;
  }

  /** What a data breakpoint on a variable (or a name typed or watched) watches: an expression; undefined when none. */
  dataExpression(args: DebugProtocol.DataBreakpointInfoArguments): string | undefined {
    if (args.variablesReference !== undefined && args.variablesReference > 0) {
      const container = this.handles.get(args.variablesReference);
      const view = this.runtime?.view();
      if (!container || !view) return undefined;
      if (container.kind !== 'endpoint' && container.kind !== 'tcb') return undefined;
      const label = (f: (typeof TCB_FIELDS)[number]) => (FIELD_LABELS[f] !== undefined ? this.tr.t(FIELD_LABELS[f]) : undefined);
      const field = TCB_FIELDS.find((f) => f === args.name || FIELD_LABELS[f] === args.name || label(f) === args.name);
      if (!field) return undefined;
      if (container.kind === 'tcb') {
        const endpoint = view.endpoints.find((e) => e.name === container.endpoint);
        const conn = endpoint?.connections[container.conn]?.conn;
        return conn ? `${container.endpoint}.${conn}.${field}` : `${container.endpoint}.${field}`;
      }
      return `${container.endpoint}.${field}`;
    }
    // A name typed or watched: accept any expression that evaluates now.
    try {
      if (!this.runtime) return undefined;
      evaluateText(args.name, this.runtime.names());
      return args.name;
    } catch {
      return undefined;
    }
  }
}

function variable(name: string, value: string): DebugProtocol.Variable {
  return { name, value, variablesReference: 0 };
}
