"""The engine over 648 real RFCs (rust-lang/rfcs) against that corpus's own template.

The counts below were judged by reading a sample of each code's findings: older RFCs predate the
template's Guide-level / Reference-level / Prior art / Future possibilities sections and its
Feature Name header, so those are rightly missing (an older RFC's "## Alternatives" is the
template's "Rationale and alternatives"); placeholders are the template's own fill-in
values left in and TODO / TBD / FIXME standing for text (bracket text the template never had,
such as undefined reference links, is the author's); template text is an unanswered "Why should
we *not* do this?"; a handful of sections are empty, misspelled ("Motivations") or at the wrong
level. A de-RFC whose headings parody the template ("Demotivation") is not misspelled.

Sections under another name (renamed-section) were read one by one: most are the template's
section under an older or freer name ("Future work", "Downsides and alternatives"; "Drawbacks
and alternatives" for "Drawbacks", its alternatives half still reported missing); a few tie a
heading to a section by a word they share and are wrong ("Reference materials" is not the
reference-level explanation). "Frequently asked questions" is another kind of question than
"Unresolved questions", and the de-RFC's "Posterior art" is not prior art: those sections are
missing. Five of the renamed sit out of the template's order, which is reported as for any
section.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from design_lsp.analysis import Analysis, analyze, apply_edits
from design_lsp.document import parse_document
from design_lsp.template import Template, load_template

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "rust-rfcs"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")


@pytest.fixture(scope="module")
def template() -> Template:
    return load_template(CORPUS / "0000-template.md")


@pytest.fixture(scope="module")
def analyses(template: Template) -> dict[str, tuple[str, Analysis]]:
    out = {}
    for path in sorted((CORPUS / "text").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        out[path.name] = (text, analyze(template, parse_document(text)))
    return out


def test_every_rfc_is_checked(analyses: dict[str, tuple[str, Analysis]]) -> None:
    assert len(analyses) == 648


def test_counts_judged_right(analyses: dict[str, tuple[str, Analysis]]) -> None:
    counts = Counter(f.code for _, a in analyses.values() for f in a.findings)
    assert dict(counts) == EXPECTED_COUNTS


def lines_of(analysis: Analysis) -> list[tuple[str, int, str]]:
    return [(f.code, f.span.line + 1, f.message) for f in analysis.findings]


def test_sampled_rfcs(analyses: dict[str, tuple[str, Analysis]]) -> None:
    assert lines_of(analyses["3137-let-else.md"][1]) == [
        (
            "misspelled-section",
            192,
            "'Reference-level explanations' looks like a misspelling of 'Reference-level explanation'",
        )
    ]
    coercions = lines_of(analyses["0401-coercions.md"][1])
    assert ("heading-level", 452, "'Unresolved questions' should be a level-2 heading (##), not level 1") in coercions
    # (its "## Alternatives" is the template's "Rationale and alternatives")
    assert [c for c, _, _ in coercions].count("missing-section") == 4
    edition = lines_of(analyses["3772-build-target-edition.md"][1])
    assert ("empty-section", 186, "Section 'Prior art' is empty") in edition
    assert not any(code.startswith("missing") for code, _, _ in edition)


def test_fix_all_completes_every_rfc_and_keeps_its_text(
    template: Template, analyses: dict[str, tuple[str, Analysis]]
) -> None:
    for name, (text, analysis) in analyses.items():
        fixed = apply_edits(text, analysis.fix_all())
        after = analyze(template, parse_document(fixed))
        assert not [f for f in after.findings if f.code == "missing-section"], name
        remaining = iter(fixed.splitlines())
        assert all(line in remaining for line in text.splitlines()), name


EXPECTED_COUNTS: dict[str, int] = {
    "missing-section": 1927,
    "missing-field": 217,
    "empty-section": 39,
    "renamed-section": 32,
    "section-order": 17,
    "placeholder": 10,
    "heading-level": 9,
    "misspelled-section": 3,
    "template-text": 2,
    "duplicate-section": 1,
}
