"""A catalogue query's typed form (:class:`QuerySpec`) and how a ``.rq`` file becomes one.

Every ``.rq`` file starts with a header in grlc's decorator syntax — lines ``#+ key: value`` that
together form a small YAML document (``summary``, ``tags``, ``defaults``, ``enumerate``, plus crmkg's
own keys ``cq``, ``question``, ``params``, ``severity``). Parameters are the query's variables named
by grlc's convention: ``?_name_iri``, ``?_name_xsd_date``, ``?_name_integer``, ``?_name_xsd_boolean``,
``?_name`` (a plain literal); ``?__name`` marks an optional one. ``queries/README.md`` documents the
format.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from crmkg.catalogue.header import HeaderError, Node, parse_header
from crmkg.errors import BindingError, Phrase, QueryError, QuerySyntaxError, UsageError
from crmkg.severity import Severity
from crmkg.sparql.lexer import Token, form_of, skip_space, tokens


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

#: A parameter variable's name (without ``?``): one or two underscores, the name, the type suffix.
_PARAM_NAME = re.compile(r"(__?)([A-Za-z][A-Za-z0-9]*)((?:_[A-Za-z0-9]+)*)")
CQ_ID = re.compile(r"^CQ([1-9][0-9]*)$")


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
    summary: str  # English; ``summaries`` when the header gives both languages
    description: str | None = None
    summaries: Text | None = None
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
        known = ", ".join(p.name for p in self.params) or Phrase("common.none")
        raise BindingError(key="error.no_parameter", query=self.id, name=name, known=known)

    def summary_in(self, lang: str) -> str:
        """The summary in ``lang``: a bilingual header's, else a CQ's question in Finnish, else the one given."""
        if self.summaries is not None:
            return self.summaries.get(lang)
        if self.question is not None and lang == "fi":
            return self.question.fi
        return self.summary

    @property
    def cq_number(self) -> int | None:
        """12 for ``CQ12``."""
        match = CQ_ID.match(self.cq or "")
        return int(match.group(1)) if match else None


# --------------------------------------------------------------------------- reading a query file


@lru_cache(maxsize=512)
def _read_tokens(source: str) -> tuple[Token, ...]:
    """The query's tokens by the one SPARQL lexer (the ``#+`` header is comments to it).

    So a ``?_name`` or ``SELECT`` inside a string, an IRI or a comment is never taken for syntax.
    Kept by text: a service, a test run or a validation reads the same catalogue more than once.
    """
    out: list[Token] = []
    try:
        out.extend(tokens(source))
    except QuerySyntaxError as exc:
        failed_at = skip_space(source, out[-1].end if out else 0)
        raise HeaderError(_line_of(source, failed_at), Phrase("header.as_is", problem=exc)) from None
    return tuple(out)


def _line_of(source: str, offset: int) -> int:
    return source.count("\n", 0, offset) + 1


def _as_text(node: Node | None, where: str, line: int) -> str | None:
    if node is None or node == "":
        return None
    if not isinstance(node, str):
        raise HeaderError(line, Phrase("header.single_value", field=where))
    return node


def _bilingual(node: Node | None, where: str, line: int) -> Text | None:
    if node is None or node == "":
        return None
    if not isinstance(node, dict) or not isinstance(node.get("fi"), str) or not isinstance(node.get("en"), str):
        raise HeaderError(line, Phrase("header.needs_texts", field=where))
    fi, en = node["fi"], node["en"]
    if not isinstance(fi, str) or not isinstance(en, str):  # narrowed above; keeps mypy exact
        raise HeaderError(line, Phrase("header.needs_texts", field=where))
    return Text(fi, en)


def _str_list(node: Node | None, where: str, line: int) -> list[str]:
    if node is None or node == "":
        return []
    if isinstance(node, str):
        return [node]
    if isinstance(node, list) and all(isinstance(x, str) for x in node):
        return [x for x in node if isinstance(x, str)]
    raise HeaderError(line, Phrase("header.list_of_values", field=where))


def _defaults(node: Node | None, line: int) -> dict[str, str]:
    """grlc's ``defaults``: a list of one-key mappings (a plain mapping is accepted too)."""
    if node is None or node == "":
        return {}
    items: list[Node] = [node] if isinstance(node, dict) else node if isinstance(node, list) else []
    out: dict[str, str] = {}
    for item in items:
        if not isinstance(item, dict):
            raise HeaderError(line, Phrase("header.defaults"))
        for key, value in item.items():
            if not isinstance(value, str):
                raise HeaderError(line, Phrase("header.default_value", field=repr(key)))
            out[key] = value
    if not items:
        raise HeaderError(line, Phrase("header.defaults"))
    return out


def _enumerate(node: Node | None, line: int) -> dict[str, tuple[str, ...]]:
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
            raise HeaderError(line, Phrase("header.enumerate"))
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
    source: str,
    toks: Sequence[Token],
    declared: Mapping[str, Node],
    defaults: Mapping[str, str],
    enumerate_: Mapping[str, tuple[str, ...]],
    line: int,
) -> tuple[QueryParam, ...]:
    found: dict[str, QueryParam] = {}
    for token in toks:
        if token.kind not in ("VAR1", "VAR2") or not token.text.startswith(("?_", "$_")):
            continue
        variable = token.text[1:]
        match = _PARAM_NAME.fullmatch(variable)
        if match is None:
            problem = Phrase("header.param_name", variable=variable)
            raise HeaderError(_line_of(source, token.start), problem)
        underscores, name, suffix = match.groups()
        if suffix not in _SUFFIX_TYPES:
            problem = Phrase("header.param_suffix", variable=variable, suffix=repr(suffix))
            raise HeaderError(_line_of(source, token.start), problem)
        ptype = _SUFFIX_TYPES[suffix]
        doc = declared.get(name)
        description: Text | None = None
        if isinstance(doc, dict):
            declared_type = doc.get("type")
            if isinstance(declared_type, str) and declared_type:
                try:
                    wanted = ParamType(declared_type)
                except ValueError:
                    raise HeaderError(line, Phrase("header.param_type", name=name, type=repr(declared_type))) from None
                if wanted is ParamType.LANG and ptype is ParamType.STRING:
                    ptype = wanted
                elif wanted is not ptype:
                    problem = Phrase(
                        "header.param_mismatch", name=name, declared=wanted.value, variable=variable, says=ptype.value
                    )
                    raise HeaderError(line, problem)
            fi, en = doc.get("fi"), doc.get("en")
            if isinstance(fi, str) and isinstance(en, str):
                description = Text(fi, en)
        previous = found.get(name)
        if previous is not None:
            if previous.variable != variable:
                raise HeaderError(
                    line, Phrase("header.param_twice", name=name, first=previous.variable, second=variable)
                )
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
            raise HeaderError(line, Phrase("header.param_unused", name=name))
    return tuple(found.values())


def _kind_of(path: Path, header_kind: str | None, line: int) -> QueryKind:
    if header_kind:
        aliases = {"rule": QueryKind.RULE, "rules": QueryKind.RULE}
        try:
            return aliases.get(header_kind) or QueryKind(header_kind)
        except ValueError:
            raise HeaderError(line, Phrase("header.kind", kind=repr(header_kind))) from None
    for kind in QueryKind:
        if path.parent.name == kind.value:
            return kind
    return QueryKind.ADHOC


def parse_query_file(path: Path, *, text: str | None = None) -> QuerySpec:
    """Read one ``.rq`` file into a :class:`QuerySpec`; :class:`QuerySyntaxError` names file and line."""
    try:
        source = path.read_text("utf-8") if text is None else text
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(key="error.query_file_unreadable", path=path, reason=exc) from exc
    try:
        return _spec_from_text(path, source)
    except HeaderError as exc:
        raise QuerySyntaxError(key="error.query_header", path=path, line=exc.line, problem=exc.problem) from None


def _spec_from_text(path: Path, source: str) -> QuerySpec:
    header, header_lines = parse_header(source)
    hline = 1
    toks = _read_tokens(source)
    form = form_of(toks)
    if form is None:
        raise HeaderError(header_lines + 1, Phrase("header.no_query"))
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
        params = _discover_params(source, toks, declared, defaults, enumerate_, hline)
    cq = _as_text(header.get("cq"), "cq", hline)
    if cq is not None and not CQ_ID.match(cq):
        raise HeaderError(hline, Phrase("header.cq", cq=repr(cq)))
    severity_text = _as_text(header.get("severity"), "severity", hline)
    severity: Severity | None = None
    if severity_text is not None:
        try:
            severity = Severity.from_name(severity_text)
        except UsageError:
            raise HeaderError(hline, Phrase("header.severity", severities=", ".join(s.key for s in Severity))) from None
    raw_summary = header.get("summary")
    summaries = _bilingual(raw_summary, "summary", hline) if isinstance(raw_summary, dict) else None
    summary = summaries.en if summaries else _as_text(raw_summary, "summary", hline)
    if summary is None:
        raise HeaderError(hline, Phrase("header.no_summary"))
    return QuerySpec(
        id=path.stem,
        kind=kind,
        path=path,
        text=source,
        form=form.lower(),
        summary=summary,
        summaries=summaries,
        description=_as_text(header.get("description"), "description", hline),
        question=_bilingual(header.get("question"), "question", hline),
        cq=cq,
        tags=tuple(_str_list(header.get("tags"), "tags", hline)),
        params=params,
        severity=severity,
        message=_bilingual(header.get("message"), "message", hline),
        header=header,
    )
