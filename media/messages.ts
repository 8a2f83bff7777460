// Messages from the host: a trace (a debugger stop, a run of the edited file), a new highlight,
// options, a toolbar command from VS Code, an error to show.

import { traceMessageEvents, type HostMessage } from '../src/diagram/messages';
import { askForMore, buildEarlier, dropBuilder, rebuild, truncatePending } from './build';
import { updateEmpty } from './chrome';
import { setAttr } from './dom';
import { fit, setRelative, zoomIn, zoomOut } from './controls';
import { copyMermaid, exportPcapng, exportPng, exportSvg } from './exports';
import { graphTraceChanged, requestGraph, unzoomGraph, updateGraphHighlight, zoomGraph } from './graph';
import { revealCurrent, updateHighlight } from './ladder';
import { scheduleSave } from './persist';
import { building, state } from './state';

export function handle(message: HostMessage): void {
  switch (message.type) {
    case 'trace': {
      const incoming = traceMessageEvents(message);
      // Events that are not trace events (a bad eventsJson): the message is dropped like any invalid one.
      if (!incoming) break;
      const before = state.store.length;
      const change = state.store.apply(message, incoming);
      if (message.documentUri !== undefined) state.documentUri = message.documentUri;
      if (message.more) askForMore();
      graphTraceChanged(change.sameSource && !change.window ? change.kept : 0, !change.sameSource);
      if (state.model !== undefined && change.sameSource && !change.window && change.kept === before && incoming.length === 0) {
        // A stop that added nothing (e.g. stepping back and forth over snapshots): only the highlight moves.
        updateHighlight();
        revealCurrent();
        updateGraphHighlight();
        scheduleSave();
        break;
      }
      // Another scenario, profile or window: laid out from scratch (other endpoints reset the builder by themselves).
      if (!change.sameSource || change.window) dropBuilder();
      else truncatePending(change.kept);
      state.errorText = undefined;
      rebuild(true, change.kept);
      requestGraph();
      scheduleSave();
      break;
    }
    case 'earlier': {
      const incoming = traceMessageEvents(message);
      if (!incoming || !state.store.prepend(message.start, incoming)) break;
      // The graph takes the trace from its new start (its data starts where the copy does).
      graphTraceChanged(0);
      requestGraph();
      // The rest first; then a model from the new start, built behind the one drawn.
      if (message.more) askForMore();
      else {
        buildEarlier();
        // Building until the model from the new start replaces the drawn one (said at once, not at the next drawing).
        setAttr(document.body, 'data-building', String(building()));
      }
      break;
    }
    case 'current':
      state.store.current = message.current;
      updateHighlight();
      revealCurrent();
      updateGraphHighlight();
      scheduleSave();
      break;
    case 'options':
      if (message.relative !== state.relative) setRelative(message.relative);
      break;
    case 'command':
      runCommand(message.command);
      break;
    case 'error':
      state.errorText = message.message;
      updateEmpty();
      requestGraph();
      break;
  }
}

function runCommand(command: Extract<HostMessage, { type: 'command' }>['command']): void {
  // While the graph is shown, zoom and fit act on its time axis (the exports export it, exports.ts).
  if (state.view === 'graph' && (command === 'fit' || command === 'zoomIn' || command === 'zoomOut')) {
    return command === 'fit' ? unzoomGraph() : zoomGraph(command === 'zoomIn' ? 0.8 : 1.25);
  }
  switch (command) {
    case 'fit':
      return fit();
    case 'zoomIn':
      return zoomIn();
    case 'zoomOut':
      return zoomOut();
    case 'exportSvg':
      return exportSvg();
    case 'exportPng':
      return void exportPng();
    case 'exportPcapng':
      return exportPcapng();
    case 'copyMermaid':
      return copyMermaid();
    case 'toggleRelative':
      return setRelative(!state.relative);
  }
}
