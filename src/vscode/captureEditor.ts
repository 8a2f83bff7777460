// Captures in VS Code (docs/import.md): opening a .pcap or .pcapng shows what `tcpscenario import`
// reads in it (a read-only custom editor) with "Open as Scenario", which opens the imported
// .tcpscenario as a new untitled editor to run or debug (F5). The same command is in the Explorer's
// context menu of a capture. The file is read as every file is (a regular file within a size limit,
// src/run/read.ts's rules), the import is src/interop's, pure; nothing is run here.
import * as vscode from 'vscode';
import { makeNonce } from '../diagram/host';
import { importCapture, type ImportedCapture } from '../interop/importCapture';
import { readCapture } from '../interop/pcapRead';
import { RUN_MESSAGES } from '../run/messages';
import { checkFileKind, MAX_CAPTURE_BYTES } from '../run/read';
import { errorText } from './localize';

export const OPEN_CAPTURE_COMMAND = 'tcpscenario.openCaptureAsScenario';
export const CAPTURE_EDITOR = 'tcpscenario.capture';

/** Reads and imports a capture; throws ReadError, CaptureFormatError or InteropError. */
async function importUri(uri: vscode.Uri): Promise<ImportedCapture> {
  const stat = await vscode.workspace.fs.stat(uri);
  checkFileKind(stat.type & vscode.FileType.Directory ? 'directory' : stat.type & vscode.FileType.File ? 'file' : 'other', stat.size, MAX_CAPTURE_BYTES, RUN_MESSAGES.tooLargeCapture);
  const bytes = await vscode.workspace.fs.readFile(uri);
  return importCapture(readCapture(bytes), { name: nameOf(uri), tool: 'TCP Scenario Debugger' });
}

function nameOf(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.path;
}

/** Opens the capture's scenario as a new untitled tcpscenario editor; returns it (tests use it). */
export async function openCaptureAsScenario(uri: vscode.Uri): Promise<vscode.TextEditor | undefined> {
  let imported: ImportedCapture;
  try {
    imported = await importUri(uri);
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} cannot be imported: {1}', nameOf(uri), errorText(error)));
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument({ language: 'tcpscenario', content: imported.text });
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  void vscode.window.showInformationMessage(summary(nameOf(uri), imported) + ' ' + vscode.l10n.t('Run it, or press F5 to debug it; `tcpscenario import` also says where the linux profile departs from the capture.'));
  return editor;
}

function summary(name: string, imported: ImportedCapture): string {
  const c = imported.conversation;
  const where = c.point === 'both' ? vscode.l10n.t('captured on both sides') : c.point === 'client' ? vscode.l10n.t('captured at the client') : vscode.l10n.t('captured at the server');
  return vscode.l10n.t('{0}: {1} segments of {2} <-> {3} ({4}; link delay {5} ms).', name, String(c.segments.length), `${c.client.address}:${c.client.port}`, `${c.server.address}:${c.server.port}`, where, String(c.delay));
}

const escape = (text: string): string => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function page(webview: vscode.Webview, name: string, result: { imported?: ImportedCapture; error?: string }): string {
  const nonce = makeNonce();
  const body = result.imported
    ? `<p>${escape(summary(name, result.imported))}</p>
<p><button id="open">${escape(vscode.l10n.t('Open as Scenario'))}</button></p>
<h2>${escape(vscode.l10n.t('The scenario it becomes'))}</h2>
<pre>${escape(result.imported.text)}</pre>`
    : `<p class="error">${escape(vscode.l10n.t('{0} cannot be imported: {1}', name, result.error ?? ''))}</p>`;
  return `<!DOCTYPE html>
<html lang="${escape(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escape(name)}</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1.5em; }
pre { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); background: var(--vscode-textCodeBlock-background); padding: 0.8em; overflow-x: auto; }
button { color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 0.4em 1em; cursor: pointer; }
button:hover { background: var(--vscode-button-hoverBackground); }
.error { color: var(--vscode-errorForeground); }
</style>
</head>
<body>
<h1>${escape(name)}</h1>
${body}
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
document.getElementById('open')?.addEventListener('click', () => vscode.postMessage({ command: 'open' }));
</script>
</body>
</html>`;
}

class CaptureEditorProvider implements vscode.CustomReadonlyEditorProvider {
  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = { enableScripts: true };
    const name = nameOf(document.uri);
    let result: { imported?: ImportedCapture; error?: string };
    try {
      result = { imported: await importUri(document.uri) };
    } catch (error) {
      result = { error: errorText(error) };
    }
    panel.webview.html = page(panel.webview, name, result);
    panel.webview.onDidReceiveMessage((message: unknown) => {
      if ((message as { command?: unknown })?.command === 'open') void openCaptureAsScenario(document.uri);
    });
  }
}

export function registerCaptureImport(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(CAPTURE_EDITOR, new CaptureEditorProvider(), { supportsMultipleEditorsPerDocument: true }),
    vscode.commands.registerCommand(OPEN_CAPTURE_COMMAND, async (resource?: vscode.Uri) => {
      const uri = resource instanceof vscode.Uri ? resource : await pickCapture();
      return uri ? openCaptureAsScenario(uri) : undefined;
    }),
  );
}

/** The active capture editor's file, else one the user picks. */
async function pickCapture(): Promise<vscode.Uri | undefined> {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (tab instanceof vscode.TabInputCustom && tab.viewType === CAPTURE_EDITOR) return tab.uri;
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { [vscode.l10n.t('Captures')]: ['pcap', 'pcapng', 'cap'] }, openLabel: vscode.l10n.t('Open as Scenario') });
  return picked?.[0];
}
