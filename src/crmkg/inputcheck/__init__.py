"""Structural limits checked on RDF input before any parser sees it.

Measured on pyoxigraph 0.5 and rdflib 7 (``tests/hostile/test_upload_limits.py`` keeps the cases):

* JSON-LD: pyoxigraph's expansion recurses per nested object or array — quadratic time (1,000
  levels: 1.5 s) and a segfault of the whole process at about 3,500 levels (a 120 KB document);
  ``@context`` terms defined through each other segfault it at about 15,000; rdflib raises
  RecursionError at about 1,000 levels.
* RDF/XML: pyoxigraph's parser is super-quadratic in element depth (20,000 levels: 6.6 s,
  40,000: 107 s) and quadratic in the attributes of one element and in the namespace declarations
  in scope (100,000 attributes on one element: 51 s).
* Turtle, TriG, N-Triples, N-Quads: triple terms ``<<( … )>>`` nested about 20,000 deep segfault
  pyoxigraph; blank-node ``[…]`` and collection ``(…)`` nesting is linear there but raises
  RecursionError in rdflib at about 1,000 levels.

Each check is one linear pass over the bytes — a JSON scanner that knows strings and escapes, expat
(iterative, with its own entity-amplification guard) for XML, a Turtle tokeniser that knows strings,
IRIs, comments and escaped local names — and may only over-estimate: where the scanner cannot tell
(an unterminated string), it assumes every bracket that follows opens a level.
"""

from __future__ import annotations

from typing import IO

from crmkg.formats import RdfFormat
from crmkg.inputcheck import jsonld_scan, rdfxml_scan, turtle_scan, turtle_stream
from crmkg.inputcheck.limits import (
    DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_XML_ATTRIBUTES,
    InputLimits,
    current_limits,
    limits_from,
    using_limits,
)

__all__ = [
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MAX_XML_ATTRIBUTES",
    "InputLimits",
    "check_document",
    "check_file",
    "current_limits",
    "jsonld_scan",
    "limits_from",
    "rdfxml_scan",
    "turtle_scan",
    "using_limits",
]


def check_document(data: bytes, fmt: RdfFormat, source: str, limits: InputLimits | None = None) -> None:
    """Raise :class:`InputLimitError` if ``data`` exceeds ``limits`` (default: :func:`current_limits`)."""
    limits = limits or current_limits()
    if fmt is RdfFormat.JSON_LD:
        jsonld_scan.check(data, source, limits)
    elif fmt is RdfFormat.RDF_XML:
        rdfxml_scan.check((data,), source, limits)
    else:
        turtle_scan.check(data, source, limits, line_based=fmt in _LINE_BASED)


def check_file(
    opened: IO[bytes],
    fmt: RdfFormat,
    source: str,
    limits: InputLimits | None = None,
    *,
    chunk_size: int = turtle_stream.CHUNK_SIZE,
) -> None:
    """:func:`check_document` of the document from where ``opened`` stands to its end, read
    ``chunk_size`` bytes at a time (the same verdict and location); ``opened`` is put back where it
    stood. JSON-LD is read whole: its context analysis needs the parsed JSON."""
    limits = limits or current_limits()
    start = opened.tell()
    try:
        if fmt is RdfFormat.JSON_LD:
            jsonld_scan.check(opened.read(), source, limits)
        elif fmt is RdfFormat.RDF_XML:
            rdfxml_scan.check(iter(lambda: opened.read(chunk_size), b""), source, limits)
        else:
            turtle_stream.check(opened, source, limits, line_based=fmt in _LINE_BASED, chunk_size=chunk_size)
    finally:
        opened.seek(start)


_LINE_BASED = (RdfFormat.N_TRIPLES, RdfFormat.N_QUADS)
