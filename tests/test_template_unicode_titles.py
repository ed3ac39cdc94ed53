"""Titles, field names and field values match however their letters were typed: composed (NFC)
or decomposed (NFD, as macOS file names and some input methods give them), with or without
zero-width characters pasted in."""

from __future__ import annotations

import unicodedata

import pytest

from design_lsp.analysis import analyze, apply_edits
from design_lsp.document import parse_document
from design_lsp.template import Template, parse_template
from design_lsp.template.normalize import field_key, title_key

TEMPLATE = """\
# Design Document: [Name]

- **Statut**: Brouillon | Accepté
- **Rédacteur**: [Nom]

## Café Résumé

Say what it is.

## Naïve Approach

What was tried first.

## Motivation

Why.
"""

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def document(form: str = "NFC", invisible: str = "") -> str:
    text = f"""\
# Design Document: Caching

- **Statut**: Accepté
- **Rédacteur**: Ana

## Café Résumé

It caches.

## Naïve Approach

A dict.

## Moti{invisible}vation

Speed.
"""
    return unicodedata.normalize(form, text)  # type: ignore[arg-type]


@pytest.fixture(scope="module", params=["NFC", "NFD"])
def template(request: pytest.FixtureRequest) -> Template:
    return parse_template(unicodedata.normalize(request.param, TEMPLATE), "unicode.md")


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize("invisible", ["", *ZERO_WIDTH])
def test_a_complete_document_is_clean_in_either_form(
    template: Template, form: str, invisible: str
) -> None:
    text = document(form, invisible)
    analysis = analyze(template, parse_document(text))
    assert [(f.code, f.message) for f in analysis.findings] == []
    assert apply_edits(text, analysis.fix_all()) == text  # --fix inserts no look-alike section


def test_no_finding_calls_a_title_a_misspelling_of_itself(template: Template) -> None:
    text = nfd("# Design Document: X\n\n## Naï\u200bve Approach\n\n## Cafe\u0301 Re\u0301sume\u0301\n")
    findings = analyze(template, parse_document(text)).findings
    assert not [f for f in findings if f.code == "misspelled-section"]
    missing = [nfc(f.message) for f in findings if f.code == "missing-section"]
    assert missing == ["Missing section 'Motivation'"]


def test_a_real_misspelling_in_nfd_is_still_one() -> None:
    template = parse_template(TEMPLATE, "unicode.md")
    text = nfd(document().replace("Naïve Approach", "Naïve Aproach"))
    findings = analyze(template, parse_document(text)).findings
    assert [(f.code, f.span.line) for f in findings] == [("misspelled-section", 9)]


def test_keys_ignore_composition_and_zero_width_characters() -> None:
    assert title_key(nfd("Café Résumé")) == title_key("Café Résumé")
    assert title_key("Ca\u200bfé\ufeff") == title_key("Café")
    assert field_key(nfd("Rédacteur")) == field_key("Rédacteur")
    assert title_key("Café") != title_key("Cafe")  # accents still count


def test_typographic_forms_are_their_ascii_titles() -> None:
    # an editor's autocorrect turns "->" into an arrow and quotes into curly ones
    assert title_key("Dev Preview \u2192 Tech Preview") == title_key("Dev Preview -> Tech Preview")
    assert title_key("Author\u2019s notes") == title_key("Author's notes")
    assert title_key("Tech Preview \u2192 GA") != title_key("Tech Preview GA")  # the arrow counts
    template = parse_template("# Plan: [Name]\n\n## Dev Preview -> Tech Preview\n\nSay when.\n", "t.md")
    text = "# Plan: Mirrors\n\n## Dev Preview \u2192 Tech Preview\n\nIn 4.12.\n"
    assert analyze(template, parse_document(text)).findings == []
