"""design-lsp: a language server and CLI that check Markdown design documents against a template."""

# Kept here (pyproject reads it): importlib.metadata costs ~40 ms of the server's start.
__version__ = "0.1.0"
