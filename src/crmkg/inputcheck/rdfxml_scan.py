"""Element depth, attributes per element and namespace declarations in scope of RDF/XML, by expat.

expat is iterative, so the check itself cannot overflow a stack; it never resolves an external
entity here, and its amplification guard stops billion-laughs expansions of internal ones. Internal
entity declarations are refused outright when the limits say so (uploads).
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.parsers import expat

from crmkg.errors import InputLimitError, Phrase, RdfSyntaxError, SourceLocation
from crmkg.inputcheck.limits import ATTRIBUTES_SETTING, InputLimits, too_deep


class _Refused(Exception):
    def __init__(self, error: InputLimitError | RdfSyntaxError) -> None:
        super().__init__(str(error))
        self.error = error


def check(chunks: Iterable[bytes], source: str, limits: InputLimits) -> None:
    """Check the document ``chunks`` make up (expat reads it piece by piece: the same events and
    locations as in one piece)."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    declared: list[int] = []  # namespace declarations per open element
    in_scope = 0

    def here() -> SourceLocation:
        return SourceLocation(source, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)

    def start(_name: str, attributes: dict[str, str]) -> None:
        nonlocal in_scope
        if len(declared) >= limits.max_depth:
            raise _Refused(too_deep(here(), Phrase("limit.what.xml_elements"), limits.max_depth))
        namespaces = 0
        if attributes:  # most RDF/XML elements have none
            if len(attributes) > limits.max_xml_attributes:
                raise _Refused(_too_wide(here(), Phrase("limit.what.attributes", n=len(attributes)), limits))
            namespaces = sum(1 for name in attributes if name.startswith("xmlns") and name[5:6] in ("", ":"))
            in_scope += namespaces
            if in_scope > limits.max_xml_attributes:
                raise _Refused(_too_wide(here(), Phrase("limit.what.namespaces", n=in_scope), limits))
        declared.append(namespaces)

    def end(_name: str) -> None:
        nonlocal in_scope
        in_scope -= declared.pop()

    def entity(
        _name: str,
        _is_parameter: int,
        _value: str | None,
        _base: str | None,
        system_id: str | None,
        public_id: str | None,
        _notation: str | None,
    ) -> None:
        if system_id is not None or public_id is not None:
            raise _Refused(RdfSyntaxError(here(), Phrase("limit.xml_external_entity")))
        if not limits.xml_entities:
            raise _Refused(RdfSyntaxError(here(), Phrase("limit.xml_entity_declaration")))

    def external(*_: object) -> int:
        raise _Refused(RdfSyntaxError(here(), Phrase("limit.xml_external_entity")))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.EntityDeclHandler = entity
    parser.ExternalEntityRefHandler = external
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Refused as refused:
        raise refused.error from None
    except expat.ExpatError as exc:
        # Not well-formed XML (or an entity expansion past expat's amplification limit).
        location = SourceLocation(source, exc.lineno, exc.offset + 1)
        raise RdfSyntaxError(location, expat.errors.messages[exc.code]) from None


def _too_wide(location: SourceLocation, what: Phrase, limits: InputLimits) -> InputLimitError:
    limit = limits.max_xml_attributes
    return InputLimitError(location, Phrase("limit.too_wide", what=what, limit=limit, setting=ATTRIBUTES_SETTING))
