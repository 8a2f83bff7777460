// `tcpscenario trace FILE --pcap OUT`: where the capture may be written. It replaces an earlier
// capture, never anything else: not the scenario, not a directory, not a file that is not a
// pcap or pcapng capture. Written to a temporary name and renamed, so a failed write leaves
// no half file behind.

import { closeSync, openSync, readSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Program } from '../engine/program';
import type { TraceEvent } from '../engine/trace';
import { encodePcapng, TraceCapture, type TraceHead } from '../interop/index';

/** Why the capture cannot be written where asked: one line, no stack trace. */
export class InputError extends Error {}

const CAPTURE_MAGICS = [0x0a0d0d0a, 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1];

function startsLikeCapture(path: string): boolean {
  const head = new Uint8Array(4);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    if (readSync(fd, head, 0, 4, 0) < 4) return false;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return CAPTURE_MAGICS.includes(new DataView(head.buffer).getUint32(0, false));
}

function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** Throws InputError when the capture must not be written to `out`; returns a note to print, if any. */
export function checkCaptureTarget(out: string, inputs: readonly string[]): string | undefined {
  if (out === '-') throw new InputError('--pcap needs a file name; the capture is binary and stdout carries the JSON trace');
  const target = realOrResolved(out);
  if (inputs.some((input) => realOrResolved(input) === target)) throw new InputError(`${out} is the scenario itself; choose another name for the capture`);
  let stat;
  try {
    stat = statSync(out);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new InputError(`${out}: cannot check it (${code ?? 'unknown error'})`);
    try {
      if (!statSync(dirname(resolve(out))).isDirectory()) throw new InputError(`${out}: ${dirname(out)} is not a directory`);
    } catch (inner) {
      if (inner instanceof InputError) throw inner;
      throw new InputError(`${out}: the folder ${dirname(out)} does not exist`);
    }
    return extensionNote(out);
  }
  if (stat.isDirectory()) throw new InputError(`${out} is a directory; give a file name for the capture`);
  if (stat.isFile() && stat.size > 0 && !startsLikeCapture(out)) {
    throw new InputError(`${out} exists and is not a pcap or pcapng capture; not overwriting it (remove it or choose another name)`);
  }
  return extensionNote(out);
}

function extensionNote(out: string): string | undefined {
  return extname(out).toLowerCase() === '.pcap' ? `${out} is written in pcapng format (as Wireshark and tcpdump read it), whatever its extension` : undefined;
}

/** Writes the capture; a regular file goes through a temporary name and a rename. */
export function writeCapture(out: string, bytes: Uint8Array): void {
  let regular = true;
  try {
    regular = statSync(out).isFile();
  } catch {
    // Does not exist yet: a new regular file.
  }
  try {
    if (!regular) {
      // A FIFO or a device (/dev/null, a process substitution): write straight to it.
      writeFileSync(out, bytes);
      return;
    }
    const temporary = join(dirname(resolve(out)), `.${basename(out)}.${process.pid}.tmp`);
    try {
      writeFileSync(temporary, bytes);
      renameSync(temporary, out);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`${out}: cannot write the capture (${code === 'EACCES' ? 'permission denied' : code === 'ENOSPC' ? 'no space left on the device' : (code ?? String(error))})`);
  }
}

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
      throw new InputError(`--pcap-at ${at}: no endpoint of that name; the endpoints are ${program.endpoints.map((e) => e.name).join(', ') || '(none)'}`);
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
