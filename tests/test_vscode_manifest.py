"""The VS Code extension's manifest: it runs in a freshly cloned (untrusted) workspace, and there
the settings that choose what to execute come from the user's own settings only."""

from __future__ import annotations

import json
from pathlib import Path

MANIFEST = Path(__file__).resolve().parents[1] / "editors" / "vscode" / "package.json"


def test_untrusted_workspaces_get_the_server_but_not_its_executable_settings() -> None:
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    untrusted = manifest["capabilities"]["untrustedWorkspaces"]
    assert untrusted["supported"] == "limited"
    settings = manifest["contributes"]["configuration"]["properties"]
    executables = {name for name in settings if name.startswith("designLsp.server.")}
    assert executables and executables <= set(untrusted["restrictedConfigurations"])
