// The diagram webview speaks the panel's language (issues 14 and 15): hovering an arrow or a state
// box shows the rule that made its events (where it is written, its summary, the link) in the
// display language the host gives; the hover's fields, the legend strip and the exported SVG's
// legend and title line too, and the time–sequence graph's hover fields and exported title line.
// Served as VS Code's host would serve it in Simplified Chinese (test/webview/harness.ts, `locale`).
// Expected texts come from the bundles and the engine's registry, never typed in.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../src/engine/rules';
import type { RuleInfo, TraceDocument, TraceEvent } from '../../src/engine/trace';
import { buildModel } from '../../src/diagram/model';
import { BADGE, LEGEND_TEXT, TIMER_LABEL } from '../../src/diagram/labels';
import type { ExportMessage, HostMessage } from '../../src/diagram/messages';
import { runScenario } from '../../src/diagram/scenario';
import { WEBVIEW_STRINGS } from '../../src/diagram/strings';
import { DRAWING_WORDS, GRAPH_WORDS } from '../../src/diagram/words';
import { pointFields } from '../../src/diagram/graphLayout';
import { GraphData } from '../../src/diagram/graphData';
import { translatorFor } from '../../src/text/bundles';
import { chromiumToUse, chromiumSuite } from './harness';
import { waitForPosted } from './page';

const root = join(import.meta.dirname, '..', '..');
const zh = translatorFor('zh-cn');
const rules = RULES as Readonly<Record<string, RuleInfo>>;

function scenarioTrace(name: string): TraceDocument {
  const { doc } = runScenario(readFileSync(join(root, 'examples', name), 'utf8'));
  assert.ok(doc, name);
  return doc;
}

/** The rules an item's events name, in order, once each (what the hover must explain). */
function rulesOf(events: readonly TraceEvent[], indices: readonly number[]): RuleInfo[] {
  const ids = [...new Set(indices.map((i) => events[i].rule).filter((id): id is string => id !== undefined))];
  return ids.map((id) => rules[id]);
}

const skip = chromiumToUse() ? false : 'no Chromium (install chromium or npm ci for @sparticuz/chromium)';

describe('diagram webview in the panel\'s language', { skip }, () => {
  const suite = chromiumSuite();

  test('hovers explain arrows and state boxes by their rule, in Simplified Chinese, as text', async () => {
    const doc = scenarioTrace('03-time-wait-lost-ack.tcpscenario');
    const page = await suite.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(suite.harness.url('light', 'zh-cn'));
    await waitForPosted(page, 'ready');
    // The current event is revealed (drawn); a second message moves it without new events.
    const show = (from: number, events: TraceEvent[], current: number) =>
      page.evaluate((m) => window.postMessage(m, '*'), { type: 'trace', from, events, current, endpoints: doc.endpoints, scenario: doc.scenario, profile: doc.profile } satisfies HostMessage);
    await show(0, doc.events, 0);
    const model = buildModel({ events: doc.events, endpoints: doc.endpoints });

    // The active open's SYN: its summary carries <SEQ=ISS><CTL=SYN>, which must stay text.
    const synIndex = doc.events.findIndex((e) => e.kind === 'send' && e.rule === 'rfc9293.3.10.1.open.active');
    assert.ok(synIndex >= 0, 'the SYN names the active OPEN');
    const syn = model.items[model.eventToItem[synIndex]];
    assert.equal(syn.kind, 'arrow');
    await page.locator(`[data-key="${syn.key}"] .hit`).hover();
    await page.waitForSelector(`.tooltip:not(.hidden)[data-item="${syn.key}"]`);
    const tip = await page.locator('.tooltip').innerText();
    const expected = rulesOf(doc.events, syn.events);
    assert.ok(expected.length > 0);
    for (const rule of expected) {
      const summary = zh.t(rule.summary);
      assert.notEqual(summary, rule.summary, 'the summary has a Simplified Chinese translation');
      assert.ok(tip.includes(`${rule.source}：${summary}`) || tip.includes(`${rule.source}: ${summary}`), `${rule.source} ${summary} in ${tip}`);
      assert.equal(await page.locator(`.tooltip a[href="${rule.url}"]`).count(), 1, `a link to ${rule.url}`);
    }
    assert.ok(tip.includes('<SEQ=ISS><CTL=SYN>'), 'markup in a summary is shown as text');
    for (const field of ['segment', 'flags', 'sent at', 'why', 'link']) assert.ok(tip.includes(zh.t(field)), `${zh.t(field)} (${field}) in ${tip}`);
    // Only the table, its rows and the link: nothing of the texts became an element.
    const tags = await page.locator('.tooltip *').evaluateAll((elements) => [...new Set(elements.map((e) => e.tagName.toLowerCase()))]);
    assert.deepEqual(tags.filter((tag) => !['table', 'tbody', 'tr', 'th', 'td', 'a', 'div'].includes(tag)), []);

    // The client's TIME-WAIT: the FIN check of RFC 9293 3.10.7.4.
    const timeWait = doc.events.findIndex((e) => e.kind === 'transition' && e.to === 'TIME-WAIT');
    await page.mouse.move(5, 5);
    await show(doc.events.length, [], timeWait);
    const box = model.items[model.eventToItem[timeWait]];
    assert.equal(box.kind, 'state');
    await page.locator(`[data-key="${box.key}"]`).hover();
    await page.waitForSelector(`.tooltip:not(.hidden)[data-item="${box.key}"]`);
    const boxTip = await page.locator('.tooltip').innerText();
    const boxRules = rulesOf(doc.events, box.events);
    assert.deepEqual(
      boxRules.map((r) => r.source),
      ['RFC 9293 3.10.7.4'],
    );
    assert.ok(boxTip.includes(zh.t(boxRules[0].summary)), boxTip);
    await page.mouse.move(5, 5);

    // The legend strip: every entry in Chinese.
    await page.getByRole('button', { name: zh.t(WEBVIEW_STRINGS.legend) }).click();
    await page.locator('.legend').waitFor();
    const legend = await page.locator('.legend [data-mark] > text').allTextContents();
    assert.deepEqual(legend, model.legend.map((entry) => zh.t(entry.label)));
    assert.ok(legend.every((text, i) => text !== model.legend[i].label), 'each legend text is translated');

    // The exported SVG: its legend and title line in Chinese too.
    const count = (await page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted.length));
    await page.getByRole('button', { name: zh.t(WEBVIEW_STRINGS.exportSvg) }).click();
    const svg = ((await waitForPosted(page, 'export', count)) as ExportMessage).data;
    for (const entry of model.legend) assert.ok(svg.includes(`>${zh.t(entry.label)}</text>`), `${entry.label} in the SVG's legend`);
    assert.ok(svg.includes(zh.t(DRAWING_WORDS.subtitleAbsolute, doc.profile)) || svg.includes(zh.t(DRAWING_WORDS.subtitleRelative, doc.profile)));
    assert.ok(!svg.includes(LEGEND_TEXT.lost), 'no English legend left');
    // Inside the ladder (the panel's model is built with the page's words): badges and timer labels.
    assert.ok(svg.includes(`>${zh.t(BADGE.retransmission)}</tspan>`) && !svg.includes(`>${BADGE.retransmission}</tspan>`), 'the RETX badge in Chinese');
    assert.ok(svg.includes(`>${zh.t(TIMER_LABEL.retransmission)} 1 s</text>`) && !svg.includes(`>${TIMER_LABEL.retransmission} `), 'the RTO timer label in Chinese');

    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the time–sequence graph: hover fields and the exported graph\'s title line in Simplified Chinese', async () => {
    const doc = scenarioTrace('20-slow-start-fast-recovery.tcpscenario');
    const page = await suite.browser.newPage({ viewport: { width: 1100, height: 760 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(suite.harness.url('light', 'zh-cn'));
    await waitForPosted(page, 'ready');
    // Stopped at the first retransmission: the ring is on its point, which has a cwnd.
    const retx = doc.events.findIndex((e) => e.kind === 'send' && e.retransmission);
    assert.ok(retx > 0);
    await page.evaluate((m) => window.postMessage(m, '*'), { type: 'trace', from: 0, events: doc.events.slice(0, retx + 1), current: retx, endpoints: doc.endpoints, scenario: doc.scenario, profile: doc.profile } satisfies HostMessage);
    await page.locator('#canvas .arrow').first().waitFor();
    await page.getByRole('button', { name: zh.t(WEBVIEW_STRINGS.graphViewTitle) }).click();
    const data = new GraphData();
    data.update({ ...doc, events: doc.events.slice(0, retx + 1) }, 0);
    const d = data.busiest()!;
    await page.waitForFunction((key) => document.body.dataset.graphDirection === key, d.key);
    await page.locator('#graph .tsg-current').waitFor();
    const ring = await page.locator('#graph .tsg-current').evaluate((c) => {
      const box = c.getBoundingClientRect();
      return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
    });
    await page.mouse.move(ring.x, ring.y);
    await page.waitForSelector('.tooltip:not(.hidden)');
    const tip = await page.locator('.tooltip').innerText();
    for (const field of ['segment', 'sent at', 'seq (relative)', 'retransmission', 'cwnd']) {
      assert.notEqual(zh.t(field), field, `${field} has a Simplified Chinese translation`);
      assert.ok(tip.includes(zh.t(field)), `${zh.t(field)} (${field}) in ${tip}`);
    }
    assert.ok(tip.includes(zh.t('yes')), `the retransmission's value in Chinese: ${tip}`);
    for (const english of ['sent at', 'retransmission', 'seq (relative)']) assert.ok(!tip.includes(english), `no English ${english} left in ${tip}`);
    await page.mouse.move(5, 5);

    // The keyboard's point is said in the same words (the first arrow starts at the current point).
    await page.locator('.graph-view').focus();
    await page.keyboard.press('ArrowRight');
    const point = data.pointOf(retx)!;
    await page.waitForFunction((w) => document.body.dataset.graphFocus === w, `${point.series}:${point.at}`);
    const announced = await page.locator('.graph-announce').textContent();
    assert.equal(announced, pointFields(d, point.series, point.at, zh.t).map(([name, value]) => zh.t('{0}: {1}', name, value)).join('\n'));
    assert.ok(announced?.includes(zh.t('sent at')) && !announced.includes('sent at'), announced ?? '');
    await page.locator('.graph-view').blur();

    // The exported graph: its title line in Chinese.
    const count = await page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted.length);
    await page.getByRole('button', { name: zh.t(WEBVIEW_STRINGS.exportSvg) }).click();
    const svg = ((await waitForPosted(page, 'export', count)) as ExportMessage).data;
    assert.ok(svg.includes('class="tsg-'), 'the export is the graph');
    const subtitle = zh.t(GRAPH_WORDS.subtitleProfile, `${d.from} → ${d.to}`, doc.profile);
    assert.notEqual(subtitle, `time–sequence graph · ${d.from} → ${d.to} · profile ${doc.profile}`);
    assert.ok(svg.includes(`>${subtitle}</text>`), `${subtitle} in the graph's SVG`);
    assert.ok(!svg.includes('time–sequence graph'), 'no English title line left');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('in English, the same hover in English', async () => {
    const doc = scenarioTrace('01-handshake.tcpscenario');
    const page = await suite.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(suite.harness.url('light'));
    await waitForPosted(page, 'ready');
    await page.evaluate((m) => window.postMessage(m, '*'), { type: 'trace', from: 0, events: doc.events, current: 0, endpoints: doc.endpoints, scenario: doc.scenario, profile: doc.profile } satisfies HostMessage);
    const model = buildModel({ events: doc.events, endpoints: doc.endpoints });
    const arrow = model.items.find((item) => item.kind === 'arrow')!;
    await page.locator(`[data-key="${arrow.key}"] .hit`).hover();
    await page.waitForSelector(`.tooltip:not(.hidden)[data-item="${arrow.key}"]`);
    const tip = await page.locator('.tooltip').innerText();
    // English fields and the English summary of the rule that sent the segment.
    const rule = rulesOf(doc.events, arrow.events)[0];
    assert.ok(rule, 'the handshake\'s first segment names a rule');
    assert.ok(tip.includes('sent at') && tip.includes(`${rule.source}: ${rule.summary}`), tip);
    await page.close();
  });
});
