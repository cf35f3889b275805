"""Content negotiation for ``/sparql``: Accept with q-values, plus SPARQLWrapper's ``format`` names.

A ``format``/``output``/``results`` parameter naming a format that fits the query form wins over
``Accept`` (SPARQLWrapper sends both and they agree); unknown values are ignored, never an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Offer:
    """A format the endpoint can write: its key, media type sent, and names it is known by."""

    key: str
    media_type: str
    aliases: tuple[str, ...]
    short_names: tuple[str, ...]


RESULT_OFFERS = (
    Offer(
        "json",
        "application/sparql-results+json",
        (
            "application/sparql-results+json",
            "application/json",
            "application/x-sparqlstar-results+json",
            "text/javascript",
            "application/javascript",
        ),
        ("json", "srj"),
    ),
    Offer(
        "xml",
        "application/sparql-results+xml",
        ("application/sparql-results+xml", "application/xml", "text/xml", "application/x-sparqlstar-results+xml"),
        ("xml", "srx"),
    ),
    Offer("csv", "text/csv", ("text/csv",), ("csv",)),
    Offer("tsv", "text/tab-separated-values", ("text/tab-separated-values",), ("tsv",)),
)
BOOLEAN_KEYS = ("json", "xml")
GRAPH_OFFERS = (
    Offer(
        "turtle",
        "text/turtle",
        ("text/turtle", "application/turtle", "application/x-turtle", "text/n3", "text/rdf+n3", "application/n3"),
        ("turtle", "ttl", "n3"),
    ),
    Offer(
        "ntriples", "application/n-triples", ("application/n-triples", "text/plain"), ("nt", "ntriples", "n-triples")
    ),
    Offer(
        "jsonld",
        "application/ld+json",
        ("application/ld+json", "application/x-json+ld"),
        ("json-ld", "jsonld", "json"),
    ),
    Offer(
        "rdfxml",
        "application/rdf+xml",
        ("application/rdf+xml", "application/xml", "text/xml"),
        ("rdf", "rdf+xml", "xml"),
    ),
)


class NotAcceptable(Exception):
    """Nothing the client accepts can be written for this kind of answer (the router answers 406).

    A plain exception, so the SPARQL worker processes negotiate without importing the web framework.
    """

    def __init__(self, available: str) -> None:
        super().__init__(available)
        self.available = available

    @property
    def detail(self) -> str:
        """The English sentence (the router tells it in the request's language: error.not_acceptable)."""
        return f"none of the accepted media types can be written for this answer; available: {self.available}"


def offers_for(form: str) -> tuple[Offer, ...]:
    if form in ("CONSTRUCT", "DESCRIBE", "GRAPH"):
        return GRAPH_OFFERS
    if form == "ASK":
        return tuple(o for o in RESULT_OFFERS if o.key in BOOLEAN_KEYS)
    return RESULT_OFFERS


def parse_accept(header: str) -> list[tuple[str, float, int]]:
    """``(media range, q, position)`` for each entry, highest preference first."""
    entries = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        entries.append((media, q, position))
    # More specific ranges first at equal q, then the client's order.
    entries.sort(key=lambda e: (-e[1], e[0].count("*"), e[2]))
    return entries


def negotiate(form: str, accept: str | None, format_params: Iterable[str] = ()) -> Offer:
    """The format to answer a ``form`` query in; raises :class:`NotAcceptable`."""
    offers = offers_for(form)
    for value in format_params:
        key = value.strip().lower()
        for offer in offers:
            if key in offer.short_names or key in offer.aliases:
                return offer
    if not accept or not accept.strip():
        return offers[0]
    for media, q, _ in parse_accept(accept):
        if q <= 0:
            continue
        if media in ("*/*", "*"):
            return offers[0]
        if media.endswith("/*"):
            major = media[:-1]
            for offer in offers:
                if offer.media_type.startswith(major):
                    return offer
            continue
        for offer in offers:
            if media in offer.aliases:
                return offer
    raise NotAcceptable(", ".join(o.media_type for o in offers))


def content_type(offer: Offer) -> str:
    return f"{offer.media_type}; charset=utf-8"
