// Reading scenario files and running them: what the CLI commands share. Every failure to
// read becomes an InputError with a one-line reason (the CLI never shows a stack trace).

import { readFileSync, statSync } from 'node:fs';
import { runProgram, type Simulation } from '../engine/index';
import type { Program } from '../engine/program';

/** Engine events allowed per file before a run is cut short (a safety net against endless runs). */
export const MAX_EVENTS = 2_000_000;

export class InputError extends Error {}

/** Reads a scenario; every failure becomes a one-line message (no stack traces). */
export function readScenario(path: string): string {
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `cannot read (${code ?? 'unknown error'})`);
  }
  if (stat.isDirectory()) throw new InputError('is a directory, not a scenario file');
  if (!stat.isFile()) throw new InputError('is not a regular file');
  if (stat.size > 64 * 1024 * 1024) throw new InputError('is too large for a scenario (over 64 MB)');
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === 'EACCES' ? 'permission denied' : `cannot read (${code ?? 'unknown error'})`);
  }
  if (bytes.includes(0)) throw new InputError('is a binary file, not a scenario (it contains NUL bytes)');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError('is not UTF-8 text; save it as UTF-8');
  }
}

/** Runs a program to the end (or the safety cap); returns the finished simulation. */
export function runToEnd(program: Program): { simulation: Simulation; capped: boolean } {
  const simulation = runProgram(program, MAX_EVENTS);
  return { simulation, capped: !simulation.done };
}

