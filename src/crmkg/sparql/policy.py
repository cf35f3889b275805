"""What ``/sparql`` admits: a SPARQL 1.1 query that calls no other service, decided on its parse.

Order of checks (each can only refuse):

1. size in bytes, then bracket nesting counted on the token stream — both linear, before parsing;
2. an update keyword first after the prologue: refused as an update (403);
3. the parse by the SPARQL 1.1 Query grammar (:mod:`crmkg.sparql.parser`): a text it cannot parse
   is refused (400), whatever the engine might make of it — this is the fail-closed rule;
4. on the tree: any ``SERVICE`` pattern is refused (403); ``FROM`` / ``FROM NAMED`` graphs are
   returned (resolved against ``BASE``, prefixes expanded) for the caller to check against the store.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

from crmkg.errors import QueryRefused, QuerySyntaxError, QueryTooLarge
from crmkg.sparql.lexer import UPDATE_KEYWORDS, Token, tokens, where
from crmkg.sparql.parser import NestingTooDeep, Node, parse

DEFAULT_MAX_BYTES = 256 * 1024
DEFAULT_MAX_DEPTH = 500
_LOCAL_ESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True)
class Limits:
    """Checked before parsing; the settings that change them are named in every refusal."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH


@dataclass
class QueryInfo:
    """What the policy learned from an admitted query."""

    form: str
    base: str | None = None
    prefixes: dict[str, str] = field(default_factory=dict)
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)

    @property
    def is_graph(self) -> bool:
        """CONSTRUCT or DESCRIBE: the answer is RDF, not a results table."""
        return self.form in ("CONSTRUCT", "DESCRIBE")

    @property
    def has_dataset_clause(self) -> bool:
        return bool(self.from_graphs or self.from_named)


def check_size(text: str, limits: Limits) -> None:
    """The query's size in UTF-8 bytes; raises :class:`QueryTooLarge` naming the setting."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        raise QueryTooLarge(key="error.sparql_too_large", size=size, limit=limits.max_bytes)


def check_limits(text: str, limits: Limits) -> None:
    """Size and bracket nesting, both linear; raises :class:`QueryTooLarge` naming the setting."""
    check_size(text, limits)
    depth = 0
    for token in _tokens_until_error(text):
        if token.kind in ("{", "(", "["):
            depth += 1
            if depth > limits.max_depth:
                raise NestingTooDeep(limits.max_depth, where(text, token.start))
        elif token.kind in ("}", ")", "]"):
            depth -= 1


def _tokens_until_error(text: str) -> Iterator[Token]:
    """The tokens up to the first one the lexer cannot read (the parser then says what is wrong there)."""
    try:
        yield from tokens(text)
    except QuerySyntaxError:
        return


def refuse_updates(text: str) -> None:
    """Refuse a text whose first word after the prologue begins an update (no parse is needed to refuse)."""
    expect_iri = 0
    for token in _tokens_until_error(text):
        if expect_iri:
            expect_iri -= 1
            continue
        if token.kind == "BASE":
            expect_iri = 1
        elif token.kind == "PREFIX":
            expect_iri = 2
        else:
            if token.kind in UPDATE_KEYWORDS:
                raise QueryRefused(key="error.sparql_update_refused", operation=token.kind)
            return


def inspect(text: str, limits: Limits | None = None) -> QueryInfo:
    """The query form, prologue and dataset clause of an admissible query; raises if it is not one.

    :class:`QueryTooLarge` (over a limit), :class:`QueryRefused` (update, ``SERVICE``),
    :class:`QuerySyntaxError` (not a SPARQL 1.1 query — refused, never guessed at).
    """
    limits = limits or Limits()
    check_limits(text, limits)
    refuse_updates(text)
    try:
        tree = parse(text, max_depth=limits.max_depth)
    except QueryTooLarge:
        raise
    except QuerySyntaxError as exc:
        raise QuerySyntaxError(key="error.sparql_not_accepted", problem=exc) from None
    for service in tree.find("ServiceGraphPattern"):
        first = service.first_token()
        raise QueryRefused(key="error.sparql_service_refused", at=where(text, first.start if first else 0))
    return _describe(tree)


def _describe(tree: Node) -> QueryInfo:
    info = QueryInfo(form="")
    query = next(child for child in tree.children if isinstance(child, Node) and child.rule == "Query")
    for child in query.children:
        if isinstance(child, Node) and child.rule == "Prologue":
            for decl in child.children:
                assert isinstance(decl, Node)
                toks = list(decl.tokens())
                if decl.rule == "BaseDecl":
                    info.base = _resolve(info, toks[1].text[1:-1])
                else:
                    info.prefixes[toks[1].text[:-1]] = _resolve(info, toks[2].text[1:-1])
        elif isinstance(child, Node) and child.rule.endswith("Query"):
            info.form = child.rule.removesuffix("Query").upper()
    for clause in tree.find("DatasetClause"):
        named = any(node.rule == "NamedGraphClause" for node in clause.walk())
        source = next(clause.find("iri")).first_token()
        assert source is not None  # the grammar requires the IRI
        (info.from_named if named else info.from_graphs).append(iri(source, info))
    return info


def _resolve(info: QueryInfo, reference: str) -> str:
    return urljoin(info.base, reference) if info.base else reference


def iri(token: Token, info: QueryInfo) -> str:
    """The IRI an ``IRIREF`` or prefixed-name token stands for (prefix expanded, local escapes removed)."""
    if token.kind == "IRIREF":
        return _resolve(info, token.text[1:-1])
    prefix, _, local = token.text.partition(":")
    if prefix not in info.prefixes:
        raise QuerySyntaxError(key="error.sparql_undeclared_prefix", prefix=prefix, name=token.text)
    return info.prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local)


def check_graphs(iris: list[str], known: frozenset[str], where: str) -> None:
    """Refuse graph IRIs that are not graphs of the store: nothing is ever fetched from outside."""
    unknown = [g for g in iris if g not in known]
    if unknown:
        graphs = ", ".join(f"<{g}>" for g in unknown)
        raise QueryRefused(key="error.sparql_unknown_graphs", clause=where, graphs=graphs)
