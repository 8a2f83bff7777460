// The diagram's words in the user's language: the legend, the SVG's title line, the hover fields
// (the ladder's and the time–sequence graph's), the graph's legend and plot titles and the
// Mermaid notes are English templates (the l10n keys); whoever draws says them through a `Say`
// (the panel's host passes the translations into the page, the CLI uses the locale's bundle).
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

/**
 * The time–sequence graph's drawn words, said by graphLayout's frame (the plot titles, a later
 * connection's title) and graphSvg's export (the title line and label: {0} the direction, {1}
 * the profile). The panel and `render --graph` both pass their `Say` down to those; neither
 * translates a graph word itself.
 */
export const GRAPH_WORDS = {
  subtitle: 'time–sequence graph · {0}',
  subtitleProfile: 'time–sequence graph · {0} · profile {1}',
  label: '{0}: time–sequence graph, {1}',
  seqTitle: 'sequence number (relative, bytes)',
  windowTitle: 'congestion window (bytes)',
  /** A second or later connection between two endpoints, after their names (graphLayout directionTitle). */
  connection: 'connection {0}, from {1}',
} as const;

/** The time–sequence graph's legend, by mark (graphLayout legendEntries says the ones drawn). */
export const GRAPH_LEGEND_WORDS = {
  segment: 'segment sent',
  retransmission: 'retransmission',
  lost: 'lost',
  ack: 'ACK',
  'duplicate-ack': 'duplicate ACK',
  window: 'receive window (ACK + wnd)',
  sack: 'SACK block',
  cwnd: 'cwnd',
  ssthresh: 'ssthresh',
} as const;

export type GraphLegendMark = keyof typeof GRAPH_LEGEND_WORDS;

/** The time–sequence graph's hover fields and fixed values (graphLayout.ts pointFields) not among FIELD_WORDS. */
export const GRAPH_FIELD_WORDS = ['ACK', 'arrived at', 'window edge', 'duplicate', 'SACK', 'lost segment', 'sender', 'cwnd', 'ssthresh', 'zero-window', 'not set yet (slow start)'] as const;

/** Every template the diagram says (legend and ladder texts are in labels.ts): l10n keys, for the host and the l10n test. */
export function diagramTemplates(legend: readonly string[]): string[] {
  return [...new Set([...Object.values(DRAWING_WORDS), ...FIELD_WORDS, ...Object.values(GRAPH_WORDS), ...Object.values(GRAPH_LEGEND_WORDS), ...GRAPH_FIELD_WORDS, ...legend])];
}
