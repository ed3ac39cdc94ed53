"""Load a template: the file (a regular UTF-8 file, or the built-in one) and the template a
document's front matter names. How its Markdown is read is `template/read.py`."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from design_lsp.document import parse_document
from design_lsp.template.model import Template

DEFAULT_TEMPLATE = "<built-in>"


FRONT_MATTER_KEYS = ("template", "design-template", "design_template")


def front_matter_template(front_matter: dict[str, object] | None) -> str | None:
    """The template a document's front matter names (`template: docs/adr-template.md`)."""
    for key in FRONT_MATTER_KEYS:
        value = (front_matter or {}).get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def named_template_path(
    front_matter: dict[str, object] | None, document_path: str | None, root: Path
) -> Path | None:
    """The template file named in front matter, looked up beside the document, then at `root`;
    None when it names none or no such file exists (the configured template applies)."""
    named = front_matter_template(front_matter)
    if named is None:
        return None
    folders = [Path(document_path).parent] if document_path else []
    for folder in [*folders, root]:
        candidate = folder / named
        if candidate.is_file():
            return candidate
    return None


class TemplateError(Exception):
    """A template that cannot be used; the message names its path and the reason."""


def load_template(path: str | Path | None = None) -> Template:
    if path is None:
        text = resources.files("design_lsp.template").joinpath("default.md").read_text("utf-8")
        return parse_template(text, DEFAULT_TEMPLATE)
    try:
        text = _read_regular(Path(path))
    except FileNotFoundError:
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
    return data.decode("utf-8")


def parse_template(text: str, path: str) -> Template:
    from design_lsp.template.read import read_template

    return read_template(parse_document(text), path)
