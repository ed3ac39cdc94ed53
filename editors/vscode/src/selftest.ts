// The "designLsp.selfTest" command: drives the editor through what a user does (open a design doc,
// look at Problems and Outline, complete a heading, apply a quick fix) and writes what VS Code
// itself shows to a JSON report. tests/editors/test_vscode.py runs it inside code-server.
import * as fs from 'node:fs';
import * as vscode from 'vscode';

const TIMEOUT_MS = 30000;

async function waitFor<T>(what: string, get: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const value = await get();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function diagnostics(uri: vscode.Uri): Array<Record<string, unknown>> {
  return vscode.languages.getDiagnostics(uri).map((d) => ({
    code: typeof d.code === 'object' ? d.code.value : d.code,
    line: d.range.start.line,
    severity: vscode.DiagnosticSeverity[d.severity],
    source: d.source,
    message: d.message,
  }));
}

function flatten(symbols: vscode.DocumentSymbol[], depth = 0): Array<Record<string, unknown>> {
  return symbols.flatMap((s) => [
    { name: s.name, line: s.range.start.line, depth, kind: vscode.SymbolKind[s.kind] },
    ...flatten(s.children ?? [], depth + 1),
  ]);
}

function lineOf(doc: vscode.TextDocument, pattern: RegExp): number {
  for (let i = 0; i < doc.lineCount; i++) {
    if (pattern.test(doc.lineAt(i).text)) {
      return i;
    }
  }
  throw new Error(`no line matches ${pattern}`);
}

export async function runSelfTest(reportPath: string, docPath: string): Promise<void> {
  const report: Record<string, unknown> = { timings: {} };
  const timings = report.timings as Record<string, number>;
  const t0 = Date.now();
  const mark = (name: string): void => {
    timings[name] = Date.now() - t0;
  };
  try {
    const wanted = process.env.DESIGN_LSP_SELFTEST_ACTION ?? '';
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(docPath));
    const editor = await vscode.window.showTextDocument(doc);
    report.languageId = doc.languageId;

    // 1. Diagnostics, as the Problems panel holds them.
    await waitFor('diagnostics', () =>
      vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === 'design-lsp') ? true : undefined,
    );
    report.diagnostics = diagnostics(doc.uri);
    mark('diagnostics');

    // 2. Outline, through the document symbol provider VS Code's Outline view uses.
    const symbols = await waitFor('document symbols', async () => {
      const result = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
        'vscode.executeDocumentSymbolProvider',
        doc.uri,
      );
      // The built-in Markdown outline answers too; keep asking until design-lsp's arrived.
      return result && result.length > 0 ? result : undefined;
    });
    report.outline = flatten(symbols);
    mark('outline');

    // 3. Completion on a new "### " line under Goals.
    const goals = lineOf(doc, /^- Recover transient/);
    await editor.edit((edit) => edit.insert(doc.lineAt(goals).range.end, '\n\n### '));
    const completions = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      new vscode.Position(goals + 2, 4),
    );
    report.completion = completions.items.map((item) =>
      typeof item.label === 'string' ? item.label : item.label.label,
    );
    await editor.edit((edit) =>
      edit.delete(new vscode.Range(doc.lineAt(goals).range.end, doc.lineAt(goals + 2).range.end)),
    );
    mark('completion');

    // 4. The quick fix on "### Goals" (Non-Goals goes after it), as the light bulb offers it.
    await waitFor('diagnostics after undoing the completion probe', () =>
      vscode.languages
        .getDiagnostics(doc.uri)
        .some((d) => d.range.start.line === lineOf(doc, /^### Goals$/) && /Non-Goals/.test(d.message))
        ? true
        : undefined,
    );
    const goalsHeading = lineOf(doc, /^### Goals$/);
    editor.selection = new vscode.Selection(goalsHeading, 0, goalsHeading, 0);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      doc.lineAt(goalsHeading).range,
      vscode.CodeActionKind.QuickFix.value,
    );
    report.code_actions_seen = actions.map((a) => a.title);
    const action = actions.find((a) => a.title === wanted);
    if (!action?.edit) {
      throw new Error(`no code action titled ${JSON.stringify(wanted)} with an edit`);
    }
    if (!(await vscode.workspace.applyEdit(action.edit))) {
      throw new Error('workspace.applyEdit refused the code action edit');
    }
    report.text = doc.getText();
    await waitFor('diagnostics after the fix', () =>
      vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === 'design-lsp') &&
      !vscode.languages.getDiagnostics(doc.uri).some((d) => /Non-Goals/.test(d.message))
        ? true
        : undefined,
    );
    report.diagnostics_after = diagnostics(doc.uri);
    mark('code_action');

    // 5. "Design LSP: Restart server": diagnostics come back from the new server.
    const before = vscode.languages.getDiagnostics(doc.uri).length;
    await vscode.commands.executeCommand('designLsp.restartServer');
    await waitFor('diagnostics after the restart', () =>
      vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'design-lsp').length === before
        ? true
        : undefined,
    );
    report.restarted = true;
    mark('restart');

    // 6. "Design LSP: New design document" (given the file the save dialog would ask for).
    const fresh = vscode.Uri.joinPath(doc.uri, '..', 'search-index.md');
    await vscode.commands.executeCommand('designLsp.newDocument', fresh);
    const opened = await waitFor('the new document to open', () =>
      vscode.window.activeTextEditor?.document.uri.fsPath === fresh.fsPath
        ? vscode.window.activeTextEditor.document
        : undefined,
    );
    report.new_document = opened.getText();
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    mark('new_document');

    // 7. The same command with designLsp.server.command carrying the server's flags, as the
    // crash-report advice sets it (`design-lsp serve --log-file F`).
    const cli = process.env.DESIGN_LSP_SELFTEST_CLI;
    if (cli) {
      const logFile = `${docPath}.server.log`;
      const config = vscode.workspace.getConfiguration('designLsp');
      await config.update('server.command', [cli, 'serve', '--log-file', logFile], vscode.ConfigurationTarget.Global);
      const flagged = vscode.Uri.joinPath(doc.uri, '..', 'flagged.md');
      await waitFor('the server started with --log-file', () => (fs.existsSync(logFile) ? true : undefined));
      await vscode.commands.executeCommand('designLsp.newDocument', flagged);
      const second = await waitFor('the second new document to open', () =>
        vscode.window.activeTextEditor?.document.uri.fsPath === flagged.fsPath
          ? vscode.window.activeTextEditor.document
          : undefined,
      );
      report.new_document_with_server_flags = second.getText();
      report.server_log_written = fs.existsSync(logFile);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await config.update('server.command', undefined, vscode.ConfigurationTarget.Global);
      await waitFor('diagnostics from the bundled server again', () =>
        vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === 'design-lsp') ? true : undefined,
      );
      mark('new_document_with_server_flags');
    }

    // Leave a screen worth a screenshot: Problems panel and Outline open, cursor on a finding.
    await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await vscode.commands.executeCommand('outline.focus');
    const shown = await vscode.window.showTextDocument(doc, { preserveFocus: false });
    const status = lineOf(doc, /^- \*\*Status\*\*/);
    shown.selection = new vscode.Selection(status, 15, status, 15);
  } catch (error) {
    report.error = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
  }
  fs.writeFileSync(reportPath, JSON.stringify(report, null, 2));
  if (!report.error) {
    void followUps(reportPath, docPath);
  }
}

/**
 * Steps the test asks for after the report, by writing REPORT.<step>: it does the step and
 * answers in REPORT.<step>.json. Between them the test types through the browser, as a user.
 */
async function followUps(reportPath: string, docPath: string): Promise<void> {
  const steps: Record<string, () => Promise<Record<string, unknown>>> = {
    // An empty line under Goals (Current State is still missing in Background), the cursor on
    // it, keyboard focus in the editor: the test then types there.
    typing: async () => {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(docPath));
      const editor = await vscode.window.showTextDocument(doc, { preserveFocus: false });
      const goals = lineOf(doc, /^- Recover transient/);
      await editor.edit((edit) => edit.insert(doc.lineAt(goals).range.end, '\n\n'));
      editor.selection = new vscode.Selection(goals + 2, 0, goals + 2, 0);
      await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
      return { line: goals + 2 };
    },
    // A Python that does not exist: the extension says so (once) and starts no server.
    'no-python': async () => {
      await vscode.workspace
        .getConfiguration('designLsp')
        .update('server.interpreter', '/nonexistent/bin/python3', vscode.ConfigurationTarget.Global);
      await new Promise((resolve) => setTimeout(resolve, 5000));
      return {};
    },
  };
  const deadline = Date.now() + 5 * 60000;
  const done = new Set<string>();
  while (Date.now() < deadline && done.size < Object.keys(steps).length) {
    for (const [name, step] of Object.entries(steps)) {
      if (!done.has(name) && fs.existsSync(`${reportPath}.${name}`)) {
        done.add(name);
        let answer: Record<string, unknown>;
        try {
          answer = await step();
        } catch (error) {
          answer = { error: String(error) };
        }
        fs.writeFileSync(`${reportPath}.${name}.json`, JSON.stringify(answer));
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
