// The Debug Console's `save capture FILE [at NAME]`: the run so far as a pcapng capture (the events up
// to where the debugger stands), written only to the file named, and only where `trace --pcap` would
// write (src/run/captureFile.ts), also refusing an existing pipe, device or socket. A relative name is
// relative to the scenario's folder.

import { isAbsolute, join, dirname } from 'node:path';
import { traceDocumentOf } from '../engine/index';
import type { Program } from '../engine/program';
import type { TraceEvent } from '../engine/trace';
import { checkCaptureAt, encodePcapng, TraceCapture } from '../interop/index';
import { InteropError } from '../interop/messages';
import { checkCaptureTarget, writeCapture } from '../run/captureFile';
import type { Translator } from '../text/translate';
import { ConsoleError } from './console';
import { DEBUG_MESSAGES as M } from './messages';

/** Whether `program` (the launch attribute) names a file on disk rather than a URI or an untitled editor. */
function isFilePath(program: string): boolean {
  return isAbsolute(program) && !/^[a-z][a-z0-9+.-]+:/i.test(program);
}

/** Writes the capture; returns what to say in the console, in `tr`'s language (a refusal is a ConsoleError, translated by the session). */
export function saveCapture(program: Program, events: readonly TraceEvent[], programPath: string, file: string, at: string | undefined, application: string, tr: Translator): string {
  let out = file;
  if (!isAbsolute(out)) {
    if (!isFilePath(programPath)) throw new ConsoleError(M.saveRelative, [file]);
    out = join(dirname(programPath), out);
  }
  try {
    checkCaptureAt(at, program.endpoints.map((e) => e.name));
    checkCaptureTarget(out, isFilePath(programPath) ? [programPath] : [], true);
    const capture = new TraceCapture(traceDocumentOf(program, []), program, { at, application });
    for (const event of events) capture.add(event);
    const file = capture.finish();
    const bytes = encodePcapng(file);
    writeCapture(out, bytes);
    const t = events.length > 0 ? events[events.length - 1].t : 0;
    const view = at === undefined ? tr.t(M.saveEveryEndpoint) : tr.t(M.saveAt, at);
    const packets = file.packets.length === 1 ? tr.t(M.savePacketsOne) : tr.t(M.savePacketsOther, file.packets.length);
    return tr.t(M.saveWrote, out, packets, t, bytes.length.toLocaleString('en-US'), view);
  } catch (error) {
    // A refusal of the file (InputError) or of the trace or the capture point (CaptureWriteError): its template, translated.
    if (error instanceof InteropError) throw new ConsoleError(error.template, error.args);
    throw error;
  }
}
