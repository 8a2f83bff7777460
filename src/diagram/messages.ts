// Messages between the diagram webview and its host (the extension). One module, imported
// by both sides. The host validates every message from the webview (`isWebviewMessage`);
// the webview checks what it receives too (`isHostMessage`), so neither trusts the other.

import type { TraceEvent } from '../engine/trace';
import { TCP_STATES } from '../engine/trace';

export interface EndpointDescriptor {
  name: string;
  address: string;
  port: number;
  isn?: number;
}

/** Body of the debug adapter's `tcpTrace` event: the host forwards it as a `trace` message. */
export interface TraceBody {
  /** Truncate the receiver's copy of the trace to this many events, then append `events`. */
  from: number;
  events: TraceEvent[];
  /** Index of the event to highlight; -1 for none. */
  current: number;
  endpoints: EndpointDescriptor[];
  scenario?: string;
  profile: string;
  /**
   * A window of a long trace: the receiver's copy becomes these events as the trace's events
   * `start`, `start + 1`... (it holds none before them; `from` is then `start`).
   */
  start?: number;
}

// ---- host -> webview ----
export interface TraceMessage extends TraceBody {
  type: 'trace';
  /** The scenario document this trace comes from (a URI string), kept in the webview state for restore. */
  documentUri?: string;
  /**
   * The appended events as one JSON array text, in place of `events` (which is then empty): a
   * long trace posts as one string much faster than as thousands of objects (structured clone).
   * The webview parses it and checks every event as it checks `events`.
   */
  eventsJson?: string;
  /** The host holds events the webview has not got (after or before its copy): it asks for them with `more`. */
  more?: boolean;
}

/** Events that come before the webview's copy (it asked with `more`): the trace's events `start`, `start + 1`... */
export interface EarlierMessage {
  type: 'earlier';
  start: number;
  events: TraceEvent[];
  eventsJson?: string;
  more?: boolean;
}

/** Traces longer than this are posted to the webview as `eventsJson`. */
export const EVENTS_AS_JSON_FROM = 1000;

/** The message to post for a trace: large event lists as JSON text. */
export function compactTraceMessage<M extends TraceMessage | EarlierMessage>(message: M): M {
  if (message.events.length < EVENTS_AS_JSON_FROM) return message;
  return { ...message, events: [], eventsJson: JSON.stringify(message.events) };
}

/** The events of a trace message (parsing `eventsJson`), or undefined when they are not valid trace events. */
export function traceMessageEvents(message: TraceMessage | EarlierMessage): TraceEvent[] | undefined {
  if (message.eventsJson === undefined) return message.events;
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.eventsJson);
  } catch {
    return undefined;
  }
  return Array.isArray(parsed) && parsed.every(isTraceEvent) ? parsed : undefined;
}
/** Highlight another event without sending trace events. */
export interface CurrentMessage {
  type: 'current';
  current: number;
}
export interface OptionsMessage {
  type: 'options';
  relative: boolean;
}
/** A toolbar action triggered from VS Code (command palette, editor title). */
export interface CommandMessage {
  type: 'command';
  command: 'fit' | 'zoomIn' | 'zoomOut' | 'exportSvg' | 'exportPng' | 'exportPcapng' | 'copyMermaid' | 'toggleRelative';
}
/** The scenario cannot be run (errors): show them instead of a diagram. */
export interface ErrorMessage {
  type: 'error';
  message: string;
}
export type HostMessage = TraceMessage | EarlierMessage | CurrentMessage | OptionsMessage | CommandMessage | ErrorMessage;

// ---- webview -> host ----
export interface ReadyMessage {
  type: 'ready';
}
/** The user clicked an item caused by this scenario line (1-based). */
export interface RevealMessage {
  type: 'reveal';
  line: number;
  /** Trace event index of the clicked item, if any. */
  index?: number;
}
export interface ExportMessage {
  type: 'export';
  format: 'svg' | 'png';
  /** SVG text, or a `data:image/png;base64,` URL. */
  data: string;
}
export interface CopyMessage {
  type: 'copy';
  text: string;
}
/** View state, so the host can restore it (relative numbers, zoom). */
export interface StateMessage {
  type: 'state';
  relative: boolean;
  zoom: number;
}
/** The webview has drawn what it got and asks for the rest the host holds (TraceMessage.more). */
export interface MoreMessage {
  type: 'more';
}
/** "Export pcapng": the host, which holds the trace, writes it as a capture (docs/wireshark.md). */
export interface ExportCaptureMessage {
  type: 'exportCapture';
}
export type WebviewMessage = ReadyMessage | RevealMessage | ExportMessage | CopyMessage | StateMessage | MoreMessage | ExportCaptureMessage;

export const COMMANDS: readonly CommandMessage['command'][] = ['fit', 'zoomIn', 'zoomOut', 'exportSvg', 'exportPng', 'exportPcapng', 'copyMermaid', 'toggleRelative'];

/** Largest export the host accepts (a 10,000-segment SVG is a few MB). */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;
const MAX_COPY_CHARS = 16 * 1024 * 1024;
const PNG_PREFIX = 'data:image/png;base64,';

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const isInt = (x: unknown, min = 0): x is number => typeof x === 'number' && Number.isInteger(x) && x >= min;

export function isWebviewMessage(x: unknown): x is WebviewMessage {
  if (!isRecord(x)) return false;
  switch (x.type) {
    case 'ready':
    case 'more':
    case 'exportCapture':
      return true;
    case 'reveal':
      return isInt(x.line, 1) && x.line < 10_000_000 && (x.index === undefined || isInt(x.index));
    case 'export':
      if (typeof x.data !== 'string' || x.data.length > MAX_EXPORT_CHARS) return false;
      if (x.format === 'svg') return /^\s*(<\?xml[^>]*\?>\s*)?<svg[\s>]/.test(x.data) && !/<script/i.test(x.data);
      if (x.format === 'png') return x.data.startsWith(PNG_PREFIX) && /^[A-Za-z0-9+/]*={0,2}$/.test(x.data.slice(PNG_PREFIX.length));
      return false;
    case 'copy':
      return typeof x.text === 'string' && x.text.length <= MAX_COPY_CHARS;
    case 'state':
      return typeof x.relative === 'boolean' && typeof x.zoom === 'number' && Number.isFinite(x.zoom) && x.zoom > 0 && x.zoom <= 100;
    default:
      return false;
  }
}

const SEGMENT_KINDS = new Set(['send', 'inject']);
const STATES = new Set<string>(TCP_STATES);

/** Shape check of one trace event: enough for the diagram to draw it without tripping. */
export function isTraceEvent(x: unknown): x is TraceEvent {
  if (!isRecord(x) || typeof x.t !== 'number' || !Number.isFinite(x.t) || typeof x.kind !== 'string') return false;
  if (x.line !== undefined && !isInt(x.line, 1)) return false;
  const str = (k: string) => typeof x[k] === 'string';
  const num = (k: string) => typeof x[k] === 'number' && Number.isFinite(x[k]);
  if (SEGMENT_KINDS.has(x.kind)) {
    return (
      str('id') && str('from') && str('to') && Array.isArray(x.flags) && x.flags.every((f) => typeof f === 'string') &&
      num('seq') && num('ack') && num('len') && num('wnd')
    );
  }
  switch (x.kind) {
    case 'deliver':
      return str('id') && str('to');
    case 'drop':
      return str('id') && str('reason');
    case 'duplicate':
      return str('id') && str('copy');
    case 'transition':
      return str('endpoint') && STATES.has(String(x.from)) && STATES.has(String(x.to)) && str('cause');
    case 'timer':
      return str('endpoint') && str('name') && (x.action === 'start' || x.action === 'cancel' || x.action === 'fire');
    case 'app':
      return str('endpoint') && str('call');
    case 'data':
      return str('endpoint') && num('bytes');
    case 'expect':
      return typeof x.ok === 'boolean' && str('message');
    case 'note':
      return str('message');
    default:
      return false;
  }
}

function isEndpoint(x: unknown): x is EndpointDescriptor {
  return isRecord(x) && typeof x.name === 'string' && typeof x.address === 'string' && typeof x.port === 'number' && (x.isn === undefined || typeof x.isn === 'number');
}

/** Validates a `tcpTrace` body (from the debug adapter) before it is forwarded. */
export function isTraceBody(x: unknown): x is TraceBody {
  return (
    isRecord(x) &&
    isInt(x.from) &&
    Array.isArray(x.events) &&
    x.events.every(isTraceEvent) &&
    typeof x.current === 'number' &&
    Number.isInteger(x.current) &&
    x.current >= -1 &&
    Array.isArray(x.endpoints) &&
    x.endpoints.every(isEndpoint) &&
    (x.scenario === undefined || typeof x.scenario === 'string') &&
    typeof x.profile === 'string' &&
    (x.start === undefined || (isInt(x.start) && x.start === x.from))
  );
}

export function isHostMessage(x: unknown): x is HostMessage {
  if (!isRecord(x)) return false;
  switch (x.type) {
    case 'trace':
      return (
        isTraceBody(x) &&
        (x.documentUri === undefined || typeof x.documentUri === 'string') &&
        (x.eventsJson === undefined || (typeof x.eventsJson === 'string' && x.events.length === 0)) &&
        (x.more === undefined || typeof x.more === 'boolean')
      );
    case 'earlier':
      return (
        isInt(x.start) &&
        Array.isArray(x.events) &&
        x.events.every(isTraceEvent) &&
        (x.eventsJson === undefined || (typeof x.eventsJson === 'string' && x.events.length === 0)) &&
        (x.more === undefined || typeof x.more === 'boolean')
      );
    case 'current':
      return typeof x.current === 'number' && Number.isInteger(x.current) && x.current >= -1;
    case 'options':
      return typeof x.relative === 'boolean';
    case 'command':
      return COMMANDS.includes(x.command as CommandMessage['command']);
    case 'error':
      return typeof x.message === 'string';
    default:
      return false;
  }
}

/** The PNG bytes of an export message (validated beforehand). */
export function pngBytes(message: ExportMessage): Uint8Array {
  const base64 = message.data.slice(PNG_PREFIX.length);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
