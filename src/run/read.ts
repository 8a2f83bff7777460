// Reading a scenario file, the same way everywhere (CLI, standalone debug adapter, VS Code): only
// regular files (never a pipe, a device or a directory, which could block or never end), at most
// MAX_SCENARIO_BYTES, UTF-8 with the line and column of the first byte that is not. Every failure
// is a ReadError with a one-line English message (RUN_MESSAGES), never a stack trace.

import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { format, RUN_MESSAGES } from './messages';

/**
 * Scenarios are a few KB, generated ones some MB: 16 MiB is some 500,000 lines, checked in a few
 * seconds. Checking holds about 40 bytes of memory per byte of text (a 10 MB file: 370 MB), so a
 * larger limit would come near the heap's on a small machine; the stat and the bounded read refuse
 * what never ends (`/dev/zero`, a pipe).
 */
export const MAX_SCENARIO_BYTES = 16 * 1024 * 1024;

/** What the editor checks as you type, on the extension host's thread (a 4 MiB text takes about half a second). */
export const MAX_LIVE_CHECK_BYTES = 4 * 1024 * 1024;

export class ReadError extends Error {
  constructor(
    /** English template (RUN_MESSAGES), the l10n key in VS Code. */
    readonly template: string,
    readonly args: readonly (string | number)[] = [],
    /** Where in the file, for an encoding error (1-based; the column in UTF-16 code units). */
    readonly line?: number,
    readonly column?: number,
  ) {
    super(format(template, args));
  }

  /** `FILE:LINE:COL` or `FILE`, the place a message about the file starts with. */
  where(file: string): string {
    return this.line === undefined ? file : `${file}:${this.line}:${this.column}`;
  }
}

function errnoError(error: unknown): ReadError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new ReadError(RUN_MESSAGES.noSuchFile);
  if (code === 'EACCES' || code === 'EPERM') return new ReadError(RUN_MESSAGES.permissionDenied);
  if (code === 'EISDIR') return new ReadError(RUN_MESSAGES.isDirectory);
  return new ReadError(RUN_MESSAGES.cannotRead, [code ?? 'unknown error']);
}

/** Captures (`tcpscenario import`) are binary and larger: a minute of a busy link. */
export const MAX_CAPTURE_BYTES = 64 * 1024 * 1024;

/** What a file's type and size allow, from its stat; throws a ReadError when it is refused. */
export function checkFileKind(kind: 'file' | 'directory' | 'other', size: number, maxBytes = MAX_SCENARIO_BYTES, tooLarge: string = RUN_MESSAGES.tooLarge): void {
  if (kind === 'directory') throw new ReadError(RUN_MESSAGES.isDirectory);
  if (kind !== 'file') throw new ReadError(RUN_MESSAGES.notRegularFile);
  if (size > maxBytes) throw new ReadError(tooLarge, [size, maxBytes]);
}

/** Reads a scenario file (see the header); throws ReadError. */
export function readScenarioFile(path: string, maxBytes = MAX_SCENARIO_BYTES): string {
  return decodeScenario(readFileBytes(path, maxBytes), maxBytes);
}

/** Reads a capture (`tcpscenario import`): the same refusals as a scenario, a larger limit, no decoding. */
export function readCaptureFile(path: string): Uint8Array {
  return readFileBytes(path, MAX_CAPTURE_BYTES, RUN_MESSAGES.tooLargeCapture);
}

/** A regular file's bytes, at most `maxBytes`; throws ReadError. */
function readFileBytes(path: string, maxBytes: number, tooLarge: string = RUN_MESSAGES.tooLarge): Uint8Array {
  let fd: number;
  try {
    // Non-blocking: opening a named pipe must not wait for a writer (it is refused just after).
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw errnoError(error);
  }
  try {
    let bytes: Buffer;
    try {
      const stat = fstatSync(fd);
      checkFileKind(stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other', stat.size, maxBytes, tooLarge);
      // One byte more than allowed, to notice a file that grew since its stat.
      bytes = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
      let length = 0;
      for (;;) {
        const n = readSync(fd, bytes, length, bytes.length - length, null);
        if (n === 0) break;
        length += n;
        if (length === bytes.length) {
          if (length > maxBytes) throw new ReadError(tooLarge, [`${maxBytes}+`, maxBytes]);
          const grown = Buffer.alloc(Math.min(bytes.length * 2, maxBytes + 1));
          bytes.copy(grown);
          bytes = grown;
        }
      }
      bytes = bytes.subarray(0, length);
    } catch (error) {
      if (error instanceof ReadError) throw error;
      throw errnoError(error);
    }
    return bytes;
  } finally {
    closeSync(fd);
  }
}

/** Async form for callers that expect a promise (the debug adapter's file reader). */
export async function readScenarioFileAsync(path: string): Promise<string> {
  return readScenarioFile(path);
}

/** A scenario's content as a reader hands it over (an editor's text, or bytes), checked as a file is. */
export function scenarioText(content: string | Uint8Array, maxBytes = MAX_SCENARIO_BYTES): string {
  if (typeof content !== 'string') return decodeScenario(content, maxBytes);
  // UTF-16 units: at least one byte each, so a longer text is surely over the limit.
  if (content.length > maxBytes) throw new ReadError(RUN_MESSAGES.tooLarge, [`${content.length}+`, maxBytes]);
  return content;
}

/** UTF-8 bytes -> text; a NUL byte or invalid UTF-8 is a ReadError naming its line and column. */
export function decodeScenario(bytes: Uint8Array, maxBytes = MAX_SCENARIO_BYTES): string {
  if (bytes.length > maxBytes) throw new ReadError(RUN_MESSAGES.tooLarge, [bytes.length, maxBytes]);
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const [line, column] = position(bytes, nul);
    throw new ReadError(RUN_MESSAGES.nulByte, [], line, column);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const [line, column] = position(bytes, at);
    throw new ReadError(RUN_MESSAGES.notUtf8, [bytes[at].toString(16).toUpperCase().padStart(2, '0')], line, column);
  }
}

/** 1-based line and column (UTF-16 code units, as editors and diagnostics count) of byte `offset`. */
function position(bytes: Uint8Array, offset: number): [number, number] {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  // The bytes before `offset` on its line are valid UTF-8 (the offset is the first bad one).
  const before = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset)).replace(/^\uFEFF/, '');
  return [line, before.length + 1];
}

/** Offset of the first byte that does not begin a well-formed UTF-8 sequence (Unicode 3.9, table 3-7); -1 if none. */
export function firstInvalidUtf8(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    if (i + 1 >= n || b[i + 1] < lo || b[i + 1] > hi) return i;
    for (let k = 2; k <= need; k++) if (i + k >= n || (b[i + k] & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return -1;
}
