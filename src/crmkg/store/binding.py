"""Bind query parameters by substituting serialised RDF terms for their variables.

pyoxigraph's own substitution only accepts projected variables, rdflib's ``initBindings`` exists
only in rdflib, and remote endpoints have no binding API at all. So every backend binds the same
way: each occurrence of a bound variable is replaced by its term in N-Triples syntax (IRIs
checked, literals escaped by pyoxigraph) — a value is always exactly one RDF term, never query text of the
caller's choosing. Substitution (rather than a ``VALUES`` join) means the value is seen everywhere,
including FILTERs in nested groups and OPTIONALs, as RDF-dev SEP-0007 describes.

Where a variable cannot simply become a term, the term is wrapped so that the query stays valid:
in the SELECT projection ``?v`` becomes ``(term AS ?v)`` (so the column is still there), and in
GROUP BY / ORDER BY it becomes ``(term)``. Binding a variable the query itself assigns (``AS ?v``,
``VALUES ?v``) is refused.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyoxigraph as ox

from crmkg.errors import BindingError, QuerySyntaxError
from crmkg.sparql.lexer import tokens
from crmkg.sparql.parser import parse
from crmkg.store.terms import Term

_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PROJECTION_END = {"WHERE", "FROM"}
_MODIFIER_END = {"HAVING", "LIMIT", "OFFSET", "VALUES", "ORDER", "GROUP"}


def serialise_term(term: Term) -> str:
    """One RDF term in SPARQL syntax; refuses anything that is not a plain IRI or literal."""
    if isinstance(term, ox.NamedNode):
        text = term.value
        if not text or any(c in text for c in '<>"{}|^`\\ \t\n\r'):
            raise BindingError(key="error.bind_iri", text=text)
        return f"<{text}>"
    if isinstance(term, ox.Literal):
        return str(term)  # N-Triples: quotes, backslashes and line breaks escaped
    if isinstance(term, ox.BlankNode):
        raise BindingError(key="error.bind_blank")
    raise BindingError(key="error.bind_term", term=repr(term))


def substitute(query: str, bindings: dict[str, Term]) -> str:
    """``query`` with every bound variable replaced by its term.

    >>> substitute("SELECT ?r WHERE { ?r ?p ?o }", {"o": ox.NamedNode("http://e/x")})
    'SELECT ?r WHERE { ?r ?p <http://e/x> }'
    >>> substitute("SELECT ?o WHERE { ?r ?p ?o }", {"o": ox.NamedNode("http://e/x")})
    'SELECT (<http://e/x> AS ?o) WHERE { ?r ?p <http://e/x> }'
    """
    if not bindings:
        return query
    for name in bindings:
        if not _VARNAME.match(name):
            raise BindingError(key="error.bind_variable", name=name)
    terms = {name: serialise_term(term) for name, term in bindings.items()}
    out: list[str] = []
    last = 0
    for start, end, name, placement in _occurrences(query):
        if name not in terms:
            continue
        if placement == "assigned":
            raise BindingError(key="error.bind_assigned", name=name)
        term = terms[name]
        if placement == "projection":
            term = f"({term} AS ?{name})"
        elif placement == "modifier":
            term = f"({term})"
        out.append(query[last:start])
        out.append(term)
        last = end
    out.append(query[last:])
    return "".join(out)


@lru_cache(maxsize=512)
def _occurrences(query: str) -> tuple[tuple[int, int, str, str], ...]:
    """Where each variable occurs and how it may be replaced; cached, as catalogue queries repeat.

    Read from the tokens of the one SPARQL parser (so ``?a<?b`` is two variables and an operator);
    a text the SPARQL 1.1 grammar does not cover (an engine's extension) is read by the lexer alone.
    """
    try:
        toks = list(parse(query).tokens())
    except QuerySyntaxError:
        toks = list(tokens(query))
    found: list[tuple[int, int, str, str]] = []
    depth = 0  # parenthesis/brace depth
    context = ""  # "projection" | "modifier" | ""
    context_depth = 0
    previous = ""  # the token before this one
    values_header = False  # inside VALUES ( ... )
    for token in toks:
        kind = token.kind
        before, previous = previous, kind
        if kind in ("(", "{"):
            depth += 1
            values_header = before == "VALUES" and kind == "("
            if kind == "{" and context == "projection":
                context = ""
            continue
        if kind in (")", "}"):
            depth -= 1
            values_header = False
            if kind == "}" and context == "modifier" and depth < context_depth:
                context = ""
            continue
        if kind not in ("VAR1", "VAR2"):
            if kind == "SELECT":
                context, context_depth = "projection", depth
            elif kind in _PROJECTION_END and context == "projection":
                context = ""
            elif kind == "BY" and before in ("GROUP", "ORDER"):
                context, context_depth = "modifier", depth
            elif kind in _MODIFIER_END and context == "modifier":
                context = ""
            continue
        if before in ("AS", "VALUES") or values_header:
            placement = "assigned"
        elif context == "projection" and depth == context_depth:
            placement = "projection"
        elif context == "modifier" and depth == context_depth:
            placement = "modifier"
        else:
            placement = "plain"
        found.append((token.start, token.end, token.text[1:], placement))
    return tuple(found)
