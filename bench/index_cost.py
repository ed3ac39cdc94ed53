"""What indexing a big workspace costs the server: memory kept, and hover delay while it runs.

    python bench/index_cost.py [--corpus /work/shared/corpus/rust-rfcs] [--hovers 200]

Two servers, each with one design document open: one on a workspace holding only that document,
one on a scratch copy of the corpus (the corpus itself is only read). For each it prints the RSS
once indexing is over (the difference is what the index keeps) and hover latencies: during
indexing for the corpus, at rest for the other. The client declares work-done progress, so the
end of indexing is the server's `end` progress notification.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "rust-rfcs"
DOC = "# Design: Bench\n\n## Summary\n\nA summary.\n\n## Motivation\n\nWhy.\n" * 20


class Client:
    def __init__(self, root: Path) -> None:
        env = dict(os.environ, PYTHONPATH=str(REPO))
        self.proc = subprocess.Popen([sys.executable, "-m", "design_lsp"], cwd=root, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.answers: queue.Queue[dict[str, Any]] = queue.Queue()
        self.indexed = threading.Event()
        self.indexing = threading.Event()
        self._id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = 0
            while (line := out.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not line:
                return
            msg = json.loads(out.read(length))
            if "method" in msg and "id" in msg:  # a request from the server: accept it
                self.send({"id": msg["id"], "result": None})
            elif msg.get("method") == "$/progress":
                kind = msg["params"]["value"].get("kind")
                if kind == "begin":
                    self.indexing.set()
                elif kind == "end":
                    self.indexed.set()
            elif "id" in msg:
                self.answers.put(msg)

    def send(self, msg: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **msg}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method: str, params: Any) -> Any:
        self._id += 1
        self.send({"id": self._id, "method": method, "params": params})
        while True:
            msg = self.answers.get(timeout=120)
            if msg.get("id") == self._id:
                return msg.get("result")

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        self.request("shutdown", None)
        self.send({"method": "exit"})
        self.proc.wait(timeout=30)


def run(root: Path, hovers: int) -> tuple[float, list[float], list[float], float]:
    """(RSS once indexed, hover latencies in ms while indexing and after, seconds indexing
    took)."""
    doc = root / "bench-design.md"
    doc.write_text(DOC)
    client = Client(root)
    client.request("initialize", {
        "processId": None, "rootUri": root.as_uri(),
        "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
        "capabilities": {"window": {"workDoneProgress": True}},
    })  # fmt: skip
    start = time.monotonic()
    client.send({"method": "initialized", "params": {}})
    item = {"uri": doc.as_uri(), "languageId": "markdown", "version": 1, "text": DOC}
    client.send({"method": "textDocument/didOpen", "params": {"textDocument": item}})
    hover = {"textDocument": {"uri": doc.as_uri()}, "position": {"line": 2, "character": 3}}
    client.request("textDocument/hover", hover)  # the document analysed once
    client.indexing.wait(30)
    latencies = []
    for _ in range(hovers):
        if client.indexed.is_set():
            break
        t0 = time.perf_counter()
        client.request("textDocument/hover", hover)
        latencies.append((time.perf_counter() - t0) * 1000)
    client.indexed.wait(300)
    took = time.monotonic() - start
    time.sleep(1.0)
    rest = []
    for _ in range(min(hovers, 50)):
        t0 = time.perf_counter()
        client.request("textDocument/hover", hover)
        rest.append((time.perf_counter() - t0) * 1000)
    rss = client.rss_mb()
    client.close()
    return rss, latencies, rest, took


def _summary(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (f"{len(ordered)} hovers: median {statistics.median(ordered):.1f} ms, "
            f"p95 {p95:.1f} ms, max {ordered[-1]:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--hovers", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        empty = Path(scratch) / "empty"
        empty.mkdir()
        corpus = Path(scratch) / "corpus"
        shutil.copytree(args.corpus, corpus, symlinks=True,
                        ignore=shutil.ignore_patterns(".git"))
        files = sum(1 for p in corpus.rglob("*") if p.suffix in (".md", ".markdown"))
        rss_empty, _, rest, _ = run(empty, args.hovers)
        rss_full, during, _, took = run(corpus, args.hovers)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"workspace of one document: RSS {rss_empty:.1f} MB; {_summary(rest)} (at rest)")
    print(f"corpus ({files} Markdown files): RSS {rss_full:.1f} MB once indexed "
          f"(initialized to indexed: {took:.2f} s); {_summary(during)} (while indexing)")
    print(f"the index adds {rss_full - rss_empty:.1f} MB; hover median while indexing "
          f"{statistics.median(during) - statistics.median(rest):+.1f} ms against at rest")


if __name__ == "__main__":
    main()
