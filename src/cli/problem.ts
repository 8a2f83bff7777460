// Why a CLI command cannot do what it was asked (a wrong command line, an output it cannot write, a
// PNG Chromium did not make): one error for every command, its message a template and arguments so
// the CLI says it in the user's language.

import { ENGLISH, message, type Argument, type Message } from '../text/translate';
import { CLI_MESSAGES as C } from './messages';

/** The message is English; `problem` lets the CLI say it in the user's language. */
export class CliProblem extends Error {
  constructor(readonly problem: Message) {
    super(ENGLISH.message(problem));
  }
}

export const problem = (template: string, ...args: Argument[]): CliProblem => new CliProblem(message(template, ...args));

/** A positive number from the command line (an integer for events): `--max-events`, `--max-seconds`. */
export function limitArgument(name: string, value: string | undefined, integer: boolean): number {
  const n = value === undefined || value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    if (value === undefined) throw problem(integer ? C.positiveWhole : C.positiveNumber, name);
    throw problem(integer ? C.positiveWholeNot : C.positiveNumberNot, name, value);
  }
  return n;
}
