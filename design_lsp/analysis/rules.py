"""The rules: each turns the alignment or the document's inline facts into findings."""

from __future__ import annotations

import re
from bisect import bisect_left
from difflib import SequenceMatcher
from functools import lru_cache
from operator import attrgetter
from typing import TYPE_CHECKING

from design_lsp.analysis.align import Match
from design_lsp.analysis.codes import REGISTRY
from design_lsp.analysis.edits import insertion, replace_line_part
from design_lsp.analysis.model import Finding, Severity, TextEdit
from design_lsp.document import (
    Bracket,
    Document,
    Field,
    Heading,
    ListItem,
    Paragraph,
    Section,
    Span,
)
from design_lsp.document.inline import code_spans
from design_lsp.template import SectionSpec
from design_lsp.template.guidance import MIN_CHARS, fold
from design_lsp.template.markers import strip_marker
from design_lsp.template.normalize import (
    canonical,
    field_key,
    near_miss,
    plain_text,
    strip_numbering,
    title_key,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from design_lsp.analysis.analyze import Analysis
    from design_lsp.analysis.patterns import BoundedPattern
    from design_lsp.template.model import FieldSpec

# A label holds no bracket: a scan from one line's `[` stops at the next `[` (linear time).
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\[\]]+\]:\s*\S.*$", re.MULTILINE)
_TITLE_BRACKET = re.compile(r"\[[^\[\]]*\]")
_ATX_MARKER = re.compile(r"^( {0,3})(#{1,6})(?=\s|$)")
_DIGIT = re.compile(r"\d")


def _finding(
    code: str,
    message: str,
    span: Span,
    section: SectionSpec | None = None,
    fixes: list[tuple[str, list[TextEdit]]] | None = None,
    *,
    insert_line: int | None = None,
    level: int | None = None,
    field_name: str | None = None,
    values: tuple[str, ...] | None = None,
    placeholder: str | None = None,
) -> Finding:
    """A finding at warning level (`analyze` sets its severity)."""
    return Finding(
        code=code,
        severity=Severity.WARNING,
        message=message,
        span=span,
        section=section.path if section else None,
        fixes=fixes or [],
        within_optional=(
            section is not None and REGISTRY[code].section and section.within_optional
        ),
        insert_line=insert_line,
        level=level,
        field_name=field_name,
        values=values,
        placeholder=placeholder,
    )


def heading_span(document: Document, heading: Heading) -> Span:
    """The heading line from its first non-blank character to its end."""
    text = document.lines[heading.line]
    return Span(heading.line, len(text) - len(text.lstrip()), heading.line, len(text))


def _anchor(analysis: Analysis, parent: SectionSpec | None) -> Span:
    """Where a finding about something absent shows: the parent heading, else the title,
    else the first line with text."""
    document = analysis.document
    match = analysis.alignment.first(parent) if parent else None
    if match is not None:
        return heading_span(document, match.section.heading)
    if analysis.alignment.title is not None:
        return heading_span(document, analysis.alignment.title.heading)
    for line in range(document.front_matter_end, len(document.lines)):
        if document.lines[line].strip():
            return Span(line, 0, line, len(document.lines[line]))
    return Span(0, 0, 0, 0)


def title_findings(analysis: Analysis) -> list[Finding]:
    title = analysis.template.title
    document = analysis.document
    if title is None or analysis.alignment.title is not None:
        return []
    edit = insertion(document, document.front_matter_end, [[f"# {title.text}"]])
    return [
        _finding(
            "missing-title",
            f"Missing document title: expected '# {title.text}'",
            _anchor(analysis, None),
            fixes=[(f"Insert title '# {title.text}'", [edit])],
        )
    ]


def missing_findings(analysis: Analysis) -> list[Finding]:
    findings = [_missing(analysis, spec) for spec in analysis.missing]
    for order, span in analysis.written_as_text().items():
        spec = analysis.template.all_specs[order]
        findings.append(
            _finding(
                "emphasis-as-heading",
                f"'{spec.title}' is written as bold text: the template makes it a heading",
                span,
                spec,
            )
        )
    return findings


def duplicate_finding(analysis: Analysis, repeat: Section, first: Match) -> Finding:
    return _finding(
        "duplicate-section",
        f"{_named(repeat.heading, first.spec)} appears more than once "
        f"(first at line {first.section.heading.line + 1})",
        heading_span(analysis.document, repeat.heading),
        first.spec,
    )


def _missing(analysis: Analysis, spec: SectionSpec) -> Finding:
    parent = analysis.alignment.first(spec.parent) if spec.parent else None
    if parent is not None:  # the parent as the document names it
        where = f" under '{plain_text(parent.section.heading.title)}'"
    else:
        where = f" under '{spec.parent.title}'" if spec.parent else ""
    subsections = [child.title for child in spec.children if not child.optional]
    with_children = f" (with {', '.join(subsections)})" if subsections else ""
    fixes = [(f"Insert section '{spec.title}'", analysis.insert_edit([spec]))]
    instead = analysis.heading_in_place_of(spec)
    if instead is not None:  # offered where that heading is (features/code_actions.py)
        written = plain_text(instead.title)
        fixes.append((f"Rename '{written}' to '{spec.title}'", [_rename(instead, spec)]))
    return _finding(
        "missing-section",
        f"Missing section '{spec.title}'{where}{with_children}",
        _missing_anchor(analysis, spec),
        spec,
        fixes=fixes,
        insert_line=analysis.insertion_line(spec),
    )


def _missing_anchor(analysis: Analysis, spec: SectionSpec) -> Span:
    """Where a missing section shows: the heading it would follow, else its parent's (the
    title at the top), else the heading it would precede; at the top with none of its siblings
    present, the end of the document, where it would be inserted."""
    previous = analysis.neighbour(spec, None, before=True)
    if previous is not None:
        return heading_span(analysis.document, previous.heading)
    following = analysis.neighbour(spec, None, before=False)
    if spec.parent is None and following is None:
        return _last_text(analysis)
    if spec.parent is not None or analysis.alignment.title is not None:
        return _anchor(analysis, spec.parent)
    if following is not None:
        return heading_span(analysis.document, following.heading)
    return _anchor(analysis, None)


def _last_text(analysis: Analysis) -> Span:
    """The document's last line with text (its first line when it has none)."""
    document = analysis.document
    for line in range(len(document.lines) - 1, document.front_matter_end - 1, -1):
        text = document.lines[line]
        if text.strip():
            return Span(line, len(text) - len(text.lstrip()), line, len(text))
    return _anchor(analysis, None)


def match_findings(analysis: Analysis, match: Match) -> list[Finding]:
    """What is wrong with one matched section: its title, level, place or emptiness."""
    document, spec, heading = analysis.document, match.spec, match.section.heading
    span = heading_span(document, heading)
    findings: list[Finding] = []
    if match.how != "exact" and match.how != "slot":
        findings.append(_renamed_finding(analysis, match, span))
    expected = analysis.alignment.expected_level(match)
    if expected != heading.level:
        group = _wrapped(analysis, match)
        if group is None:
            expected = max(1, min(6, expected))
            findings.append(
                _finding(
                    "heading-level",
                    f"{_named(heading, spec)} should be a level-{expected} heading "
                    f"({'#' * expected}), not level {heading.level}",
                    span,
                    spec,
                    fixes=_level_fix(document, heading, expected),
                    level=expected,
                )
            )
        elif group[0] is match:
            findings.append(_wrapper_finding(analysis, group))
    elif not match.in_place:
        findings.append(_misplaced(analysis, match, span))
    # (an optional section kept but left empty is reported too, at information level)
    required_children = any(not child.optional for child in spec.children)
    if (
        not required_children
        and _is_empty(document, match.section)
        and not _gains_content(analysis, match.section, expected)
    ):
        findings.append(
            _finding("empty-section", f"Section {_named(heading, spec)} is empty", span, spec)
        )
    return findings


def _renamed_finding(analysis: Analysis, match: Match, span: Span) -> Finding:
    """A section the document names otherwise: a typo ("near"), a heading holding the
    section's subsections ("renamed"), or one standing where it belongs ("stand-in")."""
    spec, heading = match.spec, match.section.heading
    written = plain_text(heading.title)
    fixes = [(f"Rename to '{spec.title}'", [_rename(heading, spec)])]
    if match.how == "near" or near_miss(title_key(written), spec.key):
        code = "misspelled-section"
        message = f"'{written}' looks like a misspelling of '{spec.title}'"
    elif match.how == "renamed":
        code = "renamed-section"
        message = (
            f"'{written}' holds the subsections of '{spec.title}': the template calls it "
            f"'{spec.title}'"
        )
    else:
        code = "renamed-section"
        message = (
            f"'{written}' stands where the template puts '{spec.title}': rename it, or add "
            f"'{spec.title}' if this is another section"
        )
        fixes.append((f"Insert section '{spec.title}'", analysis.insert_edit([spec])))
    return _finding(code, message, span, spec, fixes=fixes)


def _rename(heading: Heading, spec: SectionSpec) -> TextEdit:
    """The heading's title replaced by the template's, its numbering ("3.2 ") kept."""
    ts = heading.title_span
    new_title = heading.title[: _numbering_length(heading.title)] + spec.title
    return replace_line_part(ts.line, ts.col, ts.end_col, new_title)


def _wrapped(analysis: Analysis, match: Match) -> list[Match] | None:
    """The template sections that one heading of the author's own holds at the wrong level
    (an older template's wrapper, "## Design Details" around "### Test Plan"), when `match` is
    one of two or more such: one problem, reported once, on the wrapper."""
    alignment = analysis.alignment
    parent = match.section.parent
    if parent is None or parent is alignment.title or parent.heading.line in alignment.by_line:
        return None
    shift = match.section.heading.level - alignment.expected_level(match)
    group = []
    for child in parent.children:
        member = alignment.by_line.get(child.heading.line)
        if member is not None and alignment.wrong_level(member):
            if child.heading.level - alignment.expected_level(member) != shift:
                return None
            group.append(member)
    return group if len(group) > 1 else None


def _wrapper_finding(analysis: Analysis, group: list[Match]) -> Finding:
    document = analysis.document
    wrapper = group[0].section.parent
    assert wrapper is not None
    expected = max(1, min(6, analysis.alignment.expected_level(group[0])))
    names = [plain_text(m.section.heading.title) for m in group]
    listed = ", ".join(f"'{name}'" for name in names[:3])
    if len(names) > 3:
        listed += f" and {len(names) - 3} more"
    edits = [
        edit
        for m in group
        for _, fix in _level_fix(document, m.section.heading, analysis.alignment.expected_level(m))
        for edit in fix
    ]
    return _finding(
        "heading-level",
        f"{listed} under '{plain_text(wrapper.heading.title)}' should be level-{expected} "
        f"headings ({'#' * expected}), not level {group[0].section.heading.level}",
        heading_span(document, wrapper.heading),
        None,
        fixes=[(f"Change {len(group)} headings to their template levels", edits)],
    )


def _named(heading: Heading, spec: SectionSpec) -> str:
    """The heading as the document writes it, and the template's title where that differs."""
    written = plain_text(heading.title)
    if title_key(written) == spec.key:
        return f"'{written}'"
    return f"'{written}' (the template's '{spec.title}')"


def _gains_content(analysis: Analysis, section: Section, level: int) -> bool:
    """Whether an empty section at the wrong level would hold the heading after it once both
    are at their template levels (its emptiness is then the level's fault, reported already)."""
    document, alignment = analysis.document, analysis.alignment
    following = document.next_heading(section.heading.line)
    if section.heading.level <= level or following is None:
        return False
    match = alignment.by_line.get(following.line)
    return (alignment.expected_level(match) if match else following.level) > level


def _numbering_length(title: str) -> int:
    return len(title) - len(strip_numbering(title))


def _level_fix(
    document: Document, heading: Heading, level: int
) -> list[tuple[str, list[TextEdit]]]:
    line = document.lines[heading.line]
    marker = _ATX_MARKER.match(line)
    title = f"Change to a level-{level} heading"
    if marker and not heading.setext:
        edit = replace_line_part(heading.line, marker.start(2), marker.end(2), "#" * level)
        return [(title, [edit])]
    # A setext heading becomes ATX: its underline is part of the heading, not the author's text.
    underline = document.lines[heading.line + 1]
    edit = TextEdit(
        Span(heading.line, 0, heading.line + 1, len(underline)),
        f"{'#' * level} {heading.title}",
    )
    return [(title, [edit])]


def _misplaced(analysis: Analysis, match: Match, span: Span) -> Finding:
    spec = match.spec
    siblings = spec.parent.children if spec.parent else analysis.template.roots
    index = siblings.index(spec)
    before = [s for s in siblings[:index] if s.order in analysis.alignment.present]
    after = [s for s in siblings[index + 1 :] if s.order in analysis.alignment.present]
    context = analysis.alignment.by_line[match.context.heading.line] if match.context else None
    if (context.spec if context else None) is not spec.parent:
        where = f"under '{spec.parent.title}'" if spec.parent else "at the top level"
    elif before:
        where = f"after '{before[-1].title}'"
    elif after:
        where = f"before '{after[0].title}'"
    else:
        where = "elsewhere"
    return _finding(
        "section-order",
        f"{_named(match.section.heading, spec)} is out of order: the template puts it {where}",
        span,
        spec,
        fixes=_move_fix(analysis, match),
    )


def _move_fix(analysis: Analysis, match: Match) -> list[tuple[str, list[TextEdit]]]:
    """Move the section, whole and unchanged, to where the template puts it."""
    section, lines = match.section, analysis.document.lines
    target = analysis.insertion_line(match.spec, moving=section)
    start, end = section.heading.line, section.end_line
    if start <= target <= end:
        return []
    chunk = lines[start:end]
    while chunk and not chunk[-1].strip():
        chunk.pop()
    if end >= len(lines) - 1:  # the last section: keep the text ending as it was
        end_span = Span(end - 1, len(lines[end - 1]), end - 1, len(lines[end - 1]))
        delete = TextEdit(Span(start, 0, end_span.line, end_span.col), "")
    else:
        delete = TextEdit(Span(start, 0, end, 0), "")
    return [(f"Move '{match.spec.title}' to its template place",
             [insertion(analysis.document, target, [chunk]), delete])]


def _strip_comments(text: str) -> str:
    """`text` without HTML comments (an unterminated one runs to the end), in linear time."""
    out: list[str] = []
    start = 0
    while (opening := text.find("<!--", start)) != -1:
        out.append(text[start:opening])
        closing = text.find("-->", opening + 4)
        if closing == -1:
            return "".join(out)
        start = closing + 3
    out.append(text[start:])
    return "".join(out)


def _is_empty(document: Document, section: Section) -> bool:
    if section.children:
        return False
    body = "\n".join(document.lines[section.heading.last_line + 1 : section.end_line])
    body = _LINK_DEFINITION.sub("", _strip_comments(body))
    return not body.strip()


def title_placeholders(analysis: Analysis) -> list[Finding]:
    """The title's fill-in part left as the template has it."""
    title, spec = analysis.alignment.title, analysis.template.title
    if title is None or spec is None:
        return []
    heading = title.heading
    ts = heading.title_span
    if not spec.prefix and title_key(heading.title) == title_key(spec.text):
        return [_placeholder(plain_text(heading.title), ts, None)]  # "# Feature name" kept
    known = placeholder_keys(tuple(analysis.template.placeholders))
    findings = []
    for found in _TITLE_BRACKET.finditer(heading.title):
        if _collapse(found.group(0)) in known or found.group(0) == spec.placeholder:
            span = Span(ts.line, ts.col + found.start(), ts.line, ts.col + found.end())
            findings.append(_placeholder(found.group(0), span, None))
    return findings


def bracket_findings(analysis: Analysis, brackets: Sequence[Bracket]) -> list[Finding]:
    """`[...]` left in that the template itself has: the author's own brackets (citations,
    tags, math, array literals) are never placeholders."""
    known = placeholder_keys(tuple(analysis.template.placeholders))
    return [
        _placeholder(bracket.text, bracket.span, analysis.spec_at(bracket.span.line))
        for bracket in brackets
        if _collapse(bracket.text) in known
    ]


@lru_cache(maxsize=64)
def placeholder_keys(placeholders: tuple[str, ...]) -> frozenset[str]:
    return frozenset(map(_collapse, placeholders))


def _collapse(text: str) -> str:
    return " ".join(text.split())


def example_findings(analysis: Analysis, items: Sequence[ListItem]) -> list[Finding]:
    """List items that are still the template's numbered examples ("Goal 1")."""
    examples = _any_of(tuple(analysis.template.example_patterns))
    if examples is None:
        return []
    findings = []
    for item in items:
        # Every example pattern holds a number (`_example_patterns`): most items go no further.
        if _DIGIT.search(item.text) and examples.fullmatch(" ".join(item.text.casefold().split())):
            findings.append(
                _finding(
                    "placeholder",
                    f"Example item '{item.text}' left from the template: replace it",
                    item.span,
                    analysis.spec_at(item.line),
                )
            )
    return findings


def pattern_findings(
    analysis: Analysis, prose: Sequence[Paragraph], extra: Sequence[BoundedPattern]
) -> list[Finding]:
    """Placeholders found by pattern in prose: the generic markers TODO / TBD / FIXME where
    they stand for missing text, and matches of `extra` (the template's own `<...>` and
    `(...)` texts, the config's patterns)."""
    lines = analysis.document.lines
    findings = []
    for paragraph in prose:
        line = lines[paragraph.line]
        if "TBD" in line or "TODO" in line or "FIXME" in line:
            findings += _generic_markers(analysis, line, paragraph)
        code: list[tuple[int, int]] | None = None
        for pattern in extra:
            for found in pattern.finditer(line):
                if found.end() == found.start():
                    continue
                if code is None:
                    code = code_spans(line, 0, len(line)) if "`" in line else []
                within = next(((a, b) for a, b in code if a <= found.start() < b), None)
                if within is not None and not (
                    pattern.trusted and line[within[0] : within[1]].strip("`") == found.group(0)
                ):
                    continue  # in code: the author's code (unless the template's own `<x>`)
                span = Span(paragraph.line, found.start(), paragraph.line, found.end())
                findings.append(_placeholder(found.group(0), span, None))
    return findings


# TODO / TBD / FIXME as a placeholder: opening a paragraph or list item ("TBD", "- TODO",
# "TODO: add the numbers"), or all of a field's value ("Owner: TBD"); not a word in a sentence
# ("TBD behavior", "see FIXME above", "a notation (TBD) that").
_GENERIC = re.compile(r"\b(?:TODO|TBD|FIXME)\b(?=[*_]*(?:[\s.:!]|$))")
_FIELD_BEFORE = re.compile(r"^[^:]{1,40}:[*_\s]*$")
_GENERIC_AFTER = re.compile(r"[*_\s.:!]*")


def _generic_markers(analysis: Analysis, line: str, paragraph: Paragraph) -> list[Finding]:
    span = paragraph.span
    found = []
    for match in _GENERIC.finditer(line, span.col, span.end_col):
        before = line[span.col : match.start()]
        after = _GENERIC_AFTER.fullmatch(line, match.end(), span.end_col)
        opens = paragraph.start == paragraph.line and not before.strip("*_ ")
        if opens and after is None:  # a note ("TODO: update this") stands for text only
            opens = not _text_follows(analysis, paragraph)  # where nothing follows it
        value = _FIELD_BEFORE.match(before) is not None and after is not None
        if opens or value:
            where = Span(span.line, match.start(), span.line, match.end())
            found.append(_placeholder(match.group(0), where, None))
    return found


def _text_follows(analysis: Analysis, paragraph: Paragraph) -> bool:
    """Whether the paragraph's section has more text after it."""
    document = analysis.document
    return _answered(document, _paragraph_end(document, paragraph.line), set())


def _paragraph_end(document: Document, line: int) -> int:
    while line + 1 < len(document.lines) and document.lines[line + 1].strip():
        line += 1
    return line


@lru_cache(maxsize=64)
def _any_of(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """One pattern that fully matches what any of `patterns` fully matches (one regex pass
    per list item instead of one per example pattern)."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)


def _placeholder(text: str, span: Span, section: SectionSpec | None) -> Finding:
    return _finding(
        "placeholder", f"Placeholder '{text}' not filled in", span, section, placeholder=text
    )


def template_text_findings(analysis: Analysis, paragraphs: Sequence[Paragraph]) -> list[Finding]:
    """Guidance left in: one finding per left-over paragraph (a run of them: one), compared by
    meaning. A template question or listed prompt answered below it is answered."""
    guidance = analysis.template.guidance
    document = analysis.document
    lines = document.lines
    groups = _paragraphs(paragraphs)
    found: dict[int, bool] = {}  # index of a left-over group -> whether all of it asks
    for index, group in enumerate(groups):
        text = group[0].text if len(group) == 1 else " ".join(p.text for p in group)
        if len(text) < MIN_CHARS:
            continue  # too short to be guidance
        if not guidance.quoted and lines[group[0].line].lstrip().startswith(">"):
            continue  # a quotation, where the template quotes nothing: the author cites it
        over, questions = guidance.left_over(fold(text))
        if over:
            found[index] = questions
    if not found:
        return []

    def item(index: int) -> bool:
        group = groups[index]
        return _is_item(lines[group[0].line], group[0].span.col)

    # A list with an item of the author's own was edited: its template items are kept on
    # purpose. A question, or a prompt in a list (templates list their questions as bullets),
    # followed by the author's own text is answered: only what stands unanswered is left over.
    left: list[tuple[list[Paragraph], bool]] = []
    edited: set[int] = set()
    kept: set[int] = set()  # items of lists left entirely as the template has them
    for index, questions in found.items():
        if index in edited:
            continue
        listed = item(index)
        if listed and index not in kept:
            # Each list is walked once (a list of thousands of items is no quadratic cost).
            first = last = index
            while first > 0 and item(first - 1) and _adjacent(document, groups, first - 1):
                first -= 1
            while last + 1 < len(groups) and item(last + 1) and _adjacent(document, groups, last):
                last += 1
            whole = range(first, last + 1)
            if not all(i in found for i in whole):
                edited.update(whole)
                continue
            kept.update(whole)
        left.append((groups[index], questions or listed))
    if not left:
        return []
    guidance_lines = {p.line for group, _ in left for p in group}
    next_own = _NextOwnText(document, guidance_lines)
    runs: list[list[Paragraph]] = []
    for group, prompt in left:
        last_line = group[-1].line
        if prompt and next_own.after(last_line) < document.section_end(last_line):
            continue  # answered: the author's own text follows before the next heading
        if runs and _only_blank(document, runs[-1][-1].line + 1, group[0].line):
            runs[-1] += group
        else:
            runs.append(list(group))
    findings = []
    for run in runs:
        start, end = run[0].span, run[-1].span
        words = " ".join(p.text for p in run)
        shown = words if len(words) <= 60 else words[:57].rstrip() + "..."
        findings.append(
            _finding(
                "template-text",
                f"Template guidance left unchanged: '{shown}'",
                Span(start.line, start.col, end.end_line, end.end_col),
                analysis.spec_at(start.line),
            )
        )
    return findings


_ITEM_PREFIX = re.compile(r"[ \t>]*(?:[-+*]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?$")


def _is_item(line: str, col: int) -> bool:
    return _ITEM_PREFIX.match(line[:col]) is not None


def _adjacent(document: Document, groups: list[list[Paragraph]], index: int) -> bool:
    """Whether only blank lines separate group `index` from the next."""
    return _only_blank(document, groups[index][-1].line + 1, groups[index + 1][0].line)


def _paragraphs(prose: Sequence[Paragraph]) -> list[list[Paragraph]]:
    """Prose lines grouped by the paragraph (or list item) they belong to."""
    groups: list[list[Paragraph]] = []
    for line in prose:
        if groups and groups[-1][0].start == line.start:
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _answered(document: Document, last: int, guidance: set[int]) -> bool:
    """Whether anything but guidance follows line `last` before the next heading."""
    return _NextOwnText(document, guidance).after(last) < document.section_end(last)


class _NextOwnText:
    """The first line after a given one that holds the author's own text (not blank, not
    guidance, not a comment delimiter): each line is looked at once, however many prompts ask."""

    def __init__(self, document: Document, guidance: set[int]) -> None:
        self._lines = document.lines
        self._guidance = guidance
        self._known: dict[int, int] = {}  # line -> first own line at or after it

    def after(self, line: int) -> int:
        start = line + 1
        walked: list[int] = []
        at = start
        while at < len(self._lines) and at not in self._known:
            text = self._lines[at].strip()
            if text and at not in self._guidance and not text.startswith(("<!--", "-->")):
                break
            walked.append(at)
            at += 1
        found = self._known.get(at, at)
        for skipped in walked:
            self._known[skipped] = found
        self._known[start] = found
        return found


def _only_blank(document: Document, start: int, end: int) -> bool:
    return all(not document.lines[line].strip() for line in range(start, end))


def field_findings(analysis: Analysis, reported: Callable[[int], bool]) -> list[Finding]:
    """Fields the template asks for: missing, empty, unfilled or not one of its choices.
    `reported(line)`: whether another rule reports a placeholder on that line already."""
    document = analysis.document
    present: dict[str, Field] = {}
    for field in document.fields:
        present.setdefault(field_key(field.name), field)
    findings: list[Finding] = []
    missing_front: list[str] = []
    keys = {spec.key for spec in analysis.template.fields}
    unknown = [item for item in document.fields if field_key(item.name) not in keys]
    for spec in analysis.template.fields:
        item = present.get(spec.key)
        where = spec.section
        if item is None:
            if spec.optional or _renamed(analysis, spec, unknown):
                continue
            if spec.front_matter:
                missing_front.append(spec.name)
            elif where is None or where.order in analysis.alignment.present:
                section_name = f" in '{where.title}'" if where else ""
                findings.append(
                    _finding(
                        "missing-field",
                        f"Missing field '{spec.name}'{section_name}",
                        _anchor(analysis, where),
                        where,
                        field_name=spec.name,
                    )
                )
            continue
        own = strip_marker(item.value)[0]
        following = None if own else _continued(document, item)
        raw = own or (following.text if following is not None else "")
        # where the value is: after the colon, or on the line that continues the item
        span = following.span if following is not None else item.value_span
        value = plain_text(raw)  # (a document may keep the "*if applicable*")
        if not value:
            if not spec.optional and not spec.blank:  # (a value the template leaves empty too)
                findings.append(
                    _finding("missing-field", f"Field '{item.name}' has no value",
                             item.value_span, where, field_name=spec.name)
                )
        elif spec.placeholder and _collapse(raw) == _collapse(spec.placeholder):
            if not reported(span.line):
                findings.append(_placeholder(raw, span, where))
        elif spec.values and _enum_key(value) not in {_enum_key(v) for v in spec.values}:
            findings.append(_invalid(spec.name, spec.values, value, item.name, span, where))
    if missing_front:
        findings.append(_missing_front(analysis, missing_front))
    return findings


def _enum_key(value: str) -> str:
    return canonical(value).casefold()


def _renamed(analysis: Analysis, spec: FieldSpec, unknown: list[Field]) -> bool:
    """Whether the document has the field under another qualifier in the same place:
    "Tracking Issue" for "Rust Issue", "eRFC PR" for "RFC PR". Both names have a qualifier
    and end in the same word (the kind of thing the value is), and the template has no
    field of the document's name."""
    words = spec.name.split()
    if len(words) < 2:
        return False
    kind = field_key(words[-1])
    for item in unknown:
        other = item.name.split()
        if len(other) >= 2 and field_key(other[-1]) == kind and (
            analysis.spec_at(item.line) is spec.section
        ):
            return True
    return False


def _continued(document: Document, item: Field) -> Paragraph | None:
    """The line that continues a list item whose value line is empty ("* Implementation:"
    with the link on the next line)."""
    prose = document.prose
    index = bisect_left(prose, item.line + 1, key=attrgetter("line"))
    following = prose[index] if index < len(prose) else None
    if following is not None and following.line == item.line + 1 == following.start + 1:
        return following
    return None


def _invalid(
    name: str,
    values: tuple[str, ...],
    value: str,
    written: str,
    vs: Span,
    where: SectionSpec | None,
) -> Finding:
    """`written`: the field's name as the document writes it; `vs`: where its value is."""
    return _finding(
        "invalid-field",
        f"'{written}' must be one of: {', '.join(values)} (found '{value}')",
        vs,
        where,
        fixes=[
            (f"Set {written} to '{v}'",
             [TextEdit(Span(vs.line, vs.col, vs.end_line, vs.end_col), v)])
            for v in _nearest_first(value, values)
        ],
        field_name=name,
        values=values,
    )


def _nearest_first(typed: str, values: tuple[str, ...]) -> list[str]:
    """The allowed values, the one most like what was typed first ("Aproved": "Approved");
    ties keep the template's order."""
    folded = typed.casefold()
    return sorted(values, key=lambda v: -SequenceMatcher(None, folded, v.casefold()).ratio())


def _missing_front(analysis: Analysis, names: list[str]) -> Finding:
    """Front-matter keys the template has and the document lacks: one finding, on the block's
    first line (or the document's, when it has no front matter)."""
    document = analysis.document
    line = 0 if document.front_matter is not None else _anchor(analysis, None).line
    span = Span(line, 0, line, len(document.lines[line]) if document.lines else 0)
    where = "front matter" if document.front_matter is not None else "front matter (none found)"
    listed = ", ".join(f"'{name}'" for name in names)
    noun = "field" if len(names) == 1 else "fields"
    return _finding(
        "missing-field", f"Missing {where} {noun} {listed}", span, None, field_name=names[0]
    )
