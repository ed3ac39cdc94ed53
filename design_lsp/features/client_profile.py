"""What the client declared at `initialize`, reduced to the questions the features ask."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lsprotocol import types

from design_lsp.features.positions import normalize_encoding


def _get(obj: Any, path: str, default: Any = None) -> Any:
    for name in path.split("."):
        obj = getattr(obj, name, None)
        if obj is None:
            return default
    return obj


@dataclass(frozen=True)
class ClientProfile:
    """What the client declared, reduced to the questions the features ask."""

    encoding: str = "utf-16"
    pull_diagnostics: bool = False
    diagnostic_refresh: bool = False
    code_description: bool = True
    snippets: bool = False
    completion_markdown: bool = False
    hover_markdown: bool = False
    hierarchical_symbols: bool = False
    document_changes: bool = False
    code_action_literals: bool = False
    work_done_progress: bool = False
    configuration: bool = False
    config_dynamic: bool = False
    watch_dynamic: bool = False
    watch_relative: bool = False
    line_folding_only: bool = False
    folding_collapsed_text: bool = False
    label_details: bool = False

    @classmethod
    def from_capabilities(cls, caps: types.ClientCapabilities, encoding: object) -> ClientProfile:
        td = caps.text_document
        ws = caps.workspace
        completion_formats = _get(td, "completion.completion_item.documentation_format", []) or []
        hover_formats = _get(td, "hover.content_format", []) or []
        return cls(
            encoding=normalize_encoding(encoding),
            pull_diagnostics=_get(td, "diagnostic") is not None,
            diagnostic_refresh=bool(_get(ws, "diagnostics.refresh_support", False)),
            code_description=bool(
                _get(td, "publish_diagnostics.code_description_support", False)
                or _get(td, "diagnostic") is not None
            ),
            snippets=bool(_get(td, "completion.completion_item.snippet_support", False)),
            completion_markdown=types.MarkupKind.Markdown in completion_formats,
            hover_markdown=types.MarkupKind.Markdown in hover_formats,
            hierarchical_symbols=bool(
                _get(td, "document_symbol.hierarchical_document_symbol_support", False)
            ),
            document_changes=bool(_get(ws, "workspace_edit.document_changes", False)),
            code_action_literals=_get(td, "code_action.code_action_literal_support") is not None,
            work_done_progress=bool(_get(caps, "window.work_done_progress", False)),
            configuration=bool(_get(ws, "configuration", False)),
            config_dynamic=bool(_get(ws, "did_change_configuration.dynamic_registration", False)),
            watch_dynamic=bool(_get(ws, "did_change_watched_files.dynamic_registration", False)),
            watch_relative=bool(
                _get(ws, "did_change_watched_files.relative_pattern_support", False)
            ),
            line_folding_only=bool(_get(td, "folding_range.line_folding_only", False)),
            folding_collapsed_text=bool(
                _get(td, "folding_range.folding_range.collapsed_text", False)
            ),
            label_details=bool(_get(td, "completion.completion_item.label_details_support", False)),
        )
