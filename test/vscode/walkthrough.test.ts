// The walkthrough as package.json contributes it: four steps whose buttons name commands the
// extension contributes (or VS Code's own) with valid arguments, the same buttons in every language,
// media in every language, everything it needs in the .vsix, and examples that do what it promises.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listFiles, PackageManager } from '@vscode/vsce';
import { TCP_STATES } from '../../src/engine/trace';
import { runScenario } from '../../src/diagram/scenario';

const root = join(import.meta.dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const manifest = JSON.parse(read('package.json'));
const LOCALES = ['', '.zh-cn', '.zh-tw'];
const nls = Object.fromEntries(LOCALES.map((locale) => [locale, JSON.parse(read(`package.nls${locale}.json`)) as Record<string, string>]));

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string; altText?: string };
  completionEvents?: string[];
}

const walkthroughs = manifest.contributes.walkthroughs as { id: string; steps: Step[] }[];
const steps = walkthroughs[0].steps;

/** The buttons of a step's description in one language: command and arguments. */
function links(step: Step, locale: string): { command: string; args: unknown[] }[] {
  const text = nls[locale][step.description.replace(/^%|%$/g, '')];
  assert.ok(text, `${step.id}: its description in package.nls${locale}.json`);
  return [...text.matchAll(/\]\(command:(?:toSide:)?([\w.]+)(?:\?([^)\s]+))?\)/g)].map((m) => ({
    command: m[1],
    args: m[2] ? (JSON.parse(decodeURIComponent(m[2])) as unknown[]) : [],
  }));
}

describe('the walkthrough', () => {
  test('one walkthrough, four steps, each with a button and a completion event', () => {
    assert.equal(walkthroughs.length, 1);
    assert.equal(steps.length, 4);
    for (const step of steps) {
      assert.ok(links(step, '').length > 0, `${step.id} has a button`);
      assert.ok((step.completionEvents ?? []).length > 0, `${step.id} completes on something`);
    }
  });

  test('each button runs a command the extension contributes (or VS Code\'s own), with valid arguments, the same in every language', () => {
    const contributed = new Set((manifest.contributes.commands as { command: string }[]).map((c) => c.command));
    for (const step of steps) {
      const english = links(step, '');
      for (const locale of LOCALES) assert.deepEqual(links(step, locale), english, `${step.id}: the buttons of package.nls${locale}.json`);
      for (const { command, args } of english) {
        assert.ok(contributed.has(command) || command.startsWith('workbench.'), `${step.id}: ${command} is contributed`);
        assert.ok(Array.isArray(args));
        if (command === 'tcpscenario.openExample') assert.ok(existsSync(join(root, 'examples', `${args[0]}.tcpscenario`)), `examples/${args[0]}.tcpscenario exists`);
        if (command === 'tcpscenario.breakOnState') assert.ok((TCP_STATES as readonly unknown[]).includes(args[0]), `${args[0]} is a state`);
      }
      for (const event of step.completionEvents ?? []) {
        const command = /^onCommand:(.+)$/.exec(event)?.[1];
        if (command) assert.ok(contributed.has(command) || command.startsWith('workbench.'), `${step.id}: completes on ${command}`);
      }
    }
  });

  test('its media exist in every language, and the .vsix ships them and the examples it opens', async () => {
    const packaged = new Set((await listFiles({ cwd: root, packageManager: PackageManager.None })).map((file) => file.replace(/\\/g, '/')));
    const needed: string[] = [];
    for (const step of steps) {
      if (step.media.markdown) needed.push(step.media.markdown, ...['zh-cn', 'zh-tw'].map((locale) => step.media.markdown!.replace(/\.md$/, `.nls.${locale}.md`)));
      if (step.media.image) {
        needed.push(step.media.image);
        assert.ok(nls[''][String(step.media.altText).replace(/^%|%$/g, '')], `${step.id}: alt text`);
      }
      for (const { command, args } of links(step, '')) if (command === 'tcpscenario.openExample') needed.push(`examples/${args[0]}.tcpscenario`);
    }
    for (const file of needed) {
      assert.ok(existsSync(join(root, file)), `${file} exists`);
      assert.ok(packaged.has(file), `${file} is in the .vsix (.vscodeignore)`);
    }
  });

  test('the examples do what the steps say: the handshake holds its expectations, the teardown reaches TIME-WAIT', () => {
    const opened = steps.flatMap((step) => links(step, '')).filter((l) => l.command === 'tcpscenario.openExample').map((l) => String(l.args[0]));
    assert.deepEqual(opened, ['01-handshake', '02-four-way-teardown']);
    const handshake = runScenario(read('examples/01-handshake.tcpscenario')).doc;
    assert.ok(handshake);
    const expects = handshake.events.filter((e) => e.kind === 'expect');
    assert.ok(expects.length > 0 && expects.every((e) => e.kind === 'expect' && e.ok));
    const teardown = runScenario(read('examples/02-four-way-teardown.tcpscenario')).doc;
    assert.ok(teardown?.events.some((e) => e.kind === 'transition' && e.to === 'TIME-WAIT'), 'an endpoint enters TIME-WAIT');
  });
});
