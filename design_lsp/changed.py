"""What git knows: the repository's top, and the files that differ from a revision
(`check --changed-since`)."""

from __future__ import annotations

import os
import subprocess


class GitError(Exception):
    """git could not answer; the message says why."""


def _git(args: list[str], cwd: str) -> str:
    # The fsmonitor hook is the one command a repository's own config could make these run
    # (the diff asks for names only, never external diff or textconv programs): off.
    try:
        done = subprocess.run(
            ["git", "-c", "core.fsmonitor=false", *args],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0"},
            check=False,
        )
    except OSError as error:
        raise GitError(f"cannot run git: {error.strerror or error}") from None
    if done.returncode != 0:
        raise GitError(done.stderr.strip() or f"git {args[0]} failed (exit {done.returncode})")
    return done.stdout


def top(cwd: str = ".") -> str | None:
    """The top of the git work tree `cwd` is in, or None outside one (or without git)."""
    try:
        return os.path.realpath(_git(["rev-parse", "--show-toplevel"], cwd).rstrip("\n"))
    except GitError:
        return None


def changed_since(ref: str, cwd: str = ".") -> set[str]:
    """The real paths of the files that differ from revision `ref`: changed in commits since,
    staged or not, and new files git does not ignore. Deleted files are not listed."""
    root = top(cwd)
    if root is None:
        raise GitError(f"--changed-since: {os.path.abspath(cwd)} is not in a git repository")
    if ref.startswith("-"):
        raise GitError(f"--changed-since: {ref!r} is not a git revision")
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root)
    except GitError:
        raise GitError(f"--changed-since: unknown git revision {ref!r}") from None
    # Against the work tree: what was committed since `ref`, staged and unstaged, at once.
    diff = _git(
        ["diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", "--no-textconv",
         "--diff-filter=d", ref, "--"], root
    )
    new = _git(["ls-files", "--others", "--exclude-standard", "-z"], root)
    names = [n for n in (diff + new).split("\0") if n]
    return {os.path.realpath(os.path.join(root, name)) for name in names}
