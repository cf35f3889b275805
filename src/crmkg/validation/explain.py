"""Findings a reader can follow: labels instead of raw IRIs in messages, datatype findings that name
the datatype actually found, and each finding's own shape label for its group heading.

Engines fill ``{$this}``/``{?value}`` into messages as full IRIs; the reader knows the things by
their names. After a run, :func:`explain` swaps each IRI in a message for its label in the
message's language (else the other of fi/en, else an untagged one), or for a short ``prefix:name``
when the thing has no label. Messages of ``sh:datatype`` findings are replaced by one naming the
value, its datatype and the datatype required, so a shape that checks a count and a datatype
at once no longer reads as if both were wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import FOAF, SKOS, XSD

from crmkg.namespaces import PREFIXES, SH
from crmkg.store import Store
from crmkg.validation.report import Messages, ValidationReport, ValidationResult, pick_message

#: IRI → its labels by language tag ("" for an untagged label).
LabelLookup = Callable[[Iterable[str]], Mapping[str, Messages]]

# An absolute IRI as an engine writes it into a message; trailing punctuation belongs to the sentence.
_IRI = re.compile(r"\b(?:https?|urn|tag|file):[^\s<>\"{}|\\^`]+")
_TRAILING = ".,;:!?)]'"
# A person often has only a foaf:name (crmkg.labels' order: the first found wins).
_LABELS = (SKOS.prefLabel, RDFS.label, FOAF.name)
_DATATYPE = URIRef(str(SH) + "DatatypeConstraintComponent")


def _per_language(labels: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The first label of each language tag ("" untagged) from (tag, text) pairs in preference order."""
    found: dict[str, str] = {}
    for lang, text in labels:
        found.setdefault(lang, text)
    return found


def labels_from_graph(graph: Graph) -> LabelLookup:
    """Labels (``skos:prefLabel``, else ``rdfs:label``, else ``foaf:name``) read from an rdflib graph."""

    def lookup(iris: Iterable[str]) -> dict[str, Messages]:
        out: dict[str, Messages] = {}
        for iri in iris:
            found = _per_language(
                (value.language or "", str(value))
                for prop in _LABELS
                for value in sorted(graph.objects(URIRef(iri), prop), key=str)
                if isinstance(value, Literal)
            )
            if found:
                out[iri] = found
        return out

    return lookup


def short_iri(iri: str, prefixes: Mapping[str, str]) -> str:
    """``ex:rel-1`` for an IRI under a known namespace (the longest wins), else the IRI."""
    return _Shortener(prefixes)(iri)


class _Shortener:
    """:func:`short_iri` for many IRIs: one regex of the namespaces, longest first, made once, not a
    pass over every prefix per IRI (a report names ~20,000 IRIs at 1M triples)."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        by_namespace: dict[str, str] = {}
        for prefix, ns in prefixes.items():
            if ns:
                by_namespace.setdefault(ns, prefix)  # as max(): the first of equals wins
        self._prefix_of = by_namespace
        longest_first = sorted(by_namespace, key=len, reverse=True)
        self._namespace = re.compile("|".join(map(re.escape, longest_first))) if longest_first else None

    def __call__(self, iri: str) -> str:
        found = self._namespace.match(iri) if self._namespace is not None else None
        if found is None:
            return iri
        return f"{self._prefix_of[found.group()]}:{iri[found.end() :]}"


def _split_iri(token: str) -> tuple[str, str]:
    iri = token.rstrip(_TRAILING)
    return iri, token[len(iri) :]


def _iris_in(messages: Messages) -> set[str]:
    return {token.rstrip(_TRAILING) for text in messages.values() for token in _IRI.findall(text)}


class _Namer:
    """Messages with each IRI swapped for its label in the message's language, else its short form.
    A token's replacement is worked out once per language (the same IRIs recur across findings)."""

    def __init__(self, labels: Mapping[str, Messages], shorten: Callable[[str], str]) -> None:
        self._labels, self._shorten = labels, shorten
        self._done: dict[tuple[str, str], str] = {}

    def _token(self, token: str, lang: str) -> str:
        iri, tail = _split_iri(token)
        known = self._labels.get(iri)
        return (f'"{pick_message(known, lang)}"' if known else self._shorten(iri)) + tail

    def __call__(self, messages: Messages) -> dict[str, str]:
        done = self._done
        out: dict[str, str] = {}
        for lang, text in messages.items():

            def name(match: re.Match[str], lang: str = lang) -> str:
                key = (match.group(0), lang)
                named = done.get(key)
                if named is None:
                    named = done[key] = self._token(key[0], lang)
                return named

            out[lang] = _IRI.sub(name, text)
        return out


def _datatype_messages(result: ValidationResult, shapes: Graph, prefixes: Mapping[str, str]) -> dict[str, str] | None:
    """fi/en messages naming the value's datatype and the one required, for an ``sh:datatype`` finding."""
    if result.constraint_component != _DATATYPE or result.source_shape is None:
        return None
    wanted = shapes.value(result.source_shape, SH.datatype)
    if not isinstance(wanted, URIRef):
        return None
    value = result.value
    expected = short_iri(str(wanted), prefixes)
    if isinstance(value, Literal):
        found = RDF.langString if value.language else (value.datatype or XSD.string)
        actual = short_iri(str(found), prefixes)
        return {
            "fi": f'Arvo "{value}" on tietotyyppiä {actual}, mutta sen on oltava {expected}.',
            "en": f'The value "{value}" has datatype {actual}, but it must be {expected}.',
        }
    return {
        "fi": f"Arvo on resurssi eikä literaali, mutta sen on oltava tietotyyppiä {expected}.",
        "en": f"The value is a resource, not a literal, but it must have datatype {expected}.",
    }


def shape_labels(report: ValidationReport, shapes: Graph) -> dict[str, Messages]:
    """The labels of the shapes that reported (each finding's own shape, for its group heading)."""
    out: dict[str, Messages] = {}
    for shape in {r.source_shape for r in report.results if isinstance(r.source_shape, URIRef)}:
        found: dict[str, str] = {}
        for value in sorted(shapes.objects(shape, RDFS.label), key=str):
            if isinstance(value, Literal):
                found.setdefault(value.language or "", str(value))
        if found:
            out[str(shape)] = found
    return out


def explain(report: ValidationReport, shapes: Graph, labels: LabelLookup) -> ValidationReport:
    """``report`` with readable messages and its shapes' labels (see the module docstring)."""
    prefixes = {**PREFIXES, **report.prefixes}
    messages = [_datatype_messages(r, shapes, prefixes) or r.messages for r in report.results]
    named_in = [_iris_in(m) for m in messages]
    wanted = set().union(*named_in)
    known = labels(sorted(wanted)) if wanted else {}
    name = _Namer(known, _Shortener(prefixes))
    # One copy per changed finding (dataclasses.replace costs ~5 µs; a report has ~10,000 findings).
    named = tuple(
        replace(r, messages=name(m) if iris else m) if iris or m is not r.messages else r
        for r, m, iris in zip(report.results, messages, named_in, strict=True)
    )
    return report.replace(results=named, shape_labels=shape_labels(report, shapes))


def labels_from_store(store: Store) -> LabelLookup:
    """Labels (``skos:prefLabel``, else ``rdfs:label``, else ``foaf:name``) read from a store, one pattern per IRI."""

    def lookup(iris: Iterable[str]) -> dict[str, Messages]:
        out: dict[str, Messages] = {}
        for iri in iris:
            found = _per_language(
                (quad.object.language or "", quad.object.value)
                for prop in _LABELS
                for quad in sorted(
                    store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(str(prop)), None),
                    key=lambda q: str(q.object),
                )
                if isinstance(quad.object, ox.Literal)
            )
            if found:
                out[iri] = found
        return out

    return lookup


def labels_by_query(store: Store, *, batch: int = 200) -> LabelLookup:
    """The same labels as :func:`labels_from_store`, asked of an endpoint in one query per ``batch``
    IRIs (a remote store answers each query over HTTP; one pattern per IRI would be hundreds).

    Each label property is its own pattern with a constant predicate: with ``?p`` from a second
    ``VALUES``, an Oxigraph server joined ``?s ?p ?o`` by scanning every triple, once per batch
    (0.4 s a batch at 1M triples; the label phase grew with the store, not with the findings)."""
    props = " UNION ".join(f"{{ ?s <{prop}> ?o BIND(<{prop}> AS ?p) }}" for prop in _LABELS)

    def lookup(iris: Iterable[str]) -> dict[str, Messages]:
        wanted = sorted(set(iris))
        seen: dict[str, dict[str, list[ox.Literal]]] = {}
        for start in range(0, len(wanted), batch):
            values = " ".join(f"<{iri}>" for iri in wanted[start : start + batch])
            query = f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} {props} }}"
            for row in store.select(query).dicts():
                s_, p_, o_ = row.get("s"), row.get("p"), row.get("o")
                if isinstance(s_, ox.NamedNode) and isinstance(p_, ox.NamedNode) and isinstance(o_, ox.Literal):
                    seen.setdefault(s_.value, {}).setdefault(p_.value, []).append(o_)
        out: dict[str, Messages] = {}
        for iri, by_prop in seen.items():
            found = _per_language(  # the order of labels_from_store: the first property wins per language
                (literal.language or "", literal.value)
                for prop in _LABELS
                for literal in sorted(by_prop.get(str(prop), ()), key=str)
            )
            if found:
                out[iri] = found
        return out

    return lookup
