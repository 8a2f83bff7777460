// A DAP client over raw frames to `node dist/debugAdapter.js`: it can send anything, malformed
// frames included, and keeps every message the adapter sends (for the fuzz and limit tests).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtempSync } from 'node:fs';
import { ADAPTER } from './harness';

export interface Message {
  seq: number;
  type: string;
  request_seq?: number;
  command?: string;
  success?: boolean;
  message?: string;
  event?: string;
  body?: Record<string, unknown>;
  /** When it arrived (Date.now()). */
  at?: number;
}

export class RawAdapter {
  readonly process: ChildProcessWithoutNullStreams;
  readonly messages: Message[] = [];
  readonly responses = new Map<number, Message>();
  readonly logFile: string;
  stderr = '';
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  private buffer = Buffer.alloc(0);
  private seq = 1;
  private waiters: (() => void)[] = [];

  constructor() {
    this.logFile = join(mkdtempSync(join(tmpdir(), 'tcpscenario-dap-')), 'adapter.log');
    this.process = spawn(process.execPath, [ADAPTER], { env: { ...process.env, TCPSCENARIO_DAP_LOG: this.logFile }, stdio: 'pipe' });
    this.process.stdout.on('data', (data: Buffer) => this.receive(data));
    this.process.stderr.on('data', (data: Buffer) => (this.stderr += data.toString()));
    this.process.on('exit', (code, signal) => {
      this.exit = { code, signal };
      this.notify();
    });
    this.process.stdin.on('error', () => undefined);
  }

  private receive(data: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, data]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/.exec(this.buffer.toString('latin1', 0, end))?.[1]);
      if (this.buffer.length < end + 4 + length) return;
      const message = JSON.parse(this.buffer.toString('utf8', end + 4, end + 4 + length)) as Message;
      this.buffer = this.buffer.subarray(end + 4 + length);
      message.at = Date.now();
      this.messages.push(message);
      if (message.type === 'response' && message.request_seq !== undefined) this.responses.set(message.request_seq, message);
      this.notify();
    }
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Sends a request; returns its seq. `args` undefined sends no `arguments` field. */
  send(command: unknown, args?: unknown): number {
    const seq = this.seq++;
    const message: Record<string, unknown> = { seq, type: 'request', command };
    if (args !== undefined) message.arguments = args;
    this.raw(JSON.stringify(message));
    return seq;
  }

  /** A body with a correct header. */
  raw(body: string): void {
    const bytes = Buffer.from(body, 'utf8');
    this.bytes(Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`), bytes]));
  }

  bytes(data: Buffer | string): void {
    if (this.exit === undefined) this.process.stdin.write(data);
  }

  /** Resolves when `done()` holds, rejects after `timeout` ms or when the adapter exits. */
  async until(done: () => boolean, what: string, timeout = 15_000): Promise<void> {
    const deadline = Date.now() + timeout;
    while (!done()) {
      if (this.exit !== undefined) throw new Error(`the adapter exited (${JSON.stringify(this.exit)}) while waiting for ${what}; stderr: ${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async request(command: string, args?: unknown, timeout?: number): Promise<Message> {
    const seq = this.send(command, args);
    await this.until(() => this.responses.has(seq), `the response to ${command} (seq ${seq})`, timeout);
    return this.responses.get(seq)!;
  }

  events(name: string): Message[] {
    return this.messages.filter((m) => m.type === 'event' && m.event === name);
  }

  async close(): Promise<void> {
    if (this.exit === undefined) {
      this.process.kill();
      await this.until(() => this.exit !== undefined, 'exit', 5000).catch(() => undefined);
    }
  }
}
