"""The rewrite itself: what SHACL forbids in ``sh:select`` is refused, the focus pattern is spliced in."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from crmkg.validation.fast.sparqltext import Uncompilable
from crmkg.validation.fast.user_sparql.anti_join import anti_joins
from crmkg.validation.fast.user_sparql.constant import settle_constant_filters
from crmkg.validation.fast.user_sparql.filters import filters_last
from crmkg.validation.fast.user_sparql.portable import (
    class_tests_as_bind,
    focus_test_as_bind,
    focus_test_parts,
    joined_sub_selects_apart,
    not_exists_as_bind,
    optional_anti_joins_nested,
    optional_flags_as_not_exists,
    paths_before_sub_queries,
    star_path_ends_apart,
)
from crmkg.validation.fast.user_sparql.scan import Focus, Group, binds_this, groups, mask, own_text

_PROLOGUE = re.compile(
    r"\A(?:\s+|#[^\n]*\n|PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>|BASE\s*<[^>]*>)",
    re.IGNORECASE,
)
_THIS = re.compile(r"[$?]this\b")
_PATH = re.compile(r"[$?]PATH\b")
_UNION_NEXT = re.compile(r"\bUNION\s*\Z", re.IGNORECASE)
_UNION_AFTER = re.compile(r"\s*UNION\b", re.IGNORECASE)
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


def _injections(
    masked: str, roots: list[Group], where: Group, focus: Focus, portable: bool = False
) -> list[tuple[int, str]]:
    """What goes where to restrict ``?this`` to the focus nodes: the outer WHERE group, and every
    group outside EXISTS bodies that mentions ``$this`` itself (a nested group or a UNION branch is
    evaluated on its own, so ``$this`` must be bound inside it to behave as if pre-bound) — the
    focus pattern at the group's start, or the focus test at its end (see :class:`Focus`): the test
    wherever a triple or path pattern of the group's own names ``$this`` (binding it in every
    solution), so the group's patterns drive the join instead of a DISTINCT over every focus node
    (S13a's class path, S30's BINDs: flat 1M, the checks this changes 3.7-3.9 -> 3.3-3.4 CPU s).
    OPTIONAL bodies see the left side's ``?this`` already and EXISTS bodies see the row's, so they
    are left alone.

    ``portable`` (Virtuoso, see :mod:`.portable`): the focus test takes the form
    :func:`~.portable.focus_test_as_bind` gives it (Virtuoso 7.2 joins the focus sub-query wrong to a
    transitive path ending at ``$this``); and a group
    joined to a sub-select whose own WHERE group names ``$this`` (so gets the focus itself, and projects
    ``$this``, see :func:`_check_sub_selects`) takes no focus sub-query at all: Virtuoso lost S5's rows
    joining the two in a session whose plans were made on another graph first. A nested group or
    UNION branch that would take the focus test takes none: the test binds nothing, and the group's
    ``?this`` meets the WHERE group's, which is restricted already (S12's two UNION branches, each
    with a test, made Virtuoso run past its 60 s limit under load; without them 0.3-0.5 s). Where
    the group opens with triples that bind ``$this`` followed by a nested group (S12: a triple, then
    a UNION), the test's BIND goes between them and its FILTER at the end: with the whole test after
    the UNION, Virtuoso took 12.6 s for S12's owner half on the broken example (over 60 s under load),
    with the BIND before it 0.01 s."""
    found: dict[int, str] = {}

    def focused_sub_select(g: Group) -> bool:
        return any(
            c.kind == "select"
            and c.children
            and _THIS.search(own_text(masked, c.children[0]))
            and not _UNION_NEXT.search(masked[: c.open])
            and not _UNION_AFTER.match(masked, c.close + 1)
            for c in g.children
        )

    def inject(g: Group, nested: bool = False) -> None:
        own = own_text(masked, g)
        start, end = focus.for_group("{" + own + "}", any_pattern=True)
        if start and not (portable and focused_sub_select(g)):
            found[g.open + 1] = start
        if end and not (portable and nested):
            early = _focus_bind_before_nested(masked, g, end) if portable else None
            if early is not None:
                found[g.children[0].open], found[g.close] = early
            else:
                found[g.close] = focus_test_as_bind(end, g.open) if portable else end

    inject(where)

    def walk(g: Group, parent: Group | None) -> None:
        if g.kind in ("exists", "minus"):  # EXISTS sees the row; our own MINUS has the focus already
            return
        if g is not where and g.kind == "group" and _THIS.search(own_text(masked, g)):
            inject(g, nested=parent is None or parent.kind != "select")
        for child in g.children:
            walk(child, g)

    for r in roots:
        walk(r, None)
    return sorted(found.items())


def _focus_bind_before_nested(masked: str, g: Group, end: str) -> tuple[str, str] | None:
    """(the focus test's BIND, its FILTER) when ``g`` opens with triple patterns that bind ``$this``
    and then a nested group (the BIND goes right before that group); ``None`` otherwise."""
    first = g.children[0] if g.children else None
    if first is None or first.kind != "group":
        return None
    lead = masked[g.open + 1 : first.open]
    if "{" in lead or not binds_this(lead):
        return None
    return focus_test_parts(end, g.open)


def _check_sub_selects(masked: str, roots: list[Group]) -> None:
    """Sub-selects must project ``$this`` explicitly (SHACL §5.3.1, as the reference enforces)."""

    def walk(g: Group) -> None:
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


def _refuse_forbidden(masked: str, has_path: bool) -> None:
    """What SHACL-SPARQL does not allow in a constraint's SELECT, or what cannot be compiled."""
    for name, pattern in _FORBIDDEN.items():
        if pattern.search(masked):
            raise Uncompilable(f"the SPARQL constraint uses ${name}")
    for name, pattern in _KEYWORDS.items():
        if pattern.search(masked):
            raise Uncompilable(f"the SPARQL constraint uses {name}, which SHACL forbids there")
    if _PATH.search(masked) and not has_path:
        raise Uncompilable("the SPARQL constraint uses $PATH but the shape has no path")


def rewrite_select(
    text: str,
    focus: Focus,
    path_sparql: str | None,
    *,
    lateral: bool = False,
    portable: bool = False,
    holds: Callable[[str], bool | None] | None = None,
) -> RewrittenSelect:
    """The query of ``text`` as a sub-query whose ``?this`` ranges over the focus nodes.

    ``focus`` binds or tests ``?this`` (see :class:`Focus`); ``path_sparql`` replaces ``$PATH``;
    ``lateral`` allows SPARQL 1.2 ``LATERAL`` joins (see :mod:`.anti_join`); ``portable`` keeps the
    anti-joins as EXISTS tests every engine gets right instead (see :mod:`.portable`); ``holds``, when the
    data is at hand, answers EXISTS filters that depend on no row (see :mod:`.constant`).

    The steps that depend only on the text are remembered by text (a shapes graph is compiled
    again for every store: each test fixture, each run), so only the data's answers are asked anew.
    """
    prefixes, body = _checked(text, path_sparql is not None)
    if holds is not None:
        body = settle_constant_filters(body, holds)
    return RewrittenSelect(dict(prefixes), _spliced(body, focus, path_sparql, lateral, portable))


@lru_cache(maxsize=1024)
def _checked(text: str, has_path: bool) -> tuple[dict[str, str], str]:
    """``text``'s prefixes and its SELECT with the filters last, once what SHACL forbids is refused."""
    prefixes, body = split_prologue(text)
    masked = mask(body)
    if groups(masked):
        body = filters_last(body)
        masked = mask(body)
    _refuse_forbidden(masked, has_path)
    head = _SELECT_HEAD.match(masked)
    if head is None:
        raise Uncompilable("the SPARQL constraint is not a SELECT query")
    roots = groups(masked)
    if not roots:
        raise Uncompilable("the SPARQL constraint has no WHERE clause")
    _check_sub_selects(masked, roots)
    has_group_by = bool(_GROUP_BY.search(masked[roots[0].close :]))
    if _AGGREGATE.search(masked) and not has_group_by:
        raise Uncompilable("the SPARQL constraint aggregates without GROUP BY (one group per focus node)")
    if has_group_by and not _THIS.search(masked[roots[0].close :]):
        raise Uncompilable("the SPARQL constraint groups without grouping by $this")
    return prefixes, body


@lru_cache(maxsize=1024)
def _spliced(body: str, focus: Focus, path_sparql: str | None, lateral: bool, portable: bool) -> str:
    """The checked ``body`` with its anti-joins rewritten and the focus pattern spliced in."""
    masked = mask(body)
    head = _SELECT_HEAD.match(masked)
    assert head is not None, "checked by _checked"
    projection = masked[head.end() : groups(masked)[0].open]
    if portable:
        rewritten = not_exists_as_bind(class_tests_as_bind(optional_flags_as_not_exists(body)))
    else:
        rewritten = anti_joins(body, focus, lateral)
    if rewritten is not body:
        body = rewritten
        masked = mask(body)
    roots = groups(masked)
    where = roots[0]
    out: list[str] = []
    last = 0
    for p, injected in _injections(masked, roots, where, focus, portable):
        out.append(body[last:p])
        out.append(" " + injected + " ")
        last = p
    out.append(body[last:])
    select = "".join(out)
    if portable:
        select = optional_anti_joins_nested(star_path_ends_apart(select))
        select = joined_sub_selects_apart(paths_before_sub_queries(select))
    if projection.strip() != "*" and not _THIS.search(projection):
        head = _SELECT_HEAD.match(mask(select))
        assert head is not None, "the SELECT keeps its head"
        select = select[: head.end()] + " ?this " + select[head.end() :]
    select = _substitute(select, mask(select), _THIS, "?this")
    if path_sparql is not None:
        select = _substitute(select, mask(select), _PATH, path_sparql)
    return select


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
