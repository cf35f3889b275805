"""Top-level ``FILTER NOT EXISTS { P }`` of a WHERE group as set-based anti-joins.

``FILTER NOT EXISTS { P }`` keeps exactly the solutions that
``MINUS { SELECT DISTINCT ?this V WHERE { focus, the group's other patterns, P } }`` keeps, where
V are the variables P shares with the group, provided each of them is bound in every solution
of the group (by a triple pattern, or a BIND of COALESCE(…, constant); variables bound only
inside OPTIONAL or a sub-select, except the focus ``?this``, disqualify that filter). The right
side is then evaluated once for all focus nodes instead of once per row — Oxigraph may plan the
per-row form with nothing bound. When P shares only ``?this``, the group's other patterns are
left out of the right side: they cannot change which focus nodes P holds for.

With ``lateral`` (a store that has SPARQL 1.2's ``LATERAL``, as Oxigraph), a ``P`` that holds a
NOT EXISTS of its own and does not mention the focus node is instead evaluated once per
*distinct* binding of V, with V bound as pre-binding would:
``MINUS { SELECT DISTINCT V WHERE { { SELECT DISTINCT V WHERE { focus, group } } LATERAL { P } } }``.
There the set-based form would nest a second anti-join that walks the group again, while the
distinct keys are few (S10: about 1,500 owner–provider pairs against 60,000 assignments at 1M
triples, 1.37 s → 0.37 s). Where P is a plain pattern or V holds the focus node, the
set-based form measured faster (per-row LATERAL costs up to 15× more there), so it stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crmkg.validation.fast.user_sparql.scan import filter_at, filter_end, groups, mask

_VAR = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")
_NOT_EXISTS = re.compile(r"\bNOT\s+EXISTS\b", re.IGNORECASE)
_NOT_SIMPLE = re.compile(r"\b(OPTIONAL|UNION|VALUES|GRAPH|MINUS|SERVICE|SELECT)\b", re.IGNORECASE)
_SAFE_BIND = re.compile(
    r"BIND\s*\(\s*COALESCE\s*\((?:[^()]|\([^()]*\))*,\s*(?:\"[^\"]*\"(?:\^\^<[^>]*>|@[\w-]+)?|<[^>]*>|-?\d+)\s*\)"
    r"\s+AS\s+\?\w+\s*\)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Where:
    """The top level of a WHERE group: its filters, and the rest of its text."""

    #: FILTER extents (start, stop) and whether each is a NOT EXISTS.
    filters: list[tuple[int, int, bool]]
    #: The group's text without its filters (triple patterns, BINDs, OPTIONALs, sub-selects).
    triples: str
    #: The OPTIONAL and sub-select groups among them.
    optionals: list[str]


def _read_where(body: str, masked: str) -> _Where | None:
    """The outermost WHERE group of ``body`` split into filters and the rest; None when it nests
    a group that is neither a filter, an OPTIONAL nor a sub-select (left as it is)."""
    where = groups(masked)[0]
    optionals = {g.open: g for g in where.children if g.kind in ("optional", "select")}
    filters: list[tuple[int, int, bool]] = []
    plain: list[str] = []
    optional_text: list[str] = []
    i = where.open + 1
    while i < where.close:
        m = filter_at(masked, i)
        if m:
            stop = filter_end(masked, i)
            rest = masked[m.end() : stop].lstrip()
            filters.append((i, stop, bool(re.match(r"NOT\s+EXISTS\b", rest, re.IGNORECASE))))
            i = stop
            continue
        if i in optionals:
            g = optionals[i]
            optional_text.append(body[g.open : g.close + 1])
            plain.append(body[g.open : g.close + 1])
            i = g.close + 1
            continue
        if masked[i] in "{}":
            return None
        plain.append(body[i])
        i += 1
    return _Where(filters, "".join(plain), optional_text)


def anti_joins(body: str, focus: str, lateral: bool = False) -> str:
    """``body`` with its outermost group's ``FILTER NOT EXISTS`` rewritten (see the module's text)."""
    masked = mask(body)
    if not groups(masked):
        return body
    where = _read_where(body, masked)
    if where is None:
        return body
    mandatory_text = where.triples
    for opt in where.optionals:
        mandatory_text = mandatory_text.replace(opt, " ")
    mandatory_masked = mask(mandatory_text)
    without_binds = mandatory_masked
    for bind in _SAFE_BIND.finditer(mandatory_text):
        without_binds = without_binds.replace(mask(bind.group(0)), " ")
    if re.search(r"\bBIND\b", without_binds, re.IGNORECASE) or _NOT_SIMPLE.search(
        without_binds.replace("OPTIONAL", "")
    ):
        return body
    mandatory = {*_VAR.findall(mandatory_masked), "this"}
    optional_only = set(_VAR.findall(mask(" ".join(where.optionals)))) - mandatory
    out: list[str] = []
    last = 0
    for start, stop, negated in where.filters:
        if not negated:
            continue
        inner = body[masked.index("{", start) + 1 : stop - 1]
        inner_vars = set(_VAR.findall(mask(inner)))
        if inner_vars & optional_only:
            continue
        out.append(body[last:start])
        out.append(f"MINUS {{ {_right_side(focus, where.triples, inner, sorted(mandatory & inner_vars), lateral)} }}")
        last = stop
    out.append(body[last:])
    return "".join(out)


def _right_side(focus: str, triples: str, inner: str, keyed: list[str], lateral: bool) -> str:
    """The sub-query subtracted for ``FILTER NOT EXISTS { inner }``; ``keyed``: the variables
    ``inner`` shares with the group's mandatory patterns."""
    if set(keyed) <= {"this"}:
        # P shares nothing but the focus node with the group: which focus nodes P holds for
        # does not depend on the group's other patterns, so they are not joined again.
        return anti_joins(f"SELECT DISTINCT ?this WHERE {{ {focus} {inner} }}", focus)
    if lateral and keyed and "this" not in keyed and _NOT_EXISTS.search(mask(inner)):
        keys = " ".join("?" + v for v in keyed)
        distinct_keys = f"{{ SELECT DISTINCT {keys} WHERE {{ {focus} {triples} }} }}"
        return f"SELECT DISTINCT {keys} WHERE {{ {distinct_keys} LATERAL {{ {inner} }} }}"
    projection = " ".join("?" + v for v in sorted({*keyed, "this"}))
    # The anti-join's own group may hold NOT EXISTS of its own: rewrite it the same way.
    return anti_joins(f"SELECT DISTINCT {projection} WHERE {{ {focus} {triples} {inner} }}", focus)
