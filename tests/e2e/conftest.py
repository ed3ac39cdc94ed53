"""End-to-end fixtures: the real server process driven by pytest-lsp, once per client profile.

pytest config the suite relies on (also in pyproject.toml): asyncio_mode = "auto" and
`error::pytest_lsp.LspSpecificationWarning`; both are applied here too so the suite stands alone.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsp_client import CONFIG, PROFILES, RecordingClient, start


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = str(Path(__file__).parent)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning"))
            if inspect.iscoroutinefunction(getattr(item, "obj", None)):
                item.add_marker(pytest.mark.asyncio)


@pytest_lsp.fixture(config=CONFIG, params=PROFILES)
async def client(
    lsp_client: RecordingClient, request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[RecordingClient]:
    """A server started in an empty workspace folder, initialized as `request.param`."""
    root = tmp_path / "ws"
    root.mkdir()
    await start(lsp_client, request.param, root)
    yield lsp_client
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=CONFIG)
async def raw_client(lsp_client: RecordingClient) -> AsyncIterator[RecordingClient]:
    """A started but not initialized server: the test initializes it as it needs."""
    yield lsp_client
    await lsp_client.shutdown_session()
