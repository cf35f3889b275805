"""SHACL-SPARQL anti-joins in the form every SPARQL engine evaluates right (checks run on an endpoint).

Virtuoso 7.2 returns wrong rows for property paths inside ``FILTER NOT EXISTS`` and for the
``MINUS`` form :mod:`.anti_join` makes of it (measured on the broken example: S6, S7, S10, S13b, S14
and S26 found relationships that have what they ask for), but evaluates the same test right when
its outcome is bound to a variable: ``BIND(EXISTS { … } AS ?v) FILTER(!?v)``. Once
:func:`~.filters.filters_last` has moved every group's FILTERs to the group's end, a BIND there sees
every binding the FILTER saw, so the two forms have the same solutions on every engine.

Two more forms it gets wrong, measured on the generated organisation: ``FILTER EXISTS { P }`` with a
path (S28a's class test of the lead loses every row), and a class test of the focus node as a triple
pattern, ``$this rdf:type/rdfs:subClassOf* C .``, next to the focus pattern (S13a: no row). Both are
right as ``BIND(EXISTS { P } AS ?v) FILTER(?v)`` (:func:`class_tests_as_bind`).
"""

from __future__ import annotations

import itertools
import re

from crmkg.validation.fast.user_sparql.filters import tidy_dots
from crmkg.validation.fast.user_sparql.scan import (
    VAR,
    Group,
    balanced_end,
    groups,
    mask,
    mentions,
    optional_keyword_start,
    own_text,
    triples_only,
)

_FILTER_EXISTS = re.compile(r"\bFILTER\s+(NOT\s+)?EXISTS\s*\{", re.IGNORECASE)
#: A whole statement testing the focus node's class through the hierarchy: ``$this rdf:type/rdfs:subClassOf* C .``
_CLASS_TEST = re.compile(
    r"(?<=[{}.\s])[$?]this\s+(?:rdf:type|a|<http://www\.w3\.org/1999/02/22-rdf-syntax-ns#type>)\s*/\s*"
    r"(?:rdfs:subClassOf|<http://www\.w3\.org/2000/01/rdf-schema#subClassOf>)\s*\*\s+(<[^>\s]*>|[\w-]*:[\w-]*)\s*\.",
)


def not_exists_as_bind(body: str) -> str:
    """``body`` (FILTERs already last in their groups) with each outermost ``FILTER NOT EXISTS { P }``
    written ``BIND(EXISTS { P } AS ?_absentN) FILTER(!?_absentN)`` (and ``FILTER EXISTS { P }`` as
    ``BIND(EXISTS { P } AS ?_presentN) FILTER(?_presentN)``); a (NOT) EXISTS inside P stays."""
    masked = mask(body)
    closes: dict[int, int] = {}

    def index(forest: list[Group]) -> None:
        for g in forest:
            closes[g.open] = g.close
            index(g.children)

    index(groups(masked))
    out: list[str] = []
    last = 0
    for n, match in enumerate(_FILTER_EXISTS.finditer(masked)):
        if match.start() < last:
            continue  # inside an EXISTS already rewritten
        brace = match.end() - 1
        close = closes[brace]
        out.append(body[last : match.start()])
        name, test = (f"?_absent{n}", "!") if match.group(1) else (f"?_present{n}", "")
        out.append(f"BIND(EXISTS {body[brace : close + 1]} AS {name}) FILTER({test}{name})")
        last = close + 1
    if not out:
        return body
    out.append(body[last:])
    return "".join(out)


def class_tests_as_bind(body: str) -> str:
    """``body`` with each class test of ``$this`` standing as a statement of the WHERE group's own
    text moved to the group's end as ``FILTER EXISTS { $this rdf:type/rdfs:subClassOf* C }`` (the focus
    pattern binds ``$this`` there, so the test filters and binds nothing, as the triple did);
    :func:`not_exists_as_bind` then gives it the BIND form."""
    masked = mask(body)
    roots = groups(masked)
    if not roots:
        return body
    where = roots[0]
    nested = [(child.open, child.close) for child in where.children]
    tests = [
        m
        for m in _CLASS_TEST.finditer(masked, where.open + 1, where.close)
        if not any(open_ <= m.start() <= close for open_, close in nested)
    ]
    if not tests:
        return body
    moved = " ".join(f"FILTER EXISTS {{ {body[m.start() : m.end() - 1].strip()} }}" for m in tests)
    out, last = [], 0
    for m in tests:
        out.append(body[last : m.start()])
        last = m.end()
    out.append(body[last : where.close])
    out.append(f" {moved} ")
    out.append(body[where.close :])
    return "".join(out)


_FOCUS_TEST = re.compile(r"\A\s*FILTER\s+EXISTS\s*(\{.*\})\s*\Z", re.IGNORECASE | re.DOTALL)


def focus_test_as_bind(test: str, key: int) -> str:
    """The focus test ``FILTER EXISTS { P }`` as ``BIND(EXISTS { P } AS ?_focusK) FILTER(?_focusK)``
    (``key`` keeps each group's variable its own); any other text unchanged."""
    parts = focus_test_parts(test, key)
    return test if parts is None else " ".join(parts)


def focus_test_parts(test: str, key: int) -> tuple[str, str] | None:
    """:func:`focus_test_as_bind`'s two halves, ``BIND(EXISTS { P } AS ?_focusK)`` and
    ``FILTER(?_focusK)``, to be placed apart (a group's FILTER holds wherever it stands in it);
    ``None`` for any other text."""
    m = _FOCUS_TEST.match(test)
    if m is None:
        return None
    return f"BIND(EXISTS {m.group(1)} AS ?_focus{key})", f"FILTER(?_focus{key})"


_UNBOUND_FILTER = re.compile(r"\bFILTER\s*\(\s*!\s*BOUND\s*\(\s*[?$]([A-Za-z_]\w*)\s*\)\s*\)", re.IGNORECASE)
_SETTLED_FALSE = re.compile(r"\bFILTER\s*\(\s*false\s*\)", re.IGNORECASE)
_OPTIONAL_KEYWORD = re.compile(r"\bOPTIONAL\s*\Z", re.IGNORECASE)


def optional_anti_joins_nested(text: str) -> str:
    """``text`` with each group that holds two or more OPTIONAL + ``FILTER(!BOUND(?v))`` anti-joins
    written as nested groups, one anti-join each, its filter beside it:
    ``{ { { P } OPTIONAL { A } FILTER(!BOUND(?a)) } OPTIONAL { B } FILTER(!BOUND(?b)) } …rest }``.

    Virtuoso 7.2 loses every row of S28a with its four anti-joins in one group (each alone is right).
    The forms have the same solutions: ``?a`` occurs only in ``A`` and its filter (checked), so the
    later OPTIONALs leave its boundness as ``A`` left it and the filter may be applied before them.
    A group that a settled ``FILTER (false)`` empties (:mod:`.constant`) keeps its form: nested,
    Virtuoso refuses it ("transitive derived table but neither end of it is bound"; S28a on the
    broken example, which has no membership records).
    """
    for _ in range(text.count("OPTIONAL") + 1):  # one group per pass; a nested group has one OPTIONAL
        masked = mask(text)
        found = next((_nesting(text, masked, g) for g in _walk(groups(masked)) if _nesting(text, masked, g)), None)
        if found is None:
            return text
        text = found
    return text


def _walk(forest: list[Group]) -> list[Group]:
    out: list[Group] = []
    for g in forest:
        out.append(g)
        out.extend(_walk(g.children))
    return out


def _nesting(text: str, masked: str, g: Group) -> str | None:
    """``text`` with group ``g``'s anti-joins nested (see :func:`optional_anti_joins_nested`), or None."""
    if g.kind not in ("group", "optional") or _SETTLED_FALSE.search(own_text(masked, g)):
        return None
    optionals = _optionals(masked, g)
    if len(optionals) < 2:
        return None
    paired = _anti_joins(masked, g, optionals)
    if len(paired) < 2:
        return None
    first = optionals[0][0]
    for (_, before), (start, _) in itertools.pairwise(optionals):
        if masked[before.close + 1 : start].strip(" \t\r\n."):
            return None  # something between two OPTIONALs: keep the order as it is
    moved = {f.start() for fs in paired.values() for f in fs}
    nested = "{ " + text[g.open + 1 : first] + " }"
    for i, (start, child) in enumerate(optionals):
        filters = " ".join(text[f.start() : f.end()] for f in paired.get(i, []))
        nested = "{ " + nested + " " + text[start : child.close + 1] + " " + filters + " }"
    rest, last = [], optionals[-1][1].close + 1
    for f in sorted((f for fs in paired.values() for f in fs), key=lambda f: f.start()):
        if f.start() in moved:
            rest.append(text[last : f.start()])
            last = f.end()
    rest.append(text[last : g.close])
    tail = "".join(rest)
    return text[: g.open + 1] + " " + nested + " " + tail.lstrip(" \t\r\n.") + text[g.close :]


def _optionals(masked: str, g: Group) -> list[tuple[int, Group]]:
    """Group ``g``'s OPTIONAL children, each with where its keyword starts."""
    optionals = []
    for child in g.children:
        keyword = _OPTIONAL_KEYWORD.search(masked, g.open + 1, child.open)
        if child.kind == "optional" and keyword is not None:
            optionals.append((keyword.start(), child))
    return optionals


def _anti_joins(masked: str, g: Group, optionals: list[tuple[int, Group]]) -> dict[int, list[re.Match[str]]]:
    """Of ``optionals`` (in group ``g``), those tested by a ``FILTER(!BOUND(?v))`` of ``g`` whose ``?v``
    is named in that OPTIONAL alone: index -> its filters."""
    inside = [(c.open, c.close) for c in g.children]
    paired: dict[int, list[re.Match[str]]] = {}
    for f in _UNBOUND_FILTER.finditer(masked, g.open + 1, g.close):
        if any(o <= f.start() <= c for o, c in inside):
            continue
        name = f.group(1)
        holders = [i for i, (_, child) in enumerate(optionals) if mentions(name, masked, child.open, child.close)]
        elsewhere = mentions(name, masked, g.open + 1, g.close) - sum(
            mentions(name, masked, child.open, child.close) for _, child in optionals
        )
        if len(holders) == 1 and elsewhere == 1:  # the filter itself is the one mention outside
            paired.setdefault(holders[0], []).append(f)
    return paired


#: A triple's path ending in ``*`` and its object variable, the triple's last: ``?o (p|q)* ?top .``
_STAR_PATH_END = re.compile(r"(?<=\s)[^\s{}.;,]+\*\s+[?$]([A-Za-z_]\w*)(?=\s*\.)")


def star_path_ends_apart(text: str) -> str:
    """``text`` with each ``X P* ?v .`` of an OPTIONAL + ``FILTER(!BOUND(…))`` anti-join, ``?v``
    named there only once, written ``X P* ?_endN . FILTER(!BOUND(?v) || sameTerm(?_endN, ?v))``.

    With ``?v`` bound on the left (S28a's ``?top``), Virtuoso 7.2 evaluated the transitive path with
    both ends bound, and in some server sessions the anti-joins then removed nothing. The forms have
    the same outcome for the anti-join: the OPTIONAL's own filter is its join condition, so it matches
    a left row exactly when the original did (``?v`` unbound on the left: whenever the path has an end).
    """
    masked = mask(text)
    edits: list[tuple[int, int, str]] = []
    for g in _walk(groups(masked)):
        optionals = _optionals(masked, g)
        for i in _anti_joins(masked, g, optionals):
            opt = optionals[i][1]
            whole = masked[opt.open + 1 : opt.close]
            for m in _STAR_PATH_END.finditer(masked, opt.open + 1, opt.close):
                var = m.group(1)
                if any(c.open <= m.start() <= c.close for c in opt.children) or mentions(var, whole) != 1:
                    continue
                end = f"?_end{len(edits)}"
                dot = masked.index(".", m.end())
                test = f" FILTER(!BOUND(?{var}) || sameTerm({end}, ?{var}))"
                edits.append((m.start(1) - 1, m.end(), end))
                edits.append((dot + 1, dot + 1, test))
    for start, stop, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[stop:]
    return text


_RUN_END = re.compile(r"[{}]|\b(?:BIND|FILTER|OPTIONAL|MINUS|VALUES|UNION|SERVICE|GRAPH)\b", re.IGNORECASE)


def paths_before_sub_queries(text: str) -> str:
    """``text`` with each group that opens with a nested group (a sub-select, say) followed by triple
    patterns holding a ``+`` or ``*`` path written with those patterns first: ``{ { Q } T … }`` as
    ``{ T . { Q } … }``. A join's operands commute, and nothing that depends on order (BIND, OPTIONAL,
    MINUS) lies between them. Virtuoso 7.2 loses rows of a transitive path that follows a sub-query
    in a session whose plans were made on another graph first (S19: 4 findings, 0 found)."""
    for _ in range(text.count("{") + 1):  # one group per pass; a rewritten group no longer qualifies
        masked = mask(text)
        found = next((t for g in _walk(groups(masked)) if (t := _paths_first(text, masked, g)) is not None), None)
        if found is None:
            return text
        text = found
    return text


def _paths_first(text: str, masked: str, g: Group) -> str | None:
    if g.kind not in ("group", "optional") or not g.children:
        return None
    first = g.children[0]
    if first.kind not in ("group", "select") or masked[g.open + 1 : first.open].strip():
        return None
    end = _RUN_END.search(masked, first.close + 1, g.close)
    stop = end.start() if end is not None else g.close
    run = masked[first.close + 1 : stop]
    if not re.search(r"[*+]", run) or not run.strip(" \t\r\n."):
        return None
    triples = text[first.close + 1 : stop].strip()
    if not triples.endswith("."):
        triples += " ."
    return text[: g.open + 1] + " " + triples + " " + text[first.open : first.close + 1] + " " + text[stop:]


#: ``OPTIONAL { P . BIND (true AS ?v) }`` with P a plain group (no nested braces)
_FLAG_OPTIONAL = re.compile(r"\bOPTIONAL\s*\{([^{}]*?)\.?\s*BIND\s*\(\s*true\s+AS\s+[?$](\w+)\s*\)\s*\.?\s*\}", re.I)


def optional_flags_as_not_exists(body: str) -> str:
    """``body`` with each anti-join written ``OPTIONAL { P . BIND (true AS ?v) } … FILTER (!BOUND(?v))``
    (``?v`` named nowhere else, the filter after the OPTIONAL) as ``FILTER NOT EXISTS { P }``, which
    :func:`not_exists_as_bind` then gives the form Virtuoso evaluates right. Virtuoso 7.2 never bound
    ``?v`` there (S26: every lead reported as not a person, 4 December)."""
    for m in reversed(list(_FLAG_OPTIONAL.finditer(body))):
        var = re.escape(m.group(2))
        uses = mentions(m.group(2), body)
        unbound = [
            f
            for f in re.finditer(r"\bFILTER\s*\(\s*!\s*BOUND\s*\(\s*[?$]" + var + r"\s*\)\s*\)", body, re.I)
            if f.start() > m.end()
        ]
        if uses != 2 or len(unbound) != 1:
            continue
        f = unbound[0]
        test = f"FILTER NOT EXISTS {{ {m.group(1).strip()} }}"
        between = body[m.end() : f.start()]
        if body[: m.start()].rstrip().endswith((".", "{")):  # no `. .` where the OPTIONAL was
            between = re.sub(r"\A\s*\.", " ", between)
        body = body[: m.start()] + between + test + body[f.end() :]
    return _optional_tests_as_exists(body)


def _optional_tests_as_exists(body: str) -> str:
    """``body`` with each ``OPTIONAL { T }`` of an EXISTS body (T plain triple patterns binding one
    variable ?t named nowhere else but in one later filter as ``!BOUND(?t)`` and ``(BOUND(?t) && X)``)
    written there as ``NOT EXISTS { T }`` and ``EXISTS { T FILTER (X) }``: within an EXISTS only
    whether some row passes counts, and a row of the OPTIONAL passes the filter exactly when one of
    these does (S16's post tenures). Virtuoso 7.2 fails on the OPTIONAL there ("external source var
    is not" found)."""
    masked = mask(body)
    for g in reversed(_walk(groups(masked))):
        if g.kind != "exists":
            continue
        for opt in g.children:
            rewritten = _optional_as_exists(body, masked, g, opt) if opt.kind == "optional" else None
            if rewritten is not None:
                return _optional_tests_as_exists(rewritten)
    return body


def _optional_as_exists(body: str, masked: str, parent: Group, opt: Group) -> str | None:
    if not triples_only(masked, opt):
        return None
    own = masked[opt.open + 1 : opt.close]
    outside = masked[parent.open : opt.open] + masked[opt.close + 1 : parent.close]
    before_or_outside = set(VAR.findall(masked[: opt.open] + masked[parent.close :]))
    fresh = [v for v in dict.fromkeys(VAR.findall(own)) if v not in before_or_outside]
    if len(fresh) != 1:
        return None
    var = re.escape(fresh[0])
    pattern = body[opt.open + 1 : opt.close].strip()
    edits: list[tuple[int, int, str]] = []
    uses = 0
    for m in re.finditer(r"\(\s*BOUND\s*\(\s*[?$]" + var + r"\s*\)\s*&&", masked[: parent.close]):
        if m.start() > opt.close:
            close = balanced_end(masked, m.start(), "(", ")")
            uses += 1 + mentions(fresh[0], masked, m.end(), close)
            edits.append((m.start(), close, f"EXISTS {{ {pattern} FILTER ({body[m.end() : close - 1]}) }}"))
    for m in re.finditer(r"!\s*BOUND\s*\(\s*[?$]" + var + r"\s*\)", masked[: parent.close]):
        if m.start() > opt.close:
            uses += 1
            edits.append((m.start(), m.end(), f"NOT EXISTS {{ {pattern} }}"))
    if not edits or uses != mentions(fresh[0], outside):
        return None
    edits.append((optional_keyword_start(masked, opt), opt.close + 1, " "))
    for start, stop, text in sorted(edits, reverse=True):
        body = body[:start] + text + body[stop:]
    return tidy_dots(body)


#: More rows than any sub-select of a check has: the LIMIT changes no answer, it keeps the sub-select apart.
_APART = 1_000_000_000
_UNION_BEFORE = re.compile(r"\bUNION\s*\Z", re.IGNORECASE)
_UNION_NEXT = re.compile(r"\s*UNION\b", re.IGNORECASE)
_OWN_LIMIT = re.compile(r"\b(?:LIMIT|OFFSET)\b", re.IGNORECASE)


def joined_sub_selects_apart(text: str) -> str:
    """``text`` with each sub-select joined to another sub-select of its group (not a UNION branch)
    given ``LIMIT 1000000000``, which Virtuoso evaluates as a unit of its own instead of folding it
    into the join around it. Folded, Virtuoso 7.2 moved S5's ``FILTER (STR(?value) < STR(?other))``
    over its two sub-selects of current owners (each with ``BIND(EXISTS …)`` tests of ``$this``) and
    lost the pair, in every session whose store held other graphs loaded before the data (the CI
    runs); ``DISTINCT`` or a ``HAVING`` did not stop it (measured on 4 December)."""
    masked = mask(text)
    ends: list[int] = []
    for g in _walk(groups(masked)):
        joined = [
            c
            for c in g.children
            if c.kind == "select"
            and c.children
            and not _UNION_BEFORE.search(masked, g.open, c.open)
            and not _UNION_NEXT.match(masked, c.close + 1)
        ]
        if len(joined) >= 2:
            ends.extend(c.close for c in joined if not _OWN_LIMIT.search(masked, c.children[-1].close, c.close))
    for end in sorted(ends, reverse=True):
        text = f"{text[:end]} LIMIT {_APART} {text[end:]}"
    return text
