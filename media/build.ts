// Building the model from the trace. A step appends events and a step back truncates: the
// builder takes only the change. A long trace arriving at once is built in steps: first the
// events that fill the first screens (or up to the current event), drawn at once; the rest in
// idle callbacks. `state.builtEvents` is how many events the model holds; the builder always
// matches it, so a new message folds into a pending build (it truncates to the message's
// `from` and goes on from there).

import { COMPACT_BELOW, ModelBuilder } from '../src/diagram/model';
import { updateChrome } from './chrome';
import { modelChanged, place } from './ladder';
import { MIN_ZOOM, state } from './state';
import { autoZoom, layoutSizer, measure, panelWidth } from './viewport';

/** New events below this count are built at once. */
const CHUNKED_ABOVE = 3000;
/** The first step builds at least this many events, doubled until they fill a few screens. */
const FIRST_STEP_EVENTS = 500;
/** Later steps: at least this many events, or as many as are built (doubling keeps the total linear). */
const STEP_EVENTS = 2000;

let buildTimer: number | undefined;

function newBuilder(): ModelBuilder {
  state.layoutWidth = panelWidth();
  return new ModelBuilder({ relative: state.relative, width: state.layoutWidth > 0 ? state.layoutWidth : undefined });
}

/** Lay out again from scratch at the next rebuild (other options, another scenario, another width). */
export function dropBuilder(): void {
  state.builder = undefined;
}

/** Rebuilds the model and draws it; `reveal` scrolls the current event into view if it is not. */
export function rebuild(reveal = false, unchangedEvents = 0): void {
  const view = measure();
  if (!state.builder) {
    state.builder = newBuilder();
    unchangedEvents = 0;
  }
  cancelStep();
  const total = state.store.length;
  const current = state.store.current;
  const keep = Math.min(unchangedEvents, state.builtEvents);
  if (total - keep > CHUNKED_ABOVE) {
    // Enough for the first screens (and the current event), unless that is most of it anyway.
    let count = Math.min(total, Math.max(keep + FIRST_STEP_EVENTS, current >= 0 ? current + 1 + FIRST_STEP_EVENTS : 0));
    if (count > total / 2) count = total;
    buildTo(count, keep);
    const wanted = (view.top + view.height * 4) / Math.max(state.zoom, MIN_ZOOM);
    while (state.model && state.builtEvents < total && state.model.height < wanted) buildTo(Math.min(total, state.builtEvents * 2), state.builtEvents);
  } else {
    buildTo(total, keep);
  }
  state.revealPending = reveal && current >= state.builtEvents;
  updateChrome();
  autoZoom(view);
  layoutSizer();
  place(view, reveal);
  if (state.builtEvents < total) scheduleNextStep();
}

/** Makes the model of the first `count` events, of which the builder already holds the first `from`. */
function buildTo(count: number, from: number): void {
  const { builder, store } = state;
  if (!builder) return;
  const events = store.all;
  if (count || store.endpoints.length) {
    builder.update({ events: count === events.length ? events : events.slice(0, count), endpoints: store.endpoints, scenario: store.scenario, profile: store.profile }, from);
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
  buildTimer = requestIdleCallback(buildNextStep, { timeout: 50 });
}

/** One later step of a long trace's build: the diagram grows below what is drawn. */
function buildNextStep(): void {
  buildTimer = undefined;
  const total = state.store.length;
  if (state.builtEvents >= total) return;
  const view = measure();
  buildTo(Math.min(total, state.builtEvents + Math.max(STEP_EVENTS, state.builtEvents)), state.builtEvents);
  afterStep(view);
  if (state.builtEvents < total) scheduleNextStep();
}

/** Finishes a pending build at once (export and fit need the whole diagram). */
export function completeBuild(): void {
  if (state.builtEvents >= state.store.length || !state.builder) return;
  cancelStep();
  const view = measure();
  buildTo(state.store.length, state.builtEvents);
  afterStep(view);
}

function afterStep(view: ReturnType<typeof measure>): void {
  updateChrome();
  autoZoom(view);
  layoutSizer();
  const reveal = state.revealPending && state.store.current < state.builtEvents;
  if (reveal) state.revealPending = false;
  place(view, reveal);
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
