// `npm run package`: one .vsix per platform target (vsce package --target), each with bundled/
// laid out for its platform, as extensions with compiled dependencies ship. Writes
// vsix/design-lsp-<target>.vsix.
//
// Usage: node scripts/package.mjs [TARGET...]   (default: all five)
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildProjectWheel, fetchAll, layOut, pythonVersions, TARGETS } from './bundle-python.mjs';

const extensionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const targets = process.argv.slice(2).length ? process.argv.slice(2) : TARGETS;
for (const t of targets) {
  if (!TARGETS.includes(t)) throw new Error(`unknown target ${t}; one of ${TARGETS}`);
}
const vsce = path.join(extensionDir, 'node_modules', '.bin', 'vsce');
const outDir = path.join(extensionDir, 'vsix');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'design-lsp-wheel-'));
try {
  const project = buildProjectWheel(tmp);
  const versions = pythonVersions();
  await fetchAll(project.requires, targets, versions);
  fs.mkdirSync(outDir, { recursive: true });
  for (const target of targets) {
    layOut(target, project, versions);
    const out = path.join(outDir, `design-lsp-${target}.vsix`);
    execFileSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository',
      '--target', target, '-o', out], { cwd: extensionDir, stdio: ['ignore', 'ignore', 'inherit'] });
    console.log(`${path.relative(extensionDir, out)}: ${(fs.statSync(out).size / 1e6).toFixed(1)} MB`);
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
