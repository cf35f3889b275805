"""RDF and SPARQL-results formats: one table of names, media types and file extensions.

The CLI (``--format``), the loader (file extensions) and the API (content negotiation) all read
these tables, so a format is added in one place.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from crmkg.errors import Phrase, UnsupportedFormatError


class RdfFormat(Enum):
    """An RDF serialisation: (short name, media type, extensions, holds named graphs)."""

    TURTLE = ("turtle", "text/turtle", (".ttl",), False)
    N_TRIPLES = ("ntriples", "application/n-triples", (".nt",), False)
    N_QUADS = ("nquads", "application/n-quads", (".nq",), True)
    TRIG = ("trig", "application/trig", (".trig",), True)
    RDF_XML = ("rdfxml", "application/rdf+xml", (".rdf", ".owl", ".xml"), False)
    JSON_LD = ("jsonld", "application/ld+json", (".jsonld", ".json-ld"), True)

    def __init__(self, short: str, media_type: str, extensions: tuple[str, ...], datasets: bool) -> None:
        self.short = short
        self.media_type = media_type
        self.extensions = extensions
        self.supports_datasets = datasets

    @classmethod
    def from_path(cls, path: Path | str) -> RdfFormat:
        """The format a file's extension names; raises :class:`UnsupportedFormatError`."""
        suffix = Path(path).suffix.lower()
        for fmt in cls:
            if suffix in fmt.extensions:
                return fmt
        known = ", ".join(ext for fmt in cls for ext in fmt.extensions)
        raise UnsupportedFormatError(path, Phrase("error.unknown_extension", suffix=suffix, known=known))

    @classmethod
    def from_name(cls, name: str) -> RdfFormat:
        """Look a format up by short name, media type or extension (``ttl``, ``text/turtle``)."""
        key = name.strip().lower().split(";")[0].strip()
        for fmt in cls:
            if key in (fmt.short, fmt.media_type, fmt.name.lower()) or f".{key}" in fmt.extensions:
                return fmt
        raise UnsupportedFormatError(name, Phrase("error.unknown_format_name"))

    @classmethod
    def is_rdf_file(cls, path: Path) -> bool:
        """True if the file's extension names a supported RDF format."""
        suffix = path.suffix.lower()
        return any(suffix in fmt.extensions for fmt in cls)
