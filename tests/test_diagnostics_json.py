"""The pushed diagnostics JSON, formatted by hand for speed, says what the dict form says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from design_lsp.analysis import analyze
from design_lsp.document import parse_document
from design_lsp.features.client_profile import ClientProfile
from design_lsp.features.diagnostics import (
    diagnostic_dict,
    diagnostic_json,
    publish_body,
    report_json,
    result_id,
)
from design_lsp.features.documents.doc_state import DocState
from design_lsp.features.positions import Encoder
from design_lsp.template import load_template

FIXTURES = sorted((Path(__file__).parent / "fixtures").rglob("*.md"))
HOSTILE = (
    "# Design Document: [Feature \"quoted\" \\ name 😀]\n\n## Bakground\n\n"
    "- **Status**: Dóne \u2028 \"x\"\n\n### Goals\n\n- Goal 1 😀 [Your Name]\n\t[ünïcode]\n"
)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
@pytest.mark.parametrize("code_description", [True, False])
def test_formatted_json_equals_the_dict(encoding: str, code_description: bool) -> None:
    template = load_template(None)
    client = ClientProfile(encoding=encoding, code_description=code_description)
    texts = [p.read_text(encoding="utf-8") for p in FIXTURES] + [HOSTILE]
    checked = 0
    for text in texts:
        document = parse_document(text)
        state = DocState(
            uri="file:///d.md",
            version=1,
            text=text,
            document=document,
            encoder=Encoder(document.lines, encoding),
            analysis=analyze(template, document, extra_placeholders=["ü"]),
        )
        dicts = []
        for finding in state.findings:
            raw = diagnostic_json(state, finding, client)
            raw.decode("ascii")  # ASCII, as pygls writes messages
            dicts.append(diagnostic_dict(state, finding, client))
            assert json.loads(raw) == dicts[-1]
            checked += 1
        # The same items answer a pull and make up a push.
        report = json.loads(report_json(state, client))
        assert report == {"kind": "full", "resultId": result_id(state), "items": dicts}
        push = json.loads(publish_body(state, client))
        assert push["params"] == {"uri": state.uri, "diagnostics": dicts, "version": 1}
    assert checked > 50
