"""The docs: one page per finding code whose examples really behave as they say, config
examples that load, and relative links that lead somewhere.

A page `docs/rules/<code>.md` has a `## Examples` section holding a bad and a good Markdown
example (in that order), optionally a TOML block (the `.design-lsp.toml` both are checked with)
and a text block with the messages the bad example gets (`...` where they vary). Codes a config can set (`CODES`) are
checked as `design-lsp check FILE` checks a named file; the notes only an editor gets (a
document not checked, too many findings, ...) through the language server's document store.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from design_lsp.analysis import CODES
from design_lsp.analysis.codes import REGISTRY

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
RULES = DOCS / "rules"
INDEX = "README.md"  # docs/rules/README.md lists the pages; it is not a code's page

# Pages without examples, and why: an example could not be shown on a page.
NO_EXAMPLE = {
    "document-too-large": "it takes a document over 32 MiB",
    "config-error": "it takes a broken config, and every config block in the docs must load",
}

_FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)


def made_codes() -> set[str]:
    """The codes of the findings made outside the rules, as `Finding("<code>", ...)` or as
    the editor's notes, `note("<code>", ...)` (features/notes.py)."""
    made = set()
    for path in (REPO / "design_lsp").rglob("*.py"):
        made |= set(re.findall(r'\b(?:Finding|note)\(\s*"([a-z][a-z-]*)"', path.read_text("utf-8")))
    return made


def emitted_codes() -> set[str]:
    """Every code a finding can carry: the registry's, the notes included."""
    return set(REGISTRY)


def rule_pages() -> dict[str, Path]:
    return {p.stem: p for p in sorted(RULES.glob("*.md")) if p.name != INDEX}


def test_every_code_has_a_page_and_every_page_is_a_code() -> None:
    codes = emitted_codes()
    made = made_codes()
    # (the scan must see the notes made outside the analysis, or it proves nothing)
    assert {"not-checked", "template-error", "too-many-findings", "document-too-large"} <= made
    assert sorted(made - codes) == [], "codes made without an entry in analysis/codes.py"
    pages = rule_pages()
    assert sorted(codes - set(pages)) == [], "codes without a page in docs/rules/"
    assert sorted(set(pages) - codes) == [], "pages in docs/rules/ for codes nothing emits"
    for code, page in pages.items():
        assert page.read_text("utf-8").startswith(f"# {code}\n"), page


def test_the_readme_leads_to_the_rule_pages() -> None:
    """From the README's findings table to every page: the table links pages (the link test
    checks they exist) and the folder, which holds a page for every code (the test above). So a
    new code needs only its page."""
    readme = (REPO / "README.md").read_text("utf-8")
    findings = _section(readme, "Findings")
    assert findings is not None
    assert "](docs/rules/README.md)" in findings
    assert len(re.findall(r"\]\(docs/rules/[a-z-]+\.md\)", findings)) >= len(CODES)


def _section(text: str, title: str) -> str | None:
    """The text under `## title`, up to the next level-2 heading outside a code block."""
    lines: list[str] | None = None
    fenced = False
    for line in text.splitlines(keepends=True):
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("## "):
            if lines is not None:
                break
            if line.strip() == f"## {title}":
                lines = []
                continue
        if lines is not None:
            lines.append(line)
    return None if lines is None else "".join(lines)


def _examples(page: Path) -> tuple[str | None, str, str, list[str]]:
    """The page's example config (or None), bad and good examples, and the messages shown."""
    section = _section(page.read_text("utf-8"), "Examples")
    assert section is not None, f"{page.name}: no '## Examples' section"
    blocks = _FENCE.findall(section)
    markdown = [body for lang, body in blocks if lang == "markdown"]
    toml = [body for lang, body in blocks if lang == "toml"]
    shown = [body for lang, body in blocks if lang == "text"]
    assert len(markdown) == 2 and len(toml) <= 1 and len(shown) == 1, page.name
    return (toml[0] if toml else None), markdown[0], markdown[1], shown[0].splitlines()


def _workspace(base: Path, name: str, toml: str | None, text: str) -> Path:
    root = base / name
    (root / ".git").mkdir(parents=True)
    if toml is not None:
        (root / ".design-lsp.toml").write_text(toml, encoding="utf-8")
    doc = root / "doc.md"
    doc.write_text(text, encoding="utf-8")
    return doc


def _by_check(
    doc: Path, code: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> set[str]:
    """What `design-lsp check --format json doc.md` reports under `code`."""
    from design_lsp.cli import main

    monkeypatch.chdir(doc.parent)
    capsys.readouterr()
    status = main(["check", "--format", "json", doc.name])
    out = capsys.readouterr()
    assert status in (0, 1), out.err
    files = json.loads(out.out)["files"]
    return {f["message"] for entry in files for f in entry["findings"] if f["code"] == code}


def _by_editor(doc: Path, code: str) -> set[str]:
    """What the language server shows for `doc`, open in an editor, under `code`."""
    from design_lsp.features.documents.document_store import DocumentStore
    from design_lsp.features.settings import SettingsManager
    from design_lsp.features.uris import path_to_uri

    problems: list[str] = []
    settings = SettingsManager(notify=problems.append)
    settings.set_folders([str(doc.parent)])
    settings.reload()
    assert problems == []
    state = DocumentStore(settings).build(
        path_to_uri(str(doc)), doc.read_text("utf-8"), 1, ("docs",)
    )
    return {f.message for f in state.findings if f.code == code}


@pytest.mark.parametrize("code", sorted(set(rule_pages()) - set(NO_EXAMPLE)))
def test_a_rule_pages_bad_example_is_reported_and_its_good_example_is_not(
    code: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    toml, bad, good, shown = _examples(rule_pages()[code])

    def messages(name: str, text: str) -> set[str]:
        doc = _workspace(tmp_path, name, toml, text)
        if code in CODES:
            return _by_check(doc, code, capsys, monkeypatch)
        return _by_editor(doc, code)

    reported, kept = messages("bad", bad), messages("good", good)
    # (an example is part of a document: what the rest of it lacks is reported in both)
    assert reported - kept, f"{code}: the bad example is not reported"
    assert kept <= reported, f"{code}: the good example is reported: {kept - reported}"
    for line in shown:  # ("..." stands for what varies: a path, a count)
        pattern = ".*".join(map(re.escape, line.split("...")))
        assert any(re.fullmatch(pattern, m) for m in reported - kept), f"{code}: {line}"


def test_pages_without_an_example_say_why() -> None:
    for code in NO_EXAMPLE:
        assert _section(rule_pages()[code].read_text("utf-8"), "Examples") is None


def _markdown_files() -> list[Path]:
    return [REPO / "README.md", *sorted(DOCS.rglob("*.md"))]


def test_every_config_example_in_the_docs_loads(tmp_path: Path) -> None:
    """A TOML block in the README or the docs is a `.design-lsp.toml` a reader may copy."""
    from design_lsp.config import load_config_file

    blocks = [
        (path, body)
        for path in _markdown_files()
        for lang, body in _FENCE.findall(path.read_text("utf-8"))
        if lang == "toml"
    ]
    assert len(blocks) > len(rule_pages())  # each page's configuration, and the README's
    for n, (path, body) in enumerate(blocks):
        # (a block that points at a template file gets one to point at)
        folder = tmp_path / str(n)
        (folder / ".git").mkdir(parents=True)
        for template in re.findall(r'^template = "(.+)"$', body, re.M):
            (folder / template).parent.mkdir(parents=True, exist_ok=True)
            (folder / template).write_text("# T\n\n## A\n", encoding="utf-8")
        config = folder / ".design-lsp.toml"
        config.write_text(body, encoding="utf-8")
        try:
            load_config_file(config)
        except Exception as error:  # noqa: BLE001 - name the page
            pytest.fail(f"{path.relative_to(REPO)}: {error}\n{body}")


_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def _anchors(path: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    text = _FENCE.sub("", path.read_text("utf-8"))
    found = set()
    for title in re.findall(r"^#{1,6} +(.+?) *#*$", text, re.M):
        slug = re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")
        found.add(slug)
    return found


def test_every_relative_link_in_the_readme_and_docs_resolves() -> None:
    checked = 0
    for path in _markdown_files():
        text = _FENCE.sub("", path.read_text("utf-8"))
        text = re.sub(r"`[^`\n]*`", "", text)  # code spans are not links
        for target in _LINK.findall(text):
            if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
                continue
            file, _, anchor = target.partition("#")
            resolved = (path.parent / file).resolve() if file else path
            where = f"{path.relative_to(REPO)}: {target}"
            assert resolved.exists(), f"{where}: no such file"
            assert resolved.is_relative_to(REPO), f"{where}: outside the repository"
            if anchor and resolved.suffix == ".md":
                assert anchor in _anchors(resolved), f"{where}: no such heading"
            checked += 1
    assert checked > len(rule_pages())
