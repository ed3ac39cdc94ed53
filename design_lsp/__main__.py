"""`python -m design_lsp`: the same entry point as the `design-lsp` script."""

from __future__ import annotations

import sys

from design_lsp.cli import main

if __name__ == "__main__":
    sys.exit(main())
