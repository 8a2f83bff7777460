// The diagram's words in the user's language: the legend, the SVG's title line, the hover fields
// (the ladder's and the time–sequence graph's) and the Mermaid notes are English templates (the l10n keys); whoever draws says them through a
// `Say` (the panel's host passes the translations into the page, the CLI uses the locale's bundle).
// Pure: no translation here, only the templates and the English default.

import { fill, type Argument } from '../text/translate';

/** An English template of this file said in the drawing's language, {0}... filled. */
export type Say = (template: string, ...args: Argument[]) => string;

/** English: the template filled. */
export const ENGLISH_SAY: Say = (template, ...args) => fill(template, args);

/** The SVG's title line and the Mermaid notes. */
export const DRAWING_WORDS = {
  untitled: 'TCP scenario',
  subtitleRelative: 'profile {0} · relative sequence numbers',
  subtitleAbsolute: 'profile {0} · absolute sequence numbers',
  later: '… {0} later',
  timeWaitTimer: 'TIME-WAIT timer {0}',
  /** The time–sequence graph's title of a second or later connection between two endpoints (graphLayout directionTitle). */
  graphConnection: 'connection {0}, from {1}',
} as const;

/** The names and fixed values of the hover fields (src/diagram/fields.ts), and the rule rows. */
export const FIELD_WORDS = [
  'segment',
  'flags',
  '(no flags)',
  'seq',
  'ack',
  'seq (relative)',
  'ack (relative)',
  'seq (absolute)',
  'ack (absolute)',
  'len',
  'wnd',
  'options',
  'sent at',
  'delivered at',
  'flight time',
  'dropped at',
  'dropped',
  'lost',
  'status',
  'in flight',
  'retransmission',
  'yes',
  'duplicate of',
  'injected',
  'yes (crafted by the scenario)',
  'probe',
  'endpoint',
  'state',
  'cause',
  'at',
  'timer',
  'started at',
  'expires at',
  'pending until',
  'fired at',
  'cancelled at',
  'restarted at',
  'ran for',
  'call',
  'delivered',
  'note',
  'error',
  'expectation',
  'held',
  'FAILED',
  'message',
  'expected',
  'actual',
  'idle',
  '{0} (from {1} to {2}), drawn compressed',
  'time',
  'scenario line',
  'why',
  'link',
  '{0}: {1}',
] as const;

/** The exported time–sequence graph's title line and label (graphSvg.ts): {0} the direction, {1} the profile. */
export const GRAPH_WORDS = {
  subtitle: 'time–sequence graph · {0}',
  subtitleProfile: 'time–sequence graph · {0} · profile {1}',
  label: '{0}: time–sequence graph, {1}',
} as const;

/** The time–sequence graph's hover fields and fixed values (graphLayout.ts pointFields) not among FIELD_WORDS. */
export const GRAPH_FIELD_WORDS = ['ACK', 'arrived at', 'window edge', 'duplicate', 'SACK', 'lost segment', 'sender', 'cwnd', 'ssthresh', 'zero-window', 'not set yet (slow start)'] as const;

/** Every template the diagram says (legend and ladder texts are in labels.ts): l10n keys, for the host and the l10n test. */
export function diagramTemplates(legend: readonly string[]): string[] {
  return [...new Set([...Object.values(DRAWING_WORDS), ...FIELD_WORDS, ...Object.values(GRAPH_WORDS), ...GRAPH_FIELD_WORDS, ...legend])];
}
