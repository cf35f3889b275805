"""Namespace constants used across crmkg (rdflib ``Namespace`` objects and prefix tables)."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

AKJ = Namespace("https://w3id.org/crmkg/akj#")
AKJSH = Namespace("https://w3id.org/crmkg/shapes#")
EX = Namespace("https://example.org/esimerkki/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("http://schema.org/")
VANN = Namespace("http://purl.org/vocab/vann/")

#: Prefixes known everywhere: SPARQL prologues, CURIE expansion, Turtle output.
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
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SH",
    "SKOS",
    "VANN",
    "XSD",
    "sparql_prologue",
]


def sparql_prologue(prefixes: dict[str, str] | None = None) -> str:
    """Return ``PREFIX`` lines for the given table (default: :data:`PREFIXES`)."""
    table = PREFIXES if prefixes is None else prefixes
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in table.items())
