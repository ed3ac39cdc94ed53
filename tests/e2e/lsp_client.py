"""The pytest-lsp client the end-to-end tests drive the real server process with."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lsp_helpers import DocText, apply_workspace_edit
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

PROFILES = ["visual_studio_code", "neovim", "neovim@v0.9", "emacs"]
ROOT = Path(__file__).resolve().parents[2]


def server_command() -> list[str]:
    if importlib.util.find_spec("design_lsp.cli") is not None:
        return [sys.executable, "-m", "design_lsp"]
    return [sys.executable, "-m", "design_lsp.server"]  # until the CLI lands


class RecordingClient(LanguageClient):
    """A pytest-lsp client that also keeps every publishDiagnostics and registration."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.published: dict[str, list[types.PublishDiagnosticsParams]] = {}
        self.registrations: list[types.Registration] = []
        self.profile = ""
        self.root = Path()
        self.encoding = "utf-16"
        self.texts: dict[str, DocText] = {}

    # ---- conveniences used by the tests --------------------------------------------------

    @property
    def pulls(self) -> bool:
        caps = self.capabilities
        return bool(caps and caps.text_document and caps.text_document.diagnostic is not None)

    def uri(self, name: str) -> str:
        return (self.root / name).as_uri()

    def open(self, name: str, text: str, *, write: bool = False) -> str:
        path = self.root / name
        if write:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")
        uri = path.as_uri()
        self.texts[uri] = DocText(text, 1)
        self.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="markdown", version=1, text=text
                )
            )
        )
        return uri

    def change(self, uri: str, edits: list[tuple[types.Range, str]]) -> int:
        doc = self.texts[uri]
        doc.version += 1
        for rng, new_text in edits:
            doc.text = doc.apply(rng, new_text, self.encoding)
        self.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=doc.version),
                content_changes=[
                    types.TextDocumentContentChangePartial(range=rng, text=new_text)
                    for rng, new_text in edits
                ],
            )
        )
        return doc.version

    def replace_all(self, uri: str, text: str) -> int:
        doc = self.texts[uri]
        doc.version += 1
        doc.text = text
        self.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=doc.version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return doc.version

    def apply_edit(self, uri: str, edit: types.WorkspaceEdit) -> str:
        """Apply a WorkspaceEdit the way an editor would and sync the result to the server."""
        new = apply_workspace_edit(self.texts[uri].text, uri, edit, self.encoding)
        self.replace_all(uri, new)
        return new

    async def diagnostics_for(self, uri: str, version: int | None = None) -> list[types.Diagnostic]:
        """Pull for pull clients; otherwise wait for the push of `version` (the latest sent)."""
        if version is None:
            version = self.texts[uri].version if uri in self.texts else None
        if self.pulls:
            report = await self.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
            )
            assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
            return list(report.items)
        for _ in range(500):
            for params in reversed(self.published.get(uri, [])):
                if params.version == version:
                    return list(params.diagnostics)
            await asyncio.sleep(0.01)
        raise AssertionError(f"no diagnostics published for {uri} version {version}")


def _record_publish(client: RecordingClient, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.setdefault(params.uri, []).append(params)


def _register(client: RecordingClient, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)


def _unregister(client: RecordingClient, params: types.UnregistrationParams) -> None:
    return None


def make_client() -> RecordingClient:
    client = RecordingClient(converter_factory=default_converter)
    features: dict[str, Callable[..., Any]] = {
        **DEFAULT_CLIENT_FEATURES,
        types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _record_publish,
        types.CLIENT_REGISTER_CAPABILITY: _register,
        types.CLIENT_UNREGISTER_CAPABILITY: _unregister,
    }
    register_lsp_features(client, features)
    return client


def server_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


CONFIG = ClientServerConfig(
    server_command=server_command(), client_factory=make_client, server_env=server_env()
)


async def start(
    client: RecordingClient,
    profile: str,
    root: Path,
    *,
    capabilities: types.ClientCapabilities | None = None,
    initialization_options: Any = None,
    configuration: dict[str, Any] | None = None,
) -> types.InitializeResult:
    client.profile = profile
    client.root = root
    if configuration is not None:
        client.set_configuration(configuration, section="designLsp")
    caps = capabilities or client_capabilities(profile)
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=caps,
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
            initialization_options=initialization_options,
        )
    )
    encoding = result.capabilities.position_encoding or "utf-16"
    client.encoding = str(getattr(encoding, "value", encoding))
    return result
