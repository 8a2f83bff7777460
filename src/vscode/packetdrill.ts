// packetdrill scripts (*.pkt) in VS Code (docs/packetdrill.md): the `packetdrill` language (colours
// from syntaxes/packetdrill.tmLanguage.json) and, as you type, the run path's diagnostics: what does
// not parse, and each construct the simulation does not model, at its line and column. The same as
// `tcpscenario check SCRIPT.pkt`; messages translated from their English templates. F5 is the
// debugger's (src/vscode/debug.ts).
import * as vscode from 'vscode';
import { preparePacketdrill } from '../run/packetdrill';
import { toVscodeDiagnostic, watchDiagnostics } from './diagnostics';

export const PACKETDRILL_LANGUAGE = 'packetdrill';

/** The diagnostics of a script's text (parse, then what the simulation models). */
export function packetdrillDiagnostics(text: string): vscode.Diagnostic[] {
  // The run path's reading: the parser, what the simulation models, and the scenario it becomes.
  return preparePacketdrill(text).diagnostics.map((d) => {
    const converted = toVscodeDiagnostic(d);
    converted.source = PACKETDRILL_LANGUAGE;
    return converted;
  });
}

export function registerPacketdrill(context: vscode.ExtensionContext): void {
  watchDiagnostics(context, PACKETDRILL_LANGUAGE, PACKETDRILL_LANGUAGE, packetdrillDiagnostics);
}
