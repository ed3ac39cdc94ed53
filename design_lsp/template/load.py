"""Load a template: the file (a regular UTF-8 file, or the built-in one) and the template a
document's front matter names. How its Markdown is read is `template/read.py`.

A template named by a document's front matter or by a config is confined: it must be a Markdown
file (by its name and by its target's name) inside the repository (or workspace) root, after
symlinks, or a document could name `../../secret/.env` and have its lines shown in hovers and
copied in by fixes. `--template` on the command line is the user's own choice and is not
confined; every template must read as Markdown text (UTF-8, no NUL bytes, headings).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from design_lsp.document import parse_document
from design_lsp.files import MARKDOWN_SUFFIXES, is_markdown
from design_lsp.template.model import Template

DEFAULT_TEMPLATE = "<built-in>"


def is_template_file(path: str, template_path: str) -> bool:
    """Whether the file at `path` is the template read from `template_path` (the built-in one is
    no file): a template is never checked as a document against itself."""
    if template_path == DEFAULT_TEMPLATE:
        return False
    return _real(os.path.abspath(path)) == _real(os.path.abspath(template_path))


@lru_cache(maxsize=1024)  # asked on every analysis: resolve each path's symlinks once
def _real(path: str) -> str:
    """`path`, absolute (a relative one would be cached for whatever directory came first)."""
    return os.path.realpath(path)


FRONT_MATTER_KEYS = ("template", "design-template", "design_template")


def front_matter_template(front_matter: dict[str, object] | None) -> str | None:
    """The template a document's front matter names (`template: docs/adr-template.md`)."""
    for key in FRONT_MATTER_KEYS:
        value = (front_matter or {}).get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


log = logging.getLogger(__name__)


class TemplateError(Exception):
    """A template that cannot be used; the message names its path and the reason."""


def repository_root(start: Path) -> Path:
    """The nearest folder at or above `start` that holds `.git`, else `start` (resolved)."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def confined_template(requested: str, base: Path, roots: Sequence[Path], asked_by: str) -> Path:
    """`requested` (relative to `base`), symlinks resolved, when it names a Markdown file inside
    one of `roots`; else a TemplateError naming the path and `asked_by` (".design-lsp.toml:
    template", "front matter of docs/a.md: template"). The file need not exist yet."""
    path = base / requested
    resolved = path.resolve()
    if not any(resolved.is_relative_to(root.resolve()) for root in roots):
        where = " or ".join(str(root) for root in roots)
        raise TemplateError(
            f"{asked_by}: '{requested}' resolves to {resolved}, outside {where}: a template "
            "named by a document or a config must lie inside the repository or workspace"
        )
    for name in (path, resolved):
        if not is_markdown(name.name):
            shown = "" if name is path else f" (a link to {resolved.name})"
            raise TemplateError(
                f"{asked_by}: '{requested}'{shown} is not a Markdown file (expected "
                f"{', '.join(sorted(MARKDOWN_SUFFIXES))})"
            )
    return resolved


def resolve_named_template(
    front_matter: dict[str, object] | None, document_path: str | None, root: Path
) -> Path | None:
    """The template file named in front matter, looked up beside the document, then at `root`;
    None when it names none (the configured template applies). A name that is not there, lies
    outside the repository of `root` (or of the document) or is not Markdown raises
    TemplateError: a mistyped name must not quietly check the document against another
    template."""
    named = front_matter_template(front_matter)
    if named is None:
        return None
    folders = [Path(document_path).parent] if document_path else []
    roots = list(dict.fromkeys(repository_root(folder) for folder in [root, *folders]))
    asked_by = f"front matter of {document_path or 'the document'}: template"
    for folder in list(dict.fromkeys([*folders, root])):
        candidate = folder / named
        if candidate.is_file():
            return confined_template(named, folder, roots, asked_by)
    if not _looks_like_a_path(named):
        return None  # a label for other tools (`template: adr`): the configured template applies
    looked = " or ".join(str(folder) for folder in dict.fromkeys([*folders, root]))
    raise TemplateError(f"{asked_by}: {named!r} not found (looked in {looked})")


def _looks_like_a_path(name: str) -> bool:
    return "/" in name or "\\" in name or is_markdown(name)


def load_template(path: str | Path | None = None, named_by: str | None = None) -> Template:
    """The template at `path` (None: the built-in one). `named_by` says where it was named
    (".design-lsp.toml: template: 'docs/t.md'"), so that a missing file names the config
    file and key like every other config error."""
    if path is None:
        text = resources.files("design_lsp.template").joinpath("default.md").read_text("utf-8")
        return parse_template(text, DEFAULT_TEMPLATE)
    try:
        text = _read_regular(Path(path))
    except FileNotFoundError:
        if named_by:
            raise TemplateError(f"{named_by} not found ({path})") from None
        raise TemplateError(f"{path}: template file not found") from None
    except UnicodeDecodeError as error:
        raise TemplateError(f"{path}: template is not UTF-8 text ({error.reason})") from None
    except OSError as error:
        raise TemplateError(f"{path}: cannot read template ({error.strerror})") from None
    return parse_template(text, str(path))


MAX_TEMPLATE_BYTES = 4 * 1024 * 1024


def _read_regular(path: Path) -> str:
    """A regular file's text: a FIFO or a device would block or never end, so they are refused
    (checked on the open file, so a swap after the check changes nothing)."""
    import os
    import stat

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)  # opening a FIFO must not wait
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise TemplateError(f"{path}: is a directory, not a template file")
        if not stat.S_ISREG(info.st_mode):
            raise TemplateError(f"{path}: not a regular file (a FIFO or a device?)")
        if info.st_size > MAX_TEMPLATE_BYTES:
            raise TemplateError(f"{path}: template larger than {MAX_TEMPLATE_BYTES} bytes")
        data = handle.read(MAX_TEMPLATE_BYTES + 1)
    text = data.decode("utf-8")  # (not UTF-8: the caller says so)
    if "\0" in text:
        raise TemplateError(f"{path}: template holds NUL bytes: binary, not Markdown text")
    return text


def parse_template(text: str, path: str) -> Template:
    from design_lsp.template.read import read_template

    return read_template(parse_document(text), path)
