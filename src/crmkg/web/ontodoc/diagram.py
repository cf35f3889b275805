"""The class diagram, laid out from the ontology itself (pure Python, no Graphviz needed).

Classes with sub- or super-classes are drawn as trees: leaves side by side, each parent centred
over its children, roots on top; a class with two parents is placed under the first and gets an
arrow from the other too. Trees are packed into bands no wider than :data:`PER_ROW` boxes. Classes
with neither follow in a grid. Only geometry here; ``templates/_diagram.svg`` draws it.
"""

from __future__ import annotations

from dataclasses import dataclass

from crmkg.web.ontodoc.model import Entry, Ontology

BOX_W = 190
BOX_H = 34
GAP_X = 16
GAP_Y = 46
BAND_GAP = 30
MARGIN = 16
PER_ROW = 7  # boxes side by side at most (a wider tree still gets its own band)


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


class _Layout:
    def __init__(self, entries: dict[str, Entry], lang: str) -> None:
        self.entries = entries
        self.lang = lang
        self.parents = {iri: [p for p in e.parents if p in entries] for iri, e in entries.items()}
        self.children: dict[str, list[str]] = {iri: [] for iri in entries}
        for iri in sorted(entries, key=self.key):
            # each class is laid out under its first parent only; other parents get an extra arrow
            if self.parents[iri]:
                self.children[sorted(self.parents[iri], key=self.key)[0]].append(iri)
        self.slot: dict[str, float] = {}  # x in box widths, within the tree
        self.depth: dict[str, int] = {}

    def key(self, iri: str) -> str:
        return self.entries[iri].label(self.lang).casefold()

    def place(self, iri: str, depth: int, next_leaf: float) -> float:
        """Place the subtree of ``iri``; returns the next free leaf slot."""
        self.depth[iri] = depth
        kids = self.children[iri]
        if not kids:
            self.slot[iri] = next_leaf
            return next_leaf + 1
        for kid in kids:
            next_leaf = self.place(kid, depth + 1, next_leaf)
        self.slot[iri] = (self.slot[kids[0]] + self.slot[kids[-1]]) / 2
        return next_leaf

    def subtree(self, iri: str) -> list[str]:
        out = [iri]
        for kid in self.children[iri]:
            out.extend(self.subtree(kid))
        return out


def layout(onto: Ontology, lang: str) -> Diagram:
    entries = {e.iri: e for e in onto.section("classes")}
    plan = _Layout(entries, lang)
    in_tree = {i for i, ps in plan.parents.items() if ps} | {p for ps in plan.parents.values() for p in ps}
    roots = sorted((i for i in in_tree if not plan.parents[i]), key=plan.key)
    alone = sorted((i for i in entries if i not in in_tree), key=plan.key)
    step_x, step_y = BOX_W + GAP_X, BOX_H + GAP_Y
    position: dict[str, tuple[float, float]] = {}
    band_top, band_left, band_depth, width = float(MARGIN), 0.0, 0, 0.0
    for root in roots:
        leaves = plan.place(root, 0, 0)
        members = plan.subtree(root)
        if band_left and band_left + leaves > PER_ROW:  # start a new band below
            band_top += (band_depth + 1) * step_y + BAND_GAP
            band_left, band_depth = 0.0, 0
        for iri in members:
            position[iri] = (MARGIN + (band_left + plan.slot[iri]) * step_x, band_top + plan.depth[iri] * step_y)
        band_depth = max(band_depth, max(plan.depth[i] for i in members))
        band_left += leaves
        width = max(width, MARGIN + band_left * step_x)
    top = band_top + (band_depth + 1) * step_y + BAND_GAP if roots else float(MARGIN)
    for index, iri in enumerate(alone):
        row, column = divmod(index, PER_ROW)
        position[iri] = (MARGIN + column * step_x, top + row * (BOX_H + GAP_X))
        width = max(width, MARGIN + (column + 1) * step_x)
    height = max(y for _, y in position.values()) + BOX_H + MARGIN if position else 2 * MARGIN
    boxes = tuple(
        Box(iri, entries[iri].anchor, entries[iri].label(lang), entries[iri].curie, *position[iri])
        for iri in sorted(position, key=lambda i: (position[i][1], position[i][0]))
    )
    edges = tuple(
        Edge(position[c][0] + BOX_W / 2, position[c][1], position[p][0] + BOX_W / 2, position[p][1] + BOX_H)
        for c in sorted(entries)
        for p in plan.parents[c]
    )
    return Diagram(int(width - GAP_X + MARGIN), int(height), boxes, edges)
