"""SHACL-SPARQL anti-joins in the form every SPARQL engine evaluates right (checks run on an endpoint).

Virtuoso 7.2 returns wrong rows for property paths inside ``FILTER NOT EXISTS`` and for the
``MINUS`` form :mod:`.anti_join` makes of it (measured on the broken example: S6, S7, S10, S13b, S14
and S26 found relationships that have what they ask for), but evaluates the same test right when
its outcome is bound to a variable: ``BIND(EXISTS { … } AS ?v) FILTER(!?v)``. Once
:func:`~.filters.filters_last` has moved every group's FILTERs to the group's end, a BIND there sees
every binding the FILTER saw, so the two forms have the same solutions on every engine.
"""

from __future__ import annotations

import re

from crmkg.validation.fast.user_sparql.scan import Group, groups, mask

_FILTER_NOT_EXISTS = re.compile(r"\bFILTER\s+NOT\s+EXISTS\s*\{", re.IGNORECASE)


def not_exists_as_bind(body: str) -> str:
    """``body`` (FILTERs already last in their groups) with each outermost ``FILTER NOT EXISTS { P }``
    written ``BIND(EXISTS { P } AS ?_absentN) FILTER(!?_absentN)``; a NOT EXISTS inside P stays."""
    masked = mask(body)
    closes: dict[int, int] = {}

    def index(forest: list[Group]) -> None:
        for g in forest:
            closes[g.open] = g.close
            index(g.children)

    index(groups(masked))
    out: list[str] = []
    last = 0
    for n, match in enumerate(_FILTER_NOT_EXISTS.finditer(masked)):
        if match.start() < last:
            continue  # inside an EXISTS already rewritten
        brace = match.end() - 1
        close = closes[brace]
        out.append(body[last : match.start()])
        out.append(f"BIND(EXISTS {body[brace : close + 1]} AS ?_absent{n}) FILTER(!?_absent{n})")
        last = close + 1
    if not out:
        return body
    out.append(body[last:])
    return "".join(out)
