import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  ErrorHandler,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from 'vscode-languageclient/node';

import { NoInterpreterError, resolveLaunch, ServerLaunch } from './server';
import { runSelfTest } from './selftest';

const SECTION = 'designLsp';
let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let launch: ServerLaunch | undefined;

function launchSettings(): { command: string[]; interpreter: string } {
  const config = vscode.workspace.getConfiguration(SECTION);
  return {
    command: config.get<string[]>('server.command', []) ?? [],
    interpreter: (config.get<string>('server.interpreter', '') ?? '').trim(),
  };
}

/**
 * A client that stays quiet while its server starts: a server that cannot start is reported once,
 * by startClient, naming the settings to fix, instead of once per failed attempt.
 */
class DesignLanguageClient extends LanguageClient {
  starting = true;

  override error(message: string, data?: unknown, showNotification: boolean | 'force' = true): void {
    super.error(message, data, this.starting ? false : showNotification);
  }
}

/** One error message, naming the settings that choose the server; "Open Settings" opens them. */
async function reportLaunchProblem(message: string): Promise<void> {
  output.appendLine(message);
  const choice = await vscode.window.showErrorMessage(message, 'Open Settings');
  if (choice === 'Open Settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'designLsp.server');
  }
}

/** The launch for the current settings, or undefined after saying why there is none. */
function resolveOrReport(context: vscode.ExtensionContext): ServerLaunch | undefined {
  try {
    return resolveLaunch(context.extensionPath, launchSettings());
  } catch (error) {
    if (error instanceof NoInterpreterError) {
      void reportLaunchProblem(error.message);
      return undefined;
    }
    throw error;
  }
}

/**
 * Restarts a server that crashes after it started (the default policy), but never one that exits
 * before answering `initialize`: that one would only exit again (a crash loop).
 */
function startupAwareErrorHandler(fallback: () => ErrorHandler, started: () => boolean): ErrorHandler {
  return {
    error: (error, message, count) =>
      started() ? fallback().error(error, message, count) : { action: ErrorAction.Shutdown, handled: true },
    closed: () => (started() ? fallback().closed() : { action: CloseAction.DoNotRestart, handled: true }),
  };
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  launch = resolveOrReport(context);
  if (!launch) {
    return;
  }
  output.appendLine(`Starting ${launch.description}`);
  // No `transport`: with TransportKind.stdio the client would append "--stdio" to the arguments.
  const executable = { command: launch.command, args: launch.args, options: { env: launch.env } };
  const serverOptions: ServerOptions = { run: executable, debug: executable };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'untitled', language: 'markdown' },
    ],
    // Settings reach the server through workspace/configuration (section "designLsp"); this also
    // sends workspace/didChangeConfiguration when they change.
    synchronize: {
      configurationSection: SECTION,
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{.design-lsp.toml,pyproject.toml}'),
    },
    initializationOptions: { [SECTION]: serverSettings() },
    outputChannel: output,
    errorHandler: startupAwareErrorHandler(
      () => (defaultHandler ??= started.createDefaultErrorHandler()),
      () => !started.starting,
    ),
  };
  let defaultHandler: ErrorHandler | undefined;
  const started = new DesignLanguageClient('designLsp', 'Design LSP', serverOptions, clientOptions);
  client = started;
  try {
    await started.start();
    started.starting = false;
  } catch (error) {
    client = undefined;
    await reportLaunchProblem(
      `Design LSP: the server exited as it started (${launch.description}): ${String(error)}. ` +
        `Its output is in the "Design LSP" output channel; check "designLsp.server.interpreter" ` +
        `and "designLsp.server.command".`,
    );
  }
}

/** The settings the server reads (the client-only server.* and trace keys stay here). */
function serverSettings(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const settings: Record<string, unknown> = {};
  for (const key of ['template', 'include', 'placeholders', 'rules']) {
    const value = config.get(key);
    if (value !== null && value !== undefined) {
      settings[key] = value;
    }
  }
  return settings;
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop();
  }
}

async function restartServer(context: vscode.ExtensionContext): Promise<void> {
  await stopClient();
  await startClient(context);
  if (client) {
    vscode.window.setStatusBarMessage('Design LSP: server restarted', 3000);
  }
}

/** "Design LSP: New design document": asks for a file, writes it from the template, opens it. */
async function newDocument(context: vscode.ExtensionContext, uri?: vscode.Uri): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target =
    uri ??
    (await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, 'design.md') : undefined,
      filters: { Markdown: ['md'] },
      title: 'New design document',
    }));
  if (!target) {
    return;
  }
  // Resolved afresh: the settings may have changed since the server started.
  const fresh = resolveOrReport(context);
  if (!fresh) {
    return;
  }
  const { cli, env } = fresh;
  const args = [...cli.args, 'new', target.fsPath];
  const template = vscode.workspace.getConfiguration(SECTION, target).get<string | null>('template');
  if (template) {
    const base = vscode.workspace.getWorkspaceFolder(target)?.uri.fsPath ?? path.dirname(target.fsPath);
    args.push('--template', path.resolve(base, template));
  }
  // `design-lsp new FILE`: the server's executable (bundled, or designLsp.server.command) without
  // the server's own subcommand and flags.
  const result = spawnSync(cli.command, args, {
    cwd: path.dirname(target.fsPath),
    env,
    encoding: 'utf8',
    timeout: 30000,
  });
  if (result.error || result.status !== 0) {
    const detail = (result.stderr || String(result.error ?? '')).trim();
    void vscode.window.showErrorMessage(`Design LSP: could not create ${target.fsPath}: ${detail}`);
    return;
  }
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target));
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('Design LSP');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('designLsp.restartServer', () => restartServer(context)),
    vscode.commands.registerCommand('designLsp.newDocument', (uri?: vscode.Uri) =>
      newDocument(context, uri instanceof vscode.Uri ? uri : undefined),
    ),
    vscode.commands.registerCommand('designLsp.selfTest', (report: string, doc: string) =>
      runSelfTest(report, doc),
    ),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('designLsp.server')) {
        void restartServer(context);
      }
    }),
  );
  try {
    await startClient(context);
  } catch (error) {
    output.appendLine(`Design LSP: the server did not start: ${String(error)}`);
    void vscode.window.showErrorMessage(`Design LSP: the server did not start: ${String(error)}`);
  } finally {
    // The editor tests (tests/editors/test_vscode.py) start code-server with these set.
    const report = process.env.DESIGN_LSP_SELFTEST_REPORT;
    const doc = process.env.DESIGN_LSP_SELFTEST_DOC;
    if (report && doc) {
      void vscode.commands.executeCommand('designLsp.selfTest', report, doc);
    }
  }
}

export function deactivate(): Promise<void> {
  return stopClient();
}
