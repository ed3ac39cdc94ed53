"""The editor's notes about the check itself, each a finding of its own: a document not checked
(and why), a broken config or template, a document too large, findings left out by the cap.
Their codes and severities are the registry's (`design_lsp.analysis.codes`, `Code.note`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from design_lsp.document.model import Span
from design_lsp.limits import MAX_DOCUMENT_BYTES

if TYPE_CHECKING:
    from design_lsp.analysis import Finding
    from design_lsp.document import Document
    from design_lsp.template import Template


def note(code: str, message: str, span: Span) -> Finding:
    """A note with the registry's severity for `code`; KeyError for a code the registry does
    not declare a note, so that no undocumented code reaches an editor."""
    # (imported here: the analysis package is not needed to answer `initialize`)
    from design_lsp.analysis.codes import REGISTRY
    from design_lsp.analysis.model import Finding

    entry = REGISTRY.get(code)
    if entry is None or not entry.note:
        raise KeyError(f"{code!r} is not a note in design_lsp.analysis.codes")
    return Finding(code, entry.severity, message, span, None)


def refusal(text: str) -> Finding:
    """The one finding of a document over the size cap, which is not parsed."""
    size = len(text.encode("utf-8", "surrogatepass")) / (1024 * 1024)
    limit = MAX_DOCUMENT_BYTES // (1024 * 1024)
    message = (
        f"design-lsp does not check this document: it is {size:.0f} MB, over the {limit} MB "
        f"limit for one document. Split it into smaller documents to have it checked."
    )
    return note("document-too-large", message, Span(0, 0, 0, 0))


def capped(findings: list[Finding], limit: int) -> list[Finding]:
    """At most `limit` findings, the most severe first chosen, in document order, and one more
    on the first line saying how many are left out (an editor freezes on thousands)."""
    if len(findings) <= limit:
        return findings
    from design_lsp.analysis.model import Severity

    rank = {severity: n for n, severity in enumerate(Severity)}  # (declared most severe first)
    order = sorted(range(len(findings)), key=lambda i: (rank[findings[i].severity], i))
    kept = [findings[i] for i in sorted(order[:limit])]
    left = len(findings) - limit
    message = (
        f"{len(findings):,} findings: the {limit:,} most severe are shown, {left:,} more are "
        "not (the max-diagnostics setting); `design-lsp check` lists them all"
    )
    return [note("too-many-findings", message, Span(0, 0, 0, 0)), *kept]


def not_selected(template: Template, document: Document) -> Finding | None:
    """For a file that is not checked but has most of the template's sections: one note on its
    first heading saying why, and how to opt in (otherwise it would be ignored without a word)."""
    from design_lsp.analysis.analyze import has_most_sections, sections_present

    if not document.headings or not has_most_sections(template, document):
        return None
    present, required = sections_present(template, document)
    heading = document.headings[0]
    title = template.title
    why = "it is not selected"
    if title is not None and title.prefix:
        fixed = title.text.split(title.placeholder)[0].strip() if title.placeholder else title.text
        why = f"its first heading does not start with '{fixed}'"
    message = (
        f"Not checked against the template, though it has {present} of its {required} required "
        f"sections: {why}. To check it, start the title that way, list it in `include` in "
        "the config, or name the template in front matter (`template: ...`)."
    )
    line = heading.line
    return note("not-checked", message, Span(line, 0, line, len(document.lines[line])))


def config_error(document: Document, message: str) -> Finding:
    """The finding of an open document while the config that governs it is broken: on its
    first line, where it is seen whatever the document holds."""
    end = len(document.lines[0]) if document.lines else 0
    return note("config-error", message, Span(0, 0, 0, end))


def template_error(document: Document, message: str) -> Finding:
    """The one finding of a document whose front matter names a template that cannot be used,
    on its `template:` line: checking it against another template would only mislead."""
    key = next(
        (f for f in document.fields if f.name == "template" and f.line < document.front_matter_end),
        None,
    )
    line = key.line if key is not None else 0
    span = Span(line, 0, line, len(document.lines[line]) if document.lines else 0)
    return note("template-error", message, span)
