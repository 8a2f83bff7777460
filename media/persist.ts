// The webview's saved state (VS Code keeps it across a reload and hides of the panel): the view
// options, the scroll position and, for traces up to MAX_SAVED_EVENTS, the trace itself, so a
// reload restores the diagram at once.

import type { TraceEvent } from '../src/engine/trace';
import type { PanelState } from '../src/diagram/host';
import { isHostMessage, type TraceMessage } from '../src/diagram/messages';
import type { EndpointInfo } from '../src/diagram/model';
import { showLegend } from './chrome';
import { page, vscode } from './page';
import { MAX_ZOOM, MIN_ZOOM, state, traceSource } from './state';

interface SavedState extends PanelState {
  /** The user chose the zoom (buttons, keys, wheel): keep it; otherwise wide diagrams are fitted to the panel's width. */
  userZoom?: boolean;
  legendOpen?: boolean;
  view?: 'ladder' | 'graph';
  windowLabels?: boolean;
  graphDirection?: string;
  /** The graph's time window (ms) and the run it is a window of. */
  graphZoom?: { tMin: number; tMax: number; source: string };
  trace?: { events: TraceEvent[]; endpoints: EndpointInfo[]; scenario?: string; profile: string; current: number };
}

/** Traces up to this size are kept in the webview state, so a reload restores them at once. */
const MAX_SAVED_EVENTS = 20_000;

let saveTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * Saves once things settle (a trailing debounce): the state holds the trace, and serializing it
 * at every debugger stop or every few frames of a scroll would cost more than the drawing.
 */
export function scheduleSave(): void {
  if (saveTimer !== undefined) clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    saveTimer = undefined;
    saveState();
  }, 400);
}

export function saveState(): void {
  const { relative, zoom, userZoom, legendOpen, documentUri, store, view, graphDirection, windowLabels } = state;
  const saved: SavedState = { relative, zoom, userZoom, legendOpen, view, graphDirection, windowLabels, scrollTop: page.viewport.scrollTop, scrollLeft: page.viewport.scrollLeft, documentUri };
  if (state.graphZoom) saved.graphZoom = { ...state.graphZoom, source: traceSource(store) };
  if (store.offset === 0 && store.length <= MAX_SAVED_EVENTS) {
    saved.trace = { events: store.all as TraceEvent[], endpoints: store.endpoints, scenario: store.scenario, profile: store.profile, current: store.current };
  }
  vscode.setState(saved);
}

export interface Restored {
  /** The saved trace, as the message that brings it back. */
  trace?: TraceMessage;
  scrollTop?: number;
  scrollLeft?: number;
}

/** Takes the saved options into the state; returns the trace and scroll position to apply. */
export function restoreState(): Restored {
  const saved = vscode.getState() as SavedState | undefined;
  if (!saved || typeof saved !== 'object') return {};
  if (typeof saved.relative === 'boolean') state.relative = saved.relative;
  if (typeof saved.zoom === 'number' && Number.isFinite(saved.zoom)) {
    state.zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, saved.zoom));
    // A state saved before `userZoom` existed: a zoom other than 100% was the user's.
    state.userZoom = typeof saved.userZoom === 'boolean' ? saved.userZoom : state.zoom !== 1;
  }
  if (typeof saved.legendOpen === 'boolean') {
    state.legendOpen = saved.legendOpen;
    showLegend();
  }
  if (typeof saved.documentUri === 'string') state.documentUri = saved.documentUri;
  if (saved.view === 'graph' || saved.view === 'ladder') state.view = saved.view;
  if (typeof saved.graphDirection === 'string') state.graphDirection = saved.graphDirection;
  if (typeof saved.windowLabels === 'boolean') state.windowLabels = saved.windowLabels;
  const z = saved.graphZoom;
  if (z && typeof z === 'object' && typeof z.source === 'string' && Number.isFinite(z.tMin) && Number.isFinite(z.tMax) && z.tMin >= 0 && z.tMax > z.tMin) {
    state.restoredGraphZoom = { tMin: z.tMin, tMax: z.tMax, source: z.source };
  }
  const out: Restored = {
    scrollTop: typeof saved.scrollTop === 'number' ? saved.scrollTop : undefined,
    scrollLeft: typeof saved.scrollLeft === 'number' ? saved.scrollLeft : undefined,
  };
  const trace = saved.trace;
  if (trace && Array.isArray(trace.events)) {
    const body = { type: 'trace', from: 0, events: trace.events, endpoints: trace.endpoints, scenario: trace.scenario, profile: trace.profile, current: trace.current };
    if (isHostMessage(body) && body.type === 'trace') out.trace = body;
  }
  return out;
}
