"""Property tests over template shapes that once cost minutes or matched wrongly: many sibling
sections, long whitespace runs, titles typed in another Unicode form or with zero-width
characters. Budget: see conftest.py."""

from __future__ import annotations

import time
import unicodedata

from conftest import STATS
from hostile import word
from hypothesis import given
from hypothesis import strategies as st

from design_lsp.analysis import analyze, apply_edits
from design_lsp.document import parse_document
from design_lsp.template import parse_template

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
WORDS = ["Café", "Résumé", "Naïve", "Approach", "Plan", "Über", "Façade", "Señal", "Økonomi",
         "Motivation", "Design", "Rollout", "Ångström", "Déjà", "Vu", "Crème", "Brûlée"]


@given(
    count=st.integers(min_value=1, max_value=1500),
    present=st.sets(st.integers(min_value=0, max_value=1499), max_size=40),
)
def test_many_siblings_fix_in_template_order_in_bounded_time(count: int, present: set[int]) -> None:
    titles = [f"{word(i)} {word(i * 7 + 3)}" for i in range(count)]
    template = parse_template(
        "# Title\n\n" + "".join(f"## {t}\n\nWrite about it.\n\n" for t in titles), "many.md"
    )
    kept = sorted(i for i in present if i < count)
    text = "# Title\n\n" + "".join(f"## {titles[i]}\n\nOur own words.\n\n" for i in kept)
    start = time.perf_counter()
    analysis = analyze(template, parse_document(text))
    fixed = apply_edits(text, analysis.fix_all())
    assert time.perf_counter() - start < 1.0 + count / 1000  # linear: ~0.02 s per 1,000 today
    headings = [h.title for h in parse_document(fixed).headings][1:]
    assert headings == titles  # every section once, in the template's order
    after = analyze(template, parse_document(fixed))
    assert not [f for f in after.findings if f.code in ("missing-section", "section-order")]
    STATS["sibling templates"] += 1


_RUN = st.builds(
    lambda ch, n: ch * n, st.sampled_from([" ", "\t", " \t", "\u00a0", "\u3000"]),
    st.integers(min_value=1, max_value=30_000),
)


@given(
    run=_RUN,
    where=st.sampled_from(["heading", "joined", "field", "enum", "guidance", "marker"]),
)
def test_whitespace_runs_in_a_template_cost_linear_time(run: str, where: str) -> None:
    shapes = {
        "heading": f"## Section{run}x\n\nSay.\n",
        "joined": f"## Section{run}/{run}and Other\n\nSay.\n",
        "field": f"- **Status**: a{run}b\n\n## Section\n\nSay.\n",
        "enum": f"- **Status**: [{run}draft | final{run}\n\n## Section\n\nSay.\n",
        "guidance": f"## Section\n\nThis section is{run}optional.{run}Say{run}more.\n",
        "marker": f"## Section{run}(optional{run}\n\nSay.\n",
    }
    text = "# Title\n\n" + shapes[where]
    start = time.perf_counter()
    template = parse_template(text, "spaces.md")
    analyze(template, parse_document(text))
    assert time.perf_counter() - start < 1.0 + len(text) / 50_000
    STATS["whitespace templates"] += 1


_TITLE = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)


@given(
    titles=st.lists(_TITLE, min_size=1, max_size=6, unique_by=str.casefold),
    template_form=st.sampled_from(["NFC", "NFD", "NFKC"]),
    document_form=st.sampled_from(["NFC", "NFD"]),
    invisible=st.lists(st.tuples(st.integers(0, 40), st.sampled_from(ZERO_WIDTH)), max_size=4),
)
def test_titles_match_in_any_normal_form_and_with_zero_width_characters(
    titles: list[str], template_form: str, document_form: str, invisible: list[tuple[int, str]]
) -> None:
    def form(name: str, text: str) -> str:
        return unicodedata.normalize(name, text)  # type: ignore[arg-type]

    template = parse_template(
        form(template_form, "# Spec: [Name]\n\n" + "".join(f"## {t}\n\nSay.\n\n" for t in titles)),
        "unicode.md",
    )
    written = []
    for title in titles:
        title = form(document_form, title)
        for at, ch in invisible:
            cut = min(at, len(title))
            title = title[:cut] + ch + title[cut:]
        written.append(title)
    text = "# Spec: Cache\n\n" + "".join(f"## {t}\n\nOur words.\n\n" for t in written)
    analysis = analyze(template, parse_document(text))
    wrong = [f.message for f in analysis.findings if f.code != "section-order"]
    assert wrong == []
    assert apply_edits(text, analysis.fix_all()) == text  # nothing inserted twice
    STATS["unicode titles"] += 1
