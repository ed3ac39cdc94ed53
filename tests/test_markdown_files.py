"""One definition of a Markdown file (design_lsp/files.py): the files `check` finds in a
directory, the workspace index and the templates a config or front matter may name agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from design_lsp.features.workspace_symbols import is_markdown as indexed
from design_lsp.files import Walk, is_markdown
from design_lsp.template.load import TemplateError, confined_template

NAMES = ["a.md", "b.markdown", "C.MD", "d.Markdown", "e.txt", "f.mdx", "g.md.bak", "mdfile"]


def test_check_finds_every_markdown_file_in_a_directory(tmp_path: Path) -> None:
    for name in NAMES:
        (tmp_path / name).write_text("# x\n", encoding="utf-8")
    found = sorted(Path(path).name for path in Walk(str(tmp_path)).files())
    assert found == ["C.MD", "a.md", "b.markdown", "d.Markdown"]


def test_the_workspace_index_and_check_agree() -> None:
    assert [name for name in NAMES if indexed(name)] == [n for n in NAMES if is_markdown(n)]


@pytest.mark.parametrize("name", ["t.md", "t.markdown"])
def test_a_template_is_any_markdown_file(tmp_path: Path, name: str) -> None:
    assert confined_template(name, tmp_path, [tmp_path], "config: template").name == name


def test_a_template_that_is_not_markdown_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r"not a Markdown file \(expected \.markdown, \.md\)"):
        confined_template("t.txt", tmp_path, [tmp_path], "config: template")
