"""Every server the tests start raises on a message written off the event loop (see
design_lsp/features/event_loop.py) instead of only logging it."""

import os

os.environ["DESIGN_LSP_STRICT_THREADS"] = "1"
