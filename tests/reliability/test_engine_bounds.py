"""Bounds on the engine's cost for templates and configs of hostile shape: thousands of sibling
sections, long whitespace runs, deep lists, backtracking globs. Each case once took minutes; the
bounds are scaled-down cases with generous limits (a slow 2-core CI machine stays far below)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from hostile import word
from lsp_client import CONFIG, RecordingClient, server_env, start
from lsp_helpers import position_at
from lsprotocol import types

from design_lsp.analysis import analyze, apply_edits
from design_lsp.config import Config, Settings
from design_lsp.document import parse_document
from design_lsp.template import parse_template

# (Its own headings start with a vowel: no generated title shares a word with them, which would
# make one of them that section under another name.)
DOC_84 = "# Title\n\n## Other\n\nSome text here about it, written by hand.\n\n## Aside\n\nmore text!!!\n"


def sibling_titles(count: int) -> list[str]:
    return [f"{word(i)} {word(i * 7 + 3)}" for i in range(count)]


def sibling_template(count: int) -> str:
    return "# Title\n\n" + "".join(f"## {t}\n\nWrite about it.\n\n" for t in sibling_titles(count))


def _timed(seconds: float) -> float:
    return time.perf_counter() - seconds


# ---- many sibling sections ---------------------------------------------------------------------


def test_four_thousand_sibling_sections_check_a_small_document_in_linear_time() -> None:
    start = time.perf_counter()
    template = parse_template(sibling_template(4000), "many.md")
    read = _timed(start)
    start = time.perf_counter()
    analysis = analyze(template, parse_document(DOC_84))
    fixed = apply_edits(DOC_84, analysis.fix_all())
    spent = _timed(start)
    assert read < 2.0, f"reading the template took {read:.1f}s"
    assert spent < 1.0, f"analysis and fix took {spent:.1f}s (quadratic in the siblings?)"
    missing = [f for f in analysis.findings if f.code == "missing-section"]
    assert len(missing) == 4000
    # Every section is offered where the template puts it: the fixed document has them in order.
    headings = [h.title for h in parse_document(fixed).headings]
    template_order = [h for h in headings if h not in ("Title", "Other", "Aside")]
    assert template_order == sibling_titles(4000)


def test_a_missing_section_between_present_siblings_goes_between_them() -> None:
    titles = sibling_titles(3000)
    template = parse_template(sibling_template(3000), "many.md")
    text = f"# Title\n\n## {titles[10]}\n\nten\n\n## {titles[2000]}\n\ntwo thousand\n"
    start = time.perf_counter()
    analysis = analyze(template, parse_document(text))
    finding = next(
        f for f in analysis.findings if f.code == "missing-section" and titles[1500] in f.message
    )
    assert _timed(start) < 1.0
    assert finding.data["insert_line"] == 6  # after the section of titles[10], before titles[2000]
    assert finding.span.line == 2  # shown at the heading it would follow


# ---- the same through the server: each keystroke analyses, completion lists the siblings -----


@pytest_lsp.fixture(config=CONFIG)
async def many_client(lsp_client: RecordingClient, tmp_path: Path) -> AsyncIterator[RecordingClient]:
    root = tmp_path / "ws"
    root.mkdir()
    (root / "many.md").write_text(sibling_template(4000), encoding="utf-8")
    config = 'template = "many.md"\ninclude = ["doc.md"]\n'
    (root / ".design-lsp.toml").write_text(config, encoding="utf-8")
    await start(lsp_client, "visual_studio_code", root)
    yield lsp_client
    await lsp_client.shutdown_session()


async def test_typing_and_completion_with_four_thousand_siblings_stay_fast(
    many_client: RecordingClient,
) -> None:
    client = many_client
    uri = client.open("doc.md", DOC_84)
    assert await client.diagnostics_for(uri)  # first analysis (template read included)
    spent = []
    for _ in range(3):  # typing "## " on a new line, then asking for completion
        start = time.perf_counter()
        end = position_at(client.texts[uri].text, 9, 0, client.encoding)
        version = client.change(uri, [(types.Range(start=end, end=end), "\n## ")])
        await client.diagnostics_for(uri, version)
        line = len(client.texts[uri].text.split("\n")) - 1
        result = await client.text_document_completion_async(
            types.CompletionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=position_at(client.texts[uri].text, line, 3, client.encoding),
            )
        )
        spent.append(_timed(start))
        print(f"keystroke + completion: {spent[-1]:.2f}s")
        assert isinstance(result, types.CompletionList)
        assert len(result.items) == 4000
    assert max(spent) < 3.0, f"keystroke + completion took {max(spent):.1f}s"


# ---- whitespace runs, deep lists, globs, placeholder patterns ----------------------------------

SPACES = " " * 100_000


@pytest.mark.parametrize(
    "where",
    [
        f"## Section{SPACES}x\n\nSay it.\n",  # a heading
        f"## Section{SPACES}/ Other\n\nSay it.\n",  # a heading joining two names
        f"- **Status**: [{SPACES}x\n\n## Section\n\nSay it.\n",  # a field value
    ],
    ids=["heading", "joined-heading", "field"],
)
def test_a_run_of_100k_spaces_in_a_template_costs_linear_time(where: str) -> None:
    text = "# Title\n\n" + where
    start = time.perf_counter()
    template = parse_template(text, "spaces.md")
    analyze(template, parse_document(text))  # the same text as a document, too
    spent = _timed(start)
    assert spent < 1.0, f"took {spent:.1f}s"


def test_a_nested_list_of_guidance_1000_deep_costs_linear_time() -> None:
    items = "".join("  " * depth + "- Item (optional) words here\n" for depth in range(1000))
    text = "# Title\n\n## Section\n\n" + items
    start = time.perf_counter()
    template = parse_template(text, "deep.md")
    analysis = analyze(template, parse_document(text))
    spent = _timed(start)
    assert spent < 2.0, f"took {spent:.1f}s"
    # Left as the template has it: the whole list is one finding of guidance left in.
    assert [f.code for f in analysis.findings].count("template-text") == 1


def test_a_backtracking_glob_matches_a_long_name_in_linear_time(tmp_path: Path) -> None:
    globs = ["*a*a*a*a*a*a*a*a*b.md", "**/*a*a*a*a*a*b/**"]
    config = Config(settings=Settings(include=globs), root=tmp_path)
    start = time.perf_counter()
    assert not config.includes(tmp_path / ("a" * 200 + ".md"))
    assert config.includes(tmp_path / ("a" * 200 + "b.md"))
    assert not config.includes(tmp_path / ("a/" * 100 + "a" * 100))
    spent = _timed(start)
    assert spent < 1.0, f"took {spent:.1f}s"


def test_forty_slow_placeholder_patterns_share_one_budget() -> None:
    template = parse_template("# Title\n\n## Section\n\nSay it.\n", "t.md")
    document = parse_document("# Title\n\n## Section\n\n" + "a" * 40 + "b\n")
    patterns = [f"(?:(a|aa)+$)|z{{{i}}}q" for i in range(1, 41)]  # each backtracks on 'aaa…b'
    start = time.perf_counter()
    analyze(template, document, extra_placeholders=patterns)
    spent = _timed(start)
    assert spent < 3.0, f"took {spent:.1f}s"  # one analysis; once 0.25 s per pattern: 10 s


def test_an_invalid_glob_is_reported_by_check_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".design-lsp.toml").write_text('include = ["[z-a].md"]\n', encoding="utf-8")
    (tmp_path / "doc.md").write_text(DOC_84, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "design_lsp", "check", "doc.md"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env=server_env(),
    )
    assert done.returncode == 2
    assert ".design-lsp.toml: include[0]: bad character range z-a" in done.stderr
    assert "Traceback" not in done.stderr
