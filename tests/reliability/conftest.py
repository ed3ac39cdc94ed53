"""Fuzz budget and bookkeeping for the reliability suite.

CI runs a fixed, derandomized budget (the same examples every run, so a red build is reproducible).
`DESIGN_LSP_FUZZ_EXAMPLES=N` raises the budget for a long fuzz run and draws fresh random examples;
Hypothesis then prints the failing example and a `@reproduce_failure` blob, and pytest's header
shows the seed to pass back with `--hypothesis-seed`.
"""

from __future__ import annotations

import os
import random
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))  # lsp_client, lsp_helpers

from lsp_client import CONFIG, RecordingClient, start

LONG_RUN = int(os.environ.get("DESIGN_LSP_FUZZ_EXAMPLES", "0") or 0)
SEED = int(os.environ.get("DESIGN_LSP_FUZZ_SEED", "0") or 0) or random.randrange(1, 2**31)

_common = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": True,
}
settings.register_profile("design-lsp-ci", max_examples=150, derandomize=True, **_common)
settings.register_profile("design-lsp-long", max_examples=max(LONG_RUN, 1), **_common)
settings.load_profile("design-lsp-long" if LONG_RUN else "design-lsp-ci")

# What the properties tried, shown at the end of the run (docs/reliability.md quotes it).
STATS: Counter[str] = Counter()


if LONG_RUN:
    from hypothesis import core

    # A seed of our own, printed in the header: a failure of a long run can be replayed with
    # DESIGN_LSP_FUZZ_SEED=<seed> (or pytest's --hypothesis-seed=<seed>, which wins).
    if getattr(core, "global_force_seed", None) is None:
        core.global_force_seed = SEED
    SEED = core.global_force_seed


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not STATS:
        return
    budget = f"{LONG_RUN} examples per property, seed {SEED}" if LONG_RUN else "CI budget"
    parts = ", ".join(f"{count} {what}" for what, count in sorted(STATS.items()))
    terminalreporter.write_line(f"design-lsp fuzz ({budget}): {parts}")


@pytest_lsp.fixture(config=CONFIG, params=["visual_studio_code", "neovim"])
async def client(
    lsp_client: RecordingClient, request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[RecordingClient]:
    """A server in an empty workspace folder, initialized as VS Code (UTF-16) or Neovim."""
    root = tmp_path / "ws"
    root.mkdir()
    await start(lsp_client, request.param, root)
    yield lsp_client
    await lsp_client.shutdown_session()
