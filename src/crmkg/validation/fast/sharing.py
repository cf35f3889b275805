"""Checks that find their violations with the same query run it once (see :class:`Shared`).

Several shapes that target different classes often constrain one property the same way: in the akj
shapes ``akj:startDate`` has a maxCount, a datatype and a lessThanOrEquals on each of seven classes.
Compiled per shape, each check walks its own class's instances; shared, one query walks the
property once for every subject and returns each violation with its focus node's types, and each
check keeps the rows of its own classes (:func:`~crmkg.validation.fast.engine.kept_rows`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from rdflib.namespace import RDF

from crmkg.validation.fast.constraints.base import SHARED_FOCUS, SHARED_TYPE, SHARED_VALUE, Shared
from crmkg.validation.fast.sparqltext import iri

if TYPE_CHECKING:
    from crmkg.validation.fast.compiler import Check

__all__ = ["Shared", "share"]


def share(checks: list[Check], prologue: str) -> list[Check]:
    """``checks`` with those whose :class:`Shared` pattern another check has too running that
    pattern (the same query text, so it runs once). A pattern only one check has stays in the
    check's own form, which reads only its focus nodes instead of every subject of the property."""
    count = Counter(c.shared.pattern for c in checks if c.shared is not None)
    out = []
    for check in checks:
        shared = check.shared
        if shared is None or count[shared.pattern] < 2:
            out.append(check)
            continue
        cols = [SHARED_FOCUS, SHARED_VALUE] if shared.value else [SHARED_FOCUS]
        query = (
            f"{prologue}SELECT DISTINCT {' '.join(cols)} {SHARED_TYPE} "
            f"WHERE {{ {shared.pattern} {SHARED_FOCUS} {iri(str(RDF.type))} {SHARED_TYPE} . }}"
        )
        out.append(
            replace(
                check,
                query=query,
                focus_var=SHARED_FOCUS[1:],
                value_var=SHARED_VALUE[1:] if shared.value else None,
                keep_types=frozenset(str(t) for t in shared.types),
            )
        )
    return out
