// The webview's one state object: the trace (the same store as the host's), the view options,
// the model being built and the view as last known. Every module reads and writes it here.

import type { DiagramInput, LiveModel, ModelBuilder } from '../src/diagram/model';
import { TraceStore } from '../src/diagram/traceStore';
import type { WebviewMessage } from '../src/diagram/messages';
import { vscode } from './page';

export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 6;

export interface WebviewState {
  /** The trace, kept by the rule the host keeps its copy (truncate to `from`, append). */
  store: TraceStore;
  /** The scenario document shown (a URI string), kept for a restore. */
  documentUri?: string;
  relative: boolean;
  /** The ladder's arrows end their labels with the advertised window. */
  windowLabels: boolean;
  zoom: number;
  /** The user chose the zoom (buttons, keys, wheel): keep it; otherwise wide diagrams are fitted to the panel's width. */
  userZoom: boolean;
  legendOpen: boolean;
  /** Which view the panel shows: the ladder or the time–sequence graph (media/graph.ts). */
  view: 'ladder' | 'graph';
  /** The graph's direction (`from>to`), when the user picked one; the busiest otherwise. */
  graphDirection?: string;
  /** The graph's time window (ms) the user zoomed to; the whole run otherwise. */
  graphZoom?: { tMin: number; tMax: number };
  /** The graph's zoom saved with the panel's state, and the trace it was for (traceSource): taken back when that trace comes again (media/graph.ts). */
  restoredGraphZoom?: { tMin: number; tMax: number; source: string };
  /** The host's message (a broken scenario), shown in place of the diagram. */
  errorText?: string;
  /** Builds the model incrementally: a step appends events, a step back truncates, the rest is kept. */
  builder?: ModelBuilder;
  /** The builder's live model, while it holds events or endpoints. */
  model?: LiveModel;
  /**
   * The width the model is laid out for: the panel's (a narrow panel gets the compact layout, see
   * DiagramOptions.width). Read once per builder, so one builder always lays out for one width.
   */
  layoutWidth: number;
  /** The trace's index of the model's first event (the copy is a window of a long trace, or 0). */
  base: number;
  /** The trace's index up to which the model holds events (a long trace is built in steps). */
  builtEvents: number;
  /** A model from an earlier start, built behind the one drawn (earlier events arrived). */
  pending?: { builder: ModelBuilder; base: number; built: number };
  /** The current event was to be revealed but is not built yet: reveal it once it is. */
  revealPending: boolean;
  /**
   * The last known viewport size and scroll offset. Reading scrollTop or clientHeight right after
   * a write forces a layout in the middle of an update, so the size comes from a ResizeObserver
   * and the offset from the scroll events and our own scrolling; only an unknown value is read.
   */
  knownSize?: { width: number; height: number };
  knownTop?: number;
}

export const state: WebviewState = {
  store: new TraceStore(),
  relative: false,
  windowLabels: false,
  zoom: 1,
  userZoom: false,
  legendOpen: false,
  view: 'ladder',
  layoutWidth: 0,
  base: 0,
  builtEvents: 0,
  revealPending: false,
};

/** The trace as the model builder, the graph and the exports take it. */
export function inputOf(store: TraceStore): DiagramInput {
  return { events: store.all, endpoints: store.endpoints, scenario: store.scenario, profile: store.profile };
}

/** Which run the page shows (scenario, profile, endpoints): a zoom saved for one is not another's. */
export function traceSource(store: TraceStore): string {
  return JSON.stringify([store.scenario ?? null, store.profile, store.endpoints]);
}

export const post = (message: WebviewMessage) => vscode.postMessage(message);

/** The model does not show the whole trace yet: events to take in, arrows to lay out, a model built behind (build.ts). */
export function building(): boolean {
  return state.builtEvents < state.store.length || state.pending !== undefined || state.builder?.busy === true;
}
