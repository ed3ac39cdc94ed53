// Builds bundled/ for one VS Code target: the design-lsp package and its Python dependencies, so
// that the .vsix needs nothing but a Python interpreter.
//
//   bundled/libs/          design_lsp and the pure-Python wheels every CPython version shares
//   bundled/native/cpXY/   the rest for CPython X.Y: compiled wheels (pydantic-core, regex) built
//                          for the target's platform, and version-only ones (tomli on 3.10)
//
// The extension puts bundled/native/cpXY (for the interpreter it found) and bundled/libs on
// PYTHONPATH. Wheels come from the package index through `pip download --platform
// --python-version --only-binary=:all:` (scripts/wheels.py), never from this machine's installed
// files, and are cached under $DESIGN_LSP_EDITOR_CACHE/vsix-wheels, keyed by the requirements.
//
// Usage: node scripts/bundle-python.mjs [TARGET]   (default linux-x64; PYTHON picks the python
// that runs pip)
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const extensionDir = path.resolve(here, '..');
const repo = path.resolve(extensionDir, '..', '..');
const bundled = path.join(extensionDir, 'bundled');
const python = process.env.PYTHON || 'python3';
const helper = path.join(here, 'wheels.py');
const cache = path.join(
  process.env.DESIGN_LSP_EDITOR_CACHE || path.join(os.homedir(), '.cache', 'design-lsp-editors'),
  'vsix-wheels',
);

export const TARGETS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64'];
// The newest CPython with wheels on the index; the oldest comes from requires-python.
const NEWEST_PYTHON = 14;

/** ['3.10', ..., '3.14']: every CPython version pyproject.toml's requires-python admits. */
export function pythonVersions() {
  const pyproject = fs.readFileSync(path.join(repo, 'pyproject.toml'), 'utf8');
  const oldest = /^requires-python\s*=\s*">=\s*3\.(\d+)"/m.exec(pyproject);
  if (!oldest) throw new Error('pyproject.toml: requires-python is not ">=3.N"');
  const versions = [];
  for (let minor = Number(oldest[1]); minor <= NEWEST_PYTHON; minor++) versions.push(`3.${minor}`);
  return versions;
}

const tagOf = (version) => `cp${version.replace('.', '')}`;

/** The design-lsp wheel (pure Python), built from this checkout, and its requirements. */
export function buildProjectWheel(dir) {
  execFileSync(python, ['-m', 'pip', 'wheel', '-q', '--disable-pip-version-check', '--no-deps',
    '-w', dir, repo], { stdio: ['ignore', 'inherit', 'inherit'] });
  const wheel = path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.whl')));
  const requires = JSON.parse(execFileSync(python, [helper, 'requires', wheel]).toString());
  return { wheel, requires };
}

function cacheDir(requires, target, version) {
  const key = createHash('sha256').update(JSON.stringify([...requires].sort())).digest('hex');
  return path.join(cache, key.slice(0, 16), target, tagOf(version));
}

/** Downloads (once) the wheels of every (target, version) pair; pip waits on the index, so many at a time. */
export async function fetchAll(requires, targets, versions, parallel = 10) {
  const jobs = targets.flatMap((t) => versions.map((v) => [t, v]));
  const run = promisify(execFile);
  const worker = async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      const [target, version] = job;
      const dest = cacheDir(requires, target, version);
      if (fs.existsSync(path.join(dest, 'wheels.json'))) continue;
      await run(python, [helper, 'fetch', dest, target, version, ...requires], { maxBuffer: 1 << 24 });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/** Lays out bundled/ for `target` from the project wheel and the cached dependency wheels. */
export function layOut(target, project, versions) {
  const perVersion = Object.fromEntries(
    versions.map((v) => {
      const dir = cacheDir(project.requires, target, v);
      const files = JSON.parse(fs.readFileSync(path.join(dir, 'wheels.json'), 'utf8'));
      return [v, files.map((f) => path.join(dir, f))];
    }),
  );
  // Pure wheels that every version resolved to the same file are shared; the rest are per version.
  const pure = (f) => /-none-any\.whl$/.test(f);
  const shared = perVersion[versions[0]]
    .map((f) => path.basename(f))
    .filter((name) => pure(name) && versions.every((v) => perVersion[v].some((f) => path.basename(f) === name)));
  fs.rmSync(bundled, { recursive: true, force: true });
  const unpack = (dest, wheels) => execFileSync(python, [helper, 'unpack', dest, ...wheels], { stdio: 'inherit' });
  unpack(path.join(bundled, 'libs'), [
    project.wheel,
    ...perVersion[versions[0]].filter((f) => shared.includes(path.basename(f))),
  ]);
  for (const v of versions) {
    const own = perVersion[v].filter((f) => !shared.includes(path.basename(f)));
    if (own.length) unpack(path.join(bundled, 'native', tagOf(v)), own);
  }
  return { shared, own: Object.fromEntries(versions.map((v) => [v, perVersion[v].length - shared.length])) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const target = process.argv[2] || 'linux-x64';
  if (!TARGETS.includes(target)) throw new Error(`unknown target ${target}; one of ${TARGETS}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'design-lsp-wheel-'));
  try {
    const project = buildProjectWheel(tmp);
    const versions = pythonVersions();
    await fetchAll(project.requires, [target], versions);
    layOut(target, project, versions);
    console.log(`bundled/ ready for ${target}, CPython ${versions.join(', ')}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
