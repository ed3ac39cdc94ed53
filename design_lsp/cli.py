"""Command line: `design-lsp` (LSP over stdio), `serve`, `check`, `new` and `template`.

Engine modules are imported inside the commands so that starting the language server does not
pay for the checker's imports, and the checker does not pay for pygls.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from design_lsp import __version__ as VERSION
from design_lsp.files import Refused, Snapshot, Walk, check_regular, inside, read_regular
from design_lsp.limits import MAX_DOCUMENT_BYTES
from design_lsp.shown import printable, printable_lines

if TYPE_CHECKING:
    from design_lsp.analysis import Analysis, Finding
    from design_lsp.config import Config
    from design_lsp.document import Document
    from design_lsp.template import Template

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
GITHUB_LEVEL = {"error": "error", "warning": "warning", "information": "notice", "hint": "notice"}


class UsageError(Exception):
    """Stops a command with exit 2; the message says what was wrong."""


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            return run_check(args)
        if args.command == "new":
            return run_new(args)
        if args.command == "template":
            return run_template(args)
        if args.command is None and sys.stdin.isatty():
            print(_TTY_HINT, file=sys.stderr)  # a person, not an editor, started it
        return run_serve(args)
    except UsageError as exc:
        print(printable_lines(str(exc)), file=sys.stderr)  # they name the file or option at fault
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (`design-lsp check | head`): stop quietly, like other CLIs.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


_TTY_HINT = (
    "design-lsp: waiting for a language client on stdin (Ctrl-D to quit).\n"
    "To check files, run `design-lsp check [PATH ...]`; `design-lsp --help` lists the commands."
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="design-lsp",
        description="Check Markdown design documents against a Markdown template. "
        "Without a command, speak LSP over stdio.",
    )
    parser.set_defaults(command=None, tcp=False, host="127.0.0.1", port=2087, log_file=None)
    # Language clients (vscode-languageclient among them) append --stdio: stdio is the default.
    parser.add_argument("--stdio", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--log-file", metavar="FILE", help="write the server log to FILE")
    parser.add_argument("--version", action="version", version=f"%(prog)s {VERSION}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the language server (stdio by default)")
    serve.add_argument("--tcp", action="store_true", help="listen on TCP instead of stdio")
    serve.add_argument("--host", default="127.0.0.1", help="TCP host (default: %(default)s)")
    serve.add_argument("--port", type=int, default=2087, help="TCP port (default: %(default)s)")
    serve.add_argument("--log-file", metavar="FILE", help="write the server log to FILE")
    serve.add_argument("--stdio", action="store_true", help=argparse.SUPPRESS)

    check = commands.add_parser("check", help="check documents and print findings")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    check.add_argument(
        "--template",
        metavar="FILE",
        help="template to check against (every .md or .markdown under PATH)",
    )
    check.add_argument("--format", choices=("text", "json", "github", "sarif"), default="text")
    check.add_argument(
        "--fix",
        action="store_true",
        help="apply the safe fixes: insert the missing sections and title from the template",
    )
    check.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix, apply the unsafe fixes too: move sections, rename misspelled ones, "
        "change heading levels and field values",
    )
    check.add_argument(
        "--only-design-docs",
        action="store_true",
        help="check a file named on the command line only when it looks like a design doc, "
        "as a file found in a directory (for pre-commit, which names every Markdown file)",
    )
    check.add_argument(
        "--changed-since",
        metavar="REF",
        help="check only the Markdown files that differ from git revision REF (changed in "
        "commits since, staged or not, and new files git does not ignore) among PATHs",
    )
    baseline = check.add_mutually_exclusive_group()
    baseline.add_argument(
        "--baseline",
        metavar="FILE",
        help="report (and fail on) only the findings that FILE does not record",
    )
    baseline.add_argument(
        "--write-baseline",
        metavar="FILE",
        help="record every finding in FILE, for --baseline; exits 0 unless a file had an error",
    )
    check.add_argument("--config", metavar="FILE", help="config file (default: searched upward)")
    check.add_argument(
        "--max-file-size",
        type=_positive_int,
        default=MAX_DOCUMENT_BYTES,
        metavar="BYTES",
        help="skip (and report) documents larger than this (default: %(default)s)",
    )

    new = commands.add_parser("new", help="write a fresh document from the template")
    new.add_argument("file", metavar="FILE")
    new.add_argument("--template", metavar="FILE", help="template to start from")
    new.add_argument("--title", help="document title (default: from the file name)")
    new.add_argument("--config", metavar="FILE", help="config file (default: searched upward)")

    show = commands.add_parser(
        "template", help="print how a template is read: sections, optional ones and why, fields"
    )
    show.add_argument(
        "file", nargs="?", metavar="FILE", help="template (default: the config's, else built-in)"
    )
    show.add_argument("--config", metavar="FILE", help="config file (default: searched upward)")
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number of bytes, got {text!r}")
    return value


def run_serve(args: argparse.Namespace) -> int:
    from design_lsp.server import serve

    serve(tcp=args.tcp, host=args.host, port=args.port, log_file=args.log_file)
    return EXIT_CLEAN


# ---- shared set-up ---------------------------------------------------------------------------


def _load_config(config_file: str | None, start: str) -> Config:
    from design_lsp.config import ConfigError, load_config, load_config_file

    if config_file and (reason := check_regular(config_file)):
        raise UsageError(f"{printable(config_file)}: cannot read config: {reason}")  # no hang
    try:
        return load_config_file(config_file) if config_file else load_config(start)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


def _load_template(explicit: str | None, config: Config) -> Template:
    """--template (relative to the working directory) wins over the config's template."""
    from design_lsp.config import ConfigError
    from design_lsp.template import TemplateError, load_template

    try:
        if explicit:
            return config.configured(load_template(explicit))
        return config.configured(load_template(config.template, config.template_named_by))
    except (TemplateError, ConfigError) as exc:
        raise UsageError(str(exc)) from None


# ---- check -----------------------------------------------------------------------------------


@dataclass
class Source:
    """A file as read from disk."""

    path: str  # as shown to the user
    raw: bytes
    text: str  # decoded, without a byte order mark
    bom: bool
    snapshot: Snapshot  # what it was when read: --fix writes only over exactly that


class Target(NamedTuple):
    """A file to consider."""

    path: str
    explicit: bool  # named on the command line: always checked
    tree: str  # the real path of the tree it was found in: --fix writes nowhere else


class Row(NamedTuple):
    """A finding as the output needs it: plain values, cheap to send between processes."""

    line: int
    col: int
    end_line: int
    end_col: int
    start_char: int  # `col` and `end_col` in UTF-16 units, for JSON
    end_char: int
    severity: str
    code: str
    message: str
    section: list[str] | None
    fix: dict[str, Any] | None  # fixes.fix_json: for --format json


@dataclass
class Report:
    path: str
    rows: list[Row]
    problems: list[str] = field(default_factory=list)  # why a fix was not written


@dataclass
class Run:
    reports: list[Report] = field(default_factory=list)
    errors: int = 0
    fixed: int = 0
    baselined: int = 0  # findings --baseline recorded, left out of the output
    gone: int = 0  # recorded findings no longer reported: fixed since


# What checking one file gives: its report and whether it was fixed, an error message, or None
# when the file is not a design doc.
Outcome = tuple[Report, int] | str | None

# Below this many files, or this many bytes, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 16
PARALLEL_MIN_BYTES = 512 * 1024


def run_check(args: argparse.Namespace) -> int:
    from design_lsp.text import tune_gc

    tune_gc()
    if args.unsafe_fixes and not args.fix:
        raise UsageError("--unsafe-fixes applies fixes only with --fix")
    if args.write_baseline and args.changed_since:
        raise UsageError("--write-baseline records every file's findings: not with --changed-since")
    paths: list[str] = args.paths or ["."]
    config = _load_config(args.config, paths[0])
    template = _load_template(args.template, config)
    recorded = _read_baseline(args.baseline)
    targets, problems = _targets(paths, not args.only_design_docs)
    if args.changed_since is not None:
        targets = _changed(targets, args.changed_since)
    run = Run(errors=len(problems))
    for problem in problems:
        print(problem, file=sys.stderr)
    fix = "unsafe" if args.unsafe_fixes else "safe" if args.fix else None
    job = _Job(template, config, bool(args.template), fix, args.max_file_size)
    for outcome in _check_all(job, targets):
        if isinstance(outcome, str):
            print(outcome, file=sys.stderr)
            run.errors += 1
        elif outcome is not None:
            report, fixed = outcome
            for problem in report.problems:
                print(problem, file=sys.stderr)
            run.errors += len(report.problems)
            run.fixed += fixed
            run.reports.append(report)
    root = _root() if args.baseline or args.write_baseline or args.format == "sarif" else ""
    if args.write_baseline:
        _write_baseline(args.write_baseline, run, root)
    elif recorded is not None:
        _apply_baseline(recorded, run, targets, root)
    _emit(args.format, run.reports, root)
    _summary(run, args.fix, args.baseline)
    if args.write_baseline and not run.errors:
        return EXIT_CLEAN  # today's findings are recorded, not failed on
    return _exit_code(run)


def _root() -> str:
    """What baseline and SARIF paths are relative to: the git repository's top, else the
    working directory."""
    from design_lsp.changed import top

    return top() or os.getcwd()


def _changed(targets: list[Target], ref: str) -> list[Target]:
    from design_lsp.changed import GitError, changed_since

    try:
        changed = changed_since(ref)
    except GitError as error:
        raise UsageError(str(error)) from None
    return [t for t in targets if os.path.realpath(t.path) in changed]


def _read_baseline(file: str | None) -> Counter[Any] | None:
    if file is None:
        return None
    from design_lsp.baseline import BaselineError, read

    try:
        return read(file)
    except BaselineError as error:
        raise UsageError(str(error)) from None


def _keys(report: Report, root: str) -> list[Any]:
    from design_lsp.baseline import key, relative

    path = relative(report.path, root)
    return [key(path, row.code, row.section, row.message) for row in report.rows]


def _write_baseline(file: str, run: Run, root: str) -> None:
    from design_lsp.baseline import BaselineError, write

    keys = [k for report in run.reports for k in _keys(report, root)]
    try:
        write(file, keys)
    except BaselineError as error:
        raise UsageError(str(error)) from None
    print(printable(f"wrote {len(keys)} findings to {file}"), file=sys.stderr)


def _apply_baseline(recorded: Counter[Any], run: Run, targets: list[Target], root: str) -> None:
    """Leave out the findings the baseline records; count the recorded ones that are gone
    from the files this run checked (or from the disk)."""
    from design_lsp.baseline import compare, relative

    keys = [_keys(report, root) for report in run.reports]
    new, left = compare(recorded, [k for ks in keys for k in ks])
    flags = iter(new)
    for report in run.reports:
        report.rows = [row for row in report.rows if next(flags)]
    run.baselined = new.count(False)
    checked = {relative(t.path, root) for t in targets}
    run.gone = sum(
        n
        for k, n in left.items()
        if k.path in checked or not os.path.lexists(os.path.join(root, k.path))
    )


@dataclass
class _Job:
    template: Template
    config: Config
    forced: bool  # --template given: every Markdown file named or found is checked
    fix: str | None  # "safe" (--fix), "unsafe" (--unsafe-fixes too), or None
    max_bytes: int
    named: dict[Path, Template] = field(default_factory=dict)  # templates named in front matter

    def check(self, target: Target) -> Outcome:
        """One file: its report (and whether it was fixed), an error message, or None when it
        is not a design doc."""
        from design_lsp.analysis import follows_template
        from design_lsp.document import parse_document

        path, explicit, tree = target
        if self._is_template(path):
            if explicit:
                print(
                    printable(f"{path}: the template in use; not checked against itself "
                              f"(`design-lsp template {path}` shows how it is read)"),
                    file=sys.stderr,
                )
            return None
        source = _read(path, self.max_bytes)
        if isinstance(source, str):
            return source
        document = parse_document(source.text)
        wanted = explicit or self.forced or self.config.includes(path)
        if not (wanted or follows_template(self.template, document)):
            return None  # other Markdown (a README): not a design doc
        template = self.template if self.forced else self._named(document, path)
        if isinstance(template, str):
            return template
        fix = (tree, self.fix == "unsafe") if self.fix else None
        return _check_one(source, document, template, self.config, fix)

    def _is_template(self, path: str) -> bool:
        """Whether `path` is a template this run checks against (a template's placeholders,
        guidance and choice lists are what it is made of, not mistakes)."""
        from design_lsp.template.load import is_template_file

        return any(is_template_file(path, t) for t in [self.template.path, *map(str, self.named)])

    def _named(self, document: Document, path: str) -> Template | str:
        """The template the document's front matter names (as the server does), else the job's;
        a message when the named file is not a usable template."""
        from design_lsp.config import ConfigError
        from design_lsp.template import TemplateError, load_template
        from design_lsp.template.load import resolve_named_template

        try:
            named = resolve_named_template(document.front_matter, path, self.config.root)
            if named is None:
                return self.template
            if named not in self.named:
                self.named[named] = self.config.configured(load_template(named))
        except (TemplateError, ConfigError) as error:
            return str(error)
        return self.named[named]


def _check_all(job: _Job, targets: list[Target]) -> Iterator[Outcome]:
    """Outcomes in target order; on two or more cores, big runs are shared between processes."""
    workers = min(_cpu_count(), 8)
    sizes = _sizes(targets)
    if job.fix or workers < 2 or not hasattr(os, "fork") or not _worth_parallel(sizes):
        yield from map(job.check, targets)  # --fix writes files: one at a time, in order
        return
    yield from _Shared(job, targets, sizes).run(workers)


def _cpu_count() -> int:
    """The CPUs this process may run on (a container or taskset can allow fewer than exist)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _sizes(targets: list[Target]) -> list[int]:
    """Each target's size in bytes (0 when it cannot be read: its error comes later)."""
    sizes = []
    for path, _, _ in targets:
        try:
            sizes.append(os.path.getsize(path))
        except OSError:
            sizes.append(0)
    return sizes


def _worth_parallel(sizes: list[int]) -> bool:
    return len(sizes) >= PARALLEL_MIN_FILES and sum(sizes) >= PARALLEL_MIN_BYTES


class _Shared:
    """Checks the targets in this process and in `workers - 1` forked copies of it (which have
    the template and the imports already). Each takes the next unchecked file, biggest first so
    that no process is left with a big one at the end, until none is left; a worker sends its
    outcomes back once, when done. Plain fork and pipes: multiprocessing's import and machinery
    cost more than this needs."""

    def __init__(self, job: _Job, targets: list[Target], sizes: list[int]) -> None:
        self.job = job
        self.targets = targets
        self.order = sorted(range(len(targets)), key=lambda i: -sizes[i])
        self.taken = _Counter()  # how many of `order` some process has taken

    def run(self, workers: int) -> Iterator[Outcome]:
        import gc

        gc.freeze()  # the collector in a worker then leaves the inherited objects (pages) alone
        started: dict[int, int] = {}  # worker pid -> the pipe its outcomes come from
        try:
            for _ in range(workers - 1):
                pid, pipe = self._fork()
                started[pid] = pipe
            outcomes = dict(self._work())
            while started:
                pid, pipe = started.popitem()
                outcomes.update(_collect(pid, pipe))
        finally:
            for pid, pipe in started.items():  # only after an error here: stop the others
                os.close(pipe)
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
            self.taken.close()
        return (outcomes[i] for i in range(len(self.targets)))

    def _work(self) -> Iterator[tuple[int, Outcome]]:
        while (taken := self.taken.take()) < len(self.order):
            index = self.order[taken]
            yield index, self.job.check(self.targets[index])

    def _fork(self) -> tuple[int, int]:
        """Start a worker: its pid and the read end of the pipe it answers through."""
        receive, send = os.pipe()
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                os.close(receive)
                status = self._serve(send)
            finally:
                os._exit(status)  # never return into the parent's code, nor run its clean-up
        os.close(send)  # the worker holds the only writer: its exit ends the pipe
        return pid, receive

    def _serve(self, send: int) -> int:
        """In a worker: check its share, send the outcomes (or what stopped it); the exit status.

        The answer is JSON (outcomes are plain data): no pickle in this package."""
        import traceback

        try:
            message: dict[str, object] = {"done": [(i, _plain(o)) for i, o in self._work()]}
        except KeyboardInterrupt:
            return 130  # Ctrl-C reached the whole process group: the parent reports it
        except Exception:  # noqa: BLE001 - the parent raises it, with this traceback
            message = {"failed": traceback.format_exc()}
        with os.fdopen(send, "w", encoding="utf-8") as out:
            json.dump(message, out)
        return 0


def _collect(pid: int, pipe: int) -> list[tuple[int, Outcome]]:
    """A worker's outcomes, once it has sent them and exited."""
    with os.fdopen(pipe, encoding="utf-8") as answer:
        data = answer.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        raise RuntimeError(f"a check worker stopped (exit {os.waitstatus_to_exitcode(status)})")
    message = json.loads(data)
    if "failed" in message:
        raise RuntimeError(f"a check worker failed:\n{message['failed']}")
    return [(index, _unplain(outcome)) for index, outcome in message["done"]]


def _plain(outcome: Outcome) -> object:
    """The outcome as JSON values: a report as [path, rows, fixed]; a message or None as is."""
    if isinstance(outcome, tuple):
        report, fixed = outcome
        return [report.path, report.rows, report.problems, fixed]  # a Row is a JSON array
    return outcome


def _unplain(value: list[Any] | str | None) -> Outcome:
    if isinstance(value, list):
        path, rows, problems, fixed = value
        return Report(path, [Row(*row) for row in rows], problems), fixed
    return value


class _Counter:
    """A counter that forked processes share: 8 bytes of shared memory, with a one-byte token
    in a pipe as its lock (a process holds the lock from reading the byte to writing it back)."""

    def __init__(self) -> None:
        import mmap

        self.memory = mmap.mmap(-1, 8)  # anonymous and shared: a fork sees the same bytes
        self.lock_read, self.lock_write = os.pipe()
        os.write(self.lock_write, b"1")

    def take(self) -> int:
        """The current value; the next caller gets one more."""
        os.read(self.lock_read, 1)  # waits while another process holds the token
        try:
            value = int.from_bytes(self.memory[:8], "little")
            self.memory[:8] = (value + 1).to_bytes(8, "little")
        finally:
            os.write(self.lock_write, b"1")
        return value

    def close(self) -> None:
        self.memory.close()
        os.close(self.lock_read)
        os.close(self.lock_write)


def _check_one(
    source: Source,
    document: Document,
    template: Template,
    config: Config,
    fix: tuple[str, bool] | None,
) -> tuple[Report, int]:
    """The file's report and how many of its findings --fix resolved; with `fix` (the tree
    --fix may write in, and whether unsafe fixes are wanted), fixed first."""
    from design_lsp.document import parse_document

    analysis = _analyze(template, document, config)
    fixed = 0
    problems: list[str] = []
    if fix is not None:
        outcome = _fix(
            source, analysis, fix, lambda text: _analyze(template, parse_document(text), config)
        )
        if isinstance(outcome, Problem):
            problems.append(outcome.message)
        elif outcome is not None:
            before = Counter((f.code, f.message) for f in analysis.findings)
            analysis = outcome  # report what remains
            document = analysis.document
            # the findings the fixes resolved (lines move; what they say does not)
            fixed = (before - Counter((f.code, f.message) for f in analysis.findings)).total()
    rows = [_row(document.lines, f) for f in analysis.findings]
    return Report(source.path, rows, problems), fixed


def _row(lines: Sequence[str], finding: Finding) -> Row:
    """What the output needs of a finding, with the UTF-16 columns that need its lines."""
    from design_lsp.fixes import fix_json
    from design_lsp.text import to_client_col

    span = finding.span

    def utf16(line: int, col: int) -> int:
        return to_client_col(lines[line] if line < len(lines) else "", col, "utf-16")

    return Row(
        span.line,
        span.col,
        span.end_line,
        span.end_col,
        utf16(span.line, span.col),
        utf16(span.end_line, span.end_col),
        finding.severity.value,
        finding.code,
        finding.message,
        finding.section,
        fix_json(lines, finding),
    )


def _analyze(template: Template, document: Document, config: Config) -> Analysis:
    from design_lsp.analysis import analyze

    return analyze(template, document, config.severities, config.settings.placeholders)


def _targets(paths: Sequence[str], named_checked: bool = True) -> tuple[list[Target], list[str]]:
    """Every file to consider, each once, in argument order; and what could not be looked at.
    Without `named_checked`, a file named is checked only when it looks like a design doc."""
    for path in paths:
        if not os.path.exists(path):
            raise UsageError(f"{printable(path)}: no such file or directory")
    # A file named explicitly stays explicit when a directory argument also reaches it.
    named = {os.path.realpath(p) for p in paths if named_checked and not os.path.isdir(p)}
    seen: set[str] = set()
    out: list[Target] = []
    problems: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            walk = Walk(path)
            items = walk.files()
            problems += [_error_text(d, f"cannot list: {why}; skipped") for d, why in walk.problems]
            tree = os.path.realpath(path)
        else:
            # A file named alone belongs to the directory it is named in: --fix follows a
            # symlink only to a file there or below.
            items, tree = [path], os.path.realpath(os.path.dirname(path) or ".")
        for item in items:
            key = os.path.realpath(item)
            if key not in seen:
                seen.add(key)
                out.append(Target(item, key in named, tree))
    return out, problems


def _read(path: str, max_bytes: int) -> Source | str:
    """The file's text, or the error message saying why it is not read."""
    try:
        raw, info = read_regular(path, max_bytes)
        text = raw.decode("utf-8")
    except Refused as refused:
        return _error_text(path, f"{refused}; skipped")
    except OSError as exc:
        return _error_text(path, f"cannot read: {exc.strerror or exc}")
    except UnicodeDecodeError as exc:
        return _error_text(
            path, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        )
    bom = text.startswith("\ufeff")
    return Source(path, raw, text[1:] if bom else text, bom, Snapshot.of(info))


def _error_text(path: str, message: str) -> str:
    return f"{printable(path)}: error: {printable(message)}"


class Problem(NamedTuple):
    """Why a fix was not written (the full message, naming the file)."""

    message: str


def _fix(
    source: Source,
    analysis: Analysis,
    fix: tuple[str, bool],
    reanalyze: Callable[[str], Analysis],
) -> Analysis | Problem | None:
    """Apply the safe fixes (template insertions), and the unsafe ones too when asked: the
    fixed text's analysis, why it was not written, or None when there was nothing to change."""
    from design_lsp.fix_write import NotWritten, replace_if_unchanged
    from design_lsp.fixes import TextLost, fixed_text

    tree, unsafe = fix
    try:
        done = fixed_text(source.text, analysis, reanalyze, unsafe)
    except TextLost as lost:
        return Problem(_error_text(source.path, str(lost)))
    if done is None:
        return None
    text, fixed = done
    real = os.path.realpath(source.path)  # a symlink stays; the file behind it is fixed
    if not inside(real, tree):
        return Problem(_error_text(source.path, f"leads to {real}, outside {tree}; not fixed"))
    data = (("\ufeff" if source.bom else "") + text).encode("utf-8")
    try:
        replace_if_unchanged(real, source.raw, source.snapshot, data)
    except NotWritten as reason:
        return Problem(_error_text(source.path, str(reason)))
    return fixed


def _exit_code(run: Run) -> int:
    if run.errors:
        return EXIT_USAGE
    serious = any(row.severity in ("error", "warning") for r in run.reports for row in r.rows)
    return EXIT_FINDINGS if serious else EXIT_CLEAN


def _summary(run: Run, fix: bool, baseline: str | None) -> None:
    count = sum(len(r.rows) for r in run.reports)
    files = len(run.reports)
    line = f"{count} finding{'s' * (count != 1)} in {files} file{'s' * (files != 1)}"
    if fix:
        line += f" ({run.fixed} fixed)"
    if baseline is not None:
        line += f"; {run.baselined} more in the baseline"
        if run.gone:
            line += (
                f"; {run.gone} baselined finding{'s' * (run.gone != 1)} fixed since "
                f"(shrink {baseline} with --write-baseline)"
            )
    print(printable(line), file=sys.stderr)


# ---- output ----------------------------------------------------------------------------------


def _emit(fmt: str, reports: list[Report], root: str) -> None:
    out = sys.stdout
    if fmt == "sarif":
        _write_json(_sarif(reports, root))
        return
    if fmt == "json":
        _write_json({"files": [_json_file(r) for r in reports]})
        return
    render = _github if fmt == "github" else _text
    out.writelines(render(report.path, row) + "\n" for report in reports for row in report.rows)


def _write_json(value: object) -> None:
    text = json.dumps(value, ensure_ascii=False, indent=2)
    # An undecodable file name holds lone surrogates: written as JSON escapes, it stays
    # valid UTF-8 and reads back as the same name.
    sys.stdout.write(text.encode("utf-8", "backslashreplace").decode("utf-8") + "\n")


def _sarif(reports: list[Report], root: str) -> dict[str, Any]:
    from design_lsp.baseline import relative
    from design_lsp.sarif import Result, document, region

    return document(
        Result(
            relative(report.path, root),
            row.code,
            row.severity,
            row.message,
            region(row.line, row.start_char, row.end_line, row.end_char),
        )
        for report in reports
        for row in report.rows
    )


def _text(path: str, row: Row) -> str:
    message = printable(_one_line(row.message))
    return f"{printable(path)}:{row.line + 1}:{row.col + 1}: {row.severity} {row.code} {message}"


def _json_file(report: Report) -> dict[str, Any]:
    return {"path": report.path, "findings": [_json_finding(row) for row in report.rows]}


def _json_finding(row: Row) -> dict[str, Any]:
    return {
        "code": row.code,
        "severity": row.severity,
        "message": row.message,
        "range": {  # LSP's: 0-based lines, UTF-16 characters
            "start": {"line": row.line, "character": row.start_char},
            "end": {"line": row.end_line, "character": row.end_char},
        },
        "section": row.section,
        "fix": row.fix,  # the same range convention as "range"; null when there is none
    }


def _github(path: str, row: Row) -> str:
    end_col = row.end_col if row.end_line > row.line else max(row.end_col, row.col + 1)
    props = {
        "file": path,
        "line": row.line + 1,
        "col": row.col + 1,
        "endLine": row.end_line + 1,
        "endColumn": end_col,  # 0-based exclusive end is GitHub's 1-based inclusive end
        "title": f"design-lsp {row.code}",
    }
    joined = ",".join(f"{k}={_gh_escape(str(v), prop=True)}" for k, v in props.items())
    return f"::{GITHUB_LEVEL[row.severity]} {joined}::{_gh_escape(row.message)}"


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    value = printable(value)  # the other controls (an escape sequence) as text
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def _one_line(message: str) -> str:
    return " ".join(message.split())


# ---- new -------------------------------------------------------------------------------------

def run_new(args: argparse.Namespace) -> int:
    from design_lsp.template.render import humanize, render_new

    target = Path(args.file)
    # An empty file (made by an editor or `touch`) is filled; anything else is kept.
    empty = target.is_file() and target.stat().st_size == 0
    if target.exists() and not empty:
        raise UsageError(f"{target}: already exists; not overwritten")
    config = _load_config(args.config, str(target.parent))
    template = _load_template(args.template, config)
    title = args.title or humanize(target.stem)
    text = render_new(template, title, date.today(), add_title=args.title is not None)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "r+" if empty else "x", encoding="utf-8", newline="") as out:
            if empty and out.read(1):  # written to since it was found empty
                raise UsageError(f"{target}: already exists; not overwritten")
            out.write(text)
    except OSError as exc:
        raise UsageError(f"{target}: cannot write: {exc.strerror or exc}") from None
    print(f"wrote {target} from {template.path}", file=sys.stderr)
    return EXIT_CLEAN


def run_template(args: argparse.Namespace) -> int:
    from design_lsp.template.describe import describe

    config = _load_config(args.config, ".")
    sys.stdout.write(describe(_load_template(args.file, config)))
    return EXIT_CLEAN


