// What the tests do to the page as a user would (keys, screenshots, looking into webviews), through
// the launcher's HTTP API (test/e2e/launcher.mjs). In a desktop VS Code there is no launcher:
// `available` is false, screenshots are skipped and the tests use commands instead of keys.

const base = process.env.TCPSCENARIO_E2E_UI;

export const available = base !== undefined;

async function call(route: string, params: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}${route}?${new URLSearchParams(params)}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function screenshot(name: string): Promise<void> {
  if (available) await call('/screenshot', { name });
}

/** A key as playwright names it: 'F5', 'Enter', 'Escape', 'Control+Shift+P'. */
export async function press(key: string): Promise<void> {
  const { status, body } = await call('/press', { key });
  if (status !== 200) throw new Error(`pressing ${key}: ${JSON.stringify(body)}`);
}

export async function type(text: string): Promise<void> {
  await call('/type', { text });
}

/** Waits until `selector` is visible in the workbench or any webview frame. */
export async function waitFor(selector: string, timeoutMs = 30_000): Promise<void> {
  const { status } = await call('/waitFor', { selector, timeout: String(timeoutMs) });
  if (status !== 200) throw new Error(`${selector} did not appear within ${timeoutMs / 1000} s`);
}

/** Clicks the first visible element matching `selector`, in the workbench or a webview. */
export async function click(selector: string): Promise<void> {
  const { status, body } = await call('/click', { selector });
  if (status !== 200) throw new Error(`clicking ${selector}: ${JSON.stringify(body)}`);
}

/** Elements matching `selector` in the workbench and every webview frame. */
export async function count(selector: string): Promise<number> {
  const { body } = await call('/count', { selector });
  return Number(body.count);
}
