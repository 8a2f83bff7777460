// `tcpscenario trace`'s document, written as the run makes its events: the text is what
// `JSON.stringify(doc, null, 2)` would print, but a long run never becomes one string (nor one array
// of a million events), and `rules` and `limit`, known only at the end, come after the events.

import { rulesOf } from '../engine/rules';
import type { RuleInfo, RunLimit, TraceDocument, TraceEvent } from '../engine/trace';
import type { Io } from './main';

/** Indents every line but the first of a pretty-printed JSON value. */
function indent(json: string, spaces: string): string {
  return json.replace(/\n/g, `\n${spaces}`);
}

/**
 * Events as the lines of `"events": [...]` in `JSON.stringify(doc, null, 2)`: one native
 * stringify of the batch at that depth, its wrapper cut off (several times faster than an event
 * at a time, or than any JavaScript that writes the text itself).
 */
function eventLines(events: readonly TraceEvent[]): string {
  const json = JSON.stringify({ events }, null, 2);
  return json.slice(json.indexOf('[') + 1, json.lastIndexOf(']') - 3);
}

/**
 * Events made into text at a time, as the run makes them: the run does not keep them
 * (`keepEvents: false`), so a batch is all that holds them, and a small one dies young (fewer
 * objects for the garbage collector to move); larger batches cost more GC, smaller more calls.
 */
const TRACE_BATCH = 2_000;

export class TraceStream {
  /** Events made since the last batch was made into text. */
  private batch: TraceEvent[] = [];
  /** Batches' text not yet written, and how many were written. */
  private readonly texts: string[] = [];
  private written = 0;
  /** The rules the events name, in the order they first appear (as rulesOf of the whole trace). */
  private readonly rules: Record<string, RuleInfo> = {};

  constructor(private readonly io: Pick<Io, 'write'>) {}

  /** The document's head, up to the opening bracket of its events. */
  async begin(head: TraceDocument): Promise<void> {
    const header = JSON.stringify({ ...head, events: [], rules: undefined, limit: undefined }, null, 2);
    // `"events": []\n}` ends the header; the events go between the brackets.
    await this.io.write(header.slice(0, header.lastIndexOf('[]') + 1));
  }

  add(event: TraceEvent): void {
    if (this.batch.push(event) >= TRACE_BATCH) this.cut();
  }

  /** Writes the batches made into text so far. */
  async flush(): Promise<void> {
    for (const text of this.texts) {
      // The comma apart: joined to the batch's text, the text would be copied once more.
      if (this.written++ > 0) await this.io.write(',', true);
      await this.io.write(text);
    }
    this.texts.length = 0;
  }

  /** Every event made: the last batch too. */
  async endEvents(): Promise<void> {
    this.cut();
    await this.flush();
  }

  /** The end of the document: `rules`, and `limit` when a limit cut the run. */
  async end(limit: RunLimit | undefined): Promise<void> {
    let buffer = this.written > 0 ? '\n  ]' : ']';
    buffer += `,\n  "rules": ${indent(JSON.stringify(this.rules, null, 2), '  ')}`;
    if (limit) buffer += `,\n  "limit": ${indent(JSON.stringify(limit, null, 2), '  ')}`;
    await this.io.write(`${buffer}\n}\n`);
  }

  private cut(): void {
    if (this.batch.length === 0) return;
    this.texts.push(eventLines(this.batch));
    for (const [id, rule] of Object.entries(rulesOf(this.batch))) this.rules[id] ??= rule;
    this.batch = [];
  }
}
