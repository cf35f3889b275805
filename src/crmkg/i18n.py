"""Every user-facing sentence of the command line and the report formats, in Finnish and English.

The texts live in ``messages.toml`` beside this module (one table per message id, a ``fi`` and an
``en`` string each; counted messages have ``one``/``other`` forms), so they are edited as texts,
not code. Which language to speak is :mod:`crmkg.language`'s business, never this module's.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

#: The languages crmkg speaks, Finnish first (the ontology's primary language); here, not in
#: crmkg.language, so crmkg.errors reads messages without an import cycle (language raises errors).
LANGUAGES = ("fi", "en")
#: What a locale that is not Finnish (or no locale at all) means.
FALLBACK = "en"

#: Message id → language → text (or, for counted messages, plural form → text).
Catalogue = Mapping[str, Mapping[str, Any]]


@cache
def catalogue() -> Catalogue:
    """The packaged ``messages.toml``, flattened to dotted ids (``severity.violation``)."""
    text = (resources.files("crmkg") / "messages.toml").read_text(encoding="utf-8")
    flat: dict[str, Mapping[str, Any]] = {}

    def walk(prefix: str, table: Mapping[str, Any]) -> None:
        if set(table) >= set(LANGUAGES):
            flat[prefix] = table
            return
        for key, value in table.items():
            if isinstance(value, dict):
                walk(f"{prefix}.{key}" if prefix else key, value)

    walk("", tomllib.loads(text))
    return flat


def _language(lang: str) -> str:
    """fi for Finnish (``fi``, ``fi-FI``), else English."""
    return "fi" if lang.lower().startswith("fi") else FALLBACK


def message(key: str, lang: str, /, **values: object) -> str:
    """The message ``key`` in ``lang`` with ``values`` filled in (a ``KeyError`` for an unknown id)."""
    entry = catalogue()[key][_language(lang)]
    if not isinstance(entry, str):
        raise KeyError(f"{key} is a counted message: use counted()")
    return entry.format(**values) if values else entry


def counted(key: str, lang: str, n: int, /, **values: object) -> str:
    """The counted message ``key`` for ``n`` (``1 rikkomus``, ``2 rikkomusta``), ``{n}`` filled in."""
    forms = catalogue()[key][_language(lang)]
    if not isinstance(forms, dict):
        raise KeyError(f"{key} is not a counted message: use message()")
    text: str = forms["one"] if n == 1 else forms["other"]
    return text.format(n=_number(n, lang), **values)


def _number(n: int, lang: str) -> str:
    """Thousands grouped as each language writes them (``12 345`` / ``12,345``)."""
    grouped = f"{n:,}"
    return grouped.replace(",", "\u00a0") if _language(lang) == "fi" else grouped
