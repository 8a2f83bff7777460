// Which scenario statement the run has reached: how many statements have begun at the current
// state, and the trace event at which each began (Step Over, Step Out, Jump to Cursor and line
// breakpoints go by them). A statement at time T begins with an event due at or after T; a `wait`
// (and an `expect next`) begins where it finishes (its note, or its failure), not at the first event
// of the step that finished it, so Step Over and its line breakpoint stop there.

import type { Statement } from '../engine/program';
import type { TraceEvent } from '../engine/trace';

export class StatementProgress {
  /** How many statements have begun at the current state. */
  cursor = 0;
  /** Trace index of the event at which each statement began, as far as the run has got. */
  private starts: number[] = [];

  constructor(private readonly statements: readonly Statement[]) {}

  /** The trace index at which statement `index` began, when the run has got that far. */
  startOf(index: number): number | undefined {
    return this.starts[index];
  }

  /**
   * Every event, forward or replayed, at trace index `index`; `run` is how many statements the
   * simulation has run after it. Returns how many statements began with it.
   */
  note(event: TraceEvent, index: number, run: number): number {
    const statements = this.statements;
    if (this.cursor >= statements.length) return 0;
    // A statement at time T runs after every event due at or before T, so nothing earlier can begin it.
    if (event.t * 1000 + 0.5 < statements[this.cursor].at) return 0;
    const before = this.cursor;
    let next = run;
    for (let s = before; s < next; s++) {
      const kind = statements[s].action.kind;
      if ((kind === 'wait-state' || kind === 'wait-received' || kind === 'expect-next') && !(event.line === statements[s].line && (event.kind === 'note' || event.kind === 'expect'))) {
        next = s;
        break;
      }
    }
    this.cursor = next;
    for (let s = before; s < next; s++) this.starts[s] = index;
    return Math.max(0, next - before);
  }

  /** The future from trace index `at` changed (a Debug Console fault): the starts found there are void. */
  forgetFrom(at: number): void {
    this.starts = this.starts.filter((i) => i < at);
  }
}
