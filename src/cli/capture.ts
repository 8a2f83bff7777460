// `tcpscenario trace FILE --pcap OUT`: the capture, checked before the run, fed as it goes, saved at
// the end (or its first error said then: not as an engine failure); where it may be written is
// src/run/captureFile.ts's decision.

import { CAPTURE_FILE_MESSAGES as M, checkCaptureTarget, writeCapture } from '../run/captureFile';
import type { Program } from '../engine/program';
import type { TraceEvent } from '../engine/trace';
import { checkCaptureAt, encodePcapng, TraceCapture, type TraceHead } from '../interop/index';
import type { InteropMessage } from '../interop/messages';
import type { Translator } from '../text/translate';

/**
 * The capture `trace --pcap OUT [--pcap-at NAME]` writes: checked before the run (so nothing runs
 * for a capture that cannot be written), fed the trace's events as they come, saved at the end.
 */
export class CaptureFile {
  /** A note to print before the run (a .pcap name), if any: a template and its arguments. */
  readonly note: InteropMessage | undefined;
  private capture: TraceCapture | undefined;
  /** The first error the capture met (an endpoint or an event it cannot write): thrown by save. */
  private failed: unknown;

  /** Throws CaptureWriteError when `at` is not an endpoint, InputError when `out` must not be written. */
  constructor(
    private readonly out: string,
    private readonly at: string | undefined,
    private readonly program: Program,
    inputs: readonly string[],
    private readonly application: string,
  ) {
    checkCaptureAt(at, program.endpoints.map((e) => e.name));
    this.note = checkCaptureTarget(out, inputs);
  }

  /** The run's document head (endpoints, title, profile). */
  begin(head: TraceHead): void {
    try {
      this.capture = new TraceCapture(head, this.program, { at: this.at, application: this.application });
    } catch (error) {
      this.failed = error;
    }
  }

  add(event: TraceEvent): void {
    if (this.failed !== undefined) return;
    try {
      this.capture?.add(event);
    } catch (error) {
      this.failed = error;
    }
  }

  /** Writes the file; returns the line to print, in `tr`'s language. Throws the first error the capture met (CaptureWriteError), or why the file cannot be written. */
  save(tr: Translator): string {
    if (this.failed !== undefined) throw this.failed;
    if (!this.capture) throw new Error('CaptureFile.save before begin');
    const bytes = encodePcapng(this.capture.finish());
    writeCapture(this.out, bytes);
    const size = bytes.length.toLocaleString('en-US');
    return this.at === undefined ? tr.t(M.wroteEveryEndpoint, this.out, size) : tr.t(M.wroteAt, this.out, size, this.at);
  }
}
