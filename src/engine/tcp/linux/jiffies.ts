// The kernel's clock for timers. Linux sets its TCP timers in jiffies (CONFIG_HZ: 250 on the captured
// kernel, 4 ms), rounding a length up to whole jiffies (usecs_to_jiffies), and puts each timer in the
// timer wheel (kernel/time/timer.c calc_index), which never fires early: a timer due at jiffy E runs
// at the first bucket boundary after E, one jiffy later for timers shorter than 63 jiffies, up to 8 jiffies
// (32 ms) later below 504 jiffies (2 s), 64 jiffies (256 ms) below 4032, 512 jiffies (2 s) below 32256. The profile counts jiffies from time 0, so its timers land where the kernel's would with
// that phase: a SYN's first retransmission 1024 ms after it (the captures: 1022 to 1028), a timer
// set for "now" (the delayed ACK of a connection that has received no data) at the next tick.

/** One jiffy at HZ=250, µs. */
export const JIFFY = 4000;
/** Where the ticks fall: half a jiffy off the scenario's clock. */
const PHASE = JIFFY / 2;
/** LVL_START(1): timers due within 63 jiffies are on level 0; each level reaches 8 times further (LVL_CLK_SHIFT 3), 8 times coarser. */
const LEVEL0_REACH = 63;
const LEVEL_FACTOR = 8;

/** usecs_to_jiffies, back in µs: rounded up to whole jiffies. */
export function jiffies(us: number): number {
  return Math.ceil(us / JIFFY) * JIFFY;
}

/** How long after `now` a kernel timer set for `us` fires: the wheel bucket after its due jiffy. */
export function timerDelay(now: number, us: number): number {
  const nowJ = Math.floor((now + PHASE) / JIFFY);
  const due = nowJ + Math.ceil(Math.max(0, us) / JIFFY);
  const delta = due - nowJ;
  let granularity = 1;
  let reach = LEVEL0_REACH;
  while (delta >= reach && granularity < 2 ** 24) {
    granularity *= LEVEL_FACTOR;
    reach *= LEVEL_FACTOR;
  }
  const bucket = Math.floor((due + granularity) / granularity) * granularity;
  return bucket * JIFFY - PHASE - now;
}
