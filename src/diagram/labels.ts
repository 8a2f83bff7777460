// The diagram's texts and their sizes (pure): segment labels (full, wrapped, shortened for a
// burst), state and note texts, timer and legend names, and the widths the layout reserves.

import type { AppEvent, DataEvent, NoteEvent } from '../engine/trace';
import { flagLabel, formatTimeOnAxis, relativeSeq, segmentLabel as labelOfSegment } from '../text/format';
import { fill } from '../text/translate';
import { textWidth } from './format';
import { COMPACT, type ArrowItem, type LegendEntry, type Layout, type SegmentMark } from './types';
import { ENGLISH_SAY, type Say } from './words';

/** seq/ack relative to an ISN, shown signed when it lies "before" the ISN (an old duplicate): src/text/format.ts. */
export function relativeTo(value: number, isn: number): number {
  return relativeSeq(value, isn);
}

/**
 * The segment's label, written as everywhere else (src/text/format.ts): `SYN,ACK seq=0 ack=1 len=0`;
 * with `wnd`, the advertised window after it, when the arrows are labelled with it (DiagramOptions.windowLabels).
 */
export function segmentLabel(flags: readonly string[], seq: number, ack: number, len: number, wnd?: number): string {
  const label = labelOfSegment({ flags, len }, { seq, ack });
  return wnd === undefined ? label : `${label} wnd=${wnd}`;
}

export const BADGE: Record<SegmentMark, string> = {
  retransmission: 'RETX',
  duplicate: 'DUP',
  corrupt: 'CORRUPT',
  injected: 'INJECTED',
  probe: 'PROBE',
  lost: 'LOST',
  rst: '',
  inflight: '',
};

export const TIMER_LABEL: Record<string, string> = {
  'time-wait': 'TIME-WAIT 2·MSL',
  retransmission: 'RTO',
  keepalive: 'keep-alive',
  'delayed-ack': 'delayed ACK',
  'user-timeout': 'user timeout',
  'zero-window-probe': 'persist',
  'loss-probe': 'TLP',
  reordering: 'RACK reordering',
  'fin-wait-2': 'FIN-WAIT-2 timeout',
};

export const LEGEND_TEXT: Record<LegendEntry['mark'], string> = {
  lost: 'lost segment (ends in a cross)',
  retransmission: 'retransmission',
  duplicate: 'duplicate made by the network',
  corrupt: 'corrupted: fails the checksum, discarded',
  injected: 'injected (crafted) segment',
  probe: 'keep-alive or zero-window probe',
  rst: 'reset (RST)',
  inflight: 'in flight',
  timer: 'timer running (bar beside the lifeline)',
  gap: 'idle time compressed; duration written',
  'expect-ok': 'expectation held',
  'expect-failed': 'expectation failed',
  state: 'state change',
};

export const LEGEND_ORDER: LegendEntry['mark'][] = [
  'state',
  'lost',
  'retransmission',
  'duplicate',
  'corrupt',
  'injected',
  'probe',
  'rst',
  'inflight',
  'timer',
  'gap',
  'expect-ok',
  'expect-failed',
];

/** The template of a data event's note (said in the drawing's language, LadderWords). */
export const DELIVERED_TEXT = 'delivered {0} bytes';

/**
 * The words drawn inside the ladder (badges, timer names, the delivered note) in the drawing's
 * language: said once per build (DiagramOptions.say), so the layout measures the translated text
 * and no item says a template again.
 */
export interface LadderWords {
  badge: Readonly<Record<SegmentMark, string>>;
  timer: Readonly<Record<string, string>>;
  /** The delivered note's template, said ({0}: the bytes). */
  delivered: string;
}

function sayEach<K extends string>(table: Readonly<Record<K, string>>, say: Say): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const key of Object.keys(table) as K[]) out[key] = table[key] === '' ? '' : say(table[key]);
  return out;
}

/** The ladder's words said by `say` (English by default). */
export function ladderWords(say: Say = ENGLISH_SAY): LadderWords {
  return { badge: sayEach(BADGE, say), timer: sayEach(TIMER_LABEL, say), delivered: say(DELIVERED_TEXT) };
}

export const ENGLISH_LADDER: LadderWords = ladderWords();

/** Every template the ladder draws (l10n keys: the host, the l10n test). */
export const LADDER_TEMPLATES: readonly string[] = [...Object.values(BADGE).filter((b) => b !== ''), ...Object.values(TIMER_LABEL), DELIVERED_TEXT];

export function appCallText(event: AppEvent): string {
  const bytes = event.bytes !== undefined ? String(event.bytes) : '';
  const base = event.call === 'crash' ? 'crash' : `${event.call}(${event.call === 'send' || event.call === 'receive' ? bytes : ''})`;
  return event.error ? `${base} → ${event.error}` : base;
}

export function stateText(event: { to: string; conn?: string }): string {
  return event.conn ? `${event.to} [${event.conn}]` : event.to;
}

export function noteText(event: AppEvent | DataEvent | NoteEvent, words: LadderWords = ENGLISH_LADDER): string {
  return event.kind === 'app' ? appCallText(event) : event.kind === 'data' ? fill(words.delivered, [event.bytes]) : event.message;
}

export function stateBoxWidth(text: string, layout: Layout, compact = false): number {
  // Compact: as wide as the text needs, no fixed least width.
  return compact ? textWidth(text, layout.fontPx) + 12 : Math.max(86, textWidth(text, layout.fontPx + 0.5) + 14);
}

/** Width of an endpoint's header box (svg.ts draws it so). */
export function headerWidth(endpoint: { name: string; address: string; port: number }): number {
  const addr = endpoint.address ? `${endpoint.address}${endpoint.port ? `:${endpoint.port}` : ''}` : '';
  return Math.max(120, textWidth(endpoint.name, 12) + 24, textWidth(addr, 10) + 24);
}

/** Tick text on the compact time axis: "125ms", "2.01s". */
export function shortTime(ms: number): string {
  return formatTimeOnAxis(ms).replace(' ', '');
}

/** Compact layout: how far below its arrow the first baseline of a label drawn below it lies (clear of a lost segment's cross). */
export function labelDrop(arrow: { end: ArrowItem['end'] }): number {
  return arrow.end === 'lost' ? 18 : 13;
}

function badgesWidth(badges: readonly string[]): number {
  return badges.reduce((w, b) => w + 5 + textWidth(b, 9) * 1.1, 0);
}

/** Greedy word wrap: as many words on each line as `fits` allows (a lone long word gets its own line). */
function fillLines(words: readonly string[], fits: (line: string) => boolean): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const next = line ? `${line} ${word}` : word;
    if (line && !fits(next)) {
      lines.push(line);
      line = word;
    } else {
      line = next;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Widest line of wrapped label lines (px, compact font), badges on the first line. */
export function labelLinesWidth(lines: readonly string[], badges: readonly string[]): number {
  const badgeWidth = badgesWidth(badges);
  return Math.max(...lines.map((l, i) => textWidth(l, COMPACT.labelFontPx) + (i === 0 ? badgeWidth : 0)));
}

/**
 * Compact layout, a label on one line, shortened as much as needed (a burst's later segments, or
 * an arrow too short for the label wrapped): the whole label, then the flags with seq and len
 * (with ack for a bare ACK, whose point it is), then the flags with seq, then the flags alone
 * (they say most about the protocol). Hover shows the rest.
 */
export function burstCandidates(flags: readonly string[], seq: number, ack: number, len: number, wnd?: number): string[] {
  const flagText = flagLabel(flags);
  const full = segmentLabel(flags, seq, ack, len, wnd);
  const bareAck = len === 0 && flags.includes('ACK') && !flags.some((f) => f === 'SYN' || f === 'FIN' || f === 'RST');
  return !flags.length
    ? [full, `seq=${seq}`]
    : bareAck
      ? [full, `${flagText} ack=${ack}`, flagText]
      : [full, `${flagText} seq=${seq} len=${len}`, `${flagText} seq=${seq}`, flagText];
}

/** Width of an arrow's label (compact: its lines; wide: the whole label on one line). */
export function burstLabelWidth(arrow: { labelLines?: readonly string[]; label: string; badges: readonly string[] }, compact: boolean, layout: Layout): number {
  return compact ? labelLinesWidth(arrow.labelLines ?? [arrow.label], arrow.badges) : textWidth(arrow.label, layout.fontPx) + badgesWidth(arrow.badges);
}

/** Compact layout: notes longer than this (px) are wrapped, onto lines of about even length, each a row. */
const NOTE_WRAP_PX = 96;
const NOTE_LINE_MAX_PX = 130;

/** A note as one line, or wrapped into lines of about even length when it is long (compact layout). */
export function wrapNote(text: string, layout: Layout): string[] {
  const total = textWidth(text, layout.fontPx);
  if (total <= NOTE_WRAP_PX) return [text];
  const count = Math.max(2, Math.ceil(total / NOTE_LINE_MAX_PX));
  const limit = (total / count) * 1.15;
  return fillLines(text.split(' '), (line) => textWidth(line, layout.fontPx) <= limit);
}

/** Compact layout: a note without an endpoint (the engine's remarks) shows as this mark, its text in the tooltip. */
export const NOTE_MARK = '•';
