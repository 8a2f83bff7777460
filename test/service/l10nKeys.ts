// Every English string the extension, the debug adapter and the CLI translate at run time with a
// computed key (so `l10n-dev export` cannot see it): diagnostics templates, help tables, snippet
// descriptions, fix titles, run report phrases, the English phrases the parser and checker pass as
// template arguments, the debug adapter's and the CLI's messages, and the summary of every rule of
// src/engine/rules.ts. A rule added there without its two translations in
// l10n/bundle.l10n.zh-cn.json and l10n/bundle.l10n.zh-tw.json fails test/service/l10n.test.ts.
import { ALL_MESSAGES } from '../../src/language/messages';
import { allHelpStrings, FIX_TITLES, RENAME_MESSAGES, snippetDescriptions } from '../../src/language/service';
import { REPORT_PHRASES } from '../../src/vscode/report';
import { RUN_MESSAGES } from '../../src/run/messages';
import { DIAGRAM_TRUNCATED } from '../../src/diagram/degrade';
import { debugTemplates } from '../../src/debug/messages';
import { EXPRESSION_MESSAGES } from '../../src/debug/expression';
import { VALIDATE_MESSAGES } from '../../src/debug/validate';
import { FRAME_MESSAGES } from '../../src/debug/frames';
import { ruleSummaries } from '../../src/text/explain';
import { WORDS } from '../../src/text/words';
import { cliTemplates } from '../../src/cli/messages';
import { diagramTemplates } from '../../src/diagram/words';
import { LADDER_TEMPLATES, LEGEND_TEXT } from '../../src/diagram/labels';
import { ENCODE_MESSAGES, IMPORT_MESSAGES } from '../../src/interop/messages';
import { ALL_PKT_MESSAGES, PKT_PHRASES } from '../../src/interop/packetdrill/messages';
import { PACKETDRILL_TEMPLATES } from '../../src/run/packetdrill';
import { interopCliTemplates } from '../../src/cli/interopMessages';
import { DIFFERENCE_TEMPLATES } from '../../src/interop/compareCapture';
import { CAPTURE_FILE_MESSAGES } from '../../src/run/captureFile';
import { CAPTURE_WRITE_MESSAGES } from '../../src/interop/traceCapture';
import { CAPTURE_FORMAT_MESSAGES } from '../../src/interop/pcapRead';

/** Phrases the parser, checker and semantics pass as arguments (translated when they contain a space). */
export const ARGUMENT_PHRASES = [
  'the end of the line',
  'a string',
  'a time like 10ms',
  'a title in quotes, like "Lost final ACK"',
  'a profile (rfc or linux)',
  'a setting like msl=30s',
  'an endpoint name',
  'a port number',
  'an option like isn=100',
  'an option like delay=10ms',
  'a state like ESTABLISHED or TIME-WAIT',
  'the peer endpoint',
  'a number of bytes',
  "'is STATE', 'received N', 'cwnd is N', 'CALL ok', 'CALL failed ERR' or '-> PEER FLAGS'",
  "'is STATE' or 'received N'",
  "'ok' or 'failed'",
  "'until'",
  'a socket option like linger=0',
  'a duration like 50ms',
  'a count, as in 3 times',
  'a segment like client -> server SYN',
  'the receiving endpoint',
  'a flag (SYN, ACK, FIN, RST, PSH, URG or data)',
  'a value',
  'the endpoint to connect to',
  'a number of bytes or a "text"',
  'an endpoint',
  'a link',
  'a segment',
  'a segment pattern',
  'a duration like 10ms',
  'a whole number',
  'a percentage like 5%',
  "'+' and how late, like +104ms",
];

export function dynamicKeys(): string[] {
  return [
    ...new Set([
      ...ALL_MESSAGES.map((spec) => spec.template),
      ...allHelpStrings(),
      ...snippetDescriptions(),
      ...Object.values(FIX_TITLES),
      ...Object.values(RENAME_MESSAGES),
      ...Object.values(REPORT_PHRASES),
      ...ARGUMENT_PHRASES,
      ...Object.values(RUN_MESSAGES),
      DIAGRAM_TRUNCATED,
      ...debugTemplates(),
      ...Object.values(WORDS),
      ...cliTemplates(),
      ...Object.values(EXPRESSION_MESSAGES),
      ...Object.values(VALIDATE_MESSAGES),
      ...Object.values(FRAME_MESSAGES),
      ...ruleSummaries(),
      ...diagramTemplates([...Object.values(LEGEND_TEXT), ...LADDER_TEMPLATES]),
      ...Object.values(IMPORT_MESSAGES),
      ...Object.values(ENCODE_MESSAGES),
      ...ALL_PKT_MESSAGES.map((spec) => spec.template),
      ...Object.values(PKT_PHRASES),
      ...PACKETDRILL_TEMPLATES,
      ...interopCliTemplates(),
      ...Object.values(DIFFERENCE_TEMPLATES),
      ...Object.values(CAPTURE_FILE_MESSAGES),
      ...Object.values(CAPTURE_WRITE_MESSAGES),
      ...Object.values(CAPTURE_FORMAT_MESSAGES),
    ]),
  ];
}
