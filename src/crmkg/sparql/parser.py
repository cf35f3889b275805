"""An LL(1) parser for the SPARQL 1.1 Query grammar of :mod:`crmkg.sparql.grammar`.

The grammar text is compiled once into expression nodes with their FIRST sets; :func:`parse` then
walks them with an explicit stack (no Python recursion, so no nesting can overflow a stack) and one
token of lookahead, in time linear in the number of tokens. Bracket nesting is counted as the tokens
are matched and refused past ``max_depth``. The result is a concrete syntax tree: one
:class:`Node` per grammar rule, tokens as leaves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from crmkg.errors import Phrase, QuerySyntaxError, QueryTooLarge
from crmkg.sparql.grammar import QUERY_GRAMMAR, TERMINALS
from crmkg.sparql.lexer import Token, next_token, position, relex_operator, where

_TOK, _REF, _SEQ, _ALT, _OPT, _STAR = range(6)
#: Operators whose operands the engine nests one inside another (``a+b+c`` is ``(a+b)+c``): each operand
#: in a chain counts as one level of nesting, as a bracket does.
_CHAIN_OPERATORS = frozenset(("||", "&&", "+", "-", "*", "/", "|", "UNION")).union(
    f"{n}_{s}" for n in ("INTEGER", "DECIMAL", "DOUBLE") for s in ("POSITIVE", "NEGATIVE")
)
_OPENERS = frozenset(("{", "(", "["))
_CLOSERS = frozenset(("}", ")", "]"))


class NestingTooDeep(QueryTooLarge):
    """Brackets (and operator chains) nest deeper than the parser's limit."""

    def __init__(self, limit: int, at: Phrase, setting: str = "CRMKG_SPARQL_MAX_DEPTH") -> None:
        super().__init__(key="error.sparql_too_deep", limit=limit, at=at, setting=setting)
        self.limit = limit


@dataclass(slots=True)
class Node:
    """One grammar rule matched: its name and what it matched, in order."""

    rule: str
    children: list[Node | Token] = field(default_factory=list)

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, depth first (iteratively)."""
        pending: list[Node] = [self]
        while pending:
            node = pending.pop()
            yield node
            pending.extend(child for child in reversed(node.children) if isinstance(child, Node))

    def find(self, rule: str) -> Iterator[Node]:
        return (node for node in self.walk() if node.rule == rule)

    def tokens(self) -> Iterator[Token]:
        """The tokens under this node, in text order."""
        pending: list[Node | Token] = [self]
        while pending:
            item = pending.pop()
            if isinstance(item, Token):
                yield item
            else:
                pending.extend(reversed(item.children))

    def first_token(self) -> Token | None:
        """The first token matched, or ``None`` for a rule that matched nothing."""
        return next(self.tokens(), None)


class _Expr:
    __slots__ = ("chain", "first", "items", "kind", "name", "nullable")

    def __init__(self, kind: int, name: str = "", items: tuple[_Expr, ...] = ()) -> None:
        self.kind = kind
        self.name = name
        self.items = items
        self.first: frozenset[str] = frozenset()
        self.nullable = False
        self.chain = False


_GRAMMAR_TOKEN = re.compile(r"\s*(?:(::=)|('[^']+')|([A-Za-z_][A-Za-z0-9_]*)|([()|*+?]))")


def _literal_kind(text: str) -> str:
    return text if text == "a" or not text[0].isalpha() else text.upper()


class _GrammarReader:
    """Reads the EBNF of the recommendation: sequences, ``|``, ``( )``, ``? * +``."""

    def __init__(self, text: str) -> None:
        self.items: list[str] = []
        pos = 0
        while pos < len(text) and text[pos:].strip():
            match = _GRAMMAR_TOKEN.match(text, pos)
            if match is None:
                raise ValueError(f"grammar: cannot read at {text[pos : pos + 30]!r}")
            self.items.append(match.group().strip())
            pos = match.end()
        self.pos = 0
        self.rules: dict[str, _Expr] = {}
        self.refs: dict[str, _Expr] = {}

    def read(self) -> dict[str, _Expr]:
        while self.pos < len(self.items):
            name = self.items[self.pos]
            if self.items[self.pos + 1] != "::=":
                raise ValueError(f"grammar: expected ::= after {name}")
            self.pos += 2
            self.rules[name] = self._alternatives()
        return self.rules

    def _at_rule_start(self) -> bool:
        return self.pos + 1 < len(self.items) and self.items[self.pos + 1] == "::="

    def _alternatives(self) -> _Expr:
        options = [self._sequence()]
        while self.pos < len(self.items) and self.items[self.pos] == "|":
            self.pos += 1
            options.append(self._sequence())
        return options[0] if len(options) == 1 else _Expr(_ALT, items=tuple(options))

    def _sequence(self) -> _Expr:
        parts: list[_Expr] = []
        while self.pos < len(self.items) and self.items[self.pos] not in ("|", ")") and not self._at_rule_start():
            parts.append(self._postfix(self._atom()))
        return parts[0] if len(parts) == 1 else _Expr(_SEQ, items=tuple(parts))

    def _atom(self) -> _Expr:
        item = self.items[self.pos]
        self.pos += 1
        if item == "(":
            inner = self._alternatives()
            if self.items[self.pos] != ")":
                raise ValueError("grammar: missing )")
            self.pos += 1
            return inner
        if item.startswith("'"):
            return _Expr(_TOK, _literal_kind(item[1:-1]))
        if item in TERMINALS:
            return _Expr(_TOK, item)
        return self.refs.setdefault(item, _Expr(_REF, item))

    def _postfix(self, expr: _Expr) -> _Expr:
        while self.pos < len(self.items) and self.items[self.pos] in ("?", "*", "+"):
            mark = self.items[self.pos]
            self.pos += 1
            if mark == "?":
                expr = _Expr(_OPT, items=(expr,))
            elif mark == "*":
                expr = _Expr(_STAR, items=(expr,))
            else:
                expr = _Expr(_SEQ, items=(expr, _Expr(_STAR, items=(expr,))))
        return expr


def _all_exprs(rules: dict[str, _Expr]) -> list[_Expr]:
    seen: dict[int, _Expr] = {}
    pending = list(rules.values())
    while pending:
        expr = pending.pop()
        if id(expr) in seen:
            continue
        seen[id(expr)] = expr
        pending.extend(expr.items)
    return list(seen.values())


def _compile(text: str) -> dict[str, _Expr]:
    reader = _GrammarReader(text)
    rules = reader.read()
    for name, ref in reader.refs.items():
        if name not in rules:
            raise ValueError(f"grammar: {name} is used but not defined")
        ref.items = (rules[name],)
    exprs = _all_exprs(rules)
    changed = True
    while changed:  # FIRST sets and nullability to a fixed point
        changed = False
        for expr in exprs:
            first, nullable = _first_of(expr)
            if first != expr.first or nullable != expr.nullable:
                expr.first, expr.nullable, changed = first, nullable, True
    for expr in exprs:
        if expr.kind == _STAR and expr.items[0].nullable:
            raise ValueError("grammar: a repeated part can match nothing")
        expr.chain = expr.kind == _STAR and expr.first <= _CHAIN_OPERATORS
    return rules


def _first_of(expr: _Expr) -> tuple[frozenset[str], bool]:
    if expr.kind == _TOK:
        return frozenset((expr.name,)), False
    if expr.kind == _REF:
        return expr.items[0].first, expr.items[0].nullable
    if expr.kind == _ALT:
        return frozenset().union(*(i.first for i in expr.items)), any(i.nullable for i in expr.items)
    if expr.kind in (_OPT, _STAR):
        return expr.items[0].first, True
    first: set[str] = set()
    for item in expr.items:  # _SEQ
        first |= item.first
        if not item.nullable:
            return frozenset(first), False
    return frozenset(first), True


@lru_cache(maxsize=1)
def _query_rules() -> dict[str, _Expr]:
    return _compile(QUERY_GRAMMAR)


class _Tokens:
    """One token of lookahead over ``text``, read lazily so ``<`` can be read as an operator instead."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.current = next_token(text, 0)

    def advance(self) -> Token:
        token = self.current
        self.current = next_token(self.text, token.end)
        return token

    def accepts(self, first: frozenset[str], *, relex: bool = True) -> bool:
        """Whether the lookahead can start something in ``first`` (taking the operator reading if needed)."""
        token = self.current
        if token.kind in first:
            return True
        if relex and token.other is not None and token.other in first:
            self.current = relex_operator(self.text, token)
            return True
        return False


def _expected(first: frozenset[str]) -> str:
    names = sorted(first)
    return ", ".join(names[:8]) + (", …" if len(names) > 8 else "")


def parse(text: str, *, max_depth: int = 500, start: str = "QueryUnit") -> Node:
    """The syntax tree of ``text`` as a SPARQL 1.1 query, or :class:`QuerySyntaxError` saying where it fails.

    Raises :class:`NestingTooDeep` past ``max_depth`` levels of brackets and operator chains.
    """
    rules = _query_rules()
    toks = _Tokens(text)
    root = Node("")
    trees: list[Node] = [root]
    depth = 0
    stack: list[tuple[_Expr, int]] = [(_Expr(_REF, start, (rules[start],)), -1)]
    while stack:
        expr, state = stack.pop()
        kind = expr.kind
        if kind == _TOK:
            if not toks.accepts(expr.first):
                _fail(toks, expr.first)
            token = toks.advance()
            if token.kind in _OPENERS:
                depth += 1
                if depth > max_depth:
                    raise NestingTooDeep(max_depth, where(text, token.start))
            elif token.kind in _CLOSERS:
                depth -= 1
            trees[-1].children.append(token)
        elif kind == _REF:
            if state < 0:
                node = Node(expr.name)
                trees[-1].children.append(node)
                trees.append(node)
                stack.append((expr, 1))
                stack.append((expr.items[0], -1))
            else:
                trees.pop()
        elif kind == _SEQ:
            index = state + 1
            if index < len(expr.items):
                stack.append((expr, index))
                stack.append((expr.items[index], -1))
        elif kind == _ALT:
            # An IRI reference is read as '<' only if no alternative takes the IRI.
            chosen = next((item for item in expr.items if toks.accepts(item.first, relex=False)), None)
            chosen = chosen or next((item for item in expr.items if toks.accepts(item.first)), None)
            chosen = chosen or next((item for item in expr.items if item.nullable), None)
            if chosen is None:
                _fail(toks, expr.first)
            else:
                stack.append((chosen, -1))
        elif kind == _OPT:
            if toks.accepts(expr.first):
                stack.append((expr.items[0], -1))
        else:  # _STAR; ``state`` counts the repetitions so far
            count = max(state, 0)
            if toks.accepts(expr.first):
                if expr.chain:
                    depth += 1
                    if depth > max_depth:
                        raise NestingTooDeep(max_depth, where(text, toks.current.start))
                stack.append((expr, count + 1))
                stack.append((expr.items[0], -1))
            elif expr.chain:
                depth -= count
    if toks.current.kind != "EOF":
        _fail(toks, frozenset(("end of query",)))
    tree = root.children[0]
    assert isinstance(tree, Node)
    return tree


def _fail(toks: _Tokens, expected: frozenset[str]) -> None:
    token = toks.current
    found = Phrase(key="error.sparql_end_of_query") if token.kind == "EOF" else repr(token.text[:40])
    line, column = position(toks.text, token.start)
    raise QuerySyntaxError(
        key="error.sparql_syntax", line=line, column=column, found=found, expected=_expected(expected)
    )
