// What the webview tests do with the page: post the host's messages to it and wait for what it
// posts back (the harness records the page's messages in window.__posted).
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { TraceDocument, TraceEvent } from '../../src/engine/trace';
import type { HostMessage, WebviewMessage } from '../../src/diagram/messages';

export function traceMessage(doc: TraceDocument, from: number, events: TraceEvent[], current: number): HostMessage {
  return { type: 'trace', from, events, current, endpoints: doc.endpoints, scenario: doc.scenario, profile: doc.profile };
}

export async function postToPage(page: Page, message: HostMessage): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), message);
}

export async function posted(page: Page): Promise<WebviewMessage[]> {
  return page.evaluate(() => (window as unknown as { __posted: WebviewMessage[] }).__posted);
}

/** The first message of `type` the page posted after the first `after` ones, once it has come. */
export async function waitForPosted(page: Page, type: string, after = 0): Promise<WebviewMessage> {
  await page.waitForFunction(
    ([t, n]) => (window as unknown as { __posted: { type: string }[] }).__posted.slice(n as number).some((m) => m.type === t),
    [type, after] as const,
  );
  const found = (await posted(page)).slice(after).find((m) => m.type === type);
  assert.ok(found);
  return found;
}
