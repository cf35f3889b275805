"""The class diagram, laid out from the ontology itself (pure Python, no Graphviz needed).

Classes are placed in layers by the length of their longest sub-class chain from a root (roots
on top), ordered within a layer by the mean position of their parents (one barycentre sweep),
and joined by sub-class arrows. Only geometry here; ``templates/_diagram.svg`` draws it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from crmkg.web.ontodoc.model import Ontology

BOX_W = 190
BOX_H = 34
GAP_X = 16
GAP_Y = 56
MARGIN = 16
PER_ROW = 8  # a wide layer wraps onto more rows


@dataclass(frozen=True)
class Box:
    iri: str
    anchor: str
    label: str
    curie: str
    x: float
    y: float


@dataclass(frozen=True)
class Edge:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Diagram:
    width: int
    height: int
    boxes: tuple[Box, ...]
    edges: tuple[Edge, ...]
    box_w: int = BOX_W
    box_h: int = BOX_H


def _depths(classes: set[str], parents: dict[str, list[str]]) -> dict[str, int]:
    @cache
    def depth(iri: str, trail: frozenset[str] = frozenset()) -> int:
        inside = [p for p in parents.get(iri, []) if p in classes and p not in trail]
        return 0 if not inside else 1 + max(depth(p, trail | {iri}) for p in inside)

    return {iri: depth(iri) for iri in classes}


def layout(onto: Ontology, lang: str) -> Diagram:
    entries = {e.iri: e for e in onto.section("classes")}
    classes = set(entries)
    parents = {iri: [p for p in e.parents if p in classes] for iri, e in entries.items()}
    depths = _depths(classes, parents)
    layers: dict[int, list[str]] = {}
    for iri in sorted(classes, key=lambda i: entries[i].label(lang).casefold()):
        layers.setdefault(depths[iri], []).append(iri)
    position: dict[str, float] = {}
    boxes: list[Box] = []
    y = float(MARGIN)
    width = 0.0
    for level in sorted(layers):
        members = layers[level]
        if level > 0:
            members.sort(key=lambda i: sum(position[p] for p in parents[i]) / max(1, len(parents[i])))
        for row_start in range(0, len(members), PER_ROW):
            row = members[row_start : row_start + PER_ROW]
            for column, iri in enumerate(row):
                x = MARGIN + column * (BOX_W + GAP_X)
                position[iri] = x
                entry = entries[iri]
                boxes.append(Box(iri, entry.anchor, entry.label(lang), entry.curie, x, y))
                width = max(width, x + BOX_W + MARGIN)
            y += BOX_H + GAP_Y
    where = {b.iri: b for b in boxes}
    edges = [
        Edge(where[c].x + BOX_W / 2, where[c].y, where[p].x + BOX_W / 2, where[p].y + BOX_H)
        for c in sorted(classes)
        for p in parents[c]
    ]
    return Diagram(int(width), int(y - GAP_Y + MARGIN), tuple(boxes), tuple(edges))
