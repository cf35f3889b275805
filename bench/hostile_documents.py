"""Hostile documents: deeply nested or very wide, in every RDF syntax crmkg reads.

Each builder takes a depth (or width) and returns the bytes; the sizes in the comments are the
issue's. ``tests/hostile`` posts and loads all of them; :func:`worst_uploads` gives a benchmark the
worst upload classes to send in a loop (``sys.path`` has ``bench/``; ``from hostile_documents
import worst_uploads``).
"""

from __future__ import annotations

RDF_NS = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/"'


def jsonld_objects(depth: int) -> bytes:
    """Objects inside objects: 4,000 levels (about 56 KB) segfault pyoxigraph's JSON-LD parser."""
    return ('{"http://e/p":' * depth + '"x"' + "}" * depth).encode()


def jsonld_arrays(depth: int) -> bytes:
    return ('{"@id":"http://e/a","http://e/p":' + "[" * depth + '"x"' + "]" * depth + "}").encode()


def jsonld_context_chain(length: int) -> bytes:
    """Context terms defined through each other (flat JSON): 20,000 segfault pyoxigraph."""
    terms = ",".join(f'"t{i}":"t{i + 1}:x"' for i in range(length))
    return ('{"@context":{' + terms + f',"t{length}":"http://e/"}},"@id":"http://e/a","t0":"v"}}').encode()


def rdfxml_elements(depth: int) -> bytes:
    """Node and property elements inside each other: 20,000 levels are the issue's 920 KB."""
    opening = "<rdf:Description><ex:p>" * depth
    closing = "</ex:p></rdf:Description>" * depth
    return f"<rdf:RDF {RDF_NS}>{opening}<rdf:Description/>{closing}</rdf:RDF>".encode()


def rdfxml_attributes(width: int) -> bytes:
    """One element with ``width`` property attributes (quadratic in pyoxigraph: 100,000 take 51 s)."""
    attributes = " ".join(f'ex:p{i}="v"' for i in range(width))
    return f'<rdf:RDF {RDF_NS}><rdf:Description rdf:about="http://e/a" {attributes}/></rdf:RDF>'.encode()


def turtle_blank_nodes(depth: int) -> bytes:
    return ("<http://e/a> <http://e/p> " + "[ <http://e/p> " * depth + "1" + " ]" * depth + " .\n").encode()


def turtle_collections(depth: int) -> bytes:
    return ("<http://e/a> <http://e/p> " + "( " * depth + "1" + " )" * depth + " .\n").encode()


def triple_terms(depth: int) -> bytes:
    """RDF 1.2 triple terms inside triple terms (N-Triples and Turtle): 20,000 segfault pyoxigraph."""
    opening = "<<( <http://e/a> <http://e/p> " * depth
    return ("<http://e/a> <http://e/p> " + opening + '"1"' + " )>>" * depth + " .\n").encode()


def trig_blank_nodes(depth: int) -> bytes:
    return b"<http://e/g> { " + turtle_blank_nodes(depth) + b" }\n"


#: media type, file extension, builder — one per syntax and kind of nesting.
DEEP = {
    "jsonld-objects": ("application/ld+json", ".jsonld", jsonld_objects),
    "jsonld-arrays": ("application/ld+json", ".jsonld", jsonld_arrays),
    "jsonld-context-chain": ("application/ld+json", ".jsonld", jsonld_context_chain),
    "rdfxml-elements": ("application/rdf+xml", ".rdf", rdfxml_elements),
    "turtle-blank-nodes": ("text/turtle", ".ttl", turtle_blank_nodes),
    "turtle-collections": ("text/turtle", ".ttl", turtle_collections),
    "turtle-triple-terms": ("text/turtle", ".ttl", triple_terms),
    "ntriples-triple-terms": ("application/n-triples", ".nt", triple_terms),
    "trig-blank-nodes": ("application/trig", ".trig", trig_blank_nodes),
}


def worst_uploads() -> dict[str, tuple[str, bytes]]:
    """The issue's worst uploads, name → (content type, body) for ``POST /validate``: the 56 KB
    JSON-LD that segfaulted the server and the 920 KB RDF/XML that froze it for 4.8 s. Both are now
    refused (400) by the input limits before any parser sees them."""
    return {
        "deep JSON-LD (4,000 objects)": ("application/ld+json", jsonld_objects(4_000)),
        "deep RDF/XML (20,000 levels)": ("application/rdf+xml", rdfxml_elements(20_000)),
    }
