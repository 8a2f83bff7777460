// A connection's timers as plain data (smoltcp's `Timer` is the model): one absolute expiry per
// timer, -1 when not armed, and the earliest of them cached so the simulator finds the next
// timer without looking at every one. No clock inside: `now` is passed in.

import type { TimerName } from './trace';

// Timers of a connection, in the order they fire when due at the same instant.
export const T_TIMEWAIT = 0;
export const T_RTX = 1;
export const T_PERSIST = 2;
export const T_DELACK = 3;
export const T_KEEPALIVE = 4;
export const T_USER = 5;
// The linux profile's own (tcp/linux/): the tail loss probe and RACK's reordering timer share the
// kernel's retransmission timer (icsk_pending says which is armed; at most one of the three is), and
// an orphaned FIN-WAIT-2 runs on a timewait socket's timer; they have their own names here so that a
// trace says which is running.
export const T_LOSSPROBE = 6;
export const T_REORDER = 7;
export const T_FINWAIT2 = 8;
export const TIMER_COUNT = 9;
export const TIMER_NAMES: readonly TimerName[] = ['time-wait', 'retransmission', 'zero-window-probe', 'delayed-ack', 'keepalive', 'user-timeout', 'loss-probe', 'reordering', 'fin-wait-2'];

export interface Timers {
  /** Absolute expiry per timer (microseconds), -1 when not armed. */
  timerAt: number[];
  /** Scenario line of what armed each timer (0 when none): the timer's events carry it. */
  timerLine: number[];
  /** Earliest armed expiry, Infinity when none. */
  nextTimer: number;
}

export function newTimers(): Timers {
  return { timerAt: [-1, -1, -1, -1, -1, -1, -1, -1, -1], timerLine: [0, 0, 0, 0, 0, 0, 0, 0, 0], nextTimer: Infinity };
}

export function armed(t: Timers, timer: number): boolean {
  return t.timerAt[timer] >= 0;
}

/** Arm (or re-arm) `timer` to expire at `at`. */
export function arm(t: Timers, timer: number, at: number, line: number | undefined): void {
  t.timerAt[timer] = at;
  t.timerLine[timer] = line ?? 0;
  if (at < t.nextTimer) t.nextTimer = at;
  else refreshNext(t);
}

/** Disarm `timer`; returns whether it was armed. */
export function disarm(t: Timers, timer: number): boolean {
  if (t.timerAt[timer] < 0) return false;
  t.timerAt[timer] = -1;
  refreshNext(t);
  return true;
}

/** The timer that expires at `nextTimer` (the first in firing order when several do). */
export function dueTimer(t: Timers): number {
  let timer = 0;
  while (t.timerAt[timer] !== t.nextTimer) timer++;
  return timer;
}

function refreshNext(t: Timers): void {
  let next = Infinity;
  const at = t.timerAt;
  for (let i = 0; i < TIMER_COUNT; i++) if (at[i] >= 0 && at[i] < next) next = at[i];
  t.nextTimer = next;
}
