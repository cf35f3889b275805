"""``FILTER EXISTS { P }`` / ``FILTER NOT EXISTS { P }`` whose ``P`` shares no variable with the rest of
the query: its value is the same for every solution, so it is asked of the store once.

S28a/b hold ``FILTER EXISTS { ?anyRecord org:member|akj:tenureHolder ?anyone }`` (judge leavers only
when the data records dated organisation history). Oxigraph evaluated the whole query and tested
the filter last (4.2 s at 300k triples with no such record); with ``FILTER(false)`` in its place it
answers at once, and with ``FILTER(true)`` the query is as the data requires.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from crmkg.validation.fast.user_sparql.scan import VAR, filter_at, filter_end, groups, mask

_EXISTS = re.compile(r"(NOT\s+)?EXISTS\s*\{", re.IGNORECASE)
_PARAMETER_OR_FOCUS = re.compile(r"[$?](this|PATH|shapesGraph|currentShape)\b")

#: Given a group pattern ``{ … }``, whether it has a solution in the data (None: cannot tell).
Holds = Callable[[str], bool | None]


def settle_constant_filters(body: str, holds: Holds) -> str:
    """``body`` (a SELECT without prologue) with each constant EXISTS filter of its outermost group
    replaced by ``FILTER(true)`` or ``FILTER(false)``, as ``holds`` answers."""
    masked = mask(body)
    roots = groups(masked)
    if not roots:
        return body
    where = roots[0]
    nested = [(g.open, g.close) for g in where.children]
    out: list[str] = []
    last = 0
    i = where.open + 1
    while i < where.close:
        inside = next((close for open_, close in nested if open_ <= i <= close), None)
        if inside is not None:
            i = inside + 1
            continue
        m = filter_at(masked, i)
        if m is None:
            i += 1
            continue
        stop = filter_end(masked, i)
        kind = _EXISTS.match(masked[m.end() : stop].lstrip())
        if kind is not None and _constant(masked, i, stop):
            answer = holds(body[masked.index("{", i) : stop])
            if answer is not None:
                value = answer != bool(kind.group(1))
                out.append(body[last:i])
                out.append(f"FILTER ({'true' if value else 'false'})")
                last = stop
        i = stop
    out.append(body[last:])
    return "".join(out)


def _constant(masked: str, start: int, stop: int) -> bool:
    """Whether the filter at ``masked[start:stop]`` shares no variable with the rest of the query
    (nor names the focus node, ``$PATH`` or another pre-bound variable)."""
    inner = masked[start:stop]
    if _PARAMETER_OR_FOCUS.search(inner):
        return False
    own = set(VAR.findall(inner))
    rest = set(VAR.findall(masked[:start] + " " + masked[stop:]))
    return not own & rest
