"""A fresh document from a template, as `design-lsp new` writes it and as the editor inserts it
into an empty file: the title from the file name, today's date, each choice field at its first
value. What is left to fill is the template's own placeholders."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date

    from design_lsp.template.model import Template

def humanize(stem: str) -> str:
    """`rate-limiter` -> `Rate Limiter`."""
    words = [w for w in re.split(r"[-_\s]+", stem) if w]
    return " ".join(w[:1].upper() + w[1:] for w in words)


def render_new(template: Template, title: str, today: date, add_title: bool = False) -> str:
    """The template's text with its title placeholder filled in, the date field set to `today`
    and enum fields set to their first value.

    A template without a title gets `# title` on top only when `add_title` (an explicit --title).
    """
    lines = list(template.lines)
    # The date field: the first field of the template's list items whose name ends in "Date".
    dated = next(
        (f for f in template.fields if not f.front_matter and f.name.split()[-1].lower() == "date"),
        None,
    )
    if dated is not None:
        lines[dated.line] = f"{lines[dated.line][: dated.value_col].rstrip()} {today.isoformat()}"
    # An enum field starts at its first value ("Draft"), not the list of choices.
    choices = {" | ".join(f.values): f.values[0] for f in template.fields if len(f.values) > 1}
    for i, line in enumerate(lines):
        if dated is not None and i == dated.line:
            continue
        if (enum := next((c for c in choices if line.rstrip().endswith(c)), None)) is not None:
            lines[i] = line.rstrip()[: -len(enum)] + choices[enum]
    spec = template.title
    if spec is not None and spec.placeholder:
        index = next((i for i, line in enumerate(lines) if spec.placeholder in line), None)
        if index is not None:
            lines[index] = lines[index].replace(spec.placeholder, title, 1)
    elif spec is None and add_title:
        lines[:0] = [f"# {title}", ""]
    text = "\n".join(lines)
    return text if text.endswith("\n") else text + "\n"
