"""Fidelity harness: how right design-lsp's findings are on real design-document corpora.

The reusable pieces behind bench/fidelity.py (tests may import them too):

- corpus discovery: each corpus folder's template and documents (`discover`);
- checking every document of a corpus once (`check_documents`);
- a document built from any template that a team would accept (`conformant_document`);
- one planted defect at a time in a real document, and whether the engine reports exactly that
  (`plant_defects`);
- the already judged findings, re-checked against today's engine (`load_judged`, `judge`);
- a fixed-seed sample of findings for a person to judge (`sample_findings`).

Nothing here names a corpus except the `CORPORA` table, which is data.
"""

from __future__ import annotations

import json
import random
import re
import textwrap
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from design_lsp.analysis import Analysis, Finding, analyze
from design_lsp.analysis.align import Match, preorder
from design_lsp.document import Document, Heading, Section, parse_document
from design_lsp.template import SectionSpec, Template
from design_lsp.template.normalize import title_key
from design_lsp.text import split_lines

# Where each known corpus keeps its template and its documents: folder name -> (template path,
# documents glob, paths that match the glob but are not design documents), all relative to the
# corpus folder. Any other folder is discovered (`detect_template`).
CORPORA: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "rust-rfcs": ("0000-template.md", "text/**/*.md", ()),
    "swift-evolution": ("proposal-templates/0000-swift-template.md", "proposals/**/*.md", ()),
    "eips": ("eip-template.md", "EIPS/*.md", ()),
    "openshift-enhancements": ("guidelines/enhancement_template.md", "enhancements/**/*.md", ()),
    "tensorflow-rfcs": ("rfcs/yyyymmdd-rfc-template.md", "rfcs/*.md", ("rfcs/README.md",)),
}

BLOCKING = ("error", "warning")


# --------------------------------------------------------------------------- corpus discovery


@dataclass(slots=True)
class Corpus:
    name: str  # the folder's name
    folder: Path
    template: Path | None  # None: no template found (the corpus cannot be checked)
    documents: list[Path]  # sorted; never the template itself


def discover(corpus_root: Path, names: Sequence[str] = ()) -> list[Corpus]:
    """Every corpus folder under `corpus_root` (or only `names`), sorted by name."""
    folders = sorted(p for p in corpus_root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if names:
        unknown = set(names) - {p.name for p in folders}
        if unknown:
            raise ValueError(f"no such corpus under {corpus_root}: {', '.join(sorted(unknown))}")
        folders = [p for p in folders if p.name in names]
    return [corpus_at(folder) for folder in folders]


def corpus_at(folder: Path) -> Corpus:
    known = CORPORA.get(folder.name)
    if known is not None:
        template_path, pattern, excluded = known
        template: Path | None = folder / template_path
        skip = {folder / path for path in excluded}
        documents = [p for p in folder.glob(pattern) if p.is_file() and p not in skip]
    else:
        template = detect_template(folder)
        # Other templates (a project may keep several) are not design documents, nor is the
        # folder's own README.
        documents = [
            p
            for p in _markdown_files(folder)
            if "template" not in p.name.casefold()
            and not (p.parent == folder and p.name.casefold().startswith("readme"))
        ]
    if template is not None:
        documents = [p for p in documents if p.resolve() != template.resolve()]
    return Corpus(folder.name, folder, template, sorted(documents))


def detect_template(folder: Path) -> Path | None:
    """The shallowest Markdown file with "template" in its name (ties: by path)."""
    found = [p for p in _markdown_files(folder) if "template" in p.name.casefold()]
    found.sort(key=lambda p: (len(p.relative_to(folder).parts), str(p)))
    return found[0] if found else None


def _markdown_files(folder: Path) -> list[Path]:
    return [
        p
        for p in folder.rglob("*.md")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    ]


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig", errors="replace")  # as the CLI reads files


# --------------------------------------------------------------------------- checking


@dataclass(slots=True)
class CheckedDoc:
    path: str  # relative to the corpus root, starting with the corpus folder's name
    text: str
    findings: list[Finding]
    matched: int  # document sections the engine matched to template sections


def check_documents(template: Template, corpus: Corpus) -> tuple[list[CheckedDoc], float]:
    """Every document parsed and analysed once; the seconds that took (files read beforehand)."""
    texts = [(relative_path(corpus, path), read_text(path)) for path in corpus.documents]
    out: list[CheckedDoc] = []
    start = time.perf_counter()
    for rel, text in texts:
        analysis = analyze(template, parse_document(text))
        out.append(CheckedDoc(rel, text, analysis.findings, len(analysis.alignment.matches)))
    return out, time.perf_counter() - start


def relative_path(corpus: Corpus, path: Path) -> str:
    return f"{corpus.name}/{path.relative_to(corpus.folder).as_posix()}"


def blocking(findings: Iterable[Finding], severities: Sequence[str] = BLOCKING) -> list[Finding]:
    return [f for f in findings if f.severity.value in severities]




# --------------------------------------------------------------------------- made-up content

# Plain lowercase words only: made-up prose must never look like a placeholder, an example item
# ("Goal 1") or a template sentence.
_WORDS = (
    "account", "balance", "batch", "boundary", "buffer", "cache", "caller", "change", "client",
    "cluster", "config", "consumer", "contract", "data", "default", "delay", "design", "driver",
    "entry", "error", "event", "export", "failure", "feature", "field", "flag", "format",
    "handler", "index", "input", "job", "key", "latency", "layer", "ledger", "limit", "load",
    "lookup", "message", "metric", "model", "module", "node", "operator", "order", "output",
    "owner", "packet", "parser", "path", "payload", "peer", "policy", "pool", "queue", "quota",
    "reader", "record", "region", "release", "request", "retry", "review", "rollout", "route",
    "rule", "schema", "server", "service", "session", "shard", "signal", "snapshot", "source",
    "state", "storage", "stream", "table", "task", "tenant", "timeout", "token", "trace",
    "update", "user", "value", "version", "worker", "writer"
)  # fmt: skip
_VERBS = (
    "keeps", "moves", "reads", "writes", "checks", "stores", "sends", "drops", "merges",
    "splits", "tracks", "limits", "caches", "signs", "routes", "builds", "loads", "parses",
    "rotates", "retries"
)  # fmt: skip
_NAMES = (
    "Amara Okafor", "Lena Brandt", "Tomas Riedel", "Priya Natarajan", "Jonas Weller",
    "Mei Tanaka", "Rafael Ortega", "Ines Duarte", "Kofi Mensah", "Sofia Lindqvist",
)  # fmt: skip
_ADJECTIVES = (
    "Adaptive", "Batched", "Bounded", "Deferred", "Incremental", "Layered", "Lazy", "Pooled",
    "Scoped", "Sharded", "Staged", "Tiered", "Unified", "Versioned",
)  # fmt: skip
_NOUNS = (
    "Ledger Sync", "Cache Eviction", "Queue Draining", "Token Refresh", "Schema Migration",
    "Quota Accounting", "Snapshot Export", "Route Planning", "Retry Budget", "Trace Sampling",
)  # fmt: skip
_URL = "https://example.org/design/{}"
_DATE = "2024-05-01"


def made_up_name(rng: random.Random) -> str:
    return f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)}"


def _sentence(rng: random.Random) -> str:
    words = [
        "the", *rng.sample(_WORDS, 2), rng.choice(_VERBS), "each", rng.choice(_WORDS),
        rng.choice(("when", "before", "after", "while")), "the", *rng.sample(_WORDS, 2),
        rng.choice(_VERBS), "its", rng.choice(_WORDS),
    ]  # fmt: skip
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def made_up_prose(rng: random.Random) -> str:
    """Two or three sentences on one line."""
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 3)))


# --------------------------------------------------------------------------- field values

_DATE_LIKE = re.compile(r"yyyy|\b\d{4}-\d{2}-\d{2}\b", re.IGNORECASE)
# Marks of a value that is an instruction or an example, not a value a document would keep.
_PLACEHOLDER_LIKE = re.compile(r"[\[\]<>(){}*]|\bTBD\b|\bTODO\b|N{3,}|X{3,}|\.\.\.|yyyy", re.I)
_NUMBER_RUN = re.compile(r"N{3,}|X{3,}|0{4,}")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_PERSON_KEYS = ("author", "manager", "approver", "reviewer", "sponsor", "owner", "editor")


def plain(markdown: str) -> str:
    """Inline Markdown to words: links to their text, emphasis and code marks removed."""
    text = _LINK.sub(r"\1", markdown)
    text = re.sub(r"[*`]|(?<!\w)_+|_+(?!\w)", "", text)
    return " ".join(text.split())


def value_choices(raw: str) -> list[str]:
    """The choices a template value offers: `a | b`, `**a** or **b**`, `(A / B)`, `<A, B, or C>`."""
    if "|" in raw:
        parts = [plain(p) for p in raw.split("|")]
        if len([p for p in parts if p]) >= 2:
            return [p for p in parts if p]
    bold = re.findall(r"\*\*(.+?)\*\*", raw)
    if len(bold) >= 2:
        return bold
    wrapped = re.fullmatch(r"\s*[<(](.*)[>)]\s*", raw)
    if wrapped:
        for separator in (r"\s+/\s+", r",\s*(?:or\s+)?|\s+or\s+"):
            parts = [p.strip() for p in re.split(separator, wrapped.group(1))]
            if len(parts) >= 2 and all(1 <= len(p.split()) <= 3 for p in parts):
                return parts
    return []


def fill_value(name: str, value: str, rng: random.Random) -> str:
    """A plausible value for a field `name` whose template value is `value`."""
    raw = value.strip()
    key = name.casefold()
    choices = value_choices(raw)
    if choices:
        return choices[0]
    if _DATE_LIKE.search(raw) or any(w in key for w in ("date", "created", "updated")):
        return _DATE
    text = plain(raw)
    if text and not _PLACEHOLDER_LIKE.search(raw) and len(text.split()) <= 4:
        return raw  # already a value a document keeps ("Draft", "1.0", "None")
    if "url" in text.casefold() or any(w in key for w in ("link", "discussion", "url")):
        return _URL.format(rng.randint(100, 999))
    first_link = _LINK.search(raw)
    label = first_link.group(1) if first_link else text
    if _NUMBER_RUN.search(label):  # "SE-NNNN", "rust-lang/rfcs#0000": the same with a number
        return _NUMBER_RUN.sub(lambda m: str(rng.randint(10, 99)) * 2, label)
    if "number" in key or "number" in text.casefold() or "#" in name:
        return str(rng.randint(1000, 9999))
    if any(w in key for w in _PERSON_KEYS):
        return rng.choice(_NAMES)
    if any(w in key for w in ("description", "summary", "abstract")):
        return _sentence(rng)
    return made_up_name(rng)


# --------------------------------------------------------------------------- template shape

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S")
_LIST_FIELD = re.compile(
    r"^(?P<lead> {0,3}(?:[-*+]|\d{1,9}[.)])\s+)"
    r"(?P<name>\*\*[^*]+\*\*\s*:|\*\*[^*]+:\*\*|__[^_]+__\s*:|__[^_]+:__"
    r"|[^\W\d_][^:*_`\[\]<>]{0,40}?:(?=\s|$))"
    r"(?P<value>.*)$"
)
_BLOCK_START = re.compile(
    r"^\s*(?:[-*+](?:\s|$)|\d{1,9}[.)](?:\s|$)|#{1,6}(?:\s|$)|>|\||`{3}|~{3}|<|=+\s*$|-+\s*$)"
)
_TABLE_SEPARATOR = re.compile(r"^\s*:?-+:?\s*$")


@dataclass(slots=True)
class _Shape:
    """What the builders need beyond `Template`: the template's headings by line."""

    document: Document
    heading_at: dict[int, Heading]
    heading_lines: list[int]

    def body(self, heading: Heading) -> tuple[int, int]:
        """[start, end) lines of the text under `heading`, up to the next heading."""
        index = bisect_right(self.heading_lines, heading.last_line)
        end = (
            self.heading_lines[index]
            if index < len(self.heading_lines)
            else len(self.document.lines)
        )
        return heading.last_line + 1, end


_SHAPES: dict[int, tuple[Template, _Shape]] = {}


def _shape(template: Template) -> _Shape:
    cached = _SHAPES.get(id(template))
    if cached is not None and cached[0] is template:
        return cached[1]
    document = parse_document("\n".join(template.lines))
    heading_at = {h.line: h for h in document.headings}
    shape = _Shape(document, heading_at, sorted(heading_at))
    _SHAPES[id(template)] = (template, shape)
    return shape


def _front_matter_end(lines: Sequence[str]) -> int:
    """First line after a leading `---` ... `---` block (0 when there is none)."""
    if not lines or lines[0].rstrip() != "---":
        return 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return index + 1
    return 0


def field_match(line: str) -> re.Match[str] | None:
    """A `- **Name**: value` / `- Name: value` list item that is a field, not a guidance bullet
    ("- Papers: Are there any published papers ...?" asks a question; "- Goal 1" is an example)."""
    found = _LIST_FIELD.match(line)
    if found is None:
        return None
    name = field_name(found)
    value = plain(found.group("value"))
    if any(ch.isdigit() for ch in name):
        return None
    bold = found.group("name").startswith(("**", "__"))
    if not bold and (len(name.split()) > 4 or len(value.split()) > 15 or value.endswith("?")):
        return None
    return found


def field_name(found: re.Match[str]) -> str:
    return found.group("name").strip("*_: \t")


# --------------------------------------------------------------------------- conformant document


def conformant_document(template: Template, drop_optional: bool = False, seed: int = 0) -> str:
    """A document a team would accept, built from the template's own lines.

    Every heading is kept (the title's `[...]`, or the whole title, becomes a made-up name; one
    instance of each slot such as "Component 1" is kept under a made-up name), every guidance
    block under a heading becomes a short made-up paragraph, and fields (list items, two-column
    tables, front matter) keep their names with plausible values. Text before the first
    section that is not a field (instructions to the author) is left out. With
    `drop_optional`, every optional section (or one under an optional section) is left out.
    """
    rng = random.Random(seed)
    shape = _shape(template)
    lines = template.lines
    blocks: list[list[str]] = []
    start = _front_matter_end(lines)
    if start:
        blocks.append(["---", *_filled_front_matter(lines[1 : start - 1], rng), "---"])
    first_spec = template.roots[0].line if template.roots else len(lines)
    title = shape.document.headings[0] if template.title is not None else None
    if title is not None:
        blocks += _field_blocks(lines[start : title.line], rng, None)
        blocks.append(_renamed_heading(lines, title, rng, keep_outside_brackets=True))
        blocks += _field_blocks(lines[title.last_line + 1 : first_spec], rng, None)
    else:
        blocks += _field_blocks(lines[start:first_spec], rng, None)

    def emit(spec: SectionSpec) -> None:
        if drop_optional and spec.within_optional:
            return
        heading = shape.heading_at[spec.line]
        if spec.slot:
            blocks.append(_renamed_heading(lines, heading, rng, keep_outside_brackets=False))
        else:
            blocks.append(lines[heading.line : heading.last_line + 1])
        body_start, body_end = shape.body(heading)
        body = _field_blocks(lines[body_start:body_end], rng, made_up_prose)
        children = [c for c in spec.children if not (drop_optional and c.within_optional)]
        if not children and all(_LINK_DEFINITION.match(b[0]) for b in body):
            body.append([made_up_prose(rng)])  # a section with nothing left must not be empty
        blocks.extend(body)
        for child in children:
            emit(child)

    for root in template.roots:
        emit(root)
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


def _renamed_heading(
    lines: Sequence[str], heading: Heading, rng: random.Random, keep_outside_brackets: bool
) -> list[str]:
    """The heading's lines with its title's `[...]` (or, with none, its whole title) replaced."""
    line, span, title = lines[heading.line], heading.title_span, heading.title
    name = made_up_name(rng)
    if keep_outside_brackets and re.search(r"\[[^\]]*\]", title):
        new_title = re.sub(r"\[[^\]]*\]", name, title, count=1)
    else:
        new_title = name
    return [
        line[: span.col] + new_title + line[span.end_col :],
        *lines[heading.line + 1 : heading.last_line + 1],
    ]


def _field_blocks(
    body: Sequence[str], rng: random.Random, prose: Callable[[random.Random], str] | None
) -> list[list[str]]:
    """The blocks kept from a template body: fields and two-column tables filled in, link
    definitions as they are, and in place of the first guidance block (paragraph, list, table,
    code, HTML comment) one paragraph of `prose` (nothing when `prose` is None)."""
    out: list[list[str]] = []
    guidance_at: int | None = None
    fence: str | None = None
    in_comment = False
    index = 0

    def guidance() -> None:
        nonlocal guidance_at
        if guidance_at is None:
            guidance_at = len(out)

    while index < len(body):
        line = body[index]
        stripped = line.strip()
        index += 1
        if in_comment:
            in_comment = "-->" not in line
            continue
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            continue
        if not stripped:
            continue
        if stripped.startswith("<!--"):
            guidance()
            in_comment = "-->" not in stripped[4:]
            continue
        opening = _FENCE.match(line)
        if opening:
            guidance()
            fence = opening.group(1)
            continue
        if _LINK_DEFINITION.match(line):
            out.append([line])
            continue
        if stripped.startswith("|"):
            table = [line]
            while index < len(body) and "|" in body[index] and body[index].strip():
                table.append(body[index])
                index += 1
            filled = _filled_table(table, rng)
            if filled is None:
                guidance()
            else:
                out.append(filled)
            continue
        found = field_match(line)
        if found is None:
            guidance()
            continue
        items = [_filled_field(found, rng)]
        while index < len(body) and (more := field_match(body[index])) is not None:
            items.append(_filled_field(more, rng))
            index += 1
        out.append(items)
    if prose is not None and guidance_at is not None:
        out.insert(guidance_at, [prose(rng)])
    return out


def _filled_field(found: re.Match[str], rng: random.Random) -> str:
    value = fill_value(field_name(found), found.group("value"), rng)
    return f"{found.group('lead')}{found.group('name')} {value}"


def _cells(row: str) -> list[str]:
    inner = row.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [cell.strip() for cell in inner.split("|")]


def _filled_table(rows: list[str], rng: random.Random) -> list[str] | None:
    """A two-column name/value table with its values filled in; None for any other table."""
    out = []
    for row in rows:
        cells = _cells(row)
        if all(_TABLE_SEPARATOR.match(cell) for cell in cells):
            out.append(row)
            continue
        if len(cells) != 2 or not plain(cells[0]):
            return None
        out.append(f"| {cells[0]} | {fill_value(plain(cells[0]), cells[1], rng)} |")
    return out


def _yaml_comment_free(value: str) -> str:
    """A front matter value without its `# comment` (a quoted value is left as it is)."""
    start = value.lstrip()
    if start.startswith(("'", '"')):
        return value
    if start.startswith("#"):
        return ""
    at = value.find(" #")
    return value[:at] if at >= 0 else value


def _yaml_scalar(value: str) -> str:
    if value.startswith(("'", '"')):
        return value
    if value[:1] in "[]{}&*!|>%@`#,?:-" or ": " in value or " #" in value:
        return json.dumps(value)
    return value


def _filled_front_matter(lines: Sequence[str], rng: random.Random) -> list[str]:
    out: list[str] = []
    key = ""
    for line in lines:
        entry = re.match(r"^([A-Za-z_][\w.-]*)\s*:(.*)$", line)
        if entry:
            key = entry.group(1)
            value = _yaml_comment_free(entry.group(2)).strip()
            filled = _yaml_scalar(fill_value(key, value, rng)) if value else ""
            out.append(f"{key}: {filled}" if filled else f"{key}:")
            continue
        item = re.match(r"^(\s+-\s+)(.*)$", line)
        if item and key:
            value = _yaml_comment_free(item.group(2)).strip()
            out.append(item.group(1) + _yaml_scalar(fill_value(key, value, rng)))
        elif line.strip() and not line.lstrip().startswith("#"):
            out.append(line)
    return out


# --------------------------------------------------------------------------- guidance paragraphs


@dataclass(frozen=True, slots=True)
class GuidanceParagraph:
    spec: SectionSpec
    lines: tuple[str, ...]  # stripped of indentation (and of comment markers when hidden)
    hidden: bool  # from inside an HTML comment


_PARAGRAPHS: dict[int, tuple[Template, list[GuidanceParagraph]]] = {}
MIN_PARAGRAPH_WORDS = 8


def guidance_paragraphs(template: Template) -> list[GuidanceParagraph]:
    """Prose paragraphs of at least 8 words in each section's own guidance, visible or inside
    an HTML comment; never list items, tables, code, quotes or HTML, and never a paragraph with
    a reference-style or bare `[...]` (pasted elsewhere it would be a placeholder as well)."""
    cached = _PARAGRAPHS.get(id(template))
    if cached is not None and cached[0] is template:
        return cached[1]
    shape = _shape(template)
    found: list[GuidanceParagraph] = []
    for spec in template.all_specs:
        start, end = shape.body(shape.heading_at[spec.line])
        runs = _runs(template.lines[start:end])
        # Where a section's guidance is in a comment, its visible text is what the template
        # wants kept or an example to replace ("TBD"), not guidance.
        commented = any(hidden for _, hidden in runs)
        for run, hidden in runs:
            if _is_paragraph(run, hidden) and (hidden or not commented):
                found.append(GuidanceParagraph(spec, tuple(line.strip() for line in run), hidden))
    _PARAGRAPHS[id(template)] = (template, found)
    return found


def _runs(body: Sequence[str]) -> list[tuple[list[str], bool]]:
    """Runs of non-blank lines outside code fences, each marked hidden when inside a comment
    (comment markers removed)."""
    runs: list[tuple[list[str], bool]] = []
    current: list[str] = []
    current_hidden = False
    fence: str | None = None
    in_comment = False

    def close() -> None:
        nonlocal current
        if current:
            runs.append((current, current_hidden))
        current = []

    for line in body:
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        text, hidden = line, in_comment
        if in_comment:
            if "-->" in line:
                in_comment = False
                before, after = line.split("-->", 1)
                text = before if not after.strip() else ""
        elif "<!--" in line:
            before, after = line.split("<!--", 1)
            if before.strip():
                text = ""  # a comment after visible text: neither is a clean paragraph
            elif "-->" in after:
                text, hidden = after.split("-->", 1)[0], True
            else:
                text, hidden, in_comment = after, True, True
        elif (opening := _FENCE.match(line)) is not None:
            close()
            fence = opening.group(1)
            continue
        if not text.strip() or hidden != current_hidden:
            close()
            current_hidden = hidden
        if text.strip():
            current.append(text)
    close()
    return runs


def _is_paragraph(run: list[str], hidden: bool) -> bool:
    if not hidden and any(len(line) - len(line.lstrip()) > 1 for line in run):
        return False  # indented: a list item's continuation, or code
    if any(_BLOCK_START.match(line) or _LINK_DEFINITION.match(line) for line in run):
        return False
    text = " ".join(line.strip() for line in run)
    if re.search(r"\[[^\]]*\](?!\()", text) or "<" in text:
        return False
    return len(plain(text).split()) >= MIN_PARAGRAPH_WORDS


def rewrapped(lines: Sequence[str]) -> list[str] | None:
    """The paragraph's words wrapped differently (50 columns when it was wider, else one
    line), never starting a line with a block marker; None when no wrapping differs."""
    original = [line.strip() for line in lines]
    words = " ".join(original)

    def wrap(width: int) -> list[str]:
        return textwrap.wrap(words, width, break_long_words=False, break_on_hyphens=False)

    options = [wrap(50)] if max(map(len, original)) > 50 else []
    options += [[" ".join(words.split())]] if len(original) > 1 else []
    options += [wrap(width) for width in (40, 72, 30)]
    for option in options:
        if option != original and not any(_BLOCK_START.match(line) for line in option):
            return option
    return None


# --------------------------------------------------------------------------- planted defects

KINDS: tuple[str, ...] = (
    "deleted-section",
    "misspelled-heading",
    "swapped-siblings",
    "pasted-guidance",
    "rewrapped-guidance",
    "comment-guidance",
)
EXPECTED_CODE: dict[str, str] = {
    "deleted-section": "missing-section",
    "misspelled-heading": "misspelled-section",
    "swapped-siblings": "section-order",
    "pasted-guidance": "template-text",
    "rewrapped-guidance": "template-text",
    "comment-guidance": "template-text",
}


@dataclass(slots=True)
class PlantResult:
    kind: str
    path: str
    status: str  # "exact", "wrong" or "skipped"
    expected: str  # what the engine should report, in words ("" when skipped)
    planted: str = ""  # what was changed
    new: list[tuple[str, int, str]] = field(default_factory=list)  # (code, line 1-based, msg)


@dataclass(slots=True)
class _Plant:
    """One planted defect: the new lines, how old lines map, and what must be reported."""

    lines: list[str]
    mapping: Callable[[int], int | None]
    planted: str
    expected: str
    check: Callable[[Finding], bool]


def plant_defects(template: Template, path: str, text: str, seed: int = 0) -> list[PlantResult]:
    """Each defect kind planted alone into `text` (one result per kind, in `KINDS` order)."""
    before = analyze(template, parse_document(text))
    planters: dict[str, Callable[[Analysis, random.Random], _Plant | None]] = {
        "deleted-section": _delete_section,
        "misspelled-heading": _misspell_heading,
        "swapped-siblings": _swap_siblings,
        "pasted-guidance": lambda a, r: _paste(a, r, hidden=False, rewrap=False),
        "rewrapped-guidance": lambda a, r: _paste(a, r, hidden=False, rewrap=True),
        "comment-guidance": lambda a, r: _paste(a, r, hidden=True, rewrap=False),
    }
    results = []
    for kind in KINDS:
        # The two visible pastes draw alike, so the re-wrapped one is the same paragraph.
        draw = "paste" if kind in ("pasted-guidance", "rewrapped-guidance") else kind
        plant = planters[kind](before, random.Random(f"{seed}:{path}:{draw}"))
        if plant is None:
            results.append(PlantResult(kind, path, "skipped", ""))
            continue
        after_text = before.document.eol.join(plant.lines)
        after = analyze(template, parse_document(after_text))
        new = new_findings(before.findings, after.findings, plant.mapping)
        exact = len(new) == 1 and new[0].code == EXPECTED_CODE[kind] and plant.check(new[0])
        results.append(
            PlantResult(
                kind,
                path,
                "exact" if exact else "wrong",
                plant.expected,
                plant.planted,
                [(f.code, f.span.line + 1, f.message) for f in new],
            )
        )
    return results


def _normalized_message(message: str) -> str:
    return re.sub(r"\bline \d+", "line N", message)  # "(first at line 35)" moves with the text


def new_findings(
    before: Sequence[Finding], after: Sequence[Finding], mapping: Callable[[int], int | None]
) -> list[Finding]:
    """Findings of `after` not in `before`, with multiplicity. Matched in three passes, each on
    what the previous ones left: by code, message and (mapped) line; by code and line (a
    message may quote a heading the defect changed, or list the sections of a group); by code
    and message (a finding anchored elsewhere, such as at a missing section's parent heading,
    may move with an edit)."""
    keys: list[Callable[[Finding, int | None], tuple[object, ...]]] = [
        lambda f, line: (f.code, _normalized_message(f.message), line),
        lambda f, line: (f.code, line),
        lambda f, line: (f.code, _normalized_message(f.message)),
    ]
    used = [False] * len(before)
    left = list(after)
    for key in keys:
        pool: dict[tuple[object, ...], list[int]] = {}
        for index, finding in enumerate(before):
            if not used[index]:
                pool.setdefault(key(finding, mapping(finding.span.line)), []).append(index)
        unmatched = []
        for finding in left:
            candidates = pool.get(key(finding, finding.span.line))
            if candidates:
                used[candidates.pop(0)] = True
            else:
                unmatched.append(finding)
        left = unmatched
    return left


def _required(spec: SectionSpec) -> bool:
    return not spec.slot and not spec.within_optional


def _descends(spec: SectionSpec | None, ancestor: SectionSpec) -> bool:
    while spec is not None:
        if spec is ancestor:
            return True
        spec = spec.parent
    return False


def _delete_section(analysis: Analysis, rng: random.Random) -> _Plant | None:
    """A required section whose parent is present, deleted with its whole subtree. Skipped
    when the engine could rightly see it elsewhere afterwards: another heading with the same
    title, or a section of its subtree that sits outside it."""
    alignment, document = analysis.alignment, analysis.document
    keys = [title_key(h.title) for h in document.headings]
    duplicated = {first.spec.order for _, first in alignment.duplicates}
    candidates = []
    for match in alignment.matches:
        spec, section = match.spec, match.section
        if not _required(spec) or len(alignment.present.get(spec.order, [])) != 1:
            continue
        if spec.parent is not None and spec.parent.order not in alignment.present:
            continue
        if spec.order in duplicated:
            continue
        start, end = section.heading.line, section.end_line
        inside = [m for m in alignment.matches if start <= m.section.heading.line < end]
        outside = [m for m in alignment.matches if not start <= m.section.heading.line < end]
        if not all(_descends(m.spec, spec) for m in inside):
            continue
        if any(_descends(m.spec, spec) for m in outside):
            continue
        same_title = [
            h for h, key in zip(document.headings, keys, strict=True)
            if key == spec.key and not start <= h.line < end
        ]  # fmt: skip
        if not same_title:
            candidates.append(match)
    if not candidates:
        return None
    match = rng.choice(candidates)
    start, end = match.section.heading.line, match.section.end_line
    lines = document.lines[:start] + document.lines[end:]
    if end == len(document.lines) and document.lines[-1] == "" and lines[-1:] != [""]:
        lines.append("")  # keep the final line ending
    title = match.spec.title

    def mapping(line: int) -> int | None:
        if line < start:
            return line
        return None if line < end else line - (end - start)

    return _Plant(
        lines,
        mapping,
        f"deleted '{document.lines[start]}' (lines {start + 1}-{end})",
        f"one missing-section for '{title}'",
        lambda f: f.section is not None and f.section[-1:] == [title],
    )


def _same_line(line: int) -> int | None:
    return line


def _in_place(analysis: Analysis, match: Match) -> bool:
    """Matched where the template puts it: in order, under its parent, at its level."""
    level = match.spec.level + analysis.alignment.offset
    return match.in_place and match.section.heading.level == level


def _misspell_heading(analysis: Analysis, rng: random.Random) -> _Plant | None:
    """One interior letter of a word of 5+ letters changed in a required heading's title."""
    alignment, document = analysis.alignment, analysis.document
    spec_keys = {spec.key for spec in analysis.template.all_specs}
    candidates = []
    for match in alignment.matches:
        if match.how != "exact" or not _required(match.spec):
            continue
        parent = match.spec.parent
        if parent is not None and parent.order not in alignment.present:
            continue  # under a missing section: the template's place for it is not there
        if not _in_place(analysis, match):
            continue  # already reported (out of order, wrong level): not one defect alone
        heading = match.section.heading
        for word in re.finditer(r"[A-Za-z]{5,}", heading.title):
            candidates.append((heading, word))
    rng.shuffle(candidates)
    for heading, word in candidates:
        at = word.start() + rng.randint(1, len(word.group()) - 2)
        old = heading.title[at]
        letters = [c for c in "abcdefghijklmnopqrstuvwxyz" if c != old.lower()]
        new = rng.choice(letters)
        new = new.upper() if old.isupper() else new
        title = heading.title[:at] + new + heading.title[at + 1 :]
        key = title_key(title)
        if key == title_key(heading.title) or key in spec_keys:
            continue  # a letter inside a link target, or another section's name
        return _renamed_in_place(document, heading, title)
    return None


def _renamed_in_place(document: Document, heading: Heading, title: str) -> _Plant:
    span, target = heading.title_span, heading.line
    lines = list(document.lines)
    line = lines[span.line]
    lines[span.line] = line[: span.col] + title + line[span.end_col :]
    return _Plant(
        lines,
        _same_line,
        f"'{heading.title}' -> '{title}' (line {target + 1})",
        f"one misspelled-section on line {target + 1}",
        lambda f: f.span.line == target,
    )


def _swap_siblings(analysis: Analysis, rng: random.Random) -> _Plant | None:
    """Two adjacent sibling sections in template order, swapped whole."""
    alignment, document = analysis.alignment, analysis.document
    groups: list[list[Section]] = [document.roots]
    groups += [s.children for s in preorder(document.roots) if s.children]
    candidates = []
    for siblings in groups:
        for first, second in pairwise(siblings):
            a = alignment.by_line.get(first.heading.line)
            b = alignment.by_line.get(second.heading.line)
            if a is None or b is None or a.spec.slot or b.spec.slot:
                continue
            # (A heading standing for an absent section under another name is known by its
            # place only (analysis/stand_ins.py): moved, it is the author's own heading, and the
            # finding is the section missing. Such pairs are left alone too.)
            if "stand-in" in (a.how, b.how):
                continue
            if first.heading.level != second.heading.level or a.spec.parent is not b.spec.parent:
                continue
            # (A heading at the wrong level gets a heading-level finding and never a
            # section-order one as well: such pairs are left alone.)
            in_place = _in_place(analysis, a) and _in_place(analysis, b)
            if a.spec.order < b.spec.order and in_place:
                candidates.append((first, second))
    if not candidates:
        return None
    first, second = rng.choice(candidates)
    lines = document.lines
    a0, b0, b1 = first.heading.line, second.heading.line, second.end_line
    a_text, b_text = _trimmed(lines[a0:b0]), _trimmed(lines[b0:b1])
    b_trailing = lines[b0 + len(b_text) : b1]
    region = [*b_text, "", *a_text, *b_trailing]
    new_lines = lines[:a0] + region + lines[b1:]
    shift = len(region) - (b1 - a0)
    a_new = a0 + len(b_text) + 1

    def mapping(line: int) -> int | None:
        if line < a0:
            return line
        if line >= b1:
            return line + shift
        if b0 <= line < b0 + len(b_text):
            return a0 + line - b0
        if a0 <= line < a0 + len(a_text):
            return a_new + line - a0
        return None  # blank lines between the two

    return _Plant(
        new_lines,
        mapping,
        f"swapped '{lines[a0]}' (line {a0 + 1}) and '{lines[b0]}' (line {b0 + 1})",
        f"one section-order on line {a0 + 1} or {a_new + 1}",
        lambda f: f.span.line in (a0, a_new),
    )




def _trimmed(lines: list[str]) -> list[str]:
    end = len(lines)
    while end > 1 and not lines[end - 1].strip():
        end -= 1
    return lines[:end]


def _open_at(lines: Sequence[str]) -> bool:
    """Whether a code fence or an HTML comment is still open after `lines`."""
    fence: str | None = None
    in_comment = False
    for line in lines:
        if fence is not None:
            fence = None if line.strip().startswith(fence) else fence
        elif in_comment:
            in_comment = "-->" not in line
        elif "<!--" in line:
            in_comment = "-->" not in line.split("<!--", 1)[1]
        elif (opening := _FENCE.match(line)) is not None:
            fence = opening.group(1)
    return fence is not None or in_comment


def _paste(analysis: Analysis, rng: random.Random, hidden: bool, rewrap: bool) -> _Plant | None:
    """A guidance paragraph of the template pasted (blank lines around it) at the end of the
    body of the document section matched to its template section."""
    alignment, document = analysis.alignment, analysis.document
    candidates = []
    for paragraph in guidance_paragraphs(analysis.template):
        if paragraph.hidden != hidden:
            continue
        match = alignment.first(paragraph.spec)
        if match is None:
            continue
        section = match.section
        at = section.body_end_line
        while at > section.heading.last_line + 1 and not document.lines[at - 1].strip():
            at -= 1
        body = document.lines[section.heading.last_line + 1 : at]
        if _open_at(body):
            continue
        if " ".join(" ".join(paragraph.lines).split()) in " ".join(" ".join(body).split()):
            continue  # the section holds it already: a second copy is not a new finding
        candidates.append((paragraph, at))
    if not candidates:
        return None
    paragraph, at = rng.choice(candidates)
    pasted = list(paragraph.lines)
    if rewrap:
        wrapped = rewrapped(pasted)
        if wrapped is None:
            return None
        pasted = wrapped
    lines = [*document.lines[:at], "", *pasted, "", *document.lines[at:]]
    first, last = at + 1, at + len(pasted)
    size = len(pasted) + 2

    def mapping(line: int) -> int | None:
        return line if line < at else line + size

    return _Plant(
        lines,
        mapping,
        f"pasted {len(pasted)} line(s) of '{paragraph.spec.title}' guidance at line {first + 1}: "
        f"'{_clip(' '.join(pasted), 60)}'",
        f"one template-text covering lines {first + 1}-{last + 1}",
        lambda f: f.span.line <= first and f.span.end_line >= last,
    )


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# --------------------------------------------------------------------------- judged sample


def load_judged(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """Judged rows (verdict TRUE or FALSE) from JSONL files; one row per (path, line, code)."""
    rows: dict[tuple[str, int, str], dict[str, Any]] = {}
    for path in paths:
        for number, line in enumerate(read_text(path).splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: {error}") from None
            verdict = str(row.get("verdict", "")).upper()
            if verdict in ("TRUE", "FALSE"):
                rows.setdefault((row["path"], int(row["line"]), row["code"]), row)
    return list(rows.values())


# Codes about something absent: the line is only where the finding is anchored (a parent
# heading, the title, where the section would go), which the engine may change; the name it
# quotes ("Missing section 'Motivation'") is what identifies it.
ANCHORED_CODES = frozenset({"missing-section", "missing-field", "missing-title"})
_QUOTED = re.compile(r"'([^']+)'")

Reported = tuple[str, int, str]  # (code, line 1-based, message)


@dataclass(slots=True)
class Judgement:
    corpus: str
    rows: int = 0
    right: int = 0  # TRUE rows still found + FALSE rows gone
    true_found: int = 0
    false_gone: int = 0
    false_still: list[dict[str, Any]] = field(default_factory=list)
    true_lost: list[dict[str, Any]] = field(default_factory=list)
    no_document: list[dict[str, Any]] = field(default_factory=list)
    # Rows found only at another line, by the name they quote: (row, the line it is at now).
    moved: list[tuple[dict[str, Any], int]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right / self.rows if self.rows else 0.0


def judge(
    rows: Sequence[dict[str, Any]],
    corpus_root: Path,
    found: Mapping[str, Sequence[Reported]] | None = None,
) -> dict[str, Judgement]:
    """Whether each judged finding is still reported, per corpus.

    A finding is still reported when one with the same code starts on the same line (1-based)
    of the same document (its wording may have changed); for a code in `ANCHORED_CODES`, also
    when one with the same code quotes the same name anywhere. `found` maps a document path
    (as in the rows) to its findings (`reported`), for documents already analysed; others are
    analysed here with their corpus's template.
    """
    cache: dict[str, Sequence[Reported]] = dict(found or {})
    templates: dict[str, Template | None] = {}
    out: dict[str, Judgement] = {}
    for row in rows:
        path = row["path"]
        corpus = path.split("/", 1)[0]
        result = out.setdefault(corpus, Judgement(corpus))
        result.rows += 1
        known = cache.get(path)
        if known is None:
            known = _findings_of(corpus_root, path, templates)
            if known is not None:
                cache[path] = known
        if known is None:
            result.no_document.append(row)
            continue
        at = still_reported(row, known)
        still = at is not None
        if at is not None and at != int(row["line"]):
            result.moved.append((row, at))
        if row["verdict"].upper() == "TRUE":
            result.true_found += still
            if not still:
                result.true_lost.append(row)
        else:
            result.false_gone += not still
            if still:
                result.false_still.append(row)
    for result in out.values():
        result.right = result.true_found + result.false_gone
    return out


def still_reported(row: Mapping[str, Any], reported: Sequence[Reported]) -> int | None:
    """The line (1-based) where the judged finding `row` is still reported, or None.

    A finding judged false is the same finding only if it still names what it named (its
    quoted names, of which a reworded message may add more): the same code on the same line
    with another claim ("after 'X'" instead of "under 'Y'") is a new finding."""
    code, line = row["code"], int(row["line"])
    names = set(_QUOTED.findall(str(row.get("message", ""))))
    strict = str(row.get("verdict", "")).upper() == "FALSE"
    if any(
        c == code and at == line and (not strict or names <= set(_QUOTED.findall(message)))
        for c, at, message in reported
    ):
        return line
    name = _QUOTED.search(str(row.get("message", "")))
    if code in ANCHORED_CODES and name is not None:
        for c, at, message in reported:
            if c == code and f"'{name.group(1)}'" in message:
                return at
    return None


def reported(findings: Iterable[Finding]) -> list[Reported]:
    return [(f.code, f.span.line + 1, f.message) for f in findings]


def _findings_of(
    corpus_root: Path, path: str, templates: dict[str, Template | None]
) -> list[Reported] | None:
    from design_lsp.template import load_template

    document = corpus_root / path
    corpus = path.split("/", 1)[0]
    if corpus not in templates:
        folder = corpus_root / corpus
        spot = corpus_at(folder).template if folder.is_dir() else None
        templates[corpus] = load_template(spot) if spot is not None and spot.is_file() else None
    template = templates[corpus]
    if template is None or not document.is_file():
        return None
    return reported(analyze(template, parse_document(read_text(document))).findings)


# --------------------------------------------------------------------------- sample to judge


def sample_findings(
    docs: Sequence[CheckedDoc], n: int, seed: int
) -> list[tuple[CheckedDoc, Finding]]:
    """`n` findings, round-robin over codes (alphabetical), each code's findings shuffled with
    `seed`."""
    by_code: dict[str, list[tuple[CheckedDoc, Finding]]] = {}
    for doc in docs:
        for finding in doc.findings:
            by_code.setdefault(finding.code, []).append((doc, finding))
    rng = random.Random(seed)
    codes = sorted(by_code)
    for code in codes:
        rng.shuffle(by_code[code])
    out: list[tuple[CheckedDoc, Finding]] = []
    depth = 0
    while len(out) < n and any(depth < len(by_code[c]) for c in codes):
        for code in codes:
            if depth < len(by_code[code]) and len(out) < n:
                out.append(by_code[code][depth])
        depth += 1
    return out


def context_lines(text: str, line: int, around: int = 3) -> list[tuple[int, str]]:
    """(1-based line number, text) for `around` lines either side of 0-based `line`."""
    lines = split_lines(text)
    start, end = max(0, line - around), min(len(lines), line + around + 1)
    return [(index + 1, lines[index]) for index in range(start, end)]
