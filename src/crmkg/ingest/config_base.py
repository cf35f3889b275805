"""What every importer's settings share: term names, picklist tables, reading options, TOML parsing.

Values in a config file name akj terms by local name (``LeadRole``), CURIE (``akj:LeadRole``,
``org:…``) or full IRI; ``none`` drops the row. A table only needs the entries it changes: it is
merged over the defaults entry by entry, picklist values compared case-insensitively. An unknown
key is an error (it is probably a typo).
"""

from __future__ import annotations

import codecs
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from crmkg.errors import UsageError
from crmkg.ingest.values import DateFormat, parse_date_format

AKJ = "https://w3id.org/crmkg/akj#"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"
_CURIES = {
    "akj": AKJ,
    "org": ORG,
    "foaf": FOAF,
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
}
DEFAULT_PROVIDER = "https://example.org/salesforce/provider"


@dataclass(frozen=True)
class Provider:
    """The importing organisation: the provider side of every generated relationship."""

    iri: str = DEFAULT_PROVIDER
    name: str | None = None


@dataclass(frozen=True)
class PicklistMap:
    """A vendor picklist value → IRI table with a default for values it does not name."""

    table: Mapping[str, str | None]
    default: str | None

    def lookup(self, value: str) -> tuple[str | None, bool]:
        """``(iri or None to drop, whether the table named the value)``."""
        key = value.strip().casefold()
        if key in self.table:
            return self.table[key], True
        return self.default, False


def picklist(entries: Mapping[str, str | None], default: str | None) -> PicklistMap:
    return PicklistMap(MappingProxyType({k.casefold(): v for k, v in entries.items()}), default)


@dataclass(frozen=True)
class ReadOptions:
    """How to read an export's files when they do not say it themselves."""

    encoding: str | None = None  # declared encoding for files that are not UTF-8
    delimiter: str | None = None  # CSV separator; None: detected from the header
    date_format: DateFormat = field(default_factory=DateFormat)


def resolve_term(value: str, where: str) -> str | None:
    """Expand ``LeadRole`` / ``akj:LeadRole`` / a full IRI; ``none`` → None."""
    text = value.strip()
    if text.casefold() == "none":
        return None
    if "://" in text:
        return text
    prefix, sep, local = text.partition(":")
    if sep:
        if prefix not in _CURIES:
            raise UsageError(key="error.ingest_prefix", where=where, prefix=prefix, value=value)
        return _CURIES[prefix] + local
    if not text or not text.replace("_", "").replace("-", "").isalnum():
        raise UsageError(key="error.ingest_term", where=where, value=value)
    return AKJ + text


def check_encoding(name: str | None, where: str) -> str | None:
    """``name`` if Python knows the encoding (``cp1252``, ``latin-1``, ``utf-16``…), else a usage error."""
    if not name:
        return None
    try:
        codecs.lookup(name)
    except LookupError:
        raise UsageError(key="error.ingest_encoding", where=where, name=name) from None
    return name


_DELIMITERS = {",": ",", ";": ";", "\t": "\t", "tab": "\t", "\\t": "\t", "|": "|", "comma": ",", "semicolon": ";"}


def parse_delimiter(value: str | None, where: str) -> str | None:
    if value is None or value == "":
        return None
    if value not in _DELIMITERS:
        raise UsageError(key="error.ingest_delimiter", where=where, value=value)
    return _DELIMITERS[value]


class Section:
    """One table of the config file, read with typed accessors that name the place on errors."""

    def __init__(self, data: Mapping[str, Any], where: str, relative_to: Path) -> None:
        self.data, self.where, self.relative_to = data, where, relative_to

    @classmethod
    def of(cls, parent: Section, key: str) -> Section | None:
        if key not in parent.data:
            return None
        value = parent.data[key]
        if not isinstance(value, dict):
            raise UsageError(key="error.ingest_table", where=parent.where, name=key)
        inner = f"{parent.where} [{key}]" if "[" not in parent.where else f"{parent.where[:-1]}.{key}]"
        return cls(value, inner, parent.relative_to)

    def check_keys(self, known: set[str]) -> None:
        unknown = sorted(set(self.data) - known)
        if unknown:
            raise UsageError(
                key="error.ingest_unknown_keys",
                where=self.where,
                names=", ".join(unknown),
                known=", ".join(sorted(known)),
            )

    def string(self, key: str, default: str) -> str:
        value = self.data.get(key, default)
        if not isinstance(value, str):
            raise UsageError(key="error.ingest_string", where=self.where, name=key)
        return value

    def choice(self, key: str, choices: Sequence[str], default: str) -> str:
        value = self.string(key, default)
        if value not in choices:
            raise UsageError(
                key="error.ingest_choice", where=self.where, name=key, choices=", ".join(choices), value=value
            )
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise UsageError(key="error.ingest_boolean", where=self.where, name=key)
        return value

    def strings(self, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = self.data.get(key, list(default))
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise UsageError(key="error.ingest_strings", where=self.where, name=key)
        return tuple(value)

    def term(self, key: str, default: str) -> str:
        if key not in self.data:
            return default
        iri = resolve_term(self.string(key, ""), f"{self.where} {key}")
        if iri is None:
            raise UsageError(key="error.ingest_not_none", where=self.where, name=key)
        return iri

    def base(self, default: str) -> str:
        base = self.string("base", default)
        if "://" not in base or base[-1] not in "/#":
            raise UsageError(key="error.ingest_base", where=self.where, base=base)
        return base

    def date(self, key: str, default: dt.date | None) -> dt.date | None:
        value = self.data.get(key, default)
        if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise UsageError(key="error.ingest_date", where=self.where, name=key)

    def path(self, key: str, default: Path | None) -> Path | None:
        return self.relative_to / self.string(key, "") if key in self.data else default

    def picklist(self, key: str, base: PicklistMap) -> PicklistMap:
        section = Section.of(self, key)
        if section is None:
            return base
        table = dict(base.table)
        default = base.default
        for value, target in section.data.items():
            if not isinstance(target, str):
                raise UsageError(key="error.ingest_mapped_string", where=section.where, value=value)
            iri = resolve_term(target, f"{section.where} {value!r}")
            if value == "default":
                default = iri
            else:
                table[value.strip().casefold()] = iri
        return PicklistMap(MappingProxyType(table), default)

    def read_options(self, default: ReadOptions) -> ReadOptions:
        return ReadOptions(
            encoding=check_encoding(self.string("encoding", default.encoding or ""), f"{self.where} encoding")
            or default.encoding,
            delimiter=parse_delimiter(self.data.get("delimiter"), self.where) or default.delimiter,
            date_format=parse_date_format(self.data["date_format"], f"{self.where} date_format")
            if "date_format" in self.data
            else default.date_format,
        )


READ_KEYS = {"encoding", "delimiter", "date_format"}
