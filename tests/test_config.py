"""Config files and editor settings: valid input loads, every kind of mistake names file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from design_lsp.analysis.model import CODES, Severity
from design_lsp.config import (
    Config,
    ConfigError,
    find_config,
    load_config,
    load_config_file,
    merge_settings,
)
from design_lsp.globs import compile_glob

VALID = """\
template = "templates/design.md"
include = ["docs/design/**/*.md"]
placeholders = ["TBD", "\\\\bTODO\\\\b"]

[rules.missing-section]
severity = "error"

[rules.empty-section]
severity = "off"
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # messages show config paths relative to the working directory


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config_file(path)
    return str(caught.value)


def test_valid_dotfile(tmp_path: Path) -> None:
    config = load_config_file(write(tmp_path / ".design-lsp.toml", VALID))
    assert config.template == str(tmp_path / "templates" / "design.md")
    assert config.root == tmp_path
    assert config.settings.placeholders == ["TBD", "\\bTODO\\b"]
    assert config.severities == {"missing-section": Severity.ERROR, "empty-section": None}
    assert config.off == frozenset({"empty-section"})


def test_valid_pyproject_table(tmp_path: Path) -> None:
    text = '[project]\nname = "x"\n\n[tool.design-lsp]\ninclude = ["*.md"]\n'
    config = load_config_file(write(tmp_path / "pyproject.toml", text))
    assert config.settings.include == ["*.md"]
    assert config.template is None


def test_defaults_without_any_file(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    config = load_config(tmp_path / "docs")
    assert config.source is None
    assert config.root == tmp_path
    assert config.severities == {}


def test_dotfile_wins_over_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.design-lsp]\ninclude = ["a"]\n')
    write(tmp_path / ".design-lsp.toml", 'include = ["b"]\n')
    assert load_config(tmp_path).settings.include == ["b"]


def test_search_goes_upward_and_stops_at_git(tmp_path: Path) -> None:
    write(tmp_path / ".design-lsp.toml", 'include = ["outer"]\n')
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "docs" / "deep").mkdir(parents=True)
    assert find_config(repo / "docs" / "deep") is None  # the outer file is beyond the repo
    write(repo / "pyproject.toml", '[tool.design-lsp]\ninclude = ["inner"]\n')
    assert find_config(repo / "docs" / "deep" / "x.md") == repo / "pyproject.toml"


def test_pyproject_without_our_table_is_passed_over(tmp_path: Path) -> None:
    write(tmp_path / ".design-lsp.toml", 'include = ["outer"]\n')
    write(tmp_path / "sub" / "pyproject.toml", "[project\nbroken = \n")  # not ours: not parsed
    assert find_config(tmp_path / "sub") == tmp_path / ".design-lsp.toml"


def test_unknown_key_names_file_and_key(tmp_path: Path) -> None:
    message = error_of(write(tmp_path / ".design-lsp.toml", 'templates = "x.md"\n'))
    assert message.startswith(".design-lsp.toml: templates: unknown key")
    assert "template, include, rules, placeholders" in message


def test_unknown_nested_key(tmp_path: Path) -> None:
    text = '[rules.placeholder]\nlevel = "error"\n'
    message = error_of(write(tmp_path / ".design-lsp.toml", text))
    assert ".design-lsp.toml: rules.placeholder.level: unknown key (expected one of severity)" in (
        message
    )


def test_bad_severity(tmp_path: Path) -> None:
    text = '[rules.missing-section]\nseverity = "fatal"\n'
    message = error_of(write(tmp_path / ".design-lsp.toml", text))
    assert message.endswith(
        ".design-lsp.toml: rules.missing-section.severity: "
        'expected one of error, warning, information, hint, off (got "fatal")'
    )


def test_unknown_rule_code(tmp_path: Path) -> None:
    text = '[rules.missing-chapter]\nseverity = "error"\n'
    message = error_of(write(tmp_path / ".design-lsp.toml", text))
    assert ".design-lsp.toml: rules.missing-chapter: unknown rule code" in message
    assert "missing-section" in message  # lists the valid codes


def test_bad_regex_names_the_entry(tmp_path: Path) -> None:
    text = 'placeholders = ["TBD", "(unclosed"]\n'
    message = error_of(write(tmp_path / ".design-lsp.toml", text))
    assert ".design-lsp.toml: placeholders[1]: invalid regular expression" in message
    assert '"(unclosed"' in message


def test_wrong_type(tmp_path: Path) -> None:
    message = error_of(write(tmp_path / ".design-lsp.toml", 'include = "docs/*.md"\n'))
    assert ".design-lsp.toml: include: " in message
    assert "list" in message


def test_max_diagnostics_is_a_positive_number(tmp_path: Path) -> None:
    (tmp_path / ".design-lsp.toml").write_text("max-diagnostics = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\.design-lsp\.toml: max-diagnostics: "):
        load_config(tmp_path)
    (tmp_path / ".design-lsp.toml").write_text("max-diagnostics = 20\n", encoding="utf-8")
    assert load_config(tmp_path).settings.max_diagnostics == 20


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    text = 'include = ["a"]\n\n[rules\nseverity = "x"\n'
    message = error_of(write(tmp_path / ".design-lsp.toml", text))
    assert message.startswith(".design-lsp.toml: invalid TOML")
    assert "line 3" in message


def test_pyproject_errors_name_the_table(tmp_path: Path) -> None:
    text = '[tool.design-lsp.rules.placeholder]\nseverity = "loud"\n'
    message = error_of(write(tmp_path / "pyproject.toml", text))
    assert "pyproject.toml: tool.design-lsp.rules.placeholder.severity: expected one of" in message


def test_every_error_is_reported(tmp_path: Path) -> None:
    text = 'foo = 1\nplaceholders = ["["]\n'
    message = error_of(write(tmp_path / ".design-lsp.toml", text))
    assert len(message.splitlines()) == 2


def test_every_code_is_configurable(tmp_path: Path) -> None:
    text = "".join(f'[rules.{code}]\nseverity = "hint"\n' for code in CODES)
    config = load_config_file(write(tmp_path / ".design-lsp.toml", text))
    assert set(config.severities) == set(CODES)


def test_merge_editor_settings_camel_and_snake(tmp_path: Path) -> None:
    base = load_config_file(write(tmp_path / ".design-lsp.toml", VALID))
    merged = merge_settings(
        base,
        {
            "template": "other.md",
            "rules": {"missingSection": {"severity": "hint"}, "template_text": {"severity": "off"}},
            "trace": {"server": "verbose"},  # the client's own key
        },
    )
    assert merged.template == str(tmp_path / "other.md")
    assert merged.severities == {
        "missing-section": Severity.HINT,
        "empty-section": None,
        "template-text": None,
    }
    assert merged.settings.include == base.settings.include  # untouched keys stay
    assert merge_settings(base, None) is base


def test_merge_errors_name_the_settings_section(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^designLsp: rules\.placeholder\.severity: expected"):
        merge_settings(Config(root=tmp_path), {"rules": {"placeholder": {"severity": 3}}})
    with pytest.raises(ConfigError, match=r"^designLsp: expected an object"):
        merge_settings(Config(root=tmp_path), ["x"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("glob", "path", "hit"),
    [
        ("docs/design/**/*.md", "docs/design/a.md", True),
        ("docs/design/**/*.md", "docs/design/x/y/a.md", True),
        ("docs/design/**/*.md", "docs/other/a.md", False),
        ("*.md", "a.md", True),
        ("*.md", "sub/a.md", False),
        ("**/*.md", "sub/a.md", True),
        ("rfc-[0-9]*.md", "rfc-7.md", True),
        ("rfc-[!0-9]*.md", "rfc-7.md", False),
        ("a?.md", "ab.md", True),
    ],
)
def test_globs(glob: str, path: str, hit: bool) -> None:
    assert compile_glob(glob).matches(path) is hit


@pytest.mark.parametrize(
    ("glob", "path", "hit"),
    [
        ("**/a.md", "a.md", True),  # `**/` may span no directory at all
        ("**/a.md", "x/y/a.md", True),
        ("**/a.md", "xa.md", False),
        ("docs/**", "docs/a/b.md", True),
        ("[!a]x.md", "/x.md", False),  # a class, like `*` and `?`, stays within a directory
        ("./*.md", "a.md", True),
        ("[]]x", "]x", True),
        ("[", "[", True),  # an unclosed bracket is itself
    ],
)
def test_glob_edges(glob: str, path: str, hit: bool) -> None:
    assert compile_glob(glob).matches(path) is hit


@pytest.mark.parametrize("bad", ["[z-a].md", "docs/[9-0]*.md"])
def test_invalid_glob_is_a_config_error_naming_file_and_key(tmp_path: Path, bad: str) -> None:
    path = write(tmp_path / ".design-lsp.toml", f'include = ["*.md", "{bad}"]\n')
    with pytest.raises(ConfigError, match=r"^\.design-lsp\.toml: include\[1\]: bad character range"):
        load_config_file(path)
    with pytest.raises(ConfigError, match=r"^designLsp: include\[0\]: bad character range"):
        merge_settings(Config(root=tmp_path), {"include": [bad]})


def test_too_many_placeholder_patterns_is_a_config_error(tmp_path: Path) -> None:
    patterns = ", ".join(f'"TBD{i}"' for i in range(65))
    path = write(tmp_path / ".design-lsp.toml", f"placeholders = [{patterns}]\n")
    with pytest.raises(ConfigError) as caught:
        load_config_file(path)
    message = str(caught.value)
    assert message.startswith(".design-lsp.toml: placeholders: 65 patterns, at most 64 allowed")
    assert len(message) < 400  # the list is not repeated in full
    write(tmp_path / ".design-lsp.toml", f"placeholders = [{patterns.rsplit(',', 1)[0]}]\n")
    assert len(load_config_file(path).settings.placeholders) == 64


def test_includes_is_relative_to_root(tmp_path: Path) -> None:
    config = load_config_file(write(tmp_path / ".design-lsp.toml", VALID))
    assert config.includes(tmp_path / "docs" / "design" / "a.md")
    assert not config.includes(tmp_path / "README.md")
    assert not config.includes("/elsewhere/docs/design/a.md")
