"""The query catalogue: the named SPARQL queries under ``queries/``, their headers and parameters.

Every ``.rq`` file starts with a header in grlc's decorator syntax — lines ``#+ key: value`` that
together form a small YAML document (``summary``, ``tags``, ``defaults``, ``enumerate``, plus crmkg's
own keys ``cq``, ``question``, ``params``, ``severity``). Parameters are the query's variables named
by grlc's convention: ``?_name_iri``, ``?_name_xsd_date``, ``?_name_integer``, ``?_name_xsd_boolean``,
``?_name`` (a plain literal); ``?__name`` marks an optional one. ``queries/README.md`` documents the
format; :class:`QuerySpec` is its typed form.

Values are checked against the declared type (:func:`bind`) and handed to the store as RDF terms,
which the engine binds — parameter values never become query text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from crmkg import resources
from crmkg.daterange import ACCEPTED_DATES, in_range
from crmkg.errors import BindingError, QueryError, QueryNotFound, QuerySyntaxError, UsageError
from crmkg.namespaces import PREFIXES
from crmkg.store import QueryOptions, QueryResult, Store, Term
from crmkg.store.terms import XSD, literal
from crmkg.validation.report import Severity

__all__ = [
    "Catalogue",
    "ParamType",
    "QueryKind",
    "QueryParam",
    "QuerySpec",
    "Text",
    "bind",
    "expand_iri",
    "parse_header",
    "parse_query_file",
]


class QueryKind(StrEnum):
    """What a catalogue query is for; the value is the folder it lives in."""

    CQ = "cq"  # competency question: a report
    QC = "qc"  # quality check: every row is a finding
    RULE = "rules"  # CONSTRUCT rule applied by ``crmkg infer``
    LOOKUP = "lookup"  # building block of crmkg.lookup
    ADHOC = "adhoc"  # a file outside the catalogue, run with ``crmkg query FILE``


class ParamType(StrEnum):
    """The declared type of a parameter, and so the RDF term it becomes."""

    IRI = "iri"
    DATE = "date"
    STRING = "string"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    LANG = "lang"  # a BCP 47 language tag, bound as a plain literal ("fi")


#: grlc's variable-name suffixes and the parameter types they declare.
_SUFFIX_TYPES: dict[str, ParamType] = {
    "": ParamType.STRING,
    "_iri": ParamType.IRI,
    "_xsd_date": ParamType.DATE,
    "_integer": ParamType.INTEGER,
    "_xsd_integer": ParamType.INTEGER,
    "_xsd_boolean": ParamType.BOOLEAN,
}

_PARAM_VAR = re.compile(r"[?$](__?)([A-Za-z][A-Za-z0-9]*)((?:_[A-Za-z0-9]+)*)")
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_CQ_ID = re.compile(r"^CQ([1-9][0-9]*)$")
_LANG_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_IRI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9_\-]*)?:([^\s]*)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[+-]?\d{1,18}$")


@dataclass(frozen=True)
class Text:
    """A text in Finnish and English."""

    fi: str
    en: str

    def get(self, lang: str) -> str:
        """The text in ``lang`` (``fi`` or ``en``), English otherwise."""
        return self.fi if lang == "fi" else self.en


@dataclass(frozen=True)
class QueryParam:
    """One parameter: its public name, the query variable it binds and its type."""

    name: str
    variable: str
    type: ParamType
    required: bool
    default: str | None = None
    description: Text | None = None
    enumerate: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuerySpec:
    """A parsed catalogue entry."""

    id: str
    kind: QueryKind
    path: Path
    text: str
    form: str  # select | ask | construct | describe
    summary: str
    description: str | None = None
    question: Text | None = None
    cq: str | None = None
    tags: tuple[str, ...] = ()
    params: tuple[QueryParam, ...] = ()
    severity: Severity | None = None  # quality checks: how bad a row is
    message: Text | None = None
    header: Mapping[str, object] = field(default_factory=dict)

    def param(self, name: str) -> QueryParam:
        """The parameter called ``name``; :class:`BindingError` if there is none."""
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise BindingError(f"{self.id}: no parameter {name!r} (parameters: {known})")

    @property
    def cq_number(self) -> int | None:
        """12 for ``CQ12``."""
        match = _CQ_ID.match(self.cq or "")
        return int(match.group(1)) if match else None


# --------------------------------------------------------------------------- header (mini YAML)

_Node = str | list["_Node"] | dict[str, "_Node"]


class _HeaderError(Exception):
    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem


def _scalar(raw: str, line: int) -> _Node:
    text = raw.strip()
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1].strip()
        return [_scalar(part, line) for part in _split_flow(inner, line)] if inner else []
    if text[:1] in ('"', "'"):
        quote = text[0]
        if len(text) < 2 or not text.endswith(quote):
            raise _HeaderError(line, f"unterminated quoted value {text!r}")
        body = text[1:-1]
        if quote == "'":
            return body.replace("''", "'")
        return re.sub(r'\\(["\\/nt])', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)
    if " #" in text:  # a YAML comment after a plain value
        text = text.split(" #", 1)[0].rstrip()
    if ": " in text:
        raise _HeaderError(line, f"quote a value that contains ': ' (YAML reads it as a mapping): {text!r}")
    return text


def _split_flow(inner: str, line: int) -> list[str]:
    parts: list[str] = []
    current = ""
    quote = ""
    for ch in inner:
        if quote:
            current += ch
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
            current += ch
        elif ch == ",":
            parts.append(current)
            current = ""
        else:
            current += ch
    if quote:
        raise _HeaderError(line, "unterminated quote in a [list]")
    parts.append(current)
    return [p for p in (p.strip() for p in parts) if p]


def _split_key(content: str, line: int) -> tuple[str, str]:
    match = re.match(r"^([A-Za-z_][A-Za-z0-9_\-]*)\s*:(?:\s+(.*)|\s*)$", content)
    if not match:
        raise _HeaderError(line, f"expected 'key: value', got {content!r}")
    return match.group(1), (match.group(2) or "").strip()


def _parse_block(lines: list[tuple[int, int, str]], pos: int, indent: int) -> tuple[_Node, int]:
    """Parse lines at exactly ``indent`` from ``pos``; returns the node and the next position."""
    is_list = lines[pos][2].startswith("- ") or lines[pos][2] == "-"
    result_list: list[_Node] = []
    result_map: dict[str, _Node] = {}
    while pos < len(lines):
        ind, lineno, content = lines[pos]
        if ind < indent:
            break
        if ind > indent:
            raise _HeaderError(lineno, "unexpected indentation")
        item_is_list = content.startswith("- ") or content == "-"
        if item_is_list != is_list:
            raise _HeaderError(lineno, "a list and a mapping are mixed at the same level")
        if is_list:
            item = content[1:].strip()
            pos += 1
            if not item:
                if pos < len(lines) and lines[pos][0] > indent:
                    node, pos = _parse_block(lines, pos, lines[pos][0])
                    result_list.append(node)
                    continue
                raise _HeaderError(lineno, "empty list item")
            if re.match(r"^[A-Za-z_][A-Za-z0-9_\-]*\s*:(\s|$)", item):
                key, value = _split_key(item, lineno)
                entry: dict[str, _Node] = {}
                if value:
                    entry[key] = _scalar(value, lineno)
                elif pos < len(lines) and lines[pos][0] > indent:
                    entry[key], pos = _parse_block(lines, pos, lines[pos][0])
                else:
                    entry[key] = ""
                result_list.append(entry)
            else:
                result_list.append(_scalar(item, lineno))
        else:
            key, value = _split_key(content, lineno)
            if key in result_map:
                raise _HeaderError(lineno, f"key {key!r} appears twice")
            pos += 1
            if value:
                result_map[key] = _scalar(value, lineno)
            elif pos < len(lines) and lines[pos][0] > indent:
                result_map[key], pos = _parse_block(lines, pos, lines[pos][0])
            else:
                result_map[key] = ""
    return (result_list if is_list else result_map), pos


def parse_header(text: str) -> tuple[dict[str, _Node], int]:
    """The ``#+`` header of a query as a mapping, and the number of header lines.

    The header is the run of lines at the top starting with ``#+``; the rest of each line is YAML
    (the subset grlc files use: mappings, lists, quoted and plain scalars, ``[a, b]`` lists).
    """
    raw: list[tuple[int, int, str]] = []
    count = 0
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#+"):
            break
        count = lineno
        body = line[2:]
        if body.startswith(" "):
            body = body[1:]
        if not body.strip() or body.lstrip().startswith("#"):
            continue
        if "\t" in body[: len(body) - len(body.lstrip())]:
            raise _HeaderError(lineno, "tabs are not allowed for indentation")
        raw.append((len(body) - len(body.lstrip(" ")), lineno, body.strip()))
    if not raw:
        return {}, count
    node, pos = _parse_block(raw, 0, raw[0][0])
    if pos != len(raw):
        raise _HeaderError(raw[pos][1], "unexpected indentation")
    if not isinstance(node, dict):
        raise _HeaderError(raw[0][1], "the header must be a mapping of keys")
    return node, count


# --------------------------------------------------------------------------- query files


def _strip_strings_and_comments(sparql: str) -> str:
    """The query with comments, string literals and IRIs blanked, so regexes see only syntax."""
    pattern = re.compile(
        r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
        r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
        r'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*'
    )
    return pattern.sub(lambda m: " " * len(m.group(0)), sparql)


def _as_text(node: _Node | None, where: str, line: int) -> str | None:
    if node is None or node == "":
        return None
    if not isinstance(node, str):
        raise _HeaderError(line, f"{where} must be a single value")
    return node


def _bilingual(node: _Node | None, where: str, line: int) -> Text | None:
    if node is None or node == "":
        return None
    if not isinstance(node, dict) or not isinstance(node.get("fi"), str) or not isinstance(node.get("en"), str):
        raise _HeaderError(line, f"{where} needs 'fi:' and 'en:' texts")
    fi, en = node["fi"], node["en"]
    if not isinstance(fi, str) or not isinstance(en, str):  # narrowed above; keeps mypy exact
        raise _HeaderError(line, f"{where} needs 'fi:' and 'en:' texts")
    return Text(fi, en)


def _str_list(node: _Node | None, where: str, line: int) -> list[str]:
    if node is None or node == "":
        return []
    if isinstance(node, str):
        return [node]
    if isinstance(node, list) and all(isinstance(x, str) for x in node):
        return [x for x in node if isinstance(x, str)]
    raise _HeaderError(line, f"{where} must be a list of values")


def _defaults(node: _Node | None, line: int) -> dict[str, str]:
    """grlc's ``defaults``: a list of one-key mappings (a plain mapping is accepted too)."""
    if node is None or node == "":
        return {}
    items: list[_Node] = [node] if isinstance(node, dict) else node if isinstance(node, list) else []
    out: dict[str, str] = {}
    for item in items:
        if not isinstance(item, dict):
            raise _HeaderError(line, "defaults must be a list of 'name: value' entries")
        for key, value in item.items():
            if not isinstance(value, str):
                raise _HeaderError(line, f"default of {key!r} must be a single value")
            out[key] = value
    if not items:
        raise _HeaderError(line, "defaults must be a list of 'name: value' entries")
    return out


def _enumerate(node: _Node | None, line: int) -> dict[str, tuple[str, ...]]:
    """grlc's ``enumerate``: parameter names; crmkg also allows ``name: [allowed, values]``."""
    out: dict[str, tuple[str, ...]] = {}
    if node is None or node == "":
        return out
    for item in node if isinstance(node, list) else [node]:
        if isinstance(item, str):
            out[item] = ()
        elif isinstance(item, dict):
            for key, values in item.items():
                out[key] = tuple(_str_list(values, f"enumerate {key}", line))
        else:
            raise _HeaderError(line, "enumerate must list parameter names")
    return out


def _legacy_params(text: str) -> list[tuple[str, str, ParamType, str | None, str]]:
    """The free-text ``params: asOf (xsd:date), lang (language tag, default "fi")`` form of lookups."""
    out: list[tuple[str, str, ParamType, str | None, str]] = []
    for match in re.finditer(r"([A-Za-z][A-Za-z0-9]*)\s*\(([^)]*)\)", text):
        name, desc = match.group(1), match.group(2)
        lowered = desc.lower()
        if "xsd:date" in lowered or lowered.startswith("date"):
            ptype = ParamType.DATE
        elif "language" in lowered:
            ptype = ParamType.LANG
        elif "iri" in lowered:
            ptype = ParamType.IRI
        elif "integer" in lowered:
            ptype = ParamType.INTEGER
        else:
            ptype = ParamType.STRING
        default = re.search(r'default\s+"([^"]*)"', desc)
        out.append((name, name, ptype, default.group(1) if default else None, desc.strip()))
    return out


def _discover_params(
    body: str,
    declared: Mapping[str, _Node],
    defaults: Mapping[str, str],
    enumerate_: Mapping[str, tuple[str, ...]],
    line: int,
) -> tuple[QueryParam, ...]:
    found: dict[str, QueryParam] = {}
    for match in _PARAM_VAR.finditer(_strip_strings_and_comments(body)):
        underscores, name, suffix = match.groups()
        variable = match.group(0)[1:]
        if suffix not in _SUFFIX_TYPES:
            raise _HeaderError(line, f"variable ?{variable}: unknown grlc type suffix {suffix!r}")
        ptype = _SUFFIX_TYPES[suffix]
        doc = declared.get(name)
        description: Text | None = None
        if isinstance(doc, dict):
            declared_type = doc.get("type")
            if isinstance(declared_type, str) and declared_type:
                try:
                    wanted = ParamType(declared_type)
                except ValueError:
                    raise _HeaderError(line, f"parameter {name}: unknown type {declared_type!r}") from None
                if wanted is ParamType.LANG and ptype is ParamType.STRING:
                    ptype = wanted
                elif wanted is not ptype:
                    raise _HeaderError(
                        line, f"parameter {name}: declared {wanted.value} but ?{variable} says {ptype.value}"
                    )
            fi, en = doc.get("fi"), doc.get("en")
            if isinstance(fi, str) and isinstance(en, str):
                description = Text(fi, en)
        previous = found.get(name)
        if previous is not None:
            if previous.variable != variable:
                raise _HeaderError(line, f"parameter {name} is written as ?{previous.variable} and ?{variable}")
            continue
        default = defaults.get(name)
        found[name] = QueryParam(
            name=name,
            variable=variable,
            type=ptype,
            required=underscores == "_" and default is None,
            default=default,
            description=description,
            enumerate=name in enumerate_,
            choices=enumerate_.get(name, ()),
        )
    for name in (*declared, *defaults):
        if name not in found:
            raise _HeaderError(line, f"parameter {name} is declared in the header but no ?_{name} variable is used")
    return tuple(found.values())


def _kind_of(path: Path, header_kind: str | None, line: int) -> QueryKind:
    if header_kind:
        aliases = {"rule": QueryKind.RULE, "rules": QueryKind.RULE}
        try:
            return aliases.get(header_kind) or QueryKind(header_kind)
        except ValueError:
            raise _HeaderError(line, f"unknown kind {header_kind!r}") from None
    for kind in QueryKind:
        if path.parent.name == kind.value:
            return kind
    return QueryKind.ADHOC


def parse_query_file(path: Path, *, text: str | None = None) -> QuerySpec:
    """Read one ``.rq`` file into a :class:`QuerySpec`; :class:`QuerySyntaxError` names file and line."""
    try:
        source = path.read_text("utf-8") if text is None else text
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"{path}: cannot read: {exc}") from exc
    try:
        return _spec_from_text(path, source)
    except _HeaderError as exc:
        raise QuerySyntaxError(f"{path}:{exc.line}: {exc.problem}") from None


def _spec_from_text(path: Path, source: str) -> QuerySpec:
    header, header_lines = parse_header(source)
    hline = 1
    body = "\n".join(source.splitlines()[header_lines:])
    form_match = _FORM.search(_strip_strings_and_comments(body))
    if not form_match:
        raise _HeaderError(header_lines + 1, "no SELECT, ASK, CONSTRUCT or DESCRIBE query found")
    kind = _kind_of(path, _as_text(header.get("kind"), "kind", hline), hline)
    defaults = _defaults(header.get("defaults"), hline)
    enumerate_ = _enumerate(header.get("enumerate"), hline)
    raw_params = header.get("params")
    if isinstance(raw_params, str) and raw_params:
        params = tuple(
            QueryParam(name, var, ptype, required=default is None, default=default, description=Text(desc, desc))
            for name, var, ptype, default, desc in _legacy_params(raw_params)
        )
    else:
        declared = raw_params if isinstance(raw_params, dict) else {}
        params = _discover_params(body, declared, defaults, enumerate_, hline)
    cq = _as_text(header.get("cq"), "cq", hline)
    if cq is not None and not _CQ_ID.match(cq):
        raise _HeaderError(hline, f"cq must look like CQ12, got {cq!r}")
    severity_text = _as_text(header.get("severity"), "severity", hline)
    severity: Severity | None = None
    if severity_text is not None:
        try:
            severity = Severity.from_name(severity_text)
        except UsageError:
            raise _HeaderError(hline, f"severity must be one of {', '.join(s.key for s in Severity)}") from None
    summary = _as_text(header.get("summary"), "summary", hline)
    if summary is None:
        raise _HeaderError(hline, "the header has no '#+ summary:'")
    return QuerySpec(
        id=path.stem,
        kind=kind,
        path=path,
        text=source,
        form=form_match.group(1).lower(),
        summary=summary,
        description=_as_text(header.get("description"), "description", hline),
        question=_bilingual(header.get("question"), "question", hline),
        cq=cq,
        tags=tuple(_str_list(header.get("tags"), "tags", hline)),
        params=params,
        severity=severity,
        message=_bilingual(header.get("message"), "message", hline),
        header=header,
    )


# --------------------------------------------------------------------------- binding


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
        raise BindingError(f"{value!r} is not an absolute IRI or a CURIE with a known prefix ({known})")
    bad = _IRI_FORBIDDEN.search(text)
    if bad:
        raise BindingError(f"{value!r} is not a valid IRI: character {bad.group(0)!r} is not allowed")
    try:
        return ox.NamedNode(text)
    except ValueError as exc:
        raise BindingError(f"{value!r} is not a valid IRI: {exc}") from None


RawValue = str | int | bool | dt.date | Term


def _convert(param: QueryParam, raw: RawValue, query_id: str) -> Term:
    where = f"{query_id}: parameter {param.name} ({param.type.value})"
    if isinstance(raw, ox.NamedNode | ox.BlankNode | ox.Literal):
        raw = raw.value
    if param.type is ParamType.IRI:
        if not isinstance(raw, str):
            raise BindingError(f"{where}: expected an IRI, got {raw!r}")
        try:
            term: Term = expand_iri(raw)
        except BindingError as exc:
            raise BindingError(f"{where}: {exc}") from None
    elif param.type is ParamType.DATE:
        if isinstance(raw, dt.datetime) or not isinstance(raw, (str, dt.date)):
            raise BindingError(f"{where}: expected a date YYYY-MM-DD, got {raw!r}")
        if isinstance(raw, str):
            if not _DATE.match(raw.strip()):
                raise BindingError(f"{where}: expected a date YYYY-MM-DD, got {raw!r}")
            try:
                raw = dt.date.fromisoformat(raw.strip())
            except ValueError:
                raise BindingError(f"{where}: {raw!r} is not a calendar date") from None
        if not in_range(raw):
            raise BindingError(f"{where}: {raw.isoformat()} is out of range; {ACCEPTED_DATES}")
        term = _date_literal(raw)
    elif param.type is ParamType.INTEGER:
        if isinstance(raw, bool) or not isinstance(raw, (int, str)) or not _INTEGER.match(str(raw).strip()):
            raise BindingError(f"{where}: expected an integer, got {raw!r}")
        term = literal(str(int(str(raw).strip())), XSD + "integer")
    elif param.type is ParamType.BOOLEAN:
        text = str(raw).strip().lower() if isinstance(raw, (str, bool)) else ""
        if text not in ("true", "false", "1", "0"):
            raise BindingError(f"{where}: expected true or false, got {raw!r}")
        term = literal("true" if text in ("true", "1") else "false", XSD + "boolean")
    elif param.type is ParamType.LANG:
        if not isinstance(raw, str) or not _LANG_TAG.match(raw.strip()):
            raise BindingError(f"{where}: expected a language tag such as fi or en, got {raw!r}")
        term = literal(raw.strip().lower())
    else:
        if not isinstance(raw, str):
            raw = str(raw)
        if "\x00" in raw:
            raise BindingError(f"{where}: NUL characters are not allowed")
        term = literal(raw)
    if param.choices:
        allowed = [_convert_choice(param, c, query_id) for c in param.choices]
        if term not in allowed:
            raise BindingError(f"{where}: {raw!r} is not one of {', '.join(param.choices)}")
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
                raise BindingError(f"{spec.id}: parameter {param.name} ({param.type.value}) is required")
            else:
                continue
        out[param.variable] = _convert(param, value, spec.id)
    return out


# --------------------------------------------------------------------------- the catalogue


class Catalogue:
    """The queries under a ``queries/`` folder (the packaged one by default), by id."""

    def __init__(self, root: Path | None = None, *, data_dir: Path | None = None) -> None:
        self.root = root if root is not None else resources.data_path("queries", data_dir)
        self._specs: dict[str, QuerySpec] = {}
        for kind in QueryKind:
            if kind is QueryKind.ADHOC:
                continue
            folder = self.root / kind.value
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.rq")):
                spec = parse_query_file(path)
                if spec.kind is QueryKind.ADHOC or spec.kind.value != kind.value:
                    spec = replace(spec, kind=kind)
                if kind is QueryKind.QC and spec.severity is None:
                    raise QuerySyntaxError(f"{path}:1: a quality check needs '#+ severity:'")
                if spec.id in self._specs:
                    raise QuerySyntaxError(f"{path}: query id {spec.id} is used twice")
                self._specs[spec.id] = spec

    def __iter__(self) -> Iterator[QuerySpec]:
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)

    def __contains__(self, query_id: object) -> bool:
        return query_id in self._specs

    def list(self, kind: QueryKind | str | None = None) -> list[QuerySpec]:
        """Queries of one kind (all if ``None``), sorted by id."""
        wanted = (QueryKind.RULE if kind == "rule" else QueryKind(kind)) if isinstance(kind, str) else kind
        return sorted((s for s in self._specs.values() if wanted is None or s.kind is wanted), key=lambda s: s.id)

    def get(self, query_id: str) -> QuerySpec:
        """A query by id (``cq-011-current-owner``), by unique id prefix (``cq-011``) or by CQ (``CQ11``)."""
        if query_id in self._specs:
            return self._specs[query_id]
        key = query_id.strip()
        cq = _CQ_ID.match(key.upper())
        if cq:
            hits = [s for s in self._specs.values() if s.kind is QueryKind.CQ and s.cq_number == int(cq.group(1))]
        else:
            hits = [s for s in self._specs.values() if s.id.startswith(key + "-") or s.id == key]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            names = ", ".join(sorted(s.id for s in hits))
            raise QueryNotFound(f"query id {query_id!r} is ambiguous: {names}")
        raise QueryNotFound(f"no catalogue query {query_id!r}; see 'crmkg queries list'")

    def resolve(self, id_or_file: str) -> QuerySpec:
        """A catalogue query by id, or a ``.rq`` file on disk (for ``crmkg query FILE``)."""
        path = Path(id_or_file)
        if id_or_file.endswith(".rq") or path.is_file():
            if not path.is_file():
                raise QueryNotFound(f"{id_or_file}: no such query file")
            return parse_query_file(path)
        return self.get(id_or_file)

    def bind(self, spec: QuerySpec | str, raw_params: Mapping[str, RawValue] | None = None) -> dict[str, Term]:
        """See :func:`bind`."""
        return bind(self.get(spec) if isinstance(spec, str) else spec, raw_params)

    def run(
        self,
        query: QuerySpec | str,
        store: Store,
        params: Mapping[str, RawValue] | None = None,
        *,
        options: QueryOptions | None = None,
    ) -> QueryResult:
        """Bind ``params`` and run the query on ``store``."""
        spec = self.get(query) if isinstance(query, str) else query
        return store.query(spec.text, bindings=bind(spec, params), options=options)


def run_spec(
    spec: QuerySpec,
    store: Store,
    params: Mapping[str, RawValue] | None = None,
    *,
    options: QueryOptions | None = None,
) -> QueryResult:
    """Bind and run one parsed query (a catalogue entry or an ad-hoc file)."""
    return store.query(spec.text, bindings=bind(spec, params), options=options)


def specs_by_kind(specs: Sequence[QuerySpec]) -> dict[QueryKind, list[QuerySpec]]:
    """Group specs by kind (for listings)."""
    out: dict[QueryKind, list[QuerySpec]] = {}
    for spec in specs:
        out.setdefault(spec.kind, []).append(spec)
    return out
