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

from crmkg.validation.fast.user_sparql.filters import tidy_dots
from crmkg.validation.fast.user_sparql.scan import (
    VAR,
    Focus,
    Group,
    balanced_end,
    connected,
    filter_at,
    filter_end,
    groups,
    mask,
    mentions_this,
    optional_keyword_start,
    own_text,
    pattern_vars,
    statement_texts,
    triples_only,
)

_NOT_EXISTS = re.compile(r"\bNOT\s+EXISTS\b", re.IGNORECASE)
_NOT_SIMPLE = re.compile(r"\b(OPTIONAL|UNION|VALUES|GRAPH|MINUS|SERVICE|SELECT)\b", re.IGNORECASE)
_BIND_CALL = re.compile(r"\bBIND\s*\(", re.IGNORECASE)
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


def anti_joins(body: str, focus: Focus, lateral: bool = False) -> str:
    """``body`` with the ``FILTER NOT EXISTS`` of its outermost group, and of the groups nested in
    it (UNION branches, plain groups), rewritten (see the module's text). Inside a nested group a
    FILTER sees only that group's solutions, so each group is rewritten on its own patterns."""
    masked = mask(body)
    roots = groups(masked)
    if not roots:
        return body
    where = roots[0]
    return body[: where.open] + _group(body, masked, where, focus, lateral, top=True) + body[where.close + 1 :]


def _group(body: str, masked: str, group: Group, focus: Focus, lateral: bool, *, top: bool) -> str:
    """The text of ``group`` (braces included), its nested plain groups rewritten first."""
    parts: list[str] = []
    last = group.open
    for child in group.children:
        if child.kind == "group":
            parts.append(body[last : child.open])
            parts.append(_group(body, masked, child, focus, lateral, top=False))
            last = child.close + 1
    parts.append(body[last : group.close + 1])
    return _rewrite("".join(parts), focus, lateral, top=top)


def _rewrite(text: str, focus: Focus, lateral: bool, *, top: bool = True) -> str:
    """``text``, one group ``{ … }``, with its own top-level ``FILTER NOT EXISTS`` as anti-joins.

    The outermost group gets the focus pattern, so ``?this`` is bound in all its solutions; a
    nested group is rewritten only when its own triple patterns bind ``?this`` (otherwise a
    ``?this`` in its filter is free there, and an anti-join on it would not be the same)."""
    masked = mask(text)
    where = _read_where(text, masked)
    if where is None:
        return text
    # A BIND only adds a value to each solution (an error leaves it unbound): the solutions and the
    # group's other variables stay as they are. So a filter that does not read what a BIND computes
    # can still become an anti-join, and its right side needs no BIND at all (S30 computes day
    # counts this way). A BIND of COALESCE(…, constant) always binds: its variable counts as bound.
    triples, computed = _without_binds(where.triples)
    if triples is None:
        return text
    mandatory_text = triples
    for opt in where.optionals:
        mandatory_text = mandatory_text.replace(opt, " ")
    mandatory_masked = mask(mandatory_text)
    without_safe = mandatory_masked
    for bind in _SAFE_BIND.finditer(mandatory_text):
        without_safe = without_safe.replace(mask(bind.group(0)), " ")
    if _NOT_SIMPLE.search(without_safe.replace("OPTIONAL", "")) or _BIND_CALL.search(without_safe):
        return text
    mandatory = set(VAR.findall(mandatory_masked))
    if not top and "this" not in mandatory:
        return text
    mandatory.add("this")
    optional_only = set(VAR.findall(mask(" ".join(where.optionals)))) - mandatory
    # The group's plain filters: on the right side too they cut keys no left row can have.
    plain = [
        (text[start:stop], set(VAR.findall(masked[start:stop])))
        for start, stop, negated in where.filters
        if not negated and not re.search(r"\bEXISTS\b", masked[start:stop], re.IGNORECASE)
    ]
    out: list[str] = []
    last = 0
    for start, stop, negated in where.filters:
        if not negated:
            continue
        inner = text[masked.index("{", start) + 1 : stop - 1]
        inner_vars = set(VAR.findall(mask(inner)))
        if inner_vars & (optional_only | computed):
            continue
        keyed = sorted(mandatory & inner_vars)
        cuts = " ".join(f for f, vars_ in plain if vars_ and vars_ <= set(keyed))
        out.append(text[last:start])
        out.append(f"MINUS {{ {_right_side(focus, triples, inner, keyed, lateral, cuts)} }}")
        last = stop
    out.append(text[last:])
    rewritten = "".join(out)
    if computed and last and not where.optionals and not set(VAR.findall(mask(triples))) & computed:
        # Nothing else in the group reads what the BINDs compute, and no anti-join does: they may
        # come after the anti-joins, and so compute only for the rows that remain (S30's day
        # numbers were computed for every pair of owner assignments before the gaps were cut).
        return _binds_last(rewritten)
    return rewritten


def _binds_last(text: str) -> str:
    """``text``, one group, with its own BINDs (but those of COALESCE(…, constant)) moved to its end
    in their order."""
    masked = mask(text)
    group = groups(masked)[0]
    nested = [(child.open, child.close) for child in group.children]
    moved: list[tuple[int, int]] = []
    for m in _BIND_CALL.finditer(masked, group.open + 1, group.close):
        if any(start <= m.start() <= stop for start, stop in nested) or (moved and m.start() < moved[-1][1]):
            continue
        end = balanced_end(masked, m.end() - 1, "(", ")")
        if not _SAFE_BIND.fullmatch(text[m.start() : end]):
            moved.append((m.start(), end))
    out: list[str] = []
    last = 0
    for start, end in moved:
        out.append(text[last:start])
        last = end
    out.append(text[last : group.close])
    out.extend(" " + text[start:end] for start, end in moved)
    out.append(text[group.close :])
    return tidy_dots("".join(out))


def _without_binds(triples: str) -> tuple[str | None, set[str]]:
    """``triples`` without its BINDs but those of COALESCE(…, constant), and the variables those
    BINDs computed; (None, …) when a BIND cannot be read."""
    masked = mask(triples)
    out: list[str] = []
    computed: set[str] = set()
    last = 0
    for m in _BIND_CALL.finditer(masked):
        if m.start() < last:
            continue
        end = balanced_end(masked, m.end() - 1, "(", ")")
        if _SAFE_BIND.fullmatch(triples[m.start() : end]):
            continue
        target = re.search(r"\bAS\s+[?$](\w+)\s*\)$", masked[m.start() : end], re.IGNORECASE)
        if target is None:
            return None, computed
        computed.add(target.group(1))
        out.append(triples[last : m.start()])
        last = end
    out.append(triples[last:])
    return tidy_dots("".join(out)), computed


def _right_side(focus: Focus, triples: str, inner: str, keyed: list[str], lateral: bool, cuts: str = "") -> str:
    """The sub-query subtracted for ``FILTER NOT EXISTS { inner }``; ``keyed``: the variables
    ``inner`` shares with the group's mandatory patterns; ``cuts``: the group's filters on them
    (a key they reject is on no left row, so the right side need not find it)."""
    if set(keyed) <= {"this"}:
        # P shares nothing but the focus node with the group: which focus nodes P holds for
        # does not depend on the group's other patterns, so they are not joined again.
        return anti_joins(f"SELECT DISTINCT ?this WHERE {_focused(focus, inner)}", focus)
    if lateral and keyed and "this" not in keyed and _NOT_EXISTS.search(mask(inner)):
        factored = _factored(triples, inner, keyed)
        if factored is not None:
            return factored
        keys = " ".join("?" + v for v in keyed)
        distinct_keys = f"{{ SELECT DISTINCT {keys} WHERE {_focused(focus, triples, keys_only=True)} }}"
        per_key, after = _optionals_after(inner, keyed) or (inner, "")
        return f"SELECT DISTINCT {keys} WHERE {{ {distinct_keys} LATERAL {{ {per_key} }} {after} }}"
    own = _own(inner)
    if keyed and "this" not in keyed and set(keyed) <= (pattern_vars(own) or set()) and connected(own):
        # P binds every shared variable with its own connected triple patterns (and walks no
        # path with a modifier): P on its own gives the keys it holds for, instead of joining the
        # group again (S5: the pairs of owner assignments were joined three times; 1.6 s -> 0.3 s
        # at 200k). Unconnected patterns would be a cross product (S31's two tenures' dates).
        keys = " ".join("?" + v for v in keyed)
        return anti_joins(f"SELECT DISTINCT {keys} WHERE {{ {inner} }}", focus)
    projection = " ".join("?" + v for v in sorted({*keyed, "this"}))
    # The anti-join's own group may hold NOT EXISTS of its own: rewrite it the same way.
    needed = _covering(triples, set(keyed))
    return anti_joins(f"SELECT DISTINCT {projection} WHERE {_focused(focus, f'{needed} {inner} {cuts}')}", focus)


def _optionals_after(inner: str, keyed: list[str]) -> tuple[str, str] | None:
    """``inner`` split in two for the LATERAL form: what runs once per key, and its top-level
    OPTIONALs of plain triple patterns with the filters that read what only they bind (``keyed``,
    the LATERAL's keys, are bound before), joined after the LATERAL once for all keys. Inside the
    LATERAL an OPTIONAL is evaluated per key, and a pattern reached from a bound object walks every
    triple with that object (S16's post tenures: ``?tenure akj:tenurePost ?owner`` walked each owner
    post's assignments, 2.3 s at 1M triples; joined once, 0.7 s). None when there is no such
    OPTIONAL, or a statement comes after one (the OPTIONAL would then not be the last join)."""
    masked = mask("{" + inner + "}")
    group = groups(masked)[0]
    optionals = [g for g in group.children if g.kind == "optional"]
    if not optionals or not all(triples_only(masked, g) for g in optionals):
        return None
    text = "{" + inner + "}"
    starts = {optional_keyword_start(masked, g): g.close + 1 for g in optionals}
    kept: list[str] = []
    filters: list[str] = []
    moved: list[str] = []
    i = group.open + 1
    while i < group.close:
        if filter_at(masked, i):
            stop = filter_end(masked, i)
            filters.append(text[i:stop])
            i = stop
        elif i in starts:
            moved.append(text[i : starts[i]])
            i = starts[i]
        elif moved and masked[i] not in " \t\r\n.":
            return None
        else:
            kept.append(text[i])
            i += 1
    own = set(VAR.findall(mask("".join(kept))))
    only_optional = set(VAR.findall(mask(" ".join(moved)))) - own - set(keyed)
    after = [f for f in filters if set(VAR.findall(mask(f))) & only_optional]
    per_key = tidy_dots("".join(kept)) + " " + " ".join(f for f in filters if f not in after)
    return per_key, " ".join(moved + after)


def _factored(triples: str, inner: str, keyed: list[str]) -> str | None:
    """The right side of ``FILTER NOT EXISTS { inner }`` as a join of one sub-query per key, where
    ``inner``'s statements each name exactly one key and its filters stay within one key's
    statements: P(k1, k2) = P1(k1, J) ⋈ P2(k2, J) on the variables J the parts share, every other
    variable private to one part. Each part runs once per distinct value of its own key (LATERAL)
    instead of once per distinct tuple of keys (S10: ?provider's top organisation is found once per
    provider and ?value's once per owner, not once per owner–provider pair). A key's values come
    from the group's statements that bind it, without the focus: more keys than the left side has
    subtract nothing, and a focus sub-query nested this deep was planned badly (7 s instead of 0.6 s
    at 300k triples). None when ``inner`` does not split so."""
    masked = mask(inner)
    filters: list[str] = []
    rest: list[str] = []
    i = last = 0
    while i < len(masked):
        if masked[i] == "{":  # a group outside any filter
            return None
        if filter_at(masked, i):
            stop = filter_end(masked, i)
            rest.append(inner[last:i])
            filters.append(inner[i:stop])
            i = last = stop
            continue
        i += 1
    rest.append(inner[last:])
    plain = "".join(rest)
    plain_masked = mask(plain)
    if _NOT_SIMPLE.search(plain_masked) or _BIND_CALL.search(plain_masked) or re.search(r"_:|\[", plain_masked):
        return None  # blank nodes in patterns are variables no part would share
    parts: dict[str, list[str]] = {k: [] for k in keyed}
    for statement in statement_texts(plain):
        mine = set(VAR.findall(mask(statement))) & set(keyed)
        if len(mine) != 1:
            return None
        parts[mine.pop()].append(statement)
    if any(not statements for statements in parts.values()):
        return None
    names = {k: set(VAR.findall(mask(" . ".join(statements)))) for k, statements in parts.items()}
    shared = {v for k in keyed for v in names[k] - {k} if any(v in names[o] for o in keyed if o != k)}
    if not connected(" . ".join(" ".join("?" + v for v in names[k] & shared) + f" ?{k}" for k in keyed)):
        return None  # parts sharing nothing would join as a cross product
    placed: dict[str, list[str]] = {k: [] for k in keyed}
    every = set().union(*names.values())
    for f in filters:
        used = set(VAR.findall(mask(f))) & every
        home = next((k for k in keyed if used <= names[k]), None)
        if home is None:
            return None
        placed[home].append(f)
    subqueries = []
    for k in keyed:
        projection = " ".join("?" + v for v in [k, *sorted(names[k] & shared)])
        source = f"{{ SELECT DISTINCT ?{k} WHERE {{ {_covering(triples, {k})} }} }}"
        body = " . ".join(parts[k]) + " . " + " ".join(placed[k])
        subqueries.append(f"{{ SELECT DISTINCT {projection} WHERE {{ {source} LATERAL {{ {body} }} }} }}")
    return f"SELECT DISTINCT {' '.join('?' + k for k in keyed)} WHERE {{ {' '.join(subqueries)} }}"


def _covering(triples: str, keyed: set[str]) -> str:
    """Those of the group's triple statements that bind ``keyed``: the right side needs only the
    keys P holds for (more keys than the left side has subtract nothing), so statements binding
    other variables need not be joined (S30: of the pair of assignments around an ownership gap,
    only the earlier one is needed to ask whether another assignment spans its end). All of
    ``triples`` when they are not plain statements, or the chosen ones would not join up."""
    if "{" in mask(triples) or pattern_vars(_own(triples)) is None:
        return triples
    statements = [part for part in statement_texts(triples) if VAR.search(mask(part))]
    needed = keyed - {"this"}
    chosen: list[str] = []
    while needed:
        best = max(statements, key=lambda t: len(set(VAR.findall(mask(t))) & needed), default="")
        covered = set(VAR.findall(mask(best))) & needed
        if not covered:
            return triples
        chosen.append(best)
        needed -= covered
    text = " . ".join(chosen) + " ."
    anchor = " ?this <urn:x> ?this . " if "this" in keyed else ""
    return text if connected(_own(anchor + text)) else triples


def _focused(focus: Focus, patterns: str, *, keys_only: bool = False) -> str:
    """``{ patterns }`` as the right side of an anti-join, restricted to the focus nodes where that
    matters. The left side's ``?this`` is always a focus node, so a right-side row with another
    ``?this`` subtracts nothing. So the focus is left out when it is a class target (it has a test)
    and either a pattern of ``patterns``' own names ``?this`` (binding it in every row), or the
    right side keeps only keys other than ``?this`` (``keys_only``: keys no left row has subtract
    nothing). ``patterns`` then drive the join alone, with no DISTINCT over every focus node per
    anti-join (S3, S26 at 1M: 0.09 -> 0.03 s, 0.18 -> 0.10 s). A restricted or listed focus (no
    test) is kept: it may be far smaller than what ``patterns`` match."""
    if focus.pattern in patterns:
        return f"{{ {patterns} }}"
    if focus.test is not None and (keys_only or mentions_this(_own(patterns))):
        return f"{{ {patterns} }}"
    return f"{{ {focus.pattern} {patterns} }}"


def _own(inner: str) -> str:
    """The masked text of group ``{ inner }`` without its nested groups."""
    masked = mask("{" + inner + "}")
    return own_text(masked, groups(masked)[0])
