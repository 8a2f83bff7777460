// "Open Example...": the scenarios of examples/, shipped in the .vsix, for the walkthrough
// (contributes.walkthroughs: the handshake example, a TIME-WAIT breakpoint, the debugger, the
// diagram) and for anyone who wants to start from one.
import * as vscode from 'vscode';

export const OPEN_EXAMPLE_COMMAND = 'tcpscenario.openExample';

interface ExampleItem extends vscode.QuickPickItem {
  name: string;
}

export function registerWalkthrough(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(OPEN_EXAMPLE_COMMAND, (name?: unknown) => openExample(context.extensionUri, typeof name === 'string' ? name : undefined)),
  );
}

/** The shipped examples: file name without extension, and the title of its `scenario` line. */
async function examples(extensionUri: vscode.Uri): Promise<ExampleItem[]> {
  const folder = vscode.Uri.joinPath(extensionUri, 'examples');
  const entries = await vscode.workspace.fs.readDirectory(folder);
  const names = entries.filter(([file, type]) => type === vscode.FileType.File && file.endsWith('.tcpscenario')).map(([file]) => file.slice(0, -'.tcpscenario'.length));
  return Promise.all(
    names.sort().map(async (name) => {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, `${name}.tcpscenario`)));
      return { name, label: name, description: /^\s*scenario\s+"([^"]*)"/m.exec(text)?.[1] };
    }),
  );
}

/** Opens examples/NAME.tcpscenario of the extension (a pick of them without a name); returns its editor. */
async function openExample(extensionUri: vscode.Uri, name?: string): Promise<vscode.TextEditor | undefined> {
  let chosen = name;
  if (chosen === undefined) {
    const picked = await vscode.window.showQuickPick(await examples(extensionUri), {
      title: vscode.l10n.t('Open Example'),
      placeHolder: vscode.l10n.t('A scenario to open; F5 steps through it'),
      matchOnDescription: true,
    });
    if (!picked) return undefined;
    chosen = picked.name;
  }
  if (!/^[\w\u0080-\uffff-]+$/.test(chosen)) return undefined; // a name, never a path
  const uri = vscode.Uri.joinPath(extensionUri, 'examples', `${chosen}.tcpscenario`);
  try {
    const document = await vscode.workspace.openTextDocument(uri);
    // From the walkthrough (or another page that is not a text editor): beside it, so it stays in view.
    const overPage = !vscode.window.activeTextEditor && vscode.window.tabGroups.activeTabGroup.activeTab !== undefined;
    return await vscode.window.showTextDocument(document, { viewColumn: overPage ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active, preview: false });
  } catch {
    void vscode.window.showErrorMessage(vscode.l10n.t('The example {0} is not part of this installation.', chosen));
    return undefined;
  }
}
