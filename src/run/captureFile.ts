// Where a capture may be written (`tcpscenario trace --pcap OUT`, the Debug Console's `save capture
// FILE`): it replaces an earlier capture, never anything else: not the scenario, not a directory, not
// a file that is not a pcap or pcapng capture. A regular file is written to a temporary name and
// renamed, so a failed write leaves no half file behind; a FIFO or a device the user named is
// written straight to.

import { closeSync, openSync, readSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { InteropError, type InteropMessage } from '../interop/messages';

/** Where a capture cannot be written, said: English templates, the l10n keys (the Debug Console translates them). */
export const CAPTURE_FILE_MESSAGES = {
  needsName: '--pcap needs a file name; the capture is binary and stdout carries the JSON trace',
  isScenario: '{0} is the scenario itself; choose another name for the capture',
  cannotCheck: '{0}: cannot check it ({1})',
  notDirectory: '{0}: {1} is not a directory',
  noFolder: '{0}: the folder {1} does not exist',
  isDirectory: '{0} is a directory; give a file name for the capture',
  notRegular: '{0} is not a regular file (a pipe, a device or a socket); give the name of a file for the capture',
  notCapture: '{0} exists and is not a pcap or pcapng capture; not overwriting it (remove it or choose another name)',
  cannotWrite: '{0}: cannot write the capture ({1})',
  permissionDenied: 'permission denied',
  noSpace: 'no space left on the device',
  unknownError: 'unknown error',
  pcapExtension: '{0} is written in pcapng format (as Wireshark and tcpdump read it), whatever its extension',
  wroteEveryEndpoint: 'wrote {0} ({1} bytes, pcapng; one interface per endpoint)',
  wroteAt: 'wrote {0} ({1} bytes, pcapng; captured at {2})',
} as const;

const M = CAPTURE_FILE_MESSAGES;

/** Why the capture cannot be written where asked: one line, no stack trace; its template and arguments for whoever translates. */
export class InputError extends InteropError {}

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

/** Throws InputError when the capture must not be written to `out`; returns a note to print (a template and its arguments), if any.
 *  `regularOnly` (the Debug Console) also refuses an existing FIFO, device or socket, as reading does. */
export function checkCaptureTarget(out: string, inputs: readonly string[], regularOnly = false): InteropMessage | undefined {
  if (out === '-') throw new InputError(M.needsName);
  const target = realOrResolved(out);
  if (inputs.some((input) => realOrResolved(input) === target)) throw new InputError(M.isScenario, out);
  let stat;
  try {
    stat = statSync(out);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new InputError(M.cannotCheck, out, code ?? M.unknownError);
    try {
      if (!statSync(dirname(resolve(out))).isDirectory()) throw new InputError(M.notDirectory, out, dirname(out));
    } catch (inner) {
      if (inner instanceof InputError) throw inner;
      throw new InputError(M.noFolder, out, dirname(out));
    }
    return extensionNote(out);
  }
  if (stat.isDirectory()) throw new InputError(M.isDirectory, out);
  if (regularOnly && !stat.isFile()) throw new InputError(M.notRegular, out);
  if (stat.isFile() && stat.size > 0 && !startsLikeCapture(out)) {
    throw new InputError(M.notCapture, out);
  }
  return extensionNote(out);
}

function extensionNote(out: string): InteropMessage | undefined {
  return extname(out).toLowerCase() === '.pcap' ? { template: M.pcapExtension, args: [out] } : undefined;
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
    throw new InputError(M.cannotWrite, out, code === 'EACCES' ? M.permissionDenied : code === 'ENOSPC' ? M.noSpace : (code ?? String(error)));
  }
}
