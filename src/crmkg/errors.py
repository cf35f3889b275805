"""The one exception tree of crmkg.

Library code raises these; only the CLI (exit codes) and the API (HTTP problem responses)
translate them. The tree::

    CrmkgError
    ├── UsageError            a caller passed something malformed (bad option, parameter, IRI)
    ├── LoadError             input data could not be read into a store
    │   ├── RdfSyntaxError    a document is not valid in its format (file, line, column)
    │   ├── InputLimitError   a document is nested deeper (or wider) than parsers are allowed to see
    │   └── UnsupportedFormatError
    ├── StoreError            a backend failed (disk, remote endpoint down or answering garbage)
    │   └── ReadOnlyError     a write was attempted where only reads are allowed
    ├── QueryError            a SPARQL query could not be run
    │   ├── QueryNotFound     no catalogue entry by that id
    │   ├── QuerySyntaxError
    │   │   └── QueryTooLarge  over a size or nesting limit (checked before the engine sees it)
    │   ├── BindingError      a parameter value does not fit its declared type
    │   ├── QueryRefused      the query uses something the policy forbids (SERVICE, LOAD, remote FROM)
    │   ├── QueryTimeout
    │   └── QueryOverLimit     a running query hit a resource limit (worker memory, concurrency)
    ├── ValidationError       validation could not be run (bad shapes, engine failure)
    ├── ReasoningError        the OWL reasoner could not be run
    ├── IngestError           a CRM / HR export could not be imported (file, row, column)
    └── NotFound              an IRI the caller asked about is not in the data
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


class CrmkgError(Exception):
    """Base of every error crmkg raises on purpose.

    ``location`` says where the problem is when it is in a file (CI formats annotate it there).
    An error told in the user's language carries a message ``key`` of ``crmkg/messages.toml`` and
    its ``params`` (``UsageError(key="path.missing", path=p)``): its ``str()`` is the English text,
    and the CLI and the API tell it in the request's language (:meth:`localised`). Errors without a
    key say their English text everywhere.
    """

    location: SourceLocation | None = None
    key: str | None = None
    params: dict[str, object]

    def __init__(
        self, *args: object, location: SourceLocation | None = None, key: str | None = None, **params: object
    ) -> None:
        if key is not None and not args:
            args = (_render(key, "en", params),)
        super().__init__(*args)
        self.key = key
        self.params = params
        if location is not None:
            self.location = location

    def localised(self, lang: str) -> str:
        """The error in ``lang`` (fi or en) when it has a message key, else its text as written."""
        if self.key is None:
            return str(self)
        return _render(self.key, lang, self.params)


class Phrase:
    """A part of an error's message (what it is about: ``parameter x (iri)``) told in the error's
    language; its ``str()`` is the English."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params

    def localised(self, lang: str) -> str:
        return _render(self.key, lang, self.params)

    def __str__(self) -> str:
        return self.localised("en")


class FirstLine(Phrase):
    """The first line of an error's message, told in the error's language (an endpoint's error may
    carry its whole query or stack after it)."""

    def __init__(self, error: CrmkgError) -> None:
        super().__init__("")
        self.error = error

    def localised(self, lang: str) -> str:
        return (self.error.localised(lang).splitlines() or [""])[0]


class Said(str):
    """A sentence crmkg says (a report's note): a ``str`` holding the English, so reports and JSON
    keep it as text, that the command line can tell in the user's language (:meth:`localised`)."""

    key: str
    params: dict[str, object]

    def __new__(cls, key: str, **params: object) -> Said:
        said = super().__new__(cls, _render(key, "en", params))
        said.key = key
        said.params = params
        return said

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, object]]:  # pickled across processes
        return (self.key,), self.params

    def localised(self, lang: str) -> str:
        return _render(self.key, lang, self.params)


def told(text: str, lang: str) -> str:
    """``text`` in ``lang`` when crmkg said it (:class:`Said`), else as written."""
    return text.localised(lang) if isinstance(text, Said) else text


def portable_params(params: dict[str, object]) -> dict[str, object]:
    """An error's parameters as JSON for another process: phrases (and keyed errors) stay keyed, so
    the receiver still tells them in the request's language (:func:`restored_params`)."""
    out: dict[str, object] = {}
    for name, value in params.items():
        if isinstance(value, Phrase) or (isinstance(value, CrmkgError) and value.key is not None):
            assert value.key is not None
            out[name] = {"phrase": value.key, "params": portable_params(value.params)}
        else:
            out[name] = value if isinstance(value, int | float | str) else str(value)
    return out


def restored_params(params: dict[str, Any]) -> dict[str, Any]:
    """The parameters :func:`portable_params` sent, phrases made phrases again."""
    out: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, dict) and isinstance(value.get("phrase"), str):
            out[name] = Phrase(value["phrase"], **restored_params(value.get("params") or {}))
        else:
            out[name] = value
    return out


def _told(value: object, lang: str) -> object:
    """A parameter in ``lang``: errors and phrases told, a list of them joined with commas."""
    if isinstance(value, CrmkgError | Phrase | Said):
        return value.localised(lang)
    if isinstance(value, list | tuple):
        return ", ".join(str(_told(item, lang)) for item in value)
    return value


def _render(key: str, lang: str, params: dict[str, object]) -> str:
    """The message ``key`` in ``lang``; a parameter that is itself an error or a phrase is told in
    ``lang`` too."""
    from crmkg.i18n import catalogue, counted, message  # the catalogue reads the language rule, which raises these

    values = {name: _told(v, lang) for name, v in params.items()}
    if isinstance(catalogue()[key]["en"], dict):  # a counted message: "1 kysely", "2 kyselyä"
        n = values.pop("n")
        assert isinstance(n, int)
        return counted(key, lang, n, **values)
    return message(key, lang, **values)


class UsageError(CrmkgError, ValueError):
    """A caller passed a malformed value."""


class LoadError(CrmkgError):
    """Input data could not be loaded; the store is left as it was."""


@dataclass(frozen=True)
class SourceLocation:
    """Where in a file something is: 1-based line (for a CSV record: the line it starts on) and
    column, either may be unknown; ``field`` names a tabular column (a CSV header) instead of a
    character position."""

    file: str
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
        if self.line is not None and self.column is not None:
            parts.append(str(self.column))
        elif self.field:
            parts.append(self.field)
        return ":".join(parts)


class RdfSyntaxError(LoadError):
    """A document is not valid in its RDF syntax. The frame is told in the user's language; the
    ``problem`` stays as the parser wrote it."""

    def __init__(self, location: SourceLocation, problem: str | Phrase) -> None:
        super().__init__(key="error.rdf_syntax", where=str(location), problem=problem)
        self.location = location
        self.problem = str(problem)


class InputLimitError(LoadError):
    """A document exceeds a structural limit checked before parsing (nesting depth, XML width); the
    frame and the ``problem`` (a :class:`Phrase` of crmkg's) are told in the user's language."""

    def __init__(self, location: SourceLocation, problem: Phrase) -> None:
        super().__init__(key="error.input_limit", where=str(location), problem=problem)
        self.location = location
        self.problem = str(problem)


class UnsupportedFormatError(LoadError):
    """A file's RDF format cannot be told from its name, or is not supported."""

    def __init__(self, path: Path | str | Phrase, problem: Phrase) -> None:
        super().__init__(key="error.unsupported_format", path=path, problem=problem, location=SourceLocation(str(path)))
        self.path = str(path)


class StoreError(CrmkgError):
    """A store backend failed."""


class ReadOnlyError(StoreError):
    """A write was attempted on a read-only store or endpoint."""


class QueryError(CrmkgError):
    """A SPARQL query could not be run."""


class QueryNotFound(QueryError, KeyError):
    """No catalogue query has the requested id."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else "query not found"


class QuerySyntaxError(QueryError):
    """The query text is not valid SPARQL 1.1."""


class QueryTooLarge(QuerySyntaxError):
    """The query text is over a limit (size, nesting depth) that is checked before it is run."""


class BindingError(QueryError, UsageError):
    """A parameter value does not fit its declared type."""


class QueryRefused(QueryError):
    """The query asks for something the policy forbids."""


class QueryTimeout(QueryError):
    """The query ran longer than allowed and was stopped."""


class QueryOverLimit(QueryError):
    """A query needed more than the service allows (worker memory, queries at once); try later or simpler."""


class ValidationError(CrmkgError):
    """Validation could not be run (this is not "the data has findings")."""


class ReasoningError(CrmkgError):
    """The reasoner could not be run or failed."""


class IngestError(CrmkgError):
    """An export could not be imported."""


class NotFound(CrmkgError, LookupError):
    """The IRI asked about does not occur in the data."""
