"""A check's solutions read from an endpoint whole, or a page at a time where the endpoint caps answers.

Some endpoints cut an answer short at a row limit of their own (Virtuoso's ``ResultSetMaxRows``,
10 000 in Debian's default configuration; :attr:`~crmkg.store.Capabilities.capped_answers`), so
there a check with many rows is asked for in pages: the query ordered by every column it selects,
with ``LIMIT``/``OFFSET``. Paging has its price: every page evaluates and sorts the whole query
again, so a check with n rows costs about n / page size evaluations — quadratic in the data (at 10M
triples a run did not finish in 25 minutes). A store that sends every row (embedded Oxigraph, an
Oxigraph server) is asked each query once, whole; only the rows the check selects travel. A query
that has its own ``ORDER BY``, ``LIMIT``, ``OFFSET`` or ``VALUES`` at the top, selects ``*``, or is
beyond SPARQL 1.1 (``LATERAL``, for a store that has it) is asked for whole everywhere.
"""

from __future__ import annotations

from crmkg.errors import QuerySyntaxError
from crmkg.sparql.lexer import Token
from crmkg.sparql.parser import Node, parse
from crmkg.store import Store
from crmkg.validation.fast.compiler import Check
from crmkg.validation.fast.engine import columns_of, select_rows
from crmkg.validation.fast.results import StoreRow

__all__ = ["DEFAULT_PAGE_SIZE", "page_of", "paged_rows"]

#: Rows asked for per request: below Virtuoso's default cap, few requests for a typical run.
DEFAULT_PAGE_SIZE = 10_000


def _children(node: Node, rule: str) -> list[Node]:
    return [c for c in node.children if isinstance(c, Node) and c.rule == rule]


def _last_token(node: Node) -> Token | None:
    last = None
    for token in node.tokens():
        last = token
    return last


def page_of(query: str, page_size: int, offset: int) -> str | None:
    """``query`` limited to the rows ``offset`` to ``offset + page_size`` of a fixed order, or ``None``
    when it cannot be paged (see the module's note)."""
    try:
        tree = parse(query)
    except QuerySyntaxError:
        return None  # beyond SPARQL 1.1 (LATERAL): the store that runs it reads it whole
    select = next(tree.find("SelectQuery"), None)
    if select is None:
        return None
    (clause,) = _children(select, "SelectClause")
    variables = [t.text for var in _children(clause, "Var") for t in var.tokens()]
    if not variables or len(variables) != len(_children(clause, "Var")) or _children(clause, "Expression"):
        return None  # SELECT * or a projected expression: no column list to order by
    (modifier,) = _children(select, "SolutionModifier")
    if _children(modifier, "OrderClause") or _children(modifier, "LimitOffsetClauses"):
        return None
    if any(next(values.tokens(), None) for values in _children(_query_node(tree), "ValuesClause")):
        return None
    end = _last_token(modifier) or _last_token(select)
    assert end is not None, "a parsed SELECT has tokens"
    order = " ".join(variables)
    return f"{query[: end.end]} ORDER BY {order} LIMIT {page_size} OFFSET {offset}{query[end.end :]}"


def _query_node(tree: Node) -> Node:
    (query,) = _children(tree, "Query")
    return query


def paged_rows(store: Store, check: Check, page_size: int = DEFAULT_PAGE_SIZE) -> list[StoreRow]:
    """Every solution of ``check``: asked for whole, or ``page_size`` rows at a time where the store caps
    its answers (and the query can be paged)."""
    columns = columns_of(check)
    if not store.capabilities.capped_answers:
        return select_rows(store, check.query, columns)
    rows: list[StoreRow] = []
    while True:
        query = page_of(check.query, page_size, len(rows))
        if query is None:
            return select_rows(store, check.query, columns)
        page = select_rows(store, query, columns)
        rows.extend(page)
        if len(page) < page_size:
            return rows
