// Builds bundled/: the design-lsp package and its Python dependencies, installed with
// `pip install --target`, so that the .vsix needs nothing but a Python 3.10+ interpreter.
//
//   bundled/libs/          pure-Python packages (design_lsp, pygls, lsprotocol, pydantic, ...)
//   bundled/native/cpXY/   compiled packages (pydantic_core) for CPython X.Y, one per version
//
// The extension puts bundled/native/cpXY (for the interpreter it found) and bundled/libs on
// PYTHONPATH. Compiled packages are fetched for CPython 3.10 to 3.14 on this machine's platform,
// so the .vsix serves the platform it was built on.
//
// Usage: node scripts/bundle-python.mjs   (PYTHON=/path/to/python3 picks the interpreter)
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const extensionDir = path.resolve(here, '..');
const repo = path.resolve(extensionDir, '..', '..');
const bundled = path.join(extensionDir, 'bundled');
const libs = path.join(bundled, 'libs');
const python = process.env.PYTHON || 'python3';
const versions = ['3.10', '3.11', '3.12', '3.13', '3.14'];

function run(args) {
  execFileSync(python, args, { stdio: ['ignore', 'inherit', 'inherit'] });
}

function pip(args) {
  run(['-m', 'pip', 'install', '-q', '--disable-pip-version-check', '--no-compile', ...args]);
}

const info = JSON.parse(
  execFileSync(python, [
    '-c',
    'import json, sys, sysconfig; print(json.dumps({"tag": "cp%d%d" % sys.version_info[:2], "platform": sysconfig.get_platform()}))',
  ]).toString(),
);

fs.rmSync(bundled, { recursive: true, force: true });
// The package and every dependency (tomli, which only Python 3.10 needs, goes to native/cp310).
pip(['--target', libs, repo]);

// Move compiled packages (those with an extension module) out of libs/, into native/<tag>/.
const native = path.join(bundled, 'native', info.tag);
const compiled = [];
for (const entry of fs.readdirSync(libs)) {
  const full = path.join(libs, entry);
  if (/\.(so|pyd)$/.test(entry)) {
    // A top-level extension module (mypyc's helper): it goes with the build interpreter's tag.
    fs.mkdirSync(native, { recursive: true });
    fs.renameSync(full, path.join(native, entry));
    continue;
  }
  if (!fs.existsSync(full) || !fs.statSync(full).isDirectory() || entry.endsWith('.dist-info')) {
    continue;
  }
  const hasExtension = fs
    .readdirSync(full, { recursive: true })
    .some((f) => /\.(so|pyd)$/.test(String(f)));
  if (!hasExtension) {
    continue;
  }
  const dist = fs
    .readdirSync(libs)
    .find((d) => d.endsWith('.dist-info') && d.toLowerCase().startsWith(`${entry.toLowerCase()}-`));
  if (!dist) {
    throw new Error(`no .dist-info for the compiled package ${entry}`);
  }
  const version = dist.slice(entry.length + 1, -'.dist-info'.length);
  compiled.push(`${entry.replace(/_/g, '-')}==${version}`);
  fs.mkdirSync(native, { recursive: true });
  for (const name of [entry, dist]) {
    fs.renameSync(path.join(libs, name), path.join(native, name));
  }
}

// The same compiled packages for the other CPython versions, on this platform (Linux and macOS
// builders; elsewhere only the building interpreter's version is bundled).
const m = /^(linux)-(x86_64|aarch64)$/.exec(info.platform);
if (m && compiled.length) {
  const platforms = [`manylinux2014_${m[2]}`, `manylinux_2_17_${m[2]}`, `manylinux_2_28_${m[2]}`];
  for (const version of versions) {
    const tag = `cp${version.replace('.', '')}`;
    if (tag === info.tag) {
      continue;
    }
    const target = [
      '--target', path.join(bundled, 'native', tag),
      '--only-binary=:all:', '--no-deps', '--implementation', 'cp', '--python-version', version,
      ...platforms.flatMap((p) => ['--platform', p]),
    ];
    for (const requirement of [...compiled, ...(version === '3.10' ? ['tomli>=2.0'] : [])]) {
      try {
        pip([...target, requirement]);
      } catch (error) {
        // The exact build may exist only for the building interpreter (a local wheel): any
        // release does for packages nothing pins (regex); pydantic-core's pin is always on PyPI.
        const name = requirement.split('==')[0];
        if (name === requirement) throw error;
        console.warn(`${requirement} has no ${tag} wheel here; bundling the latest ${name}`);
        pip([...target, name]);
      }
    }
  }
}

// Console scripts point at the build interpreter; bytecode caches are rebuilt by the user's.
fs.rmSync(path.join(libs, 'bin'), { recursive: true, force: true });
for (const f of fs.readdirSync(bundled, { recursive: true })) {
  if (path.basename(String(f)) === '__pycache__') {
    fs.rmSync(path.join(bundled, String(f)), { recursive: true, force: true });
  }
}
console.log(`bundled/ ready: ${compiled.join(', ') || 'no compiled packages'} for ${info.platform}`);
