"""`design-lsp check` and `--fix` on hostile file systems: symlinks out of the tree, special and
huge files, owners, attributes and hard links, read-only files and directories, control
characters in names and headings. Run as a user runs them: a subprocess on real files."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from design_lsp.files import Snapshot
from design_lsp.fix_write import NotWritten, replace_if_unchanged

REPO = Path(__file__).resolve().parents[2]
ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False

TEMPLATE = """\
# Spec: [Name]

- **Status**: Draft | Final

## Summary

Say what it is and why.

## Design

Explain the moving parts.
"""

# "Design" is missing: --fix inserts it.
NO_DESIGN = """\
# Spec: Widget

- **Status**: Draft

## Summary

A widget that frobs the gizmo.
"""


def run(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "design_lsp", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="surrogateescape",
        timeout=timeout,
        check=False,
    )


def check_json(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """The run and the paths of the files it reported on."""
    done = run("check", "--format", "json", "--template", "template.md", *args, cwd=cwd)
    assert "Traceback" not in done.stderr, done.stderr
    files: list[dict[str, Any]] = json.loads(done.stdout)["files"]
    return done, [Path(entry["path"]).as_posix() for entry in files]


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    (tmp_path / "template.md").write_text(TEMPLATE, encoding="utf-8")
    return tmp_path


def fixed(path: Path) -> bool:
    return "## Design" in path.read_text(encoding="utf-8")


def fixed_cleanly(done: subprocess.CompletedProcess[str]) -> bool:
    """Fixed without a problem (the inserted guidance is still reported: exit 1)."""
    return done.returncode == 1 and "error:" not in done.stderr and "(0 fixed)" not in done.stderr


# ---- 1. walks stay inside the named tree ------------------------------------------------------


def test_a_directory_symlink_out_of_the_tree_is_not_followed(ws: Path) -> None:
    outside = ws / "other" / "notes"
    outside.mkdir(parents=True)
    foreign = outside / "plan.md"
    foreign.write_text(NO_DESIGN, encoding="utf-8")
    docs = ws / "project" / "docs"
    docs.mkdir(parents=True)
    (docs / "widget.md").write_text(NO_DESIGN, encoding="utf-8")
    (docs / "shared").symlink_to("../../other/notes", target_is_directory=True)
    (docs / "root").symlink_to("/", target_is_directory=True)
    (ws / "project" / "template.md").write_text(TEMPLATE, encoding="utf-8")

    started = time.monotonic()
    done, paths = check_json("--fix", "docs", cwd=ws / "project")
    assert time.monotonic() - started < 30  # not a walk of the whole machine
    assert paths == ["docs/widget.md"]
    assert fixed_cleanly(done), done.stderr
    assert fixed(docs / "widget.md")
    assert foreign.read_text(encoding="utf-8") == NO_DESIGN


def test_a_walk_skips_file_symlinks_that_lead_out_of_the_tree(ws: Path) -> None:
    foreign = ws / "outside.md"
    foreign.write_text(NO_DESIGN, encoding="utf-8")
    docs = ws / "docs"
    docs.mkdir()
    (docs / "v2.md").write_text(NO_DESIGN, encoding="utf-8")
    (docs / "away.md").symlink_to("../outside.md")
    (docs / "current.md").symlink_to("v2.md")  # inside: the file behind it is checked once
    done, paths = check_json("--fix", "docs", cwd=ws)
    assert fixed_cleanly(done), done.stderr
    assert paths == ["docs/current.md"]
    assert (docs / "current.md").is_symlink() and fixed(docs / "v2.md")
    assert foreign.read_text(encoding="utf-8") == NO_DESIGN


# ---- 2. --fix writes the file behind a symlink, and only regular files --------------------------


def test_fix_through_a_symlink_inside_the_tree_keeps_the_link(ws: Path) -> None:
    (ws / "v2.md").write_text(NO_DESIGN, encoding="utf-8")
    (ws / "current.md").symlink_to("v2.md")
    done, paths = check_json("--fix", "current.md", cwd=ws)
    assert fixed_cleanly(done), done.stderr
    assert paths == ["current.md"]
    assert os.readlink(ws / "current.md") == "v2.md"
    assert fixed(ws / "v2.md")


def test_fix_refuses_a_symlink_that_leads_out_of_the_tree(ws: Path) -> None:
    (ws / "outside").mkdir()
    real = ws / "outside" / "real.md"
    real.write_text(NO_DESIGN, encoding="utf-8")
    docs = ws / "docs"
    docs.mkdir()
    (docs / "link.md").symlink_to("../outside/real.md")
    (docs / "mine.md").write_text(NO_DESIGN, encoding="utf-8")
    done, paths = check_json("--fix", "docs/link.md", "docs/mine.md", cwd=ws)
    assert done.returncode == 2
    assert "docs/link.md: error: leads to" in done.stderr and "not fixed" in done.stderr
    assert (docs / "link.md").is_symlink()
    assert real.read_text(encoding="utf-8") == NO_DESIGN
    assert paths == ["docs/link.md", "docs/mine.md"] and fixed(docs / "mine.md")


@pytest.mark.skipif(not ROOT, reason="making a device node needs root")
def test_fix_refuses_a_device_and_leaves_it_one(ws: Path) -> None:
    device = ws / "null.md"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    zero = ws / "zero.md"
    os.mknod(zero, stat.S_IFCHR | 0o666, os.makedev(1, 5))  # never ends: must not be read
    (ws / "doc.md").write_text(NO_DESIGN, encoding="utf-8")
    done, paths = check_json("--fix", "null.md", "zero.md", "doc.md", cwd=ws)
    assert done.returncode == 2
    assert "null.md: error: not a regular file" in done.stderr
    assert "zero.md: error: not a regular file" in done.stderr
    assert stat.S_ISCHR(device.lstat().st_mode) and stat.S_ISCHR(zero.lstat().st_mode)
    assert paths == ["doc.md"] and fixed(ws / "doc.md")


# ---- 15. special and huge files ---------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_is_refused_not_waited_on(ws: Path) -> None:
    os.mkfifo(ws / "fifo.md")
    (ws / "doc.md").write_text(NO_DESIGN, encoding="utf-8")
    done, paths = check_json("fifo.md", "doc.md", cwd=ws)
    assert done.returncode == 2
    assert "fifo.md: error: not a regular file" in done.stderr
    assert paths == ["doc.md"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_as_config_is_refused_not_waited_on(ws: Path) -> None:
    os.mkfifo(ws / "config.toml")
    (ws / "doc.md").write_text(NO_DESIGN, encoding="utf-8")
    done = run("check", "--config", "config.toml", "doc.md", cwd=ws, timeout=30)
    assert done.returncode == 2
    assert "config.toml: cannot read config: not a regular file" in done.stderr


def test_a_document_over_the_size_cap_is_skipped_and_named(ws: Path) -> None:
    big = ws / "big.md"
    big.write_text(NO_DESIGN + "x" * 5000 + "\n", encoding="utf-8")
    size = big.stat().st_size
    (ws / "doc.md").write_text(NO_DESIGN, encoding="utf-8")
    done, paths = check_json("--max-file-size", "4096", "big.md", "doc.md", cwd=ws)
    assert done.returncode == 2
    assert f"big.md: error: {size} bytes, over the 4096-byte limit" in done.stderr
    assert paths == ["doc.md"]


def test_the_default_size_cap_refuses_a_huge_document_quickly(ws: Path) -> None:
    huge = ws / "huge.md"
    with huge.open("wb") as out:
        out.truncate(33 * 1024 * 1024)  # sparse: costs no disk, reads as 33 MiB of NULs
    started = time.monotonic()
    done, paths = check_json("huge.md", cwd=ws)
    assert time.monotonic() - started < 30
    assert done.returncode == 2
    assert f"over the {32 * 1024 * 1024}-byte limit" in done.stderr
    assert paths == []


def test_max_file_size_must_be_a_positive_number(ws: Path) -> None:
    done = run("check", "--max-file-size", "0", "x.md", cwd=ws)
    assert done.returncode == 2
    assert "--max-file-size: expected a positive number of bytes" in done.stderr


# ---- 3. metadata, hard links, read-only files -------------------------------------------------


@pytest.mark.skipif(not ROOT, reason="giving a file another owner needs root")
def test_fix_keeps_owner_group_and_mode(ws: Path) -> None:
    doc = ws / "doc.md"
    doc.write_text(NO_DESIGN, encoding="utf-8")
    os.chown(doc, 1234, 5678)
    os.chmod(doc, 0o664)
    done, _ = check_json("--fix", "doc.md", cwd=ws)
    assert fixed_cleanly(done), done.stderr
    info = doc.stat()
    assert fixed(doc)
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (1234, 5678, 0o664)


def test_fix_keeps_extended_attributes(ws: Path) -> None:
    doc = ws / "doc.md"
    doc.write_text(NO_DESIGN, encoding="utf-8")
    try:
        os.setxattr(doc, "user.reviewed-by", b"ada")
    except (AttributeError, OSError):
        pytest.skip("no user extended attributes here")
    done, _ = check_json("--fix", "doc.md", cwd=ws)
    assert fixed_cleanly(done), done.stderr
    assert fixed(doc)
    assert os.getxattr(doc, "user.reviewed-by") == b"ada"


def test_fix_refuses_a_hard_linked_file(ws: Path) -> None:
    doc = ws / "doc.md"
    doc.write_text(NO_DESIGN, encoding="utf-8")
    os.link(doc, ws / "alias.md")
    done, paths = check_json("--fix", "doc.md", cwd=ws)
    assert done.returncode == 2
    assert "doc.md: error: has 2 hard links; not fixed" in done.stderr
    assert paths == ["doc.md"]  # still checked: its findings are reported
    assert os.path.samefile(doc, ws / "alias.md")
    assert doc.read_text(encoding="utf-8") == NO_DESIGN


def test_fix_skips_a_read_only_file_and_fixes_the_rest(ws: Path) -> None:
    locked = ws / "locked.md"
    locked.write_text(NO_DESIGN, encoding="utf-8")
    locked.chmod(0o444)
    (ws / "doc.md").write_text(NO_DESIGN, encoding="utf-8")
    done, paths = check_json("--fix", "locked.md", "doc.md", cwd=ws)
    assert done.returncode == 2
    assert "locked.md: error: read-only; not fixed" in done.stderr
    assert locked.read_text(encoding="utf-8") == NO_DESIGN
    assert stat.S_IMODE(locked.stat().st_mode) == 0o444
    assert paths == ["locked.md", "doc.md"] and fixed(ws / "doc.md")


# ---- 4. a save during --fix wins ----------------------------------------------------------------


def _snapshot(path: Path) -> tuple[bytes, Snapshot]:
    return path.read_bytes(), Snapshot.of(path.stat())


def test_replace_writes_what_it_was_given(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_bytes(b"old\n")
    doc.chmod(0o640)
    replace_if_unchanged(str(doc), *_snapshot(doc), b"new\n")
    assert doc.read_bytes() == b"new\n"
    assert stat.S_IMODE(doc.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["doc.md"]  # no temp file left


def test_a_save_while_the_fix_is_written_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = tmp_path / "doc.md"
    doc.write_bytes(b"old\n")
    read, snapshot = _snapshot(doc)
    real_fsync = os.fsync

    def save_meanwhile(fd: int) -> None:  # the editor saves while the temp file is synced
        doc.write_bytes(b"typed\n")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", save_meanwhile)
    with pytest.raises(NotWritten, match="changed on disk"):
        replace_if_unchanged(str(doc), read, snapshot, b"new\n")
    assert doc.read_bytes() == b"typed\n"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.md"]


def test_a_save_during_the_last_comparison_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The editor writes just after the bytes were compared equal: the status, looked at again
    after them, shows it."""
    doc = tmp_path / "doc.md"
    doc.write_bytes(b"old\n")
    read, snapshot = _snapshot(doc)
    real_read_bytes = Path.read_bytes

    def compared_then_saved(self: Path) -> bytes:
        data = real_read_bytes(self)
        if self == doc:
            with open(doc, "ab") as out:  # an in-place save, as some editors do
                out.write(b"typed\n")
        return data

    monkeypatch.setattr(Path, "read_bytes", compared_then_saved)
    with pytest.raises(NotWritten, match="changed on disk"):
        replace_if_unchanged(str(doc), read, snapshot, b"new\n")
    assert real_read_bytes(doc) == b"old\ntyped\n"


def test_a_save_by_rename_with_the_same_text_is_not_overwritten(tmp_path: Path) -> None:
    """An editor that saves by rename makes a new file: even with equal bytes, it is not ours."""
    doc = tmp_path / "doc.md"
    doc.write_bytes(b"old\n")
    read, snapshot = _snapshot(doc)
    saved = tmp_path / "saved"
    saved.write_bytes(b"old\n")
    saved.chmod(0o600)  # the editor's save changed the mode as well
    os.replace(saved, doc)
    with pytest.raises(NotWritten, match="changed on disk"):
        replace_if_unchanged(str(doc), read, snapshot, b"new\n")
    assert doc.read_bytes() == b"old\n" and stat.S_IMODE(doc.stat().st_mode) == 0o600


# ---- 18. unwritable and unreadable directories ------------------------------------------------


@pytest.fixture
def shared() -> Iterator[Path]:
    """A temp dir that an unprivileged user can enter (pytest's own are private to root)."""
    path = Path(tempfile.mkdtemp(prefix="design-lsp-safety-"))
    path.chmod(0o755)
    (path / "template.md").write_text(TEMPLATE, encoding="utf-8")
    yield path
    for sub in path.rglob("*"):
        if sub.is_dir() and not sub.is_symlink():
            subprocess.run(["chattr", "-i", str(sub)], capture_output=True, check=False)
            sub.chmod(0o755)
    shutil.rmtree(path)


def lock_directory(path: Path) -> None:
    """Make `path` a directory no new file can be made in, even by root."""
    if not ROOT:
        path.chmod(0o555)
        return
    if shutil.which("chattr") is None:
        pytest.skip("root ignores permissions, and chattr is missing")
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"chattr +i failed: {done.stderr.strip()}")


# The CLI as an unprivileged user (root reads any directory): imports happen first, since the
# interpreter may live where that user cannot read.
AS_NOBODY = """
import importlib, os, sys
for name in ("design_lsp.cli", "design_lsp.analysis", "design_lsp.document", "design_lsp.config",
             "design_lsp.template", "design_lsp.template.load", "design_lsp.template.describe",
             "design_lsp.text", "design_lsp.files", "design_lsp.fix_write", "design_lsp.shown",
             "design_lsp.limits", "tempfile", "json", "mmap", "traceback", "regex"):
    try:
        importlib.import_module(name)
    except ImportError:
        pass
if os.geteuid() == 0:
    os.setgroups([])
    os.setegid(65534)
    os.seteuid(65534)
sys.exit(sys.modules["design_lsp.cli"].main(sys.argv[1:]))
"""


def test_an_unwritable_directory_is_named_and_the_rest_fixed(shared: Path) -> None:
    for name in ("locked", "open"):
        (shared / name).mkdir()
        (shared / name / "doc.md").write_text(NO_DESIGN, encoding="utf-8")
    lock_directory(shared / "locked")
    done, paths = check_json("--fix", "locked/doc.md", "open/doc.md", cwd=shared)
    assert done.returncode == 2
    assert "locked/doc.md: error: cannot write in its directory" in done.stderr
    assert (shared / "locked" / "doc.md").read_text(encoding="utf-8") == NO_DESIGN
    assert paths == ["locked/doc.md", "open/doc.md"] and fixed(shared / "open" / "doc.md")


def test_an_unreadable_subdirectory_is_named_and_exits_2(shared: Path) -> None:
    for name in ("private", "public"):
        (shared / "docs" / name).mkdir(parents=True)
        (shared / "docs" / name / "doc.md").write_text(NO_DESIGN, encoding="utf-8")
    (shared / "docs").chmod(0o755)
    (shared / "docs" / "private").chmod(0o000)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    args = ["check", "--format", "json", "--template", "template.md", "docs"]
    done = subprocess.run(
        [sys.executable, "-c", AS_NOBODY, *args],
        cwd=shared,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2, done.stderr
    assert "docs/private: error: cannot list: Permission denied; skipped" in done.stderr
    files = json.loads(done.stdout)["files"]
    assert [entry["path"] for entry in files] == ["docs/public/doc.md"]


# ---- 11. control characters are shown escaped -------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="file names cannot hold newlines there")
@pytest.mark.parametrize("fmt", ["text", "github"])
def test_control_characters_in_names_and_headings_are_escaped(ws: Path, fmt: str) -> None:
    evil = "x\n::error file=README.md,line=1::pwned\x1b[8m.md"
    (ws / evil).write_text(NO_DESIGN.replace("Draft", "Dr\x1b[8maft"), encoding="utf-8")
    done = run("check", "--format", fmt, "--template", "template.md", evil, cwd=ws)
    assert done.returncode == 1, done.stderr
    out = done.stdout
    assert "\x1b" not in out and "\x1b" not in done.stderr
    lines = out.splitlines()
    shown = (
        "x\\x0a::error file=README.md,line=1::pwned\\x1b[8m.md:"
        if fmt == "text"
        else ("file=x%0A%3A%3Aerror file=README.md%2Cline=1%3A%3Apwned\\x1b[8m.md,")
    )
    assert lines and all(shown in line for line in lines)  # one line per finding, no injected one
    assert any("Dr\\x1b[8maft" in line for line in lines)  # the heading's escape is shown


def test_an_undecodable_file_name_reads_back_from_json(ws: Path) -> None:
    if sys.platform == "darwin":
        pytest.skip("the file system there only takes UTF-8 names")
    (ws / "docs").mkdir()
    raw = os.fsencode(str(ws)) + b"/docs/bad\xff.md"
    with open(raw, "w", encoding="utf-8") as out:
        out.write(NO_DESIGN)
    done = run("check", "--format", "json", "--template", "template.md", "docs", cwd=ws)
    assert done.returncode == 1, done.stderr
    done.stdout.encode("utf-8")  # valid UTF-8: no raw byte 0xff
    [entry] = json.loads(done.stdout)["files"]
    assert os.fsencode(entry["path"]) == b"docs/bad\xff.md"
