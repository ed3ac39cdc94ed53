"""Writing a fixed document back: all or nothing, with the file's metadata, never over a change
made since it was read, and only where writing is expected.

The new text goes to a temporary file beside the original, gets the original's owner, group,
mode and extended attributes, and then replaces it with one `rename`, so a crash or a full disk
leaves either the old file or the new one. Files this cannot do faithfully are left alone with a
reason: read-only files (as formatters do), files with several hard links (a rename would split
them, and writing in place gives up the all-or-nothing replace), and files whose owner, group or
attributes this process cannot give to a new file.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from design_lsp.files import Snapshot


class NotWritten(Exception):
    """The file was left as it was; the message says why (without the path)."""


def replace_if_unchanged(path: str, read: bytes, snapshot: Snapshot, data: bytes) -> None:
    """Replace the regular file `path` (a real path, not a link) with `data`, unless it is no
    longer what was read (`read`, `snapshot`); `NotWritten` says why it was not."""
    try:
        info = os.stat(path)
    except OSError as error:
        raise NotWritten(f"cannot write: {error.strerror or error}") from None
    _refuse_unfaithful(path, info)
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise NotWritten(f"cannot write in its directory: {error.strerror or error}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            _copy_metadata(path, info, out.fileno())
            os.fsync(out.fileno())
        # The last look, right before the swap: an editor's save since the read wins.
        if _changed(path, read, snapshot):
            raise NotWritten("changed on disk since it was read; not fixed (run again)")
        os.replace(tmp, path)
    except BaseException as error:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        if isinstance(error, OSError):
            raise NotWritten(f"cannot write: {error.strerror or error}") from None
        raise
    _sync_directory(target.parent)


def _refuse_unfaithful(path: str, info: os.stat_result) -> None:
    if not (info.st_mode & 0o222) or not os.access(path, os.W_OK):
        raise NotWritten("read-only; not fixed")
    if info.st_nlink > 1:
        raise NotWritten(
            f"has {info.st_nlink} hard links; not fixed, so that every name keeps the same text "
            "(fix it by hand, or break the link)"
        )


def _copy_metadata(path: str, info: os.stat_result, fd: int) -> None:
    """Give the new file the old one's owner, group, mode and extended attributes, or refuse."""
    mine = os.fstat(fd)
    if (mine.st_uid, mine.st_gid) != (info.st_uid, info.st_gid):
        try:
            os.fchown(fd, info.st_uid, info.st_gid)
        except PermissionError:
            raise NotWritten(
                f"cannot keep its owner and group ({info.st_uid}:{info.st_gid}) on a new file; "
                "not fixed"
            ) from None
    os.fchmod(fd, info.st_mode & 0o7777)  # after chown, which clears set-id bits
    _copy_xattrs(path, fd)


def _copy_xattrs(path: str, fd: int) -> None:
    if not hasattr(os, "listxattr"):
        return  # the platform offers no extended attributes to Python
    try:
        names = os.listxattr(path)
    except OSError as error:
        if error.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):
            return
        raise
    for name in names:
        value = os.getxattr(path, name)
        try:
            if os.getxattr(fd, name) == value:
                continue  # given already (an inherited label or default ACL)
        except OSError:
            pass
        try:
            os.setxattr(fd, name, value)
        except OSError as error:
            raise NotWritten(
                f"cannot keep its extended attribute {name!r} ({error.strerror}); not fixed"
            ) from None


def _changed(path: str, read: bytes, snapshot: Snapshot) -> bool:
    """Whether `path` is no longer the file that was read: another inode (a save by rename),
    another size or mtime, or other bytes. The status is looked at again after the bytes, so
    that a write during the comparison is seen too, and the look closest to the swap is cheap."""
    try:
        if Snapshot.of(os.stat(path)) != snapshot or Path(path).read_bytes() != read:
            return True
        return Snapshot.of(os.stat(path)) != snapshot
    except OSError:
        return True  # gone or unreadable: certainly not what was read


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (best effort: not every platform can open a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
