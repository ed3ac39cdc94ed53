// How the extension starts design-lsp: no `vscode` import here, so the logic can be reasoned about
// (and run) outside the editor.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ServerLaunch {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** What the user sees in the output channel: which server runs, from where. */
  description: string;
  /** The design-lsp CLI with no subcommand (`design-lsp new FILE` appends to it). */
  cli: { command: string; args: string[] };
}

export interface LaunchSettings {
  /** designLsp.server.command: a full command that replaces the bundled server. */
  command: string[];
  /** designLsp.server.interpreter: the Python that runs the bundled server. */
  interpreter: string;
}

export class NoInterpreterError extends Error {}

const MIN_PYTHON: [number, number] = [3, 10];

/**
 * Python 3.10 has no `-P`: this bootstrap drops the working directory (`-c` puts '' first on
 * sys.path) before anything is imported, then runs the package as `-m` would.
 */
export const SAFE_PATH_BOOTSTRAP =
  "import sys; sys.path[:] = [p for p in sys.path if p not in ('', '.')]; " +
  "import runpy; runpy.run_module('design_lsp', run_name='__main__', alter_sys=True)";

/**
 * How `python` runs the bundled package without the working directory (the workspace folder,
 * where the client starts the server) on sys.path, so that a workspace's `lsprotocol/` or
 * `runpy.py` is never imported: `-P` from Python 3.11, the bootstrap above on 3.10.
 */
export function safeModuleArgs(pythonTag: string): string[] {
  const minor = Number(/^cp3(\d+)$/.exec(pythonTag)?.[1] ?? '0');
  return minor >= 11 ? ['-P', '-m', 'design_lsp'] : ['-c', SAFE_PATH_BOOTSTRAP];
}

/** Only absolute entries: an empty or relative one in PYTHONPATH means the working directory. */
export function absolutePathEntries(entries: (string | undefined)[]): string[] {
  return entries
    .flatMap((entry) => (entry ?? '').split(path.delimiter))
    .filter((entry) => entry !== '' && path.isAbsolute(entry));
}

/**
 * designLsp.server.command as a CLI invocation: without the `serve` subcommand and the server's
 * own flags (`design-lsp serve --log-file F`, as the crash-report advice sets it), so that another
 * subcommand can follow.
 */
export function cliArgs(command: string[]): string[] {
  const serve = command.indexOf('serve', 1);
  const kept = serve === -1 ? command : command.slice(0, serve);
  const out: string[] = [];
  for (let i = 0; i < kept.length; i++) {
    if (i > 0 && kept[i] === '--log-file') {
      i++; // and its value
    } else if (i === 0 || (kept[i] !== '--stdio' && !kept[i].startsWith('--log-file='))) {
      out.push(kept[i]);
    }
  }
  return out;
}

/** Interpreters tried in order when designLsp.server.interpreter is empty. */
export function defaultInterpreters(platform: NodeJS.Platform = process.platform): string[][] {
  return platform === 'win32' ? [['py', '-3'], ['python'], ['python3']] : [['python3'], ['python']];
}

/**
 * The bundled package's directories for a CPython with this tag (`cp312`): its own compiled
 * dependencies, then the shared pure-Python ones. Undefined when this .vsix carries no
 * dependencies built for that version (a newer Python than it was packaged for).
 */
export function bundledPath(extensionDir: string, pythonTag: string): string[] | undefined {
  const bundled = path.join(extensionDir, 'bundled');
  const libs = path.join(bundled, 'libs');
  if (!fs.existsSync(path.join(bundled, 'native'))) {
    return [libs]; // not packaged (a development checkout): the interpreter's own packages serve
  }
  const native = path.join(bundled, 'native', pythonTag);
  return fs.existsSync(native) ? [native, libs] : undefined;
}

/** The CPython versions this .vsix carries dependencies for, e.g. "3.10-3.14". */
function bundledVersions(extensionDir: string): string {
  let tags: string[] = [];
  try {
    tags = fs.readdirSync(path.join(extensionDir, 'bundled', 'native')).filter((t) => /^cp3\d+$/.test(t));
  } catch {
    // no bundled/native: reported as "none"
  }
  const minors = tags.map((t) => Number(t.slice(3))).sort((a, b) => a - b);
  return minors.length ? `3.${minors[0]}-3.${minors[minors.length - 1]}` : 'none';
}

/** `cp312` for a Python 3.12 interpreter, or undefined when it is missing, too old, or broken. */
export function probePython(argv: string[]): string | undefined {
  const probe = spawnSync(
    argv[0],
    [...argv.slice(1), '-c', 'import sys; print("cp%d%d" % sys.version_info[:2], sys.version_info >= (3, 10))'],
    { encoding: 'utf8', timeout: 15000, windowsHide: true },
  );
  if (probe.error || probe.status !== 0) {
    return undefined;
  }
  const [tag, ok] = probe.stdout.trim().split(/\s+/);
  return ok === 'True' ? tag : undefined;
}

export function resolveLaunch(
  extensionDir: string,
  settings: LaunchSettings,
  probe: (argv: string[]) => string | undefined = probePython,
): ServerLaunch {
  // PYTHONSAFEPATH also keeps the working directory off sys.path for a Python 3.11+ that
  // designLsp.server.command runs (`python -m design_lsp`); older ones ignore it.
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: '1', PYTHONSAFEPATH: '1' };
  if (settings.command.length > 0) {
    const [command, ...args] = settings.command;
    const [cliCommand, ...cli] = cliArgs(settings.command);
    return {
      command,
      args,
      env,
      description: `designLsp.server.command: ${settings.command.join(' ')}`,
      cli: { command: cliCommand, args: cli },
    };
  }
  const candidates = settings.interpreter ? [[settings.interpreter]] : defaultInterpreters();
  const tried: string[] = [];
  for (const argv of candidates) {
    const tag = probe(argv);
    const dirs = tag ? bundledPath(extensionDir, tag) : undefined;
    if (!tag || !dirs) {
      tried.push(tag ? `${argv.join(' ')} (Python ${tag.slice(2, 3)}.${tag.slice(3)}: not bundled)` : argv.join(' '));
      continue;
    }
    env.PYTHONPATH = absolutePathEntries([...dirs, process.env.PYTHONPATH]).join(path.delimiter);
    // The bundled package must win over a design-lsp installed in that interpreter.
    env.PYTHONNOUSERSITE = '1';
    const args = [...argv.slice(1), ...safeModuleArgs(tag)];
    return {
      command: argv[0],
      args,
      env,
      description: `bundled server with ${argv.join(' ')} (${tag})`,
      cli: { command: argv[0], args },
    };
  }
  const where = settings.interpreter ? 'designLsp.server.interpreter' : 'PATH';
  throw new NoInterpreterError(
    `Design LSP: no usable Python found on ${where} (tried: ${tried.join(', ')}); the bundled ` +
      `server needs CPython ${bundledVersions(extensionDir)} (at least ${MIN_PYTHON.join('.')}). ` +
      `Set "designLsp.server.interpreter" to such a Python, or "designLsp.server.command" to a ` +
      `design-lsp you installed yourself.`,
  );
}
