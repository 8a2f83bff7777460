// Every field of a diagram item as label/value rows (pure): the webview's tooltips and the
// SVG's <title>, in the drawing's language (words.ts).

import type { RuleInfo } from '../engine/trace';
import { flagsText, NO_FLAGS, optionsText } from '../text/format';
import { message, type Message } from '../text/translate';
import { formatTime } from '../text/format';
import type { DiagramItem, ModelFrame } from './types';
import { ENGLISH_SAY, type Say } from './words';

export function itemFields(item: DiagramItem, model: Pick<ModelFrame, 'relative'>, say: Say = ENGLISH_SAY): [string, string][] {
  const rows: [string, string][] = [];
  const english = englishFields(item, model);
  for (const [name, value] of english) rows.push([say(name), typeof value === 'object' ? say(value.template, ...value.args) : FIXED_VALUES.has(value) ? say(value) : value]);
  return rows;
}

/** Values that are words of the diagram, not names or numbers. */
const FIXED_VALUES = new Set([NO_FLAGS, 'in flight', 'lost', 'yes', 'yes (crafted by the scenario)', 'held', 'FAILED']);

/**
 * Why the item's events happened, as rows: for each rule they name (the send, a drop, a state
 * change), `why` with where it is written and its summary, and `link`. The summaries come said
 * already (the host translates them: the English summary is the l10n key).
 */
export function ruleFields(rules: readonly RuleInfo[], say: Say = ENGLISH_SAY): [string, string][] {
  return rules.flatMap((rule): [string, string][] => [
    [say('why'), say('{0}: {1}', rule.source, rule.summary)],
    [say('link'), rule.url],
  ]);
}

function englishFields(item: DiagramItem, model: Pick<ModelFrame, 'relative'>): [string, string | Message][] {
  const rows: [string, string | Message][] = [];
  switch (item.kind) {
    case 'arrow': {
      const s = item.segment;
      const shownLabel = model.relative ? ' (relative)' : '';
      rows.push(['segment', `${item.id}: ${item.from} → ${item.to}`]);
      rows.push(['flags', flagsText(s.flags)]);
      rows.push([`seq${shownLabel}`, String(item.shownSeq)]);
      if (model.relative) rows.push(['seq (absolute)', String(s.seq)]);
      // The label shows ack only when ACK is set.
      rows.push([`ack${shownLabel}`, String(s.flags.includes('ACK') ? item.shownAck : s.ack)]);
      if (model.relative) rows.push(['ack (absolute)', String(s.ack)]);
      rows.push(['len', String(s.len)]);
      rows.push(['wnd', String(s.wnd)]);
      // SACK blocks count in the ack's numbers: relative to the same ISN when the ack is.
      if (s.options !== undefined) rows.push(['options', optionsText(s.options, model.relative ? (s.ack - item.shownAck) >>> 0 : undefined)]);
      rows.push(['sent at', formatTime(item.sentAt)]);
      if (item.end === 'arrive' && item.endAt !== undefined) {
        rows.push(['delivered at', formatTime(item.endAt)]);
        rows.push(['flight time', formatTime(item.endAt - item.sentAt)]);
      } else if (item.end === 'lost' || item.end === 'discarded') {
        if (item.endAt !== undefined) rows.push(['dropped at', formatTime(item.endAt)]);
        rows.push(['dropped', item.dropReason ?? 'lost']);
      } else if (item.end === 'inflight') {
        rows.push(['status', 'in flight']);
      }
      if (item.marks.includes('retransmission')) rows.push(['retransmission', 'yes']);
      if (item.duplicateOf) rows.push(['duplicate of', item.duplicateOf]);
      if (item.marks.includes('injected')) rows.push(['injected', 'yes (crafted by the scenario)']);
      if (item.marks.includes('probe')) rows.push(['probe', 'yes']);
      break;
    }
    case 'state':
      rows.push(['endpoint', item.conn ? `${item.endpoint} [${item.conn}]` : item.endpoint]);
      rows.push(['state', `${item.from} → ${item.to}`]);
      rows.push(['cause', item.cause]);
      rows.push(['at', formatTime(item.t)]);
      break;
    case 'timer':
      rows.push(['timer', item.name]);
      rows.push(['endpoint', item.conn ? `${item.endpoint} [${item.conn}]` : item.endpoint]);
      rows.push(['started at', formatTime(item.startAt)]);
      if (item.expires !== undefined) rows.push(['expires at', formatTime(item.expires)]);
      rows.push([item.end === 'pending' ? 'pending until' : `${item.end === 'fire' ? 'fired' : item.end === 'cancel' ? 'cancelled' : 'restarted'} at`, formatTime(item.endAt)]);
      rows.push(['ran for', formatTime(item.endAt - item.startAt)]);
      break;
    case 'note':
      if (item.endpoint) rows.push(['endpoint', item.endpoint]);
      rows.push([item.noteKind === 'app' ? 'call' : item.noteKind === 'data' ? 'delivered' : 'note', item.text]);
      if (item.error) rows.push(['error', item.error]);
      rows.push(['at', formatTime(item.t)]);
      break;
    case 'expect':
      rows.push(['expectation', item.ok ? 'held' : 'FAILED']);
      rows.push(['message', item.message]);
      if (item.expected !== undefined) rows.push(['expected', item.expected]);
      if (item.actual !== undefined) rows.push(['actual', item.actual]);
      rows.push(['at', formatTime(item.t)]);
      break;
    case 'gap':
      rows.push(['idle', message('{0} (from {1} to {2}), drawn compressed', formatTime(item.to - item.from), formatTime(item.from), formatTime(item.to))]);
      break;
    case 'tick':
      rows.push(['time', item.text]);
      break;
  }
  if (item.line !== undefined) rows.push(['scenario line', String(item.line)]);
  return rows;
}
