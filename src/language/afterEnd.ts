// Statements that run after `end` (the checker's `runs-after-end` warning), read from the packed
// tree: the timeline of semantics.ts reads every statement's object, and making them for a long
// file with an `end` cost four to five times the rest of its check.

import type { Range } from './diagnostic';
import { T_AT } from './tokens';
import * as T from './tree';

export interface LateStatements {
  /** The `end` time (µs) and its line. */
  end: { us: number; line: number };
  /** Each statement timed after it, in text order: its time (µs) and range. */
  late: { us: number; range: Range }[];
}

/**
 * The statements timed after the last `end` (`timeline` of semantics.ts, read from the tree: the
 * same times, without objects), or undefined when there is no `end` with a known time, or it is
 * `end +D` after a wait (its time is known only at run time, so no statement is surely after it).
 */
export function lateStatements(tree: T.Tree): LateStatements | undefined {
  const n = tree.nodes;
  const count = tree.statementCount;
  // Each timed statement's time (NaN: untimed).
  const times = new Float64Array(count).fill(NaN);
  let now = 0;
  let waited = false;
  let end: { us: number; line: number; afterWait: boolean } | undefined;
  for (let i = 0; i < count; i++) {
    const at = tree.statements[i];
    const kind = n[at + T.S_KIND];
    if (kind === T.ST_END) {
      const sign = n[at + T.END_AT];
      const us = timeOf(tree, sign);
      if (us !== undefined) {
        const relative = tree.tokenKind[sign] !== T_AT;
        end = { us: relative ? now + us : us, line: n[at + T.S_LINE], afterWait: waited && relative };
      }
      continue;
    }
    if (kind < T.ST_ACTION) continue; // declarations take no time
    const sign = n[at + T.S_TIME];
    const us = timeOf(tree, sign);
    // A time that goes backwards is an error (reported by the checker); keep time monotonic.
    if (us !== undefined) now = tree.tokenKind[sign] === T_AT ? Math.max(now, us) : now + us;
    times[i] = now;
    if (holdsTimeline(tree, at, kind)) waited = true;
  }
  if (!end || end.afterWait) return undefined;
  const late: LateStatements['late'] = [];
  for (let i = 0; i < count; i++) if (times[i] > end.us) late.push({ us: times[i], range: tree.statementRange(tree.statements[i]) });
  return { end: { us: end.us, line: end.line }, late };
}

/** The µs of the time whose sign token is `sign` (-1: none), or undefined. */
function timeOf(tree: T.Tree, sign: number): number | undefined {
  return sign < 0 ? undefined : tree.durationOf(sign + 1);
}

/** `holdsTimeline` of semantics.ts: a `wait`, or an `expect next`. */
function holdsTimeline(tree: T.Tree, at: number, kind: number): boolean {
  if (kind === T.ST_WAIT) return true;
  if (kind !== T.ST_EXPECT) return false;
  const x = tree.nodes[at + T.EXPECT_EXPECTATION];
  return x >= 0 && tree.nodes[x + T.X_KIND] === T.X_SEGMENT && tree.nodes[x + T.SEGMENT_NEXT] >= 0;
}
