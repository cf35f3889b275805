"""The limits of :mod:`crmkg.inputcheck`: what a document may contain, the limits in force, and
the errors the scanners raise when a document goes past them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from crmkg.config import Settings
from crmkg.errors import InputLimitError, Phrase, SourceLocation, UsageError

#: Defaults: generous for real data (JSON-LD and RDF/XML exports nest a dozen levels, Turtle a few),
#: small enough that the worst document under the request size limit parses in seconds.
DEFAULT_MAX_DEPTH = 64
DEFAULT_MAX_XML_ATTRIBUTES = 256
#: Above this the JSON-LD context analysis (and rdflib) would need deeper recursion than Python allows.
HIGHEST_MAX_DEPTH = 512
HIGHEST_MAX_XML_ATTRIBUTES = 10_000

DEPTH_SETTING = "CRMKG_MAX_NESTING_DEPTH or --max-nesting-depth"
ATTRIBUTES_SETTING = "CRMKG_MAX_XML_ATTRIBUTES or --max-xml-attributes"


@dataclass(frozen=True)
class InputLimits:
    """What a document may contain before it is parsed.

    ``max_depth`` bounds brackets, JSON objects/arrays and XML elements open at once (and JSON-LD
    context terms defined through each other); ``max_xml_attributes`` bounds the attributes of one
    XML element and the namespace declarations in scope; ``xml_entities`` allows internal XML entity
    declarations (files: yes, as pyoxigraph expands them; uploads: no).
    """

    max_depth: int = DEFAULT_MAX_DEPTH
    max_xml_attributes: int = DEFAULT_MAX_XML_ATTRIBUTES
    xml_entities: bool = True

    def __post_init__(self) -> None:
        check_range(Phrase("limit.depth_setting"), self.max_depth, 1, HIGHEST_MAX_DEPTH, DEPTH_SETTING)
        check_range(
            Phrase("limit.attribute_setting"),
            self.max_xml_attributes,
            1,
            HIGHEST_MAX_XML_ATTRIBUTES,
            ATTRIBUTES_SETTING,
        )


def limits_from(settings: Settings, *, xml_entities: bool = True) -> InputLimits:
    """The limits ``settings`` set (``CRMKG_MAX_NESTING_DEPTH``, ``CRMKG_MAX_XML_ATTRIBUTES``)."""
    return InputLimits(settings.max_nesting_depth, settings.max_xml_attributes, xml_entities)


def check_range(what: Phrase, value: int, low: int, high: int, setting: str) -> None:
    if not low <= value <= high:
        raise UsageError(key="error.limit_range", what=what, low=low, high=high, value=value, setting=setting)


_DEFAULT = InputLimits()
_current: ContextVar[InputLimits | None] = ContextVar("crmkg_input_limits", default=None)


def current_limits() -> InputLimits:
    """The limits in force: the defaults unless an edge (CLI, API) set others with :func:`using_limits`."""
    return _current.get() or _DEFAULT


@contextmanager
def using_limits(limits: InputLimits) -> Iterator[InputLimits]:
    """Apply ``limits`` to every parse in this context (and the threads it starts work in)."""
    token = _current.set(limits)
    try:
        yield limits
    finally:
        _current.reset(token)


def location_at(data: bytes, offset: int, source: str) -> SourceLocation:
    """1-based line and column (in characters) of byte ``offset``."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    return SourceLocation(source, data.count(b"\n", 0, offset) + 1, column)


def too_deep(location: SourceLocation, what: Phrase, limit: int) -> InputLimitError:
    return InputLimitError(location, Phrase("limit.too_deep", what=what, limit=limit, setting=DEPTH_SETTING))


def unterminated(location: SourceLocation, what: Phrase) -> InputLimitError:
    """An unterminated token followed by enough brackets to pass the limit if they were real."""
    return InputLimitError(location, Phrase("limit.unterminated", what=what))
