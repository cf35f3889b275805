"""The project's crmkg configuration: ``crmkg.toml``, or ``[tool.crmkg]`` in ``pyproject.toml``.

Found in the working directory or the nearest folder above it, up to the root of the git work
tree (see :mod:`crmkg.validation.suppressions` for what the keys do)::

    [validate]
    paths = ["data/"]              # the data set (the pre-commit hook validates all of it)
    disable = ["S19"]
    follow-up-days = 60
    review-days = 120
    [validate.severity]
    S13b = "warning"

    [check]
    ontology = ["ontology/"]       # your ontology extensions (crmkg check --ontology)
    disable = ["QA7"]

A misspelt key or a bad value is a :class:`~crmkg.errors.UsageError` naming the file (and line).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmkg.daterange import check_window
from crmkg.errors import SourceLocation, UsageError
from crmkg.validation.report import Severity

CONFIG_FILE = "crmkg.toml"
#: The windows crmkg.toml may set (in days), as the command line names them.
WINDOW_KEYS = ("follow-up-days", "review-days", "owner-gap-days")
PYPROJECT = "pyproject.toml"
#: The keys each section may have (a misspelt key is an error, never silently ignored).
_KEYS = {
    "validate": {"paths", "disable", "severity", *WINDOW_KEYS},
    "check": {"ontology", "disable", "severity"},
}


@dataclass(frozen=True)
class SectionConfig:
    """One section (``validate`` or ``check``) of the project configuration."""

    disable: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    #: Windows in days by their option name (``follow-up-days``…), those the file sets.
    windows: Mapping[str, int] = field(default_factory=dict)
    #: ``paths`` (validate: the data set) or ``ontology`` (check: the extension modules),
    #: relative to the configuration file's folder; empty when not configured.
    files: tuple[Path, ...] = ()


@dataclass(frozen=True)
class ProjectConfig:
    """The project's crmkg configuration and where it was read from (``None``: there is none)."""

    path: Path | None = None
    sections: Mapping[str, SectionConfig] = field(default_factory=dict)

    def section(self, name: str) -> SectionConfig:
        return self.sections.get(name, SectionConfig())


def find_project_config(start: Path | None = None) -> ProjectConfig:
    """The configuration in ``start`` (default: the working directory) or the nearest folder
    above it that has one, stopping at the root of the git work tree."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_FILE
        if own.is_file():
            return read_project_config(own)
        pyproject = candidate / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return read_project_config(pyproject)
        if (candidate / ".git").exists():
            break
    return ProjectConfig()


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(
            key="error.cannot_read", location=SourceLocation(str(path)), path=path, reason=exc.strerror or exc
        ) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        match = re.search(r"at line (\d+), column (\d+)", str(exc))
        where = (
            SourceLocation(str(path), int(match.group(1)), int(match.group(2))) if match else SourceLocation(str(path))
        )
        raise UsageError(key="error.not_toml", location=where, where=where, problem=exc) from exc


def _has_tool_table(path: Path) -> bool:
    tool = _load_toml(path).get("tool")
    return isinstance(tool, dict) and "crmkg" in tool


def read_project_config(path: Path) -> ProjectConfig:
    """``crmkg.toml``, or the ``[tool.crmkg]`` table of a ``pyproject.toml``."""
    data = _load_toml(path)
    if path.name == PYPROJECT:
        tool = data.get("tool")
        data = tool.get("crmkg", {}) if isinstance(tool, dict) else {}
        prefix = "tool.crmkg."
    else:
        prefix = ""
    unknown = sorted(set(data) - set(_KEYS))
    if unknown:
        first, second = sorted(_KEYS)
        raise _error(
            key="error.config_unknown_section", path=path, section=f"{prefix}{unknown[0]}", first=first, second=second
        )
    sections = {name: _section(path, f"{prefix}{name}", name, table) for name, table in data.items()}
    return ProjectConfig(path, sections)


def _error(*, key: str, path: Path, **params: object) -> UsageError:
    return UsageError(key=key, location=SourceLocation(str(path)), path=path, **params)


def _section(path: Path, title: str, name: str, table: object) -> SectionConfig:
    if not isinstance(table, dict):
        raise _error(key="error.config_not_table", path=path, title=title)
    unknown = sorted(set(table) - _KEYS[name])
    if unknown:
        raise _error(
            key="error.config_unknown_key",
            path=path,
            title=title,
            name=unknown[0],
            expected=", ".join(sorted(_KEYS[name])),
        )
    disable = table.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(x, str) and x for x in disable):
        raise _error(key="error.config_disable", path=path, title=title)
    files_key = "paths" if name == "validate" else "ontology"
    files = table.get(files_key, [])
    if not isinstance(files, list) or not all(isinstance(x, str) and x for x in files):
        raise _error(key="error.config_files", path=path, title=title, files_key=files_key)
    severities = table.get("severity", {})
    if not isinstance(severities, dict):
        raise _error(key="error.config_severity_table", path=path, title=title)
    severity: dict[str, Severity] = {}
    for rule, level in severities.items():
        try:
            severity[rule] = Severity.from_name(str(level))
        except UsageError:
            raise _error(key="error.config_severity_value", path=path, title=title, rule=rule, level=level) from None
    windows: dict[str, int] = {}
    for key in WINDOW_KEYS:
        value = table.get(key)
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool):
            raise _error(key="error.config_window_days", path=path, title=title, name=key)
        try:
            windows[key] = check_window(value, key)
        except UsageError as exc:
            raise _error(key="error.config_window", path=path, title=title, problem=exc) from None
    return SectionConfig(frozenset(disable), severity, windows, tuple(path.parent / f for f in files))
