// Building the model from the trace. A step appends events and a step back truncates: the
// builder takes only the change. A long trace arriving at once is built in steps: first the
// events that fill the first screens (or up to the current event), drawn at once; the rest in
// idle callbacks, each ending by a deadline (the builder leaves the arrows it did not reach for
// the next one, top first: a new frame lays out every arrow again, in steps too), so that input
// waits at most one step. A part of the trace arriving later is only queued for the steps. `state.builtEvents` is how many of the trace's
// events the model holds (trace indices: the model's event i is the trace's `state.base + i`);
// the builder always matches it, so a new message folds into a pending build.
// The copy may be a window of a long trace (src/diagram/feed.ts): when earlier events arrive,
// a model from the new start is built behind the one drawn, and replaces it when it is done,
// the current event kept where it was on screen.

import { COMPACT_BELOW, ModelBuilder, type Until } from '../src/diagram/model';
import { updateChrome } from './chrome';
import { say } from './page';
import { modelChanged, place, render } from './ladder';
import { building, inputOf, MIN_ZOOM, post, state } from './state';
import { autoZoom, clampTop, fitZoom, layoutSizer, measure, panelWidth, scrollToTop, type View } from './viewport';

/** New events below this count are built at once. */
const CHUNKED_ABOVE = 1000;
/** The first step builds at least this many events, doubled until they fill the screen and half another. */
const FIRST_STEP_EVENTS = 300;
/** A later step works at most this long (ms), so that input is never kept waiting. */
const STEP_BUDGET_MS = 10;
/** Events per slice of a step, adapted to what the last slices cost. */
let sliceEvents = 500;

let buildTimer: number | undefined;

function newBuilder(): ModelBuilder {
  return new ModelBuilder({ relative: state.relative, windowLabels: state.windowLabels, width: state.layoutWidth > 0 ? state.layoutWidth : undefined, say });
}

/** Lay out again from scratch at the next rebuild (other options, another scenario, another width, another window). */
export function dropBuilder(): void {
  state.builder = undefined;
  state.pending = undefined;
}

/** Rebuilds the model and draws it; `reveal` scrolls the current event into view if it is not. */
export function rebuild(reveal = false, unchangedEvents = 0): void {
  const view = measure();
  const { store } = state;
  if (!state.builder) {
    state.layoutWidth = panelWidth();
    state.builder = newBuilder();
    state.base = store.offset;
    state.builtEvents = store.offset;
  }
  cancelStep();
  const total = store.length;
  const current = store.current;
  const keep = Math.max(state.base, Math.min(unchangedEvents, state.builtEvents));
  if (total - keep > CHUNKED_ABOVE) {
    // Enough for the first screens (and the current event), unless that is most of it anyway. A
    // part arriving below a drawn model (the host sends a long trace in parts) waits for the steps.
    const fresh = keep <= state.base || !state.model;
    let count = Math.min(total, Math.max(fresh ? keep + FIRST_STEP_EVENTS : keep, current >= 0 ? current + 1 + FIRST_STEP_EVENTS : 0));
    if (fresh && count - state.base > (total - state.base) / 2) count = total;
    // Their arrows (most of the work) only down to below the screens shown; the rest in the steps.
    const until = belowScreens(view, current);
    if (count > keep || keep < state.builtEvents) buildTo(count, keep, until);
    const wanted = (view.top + view.height * 1.5) / Math.max(state.zoom, MIN_ZOOM);
    while (state.model && state.builtEvents < total && state.model.height < wanted) {
      buildTo(Math.min(total, state.base + (state.builtEvents - state.base) * 2), state.builtEvents, until);
    }
  } else {
    buildTo(total, keep);
  }
  state.revealPending = reveal && current >= state.builtEvents;
  updateChrome();
  autoZoom(view);
  layoutSizer();
  place(view, reveal);
  if (building()) scheduleNextStep();
}

/**
 * Stops laying out arrows at the first one that starts a quarter screen below the screen at
 * `view` (or at the current event, which is revealed), at the zoom the model will be shown at:
 * arrows go top first and down in time, so all those in view are done (a label above its arrow's
 * start reaches a few rows up); the band's margins wait for the steps, drawn after the first frame.
 */
function belowScreens(view: View, current: number): Until {
  return (top) => {
    const model = state.builder?.view;
    if (!model) return false;
    const zoom = state.userZoom ? state.zoom : fitZoom(model.width, view.width);
    const screens = (Math.max(view.height, 200) * 1.25) / zoom;
    const index = current - state.base;
    const from = index >= 0 && index < model.eventCount ? Math.max(view.top / zoom, model.eventY(index)) : view.top / zoom;
    return top > from + screens;
  };
}

/**
 * Makes the model of the trace's events up to `count`, of which the builder already holds those
 * up to `from`; with `until`, the arrows not reached when it says so are left for the next step.
 */
function buildTo(count: number, from: number, until?: Until): void {
  const { builder, store } = state;
  if (!builder) return;
  if (count > state.base || store.endpoints.length) {
    builder.update(inputOf(store), from - state.base, count - state.base, state.base - store.offset, until);
    state.model = builder.view;
  } else {
    state.model = undefined;
  }
  state.builtEvents = count;
  modelChanged();
}

function cancelStep(): void {
  if (buildTimer !== undefined) cancelIdleCallback(buildTimer);
  buildTimer = undefined;
}

/** The next step runs when the page is idle (after the frame that shows the first screens), or within 50 ms. */
function scheduleNextStep(): void {
  if (buildTimer === undefined) buildTimer = requestIdleCallback(buildNextStep, { timeout: 50 });
}

/**
 * Builds events into `update` in slices until the step's deadline (the arrows left go on in the
 * next step, before any new event); returns the trace index reached. Slices are sized from what
 * the last ones cost.
 */
function slices(builder: ModelBuilder, from: number, total: number, budget: number, update: (to: number, from: number, until: () => boolean) => void): number {
  const deadline = performance.now() + budget;
  const until = () => performance.now() > deadline;
  if (builder.busy) builder.resume(until);
  let built = from;
  while (built < total && !builder.busy && !until()) {
    const sliceStart = performance.now();
    const to = Math.min(total, built + sliceEvents);
    update(to, built, until);
    const spent = performance.now() - sliceStart;
    // Aim the next slice at a quarter of the budget (taking the events in is not cut by the deadline).
    if (!builder.busy) sliceEvents = Math.max(50, Math.min(20_000, Math.round(((to - built) * budget) / 4 / Math.max(spent, 0.05))));
    else sliceEvents = Math.max(50, Math.round(sliceEvents / 2));
    built = to;
  }
  return built;
}

/** One later step: the diagram grows below what is drawn, or the model behind it (a window that grew earlier) is built on. */
function buildNextStep(deadline: IdleDeadline): void {
  buildTimer = undefined;
  const budget = Math.min(STEP_BUDGET_MS, Math.max(2, deadline.timeRemaining()));
  const total = state.store.length;
  const pending = state.pending;
  if (pending) {
    const { store } = state;
    pending.built = slices(pending.builder, Math.min(pending.built, total), total, budget, (to, from, until) => {
      pending.builder.update(inputOf(store), from - pending.base, to - pending.base, pending.base - store.offset, until);
    });
    if (pending.built >= total && !pending.builder.busy) swap();
    scheduleNextStep();
    return;
  }
  const builder = state.builder;
  if (!builder || (state.builtEvents >= total && !builder.busy)) return;
  const view = measure();
  state.builtEvents = slices(builder, state.builtEvents, total, budget, buildTo);
  // Arrows laid out by resume alone (no buildTo) are new items too.
  modelChanged();
  afterStep(view);
  if (building()) scheduleNextStep();
}

/** The model built behind the drawn one replaces it; the current event stays where it was on screen. */
function swap(): void {
  const pending = state.pending;
  if (!pending) return;
  state.pending = undefined;
  const view = measure();
  const current = state.store.current;
  const screenY = (model = state.model, base = state.base) => (model && current >= base && current < base + model.eventCount ? model.eventY(current - base) * state.zoom : undefined);
  const before = screenY();
  state.builder = pending.builder;
  state.base = pending.base;
  state.builtEvents = pending.built;
  state.model = pending.builder.view;
  modelChanged();
  updateChrome();
  autoZoom(view);
  layoutSizer();
  const after = screenY();
  const top = before !== undefined && after !== undefined ? clampTop(view.top + after - before, view.height) : view.top;
  if (top !== view.top) scrollToTop(top);
  render({ ...view, top });
}

/** Earlier events arrived and the copy is complete: a model from its new start is built behind the drawn one. */
export function buildEarlier(): void {
  const { store } = state;
  if (!state.builder || store.offset >= state.base) return;
  state.pending = { builder: newBuilder(), base: store.offset, built: store.offset };
  scheduleNextStep();
}

/** The trace changed from `kept` on while a model is built behind the drawn one: it goes back there. */
export function truncatePending(kept: number): void {
  if (state.pending && kept < state.pending.built) state.pending.built = Math.max(state.pending.base, kept);
}

/** Finishes a pending build at once (export and fit need the whole diagram). */
export function completeBuild(): void {
  if (state.pending) {
    const { store } = state;
    const pending = state.pending;
    pending.builder.update(inputOf(store), pending.built - pending.base, store.length - pending.base, pending.base - store.offset);
    pending.builder.resume();
    pending.built = store.length;
    swap();
  }
  if (!state.builder || !building()) return;
  cancelStep();
  const view = measure();
  buildTo(state.store.length, state.builtEvents);
  state.builder.resume();
  afterStep(view);
}

function afterStep(view: View): void {
  updateChrome();
  autoZoom(view);
  layoutSizer();
  const reveal = state.revealPending && state.store.current < state.builtEvents;
  if (reveal) state.revealPending = false;
  place(view, reveal);
}

let moreTimer: number | undefined;
/** The host holds more of the trace: ask for the next part once this one is drawn and the page is idle. */
export function askForMore(): void {
  if (moreTimer !== undefined) return;
  moreTimer = requestIdleCallback(
    () => {
      moreTimer = undefined;
      post({ type: 'more' });
    },
    { timeout: 100 },
  );
}

/** Relayout after the panel's width changed enough to matter (debounced: a drag resizes many times). */
let relayoutTimer: ReturnType<typeof setTimeout> | undefined;
export function scheduleRelayout(): void {
  clearTimeout(relayoutTimer);
  relayoutTimer = setTimeout(() => {
    relayoutTimer = undefined;
    const width = panelWidth();
    const wideBefore = state.layoutWidth >= COMPACT_BELOW;
    const wideNow = width >= COMPACT_BELOW;
    if (width <= 0 || (wideBefore && wideNow) || Math.abs(width - state.layoutWidth) < 24) return;
    dropBuilder();
    rebuild();
  }, 150);
}
