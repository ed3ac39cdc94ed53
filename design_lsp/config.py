"""Configuration: `.design-lsp.toml` or `[tool.design-lsp]` in pyproject.toml, then editor settings.

Validation is pydantic's; this module only finds the file, turns pydantic's error locations into
messages that name the file and the key, and merges editor settings on top.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError
from pydantic import Field as SettingField

from design_lsp.analysis.model import CODES, Severity
from design_lsp.globs import Glob, GlobError, compile_glob

if TYPE_CHECKING:
    from design_lsp.template.model import Template

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CONFIG_FILE = ".design-lsp.toml"
PYPROJECT = "pyproject.toml"
TOOL_KEY = "design-lsp"
# Editor settings section (initializationOptions, workspace/configuration).
SETTINGS_SECTION = "designLsp"
# Keys an editor client keeps under the same section for itself (VS Code's trace, server path...).
CLIENT_ONLY_KEYS = frozenset({"trace", "server"})

SeverityName = Literal["error", "warning", "information", "hint", "off"]


class ConfigError(Exception):
    """A config that cannot be used; the message names the file and the key."""


def _known_code(code: str) -> str:
    if code not in CODES:
        raise ValueError(f"unknown rule code (expected one of {', '.join(CODES)})")
    return code


def _valid_regex(pattern: str) -> str:
    from design_lsp.analysis.patterns import PatternError, compile_pattern

    try:
        compile_pattern(pattern)
    except PatternError as exc:  # matching is time-bounded too: see analysis/patterns.py
        raise ValueError(str(exc)) from None
    return pattern


def _valid_glob(glob: str) -> str:
    try:
        compile_glob(glob)
    except GlobError as exc:
        raise ValueError(str(exc)) from None
    return glob


def _few_patterns(patterns: list[str]) -> list[str]:
    from design_lsp.analysis.patterns import MAX_PATTERNS

    if len(patterns) > MAX_PATTERNS:  # each costs time on every keystroke
        raise ValueError(f"{len(patterns)} patterns, at most {MAX_PATTERNS} allowed")
    return patterns


class RuleConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    severity: SeverityName | None = None  # None: keep the rule's default


class SectionConfig(BaseModel):
    """How the team reads one template section (keyed by its title)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    aliases: list[str] = []  # other titles that count as this section ("Plan for adoption")
    optional: bool | None = None  # None: as the template says


class Settings(BaseModel):
    """The keys a user writes; paths are kept as written and resolved by `Config`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    template: str | None = None  # Markdown template, relative to the config file's directory
    # globs relative to the workspace root: always checked (see globs.py)
    include: list[Annotated[str, AfterValidator(_valid_glob)]] = []
    rules: dict[Annotated[str, AfterValidator(_known_code)], RuleConfig] = {}
    placeholders: Annotated[
        list[Annotated[str, AfterValidator(_valid_regex)]], AfterValidator(_few_patterns)
    ] = []
    sections: dict[str, SectionConfig] = {}
    # diagnostics an editor gets per document (the CLI reports all): thousands freeze some
    max_diagnostics: Annotated[int, SettingField(ge=1, alias="max-diagnostics")] = 500


@dataclass(frozen=True)
class Config:
    """Validated settings plus where they came from."""

    settings: Settings = field(default_factory=Settings)
    root: Path = field(default_factory=Path.cwd)  # workspace root: base for `include`
    source: str | None = None  # file the settings were read from (None: defaults)
    template: str | None = None  # the resolved template path (None: built-in default)
    # who named it, for messages: ".design-lsp.toml: template: 'docs/t.md'"
    template_named_by: str | None = None

    @cached_property
    def severities(self) -> dict[str, Severity | None]:
        """Per-code severity overrides for `analyze`; None turns a code off."""
        return {
            code: None if rule.severity == "off" else Severity(rule.severity)
            for code, rule in self.settings.rules.items()
            if rule.severity is not None
        }

    @cached_property
    def off(self) -> frozenset[str]:
        """Codes turned off: their findings are dropped."""
        return frozenset(code for code, severity in self.severities.items() if severity is None)

    @cached_property
    def _include_globs(self) -> list[Glob]:
        return [compile_glob(g) for g in self.settings.include]

    @cached_property
    def _configured(self) -> dict[int, tuple[Template, Template]]:
        return {}  # id(template) -> (template, the same with the sections' overrides)

    def configured(self, template: Template) -> Template:
        """`template` as the config's `sections` read it: the same object for the same
        template, so that what a server keeps per template stays valid."""
        if not self.settings.sections:
            return template
        cached = self._configured.get(id(template))
        if cached is not None and cached[0] is template:
            return cached[1]
        from design_lsp.template.overrides import (
            SectionOverride,
            UnknownSection,
            apply_overrides,
        )

        overrides = {
            name: SectionOverride(tuple(section.aliases), section.optional)
            for name, section in self.settings.sections.items()
        }
        try:
            result = apply_overrides(template, overrides)
        except UnknownSection as error:
            where = self.source or SETTINGS_SECTION
            key = f"sections.{toml_key(error.name)}"
            raise ConfigError(f"{display_path(where)}: {key}: {error}") from None
        self._configured[id(template)] = (template, result)
        return result

    def includes(self, path: str | Path) -> bool:
        """Whether `path` matches one of the `include` globs (relative to the root)."""
        if not self._include_globs:
            return False
        try:
            rel = Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:  # outside the workspace
            return False
        return any(glob.matches(rel) for glob in self._include_globs)


# ---- loading ---------------------------------------------------------------------------------


def find_config(start: str | Path) -> Path | None:
    """The config file governing `start`: nearest upward, stopping at a `.git` directory."""
    here = Path(start).resolve()
    if not here.is_dir():
        here = here.parent
    for directory in (here, *here.parents):
        dotfile = directory / CONFIG_FILE
        if dotfile.is_file():
            return dotfile  # wins over pyproject.toml in the same directory
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
        if (directory / ".git").exists():
            return None
    return None


def _workspace_root(start: Path) -> Path:
    """Nearest directory holding `.git`, else `start` itself."""
    here = start.resolve()
    if not here.is_dir():
        here = here.parent
    for directory in (here, *here.parents):
        if (directory / ".git").exists():
            return directory
    return here


def _has_tool_table(pyproject: Path) -> bool:
    # Cheap text test first so an unrelated broken pyproject.toml is never parsed.
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return TOOL_KEY in text and TOOL_KEY in _read_toml(pyproject, text).get("tool", {})


def load_config(start: str | Path) -> Config:
    """The config for files at or under `start` (defaults when no config file is found)."""
    found = find_config(start)
    if found is None:
        return Config(root=_workspace_root(Path(start)))
    return load_config_file(found)


def load_config_file(path: str | Path) -> Config:
    """Read a config file: pyproject.toml's `[tool.design-lsp]`, or another TOML's top level."""
    path = Path(path)
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{shown}: cannot read config: {_reason(exc)}") from exc
    data = _read_toml(path, text)
    prefix: tuple[str, ...] = ()
    if path.name == PYPROJECT:
        prefix = ("tool", TOOL_KEY)
        data = data.get("tool", {}).get(TOOL_KEY, {})
    settings = _validate(data, shown, prefix)
    base = path.resolve().parent
    key = _key_path((*prefix, "template"))
    return Config(
        settings=settings,
        root=base,
        source=str(path),
        template=_confined(settings.template, base, f"{shown}: {key}"),
        template_named_by=_named_by(f"{shown}: {key}", settings.template),
    )


def _confined(template: str | None, base: Path, asked_by: str) -> str | None:
    """The config's template, resolved from `base`, when it is a Markdown file inside the
    repository (or, outside any, `base`'s folder); else a ConfigError naming the file and key."""
    if not template:
        return None
    from design_lsp.template.load import TemplateError, confined_template, repository_root

    try:
        return str(confined_template(template, base, [repository_root(base)], asked_by))
    except TemplateError as error:
        raise ConfigError(str(error)) from None


def _read_toml(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # the message carries "(at line N, column M)"
        raise ConfigError(f"{display_path(path)}: invalid TOML: {exc}") from exc


def merge_settings(
    config: Config, settings: Mapping[str, Any] | None, source: str = SETTINGS_SECTION
) -> Config:
    """`config` overridden by editor settings (camelCase or snake_case keys).

    Keys present replace the file's; `rules` are merged code by code. A relative `template`
    is taken from the workspace root.
    """
    if not settings:
        return config
    if not isinstance(settings, Mapping):
        raise ConfigError(f"{source}: expected an object of settings (got {_show(settings)})")
    data = {
        _snake(k): v for k, v in settings.items() if k not in CLIENT_ONLY_KEYS and v is not None
    }
    if isinstance(data.get("rules"), Mapping):
        data["rules"] = {_kebab(k): v for k, v in data["rules"].items()}
    extra = _validate(data, source, ())
    given = extra.model_fields_set
    merged = config.settings.model_copy(
        update={
            **{k: getattr(extra, k) for k in given if k != "rules"},
            "rules": {**config.settings.rules, **extra.rules},
            "sections": {**config.settings.sections, **extra.sections},
        }
    )
    template, named_by = config.template, config.template_named_by
    if "template" in given:
        template = _confined(extra.template, config.root, f"{source}: template")
        named_by = _named_by(f"{source}: template", extra.template)
    return replace(config, settings=merged, template=template, template_named_by=named_by)


def _named_by(key: str, template: str | None) -> str | None:
    return f"{key}: {template!r}" if template else None


# ---- error messages --------------------------------------------------------------------------


def _validate(data: object, shown: str, prefix: tuple[str, ...]) -> Settings:
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        lines = [
            f"{shown}: {_key_path(prefix + tuple(e['loc']))}: {_describe(e)}" for e in exc.errors()
        ]
        raise ConfigError("\n".join(lines)) from None


def _key_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if part in ("[key]", ""):
            continue  # a dict key's own error: the key is already the last part
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{toml_key(part)}" if out else toml_key(part)
    return out or "(top level)"


def toml_key(key: object) -> str:
    """A key as TOML writes it: bare when it can be, else quoted (`sections."Prior art"`)."""
    text = str(key)
    return text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else json.dumps(text, ensure_ascii=False)


def _describe(error: Any) -> str:
    kind, got = error["type"], _show(error.get("input"))
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", error["ctx"]["expected"])
        return f"expected one of {', '.join(choices)} (got {got})"
    if kind == "extra_forbidden":
        return f"unknown key (expected one of {', '.join(_keys_at(error['loc']))})"
    if kind == "value_error":  # our validators; a key's error needs no "got": the path shows it
        return str(error["ctx"]["error"]) + ("" if error["loc"][-1] == "[key]" else f" (got {got})")
    message: str = error["msg"]
    return f"{message[:1].lower()}{message[1:]} (got {got})"


def _keys_at(loc: tuple[Any, ...]) -> list[str]:
    model: type[BaseModel] = Settings
    if len(loc) == 3 and loc[0] in ("rules", "sections"):
        model = RuleConfig if loc[0] == "rules" else SectionConfig
    return list(model.model_fields)


SHOWN_CHARS = 200  # of a value quoted in a message (a list of a hundred patterns is not shown)


def _show(value: object) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


def _snake(key: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key).lower().replace("-", "_")


def _kebab(key: str) -> str:
    return _snake(key).replace("_", "-")


def display_path(path: str | Path) -> str:
    """`path` relative to the working directory when it lies under it, else as given."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)
