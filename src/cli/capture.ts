// `tcpscenario trace FILE --pcap OUT`: the capture, checked before the run, fed as it goes, saved at
// the end; where it may be written is src/run/captureFile.ts's decision.

import { CAPTURE_FILE_MESSAGES as M, checkCaptureTarget, InputError, writeCapture } from '../run/captureFile';
import type { Program } from '../engine/program';
import type { TraceEvent } from '../engine/trace';
import { encodePcapng, TraceCapture, type TraceHead } from '../interop/index';

/**
 * The capture `trace --pcap OUT [--pcap-at NAME]` writes: checked before the run (so nothing runs
 * for a capture that cannot be written), fed the trace's events as they come, saved at the end.
 */
export class CaptureFile {
  /** A note to print before the run (a .pcap name), if any. */
  readonly note: string | undefined;
  private capture: TraceCapture | undefined;

  /** Throws InputError when `at` is not an endpoint or `out` must not be written. */
  constructor(
    private readonly out: string,
    private readonly at: string | undefined,
    private readonly program: Program,
    inputs: readonly string[],
    private readonly application: string,
  ) {
    if (at !== undefined && !program.endpoints.some((e) => e.name === at)) {
      const names = program.endpoints.map((e) => e.name).join(', ');
      throw names ? new InputError(M.pcapAtNoEndpoint, at, names) : new InputError(M.pcapAtNoEndpointNone, at);
    }
    this.note = checkCaptureTarget(out, inputs);
  }

  /** The run's document head (endpoints, title, profile); throws CaptureWriteError for an endpoint that cannot be written. */
  begin(head: TraceHead): void {
    this.capture = new TraceCapture(head, this.program, { at: this.at, application: this.application });
  }

  add(event: TraceEvent): void {
    this.capture?.add(event);
  }

  /** Writes the file; returns the line to print. */
  save(): string {
    if (!this.capture) throw new Error('CaptureFile.save before begin');
    const bytes = encodePcapng(this.capture.finish());
    writeCapture(this.out, bytes);
    return `wrote ${this.out} (${bytes.length.toLocaleString('en-US')} bytes, pcapng; ${this.at === undefined ? 'one interface per endpoint' : `captured at ${this.at}`})`;
  }
}
