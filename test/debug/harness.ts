// A DAP client around the built standalone adapter (`node dist/debugAdapter.js`), with event
// queues so no event is missed between two awaits, and a copy of the trace kept from `tcpTrace`.

import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { join } from 'node:path';
import type { TraceEvent } from '../../src/engine/trace';
import type { LaunchArguments, TcpTraceEventBody } from '../../src/debug/session';

export const ADAPTER = join(import.meta.dirname, '../../dist/debugAdapter.js');
export const FIXTURES = join(import.meta.dirname, '../fixtures/debug');

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

type EventName = 'stopped' | 'terminated' | 'exited' | 'output' | 'tcpTrace' | 'initialized';

export class Harness {
  readonly dc = new DebugClient('node', ADAPTER, 'tcpscenario');
  private readonly queues = new Map<EventName, DebugProtocol.Event[]>();
  private readonly waiters = new Map<EventName, ((event: DebugProtocol.Event) => void)[]>();
  /** The trace as the diagram would hold it, rebuilt from `tcpTrace` events: the events from `traceStart` on (a window of a long run). */
  trace: TraceEvent[] = [];
  traceStart = 0;
  current = -1;
  lastTrace?: TcpTraceEventBody;
  output = '';
  /** Extra `initialize` arguments (a client's `locale`, `supportsInvalidatedEvent`). */
  initialize: Partial<DebugProtocol.InitializeRequestArguments> = {};

  constructor() {
    for (const name of ['stopped', 'terminated', 'exited', 'output', 'tcpTrace', 'initialized'] as EventName[]) {
      this.dc.on(name, (event: DebugProtocol.Event) => this.push(name, event));
    }
  }

  private push(name: EventName, event: DebugProtocol.Event): void {
    if (name === 'tcpTrace') {
      const body = event.body as TcpTraceEventBody;
      // In place: the bench keeps a copy of 100,000 events here.
      if (body.start !== undefined) {
        this.traceStart = body.start;
        this.trace.length = 0;
      } else {
        this.trace.length = Math.max(0, Math.min(this.trace.length, body.from - this.traceStart));
      }
      for (const event of body.events) this.trace.push(event);
      this.current = body.current;
      this.lastTrace = body;
    }
    if (name === 'output') this.output += (event.body as DebugProtocol.OutputEvent['body']).output;
    const waiter = this.waiters.get(name)?.shift();
    if (waiter) waiter(event);
    else this.queues.set(name, [...(this.queues.get(name) ?? []), event]);
  }

  /** The next event of that kind (already received or still to come). */
  next(name: EventName, timeout = 15_000): Promise<DebugProtocol.Event> {
    return this.nextOf([name], timeout);
  }

  /** The next event of any of these kinds; one waiter, so no later event is taken by a stale one. */
  nextOf(names: EventName[], timeout = 15_000): Promise<DebugProtocol.Event> {
    for (const name of names) {
      const queued = this.queues.get(name)?.shift();
      if (queued) return Promise.resolve(queued);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        for (const name of names) this.waiters.set(name, (this.waiters.get(name) ?? []).filter((w) => w !== waiter));
        reject(new Error(`no '${names.join("' or '")}' event within ${timeout} ms`));
      }, timeout);
      const waiter = (event: DebugProtocol.Event) => {
        clearTimeout(timer);
        for (const name of names) this.waiters.set(name, (this.waiters.get(name) ?? []).filter((w) => w !== waiter));
        resolve(event);
      };
      for (const name of names) this.waiters.set(name, [...(this.waiters.get(name) ?? []), waiter]);
    });
  }

  async start(): Promise<void> {
    await this.dc.start();
  }

  async stop(): Promise<void> {
    await this.dc.stop();
  }

  /** initialize, launch, `configure` (breakpoints), configurationDone. */
  async launch(program: string, extra: Partial<LaunchArguments> = {}, configure?: () => Promise<unknown>): Promise<void> {
    await this.dc.initializeRequest({ adapterID: 'tcpscenario', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path', ...this.initialize });
    const launched = this.dc.launchRequest({ program, ...extra } as DebugProtocol.LaunchRequestArguments);
    await Promise.race([this.next('initialized'), launched]);
    await configure?.();
    await this.dc.configurationDoneRequest();
    await launched;
  }

  async stopped(): Promise<DebugProtocol.StoppedEvent['body']> {
    return ((await this.next('stopped')) as DebugProtocol.StoppedEvent).body;
  }

  async frames(threadId = 1): Promise<DebugProtocol.StackFrame[]> {
    return (await this.dc.stackTraceRequest({ threadId })).body.stackFrames;
  }

  /** Variables of the scope whose name starts with `scope` ("client", "Network"), as name -> value. */
  async variables(scope: string, threadId = 1): Promise<Map<string, DebugProtocol.Variable>> {
    const frames = await this.frames(threadId);
    const scopes = (await this.dc.scopesRequest({ frameId: frames[0].id })).body.scopes;
    const found = scopes.find((s) => s.name.startsWith(scope));
    if (!found) throw new Error(`no scope ${scope}; scopes are ${scopes.map((s) => s.name).join(', ')}`);
    const vars = (await this.dc.variablesRequest({ variablesReference: found.variablesReference })).body.variables;
    return new Map(vars.map((v) => [v.name, v]));
  }

  async scopeReference(scope: string, threadId = 1): Promise<number> {
    const frames = await this.frames(threadId);
    const scopes = (await this.dc.scopesRequest({ frameId: frames[0].id })).body.scopes;
    return scopes.find((s) => s.name.startsWith(scope))!.variablesReference;
  }

  async evaluate(expression: string, context: 'repl' | 'watch' | 'hover' = 'watch'): Promise<string> {
    return (await this.dc.evaluateRequest({ expression, context })).body.result;
  }

  /** The current event, as the diagram sees it. */
  currentEvent(): TraceEvent | undefined {
    return this.trace[this.current];
  }
}
