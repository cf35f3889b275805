"""Parameter values to RDF terms: each value checked against its declared type, never query text.

:func:`bind` turns the raw values a caller gives (strings from a command line or a URL, dates,
numbers, terms) into the typed terms the store binds; a value that does not fit is a
:class:`~crmkg.errors.BindingError` naming the query, the parameter and the type.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import lru_cache

import pyoxigraph as ox

from crmkg.catalogue.spec import ParamType, QueryParam, QuerySpec
from crmkg.daterange import EARLIEST, LATEST, in_range
from crmkg.errors import BindingError, Phrase
from crmkg.namespaces import PREFIXES
from crmkg.store import Term
from crmkg.store.terms import XSD, literal

_LANG_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_IRI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9_\-]*)?:([^\s]*)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[+-]?\d{1,18}$")


def expand_iri(value: str, prefixes: Mapping[str, str] | None = None) -> ox.NamedNode:
    """An absolute IRI from ``<iri>``, ``iri`` or a CURIE with a known prefix (``ex:rel-acme``).

    Raises :class:`BindingError` for anything that could not be written as an N-Triples IRI.
    """
    table = PREFIXES if prefixes is None else prefixes
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    curie = _CURIE.match(text)
    if curie and (curie.group(1) or "") in table and not text.startswith(("http:", "https:", "urn:")):
        text = table[curie.group(1) or ""] + curie.group(2)
    if not _IRI_SCHEME.match(text):
        known = ", ".join(sorted(table))
        raise BindingError(key="error.not_an_iri", value=value, known=known)
    bad = _IRI_FORBIDDEN.search(text)
    if bad:
        raise BindingError(key="error.iri_character", value=value, character=bad.group(0))
    try:
        return ox.NamedNode(text)
    except ValueError as exc:
        raise BindingError(key="error.invalid_iri", value=value, reason=str(exc)) from None


RawValue = str | int | bool | dt.date | Term


def _convert(param: QueryParam, raw: RawValue, query_id: str) -> Term:
    where = Phrase(key="error.where_parameter", query=query_id, name=param.name, type=param.type.value)
    if isinstance(raw, ox.NamedNode | ox.BlankNode | ox.Literal):
        raw = raw.value
    if param.type is ParamType.IRI:
        if not isinstance(raw, str):
            raise BindingError(key="error.expected_iri", where=where, raw=raw)
        try:
            term: Term = expand_iri(raw)
        except BindingError as exc:
            raise BindingError(key="error.named", name=where, problem=exc) from None
    elif param.type is ParamType.DATE:
        if isinstance(raw, dt.datetime) or not isinstance(raw, (str, dt.date)):
            raise BindingError(key="error.expected_date", where=where, raw=raw)
        if isinstance(raw, str):
            if not _DATE.match(raw.strip()):
                raise BindingError(key="error.expected_date", where=where, raw=raw)
            try:
                raw = dt.date.fromisoformat(raw.strip())
            except ValueError:
                raise BindingError(key="error.not_calendar_date", where=where, raw=raw) from None
        if not in_range(raw):
            raise BindingError(
                key="error.named",
                name=where,
                problem=BindingError(
                    key="error.date_range",
                    value=raw.isoformat(),
                    earliest=EARLIEST.isoformat(),
                    latest=LATEST.isoformat(),
                ),
            )
        term = _date_literal(raw)
    elif param.type is ParamType.INTEGER:
        if isinstance(raw, bool) or not isinstance(raw, (int, str)) or not _INTEGER.match(str(raw).strip()):
            raise BindingError(key="error.expected_integer", where=where, raw=raw)
        term = literal(str(int(str(raw).strip())), XSD + "integer")
    elif param.type is ParamType.BOOLEAN:
        text = str(raw).strip().lower() if isinstance(raw, (str, bool)) else ""
        if text not in ("true", "false", "1", "0"):
            raise BindingError(key="error.expected_boolean", where=where, raw=raw)
        term = literal("true" if text in ("true", "1") else "false", XSD + "boolean")
    elif param.type is ParamType.LANG:
        if not isinstance(raw, str) or not _LANG_TAG.match(raw.strip()):
            raise BindingError(key="error.expected_lang", where=where, raw=raw)
        term = literal(raw.strip().lower())
    else:
        if not isinstance(raw, str):
            raw = str(raw)
        if "\x00" in raw:
            raise BindingError(key="error.nul", where=where)
        term = literal(raw)
    if param.choices:
        allowed = [_convert_choice(param, c, query_id) for c in param.choices]
        if term not in allowed:
            raise BindingError(key="error.not_a_choice", where=where, raw=raw, choices=", ".join(param.choices))
    return term


@lru_cache(maxsize=4096)
def _date_literal(day: dt.date) -> ox.Literal:
    """As-of dates repeat: build each literal once."""
    return literal(day.isoformat(), XSD + "date")


def _convert_choice(param: QueryParam, choice: str, query_id: str) -> Term:
    return _convert(QueryParam(param.name, param.variable, param.type, False), choice, query_id)


def bind(spec: QuerySpec, raw_params: Mapping[str, RawValue] | None = None) -> dict[str, Term]:
    """Typed RDF terms for a query's parameters, keyed by query variable name.

    Unknown names, missing required values and values that do not fit the declared type raise
    :class:`BindingError`; declared defaults fill absent optional parameters.
    """
    raw = dict(raw_params or {})
    out: dict[str, Term] = {}
    for name in raw:
        spec.param(name)  # raises for unknown names
    for param in spec.params:
        value = raw.get(param.name)
        if value is None or (isinstance(value, str) and value == "" and param.type is not ParamType.STRING):
            if param.default is not None:
                value = param.default
            elif param.required:
                raise BindingError(key="error.param_required", query=spec.id, name=param.name, type=param.type.value)
            else:
                continue
        out[param.variable] = _convert(param, value, spec.id)
    return out
