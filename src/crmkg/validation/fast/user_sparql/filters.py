"""Moving each group's FILTERs to the end of that group.

SPARQL applies a FILTER to its whole group wherever it stands, so this changes no result; but
Oxigraph splits a group's triple patterns at a FILTER and may then evaluate the second half with
nothing bound (e.g. a zero-or-one path over every node of the graph).
"""

from __future__ import annotations

from crmkg.validation.fast.user_sparql.scan import Group, filter_at, filter_end, groups, mask


def _render(body: str, masked: str, start: int, end: int, children_of: list[Group], move: bool = True) -> str:
    """``body[start:end]`` with every group's own FILTERs moved to the end of that group."""
    out: list[str] = []
    moved: list[str] = []
    i = start
    children = [g for g in children_of if start <= g.open < end]
    while i < end:
        child = next((g for g in children if g.open == i), None)
        if child is not None:
            out.append("{" + _render(body, masked, child.open + 1, child.close, child.children) + "}")
            i = child.close + 1
            continue
        if move and filter_at(masked, i):
            stop = filter_end(masked, i)
            inner = [g for g in children if i <= g.open < stop]
            moved.append(_render(body, masked, i, stop, inner, move=False))
            i = stop
            while i < end and masked[i].isspace():
                i += 1
            if i < end and masked[i] == ".":
                i += 1
            out.append(" . ")
            continue
        out.append(body[i])
        i += 1
    text = "".join(out)
    if moved:
        text = text + " " + " ".join(moved) + " "
    return text


def tidy_dots(text: str) -> str:
    """Drop the dots that moving FILTERs leaves doubled or at the start of a group."""
    masked = mask(text)
    keep = list(text)
    last_sig = "{"
    for i, ch in enumerate(masked):
        if ch.isspace():
            continue
        if ch == "." and last_sig in ".{;," and not (i + 1 < len(masked) and masked[i + 1].isdigit()):
            keep[i] = " "
            continue
        last_sig = ch
    return "".join(keep)


def filters_last(body: str) -> str:
    """``body`` (a query without prologue) with FILTERs moved to the end of their groups."""
    masked = mask(body)
    return tidy_dots(_render(body, masked, 0, len(body), groups(masked)))
