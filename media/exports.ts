// SVG, PNG and Mermaid exports of the whole diagram (the pending build finished first), or of
// the time–sequence graph while it is shown (SVG and PNG).

import { toMermaid } from '../src/diagram/mermaid';
import { renderSvg, type Theme } from '../src/diagram/svg';
import { completeBuild } from './build';
import { graphSvg } from './graph';
import { say } from './page';
import { inputOf, post, state } from './state';

function theme(): Theme {
  const classes = document.body.classList;
  return classes.contains('vscode-light') || classes.contains('vscode-high-contrast-light') ? 'light' : classes.contains('vscode-dark') || classes.contains('vscode-high-contrast') ? 'dark' : 'light';
}

/** The whole model, listed for a standalone drawing. */
function wholeModel() {
  completeBuild();
  return state.model ? state.builder?.model() : undefined;
}

export function exportSvg(): void {
  if (state.view === 'graph') {
    const graph = graphSvg(theme());
    if (graph) post({ type: 'export', format: 'svg', data: graph.text });
    return;
  }
  const model = wholeModel();
  if (!model) return;
  post({ type: 'export', format: 'svg', data: renderSvg(model, { theme: theme(), current: state.store.current - state.base, say }) });
}

export async function exportPng(): Promise<void> {
  if (state.view === 'graph') {
    const graph = graphSvg(theme());
    if (graph) await postPng(graph.text, graph.width, graph.height);
    return;
  }
  const model = wholeModel();
  if (!model) return;
  await postPng(renderSvg(model, { theme: theme(), current: state.store.current - state.base, titles: false, say }), model.width, model.height);
}

/** The SVG text drawn on a canvas at up to twice its size, posted as a PNG. */
async function postPng(text: string, naturalWidth: number, naturalHeight: number): Promise<void> {
  const image = new Image();
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  image.src = `data:image/svg+xml;base64,${btoa(binary)}`;
  await image.decode();
  const width = image.naturalWidth || naturalWidth;
  const height = image.naturalHeight || naturalHeight;
  // Canvas limits: keep each side under 16,384 px and the area under 64 Mpx.
  const scale = Math.min(2, 16_000 / width, 16_000 / height, Math.sqrt(64e6 / (width * height)));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.floor(width * scale));
  canvas.height = Math.max(1, Math.floor(height * scale));
  const context = canvas.getContext('2d');
  if (!context) return;
  context.scale(scale, scale);
  context.drawImage(image, 0, 0, width, height);
  post({ type: 'export', format: 'png', data: canvas.toDataURL('image/png') });
}

/** The capture is the host's to build: it holds the trace and the scenario (src/vscode/diagramPanel.ts). */
export function exportPcapng(): void {
  post({ type: 'exportCapture' });
}

export function copyMermaid(): void {
  const { store } = state;
  post({ type: 'copy', text: toMermaid(inputOf(store), { relative: state.relative, say }) });
}
