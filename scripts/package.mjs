// `npm run package`: the .vsix, then what is in it, measured rather than typed.
//
// vsce packages the allow-list of .vscodeignore and, from the `repository` field of package.json,
// rewrites the relative links of README.md and CHANGELOG.md into absolute ones (images from
// .../raw/HEAD/, links to .../blob/HEAD/), so the Marketplace page and the Details page of an
// installed .vsix show the screenshots. This script then opens the .vsix, checks that every image
// of its README and CHANGELOG is an absolute https URL of a file that exists in this repository,
// and prints the file count and size. With --update-docs it also writes them into docs/vscode.md
// (between the `vsix-figures` markers).
//
// Usage: node scripts/package.mjs [--update-docs]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Buffer } from 'node:buffer';
import { inflateRawSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VSIX = path.join(root, 'tcp-scenario-debugger.vsix');
const DOC = path.join(root, 'docs', 'vscode.md');

/** The entries of a zip file (a .vsix): name, sizes and a reader (stored or deflated, as vsce writes them). */
export function readZip(file) {
  const buffer = fs.readFileSync(file);
  // End of central directory: the last 22+ bytes, found by its signature.
  let eocd = buffer.length - 22;
  while (eocd >= 0 && buffer.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buffer.readUInt16LE(eocd + 10);
  let offset = buffer.readUInt32LE(eocd + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (buffer.readUInt32LE(offset) !== 0x02014b50) throw new Error(`${file}: bad central directory`);
    const method = buffer.readUInt16LE(offset + 10);
    const compressedSize = buffer.readUInt32LE(offset + 20);
    const size = buffer.readUInt32LE(offset + 24);
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    const local = buffer.readUInt32LE(offset + 42);
    const name = buffer.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.push({
      name,
      size,
      compressedSize,
      read() {
        const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
        const data = buffer.subarray(start, start + compressedSize);
        return method === 0 ? Buffer.from(data) : inflateRawSync(data);
      },
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The image URLs of a markdown text: ![alt](url) and <img src="url">. */
export function imageUrls(markdown) {
  return [...markdown.matchAll(/!\[[^\]]*\]\(([^)\s]+)[^)]*\)|<img[^>]+src=["']([^"']+)["']/g)].map((m) => m[1] ?? m[2]);
}

/** Problems with the images of a packaged markdown file: each must be https, under the repository, and exist here. */
export function imageProblems(markdown, repository) {
  const base = `${repository.replace(/\.git$/, '')}/raw/HEAD/`;
  return imageUrls(markdown).flatMap((url) => {
    if (!url.startsWith(base)) return [`${url} is not an absolute URL under ${base}`];
    return fs.existsSync(path.join(root, ...url.slice(base.length).split('/'))) ? [] : [`${url}: no such file in the repository`];
  });
}

function kib(bytes) {
  return `${(bytes / 1024).toFixed(0)} KiB`;
}

function main() {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const repository = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
  if (!repository) throw new Error('package.json has no repository: vsce needs it to make the README images absolute');
  execFileSync(process.execPath, [path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '-o', VSIX], { cwd: root, stdio: 'inherit' });

  const entries = readZip(VSIX);
  const files = entries.filter((e) => !e.name.endsWith('/')); // as vsce counts them: the extension's files and the two of the package format
  const problems = [];
  for (const name of ['extension/readme.md', 'extension/changelog.md']) {
    const entry = entries.find((e) => e.name.toLowerCase() === name);
    if (!entry) {
      problems.push(`${name} is missing from the .vsix`);
      continue;
    }
    problems.push(...imageProblems(entry.read().toString('utf8'), repository).map((p) => `${name}: ${p}`));
  }
  if (problems.length > 0) throw new Error(`the .vsix is not right:\n  ${problems.join('\n  ')}`);

  const size = fs.statSync(VSIX).size;
  const unpacked = files.reduce((sum, e) => sum + e.size, 0);
  const figures = `${files.length} files, ${kib(size)} (${kib(unpacked)} unpacked)`;
  console.log(`${path.basename(VSIX)}: ${figures}; the README's images are absolute URLs under ${repository.replace(/\.git$/, '')}`);

  if (process.argv.includes('--update-docs')) {
    const doc = fs.readFileSync(DOC, 'utf8');
    const block = /(<!-- vsix-figures -->)[\s\S]*?(<!-- \/vsix-figures -->)/;
    if (!block.test(doc)) throw new Error(`${DOC} has no <!-- vsix-figures --> block`);
    const version = `version ${manifest.version}, commit ${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim()}`;
    fs.writeFileSync(DOC, doc.replace(block, `$1${figures} (${version}; measured by \`npm run package -- --update-docs\`)$2`));
    console.log(`updated ${path.relative(root, DOC)}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    console.error(`package: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  }
}
