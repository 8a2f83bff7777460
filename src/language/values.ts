// Reading the text of number-like tokens: integers, durations, percentages, addresses.

import { DURATION_UNITS } from './vocabulary';

export const MAX_U32 = 0xffff_ffff;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** Decimal or 0x-hexadecimal integer, or undefined. */
export function parseInteger(text: string): number | undefined {
  // Hand-written (no regex): this runs for every byte count and segment field.
  const length = text.length;
  if (length === 0) return undefined;
  let i = 0;
  while (i < length && isDigit(text.charCodeAt(i))) i++;
  if (i === length) return Number(text);
  if (length > 2 && text.charCodeAt(0) === 48 && (text.charCodeAt(1) | 0x20) === 120 /* x */) {
    for (i = 2; i < length; i++) {
      const c = text.charCodeAt(i);
      if (!isDigit(c) && !((c | 0x20) >= 97 && (c | 0x20) <= 102)) return undefined;
    }
    return parseInt(text.slice(2), 16);
  }
  return undefined;
}

export type DurationResult =
  | { ok: true; us: number; exact: boolean }
  | { ok: false; reason: 'missing-unit' | 'unknown-unit' | 'invalid'; unit?: string };

/** `10ms`, `1.5s`, `2min`, `0` -> microseconds (rounded to whole microseconds). */
export function parseDuration(text: string): DurationResult {
  // Digits, an optional fraction, then letters (hand-written: this runs once per timed line).
  let i = 0;
  while (i < text.length && isDigit(text.charCodeAt(i))) i++;
  if (i === 0) return { ok: false, reason: 'invalid' };
  if (i < text.length && text.charCodeAt(i) === 46 /* . */) {
    const fractionStart = ++i;
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    if (i === fractionStart) return { ok: false, reason: 'invalid' };
  }
  const numberEnd = i;
  while (i < text.length && isLetter(text.charCodeAt(i))) i++;
  if (i !== text.length) return { ok: false, reason: 'invalid' };
  const amount = Number(text.slice(0, numberEnd));
  const unit = text.slice(numberEnd);
  if (unit === '') {
    if (amount === 0) return { ok: true, us: 0, exact: true };
    return { ok: false, reason: 'missing-unit' };
  }
  const scale = DURATION_UNITS[unit];
  if (scale === undefined) return { ok: false, reason: 'unknown-unit', unit };
  const exact = amount * scale;
  const us = Math.round(exact);
  return { ok: true, us, exact: Math.abs(exact - us) < 1e-6 };
}

/** `5%` -> 0.05; a bare `0.05` is read as a probability too. */
export function parseProbability(text: string): number | undefined {
  const percent = /^([0-9]+(?:\.[0-9]+)?)%$/.exec(text);
  if (percent) return Number(percent[1]) / 100;
  if (/^[0-9]+(?:\.[0-9]+)?$/.test(text)) return Number(text);
  return undefined;
}

export interface ParsedAddress {
  host: string;
  octets: number[];
  port?: number;
}

/** `10.0.0.1` or `10.0.0.1:80` (numbers unchecked: the checker reports ranges). */
export function parseAddress(text: string): ParsedAddress | undefined {
  const match = /^([0-9]+)\.([0-9]+)\.([0-9]+)\.([0-9]+)(?::([0-9]+))?$/.exec(text);
  if (!match) return undefined;
  return {
    host: `${match[1]}.${match[2]}.${match[3]}.${match[4]}`,
    octets: [match[1], match[2], match[3], match[4]].map(Number),
    port: match[5] === undefined ? undefined : Number(match[5]),
  };
}

/** Microseconds as the shortest exact text: 2000000 -> "2s", 1500 -> "1500us"... */
export function formatDuration(us: number): string {
  if (us === 0) return '0';
  for (const [unit, scale] of [['h', 3_600_000_000], ['min', 60_000_000], ['s', 1_000_000], ['ms', 1_000]] as const) {
    if (us % scale === 0) return `${us / scale}${unit}`;
  }
  if (us >= 1000 && (us / 1000) % 1 !== 0 && Number.isInteger(us / 100)) return `${us / 1000}ms`;
  return `${us}us`;
}
