"""Checks that find their violations with the same query run it once (see :class:`Shared`).

Several shapes that target different classes often constrain one property the same way: in the akj
shapes ``akj:startDate`` has a maxCount, a datatype and a lessThanOrEquals on each of seven classes.
Compiled per shape, each check walks its own class's instances; shared, one query walks the
property once for every subject and returns each violation with its focus node's types, and each
check keeps the rows of its own classes (:func:`~crmkg.validation.fast.engine.kept_rows`).

Likewise the ``sh:minCount 1`` checks of one class's instances (S11: four predicates of every
responsibility assignment) run one query that walks those instances once and tests each predicate,
each row carrying the predicate it misses in the same column (:func:`_missing_together`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from typing import TYPE_CHECKING

from rdflib import URIRef
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
    checks = _missing_together(checks, prologue)
    count = Counter(c.shared.pattern for c in checks if c.shared is not None and c.shared.missing is None)
    out = []
    for check in checks:
        shared = check.shared
        if shared is None or shared.missing is not None or count[shared.pattern] < 2:
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


def _missing_together(checks: list[Check], prologue: str) -> list[Check]:
    """``checks`` with the ``sh:minCount 1`` checks over the same focus classes (two predicates or
    more) running one query: the focus walked once, not once per predicate (0.09 s per check over the
    65,000 assignments at 1M triples, most of it that walk). ``?_type`` holds the missing predicate."""
    predicates: defaultdict[tuple[URIRef, ...], set[str]] = defaultdict(set)
    for check in checks:
        if check.shared is not None and check.shared.missing is not None:
            predicates[check.shared.types].add(check.shared.missing)
    out = []
    for check in checks:
        shared = check.shared
        if shared is None or shared.missing is None or len(predicates[shared.types]) < 2:
            out.append(check)
            continue
        classes = " ".join(iri(str(t)) for t in shared.types)
        listed = " ".join(iri(p) for p in sorted(predicates[shared.types]))
        typed = f"{SHARED_FOCUS} {iri(str(RDF.type))} ?_class"
        focus = f"{{ SELECT DISTINCT {SHARED_FOCUS} WHERE {{ VALUES ?_class {{ {classes} }} {typed} }} }}"
        query = (
            f"{prologue}SELECT DISTINCT {SHARED_FOCUS} {SHARED_TYPE} WHERE {{ {focus} "
            f"VALUES {SHARED_TYPE} {{ {listed} }} "
            f"FILTER NOT EXISTS {{ {SHARED_FOCUS} {SHARED_TYPE} {SHARED_VALUE} }} }}"
        )
        out.append(
            replace(
                check, query=query, focus_var=SHARED_FOCUS[1:], value_var=None, keep_types=frozenset({shared.missing})
            )
        )
    return out
