// Bundles every entry point with esbuild. `--watch` rebuilds on change; `--production` minifies.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const node = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // The l10n bundles are inlined (src/text/bundles.ts): kept as UTF-8, a Chinese character takes 3 bytes, not a 6-byte \u escape.
  charset: 'utf8',
};

const builds = [
  { ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/debug/debugAdapter.ts'], outfile: 'dist/debugAdapter.js' },
  // VS Code runs scenarios in this worker thread, off the extension host's thread.
  { ...node, entryPoints: ['src/vscode/runWorker.ts'], outfile: 'dist/runWorker.js' },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The CLI's file workers (run and check of many files): only what a run needs, so they start sooner.
  { ...node, entryPoints: ['src/cli/fileWorker.ts'], outfile: 'dist/cliWorker.js' },
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    entryPoints: ['media/webview.ts'],
    outfile: 'dist/webview.js',
  },
];

const present = (await Promise.all(builds.map(async (b) => {
  const fs = await import('node:fs');
  return fs.existsSync(b.entryPoints[0]) ? b : undefined;
}))).filter(Boolean);

if (watch) {
  for (const b of present) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(present.map((b) => esbuild.build(b)));
}
