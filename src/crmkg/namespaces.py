"""Namespace constants used across crmkg (rdflib ``Namespace`` objects and prefix tables)."""

from __future__ import annotations

import re

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

from crmkg.errors import UsageError

AKJ = Namespace("https://w3id.org/crmkg/akj#")
AKJSH = Namespace("https://w3id.org/crmkg/shapes#")
EX = Namespace("https://example.org/esimerkki/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("http://schema.org/")
VANN = Namespace("http://purl.org/vocab/vann/")
#: Vocabularies crmkg reads or writes but does not put in prologues: R2RML/RML mappings, the SPARQL
#: service description and the W3C format IRIs it names.
RR = Namespace("http://www.w3.org/ns/r2rml#")
RML = Namespace("http://semweb.mmlab.be/ns/rml#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

#: Prefixes known everywhere: SPARQL prologues, CURIE expansion, Turtle output.
#: The named graph the rules' results go in (``crmkg infer --write``, ``crmkg serve``), so they can be dropped again.
INFERRED_GRAPH = "urn:crmkg:graph:inferred"

PREFIXES: dict[str, str] = {
    "akj": str(AKJ),
    "akjsh": str(AKJSH),
    "ex": str(EX),
    "org": str(ORG),
    "prov": str(PROV),
    "foaf": str(FOAF),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "sh": str(SH),
    "schema": str(SCHEMA),
    "vann": str(VANN),
}

__all__ = [
    "AKJ",
    "AKJSH",
    "DCTERMS",
    "EX",
    "FOAF",
    "FORMATS",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "RML",
    "RR",
    "SCHEMA",
    "SD",
    "SH",
    "SKOS",
    "VANN",
    "XSD",
    "expand_identifier",
    "sparql_prologue",
]


def sparql_prologue(prefixes: dict[str, str] | None = None) -> str:
    """Return ``PREFIX`` lines for the given table (default: :data:`PREFIXES`)."""
    table = PREFIXES if prefixes is None else prefixes
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in table.items())


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*$")


def expand_identifier(text: str, prefixes: dict[str, str] | None = None) -> str:
    """An absolute IRI for an IRI, a ``<IRI>``, or a CURIE such as ``ex:rel-1``.

    Raises :class:`~crmkg.errors.UsageError` for anything else (a bare name, spaces, brackets).
    """
    table = PREFIXES if prefixes is None else prefixes
    value = text.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    if not value or any(c in value for c in ' <>"{}|\\^`') or any(ord(c) < 0x21 for c in value):
        raise UsageError(key="error.not_iri_or_curie", text=text)
    scheme, sep, rest = value.partition(":")
    if not sep:
        raise UsageError(key="error.not_iri_or_curie_scheme", text=text)
    if scheme in table:
        return table[scheme] + rest
    if not _SCHEME.match(scheme):
        raise UsageError(key="error.not_iri_or_curie_prefix", text=text, known=", ".join(sorted(table)))
    return value  # an unknown prefix is an IRI scheme (RFC 3987): "zz:x" is an absolute IRI
