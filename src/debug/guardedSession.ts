// What passes between the client and the session: a frame that is not a DAP request ends the
// session with a word to the user; a request's envelope and arguments are checked before anything
// handles it (src/debug/validate.ts); an error of ours reaches the client as one sentence, its
// details (stack, paths) going to the log; messages skip the library's logging unless `trace` is on.
// TcpScenarioDebugSession (src/debug/session.ts) answers the requests that get through.

import { DebugSession, LoggingDebugSession, OutputEvent, Response, TerminatedEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { PassThrough } from 'node:stream';
import { RUN_MESSAGES } from '../run/messages';
import { fill, message as msg, type Message, type Translator } from '../text/translate';
import { FRAME_MESSAGES, FrameReader } from './frames';
import { errorDetails, type AdapterLog } from './log';
import { checkArguments, UNSUPPORTED } from './validate';

/** A client's text in a message: short, on one line. */
export function quote(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is replaced
  const line = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return line.length > 40 ? `${line.slice(0, 40)}...` : line;
}

export abstract class GuardedSession extends LoggingDebugSession {
  /** Whether the client was told the session ended (once per launch). */
  protected terminatedSent = false;

  constructor(protected readonly log: AdapterLog) {
    super();
  }

  /** The client's language. */
  protected abstract get tr(): Translator;
  /** The launch's `trace` attribute: the library logs every message. */
  protected abstract get tracing(): boolean;
  /** DAP `initialize`'s `locale`: the language of everything said from now on. */
  protected abstract setLocale(locale: unknown): void;
  /** Stops any run for good: the session is over. */
  protected abstract endSession(): void;

  /**
   * Standalone over stdio: our own framing (src/debug/frames.ts), so a malformed frame is reported
   * (an error in the Debug Console, a `terminated` event, a line in the log) instead of ending the
   * process without a word, as the library's reader does.
   */
  override start(inStream: NodeJS.ReadableStream, outStream: NodeJS.WritableStream): void {
    super.start(new PassThrough(), outStream);
    const reader = new FrameReader();
    inStream.on('data', (data: Buffer) => {
      for (const frame of reader.push(data)) {
        if (frame.kind === 'message') this.handleMessage(frame.message as unknown as DebugProtocol.ProtocolMessage);
        else this.malformed(frame.reason);
      }
    });
    inStream.on('end', () => this.shutdown());
    inStream.on('error', (error: Error) => {
      this.log.error(`reading from the client failed: ${errorDetails(error)}`);
      this.shutdown();
    });
    inStream.resume();
  }

  /** Every message from the client: a request is checked for its envelope, then dispatched. */
  override handleMessage(message: DebugProtocol.ProtocolMessage): void {
    const m = message as unknown as Record<string, unknown>;
    if (typeof m !== 'object' || m === null || Array.isArray(m)) return this.malformed(msg(FRAME_MESSAGES.notObject));
    if (m.type === 'response') return super.handleMessage(message);
    if (m.type !== 'request') return this.malformed(msg(FRAME_MESSAGES.notRequest, JSON.stringify(quote(String(m.type)))));
    if (typeof m.seq !== 'number' || !Number.isSafeInteger(m.seq)) return this.malformed(msg(FRAME_MESSAGES.noSeq));
    if (typeof m.command !== 'string' || m.command === '') {
      const response = new Response({ seq: m.seq, type: 'request', command: '' });
      this.sendErrorResponse(response, { id: 1000, format: this.tr.t(RUN_MESSAGES.requestWithoutCommand), showUser: true });
      return;
    }
    try {
      this.dispatchRequest(message as DebugProtocol.Request);
    } catch (error) {
      this.internalError(new Response(message as DebugProtocol.Request), error);
    }
  }

  /** A frame that is not a DAP request: said to the user and logged; the session ends (it cannot trust what follows). */
  private malformed(reason: Message): void {
    this.log.error(`malformed message from the client: ${fill(reason.template, reason.args)}`);
    this.sendEvent(new OutputEvent(`${this.tr.t(RUN_MESSAGES.malformedMessage, reason)}\n`, 'stderr'));
    this.endSession();
    this.terminated();
  }

  /** The `terminated` event, once. */
  protected terminated(): void {
    if (this.terminatedSent) return;
    this.terminatedSent = true;
    this.sendEvent(new TerminatedEvent());
  }

  /** A bug of ours: the details (stack, paths) go to the log, the client gets one sentence. */
  protected internalError(response: DebugProtocol.Response, error: unknown): void {
    this.log.error(`internal error while handling "${response.command}": ${errorDetails(error)}`);
    if (response.seq > 0) return; // already answered
    this.sendErrorResponse(response, { id: 1104, format: this.tr.t(RUN_MESSAGES.internalError, quote(response.command)), showUser: true });
  }

  /** Never a stack trace or a path of ours to the client (the library puts `{_stack}` in some). */
  protected override sendErrorResponse(
    response: DebugProtocol.Response,
    codeOrMessage: number | DebugProtocol.Message,
    formatText?: string,
    variables?: Record<string, unknown>,
    dest?: number,
  ): void {
    if (typeof codeOrMessage === 'number' && (formatText?.includes('{_stack}') || variables?._stack !== undefined)) {
      this.log.error(`error while handling "${response.command}": ${String(variables?._stack ?? variables?._exception ?? formatText)}`);
      super.sendErrorResponse(response, { id: codeOrMessage, format: this.tr.t(RUN_MESSAGES.internalError, quote(response.command)), showUser: true });
      return;
    }
    // `{...}` in a message is a placeholder to the library: our messages have none, so none is filled.
    if (typeof codeOrMessage !== 'number') codeOrMessage = { ...codeOrMessage, variables: {} };
    super.sendErrorResponse(response, codeOrMessage as DebugProtocol.Message, formatText, variables, dest);
  }

  // LoggingDebugSession serializes every message for its log even when logging is off; a
  // tcpTrace of 100,000 events makes that costly, so messages skip it unless `trace` is set.
  override sendEvent(event: DebugProtocol.Event): void {
    if (this.tracing) super.sendEvent(event);
    else DebugSession.prototype.sendEvent.call(this, event);
  }

  override sendResponse(response: DebugProtocol.Response): void {
    if (this.tracing) super.sendResponse(response);
    else DebugSession.prototype.sendResponse.call(this, response);
  }

  // Inline in VS Code nobody calls start(), so the logger would queue every request forever.
  // Arguments are checked first (src/debug/validate.ts): nothing is stored or run on bad ones.
  protected override dispatchRequest(request: DebugProtocol.Request): void {
    const command = request.command;
    const problem = UNSUPPORTED.has(command) ? msg(RUN_MESSAGES.unsupportedRequest, command) : checkArguments(command, request.arguments);
    if (problem !== undefined) {
      // `initialize` carries the client's language: even its own error is said in it.
      if (command === 'initialize') this.setLocale((request.arguments as { locale?: unknown } | undefined)?.locale);
      const text = UNSUPPORTED.has(command) ? this.tr.message(problem) : this.tr.t(RUN_MESSAGES.invalidArguments, command, problem);
      this.sendErrorResponse(new Response(request), { id: 1000, format: text, showUser: true });
      return;
    }
    // DAP: pathFormat defaults to "path" (the library refuses a missing one).
    if (command === 'initialize') request.arguments = { pathFormat: 'path', ...(request.arguments as object | undefined) };
    if (this.tracing) super.dispatchRequest(request);
    else DebugSession.prototype['dispatchRequest'].call(this, request);
  }
}
