// The Chromium that the npm package @sparticuz/chromium ships inside itself (brotli-compressed,
// with the few libraries it needs: NSS, NSPR, expat, SwiftShader, and a font), for the webview
// tests on a machine without Debian's chromium. Unpacked once into node_modules/.cache; nothing
// is downloaded. It runs headless with LD_LIBRARY_PATH pointing at its own libraries.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';

const root = join(import.meta.dirname, '..', '..');

export interface BundledChromium {
  executable: string;
  env: Record<string, string>;
}

/** Regular files and folders of a tar archive (ustar), written under `dir`. */
function untar(archive: Buffer, dir: string): void {
  for (let at = 0; at + 512 <= archive.length; ) {
    const header = archive.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (from: number, length: number) => header.toString('latin1', from, from + length).replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = (prefix ? `${prefix}/` : '') + field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const mode = parseInt(field(100, 8).trim() || '644', 8);
    const type = field(156, 1);
    const path = join(dir, name);
    if (!path.startsWith(dir)) throw new Error(`unsafe path in archive: ${name}`);
    if (type === '5') mkdirSync(path, { recursive: true });
    else if (type === '0' || type === '') {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, archive.subarray(at + 512, at + 512 + size));
      chmodSync(path, mode & 0o777);
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
}

/** Unpacks the package's Chromium (once per version) and says how to start it; undefined when the package is not installed. */
export function bundledChromium(): BundledChromium | undefined {
  // The package's exports hide package.json: find it from its main entry (build/cjs/index.cjs).
  let bin: string;
  let version: string;
  try {
    const main = createRequire(join(root, 'package.json')).resolve('@sparticuz/chromium');
    const pkg = join(dirname(main), '..', '..');
    bin = join(pkg, 'bin');
    version = (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
  const dir = join(root, 'node_modules', '.cache', 'tcpscenario-chromium', version);
  if (!existsSync(join(dir, '.unpacked'))) {
    // Unpacked beside, then renamed: two test files starting at once never see half a browser.
    const work = `${dir}.${process.pid}`;
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    writeFileSync(join(work, 'chromium'), brotliDecompressSync(readFileSync(join(bin, 'chromium.br'))), { mode: 0o755 });
    // SwiftShader's GL libraries go beside the binary, where Chromium looks for them.
    untar(brotliDecompressSync(readFileSync(join(bin, 'swiftshader.tar.br'))), work);
    untar(brotliDecompressSync(readFileSync(join(bin, 'al2023.tar.br'))), join(work, 'al2023'));
    untar(brotliDecompressSync(readFileSync(join(bin, 'fonts.tar.br'))), join(work, 'fonts'));
    writeFileSync(
      join(work, 'fonts', 'fonts.conf'),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${join(dir, 'fonts', 'fonts')}</dir>\n  <dir>/usr/share/fonts</dir>\n  <cachedir>${join(dir, 'fonts-cache')}</cachedir>\n</fontconfig>\n`,
    );
    writeFileSync(join(work, '.unpacked'), version);
    try {
      renameSync(work, dir);
    } catch {
      // Another process got there first.
      rmSync(work, { recursive: true, force: true });
    }
  }
  return {
    executable: join(dir, 'chromium'),
    env: { LD_LIBRARY_PATH: [join(dir, 'al2023', 'lib'), dir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'), FONTCONFIG_PATH: join(dir, 'fonts') },
  };
}
