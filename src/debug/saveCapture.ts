// The Debug Console's `save capture FILE [at NAME]`: the run so far as a pcapng capture (the events up
// to where the debugger stands), written only to the file named, and only where `trace --pcap` would
// write (src/run/captureFile.ts), also refusing an existing pipe, device or socket. A relative name is
// relative to the scenario's folder.

import { isAbsolute, join, dirname } from 'node:path';
import { traceDocumentOf } from '../engine/index';
import type { Program } from '../engine/program';
import type { TraceEvent } from '../engine/trace';
import { CaptureWriteError, encodePcapng, TraceCapture } from '../interop/index';
import { checkCaptureTarget, InputError, writeCapture } from '../run/captureFile';
import { ConsoleError } from './console';

/** Whether `program` (the launch attribute) names a file on disk rather than a URI or an untitled editor. */
function isFilePath(program: string): boolean {
  return isAbsolute(program) && !/^[a-z][a-z0-9+.-]+:/i.test(program);
}

export function saveCapture(program: Program, events: readonly TraceEvent[], programPath: string, file: string, at: string | undefined, application: string): string {
  let out = file;
  if (!isAbsolute(out)) {
    if (!isFilePath(programPath)) throw new ConsoleError(`'${file}' is relative and this scenario is not a file on disk; give an absolute path`);
    out = join(dirname(programPath), out);
  }
  if (at !== undefined && !program.endpoints.some((e) => e.name === at)) {
    throw new ConsoleError(`no endpoint named '${at}'; this scenario has ${program.endpoints.map((e) => e.name).join(', ')}`);
  }
  try {
    checkCaptureTarget(out, isFilePath(programPath) ? [programPath] : [], true);
    const capture = new TraceCapture(traceDocumentOf(program, []), program, { at, application });
    for (const event of events) capture.add(event);
    const file = capture.finish();
    const bytes = encodePcapng(file);
    writeCapture(out, bytes);
    const t = events.length > 0 ? events[events.length - 1].t : 0;
    const view = at === undefined ? 'one interface per endpoint' : `captured at ${at}`;
    return `wrote ${out} (${file.packets.length} packet${file.packets.length === 1 ? '' : 's'} up to ${t} ms, ${bytes.length.toLocaleString('en-US')} bytes, pcapng; ${view})`;
  } catch (error) {
    if (error instanceof InputError || error instanceof CaptureWriteError) throw new ConsoleError(error.message);
    throw error;
  }
}
