"""Rewriting a SHACL-SPARQL ``sh:select`` so it runs for all focus nodes at once.

The reference engine runs the query once per focus node with ``$this`` pre-bound. Here ``$this``
becomes the variable ``?this`` and a pattern that binds it to every focus node is put first in the
outermost WHERE group: each ``FILTER NOT EXISTS { $this … }`` and ``OPTIONAL`` later in that group
then sees ``?this`` bound, as with pre-binding. The rewritten SELECT is used as a sub-query, so the
user's other variables stay inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crmkg.validation.fast.sparqltext import Uncompilable

_PROLOGUE = re.compile(
    r"\A(?:\s+|#[^\n]*\n|PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>|BASE\s*<[^>]*>)",
    re.IGNORECASE,
)
_THIS = re.compile(r"[$?]this\b")
_PATH = re.compile(r"[$?]PATH\b")
_FORBIDDEN = {
    "shapesGraph": re.compile(r"[$?]shapesGraph\b"),
    "currentShape": re.compile(r"[$?]currentShape\b"),
}
_SELECT_HEAD = re.compile(r"\A\s*SELECT\s+(DISTINCT\s+|REDUCED\s+)?", re.IGNORECASE)
_AGGREGATE = re.compile(r"\b(COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", re.IGNORECASE)
_GROUP_BY = re.compile(r"\bGROUP\s+BY\b", re.IGNORECASE)
_KEYWORDS = {
    "MINUS": re.compile(r"\bMINUS\s*\{", re.IGNORECASE),
    "VALUES": re.compile(r"(?<![\w:-])VALUES\s*[({?$]", re.IGNORECASE),
    "SERVICE": re.compile(r"\bSERVICE\b", re.IGNORECASE),
}


@dataclass(frozen=True)
class RewrittenSelect:
    """A user SELECT with its prologue split off and the focus pattern spliced in."""

    prefixes: dict[str, str]
    select: str


def split_prologue(text: str) -> tuple[dict[str, str], str]:
    """PREFIX declarations of ``text`` and the rest of the query."""
    prefixes: dict[str, str] = {}
    rest = text
    while True:
        m = _PROLOGUE.match(rest)
        if not m or m.end() == 0:
            return prefixes, rest
        if m.group(2) is not None:
            prefixes[m.group(1) or ""] = m.group(2)
        rest = rest[m.end() :]


def _mask(text: str) -> str:
    """``text`` with strings, IRIs and comments blanked out, so braces and names in them are ignored."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            j = text.find("\n", i)
            j = n if j < 0 else j
            out[i:j] = " " * (j - i)
            i = j
        elif ch in "\"'":
            long = text.startswith(ch * 3, i)
            quote = ch * 3 if long else ch
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            j = min(n, j + len(quote))
            out[i:j] = " " * (j - i)
            i = j
        elif ch == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", text[i:]):
            m = re.match(r"<[^\s<>\"{}|^`\\]*>", text[i:])
            assert m is not None
            j = i + m.end()
            out[i:j] = " " * (j - i)
            i = j
        else:
            i += 1
    return "".join(out)


@dataclass
class _Group:
    open: int
    close: int
    kind: str  # "exists", "optional", "select" (wraps a sub-select) or "group"
    children: list[_Group]


def _groups(masked: str) -> list[_Group]:
    """The brace groups of ``masked`` as a forest, each tagged with the keyword that opens it."""
    roots: list[_Group] = []
    stack: list[_Group] = []
    for i, ch in enumerate(masked):
        if ch == "{":
            before = masked[:i].rstrip()
            after = masked[i + 1 :].lstrip()
            if re.search(r"\bEXISTS$", before, re.IGNORECASE):
                kind = "exists"
            elif re.search(r"\bMINUS$", before, re.IGNORECASE):
                kind = "minus"
            elif re.search(r"\bOPTIONAL$", before, re.IGNORECASE):
                kind = "optional"
            elif re.match(r"SELECT\b", after, re.IGNORECASE):
                kind = "select"
            else:
                kind = "group"
            g = _Group(i, -1, kind, [])
            (stack[-1].children if stack else roots).append(g)
            stack.append(g)
        elif ch == "}":
            if not stack:
                raise Uncompilable("the SPARQL constraint has unbalanced braces")
            stack.pop().close = i
    if stack:
        raise Uncompilable("the SPARQL constraint has unbalanced braces")
    return roots


def _mentions_this_directly(masked: str, g: _Group) -> bool:
    pos, text = g.open + 1, []
    for child in g.children:
        text.append(masked[pos : child.open])
        pos = child.close + 1
    text.append(masked[pos : g.close])
    return bool(_THIS.search("".join(text)))


def _injection_points(masked: str, roots: list[_Group], where: _Group) -> list[int]:
    """Where the focus pattern goes: the outer WHERE group, and every group outside EXISTS bodies
    that mentions ``$this`` itself (a nested group or a UNION branch is evaluated on its own, so
    ``$this`` must be bound inside it to behave as if pre-bound). OPTIONAL bodies see the left
    side's ``?this`` already and EXISTS bodies see the row's, so they are left alone."""
    points = [where.open + 1]

    def walk(g: _Group) -> None:
        if g.kind in ("exists", "minus"):  # EXISTS sees the row; our own MINUS has the focus already
            return
        if g is not where and g.kind == "group" and _mentions_this_directly(masked, g):
            points.append(g.open + 1)
        for child in g.children:
            walk(child)

    for r in roots:
        walk(r)
    return sorted(set(points))


def _check_sub_selects(masked: str, roots: list[_Group]) -> None:
    """Sub-selects must project ``$this`` explicitly (SHACL §5.3.1, as the reference enforces)."""

    def walk(g: _Group) -> None:
        if g.kind == "select":
            inner = masked[g.open + 1 : g.close]
            head = _SELECT_HEAD.match(inner)
            brace = inner.find("{")
            projection = inner[head.end() : brace] if head and brace >= 0 else ""
            if projection.strip() == "*":
                raise Uncompilable("a nested SELECT * does not project the pre-bound $this")
            if not _THIS.search(projection):
                raise Uncompilable("a nested SELECT does not project $this")
        for child in g.children:
            walk(child)

    for r in roots:
        walk(r)


_FILTER = re.compile(r"\bFILTER\b", re.IGNORECASE)


def _balanced_end(masked: str, start: int, open_ch: str, close_ch: str) -> int:
    """Index after the bracket that closes the one at ``start``."""
    depth = 0
    for i in range(start, len(masked)):
        if masked[i] == open_ch:
            depth += 1
        elif masked[i] == close_ch:
            depth -= 1
            if depth == 0:
                return i + 1
    raise Uncompilable("the SPARQL constraint has unbalanced brackets")


def _filter_end(masked: str, start: int) -> int:
    """Index after the constraint of the FILTER keyword at ``start``."""
    i = start + len("FILTER")
    while i < len(masked) and masked[i].isspace():
        i += 1
    m = re.match(r"(NOT\s+)?EXISTS\s*\{", masked[i:], re.IGNORECASE)
    if m:
        return _balanced_end(masked, i + m.end() - 1, "{", "}")
    m = re.match(r"[\w:]*\s*\(", masked[i:])
    if not m:
        raise Uncompilable("a FILTER the compiler cannot read")
    return _balanced_end(masked, i + m.end() - 1, "(", ")")


def _render(body: str, masked: str, start: int, end: int, groups: list[_Group], move: bool = True) -> str:
    """``body[start:end]`` with every group's own FILTERs moved to the end of that group.

    SPARQL applies a FILTER to its whole group wherever it stands, so this changes no result; but
    Oxigraph splits a group's triple patterns at a FILTER and may then evaluate the second half with
    nothing bound (e.g. a zero-or-one path over every node of the graph).
    """
    out: list[str] = []
    moved: list[str] = []
    i = start
    children = [g for g in groups if start <= g.open < end]
    while i < end:
        child = next((g for g in children if g.open == i), None)
        if child is not None:
            out.append("{" + _render(body, masked, child.open + 1, child.close, child.children) + "}")
            i = child.close + 1
            continue
        m = _FILTER.match(masked, i) if move else None
        if m and (i == 0 or not (masked[i - 1].isalnum() or masked[i - 1] in "_:?$")):
            stop = _filter_end(masked, i)
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


def _tidy_dots(text: str) -> str:
    """Drop the dots that moving FILTERs leaves doubled or at the start of a group."""
    masked = _mask(text)
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
    masked = _mask(body)
    roots = _groups(masked)
    return _tidy_dots(_render(body, masked, 0, len(body), roots))


_VAR = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")
_NOT_EXISTS = re.compile(r"\bNOT\s+EXISTS\b", re.IGNORECASE)
_NOT_SIMPLE = re.compile(r"\b(OPTIONAL|UNION|VALUES|GRAPH|MINUS|SERVICE|SELECT)\b", re.IGNORECASE)


_SAFE_BIND = re.compile(
    r"BIND\s*\(\s*COALESCE\s*\((?:[^()]|\([^()]*\))*,\s*(?:\"[^\"]*\"(?:\^\^<[^>]*>|@[\w-]+)?|<[^>]*>|-?\d+)\s*\)"
    r"\s+AS\s+\?\w+\s*\)",
    re.IGNORECASE,
)


def _anti_joins(body: str, focus: str, lateral: bool = False) -> str:
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
    masked = _mask(body)
    roots = _groups(masked)
    if not roots:
        return body
    where = roots[0]
    optionals = {g.open: g for g in where.children if g.kind in ("optional", "select")}
    items: list[tuple[int, int, bool]] = []  # FILTER extents at the top of WHERE, and "is NOT EXISTS"
    i = where.open + 1
    plain: list[str] = []
    optional_text: list[str] = []
    while i < where.close:
        m = _FILTER.match(masked, i)
        if m and not (masked[i - 1].isalnum() or masked[i - 1] in "_:?$"):
            stop = _filter_end(masked, i)
            rest = masked[m.end() : stop].lstrip()
            items.append((i, stop, bool(re.match(r"NOT\s+EXISTS\b", rest, re.IGNORECASE))))
            i = stop
            continue
        if i in optionals:
            g = optionals[i]
            optional_text.append(body[g.open : g.close + 1])
            plain.append(body[g.open : g.close + 1])
            i = g.close + 1
            continue
        if masked[i] in "{}":
            return body  # a nested group that is neither a filter nor an OPTIONAL: leave it
        plain.append(body[i])
        i += 1
    triples = "".join(plain)
    mandatory_text = triples
    for opt in optional_text:
        mandatory_text = mandatory_text.replace(opt, " ")
    mandatory_masked = _mask(mandatory_text)
    binds = [m.group(0) for m in _SAFE_BIND.finditer(mandatory_text)]
    without_binds = mandatory_masked
    for bind in binds:
        without_binds = without_binds.replace(_mask(bind), " ")
    if re.search(r"\bBIND\b", without_binds, re.IGNORECASE) or _NOT_SIMPLE.search(
        without_binds.replace("OPTIONAL", "")
    ):
        return body
    mandatory = {*_VAR.findall(mandatory_masked), "this"}
    optional_only = set(_VAR.findall(_mask(" ".join(optional_text)))) - mandatory
    out: list[str] = []
    last = 0
    for start, stop, negated in items:
        if not negated:
            continue
        inner_open = masked.index("{", start)
        inner = body[inner_open + 1 : stop - 1]
        inner_vars = set(_VAR.findall(_mask(inner)))
        if inner_vars & optional_only:
            continue
        out.append(body[last:start])
        keyed = sorted(mandatory & inner_vars)
        if set(keyed) <= {"this"}:
            # P shares nothing but the focus node with the group: which focus nodes P holds for
            # does not depend on the group's other patterns, so they are not joined again.
            sub = _anti_joins(f"SELECT DISTINCT ?this WHERE {{ {focus} {inner} }}", focus)
        elif lateral and keyed and "this" not in keyed and _NOT_EXISTS.search(_mask(inner)):
            keys = " ".join("?" + v for v in keyed)
            distinct_keys = f"{{ SELECT DISTINCT {keys} WHERE {{ {focus} {triples} }} }}"
            sub = f"SELECT DISTINCT {keys} WHERE {{ {distinct_keys} LATERAL {{ {inner} }} }}"
        else:
            shared = sorted((mandatory & inner_vars) | {"this"})
            projection = " ".join("?" + v for v in shared)
            # The anti-join's own group may hold NOT EXISTS of its own: rewrite it the same way.
            sub = _anti_joins(f"SELECT DISTINCT {projection} WHERE {{ {focus} {triples} {inner} }}", focus)
        out.append(f"MINUS {{ {sub} }}")
        last = stop
    out.append(body[last:])
    return "".join(out)


def rewrite_select(text: str, focus: str, path_sparql: str | None, *, lateral: bool = False) -> RewrittenSelect:
    """The query of ``text`` as a sub-query whose ``?this`` ranges over the solutions of ``focus``.

    ``focus`` is a group pattern that binds ``?this``; ``path_sparql`` replaces ``$PATH``;
    ``lateral`` allows SPARQL 1.2 ``LATERAL`` joins (see :func:`_anti_joins`).
    """
    prefixes, body = split_prologue(text)
    masked = _mask(body)
    if _groups(masked):
        body = filters_last(body)
        masked = _mask(body)
    for name, pattern in _FORBIDDEN.items():
        if pattern.search(masked):
            raise Uncompilable(f"the SPARQL constraint uses ${name}")
    for name, pattern in _KEYWORDS.items():
        if pattern.search(masked):
            raise Uncompilable(f"the SPARQL constraint uses {name}, which SHACL forbids there")
    if _PATH.search(masked) and path_sparql is None:
        raise Uncompilable("the SPARQL constraint uses $PATH but the shape has no path")
    head = _SELECT_HEAD.match(masked)
    if head is None:
        raise Uncompilable("the SPARQL constraint is not a SELECT query")
    roots = _groups(masked)
    if not roots:
        raise Uncompilable("the SPARQL constraint has no WHERE clause")
    where = roots[0]
    _check_sub_selects(masked, roots)
    projection = masked[head.end() : where.open]
    has_group_by = bool(_GROUP_BY.search(masked[where.close :]))
    if _AGGREGATE.search(masked) and not has_group_by:
        raise Uncompilable("the SPARQL constraint aggregates without GROUP BY (one group per focus node)")
    if has_group_by and not _THIS.search(masked[where.close :]):
        raise Uncompilable("the SPARQL constraint groups without grouping by $this")
    rewritten = _anti_joins(body, focus, lateral)
    if rewritten is not body:
        body = rewritten
        masked = _mask(body)
        roots = _groups(masked)
        where = roots[0]
    points = _injection_points(masked, roots, where)
    out: list[str] = []
    last = 0
    for p in points:
        out.append(body[last:p])
        out.append(" " + focus + " ")
        last = p
    out.append(body[last:])
    select = "".join(out)
    if projection.strip() != "*" and not _THIS.search(projection):
        select = select[: head.end()] + " ?this " + select[head.end() :]
    select = _substitute(select, _mask(select), _THIS, "?this")
    if path_sparql is not None:
        select = _substitute(select, _mask(select), _PATH, path_sparql)
    return RewrittenSelect(prefixes, select)


def _substitute(text: str, masked: str, pattern: re.Pattern[str], replacement: str) -> str:
    """Replace matches of ``pattern`` found in the masked text (so strings and IRIs are untouched)."""
    out: list[str] = []
    last = 0
    for m in pattern.finditer(masked):
        out.append(text[last : m.start()])
        out.append(replacement)
        last = m.end()
    out.append(text[last:])
    return "".join(out)
