// The sequence-diagram webview panel (host side). One panel at a time, beside the editor;
// it survives a window reload through a WebviewPanelSerializer. The page and the pure host
// logic live in src/diagram (host.ts, messages.ts) so they are tested without VS Code; this
// class only connects them to the VS Code API. Every message from the webview is validated.
import * as vscode from 'vscode';
import { version } from '../../package.json';
import { DiagramFeed, type FetchEvents } from '../diagram/feed';
import { buildHtml, isPanelState, makeNonce, pageVoice, type PanelState } from '../diagram/host';
import { COMMANDS, isTraceBody, isWebviewMessage, pngBytes, type CommandMessage, type HostMessage, type TraceBody, type WebviewMessage } from '../diagram/messages';
import type { WebviewStringKey } from '../diagram/strings';
import { affectsNumbering, numberingSetting, setNumbering } from './numbering';
import type { Program } from '../engine/program';
import { exportCapture } from '../interop/traceCapture';
import { prepareScenario } from '../run/run';
import { readScenarioUri } from './readScenario';
import { errorText } from './localize';

export interface RevealRequest {
  /** 1-based scenario line. */
  line: number;
  /** Trace event index of the clicked item. */
  index?: number;
  /** The scenario the panel shows, when known. */
  document?: vscode.Uri;
}

export interface ShowOptions {
  column?: vscode.ViewColumn;
  preserveFocus?: boolean;
  /** The scenario document the panel is about. */
  document?: vscode.Uri;
}

function localizedStrings(): Record<WebviewStringKey, string> {
  return {
    zoomIn: vscode.l10n.t('Zoom in'),
    zoomOut: vscode.l10n.t('Zoom out'),
    fit: vscode.l10n.t('Fit'),
    relative: vscode.l10n.t('Relative seq/ack'),
    exportSvg: vscode.l10n.t('Export SVG'),
    exportPng: vscode.l10n.t('Export PNG'),
    exportPcapng: vscode.l10n.t('Export pcapng capture (Wireshark)'),
    copyMermaid: vscode.l10n.t('Copy as Mermaid'),
    legend: vscode.l10n.t('Legend'),
    empty: vscode.l10n.t('No trace yet: open a .tcpscenario file or start debugging one.'),
    clickToReveal: vscode.l10n.t('Click to show the scenario line'),
    earlierNotDrawn: vscode.l10n.t('The diagram starts at event {0} of this run: the events before it are not drawn.'),
    ladderView: vscode.l10n.t('Ladder'),
    ladderViewTitle: vscode.l10n.t('Show the ladder diagram'),
    graphView: vscode.l10n.t('Time–sequence'),
    graphViewTitle: vscode.l10n.t('Show the time–sequence graph (sequence numbers over time, ACK and window lines, cwnd)'),
    otherDirection: vscode.l10n.t('Other direction'),
    windowLabels: vscode.l10n.t('wnd'),
    windowLabelsTitle: vscode.l10n.t('Label the arrows with the advertised window'),
    graphEmpty: vscode.l10n.t('No segment carries sequence space yet: the time–sequence graph starts with the first SYN or data sent.'),
  };
}

/** An English template in VS Code's language, its placeholders kept for the page to fill. */
function lookUp(english: string): string {
  return vscode.l10n.t(english, ...HOLES);
}
const HOLES = Array.from({ length: 10 }, (_, i) => `{${i}}`);

function relativeSetting(document?: vscode.Uri): boolean {
  return numberingSetting(document) === 'relative';
}

function basename(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.path;
}

export class DiagramPanel implements vscode.Disposable {
  static readonly viewType = 'tcpscenario.diagram';

  private static instance: DiagramPanel | undefined;
  private static readonly revealAny = new vscode.EventEmitter<RevealRequest>();
  /** Fires when the user clicks an item with a scenario line, in whichever panel is open. */
  static readonly onDidRequestReveal: vscode.Event<RevealRequest> = DiagramPanel.revealAny.event;

  /** The open panel, if any. */
  static get current(): DiagramPanel | undefined {
    return DiagramPanel.instance;
  }

  private readonly revealEmitter = new vscode.EventEmitter<RevealRequest>();
  /** The user clicked an item (arrow, state box, note) caused by a scenario line. */
  readonly onReveal: vscode.Event<RevealRequest> = this.revealEmitter.event;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose: vscode.Event<void> = this.disposeEmitter.event;

  /** Open the scenario and select the line on click (set false when the caller handles onReveal itself). */
  autoReveal = true;
  /** The scenario document shown. */
  document: vscode.Uri | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  /** The host's copy of the trace and what the webview gets of it (src/diagram/feed.ts). */
  private readonly feed = new DiagramFeed((message) => this.post(message), { t: (template, args) => vscode.l10n.t(template, ...args.map(String)) });
  private ready = false;
  private relative: boolean;
  private error: string | undefined;
  private disposed = false;

  /** Shows the panel (beside the editor unless told otherwise), creating it if needed. */
  static createOrShow(extensionUri: vscode.Uri, options: ShowOptions = {}): DiagramPanel {
    const column = options.column ?? vscode.ViewColumn.Beside;
    const existing = DiagramPanel.instance;
    if (existing) {
      existing.panel.reveal(column, options.preserveFocus ?? false);
      if (options.document) existing.setDocument(options.document);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      DiagramPanel.viewType,
      vscode.l10n.t('Sequence Diagram'),
      { viewColumn: column, preserveFocus: options.preserveFocus ?? false },
      DiagramPanel.webviewOptions(extensionUri),
    );
    return new DiagramPanel(panel, extensionUri, options.document);
  }

  /** Takes over a panel VS Code restored after a reload (from the serializer). */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, state: unknown): DiagramPanel {
    DiagramPanel.instance?.dispose();
    const saved: PanelState = isPanelState(state) ? state : {};
    let document: vscode.Uri | undefined;
    try {
      document = saved.documentUri ? vscode.Uri.parse(saved.documentUri, true) : undefined;
    } catch {
      document = undefined;
    }
    const revived = new DiagramPanel(panel, extensionUri, document);
    if (typeof saved.relative === 'boolean') revived.relative = saved.relative;
    return revived;
  }

  /** Registers the serializer that restores the panel after a window reload; `onRevived` refills it. */
  static registerSerializer(context: vscode.ExtensionContext, onRevived: (panel: DiagramPanel) => void | Promise<void>): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(DiagramPanel.viewType, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        panel.webview.options = DiagramPanel.webviewOptions(context.extensionUri);
        return onRevived(DiagramPanel.revive(panel, context.extensionUri, state));
      },
    });
  }

  /** A debug session started on `document`: show the panel beside it, empty until the first stop. */
  static showForDebugSession(context: vscode.ExtensionContext, document: vscode.Uri): DiagramPanel {
    const panel = DiagramPanel.createOrShow(context.extensionUri, { preserveFocus: true, document });
    panel.showTrace({ from: 0, events: [], current: -1, endpoints: [], profile: panel.feed.store.profile }, document);
    return panel;
  }

  /** A `tcpTrace` event from a debug session of `document`: forward it to the open panel (`fetch` asks the session for more of the trace). */
  static postTrace(document: vscode.Uri, body: TraceBody, fetch?: FetchEvents): void {
    const panel = DiagramPanel.instance;
    if (!panel) return;
    if (panel.document && panel.document.toString() !== document.toString()) return;
    panel.showTrace(body, document, undefined, fetch);
  }

  private static webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    document: vscode.Uri | undefined,
  ) {
    DiagramPanel.instance = this;
    this.relative = relativeSetting(document);
    this.setDocument(document);
    this.panel.webview.html = this.html();
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'diagram.svg');
    this.disposables.push(
      this.revealEmitter,
      this.disposeEmitter,
      this.panel.onDidDispose(() => this.dispose()),
      this.panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsNumbering(event)) this.setRelative(relativeSetting(this.document));
      }),
    );
  }

  /**
   * Replaces the trace according to a `tcpTrace` body (truncate to `from`, append, highlight
   * `current`); `note` is shown after it (a limit cut the run). The webview gets what is on
   * screen first and the rest as it asks, at most DIAGRAM_MAX_EVENTS events (DiagramFeed);
   * `fetch` gets events the host does not hold from the debug adapter.
   */
  showTrace(body: TraceBody, document?: vscode.Uri, note?: string, fetch?: FetchEvents): void {
    if (!isTraceBody(body)) return;
    if (document) this.setDocument(document);
    this.error = undefined;
    this.feed.trace(body, this.document?.toString(), note, fetch);
  }

  /** Highlights trace event `index` (-1: none) and scrolls it into view. */
  setCurrent(index: number): void {
    if (!Number.isInteger(index) || index < -1) return;
    this.feed.store.current = index;
    this.post({ type: 'current', current: index });
  }

  setRelative(relative: boolean): void {
    this.relative = relative;
    this.post({ type: 'options', relative });
  }

  /** Shows a message (scenario errors) in place of the diagram. */
  showError(message: string): void {
    this.error = message;
    this.post({ type: 'error', message });
  }

  /** Runs a toolbar action (fit, zoom, export...) from a VS Code command. */
  runCommand(command: CommandMessage['command']): void {
    if (COMMANDS.includes(command)) this.post({ type: 'command', command });
  }

  reveal(column?: vscode.ViewColumn, preserveFocus = false): void {
    this.panel.reveal(column, preserveFocus);
  }

  get visible(): boolean {
    return this.panel.visible;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (DiagramPanel.instance === this) DiagramPanel.instance = undefined;
    this.disposeEmitter.fire();
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }

  private setDocument(document: vscode.Uri | undefined): void {
    if (!document) return;
    if (this.document && this.document.toString() !== document.toString()) {
      // Another scenario: start from an empty trace.
      this.feed.trace({ from: 0, events: [], current: -1, endpoints: [], profile: this.feed.store.profile });
    }
    this.document = document;
    this.panel.title = vscode.l10n.t('Sequence Diagram: {0}', basename(document));
  }

  private post(message: HostMessage): void {
    // Before `ready` the page is not listening; everything is re-sent when it is.
    if (this.ready && !this.disposed) void this.panel.webview.postMessage(message);
  }

  private receive(message: unknown): void {
    if (!isWebviewMessage(message)) return;
    void this.handle(message);
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post({ type: 'options', relative: this.relative });
        if (this.error !== undefined) this.post({ type: 'error', message: this.error });
        else if (this.feed.store.length > 0 || this.feed.store.endpoints.length > 0) {
          this.feed.resend();
        }
        return;
      case 'reveal': {
        const request: RevealRequest = { line: message.line, index: message.index, document: this.document };
        this.revealEmitter.fire(request);
        DiagramPanel.revealAny.fire(request);
        if (this.autoReveal && this.document) await this.revealLine(this.document, message.line);
        return;
      }
      case 'export':
        return this.saveExport(message.format, message.format === 'png' ? pngBytes(message) : new TextEncoder().encode(message.data));
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        void vscode.window.showInformationMessage(vscode.l10n.t('Mermaid sequence diagram copied. Mermaid draws arrows level, so the flight time of each segment (the slant) is lost.'));
        return;
      case 'more':
        this.feed.more();
        return;
      case 'exportCapture':
        return this.saveCapture();
      case 'state':
        // The toolbar's toggle writes the one setting every view follows (src/vscode/numbering.ts);
        // before `ready` the page only restores what it had saved, which the host's options replace.
        if (this.ready && message.relative !== this.relative) {
          this.relative = message.relative;
          await setNumbering(message.relative ? 'relative' : 'absolute', this.document);
        }
        return;
    }
  }

  private async revealLine(document: vscode.Uri, line: number): Promise<void> {
    try {
      const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === document.toString());
      const text = visible?.document ?? (await vscode.workspace.openTextDocument(document));
      const editor = await vscode.window.showTextDocument(text, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
      const target = editor.document.lineAt(Math.min(Math.max(line - 1, 0), editor.document.lineCount - 1)).range;
      editor.selection = new vscode.Selection(target.start, target.end);
      editor.revealRange(target, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } catch {
      void vscode.window.showWarningMessage(vscode.l10n.t('Cannot open {0} to show line {1}.', basename(document), String(line)));
    }
  }

  private async saveExport(format: 'svg' | 'png', bytes: Uint8Array): Promise<void> {
    const name = `${this.document ? basename(this.document).replace(/\.tcpscenario$/i, '') : 'diagram'}.${format}`;
    const folder = this.document && this.document.scheme === 'file' ? vscode.Uri.joinPath(this.document, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: format === 'svg' ? { [vscode.l10n.t('SVG image')]: ['svg'] } : { [vscode.l10n.t('PNG image')]: ['png'] },
      saveLabel: vscode.l10n.t('Export'),
    });
    if (!target) return;
    try {
      await vscode.workspace.fs.writeFile(target, bytes);
      void vscode.window.showInformationMessage(vscode.l10n.t('Diagram saved to {0}.', target.fsPath || target.toString()));
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not save the diagram: {0}', error instanceof Error ? error.message : String(error)));
    }
  }

  /**
   * "Export pcapng": the trace the panel shows (the whole run, or the debugger's run so far, earlier
   * events fetched from the adapter) as a capture for Wireshark, one interface per endpoint
   * (docs/wireshark.md), written where the user says.
   */
  private async saveCapture(): Promise<void> {
    const store = this.feed.store;
    if (store.endpoints.length === 0) return;
    const name = `${this.document ? basename(this.document).replace(/\.(tcpscenario|pkt)$/i, '') : 'run'}.pcapng`;
    const folder = this.document && this.document.scheme === 'file' ? vscode.Uri.joinPath(this.document, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { [vscode.l10n.t('pcapng capture')]: ['pcapng'] },
      saveLabel: vscode.l10n.t('Export'),
    });
    if (!target) return;
    try {
      // What the panel shows now: its head with the events held at this moment (a step may follow).
      const head = { endpoints: store.endpoints, scenario: store.scenario, profile: store.profile };
      const { start, events } = await this.feed.whole();
      const trace = { ...head, all: events };
      const bytes = exportCapture(trace, await this.program(), `TCP Scenario Debugger ${version}`);
      await vscode.workspace.fs.writeFile(target, bytes);
      const partial = start > 0 ? ` ${vscode.l10n.t('It starts at event {0}: the panel does not hold the events before it.', String(start))}` : '';
      void vscode.window.showInformationMessage(vscode.l10n.t('Capture saved to {0}.', target.fsPath || target.toString()) + partial);
    } catch (error) {
      // A trace that cannot become a capture (CaptureWriteError): its template, translated.
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not save the capture: {0}', errorText(error)));
    }
  }

  /** The scenario's program, for the bytes of `send "text"` in the capture (filler without it). */
  private async program(): Promise<Program | undefined> {
    if (!this.document) return undefined;
    try {
      const text = await readScenarioUri(this.document);
      return prepareScenario(text, { file: this.document.path }).program;
    } catch {
      return undefined;
    }
  }

  private html(): string {
    const webview = this.panel.webview;
    return buildHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'webview.css')).toString(),
      lang: vscode.env.language,
      title: vscode.l10n.t('Sequence Diagram'),
      strings: localizedStrings(),
      // The legend, hover fields, exports and every rule's summary in VS Code's language.
      ...pageVoice(lookUp),
    });
  }
}
