import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hover, type HoverKind } from '../../src/language/service';
import { FLAG_HELP, HOVER_PHRASES, OPTION_HELP, PROFILE_HELP, STATE_HELP, STATEMENT_HELP } from '../../src/language/service/help';
import { findSetting } from '../../src/language/vocabulary';
import { atCursor, DECLARATIONS } from './cursor';

/** [text with | at the cursor, hover kind, heading, first paragraph's template]. */
const CASES: [string, HoverKind, string, string][] = [
  ['expect client is TIME-|WAIT', 'state', 'TIME-WAIT', STATE_HELP['TIME-WAIT'].meaning],
  ['expect server is |CLOSE-WAIT', 'state', 'CLOSE-WAIT', STATE_HELP['CLOSE-WAIT'].meaning],
  ['expect server is SYN-RECEIVED|', 'state', 'SYN-RECEIVED', STATE_HELP['SYN-RECEIVED'].meaning],
  ['# the client ends in TIME-W|AIT', 'state', 'TIME-WAIT', STATE_HELP['TIME-WAIT'].meaning],
  ['drop client -> server F|IN once', 'flag', 'FIN', FLAG_HELP.FIN],
  ['drop client -> server FIN,A|CK once', 'flag', 'ACK', FLAG_HELP.ACK],
  ['delay client -> server da|ta by 5ms', 'flag', 'data', FLAG_HELP.data],
  ['expect client -> server R|ST', 'flag', 'RST', FLAG_HELP.RST],
  ['@0 client cl|ose', 'statement', 'close', STATEMENT_HELP.close],
  ['@0 client shut|down', 'statement', 'shutdown', STATEMENT_HELP.shutdown],
  ['@0 client con|nect server', 'statement', 'connect', STATEMENT_HELP.connect],
  ['d|rop client -> server ACK once', 'statement', 'drop', STATEMENT_HELP.drop],
  ['drop client -> server ACK on|ce', 'statement', 'once', STATEMENT_HELP.once],
  ['ex|pect client is CLOSED', 'statement', 'expect', STATEMENT_HELP.expect],
  ['expect client i|s CLOSED', 'statement', 'is', STATEMENT_HELP.is],
  ['expect client cw|nd is 4380', 'statement', 'cwnd', STATEMENT_HELP.cwnd],
  ['expect client ssth|resh is 2920 with server', 'statement', 'ssthresh', STATEMENT_HELP.ssthresh],
  ['set c|c=cubic', 'setting', 'cc', findSetting('cc')?.doc ?? ''],
  ['set node|lay=on', 'setting', 'nodelay', findSetting('nodelay')?.doc ?? ''],
  ['@0 cli|ent listen', 'endpoint', 'client', HOVER_PHRASES.endpointAddress],
  ['drop client -> ser|ver ACK once', 'endpoint', 'server', HOVER_PHRASES.endpointAddress],
  ['profile li|nux', 'profile', 'linux', PROFILE_HELP.linux],
  ['set m|sl=30s', 'setting', 'msl', findSetting('msl')?.doc ?? ''],
  ['link client <-> server lo|ss=5%', 'option', 'loss', OPTION_HELP.loss],
  ['inject client -> server SYN se|q=90', 'option', 'seq', OPTION_HELP.seq],
  ['@2|s client close', 'time', '@2s', HOVER_PHRASES.timeAbsolute],
];

describe('hover', () => {
  for (const [marked, kind, heading, template] of CASES) {
    test(JSON.stringify(marked), () => {
      const { text, position } = atCursor(DECLARATIONS + marked);
      const content = hover(text, position);
      assert.ok(content, 'no hover');
      assert.equal(content.kind, kind);
      assert.equal(content.heading, heading);
      assert.equal(content.paragraphs[0].template, template);
    });
  }

  test('a state hover says how the state is entered and left, cites RFC 9293 and offers a breakpoint', () => {
    const { text, position } = atCursor(DECLARATIONS + 'expect client is TIME-W|AIT');
    const content = hover(text, position);
    assert.deepEqual(content?.breakOnState, { state: 'TIME-WAIT', endpoint: 'client' });
    assert.ok(content?.entered?.some((line) => line.template.startsWith('FIN-WAIT-2')));
    assert.ok(content?.left?.some((line) => line.template.includes('2*MSL')));
    assert.ok(content?.rfcSections?.includes('3.6'));
  });

  test('every state has help with a way in (or out), and RFC sections', () => {
    for (const [state, help] of Object.entries(STATE_HELP)) {
      assert.ok(help.meaning.length > 20, state);
      assert.ok(help.entered.length + help.left.length >= 2, state);
      assert.ok(help.sections.includes('3.3.2'), state);
    }
  });

  test('an endpoint hover shows its address, ISN, declaration line and uses', () => {
    const { text, position } = atCursor(DECLARATIONS + '@0 server listen\n@0 cli|ent connect server');
    const content = hover(text, position);
    assert.deepEqual(
      content?.paragraphs.map((p) => [p.template, ...p.args]),
      [
        [HOVER_PHRASES.endpointAddress, '10.0.0.1:49152'],
        [HOVER_PHRASES.endpointIsn, '100'],
        [HOVER_PHRASES.endpointDeclared, '2'],
        [HOVER_PHRASES.endpointUses, '2'],
      ],
    );
  });

  test('an undeclared endpoint says how to declare it', () => {
    const { text, position } = atCursor('@0 gho|st listen');
    assert.deepEqual(hover(text, position)?.paragraphs[0], { template: HOVER_PHRASES.undeclaredEndpoint, args: ['ghost'] });
  });

  test('a relative time shows the absolute time it runs at', () => {
    const { text, position } = atCursor(DECLARATIONS + '@1s client listen\n+5|00ms client close');
    assert.deepEqual(hover(text, position)?.paragraphs[0], { template: HOVER_PHRASES.timeRelative, args: ['1500ms', '500ms'] });
  });

  test('nothing to say on blank space or plain words', () => {
    for (const marked of ['|', '   |  ', 'scenario "a |title"']) {
      const { text, position } = atCursor(DECLARATIONS + marked);
      assert.equal(hover(text, position), undefined, marked);
    }
  });
});
