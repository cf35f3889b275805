"""The ontology documentation: one HTML page per language, the class diagram, the ontology files.

The same renderer serves ``/ontology/`` and writes the static site of ``crmkg docs --out DIR``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup
from rdflib import Graph

from crmkg._version import __version__
from crmkg.formats import RdfFormat
from crmkg.namespaces import AKJ, PREFIXES
from crmkg.terms import curie
from crmkg.web.i18n import LANGS, message
from crmkg.web.ontodoc.diagram import layout
from crmkg.web.ontodoc.model import Ontology
from crmkg.web.render import environment

#: file suffix → (rdflib serializer, media type)
FILES = {
    "ttl": ("turtle", RdfFormat.TURTLE.media_type),
    "rdf": ("xml", RdfFormat.RDF_XML.media_type),
    "jsonld": ("json-ld", RdfFormat.JSON_LD.media_type),
    "nt": ("nt", RdfFormat.N_TRIPLES.media_type),
}
STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "crmkg.css"


@dataclass(frozen=True)
class Links:
    """Where the page's links point: served under /ontology/ or as files next to each other."""

    css: str
    icon: str
    home: str
    page: dict[str, str]  # language → the page in that language
    files: dict[str, str]  # ttl, rdf, jsonld, nt, svg


SERVED = Links(
    "/static/crmkg.css",
    "/static/favicon.svg",
    "/",
    {"fi": "/ontology/?lang=fi", "en": "/ontology/?lang=en"},
    {**{k: f"/ontology/akj.{k}" for k in FILES}, "svg": "/ontology/diagram.svg"},
)
STATIC = Links(
    "crmkg.css",
    "favicon.svg",
    "index.html",
    {"fi": "index.html", "en": "index.en.html"},
    {**{k: f"akj.{k}" for k in FILES}, "svg": "diagram.svg"},
)


def _ref(onto: Ontology, lang: str, page: str):  # type: ignore[no-untyped-def]
    def ref(iri: str) -> Markup:
        entry = onto.get(iri)
        if entry is not None:
            return Markup('<a href="{}#{}">{}</a>').format(page, entry.anchor, entry.label(lang))
        if iri.startswith(str(AKJ)):
            return Markup("<span>{}</span>").format(curie(iri))
        return Markup('<a href="{}" rel="external">{}</a>').format(iri, curie(iri))

    return ref


def page_html(onto: Ontology, lang: str, links: Links) -> str:
    other = LANGS[1] if lang == LANGS[0] else LANGS[0]
    page = links.page[lang].split("?")[0] if links is STATIC else ""
    sections = [
        (key, onto.section(key))
        for key in (
            "classes",
            "object_properties",
            "datatype_properties",
            "annotation_properties",
            "schemes",
            "concepts",
        )
        if onto.section(key)
    ]
    return (
        environment()
        .get_template("ontology.html")
        .render(
            onto=onto,
            lang=lang,
            other_lang=other,
            t=lambda key, /, **v: message(key, lang, **v),
            css_href=links.css,
            icon_href=links.icon,
            home_href=links.home,
            other_href=links.page[other],
            files=links.files,
            sections=sections,
            diagram=layout(onto, lang),
            diagram_title=message("onto.diagram", lang),
            doc_href=page,
            ref=_ref(onto, lang, page),
            version=__version__,
            curie=curie,
        )
    )


def diagram_svg(onto: Ontology, lang: str, doc_href: str) -> str:
    body = (
        environment()
        .get_template("_diagram.svg")
        .render(diagram=layout(onto, lang), diagram_title=message("onto.diagram", lang), doc_href=doc_href)
    )
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body


def serialised(onto: Ontology, suffix: str) -> bytes:
    fmt, _ = FILES[suffix]
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    for triple in onto.graph:
        graph.add(triple)
    data: bytes = graph.serialize(format=fmt, encoding="utf-8")
    return data


def write_site(onto: Ontology, out: Path) -> list[Path]:
    """Write the static documentation into ``out``; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in LANGS:
        path = out / STATIC.page[lang]
        path.write_text(page_html(onto, lang, STATIC), encoding="utf-8")
        written.append(path)
    svg = out / STATIC.files["svg"]
    svg.write_text(diagram_svg(onto, "en", STATIC.page["en"]), encoding="utf-8")
    written.append(svg)
    for suffix in FILES:
        path = out / f"akj.{suffix}"
        path.write_bytes(serialised(onto, suffix))
        written.append(path)
    for name, source in ((STATIC.css, STYLESHEET), (STATIC.icon, STYLESHEET.with_name("favicon.svg"))):
        target = out / name
        target.write_bytes(source.read_bytes())
        written.append(target)
    return written
