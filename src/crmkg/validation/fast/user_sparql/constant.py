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
from functools import lru_cache

from crmkg.validation.fast.user_sparql.scan import VAR, filter_at, filter_end, groups, mask

_EXISTS = re.compile(r"(NOT\s+)?EXISTS\s*\{", re.IGNORECASE)
_PARAMETER_OR_FOCUS = re.compile(r"[$?](this|PATH|shapesGraph|currentShape)\b")

#: Given a group pattern ``{ … }``, whether it has a solution in the data (None: cannot tell).
Holds = Callable[[str], bool | None]


def settle_constant_filters(body: str, holds: Holds) -> str:
    """``body`` (a SELECT without prologue) with each constant EXISTS filter of its outermost group
    replaced by ``FILTER(true)`` or ``FILTER(false)``, as ``holds`` answers."""
    out: list[str] = []
    last = 0
    for start, stop, pattern, negated in constant_filters(body):
        answer = holds(pattern)
        if answer is not None:
            out.append(body[last:start])
            out.append(f"FILTER ({'true' if answer != negated else 'false'})")
            last = stop
    out.append(body[last:])
    return "".join(out)


@lru_cache(maxsize=1024)
def constant_filters(body: str) -> tuple[tuple[int, int, str, bool], ...]:
    """The constant EXISTS filters of ``body``'s outermost group: (start, stop, the group pattern
    ``{ … }`` to ask about, whether it is a NOT EXISTS). Remembered by text: the same shapes are
    compiled for every store, and only the answers differ."""
    masked = mask(body)
    roots = groups(masked)
    if not roots:
        return ()
    where = roots[0]
    nested = [(g.open, g.close) for g in where.children]
    found: list[tuple[int, int, str, bool]] = []
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
            found.append((i, stop, body[masked.index("{", i) : stop], bool(kind.group(1))))
        i = stop
    return tuple(found)


def _constant(masked: str, start: int, stop: int) -> bool:
    """Whether the filter at ``masked[start:stop]`` shares no variable with the rest of the query
    (nor names the focus node, ``$PATH`` or another pre-bound variable)."""
    inner = masked[start:stop]
    if _PARAMETER_OR_FOCUS.search(inner):
        return False
    own = set(VAR.findall(inner))
    rest = set(VAR.findall(masked[:start] + " " + masked[stop:]))
    return not own & rest
