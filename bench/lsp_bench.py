"""design-lsp against the Markdown servers a user would pick instead, side by side, one command:

    python bench/lsp_bench.py [--runs 5] [--sizes 10k,100k,1m,5m] [--peers DIR] [--no-install]

1. generates the documents (bench/gen_docs.py) into the scratch folder,
2. installs the peers there with their public tools: `pip install rumdl==0.3.0 mdsmith==0.57.0` into
   a scratch venv, `npm install vscode-langservers-extracted markdownlint-cli2`,
3. drives every language server with the same small LSP client (below) and prints one table per
   document size: each figure for design-lsp, each peer, and the ratio design-lsp/peer,
4. times the CLI check over the rust-rfcs corpus (design-lsp, rumdl, mdsmith, markdownlint-cli2).

Every figure is the median of `--runs` runs. The client declares no pull diagnostics, so servers
that can push do; vscode-markdown-language-server only answers pulls and is pulled. Its
`markdown/parse` requests are answered by markdown-it in a node side process, as VS Code does.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import gen_docs  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "rust-rfcs" / "text"
MARKDOWN_SETTINGS = {"validate": {"enabled": True}, "server": {"log": "off"}}

# ---- the LSP client ---------------------------------------------------------------------------

_MD_PARSE_JS = r"""
const MarkdownIt = require(process.argv[1]);
const md = new MarkdownIt({html: true});
const rl = require('readline').createInterface({input: process.stdin});
rl.on('line', (line) => {
  const text = JSON.parse(line);
  process.stdout.write(JSON.stringify(md.parse(text, {})) + '\n');
});
"""


class Client:
    """JSON-RPC over a server's stdio: requests, notifications, and answers to server requests."""

    def __init__(
        self,
        command: list[str],
        cwd: Path,
        peers: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.start = time.perf_counter()
        self.proc = subprocess.Popen(
            command,
            cwd=cwd,
            env={**os.environ, **env} if env else None,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=open(os.environ.get("BENCH_STDERR", os.devnull), "ab"),  # noqa: SIM115
        )
        self.next_id = 0
        self.lock = threading.Lock()
        self.waiting: dict[int, queue.Queue[Any]] = {}
        self.notes: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
        self.peers = peers
        self._md: subprocess.Popen[bytes] | None = None
        self.texts: dict[str, str] = {}
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    # transport
    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        with self.lock:
            assert self.proc.stdin is not None
            self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.proc.stdin.flush()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = 0
            while True:
                line = out.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            raw = out.read(length)
            now = time.perf_counter()  # received: the client's own JSON decoding is not timed
            message = json.loads(raw)
            if "id" in message and "method" in message:
                self._answer(message)
            elif "id" in message:
                waiter = self.waiting.pop(message["id"], None)
                if waiter is not None:
                    waiter.put((now, message))
            else:
                self.notes.put((now, message))

    def _answer(self, message: dict[str, Any]) -> None:
        method, params = message["method"], message.get("params") or {}
        result: Any = None
        if method == "workspace/configuration":
            # VS Code's defaults for its Markdown server (link validation on); None elsewhere.
            result = [
                MARKDOWN_SETTINGS if item.get("section") == "markdown" else None
                for item in params.get("items", [])
            ]
        elif method == "markdown/parse":
            result = self._md_parse(params)
        elif method in ("markdown/findMarkdownFilesInWorkspace", "markdown/fs/readDirectory"):
            result = []
        self._send({"id": message["id"], "result": result})

    def _md_parse(self, params: dict[str, Any]) -> Any:
        text = params.get("text")
        if text is None:
            text = self.texts.get(params.get("uri", ""), "")
        if self._md is None:
            assert self.peers is not None
            module = self.peers / "node_modules" / "markdown-it"
            self._md = subprocess.Popen(
                ["node", "-e", _MD_PARSE_JS, str(module)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
        assert self._md.stdin is not None and self._md.stdout is not None
        self._md.stdin.write(json.dumps(text).encode() + b"\n")
        self._md.stdin.flush()
        return json.loads(self._md.stdout.readline())

    # API
    def request(self, method: str, params: Any, timeout: float = 120) -> tuple[float, Any]:
        """(seconds until the answer, result)."""
        with self.lock:
            self.next_id += 1
            ident = self.next_id
        waiter: queue.Queue[Any] = queue.Queue()
        self.waiting[ident] = waiter
        sent = time.perf_counter()
        self._send({"id": ident, "method": method, "params": params})
        when, message = waiter.get(timeout=timeout)
        if "error" in message:
            raise RuntimeError(f"{method}: {message['error']}")
        return when - sent, message.get("result")

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def wait_note(self, method: str, uri: str, after: float, timeout: float = 120) -> float:
        """Time of the first `method` notification for `uri` received after `after`."""
        deadline = time.perf_counter() + timeout
        while True:
            when, message = self.notes.get(timeout=max(0.01, deadline - time.perf_counter()))
            params = message.get("params") or {}
            if message.get("method") == method and params.get("uri") == uri and when >= after:
                return when

    def drain(self) -> None:
        with contextlib.suppress(queue.Empty):
            while True:
                self.notes.get_nowait()

    def peak_rss_mb(self) -> float:
        """Peak resident memory of the server process (and its children, for wrappers)."""
        total = 0
        for pid in [self.proc.pid, *_children(self.proc.pid)]:
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        total += int(line.split()[1])
        return total / 1024

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(5)
        if self.proc.poll() is None:
            self.proc.kill()
        if self._md is not None:
            self._md.kill()


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    out = []
    for child in text.split():
        out += [int(child), *_children(int(child))]
    return out


CAPABILITIES: dict[str, Any] = {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {
        "synchronization": {"didSave": True},
        "publishDiagnostics": {"versionSupport": True},
        "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
        "completion": {"completionItem": {"snippetSupport": True}},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "codeAction": {
            "codeActionLiteralSupport": {
                "codeActionKind": {"valueSet": ["quickfix", "source", "source.fixAll"]}
            }
        },
    },
    "workspace": {"configuration": True, "workspaceFolders": True},
}


# ---- the servers ------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    command: list[str]
    pull: bool = False  # diagnostics only by textDocument/diagnostic
    init_options: dict[str, Any] = field(default_factory=dict)
    env: dict[str, str] | None = None
    capabilities: dict[str, Any] = field(default_factory=lambda: CAPABILITIES)


# What VS Code and Neovim 0.10+ declare: design-lsp then answers pulls and pushes nothing.
PULL_CAPABILITIES: dict[str, Any] = {
    **CAPABILITIES,
    "textDocument": {**CAPABILITIES["textDocument"], "diagnostic": {}},
}


def servers(peers: Path, baseline: Path | None = None) -> list[Server]:
    out = [
        Server("design-lsp", [sys.executable, "-m", "design_lsp"]),
        Server("design-lsp (pull)", [sys.executable, "-m", "design_lsp"], pull=True,
               capabilities=PULL_CAPABILITIES),
    ]
    if baseline is not None:  # another checkout of design-lsp (`git worktree add DIR REV`)
        out.append(
            Server("design-lsp@before", [sys.executable, "-m", "design_lsp"],
                   env={"PYTHONPATH": str(baseline)})
        )
    rumdl = peers / "venv" / "bin" / "rumdl"
    if rumdl.exists():
        out.append(Server("rumdl", [str(rumdl), "server"]))
    mdsmith = _mdsmith_binary(peers)
    if mdsmith is not None:
        out.append(Server("mdsmith", [str(mdsmith), "lsp"]))
    vscode = peers / "node_modules" / ".bin" / "vscode-markdown-language-server"
    if vscode.exists():
        out.append(
            Server(
                "vscode-md",
                ["node", str(vscode), "--stdio"],
                pull=True,
                init_options={"markdownFileExtensions": ["md"]},
            )
        )
    return out


def _mdsmith_binary(peers: Path) -> Path | None:
    """The native binary inside the wheel (the console script is a Python exec wrapper)."""
    for path in (peers / "venv" / "lib").glob("python*/site-packages/mdsmith/_bin/mdsmith"):
        return path
    return None


# ---- one server, one document -----------------------------------------------------------------


@dataclass
class Figures:
    values: dict[str, list[float]] = field(default_factory=dict)

    def add(self, key: str, seconds: float) -> None:
        self.values.setdefault(key, []).append(seconds)

    def median_ms(self, key: str) -> float | None:
        got = self.values.get(key)
        return statistics.median(got) * 1000 if got else None


METRICS = [
    ("start", "process start → initialize answered"),
    ("open", "didOpen → first diagnostics"),
    ("symbols", "documentSymbol"),
    ("edit", "1-char edit → fresh diagnostics"),
    ("completion", "completion"),
    ("hover", "hover"),
    ("action", "codeAction"),
    ("busy_hover", "hover sent right after an edit"),
    ("rss", "peak RSS (MB)"),
]


def _initialize(client: Client, work: Path, server: Server) -> float:
    root = work.as_uri()
    seconds, _ = client.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": root,
            "workspaceFolders": [{"uri": root, "name": "bench"}],
            "capabilities": server.capabilities,
            "initializationOptions": server.init_options or None,
        },
    )
    client.notify("initialized", {})
    return seconds


def _diagnostics(client: Client, server: Server, uri: str, after: float) -> float:
    """Seconds from `after` until the server delivered diagnostics for `uri`'s newest text."""
    if server.pull:
        asked = time.perf_counter()
        seconds, _ = client.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
        return asked + seconds - after  # received (the client's own JSON decoding not timed)
    return client.wait_note("textDocument/publishDiagnostics", uri, after) - after


def bench_server(server: Server, text: str, work: Path, runs: int, peers: Path) -> Figures:
    figures = Figures()
    # process start -> initialize answered (a fresh process each run)
    for _ in range(runs):
        client = Client(server.command, work, peers, server.env)
        began = client.start
        client.request("initialize", {"processId": os.getpid(), "rootUri": work.as_uri(),
                                      "capabilities": server.capabilities,
                                      "initializationOptions": server.init_options or None})
        figures.add("start", time.perf_counter() - began)
        client.close()

    client = Client(server.command, work, peers, server.env)
    try:
        _initialize(client, work, server)
        time.sleep(0.3)  # let the server finish its own start-up work (indexing an empty folder)
        lines = text.split("\n")
        # didOpen -> diagnostics: a fresh document (new uri) each run
        for run in range(runs):
            uri = (work / f"open-{run}.md").as_uri()
            client.texts[uri] = text
            client.drain()
            sent = time.perf_counter()
            client.notify(
                "textDocument/didOpen",
                {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1,
                                  "text": text}},
            )
            figures.add("open", _diagnostics(client, server, uri, sent))
            client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        uri = (work / "doc.md").as_uri()
        client.texts[uri] = text
        client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}},
        )
        _diagnostics(client, server, uri, time.perf_counter() - 1)
        target = _prose_line(lines)
        heading = _heading_line(lines, len(lines) // 2)
        version = 1
        for run in range(max(runs, 5)):
            version += 1
            insert = run % 2 == 0
            change = (
                {"range": _rng(target, 0, target, 0), "text": "x"}
                if insert
                else {"range": _rng(target, 0, target, 1), "text": ""}
            )
            lines[target] = ("x" + lines[target]) if insert else lines[target][1:]
            client.texts[uri] = "\n".join(lines)
            client.drain()
            sent = time.perf_counter()
            client.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
            )
            figures.add("edit", _diagnostics(client, server, uri, sent))
            doc = {"textDocument": {"uri": uri}}
            seconds, _ = client.request("textDocument/documentSymbol", doc)
            figures.add("symbols", seconds)
            pos = {"line": heading, "character": 2}
            for key, method, params in (
                ("completion", "textDocument/completion", {**doc, "position": pos}),
                ("hover", "textDocument/hover", {**doc, "position": pos}),
                (
                    "action",
                    "textDocument/codeAction",
                    {**doc, "range": _rng(heading, 0, heading, 0),
                     "context": {"diagnostics": []}},
                ),
            ):
                try:
                    seconds, _ = client.request(method, params)
                except RuntimeError:
                    continue  # not supported: no figure
                figures.add(key, seconds)
            # hover right behind an edit: answered while the edit is being analysed
            if run % 2 == 1:
                continue
            version += 1
            lines[target] = "y" + lines[target]
            client.texts[uri] = "\n".join(lines)
            client.drain()
            sent = time.perf_counter()
            client.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version},
                 "contentChanges": [{"range": _rng(target, 0, target, 0), "text": "y"}]},
            )
            with contextlib.suppress(RuntimeError):
                seconds, _ = client.request("textDocument/hover", {**doc, "position": pos})
                figures.add("busy_hover", seconds)
            _diagnostics(client, server, uri, sent)
        figures.add("rss", client.peak_rss_mb() / 1000)  # stored as "seconds": shown x1000
    finally:
        client.close()
    return figures


def _rng(line: int, col: int, end_line: int, end_col: int) -> dict[str, Any]:
    return {
        "start": {"line": line, "character": col},
        "end": {"line": end_line, "character": end_col},
    }


def _prose_line(lines: list[str]) -> int:
    """A prose line in the middle of the document (an edit that changes no structure)."""
    for index in range(len(lines) // 2, len(lines)):
        if lines[index].startswith("Round "):
            return index
    return len(lines) // 2


def _heading_line(lines: list[str], start: int) -> int:
    for index in range(start, len(lines)):
        if lines[index].startswith("## "):
            return index
    return 0


# ---- peers and tables -------------------------------------------------------------------------


def install_peers(peers: Path) -> None:
    peers.mkdir(parents=True, exist_ok=True)
    venv = peers / "venv"
    if not (venv / "bin" / "rumdl").exists() or _mdsmith_binary(peers) is None:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", "rumdl==0.3.0", "mdsmith==0.57.0"],
            check=True,
        )
    if not (peers / "node_modules" / ".bin" / "markdownlint-cli2").exists():
        if not (peers / "package.json").exists():
            (peers / "package.json").write_text('{"name": "design-lsp-bench", "private": true}')
        subprocess.run(
            ["npm", "install", "--silent", "vscode-langservers-extracted", "markdownlint-cli2"],
            cwd=peers,
            check=True,
        )


def _fmt(value: float | None, key: str) -> str:
    if value is None:
        return "n/a"
    if key == "rss":
        return f"{value:.0f} MB"
    return f"{value:.1f} ms" if value < 100 else f"{value:,.0f} ms"


def print_table(size: str, nbytes: int, results: dict[str, Figures]) -> None:
    names = list(results)
    ours = results["design-lsp"]
    peers = [n for n in names if n != "design-lsp"]
    head = ["", "design-lsp"] + [f"{p} | ratio" for p in peers]
    print(f"\n### {size} document ({nbytes:,} bytes)\n")
    print("| " + " | ".join(head) + " |")
    print("|" + " --- |" * (2 + 2 * len(peers)))
    for key, label in METRICS:
        mine = ours.median_ms(key)
        cells = [label, _fmt(mine, key)]
        for peer in peers:
            theirs = results[peer].median_ms(key)
            ratio = f"{mine / theirs:.2f}" if mine is not None and theirs else "n/a"
            cells.append(f"{_fmt(theirs, key)} | {ratio}")
        print("| " + " | ".join(cells) + " |")
    sys.stdout.flush()


# ---- the CLI comparison -----------------------------------------------------------------------


def _time(
    command: list[str],
    cwd: Path,
    runs: int,
    ok: Callable[[int], bool],
    env: dict[str, str] | None = None,
) -> float | None:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(
            command, cwd=cwd, capture_output=True, check=False,
            env={**os.environ, **env} if env else None,
        )
        elapsed = time.perf_counter() - start
        if not ok(done.returncode):
            print(f"  {command[0]} failed ({done.returncode}): {done.stderr[-300:]!r}")
            return None
        times.append(elapsed)
    return statistics.median(times)


def bench_cli(peers: Path, work: Path, runs: int, baseline: Path | None = None) -> None:
    if not CORPUS.is_dir():
        print(f"\n{CORPUS}: no corpus, CLI comparison skipped")
        return
    template = CORPUS.parent / "0000-template.md"
    headings = [
        line.strip() for line in template.read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    ]
    files = list(CORPUS.rglob("*.md"))
    size = sum(f.stat().st_size for f in files) / 1e6
    cfg = work / "cli"
    cfg.mkdir(exist_ok=True)
    # Required headings (markdownlint's MD043) from the same template, where the tool has it.
    (cfg / ".rumdl.toml").write_text(
        '[global]\nenable = ["MD043"]\n\n[MD043]\nheadings = '
        + json.dumps(["*", *headings, "*"]) + "\n"
    )
    (cfg / ".markdownlint-cli2.jsonc").write_text(
        json.dumps({"config": {"default": False, "MD043": {"headings": ["*", *headings, "*"]}}})
    )
    any_exit = lambda code: code in (0, 1)  # noqa: E731 - findings exit 1
    rows: list[tuple[str, float | None]] = []
    rows.append(
        ("design-lsp check", _time(
            [sys.executable, "-m", "design_lsp", "check", "--template", str(template), str(CORPUS)],
            REPO, runs, any_exit))
    )
    if baseline is not None:
        rows.append(
            ("design-lsp check @before", _time(
                [sys.executable, "-m", "design_lsp", "check", "--template", str(template),
                 str(CORPUS)], baseline, runs, any_exit, {"PYTHONPATH": str(baseline)}))
        )
    rumdl = peers / "venv" / "bin" / "rumdl"
    if rumdl.exists():
        rows.append(("rumdl check (MD043)", _time(
            [str(rumdl), "check", "--no-cache", "--config", str(cfg / ".rumdl.toml"), str(CORPUS)],
            cfg, runs, any_exit)))
    mdsmith = _mdsmith_binary(peers)
    if mdsmith is not None:
        rows.append(("mdsmith check (default rules)", _time(
            [str(mdsmith), "check", str(CORPUS)], cfg, runs, any_exit)))
    cli2 = peers / "node_modules" / ".bin" / "markdownlint-cli2"
    if cli2.exists():
        rows.append(("markdownlint-cli2 (MD043)", _time(
            [str(cli2), f"{CORPUS}/**/*.md"], cfg, max(1, min(runs, 3)), any_exit)))
    ours = rows[0][1]
    print(f"\n### CLI over rust-rfcs ({len(files)} files, {size:.1f} MB)\n")
    print("| command | wall | design-lsp / it |")
    print("| --- | --- | --- |")
    for name, seconds in rows:
        wall = f"{seconds:.2f} s" if seconds is not None else "failed"
        ratio = f"{ours / seconds:.2f}" if ours and seconds else "n/a"
        print(f"| {name} | {wall} | {ratio} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="10k,100k,1m,5m")
    parser.add_argument("--peers", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp"))
                        / "design-lsp-bench")
    parser.add_argument("--no-install", action="store_true")
    parser.add_argument("--servers", default="", help="comma-separated subset of server names")
    parser.add_argument("--no-cli", action="store_true")
    parser.add_argument("--baseline", type=Path, help="a checkout of an earlier design-lsp")
    args = parser.parse_args()
    peers: Path = args.peers.resolve()
    if not args.no_install:
        install_peers(peers)
    work = peers / "work"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    chosen = [
        s for s in servers(peers, args.baseline)
        if not args.servers or s.name in args.servers.split(",")
    ]
    print(f"median of {args.runs} runs; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}; "
          f"{time.strftime('%Y-%m-%d')}")
    for size in args.sizes.split(","):
        text = gen_docs.document(size)
        results: dict[str, Figures] = {}
        for server in chosen:
            try:
                results[server.name] = bench_server(server, text, work, args.runs, peers)
            except Exception as exc:  # noqa: BLE001 - a failing peer leaves a gap, not a crash
                print(f"  {server.name} on {size}: {type(exc).__name__}: {exc}")
                results[server.name] = Figures()
        print_table(size, len(text.encode()), results)
    if not args.no_cli:
        bench_cli(peers, work, args.runs, args.baseline)


if __name__ == "__main__":
    main()
