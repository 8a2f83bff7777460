// `npm run bench`: prints speed and memory figures for each layer. Figures, never assertions.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const parts = ['engine', 'parse', 'dap', 'diagram', 'editor', 'memory'];
for (const part of parts) {
  const file = join(import.meta.dirname, `${part}.ts`);
  if (!existsSync(file)) continue;
  console.log(`\n== ${part} ==`);
  const mod = (await import(pathToFileURL(file).href)) as { main: () => Promise<void> | void };
  await mod.main();
}
