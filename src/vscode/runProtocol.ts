// What the extension asks of a run in its worker thread (src/vscode/runWorker.ts), and what it gets back (plain data that
// structured cloning copies). Only what each job needs crosses the thread: never a whole long trace.

import type { ProfileName } from '../engine/program';
import type { ExpectEvent, RunLimit } from '../engine/trace';
import type { Diagnostic } from '../language/diagnostic';
import type { TraceBody } from '../diagram/messages';
import type { RuleUse } from '../text/explain';
import type { Numbering } from '../text/format';

/** `report`: Run's text; `expects`: the Testing view's expect events; `diagram`: what the panel draws; `rules`: the "Why?" index. */
export type JobKind = 'report' | 'expects' | 'diagram' | 'rules';

export interface RunRequest {
  kind: JobKind;
  text: string;
  defaultProfile?: ProfileName;
  /** Overrides the file's profile line (a debug session's `profile`). */
  profile?: ProfileName;
  /** How the report writes sequence numbers (the setting tcpscenario.sequenceNumbers). */
  numbering?: Numbering;
  maxEvents: number;
  maxSeconds: number;
  /** Translated templates, keyed by their English text (the limits, the report's headings). */
  phrases?: Record<string, string>;
}

export interface RunResult {
  /** Errors and warnings of the text; no run when there are errors. */
  diagnostics: Diagnostic[];
  /** The engine failed: a sentence. */
  engineError?: string;
  limit?: RunLimit;
  /** Events the run produced. */
  events: number;
  /** Virtual time at the end, ms. */
  lastTime: number;
  /** `report`: the lines to print. */
  lines?: string[];
  /** `expects`: every expect event. */
  expects?: ExpectEvent[];
  /** `diagram`: the trace body to draw (at most DIAGRAM_MAX_EVENTS events)... */
  body?: TraceBody;
  /** ...and the note to show after it when the trace was longer or a limit cut the run. */
  note?: string;
  /** `rules`: the rules the run used, in order of first use, with counts (English summaries). */
  rules?: RuleUse[];
}

export type WorkerMessage = { type: 'progress'; events: number; time: number } | { type: 'result'; result: RunResult };
