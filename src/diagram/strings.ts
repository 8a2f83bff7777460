// User-visible strings of the diagram webview, in English. The host localizes each one with
// vscode.l10n.t(english) and passes the result into the page (PageOptions.strings).

export const WEBVIEW_STRINGS = {
  zoomIn: 'Zoom in',
  zoomOut: 'Zoom out',
  fit: 'Fit',
  relative: 'Relative seq/ack',
  exportSvg: 'Export SVG',
  exportPng: 'Export PNG',
  exportPcapng: 'Export pcapng capture (Wireshark)',
  copyMermaid: 'Copy as Mermaid',
  legend: 'Legend',
  empty: 'No trace yet: open a .tcpscenario file or start debugging one.',
  clickToReveal: 'Click to show the scenario line',
  earlierNotDrawn: 'The diagram starts at event {0} of this run: the events before it are not drawn.',
  ladderView: 'Ladder',
  ladderViewTitle: 'Show the ladder diagram',
  graphView: 'Time–sequence',
  graphViewTitle: 'Show the time–sequence graph (sequence numbers over time, ACK and window lines, cwnd)',
  otherDirection: 'Other direction',
  windowLabels: 'wnd',
  windowLabelsTitle: 'Label the arrows with the advertised window',
  graphEmpty: 'No segment carries sequence space yet: the time–sequence graph starts with the first SYN or data sent.',
} as const;

export type WebviewStringKey = keyof typeof WEBVIEW_STRINGS;
