"""The workspace index: what it reads (not what the repository ignores), how much (bounded, and
said once), where (off the event loop) and what it keeps (section symbols only)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from raw_server import RawServer

from design_lsp.features import workspace_symbols
from design_lsp.features.workspace_symbols import list_markdown

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def _tree(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {name}\n", encoding="utf-8")


def test_a_git_work_tree_is_indexed_without_what_it_ignores(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_text("build/\n*.draft.md\n", encoding="utf-8")
    (tmp_path / "docs" / ".gitignore").parent.mkdir()
    (tmp_path / "docs" / ".gitignore").write_text("private/\n", encoding="utf-8")
    _tree(tmp_path, [
        "README.md", "docs/a.md", "docs/sub/b.MD", "docs/private/secret.md",
        "build/out.md", "notes.draft.md", "node_modules/pkg/readme.md", "vendor/c.markdown",
    ])  # fmt: skip
    _git(tmp_path, "add", "README.md")  # tracked and untracked files alike
    found = sorted(os.path.relpath(p, tmp_path) for p in list_markdown([str(tmp_path)]).paths)
    assert found == ["README.md", "docs/a.md", "docs/sub/b.MD", "vendor/c.markdown"]


def test_outside_git_the_plain_rules_apply(tmp_path: Path) -> None:
    _tree(tmp_path, ["a.md", ".git/x.md", "node_modules/y.md", ".venv/z.md", "d/e.md"])
    found = sorted(os.path.relpath(p, tmp_path) for p in list_markdown([str(tmp_path)]).paths)
    assert found == ["a.md", "d/e.md"]


def test_a_symlink_out_of_the_folder_is_not_read(tmp_path: Path) -> None:
    outside, inside = tmp_path / "outside", tmp_path / "ws"
    _tree(outside, ["secret.md"])
    _tree(inside, ["a.md"])
    (inside / "link.md").symlink_to(outside / "secret.md")
    (inside / "ok.md").symlink_to(inside / "a.md")
    found = sorted(os.path.relpath(p, inside) for p in list_markdown([str(inside)]).paths)
    assert found == ["a.md", "ok.md"]


def test_the_bounds_cut_the_listing_and_say_which(tmp_path: Path) -> None:
    _tree(tmp_path, [f"d{i:02}.md" for i in range(12)])
    listing = list_markdown([str(tmp_path)], max_files=5)
    assert len(listing.paths) == 5 and listing.truncated == "5 files"
    size = (tmp_path / "d00.md").stat().st_size
    listing = list_markdown([str(tmp_path)], max_bytes=3 * size)
    assert len(listing.paths) == 3 and "MB" in listing.truncated
    assert list_markdown([str(tmp_path)]).truncated == ""


def test_a_workspace_over_the_bound_is_said_once(tmp_path: Path) -> None:
    count = workspace_symbols.MAX_INDEX_FILES + 20
    for i in range(count):
        (tmp_path / f"n{i:05}.md").write_text(f"# Note {i}\n", encoding="utf-8")
    server = RawServer(tmp_path)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            server.drain(0.5)
            if server.request("workspace/symbol", {"query": "Note 4999"}):
                break
        # A second indexing run (folders changed) does not say it again.
        server.notify("workspace/didChangeWorkspaceFolders", {"event": {"added": [], "removed": []}})
        server.drain(3)
        told = [m for m in server.notifications if m["method"] == "window/showMessage"]
        assert len(told) == 1, told
        assert "5,000 files" in told[0]["params"]["message"]
        assert told[0]["params"]["type"] == 2  # a warning
        assert not server.request("workspace/symbol", {"query": "Note 5019"})
    finally:
        server.close()


def _design_doc(index: int, sections: int) -> str:
    body = "".join(
        f"## Part {index} {s}\n\n- **Status**: Draft\n\nSome prose about part {s} "
        f"with [a placeholder] and more words to read.\n\n"
        for s in range(sections)
    )
    return f"# Design Document: Doc {index}\n\n{body}"


def test_indexing_keeps_symbols_only_and_leaves_the_event_loop_free(tmp_path: Path) -> None:
    # Scaled down from a 110 MB workspace that held 2.7 GB and kept hover waiting 2.6 s.
    for i in range(120):
        (tmp_path / f"doc{i:03}.md").write_text(_design_doc(i, 200), encoding="utf-8")
    (tmp_path / "zz-big.md").write_text(_design_doc(999, 40_000), encoding="utf-8")  # ~5 MB
    probe = (tmp_path / "open.md").as_uri()
    server = RawServer(tmp_path)
    try:
        server.open(probe, "# Title\n\n## Summary\n\ntext\n")
        server.request("textDocument/hover", {"textDocument": {"uri": probe},
                                              "position": {"line": 2, "character": 3}})
        before = server.rss_mb()
        slowest, started = 0.0, time.monotonic()
        while time.monotonic() - started < 120:
            asked = time.monotonic()
            server.request("textDocument/hover", {"textDocument": {"uri": probe},
                                                  "position": {"line": 2, "character": 3}})
            found = server.request("workspace/symbol", {"query": "Part 999 39999"})
            slowest = max(slowest, time.monotonic() - asked)
            if found:
                break
            time.sleep(0.02)
        else:
            raise AssertionError("the index never got to the last file")
        grown = server.rss_mb() - before
    finally:
        server.close()
    print(f"slowest answer {slowest:.2f}s, kept {grown:.0f} MB")
    assert slowest < 1.0, f"requests waited {slowest:.2f}s while the workspace was indexed"
    assert grown < 60, f"indexing ~9 MB of Markdown kept {grown:.0f} MB"


def _published(server: RawServer, uri: str, seconds: float) -> list[dict[str, object]]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for message in reversed(server.notifications):
            if message["method"] == "textDocument/publishDiagnostics":
                params = message["params"]
                if params["uri"] == uri:
                    return list(params["diagnostics"])
        server.drain(0.2)
    raise AssertionError(f"no diagnostics for {uri} in {seconds}s")


def test_a_document_over_the_size_cap_gets_one_finding_and_no_analysis(tmp_path: Path) -> None:
    from design_lsp.limits import MAX_DOCUMENT_BYTES

    text = _design_doc(1, MAX_DOCUMENT_BYTES // 100 + 1000)
    assert len(text.encode()) > MAX_DOCUMENT_BYTES
    uri = (tmp_path / "huge.md").as_uri()
    server = RawServer(tmp_path)
    try:
        started = time.monotonic()
        server.open(uri, text)
        found = _published(server, uri, 60)
        elapsed = time.monotonic() - started
        rss = server.rss_mb()
        symbols = server.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    finally:
        server.close()
    print(f"elapsed {elapsed:.1f}s rss {rss:.0f} MB")
    assert [d["code"] for d in found] == ["document-too-large"]
    assert "MB limit" in str(found[0]["message"])
    assert symbols == []
    assert elapsed < 30, f"took {elapsed:.1f}s"  # the analysis would take minutes
    assert rss < 1000, f"held {rss:.0f} MB"


def test_closing_a_big_document_gives_its_memory_back(tmp_path: Path) -> None:
    text = _design_doc(1, 190_000)  # ~20 MB: held 706 MB after its close before
    uri = (tmp_path / "big.md").as_uri()
    server = RawServer(tmp_path)
    try:
        time.sleep(0.5)
        base = server.rss_mb()
        server.open(uri, text)
        _published(server, uri, 300)
        opened = server.rss_mb()
        server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        server.drain(3)
        kept = server.rss_mb() - base
    finally:
        server.close()
    print(f"open {opened - base:.0f} MB, kept after close {kept:.0f} MB")
    assert kept < 110, f"kept {kept:.0f} MB after the close"
